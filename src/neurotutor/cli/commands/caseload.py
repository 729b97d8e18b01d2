"""`neurotutor caseload`: the therapist's view of the reports clients sent."""

from __future__ import annotations

from pathlib import Path

import typer

FORMATS = ("text", "md", "html", "json")


def run(
    ctx: typer.Context,
    reports: list[Path] = typer.Argument(..., metavar="REPORT ...", help="Report files from your clients (.json, or "
                                         "sealed .json.age), or folders of them."),
    fmt: str | None = typer.Option(None, "--format", metavar="FORMAT",
                                      help="text (on screen), md, html (written to caseload.html unless -o) or json; "
                                           "by default the -o file's ending, or text."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to a file instead.", dir_okay=False,
                                          readable=False),
    yes: bool = typer.Option(False, "--yes", help="Replace the -o file without asking."),
    stale_after: int = typer.Option(7, "--stale-after", metavar="DAYS", min=0, max=3650,
                                    help="Mark a report older than this many days (default 7) with its age."),
    others: bool = typer.Option(False, "--others", help="Include reports of assignments that are not yours (marked)."),
    therapist: str | None = typer.Option(None, "--therapist", metavar="NAME",
                                         help="Count only assignments set by this name (when you have no key)."),
) -> None:
    """Sum up your clients' reports: who is behind, and which questions most clients miss.

    Every file is checked first; one that is not a valid report (another program's file, a report
    from a newer tutor, a damaged or edited one) is refused with the reason, never half-read. Sealed
    reports are opened with your key ('neurotutor therapist init'). Of several reports of one
    client and assignment, the newest is used; two clients given the same assignment are two
    rows. Reports of assignments that carry another therapist's key are named and left out unless
    you give --others. A file that exists is replaced only when you say so (or with --yes), and
    never one of the reports given.

    Example: neurotutor caseload reports/*.json --format html
    """
    from neurotutor import __version__
    from neurotutor.cli.context import may_replace, write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.reports.caseload import given_reports, sum_up
    from neurotutor.reports.render import caseload_file, format_for

    session = session_of(ctx)
    fmt = format_for(fmt, output, "text", FORMATS)
    if fmt == "text" and output is not None:
        raise UsageError("A file is written as md, html or json: give --format, or a file name ending in .md, "
                         ".html or .json.")
    out = session.out
    target = output or (Path("caseload.html") if fmt == "html" else None)
    given = given_reports(reports, target)
    for path in given.twice:
        out.warn(f"{path}: given twice; read once.")
    for why in given.skipped:
        out.warn(why)
    from neurotutor import dates, paths, seal

    identity = own_key = None
    if paths.therapist_key_file().exists() or paths.therapist_key_file().is_symlink():
        identity, own_key = seal.read_key_file(paths.therapist_key_file())
    caseload = sum_up(given, session.now, dates.local(session.now).date(), stale_after, identity, own_key, therapist,
                      others)
    if own_key is None and therapist is None and len(caseload.therapists) > 1:
        out.warn(f"These reports are of assignments set by {len(caseload.therapists)} therapists ("
                 + ", ".join(caseload.therapists) + "): give --therapist NAME to see only yours.")
    if fmt == "text":
        from neurotutor.cli import caseload_view

        if out.decorated:  # a terminal: a page at a time, so who is behind never scrolls away
            with out.captured() as lines:
                caseload_view.show(out, caseload)
            with session.stoppable(lambda first: f"{first}."):
                session.prompter.page(lines, "done", wait=False)
        else:
            caseload_view.show(out, caseload)
        return
    data = caseload_file(caseload, fmt, __version__, session.now)
    if target is None:
        out.write(data.decode("utf-8"))
        return
    if not may_replace(session, target, "caseload", yes):
        return
    written = write_file(target, data)  # 0600: it names clients
    if not written.stdout:  # the caseload alone on standard output
        out.line(f"Wrote {target}{' (readable only by you)' if written.private else ''}.")
