"""How a question is shown: the shuffled order of choices, ordering items and matching right items.

Choices are shuffled because authors tend to write the right answer first, which is exactly where
an arrow-key cursor starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from neurotutor.lessons import model as m


@dataclass(frozen=True)
class Presentation:
    """The display order (file indices) of the items a question shuffles; empty means file order."""

    order: tuple[int, ...] = ()

    def label(self, shown_position: int) -> int:
        """The file index of the item shown at a 0-based position."""
        return self.order[shown_position] if self.order else shown_position


def present(question: m.Question, rng: random.Random) -> Presentation:
    """Shuffle choices, ordering items and matching right items.

    With three or more items the answer order is never shown. With two, a rule like that would
    always show them reversed, which gives the answer away, so two items are shuffled fairly.
    """
    if isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        order = list(range(len(question.choices)))
        rng.shuffle(order)
        return Presentation(tuple(order))
    if isinstance(question, m.Ordering):
        n = len(question.items)
    elif isinstance(question, m.Matching):
        n = len(question.pairs)
    else:
        return Presentation()
    order = list(range(n))
    rng.shuffle(order)
    while n > 2 and order == sorted(order):
        rng.shuffle(order)
    return Presentation(tuple(order))


def seed_for(question_id: str, run: int) -> str:
    """A stable seed: the same question shows the same order within a run, another order next run."""
    return f"{question_id}:{run}"
