"""A learner's statistics, built as plain data from the progress and the answer history (pure: no clock,
no files, no terminal): mastery, days studied, accuracy, exams, calibration, misconceptions, forgetting."""
