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

`load_catalogue` builds the catalogue from a small index (`LessonInfo` per file) and decodes a
full lesson only when it is opened (`Catalogue.find`); an unexpected error while reading one file
becomes a problem of that file, so no file, however broken, stops the others from loading.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import msgspec

from neurotutor.errors import InvalidFileError, Problem, UnknownLessonError
from neurotutor.jsonpos import format_path
from neurotutor.lessons import model as m
from neurotutor.text import describe_char, excerpt, first_unsafe, normalize_answer, safe_text

if TYPE_CHECKING:
    from neurotutor.lessons.cache import LessonCache
    from neurotutor.lessons.yaml_source import Document

MAX_BYTES = 1024 * 1024
LESSON_SUFFIXES = (".yaml", ".yml")
VALIDATOR_VERSION = 3  # bump whenever a rule changes, so cached lessons are checked again
# A file with none of these is not a lesson at all, and is reported as one problem that quotes nothing.
LESSON_FIELDS = ("format", "id", "questions", "sections", "summary", "title")
NOT_A_LESSON = f"is not a lesson file (it has none of a lesson's fields: {', '.join(LESSON_FIELDS)})"

Positions = dict[str, tuple[int, int]]
Report = Callable[[tuple[Any, ...], str, bool], None]


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


def info_of(lesson: m.Lesson) -> LessonInfo:
    """The index entry of a lesson."""
    return LessonInfo(lesson.id, lesson.title, lesson.summary, lesson.level, lesson.minutes, lesson.tags,
                      lesson.prerequisites, tuple(s.id for s in lesson.sections), tuple(q.id for q in lesson.questions))


@dataclass(frozen=True)
class LoadedLesson:
    """A valid lesson, the file it came from, and where its ids are written."""

    lesson: m.Lesson
    path: Path
    builtin: bool = False
    positions: Positions = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CatalogueEntry:
    """A lesson in the catalogue: its index entry and file (the full lesson is read on demand)."""

    info: LessonInfo
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


def _identity_of(entry: CatalogueEntry) -> Identity:
    return Identity(entry.path, entry.info.id, entry.info.question_ids, entry.info.prerequisites, entry.positions)


@dataclass(frozen=True)
class Catalogue:
    """Every loaded lesson in display order, and the problems that kept files out."""

    lessons: tuple[CatalogueEntry, ...]
    problems: tuple[Problem, ...] = ()
    cache: LessonCache | None = field(default=None, compare=False, repr=False)

    def get(self, lesson_id: str) -> CatalogueEntry | None:
        """The entry with this id, or None."""
        return next((x for x in self.lessons if x.info.id == lesson_id), None)

    def find(self, lesson_id: str, list_command: str = "neurotutor lessons",
             validate_command: str = "neurotutor validate") -> LoadedLesson:
        """The full lesson with this id; UnknownLessonError naming the closest ids (and the command
        that lists them all) if there is none."""
        entry = self.get(lesson_id)
        if entry is None:
            ids = [x.info.id for x in self.lessons]
            near = difflib.get_close_matches(lesson_id, ids, n=3, cutoff=0.5)
            if not near:
                near = [i for i in ids if len(lesson_id) >= 3 and (lesson_id in i or i in lesson_id)][:3]
            hint = f" Did you mean: {', '.join(near)}?" if near else ""
            raise UnknownLessonError(
                f"There is no lesson with the id {lesson_id!r}.{hint} Run '{list_command}' to see them all"
                + ("." if "--lessons-dir" in list_command else "; a lesson of your own is found with --lessons-dir FOLDER.")
            )
        return self.load(entry, validate_command)

    def load(self, entry: CatalogueEntry, validate_command: str = "neurotutor validate") -> LoadedLesson:
        """Read an entry's full lesson (from the cache when the file is unchanged)."""
        cached = self.cache.lesson(entry.path) if self.cache else None
        if cached is not None and cached.id == entry.info.id:
            return LoadedLesson(cached, entry.path, entry.builtin, entry.positions)
        loaded, problems, _ = load_lesson_file(entry.path, entry.builtin)
        if loaded is None or loaded.lesson.id != entry.info.id:
            problems = problems or [Problem(str(entry.path), 0, 0, f"no longer holds the lesson {entry.info.id!r}")]
            raise InvalidFileError(sorted(problems), "This lesson file changed and is no longer valid; "
                                   f"run '{validate_command}' to see every problem.")
        if self.cache:
            self.cache.put(entry.path, loaded, full=True)
            self.cache.save()
        return loaded


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
        _check_characters(data, (), report)
    _check_one_line(data, report)
    _check_meaning(data, report)
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
        return _lesson_of(raw, path, builtin)
    except Exception as exc:  # a bug in the checks must not stop the other lessons loading
        return None, [unexpected(path, exc)], None


