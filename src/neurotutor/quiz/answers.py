"""What a learner answered, as values independent of how it was typed or clicked.

Indices refer to the lesson file's own order (choices, items, pairs), never to the shuffled
order on screen, so grading does not depend on presentation. The values are msgspec Structs
tagged by `kind`, so the history file can keep an answer as data (`{"kind": "choice", ...}`).
"""

from __future__ import annotations

from msgspec import Struct


class _Answer(Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind"):
    """Base of every answer value."""


class ChoiceAnswer(_Answer, frozen=True, tag="choice"):
    """The chosen options of a single_choice or multiple_select question."""

    indices: frozenset[int]


class BoolAnswer(_Answer, frozen=True, tag="bool"):
    """True or false."""

    value: bool


class OrderAnswer(_Answer, frozen=True, tag="order"):
    """Item indices in the order the learner put them."""

    order: tuple[int, ...]


class MatchAnswer(_Answer, frozen=True, tag="match"):
    """For each left item (in file order), the index of the right item the learner matched."""

    rights: tuple[int, ...]


class TextAnswer(_Answer, frozen=True, tag="text"):
    """A typed short answer."""

    text: str


class DontKnowAnswer(_Answer, frozen=True, tag="dont_know"):
    """The learner said "I don't know": not known, which is not the same as a wrong guess."""


DONT_KNOW = DontKnowAnswer()

Answer = ChoiceAnswer | BoolAnswer | OrderAnswer | MatchAnswer | TextAnswer | DontKnowAnswer
