"""`neurotutor learn` and `neurotutor quiz`: take a lesson, or only its quiz."""

from __future__ import annotations

import typer

from neurotutor.cli import completion

CONFIDENCE_HELP = ("After each answer, rate how sure you were (a guess, fairly sure, sure) and see certainty-based "
                   "marks. Default: your profile's setting (see 'neurotutor settings').")


def _take(ctx: typer.Context, lesson_id: str | None, with_sections: bool, deeper: bool, confidence: bool | None) -> None:
    from neurotutor.cli.session import session_of
    from neurotutor.cli.study_screen import take_lesson

    s = session_of(ctx)
    if lesson_id is None:  # the picker, as on the home screen
        from neurotutor.cli.commands.home import choose_lesson

        s.greet(screen=True)
        with s.stoppable(lambda first: f"{first}. Nothing was changed."):
            choose_lesson(s, with_sections=with_sections, deeper=deeper, confidence=confidence)
        return
    item = s.find(lesson_id)
    s.greet(screen=True)
    take_lesson(s, item, with_sections=with_sections, deeper=deeper, confidence=confidence)


def run(
    ctx: typer.Context,
    lesson_id: str | None = typer.Argument(None, metavar="[LESSON]", show_default=False,
                                           help="The lesson's id or number (see 'neurotutor lessons'); without "
                                                "it, pick one from the list.",
                                           autocompletion=completion.lesson_ids),
    deeper: bool = typer.Option(False, "--deeper", help="Also show the trainee-level parts and references."),
    confidence: bool | None = typer.Option(None, "--confidence/--no-confidence", help=CONFIDENCE_HELP),
) -> None:
    """Read a lesson one screen at a time, then take its quiz. Resumes where you stopped.

    Example: neurotutor learn 5 (or neurotutor learn neuroplasticity-types)
    """
    _take(ctx, lesson_id, with_sections=True, deeper=deeper, confidence=confidence)


def run_quiz(
    ctx: typer.Context,
    lesson_id: str | None = typer.Argument(None, metavar="[LESSON]", show_default=False,
                                           help="The lesson's id or number (see 'neurotutor lessons'); without "
                                                "it, pick one from the list.",
                                           autocompletion=completion.lesson_ids),
    confidence: bool | None = typer.Option(None, "--confidence/--no-confidence", help=CONFIDENCE_HELP),
) -> None:
    """Take a lesson's quiz without the reading. Resumes at the first unanswered question.

    Example: neurotutor quiz neuroplasticity-types
    """
    _take(ctx, lesson_id, with_sections=False, deeper=False, confidence=confidence)
