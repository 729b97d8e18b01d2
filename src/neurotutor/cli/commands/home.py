"""The home screen (`neurotutor` with no command): first-run notice, then a small menu.

The menu entries keep their numbers whatever the profile holds (1 is always "Review", 2 always
"Continue", each shown as unavailable when there is nothing to do), so "press 6 for help" stays
true for everyone. When questions are due, the screen says how many and review comes first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from neurotutor import dates

if TYPE_CHECKING:
    from neurotutor.cli.session import Session
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
    from neurotutor.cli.exam_screen import sit
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
    if due:
        out.styled(f"{due} question{'s' if due != 1 else ''} to review.", "bold")
    out.note(f"Profile: {s.settings.profile}. {safety.footer(hints.bare('safety'))} (or press !)")
    options = [f"Review: {due} question{'s' if due != 1 else ''} due" if due else "Review",
               f"Continue: {resume.title} ({where(resume)})" if resume
               else f"Start your assignment: {assigned[0].lesson_title} ({when_due(assigned[0])})" if assigned
               else "Continue",
               "Choose a lesson", "Exam practice", "See my progress", "Get urgent help (crisis lines)", "Quit"]
    disabled = {}
    if not due:
        disabled[0] = f"next due {when(state.next_due, day)}" if state.next_due else "nothing answered yet"
    if not resume and not assigned:
        disabled[1] = "nothing started yet"
    action = prompter.choose("What would you like to do?", options, disabled)
    if action == 6:
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
        out.line("An exam draws questions from across the lessons and shows the answers at the end. "
                 f"For other sizes, lessons or topics, see '{hints.bare('exam', '--help')}'.")
        kind = prompter.choose("Which exam?", ["20 questions, untimed", "10 questions in 15 minutes", "Back"])
        if kind < 2:
            sit(s, lessons=[], tags=[], questions=(20, 10)[kind], minutes=(None, 15)[kind])
    elif action == 0:
        queue, _ = schedule.review_queue(s.catalogue, progress, None, False, day)
        run_review(s, queue[:REVIEW_PORTION], more=len(queue[REVIEW_PORTION:]))
    elif action == 1 and resume:
        take_lesson(s, s.find(resume.id), with_sections=not quiz_only(resume))  # as they started it
    elif action == 1:
        take_lesson(s, s.find(assigned[0].lesson_id))
    else:
        _choose_lesson(s, rows, {x.lesson_id: when_due(x) for x in reversed(assigned)})
    return True


def _choose_lesson(s: Session, rows: list[LessonRow], due_by: dict[str, str]) -> None:
    """The lesson picker (assigned lessons first), then the lesson picked."""
    from neurotutor.cli.study_screen import take_lesson

    if not rows:
        s.out.line("No lessons found.")
        return
    ordered = sorted(rows, key=lambda r: r.id not in due_by)
    labels = [f"{r.title} ({STATUS_WORDS[r.status]}, {r.minutes} min"
              + (f"; assigned, {due_by[r.id]})" if r.id in due_by else ")") for r in ordered] + ["Back"]
    pick = s.prompter.choose("Which lesson?", labels)
    if pick < len(ordered):
        take_lesson(s, s.find(ordered[pick].id))