def _lesson_of(raw: bytes, path: Path, builtin: bool) -> tuple[LoadedLesson | None, list[Problem], Identity | None]:
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


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in the list data[key], with their indices (anything else is skipped)."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _strings(data: Any, key: str) -> list[tuple[int, str]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, str)]


def _identity(doc: Document, path: Path) -> Identity | None:
    data = doc.data
    if not isinstance(data, dict):
        return None
    lesson_id = data.get("id") if isinstance(data.get("id"), str) else None
    positions: Positions = {"id": doc.mark(("id",))}
    questions = []
    for i, q in _items(data, "questions"):
        if isinstance(q.get("id"), str) and q["id"] not in questions:
            questions.append(q["id"])
            positions[f"question:{q['id']}"] = doc.mark(("questions", i, "id"))
    prerequisites = []
    for i, prereq in _strings(data, "prerequisites"):
        positions[f"prerequisite:{len(prerequisites)}"] = doc.mark(("prerequisites", i))
        prerequisites.append(prereq)
    return Identity(path, lesson_id, tuple(questions), tuple(prerequisites), positions)


def _check_characters(value: Any, path: tuple[Any, ...], report: Report) -> None:
    """No text may hold a control character or a bidirectional override (they can drive a
    terminal or make text read differently from what it says)."""
    if isinstance(value, str):
        at = first_unsafe(value)
        if at >= 0:
            report(path, f"contains {_unsafe_char(value[at])} at character {at + 1}; remove it", False)
    elif isinstance(value, dict):
        for key, item in value.items():
            at = first_unsafe(key) if isinstance(key, str) else -1
            if at >= 0:
                report(path + (key,), f"the field name contains {_unsafe_char(key[at])} at character {at + 1}; "
                       "remove it", True)
            _check_characters(item, path + (key,), report)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_characters(item, path + (i,), report)


def has_field(data: Any, fields: tuple[str, ...]) -> bool:
    """Whether YAML data is a set of fields with at least one of these."""
    return isinstance(data, dict) and any(name in data for name in fields)


_BREAKS = re.compile("[\n\t\u2028\u2029]")


def one_line_problem(value: Any) -> str | None:
    """Why a text shown on one line (a title, a name, a label, an answer) is not one line, or None."""
    found = _BREAKS.search(value) if isinstance(value, str) else None
    if found is None:
        return None
    at = found.start()
    what = "a tab" if found.group() == "\t" else "a line break"
    hint = " (a block written with > or | ends in a line break: write >- or |- instead)" \
        if at == len(value) - 1 and value.endswith("\n") else ""
    return f"contains {what} at character {at + 1}; it is shown on one line, so write it on one line{hint}"


def _check_one_line(data: Any, report: Report) -> None:
    """Texts shown on one line hold no line break or tab: one could add a line that looks like
    the tutor's own (a fake row, a fake heading). Bodies, prompts, explanations and notes may."""
    if not isinstance(data, dict):
        return

    def one(holder: dict[str, Any], base: tuple[Any, ...], *keys: str) -> None:
        for key in keys:
            wrong = one_line_problem(holder.get(key))
            if wrong:
                report(base + (key,), wrong, False)

    one(data, (), "title")
    for i, section in _items(data, "sections"):
        one(section, ("sections", i), "title")
    for i, ref in _items(data, "references"):
        one(ref, ("references", i), "authors", "title", "source", "doi", "url", "isbn")
    for i, q in _items(data, "questions"):
        base = ("questions", i)
        one(q, base, "left_label", "right_label")
        for j, choice in _items(q, "choices"):
            one(choice, base + ("choices", j), "text")
        for j, pair in _items(q, "pairs"):
            one(pair, base + ("pairs", j), "left", "right")
        for key in ("items", "accepted"):
            for j, text in _strings(q, key):
                wrong = one_line_problem(text)
                if wrong:
                    report(base + (key, j), wrong, False)


def _unsafe_char(ch: str) -> str:
    kind = "a bidirectional override" if "\u202a" <= ch <= "\u2069" else "a control character"
    return f"{kind} ({describe_char(ch)})"


