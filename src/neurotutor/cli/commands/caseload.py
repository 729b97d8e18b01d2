"""`neurotutor caseload`: the therapist's view of the reports clients sent."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

FORMATS = ("text", "md", "json")


def run(
    ctx: typer.Context,
    reports: List[Path] = typer.Argument(..., metavar="REPORT.json ...", help="Report files (JSON) from your clients.",
                                         dir_okay=False),
    fmt: str = typer.Option("text", "--format", metavar="FORMAT", help="text (default), md or json."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write to a file instead.", dir_okay=False),
) -> None:
    """Sum up your clients' reports: who is behind, and which questions most clients miss.

    Every file is checked first; one that is not a valid report (another program's file, a report
    from a newer tutor, a damaged or edited one) is refused with the reason, never half-read.

    Example: neurotutor caseload reports/*.json
    """
    from neurotutor import files
    from neurotutor.cli.context import output_for
    from neurotutor.errors import InvalidFileError, UsageError
    from neurotutor.reports.caseload import build_caseload, load_report

    settings = ctx.obj
    if fmt not in FORMATS:
        raise UsageError(f"--format must be one of: {', '.join(FORMATS)}.")
    out = output_for(settings)
    loaded, problems = [], []
    for path in reports:
        report, found = load_report(path)
        problems += found
        if report is not None:
            loaded.append((str(path), report))
    if problems:
        raise InvalidFileError(problems, f"{len({p.path for p in problems})} of {len(reports)} report file"
                               f"{'s' if len(reports) != 1 else ''} could not be read; nothing was summed up.")
    caseload = build_caseload(loaded)
    if fmt == "json":
        import msgspec

        data = msgspec.json.format(msgspec.json.encode({"format": "neurotutor-caseload", "version": 1,
                                                        "rows": [r.__dict__ for r in caseload.rows],
                                                        "questions_missed": [dict(zip(("question_id", "question", "times", "clients"), m)) for m in caseload.missed],
                                                        "misconceptions": [dict(zip(("label", "times", "clients"), m)) for m in caseload.misconceptions]}), indent=2) + b"\n"
    else:
        lines = ["| client | assignment | done | overdue | best scores | review min | last activity |",
                 "|---|---|---|---|---|---|---|"] if fmt == "md" else []
        if fmt == "md":
            for r in caseload.rows:
                lines.append(f"| {r.client} | {r.assignment} | {r.done}/{r.lessons} | {', '.join(r.overdue) or '-'} | "
                             + (", ".join(f"{t} {round(s * 100)}%" for t, s in r.best_scores) or "-")
                             + f" | {r.review_minutes:.0f} | {r.last_activity} |")
            if caseload.missed:
                lines += ["", "Questions most often answered with a misconception:", ""]
                lines += [f"- {q} ({n}x, {c} client{'s' if c != 1 else ''}): {' '.join(text.split())}"
                          for q, text, n, c in caseload.missed]
            if caseload.misconceptions:
                lines += ["", "Misconceptions chosen most:", ""]
                lines += [f"- {label.replace('-', ' ')}: {n}x, {c} client{'s' if c != 1 else ''}"
                          for label, n, c in caseload.misconceptions]
            data = ("\n".join(lines) + "\n").encode("utf-8")
        else:
            out.table(["client", "assignment", "done", "overdue", "last activity"],
                      [[r.client, r.assignment, f"{r.done}/{r.lessons}", ", ".join(r.overdue) or "-", r.last_activity]
                       for r in caseload.rows], never_cut=(0,))
            if caseload.missed:
                out.bullets([f"{q} ({n}x, {c} client{'s' if c != 1 else ''}): {' '.join(text.split())}"
                             for q, text, n, c in caseload.missed], title="Questions most often answered with a misconception:")
            if caseload.misconceptions:
                out.bullets([f"{label.replace('-', ' ')}: {n}x, {c} client{'s' if c != 1 else ''}"
                             for label, n, c in caseload.misconceptions], title="Misconceptions chosen most:")
            return
    if output is None:
        out.write(data.decode("utf-8"))
    else:
        files.atomic_write(output, data)
        out.line(f"Wrote {output}.")
