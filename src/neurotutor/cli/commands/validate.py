"""`neurotutor validate`: check lesson files and report every problem precisely."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from neurotutor.errors import ExitCode


def run(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, help="Lesson files or folders (default: every lesson the tutor loads)."),
) -> None:
    """Check lesson files: YAML, fields, types, ids, answers and references.

    Prints every problem as PATH:LINE:COLUMN: MESSAGE on stderr and exits 2 if any file is
    invalid, 0 if all are valid.

    Example: neurotutor validate lessons/my-lesson.yaml
    """
    from neurotutor import paths as p
    from neurotutor.cli.context import output_for
    from neurotutor.lessons.loader import validate_files

    settings = ctx.obj
    out = output_for(settings)
    result = validate_files(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs)),
                            list(paths or []), cache_dir=p.cache_dir())
    for problem in result.problems:
        out.warn(str(problem))
    files_with_problems = len({pr.path for pr in result.problems})
    questions = sum(len(x.info.question_ids) for x in result.lessons)
    if result.problems:
        count = len(result.problems)
        out.warn(f"{count} problem{'s' if count != 1 else ''} in {files_with_problems} "
                 f"file{'s' if files_with_problems != 1 else ''}.")
        raise typer.Exit(ExitCode.INVALID)
    n = len(result.lessons)
    out.good(f"{n} lesson file{'s' if n != 1 else ''} valid ({questions} questions).")
