"""The home screen (`neurotutor` with no command): first-run notice, then a small menu.

The menu entries keep their numbers whatever the profile holds (1 is always "Review", 2 always
"Continue", each shown as unavailable when there is nothing to do), so "press 6 for help" stays
true for everyone. When questions are due, the screen says how many and review comes first.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from neurotutor import dates

if TYPE_CHECKING:
    from collections.abc import Iterable

    from neurotutor.cli.session import Session
    from neurotutor.progress.model import StoredAssignment
    from neurotutor.progress.summary import LessonRow

STATUS_WORDS = {"new": "new", "in_progress": "in progress", "done": "done"}


def run(ctx: typer.Context) -> None:
    """Show the home screen: review, continue, choose a lesson, exams, progress, help, quit."""
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    s.out.heading("neurotutor: how therapy changes the brain")
    s.greet(screen=True)
    with s.stoppable(lambda first: f"{first}. Your progress is saved."):
        while _turn(s):
            pass


def _turn(s: Session) -> bool:
    """One visit to the menu and what was chosen there; False when the learner is done."""
    from neurotutor import safety
    from neurotutor.assignments.status import goals_words, when_due
    from neurotutor.cli import hints
    from neurotutor.cli.exam_screen import choose_exam
    from neurotutor.cli.review_screen import run_review, when
    from neurotutor.cli.study_screen import take_lesson
    from neurotutor.progress.summary import home, quiz_only, where
    from neurotutor.study import schedule
    from neurotutor.study.review import REVIEW_PORTION

    out, prompter = s.out, s.prompter
    progress, moment = s.reload(), s.clock()
    day = s.day(moment)
    state = home(s.catalogue, progress, day, dates.local(moment).date())
    rows, resume, assigned, due = state.rows, state.resume, state.assigned, state.due
    out.line()
    if assigned:
        ids = list(dict.fromkeys(x.assignment_id for x in assigned))
        out.styled(f"From {assigned[0].therapist}: {assigned[0].assignment_title}"
                   if len(ids) == 1 else "Your assignments", "bold")
        out.bullets([f"{x.lesson_title} ({when_due(x)})" for x in assigned])
        for goals in filter(None, (goals_words(progress.assignments[i].assignment, s.titles()) for i in ids)):
            out.line(goals)
    practice_due = _practice_due(s, progress)
    if practice_due:
        out.line(practice_due)
    if due:
        out.styled(f"{due} question{'s' if due != 1 else ''} to review.", "bold")
    out.note(f"Profile: {s.settings.profile}. {safety.footer(hints.bare('safety'))} (or press !)")
    first_new = next((i for i, r in enumerate(rows, 1) if r.status == "new"), None)
    options = [f"Review: {due} question{'s' if due != 1 else ''} due" if due else "Review",
               f"Continue: {resume.title} ({where(resume)})" if resume
               else f"Start your assignment: {assigned[0].lesson_title} ({when_due(assigned[0])})" if assigned
               else f"Next: {first_new}. {rows[first_new - 1].title}" if first_new
               else "Continue",
               "Choose a lesson", "Exam practice", "See my progress", "Get urgent help (crisis lines)",
               "Practise: a worksheet, a breathing space or a check-in", "Quit"]  # help stays 6 for everyone
    disabled = {}
    if not due:
        disabled[0] = f"next due {when(state.next_due, day)}" if state.next_due else "nothing answered yet"
    if not resume and not assigned and not first_new:
        disabled[1] = "every lesson is done"
    action = prompter.choose("What would you like to do?", options, disabled)
    if action == 6:
        practise(s)
        return True
    if action == 7:
        out.line("Goodbye. Your progress is saved.")
        return False
    if action == 5:
        prompter.help()  # the crisis lines, paged, until the learner comes back to the menu
    elif action == 4:
        out.bullets([f"{r.title}: {STATUS_WORDS[r.status]}"
                     + (f", best {round(r.best_score * 100)}%" if r.best_score is not None else "")
                     for r in rows], title="Your progress")
        out.command("Details:", s.command("progress"))
        out.command("Streaks, mastery and calibration:", s.command("stats"))
    elif action == 3:
        choose_exam(s)
    elif action == 0:
        queue, _ = schedule.review_queue(s.catalogue, progress, None, False, day)
        run_review(s, queue[:REVIEW_PORTION], more=len(queue[REVIEW_PORTION:]))
    elif action == 1 and resume:
        take_lesson(s, s.find(resume.id), with_sections=not quiz_only(resume))  # as they started it
    elif action == 1 and assigned:
        take_lesson(s, s.find(assigned[0].lesson_id))
    elif action == 1 and first_new:
        take_lesson(s, s.find(rows[first_new - 1].id))
    else:
        choose_lesson(s, rows, {x.lesson_id: when_due(x) for x in reversed(assigned)})
    return True


def _practice_due(s: Session, progress: Any) -> str | None:
    """What practice set in an assignment is still to do this week, in one line (None: nothing,
    or nothing set). The journal and the check-ins are read only when practice is set."""
    from neurotutor import dates

    set_ = [x for x in progress.assignments.values() if x.assignment.goals.practice or x.assignment.goals.checkins]
    if not set_:
        return None
    from neurotutor.assignments.homework import due_line, homework
    from neurotutor.cli.commands.practice import worksheets_of

    done, checked = practice_dates(s, set_)
    today = dates.local(s.now).date()
    titles = {w.worksheet.id: w.worksheet.title for w in worksheets_of(s).worksheets}
    statuses = [st for x in set_ for st in homework(x.assignment, dates.local(x.added).date(), today, done, checked, titles)]
    return due_line(statuses)


def practice_dates(s: Session, kept: Iterable[StoredAssignment]) -> tuple[dict[str, list[date]], dict[str, list[date]]]:
    """The local days each worksheet (and the breathing space) was finished, and each check-in
    done, from the earliest day one of the `kept` assignments was added (what counts towards a
    goal; a journal of years is passed over, not converted)."""
    from neurotutor import paths
    from neurotutor.checkins import store as checkins
    from neurotutor.journal.store import JournalStore

    done = JournalStore(paths.journal_file(s.store.path)).finished_days(min((x.added for x in kept), default=s.now))
    checked: dict[str, list[date]] = {}
    for c in checkins.read(paths.checkins_file(s.store.path)).checkins:
        checked.setdefault(c.measure, []).append(c.local_date)
    return done, checked


def practise(s: Session) -> None:
    """Practice from the home screen: a worksheet, a breathing space (the worksheets' list has it)
    or a check-in; the journal and the check-ins over time by their commands."""
    from neurotutor.cli.commands import checkin, practice

    pick = s.prompter.choose("What would you like to practise?", [
        "Fill in a worksheet, or do a breathing space", "A check-in (PHQ-8 or GAD-7)",
        "Read my journal or my check-ins", "Back"])
    if pick == 0:
        from neurotutor.errors import ProgressError

        catalogue, journal = practice.worksheets_of(s), practice.open_journal(s)
        try:
            drafts = practice.drafts_of(practice.entries_of(s, journal))
        except ProgressError as exc:  # the journal cannot be read now (a link in its place...): the rest still works
            s.out.warn(exc.message)
            drafts = []
        picked = practice.choose_worksheet(s, catalogue, drafts, back=True)
        if picked == practice.BACK:
            return
        try:
            if picked is None:
                practice.breathe(s, [])
            elif not isinstance(picked, str):
                practice.fill(s, picked[0], journal, picked[1])
        except ProgressError as exc:  # said, and back to the menu: nothing else is lost
            s.out.warn(exc.message)
        s.prompter.pause("Press Enter to go back to the menu.")  # what it ended with stays in sight until then
    elif pick == 1:
        checkin.check_in(s)
        s.prompter.pause("Press Enter to go back to the menu.")
    elif pick == 2:
        s.out.command("Your journal (worksheets, breathing spaces):", s.command("journal"))
        s.out.command("Your check-ins over time:", s.command("checkins"))
        s.prompter.pause("Press Enter to go back to the menu.")


def choose_lesson(s: Session, rows: list[LessonRow] | None = None, due_by: dict[str, str] | None = None,
                  with_sections: bool = True, deeper: bool = False, confidence: bool | None = None) -> None:
    """The lesson picker (the lessons numbered in the suggested order, assigned ones marked), then
    the lesson picked."""
    from neurotutor.cli.study_screen import take_lesson

    if rows is None or due_by is None:
        from neurotutor import dates
        from neurotutor.assignments.status import assigned_lessons, when_due
        from neurotutor.progress.summary import lesson_rows

        rows = lesson_rows(s.catalogue, s.progress)
        due_by = {x.lesson_id: when_due(x) for x in reversed(assigned_lessons(s.progress, s.titles(),
                                                                             dates.local(s.now).date()))
                  if x.status != "done"}

    if not rows:
        s.out.line("No lessons found.")
        return
    # in the suggested order, numbered as `neurotutor lessons` and the README number them
    labels = [f"{r.title} ({STATUS_WORDS[r.status]}, {r.minutes} min"
              + (f"; assigned, {due_by[r.id]})" if r.id in due_by else ")") for r in rows] + ["Back"]
    pick = s.prompter.choose("Which lesson?", labels)
    if pick < len(rows):
        take_lesson(s, s.find(rows[pick].id), with_sections=with_sections, deeper=deeper, confidence=confidence)
