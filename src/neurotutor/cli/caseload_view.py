"""The caseload on the terminal: who is behind at a glance, then each client's assignment in full.

A table of short cells (client and short key, done, overdue, review against its goal, last
studied, report) fits 80 columns; every fact of a row (the assignment, what is overdue, the best
scores, the time, the lessons in progress, the report's age and marks) follows it on lines of
their own, wrapped at word boundaries, so no cell is ever cut to nothing. Every value is shown on
one line (`one_line`): none can add a row or a column. When even the short table is wider than
the screen (long labels, a narrow terminal), it is left out: the lines under it say it all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from neurotutor.reports.build import one_line as line

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.reports.caseload import Caseload, Row


def show(out: Output, caseload: Caseload) -> None:
    """The caseload on the screen: the table, each row in full, the questions and wrong ideas
    across clients, and the reports left out with the reason."""
    from neurotutor.reports import render

    rows = caseload.rows
    keys = render.short_keys(rows)
    several = len(caseload.therapists) > 1
    n = render.client_count(caseload)
    out.line(f"From the reports of {n} client{'s' if n != 1 else ''}. Those behind come first." if rows
             else "No report to sum up.")
    if rows:
        headers = ["client", *(["therapist"] if several else []), "done", "overdue", "review a day", "last studied",
                   "report"]
        cells = [[render.client_words(r, keys), *([line(r.therapist)] if several else []), f"{r.done}/{r.lessons}",
                  str(len(r.overdue)) if r.overdue else "-", _review(r), r.last_activity or "not started", _report(r)]
                 for r in rows]
        if _fits(out, headers, cells):
            out.table(headers, cells, never_cut=(0,))
            out.note(_legend(rows))
        out.heading("Each client's assignment")
        for i, r in enumerate(rows):
            if i:
                out.line()
            _row(out, r, render.client_words(r, keys), several)
    if caseload.items:
        out.heading("Questions most often missed at the first try")
        out.bullets([line(render.item_line(i)) for i in caseload.items])
    if caseload.misconceptions:
        named, rest = render.top_misconceptions(caseload)
        out.heading("Misconceptions chosen most")
        out.bullets([line(x) for x in [*named, *([rest] if rest else [])]])
    left = render.left_out_lines(caseload)
    if left:
        out.heading("Left out")
        out.bullets([line(x) for x in left])


def _review(row: Row) -> str:
    """The review cell: "4.2 of 5 min", or "4.2 min" without a goal."""
    if row.review_goal_minutes:
        return f"{row.review_minutes_per_day:.1f} of {row.review_goal_minutes} min"
    return f"{row.review_minutes_per_day:.1f} min"


def _marks(row: Row) -> list[str]:
    return (["old"] if row.stale else []) + (["sealed"] if row.sealed else []) + (["other"] if row.other else [])


def _report(row: Row) -> str:
    """The report cell: its date and its marks, a word each ("2026-11-01 old, sealed")."""
    marks = _marks(row)
    return row.generated + (f" {', '.join(marks)}" if marks else "")


def _legend(rows: Sequence[Row]) -> str:
    """What the table's short cells mean: review against the goal, and the marks it shows."""
    said = ["review a day: minutes a day since the assignment was added, of the goal"]
    found = {mark for row in rows for mark in _marks(row)}
    words = {"old": "written long enough ago that what it says may have changed (its age is below)",
             "sealed": "it came sealed to your key", "other": "another therapist's assignment"}
    said += [f"{mark}: {words[mark]}" for mark in ("old", "sealed", "other") if mark in found]
    return "; ".join(said) + "."


def _fits(out: Output, headers: list[str], cells: list[list[str]]) -> bool:
    """Whether the table fits the screen: in plain mode with no cell wrapped (plain mode never wraps
    one), decorated with no word cut (rich wraps cells between words). A screen of unknown width: yes."""
    if not out.width:
        return True
    from neurotutor.text import safe_text

    shown = [[safe_text(cell) for cell in row] for row in [headers, *cells]]
    if out.decorated:
        widths = [max(len(word) for row in shown for word in (row[i].split() or [""])) for i in range(len(headers))]
        widths[0] = max(len(row[0]) for row in shown)  # the client is never wrapped
        return sum(widths) + 3 * len(widths) + 1 <= out.width
    widths = [max(len(row[i]) for row in shown) for i in range(len(headers))]
    return sum(widths) + 2 * (len(widths) - 1) <= out.width


def _row(out: Output, row: Row, client: str, several: bool) -> None:
    """Every fact of one row, under its client and assignment: nothing here is cut."""
    from neurotutor.reports import render

    out.styled(f"{client}: {line(row.assignment)}", "bold")
    facts = [f"therapist: {line(row.therapist)}"] if several else []
    facts.append(f"{row.done} of {row.lessons} lesson{'s' if row.lessons != 1 else ''} done"
                 + (f"; overdue: {line(', '.join(row.overdue))}" if row.overdue else ""))
    if row.in_progress:
        facts.append(f"in progress: {line(render.row_in_progress(row))}")
    if row.best_scores:
        facts.append(f"best scores: {line(render.row_scores(row))}")
    facts.append(f"time: {render.minutes_words(row.reading_minutes)} min reading, "
                 f"{render.minutes_words(row.answering_minutes)} answering, "
                 f"{render.minutes_words(row.review_minutes)} in review")
    facts.append(f"review: {render.row_review(row)}, on {row.review_days} day{'s' if row.review_days != 1 else ''}")
    facts += [f"{'check-ins' if words.startswith(('PHQ-8', 'GAD-7')) else 'practice'}: {line(words)}: "
              + (f"{done} of {set_} done" if set_ else "not due yet") for words, done, set_ in row.homework]
    facts += [f"{render.measure_name(m)}: {line(render.trend_words(first, last, band, n, m))}"
              for m, first, last, band, n in row.checkins]
    if row.practice_set and not row.practice_shared:
        facts.append("practice and check-ins: not included by the client")
    facts.append(f"last studied {row.last_activity or '(not started)'}; report of {render.report_age(row)}"
                 + (", sealed" if row.sealed else "") + (f"; {line(row.other)}" if row.other else ""))
    out.bullets(facts)
