"""Running totals of the answer history, per lesson: what `neurotutor stats` and `neurotutor report`
need from it.

Everything they read from the history is a sum (answers and right answers per local day, answers,
time and days per mode, rated answers per confidence level, misconceptions chosen and the words
of those answers) or a last value (each lesson pass's latest answer per question), so
it can be kept as running totals and brought up to date with only the answers added since. The
totals are cached beside the history (`stats-cache.json`) with how many bytes of it they cover and
fingerprints of its first and last covered bytes: the history only grows, so any other change (a
reset, a repair) shows up as a mismatch and the totals are rebuilt from the start. The cache is
disposable data, checked before use: one that cannot be read, decoded or used (damaged, of another
version, nested too deeply, with values that make no sense), or that someone else could have
written (not this user's own, writable by others, a link), is rebuilt, never fatal.

`add` is pure over its inputs apart from the totals it fills (an accumulator, for speed);
`refresh` does the file work.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from neurotutor.errors import ProgressError

if TYPE_CHECKING:
    from typing import Protocol

    class AnswerLike(Protocol):
        """What the totals read from an answer: a history record here (`_Answer`), or a whole `Attempt`."""

        @property
        def lesson(self) -> str: ...
        @property
        def mode(self) -> str: ...
        @property
        def correct(self) -> bool: ...
        @property
        def seconds(self) -> float: ...
        @property
        def at(self) -> datetime: ...
        @property
        def question(self) -> str: ...
        @property
        def misconceptions(self) -> tuple[str, ...]: ...
        @property
        def confidence(self) -> int | None: ...
        @property
        def utc_offset(self) -> int | None: ...
        @property
        def exam(self) -> str | None: ...
        @property
        def run(self) -> int | None: ...
        @property
        def spent(self) -> float | None: ...
        @property
        def answer_text(self) -> str: ...
        @property
        def answer(self) -> msgspec.Struct | None: ...

VERSION = 5  # 2: an exam answer changed later replaces the one before; 3, 4, 5: what reports need
_DAY = 86_400
_PROBE = 4096  # bytes fingerprinted at each end of the covered part
WORDS = 5  # answers in words kept per misconception and question


class LessonTally(msgspec.Struct, kw_only=True):
    """Running totals of one lesson's answers."""

    days: dict[int, list[int]] = {}  # local day (from 1970-01-01) -> [answers, right]
    modes: dict[str, int] = {}
    seconds: float = 0.0
    rated: dict[str, int] = {}  # "LEVEL:1" right / "LEVEL:0" wrong -> answers
    misconceptions: dict[str, dict[str, int]] = {}  # label -> question -> times chosen
    mode_seconds: dict[str, float] = {}  # mode -> seconds answering
    mode_spent: dict[str, float] = {}  # mode -> seconds on the questions, feedback and rating too (review)
    mode_days: dict[str, dict[int, int]] = {}  # mode -> local day -> answers
    runs: dict[int, dict[str, bool]] = {}  # lesson pass -> question -> its latest answer right (mode "lesson")
    words: dict[str, list[str]] = {}  # "label question" -> the answers in words that chose it (distinct, at most WORDS)
    # question -> [answers, right, first answer right (1/0), "I don't know" answers, first was "I don't know" (1/0)];
    # exams left out
    questions: dict[str, list[int]] = {}


class Tallies(msgspec.Struct, kw_only=True):
    """The totals, and which part of the history file they cover."""

    version: int = VERSION
    size: int = 0  # bytes of the history covered (always whole lines)
    head: str = ""  # fingerprint of its first bytes
    tail: str = ""  # fingerprint of the last covered bytes
    default_offset: int = 0  # minutes east of UTC used for answers recorded without one
    lessons: dict[str, LessonTally] = {}
    # exam id -> question -> the answer that counts now (an answer changed later replaces it):
    # [lesson, day, right (0/1), confidence (0: none), seconds, misconception labels...]
    exams: dict[str, dict[str, list[str | int | float]]] = {}


class _Kind(msgspec.Struct):
    """Only the kind of an answer kept as data (the rest is skipped)."""

    kind: str = ""


class _Answer(msgspec.Struct):
    """The fields of a history line the totals need (the rest is skipped, not decoded)."""

    lesson: str
    mode: str
    correct: bool
    seconds: float
    at: datetime
    question: str = ""
    misconceptions: tuple[str, ...] = ()
    confidence: int | None = None
    utc_offset: int | None = None
    exam: str | None = None
    run: int | None = None
    spent: float | None = None
    answer_text: str = ""
    answer: _Kind | None = None


