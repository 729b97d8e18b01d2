"""`neurotutor safety`: what the tutor is not, and how to find urgent help."""

from __future__ import annotations

import typer


def run(ctx: typer.Context) -> None:
    """Show how to reach emergency services and crisis lines.

    Example: neurotutor safety
    """
    from neurotutor import safety
    from neurotutor.cli.context import output_for

    out = output_for(ctx.obj)
    out.heading("Education, not therapy")
    out.markdown(safety.FULL_TEXT)
