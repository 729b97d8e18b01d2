"""`neurotutor practice` in a real pseudo-terminal (issue 21): a thought record filled in at 80x24 and
a behavioural experiment at 50 columns, each stopped in the middle (Ctrl-C, and the offer to stop
before the part filled in later) and finished later with `practice --resume`; what the learner sees
is checked on the emulated screen (tests/terminal.py), and what is kept, in the journal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from neurotutor.journal.model import Feeling  # noqa: E402
from neurotutor.journal.store import JournalStore  # noqa: E402

from flows import seed_profile  # noqa: E402
from terminal import CTRL_C, ENTER  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def _entries(home: Path) -> list:  # type: ignore[type-arg]
    return list(JournalStore(home / "journal.jsonl").load().entries.values())


def _joined(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


def test_a_thought_record_at_80x24_stopped_with_ctrl_c_and_finished_later(neurotutor_home: Path, terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "practice", "thought-record", columns=80)
    screen = t.settle(r"Press Enter to begin")
    assert screen.splitlines()[1].startswith("Thought record ───")
    assert "For urgent help, press ! at any prompt, or run: neurotutor safety" in screen
    assert "9 steps. Type ? at a step for help with it." in screen
    t.keys(ENTER)
    screen = t.settle(r"Your answer")
    assert "Step 1 of 9 · in your own words · ? for help\nWhat happened? Where were you, and when?\n? Your answer" in (
        screen)
    t.keys("?", ENTER)
    screen = t.settle(r"Monday's meeting")
    assert "Write the facts, as a camera would see them" in screen
    t.keys("Sunday evening, at home", ENTER)
    t.prompt(r"like: sad 70", "dread 80", ENTER)
    t.prompt(r"Another feeling", "ashamed", ENTER)
    t.prompt(r"How strong is ashamed", "30", ENTER)
    t.prompt(r"Another feeling", ENTER)
    t.prompt(r"Step 3 of 9[\s\S]*Your answer", "I will freeze and everyone will think I am useless", ENTER)
    t.prompt(r"Step 4 of 9[\s\S]*Your rating", "150", ENTER)
    screen = t.settle(r"Type a whole number from 0 to 100")
    t.keys(CTRL_C)
    assert t.finish() == 130
    (draft,) = _entries(neurotutor_home)
    assert draft.status == "draft" and list(draft.answers) == ["situation", "feelings", "automatic-thought"]
    lines = t.display()
    start = max(i for i, line in enumerate(lines) if line.startswith("Stopped."))
    assert [line for line in lines[start:] if line] == [
        "Stopped. Your worksheet is saved as a draft in your journal.", "To finish it, run:",
        f"  neurotutor practice --resume {draft.id}"]

    t = terminals(neurotutor_home, "practice", "--resume", columns=80)
    screen = t.settle(r"Your rating")
    assert screen.splitlines()[1].startswith("Thought record ───")
    assert ("Welcome back: going on at step 4 of 9.\nSo far:\nSituation\n  Sunday evening, at home\nFeelings\n"
            "  dread 80, ashamed 30\nAutomatic thought\n  I will freeze and everyone will think I am useless\n\n"
            "Step 4 of 9 · a number from 0 to 100 · ? for help\nHow much did you believe that thought?\n"
            "? Your rating") in screen
    t.keys("90", ENTER)
    t.prompt(r"Step 5 of 9[\s\S]*Your answer", "I lost my place in a talk last year", ENTER)
    t.prompt(r"Step 6 of 9[\s\S]*Your answer", "I have spoken in many meetings, and last time it went fine", ENTER)
    t.prompt(r"Step 7 of 9[\s\S]*Your answer", "I may feel nervous, but I have spoken up before", ENTER)
    t.prompt(r"Step 8 of 9[\s\S]*Your rating", "40", ENTER)
    t.prompt(r"Step 9 of 9[\s\S]*like: sad 70", "dread 45", ENTER)
    t.prompt(r"Another feeling", ENTER)
    t.expect(r"Need urgent help\?")
    assert t.finish() == 0
    (done,) = _entries(neurotutor_home)
    assert done.id == draft.id and done.status == "done"
    assert done.answers["feelings-after"] == [Feeling(name="dread", intensity=45)] and done.answers["belief"] == 90
    lines = t.display()
    start = max(i for i, line in enumerate(lines) if line.startswith("Evidence for"))
    assert [line for line in lines[start:] if line] == [
        "Evidence for", "  I lost my place in a talk last year", "Evidence against",
        "  I have spoken in many meetings, and last time it went fine", "Balanced thought",
        "  I may feel nervous, but I have spoken up before", "Belief after", "  40", "Feelings after", "  dread 45",
        "Kept in your journal, on this computer only. No one else sees it unless you",
        "choose to share it.", "To read it again:", f"  neurotutor journal show {done.id}",
        "Education, not therapy. Need urgent help? Run: neurotutor safety"]


def test_a_behavioural_experiment_at_50_columns_planned_now_and_finished_later(neurotutor_home: Path,
                                                                               terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "practice", columns=50)
    screen = t.settle(r"Which would you like to do")
    assert "1) Thought record" in screen and "2) Behavioural experiment" in screen
    t.keys("2", ENTER)
    screen = t.settle(r"Press Enter to begin")
    assert all(len(line) <= 50 for line in screen.splitlines())
    assert "trauma" in _joined(screen.splitlines())  # the safety note: never alone on trauma memories
    t.keys(ENTER)
    t.prompt(r"Step 1 of 8[\s\S]*Your answer", "If I take the lift, it will get stuck", ENTER)
    t.prompt(r"Step 2 of 8[\s\S]*Your rating", "80%", ENTER)
    t.prompt(r"Step 3 of 8[\s\S]*Your answer", "The lift at work, Tuesday lunch time", ENTER)
    t.prompt(r"Step 4 of 8[\s\S]*Your answer", ENTER)  # may be left empty
    screen = t.settle(r"Stop here and finish it later")
    assert "The next steps are usually filled in later" in _joined(screen.splitlines())
    t.keys("2", ENTER)  # Stop here and finish it later
    assert t.finish() == 0
    (draft,) = _entries(neurotutor_home)
    assert draft.answers == {"prediction": "If I take the lift, it will get stuck", "how-sure": 80,
                             "plan": "The lift at work, Tuesday lunch time"}
    lines = [line for line in t.display() if line]
    start = max(i for i, line in enumerate(lines) if line.startswith("Stopped."))
    assert all(len(line) <= 50 for line in lines)
    assert _joined(lines[start:]) == ("Stopped. Your worksheet is saved as a draft in your journal. To finish it, "
                                      f"run: neurotutor practice --resume {draft.id}")

    t = terminals(neurotutor_home, "practice", "behavioural-experiment", columns=50)
    screen = t.settle(r"start a new one\?")
    assert "1) Finish the one started" in screen
    t.keys("1", ENTER)
    screen = t.settle(r"Step 5 of 8[\s\S]*Your answer")
    assert "Welcome back: going on at step 5 of 8." in screen
    t.keys("It did not get stuck. I felt shaky, then calmer", ENTER)
    screen = t.settle(r"Did your prediction come true\?")
    assert "1) Yes" in screen and "3) No" in screen and "4) What does this step mean?" in screen
    t.keys("4", ENTER)
    screen = t.settle(r"Did your prediction come true\?")
    assert "word for word" in _joined(screen.splitlines())  # the help, then the same menu again
    t.keys("3", ENTER)
    t.prompt(r"Step 7 of 8[\s\S]*Your answer", CTRL_C)  # stopped once more, in the middle
    assert t.finish() == 130
    lines = [line for line in t.display() if line]
    start = max(i for i, line in enumerate(lines) if line.startswith("Stopped."))
    assert all(len(line) <= 50 for line in lines)
    assert _joined(lines[start:]) == ("Stopped. Your worksheet is saved as a draft in your journal. To finish it, "
                                      f"run: neurotutor practice --resume {draft.id}")
    assert _entries(neurotutor_home)[0].answers["came-true"] == "No"

    t = terminals(neurotutor_home, "practice", "--resume", draft.id, columns=50)
    screen = t.settle(r"Step 7 of 8[\s\S]*Your answer")
    assert "Came true\n  No\n" in screen
    t.keys("The fear passed without holding on", ENTER)
    t.prompt(r"Step 8 of 8[\s\S]*Your rating", "30", ENTER)
    t.expect(r"Need urgent help\?")
    assert t.finish() == 0
    (done,) = _entries(neurotutor_home)
    assert (done.id, done.status, done.answers["came-true"], done.answers["how-sure-now"]) == (draft.id, "done",
                                                                                                "No", 30)
    assert all(len(line) <= 50 for line in t.display())


def test_an_exposure_log_in_plain_mode_stopped_before_the_later_part_and_finished(neurotutor_home: Path,
                                                                                 terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "--plain", "practice", "exposure-log", columns=80)
    t.expect(r"Press Enter to begin\. ")
    assert "10 steps. Type ? at a step for help with it." in " ".join(t.shown().split())
    t.keys(ENTER)
    t.expect(r"Your answer: ")
    t.keys("Ride the bus two stops without my phone", ENTER)
    t.expect(r"The time \(Enter to skip\): ")
    t.keys("8:15", ENTER)
    t.expect(r"Your answer: ")
    t.keys("I will panic and have to get off", ENTER)
    t.expect(r"Your rating: ")
    t.keys("80", ENTER)
    t.expect(r"Your rating \(Enter to skip\): ")
    t.keys("70", ENTER)
    t.expect(r"Choose 1-2: ")
    assert "  1. Go on now\n  2. Stop here and finish it later" in t.shown()
    t.keys("2", ENTER)
    t.expect(r"practice --resume \w+")
    assert t.finish() == 0
    (draft,) = _entries(neurotutor_home)
    assert (draft.status, draft.answers["start-time"], draft.answers["likely-before"]) == ("draft", "08:15", 80)

    t = terminals(neurotutor_home, "--plain", "practice", "--resume", draft.id[:4], columns=80)
    t.expect(r"Your answer: ")
    shown = t.shown()
    assert "Welcome back: going on at step 6 of 10." in shown and "  I will panic and have to get off" in shown
    t.keys("Nothing bad; I felt tense for ten minutes", ENTER)
    t.expect(r"Choose 1-4: ")
    assert "Did what you expected happen?\n  1. Yes\n  2. Partly\n  3. No\n  4. What does this step mean?" in t.shown()
    t.keys("3", ENTER)
    t.expect(r"Your rating: ")
    t.keys("20", ENTER)
    t.expect(r"Your rating \(Enter to skip\): ")
    t.keys(ENTER)  # fear after: left empty
    t.expect(r"Your answer: ")
    t.keys("I could cope with the tension and it passed", ENTER)
    t.expect(r"Need urgent help\?")
    assert t.finish() == 0
    (done,) = _entries(neurotutor_home)
    assert done.status == "done" and done.answers["came-true"] == "No" and "fear-after" not in done.answers
    assert done.answers["surprise"] == "I could cope with the tension and it passed"


def test_an_activity_plan_at_50_columns_shows_each_menu_answer_after_it_is_picked(neurotutor_home: Path,
                                                                                 terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "practice", "activity-plan", columns=50)
    t.settle(r"Press Enter to begin")
    t.keys(ENTER)
    t.prompt(r"Step 1 of \d+[\s\S]*Your rating", "4", ENTER)
    t.prompt(r"Step 2 of \d+[\s\S]*Your answer", "Walk to the park", ENTER)
    for _ in range(2):  # a time, and a second thing left empty (its time, and a third, are not asked)
        t.prompt(r"Enter to skip\)", ENTER)
    t.settle(r"Stop here and finish it later")
    t.keys("1", ENTER)
    screen = t.settle(r"Did you do the first thing you planned\?")
    assert "First thing: Walk to the park" in screen  # what the question is about
    t.keys("1", ENTER)
    screen = t.settle(r"Your rating")
    assert "Did you do the first thing you planned? Yes" in _joined(screen.splitlines())  # the menu is erased: its answer stays
    assert all(len(line) <= 50 for line in t.display())
    t.keys(CTRL_C)
    assert t.finish() == 130
    (draft,) = _entries(neurotutor_home)
    assert draft.answers["done-1"] is True and draft.answers["activity-1"] == "Walk to the park"
