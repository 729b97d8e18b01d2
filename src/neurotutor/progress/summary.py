"""Per-lesson summaries built from the catalogue and the progress: `lesson_listing` for `lessons`,
`lesson_rows` for `progress`, and `home` for the home screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from neurotutor.lessons.catalogue import Catalogue
from neurotutor.progress import model as pm

if TYPE_CHECKING:
    from neurotutor.assignments.status import AssignedLesson
    from neurotutor.study.schedule import StudyDay


@dataclass(frozen=True)
class LessonRow:
    """One lesson's place in a learner's progress."""

    id: str
    title: str
    level: str
    minutes: int
    status: pm.Status
    completed_runs: int
    best_score: float | None
    last_score: float | None
    sections_read: int
    sections: int
    questions_answered: int
    questions: int
    last_studied: datetime | None
    builtin: bool
    loaded: bool = True  # False: progress for a lesson not in the catalogue now (a folder not given)


def lesson_rows(catalogue: Catalogue, progress: pm.Progress, unloaded: bool = False) -> list[LessonRow]:
    """A row per lesson in catalogue order; with `unloaded`, then a row for each lesson the
    progress knows but the catalogue does not have now.

    Counts are those of the current pass; a finished lesson (no pass open) counts as fully read
    and answered, which is what its last pass was.
    """
    rows = []
    for item in catalogue.lessons:
        info = item.info
        state = progress.lessons.get(info.id)
        status = pm.status(state)
        sections, questions = len(info.section_ids), len(info.question_ids)
        if status == "done":
            read, answered = sections, questions
        else:
            read = len(set(state.sections_seen) & set(info.section_ids)) if state else 0
            answered = len(set(state.answered) & set(info.question_ids)) if state else 0
        rows.append(LessonRow(
            id=info.id, title=info.title, level=info.level, minutes=info.minutes, status=status,
            completed_runs=state.completed_runs if state else 0,
            best_score=state.best_score if state else None,
            last_score=state.last_score if state else None,
            sections_read=read, sections=sections, questions_answered=answered, questions=questions,
            last_studied=state.last_studied if state else None, builtin=item.builtin,
        ))
    if unloaded:
        known = {row.id for row in rows}
        for lesson_id, state in sorted(progress.lessons.items()):
            if lesson_id in known:
                continue
            rows.append(LessonRow(
                id=lesson_id, title=lesson_id, level="-", minutes=0, status=pm.status(state),
                completed_runs=state.completed_runs, best_score=state.best_score, last_score=state.last_score,
                sections_read=len(state.sections_seen), sections=0, questions_answered=len(state.answered),
                questions=0, last_studied=state.last_studied, builtin=False, loaded=False))
    return rows


def resume_candidate(rows: list[LessonRow]) -> LessonRow | None:
    """The in-progress lesson studied most recently, if any."""
    started = [(r.last_studied, r) for r in rows if r.status == "in_progress" and r.last_studied and r.loaded]
    return max(started, key=lambda pair: pair[0])[1] if started else None


@dataclass(frozen=True)
class ListedLesson:
    """One lesson of the catalogue: what it is, the learner's status in it and best score."""

    number: int  # in the suggested order, from 1 (`learn 5` takes the fifth)
    id: str
    title: str
    summary: str
    level: str
    minutes: int
    tags: tuple[str, ...]
    sections: int
    questions: int
    builtin: bool
    status: pm.Status
    completed_runs: int
    best_score: float | None


