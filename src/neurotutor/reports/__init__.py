"""Reports: what a learner sends their therapist about one assignment (built once, rendered as JSON, Markdown, HTML)."""
