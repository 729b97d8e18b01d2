"""The history file: every answer ever given, one JSON object a line, only ever appended.

Appending costs the same however long the history is: one `O_APPEND` write and an fsync. A save
cut off by a crash can leave a torn last line; `repair_tail` finds it by looking at the last byte,
moves the fragment aside and truncates the file back to its last whole line; only a save calls it.
Reading writes nothing and is tolerant: a line that cannot be read (malformed, cut off, nested
deeper than the decoder goes) is reported with its number and skipped, never fatal; a history that
is not a regular file (a named pipe, a device) is refused with one clear message, never read. An append
that fails part-way (a full disk) takes back what it wrote, so it leaves no torn line.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from neurotutor import files
from neurotutor.errors import ProgressError
from neurotutor.progress.model import Attempt, encode_attempt

# Whatever a line may make the decoder raise: malformed, wrong types, too deeply nested, too big.
UNREADABLE = (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError, MemoryError)


class _IdOnly(msgspec.Struct):
    id: str


@functools.cache
def _decoder(kind: Any) -> Any:
    """A msgspec decoder, built on first use (building one costs milliseconds at import)."""
    return msgspec.json.Decoder(kind)


@dataclass
class HistoryRead:
    """What reading the history found: the attempts in file order and the lines it skipped."""

    attempts: list[Attempt] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _lines(raw: bytes) -> tuple[list[bytes], bytes]:
    """Whole lines and the unterminated rest (empty when the file ends with a newline)."""
    end = raw.rfind(b"\n") + 1
    return raw[:end].splitlines(), raw[end:]


def parse(raw: bytes, where: Path) -> HistoryRead:
    """Parse history bytes; every bad line becomes a problem naming the file and line number."""
    result = HistoryRead()
    lines, rest = _lines(raw)
    try:
        result.attempts = _decoder(list[Attempt]).decode(b"[" + b",".join(line for line in lines if line.strip()) + b"]")
    except UNREADABLE:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                result.attempts.append(_decoder(Attempt).decode(line))
            except UNREADABLE as exc:
                why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
                result.problems.append(f"{where}, line {number}: skipped, not a valid answer record ({why})")
    if rest.strip():
        result.problems.append(
            f"{where}, line {len(lines) + 1}: skipped, the line is incomplete (a save was cut off)")
    return result


def cannot_read(path: Path, exc: OSError) -> ProgressError:
    """The error for a history file that cannot be read (every command says the same)."""
    return ProgressError(f"Cannot read your answer history {path}: {exc.strerror or exc}.")


def _read_bytes(path: Path) -> bytes:
    try:
        return files.read_regular(path)  # a named pipe or a device in its place is never read
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise cannot_read(path, exc) from None


def read(path: Path) -> HistoryRead:
    """Every attempt in the file (none when there is no file yet)."""
    return parse(_read_bytes(path), path)


@dataclass(frozen=True)
class Since:
    """What `read_since` found: the whole lines from `start` on, and the first and last `probe`
    bytes of the file up to their end (to fingerprint the part now read)."""

    start: int  # 0 when the part read before is not the same any more (the file was rewritten)
    lines: bytes  # whole lines only: a save may be appending right now
    head: bytes
    tail: bytes

    @property
    def size(self) -> int:
        """The bytes of the file now covered."""
        return self.start + len(self.lines)


def read_since(path: Path, size: int, same: Callable[[bytes, bytes], bool], probe: int = 4096) -> Since:
    """The history's lines after its first `size` bytes, when those bytes are unchanged (`same`
    is given their first and last `probe` bytes), else every line from the start. It only ever
    grows, so this is what a running total needs to stay up to date without reading it all. No
    history yet is an empty one; anything but a regular file is refused, and a history that
    cannot be read raises the same ProgressError as every other reader."""
    try:
        with os.fdopen(files.open_regular(path), "rb") as fh:  # a pipe or a device is refused, never read
            first = fh.read(probe)
            start = 0
            if 0 < size <= os.fstat(fh.fileno()).st_size:
                fh.seek(max(size - probe, 0))
                last = fh.read(size - max(size - probe, 0))
                if len(last) == size - max(size - probe, 0) and same(first[:size], last):
                    start = size
            fh.seek(start)
            rest = fh.read()
            end = start + rest.rfind(b"\n") + 1
            if end - start >= probe or end == 0:
                tail = rest[max(end - start - probe, 0):end - start]
            else:
                fh.seek(max(end - probe, 0))
                tail = fh.read(end - max(end - probe, 0))
    except FileNotFoundError:
        return Since(0, b"", b"", b"")
    except OSError as exc:
        raise cannot_read(path, exc) from None
    return Since(start, rest[:end - start], first[:end], tail)


def read_ids(path: Path) -> set[str]:
    """The ids of every attempt in the file (unreadable lines are passed over)."""
    lines, _ = _lines(_read_bytes(path))
    try:
        return {a.id for a in _decoder(list[_IdOnly]).decode(b"[" + b",".join(line for line in lines if line.strip()) + b"]")}
    except UNREADABLE:
        found = set()
        for line in lines:
            with contextlib.suppress(*UNREADABLE):
                found.add(msgspec.json.decode(line, type=_IdOnly).id)
        return found


def tail_ids(path: Path, size: int = 256 * 1024) -> set[str]:
    """The ids in the last `size` bytes of the file: enough to tell whether a few recent
    attempts were already appended, without reading a long history."""
    try:
        with os.fdopen(files.open_regular(path), "rb") as fh:
            fh.seek(0, os.SEEK_END)
            start = max(fh.tell() - size, 0)
            fh.seek(start)
            raw = fh.read()
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise cannot_read(path, exc) from None
    if start:
        raw = raw[raw.find(b"\n") + 1:]
    found = set()
    for line in raw.splitlines():
        with contextlib.suppress(*UNREADABLE):
            found.add(msgspec.json.decode(line, type=_IdOnly).id)
    return found


def repair_tail(path: Path, aside: Callable[[], Path]) -> str | None:
    """If the file does not end with a newline, move its torn last line to the file `aside()`
    names and cut the file back to its last whole line. Call only under the progress lock, and
    only before writing to the history (readers skip a torn line without writing). Returns a
    notice. (One read of the last byte when nothing is torn.) Raises OSError when the torn line
    cannot be set aside (a full disk, a read-only folder): the file is then left as it was."""
    try:
        fd = files.open_regular(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise cannot_read(path, exc) from None
    try:
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return None
        start = size
        while start > 0:  # look back for the last newline, a block at a time
            block_start = max(start - 65536, 0)
            block = os.pread(fd, start - block_start, block_start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                start = block_start + newline + 1
                break
            start = block_start
        fragment = os.pread(fd, size - start, start)
    except OSError as exc:  # a folder in its place, an I/O error: it cannot be read at all
        raise cannot_read(path, exc) from None
    finally:
        os.close(fd)
    kept = aside()
    files.cut_tail(path, start, fragment, kept)
    return (f"The last line of your answer history was cut off by an earlier crash. It was moved to "
            f"{kept} ({len(fragment)} bytes); every earlier answer is kept.")


def append(path: Path, attempts: Iterable[Attempt]) -> None:
    """Append attempts in one durable write (creates the file 0600). Call only under the progress
    lock: if the write fails part-way (a full disk), the file is cut back to where it ended, so a
    failed save leaves no torn line behind."""
    data = b"".join(encode_attempt(a) for a in attempts)
    if not data:
        return
    try:
        before = os.lstat(path).st_size
    except FileNotFoundError:
        before = 0
    try:
        files.append_durably(path, data)
    except OSError:
        with contextlib.suppress(OSError):  # truncating frees space: it works on a full disk
            if not os.path.islink(path) and os.lstat(path).st_size > before:
                os.truncate(path, before)
        raise


def drop_last(path: Path, attempt: Attempt) -> bool:
    """Cut the history back to before its last line when that line is exactly `attempt` (an
    answer the learner takes back at once: Anki's undo). Call only under the progress lock.
    False, and nothing changed, when the last line is another (another terminal saved since)."""
    line = encode_attempt(attempt)
    try:
        size = os.lstat(path).st_size
        if os.path.islink(path) or size < len(line):
            return False
        with open(path, "rb") as fh:
            fh.seek(size - len(line))
            if fh.read() != line:
                return False
        os.truncate(path, size - len(line))
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return False
    return True


def encode_all(attempts: Iterable[Attempt]) -> bytes:
    """Attempts as history-file bytes."""
    return b"".join(encode_attempt(a) for a in attempts)
