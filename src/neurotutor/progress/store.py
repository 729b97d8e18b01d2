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
aside with a timestamp, never silently replaced, and the `.bak` restored when it is valid; a
file that cannot be decoded for any reason (cut off, nested too deeply, out of range) is damaged.
A file of an older format is upgraded under the lock, the old file kept; a newer one is refused
and left untouched. Under the lock, every save also removes temp files a killed writer left behind.

Reading never needs to write. A torn last line of the history is skipped by readers and set aside
by the next save; where the lock cannot be made (a read-only copy or backup, a full disk) the
files are read without it, and a damaged or older state file is read as it is (the backup in
place of a damaged one), with a notice, until a save can repair it. A save that cannot write says
why (a full disk, a folder that cannot be written) and what to do; nothing is half-changed.
A `progress.json` that is a symbolic link is read, but never replaced: a save refuses it and says
so (neurotutor follows no links among its own files, so a link planted there cannot lead a write
elsewhere). A state, backup or history that is not a regular file (a named pipe, a device such as
/dev/zero, reached through a link or not) is never read or waited on: a clear "Cannot read" instead.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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


def _unreadable(raw: bytes, exc: BaseException) -> str:
    """Why progress bytes cannot be decoded, in the learner's words."""
    if not raw.strip():
        return "it is empty"
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to be a progress file"
    if isinstance(exc, MemoryError):
        return "it is too large to be a progress file"
    return f"it is not a valid progress file ({exc})"


def parse(raw: bytes, where: Path) -> Parsed:
    """Decode progress bytes of any known format; raise Damaged or ProgressError (newer format).

    Anything the decoder or an upgrade step raises (a malformed or cut-off file, values out of
    range, nesting deeper than the decoder goes, a file too large for memory) means Damaged."""
    try:
        head = msgspec.json.decode(raw, type=_Head)
    except Exception as exc:  # noqa: BLE001 - whatever the decoder raises, the file is damaged
        raise Damaged(_unreadable(raw, exc)) from None
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
    except Exception as exc:  # noqa: BLE001 - whatever the decoder or a migration raises
        raise Damaged(_unreadable(raw, exc)) from None


_FULL, _NOT_WRITABLE, _IN_THE_WAY, why_failed = files.FULL, files.NOT_WRITABLE, files.IN_THE_WAY, files.why_failed


def failed_write(what: str, exc: OSError, outcome: str = "Nothing was changed.") -> str:
    """A failed write in the learner's words: what could not be done, why, and what to do."""
    return f"{what}: {why_failed(exc)}. {outcome}{_what_to_do(exc)}"


