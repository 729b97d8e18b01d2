"""The one choke point for assignment files: YAML in, a strict `Assignment` or every problem out.

It reads YAML with the lesson reader (positions for every value, no aliases, tags or duplicate
keys), checks the data against the model with the same walker (every mismatch, each as
`path:line:col: field: what is wrong`), then checks what the model cannot: a lesson named twice,
a bundled file that is not beside the assignment, an exam goal on a lesson that is not assigned.
Lesson ids that are neither bundled nor in the catalogue are checked by `check_lessons`, which
needs the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable, Mapping

import msgspec

from neurotutor.assignments import model as am
from neurotutor.errors import Problem
from neurotutor.text import safe_text

KIND = "assignment"


@dataclass(frozen=True)
class LoadedAssignment:
    """A valid assignment and where it was read from."""

    assignment: am.Assignment
    path: Path


def is_assignment(data: Any) -> bool:
    """Whether a YAML document says it is an assignment (`kind: assignment`)."""
    return isinstance(data, dict) and data.get("kind") == KIND


def _date_words(message: str) -> str:
    """The YAML reader's message for an impossible date, in an assignment's words."""
    marker = " looks like a date to YAML but is not a real one"
    if marker in message:
        value = message.split(marker)[0].strip("'\"")
        return f"{value} is not a real date (check the day and the month; dates are written year-month-day)"
    return message


def parse_assignment(text: str, where: str, path: Path | None = None,
                     keep: bool = False) -> tuple[LoadedAssignment | None, list[Problem]]:
    """Check assignment text fully: the assignment (None if invalid) and every problem. With
    `keep`, an assignment whose fields are valid is returned even with problems of meaning, so
    the caller can check its lessons too and report everything at once."""
    from neurotutor.jsonpos import format_path
    from neurotutor.lessons.schema import check, type_info
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    problems = [Problem(where, line, col, _date_words(msg)) for (line, col), msg in doc.problems]
    if not doc.complete or (doc.data is None and problems):
        return None, problems
    already = {mark for mark, _ in doc.problems}

    def report(p: tuple[Any, ...], message: str, at_key: bool) -> None:
        line, col = doc.key_mark(p) if at_key else doc.mark(p)
        if (line, col) in already:
            return
        label = safe_text(format_path(p))
        problems.append(Problem(where, line, col, f"{label}: {message}" if label else message))

    data = doc.data
    version = data.get("format") if isinstance(data, dict) else None
    if type(version) is int and version != am.FORMAT_VERSION:
        report(("format",), f"this file is written for assignment format {version}, but this neurotutor reads "
               f"format {am.FORMAT_VERSION}: upgrade neurotutor", False)
        return None, problems
    assignment = None
    try:
        assignment = msgspec.convert(data, am.Assignment, strict=True)
    except msgspec.ValidationError:
        check(data, type_info(am.Assignment), (), report)
        if not problems:
            report((), "is not a valid assignment", False)
    if assignment is not None:
        _check_meaning(assignment, report)
    if assignment is None or (problems and not keep):
        return None, problems
    return LoadedAssignment(assignment, path or Path(where)), problems


def _check_meaning(assignment: am.Assignment, report: Any) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(assignment.lessons):
        if item.lesson in seen:
            report(("lessons", index, "lesson"), f"{item.lesson!r} is already assigned (lessons[{seen[item.lesson] + 1}])",
                   False)
        seen.setdefault(item.lesson, index)
        if item.file is not None:
            parts = PurePosixPath(item.file.replace("\\", "/"))
            if parts.is_absolute() or ".." in parts.parts or ":" in item.file:
                report(("lessons", index, "file"), "must be a file beside the assignment (a name like "
                       "'my-lesson.yaml', or a path inside its folder)", False)
    exam = assignment.goals.exam
    if exam is not None:
        for index, lesson_id in enumerate(exam.lessons):
            if lesson_id not in seen:
                report(("goals", "exam", "lessons", index), f"{lesson_id!r} is not one of the assigned lessons", False)


def check_lessons(loaded: LoadedAssignment, known: Iterable[str], bundled: dict[str, str]) -> list[Problem]:
    """Problems with the lessons an assignment names: an id neither in the catalogue (`known`) nor
    bundled, or a bundled file that holds another lesson (`bundled`: file -> the id it holds)."""
    from neurotutor.lessons.yaml_source import read_yaml

    known = set(known)
    problems: list[Problem] = []
    doc = None
    for index, item in enumerate(loaded.assignment.lessons):
        message = None
        if item.file is not None:
            held = bundled.get(item.file)
            if held is not None and held != item.lesson:
                message = f"lessons[{index + 1}].file: {item.file} holds the lesson {held!r}, not {item.lesson!r}"
        elif item.lesson not in known:
            message = (f"lessons[{index + 1}].lesson: there is no lesson {item.lesson!r}; name a built-in lesson "
                       "(see 'neurotutor lessons') or bundle its file with `file:`")
        if message:
            if doc is None:
                doc = read_yaml(loaded.path.read_text(encoding="utf-8"))
            line, col = doc.mark(("lessons", index, "file" if item.file else "lesson"))
            problems.append(Problem(str(loaded.path), line, col, message))
    return problems


def load_assignment_file(path: Path, keep: bool = False) -> tuple[LoadedAssignment | None, list[Problem]]:
    """Read and check one assignment file (UTF-8, at most 1 MiB, like a lesson file)."""
    from neurotutor.lessons.loader import read_text

    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_assignment(text, str(path), path, keep)


def looks_like_assignment(path: Path) -> bool:
    """A quick look, before full checking: does the file say `kind: assignment` at the top level?"""
    import re

    try:
        head = path.read_bytes()[:65536].decode("utf-8", "replace")
    except OSError:
        return False
    return re.search(r"^kind:\s*[\"']?assignment[\"']?\s*(#.*)?$", head, re.M) is not None


def validate_assignment(path: Path, known: Iterable[str], builtin: Mapping[str, Path] | None = None,
                        ) -> tuple[LoadedAssignment | None, list[Problem], list[Path]]:
    """Check an assignment file and the lesson files it bundles: the assignment (None if anything
    is wrong), every problem (the bundled lessons' own included), and the bundled files. A bundled
    lesson may not take the id of a built-in lesson (`builtin`: id -> file): the client's tutor
    would refuse it."""
    from neurotutor.lessons.loader import load_lesson_file

    loaded, problems = load_assignment_file(path, keep=True)
    if loaded is None:
        return None, problems, []
    held: dict[str, str] = {}
    files: list[Path] = []
    for item in loaded.assignment.lessons:
        if item.file is None:
            continue
        lesson_path = path.parent / item.file
        files.append(lesson_path)
        if not lesson_path.is_file():
            from neurotutor.lessons.yaml_source import read_yaml

            doc = read_yaml(path.read_text(encoding="utf-8"))
            index = loaded.assignment.lessons.index(item)
            line, col = doc.mark(("lessons", index, "file"))
            problems.append(Problem(str(path), line, col, f"lessons[{index + 1}].file: there is no file {item.file} "
                                    f"beside the assignment ({lesson_path})"))
            continue
        lesson, lesson_problems, _ = load_lesson_file(lesson_path)
        problems += lesson_problems
        if lesson is not None:
            held[item.file] = lesson.lesson.id
            taken = (builtin or {}).get(lesson.lesson.id)
            if taken is not None and taken.resolve() != lesson_path.resolve():
                line = next((n for n, text in enumerate(lesson_path.read_text(encoding="utf-8").splitlines(), 1)
                             if text.startswith("id:")), 1)
                problems.append(Problem(str(lesson_path), line, 5, f"id: {lesson.lesson.id!r} is the id of a built-in "
                                        f"lesson ({taken.name}); give this lesson an id of its own"))
    problems += check_lessons(loaded, known, held)
    own = sorted((p for p in problems if p.path == str(path)), key=lambda p: (p.line, p.column))
    problems = own + [p for p in problems if p.path != str(path)]
    return (None if problems else loaded), problems, files
