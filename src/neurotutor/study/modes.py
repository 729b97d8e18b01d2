"""Study modes as values: what kind of run it is, and the rules that follow from that.

A lesson pass, a retry, a review, extra practice and an exam differ only in where the questions
come from (the run that uses the mode) and in the fields below; one loop
(`neurotutor.study.engine.ask_each`) asks the questions of every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from neurotutor.progress import model as pm
from neurotutor.study.feedback import Deferred, FeedbackPolicy, Immediate


@dataclass(frozen=True)
class Mode:
    """How a run asks and what its answers change."""

    kind: pm.Mode  # what its answers are recorded as
    feedback: FeedbackPolicy = field(default_factory=Immediate)  # when the learner sees whether an answer was right
    schedules: bool = True  # its answers move the questions' review cards
    skippable: bool = False  # a question may be skipped for now (and come back)
    minutes: int | None = None  # a time limit for the whole run


LESSON = Mode("lesson")
RETRY = Mode("retry")  # recorded, but the pass and its score stay as they were
REVIEW = Mode("review")
PRACTICE = Mode("practice", schedules=False)  # extra practice never changes the schedule


def exam(minutes: int | None = None) -> Mode:
    """An exam: feedback at the end, skipping allowed, optionally timed; it measures, so it never
    moves review cards."""
    return Mode("exam", Deferred(), schedules=False, skippable=True, minutes=minutes)


SCHEDULING: frozenset[str] = frozenset(mode.kind for mode in (LESSON, RETRY, REVIEW, PRACTICE, exam()) if mode.schedules)
