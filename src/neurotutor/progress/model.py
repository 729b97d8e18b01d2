"""The progress file's model (schema version 1) and pure functions that return updated copies.

Nothing here reads the clock or touches a file: callers pass `now` (timezone-aware UTC).
Lesson status is derived from the state, never stored, so it cannot disagree with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec
from msgspec import Struct, structs

SCHEMA_VERSION = 1
Status = Literal["new", "in_progress", "done"]


class Attempt(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One answer to one question."""

    lesson: str
    question: str
    answer: str  # what the learner chose, in words
    correct: bool
    seconds: float  # time taken to answer
    at: datetime  # when, in UTC
    run: int  # which pass through the lesson's quiz (1 = first)


class LessonState(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Where a learner is in one lesson, and how earlier passes went."""

    run: int = 1
    sections_seen: tuple[str, ...] = ()
    answered: dict[str, bool] = {}  # question id -> correct, for the current run
    completed_runs: int = 0
    best_score: float | None = None
    last_score: float | None = None
    last_studied: datetime | None = None


class Progress(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Everything the tutor remembers for one profile."""

    schema_version: int = SCHEMA_VERSION
    notice_seen: bool = False
    lessons: dict[str, LessonState] = {}
    attempts: tuple[Attempt, ...] = ()


def encode(progress: Progress) -> bytes:
    """The progress as indented JSON, readable by a person."""
    return msgspec.json.format(msgspec.json.encode(progress), indent=2) + b"\n"


def status(state: LessonState | None) -> Status:
    """new, in_progress or done, derived from the state."""
    if state is None:
        return "new"
    if state.sections_seen or state.answered:
        return "in_progress"
    return "done" if state.completed_runs else "new"


def _with_lesson(progress: Progress, lesson_id: str, state: LessonState) -> Progress:
    return structs.replace(progress, lessons={**progress.lessons, lesson_id: state})


def mark_notice_seen(progress: Progress) -> Progress:
    """Remember that the first-run safety notice was shown."""
    return structs.replace(progress, notice_seen=True)


def mark_section_seen(progress: Progress, lesson_id: str, section_id: str, section_ids: list[str], question_ids: list[str], now: datetime) -> Progress:
    """Record that a section was read; completes the run if the lesson has no questions."""
    state = progress.lessons.get(lesson_id, LessonState())
    seen = state.sections_seen if section_id in state.sections_seen else state.sections_seen + (section_id,)
    state = structs.replace(state, sections_seen=seen, last_studied=now)
    if not question_ids and all(s in seen for s in section_ids):
        state = _complete_run(state, score=None)
    return _with_lesson(progress, lesson_id, state)


def record_answer(progress: Progress, lesson_id: str, question_id: str, answer: str, correct: bool,
                  seconds: float, question_ids: list[str], now: datetime) -> Progress:
    """Add an attempt; when every question of the run is answered, close the run with its score."""
    state = progress.lessons.get(lesson_id, LessonState())
    attempt = Attempt(lesson=lesson_id, question=question_id, answer=answer, correct=correct,
                      seconds=round(max(seconds, 0.0), 2), at=now, run=state.run)
    answered = {**state.answered, question_id: correct}
    state = structs.replace(state, answered=answered, last_studied=now)
    if all(q in answered for q in question_ids):
        right = sum(answered.get(q, False) for q in question_ids)
        state = _complete_run(state, score=right / len(question_ids))
    progress = structs.replace(progress, attempts=progress.attempts + (attempt,))
    return _with_lesson(progress, lesson_id, state)


def _complete_run(state: LessonState, score: float | None) -> LessonState:
    best = state.best_score
    if score is not None and (best is None or score > best):
        best = score
    return structs.replace(state, run=state.run + 1, sections_seen=(), answered={},
                           completed_runs=state.completed_runs + 1, best_score=best, last_score=score)


def reset_lesson(progress: Progress, lesson_id: str) -> Progress:
    """Forget one lesson: its state and its attempts."""
    lessons = {k: v for k, v in progress.lessons.items() if k != lesson_id}
    attempts = tuple(a for a in progress.attempts if a.lesson != lesson_id)
    return structs.replace(progress, lessons=lessons, attempts=attempts)


def reset_all(progress: Progress) -> Progress:
    """Forget every lesson (the first-run notice stays seen)."""
    return Progress(notice_seen=progress.notice_seen)


def attempts_for(progress: Progress, lesson_id: str) -> list[Attempt]:
    """Every recorded answer for one lesson, oldest first."""
    return [a for a in progress.attempts if a.lesson == lesson_id]
