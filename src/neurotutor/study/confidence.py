"""Confidence ratings: certainty-based marks and calibration.

After an answer the learner may say how sure they were: 1 "a guess", 2 "fairly sure", 3 "sure".
Certainty-based marking follows Gardner-Medwin's LAPT scheme: a right answer scores 1, 2 or 3 and
a wrong one 0, -2 or -6, so a "sure" is worth giving only when the chance of being right is above
80%, and "a guess" is the best choice below 67%. Calibration compares, for each level, how often
the learner was right with the range that level implies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

LEVELS = {1: "a guess", 2: "fairly sure", 3: "sure"}
MARK_RIGHT = {1: 1, 2: 2, 3: 3}
MARK_WRONG = {1: 0, 2: -2, 3: -6}
# The share right for which each level is the best bet under these marks (LAPT): low, high.
RANGES = {1: (0.0, 2 / 3), 2: (2 / 3, 0.8), 3: (0.8, 1.0)}
RANGE_WORDS = {1: "below 67%", 2: "67-80%", 3: "above 80%"}
ENOUGH = 10  # answers at one level before saying anything about calibration there


def mark(correct: bool, confidence: int) -> int:
    """The certainty-based mark of one answer."""
    return MARK_RIGHT[confidence] if correct else MARK_WRONG[confidence]


@dataclass(frozen=True)
class Level:
    """How answers given at one confidence level went."""

    level: int
    answers: int
    right: int

    @property
    def share(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def verdict(self) -> str | None:
        """"over" (right less often than the level implies), "under", "ok", or None (too few answers)."""
        share = self.share
        if share is None or self.answers < ENOUGH:
            return None
        low, high = RANGES[self.level]
        if self.level == 3 and share < low:
            return "over"
        if self.level == 2 and share < low:
            return "over"
        if self.level == 2 and share > high:
            return "under"
        if self.level == 1 and share >= high:
            return "under"
        return "ok"


@dataclass(frozen=True)
class Calibration:
    """Calibration over a set of rated answers."""

    levels: tuple[Level, Level, Level]
    marks: int  # certainty-based marks in total
    rated: int  # answers with a confidence rating

    @property
    def max_marks(self) -> int:
        return 3 * self.rated

    @property
    def verdict(self) -> str | None:
        """"overconfident", "underconfident", "well calibrated", or None (too few answers)."""
        verdicts = [lv.verdict for lv in self.levels if lv.verdict is not None]
        if not verdicts:
            return None
        if "over" in verdicts and "under" not in verdicts:
            return "overconfident"
        if "under" in verdicts and "over" not in verdicts:
            return "underconfident"
        if "over" in verdicts:
            return "mixed"
        return "well calibrated"


def calibrate(answers: Iterable[tuple[bool, int | None]]) -> Calibration:
    """From (correct, confidence) pairs; unrated answers are left out."""
    counts = {1: [0, 0], 2: [0, 0], 3: [0, 0]}
    marks = 0
    for correct, confidence in answers:
        if confidence not in counts:
            continue
        counts[confidence][0] += 1
        counts[confidence][1] += bool(correct)
        marks += mark(correct, confidence)
    def level(k: int) -> Level:
        return Level(k, counts[k][0], counts[k][1])

    levels = (level(1), level(2), level(3))
    return Calibration(levels=levels, marks=marks, rated=sum(v[0] for v in counts.values()))


def calibrate_counts(counts: Mapping[tuple[int, bool], int]) -> Calibration:
    """`calibrate` from counts of (confidence, correct) instead of one pair per answer."""
    def level(k: int) -> Level:
        return Level(k, counts.get((k, True), 0) + counts.get((k, False), 0), counts.get((k, True), 0))

    levels = (level(1), level(2), level(3))  # LEVELS
    marks = sum(n * mark(correct, k) for (k, correct), n in counts.items())
    return Calibration(levels=levels, marks=marks, rated=sum(counts.values()))
