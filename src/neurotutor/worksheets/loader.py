"""The one choke point for worksheet files: YAML in, a strict `Worksheet` or every problem out.

It reads YAML with the lesson reader (positions for every value; no aliases, tags or duplicate
keys), checks the data against the model with the same walker (every mismatch, each as
`path:line:col: field: what is wrong`), refuses control and bidirectional characters as the lesson
loader does, then checks what the model cannot: a line break in what is shown on one line, a step
id or an option used twice, an id kept for something else. A file with none of a worksheet's
fields is one problem that quotes nothing of it. Files are read as lesson files are (a regular
file, UTF-8, at most 1 MiB), with `lessons.loader.read_bytes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from neurotutor.errors import Problem
from neurotutor.text import excerpt, first_unsafe, safe_text
from neurotutor.worksheets import model as wm

SNIFF_BYTES = 64 * 1024  # how much of a file is looked at to see whether it says it is a worksheet
# A file with none of these is not a worksheet at all, and is reported as one problem that quotes nothing.
FIELDS = ("format", "id", "kind", "purpose", "steps", "title")
NOT_A_WORKSHEET = f"is not a worksheet file (it has none of a worksheet's fields: {', '.join(FIELDS)})"
_SAYS_WORKSHEET = re.compile(rb"^kind:[ \t]*[\"']?worksheet[\"']?[ \t]*(#.*)?\r?$", re.M)

Positions = dict[str, tuple[int, int]]


@dataclass(frozen=True)
class LoadedWorksheet:
    """A valid worksheet, the file it came from, and where its id and lesson are written."""

    worksheet: wm.Worksheet
    path: Path
    builtin: bool = False
    positions: Positions = field(default_factory=dict, compare=False, repr=False)


def says_worksheet(head: bytes) -> bool:
    """Whether the start of a file says `kind: worksheet` at the top level: the quick look that
    tells a worksheet from a lesson in a folder that holds both."""
    return b"worksheet" in head[:SNIFF_BYTES] and _SAYS_WORKSHEET.search(head[:SNIFF_BYTES]) is not None


def parse_worksheet(text: str, where: str, path: Path | None = None,
                    builtin: bool = False) -> tuple[LoadedWorksheet | None, list[Problem]]:
    """Check worksheet text fully: the worksheet (None if invalid) and every problem."""
    from neurotutor.jsonpos import format_path
    from neurotutor.lessons.checks import check_characters, has_field
    from neurotutor.lessons.schema import check_file, type_info
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    problems = [Problem(where, line, col, msg) for (line, col), msg in doc.problems]
    if not has_field(doc.data, FIELDS):  # something else altogether: none of it is quoted
        if doc.complete and not (doc.data is None and problems):
            return None, [Problem(where, 0, 0, NOT_A_WORKSHEET)]
        return None, problems[-1:]  # what stopped the reading (a syntax error, say)
    if not doc.complete or (doc.data is None and problems):
        return None, problems  # half-read data would only produce misleading follow-on problems
    already = {mark for mark, _ in doc.problems}

    def report(p: tuple[Any, ...], message: str, at_key: bool) -> None:
        line, col = doc.key_mark(p) if at_key else doc.mark(p)
        if (line, col) in already:
            return  # the reader said what is wrong there
        label = safe_text(format_path(p))
        problems.append(Problem(where, line, col, f"{label}: {message}" if label else message))

    data = doc.data
    version = data.get("format") if isinstance(data, dict) else None
    if type(version) is int and version != wm.FORMAT_VERSION:
        report(("format",), f"this file is written for worksheet format {version}, but this neurotutor reads "
               f"format {wm.FORMAT_VERSION}: upgrade neurotutor", False)
        return None, problems
    worksheet = None
    try:  # the fast path: most files are valid
        worksheet = msgspec.convert(data, wm.Worksheet, strict=True)
    except msgspec.ValidationError:
        check_file(data, type_info(wm.Worksheet), report,
                   lambda p, at_key: (doc.key_mark(p) if at_key else doc.mark(p)) in already)
        if not problems:  # the walker should have said why; never pass a file it could not explain
            report((), "is not a valid worksheet", False)
    if "\\" in text or first_unsafe(text) >= 0:  # (libyaml refuses raw controls: only escapes bring one in)
        check_characters(data, (), report)
    check_one_line(data, report)
    check_meaning(data, report)
    if problems or worksheet is None:
        return None, sorted(problems, key=lambda p: (p.line, p.column))
    positions = {"id": doc.mark(("id",))}
    if worksheet.lesson is not None:
        positions["lesson"] = doc.mark(("lesson",))
    return LoadedWorksheet(worksheet, path or Path(where), builtin, positions), []


def _steps(data: Any) -> list[tuple[int, dict[str, Any]]]:
    from neurotutor.lessons.checks import items_of

    return items_of(data, "steps")


def check_one_line(data: Any, report: Any) -> None:
    """What is shown on one line holds no line break or tab: the title, each prompt, each option
    (one could add a line that looks like the tutor's own). Purpose, help and safety note may."""
    from neurotutor.lessons.checks import one_line_problem, strings_of

    if not isinstance(data, dict):
        return
    wrong = one_line_problem(data.get("title"))
    if wrong:
        report(("title",), wrong, False)
    for i, step in _steps(data):
        wrong = one_line_problem(step.get("prompt"))
        if wrong:
            report(("steps", i, "prompt"), wrong, False)
        for j, option in strings_of(step, "options"):
            wrong = one_line_problem(option)
            if wrong:
                report(("steps", i, "options", j), wrong, False)


def check_meaning(data: Any, report: Any) -> None:
    """Step ids and options each used once; an id that is not kept for something else."""
    from neurotutor.lessons.checks import strings_of

    if not isinstance(data, dict):
        return
    if data.get("id") in wm.RESERVED_IDS:
        report(("id",), f"{excerpt(data['id'])} is kept for `neurotutor practice {data['id']}`; give the worksheet "
               "another id", False)
    seen: dict[str, int] = {}
    for i, step in _steps(data):
        step_id = step.get("id")
        if isinstance(step_id, str):
            if step_id in seen:
                report(("steps", i, "id"), f"step id {excerpt(step_id)} is used twice (also steps[{seen[step_id] + 1}])",
                       False)
            else:
                seen[step_id] = i
        options: dict[str, int] = {}
        for j, option in strings_of(step, "options"):
            key = " ".join(option.split()).lower()
            if key in options:
                report(("steps", i, "options", j), f"option {excerpt(option)} is given twice (also option "
                       f"{options[key] + 1})", False)
            else:
                options[key] = j
    steps = _steps(data)
    before: set[str] = set()
    for i, step in steps:
        wanted = step.get("asked_if")
        if isinstance(wanted, str):
            if wanted == step.get("id"):
                report(("steps", i, "asked_if"), "a step cannot depend on its own answer; name an earlier step", False)
            elif wanted not in before:
                later = " (it comes after this one)" if wanted in seen else ""
                report(("steps", i, "asked_if"), f"names no earlier step: {excerpt(wanted)}{later}; give the id of a "
                       "step above this one", False)
        if isinstance(step.get("id"), str):
            before.add(step["id"])
    if steps and steps[0][0] == 0 and steps[0][1].get("later") is True:
        report(("steps", 0, "later"), "the first step cannot start the part filled in later: nothing comes "
               "before it", False)


def load_worksheet_file(path: Path, builtin: bool = False, follow: bool = True,
                        data: bytes | None = None) -> tuple[LoadedWorksheet | None, list[Problem]]:
    """Read and check one worksheet file (UTF-8, at most 1 MiB, a regular file, like a lesson
    file), or check `data`, its bytes as read already. An unexpected error becomes a problem of
    this file only."""
    from neurotutor.lessons.loader import decode_text, read_bytes, unexpected

    try:
        problems: list[Problem] = []
        if data is None:
            data, problems = read_bytes(path, follow)
            if data is None:
                return None, [_worded(p) for p in problems]
        text, problems = decode_text(data, str(path))
        if text is None:
            return None, [_worded(p) for p in problems]
        return parse_worksheet(text, str(path), path, builtin)
    except Exception as exc:  # noqa: BLE001 - a bug in the checks must not stop the other worksheets loading
        return None, [unexpected(path, exc)]


def _worded(problem: Problem) -> Problem:
    """A reading problem said of a worksheet file (the lesson reader says "a lesson file")."""
    return Problem(problem.path, problem.line, problem.column,
                   problem.message.replace("a lesson file", "a worksheet file").replace("give a lesson file",
                                                                                         "give a worksheet file"))
