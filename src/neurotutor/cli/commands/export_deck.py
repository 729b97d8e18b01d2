"""`neurotutor export-deck`: the question bank as an Anki deck or a Moodle question bank."""

from __future__ import annotations

from pathlib import Path

import typer


def run(
    ctx: typer.Context,
    output: Path = typer.Argument(..., metavar="FILE", help="The file to write (.apkg for Anki, .xml for Moodle).",
                                  dir_okay=False, readable=False),
    fmt: str | None = typer.Option(None, "--format", metavar="FORMAT",
                                      help="apkg (Anki) or moodle-xml; by default from FILE's ending."),
    lesson_ids: str | None = typer.Option(None, "--lessons", metavar="ID,ID",
                                             help="Only these lessons (default: every lesson loaded)."),
    moodle_ordering: str | None = typer.Option(
        None, "--moodle-ordering", metavar="TYPE",
        help="Moodle XML: ordering questions as 'ordering' (Moodle's ordering type, Moodle 4.4 and later; "
             "the default) or 'matching' (older sites: each step number matched to its step)."),
) -> None:
    """Export the quiz questions for Anki (.apkg) or Moodle (Moodle XML), with their explanations.

    Anki: one note per question, its options in a shuffled order that is the same in every export;
    exporting again and importing updates the notes instead of adding them twice. Moodle: single
    and multiple choice, true/false, matching, short answer and ordering (Moodle 4.4's ordering
    type; --moodle-ordering matching for older sites), each with its feedback and the lesson's
    tags, one category per lesson.

    Example: neurotutor export-deck neurotutor.apkg
    """
    from neurotutor.authoring.export import FORMATS, MOODLE_ORDERING, anki_bytes, anki_package, moodle_xml
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError

    s = session_of(ctx)
    out = s.out
    fmt = fmt or {".apkg": "apkg", ".xml": "moodle-xml"}.get(output.suffix.lower())
    if fmt not in FORMATS:
        raise UsageError(f"Give --format {' or '.join(FORMATS)}, or a file name ending in .apkg or .xml.")
    if moodle_ordering is not None and moodle_ordering not in MOODLE_ORDERING:
        raise UsageError(f"Give --moodle-ordering {' or '.join(MOODLE_ORDERING)}.")
    if moodle_ordering is not None and fmt != "moodle-xml":
        raise UsageError("--moodle-ordering is for Moodle XML only (a file name ending in .xml, or --format moodle-xml).")
    catalogue = s.catalogue
    wanted = [x.strip() for x in lesson_ids.split(",") if x.strip()] if lesson_ids else [e.info.id for e in catalogue.lessons]
    lessons = [catalogue.find(lid, s.command("lessons")).lesson for lid in wanted]
    count = sum(len(x.questions) for x in lessons)
    if fmt == "apkg":
        import time

        data = anki_bytes(anki_package(lessons), time.time())
    else:
        data = moodle_xml(lessons, moodle_ordering or "ordering")
    write_file(output, data, shared=True)
    out.line(f"Wrote {output}: {count} questions from {len(lessons)} lesson{'s' if len(lessons) != 1 else ''}"
             + (" (import it in Anki: File > Import)." if fmt == "apkg" else " (import it in Moodle: Question bank > Import > Moodle XML)."))
