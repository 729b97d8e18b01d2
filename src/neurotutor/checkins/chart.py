"""Check-ins over time as a small text chart: a bar per check-in, one line each, that fits any
width from 40 columns up and needs nothing but text (no colour, no cursor movement).

Each line gives the date, the total and (where there is room for a bar of a cell a point too) its
band in words before the bar, so a screen reader reaches the numbers first; the bands' ranges are
said above the bars. In `ascii` (plain) mode the bar is made of "#" and has no filler.
Pure: the series are passed in, the lines are returned.
"""

from __future__ import annotations

import textwrap
from datetime import date

from neurotutor.checkins.measures import Change, change_words
from neurotutor.checkins.summary import Series

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RELIABLE_MARK = "*"


def day_words(d: date) -> str:
    """A date as a learner reads it: 16 Nov 2026 (the same in every locale)."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _bar(total: int, most: int, room: int, ascii: bool) -> str:
    cells = most if room >= most else room
    filled = round(total * cells / most) if most else 0
    if ascii:
        return "#" * filled
    return "\u2588" * filled + "\u00b7" * (cells - filled)


def _wrapped(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, max(width - 1, 20), break_long_words=False, break_on_hyphens=False) or [""]


def chart_lines(s: Series, width: int = 80, ascii: bool = False) -> list[str]:
    """One measure's check-ins as chart lines at this width (80 when unknown)."""
    width = width or 80
    lines = _wrapped(f"{s.name} ({s.about}): totals 0 to {s.max_total}; lower means fewer symptoms.", width)
    lines += _wrapped("Bands: " + ", ".join(s.bands) + ".", width)
    band_width = max(len(b.split(" ", 1)[1]) for b in s.bands) + 2
    fixed = 2 + 10 + 2 + 3 + 2
    if width - 1 - fixed - band_width < s.max_total:  # narrow: the bar before the band's words (the legend has them)
        band_width = 0
    room = max(width - 1 - fixed - band_width, 5)
    marked = False
    for p in s.checkins:
        mark = RELIABLE_MARK if p.change is not None and p.change.reliable else " "
        marked = marked or mark != " "
        band = f"{p.band:<{band_width - 2}}  " if band_width else ""
        row = f"  {p.date.isoformat()}  {p.total:>2}{mark}  {band}{_bar(p.total, s.max_total, room, ascii)}"
        lines.append(row.rstrip())
    last = s.checkins[-1]
    said = f"Latest: {last.total} on {day_words(last.date)} ({last.band})."
    if last.change is not None:
        said += " " + change_words(Change(last.change.points, last.change.rci, last.change.reliable),
                                   day_words(last.change.since))
    lines += _wrapped(said, width)
    if s.since_first is not None and len(s.checkins) > 2:
        first = s.checkins[0]
        c = s.since_first
        overall = change_words(Change(c.points, c.rci, c.reliable), f"{day_words(first.date)} (the first: {first.total})")
        lines += _wrapped("Overall, " + overall[0].lower() + overall[1:], width)
    if marked:
        lines += _wrapped(f"{RELIABLE_MARK} more than measurement error allows since the check-in before: a change of "
                          f"{s.reliable_change.whole_points} points or more on the {s.name}.", width)
    return lines
