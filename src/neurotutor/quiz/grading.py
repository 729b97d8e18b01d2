"""Grades an answer against a question and gathers the feedback to show.

Pure: no printing, no clock. Every result carries the question's explanation, the feedback of
what was chosen, the misconception labels the learner's answer matched, and partial credit for
the types that have it (multiple select per option, ordering per position, matching per pair),
with the per-position or per-pair marks behind it. "I don't know" is graded as not known: no
credit, no misconception, the explanation shown.
"""

from __future__ import annotations

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
from neurotutor.text import answers_match


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
    parts: tuple[tuple[str, bool], ...] = ()  # per position (ordering) or pair (matching): text, right
    dont_know: bool = False  # the learner said "I don't know"
    spelling: str | None = None  # a short answer accepted one typo away from this accepted answer

    @property
    def parts_right(self) -> int:
        """How many positions or pairs were right."""
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
    if isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        if not isinstance(answer, ChoiceAnswer) or any(not 0 <= i < len(question.choices) for i in answer.indices):
            raise WrongAnswerKind(answer)
        right = frozenset(i for i, c in enumerate(question.choices) if c.correct)
        correct = answer.indices == right
        if isinstance(question, m.MultipleSelect):  # each option ticked or left as it should be
            n = len(question.choices)
            credit = sum((i in answer.indices) == (i in right) for i in range(n)) / n
        for i in sorted(answer.indices):
            choice = question.choices[i]
            if choice.feedback:
                feedback.append(choice.feedback)
            if choice.misconception:
                misconceptions.append(choice.misconception)
        given = _listed(question.choices[i].text for i in sorted(answer.indices))
        right_text = right_answer_text(question)
    elif isinstance(question, m.TrueFalse):
        if not isinstance(answer, BoolAnswer):
            raise WrongAnswerKind(answer)
        correct = answer.value == question.answer
        if not correct:
            feedback += [question.feedback] if question.feedback else []
            misconceptions += [question.misconception] if question.misconception else []
        given, right_text = ("True" if answer.value else "False"), right_answer_text(question)
    elif isinstance(question, m.Ordering):
        n = len(question.items)
        if not isinstance(answer, OrderAnswer) or sorted(answer.order) != list(range(n)):
            raise WrongAnswerKind(answer)
        correct = list(answer.order) == list(range(n))
        parts = tuple((f"{position + 1}. {question.items[item]}", item == position)
                      for position, item in enumerate(answer.order))
        credit = sum(ok for _, ok in parts) / n
        given = " → ".join(question.items[i] for i in answer.order)
        right_text = right_answer_text(question)
    elif isinstance(question, m.Matching):
        n = len(question.pairs)
        if not isinstance(answer, MatchAnswer) or len(answer.rights) != n or any(not 0 <= r < n for r in answer.rights):
            raise WrongAnswerKind(answer)
        correct = list(answer.rights) == list(range(n))
        parts = tuple((f"{p.left} → {question.pairs[r].right}", r == i)
                      for i, (p, r) in enumerate(zip(question.pairs, answer.rights)))
        credit = sum(ok for _, ok in parts) / n
        given = "; ".join(text for text, _ in parts)
        right_text = right_answer_text(question)
    elif isinstance(question, m.ShortAnswer):
        if not isinstance(answer, TextAnswer):
            raise WrongAnswerKind(answer)
        correct = any(answers_match(answer.text, a) for a in question.accepted)
        if not correct:
            from neurotutor.quiz.spelling import near_miss  # rapidfuzz, loaded only for a wrong short answer

            spelling = near_miss(answer.text, question.accepted)
            correct = spelling is not None
        if not correct and question.feedback:
            feedback.append(question.feedback)
        given, right_text = answer.text.strip(), spelling or question.accepted[0]
    else:  # pragma: no cover - the union is closed
        raise WrongAnswerKind(question)
    return Graded(correct, credit, given, right_text, tuple(feedback), tuple(misconceptions), question.explanation,
                  parts=parts, spelling=spelling)


def _listed(texts: Iterable[str]) -> str:
    """Options in one line, "; " between them (a full stop that ends an option is dropped, so
    sentences do not read ".;")."""
    return "; ".join(t[:-1] if t.endswith(".") and not t.endswith("..") else t for t in texts)


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
