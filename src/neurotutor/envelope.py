"""The JSON documents the tutor prints for scripts (`--json`): one envelope, and a schema for each kind.

Every document opens with the same four fields, in this order, and then its data:

    {"format": "neurotutor-<kind>", "version": N, "tutor_version": "0.1.0",
     "generated_at": "2026-11-23T10:00:00Z", ...the data...}

`version` is that kind's layout (raised whenever a field is removed, renamed or changes meaning);
`generated_at` is the command's one `now`, in UTC. Errors under `--json` are documents of the kind
"error" with the same envelope. `KINDS` is the registry: each kind's version, the command that
prints it and what it holds; `schema_of` gives the JSON Schema (draft 2020-12) of each, generated
by msgspec from the types the data is built from where there are such types, written out here
where the data is built as plain mappings (stats, lint, an exam's results). docs/json.md lists them.

Pure: nothing here reads the clock or a file; msgspec is imported inside the functions, so a
command that prints no JSON never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE = ("format", "version", "tutor_version", "generated_at")


@dataclass(frozen=True)
class Kind:
    """One kind of document: its layout's version, the command that prints it, what it holds."""

    name: str
    version: int
    command: str
    summary: str

    @property
    def format(self) -> str:
        return f"neurotutor-{self.name}"


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("lessons", 2, "neurotutor lessons --json", "the catalogue: each lesson with its tags, size, status and best score"),
    Kind("progress", 2, "neurotutor progress --json", "per lesson: sections read, questions answered, passes, scores, "
                                                      "last studied (lessons not loaded now too)"),
    Kind("history", 3, "neurotutor history --json", "every recorded answer, oldest first"),
    Kind("stats", 3, "neurotutor stats --json", "mastery, activity and streaks, accuracy, exams, calibration, "
                                                "misconceptions"),
    Kind("settings", 2, "neurotutor settings --json", "this profile's study settings"),
    Kind("exams", 2, "neurotutor exams --json", "every exam record, newest first"),
    Kind("exam", 2, "neurotutor exams show ID --json", "one exam's results, question by question"),
    Kind("assignments", 2, "neurotutor assignments --json", "each assigned lesson with its due date and status, and "
                                                            "the assignments"),
    Kind("validate", 1, "neurotutor validate --json", "every problem found in lesson and assignment files, and counts"),
    Kind("lint", 2, "neurotutor lint --json", "the lint warnings, each lesson's figures and the form-only guessers"),
    Kind("checkins", 1, "neurotutor checkins --json", "every PHQ-8 and GAD-7 check-in, oldest first, with its total, "
                                                      "band and change (reliable or not)"),
    Kind("error", 1, "any command with --json", "what went wrong, with the exit code"),
)}

# What an error document's `kind` says, by the exit point's error class (docs/json.md).
ERROR_KINDS = ("usage", "unknown-lesson", "command-line", "invalid-file", "progress", "interrupted",
               "end-of-input", "error", "unexpected")


def envelope(kind: str, now: datetime, data: Mapping[str, Any]) -> dict[str, Any]:
    """A document of `kind` as plain data: the envelope (from `now`, timezone-aware), then `data`."""
    from neurotutor import __version__

    known = KINDS[kind]
    clash = set(ENVELOPE) & set(data)
    if clash:
        raise ValueError(f"data may not hold the envelope's fields {sorted(clash)}")
    return {"format": known.format, "version": known.version, "tutor_version": __version__,
            "generated_at": now.astimezone(timezone.utc), **data}


def encode_document(kind: str, now: datetime, data: Mapping[str, Any]) -> bytes:
    """A document of `kind` as JSON bytes: keys in the order given (the envelope first), indented
    by two spaces, no newline at the end. Dataclasses, msgspec Structs, dates and times in `data`
    are encoded as msgspec encodes them (times in UTC end in "Z")."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(envelope(kind, now, data)), indent=2)


def error_kind(error: BaseException) -> str:
    """What an error document calls an error of the tutor's own family (see ERROR_KINDS)."""
    from neurotutor import errors

    for cls, name in ((errors.UnknownLessonError, "unknown-lesson"), (errors.UsageError, "usage"),
                      (errors.InvalidFileError, "invalid-file"), (errors.ProgressError, "progress"),
                      (errors.Interrupted, "interrupted"), (errors.EndOfInput, "end-of-input")):
        if isinstance(error, cls):
            return name
    return "error"