def _check_meaning(data: Any, report: Report) -> None:
    if not isinstance(data, dict):
        return

    def unique(values: list[tuple[int, str]], base: tuple[Any, ...], what: str, key: str | None = "id") -> None:
        seen: dict[str, int] = {}
        for i, value in values:
            if value in seen:
                p = base + (i,) + ((key,) if key else ())
                report(p, f"{what} {excerpt(value)} is used twice (also {format_path(base + (seen[value],))})", False)
            else:
                seen[value] = i

    def ids(key: str, field_name: str = "id", strip: bool = False) -> list[tuple[int, str]]:
        return [(i, x[field_name].strip() if strip else x[field_name]) for i, x in _items(data, key)
                if isinstance(x.get(field_name), str)]

    references = _items(data, "references")
    ref_ids = {r["id"] for _, r in references if isinstance(r.get("id"), str)}
    unique(ids("references"), ("references",), "reference id")
    unique(ids("sections"), ("sections",), "section id")
    unique(ids("questions"), ("questions",), "question id")

    def refs_exist(holder: dict[str, Any], base: tuple[Any, ...]) -> None:
        for i, ref in _strings(holder, "refs"):
            if ref not in ref_ids:
                near = difflib.get_close_matches(ref, sorted(ref_ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                report(base + ("refs", i), f"reference {excerpt(ref)} is not in this lesson's references{hint}", False)

    for i, ref in references:
        if not any(isinstance(ref.get(k), str) and ref[k].strip() for k in ("doi", "url", "isbn")):
            report(("references", i), "a reference needs a doi, url or isbn so readers can find it", False)
    for i, prereq in _strings(data, "prerequisites"):
        if prereq == data.get("id"):
            report(("prerequisites", i), "a lesson cannot be its own prerequisite", False)
    for i, section in _items(data, "sections"):
        refs_exist(section, ("sections", i))
        for j, claim in _items(section, "claims"):
            refs_exist(claim, ("sections", i, "claims", j))
    for i, q in _items(data, "questions"):
        base = ("questions", i)
        refs_exist(q, base)
        kind = q.get("type")
        if kind in ("single_choice", "multiple_select"):
            choices = _items(q, "choices")
            right = sum(c.get("correct") is True for _, c in choices)
            if any(not isinstance(c.get("correct", False), bool) for _, c in choices):
                choices_counted = False  # a `correct` that is not true/false: its type problem says enough
            else:
                choices_counted = bool(choices)
            if kind == "single_choice" and right != 1 and choices_counted:
                report(base + ("choices",), f"a single_choice question needs exactly one choice with 'correct: true' (found {right})", False)
            if kind == "multiple_select" and right < 1 and choices_counted:
                report(base + ("choices",), "a multiple_select question needs at least one choice with 'correct: true'", False)
            unique([(j, c["text"].strip()) for j, c in choices if isinstance(c.get("text"), str)],
                   base + ("choices",), "choice", "text")
            for j, c in choices:
                if c.get("correct") is True and c.get("misconception") is not None:
                    report(base + ("choices", j, "misconception"), "a right answer cannot carry a misconception label", False)
        elif kind == "ordering":
            unique([(j, t.strip()) for j, t in _strings(q, "items")], base + ("items",), "item", None)
        elif kind == "matching":
            pairs = _items(q, "pairs")
            unique([(j, p["left"].strip()) for j, p in pairs if isinstance(p.get("left"), str)], base + ("pairs",), "left item", "left")
            unique([(j, p["right"].strip()) for j, p in pairs if isinstance(p.get("right"), str)], base + ("pairs",), "right item", "right")
        elif kind == "short_answer":
            for j, accepted in _strings(q, "accepted"):
                if accepted.strip() and not normalize_answer(accepted):
                    report(base + ("accepted", j), "an accepted answer must contain letters or digits", False)


# -- files and the catalogue --------------------------------------------------------------------


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files in a folder, sorted by name (hidden files skipped)."""
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in LESSON_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def _listing(folder: Path) -> list[Path]:
    """The lesson files of a folder that is only context (its problems are not asked for)."""
    try:
        return lesson_files(folder) if folder.is_dir() else []
    except OSError:
        return []


def _unlinked_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The lesson files in a folder, sorted by name, never through a link: a link in it with a
    lesson file's name is a problem, and is not read."""
    files: list[Path] = []
    problems: list[Problem] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or os.path.splitext(entry.name)[1].lower() not in LESSON_SUFFIXES:
                continue
            if entry.is_symlink():
                problems.append(Problem(str(folder / entry.name), 0, 0, IS_A_LINK))
            elif entry.is_file(follow_symlinks=False):
                files.append(folder / entry.name)
    return sorted(files), problems


def collect_files(paths: list[Path], links: bool = True) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into lesson files, reporting paths that do not exist. Without
    `links`, a link inside a folder is reported and not read (a file named itself is read)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            try:
                found, refused = (lesson_files(path), []) if links else _unlinked_files(path)
            except OSError as exc:
                problems.append(Problem(str(path), 0, 0, f"cannot be read: {exc.strerror or exc}"))
                continue
            if not found and not refused:
                problems.append(Problem(str(path), 0, 0, "holds no lesson files (*.yaml or *.yml)"))
            files.extend(found)
            problems.extend(refused)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, 0, "no such file or folder"))
    return files, problems


