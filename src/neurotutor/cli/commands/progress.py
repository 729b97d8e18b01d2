"""`neurotutor progress`: per-lesson status, completed passes, scores and when last studied."""

from __future__ import annotations

import typer


def run(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """Show your progress in every lesson.

    Example: neurotutor progress --profile sam
    """
    from neurotutor.cli.context import catalogue_for, output_for, show_notices, store_for
    from neurotutor.progress.summary import lesson_rows, to_json

    settings = ctx.obj
    out = output_for(settings)
    catalogue = catalogue_for(settings, out)
    store = store_for(settings)
    rows = lesson_rows(catalogue, store.load())
    show_notices(store, out)
    if json:
        out.json(to_json(rows))
        return

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{round(x * 100)}%"

    status = {"new": "new", "in_progress": "in progress", "done": "done"}
    out.table(
        ["lesson", "status", "read", "answered", "passes", "last", "best", "last studied"],
        [[r.id, status[r.status], f"{r.sections_read}/{r.sections}", f"{r.questions_answered}/{r.questions}",
          str(r.completed_runs), pct(r.last_score), pct(r.best_score),
          r.last_studied.strftime("%Y-%m-%d %H:%M UTC") if r.last_studied else "-"] for r in rows],
    )
    out.note(f"Saved in {store.path}")