def lesson_listing(catalogue: Catalogue, progress: pm.Progress, tags: Sequence[str] = ()) -> list[ListedLesson]:
    """The catalogue in the suggested order with each lesson's status and best score; with `tags`,
    only the lessons that have any of them (a tag no lesson has is a usage error naming the
    topic and level tags there are)."""
    entries = list(catalogue.lessons)
    numbers = {e.info.id: i for i, e in enumerate(entries, 1)}
    if tags:
        entries = [e for e in entries if set(tags) & set(e.info.tags)]
        if not entries:
            from neurotutor.errors import UsageError

            known = sorted({t for e in catalogue.lessons for t in e.info.tags if t.startswith(("topic-", "level-"))})
            raise UsageError(f"No lesson has the tag {', '.join(tags)}. Topic and level tags: {', '.join(known)}.")
    listed = []
    for entry in entries:
        info = entry.info
        state = progress.lessons.get(info.id)
        listed.append(ListedLesson(
            number=numbers[info.id], id=info.id, title=info.title, summary=info.summary, level=info.level, minutes=info.minutes, tags=info.tags,
            sections=len(info.section_ids), questions=len(info.question_ids), builtin=entry.builtin,
            status=pm.status(state), completed_runs=state.completed_runs if state else 0,
            best_score=state.best_score if state else None))
    return listed


def quiz_only(row: LessonRow) -> bool:
    """The learner took the quiz without the reading (questions answered, no section read)."""
    return bool(row.questions_answered and not row.sections_read)


def where(row: LessonRow) -> str:
    """Where an in-progress lesson stands: the next section, or the next question."""
    if row.sections_read < row.sections and not quiz_only(row):
        return f"section {row.sections_read + 1} of {row.sections}"
    return f"question {row.questions_answered + 1} of {row.questions}"


@dataclass(frozen=True)
class Home:
    """What the home screen shows: the lessons, the one to continue, the assigned lessons not done,
    how many questions are due now and when the next one is."""

    rows: list[LessonRow]
    resume: LessonRow | None
    assigned: list[AssignedLesson]
    due: int
    next_due: datetime | None


def home(catalogue: Catalogue, progress: pm.Progress, day: StudyDay, today: date) -> Home:
    """The home screen's state on the learner's study day (`today`: the learner's local date)."""
    from neurotutor.assignments.status import assigned_lessons
    from neurotutor.study import schedule

    rows = lesson_rows(catalogue, progress)
    titles = {e.info.id: e.info.title for e in catalogue.lessons}
    lesson_of = schedule.question_lessons(catalogue)
    due = schedule.count_due(progress.cards, lesson_of, day)
    return Home(rows, resume_candidate(rows),
                [x for x in assigned_lessons(progress, titles, today) if x.status != "done"], due,
                None if due else schedule.next_due(progress.cards, lesson_of, day))


@dataclass(frozen=True)
class NextStep:
    """What comes next for a learner: the lesson to take (its number in the suggested order, id and
    title, and whether it is started, or assigned) and the questions due for review today."""

    number: int | None
    lesson_id: str | None
    title: str | None
    started: bool
    assigned: bool
    due: int
    next_due: datetime | None  # when the next question falls due, when none is due today


def next_step(catalogue: Catalogue, progress: pm.Progress, day: StudyDay, today: date,
              after: str | None = None) -> NextStep:
    """The next lesson and the reviews due. The lesson is, in turn: an assigned lesson not done
    (the earliest due), the lesson in progress studied last, then the first new lesson in the
    suggested order; `after` (a lesson just finished) is never suggested."""
    from neurotutor.assignments.status import assigned_lessons
    from neurotutor.study import schedule

    rows = [r for r in lesson_rows(catalogue, progress) if r.id != after]
    numbers = {entry.info.id: i for i, entry in enumerate(catalogue.lessons, 1)}
    titles = {r.id: r.title for r in rows}
    assigned = sorted((x for x in assigned_lessons(progress, titles, today)
                       if x.status != "done" and x.lesson_id in titles), key=lambda x: (x.due, x.lesson_id))
    resume = resume_candidate(rows)
    row = (next((r for r in rows if r.id == assigned[0].lesson_id), None) if assigned
           else resume or next((r for r in rows if r.status == "new"), None))
    lesson_of = schedule.question_lessons(catalogue)
    due = schedule.count_due(progress.cards, lesson_of, day)
    later = None if due else schedule.next_due(progress.cards, lesson_of, day)
    if row is None:
        return NextStep(None, None, None, False, False, due, later)
    return NextStep(numbers[row.id], row.id, row.title, row.status == "in_progress",
                    bool(assigned) and row.id == assigned[0].lesson_id, due, later)
