"""A disposable cache of already-checked lessons, so commands start without re-parsing YAML.

Two parts, both under `paths.cache_dir()`:
- `catalogue.msgpack`, the index: per lesson file only what lists need (`LessonInfo`) and where
  its ids are written. Every command that shows the catalogue decodes it, so it stays small
  (about 1.5 kB a lesson); entries of files that no longer exist are dropped when it is written.
- `lessons/<hash of the resolved path>.msgpack`, one full lesson per file, written the first time
  that lesson is opened and decoded only when it is opened again.

An entry is reused only when the file's resolved path, size and modification time, the neurotutor
version and the validator version all match; anything else (and any problem reading the cache)
means a full check. Invalid files are never cached, so their problems are reported every time.

A cache file is trusted only when no one else could have written it (`files.read_own`: a regular
file in a folder, neither a link, both owned by this user and writable by no one else): a cache
planted while the data folder was open to others would otherwise skip every lesson check. Any
other is ignored and written anew; nothing is written into a cache folder of someone else's or
through a link.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import msgspec

from neurotutor import __version__, files
from neurotutor.lessons.loader import LessonInfo, LoadedLesson, info_of
from neurotutor.lessons.model import Lesson

Position = tuple[int, int]


class IndexEntry(msgspec.Struct, frozen=True, array_like=True):
    """One checked lesson file: the stat values that prove it unchanged, what lists need, and
    where its ids are written (for problems across files), in the order of the info's ids."""

    path: str
    size: int
    mtime_ns: int
    info: LessonInfo
    id_at: Position
    questions_at: tuple[Position, ...]
    prerequisites_at: tuple[Position, ...]

    @property
    def positions(self) -> dict[str, Position]:
        """The positions as the loader keeps them (`id`, `question:<id>`, `prerequisite:<n>`)."""
        found = {"id": self.id_at}
        found.update((f"question:{q}", at) for q, at in zip(self.info.question_ids, self.questions_at))
        found.update((f"prerequisite:{i}", at) for i, at in enumerate(self.prerequisites_at))
        return found


class Index(msgspec.Struct, frozen=True):
    """The index: entries valid for one neurotutor version and one validator version."""

    version: str
    validator: int
    entries: list[IndexEntry]


class FullEntry(msgspec.Struct, frozen=True, array_like=True):
    """One full lesson, with the key that proves it belongs to the file as it is now."""

    version: str
    validator: int
    path: str
    size: int
    mtime_ns: int
    lesson: Lesson


def _file_key(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return str(path.resolve()), st.st_size, st.st_mtime_ns


class LessonCache:
    """Read the index once, look up by file, write back only if something changed."""

    def __init__(self, folder: Path, validator: int) -> None:
        self.folder = folder
        self.index_file = folder / "catalogue.msgpack"
        self.validator = validator
        self.entries: dict[str, IndexEntry] = {}
        self.dirty = False
        raw = files.read_own(self.index_file)
        try:
            data = msgspec.msgpack.decode(raw, type=Index) if raw is not None else None
            if data is not None and (data.version, data.validator) == (__version__, validator):
                self.entries = {e.path: e for e in data.entries}
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            self.entries = {}

    def get(self, path: Path) -> IndexEntry | None:
        """The index entry of an unchanged file, else None."""
        key = _file_key(path)
        entry = self.entries.get(key[0]) if key else None
        if entry is not None and key is not None and (entry.size, entry.mtime_ns) == key[1:]:
            return entry
        return None

    def lesson(self, path: Path) -> Lesson | None:
        """The full lesson of an unchanged file, else None."""
        key = _file_key(path)
        if key is None:
            return None
        raw = files.read_own(self._full_file(key[0]))
        if raw is None:
            return None
        try:
            entry = msgspec.msgpack.decode(raw, type=FullEntry)
        except (msgspec.DecodeError, msgspec.ValidationError, ValueError):
            return None
        if (entry.version, entry.validator, entry.path, entry.size, entry.mtime_ns) != (__version__, self.validator, *key):
            return None
        return entry.lesson

    def put(self, path: Path, loaded: LoadedLesson, full: bool = False) -> None:
        """Remember a lesson that has just been checked; with full, keep the whole lesson too
        (done when it is opened: listing or validating a thousand lessons writes one file)."""
        key = _file_key(path)
        if key is None:
            return
        info = info_of(loaded.lesson)
        where = loaded.positions
        self.entries[key[0]] = IndexEntry(
            key[0], key[1], key[2], info, where.get("id", (0, 0)),
            tuple(where.get(f"question:{q}", (0, 0)) for q in info.question_ids),
            tuple(where.get(f"prerequisite:{i}", (0, 0)) for i in range(len(info.prerequisites))),
        )
        self.dirty = True
        if full:
            entry = FullEntry(__version__, self.validator, key[0], key[1], key[2], loaded.lesson)
            self._write(self._full_file(key[0]), msgspec.msgpack.encode(entry))

    def drop(self, path: Path) -> None:
        """Forget a file (it changed and is no longer valid)."""
        resolved = str(path.resolve())
        if self.entries.pop(resolved, None) is not None:
            self.dirty = True
            with contextlib.suppress(OSError):
                self._full_file(resolved).unlink()

    def save(self) -> None:
        """Write the index if it changed, without the files that are gone; failures are ignored
        (it is only a cache)."""
        if not self.dirty:
            return
        for gone in [p for p in self.entries if not os.path.exists(p)]:
            del self.entries[gone]
            with contextlib.suppress(OSError):
                self._full_file(gone).unlink()
        self._write(self.index_file, msgspec.msgpack.encode(Index(__version__, self.validator, list(self.entries.values()))))
        self.dirty = False

    def _full_file(self, resolved: str) -> Path:
        import hashlib  # ~4 ms to import; listing lessons never needs it

        return self.folder / "lessons" / (hashlib.sha256(resolved.encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".msgpack")

    def _write(self, target: Path, data: bytes) -> None:
        try:
            if os.path.lexists(self.folder) and not files.own_folder(self.folder):
                return  # a link or someone else's folder: used for nothing, written into never
            files.ensure_private_dir(target.parent)
            if files.own_folder(self.folder) and files.own_folder(target.parent):
                files.atomic_write(target, data, durable=False)  # a cache need not survive a crash
        except OSError:
            pass
