"""Small text helpers shared by the grader, the loader and the output: comparing answers, and
keeping terminal control characters out of anything shown."""

from __future__ import annotations

import re
import unicodedata

_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b")  # Hebb's, Hebb’s


def normalize_answer(text: str) -> str:
    """Fold case, drop punctuation and symbols, and collapse spaces, for comparing short answers.

    Dashes and slashes become spaces ('long-term' == 'long term'); a possessive 's is dropped
    ("Hebb's" == 'hebb', "Ebbinghaus's" == 'ebbinghaus'); other punctuation is dropped
    ("Ebbinghaus'" == 'ebbinghaus', 'D.O. Hebb' == 'do hebb').
    """
    out = []
    for ch in _POSSESSIVE.sub("", unicodedata.normalize("NFKC", text).casefold()):
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


# What the output escapes: everything above, and lone surrogates, which is how Python holds the
# bytes of a file name that are not UTF-8 (a raw 0x9B byte is a CSI to an 8-bit terminal).
# Left alone on purpose: the marks U+200E, U+200F and U+061C. Each is one invisible character
# of a fixed direction, like any Hebrew or Latin letter; it cannot start an embedding or an
# override that reorders the text after it, and right-to-left text legitimately needs them.
_SHOWN_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Inside a JSON document: raw C1, DEL, bidi controls and surrogates (msgspec escapes C0 itself,
# but a document built by hand may not). Tab, newline and carriage return are left alone: outside
# strings they are JSON whitespace, and inside a string a raw one is not valid JSON anyway.
_JSON_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _inert(found: re.Match[str]) -> str:
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8: show the byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """Text that cannot drive the terminal: each unsafe character is shown as an inert escape.

    ESC becomes the four characters \\x1b, U+202E the six characters \\u202e, so the learner sees
    that something is there and the terminal does nothing. A Windows line end (CR LF) becomes a
    newline; a lone CR, which would let text overwrite the start of its line, is shown as \\x0d.
    Everything else (any letter, emoji, arrow, tab or newline) is left exactly as it is.
    """
    if not _SHOWN_UNSAFE.search(text):
        return text
    return _SHOWN_UNSAFE.sub(_inert, text.replace("\r\n", "\n"))


def safe_json(document: str) -> str:
    """A JSON document with raw C1, DEL, bidi and surrogate characters written as \\uXXXX escapes.

    Such characters can only stand inside JSON strings, where the escape means the same character:
    the result is valid JSON with the same content, and printing it cannot drive a terminal.
    """
    if not _JSON_UNSAFE.search(document):
        return document
    return _JSON_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", document)


EXCERPT_CHARS = 60


def excerpt(value: str, limit: int = EXCERPT_CHARS) -> str:
    """A value from a file, quoted for a problem message: at most `limit` characters of it, cut
    with … when longer, every unsafe character escaped (a problem never echoes a whole file)."""
    cut = len(value) > limit
    return safe_text(repr(value[:limit] if cut else value)) + ("…" if cut else "")


# Invisible format characters (Unicode Cf) that text in some scripts needs: the joiners of Persian,
# Indic scripts and emoji, and the direction marks (see _SHOWN_UNSAFE). Every other Cf character
# (a zero-width space, a word joiner, a byte order mark, a soft hyphen...) only hides a difference.
NEEDED_FORMAT = frozenset("\u200c\u200d\u200e\u200f\u061c")


def first_hiding(text: str) -> str | None:
    """The first invisible format character in text that no script needs, else None."""
    if text.isascii():
        return None
    import unicodedata

    return next((ch for ch in text if unicodedata.category(ch) == "Cf" and ch not in NEEDED_FORMAT), None)
