"""`neurotutor schema`: the JSON Schema of the lesson or assignment format, for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def run(
    ctx: typer.Context,
    kind: str = typer.Argument("lesson", metavar="[lesson|assignment]", help="Which format (default: lesson)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE", help="Write it to a file.",
                                          dir_okay=False, readable=False),
) -> None:
    """Print the JSON Schema of the lesson (or assignment) file format, for completion in editors.

    Generated from the same models that check the files. See docs/authoring.md for VS Code and
    other editors.

    Example: neurotutor schema lesson -o lesson.schema.json
    """
    from neurotutor.cli.session import session_of
    from neurotutor.authoring.schema import KINDS, schema_json
    from neurotutor.cli.context import write_file
    from neurotutor.errors import UsageError

    out = session_of(ctx).out
    if kind not in KINDS:
        raise UsageError(f"Which schema? Give one of: {', '.join(KINDS)} (not {kind!r}).")
    data = schema_json(kind)
    if output is None:
        out.write(data.decode("utf-8"))
        return
    write_file(output, data, shared=True)
    out.line(f"Wrote {output}.")
