"""The therapist loop in a real pseudo-terminal: `assign new` asking for what is missing (each
answer checked as it is typed) and Ctrl-C writing nothing (screens via pyte). The report's consent
screen is in test_pty_report.py."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from flows import seed_profile  # noqa: E402
from terminal import CTRL_C, ENTER  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

DATA = Path(__file__).resolve().parent / "data"
CLEAR = "\x15"  # Ctrl-U: clear the line typed so far



def test_assign_new_asks_for_each_field_and_checks_it_as_it_is_typed(neurotutor_home: Path, tmp_path: Path,
                                                                     terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    (tmp_path / "my-own-lesson.yaml").write_text((DATA / "assignments" / "my-own-lesson.yaml").read_text())
    out = tmp_path / "a.yaml"
    due = date.today() + timedelta(days=14)
    t = terminals(neurotutor_home, "assign", "new", "-o", str(out))
    t.prompt(r"A short id for the assignment", "SK Autumn", ENTER)
    assert t.settle(r"single dashes only").splitlines()[-1] == "Use lowercase letters, digits and single dashes only, e.g. sk-autumn."
    t.keys(CLEAR, "sk-autumn", ENTER)
    t.prompt(r"Its title", "First steps", ENTER)
    t.prompt(r"Your name, as the client knows you", "Dr A. Example", ENTER)
    t.prompt(r"a pseudonym or initials", "x" * 41, ENTER)
    assert t.settle(r"this is 41").splitlines()[-1] == "Keep it to 40 characters or fewer (this is 41)."
    t.keys(CLEAR, "S.K.", ENTER)
    t.prompt(r"How the client can reach you[\s\S]*\(Enter to skip\)", ENTER)
    screen = t.settle(r"Which lesson\? \(arrow keys or number, Enter\)")
    assert " » 1. A lesson file of my own (it travels with the assignment)" in screen  # numbered as in --plain
    assert "   6. CBT: thoughts, actions and what the evidence shows (cbt)" in screen
    assert "No more lessons" not in screen  # not before one is chosen
    t.keys("6", ENTER)
    t.prompt(r"Due date for CBT: thoughts, actions[\s\S]*year-month-day", "2026-02-30", ENTER)
    assert t.settle(r"is not a real date").splitlines()[-1].startswith("2026-02-30 is not a real date: type year-month-day")
    t.keys(CLEAR, due.isoformat(), ENTER)
    screen = t.settle(r"1 chosen\. Another lesson\?")
    assert "   - 8. CBT: thoughts, actions and what the evidence shows (cbt) (already in)" in screen
    assert " » 1. No more lessons\n   2. Take a lesson out\n   3. A lesson file of my own" in screen  # in sight first
    t.keys("3", ENTER)  # a lesson file of my own
    t.prompt(r"The lesson file", "elsewhere.yaml", ENTER)
    assert t.settle(r"There is no file").splitlines()[-1] == "There is no file elsewhere.yaml."
    t.keys(CLEAR, str(tmp_path / "my-own-lesson.yaml"), ENTER)
    t.prompt(r"Due date for my-own-lesson.yaml[\s\S]*year-month-day", due.isoformat(), ENTER)
    t.settle(r"2 chosen\. Another lesson\?")
    t.keys("1", ENTER)  # no more lessons
    t.prompt(r"A review goal, in minutes a day \(1-240\) \(Enter to skip\)", "10", ENTER)
    t.prompt(r"An exam goal[\s\S]*\(Enter to skip\)", "70%", ENTER)
    t.prompt(r"The exam is on all of them[\s\S]*\(Enter to skip\)", ENTER)
    t.prompt(r"The exam's date[\s\S]*\(Enter to skip\)", ENTER)
    t.settle(r"Practice between sessions\?")
    t.keys("1", ENTER)  # no practice
    t.settle(r"Check-ins\?")
    t.keys("1", ENTER)  # no check-ins
    t.prompt(r"A note to the client, one paragraph at a time \(Enter to skip\)", "See you on Tuesday.", ENTER)
    t.prompt(r"Another paragraph \(Enter to skip\)", ENTER)
    t.settle(r"Write it\?")
    assert not out.exists()  # shown first, written when the therapist says so
    t.keys("1", ENTER)
    t.expect(r"Wrote ")
    assert t.finish() == 0
    assert out.read_text() == (
        "# A neurotutor assignment (see docs/assignment-format.md). Check it with: neurotutor validate FILE\n"
        "kind: assignment\nformat: 1\nid: sk-autumn\ntitle: \"First steps\"\ntherapist:\n  name: \"Dr A. Example\"\n"
        "# A pseudonym or initials: the tutor never needs a real name.\nclient: \"S.K.\"\nlessons:\n"
        f"  - lesson: cbt\n    due: {due}\n  - lesson: my-own-lesson\n    due: {due}\n"
        "    file: \"my-own-lesson.yaml\"\ngoals:\n  review:\n    minutes_per_day: 10\n  exam:\n    min_score: 70\n"
        "note: |\n  See you on Tuesday.\n")


def test_ctrl_c_in_assign_new_writes_nothing(neurotutor_home: Path, tmp_path: Path, terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "assign", "new", "-o", str(tmp_path / "a.yaml"), "--id", "sk-autumn")
    t.prompt(r"Its title", "First st", CTRL_C)
    t.expect(r"Stopped\. The assignment was not written\.")
    assert t.finish() == 130
    assert not (tmp_path / "a.yaml").exists()
