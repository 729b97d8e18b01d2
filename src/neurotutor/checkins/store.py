"""The check-ins file: one header line, then one check-in a line, only ever appended.

The same discipline as the answer history (`neurotutor.progress.history`): appending is one
`O_APPEND` write and an fsync, under the profile's lock, into a file that is 0600 in a 0700 folder
(`neurotutor.files`); a save cut off by a crash can leave a torn last line, which the next save
moves aside (next to the file, named `checkins.jsonl.torn-TIMESTAMP`) before it appends. Reading
writes nothing and is tolerant: a line that cannot be read is reported with its number and
skipped. A file written by a newer neurotutor (a higher version in its header) is neither read
nor written: the learner is told to update.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

from neurotutor import files
from neurotutor.checkins.model import FORMAT, FORMAT_VERSION, CheckIn, Header, HeaderProbe
from neurotutor.errors import ProgressError

LOCK_TIMEOUT_SECONDS = 15.0
UNREADABLE = (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError, MemoryError)
HEADER = msgspec.json.encode(Header(format=FORMAT, version=FORMAT_VERSION)) + b"\n"


@functools.cache
def _decoder(kind: Any) -> Any:
    return msgspec.json.Decoder(kind)


@dataclass
class CheckinsRead:
    """What reading the file found: the check-ins in file order, and the lines it skipped."""

    checkins: list[CheckIn] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def encode(checkin: CheckIn) -> bytes:
    """A check-in as a line of the file."""
    return msgspec.json.encode(checkin) + b"\n"


def _newer(path: Path, version: int) -> ProgressError:
    return ProgressError(
        f"Your check-ins file {path} was written by a newer version of neurotutor (format version {version}; "
        f"this one knows version {FORMAT_VERSION}). Update neurotutor to use it. Nothing was changed.")


def _foreign(path: Path, what: str) -> ProgressError:
    return ProgressError(
        f"{path} is not a neurotutor check-ins file (its first line says {what!r}). Move it aside, then run the "
        "command again. Nothing was changed.")


def _check_header(line: bytes, path: Path) -> str | None:
    """Refuse a newer or foreign file (ProgressError); a problem in words when the first line is
    not a header at all (damaged), else None."""
    try:
        probe = _decoder(HeaderProbe).decode(line)
    except UNREADABLE:
        return f"{path}, line 1: not the header line this file opens with"
    if probe.format != FORMAT:
        raise _foreign(path, probe.format)
    if probe.version > FORMAT_VERSION:
        raise _newer(path, probe.version)
    try:
        _decoder(Header).decode(line)
    except UNREADABLE as exc:
        return f"{path}, line 1: the header line is not valid ({exc})"
    return None


def parse(raw: bytes, where: Path) -> CheckinsRead:
    """Parse the file's bytes; every bad line becomes a problem naming the file and line number."""
    result = CheckinsRead()
    end = raw.rfind(b"\n") + 1
    lines, rest = raw[:end].splitlines(), raw[end:]
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if number == 1:
            problem = _check_header(line, where)
            if problem is None:
                continue
            with contextlib.suppress(*UNREADABLE):  # no header, but a check-in: keep it
                result.checkins.append(_decoder(CheckIn).decode(line))
                continue
            result.problems.append(problem)
            continue
        try:
            result.checkins.append(_decoder(CheckIn).decode(line))
        except UNREADABLE as exc:
            why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
            result.problems.append(f"{where}, line {number}: skipped, not a valid check-in ({why})")
    if rest.strip():
        if not lines:  # only a torn first line: the header itself may be all there is
            with contextlib.suppress(ProgressError):
                _check_header(rest, where)
        result.problems.append(f"{where}, line {len(lines) + 1}: skipped, the line is incomplete (a save was cut off)")
    return result


def cannot_read(path: Path, exc: OSError) -> ProgressError:
    """The error for a check-ins file that cannot be read."""
    return ProgressError(f"Cannot read your check-ins {path}: {exc.strerror or exc}.")


def read(path: Path) -> CheckinsRead:
    """Every check-in in the file, in file order (none when there is no file yet). Nothing is written."""
    try:
        raw = files.read_regular(path)  # a named pipe or a device in its place is never read
    except FileNotFoundError:
        return CheckinsRead()
    except OSError as exc:
        raise cannot_read(path, exc) from None
    return parse(raw, path)


def _aside(path: Path, now: datetime) -> Path:
    """A new name beside the file for its torn last line: checkins.jsonl.torn-TIMESTAMP[-N]."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    aside, n = path.with_name(f"{path.name}.torn-{stamp}"), 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.torn-{stamp}-{n}")
    return aside


def repair_tail(path: Path, aside: Callable[[], Path]) -> str | None:
    """If the file does not end with a newline, move its torn last line to `aside()` and cut the
    file back to its last whole line; a notice, or None when nothing was torn. Call only under
    the lock, before appending. OSError when the fragment cannot be set aside (nothing changed)."""
    try:
        fd = files.open_regular(path)
    except FileNotFoundError:
        return None
    try:
        size = os.fstat(fd).st_size
        if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
            return None
        raw = os.pread(fd, size, 0)  # a check-ins file is small: a line a week is 5 KB a year
    finally:
        os.close(fd)
    start = raw.rfind(b"\n") + 1
    kept = aside()
    files.cut_tail(path, start, raw[start:], kept)
    return (f"The last line of your check-ins was cut off by an earlier crash. It was moved to {kept} "
            f"({len(raw) - start} bytes); every earlier check-in is kept.")


def _first_line(path: Path) -> bytes:
    fd = files.open_regular(path)
    with os.fdopen(fd, "rb") as fh:
        return fh.readline(65536)


def add(path: Path, lock_path: Path, checkin: CheckIn, now: datetime,
        timeout: float = LOCK_TIMEOUT_SECONDS) -> list[str]:
    """Append one check-in, under the lock, in one durable write (the header first when the file
    is new or empty); returns what the learner should be told (a torn line set aside). A failed
    write is taken back, so it leaves no torn line; ProgressError says what went wrong."""
    notices: list[str] = []
    try:
        files.ensure_private_dir(path.parent)
        with files.locked(lock_path, timeout):
            notice = repair_tail(path, lambda: _aside(path, now))
            if notice:
                notices.append(notice)
            try:
                before = os.lstat(path).st_size
            except FileNotFoundError:
                before = 0
            if before:
                _check_header(_first_line(path).rstrip(b"\n"), path)
            data = (b"" if before else HEADER) + encode(checkin)
            try:
                files.append_durably(path, data)
            except OSError:
                with contextlib.suppress(OSError):  # truncating frees space: it works on a full disk
                    if not os.path.islink(path) and os.lstat(path).st_size > before:
                        os.truncate(path, before)
                raise
    except files.LockTimeout:
        raise ProgressError(f"Another neurotutor kept your files busy for over {timeout:.0f} seconds (is one saving "
                            "in another window?). Your check-in was not saved; please do it again.") from None
    except OSError as exc:
        from neurotutor.progress.store import failed_write

        raise ProgressError(failed_write(f"Could not save your check-in in {path}", exc,
                                         "It was not saved; your earlier check-ins are unchanged.")) from None
    return notices
