"""Near misses in short answers: one typo in a longer word is accepted, with the spelling shown."""

from __future__ import annotations

from collections.abc import Sequence

from neurotutor.text import normalize_answer

MIN_LENGTH = 5  # shorter terms, and anything with a digit, must be typed exactly


def near_miss(typed: str, accepted: Sequence[str]) -> str | None:
    """The accepted answer `typed` is one typo (insert, delete, change, swap) away from, if any."""
    from rapidfuzz.distance import DamerauLevenshtein

    given = normalize_answer(typed)
    if not given or any(ch.isdigit() for ch in given):
        return None
    for answer in accepted:
        target = normalize_answer(answer)
        if given == target:
            return None
        if len(target) < MIN_LENGTH or any(ch.isdigit() for ch in target) or not any(ch.isalpha() for ch in target):
            continue
        if DamerauLevenshtein.distance(given, target, score_cutoff=1) <= 1:
            return answer
    return None
