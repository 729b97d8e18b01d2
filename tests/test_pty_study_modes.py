"""Review and exams in a real pseudo-terminal: the home screen's review entry, the exam's live
countdown, time running out at a prompt, and Ctrl-C keeping every answer (screens via pyte)."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from neurotutor.progress import model as pm  # noqa: E402

from terminal import CTRL_C, ENTER  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

DATA = Path(__file__).resolve().parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]



def _progress(home: Path, **fields: object) -> None:
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "progress.json").write_bytes(pm.encode(pm.Progress(seed=251, notice_seen=True, **fields)))  # type: ignore[arg-type]


def _state(home: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((home / "progress.json").read_text())


def _history(home: Path) -> list[dict]:  # type: ignore[type-arg]
    path = home / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_home_shows_what_is_due_and_review_comes_first(neurotutor_home: Path, terminals) -> None:
    now = datetime.now(timezone.utc)
    _progress(neurotutor_home, cards={"tm-truefalse": pm.CardState(
        state=2, stability=3.0, difficulty=5.0, due=now - timedelta(days=1), last_review=now - timedelta(days=4))})
    t = terminals(neurotutor_home, *OK, columns=50)
    screen = t.settle(r"What would you like to do")
    assert "1 question to review." in screen
    assert " » 1) Review: 1 question due" in screen
    t.keys(ENTER)
    screen = t.settle(r"True or false")
    assert screen.split("\n")[0] == "Review · 1 of 1 · A small test lesson"
    t.keys("2", ENTER)  # False: right
    screen = t.settle(r"Keep it, or pick another")
    said = " ".join(screen.split())
    assert "Right." in said and "Rated Good. Keep it, or pick another?" in said and "3) Good: back " in said
    assert "(as rated)" in said and "5) Take this answer back and answer again" in said
    t.keys(ENTER)  # keeps Good
    screen = t.settle(r"What would you like to do")
    assert "Review done" in screen and "You got 1 of 1 right." in screen
    assert "   - Review (next due" in screen  # nothing due now: the entry stays, unavailable
    t.keys("8", ENTER)
    assert t.finish() == 0
    card = _state(neurotutor_home)["cards"]["tm-truefalse"]
    assert card["state"] == 2 and card["stability"] > 3.0
    assert [(a["mode"], a["correct"]) for a in _history(neurotutor_home)] == [("review", True)]


def test_timed_exam_counts_down_and_ctrl_c_keeps_the_answers(neurotutor_home: Path, terminals) -> None:
    _progress(neurotutor_home)
    t = terminals(neurotutor_home, *OK, "exam", "--lessons", "test-mini", "--questions", "3", "--minutes", "5",
                  "--seed", "11", columns=50)
    t.settle(r"Press Enter to start")
    t.keys(ENTER)
    screen = t.settle(r"arrow keys|Space to tick|Your answer")
    assert screen.split("\n")[0].startswith("Exam · question 1 of 3")
    assert screen.split("\n")[-1].startswith("Time left 4:5")  # the countdown, under the prompt
    t.next_frame()  # the countdown is redrawn every second
    assert t.display()[-1] != screen.split("\n")[-1]  # and it moves
    assert "Skip for now" in screen or "skip for now" in screen
    t.keys(CTRL_C)
    assert t.finish() == 130
    exam = next(iter(_state(neurotutor_home)["exams"].values()))
    assert exam["status"] == "in_progress" and 1.0 < exam["seconds_used"] < 30
    assert "No answer was given yet and the clock is stopped. To go on, run:" in " ".join(t.text.split())


def test_time_running_out_at_a_prompt_ends_the_exam(neurotutor_home: Path, terminals) -> None:
    started = datetime.now(timezone.utc) - timedelta(minutes=3)
    record = pm.ExamRecord(id="20261123-090000-001", started=started, seed=1, minutes=1, lessons=("test-mini",),
                           question_ids=("tm-truefalse", "tm-short"), seconds_used=56.0)
    _progress(neurotutor_home, exams={record.id: record})
    t = terminals(neurotutor_home, *OK, "exam", "--resume")
    t.settle(r"Press Enter to go on")
    assert "Welcome back: 0 of 2 questions answered so far." in t.shown()
    t.keys(ENTER)
    screen = t.settle(r"True or false")
    assert screen.split("\n")[-1] in ("Time left 0:04", "Time left 0:03")
    t.keys("2", ENTER)  # answered in time
    screen = t.settle(r"Press Enter to see each question")  # the score first, on a screen of its own
    assert "Exam results (time ran out)" in screen
    t.keys(ENTER)
    t.prompt(r"back to your score", "q")
    t.expect(r"See these results again")
    assert t.finish() == 0
    screen = t.shown()
    assert "You got 1 of 2 right (50%); 1 answered." in screen
    assert "The time ran out: 1 question was left without an answer." in screen
    saved = _state(neurotutor_home)["exams"][record.id]
    assert (saved["status"], saved["seconds_used"], saved["answered"]) == ("timed_out", 60.0, 1)


def test_ctrl_c_in_review_keeps_the_answers_given(neurotutor_home: Path, terminals) -> None:
    now = datetime.now(timezone.utc)
    due = {q: pm.CardState(state=2, stability=3.0, difficulty=5.0, due=now - timedelta(days=d),
                           last_review=now - timedelta(days=d + 3)) for q, d in (("tm-truefalse", 2), ("tm-short", 1))}
    _progress(neurotutor_home, cards=due)
    t = terminals(neurotutor_home, *OK, "review", "--confidence", columns=50)
    t.settle(r"True or false")
    t.keys("1", ENTER)  # True: wrong
    t.settle(r"How sure")
    t.keys("3", ENTER)  # sure
    screen = t.settle(r"Keep it, or pick another")
    assert "You said sure: -6 points (being sure and wrong costs the most)." in " ".join(screen.split())
    assert "Rated Again." in screen
    t.keys(ENTER)
    t.settle(r"Your answer")
    t.keys(CTRL_C)
    assert t.finish() == 130
    assert [(a["question"], a["mode"], a["correct"], a["confidence"]) for a in _history(neurotutor_home)] == [
        ("tm-truefalse", "review", False, 3)]
    assert _state(neurotutor_home)["cards"]["tm-truefalse"]["state"] == 3  # relearning
    said = " ".join(t.text.split())
    assert "Stopped at question 2 of 2 of your review. Every answer so far is saved." in said


@pytest.mark.parametrize("entries, key, picked", [(9, "9", 8), (22, "k", 0), (22, "\x1b[B\x1b[B", 2), (22, "19", 18),
                                                   (40, "k", 0), (40, "35", 34), (40, "4", 3)])
def test_long_menus_keep_their_number_keys_or_do_without(entries: int, key: str, picked: int) -> None:
    """Up to 9 entries, the number keys pick; a longer menu is numbered as in --plain (10, 11, not
    a), b)) and picked with the arrows or by typing its number (questionary has 36 keys at most, and refuses j and k while
    they move the cursor: a menu of 20 or more entries once crashed)."""
    import pexpect

    code = ("import sys; from neurotutor.cli.output import Output; from neurotutor.cli.prompters import "
            f"QuestionaryPrompter; print('picked', QuestionaryPrompter(Output(decorated=True)).choose('Pick', "
            f"[f'Entry {{i}}' for i in range({entries})]))")
    child = pexpect.spawn(sys.executable, ["-c", code], dimensions=(50, 80), timeout=20,
                          env={**__import__("os").environ, "TERM": "xterm-256color"})
    child.delaybeforesend = None
    child.expect(rb"\x1b\[6n")  # where is the cursor? (unanswered, the menu would wait a second for it at the end)
    child.send("\x1b[1;1R")
    child.expect(rb"Pick")
    child.send(key)
    child.send(ENTER)
    child.expect(rb"picked (\d+)")
    assert int(child.match.group(1)) == picked
    child.expect(pexpect.EOF)
