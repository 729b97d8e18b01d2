"""The authoring kit: the file formats as JSON Schema, a lesson scaffold, and the lesson linter."""
