"""Where a learner stands with their assignments: each assigned lesson, its due date and status, and
the practice and check-ins an assignment sets, in words ("Thought record 2 times a week until Mon
14 Dec; PHQ-8 each Monday") and as done against what is set this week (`practice_rows`, from
`homework`'s statuses)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from neurotutor.assignments import model as am
from neurotutor.progress import model as pm

if TYPE_CHECKING:
    from neurotutor.assignments.homework import GoalStatus

SOON_DAYS = 3  # "due soon": within this many days


@dataclass(frozen=True)
class AssignedLesson:
    assignment_id: str
    assignment_title: str
    therapist: str
    lesson_id: str
    lesson_title: str
    due: date
    status: str  # new, in_progress, done (done: completed at least once)
    days_left: int  # negative: overdue

    @property
    def timing(self) -> str:
        """"overdue", "due soon", "" (plenty of time) or "done"."""
        if self.status == "done":
            return "done"
        if self.days_left < 0:
            return "overdue"
        return "due soon" if self.days_left <= SOON_DAYS else ""


def assigned_lessons(progress: pm.Progress, titles: Mapping[str, str], today: date) -> list[AssignedLesson]:
    """Every assigned lesson, the ones to do first (earliest due) first, done ones last."""
    found = []
    for stored in progress.assignments.values():
        a = stored.assignment
        for item in a.lessons:
            found.append(AssignedLesson(a.id, a.title, a.therapist.name, item.lesson, titles.get(item.lesson, item.lesson),
                                        item.due, lesson_status(progress.lessons.get(item.lesson)), (item.due - today).days))
    return sorted(found, key=lambda x: (x.status == "done", x.due, x.lesson_id))


def when_due(item: AssignedLesson) -> str:
    """The due date in words, kindly, labelled "due soon" or "overdue" when it is: "due soon:
    today", "due soon: tomorrow", "due Tue 1 Dec, in 8 days", "overdue since Mon 30 Nov;
    whenever you are ready"."""
    day = f"{item.due:%a} {item.due.day} {item.due:%b}"
    if item.timing == "done":
        return "done"
    if item.timing == "overdue":
        return f"overdue since {day}; whenever you are ready"
    when = {0: "today", 1: "tomorrow"}.get(item.days_left, f"{day}, in {item.days_left} days")
    return f"due soon: {when}" if item.timing == "due soon" else f"due {when}"


def goals_words(a: am.Assignment, titles: Mapping[str, str]) -> str | None:
    """The assignment's goals in words, for the client, or None when it sets none."""
    said = []
    if a.goals.review:
        said.append(f"review about {a.goals.review.minutes_per_day} minutes a day")
    if a.goals.exam:
        exam = a.goals.exam
        which = "these lessons" if not exam.lessons or set(exam.lessons) >= {x.lesson for x in a.lessons} \
            else ", ".join(titles.get(lid, lid) for lid in exam.lessons)
        when = f" by {exam.due:%a} {exam.due.day} {exam.due:%b}" if exam.due else ""
        said.append(f"an exam on {which}{when}, aiming for {exam.min_score}% or more")
    return ("Goals: " + "; ".join(said) + ".") if said else None


def first_to_do(a: am.Assignment, lessons: Mapping[str, pm.LessonState]) -> str | None:
    """The assignment's lesson to take first: the one due first that is not done (of two due the
    same day, the one listed first), or None when every one is done."""
    left = [item for item in a.lessons if lesson_status(lessons.get(item.lesson)) != "done"]
    return min(left, key=lambda item: item.due).lesson if left else None


def lesson_status(state: pm.LessonState | None) -> str:
    """new, in_progress or done (done: completed at least once, even while a later pass is open)."""
    return "done" if state is not None and state.completed_runs else pm.status(state)


# -- practice and check-ins ----------------------------------------------------------------------

BREATHING_SPACE = "Breathing space"
MEASURE_NAMES = {"phq8": "PHQ-8", "gad7": "GAD-7"}


def _day(day: date, year: bool) -> str:
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if year else "")


