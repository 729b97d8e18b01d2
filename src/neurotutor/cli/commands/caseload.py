"""`neurotutor caseload`: the therapist's view of the reports clients sent."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.reports.caseload import Caseload

FORMATS = ("text", "md", "html", "json")


def run(
    ctx: typer.Context,
    reports: list[Path] = typer.Argument(..., metavar="REPORT.json ...", help="Report files (JSON) from your clients.",
                                         dir_okay=False),
    fmt: str | None = typer.Option(None, "--format", metavar="FORMAT",
                                      help="text (on screen), md, html (written to caseload.html unless -o) or json; "
                                           "by default the -o file's ending, or text."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to a file instead.", dir_okay=False,
                                          readable=False),
    yes: bool = typer.Option(False, "--yes", help="Replace the -o file without asking."),
    stale_after: int = typer.Option(7, "--stale-after", metavar="DAYS", min=0, max=3650,
                                    help="Mark a report older than this many days (default 7) with its age."),
) -> None:
    """Sum up your clients' reports: who is behind, and which questions most clients miss.

    Every file is checked first; one that is not a valid report (another program's file, a report
    from a newer tutor, a damaged or edited one) is refused with the reason, never half-read. Of
    several reports of one client and assignment, the newest is used. A file that exists is replaced
    only when you say so (or with --yes), and never one of the reports given.

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
    from neurotutor import dates

    caseload = sum_up(given, session.now, dates.local(session.now).date(), stale_after)
    if fmt == "text":
        _show(out, caseload)
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


def _show(out: Output, caseload: Caseload) -> None:
    """The caseload on the screen, every value on one line: none can add a row or a column."""
    from neurotutor.reports import render
    from neurotutor.reports.build import one_line as line

    out.table(["client", "assignment", "done", "overdue", "review", "last studied", "report of"],
              [[line(r.client), line(r.assignment), f"{r.done}/{r.lessons}", line(", ".join(r.overdue)) or "-",
                render.row_review(r), r.last_activity or "not started", render.report_age(r)] for r in caseload.rows],
              never_cut=(0,))
    if caseload.items:
        out.bullets([line(f"{i.question} ({i.lesson}, {i.question_id}): {render.item_words(i)}")
                     for i in caseload.items], title="Questions most often missed at the first try:")
    if caseload.misconceptions:
        out.bullets([line(render.misconception_words(*m)) for m in caseload.misconceptions],
                    title="Misconceptions chosen most:")
    if caseload.set_aside:
        out.bullets([line(x) for x in caseload.set_aside], title="Reports left out:")
