"""Pure functions from what happened in a study run to the progress change that records it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import Answer
from neurotutor.quiz.grading import Graded
from neurotutor.study.items import QuestionItem
from neurotutor.study.modes import SCHEDULING  # the modes whose answers move the card

Change = Callable[[pm.Progress], pm.Progress]


def ids(lesson: m.Lesson) -> tuple[list[str], list[str]]:
    """The lesson's section ids and question ids, in order."""
    return [s.id for s in lesson.sections], [q.id for q in lesson.questions]


def settle(lesson: m.Lesson, now: datetime) -> Change:
    """Close the lesson's current pass if it is finished."""
    sections, questions = ids(lesson)
    return lambda p: pm.settle(p, lesson.id, sections, questions, now)


def retry_round(lesson: m.Lesson, question_ids: tuple[str, ...]) -> Change:
    """A round of retries of these questions begins (kept, so a stopped round can go on)."""
    return lambda p: pm.retry_round(p, lesson.id, question_ids)


def reading_place(lesson: m.Lesson, section_id: str, block: int) -> Change:
    """The learner is on the page of this section that begins with `block` (kept, to resume there)."""
    return lambda p: pm.reading_place(p, lesson.id, section_id, block)


def section_read(lesson: m.Lesson, section_id: str, now: datetime, seconds: float = 0.0) -> Change:
    """The learner moved past a section: it counts as read (a lesson without questions may be
    done), with the time spent reading since the last save."""
    sections, questions = ids(lesson)
    return lambda p: pm.settle(pm.read_for(pm.mark_section_seen(p, lesson.id, section_id, now), lesson.id, seconds),
                               lesson.id, sections, questions, now)


def read_time(lesson: m.Lesson, seconds: float) -> Change:
    """Time spent reading a lesson, kept when reading stopped part-way."""
    return lambda p: pm.read_for(p, lesson.id, seconds)


def attempt(item: QuestionItem, answer: Answer, graded: Graded, *, seconds: float, now: datetime,
            utc_offset: int | None, confidence: pm.Confidence | None = None,
            rating: Literal[1, 2, 3, 4] | None = None, spent: float | None = None) -> pm.Attempt:
    """The history record of one answer (`rating`: one the learner chose instead of the one worked out)."""
    return pm.new_attempt(
        lesson=item.lesson_id, question=item.question.id, mode=item.mode, run=item.run, exam=item.exam,
        answer=answer, answer_text=graded.given, correct=graded.correct, credit=graded.credit,
        misconceptions=graded.misconceptions, confidence=confidence, seconds=seconds, now=now,
        utc_offset=utc_offset, rating=rating, spent=spent)



def answered(lesson: m.Lesson, record: pm.Attempt, now: datetime, question: m.Question | None = None) -> Change:
    """Apply an answer to the state (closing the pass if that finished it) and, for the modes
    that schedule, move the question's review card (given the question, for its type)."""
    sections, questions = ids(lesson)

    def change(p: pm.Progress) -> pm.Progress:
        p = pm.record_answer(p, record, sections, questions, now)
        if question is not None and record.mode in SCHEDULING:
            p = scheduled(p, record, m.question_type(question))
        return p

    return change


def scheduled(progress: pm.Progress, record: pm.Attempt, question_type: str) -> pm.Progress:
    """The state with the question's card moved by this answer (its rating worked out from it)."""
    from msgspec import structs

    from neurotutor.study import schedule

    rating = record.rating or schedule.rating_for(correct=record.correct, credit=record.credit,
                                                  confidence=record.confidence, seconds=record.seconds,
                                                  question_type=question_type)
    settings = progress.settings
    before = schedule.exam_cutoff(settings.exam_date, record.utc_offset or 0, settings.day_starts_at)
    card = schedule.review_card(progress.cards.get(record.question), record.question, rating, record.at,
                                settings.desired_retention, before)
    return structs.replace(progress, cards={**progress.cards, record.question: card})
