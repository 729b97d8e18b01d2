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
from datetime import date, datetime, timedelta, timezone
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
_CLIENT_KEY = r"^c-[a-z2-7]{10}\Z"
_AGE_KEY = r"^age1[02-9ac-hj-np-z]{58}\Z"
_PATTERN_WORDS = {_DIGEST: "Expected sha256: and 64 hex digits", _CLIENT_KEY: "Expected a client key like c-abcdefgh23",
                  _AGE_KEY: "Expected an age public key (age1 and 58 more characters)"}
# Times and dates are parsed for real (a 30 February, a month 13, an offset of +99:99 are refused),
# and a time must give its offset from UTC.
Time = Annotated[datetime, Meta(tz=True)]
Day = date
_TIME_WORDS = "Expected a time that exists, with its offset from UTC, like 2026-11-23T10:00:20Z"
_DAY_WORDS = "Expected a date that exists, like 2026-11-23"
FUTURE_SKEW = timedelta(days=1)  # how far ahead of the caseload's clock a report's date may be


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RClient(_Strict, frozen=True):
    label: Id
    key: Annotated[str, Meta(pattern=_CLIENT_KEY)]


class RAssignment(_Strict, frozen=True):
    id: Id
    title: Text
    therapist: Text
    therapist_key: Annotated[str, Meta(pattern=_AGE_KEY)] | None
    added_on: Day
    added_at: Time | None = None
    sets_practice: bool = False


class RChoices(_Strict, frozen=True):
    answers_verbatim: bool
    times_of_day: bool
    exams: bool
    misconceptions: bool
    details_left_out: Annotated[list[Id], Meta(max_length=10_000)]
    misconceptions_left_out: Count
    practice: bool = False
    entries_shared: Count = 0


class RMisconception(_Strict, frozen=True):
    label: Word
    text: Text
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
    typed: Annotated[list[Text], Meta(max_length=100)] | None = None


class RMinutes(_Strict, frozen=True):
    reading: Minutes
    answering: Minutes
    review: Minutes


class RLesson(_Strict, frozen=True):
    id: Id
    title: Text
    due: Day
    status: Literal["new", "in_progress", "done"]
    overdue: bool
    details: bool
    last_studied_on: Day | None = None
    last_studied_at: Time | None = None
    finished_on: Day | None = None
    finished_at: Time | None = None
    pass_scores: Annotated[list[Share], Meta(max_length=10_000)] = []
    sections_read: Count = 0
    sections: Count = 0
    answered: Count = 0
    question_count: Count = 0
    minutes: RMinutes = RMinutes(reading=0.0, answering=0.0, review=0.0)
    review_answers: Count = 0
    review_days: Count = 0
    misconceptions: Annotated[list[RMisconception], Meta(max_length=10_000)] = []
    questions: Annotated[list[RQuestion], Meta(max_length=10_000)] = []


class RReview(_Strict, frozen=True):
    minutes: Minutes
    days: Count
    goal_minutes_per_day: Annotated[int, Meta(ge=0, le=24 * 60)] | None
    minutes_per_day: Minutes
    days_since_added: Count


class RExam(_Strict, frozen=True):
    id: Id
    finished_on: Day | None
    status: Word
    questions: Count
    right: Count | None
    score: Share | None
    minutes_used: Annotated[int, Meta(ge=0, le=MAX_COUNT)]
    finished_at: Time | None = None
    seconds_used: Annotated[float, Meta(ge=0, le=60 * MAX_COUNT)] | None = None


class RLevel(_Strict, frozen=True):
    level: Literal[1, 2, 3]
    answers: Count
    right: Count


class RConfidence(_Strict, frozen=True):
    rated: Count
    marks: Annotated[int, Meta(ge=-3 * MAX_COUNT, le=3 * MAX_COUNT)]
    verdict: Word | None
    levels: Annotated[list[RLevel], Meta(max_length=3)]


class RGoal(_Strict, frozen=True):
    what: Id
    words: Text
    set: Count
    done: Count
    days: Annotated[list[Day], Meta(max_length=10_000)]


