"""Reads typed answers (plain mode, screen readers, scripts) into answer values.

An answer that cannot be read raises `Unreadable` with a hint; it is asked again and never
counted as wrong. Numbers and letters are those shown on screen. In a matching, a letter may be
used for more than one item (as Moodle's drop-downs offer every answer for every item), so the
last pair is never given away by elimination.
"""

from __future__ import annotations

import re

from neurotutor.lessons import model as m
from neurotutor.quiz.answers import DONT_KNOW, Answer, BoolAnswer, ChoiceAnswer, MatchAnswer, OrderAnswer, TextAnswer
from neurotutor.quiz.presentation import Presentation
from neurotutor.text import normalize_answer

TRUE_WORDS = {"t", "true", "y", "yes"}
FALSE_WORDS = {"f", "false", "n", "no"}
DONT_KNOW_WORDS = {"?", "idk", "i don't know", "i dont know", "don't know", "dont know"}
DONT_KNOW_HINT = "? if you don't know"


class Unreadable(ValueError):
    """The typed text is not an answer of the right form; `hint` says what is expected."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


def answer_format(question: m.Question, shown: Presentation) -> str:
    """The short instruction shown at the prompt, with an example that is never the right answer."""
    if isinstance(question, m.SingleChoice):
        return "one number, e.g. 2"
    if isinstance(question, m.MultipleSelect):
        return "every right number, e.g. 1,3"
    if isinstance(question, m.TrueFalse):
        return "t for true or f for false"
    if isinstance(question, m.Ordering):
        return "the numbers in the right order, e.g. " + example(question, shown)
    if isinstance(question, m.Matching):
        return "a number and a letter for each, e.g. " + example(question, shown)
    return "a word or two"


def right_keys(question: m.Ordering | m.Matching, shown: Presentation) -> list[int]:
    """The right answer as typed (0-based): for an ordering, the shown number of each item in the
    right order; for a matching, the shown letter of each left item's partner."""
    n = len(question.items) if isinstance(question, m.Ordering) else len(question.pairs)
    where = {shown.label(position): position for position in range(n)}
    return [where[i] for i in range(n)]


def example(question: m.Ordering | m.Matching, shown: Presentation) -> str:
    """An example answer for the prompt and the hints, never the right one.

    The shown order itself ("1 2 3 4", "1a 2b 3c"): with three or more items the shown order is
    never the answer, so the example says nothing about it. With two, any whole example is either
    the answer or its only alternative, so both are shown.
    """
    def typed(keys: list[int]) -> str:
        if isinstance(question, m.Ordering):
            return " ".join(str(k + 1) for k in keys)
        return " ".join(f"{i + 1}{chr(97 + k)}" for i, k in enumerate(keys))

    n = len(question.items) if isinstance(question, m.Ordering) else len(question.pairs)
    if n == 2:
        return f"{typed([0, 1])} or {typed([1, 0])}"
    keys = list(range(n))
    if keys == right_keys(question, shown):  # shown in the right order (not by present(), which never does)
        keys = keys[1:] + keys[:1]
    return typed(keys)


def _numbers(text: str, n: int) -> list[int]:
    cleaned = text.strip()
    if re.fullmatch(r"[0-9]+", cleaned) and n <= 9 and len(cleaned) > 1:
        tokens = list(cleaned)  # '312' for short lists
    else:
        tokens = [t for t in re.split(r"[\s,;]+", cleaned) if t]
    if not tokens or not all(re.fullmatch(r"[0-9]+", t) for t in tokens):  # not str.isdigit: '²' is a digit
        raise Unreadable(f"Type numbers from 1 to {n}.")
    values = [int(t) for t in tokens]
    bad = [v for v in values if not 1 <= v <= n]
    if bad:
        raise Unreadable(f"{bad[0]} is not one of the numbers shown (1 to {n}).")
    return [v - 1 for v in values]


def parse_answer(question: m.Question, shown: Presentation, text: str) -> Answer:
    """Turn typed text into an answer for this question, or raise Unreadable ("?" is "I don't know")."""
    raw = text.strip()
    if " ".join(raw.lower().replace("’", "'").split()) in DONT_KNOW_WORDS:
        return DONT_KNOW
    if isinstance(question, m.SingleChoice):
        n = len(question.choices)
        values = _numbers(raw, n) if raw else []
        if len(values) != 1:
            raise Unreadable(f"Type one number from 1 to {n}.")
        return ChoiceAnswer(frozenset(shown.label(v) for v in values))
    if isinstance(question, m.MultipleSelect):
        n = len(question.choices)
        if not raw:
            raise Unreadable(f"Type the numbers of every right option, e.g. 1,3 (1 to {n}).")
        return ChoiceAnswer(frozenset(shown.label(v) for v in _numbers(raw, n)))
    if isinstance(question, m.TrueFalse):
        word = raw.lower().rstrip(".!")
        if word in TRUE_WORDS:
            return BoolAnswer(True)
        if word in FALSE_WORDS:
            return BoolAnswer(False)
        raise Unreadable("Type t for true or f for false.")
    if isinstance(question, m.Ordering):
        n = len(question.items)
        values = _numbers(raw, n) if raw else []
        if sorted(values) != list(range(n)):
            raise Unreadable(f"Type all {n} numbers once each, in the order you think is right, e.g. "
                             f"{example(question, shown)}.")
        return OrderAnswer(tuple(shown.label(v) for v in values))
    if isinstance(question, m.Matching):
        return _parse_matching(question, shown, raw)
    if isinstance(question, m.ShortAnswer):
        if not normalize_answer(raw):
            raise Unreadable("Type your answer in a word or two.")
        return TextAnswer(raw)
    raise Unreadable("This question cannot be answered here.")  # pragma: no cover


def _parse_matching(question: m.Matching, shown: Presentation, raw: str) -> MatchAnswer:
    n = len(question.pairs)
    letters = "".join(chr(97 + i) for i in range(n))
    shown_example = example(question, shown)
    pairs = re.findall(r"([0-9]+)\s*[-:=.)]?\s*([a-zA-Z])\b", raw)
    leftover = re.sub(r"([0-9]+)\s*[-:=.)]?\s*([a-zA-Z])\b", "", raw)
    if not pairs or re.sub(r"[\s,;]+", "", leftover):
        raise Unreadable(f"Type a number and a letter for each item on the left, e.g. {shown_example}.")
    chosen: dict[int, int] = {}
    for num, letter in pairs:
        left, right = int(num) - 1, letter.lower()
        if not 0 <= left < n:
            raise Unreadable(f"{num} is not one of the numbers shown (1 to {n}).")
        if right not in letters:
            raise Unreadable(f"{letter} is not one of the letters shown (a to {letters[-1]}).")
        if left in chosen:
            raise Unreadable(f"Item {num} is matched twice; match each number once.")
        chosen[left] = letters.index(right)
    if len(chosen) != n:
        missing = ", ".join(str(i + 1) for i in range(n) if i not in chosen)
        raise Unreadable(f"Match every item: {missing} {'is' if ',' not in missing else 'are'} missing (e.g. {shown_example}).")
    return MatchAnswer(tuple(shown.label(chosen[i]) for i in range(n)))
