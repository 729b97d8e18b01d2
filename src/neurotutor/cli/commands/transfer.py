"""`neurotutor export` and `neurotutor import`: move a profile to another computer, or restore it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def export(
    ctx: typer.Context,
    file: Optional[Path] = typer.Argument(None, metavar="[FILE]", help="Where to write it (default: print it).", dir_okay=False),
) -> None:
    """Write your progress and every answer as one JSON file (readable only by you).

    Bring it back with 'neurotutor import FILE', on this computer or another one.

    Example: neurotutor export ~/neurotutor-backup.json
    """
    from datetime import datetime, timezone

    from neurotutor.cli import hints
    from neurotutor.cli.context import output_for, show_notices, store_for, write_file
    from neurotutor.progress.transfer import build_export

    settings = ctx.obj
    out = output_for(settings)
    store = store_for(settings)
    progress = store.load()
    attempts = store.read_history()
    show_notices(store, out)
    document = build_export(progress, attempts, datetime.now(timezone.utc))
    if file is None or str(file) == "-":
        out.json(document.rstrip(b"\n"))
        return
    target = write_file(file, document)
    n = len(attempts)
    out.line(f"Exported your progress in {len(progress.lessons)} lesson{'s' if len(progress.lessons) != 1 else ''} "
             f"and {n} answer{'s' if n != 1 else ''} to {target}")
    out.note("Only you can read this file.")
    out.command("Bring it back, here or on another computer, with:", hints.command(settings, "import", str(target)))


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="An export file, or a progress.json (use - for standard input).", dir_okay=False),
) -> None:
    """Add an export (or an old progress.json) to your progress; answers already here are not doubled.

    The whole file is checked first: if anything in it is wrong, every problem is listed with its
    line and column, and nothing is changed.

    Example: neurotutor import ~/neurotutor-backup.json
    """
    import sys

    from neurotutor.cli.context import output_for, show_notices, store_for
    from neurotutor.errors import UsageError
    from neurotutor.progress.model import merge
    from neurotutor.progress.transfer import read_import

    settings = ctx.obj
    out = output_for(settings)
    where = "standard input" if str(file) == "-" else str(file)
    try:
        raw = sys.stdin.buffer.read() if str(file) == "-" else file.expanduser().read_bytes()
    except FileNotFoundError:
        raise UsageError(f"Cannot import {where}: there is no such file.") from None
    except OSError as exc:
        raise UsageError(f"Cannot import {where}: {exc.strerror or exc}.") from None
    incoming = read_import(raw, where)
    store = store_for(settings)
    store.load()
    added, known = store.merge_in(lambda p: merge(p, incoming.progress), incoming.attempts)
    show_notices(store, out)
    if added:  # bring the running totals of `neurotutor stats` up to date now, while the answers are fresh
        from datetime import datetime

        from neurotutor import paths
        from neurotutor.progress.model import utc_offset_minutes
        from neurotutor.stats.tallies import refresh

        refresh(store.history_path, paths.stats_cache_file(store.path),
                utc_offset_minutes(datetime.now().astimezone()) or 0)
    lessons = len(incoming.progress.lessons)
    out.line(f"Imported {added} new answer{'s' if added != 1 else ''} and progress in {lessons} "
             f"lesson{'s' if lessons != 1 else ''} from {where} ({incoming.kind}).")
    if known:
        out.note(f"{known} answer{'s were' if known != 1 else ' was'} already here and not added again.")
