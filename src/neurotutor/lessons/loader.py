"""The one choke point for lesson files: read, check and load them into `Lesson` models.

Every problem in a file is collected, with its line and column, before anything is reported:
size and encoding, YAML features lessons do not use, the schema (via `schema.check`), and the
meaning of the content (one right answer, references that exist, ...). `load_catalogue` then
checks what only shows across files: duplicate ids and prerequisites.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from neurotutor.errors import Problem, UnknownLessonError
from neurotutor.lessons import model as m
from neurotutor.text import normalize_answer

if TYPE_CHECKING:
    from neurotutor.lessons.yaml_source import Document

MAX_BYTES = 1024 * 1024
LESSON_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadedLesson:
    """A valid lesson, the file it came from, and where its ids are written."""

    lesson: m.Lesson
    path: Path
    builtin: bool = False
    positions: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Catalogue:
    """Every loaded lesson in display order, and the problems that kept files out."""

    lessons: tuple[LoadedLesson, ...]
    problems: tuple[Problem, ...] = ()

    def get(self, lesson_id: str) -> LoadedLesson | None:
        """The lesson with this id, or None."""
        return next((x for x in self.lessons if x.lesson.id == lesson_id), None)

    def find(self, lesson_id: str) -> LoadedLesson:
        """The lesson with this id, or an UnknownLessonError naming the closest ids."""
        found = self.get(lesson_id)
        if found is not None:
            return found
        ids = [x.lesson.id for x in self.lessons]
        near = difflib.get_close_matches(lesson_id, ids, n=3, cutoff=0.5)
        if not near:
            near = [i for i in ids if lesson_id and (lesson_id in i or i in lesson_id)][:3]
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise UnknownLessonError(
            f"There is no lesson with the id {lesson_id!r}.{hint} Run 'neurotutor lessons' to see them all."
        )


def format_path(path: tuple[Any, ...]) -> str:
    """A field path as authors read it: questions[3].choices[2].text, counting from 1."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """Read a lesson file as UTF-8 text, refusing files over 1 MiB and text that is not UTF-8."""
    where = str(path)
    if path.exists() and not path.is_dir() and not path.is_file():
        return None, [Problem(where, 0, 0, "is not a regular file (a device or pipe?); give a lesson file")]
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except IsADirectoryError:
        return None, [Problem(where, 0, 0, "is a folder, not a lesson file")]
    except OSError as exc:
        return None, [Problem(where, 0, 0, f"cannot be read: {exc.strerror or exc}")]
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


def parse_lesson(text: str, where: str, builtin: bool = False, path: Path | None = None) -> tuple[LoadedLesson | None, list[Problem]]:
    """Check lesson text fully; return the lesson (None if invalid) and every problem found."""
    from neurotutor.lessons.schema import check, type_info  # not needed when the cache answers
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    problems = [Problem(where, line, col, msg) for (line, col), msg in doc.problems]
    if not doc.complete or (doc.data is None and problems):
        return None, problems  # half-read data would only produce misleading follow-on problems
    already = {mark for mark, _ in doc.problems}

    def report(p: tuple[Any, ...], message: str, at_key: bool) -> None:
        line, col = doc.key_mark(p) if at_key else doc.mark(p)
        if (line, col) in already:
            return  # e.g. an alias: the reader has said what is wrong there
        label = format_path(p)
        problems.append(Problem(where, line, col, f"{label}: {message}" if label else message))

    version = doc.data.get("format") if isinstance(doc.data, dict) else None
    if type(version) is int and version != m.FORMAT_VERSION:
        report(("format",), f"this file is written for lesson format {doc.data['format']}, "
               f"but this neurotutor reads format {m.FORMAT_VERSION}: upgrade neurotutor", False)
        return None, problems
    check(doc.data, type_info(m.Lesson), (), report)
    if problems:
        return None, problems
    try:
        lesson = msgspec.convert(doc.data, m.Lesson, strict=True)
    except msgspec.ValidationError as exc:  # the walker should have caught it; never crash
        problems.append(Problem(where, 1, 1, f"not a valid lesson: {exc}"))
        return None, problems
    _check_meaning(lesson, doc, report)
    if problems:
        return None, problems
    return LoadedLesson(lesson, path or Path(where), builtin, _positions(lesson, doc)), []


def load_lesson_file(path: Path, builtin: bool = False) -> tuple[LoadedLesson | None, list[Problem]]:
    """Read and check one lesson file."""
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_lesson(text, str(path), builtin, path)


def _positions(lesson: m.Lesson, doc: Document) -> dict[str, tuple[int, int]]:
    pos = {"id": doc.mark(("id",))}
    for i, q in enumerate(lesson.questions):
        pos[f"question:{q.id}"] = doc.mark(("questions", i, "id"))
    for i in range(len(lesson.prerequisites)):
        pos[f"prerequisite:{i}"] = doc.mark(("prerequisites", i))
    return pos


def _check_meaning(lesson: m.Lesson, doc: Document, report: Any) -> None:
    def unique(ids: list[str], base: tuple[Any, ...], what: str, key: str | None = "id") -> None:
        seen: dict[str, int] = {}
        for i, value in enumerate(ids):
            if value in seen:
                p = base + (i,) + ((key,) if key else ())
                report(p, f"{what} {value!r} is used twice (also {format_path(base + (seen[value],))})", False)
            else:
                seen[value] = i

    ref_ids = {r.id for r in lesson.references}
    unique([r.id for r in lesson.references], ("references",), "reference id")
    unique([s.id for s in lesson.sections], ("sections",), "section id")
    unique([q.id for q in lesson.questions], ("questions",), "question id")

    def refs_exist(refs: tuple[str, ...], base: tuple[Any, ...]) -> None:
        for i, ref in enumerate(refs):
            if ref not in ref_ids:
                near = difflib.get_close_matches(ref, sorted(ref_ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                report(base + (i,), f"reference {ref!r} is not in this lesson's references{hint}", False)

    for i, ref in enumerate(lesson.references):
        if not (ref.doi or ref.url or ref.isbn):
            report(("references", i), "a reference needs a doi, url or isbn so readers can find it", False)
    for i, prereq in enumerate(lesson.prerequisites):
        if prereq == lesson.id:
            report(("prerequisites", i), "a lesson cannot be its own prerequisite", False)
    for i, section in enumerate(lesson.sections):
        refs_exist(section.refs, ("sections", i, "refs"))
        for j, claim in enumerate(section.claims):
            refs_exist(claim.refs, ("sections", i, "claims", j, "refs"))
    for i, q in enumerate(lesson.questions):
        base = ("questions", i)
        refs_exist(q.refs, base + ("refs",))
        if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
            right = sum(c.correct for c in q.choices)
            if isinstance(q, m.SingleChoice) and right != 1:
                report(base + ("choices",), f"a single_choice question needs exactly one choice with 'correct: true' (found {right})", False)
            if isinstance(q, m.MultipleSelect) and right < 1:
                report(base + ("choices",), "a multiple_select question needs at least one choice with 'correct: true'", False)
            unique([c.text.strip() for c in q.choices], base + ("choices",), "choice", "text")
            for j, c in enumerate(q.choices):
                if c.correct and c.misconception:
                    report(base + ("choices", j, "misconception"), "a right answer cannot carry a misconception label", False)
        elif isinstance(q, m.Ordering):
            unique([t.strip() for t in q.items], base + ("items",), "item", None)
        elif isinstance(q, m.Matching):
            unique([p.left.strip() for p in q.pairs], base + ("pairs",), "left item", "left")
            unique([p.right.strip() for p in q.pairs], base + ("pairs",), "right item", "right")
        elif isinstance(q, m.ShortAnswer):
            for j, accepted in enumerate(q.accepted):
                if not normalize_answer(accepted):
                    report(base + ("accepted", j), "an accepted answer must contain letters or digits", False)


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files in a folder, sorted by name (hidden files skipped)."""
    return sorted(
        p for p in folder.iterdir()
        if p.suffix.lower() in LESSON_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def collect_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand files and folders into lesson files, reporting paths that do not exist."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            try:
                found = lesson_files(path)
            except OSError as exc:
                problems.append(Problem(str(path), 0, 0, f"cannot be read: {exc.strerror or exc}"))
                continue
            if not found:
                problems.append(Problem(str(path), 0, 0, "holds no lesson files (*.yaml or *.yml)"))
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(str(path), 0, 0, "no such file or folder"))
    return files, problems


