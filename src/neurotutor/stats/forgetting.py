"""`forgetting_curve`: how well the schedule's predicted recall matched the learner's own reviews.

The answers of the modes that schedule (lesson, retry, review) are replayed per question, in time
order, through `schedule.rating_for` and `schedule.review_card`, from no card, exactly as the live
schedule moved the card. Each review-mode answer after a question's first answer is one data point:
the whole days since the answer before it, the recall the card predicted then, and whether it was
right. Points are grouped by delay; alongside, the predicted curve of the learner's cards now.

Pure (no clock, no files), but the replay needs fsrs, which `review_card` imports: call this only
where fsrs may load (not from `neurotutor stats`, which must start fast).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from neurotutor.progress.model import Attempt, CardState
from neurotutor.study import schedule
from neurotutor.study.modes import SCHEDULING  # the modes whose answers move a card

BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0 days", 0, 0), ("1 day", 1, 1), ("2-3 days", 2, 3), ("4-7 days", 4, 7), ("8-14 days", 8, 14),
    ("15-30 days", 15, 30), ("31+ days", 31, None),
)
CURVE_DAYS = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30)


@dataclass(frozen=True)
class Bucket:
    """Reviews made after a delay in [low, high] whole days since the question's previous answer."""

    label: str
    low: int
    high: int | None  # None: no upper bound
    reviews: int
    predicted: float | None  # the mean predicted recall (None: no reviews)
    actual: float | None  # the share right (None: no reviews)


@dataclass(frozen=True)
class Point:
    """The predicted recall of the learner's cards `days` after their last review (mean over cards)."""

    days: int
    predicted: float | None  # None: no card has been reviewed


@dataclass(frozen=True)
class Curve:
    """Predicted against actual recall, and how much data it rests on."""

    buckets: tuple[Bucket, ...]
    points: tuple[Point, ...]
    reviews: int  # review answers used (each one a data point)
    cards: int  # the cards the predicted curve averages over


def _bucket_of(days: int) -> int:
    for index, (_, low, high) in enumerate(BUCKETS):
        if days >= low and (high is None or days <= high):
            return index
    return 0  # a clock set back: an answer before the previous one counts as no delay


def forgetting_curve(attempts: Iterable[Attempt], question_types: Mapping[str, str], question_ids: set[str] | frozenset[str],
                     now: datetime, desired_retention: float = 0.9) -> Curve:
    """Replay the scheduling answers (up to `now`) and compare the recall predicted at each review
    with the learner's answers; `question_types` gives each question's type (for its rating),
    `question_ids` the questions that exist now (the cards of the predicted curve)."""
    per_question: dict[str, list[Attempt]] = {}
    for a in attempts:
        if a.mode in SCHEDULING and a.at <= now:
            per_question.setdefault(a.question, []).append(a)
    reviews, predicted, right = [0] * len(BUCKETS), [0.0] * len(BUCKETS), [0] * len(BUCKETS)  # per bucket
    cards: dict[str, CardState] = {}
    for question, answers in per_question.items():
        answers.sort(key=lambda a: a.at)
        card: CardState | None = None
        previous: datetime | None = None
        kind = question_types.get(question, "")
        for a in answers:
            if a.mode == "review" and card is not None and previous is not None:
                days = (a.at - previous).days
                at = _bucket_of(days)
                reviews[at] += 1
                predicted[at] += schedule.retrievability(card, a.at)
                right[at] += a.correct
            rating = schedule.rating_for(correct=a.correct, credit=a.credit, confidence=a.confidence,
                                         seconds=a.seconds, question_type=kind)
            card = schedule.review_card(card, question, rating, a.at, desired_retention)
            previous = a.at
        if card is not None and question in question_ids:
            cards[question] = card
    buckets = tuple(Bucket(label, low, high, n, total / n if n else None, good / n if n else None)
                    for (label, low, high), n, total, good in zip(BUCKETS, reviews, predicted, right))
    reviewed = [c for c in cards.values() if c.last_review is not None and c.stability]
    points = tuple(Point(t, sum(schedule.retrievability_after(c, t) for c in reviewed) / len(reviewed)
                         if reviewed else None) for t in CURVE_DAYS)
    return Curve(buckets=buckets, points=points, reviews=sum(b.reviews for b in buckets), cards=len(reviewed))


def data_sentence(curve: Curve) -> str:
    """How much the curve can be trusted, in words."""
    n = curve.reviews
    if n == 0:
        return "No reviews yet: this fills in as you review the questions that come due."
    base = f"Based on {n} of your reviews" if n != 1 else "Based on 1 of your reviews"
    if n < 30:
        return f"{base}: too few to say much; the more you review, the clearer it gets."
    if n < 100:
        return f"{base}: a rough picture so far."
    return f"{base}."
