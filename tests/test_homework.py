"""Practice and check-ins set in an assignment against what was done (issue 21): golden days."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from neurotutor.assignments import model as am
from neurotutor.assignments.homework import checkin_status, due_line, goal_words, homework, practice_status

ADDED = date(2026, 12, 1)  # a Tuesday
TITLES = {"thought-record": "Thought record"}
TWICE = am.PracticeGoal(worksheet="thought-record", times=2, until=date(2026, 12, 14))
MONDAYS = am.CheckinGoal(measure="phq8", day="monday")


def d(day: int) -> date:
    return date(2026, 12, day)


def test_a_weekly_goal_counts_weeks_from_the_day_added_and_caps_each_week() -> None:
    s = practice_status(TWICE, ADDED, d(9), [d(2), d(3), d(5), d(9), d(30)], TITLES)
    # week 1 (1-7 Dec): three done, two count; week 2 (8-14 Dec) so far: one of two
    assert (s.set_so_far, s.done, s.period_set, s.period_done, s.due_now, s.over) == (4, 3, 2, 1, True, False)
    assert s.dates == (d(2), d(3), d(5), d(9))  # a day after today is not counted
    assert s.words == "Thought record 2 times a week until Mon 14 Dec"
    done = practice_status(TWICE, ADDED, d(10), [d(2), d(3), d(9), d(10)], TITLES)
    assert (done.done, done.period_done, done.due_now) == (4, 2, False)
    after = practice_status(TWICE, ADDED, d(20), [d(2)], TITLES)  # its last day has passed: nothing is due
    assert (after.set_so_far, after.done, after.due_now, after.over) == (4, 1, False, True)


def test_a_daily_goal_and_the_breathing_space() -> None:
    daily = am.PracticeGoal(worksheet="breathe", times=1, per="day")
    s = practice_status(daily, ADDED, d(3), [d(1), d(1), d(3)], {})
    assert (s.set_so_far, s.done, s.period_set, s.period_done, s.due_now) == (3, 2, 1, 1, False)
    assert goal_words(daily, {}) == "Breathing space once a day"


def test_a_check_in_each_monday_is_due_from_the_first_monday() -> None:
    assert checkin_status(MONDAYS, ADDED, d(6), []).due_now is False  # before the first Monday
    on = checkin_status(MONDAYS, ADDED, d(7), [])
    assert (on.set_so_far, on.done, on.due_now) == (1, 0, True)
    kept = checkin_status(MONDAYS, ADDED, d(13), [d(8)])  # done on the Tuesday: this week's is done
    assert (kept.set_so_far, kept.done, kept.due_now) == (1, 1, False)
    next_week = checkin_status(MONDAYS, ADDED, d(14), [d(8)])
    assert (next_week.set_so_far, next_week.done, next_week.due_now) == (2, 1, True)
    early = checkin_status(MONDAYS, ADDED, d(8), [d(2), d(6)])  # before the first Monday: neither counted nor listed
    assert (early.set_so_far, early.done, early.dates) == (1, 0, ())
    any_day = checkin_status(am.CheckinGoal(measure="gad7"), ADDED, d(9), [d(2)])
    assert (any_day.set_so_far, any_day.done, any_day.due_now, any_day.words) == (2, 1, True, "GAD-7 once a week")


def test_the_home_screen_line_names_only_what_is_due() -> None:
    a = am.Assignment(kind="assignment", format=1, id="a", title="A", therapist=am.Therapist(name="Dr A"), client="S",
                      lessons=(am.AssignedLesson(lesson="cbt", due=d(20)),),
                      goals=am.Goals(practice=(TWICE,), checkins=(MONDAYS,)))
    statuses = homework(a, ADDED, d(14), {"thought-record": [d(14)]}, {"phq8": [d(7)]}, TITLES)
    # TWICE ends on Mon 14 Dec, in the week that began on Tue 8: the line says so
    assert due_line(statuses) == ("Practice this week: Thought record 2 times a week (1 of 2 done; ends Mon 14 Dec); "
                                  "PHQ-8 each Monday.")
    earlier = homework(a, ADDED, d(3), {}, {}, TITLES)  # the first week: its end is not yet in sight
    assert due_line(earlier) == "Practice this week: Thought record 2 times a week (0 of 2 done)."
    done = homework(a, ADDED, d(14), {"thought-record": [d(14), d(14)]}, {"phq8": [d(14)]}, TITLES)
    assert due_line(done) is None


def test_goals_are_strict() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"worksheet": "thought-record", "times": 0}, am.PracticeGoal)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"measure": "phq9"}, am.CheckinGoal)
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert({"measure": "phq8", "day": "Monday"}, am.CheckinGoal)
