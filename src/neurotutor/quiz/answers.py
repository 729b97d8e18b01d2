"""What a learner answered, as values independent of how it was typed or clicked.

Indices refer to the lesson file's own order (choices, items, pairs), never to the shuffled
order on screen, so grading does not depend on presentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class ChoiceAnswer:
    """The chosen options of a single_choice or multiple_select question."""

    indices: frozenset[int]


@dataclass(frozen=True)
class BoolAnswer:
    """True or false."""

    value: bool


@dataclass(frozen=True)
class OrderAnswer:
    """Item indices in the order the learner put them."""

    order: tuple[int, ...]


@dataclass(frozen=True)
class MatchAnswer:
    """For each left item (in file order), the index of the right item the learner matched."""

    rights: tuple[int, ...]


@dataclass(frozen=True)
class TextAnswer:
    """A typed short answer."""

    text: str


Answer = Union[ChoiceAnswer, BoolAnswer, OrderAnswer, MatchAnswer, TextAnswer]
