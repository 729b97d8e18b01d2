"""`neurotutor validate`: check lesson files and report every problem precisely."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from neurotutor.errors import ExitCode


def run(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, help="Lesson or assignment files, or folders (default: every lesson the tutor loads)."),
) -> None:
    """Check lesson and assignment files: YAML, fields, types, ids, answers, references, dates.

    Each file is checked as what it says it is: an assignment (kind: assignment) with the lessons
    it bundles, or a lesson. A link inside a folder is reported and not read. Prints every
    problem as PATH:LINE:COLUMN: MESSAGE on stderr and exits 2 if any file is invalid, 0 if all
    are valid.

    Example: neurotutor validate lessons/my-lesson.yaml
    """
    from neurotutor.cli.session import session_of
    from neurotutor import paths as p
    from neurotutor.assignments.archive import is_archive, open_source
    from neurotutor.assignments.loader import validate_assignment
    
    from neurotutor.lessons.loader import validate_files

    s = session_of(ctx)
    settings, out = s.settings, s.out
    given = list(paths or [])
    archives = [path for path in given if is_archive(path) and path.is_file()]
    rest = [path for path in given if path not in archives]
    result = None
    if rest or not given:  # each file is checked as what it says it is: a lesson, or an assignment
        result = validate_files(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                                rest, cache_dir=p.cache_dir())
    assignments: list[tuple[Path, bytes | None]] = [(path, None) for path in archives]
    assignments += list(result.assignments) if result else []
    bundled = 0  # lesson files that came with the assignments
    problems = []
    if assignments:  # their bundled lessons count as known, and are checked with them
        from neurotutor.lessons.loader import builtin_lessons
        from neurotutor.lessons.loader import load_catalogue

        catalogue = load_catalogue(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                                   cache_dir=p.cache_dir())
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
    if result is not None:
        problems += [pr for pr in result.problems if pr not in problems]
    for problem in problems:
        out.warn(str(problem))
    files_with_problems = len({pr.path for pr in problems})
    if problems:
        count = len(problems)
        out.warn(f"{count} problem{'s' if count != 1 else ''} in {files_with_problems} "
                 f"file{'s' if files_with_problems != 1 else ''}.")
        raise typer.Exit(ExitCode.INVALID)
    if result is not None and (result.files or not assignments):
        n = len(result.lessons)
        questions = sum(len(x.info.question_ids) for x in result.lessons)
        out.good(f"{n} lesson file{'s' if n != 1 else ''} valid ({questions} questions).")
    if assignments:
        n = len(assignments)
        extra = f", with {bundled} bundled lesson file{'s' if bundled != 1 else ''}" if bundled else ""
        out.good(f"{n} assignment file{'s' if n != 1 else ''} valid{extra}.")
