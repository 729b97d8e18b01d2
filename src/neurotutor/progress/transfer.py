"""Export and import: one JSON document with a profile's state and its whole history.

`build_export` writes the document described in docs/progress-format.md. `read_import` is the one
choke point for files brought in: it accepts an export, or a progress file of format 1 (state and
answers) or 2 (state only), checks all of it strictly and collects every problem with its line and
column before anything is written. Pure: no clock, no files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import msgspec

from neurotutor import jsonpos
from neurotutor.errors import InvalidFileError, Problem
from neurotutor.progress.migrations import migrate
from neurotutor.progress.model import SCHEMA_VERSION, Attempt, Progress

EXPORT_FORMAT = "neurotutor-export"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 64 << 20  # an export of 60,000 answers is about 18 MB; reading 64 MiB takes ~0.6 GB
MAX_PROBLEMS = 50
NOTHING_WRITTEN = "Nothing was imported: fix these problems (or choose another file) and try again."


class ExportDocument(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The export file: what and when, the state, and every answer."""

    format: Literal["neurotutor-export"]
    version: int
    exported_at: datetime
    progress: Progress
    history: list[Attempt]


@dataclass(frozen=True)
class Imported:
    """A checked import: the state and the answers it brings, and what kind of file it was."""

    progress: Progress
    attempts: list[Attempt]
    kind: str  # "export", "progress file (format 1)", ...


_encoder = msgspec.json.Encoder()


def build_export(progress: Progress, attempts: Iterable[Attempt], now: datetime) -> bytes:
    """The export document: indented at the top, one answer a line in `history`."""
    head = _encoder.encode({"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported_at": now})
    state = msgspec.json.format(_encoder.encode(progress), indent=2).replace(b"\n", b"\n  ")
    lines = b",\n    ".join(_encoder.encode(a) for a in attempts)
    return (b"{\n  " + b",\n  ".join(head[1:-1].split(b",")) + b',\n  "progress": ' + state
            + b',\n  "history": [' + (b"\n    " + lines + b"\n  " if lines else b"") + b"]\n}\n")


def read_import(raw: bytes, where: str) -> Imported:
    """Check an import file fully; raise InvalidFileError with every problem, or return its content."""
    problems: list[Problem] = []

    def problem(path: jsonpos.Path, message: str, line_col: tuple[int, int] | None = None) -> None:
        line, col = line_col or (0, 0)
        label = jsonpos.format_path(path)
        problems.append(Problem(where, line, col, f"{label}: {message}" if label else message))

    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        data = msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        text = "it is empty" if not raw.strip() else f"not valid JSON ({jsonpos.error_text(str(exc)).split(' (byte')[0]})"
        problem((), text, jsonpos.decode_error_position(raw, str(exc)) if raw.strip() else (1, 1))
        raise InvalidFileError(problems, NOTHING_WRITTEN) from None
    except RecursionError:
        problem((), f"nested too deeply (more than {jsonpos.MAX_DEPTH} levels of brackets; an export or "
                "progress file never is)", jsonpos.too_deep(raw))
        raise InvalidFileError(problems, NOTHING_WRITTEN) from None
    except MemoryError:
        problem((), "too large to read into memory", (1, 1))
        raise InvalidFileError(problems, NOTHING_WRITTEN) from None
    if isinstance(data, dict) and data.get("format") == EXPORT_FORMAT:
        version = data.get("version")
        if isinstance(version, int) and not isinstance(version, bool) and version > EXPORT_VERSION:
            problem(("version",), f"this export was written by a newer neurotutor (export version {version}); "
                    f"this one reads version {EXPORT_VERSION}: upgrade neurotutor", _where(raw, ("version",)))
            raise InvalidFileError(problems, NOTHING_WRITTEN)
        result = _read_export(raw, data, problem)
    elif isinstance(data, dict) and "schema_version" in data:
        result = _read_progress_file(raw, data, problem)
    else:
        problem((), "this is not a neurotutor export or progress file (it has neither "
                f'"format": "{EXPORT_FORMAT}" nor "schema_version")', (1, 1))
        raise InvalidFileError(problems, NOTHING_WRITTEN)
    if result is not None:
        _check_attempts(raw, result.attempts, problem, base=("history",) if result.kind == "export" else ("attempts",))
    if problems:
        raise InvalidFileError(_limited(problems, where), NOTHING_WRITTEN)
    assert result is not None
    return result


def _where(raw: bytes, path: jsonpos.Path) -> tuple[int, int]:
    return jsonpos.locate(raw, {path})[path]


def _limited(problems: list[Problem], where: str) -> list[Problem]:
    problems = sorted(set(problems))
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [Problem(where, 0, 0, f"... and {more} more problem{'s' if more != 1 else ''}")]


def _read_export(raw: bytes, data: dict[str, Any], problem: Any) -> Imported | None:
    try:
        doc = msgspec.json.decode(raw, type=ExportDocument)
        return Imported(doc.progress, doc.history, "export")
    except msgspec.ValidationError:
        pass
    # Something is wrong: check the parts one by one so that every problem is reported.
    errors: dict[jsonpos.Path, str] = {}
    for key in data:
        if key not in ExportDocument.__struct_fields__:
            errors[(key,)] = f"unknown field {key!r} (an export has: {', '.join(ExportDocument.__struct_fields__)})"
    for key in ExportDocument.__struct_fields__:
        if key not in data:
            errors[()] = f"missing field {key!r}"
    head = {k: data[k] for k in ("format", "version", "exported_at") if k in data}
    _convert_part(head, _Head, (), errors)
    if "progress" in data:
        _convert_part(data["progress"], Progress, ("progress",), errors)
    history = data.get("history")
    if isinstance(history, list):
        for i, item in enumerate(history):
            _convert_part(item, Attempt, ("history", i), errors)
            if len(errors) > MAX_PROBLEMS:
                break
    elif "history" in data:
        errors[("history",)] = "expected a list of answers"
    _report(raw, errors, problem)
    return None


