"""Exams in a real pseudo-terminal (screens via pyte): a question flagged from the question, the
overview of a 20-question exam fitting 80x24 and 40 columns, and the results with the score and
the verdict on screen when they appear (80x24 and 50 columns), then the details a page at a time
and the score again at the end."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from neurotutor.progress import model as pm  # noqa: E402

from terminal import ENTER  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

DATA = Path(__file__).resolve().parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]


def _progress(home: Path) -> None:
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "progress.json").write_bytes(pm.encode(pm.Progress(seed=251, notice_seen=True)))


def _exam(home: Path) -> dict:  # type: ignore[type-arg]
    return next(iter(json.loads((home / "progress.json").read_text())["exams"].values()))  # type: ignore[no-any-return]


@pytest.mark.parametrize("columns", [80, 40])
def test_the_overview_of_twenty_questions_fits_the_screen(neurotutor_home: Path, terminals, columns: int) -> None:
    _progress(neurotutor_home)
    # seed 1 draws a true/false question, then a single choice, from every built-in lesson
    t = terminals(neurotutor_home, "exam", "--all-lessons", "--questions", "20", "--seed", "1", columns=columns)
    t.prompt(r"Press Enter to start", ENTER)
    t.prompt(r"True or false\?", "1", ENTER)
    screen = t.settle(r"What next\?")
    assert "Your answer is saved: True" in " ".join(screen.split())
    t.keys("2", ENTER)  # flag it, then the next question
    t.prompt(r"Choose one", "1", ENTER)
    t.settle(r"What next\?")
    t.keys("3", ENTER)  # the list of questions
    screen = t.settle(r"Your answers")
    shown = t.display()
    top = next(k for k, line in enumerate(shown) if line.startswith("Your answers"))
    assert top <= 1  # the heading is on screen, not scrolled off
    assert shown[top + 1].startswith("2 of 20 answered, 1 flagged.")
    assert shown.index(next(line for line in shown if line.startswith(" 1  answered  flagged "))) > top
    assert any(line.startswith(" 2  answered           ") for line in shown)
    assert any(line.startswith(" 3  not seen           ") for line in shown)
    assert "Stop for now (answers kept)" in screen and "Submit my answers" in screen
    assert all(len(line) <= columns for line in shown)
    t.keys("q")
    assert t.finish() == 0
    assert _exam(neurotutor_home)["flagged"] == ["bst-tf-scans-prove"]


@pytest.mark.parametrize("columns", [80, 50])
def test_the_results_show_the_score_and_verdict_first(neurotutor_home: Path, terminals, columns: int) -> None:
    _progress(neurotutor_home)
    # seed 12 draws test-mini's true/false question, then its short answer
    t = terminals(neurotutor_home, *OK, "exam", "--lessons", "test-mini", "--questions", "2", "--seed", "12",
                  columns=columns)
    t.prompt(r"Press Enter to start", ENTER)
    t.prompt(r"True or false\?", "1", ENTER)  # True: wrong
    t.prompt(r"What next\?", ENTER)
    t.prompt(r"Your answer", "Hebb", ENTER)
    t.prompt(r"What next\?", ENTER)  # the list of questions
    t.prompt(r"Your answers", "3", ENTER)  # every question answered: 3 is Submit
    screen = " ".join(t.settle(r"Press Enter to see each question").split())
    assert t.display()[1].startswith("Exam results (submitted)")
    assert "You got 1 of 2 right (50%); 2 answered." in screen
    assert "The details below show each question with the right answer and why." in screen
    assert "Press Enter to see each question with the right answer and why." in screen
    t.keys(ENTER)
    screen = " ".join(t.settle(r"back to your score").split())
    assert t.display()[0] == "By lesson" and "You got" not in screen  # the details on a screen of their own
    assert "Question 2 Who proposed that links used together grow stronger? Right: Hebb" in screen
    t.keys("q")
    t.expect(r"See these results again")
    assert t.finish() == 0
    final = " ".join(t.shown().split())
    assert "You got 1 of 2 right (50%); 2 answered." in final and "exams show" in final
    assert "Scroll up" not in t.text
