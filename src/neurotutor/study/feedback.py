"""Feedback policies: when the learner sees whether an answer was right.

`Immediate` shows each answer's feedback and explanation straight after it (lessons, retries,
review, practice). `Deferred` (exams) shows nothing while the questions are being answered; the
run's end shows them all: a lesson run shows each answer's feedback in turn, an exam its results,
which list every question with the answer given, the right one and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from neurotutor.study.engine import Answered, AskingScreen


class FeedbackPolicy(Protocol):
    """When feedback is shown."""

    def after_answer(self, screen: AskingScreen, done: Answered) -> None:
        """Called after each answer is saved."""

    def at_end(self, screen: AskingScreen, done: Sequence[Answered]) -> None:
        """Called once the questions of a round are answered (not by exams: their results show them)."""


class Immediate:
    """Feedback after every answer."""

    def after_answer(self, screen: AskingScreen, done: Answered) -> None:
        screen.feedback(done.item, done.graded, done.record.confidence)

    def at_end(self, screen: AskingScreen, done: Sequence[Answered]) -> None:
        """Nothing is left to show."""


class ShownWithRating:
    """Feedback shown before the answer is saved, with its review rating (the rater showed it)."""

    def after_answer(self, screen: AskingScreen, done: Answered) -> None:
        """Already shown."""

    def at_end(self, screen: AskingScreen, done: Sequence[Answered]) -> None:
        """Nothing is left to show."""


class Deferred:
    """Feedback for every answer at the end."""

    def after_answer(self, screen: AskingScreen, done: Answered) -> None:
        """Nothing is shown yet."""

    def at_end(self, screen: AskingScreen, done: Sequence[Answered]) -> None:
        for answered in done:
            screen.feedback(answered.item, answered.graded, None)