def load_catalogue(builtin_dir: Path, user_dirs: list[Path], cache_file: Path | None = None) -> Catalogue:
    """Load the built-in lessons, then user folders, checking ids across all.

    With a cache file, lessons validated before and unchanged since are not parsed again.
    """
    from neurotutor.lessons.cache import LessonCache

    cache = LessonCache(cache_file) if cache_file else None
    builtin_files = lesson_files(builtin_dir) if builtin_dir.is_dir() else []
    user_files, problems = collect_files(list(user_dirs))
    seen_files: set[Path] = set()
    loaded: list[LoadedLesson] = []
    for path, builtin in [(p, True) for p in builtin_files] + [(p, False) for p in user_files]:
        key = path.resolve()
        if key in seen_files:
            continue
        seen_files.add(key)
        entry = cache.get(path) if cache else None
        if entry is not None:
            loaded.append(LoadedLesson(entry.lesson, path, builtin, entry.positions))
            continue
        lesson, file_problems = load_lesson_file(path, builtin)
        problems.extend(file_problems)
        if lesson is not None:
            loaded.append(lesson)
            if cache:
                cache.put(path, lesson.lesson, lesson.positions)
    if cache:
        cache.save()
    lessons, cross = check_across(loaded)
    return Catalogue(tuple(lessons), tuple(sorted(set(problems + cross))))


