"""All terminal output goes through `Output`: rich when decorated, plain text otherwise.

Plain mode (--plain, NO_COLOR, or not a terminal) prints text with no colour, boxes or markup,
so screen readers and scripts get clean lines. Messages about problems go to stderr.
"""

from __future__ import annotations

import sys
from typing import Any, Sequence


class Output:
    """Writes headings, Markdown, lists, tables and notes, decorated or plain."""

    def __init__(self, decorated: bool) -> None:
        self.decorated = decorated
        self._console: Any = None
        self._err: Any = None

    @property
    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, soft_wrap=False)
        return self._console

    @property
    def err_console(self) -> Any:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False)
        return self._err

    def line(self, text: str = "") -> None:
        """Print a line of plain text (no markup interpreted)."""
        if self.decorated:
            self.console.print(text, markup=False)
        else:
            print(text, flush=True)

    def styled(self, text: str, style: str) -> None:
        """Print text in a style when decorated, as is otherwise."""
        if self.decorated:
            self.console.print(text, style=style, markup=False)
        else:
            print(text, flush=True)

    def heading(self, text: str) -> None:
        """A screen or section title."""
        if self.decorated:
            from rich.rule import Rule

            self.console.print()
            self.console.print(Rule(text, style="cyan", align="left"))
        else:
            print(f"\n== {text} ==", flush=True)

    def markdown(self, text: str) -> None:
        """Render lesson Markdown (plain mode prints the Markdown source, which reads well)."""
        if self.decorated:
            from rich.markdown import Markdown

            self.console.print(Markdown(text))
        else:
            print(text.rstrip(), flush=True)

    def bullets(self, items: Sequence[str], title: str | None = None) -> None:
        """A titled list."""
        if title:
            self.styled(title, "bold")
        for item in items:
            self.line(f"  - {item}")

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
        """A table; plain mode aligns columns with spaces."""
        if self.decorated:
            from rich.table import Table

            table = Table(title=title, title_justify="left", header_style="bold")
            for h in headers:
                table.add_column(h)
            for row in rows:
                table.add_row(*row)
            self.console.print(table)
            return
        if title:
            print(title)
        widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
        for row in [headers, *rows]:
            print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
        sys.stdout.flush()

    def good(self, text: str) -> None:
        """A success line."""
        self.styled(text, "bold green")

    def bad(self, text: str) -> None:
        """A 'not quite' line."""
        self.styled(text, "bold red")

    def note(self, text: str) -> None:
        """A quieter line."""
        self.styled(text, "dim" if self.decorated else "")

    def warn(self, text: str) -> None:
        """A warning or error message, on stderr."""
        if self.decorated:
            self.err_console.print(text, style="yellow", markup=False)
        else:
            print(text, file=sys.stderr, flush=True)

    def columns(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Rows as plain aligned columns, the last one left to run on: fast for thousands of rows
        (a history), and the same in plain and decorated mode."""
        widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)][:-1]
        lines = []
        for row in [headers, *rows]:
            cells = [str(v).ljust(w) for v, w in zip(row, widths)] + [str(row[-1])]
            lines.append("  ".join(cells).rstrip())
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()

    def json(self, data: bytes) -> None:
        """Print a JSON document for scripts."""
        sys.stdout.write(data.decode("utf-8") + "\n")
        sys.stdout.flush()
