"""`neurotutor lessons`: the catalogue with each lesson's status and best score."""

from __future__ import annotations

import typer


def run(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md)."),
        tag: list[str] | None = typer.Option(None, "--tag", metavar="TAG",
                                                help="Only lessons with this tag (repeatable: lessons with any of them), "
                                                     "e.g. topic-therapies or level-basics.")) -> None:
    """List the lessons, in the suggested order, with their status (new, in progress, done) and best score.

    Each built-in lesson has a topic tag (topic-...) and a level tag (level-basics, level-core,
    level-advanced) that --tag, exams (exam --tags) and assignments (assign new --lessons-tagged)
    select by.

    Example: neurotutor lessons --tag level-basics
    """
    from neurotutor.cli.session import session_of
    from neurotutor.progress.summary import lesson_listing

    s = session_of(ctx)
    out = s.out
    rows = lesson_listing(s.catalogue, s.progress, tag or ())
    s.greet()
    if json:
        from neurotutor.envelope import encode_document

        out.json(encode_document("lessons", s.now, {"lessons": rows}))
        return
    if not rows:
        out.line("No lessons found.")
        return
    status = {"new": "new", "in_progress": "in progress", "done": "done"}
    out.table(
        ["no.", "title", "min", "status", "best", "id"],
        [[str(r.number), r.title + (" (trainee level)" if r.level == "trainee" else ""), str(r.minutes),
          status[r.status], "-" if r.best_score is None else f"{round(r.best_score * 100)}%", r.id] for r in rows],
        never_cut=(0, 5),
    )
    out.command("Start one by its number or id, for example:", s.command("learn", str(rows[0].number)))