class RCheckin(_Strict, frozen=True):
    measure: Literal["phq8", "gad7"]
    on: Day
    total: Annotated[int, Meta(ge=0, le=24)]
    band: Word


class RStep(_Strict, frozen=True):
    step: Text
    answer: Text


class REntry(_Strict, frozen=True):
    title: Text
    on: Day
    answers: Annotated[list[RStep], Meta(max_length=200)]


class RPractice(_Strict, frozen=True):
    goals: Annotated[list[RGoal], Meta(max_length=100)]
    checkins: Annotated[list[RCheckin], Meta(max_length=10_000)]
    entries: Annotated[list[REntry], Meta(max_length=1_000)]


class ReportFile(_Strict, frozen=True):
    format: Word
    version: int
    tutor_version: Word
    generated_on: Day
    client: RClient
    assignment: RAssignment
    choices: RChoices
    contains: Annotated[list[Text], Meta(max_length=100)]
    leaves_out: Annotated[list[Text], Meta(max_length=100)]
    summary: Annotated[list[Line], Meta(max_length=100)]
    lessons: Annotated[list[RLesson], Meta(max_length=1_000)]
    review: RReview
    exams: Annotated[list[RExam], Meta(max_length=10_000)] | None
    exam_goal_percent: Annotated[int, Meta(ge=0, le=100)] | None
    confidence: RConfidence | None
    digest: Annotated[str, Meta(pattern=_DIGEST)]
    generated_at: Time | None = None
    practice: RPractice | None = None  # only when the client chose to include it

    @property
    def moment(self) -> datetime:
        """When it was written: its time when it gives one, else the start of its (UTC) date."""
        return self.generated_at or datetime.combine(self.generated_on, datetime.min.time(), tzinfo=timezone.utc)


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
_MULTILINE = frozenset({"question", "lesson_teaches", "answers", "typed", "answer"})
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


def load_report(path: Path, identity: Any = None) -> tuple[ReportFile | None, list[Problem], bool]:
    """Read one report file: the report, or None and every problem (the file is never half-read),
    and whether it came sealed (opened with `identity`, the therapist's key).

    Only a regular file of at most MAX_BYTES is read; a UTF-8 byte order mark is allowed. A sealed
    report is opened first. The document must be JSON that is not nested too deeply, with no field
    given twice and no control or bidirectional character in any string, and then match the strict
    model (types, ranges, lengths) and its digest. The readable report (Markdown or HTML) given by
    mistake is named as such."""
    from neurotutor import seal

    where = str(path)
    raw, why = read_bounded(path)
    if raw is None:
        return None, [Problem(where, 0, 0, why)], False
    sealed = seal.is_sealed(raw)
    if sealed:
        if identity is None:
            return None, [Problem(where, 0, 0, "is a sealed report, and you have no key on this computer to open it "
                                  "(make one with 'neurotutor therapist init' before writing assignments, or use the "
                                  "computer that holds your key)")], True
        from neurotutor.errors import SealError

        try:
            raw = seal.open_sealed(raw, identity, where)
        except SealError as exc:
            return None, [Problem(where, 0, 0, exc.message.removeprefix(where + ": "))], True
    report, problems = _load_plain(where, raw, path)
    return report, problems, sealed


READABLE = "is the readable"  # how the problem of a readable report given by mistake begins


def _readable_kind(raw: bytes, path: Path) -> str | None:
    """"Markdown" or "HTML" when a file is the readable report rather than its JSON, else None."""
    head = raw[:512].lstrip(_BOM).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or path.suffix.lower() in (".html", ".htm"):
        return "HTML"
    if head.startswith(b"# ") or path.suffix.lower() in (".md", ".markdown"):
        return "Markdown"
    return None


