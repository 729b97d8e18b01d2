"""The therapist's caseload: report files from several clients, read strictly, summed up.

Each report file goes through one choke point, `load_report`: it must be a neurotutor report of a
version this tutor reads. Every field is checked against a strict model (unknown fields, wrong
types, missing fields, numbers out of range), and every problem is given as
`FILE:LINE:COLUMN: field: what is wrong`. The report's digest must match its content, so a report
changed after it was written is refused too. A file with any problem is refused whole, never
half-read. A report comes from someone else's computer, so nothing in it is trusted: only a regular
file of at most 16 MiB is read, JSON nested too deeply, a field given twice, a control or
bidirectional character in any string, and a number or a string out of its range are each a
problem that names the file and the field, never a crash (docs/report-format.md lists the limits).
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Callable, Literal

import msgspec
from msgspec import Meta

from neurotutor.errors import Problem
from neurotutor.reports.build import FORMAT, VERSION

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
_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"
_DIGEST = r"^sha256:[0-9a-f]{64}\Z"
_PATTERN_WORDS = {_TIME: "Expected a time, like 2026-11-23T10:00:20Z",
                  _DAY: "Expected a date, like 2026-11-23", _DIGEST: "Expected sha256: and 64 hex digits"}
Time = Annotated[str, Meta(pattern=_TIME)]
Day = Annotated[str, Meta(pattern=_DAY)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RAssignment(_Strict):
    id: Id
    title: Text
    therapist: Text
    client: Id
    added_at: Time


class RMisconception(_Strict):
    label: Word
    times: Annotated[int, Meta(ge=1, le=MAX_COUNT)]
    question_id: Id
    question: Text
    lesson_teaches: Text
    answers: Annotated[list[Text], Meta(max_length=100)] | None = None


class RQuestion(_Strict):
    id: Id
    question: Text
    answers: Count
    right: Count
    first_right: bool | None
    dont_know: Count
    first_dont_know: bool


class RLesson(_Strict):
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


class RReview(_Strict):
    minutes: Minutes
    days: Count
    goal_minutes_per_day: Annotated[int, Meta(ge=0, le=24 * 60)] | None
    days_since_added: Count


class RExam(_Strict):
    id: Id
    finished_at: Time | None
    status: Word
    questions: Count
    right: Count | None
    score: Share | None
    seconds_used: Annotated[float, Meta(ge=0, le=60 * MAX_COUNT)]


class RLevel(_Strict):
    level: Literal[1, 2, 3]
    answers: Count
    right: Count


class RConfidence(_Strict):
    rated: Count
    marks: Annotated[int, Meta(ge=-3 * MAX_COUNT, le=3 * MAX_COUNT)]
    verdict: Word | None
    levels: Annotated[list[RLevel], Meta(max_length=3)]


class ReportFile(_Strict):
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


class _Twice(dict):  # type: ignore[type-arg]
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
        out.twice = [k for k, _ in pairs if k in seen or seen.add(k)]  # type: ignore[func-returns-value]
        twice.append(out)
        return out

    return make


# What could stand for a control or bidirectional character in a JSON text: the character itself,
# or its \u escape. Only a document where this is found is walked field by field (to say where).
_SUSPECT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
                      r"|\\u(?:00[01][0-9a-f]|007f|00[89][0-9a-f]|202[a-e]|206[6-9]|d[89a-f][0-9a-f]{2})", re.I)


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
    found = _scan(tree) if twice or _SUSPECT.search(text) else []
    if found:
        places = jsonpos.locate(raw, {p for p, _ in found})
        problems = [Problem(where, *places.get(p, (0, 0)), f"{_field(p) or 'the report'}: {what}")
                    for p, what in found[:MAX_PROBLEMS]]
        if len(found) > MAX_PROBLEMS:
            problems.append(Problem(where, 0, 0, f"and more problems like these (the first {MAX_PROBLEMS} are shown)"))
        return None, problems
    try:
        report = msgspec.json.decode(raw, type=ReportFile)
    except msgspec.ValidationError as exc:
        message = str(exc)
        where_in = jsonpos.parse_error_path(message)
        line, column = jsonpos.locate(raw, {where_in}).get(where_in, (0, 0))
        reason = jsonpos.error_text(message)
        reason = next((words for pattern, words in _PATTERN_WORDS.items() if repr(pattern) in reason), reason)
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
    for lesson in report.lessons:
        for q in lesson.questions:
            if q.right + q.dont_know > q.answers:
                return None, [Problem(where, 1, 1, f"does not add up: question {q.id} has more right answers than "
                                      "answers")]
    return report, []


class Row(msgspec.Struct, frozen=True):
    client: str
    assignment_id: str
    assignment: str
    therapist: str
    done: int
    lessons: int
    overdue: tuple[str, ...]  # titles of the lessons overdue
    best_scores: tuple[tuple[str, float], ...]  # (lesson title, best pass score)
    review_minutes: float
    review_goal_minutes: int | None  # a day
    last_activity: str | None  # the date last studied (None: not started)
    generated: str  # the date of the report
    source: str


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


def build_caseload(reports: list[tuple[str, ReportFile]]) -> Caseload:
    """One row per client and assignment (the newest report of each); across clients, the
    questions most often missed at the first try and the misconceptions chosen most."""
    newest: dict[tuple[str, str], tuple[str, ReportFile]] = {}
    set_aside = []
    for source, r in reports:
        key = (r.assignment.client, r.assignment.id)
        before = newest.get(key)
        if before is not None:
            old, new = sorted([before, (source, r)], key=lambda sr: sr[1].generated_at)
            set_aside.append(f"{old[0]}: left out, an older report ({old[1].generated_at[:10]}) of "
                             f"{r.assignment.client} for {r.assignment.id!r} than {new[0]} ({new[1].generated_at[:10]})")
            newest[key] = new
        else:
            newest[key] = (source, r)
    rows = []
    items: dict[tuple[str, str], list[int]] = {}  # -> [clients, missed first, "I don't know" first, answers, right]
    about: dict[tuple[str, str], tuple[str, str]] = {}  # -> (lesson title, question)
    label_times: Counter[str] = Counter()
    label_clients: dict[str, set[str]] = {}
    for source, r in newest.values():
        client = r.assignment.client
        studied = [x.last_studied_at for x in r.lessons if x.last_studied_at]
        rows.append(Row(
            client=client, assignment_id=r.assignment.id, assignment=r.assignment.title,
            therapist=r.assignment.therapist, done=sum(x.status == "done" for x in r.lessons), lessons=len(r.lessons),
            overdue=tuple(x.title for x in r.lessons if x.overdue),
            best_scores=tuple((x.title, max(x.pass_scores)) for x in r.lessons if x.pass_scores),
            review_minutes=r.review.minutes, review_goal_minutes=r.review.goal_minutes_per_day,
            last_activity=max(studied)[:10] if studied else None, generated=r.generated_at[:10], source=source))
        for lesson in r.lessons:
            for q in lesson.questions:
                if not q.answers:
                    continue
                item = items.setdefault((lesson.id, q.id), [0, 0, 0, 0, 0])
                item[0] += 1
                item[1] += q.first_right is False
                item[2] += q.first_dont_know
                item[3] += q.answers
                item[4] += q.right
                about[(lesson.id, q.id)] = (lesson.title, q.question)
            for mc in lesson.misconceptions:
                label_times[mc.label] += mc.times
                label_clients.setdefault(mc.label, set()).add(client)
    missed = sorted((key for key, item in items.items() if item[1]),
                    key=lambda k: (-items[k][1], -(items[k][3] - items[k][4]), k))
    labels = tuple((label, n, len(label_clients[label]))
                   for label, n in sorted(label_times.items(), key=lambda kv: (-len(label_clients[kv[0]]), -kv[1], kv[0])))
    rows.sort(key=lambda row: (-len(row.overdue), row.done - row.lessons, row.client, row.assignment_id))
    return Caseload(tuple(rows), tuple(Item(about[k][0], k[0], k[1], about[k][1], *items[k]) for k in missed[:TOP]),
                    labels[:TOP], tuple(set_aside))
