"""Spaced review: the rating of an answer, the FSRS schedule it leads to (a golden test against the
fsrs package), retrievability, and the review queue."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from typing import Any

import fsrs
import msgspec
import pytest

from neurotutor.progress import model as pm
from neurotutor.quiz.answers import DONT_KNOW
from neurotutor.study import schedule
from neurotutor.study.engine import Study
from neurotutor.study.review import Review

from test_study import LESSON, RIGHT, WRONG, Memory, Script

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def day_of(at: datetime) -> schedule.StudyDay:
    """The study day of a learner in UTC whose day starts at 4 (the default)."""
    return schedule.study_day(at, 0, 4)


@pytest.mark.parametrize("correct, credit, confidence, seconds, kind, expected", [
    (False, None, None, 5.0, "single_choice", 1),  # wrong: Again
    (False, None, 3, 5.0, "single_choice", 1),  # wrong however sure
    (False, 0.79, None, 5.0, "multiple_select", 1),  # partial credit below the threshold: Again
    (False, 0.8, None, 5.0, "multiple_select", 2),  # at the threshold: Hard
    (True, None, 1, 5.0, "single_choice", 2),  # right but a guess: Hard
    (True, None, None, 5.0, "single_choice", 3),  # right: Good
    (True, None, 2, 5.0, "single_choice", 3),  # right and fairly sure: Good
    (True, None, 3, 20.0, "single_choice", 4),  # right, sure and fast: Easy
    (True, None, 3, 20.5, "single_choice", 3),  # sure but slow: Good
    (True, None, 3, 40.0, "ordering", 4),  # ordering takes longer to answer
    (True, None, 3, 15.5, "true_false", 3),
])
def test_rating_from_the_answer(correct: bool, credit: float | None, confidence: int | None, seconds: float,
                                kind: str, expected: int) -> None:
    assert schedule.rating_for(correct=correct, credit=credit, confidence=confidence, seconds=seconds,
                               question_type=kind) == expected


class ReviewScript(Script):
    """A review screen answering from a script."""

    def review_start(self, count: int, lessons: int, practice: bool) -> None:
        self.events.append(("review_start", count, lessons, practice))

    def confidence(self, item: Any) -> Any:
        return self._reply("confidence", item.question.id)

    def offer_more(self, count: int) -> Any:
        return self._reply("offer_more", count)

    def review_summary(self, answers: Any, practice: bool, next_due: Any) -> None:
        self.events.append(("review_summary", [a.graded.correct for a in answers], practice, next_due))


def _review(memory: Memory, at: datetime, *replies: Any, confidence: bool = False, seconds: float = 4.0,
            practice: bool = False) -> ReviewScript:
    screen = ReviewScript(*replies)
    lesson_of = {q.id: LESSON.id for q in LESSON.questions}
    queue = (schedule.practice_queue(memory.progress.cards, lesson_of, at) if practice
             else schedule.due_queue(memory.progress.cards, lesson_of, day_of(at)))
    ticks = iter([0.0, seconds] * 50)
    Review(queue=queue, lessons={LESSON.id: LESSON}, screen=screen, save=memory.save, clock=lambda: at, day=day_of,
           seed=7, practice=practice, timer=lambda: next(ticks), ask_confidence=confidence).run()
    return screen


def test_golden_schedule_matches_fsrs_for_the_documented_ratings() -> None:
    """One question answered at fixed times in a lesson and in reviews: the card kept in the
    progress file is exactly what fsrs computes for the ratings the table documents, its review
    intervals moved by the seeded fuzz (fsrs's own ranges)."""
    memory = Memory()
    answers = [RIGHT] + [WRONG] * 5
    times = iter([T0 + timedelta(seconds=s) for s in range(100)])
    timer = iter(float(s) for s in range(0, 1000, 4))  # every answer takes 4 seconds
    Study(lesson=LESSON, screen=Script(*answers, False), save=memory.save, load=memory.load,
          clock=lambda: next(times), seed=7, timer=lambda: next(timer)).run(with_sections=False)
    qid = "tm-single"
    memory.progress = msgspec.structs.replace(memory.progress, cards={qid: memory.progress.cards[qid]})  # this one only
    first_at = next(a.at for a in memory.history if a.question == qid)
    steps = [  # (when, answer, confidence) -> the rating the table gives
        (first_at + timedelta(minutes=10), RIGHT[qid], 3, 4),  # sure and fast: Easy
        (first_at + timedelta(days=20), WRONG[qid], 2, 1),  # forgotten: Again
        (first_at + timedelta(days=20, minutes=10), RIGHT[qid], 1, 2),  # a guess: Hard
        (first_at + timedelta(days=22), DONT_KNOW, None, 1),  # I don't know: Again
        (first_at + timedelta(days=23), RIGHT[qid], 2, 3),  # fairly sure: Good
    ]
    expected = fsrs.Card(card_id=1, due=first_at)
    scheduler = fsrs.Scheduler(desired_retention=0.9, enable_fuzzing=False)
    expected, _ = scheduler.review_card(expected, fsrs.Rating.Good, review_datetime=first_at)  # the lesson: Good
    for at, answer, confidence, rating in steps:
        assert day_of(at).is_due(memory.progress.cards[qid])
        screen = _review(memory, at, *([{qid: answer}] + ([confidence] if confidence else []) + [False]),
                         confidence=confidence is not None)
        assert ("ask", qid, "review") in screen.events
        expected, _ = scheduler.review_card(expected, fsrs.Rating(rating), review_datetime=at)
        if expected.state == fsrs.State.Review:  # the same fuzz, drawn from the question and the time
            days = schedule.fuzzed_days((expected.due - at).days, qid, at)
            expected.due = at + timedelta(days=days)
        card = memory.progress.cards[qid]
        assert (card.state, card.step, card.due, card.last_review) == (
            int(expected.state), expected.step, expected.due, expected.last_review)
        assert card.stability == pytest.approx(expected.stability, rel=1e-12)
        assert card.difficulty == pytest.approx(expected.difficulty, rel=1e-12)
    # and pinned, so that an fsrs release that changes the schedule is noticed
    final = memory.progress.cards[qid]
    assert final.state == schedule.REVIEW
    assert final.due == first_at + timedelta(days=23) + timedelta(days=schedule.fuzzed_days(1, qid, first_at))
    assert final.due == first_at + timedelta(days=24)  # an interval of 1 day is never fuzzed
    assert round(final.stability, 4) == 1.0502
    assert [a.mode for a in memory.history if a.question == qid] == ["lesson"] + ["review"] * 5


def test_retrievability_agrees_with_fsrs_on_whole_days_and_counts_the_hours_between() -> None:
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    for stability in (0.3, 2.3, 17.0, 240.0):
        for days in (0, 1, 3, 30, 400):
            card = pm.CardState(state=2, stability=stability, difficulty=5.0, due=T0, last_review=T0)
            ours = schedule.retrievability(card, T0 + timedelta(days=days))
            theirs = scheduler.get_card_retrievability(
                fsrs.Card(card_id=1, state=fsrs.State.Review, stability=stability, difficulty=5.0, due=T0,
                          last_review=T0), T0 + timedelta(days=days))
            assert ours == pytest.approx(theirs, rel=1e-12)
            # fsrs counts whole days; here five hours later is a little less likely to be recalled
            later = schedule.retrievability(card, T0 + timedelta(days=days, hours=5))
            assert later == pytest.approx((1 + schedule._FACTOR * (days + 5 / 24) / stability) ** -schedule.DEFAULT_DECAY)
            assert later < ours
    assert schedule.retrievability(pm.CardState(state=1, due=T0), T0) == 0.0
    # a card missed a minute ago (relearning, stability 0.3) is not "surely remembered"
    missed = pm.CardState(state=3, stability=0.3, difficulty=7.0, due=T0, last_review=T0 - timedelta(hours=6))
    assert round(schedule.retrievability(missed, T0), 3) == 0.912


def _card(due: datetime) -> pm.CardState:
    return pm.CardState(state=2, stability=3.0, difficulty=5.0, due=due, last_review=due - timedelta(days=3))


def test_due_queue_is_most_overdue_first_and_interleaved_across_lessons() -> None:
    cards = {"a1": _card(T0 - timedelta(days=5)), "a2": _card(T0 - timedelta(days=4)),
             "a3": _card(T0 - timedelta(days=3)), "b1": _card(T0 - timedelta(days=1)),
             "c1": _card(T0 + timedelta(hours=8)),  # later today: due all day
             "a4": _card(T0 + timedelta(hours=20)),  # 05:00 tomorrow: not due today
             "gone": _card(T0 - timedelta(days=9))}  # removed from its lesson: leaves the queue
    lesson_of = {"a1": "A", "a2": "A", "a3": "A", "a4": "A", "b1": "B", "c1": "C"}
    day = day_of(T0)
    queue = schedule.due_queue(cards, lesson_of, day)
    assert [d.question_id for d in queue] == ["a1", "b1", "a2", "c1", "a3"]
    assert [d.question_id for d in schedule.due_queue(cards, lesson_of, day, lesson="A")] == ["a1", "a2", "a3"]
    assert schedule.next_due(cards, lesson_of, day) == datetime(2026, 11, 24, 4, 0, tzinfo=timezone.utc)
    assert schedule.count_due(cards, lesson_of, day) == 5
    assert "gone" not in [d.question_id for d in schedule.practice_queue(cards, lesson_of, T0)]


def test_review_run_asks_the_due_questions_and_offers_the_missed_ones_again() -> None:
    memory = Memory()
    Study(lesson=LESSON, screen=Script(*[RIGHT] * 6, False), save=memory.save, load=memory.load,
          clock=lambda: T0, seed=7).run(with_sections=False)
    assert set(memory.progress.cards) == set(RIGHT)
    assert all(c.due == T0 + timedelta(minutes=10) for c in memory.progress.cards.values())  # learning step 2
    at = T0 + timedelta(minutes=11)
    later = at + timedelta(minutes=2)
    last = later + timedelta(minutes=11)
    clock = iter([at] * 6 + [later] * 7 + [last] * 20)  # six answers, then the check for what is due again
    screen = ReviewScript(*[WRONG] * 6, True, *[RIGHT] * 6, True, *[RIGHT] * 6)
    lesson_of = {q.id: LESSON.id for q in LESSON.questions}
    Review(queue=schedule.due_queue(memory.progress.cards, lesson_of, day_of(at)), lessons={LESSON.id: LESSON},
           screen=screen, save=memory.save, clock=lambda: next(clock), day=day_of, seed=7).run()
    kinds = [e[0] for e in screen.events]
    # missed: the first learning step (a minute), then right: the second (ten minutes, within the
    # 20-minute learn-ahead, so in the same session), then right again: in review, days away
    assert kinds == (["review_start"] + ["ask", "feedback"] * 6 + ["offer_more", "review_start"]
                     + ["ask", "feedback"] * 6 + ["offer_more", "review_start"]
                     + ["ask", "feedback"] * 6 + ["review_summary"])
    assert screen.events[0] == ("review_start", 6, 1, False)
    assert screen.events[-1][1] == [False] * 6 + [True] * 12
    assert [a.mode for a in memory.history].count("review") == 18
    assert {(c.state, c.step) for c in memory.progress.cards.values()} == {(schedule.REVIEW, None)}
    assert min(c.due for c in memory.progress.cards.values()) >= day_of(last).end


def test_practice_does_not_touch_the_schedule() -> None:
    memory = Memory()
    Study(lesson=LESSON, screen=Script(*[RIGHT] * 6, False), save=memory.save, load=memory.load,
          clock=lambda: T0, seed=7).run(with_sections=False)
    before = dict(memory.progress.cards)
    screen = _review(memory, T0 + timedelta(minutes=1), *[WRONG] * 6, practice=True)
    assert memory.progress.cards == before
    assert [a.mode for a in memory.history[-6:]] == ["practice"] * 6
    assert screen.events[0] == ("review_start", 6, 1, True)
    assert "offer_more" not in [e[0] for e in screen.events]


def test_stopped_at_the_confidence_rating_keeps_the_answer_unrated() -> None:
    memory = Memory()
    screen = Script(RIGHT)  # answers the first question, then stops at "how sure?"
    screen.confidence = lambda item: screen._reply("confidence")  # type: ignore[method-assign]
    with pytest.raises(Exception, match="confidence"):
        Study(lesson=LESSON, screen=screen, save=memory.save, load=memory.load, clock=lambda: T0, seed=7,
              ask_confidence=True).run(with_sections=False)
    assert [(a.question, a.correct, a.confidence) for a in memory.history] == [("tm-single", True, None)]
    assert "tm-single" in memory.progress.cards


def test_scheduling_needs_fsrs_but_reading_the_schedule_does_not() -> None:
    code = ("import sys; from neurotutor.study import schedule, confidence, review, exam; "
            "print('fsrs' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_a_study_day_starts_at_the_set_local_hour() -> None:
    """Golden study days: a learner in UTC+5:30 whose day starts at 4 (the default) or at 0."""
    kolkata = 330
    # 02:00 local on 24 Nov is still the study day of 23 Nov (it began at 04:00 local = 22:30 UTC)
    day = schedule.study_day(datetime(2026, 11, 23, 20, 30, tzinfo=timezone.utc), kolkata)
    assert (day.start, day.end) == (datetime(2026, 11, 22, 22, 30, tzinfo=timezone.utc),
                                    datetime(2026, 11, 23, 22, 30, tzinfo=timezone.utc))
    midnight = schedule.study_day(datetime(2026, 11, 23, 20, 30, tzinfo=timezone.utc), kolkata, 0)
    assert midnight.start == datetime(2026, 11, 23, 18, 30, tzinfo=timezone.utc)
    # a review card due at 23:59 local is due from the morning; one due after 04:00 tomorrow is not
    morning = schedule.study_day(datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc), kolkata)  # 08:30 local
    tonight = _card(datetime(2026, 11, 23, 18, 29, tzinfo=timezone.utc))
    tomorrow = _card(datetime(2026, 11, 23, 22, 31, tzinfo=timezone.utc))
    assert morning.is_due(tonight) and not morning.is_due(tomorrow)
    assert morning.available(tomorrow) == datetime(2026, 11, 23, 22, 30, tzinfo=timezone.utc)
    assert morning.day_of(tomorrow.due) == 1


def test_learning_cards_are_due_by_the_clock_within_the_learn_ahead_limit() -> None:
    day = day_of(T0)
    step = pm.CardState(state=schedule.LEARNING, step=1, stability=2.3, difficulty=5.0,
                        due=T0 + timedelta(minutes=20), last_review=T0 - timedelta(minutes=1))
    assert day.is_due(step)  # 20 minutes ahead: due now, as Anki learns ahead
    later = msgspec.structs.replace(step, due=T0 + timedelta(minutes=21))
    assert not day.is_due(later) and day.available(later) == T0 + timedelta(minutes=1)


def test_the_fuzz_is_fsrs_s_range_and_the_same_for_the_same_review() -> None:
    assert schedule.fuzzed_days(1, "q", T0) == 1 and schedule.fuzzed_days(2, "q", T0) == 2  # never under 2.5
    drawn = {schedule.fuzzed_days(10, f"q{i}", T0) for i in range(200)}
    # fsrs: 10 days +- (1 + 0.15 * 4.5 + 0.1 * 3) = +- 1.975, so 8 to 12; it draws a float in [8, 13)
    # and rounds it, so 13 comes up too (fsrs's own arithmetic, kept so the schedules agree)
    assert drawn == set(range(8, 14))
    assert {schedule.fuzzed_days(100, f"q{i}", T0) for i in range(2000)} == set(range(93, 109))
    assert schedule.fuzzed_days(10, "q1", T0) == schedule.fuzzed_days(10, "q1", T0)  # reproducible
    spread = [schedule.fuzzed_days(10, "q1", T0 + timedelta(days=i)) for i in range(50)]
    assert len(set(spread)) > 1  # the same question on another day may draw another interval


def test_an_exam_date_brings_reviews_back_before_it_and_rescheduling_follows_a_new_retention() -> None:
    card = pm.CardState(state=schedule.REVIEW, step=None, stability=40.0, difficulty=5.0,
                        due=T0, last_review=T0 - timedelta(days=30))
    exam = datetime(2026, 12, 1, 4, 0, tzinfo=timezone.utc)
    after = schedule.review_card(card, "q", 3, T0, 0.9, before=exam)
    assert after.state == schedule.REVIEW and after.due == exam - timedelta(days=1)
    free = schedule.review_card(card, "q", 3, T0, 0.9)
    assert free.due > exam
    assert schedule.exam_cutoff(date(2026, 12, 1), 330) == datetime(2026, 11, 30, 22, 30, tzinfo=timezone.utc)
    # a new retention: the interval from the last review is worked out again (fsrs's formula)
    moved = schedule.rescheduled(card, "q", 0.8)
    expected = schedule.fuzzed_days(schedule.next_interval_days(40.0, 0.8), "q", card.last_review)
    assert moved.due == card.last_review + timedelta(days=expected)  # type: ignore[operator]
    assert schedule.next_interval_days(40.0, 0.9) == fsrs.Scheduler(
        desired_retention=0.9, enable_fuzzing=False)._next_interval(stability=40.0)
    assert schedule.next_interval_days(40.0, 0.8) == fsrs.Scheduler(
        desired_retention=0.8, enable_fuzzing=False)._next_interval(stability=40.0)


def test_the_forecast_counts_each_study_day_and_puts_the_overdue_today() -> None:
    day = day_of(T0)
    cards = [_card(T0 - timedelta(days=3)), _card(T0 + timedelta(hours=2)), _card(T0 + timedelta(days=1)),
             _card(T0 + timedelta(days=1, hours=1)), _card(T0 + timedelta(days=29)), _card(T0 + timedelta(days=30))]
    forecast = schedule.forecast(cards, day)
    assert len(forecast) == 30 and forecast[:2] == (2, 2) and forecast[29] == 1 and sum(forecast) == 5
