"""Practice on the home screen (issue 21): what an assignment sets and is still to do this week, in
one line, and the entry that leads to a worksheet, a breathing space or a check-in."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from neurotutor import paths
from neurotutor.journal.model import Entry
from neurotutor.journal.store import JournalStore

from flows import seed_profile

PLAN = """kind: assignment
format: 1
id: practice-plan
title: Between sessions
therapist:
  name: Dr A
client: S.K.
lessons:
  - lesson: cbt
    due: 2026-12-20
goals:
  practice:
    - worksheet: thought-record
      times: 2
      until: 2026-12-20
  checkins:
    - measure: phq8
      day: monday
"""


def at(day: int) -> datetime:
    return datetime(2026, 12, day, 12, tzinfo=timezone.utc)


def test_the_home_screen_names_the_practice_due_this_week_and_leads_to_it(run_cli, neurotutor_home: Path,
                                                                          tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    clock = {"now": at(1)}
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: clock["now"])
    seed_profile(neurotutor_home, notice_seen=True)
    (tmp_path / "plan.yaml").write_text(PLAN)
    assert run_cli("assignment", "add", str(tmp_path / "plan.yaml")).returncode == 0
    clock["now"] = at(8)  # a Tuesday, the first week done with nothing, the second begun; Monday 7 passed
    home = run_cli("--plain", input="8\n")
    assert home.returncode == 0, home.stderr
    assert "Practice this week: Thought record 2 times a week (0 of 2 done); PHQ-8 each Monday.\n" in home.stdout
    journal = JournalStore(paths.journal_file(neurotutor_home / "progress.json"))
    for n, day in enumerate((8, 8)):
        journal.add(Entry(id=f"entry{n}", worksheet="thought-record", title="Thought record", status="done",
                          created=at(day), updated=at(day), answers={"situation": "x"}))
    home = run_cli("--plain", input="8\n")
    assert "Practice this week: PHQ-8 each Monday.\n" in home.stdout  # two thought records done this week
    menu = run_cli("--plain", input="7\n4\n8\n")  # Practise, then Back, then Quit
    assert menu.returncode == 0, menu.stderr
    assert ("What would you like to practise?\n  1. Fill in a worksheet, or do a breathing space\n"
            "  2. A check-in (PHQ-8 or GAD-7)\n  3. Read my journal or my check-ins\n  4. Back\nChoose 1-4: 4\n"
            in menu.stdout)
    back = run_cli("--plain", input="7\n1\n6\n8\n")  # Practise, a worksheet, then Back from the worksheets, Quit
    assert back.returncode == 0, back.stderr
    assert "  5. Breathing space (a few calm minutes)\n  6. Back\nChoose 1-6: 6\n" in back.stdout
    assert back.stdout.count("What would you like to do?") == 2  # back at the home menu, not out of the program
    nothing = run_cli("--plain", "--profile", "other", input="8\n")  # no practice set: no line, nothing read
    assert "Practice this week" not in nothing.stdout


def test_a_journal_that_cannot_be_used_is_said_and_the_home_menu_comes_back(run_cli, neurotutor_home: Path,
                                                                           tmp_path: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    (tmp_path / "elsewhere.jsonl").write_text("")
    (neurotutor_home / "journal.jsonl").symlink_to(tmp_path / "elsewhere.jsonl")
    # Practise, a worksheet, the thought record: Enter to begin, a first answer (its save refused), Enter, Quit
    done = run_cli("--plain", input="7\n1\n1\n\nAt home\n\n8\n")
    assert done.returncode == 0, done.stderr
    assert "is a symbolic link, and neurotutor does not follow links" in done.stderr
    assert done.stdout.count("What would you like to do?") == 2  # back at the home menu, not out of the program
    assert (tmp_path / "elsewhere.jsonl").read_text() == ""  # nothing written through the link
