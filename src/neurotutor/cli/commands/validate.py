"""`neurotutor validate`: check lesson, worksheet and assignment files and report every problem precisely."""

from __future__ import annotations

from pathlib import Path

import typer

from neurotutor.errors import ExitCode


def run(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(None, help="Lesson, worksheet or assignment files, or folders (default: every lesson and worksheet the tutor loads)."),
    json: bool = typer.Option(False, "--json", help="Print the problems and counts as JSON on stdout (docs/json.md)."),
) -> None:
    """Check lesson, worksheet and assignment files: YAML, fields, types, ids, answers, references, dates.

    Each file is checked as what it says it is: an assignment (kind: assignment) with the lessons
    it bundles, a worksheet (kind: worksheet), or a lesson. A link inside a folder is reported and not read. Prints every
    problem as PATH:LINE:COLUMN: MESSAGE on stderr (with --json, as data on stdout) and exits 2
    if any file is invalid, 0 if all are valid.

    Example: neurotutor validate lessons/my-lesson.yaml
    """
    from neurotutor import paths as p
    from neurotutor.authoring.validate import validate_paths, validation_data
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    settings, out = s.settings, s.out
    found = validate_paths(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                           list(paths or []), cache_dir=p.cache_dir())
    if json:
        from neurotutor.envelope import encode_document

        out.json(encode_document("validate", s.now, validation_data(found)))
    elif found.problems:
        for problem in found.problems:
            out.warn(str(problem))
        count, files = len(found.problems), found.files_with_problems
        out.warn(f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}.")
    else:
        if found.lessons_checked:
            n = found.lessons
            out.good(f"{n} lesson file{'s' if n != 1 else ''} valid ({found.questions} questions).")
        if found.worksheets_checked or (found.worksheets and not paths):
            n = found.worksheets
            out.good(f"{n} worksheet file{'s' if n != 1 else ''} valid.")
        if found.assignments:
            n, bundled = found.assignments, found.bundled
            extra = f", with {bundled} bundled lesson file{'s' if bundled != 1 else ''}" if bundled else ""
            out.good(f"{n} assignment file{'s' if n != 1 else ''} valid{extra}.")
    if found.problems:
        raise typer.Exit(ExitCode.INVALID)