def error_document(now: datetime, code: int, kind: str, message: str, problems: tuple[Any, ...] = ()) -> bytes:
    """The error document: the exit code, what kind of error, the message as it would be shown on
    stderr, and the problems with their positions when the error is about a file."""
    return encode_document("error", now, {"error": {"code": code, "kind": kind, "message": message,
                                                    "problems": list(problems)}})


# -- the schemas -----------------------------------------------------------------------------------

INT = {"type": "integer"}
NUM = {"type": "number"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def _nullable(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"anyOf": [dict(schema), {"type": "null"}]}


def _array(items: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": dict(items)}


def _mapping(values: Mapping[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": dict(values)}


def _object(properties: Mapping[str, Any]) -> dict[str, Any]:
    """An object with exactly these properties, every one required."""
    return {"type": "object", "properties": dict(properties), "required": list(properties),
            "additionalProperties": False}


def _typed(*types: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The schemas of some types (as references) and their definitions, made by msgspec from the
    same dataclasses and Structs the data is encoded from."""
    import msgspec

    schemas, definitions = msgspec.json.schema_components(types, ref_template="#/$defs/{name}")
    return list(schemas), definitions


Data = tuple[dict[str, Any], dict[str, Any]]  # a document's data properties, and its $defs


def _lessons() -> Data:
    from neurotutor.progress.summary import ListedLesson

    (listed,), defs = _typed(ListedLesson)
    return {"lessons": _array(listed)}, defs


def _progress() -> Data:
    from neurotutor.progress.summary import LessonRow

    (row,), defs = _typed(LessonRow)
    return {"profile": STR, "lessons": _array(row)}, defs


def _history() -> Data:
    from neurotutor.progress.model import Attempt

    (attempt,), defs = _typed(Attempt)
    return {"lesson": _nullable(STR), "attempts": _array(attempt)}, defs


def _settings() -> Data:
    from neurotutor.progress.model import ProfileSettings

    (settings,), defs = _typed(ProfileSettings)
    return {"profile": STR, "settings": settings}, defs


def _exams() -> Data:
    from neurotutor.progress.model import ExamRecord

    (record,), defs = _typed(ExamRecord)
    return {"exams": _array(record)}, defs


def _exam() -> Data:
    from neurotutor.progress.model import ExamRecord

    (record,), defs = _typed(ExamRecord)
    tally = {"questions": INT, "right": INT}
    return {
        "exam": record, "right": INT, "answered": INT, "questions_total": INT,
        "by_lesson": _array(_object({"lesson": STR, **tally})),
        "by_tag": _array(_object({"tag": STR, **tally})),
        "confidence": _nullable(_object({"rated": INT, "marks": INT,
                                         "levels": _array(_object({"level": INT, "answers": INT, "right": INT}))})),
        "questions": _array(_object({
            "number": INT, "lesson": STR, "question": STR, "prompt": STR, "answer": _nullable(STR), "correct": BOOL,
            "right_answer": STR, "explanation": STR, "confidence": _nullable(INT), "seconds": _nullable(NUM),
            "available": BOOL})),
    }, defs


def _assignments() -> Data:
    from neurotutor.assignments.model import Goals, Therapist

    (therapist, goals), defs = _typed(Therapist, Goals)
    return {
        "today": DATE,
        "lessons": _array(_object({"assignment": STR, "title": STR, "lesson": STR, "lesson_title": STR, "due": DATE,
                                   "status": {"enum": ["new", "in_progress", "done"]}, "overdue": BOOL,
                                   "due_soon": BOOL})),
        "assignments": _array(_object({"id": STR, "title": STR, "therapist": therapist, "client": STR,
                                       "goals": goals, "note": _nullable(STR), "added": DATETIME, "source": STR})),
    }, defs


def _validate() -> Data:
    from neurotutor.errors import Problem

    (problem,), defs = _typed(Problem)
    return {
        "paths": _array(STR), "valid": BOOL, "problems": _array(problem),
        "counts": _object({"problems": INT, "files_with_problems": INT, "lessons": INT, "questions": INT,
                           "worksheets": INT, "assignments": INT, "bundled_lessons": INT}),
    }, defs


def _lint() -> Data:
    from neurotutor.errors import Problem

    (problem,), defs = _typed(Problem)
    share = {"score": NUM, "chance": NUM}
    return {
        "readability_checked": BOOL,
        "findings": _array(_object({"rule": STR, "path": STR, "line": INT, "column": INT, "item": STR,
                                    "message": STR})),
        "lessons": _array(_object({"id": STR, "level": STR, "questions_by_type": _mapping(INT),
                                   "true_false": _object({"true": INT, "false": INT}), "grades": _mapping(NUM),
                                   "form_guessing": _mapping(_object(share))})),
        "bank": _array(_object({"guesser": STR, **share, "items": INT})),
        "problems": _array(problem),
        "assignments": _array(STR),
    }, defs


def _stats() -> Data:
    share = _nullable(NUM)
    mastery = _object({"id": _nullable(STR), "title": STR, "questions": INT, "cards": INT, "mature": INT,
                       "share": share, "due_today": INT, "due_within_7_days": INT})
    levels = _array(_object({"level": INT, "label": STR, "answers": INT, "right": INT, "share": share, "suits": STR,
                             "verdict": _nullable(STR)}))
    return {
        "today": DATE, "utc_offset_minutes": INT, "lesson": _nullable(STR), "answers": INT,
        "mastery": _object({"desired_retention": NUM, "lessons": _array(mastery), "total": mastery}),
        "activity": _object({
            "start": DATE, "today": DATE, "days": _array(_object({"date": DATE, "answers": INT})),
            "weeks": _array(_object({"week_of": DATE, "days": INT, "answers": INT})),
            "days_studied": INT, "days_studied_ever": INT, "last_day": _nullable(DATE), "current_streak": INT,
            "longest_streak": INT, "future_answers": INT}),
        "accuracy": _object({
            "answers": INT, "right": INT, "share": share, "average_seconds": _nullable(NUM), "by_mode": _mapping(INT),
            "weeks": _array(_object({"week_of": DATE, "answers": INT, "right": INT, "share": share}))}),
        "exams": _object({"taken": INT, "best_score": _nullable(NUM), "latest_score": _nullable(NUM),
                          "latest_at": _nullable(DATETIME)}),
        "calibration": _object({
            "rated": INT, "marks": INT, "max_marks": INT, "verdict": _nullable(STR), "enough": INT, "levels": levels,
            "lessons": _array(_object({"id": STR, "title": STR, "rated": INT, "marks": INT, "verdict": _nullable(STR),
                                       "levels": levels})),
            "sentences": _array(STR)}),
        "misconceptions": _array(_object({"label": STR, "count": INT, "lesson": STR, "title": STR, "question": STR,
                                          "in_lessons": BOOL, "text": _nullable(STR)})),
        "forecast": _object({"day_starts_at": INT,
                             "days": _array(_object({"date": _nullable(STR), "due": INT}))}),
    }, {}


def _checkins() -> Data:
    from neurotutor.checkins.summary import Series

    (one,), defs = _typed(Series)
    return {"measures": _array(one)}, defs


def _error() -> Data:
    from neurotutor.errors import Problem

    (problem,), defs = _typed(Problem)
    return {"error": _object({"code": INT, "kind": {"enum": list(ERROR_KINDS)}, "message": STR,
                              "problems": _array(problem)})}, defs


_DATA: dict[str, Callable[[], Data]] = {
    "lessons": _lessons, "progress": _progress, "history": _history, "stats": _stats, "settings": _settings,
    "exams": _exams, "exam": _exam, "assignments": _assignments, "validate": _validate, "lint": _lint,
    "checkins": _checkins, "error": _error,
}


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a document kind: the envelope's four fields, then its data;
    no field beyond these."""
    known = KINDS[kind]
    properties, definitions = _DATA[kind]()
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"https://neurotutor.invalid/schema/{kind}-json-{known.version}.json",
        "title": f"neurotutor {kind} document ({known.command}), version {known.version}",
        "type": "object",
        "properties": {"format": {"const": known.format}, "version": {"const": known.version},
                       "tutor_version": STR, "generated_at": DATETIME, **properties},
        "required": [*ENVELOPE, *properties],
        "additionalProperties": False,
    }
    if definitions:
        schema["$defs"] = definitions
    return schema


def schema_json(kind: str) -> bytes:
    """`schema_of(kind)` as indented JSON with a newline at the end (what `neurotutor schema` prints)."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(schema_of(kind)), indent=2) + b"\n"
