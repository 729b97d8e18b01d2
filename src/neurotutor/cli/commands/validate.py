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

    Prints every problem as PATH:LINE:COLUMN: MESSAGE on stderr and exits 2 if any file is
    invalid, 0 if all are valid.

    Example: neurotutor validate lessons/my-lesson.yaml
    """
    from neurotutor import paths as p
    from neurotutor.cli.context import output_for
    from neurotutor.lessons.loader import validate_files

    from neurotutor.assignments.archive import is_archive, open_source
    from neurotutor.assignments.loader import looks_like_assignment, validate_assignment

    settings = ctx.obj
    out = output_for(settings)
    given = list(paths or [])
    assignments = [path for path in given if path.is_file() and (is_archive(path) or looks_like_assignment(path))]
    lesson_paths = [path for path in given if path not in assignments]
    bundled = 0  # lesson files that came with the assignments
    problems = []
    checked = []
    if assignments:  # their bundled lessons count as known, and are checked with them
        from neurotutor.lessons.loader import load_catalogue

        catalogue = load_catalogue(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                                   cache_dir=p.cache_dir())
        from neurotutor.cli.context import builtin_lessons

        builtin = builtin_lessons(catalogue)
        for path in assignments:
            with open_source(path) as source:  # a .zip archive is checked as the assignment it holds
                loaded, found, files = (validate_assignment(source.assignment, catalogue.lessons, builtin) if source.assignment
                                        else (None, source.problems, []))
            problems += [source.shown(problem) for problem in found]
            bundled += len(files)
            checked.append(loaded)
    result = None
    if lesson_paths or not assignments:
        result = validate_files(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                                lesson_paths, cache_dir=p.cache_dir())
        problems += [pr for pr in result.problems if pr not in problems]
    for problem in problems:
        out.warn(str(problem))
    files_with_problems = len({pr.path for pr in problems})
    if problems:
        count = len(problems)
        out.warn(f"{count} problem{'s' if count != 1 else ''} in {files_with_problems} "
                 f"file{'s' if files_with_problems != 1 else ''}.")
        raise typer.Exit(ExitCode.INVALID)
    if result is not None:
        n = len(result.lessons)
        questions = sum(len(x.info.question_ids) for x in result.lessons)
        out.good(f"{n} lesson file{'s' if n != 1 else ''} valid ({questions} questions).")
    if assignments:
        n = len(assignments)
        extra = f", with {bundled} bundled lesson file{'s' if bundled != 1 else ''}" if bundled else ""
        out.good(f"{n} assignment file{'s' if n != 1 else ''} valid{extra}.")
