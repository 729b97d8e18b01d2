"""`neurotutor review`: the questions due for spaced review across lessons, or extra practice."""

from __future__ import annotations

from typing import Optional

import typer

from neurotutor.cli.commands.learn import CONFIDENCE_HELP

SESSION = 20  # questions in one review unless --limit says otherwise: a long backlog comes in portions


def run(
    ctx: typer.Context,
    lesson: Optional[str] = typer.Option(None, "--lesson", metavar="ID", help="Only this lesson's questions."),
    limit: Optional[int] = typer.Option(None, "--limit", metavar="N", min=1,
                                        help=f"Ask at most N questions (default {SESSION}; extra practice 10)."),
    practice: bool = typer.Option(False, "--practice", help="Extra practice now, due or not (does not change your schedule)."),
    confidence: Optional[bool] = typer.Option(None, "--confidence/--no-confidence", help=CONFIDENCE_HELP),
) -> None:
    """Review the questions that are due, most overdue first, mixed across lessons.

    Every question you answer in a lesson comes back for review just before you are likely to
    forget it (FSRS spaced repetition). When nothing is due, you can practise anyway.

    Example: neurotutor review --limit 10
    """
    from neurotutor.cli import hints
    from neurotutor.cli.context import catalogue_for, first_run_notice, output_for, show_notices, store_for
    from neurotutor.cli.prompters import make_prompter
    from neurotutor.cli.review_screen import review_queue, run_review, when
    from neurotutor.cli.study_screen import now
    from neurotutor.study import schedule

    settings = ctx.obj
    out = output_for(settings)
    catalogue = catalogue_for(settings, out)
    if lesson is not None:
        catalogue.find(lesson, hints.command(settings, "lessons"), hints.command(settings, "validate"))
    store = store_for(settings)
    progress = store.load()
    show_notices(store, out)
    prompter = make_prompter(settings.interactive, out)
    first_run_notice(store, out, progress, prompter)
    moment = now()
    if limit is None:
        limit = 10 if practice else SESSION
    queue, lesson_of = review_queue(catalogue, progress, lesson, practice, moment)
    known = [q for q in progress.cards if q in lesson_of and (lesson is None or lesson_of[q] == lesson)]
    if not known:
        where = "in this lesson " if lesson else ""
        out.line(f"Nothing to review yet: you have not answered any questions {where}so far. Every question "
                 "you answer in a lesson comes back here for review, just before you are likely to forget it.")
        out.command("Start with a lesson:", hints.command(settings, "learn", lesson or _first_lesson(catalogue)))
        return
    if not queue:
        next_due = schedule.next_due(progress.cards, lesson_of, moment, lesson)
        out.line("Nothing is due for review right now."
                 + (f" The next question is due {when(next_due, moment)}." if next_due else ""))
        try:
            pick = prompter.choose("Practise anyway? (Extra practice does not change when questions come back.)",
                                   ["Yes, up to 10 questions I am most likely to have forgotten", "No, not now"])
        except EOFError:
            return
        if pick != 0:
            return
        practice = True
        queue, _ = review_queue(catalogue, progress, lesson, True, moment)
        limit = min(limit, 10)
    run_review(settings, catalogue, store, out, prompter, queue[:limit], practice=practice, confidence=confidence,
               more=0 if practice else len(queue) - len(queue[:limit]))


def _first_lesson(catalogue: object) -> str:
    lessons = getattr(catalogue, "lessons", ())
    return lessons[0].info.id if lessons else "LESSON_ID"
