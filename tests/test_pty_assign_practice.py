"""`assign new` asking for practice between sessions and check-ins in a real pseudo-terminal at
80x24 (screens via pyte): a worksheet picked from the menu, how many times a week, until a date
typed 14/12/2026-style; PHQ-8 and GAD-7 on a day; the whole draft, practice and check-ins
included, in sight above the menu; the check-ins changed from there; the file written with them."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from flows import seed_profile  # noqa: E402
from terminal import ENTER  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder with a short name, so that what the screen shows of a path stays on one line."""
    made = Path(tempfile.mkdtemp(prefix="nt-"))
    yield made
    shutil.rmtree(made)


def _words(day: date, year: bool = True) -> str:
    return f"{day:%a} {day.day} {day:%b}" + (f" {day.year}" if year else "")


def _day_first(after: date) -> date:
    """A day after `after` whose day of the month is over 12, so that 14/12/2026 can only be it."""
    day = after
    while day.day <= 12:
        day += timedelta(days=1)
    return day


def test_practice_and_checkins_are_asked_for_shown_with_the_draft_and_changed(neurotutor_home: Path, folder: Path,
                                                                             terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    today = date.today()
    due = today + timedelta(days=14)
    until = _day_first(today + timedelta(days=20))
    out = folder / "sk.yaml"
    t = terminals(neurotutor_home, "assign", "new", "-o", str(out), "--id", "sk-autumn", "--therapist", "Dr A",
                  "--client", "S.K.", "--note", "See you soon.", columns=80)
    t.prompt(r"Its title", "First steps", ENTER)
    t.settle(r"Which lesson\? \(arrow keys or number, Enter\)")
    t.keys("2", ENTER)  # the first lesson: it builds on none
    t.prompt(r"Due date for Neuroplasticity[\s\S]*year-month-day", due.isoformat(), ENTER)
    t.settle(r"1 chosen\. Another lesson\?")
    t.keys("1", ENTER)  # no more lessons
    t.prompt(r"A review goal", ENTER)
    t.prompt(r"An exam goal", ENTER)
    screen = t.settle(r"Practice between sessions\? \(arrow keys or number, Enter\)")
    assert ("? Practice between sessions? (arrow keys or number, Enter)\n"
            " » 1) No practice\n   2) Thought record\n   3) Behavioural experiment\n   4) Exposure practice log\n"
            "   5) Activity plan\n   6) The breathing space\n"
            "   7) A worksheet file of my own (it travels with the assignment)\n") in screen, screen
    t.keys("2", ENTER)
    t.prompt(r"How many times a week for Thought record\?", "2 a fortnight", ENTER)
    assert t.settle(r"Type a number").splitlines()[-1] == "Type a number of times from 1 to 50: 2 (a week), or 1 a day."
    t.keys("\x15", "2", ENTER)
    t.prompt(r"Until when\?", f"{until.day}/{until.month}/{until.year}", ENTER)
    screen = t.settle(r"1 set\. More practice\?")
    assert "   - Thought record (set already)\n   4) Behavioural experiment" in screen
    t.keys("1", ENTER)  # no more practice
    t.settle(r"Check-ins\? \(arrow keys or number, Enter\)")
    t.keys("4", ENTER)  # both
    t.settle(r"On which day of each week\?")
    t.keys("2", ENTER)  # Monday
    screen = t.settle(r"Write it\?")
    summary = [
        "Check the assignment before it is written ──────────────────────────────────────",
        f"  - File: {out}", "  - Id: sk-autumn", "  - Title: First steps", "  - From: Dr A, no contact given",
        "  - Client: S.K.", f"  - Lesson: neuroplasticity-types, due {_words(due)}", "  - Goals: none",
        f"  - Practice: Thought record 2 times a week until {_words(until)}",
        "  - Check-ins: PHQ-8 and GAD-7 each Monday",
        "  - Note: See you soon.",
        "  - Key: none, so reports will not be sealed (see 'neurotutor therapist init')",
        "? Write it? (arrow keys or number, Enter)", " » 1) Write it", "   2) Change something",
        "   3) Stop without writing"]
    shown = [line for line in screen.splitlines() if line]
    assert shown[-len(summary):] == summary, screen  # all of it in sight, the menu under it
    t.keys("2", ENTER)
    t.settle(r"What to change\?")
    t.keys("6", ENTER)  # the goals, practice or check-ins
    t.settle(r"Which goals\?")
    t.keys("3", ENTER)  # check-ins
    t.settle(r"Check-ins\?")
    t.keys("2", ENTER)  # PHQ-8 only
    t.settle(r"On which day of each week\?")
    t.keys("1", ENTER)  # any day
    screen = t.settle(r"Write it\?")
    assert "  - Check-ins: PHQ-8 once a week\n" in screen and not out.exists()
    t.keys("1", ENTER)
    t.expect(r"Wrote ")
    assert t.finish() == 0
    assert out.read_text().endswith(
        "goals:\n"
        "  # Practice between sessions: a worksheet, or breathe (the breathing space), so many times\n"
        "  # a week or a day, until a date (none: as long as the assignment lasts).\n"
        "  practice:\n"
        f"    - worksheet: thought-record\n      times: 2\n      per: week\n      until: {until.isoformat()}\n"
        "  # Check-ins (phq8: PHQ-8, gad7: GAD-7), once a week, on the day given (none: any day).\n"
        "  checkins:\n"
        "    - measure: phq8\n"
        "note: |\n  See you soon.\n")
