"""Feedback policies: when the learner sees whether an answer was right.

`Immediate` shows each answer's feedback and explanation straight after it (lessons, retries,
review). A deferred policy (exams) keeps them for the end; it plugs in the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from neurotutor.progress.model import Attempt
    from neurotutor.quiz.grading import Graded
    from neurotutor.study.engine import Screen
    from neurotutor.study.items import QuestionItem


class FeedbackPolicy(Protocol):
    """When feedback is shown."""

    def after_answer(self, screen: Screen, item: QuestionItem, graded: Graded, record: Attempt) -> None:
        """Called after each answer is saved."""

    def at_end(self, screen: Screen, answered: list[tuple[QuestionItem, Graded]]) -> None:
        """Called once every question of the run is answered."""


class Immediate:
    """Feedback after every answer."""

    def after_answer(self, screen: Screen, item: QuestionItem, graded: Graded, record: Attempt) -> None:
        screen.feedback(item, graded, record.confidence)

    def at_end(self, screen: Screen, answered: list[tuple[QuestionItem, Graded]]) -> None:
        """Nothing is left to show."""


class Deferred:
    """Feedback for every answer at the end (an exam)."""

    def after_answer(self, screen: Screen, item: QuestionItem, graded: Graded, record: Attempt) -> None:
        """Nothing is shown yet."""

    def at_end(self, screen: Screen, answered: list[tuple[QuestionItem, Graded]]) -> None:
        for item, graded in answered:
            screen.feedback(item, graded, None)
