"""Pure functions from what happened in a study run to the progress change that records it."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import Answer
from neurotutor.quiz.grading import Graded
from neurotutor.study.items import QuestionItem

Change = Callable[[pm.Progress], pm.Progress]


def ids(lesson: m.Lesson) -> tuple[list[str], list[str]]:
    """The lesson's section ids and question ids, in order."""
    return [s.id for s in lesson.sections], [q.id for q in lesson.questions]


def settle(lesson: m.Lesson, now: datetime) -> Change:
    """Close the lesson's current pass if it is finished."""
    sections, questions = ids(lesson)
    return lambda p: pm.settle(p, lesson.id, sections, questions, now)


def section_read(lesson: m.Lesson, section_id: str, now: datetime) -> Change:
    """The learner moved past a section: it counts as read (a lesson without questions may be done)."""
    sections, questions = ids(lesson)
    return lambda p: pm.settle(pm.mark_section_seen(p, lesson.id, section_id, now), lesson.id, sections, questions, now)


def attempt(item: QuestionItem, answer: Answer, graded: Graded, *, seconds: float, now: datetime,
            utc_offset: int | None, confidence: pm.Confidence | None = None) -> pm.Attempt:
    """The history record of one answer."""
    return pm.new_attempt(
        lesson=item.lesson_id, question=item.question.id, mode=item.mode, run=item.run, exam=item.exam,
        answer=answer, answer_text=graded.given, correct=graded.correct, credit=graded.credit,
        misconceptions=graded.misconceptions, confidence=confidence, seconds=seconds, now=now,
        utc_offset=utc_offset)


def answered(lesson: m.Lesson, record: pm.Attempt, now: datetime) -> Change:
    """Apply an answer to the state (closing the pass if that finished it)."""
    sections, questions = ids(lesson)
    return lambda p: pm.record_answer(p, record, sections, questions, now)