def _open_cache(cache_dir: Path | None) -> LessonCache | None:
    if cache_dir is None:
        return None
    from neurotutor.lessons.cache import LessonCache

    return LessonCache(cache_dir, VALIDATOR_VERSION)


def _entry(path: Path, builtin: bool, cache: LessonCache | None, follow: bool = True,
           apart: list[tuple[Path, bytes]] | None = None) -> tuple[CatalogueEntry | None, list[Problem], Identity | None]:
    """A file's catalogue entry: from the index when unchanged, else by checking the file (read
    once; through a link only with `follow`). With `apart`, a file that says it is an assignment
    is put there with its bytes instead of being checked as a lesson.

    Anything unexpected (a bug in a check, a cache that cannot be read) becomes a problem of this
    file only, so no file stops the others from loading.
    """
    try:
        hit = cache.get(path) if cache else None
        if hit is not None:
            entry = CatalogueEntry(hit.info, path, builtin, hit.positions)
            return entry, [], _identity_of(entry)
        raw, problems = read_bytes(path, follow)
        if raw is None:
            return None, problems, None
        if apart is not None:
            from neurotutor.assignments.loader import says_assignment

            if says_assignment(raw):
                apart.append((path, raw))
                return None, [], None
        loaded, problems, identity = _lesson_of(raw, path, builtin)
        if loaded is None:
            if cache:
                cache.drop(path)  # invalid files are never cached
            return None, problems, identity
        if cache:
            cache.put(path, loaded)
        return CatalogueEntry(info_of(loaded.lesson), path, builtin, loaded.positions), [], identity
    except Exception as exc:
        return None, [unexpected(path, exc)], None


def load_catalogue(builtin_dir: Path, user_dirs: list[Path], cache_dir: Path | None = None) -> Catalogue:
    """Load the built-in lessons, then user folders, checking ids across all.

    With a cache folder, files checked before and unchanged since are taken from its index.
    """
    cache = _open_cache(cache_dir)
    builtin_files = lesson_files(builtin_dir) if builtin_dir.is_dir() else []
    user_files, problems = collect_files(list(user_dirs))
    seen_files: set[Path] = set()
    entries: list[CatalogueEntry] = []
    for path, builtin in [(p, True) for p in builtin_files] + [(p, False) for p in user_files]:
        key = path.resolve()
        if key in seen_files:
            continue
        seen_files.add(key)
        entry, file_problems, _ = _entry(path, builtin, cache)
        problems.extend(file_problems)
        if entry is not None:
            entries.append(entry)
    if cache:
        cache.save()
    kept, cross = check_across(entries)
    return Catalogue(tuple(kept), tuple(sorted(set(problems + cross))), cache)


