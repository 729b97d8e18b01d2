"""`neurotutor report`: a report of one assignment for the therapist, written only after the learner
has seen what it contains and chosen whether to include their answers word for word."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Optional

import typer

FORMATS = ("md", "html", "json")


def run(
    ctx: typer.Context,
    assignment_id: Optional[str] = typer.Option(None, "--assignment", metavar="ID", help="Which assignment (needed when you have several)."),
    fmt: Optional[str] = typer.Option(None, "--format", metavar="FORMAT", help="md (to paste into notes), html (to open in a browser and print) or json (for the caseload view); by default the -o file's ending, or md."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Where to write it (default: report-ID.FORMAT here).", dir_okay=False,
                                          readable=False),
    verbatim: Optional[bool] = typer.Option(None, "--verbatim/--no-verbatim", help="Include your answers word for word (asked in a terminal; default no)."),
    yes: bool = typer.Option(False, "--yes", help="Write it without asking (with --no-verbatim unless --verbatim is given)."),
) -> None:
    """Write a report of an assignment for your therapist. You see what it contains first.

    Only the assignment's own lessons are included; your answers in your own words only if you
    choose. The file is readable only by you until you send it.

    Example: neurotutor report -o for-my-therapist.md
    """
    from datetime import timezone

    from neurotutor import __version__
    from neurotutor.cli.context import check_outside_data, may_replace, write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.reports.build import build_report, contents, count_until, may_be_dated_after
    from neurotutor.reports.render import format_for, to_json, to_markdown

    session = session_of(ctx)
    settings = session.settings
    fmt = format_for(fmt, output, "md", FORMATS)
    out = session.out
    store = session.store
    progress = store.load()
    if not progress.assignments:
        raise UsageError("You have no assignments, so there is nothing to report. Add one with: "
                         + session.command("assignment", "add", "FILE"))
    if assignment_id is None:
        kept = sorted(progress.assignments.values(), key=lambda x: x.added)
        if len(kept) > 1 and settings.interactive and not yes:
            from neurotutor.cli.prompters import make_prompter

            try:
                pick = make_prompter(True, out).choose("Which assignment is the report for?", [
                    f"{x.assignment.title} (from {x.assignment.therapist.name}; {x.assignment.id})" for x in kept])
            except (KeyboardInterrupt, EOFError):
                from neurotutor.errors import Interrupted

                raise Interrupted("\nStopped. No report was written.") from None
            assignment_id = kept[pick].assignment.id
        elif len(kept) > 1:
            raise UsageError("You have several assignments; choose one with --assignment ID: "
                             + ", ".join(x.assignment.id for x in kept) + ".")
        else:
            assignment_id = kept[0].assignment.id
    stored = progress.assignments.get(assignment_id)
    if stored is None:
        raise UsageError(f"There is no assignment with the id {assignment_id!r}. "
                         f"Run '{session.command('assignments')}' to see them.")
    catalogue = session.catalogue
    assigned = [item.lesson for item in stored.assignment.lessons]
    lessons = {lid: catalogue.find(lid).lesson for lid in assigned if catalogue.get(lid) is not None}
    titles = {e.info.id: e.info.title for e in catalogue.lessons}
    tallied = session.totals()
    totals = tallied.lessons
    session.show_notices()
    target = check_outside_data(output or Path(f"report-{stored.assignment.id}.{fmt}"))  # before anything is asked
    if verbatim is None and not yes and settings.interactive:
        from neurotutor.cli.prompters import make_prompter

        out.heading("Before the report is written")
        contains, leaves_out = contents(None, "you")
        out.bullets(list(contains), title="It will contain:")
        out.bullets(list(leaves_out), title="It leaves out:")
        prompter = make_prompter(True, out)
        try:
            pick = prompter.choose("Include your answers word for word (for the misconceptions you chose)?",
                                   ["No, leave my own words out", "Yes, include them", "Do not write a report"])
        except (KeyboardInterrupt, EOFError):
            from neurotutor.errors import Interrupted

            raise Interrupted("\nStopped. No report was written.") from None
        if pick == 2:
            out.line("No report was written.")
            return
        verbatim = pick == 1
    if not may_replace(session, target, "report", yes):
        return
    now, today = datetime.now(timezone.utc), date.today()
    counted = None
    if may_be_dated_after(progress, totals, assigned, now, today):  # the totals are per day: read the answers
        from neurotutor.progress import history

        counted = count_until(history.read(store.history_path).attempts, assigned, now, tallied.default_offset)
    report = build_report(stored, progress, totals, lessons, titles, now, today, bool(verbatim),
                          added_on=_local_date(stored.added), counted=counted)
    if fmt == "json":
        data = to_json(report, __version__)
    elif fmt == "html":
        from neurotutor.reports.render import to_html

        data = to_html(report, __version__).encode("utf-8")
    else:
        data = to_markdown(report).encode("utf-8")
    written = write_file(target, data)  # 0600: readable only by you until you send it
    if not written.stdout:  # the report alone on standard output
        out.line(f"Wrote {target}{' (readable only by you)' if written.private else ''}. It contains: "
                 + "; ".join(contents(report.verbatim, "you")[0]) + ".")


def _local_date(moment: datetime) -> date:
    """The date of a moment here (its UTC date at the very ends of the calendar)."""
    try:
        return moment.astimezone().date()
    except (OverflowError, ValueError, OSError):
        return moment.date()
