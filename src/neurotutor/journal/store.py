"""The journal file: worksheets filled in, kept private and durable (docs/journal-format.md).

One file, `journal.jsonl` beside the profile's progress.json: a first line naming the format and
its version, then one entry a line. It is written with the discipline of the answer history
(`progress/history.py`), through the one writer of files (`files.py`), under one lock
(`journal.jsonl.lock`):
- a new entry, or a draft saved as each step is answered, is appended in one `O_APPEND` write and
  an fsync, so a crash keeps every line written before it; when one id has several lines, the
  newest wins;
- an edit, a deletion, and tidying up (drafts finished, or too many lines superseded) replace the
  whole file atomically (temp file, fsync, rename) with one line per entry, so after them no
  earlier text of an edited or deleted entry is left in the file;
- a line that cannot be read (cut off by a crash, damaged, forged) is never dropped: it is moved
  into a `journal.jsonl.damaged-N` file beside the journal, said in a notice, and the journal is
  written again without it. Where that cannot be done now (a read-only folder), the line is
  skipped with a notice and nothing is written.
A journal of a newer format is refused and never written; a journal that is a symbolic link, or
not a regular file, is neither read nor written. Nothing here reads the clock.

A locked journal (`journal/lock.py`) names its public key in the format line (`sealed_to`); every
entry written to it then has its answers sealed to that key, so saving needs no passphrase. A
store given the opened key (`JournalStore(path, key)`) reads the answers back; without it, an
entry read from a locked journal has no answers, only `sealed`.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from neurotutor import files, paths
from neurotutor.errors import ProgressError, UsageError
from neurotutor.journal.model import FORMAT_VERSION, Entry, Feeling

if TYPE_CHECKING:
    from neurotutor.journal.lock import JournalKey

FORMAT_NAME = "neurotutor-journal"
HEADER = b'{"format": "' + FORMAT_NAME.encode() + b'", "version": ' + str(FORMAT_VERSION).encode() + b"}\n"
LOCK_TIMEOUT_SECONDS = 15.0
# Lines superseded by a newer line of the same id (drafts saved step by step) are tidied away when
# there are more than this many, or when the draft they belong to is finished.
MAX_SUPERSEDED = 64
SHORT_ID = 6  # the characters of an id shown in lists (more when that many are not unique)

# Whatever a line may make the decoder raise: malformed, wrong types, too deeply nested, too big.
UNREADABLE = (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError, MemoryError)


class _Header(msgspec.Struct, omit_defaults=True):
    format: str
    version: int
    sealed_to: str | None = None  # a locked journal: the public key its entries' answers are sealed to


def header_line(sealed_to: str | None = None) -> bytes:
    """The format line: HEADER, or with the public key of a locked journal."""
    if sealed_to is None:
        return HEADER
    return HEADER[:-2] + b', "sealed_to": ' + msgspec.json.encode(sealed_to) + b"}\n"


class _Stamp(msgspec.Struct):
    id: str
    updated: datetime


class Changed(ProgressError):
    """The entry was saved again, in another window, since this one last saved it."""


class Gone(ProgressError):
    """The entry was deleted, in another window, since this one last saved it."""


UNCHECKED: Any = object()  # save_draft's base when no check is wanted


class Listed(msgspec.Struct, frozen=True):
    """An entry's heading, without its answers: what a list of the journal shows."""

    id: str
    worksheet: str
    title: str
    created: datetime
    updated: datetime
    status: Literal["draft", "done"] = "draft"  # a draft's line leaves it out (omit_defaults)
    finished: datetime | None = None

    @property
    def done_at(self) -> datetime:
        """When it was finished (see Entry.done_at)."""
        return self.finished or self.updated


@functools.cache
def _decoder(kind: Any) -> Any:
    """A msgspec decoder, built on first use."""
    return msgspec.json.Decoder(kind)


_encoder = msgspec.json.Encoder()


