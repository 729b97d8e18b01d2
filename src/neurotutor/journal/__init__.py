"""The learner's private journal: worksheets filled in, as entries kept on their own computer."""