def _load_plain(where: str, raw: bytes, path: Path) -> tuple[ReportFile | None, list[Problem]]:
    """`load_report` of the bytes of a report that is not sealed (or was opened)."""
    from neurotutor import jsonpos

    if raw.startswith(_BOM):  # some editors (Notepad) write one; it is not part of the JSON
        raw = raw[len(_BOM):]
    kind = _readable_kind(raw, path)
    if kind is not None and not raw.lstrip().startswith(b"{"):
        return None, [Problem(where, 0, 0, f"{READABLE} ({kind}) report, for people; the caseload reads the "
                              f"report's .json file: ask the client for it ('neurotutor report --format json')")]
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
        older = isinstance(head.version, int) and 1 <= head.version < VERSION
        return None, [Problem(where, 1, 1, f"is a report of version {_shown(head.version, repr_=False)}, and this "
                              f"neurotutor reads version {VERSION}" + (": upgrade neurotutor to read it" if newer else
                              ": it was written by an older neurotutor; ask the client to update neurotutor and "
                              "write the report again" if older else ""))]
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
    late = f"is later than the report itself (written {_when(r)}): the clock of the computer that wrote it " \
           "was wrong; ask for a new report"

    def after(path: tuple[Any, ...], day: date | None, moment: datetime | None) -> None:
        """A date (and time) later than the report's own."""
        if day is not None and day > r.generated_on:
            found.append((path[:-1] + (f"{path[-1]}_on",), late))
        elif moment is not None and r.generated_at is not None and moment > r.generated_at:
            found.append((path[:-1] + (f"{path[-1]}_at",), late))

    after(("assignment", "added"), r.assignment.added_on, r.assignment.added_at)
    if r.generated_at is not None and abs((r.generated_at.date() - r.generated_on).days) > 1:
        found.append((("generated_at",), f"is not on the date the report was written ({r.generated_on.isoformat()}, "
                      "give or take the time zone): ask for a new report"))

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
        for name in ("finished", "last_studied"):
            after(("lessons", n, name), getattr(lesson, f"{name}_on"), getattr(lesson, f"{name}_at"))
    exams = r.exams or []
    once(exams, lambda e: e.id, lambda i: ("exams", i, "id"), lambda e: f"exam {_shown(e.id)}")
    for i, exam in enumerate(exams):
        after(("exams", i, "finished"), exam.finished_on, exam.finished_at)
    if r.confidence is not None:
        once(r.confidence.levels, lambda lv: lv.level, lambda i: ("confidence", "levels", i, "level"),
             lambda lv: f"level {lv.level}")
    return found


def _trends(checkins: Sequence[RCheckin]) -> tuple[tuple[str, int, int, str, int], ...]:
    """Each measure's check-ins in a report: the first total, the latest with its band, how many."""
    out = []
    for measure in dict.fromkeys(c.measure for c in checkins):
        mine = sorted((c for c in checkins if c.measure == measure), key=lambda c: c.on)
        out.append((measure, mine[0].total, mine[-1].total, mine[-1].band, len(mine)))
    return tuple(out)


def homework_behind(row: Row) -> int:
    """How many times practice and check-ins set so far were not done (0 when none is set or shared)."""
    return sum(max(set_ - done, 0) for _, done, set_ in row.homework)


def _answers(r: ReportFile) -> int:
    """How many answers a report counts."""
    return sum(q.answers for lesson in r.lessons for q in lesson.questions)


def _when(r: ReportFile) -> str:
    """When a report was written, as it says (its date, or its time in UTC with a Z)."""
    if r.generated_at is None:
        return r.generated_on.isoformat()
    return r.generated_at.isoformat().replace("+00:00", "Z")