def encode_entry(entry: Entry, sealed_to: str | None = None) -> bytes:
    """One entry as a journal line; in a locked journal (`sealed_to`), its answers sealed."""
    if entry.sealed is not None and entry.answers:
        raise ValueError(f"the entry {entry.id} holds both sealed answers and answers in plain text")
    if sealed_to is not None and entry.sealed is None:
        from neurotutor.journal.lock import seal_answers

        entry = msgspec.structs.replace(entry, answers={}, sealed=seal_answers(entry.answers, sealed_to))
    return _encoder.encode(entry) + b"\n"


# -- reading (pure: bytes in, entries and problems out) -------------------------------------------

@dataclass(frozen=True)
class BadLine:
    """A line that could not be read: its number (from 1, the format line included), its bytes as
    they were (without the line end), and why, in words."""

    number: int
    raw: bytes
    why: str
    torn: bool = False  # the last line, cut off (no line end): a save interrupted


@dataclass(frozen=True)
class Parsed:
    """What a journal's bytes hold: the entries (newest line of each id, in the order the ids first
    appear), the lines that could not be read, whether the format line is missing or damaged, and
    how many lines a newer line of the same id superseded."""

    entries: dict[str, Entry] = field(default_factory=dict)
    bad: tuple[BadLine, ...] = ()
    header_missing: bool = False
    superseded: int = 0
    sealed_to: str | None = None  # a locked journal's public key

    @property
    def clean(self) -> bool:
        """Whether the file needs no repair."""
        return not self.bad and not self.header_missing


