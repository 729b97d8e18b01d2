"""`neurotutor learn` and `neurotutor quiz`: take a lesson, or only its quiz."""

from __future__ import annotations

import typer


def _take(ctx: typer.Context, lesson_id: str, with_sections: bool, deeper: bool) -> None:
    from neurotutor.cli.context import catalogue_for, output_for, show_notices, store_for
    from neurotutor.cli.prompters import make_prompter
    from neurotutor.cli.session import Session

    settings = ctx.obj
    out = output_for(settings)
    item = catalogue_for(settings, out).find(lesson_id)
    store = store_for(settings)
    store.load()
    show_notices(store, out)
    Session(item, store, make_prompter(settings.interactive, out), out, deeper=deeper).run(with_sections)


def run(
    ctx: typer.Context,
    lesson_id: str = typer.Argument(..., help="The lesson's id (see 'neurotutor lessons')."),
    deeper: bool = typer.Option(False, "--deeper", help="Also show the trainee-level parts and references."),
) -> None:
    """Read a lesson one screen at a time, then take its quiz. Resumes where you stopped.

    Example: neurotutor learn neuroplasticity-types
    """
    _take(ctx, lesson_id, with_sections=True, deeper=deeper)


def run_quiz(
    ctx: typer.Context,
    lesson_id: str = typer.Argument(..., help="The lesson's id (see 'neurotutor lessons')."),
) -> None:
    """Take a lesson's quiz without the reading. Resumes at the first unanswered question.

    Example: neurotutor quiz neuroplasticity-types
    """
    _take(ctx, lesson_id, with_sections=False, deeper=False)
