"""All terminal output goes through `Output`: rich when decorated, plain text otherwise.

Plain mode (--plain, or not a terminal) prints text with no colour, boxes or markup, so screen
readers and scripts get clean lines: lesson Markdown is turned into plain text (no `**`, links as
"text (url)"), wrapped at word boundaries when the output is a terminal. Decorated mode leaves
colour to rich, which honours NO_COLOR (colour off, nothing else). Problems go to stderr.

Plain mode also says in words what the decorated screen says with symbols, which a screen reader
reads out badly ("right arrow", "middle dot", "left double quotation mark"): every plain text
passes through `plain_words`, and a heading is its title on a line of its own ending in a full stop.

Text shown here comes from lesson files, file names, progress files and the keyboard, so none of
it is trusted: every string passes through `neurotutor.text.safe_text` before it is written (an
escape or bidi control is shown as an inert `\\x1b` or `\\u202e`), rich is only ever given `Text`
objects (never markup to parse), Markdown links are shown as text, and every rich rendering is
checked once more, segment by segment, on its way out (`_Inert`). JSON goes through `safe_json`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, TextIO

from neurotutor.text import safe_json, safe_text

if TYPE_CHECKING:
    from rich.console import Console


class _Inert:
    """A rich renderable shown with its text made safe and its hyperlinks dropped.

    Texts are made safe before rich sees them (so widths are measured right); this is the net
    under that: whatever a renderer builds from them (Markdown turns `&#x202E;` into a real U+202E,
    say) is escaped here, and no lesson can make an OSC 8 terminal hyperlink.
    """

    def __init__(self, renderable: Any) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            text, style, control = segment
            if control:  # cursor moves and the like come from rich itself, never from a text
                yield segment
                continue
            shown = safe_text(text)
            if style is not None and style.link:
                style = style.update_link(None)
            elif shown is text:
                yield segment
                continue
            yield Segment(shown, style)


ASCII_FALLBACKS = {
    "\u2022": "*", "\u25cf": "*", "\u2013": "-", "\u2014": "--", "\u2018": "'", "\u2019": "'",
    "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2192": "->", "\u2190": "<-", "\u2500": "-",
    "\u2501": "-", "\u2502": "|", "\u2713": "v", "\u2717": "x", "\u00a0": " ", "\u2212": "-",
}
FALLBACK_ERRORS = "neurotutor-fallback"

_STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
_ARROW = " \u2192 "


def plain_words(text: str) -> str:
    """Text as plain mode writes it: curly quotes straight, " · " between the parts of a banner
    as ", ", and the arrows of an answer in words, line by line.

    An ordering's answer ("One → Two → Three") reads "One, then Two, then Three"; a matching's
    ("Cat → Moo; Dog → Meow") reads "Cat: Moo; Dog: Meow". The history keeps answers in words as
    they were shown, arrows and all (it is data, and an attempt's id is made from it), so they are
    told apart here by their form: a matching has two pairs or more, so "; " is always between
    them, and a line with "; " and an arrow is read as pairs (an ordering whose items hold "; "
    itself would read as pairs too: no built-in lesson has one). An arrow left over (no spaces
    around it) reads " to ".
    """
    text = text.translate(_STRAIGHT_QUOTES).replace(" \u00b7 ", ", ")
    if "\u2192" not in text:
        return text
    return "\n".join(_arrows_in_words(line) for line in text.split("\n"))


def _arrows_in_words(line: str) -> str:
    if _ARROW in line:
        line = line.replace(_ARROW, ": " if "; " in line else ", then ")
    return line.replace("\u2192", " to ")


def heading_words(title: str) -> str:
    """A heading as plain mode writes it: the title as a sentence of its own (a full stop added
    unless it ends in one, or in ? ! or :), so a screen reader pauses after it, with nothing to
    read out around it (no "== ... ==")."""
    title = plain_words(title).rstrip()
    return title if title.endswith((".", "?", "!", ":")) else f"{title}."


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """An encoding error handler: a character the stream cannot encode is written as its ASCII
    look-alike (a bullet as *, a dash as -, an arrow as ->), else as ?."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(ASCII_FALLBACKS.get(char, "?") for char in text), error.end


def fit_streams_to_encoding() -> None:
    """Let stdout and stderr write any text in a locale that cannot encode it (LC_ALL=C without
    UTF-8 mode): what they cannot encode is written with ASCII look-alikes, never a crash."""
    import codecs

    try:
        codecs.lookup_error(FALLBACK_ERRORS)
    except LookupError:
        codecs.register_error(FALLBACK_ERRORS, _fallback)
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "utf-8"
        try:
            "\u2022\u2014\u2192\u2019".encode(encoding)
            continue  # UTF-8 or another encoding that has what the tutor writes
        except (UnicodeEncodeError, LookupError):
            pass
        reconfigure = getattr(stream, "reconfigure", None)  # a TextIOWrapper's (not every TextIO has it)
        if reconfigure is None:
            continue  # not a text stream we can change (a test's buffer): leave it as it is
        try:
            reconfigure(errors=FALLBACK_ERRORS)
        except (ValueError, OSError):
            pass  # not a text stream we can change: leave it as it is


_MARKDOWN: Any = None


def _markdown_class() -> Any:
    """rich's Markdown, with tables that never cut a word: a table too wide for the screen is
    shown row by row ("heading: cell"), instead of with its words cut to "cross-sec…"."""
    global _MARKDOWN
    if _MARKDOWN is None:
        from rich.markdown import Markdown, TableElement
        from rich.table import Table
        from rich.text import Text

        class FittingTable(TableElement):
            def __rich_console__(self, console: Any, options: Any) -> Iterator[Any]:
                table = next(iter(super().__rich_console__(console, options)))
                if not isinstance(table, Table):  # (rich draws a Markdown table as one Table)
                    yield table
                    return
                widths: list[int] = []
                for column in table.columns:  # each column at least as wide as its longest word
                    cells = [column.header, *column.cells]
                    column.min_width = max((len(w) for c in cells for w in getattr(c, "plain", str(c)).split()),
                                           default=1)
                    widths.append(column.min_width)
                needed = sum(widths) + 2 * len(table.columns) + 2  # padding
                if needed <= options.max_width:
                    yield table
                    return
                headings = [c.content.plain for c in self.header.row.cells] if self.header and self.header.row else []
                for row in self.body.rows if self.body else []:
                    for heading, cell in zip(headings or [""] * len(row.cells), row.cells):
                        line = Text(f"{heading}: " if heading else "", style="bold")
                        line.append_text(cell.content)
                        yield line
                    yield Text("")

        class FittingMarkdown(Markdown):
            elements = {**Markdown.elements, "table_open": FittingTable}

        _MARKDOWN = FittingMarkdown
    return _MARKDOWN


def _text(value: object, style: str = "") -> Any:
    from rich.text import Text

    return Text(safe_text(str(value)), style=style)


def _fitted(mins: Sequence[int], natural: Sequence[int], room: int) -> list[int]:
    """Column widths that fit `room`: each its natural width when all fit; else every column gets
    its minimum (its longest word), then the narrowest columns are widened to their natural width
    first, so short cells ("1 of 2", "0/17 (0%)") stay whole and long text wraps instead.
    (rich shrinks columns below their minimum and then grows them back, running past the edge.)"""
    if sum(natural) <= room:
        return list(natural)
    widths = list(mins)
    spare = room - sum(mins)
    for index in sorted(range(len(widths)), key=lambda i: natural[i]):
        grow = min(natural[index] - widths[index], spare)
        widths[index] += grow
        spare -= grow
    return widths


class Output:
    """Writes headings, Markdown, lists, tables and notes, decorated or plain, always made safe.

    `console`, `err_console` (decorated) and `file`, `err_file` (plain) can be given, for tests
    that render to a buffer; by default they are the process's stdout and stderr.
    """

    def __init__(self, decorated: bool, *, console: Console | None = None, err_console: Console | None = None,
                 file: TextIO | None = None, err_file: TextIO | None = None, width: int | None = None) -> None:
        self.decorated = decorated
        self._console = console
        self._err = err_console
        self._file = file
        self._err_file = err_file
        self._width = width  # plain mode: wrap at this width (None: the terminal's, 0: never)

    @property
    def width(self) -> int:
        """Columns to wrap at (0: no wrapping, for plain output that is not a terminal)."""
        if self.decorated:
            return int(self.console.width)
        if self._width is None:
            import shutil

            stream = self._stream()
            self._width = shutil.get_terminal_size((80, 24)).columns if stream.isatty() else 0
        return self._width

    @property
    def height(self) -> int:
        """Lines on the screen (0: not a terminal, never paged)."""
        import shutil

        stream = self.console.file if self.decorated else self._stream()
        if not stream.isatty():
            return 0
        return int(self.console.height) if self.decorated else shutil.get_terminal_size((80, 24)).lines

    def clear(self) -> None:
        """Start a fresh screen (decorated terminals only: plain output is never cleared)."""
        if self.decorated and self.console.is_terminal:
            self.console.clear()

    @contextmanager
    def captured(self) -> Iterator[list[str]]:
        """Collect what is printed inside the block as screen lines (to page them); nothing is shown."""
        import io

        lines: list[str] = []
        if self.decorated:
            with self.console.capture() as capture:
                yield lines
            text = capture.get()
        else:
            saved, self._file = self._file, io.StringIO()
            try:
                yield lines
                text = self._file.getvalue()
            finally:
                self._file = saved
        lines.extend(text.rstrip("\n").split("\n"))

    def show_lines(self, lines: Sequence[str]) -> None:
        """Write lines collected by `captured` (already safe, styled by rich when decorated)."""
        stream = self.console.file if self.decorated else self._stream()
        stream.write("".join(line + "\n" for line in lines))
        stream.flush()

    def _wrapped(self, text: str) -> str:
        """Plain text in words (`plain_words`), wrapped at word boundaries to the width, with
        hanging indents for '- ' items."""
        if self.decorated:
            return text
        text = plain_words(text)  # before wrapping: ", then " is longer than " → "
        width = self.width
        if not width:
            return text
        import textwrap

        out = []
        for line in text.split("\n"):
            stripped = line.lstrip(" ")
            indent = len(line) - len(stripped)
            hang = indent + (2 if stripped.startswith("- ") else 0)
            out += textwrap.wrap(line, max(width - 1, 10), subsequent_indent=" " * hang, break_long_words=False,
                                 break_on_hyphens=False) or [""]
        return "\n".join(out)

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
        return self._console

    @property
    def err_console(self) -> Console:
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, markup=False, emoji=False)
        return self._err

    # -- the two ways out: every method below ends in one of them ----------------------------

    def _stream(self, err: bool = False) -> IO[str]:
        """Where undecorated text goes (a decorated console's own file, when there is one)."""
        if self.decorated:
            given = self._err if err else self._console
            if given is not None:
                return given.file
        if err:
            return self._err_file or sys.stderr
        return self._file or sys.stdout

    def _write(self, text: str, err: bool = False, end: str = "\n") -> None:
        """Write text made safe, as it is (plain mode, prompts, columns); in plain mode, in words."""
        stream = self._stream(err)
        stream.write(self._safe(text) + end)
        stream.flush()

    def _safe(self, text: str) -> str:
        """A text made safe for the terminal, and in plain mode said in words (`plain_words`)."""
        return safe_text(text if self.decorated else plain_words(text))

    def _show(self, renderable: Any, err: bool = False) -> None:
        """Print a rich renderable whose texts are already safe `Text`s, through the `_Inert` net."""
        (self.err_console if err else self.console).print(_Inert(renderable))

    # -- what commands use ----------------------------------------------------------------

    def line(self, text: str = "") -> None:
        """Print a line of plain text (no markup interpreted), wrapped at word boundaries."""
        if self.decorated:
            self._show(_text(text))
        else:
            self._write(self._wrapped(text))

    def styled(self, text: str, style: str) -> None:
        """Print text in a style when decorated, as is otherwise."""
        if self.decorated:
            self._show(_text(text, style))
        else:
            self._write(self._wrapped(text))

    def command(self, intro: str, command: str) -> None:
        """A sentence and then, on a line of its own, a command to type (never split)."""
        self.line(intro)
        if self.decorated:
            from rich.padding import Padding

            self._show(Padding(_text(command, "bold"), (0, 0, 0, 2)))  # wrapped only between words, indented
        else:
            self._write(self._wrapped("  " + command))

    def write(self, text: str) -> None:
        """Write text with no newline added and no decoration (a prompt, an echoed answer)."""
        self._write(text, end="")

    def heading(self, text: str) -> None:
        """A screen or section title."""
        if self.decorated:
            from rich.rule import Rule

            self._show(_text(""))
            if len(safe_text(text)) + 6 > self.width:  # a Rule would cut a long title: wrap it above the rule
                self._show(_text(text, "bold"))
                self._show(Rule(style="cyan"))
            else:
                self._show(Rule(_text(text), style="cyan", align="left"))  # a str title would be parsed as markup
        else:  # words only: a blank line, then the title as a sentence ("Lesson complete.")
            self._write("\n" + self._wrapped(heading_words(text)))

    def markdown(self, text: str) -> None:
        """Render lesson Markdown: rich in a terminal, clean plain text in plain mode.

        Links are shown as their text and address, never as terminal hyperlinks.
        """
        if self.decorated:
            self._show(_markdown_class()(safe_text(text), hyperlinks=False))
        else:
            from neurotutor.plaintext import markdown_to_text

            # in words before it is wrapped, so lines keep to the width
            self._write(markdown_to_text(plain_words(text), max(self.width - 1, 10) if self.width else 0))

    def bullets(self, items: Sequence[str], title: str | None = None, markdown: bool = False) -> None:
        """A titled list, each item wrapped under its own first line (Markdown items rendered)."""
        if title:
            self.styled(title, "bold")
        if not items:
            return
        if markdown:
            self.markdown("\n".join(f"- {' '.join(item.split())}" for item in items))
            return
        if self.decorated:
            from rich.table import Table

            grid = Table.grid(padding=0)
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")  # a word longer than the line (an address) goes on, never "…"
            for item in items:
                grid.add_row(_text("  - "), _text(item))
            self._show(grid)
            return
        for item in items:
            self._write(self._wrapped(f"  - {item}"))

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None,
              never_cut: Sequence[int] = ()) -> None:
        """A table; plain mode aligns columns with spaces.

        In a terminal no word is cut: each column is at least as wide as its longest word, and the
        `never_cut` columns (ids to type) never wrap. When that does not fit the width, each row is
        shown as a record instead: its first cell, then "heading: value" lines under it.
        """
        if self.decorated:
            from rich.table import Table

            safe = [[safe_text(str(v)) for v in row] for row in [headers, *rows]]
            mins = [max((len(w) for cell in column for w in (cell.split() or [""])), default=1)
                    for column in zip(*safe)]
            for index in never_cut:
                mins[index] = max(len(cell) for cell in [row[index] for row in safe])
            if sum(mins) + 3 * len(mins) + 1 > self.width:
                self._table_records(headers, rows, title)
                return
            widths = _fitted(mins, [max(len(cell) for cell in column) for column in zip(*safe)],
                             self.width - 3 * len(mins) - 1)
            table = Table(title=_text(title) if title else None, title_justify="left", header_style="bold")
            for index, (h, width) in enumerate(zip(headers, widths)):
                table.add_column(_text(h), width=width, no_wrap=index in never_cut)
            for row in rows:
                table.add_row(*(_text(v) for v in row))
            self._show(table)
            return
        if title:
            self._write(title)
        safe = [[self._safe(str(v)) for v in row] for row in [headers, *rows]]  # widths of what is shown
        widths = [max(len(x) for x in col) for col in zip(*safe)]
        self._write("\n".join("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip() for row in safe))

    def _table_records(self, headers: Sequence[str], rows: Sequence[Sequence[str]], title: str | None) -> None:
        """A narrow terminal's table: per row, its first cell, its second under it, then the rest
        as "heading: value" on one line, all wrapped at word boundaries."""
        from rich.padding import Padding

        if title:
            self.styled(title, "bold")
        for row in rows:
            self._show(_text(str(row[0]), "bold"))
            rest = [str(v) for v in row[1:]]
            if rest:
                self._show(Padding(_text(rest[0]), (0, 0, 0, 2)))
            if len(rest) > 1:
                details = " \u00b7 ".join(f"{h}: {v}" for h, v in zip(headers[2:], rest[1:]))
                self._show(Padding(_text(details, "dim"), (0, 0, 0, 2)))

    def columns(self, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """Rows as plain aligned columns, the last one left to run on: fast for thousands of rows
        (a history), and the same in plain and decorated mode (but for `plain_words`, cell by cell)."""
        safe = [[self._safe(str(v)) for v in row] for row in [headers, *rows]]
        widths = [max(len(x) for x in col) for col in zip(*safe)][:-1]
        lines = []
        for row in safe:
            cells = [v.ljust(w) for v, w in zip(row, widths)] + [row[-1]]
            lines.append("  ".join(cells).rstrip())
        self._write("\n".join(lines))

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
            self._show(_text(text, "yellow"), err=True)
        else:
            self._write(text, err=True)

    def records(self, records: Sequence[tuple[str, str]]) -> None:
        """Records of a heading line and an indented detail, wrapped at word boundaries to the
        terminal's width when decorated; written in one go, so thousands stay fast."""
        stream = self._stream()
        stream.write("\n".join(self.record_lines(records)) + "\n")
        stream.flush()

    def record_lines(self, records: Sequence[tuple[str, str]]) -> list[str]:
        """The lines `records` writes (to page them)."""
        import shutil
        import textwrap

        width = max(shutil.get_terminal_size((80, 24)).columns - 1, 20) if self.decorated else 0
        out = []
        for head, detail in records:
            head, detail = self._safe(head), self._safe(detail)
            if width:
                out += textwrap.wrap(head, width, subsequent_indent="    ", break_on_hyphens=False) or [""]
                out += textwrap.wrap(detail, width, initial_indent="  ", subsequent_indent="    ",
                                     break_on_hyphens=False)
            else:
                out += [head, "  " + detail]
        return out

    def json(self, data: bytes) -> None:
        """Print a JSON document for scripts (raw C1 and bidi characters written as \\uXXXX)."""
        stream = self._stream()
        stream.write(safe_json(data.decode("utf-8")) + "\n")
        stream.flush()