def _why(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "it is nested too deeply to be an entry"
    if isinstance(exc, MemoryError):
        return "it is too large to be an entry"
    return f"it is not a valid journal entry ({str(exc) or type(exc).__name__})"


def newer_message(where: Path, version: int) -> str:
    """The refusal of a journal written by a newer neurotutor."""
    return (f"Your journal {where} was written by a newer neurotutor (journal format {version}); this version "
            f"reads format {FORMAT_VERSION}. Please upgrade neurotutor. The file has not been changed.")


def _head(raw: bytes, where: Path) -> tuple[int, bool]:
    """Where the entries start, and whether the format line is missing (or damaged). A journal of
    a newer format, or a file of another kind that says what it is, raises ProgressError."""
    start, missing, _ = _header(raw, where)
    return start, missing


def _header(raw: bytes, where: Path) -> tuple[int, bool, str | None]:
    """_head, and the public key a locked journal names (None: not locked)."""
    end = raw.find(b"\n")
    first = raw if end < 0 else raw[:end]
    try:
        header = msgspec.json.decode(first, type=_Header)
    except UNREADABLE:
        try:  # a file of another kind that names its format is not ours to change
            named = msgspec.json.decode(first)
        except UNREADABLE:
            named = None
        if isinstance(named, dict) and isinstance(named.get("format"), str) and named["format"] != FORMAT_NAME:
            raise _not_a_journal(where, named["format"]) from None
        return 0, True, None
    if header.format != FORMAT_NAME:
        raise _not_a_journal(where, header.format)
    if header.version > FORMAT_VERSION:
        raise ProgressError(newer_message(where, header.version))
    if header.version < 1:
        return 0, True, None
    if header.sealed_to is not None and not header.sealed_to.startswith("age1"):
        raise ProgressError(f"The first line of your journal {where} names a key that is not an age public key, so "
                            "it cannot be written to safely. It has not been changed.")
    if end < 0:  # the format line alone, its line end lost: it is written again
        return len(raw), True, header.sealed_to
    return end + 1, False, header.sealed_to


def _not_a_journal(where: Path, name: str) -> ProgressError:
    from neurotutor.text import excerpt

    return ProgressError(f"{where} is not a neurotutor journal (its first line says it is {excerpt(name)}). "
                         "It has not been changed; move it elsewhere and neurotutor will start a new journal.")


def parse(raw: bytes, where: Path) -> Parsed:
    """Read a journal's bytes. Every line that cannot be read becomes a BadLine; the last line
    without a line end is one too (a save cut off). Raises ProgressError for a newer format."""
    if not raw:
        return Parsed()
    start, missing, sealed_to = _header(raw, where)
    last = raw.rfind(b"\n") + 1
    body = memoryview(raw)[start:max(last, start)]
    bad: list[BadLine] = []
    try:
        decoded: list[Entry] = _decoder(Entry).decode_lines(body)
    except UNREADABLE:
        decoded = []
        first_number = 1 if start == 0 else 2
        for number, line in enumerate(bytes(body).split(b"\n")[:-1], first_number):
            if not line.strip():
                continue
            try:
                decoded.append(_decoder(Entry).decode(line))
            except UNREADABLE as exc:
                bad.append(BadLine(number, line, _why(exc)))
    if last < len(raw) and start < len(raw):
        bad.append(BadLine(raw.count(b"\n", 0, last) + 1, raw[max(last, start):],
                           "it was cut off by a save that did not finish", torn=True))
    entries: dict[str, Entry] = {}
    for entry in decoded:
        entries[entry.id] = entry  # the newest line of an id wins; its place is where the id first appeared
    return Parsed(entries, tuple(bad), missing, len(decoded) - len(entries), sealed_to)


def parse_listed(raw: bytes, where: Path) -> list[Listed] | None:
    """The headings of a journal's entries (newest line of each id), or None when a line cannot
    be read (then the whole journal must be read, and repaired). The answers are passed over, not
    built: a list of 10,000 entries costs about as much as reading the file."""
    if not raw:
        return []
    start, missing = _head(raw, where)
    if missing or not raw.endswith(b"\n"):
        return None
    try:
        decoded: list[Listed] = _decoder(Listed).decode_lines(memoryview(raw)[start:])
    except UNREADABLE:
        return None
    return list({listed.id: listed for listed in decoded}.values())


def encode_journal(entries: Iterable[Entry], sealed_to: str | None = None) -> bytes:
    """A whole journal file: the format line, then one line per entry (a locked journal's
    answers sealed to `sealed_to`)."""
    return header_line(sealed_to) + b"".join(encode_entry(e, sealed_to) for e in entries)


# -- the journal, read --------------------------------------------------------------------------

@dataclass(frozen=True)
class Journal:
    """Every entry, by id, in the order they were started."""

    entries: Mapping[str, Entry] = field(default_factory=dict)

    def find(self, given: str) -> Entry:
        """The entry whose id is `given`, or starts with it when only one does; else a UsageError."""
        return self.entries[find_id(list(self.entries), given)]


def find_id(ids: list[str], given: str) -> str:
    """The id that is `given`, or the only one that starts with it; else a UsageError that says why."""
    from neurotutor.text import excerpt

    wanted = given.strip().lower()
    if wanted in ids:
        return wanted
    found = [i for i in ids if i.startswith(wanted)] if wanted else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError(f"There is no entry {excerpt(given)} in your journal. "
                         "'neurotutor journal list' shows every entry with its id.")
    cut = short_ids(ids, sorted(found)[:5])
    shown = ", ".join(cut.values()) + (", ..." if len(found) > 5 else "")
    raise UsageError(f"{len(found)} entries have an id starting with {excerpt(given)} ({shown}). "
                     "Type more of the id.")


def short_ids(ids: list[str], shown: Iterable[str] | None = None, length: int = SHORT_ID) -> dict[str, str]:
    """The ids `shown` (default: all), each cut to `length` characters, or to as many more as it
    takes to tell it from every other id."""
    import bisect

    ordered = sorted(ids)
    shortest: dict[str, str] = {}
    for one in ordered if shown is None else shown:
        index = bisect.bisect_left(ordered, one)
        need = length
        for other in (ordered[index - 1] if index else "", ordered[index + 1] if index + 1 < len(ordered) else ""):
            if one[:length] == other[:length]:  # rare: ids are random
                same = length
                while same < min(len(one), len(other)) and one[same] == other[same]:
                    same += 1
                need = max(need, same + 1)
        shortest[one] = one[:need]
    return shortest


def entry_words(entry: Entry) -> Iterator[str]:
    """Every text an entry holds: its title, and each answer in words (what search looks through)."""
    yield entry.title
    for value in entry.answers.values():
        yield value_words(value)


def value_words(value: str | int | bool | list[Feeling]) -> str:
    """An answer in words: text as it is, yes or no, a number, feelings as "sad 70, tense 40"."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ", ".join(f"{f.name} {f.intensity}" for f in value)
    return value


def matches(entry: Entry, text: str) -> bool:
    """Whether an entry holds `text`, ignoring case."""
    wanted = text.casefold()
    return any(wanted in words.casefold() for words in entry_words(entry))


# -- the store ----------------------------------------------------------------------------------

class JournalStore:
    """One profile's journal file and its lock; what had to be recovered is said in `notices`."""

    def __init__(self, path: Path, key: JournalKey | None = None, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.path = path
        self.key = key  # a locked journal's key, opened: answers are read back with it
        self.lock_path = paths.lock_file(path)
        self.lock_timeout = lock_timeout
        self.notices: list[str] = []

    # -- reading -----------------------------------------------------------------------------

    def load(self) -> Journal:
        """Every entry (none when there is no journal yet). A line that cannot be read is set aside
        into a `.damaged-N` file under the lock, with a notice; where that cannot be done now it
        is skipped, with a notice, and nothing is written."""
        parsed = parse(self._read(), self.path)
        if parsed.clean:
            return Journal(self._opened(parsed.entries))
        with self._lock(reading=True) as unlocked:
            parsed = parse(self._read(), self.path)  # another terminal may have finished its save meanwhile
            if parsed.clean:
                pass
            elif unlocked is not None:
                self._skipped(parsed, unlocked)
            else:
                try:
                    self._repair(parsed)
                except OSError as exc:
                    self._skipped(parsed, files.why_failed(exc))
        return Journal(self._opened(parsed.entries))

    def locked(self) -> str | None:
        """The public key the journal is locked with, or None when it is not locked (or not there)."""
        first = self._head_bytes()
        return None if first is None else _header(first, self.path)[2]

    def _opened(self, entries: dict[str, Entry]) -> dict[str, Entry]:
        """The entries with their answers opened, when the store has the key; an entry that the key
        cannot open stays sealed, with a notice."""
        if self.key is None or not any(e.sealed is not None for e in entries.values()):
            return entries
        from neurotutor.journal.lock import open_answers

        opened: dict[str, Entry] = {}
        failed: list[str] = []
        for entry_id, entry in entries.items():
            if entry.sealed is None:
                opened[entry_id] = entry
                continue
            try:
                opened[entry_id] = msgspec.structs.replace(entry, answers=open_answers(entry.sealed, self.key),
                                                           sealed=None)
            except ValueError:
                opened[entry_id] = entry
                failed.append(entry_id)
        if failed:
            self.notices.append(f"{len(failed)} entr{'ies' if len(failed) != 1 else 'y'} of your journal "
                                f"({', '.join(failed[:3])}{', ...' if len(failed) > 3 else ''}) could not be opened "
                                "with its key (damaged, or sealed to another key); they are kept as they are.")
        return opened

    @property
    def key_path(self) -> Path:
        """The locked journal's key file, beside it (and the progress file)."""
        return paths.journal_key_file(self.path)

    def lock(self, key: JournalKey, key_file: bytes) -> int:
        """Lock the journal with `key`: its key file (`key_file`, sealed with the passphrase) written
        first, then the whole journal written again with every entry's answers sealed to it (if that
        fails, the key file is taken away again). Returns how many entries were sealed."""
        with self._writing():
            parsed = parse(self._read(), self.path)
            if parsed.sealed_to is not None and parsed.sealed_to != key.public:
                raise UsageError("Your journal is already locked with another key. Nothing was changed.")
            self.save_key(key_file)
            try:
                self._rewrite(parsed.entries.values(), parsed, key.public)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(self.key_path)
                raise
            return len(parsed.entries)

    def save_key(self, key_file: bytes) -> None:
        """Write the key file (0600, atomically; a link in its place is refused). A ProgressError in
        words when it cannot be written."""
        if os.path.islink(self.key_path):
            raise ProgressError(f"{self.key_path} is a symbolic link, and neurotutor does not follow links among its "
                                "own files. Remove it. Nothing was changed.")
        try:
            files.ensure_private_dir(self.key_path.parent)
            files.atomic_write(self.key_path, key_file)
        except OSError as exc:
            from neurotutor.progress.store import failed_write

            raise ProgressError(failed_write(f"Could not write your journal's key {self.key_path}", exc,
                                             "Nothing was changed.")) from None

    def unlock(self, key: JournalKey) -> int:
        """Unlock the journal: written again with every answer opened with `key` and in plain text.
        If one entry cannot be opened, nothing is changed (a UsageError says so)."""
        from neurotutor.journal.lock import open_answers

        with self._writing():
            parsed = parse(self._read(), self.path)
            if parsed.sealed_to is not None and parsed.sealed_to != key.public:
                raise UsageError("That key is not the one your journal is locked with. Nothing was changed.")
            plain = []
            for entry in parsed.entries.values():
                if entry.sealed is not None:
                    try:
                        entry = msgspec.structs.replace(entry, answers=open_answers(entry.sealed, key), sealed=None)
                    except ValueError as exc:
                        raise UsageError(f"The entry {entry.id} of your journal could not be opened: {exc}. "
                                         "Your journal is still locked; nothing was changed.") from None
                plain.append(entry)
            self._rewrite(plain, parsed, None)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.key_path)
            return len(plain)

    def listing(self) -> list[Listed]:
        """The headings of every entry, in the order they were started: fast, since the answers
        are not read (a journal with a line that cannot be read is loaded, and repaired, in full)."""
        listed = parse_listed(self._read(), self.path)
        if listed is not None:
            return listed
        return [Listed(e.id, e.worksheet, e.title, e.created, e.updated, e.status, e.finished)
                for e in self.load_headings().entries.values()]

    def load_headings(self) -> Journal:
        """load(), without opening a locked journal's answers (what a list needs)."""
        key, self.key = self.key, None
        try:
            return self.load()
        finally:
            self.key = key

    def finished_days(self, added: datetime, worksheets: Container[str] | None = None) -> dict[str, list[date]]:
        """The local days each worksheet (or the breathing space; only `worksheets`, when given)
        was finished on or after the local day of `added`: what counts towards a practice goal.
        Headings only are read, and a journal of years is passed over, not converted."""
        from neurotutor import dates

        since = added - timedelta(days=2)  # earlier than any local date of the day `added` falls on
        first = dates.local(added).date()
        done: dict[str, list[date]] = {}
        for item in self.listing():
            if item.status == "done" and (worksheets is None or item.worksheet in worksheets) and item.done_at >= since:
                day = dates.local(item.done_at).date()
                if day >= first:
                    done.setdefault(item.worksheet, []).append(day)
        return done

    def search(self, text: str) -> list[Entry]:
        """The entries that hold `text` in their title or an answer, ignoring case."""
        return [e for e in self.load().entries.values() if matches(e, text)]

    # -- writing -----------------------------------------------------------------------------

    def add(self, entry: Entry) -> None:
        """Add a new entry (one durable append). An id already in the journal is refused."""
        with self._writing():
            raw = self._read()
            stamps = self._line_stamps(raw)
            ids = None if stamps is None else [s.id for s in stamps]
            if ids is None:  # a line that cannot be read: set it aside first
                parsed = parse(raw, self.path)
                self._repair(parsed)
                ids = list(parsed.entries)
            if entry.id in ids:
                raise ValueError(f"an entry {entry.id} is already in the journal")
            self._append(entry)

    def save_draft(self, entry: Entry, base: datetime | None = UNCHECKED) -> None:
        """Save an entry as it is now (a draft as each step is answered, or finished): one durable
        append, its newest line winning when read. When it is finished, or too many lines are
        superseded, the journal is written again with one line per entry (no earlier draft of it kept).

        `base` is the `updated` of the version this window last saved (None: it has not saved it
        yet). When the journal holds another version by then (another window saved it: Changed) or
        none (another window deleted it: Gone), nothing is written: two windows never overwrite
        each other's answers, and a deleted entry does not come back."""
        with self._writing():
            raw = self._read()  # once: the check, and how many lines are superseded, come from it
            stamps = self._line_stamps(raw)
            if base is not UNCHECKED:
                newest = ({s.id: s.updated for s in stamps} if stamps is not None
                          else {e.id: e.updated for e in parse(raw, self.path).entries.values()})
                self._check_base(newest.get(entry.id), entry.id, base)
            self._append(entry)
            if stamps is not None:  # nothing needed repair: the append added one line to what was read
                ids = [s.id for s in stamps] + [entry.id]
                superseded = len(ids) - len(set(ids))
                if superseded <= MAX_SUPERSEDED and not (entry.status == "done" and ids.count(entry.id) > 1):
                    return
            raw = self._read()
            parsed = parse(raw, self.path)  # lines that cannot be read are set aside as it is written again
            self._rewrite(parsed.entries.values(), parsed)

    def _check_base(self, now: datetime | None, entry_id: str, base: datetime | None) -> None:
        """Refuse a save whose base is not the journal's version of the entry (`now`: None, none)."""
        if base is None and now is not None:
            raise Changed(f"The entry {entry_id} was saved in another window. Nothing was changed.")
        if base is not None and now is None:
            raise Gone(f"The entry {entry_id} was deleted in another window, so what you wrote here since was not "
                       "saved (a deleted entry does not come back).")
        if base is not None and now != base:
            raise Changed(f"The entry {entry_id} was changed in another window since this one saved it. "
                          "Nothing was changed.")

    def replace(self, entry: Entry) -> None:
        """Put an edited entry in place of the one with its id. The journal is written again, so no
        earlier version of it is left in the file. An id not in the journal is a UsageError."""
        with self._writing():
            parsed = parse(self._read(), self.path)
            if entry.id not in parsed.entries:
                raise UsageError(_gone(entry.id))
            self._rewrite([entry if e.id == entry.id else e for e in parsed.entries.values()], parsed)

    def delete(self, entry_id: str) -> Entry:
        """Remove an entry from the journal file (every line of it: gone, not hidden); returns it.
        An id not in the journal is a UsageError."""
        with self._writing():
            parsed = parse(self._read(), self.path)
            gone = parsed.entries.get(entry_id)
            if gone is None:
                raise UsageError(_gone(entry_id))
            self._rewrite([e for e in parsed.entries.values() if e.id != entry_id], parsed)
            return gone

    # -- internals ---------------------------------------------------------------------------

    def _read(self) -> bytes:
        """The journal's bytes (none yet: empty). A link in its place is refused, never followed;
        anything but a regular file is never read."""
        try:
            return files.read_regular(self.path, follow=False)
        except FileNotFoundError:
            return b""
        except OSError as exc:
            if os.path.islink(self.path):
                raise ProgressError(self._link_message()) from None
            raise ProgressError(f"Cannot read your journal {self.path}: {exc.strerror or exc}.") from None
        except MemoryError:
            raise ProgressError(f"Cannot read your journal {self.path}: it is too large for this computer's "
                                "memory.") from None

    def _link_message(self) -> str:
        return (f"Cannot open your journal: {self.path} is a symbolic link, and neurotutor does not follow links "
                "among its own files. Remove the link, or put the file itself in its place. Nothing was changed.")

    def _line_stamps(self, raw: bytes) -> list[_Stamp] | None:
        """The id and `updated` of every line, superseded ones too (fast: nothing else is read), or
        None when a line cannot be read or the format line is damaged (the journal then needs repair)."""
        if not raw:
            return []
        start, missing = _head(raw, self.path)
        if missing or not raw.endswith(b"\n"):
            return None
        try:
            stamps: list[_Stamp] = _decoder(_Stamp).decode_lines(memoryview(raw)[start:])
        except UNREADABLE:
            return None
        return stamps

    def _append(self, entry: Entry) -> None:
        """Under the lock: append one line, after the format line when the journal is new. A
        journal whose last line was cut off, or whose format line is damaged, is repaired first."""
        self._refuse_link()
        raw_head = self._head_bytes()
        sealed_to = None if raw_head is None else _header(raw_head, self.path)[2]
        data = encode_entry(entry, sealed_to)
        if raw_head is None:
            data = HEADER + data
        else:
            if _head(raw_head, self.path)[1] or not self._ends_with_newline():
                parsed = parse(self._read(), self.path)
                if not parsed.clean:
                    self._repair(parsed)
        try:
            before = os.lstat(self.path).st_size
        except FileNotFoundError:
            before = 0
        try:
            files.append_durably(self.path, data)
        except OSError as exc:
            with contextlib.suppress(OSError):  # a failed append leaves no torn line behind
                if not os.path.islink(self.path) and os.lstat(self.path).st_size > before:
                    os.truncate(self.path, before)
            raise _failed(self.path, exc) from None

    def _head_bytes(self) -> bytes | None:
        """The journal's first line (up to 4 KiB of it), or None when there is no journal or it is empty."""
        try:
            fd = files.open_regular(self.path, follow=False)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if os.path.islink(self.path):
                raise ProgressError(self._link_message()) from None
            raise ProgressError(f"Cannot read your journal {self.path}: {exc.strerror or exc}.") from None
        try:
            first = os.pread(fd, 4096, 0)
        finally:
            os.close(fd)
        if not first:
            return None
        end = first.find(b"\n")
        return first if end < 0 else first[:end + 1]

    def _ends_with_newline(self) -> bool:
        fd = files.open_regular(self.path, follow=False)
        try:
            size = os.fstat(fd).st_size
            return size == 0 or os.pread(fd, 1, size - 1) == b"\n"
        finally:
            os.close(fd)

    def _rewrite(self, entries: Iterable[Entry], parsed: Parsed, sealed_to: str | None | Literal["same"] = "same") -> None:
        """Under the lock: replace the journal atomically with these entries, one line each (locked
        as it was, unless `sealed_to` says otherwise); lines that could not be read are set aside
        first (never dropped)."""
        self._refuse_link()
        kept = list(entries)
        to = parsed.sealed_to if sealed_to == "same" else sealed_to
        try:
            data = encode_journal(kept, to)  # sealed before anything is written
            if parsed.bad:
                self._set_aside(parsed)
            files.atomic_write(self.path, data)
        except OSError as exc:
            raise _failed(self.path, exc) from None

    def _repair(self, parsed: Parsed) -> None:
        """Under the lock: set unreadable lines aside and write the journal again without them."""
        self._refuse_link()
        if parsed.bad:
            self._set_aside(parsed)
        files.atomic_write(self.path, encode_journal(parsed.entries.values(), parsed.sealed_to))
        if parsed.header_missing and not parsed.bad:
            self.notices.append(f"The first line of your journal {self.path} (the line that names its format) was "
                                "missing or damaged; it was written again. Every entry is kept.")

    def _set_aside(self, parsed: Parsed) -> None:
        """Write the unreadable lines, as they were, into a new `.damaged-N` file beside the journal, and say so."""
        aside = self._damaged_name()
        files.atomic_write(aside, b"\n".join(line.raw for line in parsed.bad) + b"\n")
        self.notices.append(self._aside_notice(parsed.bad, aside))

    def _aside_notice(self, bad: tuple[BadLine, ...], aside: Path) -> str:
        torn = [line for line in bad if line.torn]
        damaged = [line for line in bad if not line.torn]
        said = []
        if damaged:
            first = "" if len(damaged) == 1 else "the first: "
            said.append(f"{_lines_words(damaged)} of your journal {self.path} could not be read "
                        f"({first}{damaged[0].why}).")
        if torn:
            said.append(f"The last line of your journal {self.path} was cut off by a save that did not finish "
                        f"({len(torn[0].raw)} bytes).")
        one = len(bad) == 1
        said.append(f"{'It was' if one else 'They were'} moved to {aside}, so nothing in "
                    f"{'it' if one else 'them'} is lost; every other entry is kept.")
        return " ".join(said)

    def _skipped(self, parsed: Parsed, reason: str) -> None:
        """Reading a journal that cannot be repaired now: say which lines were skipped, and why."""
        if parsed.bad:
            one = len(parsed.bad) == 1
            self.notices.append(f"{_lines_words(list(parsed.bad))} of your journal {self.path} could not be read "
                                f"({'' if one else 'the first: '}{parsed.bad[0].why}), so "
                                f"{'it was' if one else 'they were'} skipped. "
                                f"{'It' if one else 'They'} will be moved aside, never deleted, once the journal's "
                                f"folder can be changed (now: {reason}). Nothing was changed.")

    def _damaged_name(self) -> Path:
        n = 1
        while os.path.lexists(self.path.with_name(f"{self.path.name}.damaged-{n}")):
            n += 1
        return self.path.with_name(f"{self.path.name}.damaged-{n}")

    def _refuse_link(self) -> None:
        if os.path.islink(self.path):
            raise ProgressError(self._link_message())

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the lock for a write, after tidying up the temp files a killed writer left; a
        file operation that fails says why, in words."""
        with self._lock():
            try:
                files.remove_leftover_temps(self.path)
                yield
            except OSError as exc:
                raise _failed(self.path, exc) from None

    @contextlib.contextmanager
    def _lock(self, reading: bool = False) -> Iterator[str | None]:
        """Hold the journal's lock for the block (yields None). Reading, where the lock cannot be
        made (a read-only folder, a full disk) or stays busy, the block runs without it, and
        yields why, in words."""
        lock = files.locked(self.lock_path, self.lock_timeout)
        try:
            files.ensure_private_dir(self.path.parent)
            lock.__enter__()
        except files.LockTimeout:
            if not reading:
                raise ProgressError(f"Another neurotutor kept your journal {self.path} busy for over "
                                    f"{self.lock_timeout:.0f} seconds (is one waiting in another window?). "
                                    "Nothing was changed.") from None
            why = "another neurotutor is using it"
        except OSError as exc:
            if not reading:
                raise ProgressError(f"Cannot change your journal in {self.path.parent}: {files.why_failed(exc)}. "
                                    "Nothing was changed.") from None
            why = files.why_failed(exc)
        else:
            try:
                yield None
            finally:
                lock.__exit__(None, None, None)
            return
        yield why


def _lines_words(lines: list[BadLine]) -> str:
    numbers = [str(line.number) for line in lines]
    if len(numbers) == 1:
        return f"Line {numbers[0]}"
    shown = numbers[:10] + (["..."] if len(numbers) > 10 else [])
    return f"Lines {', '.join(shown[:-1])} and {shown[-1]}"


def _failed(path: Path, exc: OSError) -> ProgressError:
    from neurotutor.progress.store import failed_write

    return ProgressError(failed_write(f"Could not save your journal {path}", exc,
                                      "What was saved before is unchanged."))


def _gone(entry_id: str) -> str:
    return (f"The entry {entry_id} is no longer in your journal (was it deleted in another window?). "
            "Nothing was changed.")