def check_across(entries: list[CatalogueEntry], invalid: list[Identity] = ()) -> tuple[list[CatalogueEntry], list[Problem]]:  # type: ignore[assignment]
    """Drop lessons whose ids clash with an earlier one, and report clashes and missing
    prerequisites; the ids of invalid files (`invalid`) are checked against the valid ones too."""
    problems: list[Problem] = []
    kept: list[CatalogueEntry] = []
    lesson_ids: dict[str, Path] = {}
    question_ids: dict[str, Path] = {}

    def clashes(item: Identity) -> bool:
        found = False
        if item.lesson_id is not None and item.lesson_id in lesson_ids:
            line, col = item.positions["id"]
            problems.append(Problem(str(item.path), line, col,
                                    f"lesson id {excerpt(item.lesson_id)} is already used by {lesson_ids[item.lesson_id]}"))
            return True
        for q in item.question_ids:
            if q in question_ids:
                line, col = item.positions[f"question:{q}"]
                problems.append(Problem(str(item.path), line, col, f"question id {excerpt(q)} is already used in {question_ids[q]}"))
                found = True
        return found

    for entry in entries:
        if clashes(_identity_of(entry)):
            continue
        lesson_ids[entry.info.id] = entry.path
        question_ids.update((q, entry.path) for q in entry.info.question_ids)
        kept.append(entry)
    for identity in invalid:  # after every valid lesson: a valid file keeps its ids
        if not clashes(identity):
            if identity.lesson_id is not None:
                lesson_ids[identity.lesson_id] = identity.path  # it exists, though it has problems
            question_ids.update((q, identity.path) for q in identity.question_ids if q not in question_ids)

    def prerequisites(item: Identity) -> None:
        for i, prereq in enumerate(item.prerequisites):
            if prereq not in lesson_ids and prereq != item.lesson_id:
                line, col = item.positions[f"prerequisite:{i}"]
                near = difflib.get_close_matches(prereq, list(lesson_ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                problems.append(Problem(str(item.path), line, col, f"prerequisite {excerpt(prereq)} is not a known lesson{hint}"))

    for entry in kept:
        prerequisites(_identity_of(entry))
    for identity in invalid:
        prerequisites(identity)
    return kept, problems


@dataclass(frozen=True)
class ValidationResult:
    """What `neurotutor validate` found: files checked, valid lessons and every problem."""

    files: tuple[Path, ...]
    lessons: tuple[CatalogueEntry, ...]
    problems: tuple[Problem, ...]
    assignments: tuple[tuple[Path, bytes], ...] = ()  # files that say they are assignments, as read


def validate_files(builtin_dir: Path, user_dirs: list[Path], paths: list[Path],
                   cache_dir: Path | None = None) -> ValidationResult:
    """Check the given files and folders (default: every lesson the tutor would load).

    Given files are checked against the rest of the catalogue too, so a duplicate id or a missing
    prerequisite is caught, but only problems in the given files are reported. With a cache
    folder, files unchanged since they last passed the same validator are not parsed again.
    A link inside a given folder is reported and not read (a file the person names is read even
    through a link). A file that says it is an assignment (`kind: assignment`, as
    `assignments.loader.says_assignment` reads it) is not checked as a lesson: it is returned in
    `assignments` with the bytes read, for the caller to check as what it is.
    """
    named = set(paths)
    if not paths:
        paths = ([builtin_dir] if builtin_dir.is_dir() else []) + list(user_dirs)
    files, problems = collect_files(paths, links=not named)
    given = {p.resolve() for p in files}
    builtin_files = lesson_files(builtin_dir) if builtin_dir.is_dir() else []
    # A folder holding every built-in file name is the built-ins' source (a checkout's lessons/):
    # it stands in for the installed copies instead of clashing with them.
    names = {p.name for p in builtin_files}
    for folder in sorted({p.parent.resolve() for p in files}):
        if names and folder != builtin_dir.resolve() and names <= {p.name for p in _listing(folder)}:
            builtin_files = _listing(folder)
            break
    cache = _open_cache(cache_dir)
    context_files = builtin_files + [p for d in user_dirs for p in _listing(d)]
    context: list[CatalogueEntry] = []
    for path in context_files:
        if path.resolve() not in given:
            entry, _, _ = _entry(path, path.parent == builtin_dir, cache)
            if entry is not None:
                context.append(entry)
    checked: list[CatalogueEntry] = []
    invalid: list[Identity] = []
    apart: list[tuple[Path, bytes]] = []
    seen: set[Path] = set()
    for path in files:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        entry, file_problems, identity = _entry(path, False, cache, follow=not named or path in named, apart=apart)
        problems.extend(file_problems)
        if entry is not None:
            checked.append(entry)
        elif identity is not None:
            invalid.append(identity)
    if cache:
        cache.save()
    kept, cross = check_across(context + checked, invalid)
    given_names = {str(p) for p in files}
    problems.extend(p for p in cross if p.path in given_names)
    mine = {id(x) for x in checked}  # by identity: comparing entries would be quadratic
    valid = tuple(x for x in kept if id(x) in mine)
    assignments = {where for where, _ in apart}
    lessons = tuple(path for path in files if path not in assignments)
    return ValidationResult(lessons, valid, tuple(sorted(set(problems))), tuple(apart))


def builtin_lessons(catalogue: Catalogue) -> dict[str, Path]:
    """The built-in lessons of a catalogue: id -> file."""
    from neurotutor import paths

    home = paths.builtin_lessons_dir().resolve()
    return {e.info.id: e.path for e in catalogue.lessons if e.path.resolve().parent == home}
