"""`neurotutor export` and `neurotutor import`: move a profile to another computer, or restore it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.session import Session


def export(
    ctx: typer.Context,
    file: Path | None = typer.Argument(None, metavar="[FILE]", help="Where to write it (default: print it).",
                                          dir_okay=False, readable=False),  # an output: nothing to read
) -> None:
    """Write your progress and every answer as one JSON file (readable only by you).

    Bring it back with 'neurotutor import FILE', on this computer or another one.

    Example: neurotutor export ~/neurotutor-backup.json
    """
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.progress.transfer import build_export

    s = session_of(ctx)
    out, progress = s.out, s.progress
    attempts = s.store.read_history()
    s.show_notices()
    document = build_export(progress, attempts, s.now)
    if file is None or str(file) == "-":
        out.json(document.rstrip(b"\n"))
        return
    written = write_file(file, document)
    if written.stdout:  # as with no FILE: the document alone on standard output
        return
    target = written.path
    n = len(attempts)
    out.line(f"Exported your progress in {len(progress.lessons)} lesson{'s' if len(progress.lessons) != 1 else ''} "
             f"and {n} answer{'s' if n != 1 else ''} to {target}")
    if written.private:  # not said of a pipe, a device or a stream: who reads those is not ours to say
        out.note("Only you can read this file.")
        out.command("Bring it back, here or on another computer, with:", s.command("import", str(target)))
    _not_in_it(s)


def _not_in_it(s: Session) -> None:
    """Say that the journal and the check-ins, which an export never holds, stay where they are,
    and how to move them (copy the files: their formats take them as they are)."""
    from neurotutor import paths

    kept = [f for f in (paths.journal_file(s.store.path), paths.journal_key_file(s.store.path),
                        paths.checkins_file(s.store.path)) if f.is_file()]
    if not kept:
        return
    names = " and ".join([", ".join(f.name for f in kept[:-1]), kept[-1].name] if len(kept) > 1 else [kept[0].name])
    journal = any(f.name.startswith("journal") for f in kept)
    checkins = any(f.name.startswith("checkins") for f in kept)
    what = " and ".join(w for w, there in (("journal", journal), ("check-ins", checkins)) if there)
    s.out.note(f"Your {what} {'are' if journal and checkins or checkins else 'is'} not in this file: kept private, here, in "
               f"{kept[0].parent}. To move {'them' if journal and checkins or checkins else 'it'} to another computer, "
               f"copy {names} into neurotutor's folder there, if it has none yet (the folder '{s.command('progress')}' names at its end).")


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="An export file, or a progress.json (use - for standard input).", dir_okay=False),
) -> None:
    """Add an export (or an old progress.json) to your progress; answers already here are not doubled.

    The whole file is checked first: if anything in it is wrong, every problem is listed with its
    line and column, and nothing is changed. A file larger than 64 MiB (over three times an export
    of 60,000 answers) is refused, and so is anything but a file (use - to read a pipe).

    Example: neurotutor import ~/neurotutor-backup.json
    """
    from neurotutor.cli.session import session_of
    from neurotutor.progress.model import merge
    from neurotutor.progress.transfer import read_import

    s = session_of(ctx)
    out = s.out
    where = "standard input" if str(file) == "-" else str(file)
    incoming = read_import(_read_import_file(file, where), where)
    _ = s.progress  # loaded (and anything recovered said) before the merge
    added, known = s.store.merge_in(lambda p: merge(p, incoming.progress), incoming.attempts)
    s.show_notices()
    if added:  # bring the running totals of `neurotutor stats` up to date now, while the answers are fresh
        s.totals()
    lessons = len(incoming.progress.lessons)
    out.line(f"Imported {added} new answer{'s' if added != 1 else ''} and progress in {lessons} "
             f"lesson{'s' if lessons != 1 else ''} from {where} ({incoming.kind}).")
    if known:
        out.note(f"{known} answer{'s were' if known != 1 else ' was'} already here and not added again.")


def _read_import_file(file: Path, where: str) -> bytes:
    """The bytes of the file to import, or of standard input for -: at most MAX_IMPORT_BYTES, and
    only from a regular file (a device is never read, a named pipe never waited on)."""
    import errno
    import sys

    from neurotutor import files
    from neurotutor.errors import UsageError
    from neurotutor.progress.transfer import MAX_IMPORT_BYTES

    too_large = (f"Cannot import {where}: it is larger than {MAX_IMPORT_BYTES >> 20} MiB, the most an import may be "
                 "(an export of 60,000 answers is about 18 MB). Nothing was imported.")
    if str(file) == "-":
        try:
            raw = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"Cannot import {where}: {exc.strerror or exc}.") from None
        if len(raw) > MAX_IMPORT_BYTES:
            raise UsageError(too_large)
        return raw
    path = file.expanduser()
    try:
        return files.read_regular(path, MAX_IMPORT_BYTES)
    except files.TooLarge:
        raise UsageError(too_large) from None
    except FileNotFoundError:
        raise UsageError(f"Cannot import {where}: there is no such file.") from None
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise UsageError(f"Cannot import {where}: it is a folder, not a file.") from None
        if exc.errno == errno.EINVAL:  # a device, a named pipe, a socket: never read, never waited on
            hint = " To read from a pipe, give - and send it to standard input." if "pipe" in str(exc.strerror) else ""
            raise UsageError(f"Cannot import {where}: {exc.strerror}. Nothing was imported.{hint}") from None
        raise UsageError(f"Cannot import {where}: {exc.strerror or exc}.") from None
