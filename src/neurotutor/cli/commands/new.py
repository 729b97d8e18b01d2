"""`neurotutor new lesson` and `neurotutor new worksheet`: start a file from a commented scaffold
that is valid as it is."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.output import Output

new_app = typer.Typer(help="For authors: start a new lesson or worksheet file.", no_args_is_help=True,
                      rich_markup_mode=None)


@new_app.command("lesson")
def lesson(
    ctx: typer.Context,
    lesson_id: str = typer.Argument(..., metavar="ID", help="The lesson's id, e.g. sleep-and-memory."),
    folder: Path = typer.Option(Path("."), "--dir", metavar="DIR", help="Where to write it (default: here).",
                                file_okay=False),
    title: str | None = typer.Option(None, "--title", help="Its title (you can change it in the file)."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write DIR/ID.yaml: every field, commented, with one question of each type, valid as it is.

    Beside it, lesson.schema.json gives editors completion and checking as you type (see
    docs/authoring.md). Then: neurotutor validate ID.yaml, neurotutor lint ID.yaml, and
    neurotutor --lessons-dir DIR learn ID to try it.

    Example: neurotutor new lesson sleep-and-memory --dir my-lessons
    """
    import re

    from neurotutor.authoring.scaffold import SCHEMA_FILE, scaffold
    from neurotutor.cli.context import check_outside_data
    from neurotutor.cli.session import session_of
    from neurotutor.errors import InvalidFileError, UsageError
    from neurotutor.lessons.loader import parse_lesson
    from neurotutor.lessons.model import SLUG_PATTERN

    s = session_of(ctx)
    out = s.out
    if not re.fullmatch(SLUG_PATTERN, lesson_id) or len(lesson_id) > 80:
        raise UsageError(f"{lesson_id!r} cannot be a lesson id: use lowercase letters, digits and single hyphens, "
                         "like sleep-and-memory.")
    target = folder / f"{lesson_id}.yaml"
    check_outside_data(target)  # before any folder is made
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; give --force to replace it, or another id.")
    text = scaffold(lesson_id, title)
    loaded, problems, _ = parse_lesson(text, str(target))
    if loaded is None:  # the scaffold is tested to be valid; a title can still break it
        raise InvalidFileError(problems, "The lesson was not written.")
    _write_with_schema(out, folder, target, text, SCHEMA_FILE, "lesson")
    out.command("Check it as you change it:", s.command("validate", str(target)))
    out.command("Try it:", s.command("--lessons-dir", str(folder), "learn", lesson_id))


@new_app.command("worksheet")
def worksheet(
    ctx: typer.Context,
    worksheet_id: str = typer.Argument(..., metavar="ID", help="The worksheet's id, e.g. sleep-diary."),
    folder: Path = typer.Option(Path("."), "--dir", metavar="DIR", help="Where to write it (default: here).",
                                file_okay=False),
    title: str | None = typer.Option(None, "--title", help="Its title (you can change it in the file)."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write DIR/ID.yaml: a worksheet with every field, commented, and one step of each kind, valid as it is.

    Beside it, worksheet.schema.json gives editors completion and checking as you type. Then:
    neurotutor validate ID.yaml, neurotutor lint ID.yaml, and neurotutor --lessons-dir DIR
    practice ID to fill it in. A worksheet can sit in a lessons folder, and go with an assignment.

    Example: neurotutor new worksheet sleep-diary --dir my-lessons
    """
    import re

    from neurotutor.authoring.scaffold import WORKSHEET_SCHEMA_FILE, worksheet_scaffold
    from neurotutor.cli.context import check_outside_data
    from neurotutor.cli.session import session_of
    from neurotutor.errors import InvalidFileError, UsageError
    from neurotutor.lessons.model import SLUG_PATTERN
    from neurotutor.worksheets.loader import parse_worksheet
    from neurotutor.worksheets.model import RESERVED_IDS

    s = session_of(ctx)
    out = s.out
    if not re.fullmatch(SLUG_PATTERN, worksheet_id) or len(worksheet_id) > 80:
        raise UsageError(f"{worksheet_id!r} cannot be a worksheet id: use lowercase letters, digits and single "
                         "hyphens, like sleep-diary.")
    if worksheet_id in RESERVED_IDS:
        raise UsageError(f"{worksheet_id!r} is kept for 'neurotutor practice {worksheet_id}'; choose another id.")
    target = folder / f"{worksheet_id}.yaml"
    check_outside_data(target)  # before any folder is made
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; give --force to replace it, or another id.")
    text = worksheet_scaffold(worksheet_id, title)
    loaded, problems = parse_worksheet(text, str(target))
    if loaded is None:  # the scaffold is tested to be valid; a title can still break it
        raise InvalidFileError(problems, "The worksheet was not written.")
    _write_with_schema(out, folder, target, text, WORKSHEET_SCHEMA_FILE, "worksheet")
    out.command("Check it as you change it:", s.command("validate", str(target)))
    out.command("Try it:", s.command("--lessons-dir", str(folder), "practice", worksheet_id))


def _write_with_schema(out: Output, folder: Path, target: Path, text: str, schema_file: str, kind: str) -> None:
    """Write a new file meant for sharing (a lesson, a worksheet), and its format's JSON Schema
    beside it unless the same one is there (a pipe or a device there is left alone, never read)."""
    from neurotutor import files
    from neurotutor.authoring.schema import schema_json
    from neurotutor.cli.context import write_file
    from neurotutor.errors import UsageError

    try:
        files.ensure_dir(folder.expanduser(), files.shared_mode(0o755))  # for sharing; never 0777
    except OSError as exc:
        raise UsageError(f"Cannot make the folder {folder}: {exc.strerror or exc}.") from None
    write_file(target, text.encode("utf-8"), shared=True)
    schema = folder / schema_file
    wanted = schema_json(kind)
    wrote_schema = not schema.exists() or (
        schema.is_file() and (schema.stat().st_size != len(wanted) or schema.read_bytes() != wanted))
    if wrote_schema:
        write_file(schema, wanted, shared=True)
    out.line(f"Wrote {target}" + (f" and {schema} (for completion in editors)." if wrote_schema else "."))
