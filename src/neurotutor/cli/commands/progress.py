"""`neurotutor progress`: per-lesson status, completed passes, scores and when last studied."""

from __future__ import annotations

import typer


def run(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md).")) -> None:
    """Show your progress in every lesson (times in your local time).

    Example: neurotutor progress --profile sam
    """
    from neurotutor.cli.session import session_of
    from neurotutor.progress.summary import lesson_rows

    s = session_of(ctx)
    out, store = s.out, s.store
    rows = lesson_rows(s.catalogue, s.progress, unloaded=True)
    s.greet()
    if json:
        from neurotutor.envelope import encode_document

        out.json(encode_document("progress", s.now, {"profile": s.settings.profile, "lessons": rows}))
        return

    from neurotutor.dates import local

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{round(x * 100)}%"

    status = {"new": "new", "in_progress": "in progress", "done": "done"}
    out.table(
        ["lesson", "status", "read", "answered", "completed", "last score", "best", "last studied"],
        [[r.id, status[r.status] if r.loaded else f"{status[r.status]} (not loaded)",
          f"{r.sections_read}/{r.sections}" if r.loaded else "-",
          f"{r.questions_answered}/{r.questions}" if r.loaded else "-",
          f"{r.completed_runs}x" if r.completed_runs else "-", pct(r.last_score), pct(r.best_score),
          local(r.last_studied).strftime("%Y-%m-%d %H:%M") if r.last_studied else "-"] for r in rows],
        never_cut=(0,),
    )
    out.note("Times are your local time. \"completed\" counts the passes you finished.")
    missing = [r.id for r in rows if not r.loaded]
    if missing:
        out.line(f"Progress is kept for {len(missing)} lesson{'s' if len(missing) != 1 else ''} not loaded now "
                 f"({', '.join(missing)}): a lesson of your own, from a folder not given this time.")
        out.command("To see and continue it, give its folder:",
                    s.command("--lessons-dir", "FOLDER", "progress"))
    saved = "Saved in" if store.path.exists() else "Will be saved in"
    out.note(f"{saved} {store.path}")