def _report(raw: bytes, errors: dict[jsonpos.Path, str], problem: Any) -> None:
    """Report each error at the line and column of its value (one scan of the text for all)."""
    places = jsonpos.locate(raw, set(errors)) if errors else {}
    for path, message in errors.items():
        problem(path, message, places[path])


class _Head(msgspec.Struct, kw_only=True):
    format: Literal["neurotutor-export"]
    version: int
    exported_at: datetime


def _convert_part(value: Any, model: Any, base: jsonpos.Path, errors: dict[jsonpos.Path, str]) -> Any:
    try:
        return msgspec.json.decode(_encoder.encode(value), type=model)
    except msgspec.ValidationError as exc:
        path, message = _narrow(value, model, str(exc))
        errors[base + path] = message
        return None


def _narrow(value: Any, model: Any, message: str) -> tuple[jsonpos.Path, str]:
    """The full path of a validation error: msgspec writes a mapping's key as `[...]`, so the
    entries of that mapping are checked one by one to find which key it was."""
    import msgspec.inspect as mi

    path = jsonpos.parse_error_path(message)
    if "[...]" not in message.rpartition("- at `$")[2]:
        return path, jsonpos.error_text(message)
    info: Any = mi.type_info(model)
    here = value
    for part in path:  # follow the path through the data and the types together
        while isinstance(info, mi.UnionType):
            info = next((t for t in info.types if not isinstance(t, mi.NoneType)), info)
        if isinstance(info, mi.StructType):
            info = next(f.type for f in info.fields if f.encode_name == part)
        elif isinstance(info, (mi.ListType, mi.VarTupleType)):
            info = info.item_type
        elif isinstance(info, mi.DictType):
            info = info.value_type
        here = here[part]
    while isinstance(info, mi.UnionType):
        info = next((t for t in info.types if isinstance(t, mi.DictType)), info)
    if isinstance(info, mi.DictType) and isinstance(here, dict):
        for key, item in here.items():
            try:
                msgspec.json.decode(_encoder.encode(item), type=_model_of(info.value_type))
            except msgspec.ValidationError as exc:
                inner, text = _narrow(item, _model_of(info.value_type), str(exc))
                return path + (key,) + inner, text
    return path, jsonpos.error_text(message)


def _model_of(info: Any) -> Any:
    """The Python type behind a msgspec type info (for the kinds a progress file uses)."""
    import msgspec.inspect as mi

    if isinstance(info, mi.StructType):
        return info.cls
    if isinstance(info, mi.BoolType):
        return bool
    if isinstance(info, mi.IntType):
        return int
    if isinstance(info, mi.FloatType):
        return float
    if isinstance(info, mi.StrType):
        return str
    return Any


def _read_progress_file(raw: bytes, data: dict[str, Any], problem: Any) -> Imported | None:
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problem(("schema_version",), "expected a whole number from 1", _where(raw, ("schema_version",)))
        return None
    if version > SCHEMA_VERSION:
        problem(("schema_version",), f"this progress file was written by a newer neurotutor (format {version}); "
                f"this one reads format {SCHEMA_VERSION}: upgrade neurotutor", _where(raw, ("schema_version",)))
        return None
    errors: dict[jsonpos.Path, str] = {}
    if version < SCHEMA_VERSION:
        try:
            state, moved = migrate(data, SCHEMA_VERSION)
        except (ValueError, TypeError, KeyError) as exc:
            problem((), f"this format-{version} progress file cannot be read: {exc}", (1, 1))
            return None
        attempts_raw = moved
    else:
        state, attempts_raw = data, []
    progress = _convert_part(state, Progress, (), errors)
    attempts = []
    for i, item in enumerate(attempts_raw):
        attempt = _convert_part(item, Attempt, ("attempts", i), errors)
        attempts.append(attempt)
        if len(errors) > MAX_PROBLEMS:
            break
    if errors:
        _report(raw, errors, problem)
        return None
    return Imported(progress, attempts, f"progress file (format {version})")


def _check_attempts(raw: bytes, attempts: list[Attempt], problem: Any, base: jsonpos.Path) -> None:
    """What types cannot say: times carry a time zone, and one id means one answer."""
    errors: dict[jsonpos.Path, str] = {}
    seen: dict[str, tuple[int, Attempt]] = {}
    for i, attempt in enumerate(attempts):
        if attempt.at.tzinfo is None:
            errors[base + (i, "at")] = "a time needs its time zone (for example 2026-11-23T10:00:00Z)"
        first = seen.get(attempt.id)
        if first is None:
            seen[attempt.id] = (i, attempt)
        elif first[1] != attempt:
            errors[base + (i, "id")] = (f"id {attempt.id!r} is also used by a different answer "
                                        f"({jsonpos.format_path(base + (first[0],))})")
        if len(errors) > MAX_PROBLEMS:
            break
    _report(raw, errors, problem)
