"""Long text a screen at a time: the crisis lines first of all.

`safety_lines` renders the safety text for this output (emergency numbers first, so the first
screen always holds them); the prompters page it, and `neurotutor safety` does the same in a
terminal too small to show it whole.
"""

from __future__ import annotations

from neurotutor.cli.output import Output


def safety_lines(out: Output) -> list[str]:
    """The safety text as screen lines for this output (styled when decorated)."""
    from neurotutor import safety

    with out.captured() as lines:
        out.heading("Urgent help")
        out.markdown(safety.FULL_TEXT)
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines
