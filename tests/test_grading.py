"""The grader and the plain-text answer reader: every question type, right, wrong and unreadable."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from neurotutor.lessons import model as m
from neurotutor.lessons.loader import load_lesson_file
from neurotutor.quiz.answers import BoolAnswer, ChoiceAnswer, DontKnowAnswer, MatchAnswer, OrderAnswer, TextAnswer
from neurotutor.quiz.grading import WrongAnswerKind, grade, short_answer_forms
from neurotutor.quiz.plain_input import Unreadable, parse_answer
from neurotutor.quiz.presentation import Presentation, present, seed_for
from neurotutor.quiz.spelling import near_miss
from neurotutor.text import answers_match, normalize_answer

DATA = Path(__file__).parent / "data"
LESSON = load_lesson_file(DATA / "lessons-ok" / "test-mini.yaml")[0].lesson  # type: ignore[union-attr]
Q = {q.id: q for q in LESSON.questions}
NONE = Presentation()
ORDER_SHOWN = Presentation((2, 1, 0))  # Three, Two, One
MATCH_SHOWN = Presentation((2, 0, 1))  # a=Moo, b=Meow, c=Woof


def read_and_grade(qid: str, typed: str, shown: Presentation = NONE):
    return grade(Q[qid], parse_answer(Q[qid], shown, typed))


def test_single_choice_right_and_wrong_with_feedback() -> None:
    right = read_and_grade("tm-single", "1")
    assert (right.correct, right.given, right.right_answer, right.feedback) == (True, "Alpha", "Alpha", ())
    wrong = read_and_grade("tm-single", " 2 ")
    assert (wrong.correct, wrong.given, wrong.feedback, wrong.misconceptions) == (
        False, "Beta", ("Beta is a common mix-up.",), ("beta-myth",))
    assert wrong.explanation == "Alpha is right because the test says so."


@pytest.mark.parametrize("typed", ["1,3", "1 3", "3,1", "13", "1, 3", "1;3"])
def test_multiple_select_formats(typed: str) -> None:
    result = read_and_grade("tm-multiple", typed)
    assert result.correct and result.given == "Two; Four"


def test_multiple_select_partial_is_wrong() -> None:
    result = read_and_grade("tm-multiple", "1")
    assert (result.correct, result.given, result.right_answer) == (False, "Two", "Two; Four")


@pytest.mark.parametrize("typed,value", [("t", True), ("TRUE", True), ("yes", True), ("f", False), ("False.", False), ("n", False)])
def test_true_false_words(typed: str, value: bool) -> None:
    result = read_and_grade("tm-truefalse", typed)
    assert result.correct is (value is False)
    if value:
        assert result.feedback == ("The old memory survives and can return.",)
        assert result.misconceptions == ("exposure-erases-fear",)


def test_ordering_uses_the_shown_numbers() -> None:
    right = read_and_grade("tm-ordering", "3 2 1", ORDER_SHOWN)
    assert right.correct and right.given == "One → Two → Three"
    assert read_and_grade("tm-ordering", "321", ORDER_SHOWN).correct
    wrong = read_and_grade("tm-ordering", "1 2 3", ORDER_SHOWN)
    assert not wrong.correct and wrong.given == "Three → Two → One"


def test_matching_uses_numbers_and_shown_letters() -> None:
    right = read_and_grade("tm-matching", "1b 2c 3a", MATCH_SHOWN)
    assert right.correct and right.given == "Cat → Meow; Dog → Woof; Cow → Moo"
    assert read_and_grade("tm-matching", "3-A, 1-B, 2-C", MATCH_SHOWN).correct
    wrong = read_and_grade("tm-matching", "1a 2b 3c", MATCH_SHOWN)
    assert not wrong.correct and wrong.given == "Cat → Moo; Dog → Meow; Cow → Woof"


@pytest.mark.parametrize("typed", ["Hebb", "hebb", "  HEBB!! ", "D.O. Hebb", "donald   hebb", "D O Hebb"])
def test_short_answer_ignores_case_punctuation_and_spaces(typed: str) -> None:
    assert read_and_grade("tm-short", typed).correct


def test_short_answer_wrong_shows_feedback() -> None:
    result = read_and_grade("tm-short", "Freud")
    assert (result.correct, result.given, result.right_answer, result.feedback) == (
        False, "Freud", "Hebb", ("It was Donald Hebb, in 1949.",))


@pytest.mark.parametrize("qid,typed,hint", [
    ("tm-single", "", "Type one number from 1 to 3."),
    ("tm-single", "abc", "Type numbers from 1 to 3."),
    ("tm-single", "²", "Type numbers from 1 to 3."),
    ("tm-ordering", "³ ² ¹", "Type numbers from 1 to 3."),
    ("tm-single", "4", "4 is not one of the numbers shown (1 to 3)."),
    ("tm-single", "1 2", "Type one number from 1 to 3."),
    ("tm-multiple", "", "Type the numbers of every right option, e.g. 1,3 (1 to 3)."),
    ("tm-multiple", "0", "0 is not one of the numbers shown (1 to 3)."),
    ("tm-truefalse", "maybe", "Type t for true or f for false."),
    ("tm-ordering", "1 2", "Type all 3 numbers once each, in the order you think is right, e.g. 1 2 3."),
    ("tm-ordering", "1 1 2", "Type all 3 numbers once each, in the order you think is right, e.g. 1 2 3."),
    ("tm-matching", "hello", "Type a number and a letter for each item on the left, e.g. 1a 2b 3c."),
    ("tm-matching", "1a 2b", "Match every item: 3 is missing (e.g. 1a 2b 3c)."),
    ("tm-matching", "1a 1b 3c", "Item 1 is matched twice; match each number once."),
    ("tm-matching", "1a 2b 4c", "4 is not one of the numbers shown (1 to 3)."),
    ("tm-matching", "1a 2b 3z", "z is not one of the letters shown (a to c)."),
    ("tm-short", " ?! ", "Type your answer in a word or two."),
])
def test_unreadable_answers_give_a_hint(qid: str, typed: str, hint: str) -> None:
    with pytest.raises(Unreadable) as err:
        parse_answer(Q[qid], MATCH_SHOWN if qid == "tm-matching" else ORDER_SHOWN if qid == "tm-ordering" else NONE, typed)
    assert err.value.hint == hint


def test_wrong_kind_of_answer_is_a_programming_error() -> None:
    with pytest.raises(WrongAnswerKind):
        grade(Q["tm-single"], BoolAnswer(True))
    with pytest.raises(WrongAnswerKind):
        grade(Q["tm-ordering"], OrderAnswer((0, 0, 1)))
    with pytest.raises(WrongAnswerKind):
        grade(Q["tm-matching"], MatchAnswer((0, 1)))
    with pytest.raises(WrongAnswerKind):
        grade(Q["tm-single"], ChoiceAnswer(frozenset({7})))


def test_presentation_never_shows_the_answer_order_and_is_stable() -> None:
    for q in (Q["tm-ordering"], Q["tm-matching"]):
        for run in range(1, 30):
            shown = present(q, random.Random(seed_for(q.id, run)))
            assert sorted(shown.order) == [0, 1, 2] and list(shown.order) != [0, 1, 2]
            assert shown == present(q, random.Random(seed_for(q.id, run)))
    for run in range(1, 30):
        shown = present(Q["tm-single"], random.Random(seed_for("tm-single", run)))
        assert sorted(shown.order) == [0, 1, 2]
    assert present(Q["tm-short"], random.Random(1)) == Presentation()


def test_choice_numbers_refer_to_the_shuffled_display() -> None:
    shown = Presentation((1, 2, 0))  # Beta, Gamma, Alpha
    assert read_and_grade("tm-single", "3", shown).correct
    assert read_and_grade("tm-single", "1", shown).given == "Beta"
    multiple = Presentation((1, 2, 0))  # Three, Four, Two
    assert read_and_grade("tm-multiple", "2 3", multiple).correct
    assert read_and_grade("tm-multiple", "1", multiple).given == "Three"


def test_normalize_answer() -> None:
    assert normalize_answer("  Long-term   POTENTIATION. ") == "long term potentiation"
    assert normalize_answer("Hebb's") == normalize_answer("Hebb’s") == "hebb"  # a possessive
    assert normalize_answer("Ebbinghaus' curve") == "ebbinghaus curve"
    assert answers_match("longterm potentiation", "long-term potentiation")
    assert not answers_match("", "x") and not answers_match("!!!", "x")


@example("DONT KNOW")
@example("?")
@example("Donald Heb")
@given(st.text(max_size=40) | st.text(alphabet="01234 ,;abcdtf", max_size=12))  # the second reads often
def test_any_typed_text_is_read_or_gets_a_hint(typed: str) -> None:
    for q in LESSON.questions:
        shown = MATCH_SHOWN if isinstance(q, m.Matching) else ORDER_SHOWN if isinstance(q, m.Ordering) else NONE
        try:
            answer = parse_answer(q, shown, typed)
        except Unreadable as err:
            assert err.hint
        else:
            result = grade(q, answer)
            assert type(result.correct) is bool and result.explanation == q.explanation
            if isinstance(answer, DontKnowAnswer):  # "?", "I don't know": not known, never right
                assert (result.dont_know, result.correct, result.misconceptions) == (True, False, ())
                continue
            if result.credit is not None:  # partial credit agrees with right and wrong
                assert 0 <= result.credit <= 1 and result.correct == (result.credit == 1.0)
            if result.correct:
                assert result.misconceptions == ()
            if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
                assert isinstance(answer, ChoiceAnswer)
                assert result.correct == (answer.indices == {i for i, c in enumerate(q.choices) if c.correct})
            if isinstance(q, m.ShortAnswer):
                assert isinstance(answer, TextAnswer)
                exact = any(answers_match(typed, a) for a in short_answer_forms(q))
                assert result.correct == (exact or near_miss(typed, q.accepted) is not None)
                assert (result.spelling is not None) == (result.correct and not exact)


def test_partial_credit_where_the_type_has_it() -> None:
    assert grade(Q["tm-matching"], MatchAnswer((0, 2, 1))).credit == pytest.approx(1 / 3)  # Cat right only
    assert grade(Q["tm-matching"], MatchAnswer((0, 1, 2))).credit == 1.0
    assert grade(Q["tm-ordering"], OrderAnswer((0, 2, 1))).credit == pytest.approx(2 / 3)  # One, Two in order
    assert grade(Q["tm-ordering"], OrderAnswer((2, 1, 0))).credit == 0.0  # no two in order (one alone is no run)
    assert grade(Q["tm-multiple"], ChoiceAnswer(frozenset({0}))).credit == pytest.approx(2 / 3)  # Four missed
    assert grade(Q["tm-multiple"], ChoiceAnswer(frozenset({1}))).credit == 0.0
    assert grade(Q["tm-single"], ChoiceAnswer(frozenset({0}))).credit is None
    assert grade(Q["tm-truefalse"], BoolAnswer(False)).credit is None
    assert grade(Q["tm-short"], TextAnswer("Hebb")).credit is None


def test_two_items_are_shown_in_either_order_not_always_reversed() -> None:
    two = m.Ordering(id="two", prompt="p", explanation="e", items=("First", "Second"))
    orders = {present(two, random.Random(seed_for(f"q{i}", 1))).order for i in range(40)}
    assert orders == {(0, 1), (1, 0)}
    pairs = m.Matching(id="pairs", prompt="p", explanation="e",
                       pairs=(m.Pair(left="a", right="b"), m.Pair(left="c", right="d")))
    assert {present(pairs, random.Random(seed_for(f"q{i}", 1))).order for i in range(40)} == {(0, 1), (1, 0)}
