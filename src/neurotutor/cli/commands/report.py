"""`neurotutor report`: a report of one assignment for the therapist, written only after the learner
has seen what it contains and chosen whether to include their answers word for word."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.session import Session
    from neurotutor.progress.model import StoredAssignment

FORMATS = ("md", "html", "json")


def run(
    ctx: typer.Context,
    assignment_id: str | None = typer.Option(None, "--assignment", metavar="ID", help="Which assignment (needed when you have several)."),
    fmt: str | None = typer.Option(None, "--format", metavar="FORMAT", help="md (to paste into notes), html (to open in a browser and print) or json (for the caseload view); by default the -o file's ending, or md."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Where to write it (default: report-ID.FORMAT here).", dir_okay=False,
                                          readable=False),
    verbatim: bool | None = typer.Option(None, "--verbatim/--no-verbatim", help="Include your answers word for word (asked in a terminal; default no)."),
    yes: bool = typer.Option(False, "--yes", help="Write it without asking (with --no-verbatim unless --verbatim is given)."),
) -> None:
    """Write a report of an assignment for your therapist. You see what it contains first.

    Only the assignment's own lessons are included; your answers in your own words only if you
    choose. The file is readable only by you until you send it.

    Example: neurotutor report -o for-my-therapist.md
    """
    from neurotutor import __version__, dates
    from neurotutor.cli.context import check_outside_data, may_replace, write_file
    from neurotutor.cli.session import session_of
    from neurotutor.reports.build import contents
    from neurotutor.reports.render import format_for, report_file
    from neurotutor.reports.request import choose_assignment, report_of

    session = session_of(ctx)
    fmt = format_for(fmt, output, "md", FORMATS)
    ask = session.settings.interactive and not yes
    stored = choose_assignment(session.progress, assignment_id, _picker(session) if ask else None,
                               session.command("assignment", "add", "FILE"), session.command("assignments"))
    catalogue, tallies = session.catalogue, session.totals()
    target = check_outside_data(output or Path(f"report-{stored.assignment.id}.{fmt}"))  # before anything is asked
    if verbatim is None and ask:
        verbatim = _ask_verbatim(session)
        if verbatim is None:
            session.out.line("No report was written.")
            return
    if not may_replace(session, target, "report", yes):
        return
    report = report_of(stored, session.progress, catalogue, tallies, session.store.history_path, session.now,
                       dates.local(session.now).date(), bool(verbatim))
    written = write_file(target, report_file(report, fmt, __version__))  # 0600: readable only by you until you send it
    if not written.stdout:  # the report alone on standard output
        session.out.line(f"Wrote {target}{' (readable only by you)' if written.private else ''}. It contains: "
                         + "; ".join(contents(report.verbatim, "you")[0]) + ".")


def _not_written(first: str) -> str:
    return f"{first}. No report was written."


def _picker(session: Session) -> Callable[[Sequence[StoredAssignment]], int]:
    """Ask which of several assignments the report is of."""
    def pick(kept: Sequence[StoredAssignment]) -> int:
        with session.stoppable(_not_written):
            return session.prompter.choose("Which assignment is the report for?", [
                f"{x.assignment.title} (from {x.assignment.therapist.name}; {x.assignment.id})" for x in kept])
    return pick


def _ask_verbatim(session: Session) -> bool | None:
    """Show what the report will contain, then ask whether to include the answers word for word
    (None: write no report)."""
    from neurotutor.reports.build import contents

    out = session.out
    out.heading("Before the report is written")
    contains, leaves_out = contents(None, "you")
    out.bullets(list(contains), title="It will contain:")
    out.bullets(list(leaves_out), title="It leaves out:")
    with session.stoppable(_not_written):
        pick = session.prompter.choose("Include your answers word for word (for the misconceptions you chose)?",
                                       ["No, leave my own words out", "Yes, include them", "Do not write a report"])
    return None if pick == 2 else pick == 1
