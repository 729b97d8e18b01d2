"""review, exam, exams and settings through the CLI in plain mode: exact lines, exit codes, files."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from neurotutor.progress import model as pm
from neurotutor.study import exam as ex

from flows import RIGHT, SEED, lesson_input, seed_profile

DATA = Path(__file__).parent / "data"
OK = ("--lessons-dir", str(DATA / "lessons-ok"))
QIDS = ["tm-single", "tm-multiple", "tm-truefalse", "tm-ordering", "tm-matching", "tm-short"]


def _state(home: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((home / "progress.json").read_text())


def _history(home: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (home / "history.jsonl").read_text().splitlines()]


def _with_due_cards(home: Path, due: dict[str, timedelta]) -> None:
    """A profile whose cards for these questions fell due that long ago."""
    now = datetime.now(timezone.utc)
    cards = {q: pm.CardState(state=2, stability=3.0, difficulty=5.0, due=now - ago, last_review=now - ago - timedelta(days=3))
             for q, ago in due.items()}
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "progress.json").write_bytes(pm.encode(pm.Progress(seed=SEED, notice_seen=True, cards=cards)))


def test_review_with_nothing_answered_says_how_review_starts(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    result = run_cli(*OK, "--plain", "review")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Nothing to review yet: you have not answered any questions so far. Every question you answer in a lesson "
        "comes back here for review, just before you are likely to forget it.\n"
        "Start with a lesson:\n  neurotutor --lessons-dir " + str(DATA / "lessons-ok") + " --plain learn neuroplasticity-types\n")


def test_a_lesson_makes_cards_and_review_says_when_the_next_is_due(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home)
    assert run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT, retry="2")).returncode == 0
    cards = _state(neurotutor_home)["cards"]
    assert sorted(cards) == sorted(QIDS)
    assert {(c["state"], c["step"]) for c in cards.values()} == {(1, 1)}  # Good: the second learning step
    # in their learning steps (ten minutes on, inside the 20-minute learn-ahead): due for review at once
    result = run_cli(*OK, "--plain", "review", input="q\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Review, 1 of 6, A small test lesson\n6 questions due.")
    assert _state(neurotutor_home)["cards"] == cards
    # a review card due tomorrow: nothing today, and the day it comes back
    _with_due_cards(neurotutor_home, {"tm-single": -timedelta(days=1)})
    result = run_cli(*OK, "--plain", "review", input="2\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Nothing is due for review today. The next question is due tomorrow.\n")
    assert result.stdout.endswith("Practise anyway? (Extra practice does not change when questions come back.)\n"
                                  "  1. Yes, up to 10 questions I am most likely to have forgotten\n  2. No, not now\n"
                                  "Choose 1-2: 2\n")


def test_review_asks_what_is_due_with_feedback_and_moves_the_cards(run_cli, neurotutor_home: Path) -> None:
    _with_due_cards(neurotutor_home, {"tm-truefalse": timedelta(days=2), "tm-short": timedelta(days=1),
                                      "tm-single": timedelta(days=-1)})  # not due until tomorrow
    result = run_cli(*OK, "--plain", "review", input="t\n\nHebb\n\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Review, 1 of 2, A small test lesson\n2 questions due. Each answer is saved at once and "
                          "decides when the question comes back. Stop any time with q (or Ctrl-C); ! for urgent help.\n")
    assert "\nNot quite.\nYou answered: True\nThe right answer: False\n" in out
    assert "\nReview, 2 of 2, A small test lesson\n" in out
    assert "Right.\n" in out
    assert "\nReview done.\nYou got 1 of 2 right.\nThe ones you missed come back soon; the ones you knew, later.\n" in out
    # the missed one, in its relearning step (ten minutes, inside the learn-ahead): offered again at once
    assert ("1 question from this review is due again already (a missed one comes back after a minute, a new one "
            "after ten). Go over it now?\n  1. Yes, now\n  2. Later\n") in out
    assert ("Questions from this review are due again now. When you are ready:\n"
            f"  neurotutor --lessons-dir {DATA / 'lessons-ok'} --plain review\n") in out
    cards = _state(neurotutor_home)["cards"]
    assert (cards["tm-truefalse"]["state"], cards["tm-truefalse"]["step"]) == (3, 0)  # relearning
    assert cards["tm-short"]["state"] == 2 and cards["tm-short"]["stability"] > 3.0  # remembered: longer
    assert [(a["question"], a["mode"], a["correct"]) for a in _history(neurotutor_home)] == [
        ("tm-truefalse", "review", False), ("tm-short", "review", True)]


def test_review_stopped_by_end_of_input_keeps_the_answers(run_cli, neurotutor_home: Path) -> None:
    _with_due_cards(neurotutor_home, {"tm-truefalse": timedelta(days=2), "tm-short": timedelta(days=1)})
    result = run_cli(*OK, "--plain", "review", input="f\n\n")
    assert result.returncode == 4  # input ended
    assert result.stderr.strip().splitlines() == [
        "Input ended at question 2 of 2 of your review. Every answer so far is saved. To go on with what is due, run:",
        f"  neurotutor --lessons-dir {DATA / 'lessons-ok'} --plain review"]
    assert [a["question"] for a in _history(neurotutor_home)] == ["tm-truefalse"]


def test_review_of_one_lesson_with_a_limit_and_an_unknown_lesson(run_cli, neurotutor_home: Path) -> None:
    _with_due_cards(neurotutor_home, {"tm-truefalse": timedelta(days=2), "tm-short": timedelta(days=1)})
    result = run_cli(*OK, "--plain", "review", "--lesson", "test-mini", "--limit", "1", input="f\n\n")
    assert result.returncode == 0, result.stderr
    assert ("Review, 1 of 1, A small test lesson\n1 question due (1 more after this one, for another time). "
            in result.stdout)
    assert result.stdout.endswith("1 more question is due. When you are ready:\n"
                                  f"  neurotutor --lessons-dir {DATA / 'lessons-ok'} --plain review\n"
                                  # then the next lesson: nothing is started, so the first in the suggested order
                                  "Next in the suggested order: 1. Neuroplasticity: how the brain changes with "
                                  "experience\n"
                                  f"  neurotutor --lessons-dir {DATA / 'lessons-ok'} --plain learn 1\n")
    unknown = run_cli(*OK, "--plain", "review", "--lesson", "test-min")
    assert unknown.returncode == 2
    assert "There is no lesson with the id 'test-min'. Did you mean: test-mini?" in unknown.stderr


def test_removed_question_keeps_its_history_but_leaves_the_queue(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    text = (DATA / "lessons-ok" / "test-mini.yaml").read_text()
    (lessons / "test-mini.yaml").write_text(text[: text.index("  - id: tm-truefalse")])  # only the first two
    _with_due_cards(neurotutor_home, {"tm-single": timedelta(days=1), "tm-short": timedelta(days=3)})
    result = run_cli("--lessons-dir", str(lessons), "--plain", "review", input="?\n\n")
    assert result.returncode == 0, result.stderr
    assert "Review, 1 of 1, A small test lesson\n" in result.stdout
    assert "tm-short" in _state(neurotutor_home)["cards"]  # kept, in case the question comes back


def test_exam_plain_skip_submit_results_and_exams_show(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    picked = [q for _, q in ex.draw([ex.Pool("test-mini", "", (), tuple(QIDS))], 2, 99)]
    result = run_cli(*OK, "--plain", "exam", "--lessons", "test-mini", "--questions", "2", "--seed", "99",
                     input="\n?\n\n\n\n4\n1\n")  # start; I don't know; next; skip; the list; submit; yes
    assert result.returncode == 0, result.stderr
    out = result.stdout
    exam_id = next(iter(_state(neurotutor_home)["exams"]))
    assert out.startswith(f"\nExam {exam_id}.\n2 questions from 1 lesson.\nYou will see which answers were right, "
                          "and why, at the end.")
    assert (f"This exam's seed is 99. To sit the same exam again:\n  neurotutor --lessons-dir {DATA / 'lessons-ok'} "
            "--plain exam --seed 99 --questions 2 --lessons test-mini\n") in out
    assert "Exam, question 1 of 2, A small test lesson\n" in out and "Exam, question 2 of 2, A small test lesson\n" in out
    assert "\nYour answers.\n1 of 2 answered.\n" in out
    assert "  4. Submit my answers\n  5. Stop for now (answers kept)\nChoose 1-5: 4\n" in out
    assert "1 question has no answer and will count as not answered. Submit anyway?" in out
    assert "\nExam results (submitted).\nYou got 0 of 2 right (0%); 1 answered.\n" in out
    assert "\nNot answered.\n" in out and "You said you don't know this yet, and that is fine." in out
    record = _state(neurotutor_home)["exams"][exam_id]
    assert (record["status"], record["question_ids"], record["answered"], record["right"]) == ("submitted", picked, 1, 0)
    assert [(a["mode"], a["exam"], a["question"]) for a in _history(neurotutor_home)] == [("exam", exam_id, picked[0])]

    listing = run_cli(*OK, "--plain", "exams")
    assert listing.returncode == 0
    assert listing.stdout.splitlines()[1].split()[:5] == [exam_id] + listing.stdout.splitlines()[1].split()[1:3] + ["submitted", "2"]
    shown = run_cli(*OK, "exams", "show", exam_id, "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert (document["format"], document["version"], document["right"], document["answered"]) == ("neurotutor-exam", 2, 0, 1)
    assert [q["question"] for q in document["questions"]] == picked
    assert document["questions"][0]["answer"] == "I don't know" and document["questions"][1]["answer"] is None
    assert run_cli(*OK, "--plain", "exams", "show", exam_id).stdout == out[out.index("\nExam results ("):]
    missing = run_cli(*OK, "exams", "show", exam_id[:-1])
    assert missing.returncode == 2 and f"Did you mean {exam_id}?" in missing.stderr


def test_exam_stopped_is_resumed_or_abandoned_explicitly(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    first = run_cli(*OK, "--plain", "exam", "--lessons", "test-mini", "--questions", "3", "--seed", "4", input="\n?\n")
    assert first.returncode == 4  # input ended
    exam_id = next(iter(_state(neurotutor_home)["exams"]))
    assert f"of exam {exam_id}. Your 1 answer is saved and the clock is stopped. To go on, run:" in first.stderr
    assert "--plain exam --resume\nOr, to drop it:\n" in first.stderr
    again = run_cli(*OK, "--plain", "exam", input="3\n")
    assert again.stdout.startswith(f"You have an unfinished exam, {exam_id}: 1 of 3 questions answered.\n")
    assert "It is kept. To go on later:" in again.stdout
    resumed = run_cli(*OK, "--plain", "exam", "--resume", input="\n?\n\n?\n\n3\n")  # all answered: 3 submits
    assert resumed.returncode == 0, resumed.stderr
    assert "Welcome back: 1 of 3 questions answered so far." in resumed.stdout
    assert "\nExam results (submitted).\nYou got 0 of 3 right (0%); 3 answered.\n" in resumed.stdout
    none_left = run_cli(*OK, "--plain", "exam", "--abandon")
    assert none_left.returncode == 2 and "You have no unfinished exam." in none_left.stderr
    run_cli(*OK, "--plain", "exam", "--lessons", "test-mini", "--seed", "5", input="\n?\n")
    dropped = run_cli(*OK, "--plain", "exam", "--abandon")
    assert dropped.returncode == 0
    assert "was abandoned. Its 1 answer stays in your history; it is not scored." in dropped.stdout
    statuses = sorted(e["status"] for e in _state(neurotutor_home)["exams"].values())
    assert statuses == ["abandoned", "submitted"]


def test_exam_refuses_unknown_tags_and_lessons(run_cli, neurotutor_home: Path) -> None:
    tag = run_cli(*OK, "--plain", "exam", "--tags", "nope")
    assert tag.returncode == 2 and "No lesson has the tag 'nope'. The tags are: " in tag.stderr
    lesson = run_cli(*OK, "--plain", "exam", "--lessons", "test-mini,nope")
    assert lesson.returncode == 2 and "There is no lesson with the id 'nope'." in lesson.stderr
    assert not (neurotutor_home / "progress.json").exists() or not _state(neurotutor_home)["exams"]


def test_settings_are_kept_per_profile(run_cli, neurotutor_home: Path) -> None:
    changed = run_cli("--plain", "settings", "--retention", "0.85", "--confidence")
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.startswith("Saved.\n")
    assert _state(neurotutor_home)["settings"] == {"desired_retention": 0.85, "ask_confidence": True,
                                                   "day_starts_at": 4, "exam_date": None}
    other = json.loads(run_cli("settings", "--json", "--profile", "sam").stdout)
    assert {k: v for k, v in other.items() if k not in ("tutor_version", "generated_at")} == {
        "format": "neurotutor-settings", "version": 2, "profile": "sam",
        "settings": {"desired_retention": 0.9, "ask_confidence": False, "day_starts_at": 4, "exam_date": None}}
    bad = run_cli("settings", "--retention", "1.5")
    assert bad.returncode == 2 and "0.7<=x<=0.97" in bad.stderr


def test_confidence_asked_after_each_answer_with_marks_in_the_summary(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    answers = []
    for answer, sure in zip(RIGHT, ["3", "1", "2", "3", "3", "2"]):
        answers += [answer, sure, ""]
    result = run_cli(*OK, "--plain", "quiz", "test-mini", "--confidence", input="\n".join(answers) + "\n2\n")
    assert result.returncode == 0, result.stderr
    assert "How sure are you of that answer?\n  1. A guess\n  2. Fairly sure\n  3. Sure\nChoose 1-3: 3\n" in result.stdout
    assert result.stdout.count("Saying how sure you are earns points: a right answer gets 1, 2 or 3") == 1  # once
    assert "\nYou said sure: +3 points.\n" in result.stdout and "\nYou said a guess: +1 point.\n" in result.stdout
    assert ("Points for how sure you were (certainty-based marks): 14 of a possible 18, over 6 rated answers."
            in result.stdout)
    assert [a.get("confidence") for a in _history(neurotutor_home)] == [3, 1, 2, 3, 3, 2]


def test_a_memory_lesson_shows_the_learners_own_forgetting_curve(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    start = datetime.now(timezone.utc) - timedelta(days=30)
    answers = []
    for question, gaps, right in [("tr-sam-holiday", (0, 1, 4), (True, True, False)),
                                  ("tr-renewal-designs", (0, 2), (True, True))]:
        at = start
        for number, (gap, correct) in enumerate(zip(gaps, right)):
            at = at + timedelta(days=gap)
            answers.append(pm.new_attempt(lesson="two-routes-of-change", question=question,
                                          mode="lesson" if number == 0 else "review", answer=None, answer_text="x",
                                          correct=correct, seconds=9.0, now=at, utc_offset=0))
    (neurotutor_home / "history.jsonl").write_bytes(b"".join(pm.encode_attempt(a) for a in answers))
    sections = "\n" * 7  # Enter past each section
    result = run_cli("--plain", "learn", "two-routes-of-change", input="1\n1\n" + sections + "\n")  # prerequisite, content note
    out = result.stdout
    assert "\nYour own memory.\nThis lesson is about how memories fade. Here is yours:" in out
    assert "Predicted recall of your cards, by days since their last review: 0 d 100%;" in out
    assert "1 day since the answer before: 1 review, predicted " in out
    assert "Based on 3 of your reviews: too few to say much; the more you review, the clearer it gets." in out
    assert out.index("\nYour own memory.\n") < out.index("Press Enter for the quiz.")
    plain = run_cli("--plain", "learn", "cbt", input="1\n" + sections)
    assert "Your own memory" not in plain.stdout  # only lessons about memory (tagged "memory") show it


def test_the_command_that_continues_keeps_confidence_and_deeper(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    quiz = run_cli(*OK, "--plain", "quiz", "test-mini", "--confidence", input=f"{RIGHT[0]}\n")
    assert quiz.returncode == 4  # input ended
    assert quiz.stderr.strip().splitlines()[-1] == (
        f"  neurotutor --lessons-dir {DATA / 'lessons-ok'} --plain quiz test-mini --confidence")
    assert [a["confidence"] if "confidence" in a else None for a in _history(neurotutor_home)] == [None]  # kept, unrated
    learn = run_cli(*OK, "--plain", "learn", "test-mini", "--deeper", input="\n")
    assert learn.stderr.strip().splitlines()[-1].endswith("--plain learn test-mini --deeper")


def test_home_continues_a_quiz_taken_without_the_reading_as_a_quiz(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    run_cli(*OK, "--plain", "quiz", "test-mini", input=f"{RIGHT[0]}\n\n")
    home = run_cli(*OK, "--plain", input="2\n")
    assert "  2. Continue: A small test lesson (question 2 of 6)\n" in home.stdout
    assert "Welcome back: continuing at question 2 of 6." in home.stdout
    assert "Section 1 of 2" not in home.stdout


def test_home_starts_an_exam(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    home = run_cli(*OK, "--plain", input="4\n2\n1\n\n")  # Exam practice; 10 questions in 15 minutes; lessons; start
    assert ("Which exam?\n  1. 20 questions, untimed\n  2. 10 questions in 15 minutes\n  3. 20 questions in 30 "
            "minutes\n  4. 10 questions, untimed\n  5. Back\n") in home.stdout
    assert "Time: 15 minutes (15:00 left)." in home.stdout
    assert home.returncode == 4 and "exam --resume" in home.stderr  # input ended at the first question
    record = next(iter(_state(neurotutor_home)["exams"].values()))
    assert (record["minutes"], len(record["question_ids"]), record["status"]) == (15, 10, "in_progress")


def test_a_review_answer_can_be_taken_back_with_the_one_before_it(run_cli, neurotutor_home: Path) -> None:
    _with_due_cards(neurotutor_home, {"tm-truefalse": timedelta(days=2), "tm-short": timedelta(days=1)})
    before = _state(neurotutor_home)["cards"]["tm-truefalse"]
    # True (wrong), kept; Hebb (right), then 6: undo it and the one before; both asked again
    result = run_cli(*OK, "--plain", "review", input="t\n\nHebb\n6\nf\n\nHebb\n\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "  6. Undo the answer before this one too, and answer both again\nChoose 1-6 (Enter: 3): 6\n" in out
    assert out.count("Review, 1 of 2, A small test lesson\n") == 2  # the first question, asked again
    assert "\nReview done.\nYou got 2 of 2 right." in out
    # the wrong answer taken back is gone from the history; the card moved once, from where it was
    assert [(a["question"], a["correct"]) for a in _history(neurotutor_home)] == [
        ("tm-truefalse", True), ("tm-short", True)]
    card = _state(neurotutor_home)["cards"]["tm-truefalse"]
    assert card["state"] == 2 and card["last_review"] != before["last_review"] and card["stability"] > before["stability"]
