"""The JSON Schema of the lesson and assignment formats, generated from the typed models.

msgspec writes the schema from the same models the loader checks files against, so the two never
drift apart; only the header (`$schema`, `$id`, a title) is added here. Editors use it for
completion and checking as you type (`docs/authoring.md`).
"""

from __future__ import annotations

from typing import Any

KINDS = ("lesson", "assignment")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of a file format: "lesson" or "assignment"."""
    import msgspec

    if kind == "lesson":
        from neurotutor.lessons.model import FORMAT_VERSION, Lesson as model
    elif kind == "assignment":
        from neurotutor.assignments.model import FORMAT_VERSION, Assignment as model  # type: ignore[assignment]
    else:
        raise ValueError(kind)
    generated = msgspec.json.schema(model)
    return {"$schema": DIALECT, "$id": f"https://neurotutor.invalid/schema/{kind}-{FORMAT_VERSION}.json",
            "title": f"neurotutor {kind} file, format {FORMAT_VERSION}", **generated}


def schema_json(kind: str) -> bytes:
    import msgspec

    return msgspec.json.format(msgspec.json.encode(schema_of(kind)), indent=2) + b"\n"
