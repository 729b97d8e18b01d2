"""Answering safely (issue 19): what a learner types or picks is read and graded fairly.

The example in a plain prompt is never the right answer; a matching offers every letter for
every item; ordering credit counts the longest run in the right order; multiple select says what
was missed and what was wrongly ticked; short answers take a possessive and the shorter form the
question's own hint invites, and still refuse near misses.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from neurotutor.lessons import model as m
from neurotutor.lessons.loader import load_lesson_file
from neurotutor.quiz.answers import ChoiceAnswer, MatchAnswer, OrderAnswer, TextAnswer
from neurotutor.quiz.grading import grade, longest_ordered_run, short_answer_forms
from neurotutor.quiz.plain_input import Unreadable, answer_format, example, parse_answer, right_keys
from neurotutor.quiz.presentation import Presentation, present, seed_for
from neurotutor.study import items, schedule

from flows import SEED, cli, lesson_input, seed_profile

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]
BUILT_IN = [q for path in sorted((ROOT / "lessons").glob("*.yaml"))
            for q in load_lesson_file(path)[0].lesson.questions]  # type: ignore[union-attr]
MINI = {q.id: q for q in load_lesson_file(DATA / "lessons-ok" / "test-mini.yaml")[0].lesson.questions}  # type: ignore[union-attr]


def typed_key(question: m.Ordering | m.Matching, shown: Presentation) -> str:
    """The right answer, typed as the prompt asks for it."""
    keys = right_keys(question, shown)
    if isinstance(question, m.Ordering):
        return " ".join(str(k + 1) for k in keys)
    return " ".join(f"{i + 1}{chr(97 + k)}" for i, k in enumerate(keys))


@pytest.mark.parametrize("question", [q for q in BUILT_IN if isinstance(q, (m.Ordering, m.Matching))],
                         ids=lambda q: q.id)
def test_the_example_in_a_plain_prompt_is_never_the_right_answer(question: m.Ordering | m.Matching) -> None:
    """Every built-in ordering and matching question, in 60 shown orders (profiles and passes):
    the example in the prompt and in the hints is never the key, and it is read as an answer."""
    for run in range(60):
        shown = items.shuffle(question, run, f"pass-{run % 3 + 1}")
        key = typed_key(question, shown)
        assert parse_answer(question, shown, key) == (
            OrderAnswer(tuple(range(len(question.items)))) if isinstance(question, m.Ordering)
            else MatchAnswer(tuple(range(len(question.pairs)))))  # the key is read as the right answer
        said = example(question, shown)
        assert said != key and answer_format(question, shown).endswith(f"e.g. {said}")
        assert not grade(question, parse_answer(question, shown, said)).correct
        with pytest.raises(Unreadable) as hint:
            parse_answer(question, shown, "1")
        assert key not in hint.value.hint and said in hint.value.hint


def test_the_example_is_the_shown_order_so_it_says_nothing_about_the_answer() -> None:
    shown = Presentation((2, 0, 1))
    assert answer_format(MINI["tm-ordering"], shown) == "the numbers in the right order, e.g. 1 2 3"
    assert answer_format(MINI["tm-matching"], shown) == "a number and a letter for each, e.g. 1a 2b 3c"
    assert example(MINI["tm-ordering"], Presentation()) == "2 3 1"  # shown in the right order: not that
    two = m.Ordering(id="two", prompt="p", explanation="e", items=("First", "Second"))
    pairs = m.Matching(id="pairs", prompt="p", explanation="e",
                       pairs=(m.Pair(left="a", right="b"), m.Pair(left="c", right="d")))
    for order in ((0, 1), (1, 0)):  # with two, one example would be the answer or give it away
        assert example(two, Presentation(order)) == "1 2 or 2 1"
        assert example(pairs, Presentation(order)) == "1a 2b or 1b 2a"


def test_a_matching_takes_a_letter_for_more_than_one_item() -> None:
    shown = Presentation((2, 0, 1))  # a Moo, b Meow, c Woof
    answer = parse_answer(MINI["tm-matching"], shown, "1b 2b 3a")
    assert answer == MatchAnswer((0, 0, 2))
    graded = grade(MINI["tm-matching"], answer)
    assert (graded.correct, graded.credit, graded.given) == (False, pytest.approx(2 / 3),
                                                              "Cat → Meow; Dog → Meow; Cow → Moo")
    assert graded.parts == (("Cat: Meow", True), ("Dog: Woof", False), ("Cow: Moo", True))


def test_plain_mode_shows_the_shown_order_as_the_example_and_reads_a_letter_twice(capsys,
                                                                                  neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, SEED, notice_seen=True)  # matching shown as a Moo, b Meow, c Woof
    answers = ["3", "2,3", "f", "3 2 1", "1b 2b 3a", "Hebb's"]
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin=lesson_input(answers, 0, notice=False))
    assert (code, err) == (0, "")  # the offer to retry, at the end of input: not now
    assert "Your answer (the numbers in the right order, e.g. 1 2 3; ? if you don't know): " in out
    assert "Your answer (a number and a letter for each, e.g. 1a 2b 3c; ? if you don't know): " in out
    assert "Use each letter once" not in out
    assert "Not quite. 2 of 3 pairs right. You missed:\n  - Dog: Woof\n" in out
    assert "\nRight.\nHebb's principle (Hebb 1949).\n" in out  # a possessive is the name


@pytest.mark.parametrize("order, run", [
    ((0, 1, 2, 3, 4), {0, 1, 2, 3, 4}),
    ((1, 2, 3, 4, 0), {1, 2, 3, 4}),  # the first item put last: four of five still in order
    ((4, 0, 1, 2, 3), {0, 1, 2, 3}),  # no item in its own place, yet four in order
    ((0, 1, 3, 2, 4), {0, 1, 3, 4}),  # a swap: among equal runs, the one with most in place, then leftmost
    ((1, 0, 2), {1, 2}),
    ((2, 1, 0), set()),  # reversed: no two in order (a single item is no run, as in Moodle)
    ((1, 0), set()),
])
def test_the_longest_ordered_run(order: tuple[int, ...], run: set[int]) -> None:
    assert longest_ordered_run(order) == run


def test_one_item_out_of_place_in_five_is_hard_not_again() -> None:
    five = m.Ordering(id="five", prompt="p", explanation="e", items=("A", "B", "C", "D", "E"))
    graded = grade(five, OrderAnswer((1, 2, 3, 4, 0)))  # A put last: no item in its own place
    assert (graded.correct, graded.credit, graded.parts_right) == (False, pytest.approx(0.8), 4)
    assert graded.parts == (("A (you put it 5th)", False), ("B", True), ("C", True), ("D", True), ("E", True))
    rating = schedule.rating_for(correct=False, credit=graded.credit, confidence=None, seconds=10,
                                 question_type="ordering")
    assert rating == 2  # Hard (the threshold stays 0.8)
    assert grade(five, OrderAnswer((4, 3, 2, 1, 0))).credit == 0.0


def test_multiple_select_keeps_what_was_missed_and_what_was_wrongly_ticked() -> None:
    graded = grade(MINI["tm-multiple"], ChoiceAnswer(frozenset({0, 1})))  # Two (right), Three (wrong); Four missed
    assert (graded.missed, graded.wrongly_ticked, graded.credit) == ((2,), (1,), pytest.approx(1 / 3))
    right = grade(MINI["tm-multiple"], ChoiceAnswer(frozenset({0, 2})))
    assert (right.missed, right.wrongly_ticked) == ((), ())


def question(qid: str) -> m.ShortAnswer:
    found = next(q for q in BUILT_IN if q.id == qid)
    assert isinstance(found, m.ShortAnswer)
    return found


@pytest.mark.parametrize("qid, typed", [
    ("np-hebb-name", "Hebb's"), ("np-hebb-name", "Hebb’s"), ("np-hebb-name", "Donald Hebb's"),
    ("cbt-publication-bias", "file drawer"), ("cbt-publication-bias", "file-drawer"),
    ("cbt-publication-bias", "filedrawer"),
    ("cbt-publication-bias", "File drawer problem"), ("cbt-publication-bias", "publication bias"),
    ("hl-curve-pioneer", "Ebbinghaus's"), ("hl-name-effect", "testing effect"),
])
def test_obvious_variants_of_a_short_answer_are_right(qid: str, typed: str) -> None:
    graded = grade(question(qid), TextAnswer(typed))
    assert graded.correct and graded.spelling is None


@pytest.mark.parametrize("qid, typed", [
    ("np-hebb-name", "Hebbs"), ("np-hebb-name", "Heb's"), ("np-hebb-name", "Freud's"),
    ("cbt-publication-bias", "file"), ("cbt-publication-bias", "drawer"), ("cbt-publication-bias", "problem"),
    ("cbt-publication-bias", "drawer file"), ("cbt-publication-bias", "file cabinet"),
    ("hl-name-effect", "testing"), ("hl-name-effect", "the testing"), ("hl-name-effect", "effect"),
    ("myth-short-renewal", "renewal effect problem"),
])
def test_near_misses_are_still_refused(qid: str, typed: str) -> None:
    assert not grade(question(qid), TextAnswer(typed)).correct


def test_only_a_question_that_asks_for_a_number_of_words_gets_a_shorter_form() -> None:
    forms = {q.id: short_answer_forms(q)[len(q.accepted):] for q in BUILT_IN if isinstance(q, m.ShortAnswer)}
    assert {qid: extra for qid, extra in forms.items() if extra} == {"cbt-publication-bias": ("file drawer",)}
    hinted = m.ShortAnswer(id="h", prompt="What is it called? (Two words.)", explanation="e",
                           accepted=("the spacing effect", "file drawer problem"))
    assert short_answer_forms(hinted)[2:] == ("spacing effect", "file drawer")  # "the" is not one of the two
    unhinted = m.ShortAnswer(id="u", prompt="What is it called?", explanation="e", accepted=("file drawer problem",))
    assert short_answer_forms(unhinted) == ("file drawer problem",)


def test_shown_orders_of_three_or_more_are_never_the_right_order() -> None:
    """What makes the example safe: present() never shows three or more items in the right order."""
    for q in (MINI["tm-ordering"], MINI["tm-matching"]):
        for run in range(200):
            shown = present(q, random.Random(seed_for(q.id, run)))
            assert list(shown.order) != sorted(shown.order)
            assert re.fullmatch(r"[0-9a-c ]+", example(q, shown))
