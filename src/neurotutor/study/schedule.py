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

Cards are scheduled by the `fsrs` package with its default parameters and the profile's desired
retention. fsrs's own fuzz draws from the global random module, so it is off; the same fuzz (fsrs's
ranges: an interval of 3 days or more moves by a few per cent, as Anki spreads reviews) is drawn
here from a generator seeded by the question and the review's time, so a schedule stays a pure,
reproducible function of the answers and their times. An exam date caps a review interval so
the card comes back on a study day before it. The clock and the card id are always passed in, so
fsrs never reads the clock. `fsrs` is imported only inside `review_card`, by commands that record
answers.

Due by day, as in Anki. A study day begins at a set local hour (`day_starts_at`, 4 by default), and
a card in review is due for the whole study day its due time falls in, so "due today" can be done
at any time today, and the home screen, `review` and `stats` count the same cards (`StudyDay`).
A card in its learning or relearning steps (minutes apart) is due by the clock, LEARN_AHEAD early:
a question missed in a review comes back in the same session.

Retrievability (the predicted chance of recall) is worked out here with FSRS-6's forgetting curve
over fractional days (a card missed a minute ago is not "remembered for sure"), so read-only
commands (stats, the home screen) do not import fsrs; a test checks it against fsrs on whole days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
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

LEARN_AHEAD = timedelta(minutes=20)  # a card in its learning steps is due this early (Anki's learn-ahead limit)
MATURE_DAYS = 21  # a card whose interval is this many days or more is "mature" (Anki's word)
# fsrs's fuzz: an interval of `start` days or more moves by `factor` of the part of it inside each range
FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))

# FSRS-6's forgetting curve: R(t) = (1 + FACTOR * t / S) ** -DECAY, t in days.
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


def fuzzed_days(days: int, question_id: str, at: datetime, maximum: int = 36500) -> int:
    """An interval of `days` moved within fsrs's fuzz range, by a draw seeded with the question and
    the review's time: the same answer always gets the same interval."""
    import random

    if days < 2.5:
        return days
    delta = 1.0 + sum(factor * max(min(float(days), end) - start, 0.0) for start, end, factor in FUZZ_RANGES)
    high = min(round(days + delta), maximum)
    low = min(max(2, round(days - delta)), high)
    draw = random.Random(f"{question_id} {_utc(at).isoformat()}").random()
    return int(min(round(draw * (high - low + 1) + low), maximum))


def review_card(card: CardState | None, question_id: str, rating: Rating, now: datetime,
                desired_retention: float, before: datetime | None = None) -> CardState:
    """The card after one review at `now` (a new card for a question answered the first time),
    its interval fuzzed; with `before` (an exam's first moment), a review card comes back no later."""
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
        after = review(timedelta(0))
    except OverflowError:  # near the end of the calendar (a clock at 9999-12-31): the next due date saturates
        after = review(timedelta(days=scheduler.maximum_interval + 1))
    if after.state != REVIEW or after.last_review is None:
        return after
    days = (after.due - after.last_review).days
    fuzzed = fuzzed_days(days, question_id, now, scheduler.maximum_interval)
    due = after.due if fuzzed == days else dates.add(after.last_review, timedelta(days=fuzzed))
    if before is not None and now < before - timedelta(days=1) and due >= before:
        due = before - timedelta(days=1)  # back on the study day before the exam
    return CardState(state=after.state, step=after.step, stability=after.stability, difficulty=after.difficulty,
                     due=due, last_review=after.last_review)


def next_interval_days(stability: float, desired_retention: float, maximum: int = 36500) -> int:
    """fsrs's interval (whole days, at least 1) for a card of this stability at this retention."""
    days = float(stability / _FACTOR * (desired_retention ** (1 / -DEFAULT_DECAY) - 1))
    return min(max(round(days), 1), maximum)


def rescheduled(card: CardState, question_id: str, desired_retention: float, before: datetime | None = None) -> CardState:
    """A review card's due date worked out again for a new retention (or exam date), from its last review."""
    if card.state != REVIEW or card.last_review is None or not card.stability:
        return card
    days = fuzzed_days(next_interval_days(card.stability, desired_retention), question_id, card.last_review)
    due = dates.add(_utc(card.last_review), timedelta(days=days))
    if before is not None and card.last_review < before - timedelta(days=1) and due >= before:
        due = before - timedelta(days=1)
    return CardState(state=card.state, step=card.step, stability=card.stability, difficulty=card.difficulty,
                     due=due, last_review=card.last_review)


def retrievability(card: CardState, now: datetime) -> float:
    """The predicted chance of recalling the card at `now` (0 for a card never reviewed)."""
    if card.last_review is None:
        return 0.0
    return retrievability_after(card, (_utc(now) - _utc(card.last_review)) / timedelta(days=1))


def retrievability_after(card: CardState, days: float) -> float:
    """The predicted chance of recalling the card `days` days after its last review."""
    if card.last_review is None or not card.stability or card.stability < 0:
        return 0.0
    return float((1 + _FACTOR * max(0.0, days) / card.stability) ** -DEFAULT_DECAY)


