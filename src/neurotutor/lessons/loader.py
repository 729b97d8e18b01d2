"""The one choke point for lesson files: read, check and load them into `Lesson` models.

Every problem in a file is collected, with its line and column, before anything is reported, and
one run reports them all: size and encoding, YAML features lessons do not use, values YAML cannot
build, the schema (via `schema.check_file`), characters that could drive a terminal, line breaks in
what is shown on one line, the meaning of the content (one right answer, references that exist,
...) and, across files, duplicate ids and unknown prerequisites. Only a YAML syntax error stops the
checks of a file early. A problem never copies a file out: a file with none of a lesson's fields
is one problem that quotes nothing, and at most three unknown fields are named.

A file is opened once and read from that one descriptor (`read_regular`): never a pipe or a
device, and never through a link that a folder holds (a path the person names may be one).

The content checks are in `neurotutor.lessons.checks`; the catalogue of every lesson, and the
checks across files, in `neurotutor.lessons.catalogue`. An unexpected error while reading one file
becomes a problem of that file, so no file, however broken, stops the others from loading.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from neurotutor.errors import Problem
from neurotutor.jsonpos import format_path
from neurotutor.lessons import model as m
from neurotutor.lessons.checks import check_characters, check_meaning, check_one_line, has_field, items_of, strings_of
from neurotutor.text import first_unsafe, safe_text

if TYPE_CHECKING:
    from neurotutor.lessons.yaml_source import Document

MAX_BYTES = 1024 * 1024
LESSON_SUFFIXES = (".yaml", ".yml")
VALIDATOR_VERSION = 4  # bump whenever a rule changes, so cached lessons are checked again
# A file with none of these is not a lesson at all, and is reported as one problem that quotes nothing.
LESSON_FIELDS = ("format", "id", "questions", "sections", "summary", "title")
NOT_A_LESSON = f"is not a lesson file (it has none of a lesson's fields: {', '.join(LESSON_FIELDS)})"

Positions = dict[str, tuple[int, int]]


class LessonInfo(msgspec.Struct, frozen=True):
    """What lists and summaries need of a lesson; kept in the catalogue index."""

    id: str
    title: str
    summary: str
    level: str
    minutes: int
    tags: tuple[str, ...]
    prerequisites: tuple[str, ...]
    section_ids: tuple[str, ...]
    question_ids: tuple[str, ...]
    try_it: tuple[str, ...] = ()  # the worksheets it suggests at its end (checked by `neurotutor validate`)


def info_of(lesson: m.Lesson) -> LessonInfo:
    """The index entry of a lesson."""
    return LessonInfo(lesson.id, lesson.title, lesson.summary, lesson.level, lesson.minutes, lesson.tags,
                      lesson.prerequisites, tuple(s.id for s in lesson.sections), tuple(q.id for q in lesson.questions),
                      lesson.try_it)


@dataclass(frozen=True)
class LoadedLesson:
    """A valid lesson, the file it came from, and where its ids are written."""

    lesson: m.Lesson
    path: Path
    builtin: bool = False
    positions: Positions = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Identity:
    """The ids a file declares, read even from a file that is otherwise invalid (cross checks)."""

    path: Path
    lesson_id: str | None
    question_ids: tuple[str, ...]
    prerequisites: tuple[str, ...]
    positions: Positions


# What reading a file can find instead of a regular file's bytes (see `read_regular`).
LINK, FOLDER, NOT_REGULAR, REPLACED = "link", "folder", "not regular", "replaced"
IS_A_LINK = "is a link, not a file; it was not read"
CHANGED = "changed while it was read; it was not read"
_OPEN = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def read_regular(name: str | Path, follow: bool = True, dir_fd: int | None = None, seen: os.stat_result | None = None,
                 limit: int = MAX_BYTES) -> bytes | str:
    """Up to `limit` + 1 bytes of a regular file, opened once (never waiting for a pipe's
    writer), or why not: LINK (a link, when not following one), FOLDER, NOT_REGULAR, or REPLACED
    (not the file `seen` when it was listed). `name` is relative to `dir_fd` when one is given.
    OSError when it cannot be opened or read."""
    if not follow and not _NOFOLLOW and os.path.islink(name):  # a system without O_NOFOLLOW
        return LINK
    try:
        fd = os.open(name, _OPEN | (0 if follow else _NOFOLLOW), dir_fd=dir_fd)
    except IsADirectoryError:
        return FOLDER
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            return LINK
        raise
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            return FOLDER
        if not stat.S_ISREG(st.st_mode):
            return NOT_REGULAR
        if seen is not None and seen.st_ino and (st.st_dev, st.st_ino) != (seen.st_dev, seen.st_ino):
            return REPLACED
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def open_folder(name: str, dir_fd: int, seen: os.stat_result) -> int | str:
    """A descriptor of the folder `name` in the folder `dir_fd`, opened without following a link,
    or why not: LINK, or REPLACED (it is no longer the folder `seen`). OSError otherwise."""
    try:
        fd = os.open(name, _OPEN | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno not in (errno.ELOOP, errno.ENOTDIR):  # what a link gives, with O_NOFOLLOW or O_DIRECTORY
            raise
        try:
            now = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return REPLACED
        return LINK if stat.S_ISLNK(now.st_mode) else REPLACED
    st = os.fstat(fd)
    if (st.st_dev, st.st_ino) != (seen.st_dev, seen.st_ino):
        os.close(fd)
        return REPLACED
    return fd


def decode_text(raw: bytes, where: str) -> tuple[str | None, list[Problem]]:
    """A lesson file's bytes as UTF-8 text (a byte-order mark dropped), refusing more than 1 MiB."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(where, 0, 0, "is larger than 1 MiB; a lesson file must be smaller")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        return None, [Problem(where, line, column, f"is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]


