"""Where a learner stands with their assignments: each assigned lesson, its due date and status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping

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
            state = progress.lessons.get(item.lesson)
            status = "done" if state is not None and state.completed_runs else pm.status(state)
            found.append(AssignedLesson(a.id, a.title, a.therapist.name, item.lesson, titles.get(item.lesson, item.lesson),
                                        item.due, status, (item.due - today).days))
    return sorted(found, key=lambda x: (x.status == "done", x.due, x.lesson_id))


def when_due(item: AssignedLesson) -> str:
    """The due date in words, kindly: "due today", "due tomorrow", "due Tue 1 Dec (in 8 days)",
    "was due Mon 30 Nov, whenever you are ready"."""
    day = f"{item.due:%a} {item.due.day} {item.due:%b}"
    if item.status == "done":
        return "done"
    if item.days_left == 0:
        return "due today"
    if item.days_left == 1:
        return "due tomorrow"
    if item.days_left > 1:
        return f"due {day} (in {item.days_left} days)"
    return f"was due {day}; whenever you are ready"
