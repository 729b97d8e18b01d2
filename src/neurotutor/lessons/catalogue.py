"""The catalogue: every lesson in the built-in folder and the learner's own folders, in display
order, from a small index (`LessonInfo` per file, cached); a full lesson is decoded only when it is
opened (`Catalogue.find`). Checks across files (duplicate ids, unknown prerequisites) and
`validate_files`, which reports every problem of every file, live here too. Reading and checking
one file is `neurotutor.lessons.loader`'s job.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.errors import InvalidFileError, Problem, UnknownLessonError
from neurotutor.lessons import loader  # its VALIDATOR_VERSION read when used (a test bumps it)
from neurotutor.lessons.loader import (
    IS_A_LINK,
    LESSON_SUFFIXES,
    Identity,
    LessonInfo,
    LoadedLesson,
    Positions,
    info_of,
    lesson_from_bytes,
    load_lesson_file,
    read_bytes,
    unexpected,
)
from neurotutor.text import excerpt

if TYPE_CHECKING:
    from collections.abc import Sequence

    from neurotutor.lessons.cache import LessonCache


@dataclass(frozen=True)
class CatalogueEntry:
    """A lesson in the catalogue: its index entry and file (the full lesson is read on demand)."""

    info: LessonInfo
    path: Path
    builtin: bool = False
    positions: Positions = field(default_factory=dict, compare=False, repr=False)


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

    def number(self, lesson_id: str) -> int | None:
        """The lesson's number in the suggested order (1 for the first), as `lessons` shows it."""
        return next((i for i, e in enumerate(self.lessons, 1) if e.info.id == lesson_id), None)

    def find(self, lesson_id: str, list_command: str = "neurotutor lessons",
             validate_command: str = "neurotutor validate") -> LoadedLesson:
        """The full lesson with this id, or with this number in the suggested order ("5": the fifth,
        as `neurotutor lessons` numbers them); UnknownLessonError naming the closest ids (and the
        command that lists them all) if there is none."""
        entry = self.get(lesson_id)
        if entry is None and lesson_id.isdigit() and lesson_id.isascii():
            number = int(lesson_id)
            if not 1 <= number <= len(self.lessons):
                raise UnknownLessonError(f"There is no lesson {number}: the lessons are numbered 1 to "
                                         f"{len(self.lessons)}. Run '{list_command}' to see them.")
            entry = self.lessons[number - 1]
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

    return LessonCache(cache_dir, loader.VALIDATOR_VERSION)


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
        loaded, problems, identity = lesson_from_bytes(raw, path, builtin)
        if loaded is None:
            if cache:
                cache.drop(path)  # invalid files are never cached
            return None, problems, identity
        if cache:
            cache.put(path, loaded)
        return CatalogueEntry(info_of(loaded.lesson), path, builtin, loaded.positions), [], identity
    except Exception as exc:  # noqa: BLE001 - a bug in the checks must not stop the other lessons loading
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


def check_across(entries: list[CatalogueEntry], invalid: Sequence[Identity] = ()) -> tuple[list[CatalogueEntry], list[Problem]]:
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
