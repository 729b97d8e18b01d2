"""`neurotutor schema`: the JSON Schema of the lesson, worksheet or assignment format (for editors)
or of a `--json` document (for scripts)."""

from __future__ import annotations

from pathlib import Path

import typer


def run(
    ctx: typer.Context,
    kind: str = typer.Argument("lesson", metavar="[KIND]",
                               help="lesson (the default), worksheet, assignment, or a --json document such as lessons-json "
                                    "(--list shows them all)."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write it to a file.",
                                          dir_okay=False, readable=False),
    list_kinds: bool = typer.Option(False, "--list", help="List every schema there is, and stop."),
) -> None:
    """Print the JSON Schema of the lesson (or worksheet, or assignment) file format, for completion
    in editors, or of a document a command prints with --json (lessons-json, progress-json...).

    Generated from the same models that check the files and build the documents. See
    docs/authoring.md for VS Code and other editors, docs/json.md for the documents.

    Example: neurotutor schema lesson -o lesson.schema.json
    """
    from neurotutor.authoring.schema import kinds, schema_json
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError

    out = session_of(ctx).out
    known = kinds()
    if list_kinds:
        out.table(["kind", "the schema of"], [[name, what] for name, what in known.items()], never_cut=(0,))
        return
    if kind not in known:
        raise UsageError(f"Which schema? Give one of: {', '.join(known)} (not {kind!r}).")
    data = schema_json(kind)
    if output is None:
        out.write(data.decode("utf-8"))
        return
    write_file(output, data, shared=True)
    out.line(f"Wrote {output}.")
