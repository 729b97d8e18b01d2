"""Check-ins over time, per measure, as plain data: what `neurotutor checkins` draws and what its
`--json` document holds. Pure: the check-ins are passed in.

Each check-in carries its total, its band and, from the second one of a measure on, the change
from the one before it with its reliable change index (`neurotutor.checkins.measures`); each
measure, the change from its first check-in to its latest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from neurotutor.checkins import measures as ms
from neurotutor.checkins.model import CheckIn


@dataclass(frozen=True)
class ChangeInfo:
    """The change from the check-in before (same measure)."""

    since: date  # the local date of the check-in before
    points: int  # negative: fewer symptoms reported
    rci: float  # rounded to 2 decimals
    reliable: bool  # |RCI| > 1.96: more than measurement error allows


@dataclass(frozen=True)
class Point:
    """One check-in as shown over time."""

    id: str
    at: datetime  # UTC
    date: date  # the learner's local date
    answers: tuple[int, ...]
    total: int
    band: str
    severe: bool
    change: ChangeInfo | None


@dataclass(frozen=True)
class ReliableChangeInfo:
    """The numbers behind the reliable change verdicts, and their sources."""

    sd: float
    reliability: float
    points: float  # a change must be larger than this (1.96 * S_diff)
    whole_points: int  # the smallest whole-point change that is reliable
    source: str


@dataclass(frozen=True)
class Series:
    """Every check-in of one measure, oldest first."""

    measure: str  # "phq8"
    name: str  # "PHQ-8"
    about: str
    max_total: int
    bands: tuple[str, ...]  # "0-4 none-minimal", ...
    reliable_change: ReliableChangeInfo
    checkins: tuple[Point, ...]
    since_first: ChangeInfo | None  # from the first check-in to the latest (None with only one)


def point(m: ms.Measure, checkin: CheckIn, before: CheckIn | None) -> Point:
    """A check-in with its total, band and change from `before` (the same measure's previous one)."""
    score = ms.total(m, checkin.answers)
    b = ms.band(m, score)
    info = None
    if before is not None:
        c = ms.change(m, ms.total(m, before.answers), score)
        info = ChangeInfo(before.local_date, c.points, round(c.rci, 2), c.reliable)
    return Point(checkin.id, checkin.at, checkin.local_date, checkin.answers, score, b.words, b.severe, info)


def series(checkins: Iterable[CheckIn]) -> list[Series]:
    """Per measure that has check-ins (PHQ-8 first), every check-in oldest first."""
    ordered = sorted(checkins, key=lambda c: c.at)  # an import may append older ones later
    out = []
    for m in ms.MEASURES.values():
        mine = [c for c in ordered if c.measure == m.id]
        if not mine:
            continue
        points = tuple(point(m, c, mine[i - 1] if i else None) for i, c in enumerate(mine))
        r = m.reliable
        overall = point(m, mine[-1], mine[0]).change if len(mine) > 1 else None
        out.append(Series(m.id, m.name, m.about, m.max_total, tuple(f"{b.low}-{b.high} {b.words}" for b in m.bands),
                          ReliableChangeInfo(r.sd, r.reliability, round(r.points, 2), r.whole_points, r.source),
                          points, overall))
    return out


def last_of(checkins: Iterable[CheckIn], measure_id: str) -> CheckIn | None:
    """The latest check-in of a measure, if any."""
    mine = [c for c in checkins if c.measure == measure_id]
    return max(mine, key=lambda c: c.at) if mine else None
