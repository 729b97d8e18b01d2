"""Spaced review: from an answer to an FSRS rating, and from a rating to the question's next card.

Every question a learner has answered has a card (`progress.model.CardState`, keyed by question
id). The rating of an answer is worked out from what the learner did, never asked for:

| the answer                                               | rating |
|----------------------------------------------------------|--------|
| wrong, or "I don't know"                                 | Again  |
| not fully right, but partial credit >= PARTIAL_HARD      | Hard   |
| right, rated "a guess" (confidence 1)                    | Hard   |
| right (no confidence, or "fairly sure")                  | Good   |
| right, rated "sure" (3) and answered within FAST_SECONDS | Easy   |

Cards are scheduled by the `fsrs` package with its default parameters, the profile's desired
retention, and no fuzzing (fuzz draws from the global random module; a schedule here is a pure
function of the answers and their times). The clock and the card id are always passed in, so fsrs
never reads the clock. `fsrs` is imported only inside `review_card`, by commands that record answers.

Retrievability (the predicted chance of recall) is worked out here with FSRS-6's forgetting curve,
so read-only commands (stats, the home screen) do not import fsrs; a test checks it against fsrs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Literal, cast

from neurotutor import dates
from neurotutor.progress.model import CardState

if TYPE_CHECKING:
    from neurotutor.lessons.catalogue import Catalogue
    from neurotutor.progress.model import Progress

Rating = Literal[1, 2, 3, 4]  # fsrs Rating: Again, Hard, Good, Easy
RATING_NAMES = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
LEARNING, REVIEW, RELEARNING = 1, 2, 3  # fsrs State

PARTIAL_HARD = 0.8  # partial credit at or above this (but not fully right) rates Hard; below, Again
# "Fast" for Easy: seconds from the question shown to the answer given, by question type.
FAST_SECONDS = {
    "true_false": 15.0,
    "single_choice": 20.0,
    "short_answer": 25.0,
    "multiple_select": 30.0,
    "ordering": 40.0,
    "matching": 40.0,
}

# FSRS-6's forgetting curve: R(t) = (1 + FACTOR * t / S) ** -DECAY, t in whole days (as fsrs counts).
DEFAULT_DECAY = 0.1542  # fsrs DEFAULT_PARAMETERS[20]
_FACTOR = 0.9 ** (1 / -DEFAULT_DECAY) - 1


def rating_for(*, correct: bool, credit: float | None, confidence: int | None, seconds: float,
               question_type: str) -> Rating:
    """The FSRS rating of one answer (see the table above)."""
    if not correct:
        return 2 if credit is not None and credit >= PARTIAL_HARD else 1
    if confidence == 1:
        return 2
    if confidence == 3 and seconds <= FAST_SECONDS.get(question_type, 20.0):
        return 4
    return 3


def _utc(when: datetime) -> datetime:
    return when.astimezone(timezone.utc)


def card_id(question_id: str) -> int:
    """A stable integer id for fsrs (it is not stored; the card is keyed by question id)."""
    import zlib

    return zlib.crc32(question_id.encode("utf-8"))


def review_card(card: CardState | None, question_id: str, rating: Rating, now: datetime,
                desired_retention: float) -> CardState:
    """The card after one review at `now` (a new card for a question answered the first time)."""
    import fsrs  # ~30 ms: only commands that record answers load it

    scheduler = fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)
    now = _utc(now)

    def review(shift: timedelta) -> CardState:
        """Review with every time moved back by `shift`, then forward again (saturating at the
        end of the calendar): fsrs works only with differences between times."""
        if card is None:
            before = fsrs.Card(card_id=card_id(question_id), due=now - shift)
        else:
            before = fsrs.Card(card_id=card_id(question_id), state=fsrs.State(card.state), step=card.step,
                               stability=card.stability, difficulty=card.difficulty,
                               due=dates.add(_utc(card.due), -shift),
                               last_review=None if card.last_review is None else dates.add(_utc(card.last_review), -shift))
        after, _ = scheduler.review_card(before, fsrs.Rating(rating), review_datetime=now - shift)
        state = cast("Literal[1, 2, 3]", int(after.state))  # fsrs.State: Learning 1, Review 2, Relearning 3
        return CardState(state=state, step=after.step, stability=after.stability,
                         difficulty=after.difficulty, due=dates.add(after.due, shift),
                         last_review=None if after.last_review is None else dates.add(after.last_review, shift))

    try:
        return review(timedelta(0))
    except OverflowError:  # near the end of the calendar (a clock at 9999-12-31): the next due date saturates
        return review(timedelta(days=scheduler.maximum_interval + 1))


def retrievability(card: CardState, now: datetime) -> float:
    """The predicted chance of recalling the card at `now` (0 for a card never reviewed)."""
    if card.last_review is None:
        return 0.0
    return retrievability_after(card, (_utc(now) - _utc(card.last_review)).days)


def retrievability_after(card: CardState, days: int) -> float:
    """The predicted chance of recalling the card `days` whole days after its last review."""
    if card.last_review is None or not card.stability or card.stability < 0:
        return 0.0
    return float((1 + _FACTOR * max(0, days) / card.stability) ** -DEFAULT_DECAY)


def is_mastered(card: CardState, now: datetime, desired_retention: float) -> bool:
    """In review state and still above the desired retention."""
    return card.state == REVIEW and retrievability(card, now) >= desired_retention


@dataclass(frozen=True)
class Due:
    """A card that is due, and where it comes from."""

    question_id: str
    lesson_id: str
    due: datetime


def due_queue(cards: dict[str, CardState], lesson_of: dict[str, str], now: datetime,
              lesson: str | None = None) -> list[Due]:
    """The due cards of questions that exist now (optionally of one lesson), most overdue first
    and interleaved: never two from one lesson in a row while another lesson has one due."""
    due = sorted((Due(q, lesson_of[q], c.due) for q, c in cards.items()
                  if q in lesson_of and c.due <= now and (lesson is None or lesson_of[q] == lesson)),
                 key=lambda d: (d.due, d.question_id))
    return interleave(due)


def interleave(queue: Iterable[Due]) -> list[Due]:
    """Keep the order, except that the next card comes from another lesson than the last one
    when there is one left: the earliest card of any other lesson moves up."""
    rest = list(queue)
    result: list[Due] = []
    while rest:
        pick = 0
        if result:
            pick = next((i for i, d in enumerate(rest) if d.lesson_id != result[-1].lesson_id), 0)
        result.append(rest.pop(pick))
    return result


def next_due(cards: dict[str, CardState], lesson_of: dict[str, str], now: datetime,
             lesson: str | None = None) -> datetime | None:
    """When the next card (of questions that exist now) falls due after `now`."""
    later = [c.due for q, c in cards.items()
             if q in lesson_of and c.due > now and (lesson is None or lesson_of[q] == lesson)]
    return min(later) if later else None


def count_due(cards: dict[str, CardState], lesson_of: dict[str, str], until: datetime) -> int:
    """How many cards of questions that exist now are due by `until`."""
    return sum(1 for q, c in cards.items() if q in lesson_of and c.due <= until)


def practice_queue(cards: dict[str, CardState], lesson_of: dict[str, str], now: datetime,
                   lesson: str | None = None) -> list[Due]:
    """Extra practice (nothing is due): the cards least likely to be recalled now first, interleaved."""
    ranked = sorted((Due(q, lesson_of[q], c.due) for q, c in cards.items()
                     if q in lesson_of and (lesson is None or lesson_of[q] == lesson)),
                    key=lambda d: (retrievability(cards[d.question_id], now), d.due, d.question_id))
    return interleave(ranked)


def question_lessons(catalogue: Catalogue) -> dict[str, str]:
    """Every loaded question's lesson: question id -> lesson id."""
    return {q: entry.info.id for entry in catalogue.lessons for q in entry.info.question_ids}


def review_queue(catalogue: Catalogue, progress: Progress, lesson_id: str | None, practice: bool,
                 now: datetime) -> tuple[list[Due], dict[str, str]]:
    """The review (or, with `practice`, extra practice) queue over the loaded lessons, and the
    question -> lesson map it was drawn from."""
    lesson_of = question_lessons(catalogue)
    pick = practice_queue if practice else due_queue
    return pick(progress.cards, lesson_of, now, lesson_id), lesson_of
