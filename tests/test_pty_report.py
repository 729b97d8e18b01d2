"""The report's consent screen in a real pseudo-terminal (issue 20): the report itself, a page at a
time, then the choices with what it holds and the plain warning about misconceptions in sight; a
misconception or the client's own words put in or left out before anything is written; Ctrl-C
writes nothing."""

from __future__ import annotations

import json
import sys
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
WARNING = ("Even with your own words left out, a misconception and its question show which answer you picked. You "
           "can leave misconceptions out, one by one or all of them.")


def _assigned_and_answered(run_cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    seed_profile(home, notice_seen=True)
    assert run_cli("assignment", "add", str(DATA / "assignments" / "good.yaml")).returncode == 0
    run_cli("--plain", "quiz", "my-own-lesson", input="1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\nMY OWN WORDS\n\n2\n")


def _joined(screen: str) -> str:
    return " ".join(screen.split())


def test_the_client_sees_the_report_itself_and_chooses_to_include_their_words(run_cli, neurotutor_home: Path,
                                                                              tmp_path: Path, terminals) -> None:
    _assigned_and_answered(run_cli, neurotutor_home)
    target = tmp_path / "r.md"
    t = terminals(neurotutor_home, "report", "-o", str(target), columns=80)
    screen = t.settle(r"Enter: more")
    assert screen.splitlines()[1].startswith("The report, exactly as it would be sent")
    assert WARNING in _joined(screen) and "Kind of file: neurotutor-report" in screen
    assert "Page 1 of " in screen and not target.exists()  # nothing is written before the choice
    t.keys("q")
    screen = t.settle(r"What would you like to do\?")
    assert _joined(screen).startswith("The report holds 2 lessons (2 with details), 0 exam results and 2 "
                                      "misconceptions, dates only.")
    assert WARNING in _joined(screen)
    assert " » 1) Write the report" in screen and "   8) Do not write a report" in screen
    t.keys("3", ENTER)  # include my own words
    t.settle(r"Enter: more")
    t.keys("q")
    screen = t.settle(r"What would you like to do\?")
    assert "2 misconceptions, with your own words, dates only." in _joined(screen)
    assert "   3) Leave my own words out" in screen
    t.keys("1", ENTER)
    t.expect(r"Wrote [^(]*\(readable only by you\)")
    assert t.finish() == 0
    text = target.read_text()
    assert "MY OWN WORDS" in text  # the short answer typed, now that the client chose to include their words
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_a_misconception_left_out_on_the_screen_is_in_no_part_of_the_file(run_cli, neurotutor_home: Path,
                                                                          tmp_path: Path, terminals) -> None:
    _assigned_and_answered(run_cli, neurotutor_home)
    target = tmp_path / "r.json"
    t = terminals(neurotutor_home, "report", "-o", str(target), columns=50)
    t.settle(r"Enter: more")
    t.keys("q")
    t.settle(r"What would you like to do\?")
    t.keys("2", ENTER)
    screen = t.settle(r"Choose what to leave out")
    assert "1) Done: show the report again" in screen and "2) [in] Exam results" in screen
    assert "4) [in] Misconception:" in screen
    t.keys("4", ENTER)
    screen = t.settle(r"Choose what to leave out")
    assert "4) [out] Misconception:" in screen
    t.keys("1", ENTER)
    t.settle(r"Enter: more")
    t.keys("q")
    screen = t.settle(r"What would you like to do\?")
    assert "0 exam results and 1 misconception, dates only." in _joined(screen)
    t.keys("1", ENTER)
    t.expect(r"Wrote ")
    assert t.finish() == 0
    doc = json.loads(target.read_text())
    assert sum(len(x.get("misconceptions", ())) for x in doc["lessons"]) == 1
    assert (doc["choices"]["misconceptions_left_out"], doc["choices"]["details_left_out"]) == (1, [])
    assert "1 misconception left out by their choice" in doc["leaves_out"]


def test_ctrl_c_at_the_report_choices_writes_nothing(run_cli, neurotutor_home: Path, tmp_path: Path, terminals) -> None:
    _assigned_and_answered(run_cli, neurotutor_home)
    t = terminals(neurotutor_home, "report", "-o", str(tmp_path / "r.md"), columns=50)
    t.settle(r"Enter: more")
    t.keys("q")
    t.settle(r"What would you like to do\?")
    t.keys(CTRL_C)
    t.expect(r"Stopped\. No report was written\.")
    assert t.finish() == 130
    assert not (tmp_path / "r.md").exists()


def test_in_plain_mode_a_screen_reader_user_gets_the_same_choice(run_cli, neurotutor_home: Path, tmp_path: Path,
                                                                 terminals) -> None:
    _assigned_and_answered(run_cli, neurotutor_home)
    target = tmp_path / "r.json"
    t = terminals(neurotutor_home, "--plain", "report", "-o", str(target), columns=80)
    t.expect(r"\(Enter: more, q: to the choices\) ")
    assert "The report, exactly as it would be sent." in t.shown()
    t.keys("q", ENTER)
    t.expect(r"Choose 1-8: ")
    screen = t.shown()
    assert "  1. Write the report" in screen and "  8. Do not write a report" in screen
    assert not target.exists()
    t.keys("8", ENTER)
    t.expect(r"No report was written\.")
    assert t.finish() == 0
    assert not target.exists()


def test_the_client_picks_a_journal_entry_to_share_and_only_that_one_is_sent(run_cli, neurotutor_home: Path,
                                                                           tmp_path: Path, terminals) -> None:
    from datetime import datetime, timedelta, timezone

    from neurotutor import paths
    from neurotutor.journal.model import Entry
    from neurotutor.journal.store import JournalStore

    _assigned_and_answered(run_cli, neurotutor_home)
    now = datetime.now(timezone.utc)
    journal = JournalStore(paths.journal_file(neurotutor_home / "progress.json"))
    for entry_id, when, words in (("old0000001", now - timedelta(days=30), "OLD-MARKER before the assignment"),
                                  ("pick000001", now, "PICKED-MARKER at the bus stop"),
                                  ("keep000001", now, "KEPT-MARKER stays private")):
        journal.add(Entry(id=entry_id, worksheet="thought-record", title="Thought record", status="done",
                          created=when, updated=when, answers={"situation": words}))
    target = tmp_path / "r.json"
    t = terminals(neurotutor_home, "report", "-o", str(target), columns=80)
    t.settle(r"Enter: more")
    t.keys("q")
    t.settle(r"What would you like to do\?")
    t.keys("6", ENTER)  # share journal entries
    screen = t.settle(r"Which entries would you like to share")
    assert "1) Done: show the report again" in screen
    assert "[not shared] Thought record" in screen and "(pick00)" in screen and "(keep00)" in screen
    assert "(old000)" not in screen  # finished before the assignment was added: not offered
    option = next(line for line in screen.splitlines() if "(pick00)" in line).split(")")[0].split()[-1]
    t.keys(option, ENTER)
    screen = t.settle(r"Which entries would you like to share")
    assert "[shared] Thought record" in next(line for line in screen.splitlines() if "(pick00)" in line)
    t.keys("1", ENTER)
    t.settle(r"Enter: more")
    t.keys("q")
    t.settle(r"What would you like to do\?")
    t.keys("1", ENTER)
    t.expect(r"Wrote ")
    assert t.finish() == 0
    text = target.read_text()
    assert "PICKED-MARKER at the bus stop" in text
    assert "KEPT-MARKER" not in text and "OLD-MARKER" not in text
