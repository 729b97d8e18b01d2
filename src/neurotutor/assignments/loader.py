"""The one choke point for assignment files: YAML in, a strict `Assignment` or every problem out.

It reads YAML with the lesson reader (positions for every value, no aliases, tags or duplicate
keys), checks the data against the model with the same walker (every mismatch, each as
`path:line:col: field: what is wrong`), refuses control and bidirectional characters as the lesson
loader does, then checks what the model cannot: the length of free text, a line break in what is
shown on one line, a lesson named twice, a bundled file that is not a plain lesson file name beside
the assignment, an exam goal on a lesson that is not assigned, a therapist's key that is not an age
public key, a practice goal set twice for one worksheet (or a check-in twice for one measure), a
file given for the breathing space. A date written another way (14/12/2026) is named with the year-month-day it stands
for, or both when it could be either. A file with none of an assignment's fields is one problem
that quotes nothing of it, and at most three unknown fields are named. `validate_assignment` then
reads each bundled lesson (a regular file, never through a link, each folder on the way opened
relative to the one above it, at most 1 MiB) and checks what the client's catalogue would refuse:
an id or a question id already taken, a prerequisite it does not know; a lesson id the tutor does
not know is named (with the closest one) even when the file has other problems. Practice goals are
checked the same way: a worksheet is a built-in one, `breathe` (the breathing space), or a worksheet
file bundled with `file:` (read like a bundled lesson, checked as a worksheet, holding the worksheet
named, with an id of its own); an unknown worksheet id is named with the closest one.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import msgspec

from neurotutor.assignments import model as am
from neurotutor.errors import Problem
from neurotutor.text import describe_char, excerpt, first_unsafe, safe_text

if TYPE_CHECKING:
    from neurotutor.lessons.catalogue import CatalogueEntry
    from neurotutor.lessons.model import Lesson
    from neurotutor.worksheets.model import Worksheet

KIND = "assignment"
SNIFF_BYTES = 64 * 1024  # how much of a file is read to see whether it is an assignment
MAX_BYTES = 1024 * 1024  # an assignment or a bundled lesson file, like any lesson file
LESSON_SUFFIXES = (".yaml", ".yml")  # what the catalogue reads
MAX_PRACTICE = 20  # practice goals in one assignment (each names a worksheet once)
# A file with none of these is not an assignment at all, and is reported as one problem that quotes nothing.
FIELDS = ("client", "format", "goals", "id", "kind", "lessons", "note", "therapist", "title")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NOT_AN_ASSIGNMENT = f"is not an assignment file (it has none of an assignment's fields: {', '.join(FIELDS)})"
_SAYS_ASSIGNMENT = re.compile(r"^kind:\s*[\"']?assignment[\"']?\s*(#.*)?$", re.M)
_NOT_IN_NAMES = '\\:*?"<>|'  # characters some systems cannot put in a file name
# Dates written another way than year-month-day: day and month (either way round) then the year,
# or the year first with slashes, dots or a one-digit month or day; the same / . or - between parts.
_YEAR_LAST = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
_YEAR_FIRST = re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})")


@dataclass(frozen=True)
class LoadedAssignment:
    """A valid assignment, where it was read from, and the text that was checked."""

    assignment: am.Assignment
    path: Path
    text: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class BundledLesson:
    """A lesson file that came with an assignment, exactly as it was checked: these bytes are
    what is kept or packed, never a second read of the file."""

    relative: str  # as the assignment names it (`file:`)
    path: Path  # where it was read
    data: bytes
    lesson: Lesson | None  # None when it is not a valid lesson


@dataclass(frozen=True)
class BundledWorksheet:
    """A worksheet file that came with an assignment (a practice goal's `file:`), exactly as it was
    checked: these bytes are what is kept or packed."""

    relative: str  # as the assignment names it (`file:`)
    path: Path  # where it was read
    data: bytes
    worksheet: Worksheet | None  # None when it is not a valid worksheet


@dataclass(frozen=True)
class Checked:
    """An assignment checked with everything it bundles: the assignment (None if anything is
    wrong), every problem, and the lesson and worksheet files that came with it, as read."""

    loaded: LoadedAssignment | None
    problems: list[Problem]
    lessons: list[BundledLesson]
    worksheets: list[BundledWorksheet]

    @property
    def files(self) -> list[tuple[str, bytes]]:
        """Every bundled file, as the assignment names it, with the bytes that were checked."""
        return [(b.relative, b.data) for b in self.lessons] + [(b.relative, b.data) for b in self.worksheets]


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


def date_readings(text: str) -> tuple[date, ...] | None:
    """The real dates a date written another way than year-month-day can stand for: one for
    14/12/2026 (only the day can be over 12), 12/14/2026 or 2026/12/14; two for 12/11/2026 (day
    first, then month first); none for 31/02/2026. None when the text is not a date so written."""
    text = text.strip()
    if (found := _YEAR_FIRST.fullmatch(text)) is not None:
        orders = [(int(found[1]), int(found[3]), int(found[4]))]
    elif (found := _YEAR_LAST.fullmatch(text)) is not None:
        first, second, year = int(found[1]), int(found[3]), int(found[4])
        orders = [(year, second, first), (year, first, second)]  # day first, then month first
    else:
        return None
    readings: list[date] = []
    for year, month, day in orders:
        try:
            reading = date(year, month, day)
        except ValueError:
            continue
        if reading not in readings:
            readings.append(reading)
    return tuple(readings)


def _day_and_month(day: date) -> str:
    """A date as "12 November"."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def two_readings(text: str, readings: Sequence[date]) -> str:
    """What to say of a date that could be either of two: which to write."""
    first, second = readings[0], readings[1]
    return (f"{text} could be {_day_and_month(first)} or {_day_and_month(second)}: write it as {first.isoformat()} or "
            f"{second.isoformat()} (year-month-day)")


def _written_date_problem(value: Any) -> str | None:
    """A date in a file that YAML read as text, in words with the year-month-day to write, or None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return None
        return f"{text} is in quotes, so it is read as text, not a date: write it without the quotes"
    readings = date_readings(text)
    if readings is None:
        return None
    if not readings:
        return f"{text} is not a real date (dates are written year-month-day, like 2026-12-01)"
    if len(readings) > 1:
        return two_readings(text, readings)
    return f"{text} is not written year-month-day: write it as {readings[0].isoformat()}"


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def parse_assignment(text: str, where: str, path: Path | None = None,
                     keep: bool = False) -> tuple[LoadedAssignment | None, list[Problem]]:
    """Check assignment text fully: the assignment (None if invalid) and every problem. With
    `keep`, an assignment whose fields are valid is returned even with problems of meaning, so
    the caller can check its lessons too and report everything at once."""
    from neurotutor.jsonpos import format_path
    from neurotutor.lessons.checks import has_field
    from neurotutor.lessons.schema import check_file, type_info
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    problems = [Problem(where, line, col, _date_words(msg)) for (line, col), msg in doc.problems]
    if not has_field(doc.data, FIELDS):  # something else altogether: none of it is quoted
        if doc.complete and not (doc.data is None and problems):
            return None, [Problem(where, 0, 0, NOT_AN_ASSIGNMENT)]
        return None, problems[-1:]  # what stopped the reading (a syntax error, say)
    if not doc.complete or (doc.data is None and problems):
        return None, problems
    already = {mark for mark, _ in doc.problems}

    def report(p: tuple[Any, ...], message: str, at_key: bool) -> None:
        line, col = doc.key_mark(p) if at_key else doc.mark(p)
        if (line, col) in already:
            return
        if not at_key and message.startswith("expected a date"):
            message = _written_date_problem(_value_at(doc.data, p)) or message
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
        check_file(data, type_info(am.Assignment), report,
                   lambda p, at_key: (doc.key_mark(p) if at_key else doc.mark(p)) in already)
        if not problems:
            report((), "is not a valid assignment", False)
    # The same rule as for lessons: nothing shown to the client or the therapist may drive a
    # terminal or reorder text. libyaml refuses raw controls, so only an escape or a raw bidi
    # character can bring one in.
    if "\\" in text or first_unsafe(text) >= 0:
        from neurotutor.lessons.checks import check_characters

        check_characters(data, (), report)
    _check_lengths(data, report)
    _check_one_line(data, report)
    _check_key(data, report)
    if assignment is not None:
        _check_meaning(assignment, report)
    if assignment is None or (problems and not keep):
        return None, problems
    return LoadedAssignment(assignment, path or Path(where), text), problems


def _check_lengths(data: Any, report: Any) -> None:
    """Free text within the documented limits (a note is kept in every save of the progress file)."""
    if not isinstance(data, dict):
        return

    def limit(p: tuple[Any, ...], value: Any, most: int) -> None:
        if isinstance(value, str) and len(value) > most:
            report(p, f"is too long ({len(value)} characters, at most {most})", False)

    limit(("title",), data.get("title"), am.MAX_TITLE)
    therapist = data.get("therapist")
    if isinstance(therapist, dict):
        limit(("therapist", "name"), therapist.get("name"), am.MAX_THERAPIST_NAME)
        limit(("therapist", "contact"), therapist.get("contact"), am.MAX_CONTACT)
    limit(("note",), data.get("note"), am.MAX_NOTE)
    lessons = data.get("lessons")
    if isinstance(lessons, list):
        if len(lessons) > am.MAX_LESSONS:
            report(("lessons",), f"has {len(lessons)} lessons; an assignment has at most {am.MAX_LESSONS}", False)
        for index, item in enumerate(lessons[:am.MAX_LESSONS]):
            if isinstance(item, dict):
                limit(("lessons", index, "file"), item.get("file"), am.MAX_FILE)
    goals = data.get("goals")
    exam = goals.get("exam") if isinstance(goals, dict) else None
    if isinstance(exam, dict) and isinstance(exam.get("lessons"), list) and len(exam["lessons"]) > am.MAX_LESSONS:
        report(("goals", "exam", "lessons"), f"has {len(exam['lessons'])} lessons; an exam has at most "
               f"{am.MAX_LESSONS}", False)
    practice = goals.get("practice") if isinstance(goals, dict) else None
    if isinstance(practice, list):
        if len(practice) > MAX_PRACTICE:
            report(("goals", "practice"), f"has {len(practice)} goals; an assignment sets at most {MAX_PRACTICE}", False)
        for index, item in enumerate(practice[:MAX_PRACTICE]):
            if isinstance(item, dict):
                limit(("goals", "practice", index, "file"), item.get("file"), am.MAX_FILE)


def _check_one_line(data: Any, report: Any) -> None:
    """What is shown on one line (the title, the names, the contact) holds no line break or tab:
    one could add lines that look like the tutor's own. The note may have several lines."""
    from neurotutor.lessons.checks import one_line_problem

    if not isinstance(data, dict):
        return
    therapist = data.get("therapist")
    if not isinstance(therapist, dict):
        therapist = {}
    for path, value in [(("title",), data.get("title")), (("therapist", "name"), therapist.get("name")),
                        (("therapist", "contact"), therapist.get("contact")), (("client",), data.get("client"))]:
        wrong = one_line_problem(value)
        if wrong:
            report(path, wrong, False)


def _check_key(data: Any, report: Any) -> None:
    """The therapist's key, when there is one, is an age public key: reports are sealed to it."""
    therapist = data.get("therapist") if isinstance(data, dict) else None
    key = therapist.get("key") if isinstance(therapist, dict) else None
    if isinstance(key, str) and first_unsafe(key) < 0:  # (an unsafe character is said already)
        from neurotutor.seal import recipient_problem

        wrong = recipient_problem(key)
        if wrong:
            report(("therapist", "key"), wrong, False)


def file_name_problem(name: str, what: str = "lesson") -> str | None:
    """Why a bundled file's path (as an assignment gives it) is not a plain lesson (or worksheet,
    as `what` says) file name inside the assignment's folder, or None."""
    parts = PurePosixPath(name.replace("\\", "/"))
    if parts.is_absolute() or ".." in parts.parts or ":" in name or not parts.parts:
        return f"must be a file beside the assignment (a name like 'my-{what}.yaml', or a path inside its folder)"
    if first_unsafe(name) >= 0:
        return None  # the character check has said what is wrong
    for part in PurePosixPath(name).parts:
        odd = next((ch for ch in part if ch in _NOT_IN_NAMES or unicodedata.category(ch)[0] == "C"
                    or (unicodedata.category(ch)[0] == "Z" and ch != " ")), None)
        if odd is not None:
            return (f"{excerpt(name)} is not a plain file name ({describe_char(odd)} in it); use letters, digits, "
                    "spaces, dots, dashes and underscores, with '/' between folders")
        if part != part.strip():
            return f"{excerpt(name)} is not a plain file name (a name may not start or end with a space)"
        if part.startswith("."):
            return (f"{excerpt(name)} names a hidden file or folder (its name starts with '.'), which the tutor "
                    "does not read; rename it")
    if not name.lower().endswith(LESSON_SUFFIXES):
        return f"{excerpt(name)} is not a {what} file name: a {what} file's name ends in .yaml or .yml"
    return None


def _check_meaning(assignment: am.Assignment, report: Any) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(assignment.lessons):
        if item.lesson in seen:
            report(("lessons", index, "lesson"), f"{item.lesson!r} is already assigned (lessons[{seen[item.lesson] + 1}])",
                   False)
        seen.setdefault(item.lesson, index)
        if item.file is not None and len(item.file) <= am.MAX_FILE:
            wrong = file_name_problem(item.file)
            if wrong:
                report(("lessons", index, "file"), wrong, False)
    exam = assignment.goals.exam
    if exam is not None:
        for index, lesson_id in enumerate(exam.lessons[:am.MAX_LESSONS]):
            if lesson_id not in seen:
                report(("goals", "exam", "lessons", index), f"{lesson_id!r} is not one of the assigned lessons", False)
    _check_practice_meaning(assignment.goals, report)


def _check_practice_meaning(goals: am.Goals, report: Any) -> None:
    """Each worksheet set once, each measure once; a file only for a worksheet, named plainly."""
    set_for: dict[str, int] = {}
    for index, goal in enumerate(goals.practice[:MAX_PRACTICE]):
        if goal.worksheet in set_for:
            report(("goals", "practice", index, "worksheet"), f"{goal.worksheet!r} is already set "
                   f"(goals.practice[{set_for[goal.worksheet] + 1}]); give each worksheet one goal", False)
        set_for.setdefault(goal.worksheet, index)
        if goal.file is None or len(goal.file) > am.MAX_FILE:
            continue
        if goal.worksheet == am.BREATHE:
            report(("goals", "practice", index, "file"), "the breathing space (breathe) is built in: it has no "
                   "file; leave `file:` out", False)
            continue
        wrong = file_name_problem(goal.file, "worksheet")
        if wrong:
            report(("goals", "practice", index, "file"), wrong, False)
    measured: dict[str, int] = {}
    for index, checkin in enumerate(goals.checkins):
        if checkin.measure in measured:
            report(("goals", "checkins", index, "measure"), f"{checkin.measure!r} is already set "
                   f"(goals.checkins[{measured[checkin.measure] + 1}]); give each measure one check-in goal", False)
        measured.setdefault(checkin.measure, index)


def no_such_lesson(index: int, lesson_id: str, known: Iterable[str]) -> str:
    """The problem of the lesson at `index` (from 0) that the tutor does not know, with the
    closest lesson id it knows."""
    import difflib

    near = difflib.get_close_matches(lesson_id, sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return (f"lessons[{index + 1}].lesson: there is no lesson {excerpt(lesson_id)}{hint}; name a built-in lesson "
            "(see 'neurotutor lessons') or bundle its file with `file:`")


def unknown_lessons(text: str, where: str, known: Iterable[str], said: Sequence[Problem] = ()) -> list[Problem]:
    """The lesson ids of an assignment the tutor does not know (not bundled with `file:`), read
    from its text as it is: for a file with other problems, which the model does not load. A
    place where a problem is said already (`said`) is not named again."""
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    lessons = doc.data.get("lessons") if doc.complete and isinstance(doc.data, dict) else None
    if not isinstance(lessons, list):
        return []
    known = set(known)
    taken = {(p.line, p.column) for p in said if p.path == where}
    problems = []
    for index, item in enumerate(lessons[:am.MAX_LESSONS]):
        if not isinstance(item, dict) or "file" in item:
            continue
        lesson_id = item.get("lesson")
        if not isinstance(lesson_id, str) or lesson_id in known or first_unsafe(lesson_id) >= 0:
            continue
        line, col = doc.mark(("lessons", index, "lesson"))
        if (line, col) not in taken:
            problems.append(Problem(where, line, col, no_such_lesson(index, lesson_id, known)))
    return problems


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
            message = no_such_lesson(index, item.lesson, known)
        if message:
            if doc is None:
                doc = read_yaml(loaded.text)
            line, col = doc.mark(("lessons", index, "file" if item.file else "lesson"))
            problems.append(Problem(str(loaded.path), line, col, message))
    return problems


def builtin_worksheets() -> dict[str, Path]:
    """The built-in worksheets the tutor has: id -> file."""
    from neurotutor import paths
    from neurotutor.worksheets.catalogue import load_worksheets

    return {w.worksheet.id: w.path for w in load_worksheets(paths.builtin_worksheets_dir()).worksheets if w.builtin}


def no_such_worksheet(index: int, worksheet_id: str, known: Iterable[str]) -> str:
    """The problem of the practice goal at `index` (from 0) whose worksheet the tutor does not
    know, with the closest worksheet id it knows."""
    import difflib

    near = difflib.get_close_matches(worksheet_id, sorted({*known, am.BREATHE}), n=1, cutoff=0.6)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return (f"goals.practice[{index + 1}].worksheet: there is no worksheet {excerpt(worksheet_id)}{hint}; name a "
            "built-in worksheet (see 'neurotutor practice'), breathe for the breathing space, or bundle its file "
            "with `file:`")


def _sets_practice(data: Any) -> list[Any]:
    """The practice goals of an assignment's data as read (none when it has no such list)."""
    goals = data.get("goals") if isinstance(data, dict) else None
    practice = goals.get("practice") if isinstance(goals, dict) else None
    return practice[:MAX_PRACTICE] if isinstance(practice, list) else []


def unknown_worksheets(text: str, where: str, known: Callable[[], Iterable[str]],
                       said: Sequence[Problem] = ()) -> list[Problem]:
    """The worksheets of practice goals the tutor does not know (not bundled with `file:`, not
    `breathe`), read from an assignment's text as it is, like `unknown_lessons`. `known` is read
    only when a goal names a worksheet."""
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    practice = _sets_practice(doc.data) if doc.complete else []
    named = [(index, item["worksheet"]) for index, item in enumerate(practice)
             if isinstance(item, dict) and "file" not in item and isinstance(item.get("worksheet"), str)
             and item["worksheet"] != am.BREATHE and first_unsafe(item["worksheet"]) < 0]
    if not named:
        return []
    ids = set(known())
    taken = {(p.line, p.column) for p in said if p.path == where}
    problems = []
    for index, worksheet_id in named:
        line, col = doc.mark(("goals", "practice", index, "worksheet"))
        if worksheet_id not in ids and (line, col) not in taken:
            problems.append(Problem(where, line, col, no_such_worksheet(index, worksheet_id, ids)))
    return problems


def check_practice(loaded: LoadedAssignment, known: Iterable[str], bundled: Mapping[str, str]) -> list[Problem]:
    """Problems with the worksheets an assignment's practice goals name: one neither built in
    (`known`), nor `breathe`, nor bundled; or a bundled file that holds another worksheet
    (`bundled`: file -> the id it holds)."""
    from neurotutor.lessons.yaml_source import read_yaml

    known = set(known)
    problems: list[Problem] = []
    doc = None
    for index, goal in enumerate(loaded.assignment.goals.practice[:MAX_PRACTICE]):
        message = None
        if goal.worksheet == am.BREATHE:
            continue
        if goal.file is not None:
            held = bundled.get(goal.file)
            if held is not None and held != goal.worksheet:
                message = (f"goals.practice[{index + 1}].file: {goal.file} holds the worksheet {held!r}, not "
                           f"{goal.worksheet!r}")
        elif goal.worksheet not in known:
            message = no_such_worksheet(index, goal.worksheet, known)
        if message:
            if doc is None:
                doc = read_yaml(loaded.text)
            line, col = doc.mark(("goals", "practice", index, "file" if goal.file else "worksheet"))
            problems.append(Problem(str(loaded.path), line, col, message))
    return problems


def load_assignment_file(path: Path, keep: bool = False, data: bytes | None = None
                         ) -> tuple[LoadedAssignment | None, list[Problem]]:
    """Read and check one assignment file (UTF-8, at most 1 MiB, a regular file, like a lesson
    file), or check `data`, its bytes as read already."""
    text, problems = _read_text(path, data)
    if text is None:
        return None, problems
    return parse_assignment(text, str(path), path, keep)


def _read_text(path: Path, data: bytes | None) -> tuple[str | None, list[Problem]]:
    """An assignment file's text (read from `path` unless its bytes are given), or the problems."""
    from neurotutor.lessons.loader import decode_text, read_bytes

    problems: list[Problem] = []
    if data is None:
        data, problems = read_bytes(path)
    return (None, problems) if data is None else decode_text(data, str(path))


def says_assignment(head: bytes) -> bool:
    """Whether the start of a file says `kind: assignment` at the top level: the quick look that
    decides, before full checking, whether a file is checked as an assignment or as a lesson."""
    return _SAYS_ASSIGNMENT.search(head[:SNIFF_BYTES].decode("utf-8", "replace")) is not None


_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
# Folders are opened one by one, each relative to the one above it, so that no link is followed
# on the way, even one swapped in while the files are read (where the system allows it).
AT = os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and os.scandir in os.supports_fd


def _read_bundled(folder: Path, name: str) -> tuple[Path, bytes | None, Problem | None]:
    """A bundled file's bytes, read the way a zip archive's are checked: no link anywhere below
    the assignment's folder, a regular file, at most 1 MiB. (path, bytes, None) when read,
    (path, None, problem) when refused, (path, None, None) when there is no such file."""
    from neurotutor.lessons.loader import CHANGED, FOLDER, IS_A_LINK, LINK, REPLACED, open_folder, read_regular

    here = folder
    parts = PurePosixPath(name).parts
    fd = None
    try:
        if AT:
            fd = os.open(folder, _DIRECTORY)  # the assignment's own folder, as the person named it
        for index, part in enumerate(parts):
            here = here / part
            try:
                seen = os.stat(part if AT else here, dir_fd=fd, follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):
                return here, None, None
            if stat.S_ISLNK(seen.st_mode):
                return here, None, Problem(str(here), 0, 0, IS_A_LINK)
            if index == len(parts) - 1:
                break
            if not stat.S_ISDIR(seen.st_mode):
                return here, None, None
            if fd is not None:
                below = open_folder(part, fd, seen)
                if isinstance(below, str):
                    return here, None, Problem(str(here), 0, 0, IS_A_LINK if below == LINK else CHANGED)
                os.close(fd)
                fd = below
        if stat.S_ISDIR(seen.st_mode):
            return here, None, Problem(str(here), 0, 0, "is a folder, not a lesson file")
        raw = read_regular(parts[-1] if AT else here, follow=False, dir_fd=fd, seen=seen)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # it became a link since it was looked at
            return here, None, Problem(str(here), 0, 0, IS_A_LINK)
        return here, None, Problem(str(here), 0, 0, f"cannot be read: {exc.strerror or exc}")
    finally:
        if fd is not None:
            os.close(fd)
    if isinstance(raw, bytes):
        return here, raw, None
    why = {LINK: IS_A_LINK, FOLDER: "is a folder, not a lesson file", REPLACED: CHANGED}.get(
        raw, "is not a regular file (a device or pipe?); it was not read")
    return here, None, Problem(str(here), 0, 0, why)


def _from_folder(files: Mapping[Path, bytes | Problem], where: Path) -> tuple[Path, bytes | None, Problem | None]:
    """A bundled file as the folder's walk read it (`archive.FolderFiles`): no second reading."""
    found = files.get(where)
    if isinstance(found, Problem):
        return where, None, found
    return where, found, None


def validate_assignment(path: Path, context: Sequence[CatalogueEntry] = (), builtin: Mapping[str, Path] | None = None,
                        data: bytes | None = None, files: Mapping[Path, bytes | Problem] | None = None,
                        ) -> tuple[LoadedAssignment | None, list[Problem], list[BundledLesson]]:
    """`check_assignment`, for those that need only the bundled lessons: the assignment (None if
    anything is wrong), every problem, and the bundled lessons as read."""
    checked = check_assignment(path, context, builtin, data, files)
    return checked.loaded, checked.problems, checked.lessons


def check_assignment(path: Path, context: Sequence[CatalogueEntry] = (), builtin: Mapping[str, Path] | None = None,
                     data: bytes | None = None, files: Mapping[Path, bytes | Problem] | None = None,
                     worksheets: Mapping[str, Path] | None = None) -> Checked:
    """Check an assignment file and the lesson and worksheet files it bundles against the lessons
    the tutor knows (`context`) and its built-in worksheets (`worksheets`: id -> file; read from
    the installation when not given, and only when a practice goal needs them). A bundled lesson
    may not take the id of a built-in lesson (`builtin`: id -> file), nor a question id another
    lesson uses, nor need a prerequisite the tutor does not know: the client's tutor would refuse
    it. A bundled worksheet must be a valid worksheet file holding the worksheet its goal names,
    with an id that is not a built-in worksheet's.

    `data` is the assignment's bytes when they were read already. `files` is what the walk of a
    folder source read (`archive.Source.files`): the assignment and its lessons are then taken
    from there, each file read once, and a file it does not hold is not there."""
    from neurotutor.lessons.catalogue import CatalogueEntry, check_across
    from neurotutor.lessons.loader import NOT_A_LESSON, decode_text, info_of, parse_lesson
    from neurotutor.lessons.yaml_source import read_yaml

    known_sheets: dict[str, Path] | None = dict(worksheets) if worksheets is not None else None

    def sheets() -> dict[str, Path]:
        nonlocal known_sheets
        if known_sheets is None:
            known_sheets = builtin_worksheets()
        return known_sheets

    if files is not None:
        found = files.get(path)
        if isinstance(found, Problem):
            return Checked(None, [found], [], [])
        data = found if found is not None else data
    text, problems = _read_text(path, data)
    if text is None:
        return Checked(None, problems, [], [])
    loaded, problems = parse_assignment(text, str(path), path, keep=True)
    if loaded is None:  # the lessons and worksheets it names are checked all the same, so that all is said at once
        if problems != [Problem(str(path), 0, 0, NOT_AN_ASSIGNMENT)]:
            problems += unknown_lessons(text, str(path), {e.info.id for e in context}, problems)
            problems += unknown_worksheets(text, str(path), sheets, problems)
        return Checked(None, _in_order(problems, path), [], [])
    doc = None
    held: dict[str, str] = {}
    bundled: list[BundledLesson] = []
    entries: list[CatalogueEntry] = []
    for index, item in enumerate(loaded.assignment.lessons):
        if item.file is None or len(item.file) > am.MAX_FILE or file_name_problem(item.file) or first_unsafe(item.file) >= 0:
            continue  # nothing to read, or the name is refused already
        lesson_path, raw, refused = (_read_bundled(path.parent, item.file) if files is None
                                     else _from_folder(files, path.parent.joinpath(*PurePosixPath(item.file).parts)))
        if refused is not None:
            problems.append(refused)
            continue
        if raw is None:
            doc = doc or read_yaml(loaded.text)
            line, col = doc.mark(("lessons", index, "file"))
            problems.append(Problem(str(path), line, col, f"lessons[{index + 1}].file: there is no file {item.file} "
                                    f"beside the assignment ({path.parent / item.file})"))
            continue
        text, wrong = decode_text(raw, str(lesson_path))
        if text is None:
            problems += wrong
            bundled.append(BundledLesson(item.file, lesson_path, raw, None))
            continue
        lesson, lesson_problems, _ = parse_lesson(text, str(lesson_path), False, lesson_path)
        if lesson_problems == [Problem(str(lesson_path), 0, 0, NOT_A_LESSON)]:
            lesson_problems = [Problem(str(lesson_path), 0, 0, f"{NOT_A_LESSON}; check which file "
                                       f"lessons[{index + 1}].file names")]
        problems += lesson_problems
        bundled.append(BundledLesson(item.file, lesson_path, raw, lesson.lesson if lesson else None))
        if lesson is None:
            continue
        held[item.file] = lesson.lesson.id
        taken = (builtin or {}).get(lesson.lesson.id)
        if taken is not None and taken.resolve() != lesson_path.resolve():
            line, col = lesson.positions.get("id", (1, 1))
            problems.append(Problem(str(lesson_path), line, col, f"id: {lesson.lesson.id!r} is the id of a built-in "
                                    f"lesson ({taken.name}); give this lesson an id of its own"))
        else:
            entries.append(CatalogueEntry(info_of(lesson.lesson), lesson_path, False, lesson.positions))
    if entries:  # what the catalogue would refuse: a question id taken, an unknown prerequisite
        ids = {e.info.id for e in entries}
        mine = {e.path.resolve() for e in entries}
        others = [e for e in context if e.info.id not in ids and e.path.resolve() not in mine]
        _, cross = check_across(others + entries)
        shown = {str(e.path) for e in entries}
        problems += [p for p in cross if p.path in shown]
    problems += check_lessons(loaded, {e.info.id for e in context}, held)
    sheet_problems, bundled_sheets = _bundled_worksheets(loaded, path, files, sheets)
    problems = _in_order(problems + sheet_problems, path)
    return Checked(None if problems else loaded, problems, bundled, bundled_sheets)


def _bundled_worksheets(loaded: LoadedAssignment, path: Path, files: Mapping[Path, bytes | Problem] | None,
                        known: Callable[[], Mapping[str, Path]]) -> tuple[list[Problem], list[BundledWorksheet]]:
    """Read and check each worksheet file the practice goals bundle (as bundled lessons are
    read), then what the goals name: the problems, and the worksheets as read."""
    from neurotutor.lessons.loader import decode_text
    from neurotutor.lessons.yaml_source import read_yaml
    from neurotutor.worksheets.loader import NOT_A_WORKSHEET, parse_worksheet

    goals = loaded.assignment.goals.practice[:MAX_PRACTICE]
    if not goals:
        return [], []
    problems: list[Problem] = []
    bundled: list[BundledWorksheet] = []
    held: dict[str, str] = {}
    doc = None
    for index, goal in enumerate(goals):
        name = goal.file
        if (name is None or goal.worksheet == am.BREATHE or len(name) > am.MAX_FILE
                or file_name_problem(name, "worksheet") or first_unsafe(name) >= 0):
            continue  # nothing to read, or the name is refused already
        sheet_path, raw, refused = (_read_bundled(path.parent, name) if files is None
                                    else _from_folder(files, path.parent.joinpath(*PurePosixPath(name).parts)))
        if refused is not None:
            problems.append(Problem(refused.path, refused.line, refused.column,
                                    refused.message.replace("not a lesson file", "not a worksheet file")))
            continue
        if raw is None:
            doc = doc or read_yaml(loaded.text)
            line, col = doc.mark(("goals", "practice", index, "file"))
            problems.append(Problem(str(path), line, col, f"goals.practice[{index + 1}].file: there is no file {name} "
                                    f"beside the assignment ({path.parent / name})"))
            continue
        text, wrong = decode_text(raw, str(sheet_path))
        if text is None:
            problems += [Problem(p.path, p.line, p.column, p.message.replace("a lesson file", "a worksheet file"))
                         for p in wrong]
            bundled.append(BundledWorksheet(name, sheet_path, raw, None))
            continue
        sheet, sheet_problems = parse_worksheet(text, str(sheet_path), sheet_path)
        if sheet_problems == [Problem(str(sheet_path), 0, 0, NOT_A_WORKSHEET)]:
            sheet_problems = [Problem(str(sheet_path), 0, 0, f"{NOT_A_WORKSHEET}; check which file "
                                      f"goals.practice[{index + 1}].file names")]
        problems += sheet_problems
        bundled.append(BundledWorksheet(name, sheet_path, raw, sheet.worksheet if sheet else None))
        if sheet is None:
            continue
        held[name] = sheet.worksheet.id
        taken = known().get(sheet.worksheet.id)
        if taken is not None and taken.resolve() != sheet_path.resolve():
            line, col = sheet.positions.get("id", (1, 1))
            # worded as `neurotutor validate` words it for any worksheet file, so that it is said once
            problems.append(Problem(str(sheet_path), line, col, f"id: worksheet id {excerpt(sheet.worksheet.id)} is "
                                    f"already used by {taken}"))
    needs_known = any(g.file is None and g.worksheet != am.BREATHE for g in goals)
    problems += check_practice(loaded, known() if needs_known else (), held)
    return problems, bundled


def _in_order(problems: list[Problem], path: Path) -> list[Problem]:
    """The assignment's own problems in the order of its lines, then those of its lesson files."""
    own = sorted((p for p in problems if p.path == str(path)), key=lambda p: (p.line, p.column))
    return own + [p for p in problems if p.path != str(path)]
