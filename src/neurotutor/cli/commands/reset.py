"""`neurotutor reset`: forget one lesson's progress, or all of it, keeping a backup."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from neurotutor.cli import completion
from neurotutor.errors import Interrupted, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable


def run(
    ctx: typer.Context,
    lesson_id: str | None = typer.Argument(None, help="The lesson to reset.", autocompletion=completion.lesson_ids),
    all_: bool = typer.Option(False, "--all", help="Reset every lesson."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Forget your progress in one lesson (or all with --all). A copy of the old file is kept.

    Example: neurotutor reset neuroplasticity-types --yes
    """
    from neurotutor.cli.prompters import PlainPrompter
    from neurotutor.cli.session import session_of
    from neurotutor.progress import model as pm

    s = session_of(ctx)
    if bool(lesson_id) == all_:
        raise UsageError(f"Give either a lesson id or --all, for example: {s.command('reset', 'cbt')}")
    out, store, progress = s.out, s.store, s.progress
    change: Callable[[pm.Progress], pm.Progress]
    forget: Callable[[pm.Attempt], bool]
    if lesson_id:
        catalogue = s.catalogue
        entry = catalogue.get(lesson_id)
        question_ids = frozenset(entry.info.question_ids) if entry else frozenset()
        what = f"your progress in '{lesson_id}'"
        change = lambda p: pm.reset_lesson(p, lesson_id, question_ids)  # noqa: E731
        forget = lambda a: a.lesson == lesson_id  # noqa: E731
    else:
        what = "ALL your progress"
        change, forget = pm.reset_all, lambda a: True  # noqa: E731
    answers = sum(1 for a in store.read_history() if forget(a))
    s.show_notices()
    if change(progress) == progress and not answers:
        if lesson_id and entry is None:
            catalogue.find(lesson_id, s.command("lessons"))  # an id that is nowhere: the closest ids
        out.line(f"Nothing to reset: there is no saved progress for {'that lesson' if lesson_id else 'any lesson'}.")
        return
    if answers:
        what += f" and its {answers} recorded answer{'s' if answers != 1 else ''}" if lesson_id else \
            f" and all {answers} recorded answer{'s' if answers != 1 else ''}"
    if not yes:
        try:
            if not PlainPrompter(out).confirm(f"Forget {what}?"):
                out.line("Nothing was changed.")
                return
        except EOFError:
            raise UsageError("\nNothing was changed: no confirmation was given. Use --yes to reset without asking.") from None
        except KeyboardInterrupt:
            raise Interrupted("\nStopped. Nothing was changed.") from None
    kept = store.update_keeping_copy(change, label="before-reset", forget=forget)
    s.show_notices()
    out.line(f"Done: forgot {what}.")
    if kept:
        out.note(f"A copy of the old progress is kept at {kept} (and of the answers beside it).")
