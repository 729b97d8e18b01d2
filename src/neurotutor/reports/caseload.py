"""The therapist's caseload: report files from several clients, read strictly, summed up.

Each report file goes through one choke point, `load_report`: it must be a neurotutor report of a
version this tutor reads. Every field is checked against a strict model (unknown fields, wrong
types, missing fields), and every problem is given as `FILE:LINE:COLUMN: field: what is wrong`.
A file with any problem is refused whole, never half-read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import msgspec

from neurotutor.errors import Problem
from neurotutor.reports.build import FORMAT, VERSION


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class RAssignment(_Strict):
    id: str
    title: str
    therapist: str
    client: str
    added_at: str


class RMisconception(_Strict):
    label: str
    times: int
    question_id: str
    question: str
    lesson_teaches: str
    answers: list[str] | None = None


class RLesson(_Strict):
    id: str
    title: str
    due: str
    status: Literal["new", "in_progress", "done"]
    overdue: bool
    finished_at: str | None
    pass_scores: list[float]
    minutes: float
    review_answers: int
    review_days: int
    misconceptions: list[RMisconception]


class RReview(_Strict):
    minutes: float
    days: int
    goal_minutes_per_day: int | None
    days_since_added: int


class RExam(_Strict):
    id: str
    finished_at: str | None
    status: str
    questions: int
    right: int | None
    score: float | None
    seconds_used: float


class RLevel(_Strict):
    level: int
    answers: int
    right: int


class RConfidence(_Strict):
    rated: int
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
    exam_goal_percent: int | None
    confidence: RConfidence | None


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
        return msgspec.json.decode(raw, type=ReportFile), []
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


@dataclass(frozen=True)
class Row:
    client: str
    assignment: str
    therapist: str
    done: int
    lessons: int
    overdue: tuple[str, ...]
    best_scores: tuple[tuple[str, float], ...]
    review_minutes: float
    last_activity: str
    source: str


@dataclass(frozen=True)
class Caseload:
    rows: tuple[Row, ...]
    missed: tuple[tuple[str, str, int, int], ...]  # (question id, question, times chosen wrong, clients)
    misconceptions: tuple[tuple[str, int, int], ...]  # (label, times, clients)


def build_caseload(reports: list[tuple[str, ReportFile]]) -> Caseload:
    """One row per client and assignment; across clients, the questions and misconceptions seen most."""
    rows = []
    question_times: Counter[str] = Counter()
    question_clients: dict[str, set[str]] = {}
    prompts: dict[str, str] = {}
    label_times: Counter[str] = Counter()
    label_clients: dict[str, set[str]] = {}
    for source, r in reports:
        client = r.assignment.client
        finished = [x.finished_at for x in r.lessons if x.finished_at]
        rows.append(Row(
            client=client, assignment=r.assignment.title, therapist=r.assignment.therapist,
            done=sum(x.status == "done" for x in r.lessons), lessons=len(r.lessons),
            overdue=tuple(x.title for x in r.lessons if x.overdue),
            best_scores=tuple((x.title, max(x.pass_scores)) for x in r.lessons if x.pass_scores),
            review_minutes=r.review.minutes, last_activity=max(finished, default=r.assignment.added_at)[:10],
            source=source))
        for lesson in r.lessons:
            for mc in lesson.misconceptions:
                question_times[mc.question_id] += mc.times
                question_clients.setdefault(mc.question_id, set()).add(client)
                prompts[mc.question_id] = mc.question
                label_times[mc.label] += mc.times
                label_clients.setdefault(mc.label, set()).add(client)
    missed = tuple((q, prompts[q], n, len(question_clients[q]))
                   for q, n in sorted(question_times.items(), key=lambda kv: (-len(question_clients[kv[0]]), -kv[1], kv[0])))
    labels = tuple((label, n, len(label_clients[label]))
                   for label, n in sorted(label_times.items(), key=lambda kv: (-len(label_clients[kv[0]]), -kv[1], kv[0])))
    rows.sort(key=lambda row: (-len(row.overdue), row.done - row.lessons, row.client))
    return Caseload(tuple(rows), missed[:10], labels[:10])
