"""A learner's progress: the typed model, pure update functions, migrations and the file store."""
