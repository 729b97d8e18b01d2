"""Adding an assignment to a profile, and removing one: the learner's side.

An assignment (one .yaml file, a folder, or a zip archive) is checked whole first, with the lesson
files that came with it; a lesson of the same id from elsewhere, or one another assignment still
uses, is refused; only then are its lessons kept in the profile's own lessons folder and the
assignment stored in the progress. Removing one keeps every answer and all progress in its lessons.
No clock (`now` is given); the catalogue is given as a function, read only when it is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.errors import InvalidFileError, UsageError

if TYPE_CHECKING:
    from neurotutor.assignments.kept import KeptLesson
    from neurotutor.assignments.loader import BundledLesson
    from neurotutor.assignments.model import Assignment
    from neurotutor.lessons.catalogue import Catalogue
    from neurotutor.progress import model as pm
    from neurotutor.progress.store import ProgressStore


@dataclass(frozen=True)
class Added:
    """An assignment stored in the progress: whether it replaced one of the same id, the titles of
    the lessons it names (the catalogue's and those that came with it), and how many lesson files
    were kept in `folder`."""

    assignment: Assignment
    replaced: bool
    titles: Mapping[str, str]
    kept: int
    folder: Path


def with_assignment(progress: pm.Progress, stored: pm.StoredAssignment) -> pm.Progress:
    """The progress with this assignment added (or replacing the one of the same id)."""
    from msgspec import structs

    return structs.replace(progress, assignments={**progress.assignments, stored.assignment.id: stored})


def without_assignment(progress: pm.Progress, assignment_id: str) -> pm.Progress:
    """The progress without this assignment (its lessons' progress untouched)."""
    from msgspec import structs

    return structs.replace(progress, assignments={k: v for k, v in progress.assignments.items() if k != assignment_id})


def add_assignment(file: Path, folder: Path, catalogue: Callable[[], Catalogue], store: ProgressStore,
                   now: datetime) -> Added:
    """Check the assignment in `file` (a .yaml file, a folder or a .zip archive), keep the lessons
    that came with it in the profile's lessons `folder`, and store it, added at `now`.

    Nothing is added when the assignment has a problem (InvalidFileError), when a lesson that came
    with it has the id of a lesson from elsewhere or differs from one another assignment still
    uses (UsageError), or when its lessons cannot be kept (ProgressError)."""
    from neurotutor.assignments import kept
    from neurotutor.assignments.archive import open_source
    from neurotutor.assignments.loader import NOT_AN_ASSIGNMENT, validate_assignment
    from neurotutor.lessons.catalogue import builtin_lessons
    from neurotutor.progress import model as pm

    if not file.exists():
        raise UsageError(f"There is no file or folder {file}.")
    known = catalogue()
    where = {entry.info.id: entry.path for entry in known.lessons}
    with open_source(file) as source:
        loaded, problems, bundled = (validate_assignment(source.assignment, known.lessons, builtin_lessons(known),
                                                         files=source.files)
                                     if source.assignment else (None, source.problems, []))
        problems = [source.shown(p) for p in problems]
        if problems or loaded is None:
            if (source.assignment is None and not file.is_file()) or [p.message for p in problems] == [NOT_AN_ASSIGNMENT]:
                raise InvalidFileError(problems, "Nothing was added.")  # not the therapist's doing: no assignment here
            raise InvalidFileError(problems, "This assignment has the problems above, so it was not added. "
                                             "Please send these lines to your therapist.")
        a = loaded.assignment
        clashes = []
        for item in bundled:
            lesson_id = item.lesson.id if item.lesson else ""
            elsewhere = where.get(lesson_id)
            if elsewhere is not None and elsewhere.parent != folder:  # a lesson of the same id from elsewhere
                clashes.append(f"The lesson {lesson_id!r} in {source.place(str(item.path))} "
                               f"has the same id as {elsewhere}; ask your therapist to give their lesson another id.")
        progress = store.load()
        in_profile = kept.kept_lessons(folder) if bundled else []
        clashes += kept.clashes(a, bundled, in_profile, [s.assignment for s in progress.assignments.values()],
                                lambda path: source.place(str(path)))
        if clashes:
            raise UsageError("\n".join(clashes) + "\nNothing was added.")
        if bundled:
            _keep(folder, bundled, in_profile)
    stored = pm.StoredAssignment(assignment=a, added=now, source=str(file.resolve()))
    store.update(lambda p: with_assignment(p, stored), keep_if_busy=False)
    titles = {entry.info.id: entry.info.title for entry in known.lessons}
    titles.update({item.lesson.id: item.lesson.title for item in bundled if item.lesson})
    return Added(a, a.id in progress.assignments, titles, len(bundled), folder)


def _keep(folder: Path, bundled: Sequence[BundledLesson], in_profile: Sequence[KeptLesson]) -> None:
    """Keep the lessons that came with an assignment, or say in words why they could not be."""
    from neurotutor.assignments import kept
    from neurotutor.errors import ProgressError
    from neurotutor.progress.store import failed_write

    try:
        kept.keep(folder, bundled, in_profile)
    except OSError as exc:
        raise ProgressError(failed_write(f"Could not keep the lessons that came with this assignment in {folder}",
                                         exc, "The assignment was not added.")) from None


def remove_assignment(store: ProgressStore, assignment_id: str, list_command: str) -> pm.StoredAssignment:
    """Remove an assignment from the progress (every answer and all progress in its lessons are
    kept); the assignment removed. An id that is not there is a UsageError naming `list_command`."""
    stored = store.load().assignments.get(assignment_id)
    if stored is None:
        raise UsageError(f"There is no assignment with the id {assignment_id!r}. Run '{list_command}' to see them.")
    store.update(lambda p: without_assignment(p, assignment_id), keep_if_busy=False)
    return stored
