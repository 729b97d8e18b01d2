"""`assign new` in a real pseudo-terminal (screens via pyte): a lesson file picked twice, or one
holding a lesson picked already, refused as it is typed; a date typed 14/12/2026 read, 12/11/2026
refused with both ways to write it; the lesson a picked lesson builds on offered with a date before
it; no practice and no check-ins; the whole draft on screen before anything is written (at 80x24,
and at 50 columns with the warning in sight), any answer changed from there, and nothing written
when the therapist stops. Practice and check-ins: tests/test_pty_assign_practice.py."""

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

DATA = Path(__file__).resolve().parent / "data" / "assignments"
CLEAR = "\x15"  # Ctrl-U: clear the line typed so far


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder with a short name (what the screen shows of a path stays on one line), holding a
    lesson file and a copy of it under another name."""
    made = Path(tempfile.mkdtemp(prefix="nt-"))
    for name in ("mine.yaml", "copy.yaml"):
        (made / name).write_text((DATA / "my-own-lesson.yaml").read_text())
    yield made
    shutil.rmtree(made)


def _words(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _day_first(after: date) -> date:
    """A day after `after` whose day of the month is over 12, so that 14/12/2026 can only be it."""
    day = after
    while day.day <= 12:
        day += timedelta(days=1)
    return day


def test_the_draft_is_on_screen_before_it_is_written_and_an_answer_can_be_changed(neurotutor_home: Path, folder: Path,
                                                                                terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    today = date.today()
    due = _day_first(today + timedelta(days=20))
    own = due + timedelta(days=7)
    before = due - timedelta(days=7)
    out = folder / "sk.yaml"
    t = terminals(neurotutor_home, "assign", "new", "-o", str(out), "--id", "sk-autumn", "--therapist", "Dr A. Example",
                  "--contact", "a@clinic.example", "--client", "S.K.", columns=80)
    t.prompt(r"Its title", "First steps", ENTER)
    screen = t.settle(r"Which lesson\? \(arrow keys or number, Enter\)")
    assert "   3. Checking the claims: what does therapy really do to the brain?" in screen
    t.keys("3", ENTER)
    t.prompt(r"Due date for Checking the claims[\s\S]*year-month-day", f"12/11/{today.year + 1}", ENTER)
    assert t.settle(r"is unclear").splitlines()[-1] == (
        f"12/11/{today.year + 1} is unclear: write it as {today.year + 1}-11-12 or {today.year + 1}-12-11 "
        "(year-month-day).")
    t.keys(CLEAR, f"{due.day}/{due.month}/{due.year}", ENTER)
    t.settle(r"1 chosen\. Another lesson\?")
    t.keys("3", ENTER)  # a lesson file of my own
    t.prompt(r"The lesson file", str(folder / "mine.yaml"), ENTER)
    t.prompt(r"Due date for mine\.yaml", own.isoformat(), ENTER)
    t.settle(r"2 chosen\. Another lesson\?")
    t.keys("3", ENTER)
    t.prompt(r"The lesson file", str(folder / "mine.yaml"), ENTER)
    assert t.settle(r"chosen this file").splitlines()[-1] == "You have chosen this file already."
    t.keys(CLEAR, str(folder / "copy.yaml"), ENTER)
    assert t.settle(r"which you have chosen").splitlines()[-1] == "It holds my-own-lesson, which you have chosen already."
    t.keys(CLEAR, ENTER)  # nothing: back to the list
    t.settle(r"2 chosen\. Another lesson\?")
    t.keys("1", ENTER)  # no more lessons
    screen = t.settle(r"Add neuroplasticity-types too")
    assert "? Add neuroplasticity-types too, due before plasticity-claims? (y/N)" in screen
    assert ("Checking the claims: what does therapy really do to the brain?\n(plasticity-claims) builds on "
            "Neuroplasticity: how the brain changes with\nexperience (neuroplasticity-types), which is not in this "
            "assignment.") in screen
    t.keys("y")
    t.prompt(r"Due date for Neuroplasticity[\s\S]*e\.g\. ", (due + timedelta(days=1)).isoformat(), ENTER)
    assert t.settle(r"so that it comes first").splitlines()[-1] == (
        f"Give a date on or before {due.isoformat()}, so that it comes first.")
    t.keys(CLEAR, before.isoformat(), ENTER)
    t.prompt(r"A review goal", ENTER)
    t.prompt(r"An exam goal", ENTER)
    t.settle(r"Practice between sessions\?")
    t.keys("1", ENTER)  # no practice
    t.settle(r"Check-ins\?")
    t.keys("1", ENTER)  # no check-ins
    t.prompt(r"A note to the client, one paragraph at a time", "See you on Tuesday.", ENTER)
    t.prompt(r"Another paragraph", ENTER)
    screen = t.settle(r"Write it\?")
    summary = [
        "Check the assignment before it is written ──────────────────────────────────────",
        f"  - File: {out}", "  - Id: sk-autumn", "  - Title: First steps", "  - From: Dr A. Example (a@clinic.example)",
        "  - Client: S.K.", f"  - Lesson: neuroplasticity-types, due {_words(before)}",
        f"  - Lesson: plasticity-claims, due {_words(due)}",
        f"  - Lesson: my-own-lesson (from {folder / 'mine.yaml'}), due {_words(own)}", "  - Goals: none",
        "  - Practice: none", "  - Check-ins: none", "  - Note: See you on Tuesday.",
        "  - Key: none, so reports will not be sealed (see 'neurotutor therapist init')",
        "? Write it? (arrow keys or number, Enter)", " » 1) Write it", "   2) Change something",
        "   3) Stop without writing"]
    shown = [line for line in screen.splitlines() if line]
    assert shown[-len(summary):] == summary, screen  # all of it in sight, the menu under it
    assert not out.exists()
    t.keys("2", ENTER)
    screen = t.settle(r"What to change\?")
    assert " » 1) The id\n   2) The title\n   3) Your name or contact\n" in screen
    assert "   8) The key (for sealed reports)\n   9) Nothing: back to the assignment" in screen
    t.keys("2", ENTER)
    t.prompt(r"Its title", "Second steps", ENTER)
    screen = t.settle(r"Write it\?")
    assert "  - Title: Second steps\n" in screen and not out.exists()
    t.keys("1", ENTER)
    t.expect(r"Wrote ")
    assert t.finish() == 0
    assert out.read_text().endswith(
        "lessons:\n"
        f"  - lesson: neuroplasticity-types\n    due: {before}\n  - lesson: plasticity-claims\n    due: {due}\n"
        f"  - lesson: my-own-lesson\n    due: {own}\n    file: \"mine.yaml\"\nnote: |\n  See you on Tuesday.\n")
    assert 'title: "Second steps"\n' in out.read_text()
    assert f"Give {out} with {folder / 'mine.yaml'} to your client" in t.text.replace("\r\n", " ").replace("\n", " ")


def test_at_50_columns_the_draft_and_its_warning_stay_in_sight_and_stopping_writes_nothing(
        neurotutor_home: Path, folder: Path, terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    due = date.today() + timedelta(days=21)
    out = folder / "sk.yaml"
    t = terminals(neurotutor_home, "assign", "new", "-o", str(out), "--id", "sk-autumn", "--therapist", "Dr A",
                  "--client", "S.K.", "--lesson", f"plasticity-claims:{due}", "--review-minutes", "10",
                  "--exam-score", "70", "--note", "See you soon.", columns=50)
    t.prompt(r"Its title", "First steps", ENTER)
    screen = t.settle(r"Write it\?")
    shown = [line for line in screen.splitlines() if line]
    assert shown[shown.index("Check the assignment before it is written ────────"):] == [
        "Check the assignment before it is written ────────",
        f"  - File: {out}", "  - Id: sk-autumn", "  - Title: First steps", "  - From: Dr A, no contact given",
        "  - Client: S.K.", f"  - Lesson: plasticity-claims, due {_words(due)}",
        "  - Goals: review 10 minutes a day; an exam on all",
        "    the lessons, aiming for 70% or more",
        "  - Practice: none", "  - Check-ins: none",
        "  - Note: See you soon.",
        "  - Key: none, so reports will not be sealed (see",
        "    'neurotutor therapist init')",
        "Note: plasticity-claims builds on",
        "neuroplasticity-types, which is not in it; to add",
        "it, change the lessons.",
        "? Write it? (arrow keys or number, Enter)", " » 1) Write it", "   2) Change something",
        "   3) Stop without writing"], screen
    t.keys("3", ENTER)
    t.expect(r"Stopped\. The assignment was not written\.")
    assert t.finish() == 0
    assert not out.exists()
