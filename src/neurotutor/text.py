"""Small text helpers shared by the grader and the loader."""

from __future__ import annotations

import unicodedata


def normalize_answer(text: str) -> str:
    """Fold case, drop punctuation and symbols, and collapse spaces, for comparing short answers.

    Dashes and slashes become spaces ('long-term' == 'long term'); other punctuation is dropped
    ("Hebb's" == 'hebbs').
    """
    out = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        cat = unicodedata.category(ch)
        if ch.isspace() or cat == "Pd" or ch in "/\\":
            out.append(" ")
        elif cat[0] in "PSC":
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


def answers_match(given: str, accepted: str) -> bool:
    """True when two short answers are the same once normalised (spaces optional)."""
    a, b = normalize_answer(given), normalize_answer(accepted)
    return bool(a) and (a == b or a.replace(" ", "") == b.replace(" ", ""))
