"""`neurotutor review`: the questions due for spaced review across lessons, or extra practice."""

from __future__ import annotations

import typer

from neurotutor.cli import completion
from neurotutor.cli.commands.learn import CONFIDENCE_HELP


def run(
    ctx: typer.Context,
    lesson: str | None = typer.Option(None, "--lesson", metavar="ID", help="Only this lesson's questions.",
                                         autocompletion=completion.lesson_ids),
    limit: int | None = typer.Option(None, "--limit", metavar="N", min=1,
                                        help="Ask at most N questions (default 20; extra practice 10)."),
    practice: bool = typer.Option(False, "--practice", help="Extra practice now, due or not (does not change your schedule)."),
    confidence: bool | None = typer.Option(None, "--confidence/--no-confidence", help=CONFIDENCE_HELP),
) -> None:
    """Review the questions that are due, most overdue first, mixed across lessons.

    Every question you answer in a lesson comes back for review just before you are likely to
    forget it (FSRS spaced repetition). When nothing is due, you can practise anyway.

    Example: neurotutor review --limit 10
    """
    from neurotutor.cli.review_screen import run_review, when
    from neurotutor.cli.session import session_of
    from neurotutor.study import schedule
    from neurotutor.study.review import PRACTICE_PORTION, REVIEW_PORTION

    s = session_of(ctx)
    if lesson is not None:
        s.find(lesson)
    s.greet(screen=True)
    limit = limit or (PRACTICE_PORTION if practice else REVIEW_PORTION)
    day = s.day()
    queue, lesson_of = schedule.review_queue(s.catalogue, s.progress, lesson, practice, day)
    if not any(q in lesson_of and lesson in (None, lesson_of[q]) for q in s.progress.cards):
        where = "in this lesson " if lesson else ""
        s.out.line(f"Nothing to review yet: you have not answered any questions {where}so far. Every question "
                   "you answer in a lesson comes back here for review, just before you are likely to forget it.")
        s.out.command("Start with a lesson:", s.command("learn", lesson or s.first_lesson()))
        return
    if not queue:
        next_due = schedule.next_due(s.progress.cards, lesson_of, day, lesson)
        s.out.line("Nothing is due for review today."
                   + (f" The next question is due {when(next_due, day)}." if next_due else ""))
        if s.prompter.choose("Practise anyway? (Extra practice does not change when questions come back.)",
                             ["Yes, up to 10 questions I am most likely to have forgotten", "No, not now"]) != 0:
            return
        practice, limit = True, min(limit, PRACTICE_PORTION)
        queue, _ = schedule.review_queue(s.catalogue, s.progress, lesson, True, day)
    run_review(s, queue[:limit], practice=practice, confidence=confidence,
               more=0 if practice else len(queue) - len(queue[:limit]))
