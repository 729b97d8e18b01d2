"""`neurotutor exam` and `exams show` through the real main(argv) in plain mode: skipping and
flagging, the overview, the results with the score first, resuming with confidence still asked,
and where an exam draws from (the lessons studied by default). Exact lines, exit codes, files."""

from __future__ import annotations

import json
from pathlib import Path

from neurotutor.progress import model as pm

from flows import seed_profile

DATA = Path(__file__).parent / "data"
LESSONS = str(DATA / "lessons-ok")
OK = ("--lessons-dir", LESSONS)
HINT = f"neurotutor --lessons-dir {LESSONS} --plain"
# Seed 37 draws test-mini's true/false ("f" is right), single choice, then short answer ("Hebb" is right).
EXAM = ("--plain", "exam", "--lessons", "test-mini", "--questions", "3", "--seed", "37")


def _state(home: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((home / "progress.json").read_text())


def _lines(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def test_skip_flag_submit_and_the_results_with_the_score_first(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    typed = _lines("",  # start
                   "f", "2",  # right; flag it, then the next question
                   "", "",  # skip the single choice; Enter: the next question
                   "Hebb", "",  # right; Enter: the list of questions
                   "3", "3",  # flag question 3 from the list
                   "4", "1")  # submit; yes, with one open and two flagged
    result = run_cli(*OK, *EXAM, input=typed)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    exam_id, record = next(iter(_state(neurotutor_home)["exams"].items()))
    assert (record["flagged"], record["drawn_from"], record["ask_confidence"]) == (
        ["tm-truefalse", "tm-short"], ["test-mini"], False)
    assert "Exam, question 1 of 3, A small test lesson\n" in out
    assert _lines("Your answer (t for true or f for false; ? if you don't know; Enter alone to skip for now): f",
                  "Your answer is saved: False",
                  "What next?",
                  "  1. Next question",
                  "  2. Flag it for review, then the next question",
                  "  3. Go to the list of questions",
                  "Choose 1-3 (Enter: 1): 2") in out
    assert "Exam, question 3 of 3, A small test lesson\n\nWho proposed" in out
    assert _lines("No answer yet: skipped for now.", "What next?") in out
    assert _lines("Your answer is saved: Hebb",
                  "What next?",
                  "  1. Go to the list of questions",
                  "  2. Flag it for review, then the list of questions",
                  "Choose 1-2 (Enter: 1): ",
                  "",
                  "Your answers.",
                  "2 of 3 answered, 1 flagged.",
                  "1  answered  flagged  Extinction erases the old memory.",
                  "2  skipped            Which is right?",
                  "3  answered           Who proposed that links used together grow stronger?",
                  "What next?",
                  "  1. Answer question 2, the first open",
                  "  2. Go to a question by its number",
                  "  3. Flag or unflag a question",
                  "  4. Submit my answers",
                  "  5. Stop for now (answers kept)",
                  "Choose 1-5: 3",
                  "Which question? (1-3): 3",
                  "",
                  "Your answers.",
                  "2 of 3 answered, 2 flagged.",
                  "1  answered  flagged  Extinction erases the old memory.",
                  "2  skipped            Which is right?",
                  "3  answered  flagged  Who proposed that links used together grow stronger?") in out
    assert _lines("Choose 1-5: 4",
                  "1 question has no answer and will count as not answered. 2 questions are flagged for review. "
                  "Submit anyway?",
                  "  1. Yes, submit",
                  "  2. No, go back to the questions",
                  "Choose 1-2: 1",
                  "",
                  "Exam results (submitted).",
                  "You got 2 of 3 right (67%); 2 answered.") + "Time used: 0:0" in out  # the seconds: not asserted
    assert _lines(".",
                  "The details below show each question with the right answer and why.",
                  "",
                  "By lesson",
                  "  - A small test lesson: 2 of 3 right (67%)") in out
    assert _lines("Question by question.", "", "Question 1 (you flagged it for review)",
                  "Extinction erases the old memory.", "Right: False") in out
    assert out.endswith(_lines("", "See these results again:", f"  {HINT} exams show {exam_id}"))
    assert "Scroll up" not in out
    shown = run_cli(*OK, "--plain", "exams", "show", exam_id)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == out[out.index("\nExam results ("):]


def test_an_exam_started_with_confidence_keeps_asking_after_resume(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    first = run_cli(*OK, *EXAM, "--confidence", input=_lines("", "f", "3"))  # then the input ends
    assert first.returncode == 4
    assert f"{HINT} exam --resume\n" in first.stderr and "--confidence" not in first.stderr  # the record keeps it
    record = next(iter(_state(neurotutor_home)["exams"].values()))
    assert record["ask_confidence"] is True
    again = run_cli(*OK, "--plain", "exam", input=_lines("1", "",  # go on with it; Enter
                                                          "", "",  # skip; next
                                                          "Hebb", "1", "",  # right, a guess; the list
                                                          "4", "1"))
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("How sure are you of that answer?") == 1
    assert _lines("Your answer is saved: Hebb", "What next?") not in again.stdout
    assert _lines("Saved, with how sure you were.", "What next?") in again.stdout
    # two rated answers (sure and right: 3; a guess and right: 1): "possible" counts those two, not all three
    assert ("Points for how sure you were (certainty-based marks): 4 of a possible 6, over 2 rated answers.\n"
            in again.stdout)
    assert _state(neurotutor_home)["exams"][record["id"]]["marks"] == 4


def test_no_confidence_when_resuming_turns_it_off(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    run_cli(*OK, *EXAM, "--confidence", input=_lines("", "f", "3"))
    again = run_cli(*OK, "--plain", "exam", "--resume", "--no-confidence", input=_lines("", "", "", "Hebb", ""))
    assert "How sure" not in again.stdout
    assert next(iter(_state(neurotutor_home)["exams"].values()))["ask_confidence"] is False


def _studied(home: Path, *lessons: str) -> None:
    seed_profile(home, notice_seen=True)
    state = pm.Progress(seed=251, notice_seen=True,
                        lessons={lesson: pm.LessonState(sections_seen=("first",)) for lesson in lessons})
    (home / "progress.json").write_bytes(pm.encode(state))


def test_an_exam_draws_from_the_lessons_studied_and_says_so(run_cli, neurotutor_home: Path) -> None:
    _studied(neurotutor_home, "test-mini")
    result = run_cli(*OK, "--plain", "exam", "--questions", "3", "--seed", "37", input="\n")  # then the input ends
    assert result.returncode == 4
    assert result.stdout.startswith(_lines(
        "", "Exam " + next(iter(_state(neurotutor_home)["exams"])) + ".",
        "3 questions from 1 lesson.",
        "The questions come from the lesson you have studied (started or done). To draw from every lesson instead:",
        f"  {HINT} exam --all-lessons --questions 3"))
    assert f"To sit the same exam again:\n  {HINT} exam --seed 37 --questions 3 --lessons test-mini\n" in result.stdout
    record = next(iter(_state(neurotutor_home)["exams"].values()))
    assert (record["lessons"], record["drawn_from"]) == (["test-mini"], ["test-mini"])


def test_with_nothing_studied_or_all_lessons_an_exam_draws_from_every_lesson(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    nothing = run_cli(*OK, "--plain", "exam", "--questions", "3", "--seed", "37", input="\n")
    assert _lines("3 questions from 3 lessons.",
                  "You have not studied a lesson yet, so the questions come from every lesson.") in nothing.stdout
    assert f"  {HINT} exam --seed 37 --questions 3 --all-lessons\n" in nothing.stdout
    assert run_cli(*OK, "--plain", "exam", "--abandon").returncode == 0
    _studied(neurotutor_home, "test-mini")
    every = run_cli(*OK, "--plain", "exam", "--all-lessons", "--questions", "3", "--seed", "37", input="\n")
    assert _lines("3 questions from 3 lessons.", "The questions come from every lesson, studied or not.") in every.stdout
    both = run_cli(*OK, "--plain", "exam", "--lessons", "test-mini", "--all-lessons")
    assert (both.returncode, both.stderr) == (2, "Choose one of --lessons and --all-lessons.\n")


def test_stats_for_a_lesson_counts_every_exam_with_a_question_from_it(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    done = run_cli(*OK, "--plain", "exam", "--all-lessons", "--questions", "3", "--seed", "37",
                   input=_lines("", "", "", "", "", "", "", "4", "1"))  # skip all three; submit
    assert done.returncode == 0, done.stderr
    record = next(iter(_state(neurotutor_home)["exams"].values()))
    assert "test-mini" in record["drawn_from"] and len(record["drawn_from"]) == 3
    for lesson in record["drawn_from"]:
        stats = run_cli(*OK, "stats", "--lesson", lesson, "--json")
        assert stats.returncode == 0, stats.stderr
        assert json.loads(stats.stdout)["exams"]["taken"] == 1
