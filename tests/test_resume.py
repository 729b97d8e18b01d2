"""Going on where the learner stopped: a retry stopped part-way, and the certainty-based marks of a
pass that was taken in two sittings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from flows import MIXED, RIGHT, seed_profile

DATA = Path(__file__).parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]


def _state(home: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((home / "progress.json").read_text())["lessons"]["test-mini"]


def test_a_stopped_retry_goes_on_with_the_questions_left(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    # MIXED misses the single choice, the true/false and the matching; retry, answer one, then q
    first = run_cli(*OK, "--plain", "quiz", "test-mini",
                    input="".join(a + "\n\n" for a in MIXED) + "1\n" + RIGHT[0] + "\n\nq\n")
    assert first.returncode == 0, first.stderr
    assert "question 1 of 3" in first.stdout  # the retry counts its own three questions
    assert _state(neurotutor_home)["retry_left"] == ["tm-truefalse", "tm-matching"]
    # the true/false right, "I don't know" for the matching, then "Not now" to another round
    again = run_cli(*OK, "--plain", "quiz", "test-mini", input="1\n" + RIGHT[2] + "\n\n?\n\n3\n")
    assert again.returncode == 0, again.stderr
    assert ("What would you like to do?\n  1. Go on with the retry (2 questions left)\n  2. Start a new pass (from "
            "the first section)\n  3. Retry the 3 questions I missed last time\n  4. Leave it for now\n") in again.stdout
    assert "question 1 of 2" in again.stdout and "question 2 of 2" in again.stdout  # the two left, counted among themselves
    assert "This time you got 1 of 2 right." in again.stdout
    state = _state(neurotutor_home)
    assert state.get("retry_left", []) == [] and state["completed_runs"] == 1  # the pass and its score stay


def test_the_marks_at_the_end_of_a_pass_count_every_rated_answer_of_it(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    # two answers rated "sure" (3), then q at the third question; the other four in a second sitting
    first = run_cli(*OK, "--plain", "quiz", "test-mini", "--confidence",
                    input=f"{RIGHT[0]}\n3\n\n{RIGHT[1]}\n3\n\nq\n")
    assert first.returncode == 0, first.stderr
    assert _state(neurotutor_home)["rated"] == {"tm-single": 3, "tm-multiple": 3}
    rest = "".join(f"{a}\n3\n\n" for a in RIGHT[2:])
    second = run_cli(*OK, "--plain", "quiz", "test-mini", "--confidence", input=rest + "2\n")
    assert second.returncode == 0, second.stderr
    # all six right and sure: 3 marks each, over the whole pass
    assert ("Points for how sure you were (certainty-based marks): 18 of a possible 18, over 6 rated answers."
            in second.stdout)
    state = _state(neurotutor_home)
    assert state.get("rated", {}) == {} and len(state["last_rated"]) == 6


@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_reading_breaks_pages_between_paragraphs_and_resumes_at_the_page_left(neurotutor_home: Path,
                                                                              terminals) -> None:
    pytest.importorskip("pexpect")
    pytest.importorskip("pyte")
    from terminal import ENTER

    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "learn", "1", rows=24, columns=80)
    first = t.settle(r"Section 1 of 7, page 1 of 2")
    assert first.rstrip().split("\n")[-2].strip() == "Scientists often sort these changes into three kinds:"
    t.keys(ENTER)
    second = t.settle(r"Section 1 of 7, page 2 of 2")
    assert second.split("\n")[0] == "Your brain keeps changing (continued)"  # the title again, then the list whole
    assert second.split("\n")[1].startswith(" • Synaptic plasticity: the link between two neurons")
    t.keys("q")
    assert t.finish() == 0
    assert _state_of(neurotutor_home, "neuroplasticity-types")["reading"] == ["what-is-neuroplasticity", 3]
    again = terminals(neurotutor_home, "learn", "1", rows=24, columns=80)
    screen = again.settle(r"Section 1 of 7, page 2 of 2")  # where the learner left it
    assert screen.split("\n")[0] == "Your brain keeps changing (continued)"
    again.keys("b")
    assert "Section 1 of 7, page 1 of 2" in again.settle(r"page 1 of 2")
    again.keys("q")
    assert again.finish() == 0


def _state_of(home: Path, lesson_id: str) -> dict:  # type: ignore[type-arg]
    return json.loads((home / "progress.json").read_text())["lessons"][lesson_id]
