"""The therapist's caseload: report files from several clients, read strictly, summed up.

Each report file goes through one choke point, `load_report`: it must be a neurotutor report of a
version this tutor reads. Every field is checked against a strict model (unknown fields, wrong
types, missing fields, numbers out of range), and every problem is given as
`FILE:LINE:COLUMN: field: what is wrong`. The report's digest must match its content, so a report
changed after it was written is refused too. A file with any problem is refused whole, never
half-read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from neurotutor.errors import Problem
from neurotutor.reports.build import FORMAT, VERSION

Count = Annotated[int, Meta(ge=0)]
Share = Annotated[float, Meta(ge=0, le=1)]
Amount = Annotated[float, Meta(ge=0)]
Text = Annotated[str, Meta(max_length=10_000)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RAssignment(_Strict):
    id: Annotated[str, Meta(min_length=1, max_length=200)]
    title: Text
    therapist: Text
    client: Annotated[str, Meta(min_length=1, max_length=200)]
    added_at: str


class RMisconception(_Strict):
    label: str
    times: Annotated[int, Meta(ge=1)]
    question_id: str
    question: Text
    lesson_teaches: Text
    answers: list[Text] | None = None


class RQuestion(_Strict):
    id: str
    question: Text
    answers: Count
    right: Count
    first_right: bool | None
    dont_know: Count
    first_dont_know: bool


class RLesson(_Strict):
    id: str
    title: str
    due: str
    status: Literal["new", "in_progress", "done"]
    overdue: bool
    finished_at: str | None
    last_studied_at: str | None
    pass_scores: list[Share]
    minutes: Amount
    review_answers: Count
    review_days: Count
    misconceptions: list[RMisconception]
    questions: list[RQuestion]


class RReview(_Strict):
    minutes: Amount
    days: Count
    goal_minutes_per_day: Count | None
    days_since_added: Count


class RExam(_Strict):
    id: str
    finished_at: str | None
    status: str
    questions: Count
    right: Count | None
    score: Share | None
    seconds_used: Amount


class RLevel(_Strict):
    level: Literal[1, 2, 3]
    answers: Count
    right: Count


class RConfidence(_Strict):
    rated: Count
    marks: int
    verdict: str | None
    levels: list[RLevel]


class ReportFile(_Strict):
    format: str
    version: int
    tutor_version: str
    generated_at: str
    assignment: RAssignment
    contains: list[str]
    leaves_out: list[str]
    answers_verbatim: bool
    summary: list[str]
    lessons: list[RLesson]
    review: RReview
    exams: list[RExam]
    exam_goal_percent: Annotated[int, Meta(ge=0, le=100)] | None
    confidence: RConfidence | None
    digest: str


class _Head(msgspec.Struct):
    format: str | None = None
    version: int | None = None


def load_report(path: Path) -> tuple[ReportFile | None, list[Problem]]:
    """Read one report file: the report, or None and every problem (the file is never half-read)."""
    from neurotutor import jsonpos

    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(where, 0, 0, f"cannot be read: {exc.strerror or exc}")]
    try:
        head = msgspec.json.decode(raw, type=_Head)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        line, column = jsonpos.decode_error_position(raw, str(exc))
        return None, [Problem(where, line, column, f"is not a neurotutor report (not valid JSON: {exc})")]
    if head.format != FORMAT:
        return None, [Problem(where, 1, 1, f"is not a neurotutor report (its format is {head.format!r})")]
    if head.version != VERSION:
        newer = isinstance(head.version, int) and head.version > VERSION
        return None, [Problem(where, 1, 1, f"is a report of version {head.version}, and this neurotutor reads version "
                              f"{VERSION}" + (": upgrade neurotutor to read it" if newer else ""))]
    try:
        report = msgspec.json.decode(raw, type=ReportFile)
    except msgspec.ValidationError as exc:
        message = str(exc)
        where_in = jsonpos.parse_error_path(message)
        line, column = jsonpos.locate(raw, {where_in}).get(where_in, (0, 0))
        reason = jsonpos.error_text(message)
        label = jsonpos.format_path(where_in)
        return None, [Problem(where, line, column, f"{label}: {reason}" if label else reason)]
    except msgspec.DecodeError as exc:
        line, column = jsonpos.decode_error_position(raw, str(exc))
        return None, [Problem(where, line, column, f"is not valid JSON ({exc})")]
    from neurotutor.reports.render import digest_of

    if digest_of(msgspec.json.decode(raw)) != report.digest:
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
