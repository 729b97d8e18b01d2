"""Worksheets: practice forms (a thought record, an exposure log...) kept as YAML files like lessons."""
