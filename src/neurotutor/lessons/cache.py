"""A disposable cache of already-validated lessons, so commands start without re-parsing YAML.

An entry is reused only when the file's path, size and modification time and the neurotutor
version all match; anything else (and any problem reading the cache) means a full check.
Invalid files are never cached, so their problems are reported every time.
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from neurotutor import __version__
from neurotutor.lessons.model import Lesson


class Entry(msgspec.Struct, frozen=True, array_like=True):
    """One validated lesson file, with the stat values that prove it unchanged."""

    path: str
    size: int
    mtime_ns: int
    lesson: Lesson
    positions: dict[str, tuple[int, int]]


class CacheFile(msgspec.Struct, frozen=True):
    """The cache: entries valid for one neurotutor version."""

    version: str
    entries: list[Entry]


def _file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return str(path.resolve()), st.st_size, st.st_mtime_ns


class LessonCache:
    """Read once, look up by file, write back only if something changed."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        try:
            data = msgspec.msgpack.decode(file.read_bytes(), type=CacheFile)
            if data.version == __version__:
                self.entries = {e.path: e for e in data.entries}
        except (OSError, msgspec.DecodeError, msgspec.ValidationError, ValueError):
            self.entries = {}

    def get(self, path: Path) -> Entry | None:
        """The cached entry for an unchanged file, else None."""
        key = _file_key(path)
        entry = self.entries.get(key[0]) if key else None
        if entry is not None and key is not None and (entry.size, entry.mtime_ns) == key[1:]:
            return entry
        return None

    def put(self, path: Path, lesson: Lesson, positions: dict[str, tuple[int, int]]) -> None:
        """Remember a lesson that has just been validated."""
        key = _file_key(path)
        if key is not None:
            self.entries[key[0]] = Entry(key[0], key[1], key[2], lesson, positions)
            self.dirty = True

    def save(self) -> None:
        """Write the cache if it changed; failures are ignored (it is only a cache)."""
        if not self.dirty:
            return
        tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            tmp.write_bytes(msgspec.msgpack.encode(CacheFile(__version__, list(self.entries.values()))))
            os.replace(tmp, self.file)
        except OSError:
            try:
                tmp.unlink()
            except OSError:
                pass