def is_mature(card: CardState) -> bool:
    """In review with an interval of MATURE_DAYS or more (Anki's "mature" card)."""
    if card.state != REVIEW or card.last_review is None:
        return False
    return _utc(card.due) - _utc(card.last_review) >= timedelta(days=MATURE_DAYS)


@dataclass(frozen=True)
class StudyDay:
    """The learner's study day at `now`: when it began and ends (UTC), and the learn-ahead limit."""

    now: datetime
    start: datetime
    end: datetime
    learn_ahead: timedelta = LEARN_AHEAD

    def is_due(self, card: CardState) -> bool:
        """A review card due any time this study day; a learning card due within the learn-ahead."""
        if card.state == REVIEW:
            return _utc(card.due) < self.end
        return _utc(card.due) <= dates.add(self.now, self.learn_ahead)

    def available(self, card: CardState) -> datetime:
        """When the card is (or was) first due: the start of its study day, or its step less the learn-ahead."""
        due = _utc(card.due)
        if card.state != REVIEW:
            return dates.add(due, -self.learn_ahead)
        if due < self.end:
            return self.start
        return max(self.end, dates.add(self.start, timedelta(days=(due - self.start) // timedelta(days=1))))

    def day_of(self, moment: datetime) -> int:
        """Study days from this one to the one `moment` falls in (0 today, 1 tomorrow, -1 yesterday)."""
        return (_utc(moment) - self.start) // timedelta(days=1)


def study_day(now: datetime, utc_offset_minutes: int, starts_at: int = 4,
              learn_ahead: timedelta = LEARN_AHEAD) -> StudyDay:
    """The study day at `now` for a learner `utc_offset_minutes` from UTC whose day starts at `starts_at` o'clock."""
    now = _utc(now)
    offset = timedelta(minutes=utc_offset_minutes)
    local = dates.add(now, offset).replace(tzinfo=None)
    begun = local.replace(hour=starts_at, minute=0, second=0, microsecond=0)
    if local < begun:
        begun = dates.add(begun.replace(tzinfo=timezone.utc), -timedelta(days=1)).replace(tzinfo=None)
    start = dates.add(begun.replace(tzinfo=timezone.utc), -offset)
    end = dates.add(start, timedelta(days=1))
    if end <= now:  # local time past the end of the calendar (its last hours, east of UTC): the last day
        start, end = end, dates.add(end, timedelta(days=1))
    return StudyDay(now, start, end, learn_ahead)


def exam_cutoff(exam_date: date | None, utc_offset_minutes: int, starts_at: int = 4) -> datetime | None:
    """The first moment of the exam's study day (UTC), for capping intervals before it."""
    if exam_date is None:
        return None
    local = datetime.combine(exam_date, time(hour=starts_at))
    return dates.add(local.replace(tzinfo=timezone.utc), -timedelta(minutes=utc_offset_minutes))


@dataclass(frozen=True)
class Due:
    """A card that is due, and where it comes from."""

    question_id: str
    lesson_id: str
    due: datetime


def due_queue(cards: dict[str, CardState], lesson_of: dict[str, str], day: StudyDay,
              lesson: str | None = None) -> list[Due]:
    """The cards due on this study day of questions that exist now (optionally of one lesson),
    most overdue first and interleaved: never two from one lesson in a row while another lesson
    has one due."""
    due = sorted((Due(q, lesson_of[q], c.due) for q, c in cards.items()
                  if q in lesson_of and day.is_due(c) and (lesson is None or lesson_of[q] == lesson)),
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


def next_due(cards: dict[str, CardState], lesson_of: dict[str, str], day: StudyDay,
             lesson: str | None = None) -> datetime | None:
    """When the next card (of questions that exist now) that is not due now falls due: the start
    of its study day, or its learning step less the learn-ahead."""
    later = [day.available(c) for q, c in cards.items()
             if q in lesson_of and not day.is_due(c) and (lesson is None or lesson_of[q] == lesson)]
    return min(later) if later else None


def count_due(cards: dict[str, CardState], lesson_of: dict[str, str], day: StudyDay) -> int:
    """How many cards of questions that exist now are due on this study day."""
    return sum(1 for q, c in cards.items() if q in lesson_of and day.is_due(c))


def forecast(cards: Iterable[CardState], day: StudyDay, days: int = 30) -> tuple[int, ...]:
    """How many cards fall due on each of the next `days` study days (today holds the overdue and
    the learning cards)."""
    counts = [0] * days
    for card in cards:
        at = 0 if day.is_due(card) else day.day_of(card.due)
        if 0 <= at < days:
            counts[at] += 1
    return tuple(counts)


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
                 day: StudyDay) -> tuple[list[Due], dict[str, str]]:
    """The review (or, with `practice`, extra practice) queue over the loaded lessons, and the
    question -> lesson map it was drawn from."""
    lesson_of = question_lessons(catalogue)
    if practice:
        return practice_queue(progress.cards, lesson_of, day.now, lesson_id), lesson_of
    return due_queue(progress.cards, lesson_of, day, lesson_id), lesson_of
