"""`neurotutor therapist init` and `therapist key`: the therapist's key pair, which seals clients'
reports so that only this therapist can open them (`neurotutor.seal`)."""

from __future__ import annotations

from pathlib import Path

import typer

therapist_app = typer.Typer(help="For therapists: your key for sealed reports.", no_args_is_help=True,
                            rich_markup_mode=None)


@therapist_app.command("init")
def init(ctx: typer.Context) -> None:
    """Make your key pair, once: reports your clients send are sealed to it.

    The secret key stays in your own data folder, readable only by you; 'assign new' then puts
    your public key in every assignment, and each report is sealed so that only you can open it
    (with 'neurotutor caseload', or with the standard age tool). Keep a copy of the key file
    somewhere safe: without it, sealed reports cannot be opened.

    Example: neurotutor therapist init
    """
    from neurotutor import paths, seal
    from neurotutor.cli.session import session_of

    session = session_of(ctx)
    target = paths.therapist_key_file()
    if target.exists() or target.is_symlink():
        _, public = seal.read_key_file(target)
        session.out.line(f"You have a key already ({target}); it was kept. Your public key: {public}")
        return
    pair = seal.make_key_file(target, session.now)
    out = session.out
    out.line(f"Made your key. The secret key is in {target} (readable only by you); keep a copy somewhere safe, "
             "and never send it.")
    out.line(f"Your public key: {pair.public}")
    out.line("Assignments you write with 'neurotutor assign new' now carry it, and your clients' reports are "
             "sealed to it.")


@therapist_app.command("key")
def key(ctx: typer.Context) -> None:
    """Print your public key (for an assignment file written by hand: therapist: key: ...).

    Example: neurotutor therapist key
    """
    from neurotutor import paths, seal
    from neurotutor.cli.session import session_of

    session = session_of(ctx)
    _, public = seal.read_key_file(paths.therapist_key_file())
    session.out.write(public + "\n")


@therapist_app.command("open")
def open_report(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE.age", help="A sealed report a client sent.", dir_okay=False),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE",
                                          help="Where to write it (default: FILE without .age, here).",
                                          dir_okay=False, readable=False),
    yes: bool = typer.Option(False, "--yes", help="Replace the output file without asking."),
) -> None:
    """Open a sealed report with your key: the readable report (.md.age, .html.age) to read or
    print, or the .json to keep. The opened file is readable only by you.

    'neurotutor caseload' opens sealed .json reports by itself.

    Example: neurotutor therapist open report-sk-autumn.html.age
    """
    from neurotutor import paths, seal
    from neurotutor.cli.context import may_replace, write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.reports.caseload import read_bounded

    session = session_of(ctx)
    raw, why = read_bounded(file)
    if raw is None:
        raise UsageError(f"{file} {why}.")
    if not seal.is_sealed(raw):
        raise UsageError(f"{file} is not sealed: it can be read as it is.")
    identity, _ = seal.read_key_file(paths.therapist_key_file())
    data = seal.open_sealed(raw, identity, str(file))
    target = output or Path(file.name[: -len(".age")] if file.name.lower().endswith(".age") else file.name + ".opened")
    if not may_replace(session, target, "report", yes):
        return
    written = write_file(target, data)  # 0600: health information
    if not written.stdout:
        session.out.line(f"Opened {file} into {target}{' (readable only by you)' if written.private else ''}.")
