"""Line and column of values in a JSON document, for messages that say where a problem is.

msgspec reports a malformed document by byte offset and a value of the wrong type by path
(`$.history[3].correct`); these helpers turn both into `line:column` (counted from 1, columns in
characters). They scan the text in Python, so they run only after something was found wrong.
"""

from __future__ import annotations

import re
from typing import Any

Path = tuple[Any, ...]

_TOKEN = re.compile(rb'\s*(?:("(?:[^"\\]|\\.)*")|([{}\[\]:,])|([^\s{}\[\]:,"]+))', re.S)
_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[\.\.\.\]")
_BYTE = re.compile(r"\(byte (\d+)\)")


def line_column(raw: bytes, offset: int) -> tuple[int, int]:
    """Line and column (from 1, in characters) of a byte offset."""
    offset = max(0, min(offset, len(raw)))
    start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[start:offset].decode("utf-8", "replace")) + 1


def decode_error_position(raw: bytes, message: str) -> tuple[int, int]:
    """Where msgspec says a malformed document goes wrong (the end, when it was cut short)."""
    found = _BYTE.search(message)
    return line_column(raw, int(found.group(1)) if found else len(raw))


def parse_error_path(message: str) -> Path:
    """The value path in a msgspec ValidationError message: `... - at $.a[2].b` -> ('a', 2, 'b').

    A mapping key shown as `[...]` ends the path there (its parent is the nearest place known).
    """
    at = message.rfind("- at `$")
    if at < 0:
        return ()
    text = message[at + len("- at `$"):].rstrip("`")
    parts: list[Any] = []
    for found in _PATH_PART.finditer(text):
        if found.group(1) is not None:
            parts.append(found.group(1))
        elif found.group(2) is not None:
            parts.append(int(found.group(2)))
        else:
            break
    return tuple(parts)


def error_text(message: str) -> str:
    """A msgspec ValidationError message without its `- at $...` tail."""
    at = message.rfind(" - at `$")
    return message[:at] if at >= 0 else message


def locate(raw: bytes, targets: set[Path]) -> dict[Path, tuple[int, int]]:
    """The line and column where each target value starts, in a well-formed JSON document.

    A target that is not in the document is placed at its nearest ancestor that is.
    """
    wanted = set(targets)
    for target in targets:
        wanted.update(target[:i] for i in range(len(target)))
    import json  # only for the rare document that has something wrong with it

    found: dict[Path, int] = {}
    stack: list[list[Any]] = []  # [is_object, path, key or index, expecting_key]

    def value_at(pos: int) -> Path:
        if not stack:
            path: Path = ()
        else:
            top = stack[-1]
            path = top[1] + (top[2],)
        if path in wanted and path not in found:
            found[path] = pos
        return path

    for token in _TOKEN.finditer(raw):
        string, punct = token.group(1), token.group(2)
        top = stack[-1] if stack else None
        if punct in (b"{", b"["):
            path = value_at(token.start(2))
            stack.append([punct == b"{", path, 0, punct == b"{"])
        elif punct in (b"}", b"]"):
            if stack:
                stack.pop()
        elif punct == b",":
            if top is not None:
                if top[0]:
                    top[3] = True
                else:
                    top[2] += 1
        elif punct == b":":
            pass
        elif string is not None and top is not None and top[0] and top[3]:
            try:
                top[2] = json.loads(string)
            except ValueError:
                top[2] = None
            top[3] = False
        else:
            value_at(token.start(1) if string is not None else token.start(3))
        if len(found) == len(wanted):
            break
    positions = {}
    for target in targets:
        probe = target
        while probe not in found and probe:
            probe = probe[:-1]
        positions[target] = line_column(raw, found.get(probe, 0))
    return positions


MAX_DEPTH = 64  # deeper than any neurotutor file goes; the decoder itself gives up near 1,000


def too_deep(raw: bytes, depth: int = MAX_DEPTH) -> tuple[int, int]:
    """Line and column of the bracket that opens the first value nested more than `depth` deep
    (the end of the document if none does)."""
    level = 0
    for token in _TOKEN.finditer(raw):
        punct = token.group(2)
        if punct in (b"{", b"["):
            level += 1
            if level > depth:
                return line_column(raw, token.start(2))
        elif punct in (b"}", b"]"):
            level -= 1
    return line_column(raw, len(raw))


def format_path(path: Path) -> str:
    """A value path as people read it: history[4].correct (counting from 1, like lesson files)."""
    out = ""
    for part in path:
        name = str(part) if len(str(part)) <= 60 else str(part)[:60] + "…"  # a key from a file may be anything
        out += f"[{part + 1}]" if isinstance(part, int) else ("." if out else "") + name
    return out
