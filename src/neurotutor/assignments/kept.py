"""The lessons that came with assignments, as a profile keeps them: one file per lesson id.

Each is kept as `<lesson id>.yaml` in the profile's lessons folder. Two assignments whose files
share a name, or two files of one assignment that share a base name, can then never replace each
other's lessons, and one lesson is never kept twice under two names (which the catalogue would
warn about on every command). A kept lesson is replaced only by the same lesson, by a newer copy
from the assignment it came with (adding an assignment again updates it), or when no assignment
that is still added uses it. A different lesson with the same id as one another assignment still
uses is refused, naming both.

Profiles that kept lessons under the files' own names (before this layout) keep working: those
files are read as before. When a lesson is kept again, an old file holding it is removed (the new
`<id>.yaml` holds it now), and an old file that happens to have that name but holds another lesson
is moved aside under a free name, never lost.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neurotutor.assignments.loader import BundledLesson
    from neurotutor.assignments.model import Assignment
    from neurotutor.lessons.model import Lesson


@dataclass(frozen=True)
class KeptLesson:
    """A lesson file in a profile's lessons folder: the id it holds (None if it holds none that
    can be read) and the lesson (None unless valid)."""

    id: str | None
    path: Path
    lesson: Lesson | None


def kept_name(lesson_id: str) -> str:
    """The file a bundled lesson is kept in: its id (lowercase letters, digits and dashes)."""
    return f"{lesson_id}.yaml"


def kept_lessons(folder: Path) -> list[KeptLesson]:
    """Every lesson file in a profile's lessons folder, with what it holds."""
    from neurotutor.lessons.catalogue import lesson_files
    from neurotutor.lessons.loader import load_lesson_file

    if not folder.is_dir():
        return []
    found = []
    for path in lesson_files(folder):
        loaded, _, identity = load_lesson_file(path)
        found.append(KeptLesson(identity.lesson_id if identity else None, path, loaded.lesson if loaded else None))
    return found


def clashes(assignment: Assignment, bundled: Iterable[BundledLesson], kept: Iterable[KeptLesson],
            added: Iterable[Assignment], shown: Callable[[Path], str] = str) -> list[str]:
    """Why some lessons of `assignment` cannot be kept: each is a different lesson with the same
    id as one kept for another assignment that is still added (`added`), both named."""
    kept = list(kept)
    found = []
    for item in bundled:
        lesson = item.lesson
        if lesson is None:
            continue
        same_id = [k for k in kept if k.id == lesson.id and k.lesson is not None]
        if not same_id or any(k.lesson == lesson for k in same_id):
            continue  # nothing kept under this id, or the very same lesson
        users = [a for a in added if a.id != assignment.id and any(x.lesson == lesson.id and x.file for x in a.lessons)]
        if users:
            found.append(f"The lesson {lesson.id!r} in {shown(item.path)} is not the same as the lesson {lesson.id!r} "
                         f"that came with the assignment {users[0].id!r} ({users[0].title}), kept in "
                         f"{same_id[0].path}; ask your therapist to give their lesson another id.")
    return found


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}.yaml"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}.yaml"
        number += 1
    return candidate


def keep(folder: Path, bundled: Iterable[BundledLesson], kept: Iterable[KeptLesson]) -> list[Path]:
    """Keep each bundled lesson as `<id>.yaml` in folder (created private): an old file holding the
    same lesson is removed, an old file in the way is moved aside. The files written."""
    from neurotutor import files

    files.ensure_private_dir(folder)
    kept = list(kept)
    written = []
    for item in bundled:
        if item.lesson is None:
            continue
        target = folder / kept_name(item.lesson.id)
        in_the_way = next((k for k in kept if k.path == target and k.id != item.lesson.id), None)
        if in_the_way is not None:  # kept the old way, by a file name that is now this lesson's
            aside = _free_name(folder, in_the_way.lesson.id if in_the_way.lesson is not None else f"{target.stem}-old")
            os.replace(target, aside)
            kept = [KeptLesson(k.id, aside, k.lesson) if k is in_the_way else k for k in kept]
        files.atomic_write(target, item.data)
        for old in kept:
            if old.id == item.lesson.id and old.path != target:
                old.path.unlink(missing_ok=True)
        kept = [k for k in kept if k.id != item.lesson.id]
        written.append(target)
    files.fsync_dir(folder)
    return written
