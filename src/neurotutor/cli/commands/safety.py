"""`neurotutor safety`: what the tutor is not, and how to find urgent help."""

from __future__ import annotations

import typer


def run(ctx: typer.Context) -> None:
    """Show how to reach emergency services and crisis lines.

    In a terminal too small for all of it, it is shown a screen at a time, emergency numbers first.

    Example: neurotutor safety
    """
    import sys

    from neurotutor.cli.pager import safety_lines
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    lines = safety_lines(s.out)
    if sys.stdin.isatty() and s.out.height:  # a person at a screen: a page at a time if it does not fit
        s.prompter.page(lines, "done", wait=False)
    else:
        s.out.show_lines(lines)