def how_often(times: int, per: str) -> str:
    """"once a week", "2 times a day"."""
    return f"{'once' if times == 1 else f'{times} times'} a {per}"


def practice_name(goal: am.PracticeGoal, titles: Mapping[str, str]) -> str:
    """The worksheet's title ("Thought record"), or the breathing space's name."""
    return BREATHING_SPACE if goal.worksheet == am.BREATHE else titles.get(goal.worksheet, goal.worksheet)


def practice_words(goal: am.PracticeGoal, titles: Mapping[str, str], year: bool = False, name: str | None = None) -> str:
    """A practice goal in words: "Thought record 2 times a week until Mon 14 Dec" (with the year
    for the therapist's summary); `name` in place of the worksheet's title."""
    until = f" until {_day(goal.until, year)}" if goal.until else ""
    return f"{name or practice_name(goal, titles)} {how_often(goal.times, goal.per)}{until}"


def checkin_words(goals: Sequence[am.CheckinGoal], year: bool = False) -> list[str]:
    """Check-in goals in words, those on the same day (and until the same date) together: "PHQ-8
    and GAD-7 each Monday", "GAD-7 once a week until Mon 14 Dec"."""
    groups: dict[tuple[str | None, date | None], list[str]] = {}
    for goal in goals:
        groups.setdefault((goal.day, goal.until), []).append(MEASURE_NAMES[goal.measure])
    said = []
    for (day, until), names in groups.items():
        when = f"each {day.capitalize()}" if day else "once a week"
        said.append(" and ".join(names) + f" {when}" + (f" until {_day(until, year)}" if until else ""))
    return said


def homework_words(a: am.Assignment, titles: Mapping[str, str]) -> str | None:
    """The practice and check-ins an assignment sets, in one line for the client ("Practice:
    Thought record 2 times a week until Mon 14 Dec; PHQ-8 each Monday."), or None."""
    said = [practice_words(goal, titles) for goal in a.goals.practice] + checkin_words(a.goals.checkins)
    return ("Practice: " + "; ".join(said) + ".") if said else None


def homework_commands(a: am.Assignment, titles: Mapping[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """What starts each practice and check-in an assignment sets: (its name, the words after
    `neurotutor`), in the order it sets them."""
    found: list[tuple[str, tuple[str, ...]]] = [(f"{practice_name(goal, titles)}:", ("practice", goal.worksheet))
                                                for goal in a.goals.practice]
    return found + [(f"{MEASURE_NAMES[goal.measure]} check-in:", ("checkin", goal.measure)) for goal in a.goals.checkins]


def practice_rows(statuses: Sequence[GoalStatus], goals: Sequence[am.PracticeGoal | am.CheckinGoal],
                  titles: Mapping[str, str], added_on: date) -> list[tuple[str, str, str]]:
    """Each goal as `neurotutor assignments` lists it: (the goal in words, what is done of what is
    set this week (today, for a daily goal), what is done of what is set so far). Plain counts:
    nothing is "missed" or "late"."""
    rows = []
    for goal, status in zip(goals, statuses, strict=True):
        if isinstance(goal, am.CheckinGoal):
            words = checkin_words([goal])[0]
        else:
            words = practice_words(goal, titles)
        if status.over:
            now = "ended"
        elif status.set_so_far == 0:  # a check-in on a day that has not come yet since it was added
            now = "from " + _day(_first_day(goal, added_on), False) if isinstance(goal, am.CheckinGoal) else ""
        elif isinstance(goal, am.PracticeGoal) and goal.per == "day":
            now = f"{status.period_done} of {status.period_set} today"
        else:
            now = f"{status.period_done} of {status.period_set}"
        rows.append((words, now, f"{status.done} of {status.set_so_far}" if status.set_so_far else ""))
    return rows


def _first_day(goal: am.CheckinGoal, added_on: date) -> date:
    """The first day a check-in is set for: its day of the week on or after the day it was added."""
    from datetime import timedelta

    if goal.day is None:
        return added_on
    return added_on + timedelta(days=(am.WEEKDAYS.index(goal.day) - added_on.weekday()) % 7)
