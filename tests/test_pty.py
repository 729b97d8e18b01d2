"""Drive `neurotutor learn` in a real pseudo-terminal, the way a learner does, with keystrokes.

When stdin and stdout are a terminal the app uses questionary (prompt_toolkit) prompts, which draw
with escape sequences; these tests only ever wait for plain words ("Which comes 1st", "Cat goes
with") and always wait for a prompt to be drawn before sending its keys, so a keystroke can never
land in the gap between two prompts. The app shuffles choices, ordering items and matching right
items, so menus are read off the screen and entries picked by name, not by a fixed position.

prompt_toolkit asks the terminal where the cursor is (ESC[6n) at every prompt; a real terminal
answers at once, pexpect does not, and then each prompt waits a second or two for the answer and
prints a CPR warning. `Tutor.expect` answers those requests the way a terminal would.

test-mini's questions, in file order (the right answers marked):
  1 tm-single       select      Alpha (right), Beta, Gamma
  2 tm-multiple     checkbox    Two (right), Three, Four (right)
  3 tm-truefalse    select      True, False (right)
  4 tm-ordering     2 selects   "Which comes 1st?", "Which comes 2nd?": One, Two, Three
  5 tm-matching     2 selects   "Cat goes with:", "Dog goes with:" (Cow gets the last sound left)
  6 tm-short        text        Hebb
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DATA = Path(__file__).resolve().parent / "data"

DOWN = "\x1b[B"
ENTER = "\r"
SPACE = " "
CTRL_C = "\x03"
CPR_REQUEST = r"\x1b\[6n"
ROWS, COLUMNS = 40, 120
CPR_REPLY = f"\x1b[{ROWS};1R"  # "the cursor is on the bottom row", as after output has scrolled

QUESTION_IDS = ["tm-single", "tm-multiple", "tm-truefalse", "tm-ordering", "tm-matching", "tm-short"]
SAVED = "Your place in the lesson and every answer so far are saved"


class Tutor:
    """One `neurotutor learn test-mini` process in a pty, with everything it printed kept."""

    def __init__(self, home: Path) -> None:
        env = {
            **os.environ,
            "NEUROTUTOR_HOME": str(home),
            "PYTHONPATH": os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "TERM": "xterm-256color",
            "NO_COLOR": "1",
        }
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "neurotutor", "--lessons-dir", str(DATA / "lessons-ok"), "learn", "test-mini"],
            env=env, cwd=str(ROOT), encoding="utf-8", dimensions=(ROWS, COLUMNS), timeout=20,
        )
        self.child.logfile_read = self.log

    @property
    def output(self) -> str:
        return self.log.getvalue()

    def expect(self, pattern: str) -> re.Match[str]:
        """Wait for a regex, answering cursor position requests on the way; on failure show the output."""
        try:
            while self.child.expect([CPR_REQUEST, pattern]) == 0:
                self.child.send(CPR_REPLY)
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise AssertionError(f"never saw {pattern!r}; output was:\n{self.output[-3000:]}") from exc
        return self.child.match

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)

    def prompt(self, pattern: str, *keys: str) -> None:
        """Wait until a prompt is drawn, then press its keys."""
        self.expect(pattern)
        self.keys(*keys)

    def finish(self) -> int:
        """Wait for the process to end; returns its exit status."""
        try:
            while self.child.expect([CPR_REQUEST, pexpect.EOF]) == 0:
                self.child.send(CPR_REPLY)
        except pexpect.TIMEOUT as exc:
            self.child.terminate(force=True)
            raise AssertionError(f"the tutor did not exit; output was:\n{self.output[-3000:]}") from exc
        self.child.close()
        assert self.child.signalstatus is None, self.output[-3000:]
        assert "Traceback" not in self.output, self.output
        return self.child.exitstatus

    def kill(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def tutors():
    """Start tutors; any still running at the end of a test are killed (by their own handle)."""
    started: list[Tutor] = []

    def start(home: Path) -> Tutor:
        tutor = Tutor(home)
        started.append(tutor)
        return tutor

    yield start
    for tutor in started:
        tutor.kill()


def read_sections(t: Tutor) -> None:
    """Both sections, pressing Enter after each (the heading first, so the right prompt gets the key)."""
    t.expect(r"First screen\s+\(1/2\)")
    t.prompt(r"Press Enter to continue", ENTER)
    t.expect(r"Second screen\s+\(2/2\)")
    t.prompt(r"Press Enter to continue", ENTER)
    t.expect(r"Quiz: A small test lesson")


def question(t: Tutor, number: int) -> None:
    t.expect(rf"Question {number} of 6")


def shown_order(t: Tutor, message: str, options: list[str]) -> list[str]:
    """Wait for a menu and return its entries in the order drawn on screen.

    The app shuffles choices, ordering items and matching right items, so the tests read the order
    from the menu's first drawing (nothing is redrawn before a key is pressed) and pick by name.
    """
    t.expect(message)
    every_option = "".join(rf"(?=[\s\S]*?{re.escape(o)})" for o in options)
    t.expect(every_option)  # zero-width: matches once all entries are drawn, consumes nothing
    drawn = t.child.buffer
    return sorted(options, key=drawn.index)


def select(t: Tutor, message: str, options: list[str], wanted: str) -> None:
    """A questionary select: arrow down to `wanted`, press Enter."""
    shown = shown_order(t, message, options)
    t.keys(*[DOWN] * shown.index(wanted), ENTER)


def tick(t: Tutor, message: str, options: list[str], wanted: list[str]) -> None:
    """A questionary checkbox: Space on each wanted entry, moving down through the list, then Enter."""
    shown = shown_order(t, message, options)
    for i, text in enumerate(shown):
        if text in wanted:
            t.keys(SPACE)
        if i < len(shown) - 1:
            t.keys(DOWN)
    t.keys(ENTER)


def answer_single_wrong(t: Tutor) -> None:
    question(t, 1)
    select(t, r"Choose one", ["Alpha", "Beta", "Gamma"], "Beta")
    t.expect(r"Not quite\.")
    t.expect(r"Beta is a common mix-up\.")
    t.expect(r"Alpha is right because the test says so\.")


def answer_multiple_right(t: Tutor) -> None:
    question(t, 2)
    tick(t, r"Choose every right answer", ["Two", "Three", "Four"], ["Two", "Four"])
    t.expect(r"Right\.")
    t.expect(r"Two and four are even\.")


def answer_truefalse_right(t: Tutor) -> None:
    question(t, 3)
    select(t, r"True or false\?", ["True", "False"], "False")
    t.expect(r"Right\.")
    t.expect(r"Extinction is new learning")


def answer_ordering_right(t: Tutor) -> None:
    question(t, 4)
    select(t, r"Which comes 1st\?", ["One", "Two", "Three"], "One")
    select(t, r"Which comes 2nd\?", ["Two", "Three"], "Two")  # Three is left for 3rd
    t.expect(r"Right\.")
    t.expect(r"One, two, three\.")


def answer_matching_right(t: Tutor) -> None:
    question(t, 5)
    select(t, r"Cat goes with:", ["Meow", "Woof", "Moo"], "Meow")
    select(t, r"Dog goes with:", ["Woof", "Moo"], "Woof")  # a sound already used is not offered again
    t.expect(r"Cow goes with: Moo")  # the last one left is matched without asking
    t.expect(r"Right\.")
    t.expect(r"Cats meow, dogs woof, cows moo\.")


def answer_short(t: Tutor, text: str) -> None:
    question(t, 6)
    t.prompt(r"Your answer:", text, ENTER)


def load_progress(home: Path) -> dict:
    """The state, with the answers from the history file beside it under "attempts"."""
    state = json.loads((home / "progress.json").read_text(encoding="utf-8"))
    history = home / "history.jsonl"
    lines = history.read_text(encoding="utf-8").splitlines() if history.exists() else []
    return {**state, "attempts": [json.loads(line) for line in lines]}


def attempts(progress: dict) -> list[tuple[str, str, bool, int]]:
    return [(a["question"], a["answer_text"], a["correct"], a["run"]) for a in progress["attempts"]]


def test_whole_lesson_with_keystrokes(neurotutor_home: Path, tutors) -> None:
    t = tutors(neurotutor_home)
    read_sections(t)
    answer_single_wrong(t)
    answer_multiple_right(t)
    answer_truefalse_right(t)
    answer_ordering_right(t)
    answer_matching_right(t)
    answer_short(t, "Pavlov")  # wrong on purpose
    t.expect(r"Not quite\.")
    t.expect(r"It was Donald Hebb, in 1949\.")
    t.expect(r"Lesson complete")
    t.expect(r"You got 4 of 6 right")
    assert t.finish() == 0

    progress = load_progress(neurotutor_home)
    assert attempts(progress) == [
        ("tm-single", "Beta", False, 1),
        ("tm-multiple", "Two; Four", True, 1),
        ("tm-truefalse", "False", True, 1),
        ("tm-ordering", "One → Two → Three", True, 1),
        ("tm-matching", "Cat → Meow; Dog → Woof; Cow → Moo", True, 1),
        ("tm-short", "Pavlov", False, 1),
    ]
    assert all(a["lesson"] == "test-mini" for a in progress["attempts"])
    state = progress["lessons"]["test-mini"]
    assert state["completed_runs"] == 1
    assert state["best_score"] == 4 / 6
    assert state["last_score"] == 4 / 6
    assert state["run"] == 2
    assert state["answered"] == {}
    assert state["sections_seen"] == []


def test_ctrl_c_mid_quiz_saves_and_resumes(neurotutor_home: Path, tutors) -> None:
    t = tutors(neurotutor_home)
    read_sections(t)
    answer_single_wrong(t)
    answer_multiple_right(t)
    question(t, 3)
    t.prompt(r"True or false\?", CTRL_C)
    t.expect(SAVED)
    assert t.finish() == 130

    progress = load_progress(neurotutor_home)
    assert attempts(progress) == [
        ("tm-single", "Beta", False, 1),
        ("tm-multiple", "Two; Four", True, 1),
    ]
    state = progress["lessons"]["test-mini"]
    assert state["answered"] == {"tm-single": False, "tm-multiple": True}
    assert state["sections_seen"] == ["first", "second"]
    assert state["completed_runs"] == 0
    assert state["best_score"] is None

    t = tutors(neurotutor_home)
    t.expect(r"Welcome back")
    t.expect(r"2 of 6 already answered; 4 to go")
    first = t.expect(r"Question (\d) of 6")
    assert first.group(1) == "3", "resumed at the wrong question"
    before = t.output
    assert "Press Enter to continue" not in before, "sections already read were shown again"
    assert "Question 1 of 6" not in before and "Question 2 of 6" not in before
    select(t, r"True or false\?", ["True", "False"], "False")
    t.expect(r"Right\.")
    answer_ordering_right(t)
    answer_matching_right(t)
    answer_short(t, "Hebb")
    t.expect(r"Right\.")
    t.expect(r"Lesson complete")
    t.expect(r"You got 5 of 6 right")
    assert t.finish() == 0

    progress = load_progress(neurotutor_home)
    assert [a[0] for a in attempts(progress)] == QUESTION_IDS
    assert attempts(progress) == [
        ("tm-single", "Beta", False, 1),
        ("tm-multiple", "Two; Four", True, 1),
        ("tm-truefalse", "False", True, 1),
        ("tm-ordering", "One → Two → Three", True, 1),
        ("tm-matching", "Cat → Meow; Dog → Woof; Cow → Moo", True, 1),
        ("tm-short", "Hebb", True, 1),
    ]
    state = progress["lessons"]["test-mini"]
    assert state["completed_runs"] == 1
    assert state["best_score"] == 5 / 6
    assert state["answered"] == {}


def test_ctrl_c_while_reading_a_section(neurotutor_home: Path, tutors) -> None:
    t = tutors(neurotutor_home)
    t.expect(r"First screen\s+\(1/2\)")
    t.prompt(r"Press Enter to continue", CTRL_C)
    t.expect(SAVED)
    assert t.finish() == 130
    assert "Second screen" not in t.output
    assert "Question 1 of 6" not in t.output

    progress = load_progress(neurotutor_home)
    state = progress["lessons"]["test-mini"]
    assert state["sections_seen"] == ["first"]
    assert state["answered"] == {}
    assert state["completed_runs"] == 0
    assert progress["attempts"] == []
