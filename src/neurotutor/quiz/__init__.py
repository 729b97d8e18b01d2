"""Asking and grading questions: answer values, shuffled presentation, plain-text parsing, grading."""