class Row(msgspec.Struct, frozen=True):
    client: str  # the label the assignment gives (a pseudonym or initials)
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
    client_key: str = ""  # the client's pseudonymous key: rows are one per assignment and client key
    reading_minutes: float = 0.0
    answering_minutes: float = 0.0
    review_days: int = 0
    review_minutes_per_day: float = 0.0  # over the days since the assignment was added, as the goal is set
    in_progress: tuple[tuple[str, int, int, int, int], ...] = ()  # (title, sections read, of, answered, of)
    sealed: bool = False  # it came sealed to the therapist's key
    other: str = ""  # why it is not one of this therapist's (shown only when asked for): "" when it is
    homework: tuple[tuple[str, int, int], ...] = ()  # (the goal in words, done, set so far), when shared
    practice_shared: bool = False  # the client chose to include their practice and check-ins
    practice_set: bool = False  # the assignment sets practice or check-ins
    checkins: tuple[tuple[str, int, int, str, int], ...] = ()  # (measure, first total, latest, its band, how many)


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
    misconceptions: tuple[tuple[str, int, int], ...]  # (the wrong idea in words, times, clients), all, most first
    set_aside: tuple[str, ...]  # why a report was left out (an older one of the same client and assignment)
    others: tuple[str, ...] = ()  # reports not of this therapist's assignments, named and left out (unless asked)
    therapists: tuple[str, ...] = ()  # the therapists the rows' assignments name


TOP = 10  # questions and misconceptions shown


STALE_DAYS = 7  # a report older than this is marked with its age


class Loaded(msgspec.Struct, frozen=True):
    """A report read, where from, and whether it came sealed."""

    source: str
    report: ReportFile
    sealed: bool = False


def whose(r: ReportFile, own_key: str | None, own_name: str | None) -> str:
    """Why a report is not of this therapist's assignments ("" when it is): its assignment carries
    another therapist's key, or (given a name) names another therapist. Without a key of one's own
    and without a name, every report counts as one's own."""
    key = r.assignment.therapist_key
    if own_key is not None and key is not None and key != own_key:
        return f"its assignment ({r.assignment.id}) carries another therapist's key, not yours"
    if own_name is not None and who(r.assignment.therapist).casefold() != who(own_name).casefold():
        return f"its assignment ({r.assignment.id}) was set by {r.assignment.therapist}, not {own_name}"
    return ""


