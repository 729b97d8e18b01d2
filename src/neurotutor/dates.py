"""Date arithmetic that stays inside the calendar.

A clock set to 9999-12-31 (or a date read from a file) must not make a sum overflow: Python's
dates end at 9999-12-31 and start at 0001-01-01, and `moment + timedelta(...)` past either end
raises OverflowError. These helpers saturate at the edge instead, so "due in 30 days" on the
last day of the calendar is simply "due at the end of the calendar". Pure: no clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def add(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta, saturating at the last (or first) moment a datetime can hold."""
    try:
        return moment + delta
    except OverflowError:
        edge = datetime.max if delta > timedelta(0) else datetime.min
        return edge.replace(tzinfo=moment.tzinfo)


def add_days(day: date, days: int) -> date:
    """day + days, saturating at the last (or first) date there is."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def from_ordinal(ordinal: int) -> date:
    """The date of a proleptic Gregorian ordinal (1 is 0001-01-01), kept inside the calendar."""
    return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))


def local(moment: datetime) -> datetime:
    """The moment in the computer's time zone; where that would fall outside the calendar (the
    first or last hours of it), the moment as it is."""
    try:
        return moment.astimezone()
    except (OverflowError, ValueError, OSError):
        return moment
