"""`validate_paths`: check lesson, worksheet and assignment files, folders and archives, every
problem with its place.

Each file is checked as what it says it is: a lesson, a worksheet (`kind: worksheet`, with
`neurotutor.authoring.worksheets`), or an assignment (`kind: assignment`) with the lessons it
bundles; a `.zip` archive as the assignment it holds. The lessons an assignment bundles count as
known while it is checked; a lesson's `try_it:` must name a worksheet the tutor knows. Nothing
here prints: `neurotutor validate` renders the `Validation` as lines on stderr or as the
"validate" JSON document (`validation_data`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurotutor.errors import Problem

if TYPE_CHECKING:
    from neurotutor.authoring.worksheets import WorksheetCheck
    from neurotutor.lessons.catalogue import ValidationResult


@dataclass(frozen=True)
class Validation:
    """What a check of some paths found: every problem, and what was checked."""

    paths: tuple[Path, ...]  # as given (none: every lesson the tutor loads)
    problems: tuple[Problem, ...]
    lessons_checked: bool  # lesson files were part of the check (not only assignments and archives)
    lessons: int  # valid lesson files
    questions: int  # questions in them
    assignments: int  # assignment files and archives checked
    bundled: int  # lesson files that came with those assignments
    worksheets: int = 0  # valid worksheet files
    worksheets_checked: bool = False  # worksheet files were part of the check

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def files_with_problems(self) -> int:
        return len({problem.path for problem in self.problems})


def validate_paths(builtin_dir: Path, user_dirs: list[Path], paths: Sequence[Path],
                   cache_dir: Path | None = None) -> Validation:
    """Check the given files, folders and archives (none: every lesson the tutor loads, from the
    built-in folder and `user_dirs`), against the rest of the catalogue."""
    from neurotutor.assignments.archive import is_archive, open_source
    from neurotutor.assignments.loader import validate_assignment
    from neurotutor.lessons.catalogue import builtin_lessons, load_catalogue, validate_files

    given = list(paths)
    archives = [path for path in given if is_archive(path) and path.is_file()]
    rest = [path for path in given if path not in archives]
    result = None
    if rest or not given:  # each file is checked as what it says it is: a lesson, or an assignment
        result = validate_files(builtin_dir, user_dirs, rest, cache_dir=cache_dir)
    sheets, worksheet_problems = _worksheets(builtin_dir, user_dirs, rest if given else [], result, cache_dir)
    assignments: list[tuple[Path, bytes | None]] = [(path, None) for path in archives]
    assignments += list(result.assignments) if result else []
    bundled = 0
    problems: list[Problem] = []
    if assignments:  # their bundled lessons count as known, and are checked with them
        catalogue = load_catalogue(builtin_dir, user_dirs, cache_dir=cache_dir)
        builtin = builtin_lessons(catalogue)
        for path, data in assignments:
            if data is not None:  # read already, once
                _, found, files = validate_assignment(path, catalogue.lessons, builtin, data=data)
                problems += found
            else:
                with open_source(path) as source:  # a .zip archive is checked as the assignment it holds
                    _, found, files = (validate_assignment(source.assignment, catalogue.lessons, builtin,
                                                           files=source.files) if source.assignment
                                       else (None, source.problems, []))
                problems += [source.shown(problem) for problem in found]
            bundled += len(files)
    if result is not None:  # the lesson and worksheet files' problems, in the order of their places
        problems += [problem for problem in sorted(set(result.problems) | set(worksheet_problems))
                     if problem not in problems]
    sheet_files = {path.resolve() for path in sheets.files} if sheets else set()
    lesson_files = [path for path in result.files if path.resolve() not in sheet_files] if result else []
    return Validation(
        paths=tuple(given), problems=tuple(problems),
        lessons_checked=result is not None and bool(lesson_files or not (assignments or sheet_files)),
        lessons=len(result.lessons) if result else 0,
        questions=sum(len(entry.info.question_ids) for entry in result.lessons) if result else 0,
        assignments=len(assignments), bundled=bundled,
        worksheets=len(sheets.valid) if sheets else 0, worksheets_checked=bool(sheet_files))


def _worksheets(builtin_dir: Path, user_dirs: list[Path], given: list[Path], result: ValidationResult | None,
                cache_dir: Path | None) -> tuple[WorksheetCheck | None, list[Problem]]:
    """The worksheet files among what is checked, checked; and the `try_it:` of the valid lessons
    checked, against the worksheets known."""
    from neurotutor import paths
    from neurotutor.authoring.worksheets import check_worksheets, unknown_try_it, worksheet_files

    if result is None:
        return None, []
    sheets_dir = paths.builtin_worksheets_dir()
    files = worksheet_files(given, sheets_dir, user_dirs)
    lesson_ids = None
    if any(data is None or b"lesson:" in data for _, data in files):  # a worksheet may name its lesson
        from neurotutor.lessons.catalogue import load_catalogue

        catalogue = load_catalogue(builtin_dir, user_dirs, cache_dir=cache_dir)
        lesson_ids = {e.info.id for e in catalogue.lessons} | {e.info.id for e in result.lessons}
    sheets = check_worksheets(files, sheets_dir, user_dirs, lesson_ids)
    problems = list(sheets.problems)
    for entry in result.lessons:
        problems += unknown_try_it(entry.path, entry.info.try_it, sheets.known)
    valid = {entry.path for entry in result.lessons}
    sheet_files = {path for path, _ in files}
    for path in sorted({Path(p.path) for p in result.problems} & set(result.files) - valid - sheet_files):
        problems += unknown_try_it(path, None, sheets.known, result.problems)  # a lesson with other problems too
    return sheets, problems


def validation_data(validation: Validation) -> dict[str, Any]:
    """The data of the "validate" JSON document (`neurotutor.envelope`)."""
    v = validation
    return {"paths": [str(path) for path in v.paths], "valid": v.valid, "problems": list(v.problems),
            "counts": {"problems": len(v.problems), "files_with_problems": v.files_with_problems,
                       "lessons": v.lessons, "questions": v.questions, "worksheets": v.worksheets,
                       "assignments": v.assignments, "bundled_lessons": v.bundled}}
