"""`neurotutor caseload`: the therapist's view of the reports clients sent."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

FORMATS = ("text", "md", "html", "json")


def run(
    ctx: typer.Context,
    reports: List[Path] = typer.Argument(..., metavar="REPORT.json ...", help="Report files (JSON) from your clients.",
                                         dir_okay=False),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="FORMAT",
                                      help="text (on screen), md, html (written to caseload.html unless -o) or json; "
                                           "by default the -o file's ending, or text."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to a file instead.", dir_okay=False,
                                          readable=False),
    yes: bool = typer.Option(False, "--yes", help="Replace the -o file without asking."),
) -> None:
    """Sum up your clients' reports: who is behind, and which questions most clients miss.

    Every file is checked first; one that is not a valid report (another program's file, a report
    from a newer tutor, a damaged or edited one) is refused with the reason, never half-read. Of
    several reports of one client and assignment, the newest is used. A file that exists is replaced
    only when you say so (or with --yes), and never one of the reports given.

    Example: neurotutor caseload reports/*.json --format html
    """
    from datetime import datetime, timezone

    from neurotutor import __version__
    from neurotutor.cli.context import may_replace, write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import InvalidFileError, UsageError
    from neurotutor.reports import render
    from neurotutor.reports.build import one_line
    from neurotutor.reports.caseload import build_caseload, load_report
    from neurotutor.reports.render import format_for

    session = session_of(ctx)
    fmt = format_for(fmt, output, "text", FORMATS)
    if fmt == "text" and output is not None:
        raise UsageError("A file is written as md, html or json: give --format, or a file name ending in .md, "
                         ".html or .json.")
    out = session.out
    target = output or (Path("caseload.html") if fmt == "html" else None)
    if target is not None:
        for path in reports:
            if _same_file(path, target.expanduser()):
                raise UsageError(f"{target} is one of the reports you gave, and writing the caseload would replace "
                                 "it: give another file name with -o. Nothing was written.")
    loaded, problems = [], []
    seen: set[Path] = set()
    for path in reports:
        if path.resolve() in seen:
            out.warn(f"{path}: given twice; read once.")
            continue
        seen.add(path.resolve())
        report, found = load_report(path)
        problems += found
        if report is not None:
            loaded.append((str(path), report))
    if problems:
        raise InvalidFileError(problems, f"{len({p.path for p in problems})} of {len(reports)} report file"
                               f"{'s' if len(reports) != 1 else ''} could not be read; nothing was summed up.")
    now = datetime.now(timezone.utc)
    caseload = build_caseload(loaded, now)
    if fmt == "text":  # every value on one line: none can add a row or a column
        line = one_line
        out.table(["client", "assignment", "done", "overdue", "review", "last studied", "report of"],
                  [[line(r.client), line(r.assignment), f"{r.done}/{r.lessons}", line(", ".join(r.overdue)) or "-",
                    render.row_review(r), r.last_activity or "not started", r.generated] for r in caseload.rows],
                  never_cut=(0,))
        if caseload.items:
            out.bullets([line(f"{i.question} ({i.lesson}, {i.question_id}): {render.item_words(i)}")
                         for i in caseload.items], title="Questions most often missed at the first try:")
        if caseload.misconceptions:
            out.bullets([line(render.misconception_words(*m)) for m in caseload.misconceptions],
                        title="Misconceptions chosen most:")
        if caseload.set_aside:
            out.bullets([line(x) for x in caseload.set_aside], title="Reports left out:")
        return
    if fmt == "json":
        data = render.caseload_json(caseload, __version__, now)
    elif fmt == "html":
        data = render.caseload_html(caseload, now).encode("utf-8")
    else:
        data = render.caseload_markdown(caseload, now).encode("utf-8")
    if target is None:
        out.write(data.decode("utf-8"))
        return
    if not may_replace(session, target, "caseload", yes):
        return
    written = write_file(target, data)  # 0600: it names clients
    if not written.stdout:  # the caseload alone on standard output
        out.line(f"Wrote {target}{' (readable only by you)' if written.private else ''}.")


def _same_file(a: Path, b: Path) -> bool:
    """True when two names are one file (the same path, a link, or a hard link to it)."""
    import os

    try:
        return a.resolve() == b.resolve() or os.path.samefile(a, b)
    except (OSError, RuntimeError):  # a name that does not exist (yet) is no file given
        return False