def build_caseload(reports: Sequence[tuple[str, ReportFile] | Loaded], now: datetime, today: date | None = None,
                   stale_days: int = STALE_DAYS, own_key: str | None = None, own_name: str | None = None,
                   others: bool = False) -> Caseload:
    """One row per assignment and client key (the newest report of each); across clients, the
    questions most often missed at the first try and the misconceptions chosen most.

    A report dated more than a day after `now` is set aside with the reason (the clock of the
    computer that wrote it was wrong), so it can never take the place of a genuine one. Of two
    reports of the same time, the one with more answers is kept, then the first by file name, whatever
    the order they are given in. Clients are told apart by their client key: two people handed one
    assignment file are two rows. Across clients, each client counts once per question and
    misconception, from their newest report.

    A report of an assignment that is not this therapist's (`whose`) is named in `others` and left
    out, unless `others` is asked for (then it is a row, marked).

    Overdue is worked out on the caseload's own day (`today`, the reader's date; by default
    `now`'s): a lesson not done whose due date has passed, whatever the report said on the day it
    was written. A report more than `stale_days` old is marked, with its age."""
    from neurotutor.reports.build import one_line

    today = today or now.date()
    loaded = [x if isinstance(x, Loaded) else Loaded(*x) for x in reports]

    newest: dict[tuple[str, str], Loaded] = {}
    set_aside = []
    not_mine: list[str] = []
    for item in loaded:
        source, r = item.source, item.report
        if r.moment - now > FUTURE_SKEW or r.generated_on > today + FUTURE_SKEW:
            set_aside.append(f"{source}: left out, dated in the future ({r.generated_on.isoformat()}); the "
                             "computer's clock that wrote it may be wrong")
            continue
        why = whose(r, own_key, own_name)
        if why and not others:
            not_mine.append(f"{source}: left out, {why} (give --others to include it)")
            continue
        key = (r.client.key, r.assignment.id)
        before = newest.get(key)
        if before is None:
            newest[key] = item
            continue
        by_name = sorted([before, item], key=lambda x: x.source, reverse=True)  # of equals, the first by name last
        old, new = sorted(by_name, key=lambda x: (x.report.moment, _answers(x.report)))
        of = f"of {one_line(r.client.label)} ({r.client.key}) for {r.assignment.id!r}"
        if old.report.moment < new.report.moment:
            set_aside.append(f"{old.source}: left out, an older report ({_when(old.report)}) {of} than "
                             f"{new.source} ({_when(new.report)})")
        else:
            kept = "more answers" if _answers(new.report) > _answers(old.report) else "as many answers and comes first by name"
            same = "time" if old.report.generated_at is not None else "day"
            set_aside.append(f"{old.source}: left out, a report of the same {same} ({_when(old.report)}) {of} as "
                             f"{new.source}, which holds {kept}")
        newest[key] = new
    rows = []
    # per question: client -> (missed first, "I don't know" first, answers, right), from their newest report
    items: dict[tuple[str, str], dict[str, tuple[bool, bool, int, int]]] = {}
    about: dict[tuple[str, str], tuple[str, str]] = {}  # -> (lesson title, question)
    chosen: dict[tuple[str, str, str], int] = {}  # (client key, lesson, the wrong idea in words) -> times
    counted = sorted(newest.values(), key=lambda x: (x.report.moment, x.source))  # the newest last: it counts
    for entry in counted:
        source, r = entry.source, entry.report
        client = r.client.key
        studied = [x.last_studied_on for x in r.lessons if x.last_studied_on]
        age = (today - r.generated_on).days
        rows.append(Row(
            client=r.client.label, client_key=client, assignment_id=r.assignment.id, assignment=r.assignment.title,
            therapist=r.assignment.therapist, done=sum(x.status == "done" for x in r.lessons), lessons=len(r.lessons),
            overdue=tuple(x.title for x in r.lessons if x.status != "done" and x.due < today),
            best_scores=tuple((x.title, max(x.pass_scores)) for x in r.lessons if x.pass_scores),
            review_minutes=r.review.minutes, review_goal_minutes=r.review.goal_minutes_per_day,
            last_activity=max(studied).isoformat() if studied else None,
            generated=r.generated_on.isoformat(), source=source, age_days=age, stale=age > stale_days,
            reading_minutes=sum(x.minutes.reading for x in r.lessons),
            answering_minutes=sum(x.minutes.answering for x in r.lessons),
            review_days=r.review.days, review_minutes_per_day=r.review.minutes_per_day,
            in_progress=tuple((x.title, x.sections_read, x.sections, x.answered, x.question_count)
                              for x in r.lessons if x.status == "in_progress" and x.details),
            sealed=entry.sealed, other=whose(r, own_key, own_name),
            homework=tuple((g.words, g.done, g.set) for g in r.practice.goals) if r.practice else (),
            checkins=_trends(r.practice.checkins) if r.practice else (),
            practice_shared=r.choices.practice and r.practice is not None,
            practice_set=r.assignment.sets_practice or bool(r.practice and (r.practice.goals or r.practice.checkins))))
        for lesson in r.lessons:
            for q in lesson.questions:
                if not q.answers:
                    continue
                items.setdefault((lesson.id, q.id), {})[client] = (q.first_right is False, q.first_dont_know,
                                                                  q.answers, q.right)
                about[(lesson.id, q.id)] = (lesson.title, q.question)
            ideas: dict[tuple[str, str, str], int] = {}
            for mc in lesson.misconceptions:  # one wrong idea under two questions is one idea
                idea = (client, lesson.id, mc.text)
                ideas[idea] = ideas.get(idea, 0) + mc.times
            chosen.update(ideas)  # the client's newest report counts (the newest comes last)
    counts = {key: [len(by), sum(m for m, _, _, _ in by.values()), sum(m and d for m, d, _, _ in by.values()),
                    sum(a for _, _, a, _ in by.values()), sum(r for _, _, _, r in by.values())]
              for key, by in items.items()}  # -> [clients, missed first, "I don't know" first, answers, right]
    missed = sorted((key for key, c in counts.items() if c[1]), key=lambda k: (-counts[k][1], -(counts[k][3] - counts[k][4]), k))
    label_times: dict[str, int] = {}
    label_clients: dict[str, set[str]] = {}
    for (client, _, said), times in chosen.items():
        label_times[said] = label_times.get(said, 0) + times
        label_clients.setdefault(said, set()).add(client)
    labels = tuple((said, n, len(label_clients[said]))
                   for said, n in sorted(label_times.items(), key=lambda kv: (-len(label_clients[kv[0]]), -kv[1], kv[0])))
    rows.sort(key=lambda row: (-len(row.overdue), row.done - row.lessons, -homework_behind(row), row.client,
                               row.client_key, row.assignment_id))
    return Caseload(tuple(rows), tuple(Item(about[k][0], k[0], k[1], about[k][1], *counts[k]) for k in missed[:TOP]),
                    labels, tuple(set_aside), tuple(not_mine),
                    tuple(sorted({row.therapist for row in rows})))