def _what_to_do(exc: OSError) -> str:
    """What the learner can do about a failed write (empty when there is nothing to say)."""
    if exc.errno in _FULL:
        return (" Free some space on that disk (empty the trash, or move large files elsewhere), "
                "then run the command again; every answer saved so far is kept.")
    if exc.errno in _NOT_WRITABLE:
        return " Reading your progress, history and export still works."
    if exc.errno in _IN_THE_WAY:
        return " Move that file aside (or delete it if you do not need it), then run the command again."
    return ""


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
        self._moved: tuple[Attempt, ...] = ()  # answers of an older file read but not upgraded (read-only)
        self.notices: list[str] = []  # what the learner must be told (recoveries, upgrades, delays)

    # -- reading ---------------------------------------------------------------------------

    def load(self) -> Progress:
        """Read the state (an empty one if there is no file yet); history is not read.

        A damaged file is recovered and an older format upgraded, both under the lock; where that
        cannot be done (a read-only folder, a full disk) the backup, or the older file as it is,
        is read instead, and nothing is written.
        """
        try:
            parsed = self._read()
        except Damaged:
            parsed = None
        if parsed is None or parsed.from_version != SCHEMA_VERSION:
            with self._lock(reading=True) as locked:
                self._last = self._read_current(writing=False, locked=locked)
                return self._last
        self._last = parsed.progress
        return self._last

    def read_history(self) -> list[Attempt]:
        """Every recorded answer in file order. Nothing is written: a torn last line (a save cut
        off) and unreadable lines are skipped, each reported in `notices`; the next save sets a
        torn line aside. Answers still inside an older state file that could not be upgraded
        here are included."""
        self._moved = ()
        with self._lock(reading=True) as locked:
            self._read_current(writing=False, locked=locked)
            found = history.read(self.history_path)
        self.notices.extend(found.problems)
        moved: tuple[Attempt, ...] = self._moved  # (set again by _read_current: not the () above)
        if not moved:
            return found.attempts
        known = {a.id for a in found.attempts}
        return found.attempts + [a for a in moved if a.id not in known]

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

    def take_back(self, attempt: Attempt, change: Callable[[Progress], Progress]) -> Progress:
        """Undo the answer saved last: its line leaves the history and `change` (the state as it
        was before it) is applied. Refused, with nothing changed, when it is no longer the last
        answer saved (another terminal saved one since)."""
        try:
            with self._lock():
                current = self._read_current()
                try:
                    dropped = history.drop_last(self.history_path, attempt)
                except OSError as exc:
                    raise ProgressError(f"Could not take the answer back in {self.history_path}: {why_failed(exc)}. "
                                        f"Nothing was changed.{_what_to_do(exc)}") from None
                if not dropped:
                    raise ProgressError("That answer can no longer be taken back: another answer was saved after "
                                        "it (in another terminal?). Nothing was changed.")
                new = change(current)
                self._save(current, new, ())
                self._last = new
                return new
        except _Busy:
            raise ProgressError(self._busy_message() + " Nothing was changed.") from None

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
            self._refuse_link()
            if drop:
                self._repair_history()
            kept = self._aside(self.path, label)
            copies = [kept]
            try:
                if self.path.exists():
                    _keep_copy(self.path, kept)
                if drop and forget is not None:
                    found = history.read(self.history_path)
                    kept_history = self._aside(self.history_path, label)
                    copies.append(kept_history)
                    _keep_copy(self.history_path, kept_history)
                    files.atomic_write(self.history_path, history.encode_all(a for a in found.attempts if not forget(a)))
                    if not kept.exists():
                        kept = kept_history
            except OSError as exc:
                for copy in copies:  # copies made for a change that did not happen would only mislead
                    with contextlib.suppress(OSError):
                        copy.unlink()
                raise ProgressError(f"Could not keep a copy of your progress at {kept}: {why_failed(exc)}. "
                                    f"Nothing was changed.{_what_to_do(exc)}") from None
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
            raw = files.read_regular(self.path)  # a named pipe or a device in its place is never read
        except FileNotFoundError:
            return Parsed(Progress())
        except OSError as exc:
            raise ProgressError(f"Cannot read your progress file {self.path}: {exc.strerror or exc}.") from None
        except MemoryError:
            raise Damaged("it is too large to be a progress file") from None
        return parse(raw, self.path)

    def _read_or_empty(self) -> Progress:
        try:
            return self._read().progress
        except Damaged:
            return Progress()

    def _read_current(self, writing: bool = True, locked: bool = True) -> Progress:
        """The state in the current format, recovering or upgrading as needed.

        Writing (under the lock), a repair that fails raises ProgressError. Reading, a repair is
        tried only when `locked`; when it cannot be made, the state is read as it is (a damaged
        file's backup in its place) with a notice, and nothing is written."""
        try:
            parsed = self._read()
        except Damaged as damage:
            return self._recover(str(damage), writing, locked)
        if parsed.from_version != SCHEMA_VERSION:
            return self._upgrade(parsed, writing, locked)
        return parsed.progress

    def _refuse_link(self) -> None:
        """Refuse to replace a progress file that is a symbolic link (its target is left alone)."""
        if self.path.is_symlink():
            raise ProgressError(self._link_message() + " Nothing was changed.")

    def _link_message(self) -> str:
        return (f"Cannot save your progress: {self.path} is a symbolic link, and neurotutor does not follow "
                f"links among its own files. Remove the link, or put the file itself in its place.")

    def _upgrade(self, parsed: Parsed, writing: bool = True, locked: bool = True) -> Progress:
        if locked and not self.path.is_symlink():
            old = self._aside(self.path, f"v{parsed.from_version}")
            try:
                _keep_copy(self.path, old)
                self._repair_history()
                known = history.read_ids(self.history_path) if parsed.moved else set()
                history.append(self.history_path, [a for a in parsed.moved if a.id not in known])
                files.atomic_write(self.path, encode(parsed.progress))
            except (OSError, ProgressError) as exc:
                with contextlib.suppress(OSError):
                    old.unlink()
                if not writing:
                    return self._as_it_is(parsed, exc)
                if isinstance(exc, ProgressError):  # the history's torn line: that message says it all
                    raise
                raise ProgressError(f"Could not upgrade your progress file {self.path}: {why_failed(exc)}. "
                                    f"It has not been changed.{_what_to_do(exc)}") from None
            if parsed.from_version == 1:  # the answers moved out of it
                self.notices.append(
                    f"Your progress file was upgraded to format {SCHEMA_VERSION}: your answers now live in "
                    f"{self.history_path}. The old file is kept as {old}.")
            else:
                self.notices.append(f"Your progress file was upgraded to this version's format ({SCHEMA_VERSION}): an "
                                    f"older neurotutor will now ask to be updated instead of misreading it. A copy "
                                    f"of the old file is kept as {old}.")
            return parsed.progress
        if writing:
            raise ProgressError(self._link_message() + " It has not been changed.")
        return self._as_it_is(parsed, None)

    def _as_it_is(self, parsed: Parsed, exc: OSError | ProgressError | None) -> Progress:
        """Reading an older file that cannot be upgraded now: its state, and its answers, in memory."""
        self._moved = parsed.moved
        if exc is not None:
            why = f" ({why_failed(exc) if isinstance(exc, OSError) else exc.message.rstrip('.')})"
            self.notices.append(
                f"Your progress file {self.path} is in an older format (format {parsed.from_version}) and could "
                f"not be upgraded now{why}, so it was read as it is. Nothing was changed.")
        return parsed.progress

    def _good_backup(self) -> Progress | None:
        try:
            return parse(files.read_regular(self.backup), self.backup).progress
        except (OSError, MemoryError, Damaged, ProgressError):
            return None

    def _recover(self, reason: str, writing: bool = True, locked: bool = True) -> Progress:
        good = self._good_backup()
        if self.path.is_symlink() or not locked:
            if writing:
                raise ProgressError(self._link_message() + " Nothing was changed.")
            return self._damaged_as_it_is(reason, good, None)
        aside = self._aside(self.path, "damaged")
        try:
            if good is None:
                os.replace(self.path, aside)
                files.fsync_dir(self.path.parent)
            else:  # the damaged file stays in place until the good copy is written over it
                _keep_copy(self.path, aside)
                files.atomic_write(self.path, encode(good))
        except OSError as exc:
            if writing:
                raise ProgressError(
                    f"Your progress file {self.path} is damaged ({reason}) and could not be repaired: "
                    f"{why_failed(exc)}. Nothing was changed.{_what_to_do(exc)}") from None
            return self._damaged_as_it_is(reason, good, exc)
        if good is not None:
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

    def _damaged_as_it_is(self, reason: str, good: Progress | None, exc: OSError | None) -> Progress:
        """Reading a damaged file that cannot be repaired now: its backup (or empty progress) in memory."""
        why = f"it could not be repaired now ({why_failed(exc)})" if exc else "its folder cannot be changed now"
        if self.path.is_symlink() and exc is None:
            why = "it is a symbolic link, which neurotutor does not replace"
        if good is not None:
            self.notices.append(
                f"Your progress file {self.path} is damaged ({reason}); {why}, so your last good copy, "
                f"{self.backup}, is shown instead. Nothing was changed.")
            return good
        self.notices.append(
            f"Your progress file {self.path} is damaged ({reason}) and there is no good backup; {why}, so "
            f"empty progress is shown. Nothing was changed; your answers are still in {self.history_path}.")
        return Progress()

    def _save(self, current: Progress, new: Progress, attempts: tuple[Attempt, ...],
              folded: list[Path] | None = None, names: list[str] | None = None) -> None:
        """Under the lock: tidy up, append the attempts, replace the state, drop folded pending files."""
        self._refuse_link()
        try:
            files.remove_leftover_temps(self.path, names)  # the backup's temp names share this prefix
            if attempts:
                self._repair_history()
                history.append(self.history_path, attempts)
                self._appended = True
            else:  # tidy up after a killed writer; this save does not need it, so it may wait
                with contextlib.suppress(ProgressError):
                    self._repair_history()
            if new != current or not self.path.exists():
                if self.path.exists():
                    _keep_copy(self.path, self.backup)
                files.atomic_write(self.path, encode(new))
            for done in folded or ():
                with contextlib.suppress(OSError):
                    done.unlink()
        except OSError as exc:
            raise ProgressError(
                f"Could not save your progress to {self.path}: {why_failed(exc)}. "
                f"What was saved before is unchanged.{_what_to_do(exc)}"
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
        """Under the lock, before a write to the history: set a torn last line aside."""
        try:
            notice = history.repair_tail(self.history_path, lambda: self._aside(self.history_path, "torn"))
        except OSError as exc:
            raise ProgressError(
                f"The last line of your answer history {self.history_path} was cut off by an earlier save "
                f"that failed, and it could not be set aside: {why_failed(exc)}. Nothing was changed."
                f"{_what_to_do(exc)}") from None
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

    @contextlib.contextmanager
    def _lock(self, reading: bool = False) -> Iterator[bool]:
        """Hold the lock for the block (yields True). Reading, where the lock cannot be made
        because the folder cannot be written (a read-only copy or backup, a full disk), or stays
        busy past the timeout, the block runs without it (yields False): the state is replaced
        atomically and readers skip a history line still being written, so a read never needs the
        lock to be safe (the lock only spares a reader the sight of a line half-written)."""
        lock = files.locked(self.lock_path, self.lock_timeout)
        try:
            files.ensure_private_dir(self.path.parent)
            lock.__enter__()
        except files.LockTimeout:
            if not reading:
                raise _Busy from None
        except OSError as exc:
            if not (reading and exc.errno in _FULL + _NOT_WRITABLE):
                raise self._lock_error(exc) from None
        else:
            try:
                yield True
            finally:
                lock.__exit__(None, None, None)
            return
        yield False

    def _lock_error(self, exc: OSError) -> ProgressError:
        if not self.path.parent.is_dir():
            return ProgressError(f"Cannot create the folder for your progress, {self.path.parent}: {why_failed(exc)}.")
        if exc.errno in _FULL + _NOT_WRITABLE:
            return ProgressError(f"Cannot change your progress in {self.path.parent}: {why_failed(exc)}, so its lock file "
                                 f"{self.lock_path.name} cannot be made. Nothing was changed.{_what_to_do(exc)}")
        return ProgressError(f"Cannot lock {self.lock_path}: {exc.strerror or exc}.")


class _Busy(Exception):
    """The lock stayed busy past the timeout (internal)."""