def _dont_know(a: AnswerLike) -> bool:
    """Whether an answer (a history record here, or a whole Attempt) was "I don't know"."""
    answer = a.answer
    if answer is None:
        return False
    kind: object = getattr(answer, "kind", None) or answer.__struct_config__.tag
    return kind == "dont_know"


def empty_tally() -> LessonTally:
    return LessonTally(days={}, modes={}, rated={}, misconceptions={}, mode_seconds={}, mode_spent={}, mode_days={}, runs={},
                       words={}, questions={})


def _chosen(tally: LessonTally, a: AnswerLike) -> None:
    """Count the misconceptions an answer chose, and keep its words (first WORDS distinct)."""
    for label in a.misconceptions:
        where = tally.misconceptions.setdefault(label, {})
        where[a.question] = where.get(a.question, 0) + 1
        said = tally.words.setdefault(f"{label} {a.question}", [])
        if len(said) < WORDS and a.answer_text and a.answer_text not in said:
            said.append(a.answer_text)


def _tick(tally: LessonTally, day: int, correct: bool, mode: str, level: int | None, n: int) -> None:
    """Add n answers (take them away when n is negative) to the per-day, per-mode and per-level counts."""
    counts = tally.days.get(day)
    if counts is None:
        counts = tally.days[day] = [0, 0]
    counts[0] += n
    counts[1] += n if correct else 0
    tally.modes[mode] = tally.modes.get(mode, 0) + n
    on_day = tally.mode_days.setdefault(mode, {})
    on_day[day] = on_day.get(day, 0) + n
    if not on_day[day]:
        del on_day[day]
    if level:
        key = f"{level}:{1 if correct else 0}"
        tally.rated[key] = tally.rated.get(key, 0) + n


def _time(tally: LessonTally, mode: str, seconds: float, spent: float | None = None) -> None:
    tally.seconds += seconds
    tally.mode_seconds[mode] = tally.mode_seconds.get(mode, 0.0) + seconds
    tally.mode_spent[mode] = tally.mode_spent.get(mode, 0.0) + (seconds if spent is None else spent)


