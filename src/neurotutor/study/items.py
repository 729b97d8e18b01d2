"""Question sources: which questions a study run asks, in what order, shown how.

A source turns a lesson (and later an exam sample or the review queue) into `QuestionItem`s.
Option order is shuffled per profile (the profile's seed), per question and per pass, so two
learners see different orders, and one learner sees the same order when resuming a pass.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.presentation import Presentation, present


@dataclass(frozen=True)
class QuestionItem:
    """One question to ask, with where it stands and how it is shown."""

    lesson_id: str
    question: m.Question
    number: int  # its place in the lesson, 1-based
    total: int  # questions in the lesson
    shown: Presentation
    mode: pm.Mode
    run: int | None = None  # the lesson pass it counts towards (lesson) or retries (retry)
    exam: str | None = None


def shuffle(question: m.Question, seed: int, key: str) -> Presentation:
    """The display order of a question for a profile's seed and a key (a pass, a retry round)."""
    return present(question, random.Random(f"{seed}:{question.id}:{key}"))


def lesson_pass(lesson: m.Lesson, state: pm.LessonState, seed: int) -> list[QuestionItem]:
    """The questions of the current pass not answered yet, in lesson order."""
    total = len(lesson.questions)
    return [QuestionItem(lesson.id, q, i + 1, total, shuffle(q, seed, f"pass-{state.run}"), "lesson", state.run)
            for i, q in enumerate(lesson.questions) if q.id not in state.answered]


def retry(lesson: m.Lesson, question_ids: tuple[str, ...] | list[str], seed: int, run: int,
          round_: int) -> list[QuestionItem]:
    """The given questions again (mode `retry`: recorded, but the pass and best score stay)."""
    wanted = set(question_ids)
    chosen = [q for q in lesson.questions if q.id in wanted]  # counted "1 of 9" among themselves
    return [QuestionItem(lesson.id, q, i + 1, len(chosen), shuffle(q, seed, f"retry-{run}-{round_}"), "retry", run)
            for i, q in enumerate(chosen)]