def read_bytes(path: Path, follow: bool = True) -> tuple[bytes | None, list[Problem]]:
    """A lesson file's bytes (at most 1 MiB and one more), from one opening of a regular file.
    A link is followed only when the person named it (`follow`), not when a folder holds it."""
    where = str(path)
    try:
        raw = read_regular(path, follow)
    except OSError as exc:
        return None, [Problem(where, 0, 0, f"cannot be read: {exc.strerror or exc}")]
    if isinstance(raw, bytes):
        return raw, []
    why = {LINK: IS_A_LINK, FOLDER: "is a folder, not a lesson file",
           NOT_REGULAR: "is not a regular file (a device or pipe?); give a lesson file"}[raw]
    return None, [Problem(where, 0, 0, why)]


def read_text(path: Path, follow: bool = True) -> tuple[str | None, list[Problem]]:
    """Read a lesson file as UTF-8 text, refusing files over 1 MiB and text that is not UTF-8."""
    raw, problems = read_bytes(path, follow)
    return (None, problems) if raw is None else decode_text(raw, str(path))


def parse_lesson(text: str, where: str, builtin: bool = False, path: Path | None = None
                 ) -> tuple[LoadedLesson | None, list[Problem], Identity | None]:
    """Check lesson text fully: the lesson (None if invalid), every problem, and its ids."""
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    problems = [Problem(where, line, col, msg) for (line, col), msg in doc.problems]
    if not has_field(doc.data, LESSON_FIELDS):  # something else altogether: none of it is quoted
        if doc.complete and not (doc.data is None and problems):
            return None, [Problem(where, 0, 0, NOT_A_LESSON)], None
        return None, problems[-1:], None  # what stopped the reading (a syntax error, say)
    if not doc.complete or (doc.data is None and problems):
        return None, problems, None  # half-read data would only produce misleading follow-on problems
    already = {mark for mark, _ in doc.problems}

    def report(p: tuple[Any, ...], message: str, at_key: bool) -> None:
        line, col = doc.key_mark(p) if at_key else doc.mark(p)
        if (line, col) in already:
            return  # e.g. an alias or a value YAML could not build: the reader said what is wrong there
        label = safe_text(format_path(p))  # a key may hold the very character being reported
        problems.append(Problem(where, line, col, f"{label}: {message}" if label else message))

    identity = _identity(doc, path or Path(where))
    data = doc.data
    version = data.get("format") if isinstance(data, dict) else None
    if type(version) is int and version != m.FORMAT_VERSION:
        report(("format",), f"this file is written for lesson format {version}, "
               f"but this neurotutor reads format {m.FORMAT_VERSION}: upgrade neurotutor", False)
        return None, problems, identity
    lesson = None
    try:  # the fast path: most files are valid, and the position-reporting walk is slower
        lesson = msgspec.convert(data, m.Lesson, strict=True)
    except msgspec.ValidationError:
        from neurotutor.lessons.schema import check_file, type_info

        check_file(data, type_info(m.Lesson), report,
                   lambda p, at_key: (doc.key_mark(p) if at_key else doc.mark(p)) in already)
        if not problems:  # the walker should have said why; never pass a file it could not explain
            report((), "is not a valid lesson", False)
    # libyaml refuses raw control characters, so one can only arrive as an escape ("\e") in a
    # double-quoted value, or as a raw bidi override: without either, the walk can be skipped.
    if "\\" in text or first_unsafe(text) >= 0:
        check_characters(data, (), report)
    check_one_line(data, report)
    check_meaning(data, report)
    if problems or lesson is None:
        return None, problems, identity
    return LoadedLesson(lesson, path or Path(where), builtin, identity.positions if identity else {}), [], identity


