"""Small text helpers shared by the grader, the loader and the output: comparing answers, and
keeping terminal control characters out of anything shown."""

from __future__ import annotations

import re
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


# Characters that can drive a terminal or disguise text: C0 controls other than tab and newline,
# DEL, C1 controls (a lone U+009B is a CSI to many terminals), and the bidirectional embeddings,
# overrides and isolates that reorder what is shown (U+202A-202E, U+2066-2069).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMES = {0x07: "BEL", 0x08: "backspace", 0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL", 0x9B: "CSI",
          0x9D: "OSC", 0x202E: "right-to-left override", 0x202D: "left-to-right override"}


def first_unsafe(text: str) -> int:
    """The index of the first character that could drive a terminal or reorder text, else -1."""
    found = _UNSAFE.search(text)
    return found.start() if found else -1


def describe_char(ch: str) -> str:
    """A character as an author can look it up: U+001B ESC."""
    code = ord(ch)
    name = _NAMES.get(code) or unicodedata.name(ch, "")
    return f"U+{code:04X}" + (f" {name}" if name else "")


def safe_text(text: str) -> str:
    """Text that cannot drive the terminal: each unsafe character is shown as an inert escape
    (ESC as the four characters \\x1b, U+202E as \\u202e); everything else is left as it is."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)
