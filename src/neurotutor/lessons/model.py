"""The lesson file format, version 1, as strict msgspec models.

These models are the contract for `lessons/*.yaml`: unknown fields are refused and nothing is coerced.
`docs/lesson-format.md` describes the same format for authors.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

FORMAT_VERSION = 1

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)"  # Python's `$` also matches before a final newline
Slug = Annotated[str, Meta(pattern=SLUG_PATTERN, max_length=80)]
Text = Annotated[str, Meta(min_length=1)]
# A misconception as a sentence, in the author's words: what stats, reports and the caseload show
Sentence = Annotated[str, Meta(min_length=1, max_length=200)]
Evidence = Literal["established", "supported", "preliminary", "debated", "unsupported"]
Level = Literal["learner", "trainee"]
# `neurotutor lint` warnings silenced here, each with the reason: {rule id: why it does not apply}
Silenced = dict[Slug, Text]
QuestionType = Literal[
    "single_choice", "multiple_select", "true_false", "ordering", "matching", "short_answer"
]
EVIDENCE_LEVELS: tuple[str, ...] = ("established", "supported", "preliminary", "debated", "unsupported")


class Model(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every lesson-file model: frozen, strict, keyword-only."""


class Reference(Model, frozen=True, kw_only=True):
    """A source a lesson cites; at least one of doi, url or isbn locates it."""

    id: Slug
    authors: Text
    year: Annotated[int, Meta(ge=1600, le=2100)]
    title: Text
    source: Text  # journal with volume and pages, or publisher
    doi: Text | None = None
    url: Text | None = None
    isbn: Text | None = None
    note: Text | None = None


class Claim(Model, frozen=True, kw_only=True):
    """One finding stated in a section, with how strong its evidence is."""

    text: Text
    evidence: Evidence
    refs: tuple[Slug, ...] = ()


class Section(Model, frozen=True, kw_only=True):
    """One screen of a lesson: Markdown body, key points and an optional deeper part for trainees."""

    id: Slug
    title: Text
    body: Text
    key_points: tuple[Text, ...] = ()
    evidence: Evidence | None = None
    claims: tuple[Claim, ...] = ()
    refs: tuple[Slug, ...] = ()
    deeper: Text | None = None
    lint: Silenced = {}


class Choice(Model, frozen=True, kw_only=True):
    """An option of a choice question, with optional feedback shown when it is picked."""

    text: Text
    correct: bool = False
    feedback: Text | None = None
    misconception: Slug | None = None


class Pair(Model, frozen=True, kw_only=True):
    """A left item and the right item it matches."""

    left: Text
    right: Text


class QuestionBase(Model, frozen=True, tag_field="type", kw_only=True):
    """Fields every question has; `type` selects the kind."""

    id: Slug
    prompt: Text
    explanation: Text
    refs: tuple[Slug, ...] = ()
    lint: Silenced = {}


class SingleChoice(QuestionBase, frozen=True, tag="single_choice", kw_only=True):
    """Pick the one right option."""

    choices: Annotated[tuple[Choice, ...], Meta(min_length=2)]


class MultipleSelect(QuestionBase, frozen=True, tag="multiple_select", kw_only=True):
    """Pick every right option (at least one is right)."""

    choices: Annotated[tuple[Choice, ...], Meta(min_length=2)]


class TrueFalse(QuestionBase, frozen=True, tag="true_false", kw_only=True):
    """A statement that is true or false; feedback is shown when the learner gets it wrong."""

    answer: bool
    feedback: Text | None = None
    misconception: Slug | None = None


class Ordering(QuestionBase, frozen=True, tag="ordering", kw_only=True):
    """Put items in order; `items` lists them in the right order (they are shown shuffled)."""

    items: Annotated[tuple[Text, ...], Meta(min_length=2)]


class Matching(QuestionBase, frozen=True, tag="matching", kw_only=True):
    """Match each left item to its right item (the right items are shown shuffled)."""

    pairs: Annotated[tuple[Pair, ...], Meta(min_length=2)]
    left_label: Text | None = None
    right_label: Text | None = None


class ShortAnswer(QuestionBase, frozen=True, tag="short_answer", kw_only=True):
    """Type an answer; any accepted answer counts, ignoring case, punctuation and extra spaces."""

    accepted: Annotated[tuple[Text, ...], Meta(min_length=1)]
    feedback: Text | None = None


Question = SingleChoice | MultipleSelect | TrueFalse | Ordering | Matching | ShortAnswer


class Lesson(Model, frozen=True, kw_only=True):
    """One lesson file."""

    format: Literal[1]
    id: Slug
    title: Text
    summary: Text
    level: Level
    tags: tuple[Slug, ...] = ()
    minutes: Annotated[int, Meta(ge=1, le=600)]
    prerequisites: tuple[Slug, ...] = ()
    content_note: Text | None = None
    sections: Annotated[tuple[Section, ...], Meta(min_length=1)]
    references: tuple[Reference, ...] = ()
    questions: tuple[Question, ...] = ()
    # {misconception label: the wrong idea as a sentence}; a label without one is shown as its words
    misconceptions: dict[Slug, Sentence] = {}
    # worksheets to try at the lesson's end ("Try it: Thought record"), by id (`neurotutor practice ID`)
    try_it: Annotated[tuple[Slug, ...], Meta(max_length=5)] = ()
    lint: Silenced = {}


def misconception_said(label: str, text: str | None) -> str:
    """A misconception as readers see it: the author's sentence, else its label as words
    ("beta-myth": "beta myth"; a label of only dashes stays as it is)."""
    return text or " ".join(label.replace("-", " ").split()) or label


def misconception_labels(lesson: Lesson) -> dict[str, tuple[str, ...]]:
    """Each misconception label the lesson's questions carry, with the ids of those questions (in order)."""
    found: dict[str, list[str]] = {}
    for q in lesson.questions:
        carried = [c.misconception for c in getattr(q, "choices", ())] + [getattr(q, "misconception", None)]
        for label in carried:
            if label and q.id not in found.setdefault(label, []):
                found[label].append(q.id)
    return {label: tuple(ids) for label, ids in found.items()}


def question_type(question: Question) -> str:
    """The question's `type` as written in the lesson file (e.g. "single_choice")."""
    return str(type(question).__struct_config__.tag)
