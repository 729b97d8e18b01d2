"""The home screen (`neurotutor` with no command): first-run notice, then a small menu.

The menu entries keep their numbers whatever the profile holds (1 is always "Review", 2 always
"Continue", each shown as unavailable when there is nothing to do), so "press 6 for help" stays
true for everyone. When questions are due, the screen says how many and review comes first.
"""

from __future__ import annotations

from datetime import date

import typer

STATUS_WORDS = {"new": "new", "in_progress": "in progress", "done": "done"}


def _quiz_only(row: object) -> bool:
    """The learner took the quiz without the reading (questions answered, no section read)."""
    return bool(row.questions_answered and not row.sections_read)  # type: ignore[attr-defined]


def _where(row: object) -> str:
    """Where an in-progress lesson stands: the next section, or the next question."""
    if row.sections_read < row.sections and not _quiz_only(row):  # type: ignore[attr-defined]
        return f"section {row.sections_read + 1} of {row.sections}"  # type: ignore[attr-defined]
    return f"question {row.questions_answered + 1} of {row.questions}"  # type: ignore[attr-defined]


def run(ctx: typer.Context) -> None:
    """Show the home screen: review, continue, choose a lesson, exams, progress, help, quit."""
    from neurotutor import safety
    from neurotutor.cli import hints
    from neurotutor.cli.context import catalogue_for, first_run_notice, output_for, show_notices, store_for
    from neurotutor.cli.prompters import make_prompter
    from neurotutor.cli.commands import exam
    from neurotutor.cli.commands.review import SESSION
    from neurotutor.cli.review_screen import review_queue, run_review, when
    from neurotutor.cli.study_screen import now, take_lesson
    from neurotutor.errors import EndOfInput, Interrupted
    from neurotutor.progress.summary import lesson_rows, resume_candidate
    from neurotutor.assignments.status import assigned_lessons, goals_words, when_due
    from neurotutor.study import schedule

    settings = ctx.obj
    out = output_for(settings)
    catalogue = catalogue_for(settings, out)
    store = store_for(settings)
    progress = store.load()
    show_notices(store, out)
    prompter = make_prompter(settings.interactive, out)
    out.heading("neurotutor: how therapy changes the brain")
    first_run_notice(store, out, progress, prompter)
    try:
        while True:
            progress = store.load()
            rows = lesson_rows(catalogue, progress)
            resume = resume_candidate(rows)
            moment = now()
            lesson_of = {q: e.info.id for e in catalogue.lessons for q in e.info.question_ids}
            due = schedule.count_due(progress.cards, lesson_of, moment)
            out.line()
            titles = {e.info.id: e.info.title for e in catalogue.lessons}
            assigned = [x for x in assigned_lessons(progress, titles, date.today()) if x.status != "done"]
            if assigned:
                ids = list(dict.fromkeys(x.assignment_id for x in assigned))
                out.styled(f"From {assigned[0].therapist}: {assigned[0].assignment_title}"
                           if len(ids) == 1 else "Your assignments", "bold")
                out.bullets([f"{x.lesson_title} ({when_due(x)})" for x in assigned])
                for goals in filter(None, (goals_words(progress.assignments[i].assignment, titles) for i in ids)):
                    out.line(goals)
            if due:
                out.styled(f"{due} question{'s' if due != 1 else ''} to review.", "bold")
            out.note(f"Profile: {settings.profile}. {safety.footer(hints.bare('safety'))}")
            options = [f"Review: {due} question{'s' if due != 1 else ''} due" if due else "Review",
                       f"Continue: {resume.title} ({_where(resume)})" if resume
                       else f"Start your assignment: {assigned[0].lesson_title} ({when_due(assigned[0])})" if assigned
                       else "Continue",
                       "Choose a lesson", "Exam practice", "See my progress", "Get urgent help (crisis lines)", "Quit"]
            disabled = {}
            if not due:
                following = schedule.next_due(progress.cards, lesson_of, moment)
                disabled[0] = f"next due {when(following, moment)}" if following else "nothing answered yet"
            if not resume and not assigned:
                disabled[1] = "nothing started yet"
            action = prompter.choose("What would you like to do?", options, disabled)
            if action == 6:
                out.line("Goodbye. Your progress is saved.")
                return
            if action == 5:
                out.markdown(safety.FULL_TEXT)
                continue
            if action == 4:
                out.bullets([f"{r.title}: {STATUS_WORDS[r.status]}"
                             + (f", best {round(r.best_score * 100)}%" if r.best_score is not None else "")
                             for r in rows], title="Your progress")
                out.command("Details:", hints.command(settings, "progress"))
                out.command("Streaks, mastery and calibration:", hints.command(settings, "stats"))
                continue
            if action == 3:
                out.line("An exam draws questions from across the lessons and shows the answers at the end. "
                         f"For other sizes, lessons or topics, see '{hints.bare('exam', '--help')}'.")
                kind = prompter.choose("Which exam?", ["20 questions, untimed", "10 questions in 15 minutes", "Back"])
                if kind < 2:
                    exam.session(settings, catalogue, store, out, prompter, lessons=[], tags=[],
                                 questions=(20, 10)[kind], minutes=(None, 15)[kind])
                continue
            if action == 0:
                queue, _ = review_queue(catalogue, progress, None, False, moment)
                run_review(settings, catalogue, store, out, prompter, queue[:SESSION], more=len(queue[SESSION:]))
                continue
            with_sections = True
            if action == 1 and resume:
                lesson_id = resume.id
                with_sections = not _quiz_only(resume)  # go on as they started: with the quiz alone
            elif action == 1 and assigned:
                lesson_id = assigned[0].lesson_id
            else:
                if not rows:
                    out.line("No lessons found.")
                    continue
                due_by = {x.lesson_id: when_due(x) for x in reversed(assigned)}  # assigned lessons first
                ordered = sorted(rows, key=lambda r: r.id not in due_by)
                labels = [f"{r.title} ({STATUS_WORDS[r.status]}, {r.minutes} min"
                          + (f"; assigned, {due_by[r.id]})" if r.id in due_by else ")") for r in ordered] + ["Back"]
                pick = prompter.choose("Which lesson?", labels)
                if pick == len(ordered):
                    continue
                lesson_id = ordered[pick].id
            if take_lesson(settings, catalogue, catalogue.find(lesson_id), store, out, prompter,
                           with_sections=with_sections) is None:
                return  # the learner stopped (q): the message said how to continue
    except KeyboardInterrupt:
        raise Interrupted("\nStopped. Your progress is saved.") from None
    except EOFError:
        raise EndOfInput("\nInput ended. Your progress is saved.") from None
