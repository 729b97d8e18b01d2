"""Reads and writes one profile's progress file so that nothing is ever lost or half-written.

- Writes are atomic: temp file in the same folder, fsync, os.replace, fsync of the folder.
- Before each write the current good file is copied to `progress.json.bak` (last known good).
- Every read-modify-write runs under a file lock and re-reads the file inside it, so two
  terminals answering at once both keep their answers.
- A damaged file is moved aside with a timestamp, never silently replaced; the .bak is restored
  when it is valid, and `notices` tells the learner both paths.
- A file from a newer schema version is refused and left untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import msgspec

from neurotutor import paths
from neurotutor.errors import ProgressError
from neurotutor.progress.migrations import migrate
from neurotutor.progress.model import SCHEMA_VERSION, Progress, encode

LOCK_TIMEOUT_SECONDS = 15.0


class _Head(msgspec.Struct):
    schema_version: int


class Damaged(Exception):
    """The bytes on disk are not a valid progress file (internal to this module)."""


def parse(raw: bytes, where: Path) -> Progress:
    """Decode progress bytes, migrating older versions; raise Damaged or ProgressError."""
    try:
        head = msgspec.json.decode(raw, type=_Head)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        reason = "it is empty" if not raw.strip() else f"it is not a valid progress file ({exc})"
        raise Damaged(reason) from None
    if head.schema_version > SCHEMA_VERSION:
        raise ProgressError(
            f"Your progress file {where} was written by a newer neurotutor (progress format "
            f"{head.schema_version}); this version reads format {SCHEMA_VERSION}. Please upgrade "
            "neurotutor. The file has not been changed."
        )
    try:
        if head.schema_version < SCHEMA_VERSION:
            data = migrate(msgspec.json.decode(raw), SCHEMA_VERSION)
            return msgspec.convert(data, Progress)
        return msgspec.json.decode(raw, type=Progress)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        raise Damaged(f"it is not a valid progress file ({exc})") from None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace path with data in one step, durable across a crash (mode 0600)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


class ProgressStore:
    """One profile's progress file, its backup and its lock."""

    def __init__(self, path: Path, now: Callable[[], datetime] | None = None) -> None:
        self.path = path
        self.backup = paths.backup_file(path)
        self.lock_path = paths.lock_file(path)
        self._now = now or (lambda: datetime.now(timezone.utc))
        self.notices: list[str] = []  # what the learner must be told (recoveries)

    def load(self) -> Progress:
        """Read the progress (an empty one if there is no file yet), recovering a damaged file."""
        try:
            return self._read()
        except Damaged:
            with self._lock():
                return self._read_or_recover()

    def update(self, change: Callable[[Progress], Progress]) -> Progress:
        """Apply change to the freshly read progress under the lock and save the result."""
        with self._lock():
            current = self._read_or_recover()
            new = change(current)
            if new != current:
                self._write(new, keep_backup=self.path.exists())
            return new

    def update_keeping_copy(self, change: Callable[[Progress], Progress], label: str) -> Path | None:
        """Like update, but first keep a timestamped copy of the file it changes (for resets)."""
        with self._lock():
            current = self._read_or_recover()
            new = change(current)
            if new == current or not self.path.exists():
                return None
            kept = self.path.with_name(f"{self.path.name}.{label}-{_stamp(self._now())}")
            try:
                atomic_write(kept, self.path.read_bytes())
            except OSError as exc:
                raise ProgressError(f"Could not keep a copy of your progress at {kept}: {exc.strerror or exc}. Nothing was changed.") from None
            self._write(new, keep_backup=True)
            return kept

    # -- internals -------------------------------------------------------------------------

    def _read(self) -> Progress:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Progress()
        except OSError as exc:
            raise ProgressError(f"Cannot read your progress file {self.path}: {exc.strerror or exc}.") from None
        return parse(raw, self.path)

    def _read_or_recover(self) -> Progress:
        try:
            return self._read()
        except Damaged as damage:
            return self._recover(str(damage))

    def _recover(self, reason: str) -> Progress:
        aside = self.path.with_name(f"{self.path.name}.damaged-{_stamp(self._now())}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.damaged-{_stamp(self._now())}-{n}")
        os.replace(self.path, aside)
        _fsync_dir(self.path.parent)
        try:
            good = parse(self.backup.read_bytes(), self.backup)
        except (OSError, Damaged):
            good = None
        if good is not None:
            atomic_write(self.path, encode(good))
            self.notices.append(
                f"Your progress file was damaged ({reason}). It was moved to {aside}, and your last "
                f"good copy was restored from {self.backup}. Your most recent answer may be missing."
            )
            return good
        self.notices.append(
            f"Your progress file was damaged ({reason}) and there was no good backup. It was moved "
            f"to {aside}; starting with empty progress. Nothing was deleted."
        )
        return Progress()

    def _write(self, progress: Progress, keep_backup: bool) -> None:
        try:
            self._ensure_folder()
            if keep_backup:
                atomic_write(self.backup, self.path.read_bytes())
            atomic_write(self.path, encode(progress))
        except OSError as exc:
            raise ProgressError(
                f"Could not save your progress to {self.path}: {exc.strerror or exc}. "
                "What was saved before is unchanged."
            ) from None

    def _ensure_folder(self) -> None:
        folder = self.path.parent
        if not folder.is_dir():
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        from filelock import FileLock, Timeout  # only commands that write need it

        try:
            self._ensure_folder()
        except OSError as exc:
            raise ProgressError(
                f"Cannot create the folder for your progress, {self.path.parent}: {exc.strerror or exc}."
            ) from None
        lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT_SECONDS)
        try:
            lock.acquire()
        except Timeout:
            raise ProgressError(
                f"Another neurotutor has been saving {self.path} for over {LOCK_TIMEOUT_SECONDS:.0f} "
                "seconds. Try again in a moment."
            ) from None
        try:
            yield
        finally:
            lock.release()
