"""Practice set in an assignment, against what was done: pure, from dates (no clock, no files).

A weekly goal counts weeks from the day the assignment was added (its first week is that day and
the six after it), up to its `until` date; a daily goal counts days. What was done is given as the
local dates of finished worksheets (or breathing spaces) and of check-ins, by what they were.
Nothing here nags: the home screen shows one line of it, and only what is due now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from neurotutor.assignments import model as am

MEASURES = {"phq8": "PHQ-8", "gad7": "GAD-7"}


@dataclass(frozen=True)
class GoalStatus:
    """One practice or check-in goal on a day: what it asks, how much is set so far and done."""

    what: str  # the worksheet's id, "breathe", or the measure ("phq8")
    words: str  # the goal in words: "2 thought records a week until Mon 14 Dec"
    set_so_far: int  # how many the goal asks for up to today (whole periods begun)
    done: int  # how many were done in that time (at most what was set, per period)
    period_set: int  # in the current week (or day)
    period_done: int
    due_now: bool  # something is still to do in the current period
    dates: tuple[date, ...]  # the days it was done, in the goal's time, oldest first
    over: bool = False  # its last day has passed
    ends: date | None = None  # its last day, when it falls in the current week (or day): said on the home screen


def _day_words(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def goal_words(goal: am.PracticeGoal | am.CheckinGoal, titles: Mapping[str, str]) -> str:
    """A goal as the client and the therapist read it."""
    if isinstance(goal, am.CheckinGoal):
        said = f"{MEASURES[goal.measure]} " + (f"each {goal.day.capitalize()}" if goal.day else "once a week")
    else:
        from neurotutor.assignments.status import practice_words

        return practice_words(goal, titles)  # one vocabulary with the client's list of assignments
    return said + (f" until {_day_words(goal.until)}" if goal.until else "")


def _periods(start: date, end: date, per: str) -> list[tuple[date, date]]:
    """The periods (first day, last day) from start to end: weeks from start, or days."""
    step = 7 if per == "week" else 1
    out = []
    first = start
    while first <= end:
        out.append((first, min(first + timedelta(days=step - 1), end)))
        first += timedelta(days=step)
    return out


def practice_status(goal: am.PracticeGoal, added_on: date, today: date, done_on: Iterable[date],
                    titles: Mapping[str, str]) -> GoalStatus:
    """How a practice goal stands on `today`, given the days its worksheet was finished."""
    last = min(today, goal.until) if goal.until else today
    periods = _periods(added_on, last, goal.per)
    days = sorted(d for d in done_on if added_on <= d <= last)
    done = sum(min(goal.times, sum(a <= d <= b for d in days)) for a, b in periods)
    current = periods[-1] if periods and today <= last else None  # the period today is in
    period_done = sum(current[0] <= d <= current[1] for d in days) if current else 0
    over = goal.until is not None and today > goal.until
    ends = goal.until if current and goal.until is not None and goal.until < current[0] + timedelta(
        days=7 if goal.per == "week" else 1) else None
    return GoalStatus(goal.worksheet, goal_words(goal, titles), goal.times * len(periods), done,
                      goal.times if current else 0, min(period_done, goal.times) if current else 0,
                      bool(current) and period_done < goal.times and not over, tuple(days), over, ends)


def checkin_status(goal: am.CheckinGoal, added_on: date, today: date, done_on: Iterable[date]) -> GoalStatus:
    """How a check-in goal stands on `today`: one check-in a week, on its day (or any day)."""
    last = min(today, goal.until) if goal.until else today
    days = sorted(d for d in done_on if added_on <= d <= last)
    if goal.day is None:
        weeks = _periods(added_on, last, "week")
    else:  # weeks that start on the goal's day (the first one on or after the day added)
        first = added_on + timedelta(days=(am.WEEKDAYS.index(goal.day) - added_on.weekday()) % 7)
        weeks = _periods(first, last, "week")
    days = [d for d in days if weeks and d >= weeks[0][0]]  # one before its first week is not counted, nor listed
    done = sum(any(a <= d <= b for d in days) for a, b in weeks)
    current = weeks[-1] if weeks and today <= last else None
    period_done = int(any(current[0] <= d <= current[1] for d in days)) if current else 0
    over = goal.until is not None and today > goal.until
    ends = goal.until if current and goal.until is not None and goal.until < current[0] + timedelta(days=7) else None
    return GoalStatus(goal.measure, goal_words(goal, {}), len(weeks), done, 1 if current else 0, period_done,
                      bool(current) and not period_done and not over, tuple(days), over, ends)


def homework(a: am.Assignment, added_on: date, today: date, worksheets_done: Mapping[str, Sequence[date]],
             checkins_done: Mapping[str, Sequence[date]], titles: Mapping[str, str]) -> list[GoalStatus]:
    """Every practice and check-in goal of an assignment on `today`, in the order it sets them."""
    out = [practice_status(g, added_on, today, worksheets_done.get(g.worksheet, ()), titles) for g in a.goals.practice]
    out += [checkin_status(g, added_on, today, checkins_done.get(g.measure, ())) for g in a.goals.checkins]
    return out


def due_line(statuses: Sequence[GoalStatus]) -> str | None:
    """One line for the home screen: what is still to do this week (None: nothing)."""
    due = [s for s in statuses if s.due_now]
    if not due:
        return None
    def said(s: GoalStatus) -> str:
        counted = f"{s.period_done} of {s.period_set} done" if s.period_set > 1 else ""
        last = f"ends {_day_words(s.ends)}" if s.ends else ""
        extra = "; ".join(x for x in (counted, last) if x)
        return s.words.split(" until ")[0] + (f" ({extra})" if extra else "")

    return "Practice this week: " + "; ".join(said(s) for s in due) + "."