class Given(msgspec.Struct, frozen=True):
    """The report files a caseload is asked of: each once, in the order given (`paths`), the names
    given again (`twice`, read once), and how many names were given in all."""

    paths: tuple[Path, ...]
    twice: tuple[Path, ...]
    count: int
    skipped: tuple[str, ...] = ()  # files of a folder given that are not reports (why, in words)
    found: tuple[Path, ...] = ()  # the files found in a folder given (not named one by one)


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
    skipped: list[str] = []
    seen: set[Path] = set()
    named: list[Path] = []
    for path in reports:
        if path.is_dir():  # a folder of reports: its .json and sealed .age files, by name
            try:
                inside = sorted(p for p in path.iterdir() if not p.name.startswith("."))
            except OSError as exc:
                raise UsageError(f"{path}: the folder cannot be read ({exc.strerror or exc}).") from None
            found = [p for p in inside if p.suffix.lower() in (".json", ".age") and not p.is_dir()]
            for p in inside:
                if p.suffix.lower() in (".md", ".markdown", ".html", ".htm"):
                    skipped.append(f"{p}: skipped, the readable report; the caseload reads the .json (or sealed "
                                   ".json.age) file")
            if not found:
                raise UsageError(f"{path}: the folder holds no report files (.json, or sealed .json.age).")
            named += found
        else:
            named.append(path)
    for path in named:
        if target is not None and _same_file(path, target.expanduser()):
            raise UsageError(f"{target} is one of the reports you gave, and writing the caseload would replace "
                             "it: give another file name with -o. Nothing was written.")
        (twice if path.resolve() in seen else paths).append(path)
        seen.add(path.resolve())
    return Given(tuple(paths), tuple(twice), len(named), tuple(skipped), tuple(p for p in paths if p not in reports))


def _same_file(a: Path, b: Path) -> bool:
    """True when two names are one file (the same path, a link, or a hard link to it)."""
    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except (OSError, RuntimeError):  # a name that does not exist (yet) is no file given
        return False


def sum_up(given: Given, now: datetime, today: date | None = None, stale_days: int = STALE_DAYS,
           identity: Any = None, own_key: str | None = None, own_name: str | None = None,
           others: bool = False) -> Caseload:
    """The caseload of the reports given, at `now`: every file read through `load_report` first
    (a sealed one opened with `identity`, the therapist's key), and an InvalidFileError with
    every problem when any cannot be read (nothing half-read)."""
    from neurotutor.errors import InvalidFileError

    loaded, problems, readable = [], [], []
    for path in given.paths:
        report, found, sealed = load_report(path, identity)
        if path in given.found and found and all(p.message.startswith(READABLE) for p in found):
            readable.append(f"{path}: left out, a sealed readable report (open it with 'neurotutor therapist open "
                            f"{path}'); the caseload reads the .json.age file")
            continue
        problems += found
        if report is not None:
            loaded.append(Loaded(str(path), report, sealed))
    if problems:
        raise InvalidFileError(problems, f"{len({p.path for p in problems})} of {given.count} report file"
                               f"{'s' if given.count != 1 else ''} could not be read; nothing was summed up.")
    caseload = build_caseload(loaded, now, today, stale_days, own_key, own_name, others)
    return msgspec.structs.replace(caseload, set_aside=caseload.set_aside + tuple(readable)) if readable else caseload
