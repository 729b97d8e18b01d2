"""Adding an assignment to a profile, and removing one: the learner's side.

An assignment (one .yaml file, a folder, or a zip archive) is checked whole first, with the lesson
and worksheet files that came with it; a lesson (or worksheet) of the same id from elsewhere, or a
different one of the same id that another assignment still uses, is refused; only then are its
lessons and worksheets kept in the profile's own lessons folder (a worksheet as
`<id>.worksheet.yaml`, a name no lesson's can take) and the assignment stored in the progress.
Removing one keeps every answer and all progress in its lessons. No clock (`now` is given); the
catalogues are given as functions, read only when they are needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.errors import InvalidFileError, UsageError

if TYPE_CHECKING:
    from neurotutor.assignments.kept import KeptLesson
    from neurotutor.assignments.loader import BundledLesson, BundledWorksheet
    from neurotutor.assignments.model import Assignment
    from neurotutor.lessons.catalogue import Catalogue
    from neurotutor.progress import model as pm
    from neurotutor.progress.store import ProgressStore
    from neurotutor.worksheets.catalogue import WorksheetCatalogue
    from neurotutor.worksheets.model import Worksheet


@dataclass(frozen=True)
class Added:
    """An assignment stored in the progress: whether it replaced one of the same id, the titles of
    the lessons and worksheets it names (the catalogues' and those that came with it), and how
    many lesson and worksheet files were kept in `folder`."""

    assignment: Assignment
    replaced: bool
    titles: Mapping[str, str]
    kept: int
    folder: Path
    worksheets: Mapping[str, str] = field(default_factory=dict)  # the titles of the worksheets it sets: id -> title
    kept_worksheets: int = 0  # worksheet files kept in `folder`


def with_assignment(progress: pm.Progress, stored: pm.StoredAssignment) -> pm.Progress:
    """The progress with this assignment added, or replacing the one of the same id: an update
    keeps the day it was first added, from which its review minutes, practice weeks and check-ins
    are counted (a new version of the file does not start them again)."""
    from msgspec import structs

    before = progress.assignments.get(stored.assignment.id)
    if before is not None:
        stored = structs.replace(stored, added=min(before.added, stored.added))
    return structs.replace(progress, assignments={**progress.assignments, stored.assignment.id: stored})


def without_assignment(progress: pm.Progress, assignment_id: str) -> pm.Progress:
    """The progress without this assignment (its lessons' progress untouched)."""
    from msgspec import structs

    return structs.replace(progress, assignments={k: v for k, v in progress.assignments.items() if k != assignment_id})


def add_assignment(file: Path, folder: Path, catalogue: Callable[[], Catalogue], store: ProgressStore,
                   now: datetime, worksheets: Callable[[], WorksheetCatalogue] | None = None) -> Added:
    """Check the assignment in `file` (a .yaml file, a folder or a .zip archive), keep the lessons
    and worksheets that came with it in the profile's lessons `folder`, and store it, added at
    `now`. `worksheets` is the catalogue of worksheets (the built-in ones and the user's), read
    only when the assignment sets practice; without it, only the built-in ones are known.

    Nothing is added when the assignment has a problem (InvalidFileError), when a lesson or a
    worksheet that came with it has the id of one from elsewhere or differs from one another
    assignment still uses (UsageError), or when its files cannot be kept (ProgressError)."""
    from neurotutor.assignments import kept
    from neurotutor.assignments.archive import open_source
    from neurotutor.assignments.loader import NOT_AN_ASSIGNMENT, Checked, check_assignment
    from neurotutor.lessons.catalogue import builtin_lessons
    from neurotutor.progress import model as pm

    if not file.exists():
        raise UsageError(f"There is no file or folder {file}.")
    known = catalogue()
    where = {entry.info.id: entry.path for entry in known.lessons}
    sheets = _Sheets(worksheets)
    with open_source(file) as source:
        checked = (check_assignment(source.assignment, known.lessons, builtin_lessons(known), files=source.files,
                                    worksheets=sheets.builtin) if source.assignment
                   else Checked(None, source.problems, [], []))
        loaded, bundled = checked.loaded, checked.lessons
        problems = [source.shown(p) for p in checked.problems]
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
        added = [s.assignment for s in progress.assignments.values()]
        clashes += kept.clashes(a, bundled, in_profile, added, lambda path: source.place(str(path)))
        sheets_in_profile = kept_worksheets(folder) if checked.worksheets else []
        clashes += worksheet_clashes(a, checked.worksheets, sheets.elsewhere(folder), sheets_in_profile, added,
                                     lambda path: source.place(str(path)))
        if clashes:
            raise UsageError("\n".join(clashes) + "\nNothing was added.")
        if bundled:
            _keep(folder, bundled, in_profile)
        if checked.worksheets:
            _keep_worksheets(folder, checked.worksheets, sheets_in_profile)
    stored = pm.StoredAssignment(assignment=a, added=now, source=str(file.resolve()))
    store.update(lambda p: with_assignment(p, stored), keep_if_busy=False)
    titles = {entry.info.id: entry.info.title for entry in known.lessons}
    titles.update({item.lesson.id: item.lesson.title for item in bundled if item.lesson})
    sheet_titles = sheets.titles() if a.goals.practice else {}
    sheet_titles.update({item.worksheet.id: item.worksheet.title for item in checked.worksheets if item.worksheet})
    return Added(a, a.id in progress.assignments, titles, len(bundled), folder, sheet_titles, len(checked.worksheets))


class _Sheets:
    """The worksheet catalogue, read once and only when it is needed."""

    def __init__(self, load: Callable[[], WorksheetCatalogue] | None) -> None:
        self._load = load
        self._catalogue: WorksheetCatalogue | None = None

    def catalogue(self) -> WorksheetCatalogue:
        if self._catalogue is None:
            from neurotutor import paths
            from neurotutor.worksheets.catalogue import load_worksheets

            self._catalogue = self._load() if self._load else load_worksheets(paths.builtin_worksheets_dir())
        return self._catalogue

    @property
    def builtin(self) -> dict[str, Path] | None:
        """The built-in worksheets (id -> file), or None to let the loader read them when it needs them."""
        if self._load is None:
            return None
        return {w.worksheet.id: w.path for w in self.catalogue().worksheets if w.builtin}

    def elsewhere(self, folder: Path) -> dict[str, Path]:
        """The user's worksheets outside the profile's own folder: id -> file."""
        if self._load is None:
            return {}
        return {w.worksheet.id: w.path for w in self.catalogue().worksheets
                if not w.builtin and w.path.parent.resolve() != folder.resolve()}

    def titles(self) -> dict[str, str]:
        return {w.worksheet.id: w.worksheet.title for w in self.catalogue().worksheets}


# -- the worksheets that came with assignments -------------------------------------------------------------

WORKSHEET_SUFFIX = ".worksheet.yaml"  # a lesson id has no dot, so no kept lesson's file can take this name


@dataclass(frozen=True)
class KeptWorksheet:
    """A worksheet file in a profile's lessons folder: the id it holds and the worksheet (None
    unless valid)."""

    id: str
    path: Path
    worksheet: Worksheet | None


def kept_worksheet_name(worksheet_id: str) -> str:
    """The file a bundled worksheet is kept in."""
    return f"{worksheet_id}{WORKSHEET_SUFFIX}"


def kept_worksheets(folder: Path) -> list[KeptWorksheet]:
    """Every valid worksheet file in a profile's lessons folder, with what it holds."""
    from neurotutor.lessons.loader import read_bytes
    from neurotutor.worksheets.catalogue import yaml_files
    from neurotutor.worksheets.loader import load_worksheet_file, says_worksheet

    found = []
    for path in yaml_files(folder) if folder.is_dir() else []:
        data, _ = read_bytes(path)
        if data is None or not says_worksheet(data):
            continue  # a lesson
        loaded, _ = load_worksheet_file(path, data=data)
        if loaded is not None:
            found.append(KeptWorksheet(loaded.worksheet.id, path, loaded.worksheet))
    return found


def worksheet_clashes(assignment: Assignment, bundled: Iterable[BundledWorksheet], elsewhere: Mapping[str, Path],
                      in_profile: Iterable[KeptWorksheet], added: Iterable[Assignment],
                      shown: Callable[[Path], str] = str) -> list[str]:
    """Why some worksheets of `assignment` cannot be kept: one with the id of a worksheet in
    another of the user's folders (`elsewhere`), or a different worksheet with the id of one
    kept for another assignment that is still added."""
    in_profile, added = list(in_profile), list(added)
    found = []
    for item in bundled:
        sheet = item.worksheet
        if sheet is None:
            continue
        other = elsewhere.get(sheet.id)
        if other is not None:
            found.append(f"The worksheet {sheet.id!r} in {shown(item.path)} has the same id as {other}; ask your "
                         "therapist to give their worksheet another id.")
            continue
        same_id = [k for k in in_profile if k.id == sheet.id]
        if not same_id or any(k.worksheet == sheet for k in same_id):
            continue  # nothing kept under this id, or the very same worksheet
        users = [a for a in added if a.id != assignment.id
                 and any(g.worksheet == sheet.id and g.file for g in a.goals.practice)]
        if users:
            found.append(f"The worksheet {sheet.id!r} in {shown(item.path)} is not the same as the worksheet "
                         f"{sheet.id!r} that came with the assignment {users[0].id!r} ({users[0].title}), kept in "
                         f"{same_id[0].path}; ask your therapist to give their worksheet another id.")
    return found


def _keep(folder: Path, bundled: Sequence[BundledLesson], in_profile: Sequence[KeptLesson]) -> None:
    """Keep the lessons that came with an assignment, or say in words why they could not be."""
    from neurotutor.assignments import kept

    _kept_or_said(folder, "lessons", lambda: kept.keep(folder, bundled, in_profile))


def _keep_worksheets(folder: Path, bundled: Sequence[BundledWorksheet], in_profile: Sequence[KeptWorksheet]) -> None:
    """Keep the worksheets that came with an assignment, or say in words why they could not be."""
    _kept_or_said(folder, "worksheets", lambda: keep_worksheets(folder, bundled, in_profile))


def _kept_or_said(folder: Path, what: str, keep: Callable[[], object]) -> None:
    from neurotutor.errors import ProgressError
    from neurotutor.progress.store import failed_write

    try:
        keep()
    except OSError as exc:
        raise ProgressError(failed_write(f"Could not keep the {what} that came with this assignment in {folder}",
                                         exc, "The assignment was not added.")) from None


def keep_worksheets(folder: Path, bundled: Iterable[BundledWorksheet], in_profile: Iterable[KeptWorksheet]) -> list[Path]:
    """Keep each valid bundled worksheet as `<id>.worksheet.yaml` in folder (created private),
    the bytes that were checked; another file there holding the same worksheet id is removed
    (the catalogue would otherwise name the id twice). The files written."""
    from neurotutor import files

    files.ensure_private_dir(folder)
    in_profile = list(in_profile)
    written = []
    for item in bundled:
        if item.worksheet is None:
            continue
        target = folder / kept_worksheet_name(item.worksheet.id)
        files.atomic_write(target, item.data)
        for old in in_profile:
            if old.id == item.worksheet.id and old.path != target:
                old.path.unlink(missing_ok=True)
        written.append(target)
    files.fsync_dir(folder)
    return written


def remove_assignment(store: ProgressStore, assignment_id: str, list_command: str) -> pm.StoredAssignment:
    """Remove an assignment from the progress (every answer and all progress in its lessons are
    kept); the assignment removed. An id that is not there is a UsageError naming `list_command`."""
    stored = store.load().assignments.get(assignment_id)
    if stored is None:
        raise UsageError(f"There is no assignment with the id {assignment_id!r}. Run '{list_command}' to see them.")
    store.update(lambda p: without_assignment(p, assignment_id), keep_if_busy=False)
    return stored