def _count(tally: LessonTally, day: int, correct: bool, mode: str, level: int | None, seconds: float,
           labels: Iterable[str], question: str, sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) one answer's part of a lesson's totals."""
    _tick(tally, day, correct, mode, level, sign)
    _time(tally, mode, sign * seconds)
    for label in labels:
        where = tally.misconceptions.setdefault(label, {})
        where[question] = where.get(question, 0) + sign
        if not where[question]:
            del where[question]
        if not where:
            del tally.misconceptions[label]


def add(tallies: Tallies, answers: Iterable[AnswerLike]) -> Tallies:
    """Add answers (history records, or anything with their fields) to the totals; returns them.

    Answers are first counted by (lesson, local day, right, mode, confidence) in one C-level pass
    (`Counter`), so the Python work is per distinct key, not per answer. In an exam only the last
    answer to a question counts: a changed answer takes the place of the one before."""
    from collections import Counter

    default = tallies.default_offset * 60
    answers = list(answers)
    lessons = tallies.lessons

    def tally_of(lesson: str) -> LessonTally:
        found = lessons.get(lesson)
        if found is None:
            found = lessons[lesson] = empty_tally()
        return found

    def day_of(a: AnswerLike) -> int:
        offset = a.utc_offset
        return int((a.at.timestamp() + (default if offset is None else offset * 60)) // _DAY)

    exams = [a for a in answers if a.mode == "exam"]
    if exams:
        answers = [a for a in answers if a.mode != "exam"]
    keys = Counter([(a.lesson, day_of(a), a.correct, a.mode, a.confidence) for a in answers])
    seconds: dict[tuple[str, str], float] = {}
    spent: dict[tuple[str, str], float] = {}
    for a in answers:
        key = (a.lesson, a.mode)
        seconds[key] = seconds.get(key, 0.0) + a.seconds
        spent[key] = spent.get(key, 0.0) + (a.seconds if a.spent is None else a.spent)
    for (lesson, day, correct, mode, level), count in keys.items():
        _tick(tally_of(lesson), day, correct, mode, level, count)
    for (lesson, mode), total in seconds.items():
        _time(tally_of(lesson), mode, total, spent[(lesson, mode)])
    for (lesson, question, correct, unknown), count in Counter(
            [(a.lesson, a.question, a.correct, _dont_know(a)) for a in answers]).items():
        item = tally_of(lesson).questions.get(question)
        if item is None:
            item = tally_of(lesson).questions[question] = [0, 0, -1, 0, 0]
        item[0] += count
        item[1] += count if correct else 0
        item[3] += count if unknown else 0
    firsts = {(a.lesson, a.question): (a.correct, _dont_know(a)) for a in reversed(answers)}
    for (lesson, question), (correct, unknown) in firsts.items():
        item = tally_of(lesson).questions[question]
        if item[2] < 0:  # the first answer ever to it is in this batch
            item[2], item[4] = int(correct), int(unknown)
    for a in answers:
        if a.misconceptions:
            _chosen(tally_of(a.lesson), a)
        if a.mode == "lesson" and a.run is not None:
            tally_of(a.lesson).runs.setdefault(a.run, {})[a.question] = a.correct
    for a in exams:
        counted = tallies.exams.setdefault(a.exam or "", {})
        before = counted.get(a.question)
        if before is not None:  # the answer it replaces no longer counts
            was_lesson, was_day, right, was_level, secs, *labels = before
            _count(tally_of(str(was_lesson)), int(was_day), bool(right), "exam", int(was_level) or None, float(secs),
                   [str(x) for x in labels], a.question, -1)
        day = day_of(a)
        tally = tally_of(a.lesson)
        _count(tally, day, a.correct, "exam", a.confidence, a.seconds, (), a.question)
        _chosen(tally, a)
        counted[a.question] = [a.lesson, day, int(a.correct), a.confidence or 0, a.seconds, *a.misconceptions]
    return tallies


def of(answers: Iterable[AnswerLike], default_offset: int = 0) -> Tallies:
    """Totals of some answers, from nothing."""
    return add(Tallies(default_offset=default_offset, lessons={}, exams={}), answers)


# -- the cache file ----------------------------------------------------------------------------


def _fingerprint(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


_decoder = msgspec.json.Decoder(_Answer)
_line_decoder = msgspec.json.Decoder(_Answer)
_cache_decoder = msgspec.json.Decoder(Tallies)


# Whatever a line may make the decoder raise: malformed, wrong types, too deeply nested, too big.
_UNREADABLE = (msgspec.DecodeError, msgspec.ValidationError, ValueError, RecursionError, MemoryError)


def parse(raw: bytes) -> list[_Answer]:
    """The answers in whole history lines (a line that cannot be read is passed over: the
    commands that read the whole history report it)."""
    try:
        return _decoder.decode_lines(raw)
    except _UNREADABLE:
        found = []
        for line in raw.splitlines():
            if line.strip():
                with contextlib.suppress(*_UNREADABLE):
                    found.append(_line_decoder.decode(line))
        return found


def refresh(history: Path, cache: Path, default_offset: int) -> Tallies:
    """The totals of the whole history file, from the cache plus the lines added since (or from
    the start, when the cache is missing, unreadable, of another version, or the history was
    rewritten). The history is read through `progress.history.read_since`, with its error
    mapping. The cache is saved (0600) when it changed; a cache that cannot be saved is simply
    rebuilt next time."""
    try:
        return _refresh(history, cache, default_offset, use_cache=True)
    except ProgressError:
        raise
    except Exception:  # noqa: BLE001 - a cache that decoded but makes no sense: it is only a cache
        return _refresh(history, cache, default_offset, use_cache=False)


def _cached(cache: Path) -> Tallies | None:
    """The cache file's totals, or None if it cannot be read or decoded (anything at all), or
    someone else could have written it (files.read_own): such a cache is rebuilt."""
    from neurotutor import files

    raw = files.read_own(cache)
    if raw is None:
        return None
    try:
        return _cache_decoder.decode(raw)
    except Exception:  # noqa: BLE001 - a damaged or odd cache is rebuilt
        return None


def _refresh(history: Path, cache: Path, default_offset: int, use_cache: bool) -> Tallies:
    from neurotutor import files
    from neurotutor.progress.history import read_since

    known = _cached(cache) if use_cache else None
    if known is not None and (known.version != VERSION or known.default_offset != default_offset or known.size < 0):
        known = None
    since = read_since(history, known.size if known else 0,
                       lambda head, tail: known is not None and _fingerprint(head) == known.head
                       and _fingerprint(tail) == known.tail, _PROBE)
    if since.start and known is not None and not since.lines:  # (a start past 0 means the cache matched)
        return known  # nothing new
    tallies = known if since.start and known is not None else Tallies(default_offset=default_offset, lessons={}, exams={})
    if not since.size:
        return tallies
    add(tallies, parse(since.lines))
    tallies.size = since.size
    tallies.head = _fingerprint(since.head)
    tallies.tail = _fingerprint(since.tail)
    with contextlib.suppress(OSError):
        files.atomic_write(cache, msgspec.json.encode(tallies), durable=False)
    return tallies
