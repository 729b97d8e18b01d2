"""Where a learner stands with their assignments: each assigned lesson, its due date and status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from neurotutor.assignments import model as am
from neurotutor.progress import model as pm

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
