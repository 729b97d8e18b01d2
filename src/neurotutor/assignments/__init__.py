"""Assignments: a therapist's list of lessons (with due dates and goals) handed to a client."""
