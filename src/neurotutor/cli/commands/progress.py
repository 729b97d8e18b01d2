"""`neurotutor progress`: per-lesson status, completed passes, scores and when last studied."""

from __future__ import annotations

import typer


def run(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md).")) -> None:
    """Show your progress in every lesson (times in your local time).

    Example: neurotutor progress --profile sam
    """
    from neurotutor.cli.session import session_of
    from neurotutor.progress.summary import LessonRow, lesson_rows, quiz_only

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

    def where_now(r: LessonRow) -> str:
        if not r.loaded:
            return "not loaded"
        if r.status == "new":
            return "new"
        if r.status == "done":
            return "done" + (f" {r.completed_runs}x" if r.completed_runs > 1 else "")
        return (f"read {r.sections_read}/{r.sections}" if r.sections_read < r.sections and not quiz_only(r)
                else f"quiz {r.questions_answered}/{r.questions}")

    numbers = {e.info.id: i for i, e in enumerate(s.catalogue.lessons, 1)}
    def day(r: LessonRow) -> str:
        if r.last_studied is None:
            return "-"
        when = local(r.last_studied)
        return f"{when.day} {when:%b %Y}"

    out.table(
        ["no.", "lesson", "where", "best", "last day"],
        [[str(numbers.get(r.id, "-")), r.title.split(": ")[0] if r.loaded else r.id, where_now(r),
          pct(r.best_score) + (f" ({pct(r.last_score)} last)" if r.last_score not in (None, r.best_score) else ""),
          day(r)] for r in rows],
        never_cut=(0,),
    )
    out.note("\"where\": new, how far you have read (read 3/8) or answered (quiz 4/17), or done (2x: passes "
             "finished). \"best\": your best pass, and your last when it differs. Days are your local days.")
    missing = [r.id for r in rows if not r.loaded]
    if missing:
        out.line(f"Progress is kept for {len(missing)} lesson{'s' if len(missing) != 1 else ''} not loaded now "
                 f"({', '.join(missing)}): a lesson of your own, from a folder not given this time.")
        out.command("To see and continue it, give its folder:",
                    s.command("--lessons-dir", "FOLDER", "progress"))
    saved = "Saved in" if store.path.exists() else "Will be saved in"
    out.note(f"{saved} {store.path}")
