"""The therapist's caseload: report files from several clients, read strictly, summed up.

Each report file goes through one choke point, `load_report`: it must be a neurotutor report of a
version this tutor reads. Every field is checked against a strict model (unknown fields, wrong
types, missing fields, numbers out of range), and every problem is given as
`FILE:LINE:COLUMN: field: what is wrong`. The report's digest must match its content, so a report
changed after it was written is refused too. A file with any problem is refused whole, never
half-read. A report comes from someone else's computer, so nothing in it is trusted: only a regular
file of at most 16 MiB is read, JSON nested too deeply, a field given twice, a control or
bidirectional character in any string, a line break or a tab, an invisible format character (Unicode
Cf) or a space at either end in a field shown on one line, a question in two lessons, a
date or time that does not exist, anything given twice that would be counted twice, and a number
or a string out of its range are each a problem that names the file and the field, never a crash
(docs/report-format.md lists the limits). A report dated after the caseload's own clock is set
aside, never preferred to a genuine one.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from neurotutor.errors import Problem
from neurotutor.reports.build import FORMAT, VERSION
from neurotutor.text import first_hiding

# Limits of what a report may hold. A report neurotutor writes stays far inside them; a file beyond
# them is not one, and is refused before it can fill the memory or the screen (docs/report-format.md).
MAX_BYTES = 16 * 1024 * 1024  # the most read of a report file
MAX_COUNT = 1_000_000  # answers, days, questions... in one report
MAX_PROBLEMS = 20  # problems told of one file (the rest are summed up)
_BOM = b"\xef\xbb\xbf"

Count = Annotated[int, Meta(ge=0, le=MAX_COUNT)]
Share = Annotated[float, Meta(ge=0, le=1)]
Minutes = Annotated[float, Meta(ge=0, le=MAX_COUNT)]  # a float too big for this is refused, never inf
Text = Annotated[str, Meta(max_length=10_000)]  # a title, a question, an answer, a line of the report
Line = Annotated[str, Meta(max_length=100_000)]  # a summary line (it may name every lesson)
Id = Annotated[str, Meta(min_length=1, max_length=200)]
Word = Annotated[str, Meta(max_length=200)]  # a label, a verdict, a version
_DIGEST = r"^sha256:[0-9a-f]{64}\Z"
_PATTERN_WORDS = {_DIGEST: "Expected sha256: and 64 hex digits"}
# Times and dates are parsed for real (a 30 February, a month 13, an offset of +99:99 are refused),
# and a time must give its offset from UTC.
Time = Annotated[datetime, Meta(tz=True)]
Day = date
_TIME_WORDS = "Expected a time that exists, with its offset from UTC, like 2026-11-23T10:00:20Z"
_DAY_WORDS = "Expected a date that exists, like 2026-11-23"
FUTURE_SKEW = timedelta(days=1)  # how far ahead of the caseload's clock a report's date may be


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RAssignment(_Strict, frozen=True):
    id: Id
    title: Text
    therapist: Text
    client: Id
    added_at: Time


class RMisconception(_Strict, frozen=True):
    label: Word
    times: Annotated[int, Meta(ge=1, le=MAX_COUNT)]
    question_id: Id
    question: Text
    lesson_teaches: Text
    answers: Annotated[list[Text], Meta(max_length=100)] | None = None


class RQuestion(_Strict, frozen=True):
    id: Id
    question: Text
    answers: Count
    right: Count
    first_right: bool | None
    dont_know: Count
    first_dont_know: bool


class RLesson(_Strict, frozen=True):
    id: Id
    title: Text
    due: Day
    status: Literal["new", "in_progress", "done"]
    overdue: bool
    finished_at: Time | None
    last_studied_at: Time | None
    pass_scores: Annotated[list[Share], Meta(max_length=10_000)]
    minutes: Minutes
    review_answers: Count
    review_days: Count
    misconceptions: Annotated[list[RMisconception], Meta(max_length=10_000)]
    questions: Annotated[list[RQuestion], Meta(max_length=10_000)]


class RReview(_Strict, frozen=True):
    minutes: Minutes
    days: Count
    goal_minutes_per_day: Annotated[int, Meta(ge=0, le=24 * 60)] | None
    days_since_added: Count


class RExam(_Strict, frozen=True):
    id: Id
    finished_at: Time | None
    status: Word
    questions: Count
    right: Count | None
    score: Share | None
    seconds_used: Annotated[float, Meta(ge=0, le=60 * MAX_COUNT)]


class RLevel(_Strict, frozen=True):
    level: Literal[1, 2, 3]
    answers: Count
    right: Count


class RConfidence(_Strict, frozen=True):
    rated: Count
    marks: Annotated[int, Meta(ge=-3 * MAX_COUNT, le=3 * MAX_COUNT)]
    verdict: Word | None
    levels: Annotated[list[RLevel], Meta(max_length=3)]


class ReportFile(_Strict, frozen=True):
    format: Word
    version: int
    tutor_version: Word
    generated_at: Time
    assignment: RAssignment
    contains: Annotated[list[Text], Meta(max_length=100)]
    leaves_out: Annotated[list[Text], Meta(max_length=100)]
    answers_verbatim: bool
    summary: Annotated[list[Line], Meta(max_length=100)]
    lessons: Annotated[list[RLesson], Meta(max_length=1_000)]
    review: RReview
    exams: Annotated[list[RExam], Meta(max_length=10_000)]
    exam_goal_percent: Annotated[int, Meta(ge=0, le=100)] | None
    confidence: RConfidence | None
    digest: Annotated[str, Meta(pattern=_DIGEST)]


class _Head(msgspec.Struct):
    format: str | None = None
    version: int | None = None


class _Twice(dict[str, Any]):
    """A JSON object in which a field was given more than once (the names are in `twice`)."""

    twice: list[str]


def _objects(twice: list[_Twice]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A json object hook that keeps, in `twice`, each object in which a field was given twice."""

    def make(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found = dict(pairs)
        if len(found) == len(pairs):
            return found
        out = _Twice(found)
        seen: set[str] = set()
        out.twice = []
        for k, _ in pairs:
            if k in seen:
                out.twice.append(k)
            seen.add(k)
        twice.append(out)
        return out

    return make


# What could stand for a control or bidirectional character, or a line break or a tab, in a JSON
# text: the character itself, or any escape (msgspec writes none but of those). Only a document
# where this, a string that starts or ends with a space (_EDGE) or an invisible format character
# (_has_format) is found is walked field by field (to say where).
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|\\[bfnrtu]")
# A JSON string that starts or ends with a space: a string opens after [ { : or , and closes before
# ] } : or , (with JSON whitespace between).
_EDGE = re.compile(r'[\[{:,]\s*"\s|\s"\s*[:,\]}]')
# A line break or a tab in a field shown on one line (a name, a title, an id) would let a report
# add rows or columns to the caseload's text view. Only these fields may hold several lines.
_MULTILINE = frozenset({"question", "lesson_teaches", "answers"})
_BREAKS = {"\n": "a line break (U+000A)", "\t": "a tab (U+0009)", "\u2028": "a line separator (U+2028)",
           "\u2029": "a paragraph separator (U+2029)"}
_BREAK = re.compile("[\n\t\u2028\u2029]")


def who(client: str) -> str:
    """A client's label as the caseload tells clients apart: in its compatibility form (NFKC: a
    full-width \uff33 is an S), without invisible format characters (even those a script needs),
    each run of spaces one space. Two labels that look the same are one client."""
    shown = "".join(ch for ch in unicodedata.normalize("NFKC", client) if unicodedata.category(ch) != "Cf")
    return " ".join(shown.split())


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_bounded(path: Path, most: int = MAX_BYTES) -> tuple[bytes | None, str]:
    """The bytes of a regular file of at most `most` bytes, or None and why not, in words.

    A FIFO, a device (/dev/zero), a folder or a socket is refused without being read, so a wrong
    name can neither hang the command nor fill the memory; so is a file larger than `most`."""

    def not_a_file(mode: int) -> str:
        kind = ("a folder" if stat.S_ISDIR(mode) else "a pipe (FIFO)" if stat.S_ISFIFO(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "not a regular file")
        return f"is {kind}, not a report file: give the .json file a client sent"

    try:
        mode = os.stat(path).st_mode  # a device is not even opened
        if not stat.S_ISREG(mode):
            return None, not_a_file(mode)
        # non-blocking: had a pipe taken the file's place since, opening it must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return None, not_a_file(mode)
        chunks, size = [], 0
        while size <= most:  # read until the end, or until it is known to be too large
            chunk = os.read(fd, min(1 << 20, most + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    finally:
        os.close(fd)
    if size > most:
        return None, f"is larger than {most // (1024 * 1024)} MiB, far more than any report: it is not one"
    return b"".join(chunks), ""


def _unsafe_char(text: str) -> str | None:
    """The first character of text that could drive a terminal or reorder text, else None."""
    from neurotutor.text import safe_text

    if safe_text(text) == text:
        return None
    return next(ch for ch in text if safe_text(ch) != ch)


def _scan(tree: Any) -> list[tuple[tuple[Any, ...], str]]:
    """What a generic JSON tree holds that no report may: (path, what) for fields given twice
    and strings with control or bidirectional characters. Walked with a stack, so no nesting can
    exhaust Python's recursion."""
    from neurotutor.text import describe_char

    found: list[tuple[tuple[Any, ...], str]] = []
    stack: list[tuple[tuple[Any, ...], Any]] = [((), tree)]
    while stack and len(found) <= MAX_PROBLEMS:
        path, value = stack.pop()
        if isinstance(value, str):
            ch = _unsafe_char(value)
            if ch is not None:
                found.append((path, f"holds {describe_char(ch)}, a character that could drive a terminal or "
                                    "disguise text: ask for a new report"))
            elif _one_line(path) and (brk := _BREAK.search(value)) is not None:
                found.append((path, f"holds {_BREAKS[brk.group()]}, and it is shown on one line (it could add lines "
                                    "to the caseload): ask for a new report"))
            elif _one_line(path) and (ch := first_hiding(value)) is not None:
                found.append((path, f"holds {describe_char(ch)}, an invisible character, and it is shown on one line "
                                    "(two different values could look the same): ask for a new report"))
            elif _one_line(path) and value != value.strip():
                end, ch = ("starts", value[0]) if value[0].isspace() else ("ends", value[-1])
                found.append((path, f"{end} with {describe_char(ch)}, and it is shown on one line (two different "
                                    "values could look the same): ask for a new report"))
        elif isinstance(value, dict):
            for name in getattr(value, "twice", ()):
                found.append((path + (name,), "is given more than once (a field may appear only once)"))
            for key, item in reversed(value.items()):
                ch = _unsafe_char(key)
                if ch is not None:
                    found.append((path, f"has a field name holding {describe_char(ch)}, a character that could "
                                        "drive a terminal or disguise text"))
                stack.append((path + (key,), item))
        elif isinstance(value, list):
            stack.extend((path + (i,), item) for i, item in reversed(list(enumerate(value))))
    return found


def _one_line(path: tuple[Any, ...]) -> bool:
    """Whether the field at path is shown on one line: every field but a question, what a lesson
    teaches and the answers in words."""
    name = next((p for p in reversed(path) if isinstance(p, str)), None)
    return name not in _MULTILINE


def _shown(value: object, most: int = 60, repr_: bool = True) -> str:
    """A value quoted in a problem, cut short and made safe: a report file may hold a very long one,
    or one with control characters."""
    from neurotutor.text import safe_text

    try:
        text = safe_text(repr(value) if repr_ else str(value))
    except ValueError:  # an integer of thousands of digits
        return "a number too long to show"
    return text if len(text) <= most else text[:most - 1] + "\u2026"


def _field(path: tuple[Any, ...]) -> str:
    """Where in a report, as people read it (lessons[2].title): field names come from the file, so
    they are cut short and made safe too."""
    from neurotutor.jsonpos import format_path

    return _shown(format_path(tuple(_shown(p, 40, repr_=False) if isinstance(p, str) else p for p in path)),
                  200, repr_=False)


def load_report(path: Path) -> tuple[ReportFile | None, list[Problem]]:
    """Read one report file: the report, or None and every problem (the file is never half-read).

    Only a regular file of at most MAX_BYTES is read; a UTF-8 byte order mark is allowed. The
    document must be JSON that is not nested too deeply, with no field given twice and no control
    or bidirectional character in any string, and then match the strict model (types, ranges,
    lengths) and its digest."""
    from neurotutor import jsonpos

    where = str(path)
    raw, why = read_bounded(path)
    if raw is None:
        return None, [Problem(where, 0, 0, why)]
    if raw.startswith(_BOM):  # some editors (Notepad) write one; it is not part of the JSON
        raw = raw[len(_BOM):]
    too_deep = [Problem(where, 1, 1, "is not a neurotutor report (its JSON is nested too deeply to read; a report "
                        "is nested 6 levels deep at most)")]
    try:
        head = msgspec.json.decode(raw, type=_Head)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        line, column = jsonpos.decode_error_position(raw, str(exc))
        return None, [Problem(where, line, column, f"is not a neurotutor report (not valid JSON: {exc})")]
    except RecursionError:
        return None, too_deep
    if head.format != FORMAT:
        return None, [Problem(where, 1, 1, f"is not a neurotutor report (its format is {_shown(head.format)})")]
    if head.version != VERSION:
        newer = isinstance(head.version, int) and head.version > VERSION
        return None, [Problem(where, 1, 1, f"is a report of version {_shown(head.version, repr_=False)}, and this "
                              f"neurotutor reads version {VERSION}" + (": upgrade neurotutor to read it" if newer else ""))]
    import json  # for the object hook: msgspec keeps the last of a field given twice, silently

    try:
        text = raw.decode("utf-8")
        twice: list[_Twice] = []
        tree = json.loads(text, object_pairs_hook=_objects(twice), parse_constant=_refuse_constant)
    except RecursionError:
        return None, too_deep
    except ValueError as exc:  # not UTF-8, or not JSON (msgspec found it valid, so this is rare)
        return None, [Problem(where, 0, 0, f"is not valid JSON ({exc})")]
    found = _scan(tree) if twice or _SUSPECT.search(text) or _EDGE.search(text) or first_hiding(text) is not None else []
    if found:
        return None, _located(where, raw, found)
    try:
        report = msgspec.json.decode(raw, type=ReportFile)
    except msgspec.ValidationError as exc:
        message = str(exc)
        where_in = jsonpos.parse_error_path(message)
        line, column = jsonpos.locate(raw, {where_in}).get(where_in, (0, 0))
        reason = jsonpos.error_text(message)
        reason = next((words for pattern, words in _PATTERN_WORDS.items() if repr(pattern) in reason), reason)
        if reason.startswith(("Invalid RFC3339 encoded datetime", "Expected `datetime")):
            reason = _TIME_WORDS
        elif reason.startswith(("Invalid RFC3339 encoded date", "Expected `date")):
            reason = _DAY_WORDS
        reason = _shown(reason, 300, repr_=False)  # an unknown field's name is quoted, and may be long
        label = _field(where_in)
        return None, [Problem(where, line, column, f"{label}: {reason}" if label else reason)]
    except msgspec.DecodeError as exc:
        line, column = jsonpos.decode_error_position(raw, str(exc))
        return None, [Problem(where, line, column, f"is not valid JSON ({exc})")]
    except RecursionError:
        return None, too_deep
    from neurotutor.reports.render import digest_of

    if digest_of(tree) != report.digest:
        line, column = jsonpos.locate(raw, {("digest",)}).get(("digest",), (1, 1))
        return None, [Problem(where, line, column, "was changed after neurotutor wrote it (its content no longer "
                              "matches its digest): ask for a new report")]
    found = _nonsense(report)
    if found:
        return None, _located(where, raw, found)
    return report, []


def _located(where: str, raw: bytes, found: list[tuple[tuple[Any, ...], str]]) -> list[Problem]:
    """Problems (field path, what is wrong) of a well-formed document, each at its line and column;
    at most MAX_PROBLEMS of them, and a line saying there are more."""
    from neurotutor import jsonpos

    places = jsonpos.locate(raw, {p for p, _ in found[:MAX_PROBLEMS]})
    problems = [Problem(where, *places.get(p, (0, 0)), f"{_field(p) or 'the report'}: {what}")
                for p, what in found[:MAX_PROBLEMS]]
    if len(found) > MAX_PROBLEMS:
        problems.append(Problem(where, 0, 0, f"and more problems like these (the first {MAX_PROBLEMS} are shown)"))
    return problems


def _nonsense(r: ReportFile) -> list[tuple[tuple[Any, ...], str]]:
    """What a report holds that no report neurotutor writes can: (field path, what is wrong).

    Anything that would be counted twice (a lesson, a question of a lesson, a misconception of a
    question, an exam, a confidence level given twice: a report could then make one client count as
    many), a question in two lessons; counts that do not add up; and a time after the report was
    written (a lesson studied, or the assignment added, after its own report was written: the
    computer's clock was wrong)."""
    found: list[tuple[tuple[Any, ...], str]] = []
    twice = "is given twice in this report (it would be counted twice): ask for a new report"
    late = f"is later than the report itself (written {_when(r.generated_at)}): the clock of the computer that wrote it " \
           "was wrong; ask for a new report"
    if r.assignment.added_at > r.generated_at:
        found.append((("assignment", "added_at"), late))

    def once(items: Any, key: Callable[[Any], Any], path: Callable[[int], tuple[Any, ...]], what: Callable[[Any], str]) -> None:
        seen: set[Any] = set()
        for i, item in enumerate(items):
            k = key(item)
            if k in seen:
                found.append((path(i), f"{what(item)} {twice}"))
            seen.add(k)

    def at(*before: Any, after: tuple[Any, ...] = ()) -> Callable[[int], tuple[Any, ...]]:
        return lambda i: (*before, i, *after)

    once(r.lessons, lambda x: x.id, at("lessons", after=("id",)), lambda x: f"lesson {_shown(x.id)}")
    lesson_of: dict[str, str] = {}  # question id -> the lesson it is first found in
    for n, lesson in enumerate(r.lessons):
        once(lesson.questions, lambda q: q.id, at("lessons", n, "questions", after=("id",)),
             lambda q: f"question {_shown(q.id)}")
        for i, q in enumerate(lesson.questions):
            first = lesson_of.setdefault(q.id, lesson.id)
            if first != lesson.id:
                found.append((("lessons", n, "questions", i, "id"), f"question {_shown(q.id)} is a question of lesson "
                              f"{_shown(first)} too (a question belongs to one lesson; it would be counted twice): "
                              "ask for a new report"))
        once(lesson.misconceptions, lambda mc: (mc.label, mc.question_id), at("lessons", n, "misconceptions"),
             lambda mc: f"misconception {_shown(mc.label)} of question {_shown(mc.question_id)}")
        for i, q in enumerate(lesson.questions):
            if q.right + q.dont_know > q.answers:
                found.append((("lessons", n, "questions", i, "right"), f"does not add up: {q.right} right and "
                              f"{q.dont_know} \u201cI don't know\u201d answers, of {q.answers} answers"))
        for name in ("finished_at", "last_studied_at"):
            moment = getattr(lesson, name)
            if moment is not None and moment > r.generated_at:
                found.append((("lessons", n, name), late))
    once(r.exams, lambda e: e.id, lambda i: ("exams", i, "id"), lambda e: f"exam {_shown(e.id)}")
    for i, exam in enumerate(r.exams):
        if exam.finished_at is not None and exam.finished_at > r.generated_at:
            found.append((("exams", i, "finished_at"), late))
    if r.confidence is not None:
        once(r.confidence.levels, lambda lv: lv.level, lambda i: ("confidence", "levels", i, "level"),
             lambda lv: f"level {lv.level}")
    return found


def _answers(r: ReportFile) -> int:
    """How many answers a report counts."""
    return sum(q.answers for lesson in r.lessons for q in lesson.questions)


def _when(moment: datetime) -> str:
    """A time from a report as it was written (UTC with a Z)."""
    return moment.isoformat().replace("+00:00", "Z")


class Row(msgspec.Struct, frozen=True):
    client: str
    assignment_id: str
    assignment: str
    therapist: str
    done: int
    lessons: int
    overdue: tuple[str, ...]  # titles of the lessons not done whose due date is before the caseload's day
    best_scores: tuple[tuple[str, float], ...]  # (lesson title, best pass score)
    review_minutes: float
    review_goal_minutes: int | None  # a day
    last_activity: str | None  # the date last studied (None: not started)
    generated: str  # the date of the report
    source: str
    age_days: int = 0  # days from the report's date to the caseload's
    stale: bool = False  # older than the caseload's limit (a week by default): what it says may have changed


class Item(msgspec.Struct, frozen=True):
    """One question across clients (item analysis)."""

    lesson: str  # title
    lesson_id: str
    question_id: str
    question: str
    clients: int  # clients who answered it
    missed_first: int  # clients whose first answer was wrong (or "I don't know")
    dont_know_first: int  # of those, clients whose first answer was "I don't know"
    answers: int
    right: int


class Caseload(msgspec.Struct, frozen=True):
    rows: tuple[Row, ...]
    items: tuple[Item, ...]  # questions most often missed at the first try, most clients first
    misconceptions: tuple[tuple[str, int, int], ...]  # (label, times, clients)
    set_aside: tuple[str, ...]  # why a report was left out (an older one of the same client and assignment)


TOP = 10  # questions and misconceptions shown


STALE_DAYS = 7  # a report older than this is marked with its age


def build_caseload(reports: list[tuple[str, ReportFile]], now: datetime, today: date | None = None,
                   stale_days: int = STALE_DAYS) -> Caseload:
    """One row per client and assignment (the newest report of each); across clients, the
    questions most often missed at the first try and the misconceptions chosen most.

    A report dated more than a day after `now` is set aside with the reason (the clock of the
    computer that wrote it was wrong), so it can never take the place of a genuine one. Of two
    reports of the same time, the one with more answers is kept, then the first by file name, whatever
    the order they are given in. Clients are told apart by `who`: labels that look the same are one
    client. Across clients, each client counts once per question and misconception, from their
    newest report.

    Overdue is worked out on the caseload's own day (`today`, the reader's date; by default
    `now`'s): a lesson not done whose due date has passed, whatever the report said on the day it
    was written. A report more than `stale_days` old is marked, with its age."""
    from neurotutor.reports.build import one_line

    today = today or now.date()

    newest: dict[tuple[str, str], tuple[str, ReportFile]] = {}
    set_aside = []
    for source, r in reports:
        if r.generated_at - now > FUTURE_SKEW:
            set_aside.append(f"{source}: left out, dated in the future ({r.generated_at.date().isoformat()}); the "
                             "computer's clock that wrote it may be wrong")
            continue
        key = (who(r.assignment.client), r.assignment.id)
        before = newest.get(key)
        if before is None:
            newest[key] = (source, r)
            continue
        by_name = sorted([before, (source, r)], key=lambda sr: sr[0], reverse=True)  # of equals, the first by name last
        old, new = sorted(by_name, key=lambda sr: (sr[1].generated_at, _answers(sr[1])))
        of = f"of {one_line(r.assignment.client)} for {r.assignment.id!r}"
        if old[1].generated_at < new[1].generated_at:
            set_aside.append(f"{old[0]}: left out, an older report ({old[1].generated_at.date().isoformat()}) {of} than "
                             f"{new[0]} ({new[1].generated_at.date().isoformat()})")
        else:
            kept = "more answers" if _answers(new[1]) > _answers(old[1]) else "as many answers and comes first by name"
            set_aside.append(f"{old[0]}: left out, a report of the same time ({_when(old[1].generated_at)}) {of} as "
                             f"{new[0]}, which holds {kept}")
        newest[key] = new
    rows = []
    # per question: client -> (missed first, "I don't know" first, answers, right), from their newest report
    items: dict[tuple[str, str], dict[str, tuple[bool, bool, int, int]]] = {}
    about: dict[tuple[str, str], tuple[str, str]] = {}  # -> (lesson title, question)
    chosen: dict[tuple[str, str, str, str], int] = {}  # (client, lesson, label, question) -> times
    counted = sorted(newest.values(), key=lambda sr: (sr[1].generated_at, sr[0]))  # the newest last: it counts
    named = {who(r.assignment.client): r.assignment.client for _, r in counted}  # each client as their newest report says
    for source, r in counted:
        client = who(r.assignment.client)
        studied = [x.last_studied_at for x in r.lessons if x.last_studied_at]
        rows.append(Row(
            client=named[client], assignment_id=r.assignment.id, assignment=r.assignment.title,
            therapist=r.assignment.therapist, done=sum(x.status == "done" for x in r.lessons), lessons=len(r.lessons),
            overdue=tuple(x.title for x in r.lessons if x.status != "done" and x.due < today),
            best_scores=tuple((x.title, max(x.pass_scores)) for x in r.lessons if x.pass_scores),
            review_minutes=r.review.minutes, review_goal_minutes=r.review.goal_minutes_per_day,
            last_activity=max(studied).date().isoformat() if studied else None,
            generated=r.generated_at.date().isoformat(), source=source,
            age_days=(today - r.generated_at.date()).days, stale=(today - r.generated_at.date()).days > stale_days))
        for lesson in r.lessons:
            for q in lesson.questions:
                if not q.answers:
                    continue
                items.setdefault((lesson.id, q.id), {})[client] = (q.first_right is False, q.first_dont_know,
                                                                  q.answers, q.right)
                about[(lesson.id, q.id)] = (lesson.title, q.question)
            for mc in lesson.misconceptions:
                chosen[(client, lesson.id, mc.label, mc.question_id)] = mc.times
    counts = {key: [len(by), sum(m for m, _, _, _ in by.values()), sum(m and d for m, d, _, _ in by.values()),
                    sum(a for _, _, a, _ in by.values()), sum(r for _, _, _, r in by.values())]
              for key, by in items.items()}  # -> [clients, missed first, "I don't know" first, answers, right]
    missed = sorted((key for key, c in counts.items() if c[1]), key=lambda k: (-counts[k][1], -(counts[k][3] - counts[k][4]), k))
    label_times: dict[str, int] = {}
    label_clients: dict[str, set[str]] = {}
    for (client, _, label, _), times in chosen.items():
        label_times[label] = label_times.get(label, 0) + times
        label_clients.setdefault(label, set()).add(client)
    labels = tuple((label, n, len(label_clients[label]))
                   for label, n in sorted(label_times.items(), key=lambda kv: (-len(label_clients[kv[0]]), -kv[1], kv[0])))
    rows.sort(key=lambda row: (-len(row.overdue), row.done - row.lessons, row.client, row.assignment_id))
    return Caseload(tuple(rows), tuple(Item(about[k][0], k[0], k[1], about[k][1], *counts[k]) for k in missed[:TOP]),
                    labels[:TOP], tuple(set_aside))


class Given(msgspec.Struct, frozen=True):
    """The report files a caseload is asked of: each once, in the order given (`paths`), the names
    given again (`twice`, read once), and how many names were given in all."""

    paths: tuple[Path, ...]
    twice: tuple[Path, ...]
    count: int


def given_reports(reports: Sequence[Path], target: Path | None) -> Given:
    """The report files given, each once; a UsageError when writing the caseload to `target` would
    replace one of them (the same name, a link or a hard link to it)."""
    from neurotutor.errors import UsageError

    if target is not None:
        for path in reports:
            if _same_file(path, target.expanduser()):
                raise UsageError(f"{target} is one of the reports you gave, and writing the caseload would replace "
                                 "it: give another file name with -o. Nothing was written.")
    paths: list[Path] = []
    twice: list[Path] = []
    seen: set[Path] = set()
    for path in reports:
        (twice if path.resolve() in seen else paths).append(path)
        seen.add(path.resolve())
    return Given(tuple(paths), tuple(twice), len(reports))


def _same_file(a: Path, b: Path) -> bool:
    """True when two names are one file (the same path, a link, or a hard link to it)."""
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except (OSError, RuntimeError):  # a name that does not exist (yet) is no file given
        return False


def sum_up(given: Given, now: datetime, today: date | None = None, stale_days: int = STALE_DAYS) -> Caseload:
    """The caseload of the reports given, at `now`: every file read through `load_report` first,
    and an InvalidFileError with every problem when any cannot be read (nothing half-read)."""
    from neurotutor.errors import InvalidFileError

    loaded, problems = [], []
    for path in given.paths:
        report, found = load_report(path)
        problems += found
        if report is not None:
            loaded.append((str(path), report))
    if problems:
        raise InvalidFileError(problems, f"{len({p.path for p in problems})} of {given.count} report file"
                               f"{'s' if given.count != 1 else ''} could not be read; nothing was summed up.")
    return build_caseload(loaded, now, today, stale_days)
