"""The JSON Schema of the lesson, worksheet and assignment formats, and of every `--json` document.

msgspec writes the file formats' schema from the same models the loader checks files against, so
the two never drift apart; only the header (`$schema`, `$id`, a title) is added here. Editors use
it for completion and checking as you type (`docs/authoring.md`). The schemas of the documents
the tutor prints with `--json` ("lessons-json", "error-json", ...) come from `neurotutor.envelope`
(`docs/json.md`).
"""

from __future__ import annotations

from typing import Any

FILE_KINDS = ("lesson", "worksheet", "assignment")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
JSON_SUFFIX = "-json"


def kinds() -> dict[str, str]:
    """Every schema `neurotutor schema` can print, with what it describes."""
    from neurotutor.envelope import KINDS

    described = {"lesson": "a lesson file (YAML)", "worksheet": "a worksheet file (YAML)",
                 "assignment": "an assignment file (YAML)"}
    described.update({f"{kind.name}{JSON_SUFFIX}": f"{kind.command}: {kind.summary}" for kind in KINDS.values()})
    return described


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema of a file format ("lesson", "worksheet" or "assignment") or of a JSON document
    ("lessons-json", ...)."""
    import msgspec

    if kind.endswith(JSON_SUFFIX):
        from neurotutor import envelope

        name = kind.removesuffix(JSON_SUFFIX)
        if name not in envelope.KINDS:
            raise ValueError(kind)
        return envelope.schema_of(name)
    model: type[msgspec.Struct]
    if kind == "lesson":
        from neurotutor.lessons.model import FORMAT_VERSION, Lesson

        model = Lesson
    elif kind == "worksheet":
        from neurotutor.worksheets.model import FORMAT_VERSION, Worksheet

        model = Worksheet
    elif kind == "assignment":
        from neurotutor.assignments.model import FORMAT_VERSION, Assignment

        model = Assignment
    else:
        raise ValueError(kind)
    generated = msgspec.json.schema(model)
    return {"$schema": DIALECT, "$id": f"https://neurotutor.invalid/schema/{kind}-{FORMAT_VERSION}.json",
            "title": f"neurotutor {kind} file, format {FORMAT_VERSION}", **generated}


def schema_json(kind: str) -> bytes:
    """`schema_of(kind)` as indented JSON, with a newline at the end."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(schema_of(kind)), indent=2) + b"\n"
