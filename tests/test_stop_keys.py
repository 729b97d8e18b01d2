"""The same keys at every kind of prompt, in a real terminal (and typed, in --plain):

q stops (status 0, with the place and the command that continues), Ctrl-D is the end of input
(status 4, the same message on stderr), and ! shows the emergency numbers on a screen of their
own, then comes back to the same prompt. One test per kind of prompt: reading, a one-choice
menu, a tick-box menu, a typed answer, the confidence rating, the pause after feedback, the
exam's overview, the home menu, a therapist's typed prompt, the typed answers of --plain, and
the question before "I don't know" throws away the picks of an ordering.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from flows import cli, seed_profile  # noqa: E402
from terminal import CTRL_D, ENTER, Terminal  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

DATA = Path(__file__).resolve().parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]
SELECT = r"\(arrow keys or number, Enter\)"
HELP_SCREEN = r"Page 1 of \d|Enter: back to"  # the help screen's own prompt (its start: it may wrap later on)
ALT_ON, ALT_OFF = b"\x1b[?1049h", b"\x1b[?1049l"


def first_question(tmp_path: Path, question_id: str) -> list[str]:
    """test-mini with `question_id` asked first (and no content note), in a folder of its own."""
    lesson = yaml.safe_load((DATA / "lessons-ok" / "test-mini.yaml").read_text())
    lesson["questions"].sort(key=lambda q: q["id"] != question_id)
    folder = tmp_path / "lessons"
    folder.mkdir(parents=True)
    (folder / "test-mini.yaml").write_text(yaml.safe_dump(lesson, allow_unicode=True, sort_keys=False))
    return ["--lessons-dir", str(folder)]


def answers(home: Path) -> list[str]:
    path = home / "history.jsonl"
    return [json.loads(line)["question"] for line in path.read_text().splitlines()] if path.exists() else []


def quiz(terminals, home: Path, *args: str, **kw: object) -> Terminal:  # type: ignore[no-untyped-def]
    seed_profile(home, notice_seen=True)
    return terminals(home, *args, **kw)


def see_help_and_come_back(t: Terminal, prompt: str) -> None:
    """Press ! at a prompt: the numbers on a screen of their own, then the same prompt again."""
    before = len(t.raw)
    t.keys("!")
    t.expect(HELP_SCREEN)
    shown = t.shown()
    assert "112: the European Union" in shown and "999: UK" in shown and "116 123" in shown  # the first page
    t.keys("q")  # back, from any page (here q does not stop: it leaves the help)
    t.expect(prompt)
    after = t.raw[before:]
    assert after.index(ALT_ON) < after.index(b"112") < after.index(ALT_OFF)  # a screen of its own: leaving it
    # shows the screen as it was


def test_reading(neurotutor_home: Path, terminals) -> None:
    t = quiz(terminals, neurotutor_home, *OK, "learn", "test-mini", columns=50)
    t.expect(r"Section 1 of 2")
    t.expect(r"urgent help")
    see_help_and_come_back(t, r"Section 1 of 2")
    t.keys("q")
    assert t.finish() == 0
    assert "Stopped at section 1 of 2. Your place and every answer so far are saved." in " ".join(t.shown().split())
    t = terminals(neurotutor_home, *OK, "learn", "test-mini")
    t.expect(r"!: urgent help")  # the prompt's own hint (the opening says "Press ! for urgent help")
    t.keys(CTRL_D)
    assert t.finish() == 4


def test_a_one_choice_menu(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    t = quiz(terminals, neurotutor_home, *first_question(tmp_path, "tm-single"), "quiz", "test-mini")
    t.expect(SELECT)
    see_help_and_come_back(t, SELECT)
    t.keys("q")
    assert t.finish() == 0
    assert "Stopped at question 1 of 6." in " ".join(t.shown().split()) and answers(neurotutor_home) == []
    t = terminals(neurotutor_home, *first_question(tmp_path / "again", "tm-single"), "quiz", "test-mini")
    t.expect(SELECT)
    t.keys(CTRL_D)  # it was ignored, and the next Enter answered the highlighted entry
    assert t.finish() == 4
    assert "Input ended at question 1 of 6." in " ".join(t.text.split()) and answers(neurotutor_home) == []


def test_a_tick_box_menu(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    t = quiz(terminals, neurotutor_home, *first_question(tmp_path, "tm-multiple"), "quiz", "test-mini")
    t.expect(r"Space to tick")
    see_help_and_come_back(t, r"Space to tick")
    t.keys("q")
    assert t.finish() == 0
    assert "Stopped at question 1 of 6." in " ".join(t.shown().split()) and answers(neurotutor_home) == []


def test_a_typed_answer(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    lessons = first_question(tmp_path, "tm-short")
    t = quiz(terminals, neurotutor_home, *lessons, "quiz", "test-mini")
    t.expect(r"Your answer")
    t.keys("!", ENTER)  # typed: a whole line
    t.expect(HELP_SCREEN)
    assert "112: the European Union" in t.shown()
    t.keys("q")
    t.expect(r"Your answer")
    t.keys("q", ENTER)
    assert t.finish() == 0
    assert "Stopped at question 1 of 6." in " ".join(t.shown().split()) and answers(neurotutor_home) == []


def test_the_question_before_i_dont_know_throws_picks_away(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    t = quiz(terminals, neurotutor_home, *first_question(tmp_path, "tm-ordering"), "quiz", "test-mini")
    t.expect(r"Which comes 1st")
    t.prompt(SELECT, "1", ENTER)
    t.expect(r"Which comes 2nd")
    t.prompt(SELECT, "?", ENTER)  # ? is "I don't know" in every menu
    t.expect(r"Give up this question as not known\?")
    see_help_and_come_back(t, r"Give up this question as not known\?")
    t.keys("q")
    assert t.finish() == 0
    assert "Stopped at question 1 of 6." in " ".join(t.shown().split()) and answers(neurotutor_home) == []


def test_the_confidence_rating(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    t = quiz(terminals, neurotutor_home, *first_question(tmp_path, "tm-single"), "quiz", "test-mini", "--confidence")
    t.expect(SELECT)
    t.keys("1", ENTER)
    t.expect(r"How sure are you")
    t.expect(SELECT)
    see_help_and_come_back(t, r"How sure are you")
    t.keys("q")
    assert t.finish() == 0
    assert answers(neurotutor_home) == ["tm-single"]  # kept, unrated


def test_the_pause_after_feedback(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    lessons = first_question(tmp_path, "tm-single")
    t = quiz(terminals, neurotutor_home, *lessons, "quiz", "test-mini")
    t.expect(SELECT)
    t.keys("2", ENTER)
    t.expect(r"Press Enter for the next question")
    see_help_and_come_back(t, r"Press Enter for the next question")
    t.keys("q")
    assert t.finish() == 0
    assert "Stopped at question 1 of 6." in " ".join(t.shown().split()) and answers(neurotutor_home) == ["tm-single"]
    t = terminals(neurotutor_home, *lessons, "quiz", "test-mini")
    t.expect(r"Space to tick")
    t.keys(" ", ENTER)
    t.expect(r"Press Enter for the next question")
    t.keys(CTRL_D)  # it used to go on to the next question
    assert t.finish() == 4
    assert answers(neurotutor_home) == ["tm-single", "tm-multiple"]
    assert "Input ended at question 2 of 6." in " ".join(t.text.split())


def test_the_exam_overview(neurotutor_home: Path, terminals) -> None:
    t = quiz(terminals, neurotutor_home, *OK, "exam", "--lessons", "test-mini", "--questions", "1", "--seed", "1")
    t.prompt(r"Press Enter to start", ENTER)
    t.prompt(r"Your answer", "Hebb", ENTER)  # the seed draws the typed question
    t.prompt(r"Go to the list of questions", ENTER)  # what next after the question: the list
    t.expect(r"Submit my answers")
    see_help_and_come_back(t, r"What next\?")
    t.keys("q")
    assert t.finish() == 0
    said = " ".join(t.shown().split())
    assert "Stopped at the list of questions of exam" in said and "exam --resume" in said


def test_the_home_menu(neurotutor_home: Path, terminals) -> None:
    t = quiz(terminals, neurotutor_home, *OK, rows=24, columns=40)
    t.expect(r"What would you like to do\?")
    t.expect(r"8\) Quit")
    t.keys("6", ENTER)  # "Get urgent help": the numbers stay on screen until a key is pressed
    t.expect(HELP_SCREEN)
    shown = t.shown()
    assert shown.startswith("Urgent help") and "000: Australia" in shown and "116 123" in shown  # at 40 columns
    t.keys("q")
    t.expect(r"8\) Quit")
    see_help_and_come_back(t, r"8\) Quit")
    t.keys(CTRL_D)
    assert t.finish() == 4
    assert "Input ended. Your progress is saved." in t.text


def test_a_therapists_typed_prompt(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    t = quiz(terminals, neurotutor_home, *OK, "assign", "new", "-o", str(tmp_path / "a.yaml"))
    t.expect(r"A short id for the assignment")
    t.keys("q", ENTER)
    assert t.finish() == 0
    assert "The assignment was not written." in t.text and not (tmp_path / "a.yaml").exists()


def test_plain_mode_takes_q_and_bang_typed_as_the_answer(capsys, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin="!\nq\n")
    assert (code, err) == (0, "")
    help_at = out.index("112: the European Union")
    again = out[help_at:]
    assert again.index("  1. Beta\n") < again.index("Your answer")  # the options again, then the question
    assert out.endswith("Stopped at question 1 of 6. Your place and every answer so far are saved. To continue "
                        f"where you left off, run:\n  neurotutor --lessons-dir {DATA / 'lessons-ok'} --plain quiz "
                        "test-mini\n")
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin="")
    assert code == 4 and err.startswith("\nInput ended at question 1 of 6.")
