"""The home screen (`neurotutor` with no command): first-run notice, then a small menu.

The menu entries keep their numbers whatever the profile holds (1 is always "Continue", shown as
unavailable when there is nothing to continue), so "press 4 for help" stays true for everyone.
"""

from __future__ import annotations

import typer

STATUS_WORDS = {"new": "new", "in_progress": "in progress", "done": "done"}


def _where(row: object) -> str:
    """Where an in-progress lesson stands: the next section, or the next question."""
    if row.sections_read < row.sections:  # type: ignore[attr-defined]
        return f"section {row.sections_read + 1} of {row.sections}"  # type: ignore[attr-defined]
    return f"question {row.questions_answered + 1} of {row.questions}"  # type: ignore[attr-defined]


def run(ctx: typer.Context) -> None:
    """Show the home screen: continue, choose a lesson, see progress, get help, quit."""
    from neurotutor import safety
    from neurotutor.cli import hints
    from neurotutor.cli.context import catalogue_for, first_run_notice, output_for, show_notices, store_for
    from neurotutor.cli.prompters import make_prompter
    from neurotutor.cli.study_screen import take_lesson
    from neurotutor.errors import EndOfInput, Interrupted
    from neurotutor.progress.summary import lesson_rows, resume_candidate

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
            rows = lesson_rows(catalogue, store.load())
            resume = resume_candidate(rows)
            out.line()
            out.note(f"Profile: {settings.profile}. {safety.FOOTER}")
            options = [f"Continue: {resume.title} ({_where(resume)})" if resume else "Continue",
                       "Choose a lesson", "See my progress", "Get urgent help (crisis lines)", "Quit"]
            disabled = {} if resume else {0: "nothing started yet"}
            action = prompter.choose("What would you like to do?", options, disabled)
            if action == 4:
                out.line("Goodbye. Your progress is saved.")
                return
            if action == 3:
                out.markdown(safety.FULL_TEXT)
                continue
            if action == 2:
                out.bullets([f"{r.title}: {STATUS_WORDS[r.status]}"
                             + (f", best {round(r.best_score * 100)}%" if r.best_score is not None else "")
                             for r in rows], title="Your progress")
                out.command("Details:", hints.command(settings, "progress"))
                continue
            if action == 0 and resume:
                lesson_id = resume.id
            else:
                if not rows:
                    out.line("No lessons found.")
                    continue
                labels = [f"{r.title} ({STATUS_WORDS[r.status]}, {r.minutes} min)" for r in rows] + ["Back"]
                pick = prompter.choose("Which lesson?", labels)
                if pick == len(rows):
                    continue
                lesson_id = rows[pick].id
            if take_lesson(settings, catalogue, catalogue.find(lesson_id), store, out, prompter) is None:
                return  # the learner stopped (q): the message said how to continue
    except KeyboardInterrupt:
        raise Interrupted("\nStopped. Your progress is saved.") from None
    except EOFError:
        raise EndOfInput("\nInput ended. Your progress is saved.") from None
