"""Plain mode in words: the real commands with --plain (screen readers, scripts) write no symbol a
screen reader reads out badly, headings included, and say ordering and matching answers in words."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from neurotutor.progress import model as pm
from neurotutor.study import exam as ex

from flows import SEED, seed_profile

DATA = Path(__file__).parent / "data"
OK = ("--lessons-dir", str(DATA / "lessons-ok"))
QIDS = ["tm-single", "tm-multiple", "tm-truefalse", "tm-ordering", "tm-matching", "tm-short"]
# "==" headings, arrows, middle dots, curly quotes: what plain output never holds
SYMBOLS = ("==", "\u2192", "\u00b7", "\u201c", "\u201d", "\u2018", "\u2019")


def in_words(text: str) -> str:
    """The text, once it is known to hold none of the symbols."""
    found = [symbol for symbol in SYMBOLS if symbol in text]
    assert found == [], f"{found} in plain output:\n{text}"
    return text


def test_a_lesson_says_its_headings_banners_and_answers_in_words(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home)  # shown: ordering Three, Two, One; matching a Moo, b Meow, c Woof
    answers = [("1", "1"), ("2,3", "2"), ("t", "3"), ("1 2 3", "1"), ("1a 2b 3c", "2"), ("?", None)]
    typed = ["", "", ""]  # the first-run notice, two sections
    for answer, sure in answers:
        typed += [answer] + ([sure] if sure else []) + [""]
    result = run_cli(*OK, "--plain", "learn", "test-mini", "--confidence", input="\n".join(typed + ["3"]) + "\n")
    assert result.returncode == 0, result.stderr
    out = in_words(result.stdout + result.stderr)
    assert out.startswith("\nBefore you start.\nneurotutor is education, not therapy")
    assert "\nFirst screen.\nPractice changes connections.\n" in out
    assert ("\nQuiz: A small test lesson, question 1 of 6\nEvery answer is saved as you go. Not sure? Type ? for "
            "\"I don't know\": it counts as not known yet, not as a wrong guess.\n") in out
    assert "\"Sure\" pays only when you are very likely right" in out
    assert "\nYour answer: Three, then Two, then One\nHow sure are you of that answer?\n" in out
    assert "\nYour answer: Cat: Moo; Dog: Meow; Cow: Woof\nHow sure are you of that answer?\n" in out
    assert "\nLesson complete.\nYou got 1 of 6 right (17%). Best so far: 17%.\n" in out
    # the history keeps the answer as it was stored, arrows and all: it is data, not display
    texts = [json.loads(line)["answer_text"] for line in (neurotutor_home / "history.jsonl").read_text().splitlines()]
    assert texts[3:5] == ["Three \u2192 Two \u2192 One", "Cat \u2192 Moo; Dog \u2192 Meow; Cow \u2192 Woof"]


def test_a_review_says_its_banner_and_the_right_answers_in_words(run_cli, neurotutor_home: Path) -> None:
    now = datetime.now(timezone.utc)
    cards = {q: pm.CardState(state=2, stability=3.0, difficulty=5.0, due=now - timedelta(days=days),
                             last_review=now - timedelta(days=days + 3))
             for q, days in (("tm-ordering", 2), ("tm-matching", 1))}
    neurotutor_home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (neurotutor_home / "progress.json").write_bytes(pm.encode(pm.Progress(seed=SEED, notice_seen=True, cards=cards)))
    result = run_cli(*OK, "--plain", "review", input="?\n\n?\n\n2\n")  # not known, Again kept; twice; later
    assert result.returncode == 0, result.stderr
    out = in_words(result.stdout + result.stderr)
    assert out.startswith("Review, 1 of 2, A small test lesson\n2 questions due.")
    assert "\nReview, 2 of 2, A small test lesson\n" in out
    assert "\nThe right answer: One, then Two, then Three\nOne, two, three.\n" in out
    assert "\nThe right answer: Cat: Meow; Dog: Woof; Cow: Moo\nCats meow, dogs woof, cows moo.\n" in out
    assert "\nReview done.\nYou got 0 of 2 right.\n" in out


def test_exam_results_stats_and_history_say_answers_in_words(run_cli, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    picked = [q for _, q in ex.draw([ex.Pool("test-mini", "", (), tuple(QIDS))], 6, 5)]
    # never right, whatever the shuffle: the order shown ("1 2 3", "1a 2b 3c") never is, nor one of two evens
    wrong = {"tm-single": "?", "tm-multiple": "1", "tm-truefalse": "t", "tm-ordering": "1 2 3",
             "tm-matching": "1a 2b 3c", "tm-short": "Freud"}
    typed = [""] + [line for q in picked for line in (wrong[q], "")] + ["3"]  # each, next; then submit
    result = run_cli(*OK, "--plain", "exam", "--lessons", "test-mini", "--questions", "6", "--seed", "5",
                     input="\n".join(typed) + "\n")
    assert result.returncode == 0, result.stderr
    out = in_words(result.stdout + result.stderr)
    exam_id = next(iter(json.loads((neurotutor_home / "progress.json").read_text())["exams"]))
    assert f"\nExam {exam_id}.\n6 questions from 1 lesson.\n" in out
    assert "\nExam, question 1 of 6, A small test lesson\n" in out
    assert "\nExam results (submitted).\nYou got 0 of 6 right (0%); 6 answered.\n" in out
    # the answers given are the options in the order shown (which an exam shuffles afresh)
    items = re.search(r"\nPut these in order\.\n  1\. (\w+)\n  2\. (\w+)\n  3\. (\w+)\n", out)
    sounds = re.search(r"\n  with:\n  a\. (\w+)\n  b\. (\w+)\n  c\. (\w+)\n", out)
    assert items is not None and sounds is not None
    given = {"tm-ordering": ", then ".join(items.groups()),
             "tm-matching": "; ".join(f"{a}: {s}" for a, s in zip(("Cat", "Dog", "Cow"), sounds.groups()))}
    verdict = r"\n(?:Partly right \(\d+%\)|Not right): "
    assert re.search(verdict + re.escape(f"{given['tm-ordering']}\nThe right answer: One, then Two, then Three\n"
                                         "One, two, three.\n"), out)
    assert re.search(verdict + re.escape(f"{given['tm-matching']}\nThe right answer: Cat: Meow; Dog: Woof; "
                                         "Cow: Moo\nCats meow, dogs woof, cows moo.\n"), out)
    assert "\nQuestion by question.\n" in out

    shown = run_cli(*OK, "--plain", "exams", "show", exam_id)
    assert shown.returncode == 0 and in_words(shown.stdout) == out[out.index("\nExam results ("):]

    history = run_cli(*OK, "--plain", "history")
    assert history.returncode == 0
    rows = {line.split("  ")[-1].strip() for line in in_words(history.stdout).splitlines()[1:7]}
    assert set(given.values()) <= rows

    summary = run_cli(*OK, "--plain", "stats")
    assert summary.returncode == 0 and in_words(summary.stdout).startswith("\nYour statistics.\n6 answers on 1 day;")
    every = run_cli(*OK, "--plain", "stats", "--all")
    assert every.returncode == 0
    lines = in_words(every.stdout).splitlines()
    headings = [lines[i + 1] for i, line in enumerate(lines[:-1]) if not line]  # each after a blank line
    assert headings == ["Your statistics.", "Mastery.", "Days studied.", "Accuracy.", "Exams.", "Calibration.",
                        "Misconceptions chosen most."]
