"""Lesson files: their typed model, the YAML reader and the loader that checks them."""
