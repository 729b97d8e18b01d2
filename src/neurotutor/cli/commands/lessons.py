"""`neurotutor lessons`: the catalogue with each lesson's status and best score."""

from __future__ import annotations

from typing import List, Optional

import typer


def run(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
        tag: Optional[List[str]] = typer.Option(None, "--tag", metavar="TAG",
                                                help="Only lessons with this tag (repeatable: lessons with any of them), "
                                                     "e.g. topic-therapies or level-basics.")) -> None:
    """List the lessons, in the suggested order, with their status (new, in progress, done) and best score.

    Each built-in lesson has a topic tag (topic-...) and a level tag (level-basics, level-core,
    level-advanced) that --tag, exams (exam --tags) and assignments (assign new --lessons-tagged)
    select by.

    Example: neurotutor lessons --tag level-basics
    """
    from neurotutor.cli.session import session_of
    from neurotutor.progress.summary import lesson_rows, to_json

    s = session_of(ctx)
    out, catalogue, progress = s.out, s.catalogue, s.progress
    rows = lesson_rows(catalogue, progress)
    if tag:
        tagged = {e.info.id for e in catalogue.lessons if set(tag) & set(e.info.tags)}
        if not tagged:
            from neurotutor.errors import UsageError

            known = sorted({t for e in catalogue.lessons for t in e.info.tags if t.startswith(("topic-", "level-"))})
            raise UsageError(f"No lesson has the tag {', '.join(tag)}. Topic and level tags: {', '.join(known)}.")
        rows = [r for r in rows if r.id in tagged]
    s.greet()
    if json:
        out.json(to_json(rows))
        return
    if not rows:
        out.line("No lessons found.")
        return
    status = {"new": "new", "in_progress": "in progress", "done": "done"}
    out.table(
        ["id", "title", "min", "status", "best"],
        [[r.id, r.title + (" (trainee level)" if r.level == "trainee" else ""), str(r.minutes), status[r.status],
          "-" if r.best_score is None else f"{round(r.best_score * 100)}%"] for r in rows],
        never_cut=(0,),
    )
    out.command("Start one with:", s.command("learn", "LESSON_ID"))
