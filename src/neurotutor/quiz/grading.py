"""Grades an answer against a question and gathers the feedback to show.

Pure: no printing, no clock. Every result carries the question's explanation, the feedback of
what was chosen, the misconception labels the learner's answer matched, and partial credit for
the types that have it (multiple select per option, ordering per position, matching per pair).
"""

from __future__ import annotations

from dataclasses import dataclass

from neurotutor.lessons import model as m
from neurotutor.quiz.answers import Answer, BoolAnswer, ChoiceAnswer, MatchAnswer, OrderAnswer, TextAnswer
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


class WrongAnswerKind(TypeError):
    """The answer value does not fit the question type (a programming error)."""


def grade(question: m.Question, answer: Answer) -> Graded:
    """Grade one answer; raise WrongAnswerKind if it is the wrong kind for the question."""
    feedback: list[str] = []
    misconceptions: list[str] = []
    credit: float | None = None
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
        given = "; ".join(question.choices[i].text for i in sorted(answer.indices))
        right_text = "; ".join(question.choices[i].text for i in sorted(right))
    elif isinstance(question, m.TrueFalse):
        if not isinstance(answer, BoolAnswer):
            raise WrongAnswerKind(answer)
        correct = answer.value == question.answer
        if not correct:
            feedback += [question.feedback] if question.feedback else []
            misconceptions += [question.misconception] if question.misconception else []
        given, right_text = ("True" if answer.value else "False"), ("True" if question.answer else "False")
    elif isinstance(question, m.Ordering):
        n = len(question.items)
        if not isinstance(answer, OrderAnswer) or sorted(answer.order) != list(range(n)):
            raise WrongAnswerKind(answer)
        correct = list(answer.order) == list(range(n))
        credit = sum(item == position for position, item in enumerate(answer.order)) / n
        given = " → ".join(question.items[i] for i in answer.order)
        right_text = " → ".join(question.items)
    elif isinstance(question, m.Matching):
        n = len(question.pairs)
        if not isinstance(answer, MatchAnswer) or len(answer.rights) != n or any(not 0 <= r < n for r in answer.rights):
            raise WrongAnswerKind(answer)
        correct = list(answer.rights) == list(range(n))
        credit = sum(r == i for i, r in enumerate(answer.rights)) / n
        given = "; ".join(f"{p.left} → {question.pairs[r].right}" for p, r in zip(question.pairs, answer.rights))
        right_text = "; ".join(f"{p.left} → {p.right}" for p in question.pairs)
    elif isinstance(question, m.ShortAnswer):
        if not isinstance(answer, TextAnswer):
            raise WrongAnswerKind(answer)
        correct = any(answers_match(answer.text, a) for a in question.accepted)
        if not correct and question.feedback:
            feedback.append(question.feedback)
        given, right_text = answer.text.strip(), question.accepted[0]
    else:  # pragma: no cover - the union is closed
        raise WrongAnswerKind(question)
    return Graded(correct, credit, given, right_text, tuple(feedback), tuple(misconceptions), question.explanation)