def load_lesson_file(path: Path, builtin: bool = False, follow: bool = True
                     ) -> tuple[LoadedLesson | None, list[Problem], Identity | None]:
    """Read and check one lesson file; an unexpected error becomes a problem of this file only."""
    try:
        raw, problems = read_bytes(path, follow)
        if raw is None:
            return None, problems, None
        return lesson_from_bytes(raw, path, builtin)
    except Exception as exc:  # noqa: BLE001 - a bug in the checks must not stop the other lessons loading
        return None, [unexpected(path, exc)], None


def lesson_from_bytes(raw: bytes, path: Path, builtin: bool) -> tuple[LoadedLesson | None, list[Problem], Identity | None]:
    """Check a lesson file's bytes. A file that says it is a worksheet (`kind: worksheet`) is not
    a lesson, and not wrong: it is passed over here (None, no problems), and checked as a
    worksheet by `neurotutor.worksheets` (a lesson folder may hold worksheets)."""
    from neurotutor.worksheets.loader import says_worksheet

    if says_worksheet(raw):
        return None, [], None
    text, problems = decode_text(raw, str(path))
    if text is None:
        return None, problems, None
    return parse_lesson(text, str(path), builtin, path)


def unexpected(path: Path, exc: BaseException) -> Problem:
    """The problem that stands for an error no check foresaw while reading one file."""
    if isinstance(exc, RecursionError):
        return Problem(str(path), 0, 0, "is nested too deeply to read")
    detail = safe_text(" ".join(str(exc).split()))  # it may quote the file
    detail = detail if len(detail) <= 200 else detail[:199] + "…"
    return Problem(str(path), 0, 0, f"could not be read: unexpected error {type(exc).__name__}"
                   f"{': ' + detail if detail else ''}; please report this")


# -- checks on the raw data (they run even when the schema check failed) -------------------------


def _identity(doc: Document, path: Path) -> Identity | None:
    data = doc.data
    if not isinstance(data, dict):
        return None
    lesson_id = data.get("id") if isinstance(data.get("id"), str) else None
    positions: Positions = {"id": doc.mark(("id",))}
    questions = []
    for i, q in items_of(data, "questions"):
        if isinstance(q.get("id"), str) and q["id"] not in questions:
            questions.append(q["id"])
            positions[f"question:{q['id']}"] = doc.mark(("questions", i, "id"))
    prerequisites: list[str] = []
    for i, prereq in strings_of(data, "prerequisites"):
        positions[f"prerequisite:{len(prerequisites)}"] = doc.mark(("prerequisites", i))
        prerequisites.append(prereq)
    return Identity(path, lesson_id, tuple(questions), tuple(prerequisites), positions)


# -- files and the catalogue --------------------------------------------------------------------