def check_across(loaded: list[LoadedLesson]) -> tuple[list[LoadedLesson], list[Problem]]:
    """Drop lessons whose ids clash with an earlier one, and report clashes and missing prerequisites."""
    problems: list[Problem] = []
    kept: list[LoadedLesson] = []
    lesson_ids: dict[str, LoadedLesson] = {}
    question_ids: dict[str, LoadedLesson] = {}
    for item in loaded:
        lesson = item.lesson
        if lesson.id in lesson_ids:
            first = lesson_ids[lesson.id]
            line, col = item.positions["id"]
            problems.append(Problem(str(item.path), line, col,
                f"lesson id {lesson.id!r} is already used by {first.path}"))
            continue
        clash = False
        for q in lesson.questions:
            if q.id in question_ids:
                line, col = item.positions[f"question:{q.id}"]
                problems.append(Problem(str(item.path), line, col,
                    f"question id {q.id!r} is already used in {question_ids[q.id].path}"))
                clash = True
        if clash:
            continue
        lesson_ids[lesson.id] = item
        question_ids.update((q.id, item) for q in lesson.questions)
        kept.append(item)
    for item in kept:
        for i, prereq in enumerate(item.lesson.prerequisites):
            if prereq not in lesson_ids:
                line, col = item.positions[f"prerequisite:{i}"]
                near = difflib.get_close_matches(prereq, list(lesson_ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                problems.append(Problem(str(item.path), line, col, f"prerequisite {prereq!r} is not a known lesson{hint}"))
    return kept, problems


@dataclass(frozen=True)
class ValidationResult:
    """What `neurotutor validate` found: files checked, valid lessons and every problem."""

    files: tuple[Path, ...]
    lessons: tuple[LoadedLesson, ...]
    problems: tuple[Problem, ...]


def validate_files(builtin_dir: Path, user_dirs: list[Path], paths: list[Path]) -> ValidationResult:
    """Check the given files and folders (default: every lesson the tutor would load).

    Given files are checked against the rest of the catalogue too, so a duplicate id or a missing
    prerequisite is caught, but only problems in the given files are reported.
    """
    if not paths:
        paths = ([builtin_dir] if builtin_dir.is_dir() else []) + list(user_dirs)
    files, problems = collect_files(paths)
    given = {p.resolve() for p in files}
    builtin_files = lesson_files(builtin_dir) if builtin_dir.is_dir() else []
    # A folder holding every built-in file name is the built-ins' source (a checkout's lessons/):
    # it stands in for the installed copies instead of clashing with them.
    names = {p.name for p in builtin_files}
    for folder in {p.parent.resolve() for p in files}:
        if names and folder != builtin_dir.resolve() and names <= {p.name for p in lesson_files(folder)}:
            builtin_files = lesson_files(folder)
            break
    context_files = builtin_files + [
        p for d in user_dirs if d.is_dir() for p in lesson_files(d)
    ]
    context: list[LoadedLesson] = []
    for path in context_files:
        if path.resolve() not in given:
            lesson, _ = load_lesson_file(path, builtin=path.parent == builtin_dir)
            if lesson is not None:
                context.append(lesson)
    checked: list[LoadedLesson] = []
    seen: set[Path] = set()
    for path in files:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        lesson, file_problems = load_lesson_file(path)
        problems.extend(file_problems)
        if lesson is not None:
            checked.append(lesson)
    kept, cross = check_across(context + checked)
    given_names = {str(p) for p in files}
    problems.extend(p for p in cross if p.path in given_names)
    valid = tuple(x for x in kept if x in checked)
    return ValidationResult(tuple(files), valid, tuple(sorted(set(problems))))
