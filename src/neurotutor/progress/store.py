"""Reads and writes one profile's progress so that nothing is ever lost or half-written.

Two files, one lock:
- `progress.json`, the current state (small), replaced atomically on every save. The previous
  version is kept as `progress.json.bak` by a hard link, so keeping it costs no copying.
- `history.jsonl`, every answer, one line each, only ever appended (see `history`).
- `progress.json.lock`: every read-modify-write holds it and re-reads the state inside it, so two
  terminals answering at once both keep their answers. Waiting queues; a save that still cannot
  get the lock in time keeps its answers in a `progress.json.pending-*` file, says so, and the
  next save folds them in.

A save appends the new answers first and then replaces the state, so a crash in between leaves
the answer in the history (the question may simply be asked again). A damaged state file is moved
aside with a timestamp, never silently replaced, and the `.bak` restored when it is valid. A file
of an older format is upgraded under the lock, the old file kept; a newer one is refused and left
untouched. Under the lock, every save also removes temp files a killed writer left behind.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import msgspec

from neurotutor import files, paths
from neurotutor.errors import ProgressError
from neurotutor.progress import history
from neurotutor.progress.model import SCHEMA_VERSION, Attempt, Progress, apply_attempt, encode

LOCK_TIMEOUT_SECONDS = 15.0


class _Head(msgspec.Struct):
    schema_version: int


_state_decoder = msgspec.json.Decoder(Progress)


class Damaged(Exception):
    """The bytes on disk are not a valid progress file (internal to this module)."""


@dataclass(frozen=True)
class Parsed:
    """A progress file read into the current format, with the attempts an upgrade moved out."""

    progress: Progress
    moved: tuple[Attempt, ...] = ()
    from_version: int = SCHEMA_VERSION


def parse(raw: bytes, where: Path) -> Parsed:
    """Decode progress bytes of any known format; raise Damaged or ProgressError (newer format)."""
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
        if head.schema_version == SCHEMA_VERSION:
            return Parsed(_state_decoder.decode(raw))
        from neurotutor.progress.migrations import migrate  # only an old file needs it

        state, moved = migrate(msgspec.json.decode(raw), SCHEMA_VERSION)
        return Parsed(msgspec.convert(state, Progress),
                      tuple(msgspec.convert(moved, list[Attempt])), head.schema_version)
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError, TypeError) as exc:
        raise Damaged(f"it is not a valid progress file ({exc})") from None


def _stamp(now: datetime) -> str:
    return now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _keep_copy(source: Path, target: Path) -> None:
    """Keep source's current content at target: a hard link where possible, else a copy."""
    tmp = target.with_name(f"{files.temp_prefix(target)}{os.getpid()}{files.TEMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(source, tmp)
    except OSError:  # no hard links here (some network or FAT file systems): copy instead
        files.atomic_write(target, source.read_bytes(), durable=False)
        return
    os.replace(tmp, target)
    # rename() between two links to one file does nothing (a writer killed after linking the
    # backup leaves it so): the temp link must then go by hand.
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()


class ProgressStore:
    """One profile's state file, history file, backup and lock."""

    def __init__(self, path: Path, now: Callable[[], datetime] | None = None,
                 lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.backup = paths.backup_file(path)
        self.lock_path = paths.lock_file(path)
        self.history_path = paths.history_file(path)
        self.lock_timeout = lock_timeout
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._last: Progress | None = None  # the state as last read or written here
        self._appended = False  # whether the current save has written its attempts yet
        self.notices: list[str] = []  # what the learner must be told (recoveries, upgrades, delays)

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> Progress:
        """Read the state (an empty one if there is no file yet); history is not read.

        A damaged file is recovered and an older format upgraded, both under the lock.
        """
        try:
            parsed = self._read()
        except Damaged:
            parsed = None
        if parsed is None or parsed.from_version != SCHEMA_VERSION:
            with self._lock():
                self._last = self._read_current()
                return self._last
        self._last = parsed.progress
        return self._last

    def read_history(self) -> list[Attempt]:
        """Every recorded answer in file order; a torn last line is set aside (under the lock)
        and unreadable lines are skipped, each reported in `notices`."""
        with self._lock():
            self._read_current()
            self._repair_history()
            found = history.read(self.history_path)
        self.notices.extend(found.problems)
        return found.attempts

    # -- writing ---------------------------------------------------------------------------

    def update(self, change: Callable[[Progress], Progress], attempts: tuple[Attempt, ...] = (),
               keep_if_busy: bool = True) -> Progress:
        """Save: append attempts to the history and apply change to the freshly read state.

        If the lock stays busy past the timeout, the attempts are kept in a pending file that the
        next save adds (a notice says so) and the change is applied to the state last seen here,
        so the learner can go on; with keep_if_busy=False a ProgressError is raised instead.
        """
        self._appended = False
        try:
            with self._lock():
                current = self._read_current()
                names = self._listing()
                base, kept_aside, folded = self._fold_pending(current, names)
                new = change(base)
                self._save(current, new, kept_aside + attempts, folded, names)
                self._last = new
                return new
        except KeyboardInterrupt:
            # Ctrl-C is not held off while waiting for the lock: keep the answer aside, then stop.
            if attempts and not self._appended:
                self._keep_pending(attempts)
            raise
        except _Busy:
            if not keep_if_busy:
                raise ProgressError(self._busy_message() + " Nothing was changed.") from None
            kept = self._keep_pending(attempts)
            base = self._last if self._last is not None else self._read_or_empty()
            self._last = change(base)
            where = f" Your answer is kept in {kept} and will be added at the next save." if kept else ""
            self.notices.append(self._busy_message() + where)
            return self._last

    def update_keeping_copy(self, change: Callable[[Progress], Progress], label: str,
                            forget: Callable[[Attempt], bool] | None = None) -> Path | None:
        """Like update, but first keep a timestamped copy of the state it changes (for resets).

        With `forget`, the attempts it selects are removed from the history too, after a copy of
        the history is kept beside it. Returns the copy of the state (of the history when there
        was no state file), or None if nothing changed.
        """
        with self._lock():
            current = self._read_current()
            new = change(current)
            drop = forget is not None and self._history_has(forget)
            if (new == current and not drop) or not (self.path.exists() or drop):
                return None
            kept = self._aside(self.path, label)
            try:
                if self.path.exists():
                    _keep_copy(self.path, kept)
                if drop and forget is not None:
                    self._repair_history()
                    found = history.read(self.history_path)
                    kept_history = self._aside(self.history_path, label)
                    _keep_copy(self.history_path, kept_history)
                    files.atomic_write(self.history_path, history.encode_all(a for a in found.attempts if not forget(a)))
                    if not kept.exists():
                        kept = kept_history
            except OSError as exc:
                raise ProgressError(f"Could not keep a copy of your progress at {kept}: {exc.strerror or exc}. "
                                    "Nothing was changed.") from None
            self._save(current, new, ())
            self._last = new
            return kept

    def merge_in(self, change: Callable[[Progress], Progress], attempts: list[Attempt]) -> tuple[int, int]:
        """Add the attempts not in the history yet and apply change to the state (for imports).

        Returns (added, already there). Refuses to wait for a busy lock: nothing is written.
        """
        try:
            with self._lock():
                current = self._read_current()
                names = self._listing()
                base, kept_aside, folded = self._fold_pending(current, names)
                self._repair_history()
                known = history.read_ids(self.history_path) | {a.id for a in kept_aside}
                fresh: list[Attempt] = []
                for attempt in attempts:
                    if attempt.id not in known:
                        known.add(attempt.id)
                        fresh.append(attempt)
                fresh.sort(key=lambda a: a.at)
                new = change(base)
                self._save(current, new, kept_aside + tuple(fresh), folded, names)
                self._last = new
                return len(fresh), len(attempts) - len(fresh)
        except _Busy:
            raise ProgressError(self._busy_message() + " Nothing was imported; try again.") from None

    # -- internals -------------------------------------------------------------------------

    def _read(self) -> Parsed:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return Parsed(Progress())
        except OSError as exc:
            raise ProgressError(f"Cannot read your progress file {self.path}: {exc.strerror or exc}.") from None
        return parse(raw, self.path)

    def _read_or_empty(self) -> Progress:
        try:
            return self._read().progress
        except Damaged:
            return Progress()

    def _read_current(self) -> Progress:
        """Under the lock: the state in the current format, recovering or upgrading as needed."""
        try:
            parsed = self._read()
        except Damaged as damage:
            return self._recover(str(damage))
        if parsed.from_version != SCHEMA_VERSION:
            return self._upgrade(parsed)
        return parsed.progress

    def _upgrade(self, parsed: Parsed) -> Progress:
        old = self._aside(self.path, f"v{parsed.from_version}")
        try:
            _keep_copy(self.path, old)
            self._repair_history()
            known = history.read_ids(self.history_path) if parsed.moved else set()
            history.append(self.history_path, [a for a in parsed.moved if a.id not in known])
            files.atomic_write(self.path, encode(parsed.progress))
        except OSError as exc:
            raise ProgressError(f"Could not upgrade your progress file {self.path}: {exc.strerror or exc}. "
                                "It has not been changed.") from None
        self.notices.append(
            f"Your progress file was upgraded to format {SCHEMA_VERSION}: your answers now live in "
            f"{self.history_path}. The old file is kept as {old}.")
        return parsed.progress

    def _recover(self, reason: str) -> Progress:
        aside = self._aside(self.path, "damaged")
        os.replace(self.path, aside)
        files.fsync_dir(self.path.parent)
        try:
            good = parse(self.backup.read_bytes(), self.backup).progress
        except (OSError, Damaged, ProgressError):
            good = None
        if good is not None:
            files.atomic_write(self.path, encode(good))
            self.notices.append(
                f"Your progress file was damaged ({reason}). It was moved to {aside}, and your last "
                f"good copy was restored from {self.backup}. Your answers are all kept in {self.history_path}."
            )
            return good
        self.notices.append(
            f"Your progress file was damaged ({reason}) and there was no good backup. It was moved "
            f"to {aside}; starting with empty progress (your answers are still in {self.history_path}). "
            "Nothing was deleted."
        )
        return Progress()

    def _save(self, current: Progress, new: Progress, attempts: tuple[Attempt, ...],
              folded: list[Path] | None = None, names: list[str] | None = None) -> None:
        """Under the lock: tidy up, append the attempts, replace the state, drop folded pending files."""
        try:
            files.remove_leftover_temps(self.path, names)  # the backup's temp names share this prefix
            if attempts:
                self._repair_history()
                history.append(self.history_path, attempts)
                self._appended = True
            if new != current or not self.path.exists():
                if self.path.exists():
                    _keep_copy(self.path, self.backup)
                files.atomic_write(self.path, encode(new))
            for done in folded or ():
                with contextlib.suppress(OSError):
                    done.unlink()
        except OSError as exc:
            raise ProgressError(
                f"Could not save your progress to {self.path}: {exc.strerror or exc}. "
                "What was saved before is unchanged."
            ) from None

    def _aside(self, path: Path, label: str) -> Path:
        """A new name beside path for a file kept aside: path.LABEL-TIMESTAMP[-N]."""
        stamp = _stamp(self._now())
        aside = path.with_name(f"{path.name}.{label}-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
        return aside

    def _repair_history(self) -> None:
        notice = history.repair_tail(self.history_path, lambda: self._aside(self.history_path, "torn"))
        if notice:
            self.notices.append(notice)

    def _history_has(self, wanted: Callable[[Attempt], bool]) -> bool:
        return any(wanted(a) for a in history.read(self.history_path).attempts)

    def _listing(self) -> list[str] | None:
        """The names in the profile folder, read once per save (None if it cannot be listed)."""
        try:
            return os.listdir(self.path.parent)
        except OSError:
            return None

    def _fold_pending(self, progress: Progress, names: list[str] | None) -> tuple[Progress, tuple[Attempt, ...], list[Path]]:
        """Apply answers kept aside while the lock was busy (minus any already in the history).

        Returns the state with them applied, the attempts to append and the files they came from.
        """
        prefix = paths.pending_prefix(self.path)
        pending = sorted(self.path.parent / n for n in names or () if n.startswith(prefix) and n.endswith(".jsonl"))
        if not pending:
            return progress, (), []
        already = history.tail_ids(self.history_path)
        fresh: list[Attempt] = []
        folded: list[Path] = []
        for file in pending:
            found = history.read(file)
            if found.problems:  # keep the file for a person to look at, once; add what can be read
                aside = self._aside(file, "damaged")
                os.replace(file, aside)
                self.notices.extend(found.problems)
                self.notices.append(f"That file is kept as {aside}; the answers that could be read were added.")
            else:
                folded.append(file)
            for attempt in found.attempts:
                if attempt.id not in already:
                    already.add(attempt.id)
                    fresh.append(attempt)
        if fresh:
            self.notices.append(f"Added {len(fresh)} answer{'s' if len(fresh) != 1 else ''} that an earlier "
                                "save had to keep aside while your progress file was busy.")
        for attempt in fresh:
            progress = apply_attempt(progress, attempt)
        return progress, tuple(fresh), folded

    def _keep_pending(self, attempts: tuple[Attempt, ...]) -> Path | None:
        if not attempts:
            return None
        name = f"{paths.pending_prefix(self.path)}{_stamp(self._now())}-{os.getpid()}-{attempts[0].id}.jsonl"
        target = self.path.with_name(name)
        try:
            files.atomic_write(target, history.encode_all(attempts))
        except OSError as exc:
            raise ProgressError(f"{self._busy_message()} Keeping your answer aside failed too "
                                f"({exc.strerror or exc}); it could not be saved.") from None
        return target

    def _busy_message(self) -> str:
        return (f"Another neurotutor kept {self.path} busy for over {self.lock_timeout:.0f} seconds "
                f"(is one waiting in another window?).")

    def _ensure_folder(self) -> None:
        try:
            files.ensure_private_dir(self.path.parent)
        except OSError as exc:
            raise ProgressError(
                f"Cannot create the folder for your progress, {self.path.parent}: {exc.strerror or exc}."
            ) from None

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        self._ensure_folder()
        lock = files.locked(self.lock_path, self.lock_timeout)
        try:
            lock.__enter__()
        except files.LockTimeout:
            raise _Busy from None
        except OSError as exc:
            raise ProgressError(f"Cannot lock {self.lock_path}: {exc.strerror or exc}.") from None
        try:
            yield
        finally:
            lock.__exit__(None, None, None)


class _Busy(Exception):
    """The lock stayed busy past the timeout (internal)."""
