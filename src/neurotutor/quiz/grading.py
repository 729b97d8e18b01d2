"""Grades an answer against a question and gathers the feedback to show.

Pure: no printing, no clock. Every result carries the question's explanation, the feedback of
what was chosen, the misconception labels the learner's answer matched, and partial credit for
the types that have it, with the marks behind it:

- multiple select: per option ticked or left as it should be; the right options missed and the
  wrong ones ticked are kept, so feedback can name them;
- ordering: the longest run of items in the right order relative to each other (not necessarily
  next to each other), as Moodle's "longest ordered subset" grading: one item out of place in five
  scores 4/5, not the 1/5 that counting absolute positions can give. As in Moodle, a "run" of one
  item counts for nothing (any single item is trivially in order);
- matching: per pair.

A short answer is right when it matches an accepted answer once normalised (case, punctuation,
spaces, a possessive 's), or the shorter form the question's own hint invites ("(two words)":
"file drawer" for "file drawer problem"), or is one typo away from a longer accepted answer.
"I don't know" is graded as not known: no credit, no misconception, the explanation shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from neurotutor.lessons import model as m
from neurotutor.quiz.answers import (
    Answer,
    BoolAnswer,
    ChoiceAnswer,
    DontKnowAnswer,
    MatchAnswer,
    OrderAnswer,
    TextAnswer,
)
from neurotutor.quiz.presentation import Presentation
from neurotutor.text import answers_match, normalize_answer


@dataclass(frozen=True)
class Graded:
    """The outcome of one answer."""

    correct: bool
    credit: float | None  # partial credit from 0 to 1 where the type has it, else None
    given: str  # the learner's answer, in words
    right_answer: str  # the right answer, in words
    feedback: tuple[str, ...]  # feedback attached to what was chosen
    misconceptions: tuple[str, ...]
    explanation: str
    # Ordering: each item in the right order, in words, and whether it is in the longest ordered run
    # ("Two (you put it 3rd)" when not). Matching: each right pair in the lesson's order ("Dog:
    # Woof"), and whether the learner matched it (what they chose instead is on screen above, in
    # their picks: repeating it would push the verdict off a small screen).
    parts: tuple[tuple[str, bool], ...] = ()
    dont_know: bool = False  # the learner said "I don't know"
    spelling: str | None = None  # a short answer accepted one typo away from this accepted answer
    missed: tuple[int, ...] = ()  # multiple select: right options not ticked (choice indices, file order)
    wrongly_ticked: tuple[int, ...] = ()  # multiple select: wrong options ticked (choice indices, file order)

    @property
    def parts_right(self) -> int:
        """How many items are in the ordered run (ordering) or pairs were right (matching)."""
        return sum(ok for _, ok in self.parts)


class WrongAnswerKind(TypeError):
    """The answer value does not fit the question type (a programming error)."""


def grade(question: m.Question, answer: Answer) -> Graded:
    """Grade one answer; raise WrongAnswerKind if it is the wrong kind for the question."""
    if isinstance(answer, DontKnowAnswer):
        has_credit = isinstance(question, (m.MultipleSelect, m.Ordering, m.Matching))
        return Graded(False, 0.0 if has_credit else None, "I don't know", right_answer_text(question), (), (),
                      question.explanation, dont_know=True)
    feedback: list[str] = []
    misconceptions: list[str] = []
    credit: float | None = None
    parts: tuple[tuple[str, bool], ...] = ()
    spelling: str | None = None
    missed: tuple[int, ...] = ()
    wrongly_ticked: tuple[int, ...] = ()
    if isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        if not isinstance(answer, ChoiceAnswer) or any(not 0 <= i < len(question.choices) for i in answer.indices):
            raise WrongAnswerKind(answer)
        right = frozenset(i for i, c in enumerate(question.choices) if c.correct)
        correct = answer.indices == right
        if isinstance(question, m.MultipleSelect):  # each option ticked or left as it should be
            n = len(question.choices)
            credit = sum((i in answer.indices) == (i in right) for i in range(n)) / n
            missed, wrongly_ticked = tuple(sorted(right - answer.indices)), tuple(sorted(answer.indices - right))
        for i in sorted(answer.indices):
            choice = question.choices[i]
            if choice.feedback:
                feedback.append(choice.feedback)
            if choice.misconception:
                misconceptions.append(choice.misconception)
        given = answer_text(question, answer)
        right_text = right_answer_text(question)
    elif isinstance(question, m.TrueFalse):
        if not isinstance(answer, BoolAnswer):
            raise WrongAnswerKind(answer)
        correct = answer.value == question.answer
        if not correct:
            feedback += [question.feedback] if question.feedback else []
            misconceptions += [question.misconception] if question.misconception else []
        given, right_text = answer_text(question, answer), right_answer_text(question)
    elif isinstance(question, m.Ordering):
        n = len(question.items)
        if not isinstance(answer, OrderAnswer) or sorted(answer.order) != list(range(n)):
            raise WrongAnswerKind(answer)
        correct = list(answer.order) == list(range(n))
        in_order = longest_ordered_run(answer.order)
        placed = {item: position for position, item in enumerate(answer.order)}
        parts = tuple((text if item in in_order else f"{text} (you put it {_ordinal(placed[item] + 1)})",
                       item in in_order) for item, text in enumerate(question.items))
        credit = len(in_order) / n
        given = answer_text(question, answer)
        right_text = right_answer_text(question)
    elif isinstance(question, m.Matching):
        n = len(question.pairs)
        if not isinstance(answer, MatchAnswer) or len(answer.rights) != n or any(not 0 <= r < n for r in answer.rights):
            raise WrongAnswerKind(answer)
        correct = list(answer.rights) == list(range(n))
        parts = tuple((f"{_unstopped(p.left)}: {p.right}", r == i)
                      for i, (p, r) in enumerate(zip(question.pairs, answer.rights)))
        credit = sum(ok for _, ok in parts) / n
        given = answer_text(question, answer)
        right_text = right_answer_text(question)
    elif isinstance(question, m.ShortAnswer):
        if not isinstance(answer, TextAnswer):
            raise WrongAnswerKind(answer)
        correct = any(answers_match(answer.text, form) for form in short_answer_forms(question))
        if not correct:
            from neurotutor.quiz.spelling import near_miss  # rapidfuzz, loaded only for a wrong short answer

            spelling = near_miss(answer.text, question.accepted)
            correct = spelling is not None
        if not correct and question.feedback:
            feedback.append(question.feedback)
        given, right_text = answer_text(question, answer), spelling or question.accepted[0]
    else:  # pragma: no cover - the union is closed
        raise WrongAnswerKind(question)
    return Graded(correct, credit, given, right_text, tuple(feedback), tuple(misconceptions), question.explanation,
                  parts=parts, spelling=spelling, missed=missed, wrongly_ticked=wrongly_ticked)


def longest_ordered_run(order: tuple[int, ...]) -> frozenset[int]:
    """The items (file indices) of the longest subsequence of `order` that is in the right order;
    empty when it has fewer than two items (as Moodle, a single item is not a run).

    Among runs of the same length, the one with the most items in their own place, then the
    leftmost: what a learner most likely meant. Quadratic, for lists of a handful of items.
    """
    def rank(run: tuple[int, ...]) -> tuple[int, int, tuple[int, ...]]:
        return len(run), sum(order[j] == j for j in run), tuple(-j for j in run)

    ending: list[tuple[int, ...]] = []  # the best run (positions in `order`) that ends at each position
    for j, item in enumerate(order):
        runs = [run + (j,) for i, run in enumerate(ending) if order[i] < item]
        ending.append(max([(j,), *runs], key=rank))
    best = max(ending, key=rank, default=())
    return frozenset(order[j] for j in best) if len(best) >= 2 else frozenset()


_WORD_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_HINTED_COUNT = re.compile(r"\b(one|two|three|four|five|six)[ -]words?\b", re.IGNORECASE)
_GENERIC_TAILS = ("problem", "effect")  # names often said without them ("the file drawer")
_ARTICLES = ("the", "a", "an")  # not counted as one of the words asked for


def short_answer_forms(question: m.ShortAnswer) -> tuple[str, ...]:
    """Every form a short answer is accepted in: the accepted answers, then the shorter forms the
    question's own word count invites: "(two words)" accepts "file drawer" for "file drawer
    problem" (a leading article and a trailing "problem" or "effect" left out, only down to the
    count asked for, so "(two words: the ... effect)" still wants "testing effect")."""
    hint = _HINTED_COUNT.search(question.prompt)
    if hint is None:
        return question.accepted
    count = _WORD_COUNTS[hint.group(1).lower()]
    shorter: list[str] = []
    for accepted in question.accepted:
        words = normalize_answer(accepted).split()
        while len(words) > count and (words[0] in _ARTICLES or words[-1] in _GENERIC_TAILS):
            words.pop(0 if words[0] in _ARTICLES else -1)
        form = " ".join(words)
        if len(words) == count and not any(answers_match(form, a) for a in (*question.accepted, *shorter)):
            shorter.append(form)
    return (*question.accepted, *shorter)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def answer_text(question: m.Question, answer: Answer, shown: Presentation | None = None) -> str:
    """An answer in words (the `given` of its grade); with `shown`, ticked options in the order
    they were shown. Raises WrongAnswerKind for an answer of another kind."""
    if isinstance(answer, DontKnowAnswer):
        return "I don't know"
    if isinstance(answer, ChoiceAnswer) and isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        return choices_text(question, answer.indices, shown)
    if isinstance(answer, BoolAnswer) and isinstance(question, m.TrueFalse):
        return "True" if answer.value else "False"
    if isinstance(answer, OrderAnswer) and isinstance(question, m.Ordering):
        return " → ".join(question.items[i] for i in answer.order)
    if isinstance(answer, MatchAnswer) and isinstance(question, m.Matching):
        return "; ".join(f"{p.left} → {question.pairs[r].right}" for p, r in zip(question.pairs, answer.rights))
    if isinstance(answer, TextAnswer) and isinstance(question, m.ShortAnswer):
        return answer.text.strip()
    raise WrongAnswerKind(answer)


def choices_text(question: m.SingleChoice | m.MultipleSelect, indices: Iterable[int],
                 shown: Presentation | None = None) -> str:
    """Options in one line, in the lesson's order or (with `shown`) in the order shown."""
    at = {index: position for position, index in enumerate(shown.order)} if shown and shown.order else {}
    return _listed(question.choices[i].text for i in sorted(indices, key=lambda i: (at.get(i, i), i)))


def _listed(texts: Iterable[str]) -> str:
    """Options in one line, "; " between them (a full stop that ends an option is dropped, so
    sentences do not read ".;")."""
    return "; ".join(_unstopped(t) for t in texts)


def _unstopped(text: str) -> str:
    """A text without the full stop that ends it (not an ellipsis), to go on after it."""
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def right_answer_text(question: m.Question) -> str:
    """The right answer in words."""
    if isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        return _listed(c.text for c in question.choices if c.correct)
    if isinstance(question, m.TrueFalse):
        return "True" if question.answer else "False"
    if isinstance(question, m.Ordering):
        return " → ".join(question.items)
    if isinstance(question, m.Matching):
        return "; ".join(f"{p.left} → {p.right}" for p in question.pairs)
    return question.accepted[0]
