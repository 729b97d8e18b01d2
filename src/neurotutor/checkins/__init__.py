"""Check-ins with standard measures (PHQ-8, GAD-7): their wording and scoring, the learner's answers
kept on their own computer, and how a total changed, with the reliable change index."""
