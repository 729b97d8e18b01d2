"""`Output`: every text is made safe before it reaches the terminal, in plain and in rich mode.

Rich mode is rendered into a buffer by a console forced to act as a terminal, so its own escape
sequences (colours, bold) are really written; `inert` strips exactly those (SGR, ESC [ ... m) and
then nothing that drives a terminal may be left.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.console import Console

from neurotutor.cli.output import Output

from payloads import CONTROL, SGR
from payloads import SHOWN as SHOWN_CONTROL

MARKUP = {"close-tag": "[/]", "link-tag": "[link=file:///etc/passwd]x[/link]"}
PAYLOADS = {**CONTROL, **MARKUP}
SHOWN = {**SHOWN_CONTROL, **MARKUP}
DRIVES_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(written: str) -> str:
    """What was written, without rich's own SGR styles; fails if anything else could drive a terminal."""
    assert "\x1b]" not in written, f"an OSC sequence (title, hyperlink) was written: {written!r}"
    text = SGR.sub("", written)
    found = DRIVES_TERMINAL.search(text)
    assert found is None, f"{found.group()!r} was written: {text!r}"
    return text


def plain() -> tuple[Output, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Output(decorated=False, file=out, err_file=err), out, err


def rich(width: int = 100, colour: bool = True) -> tuple[Output, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()

    def console(file: io.StringIO) -> Console:
        return Console(file=file, force_terminal=True, color_system="truecolor" if colour else None, width=width,
                       highlight=False)

    return Output(decorated=True, console=console(out), err_console=console(err)), out, err


def show_everything(o: Output, text: str) -> None:
    """Every way Output shows a text."""
    o.line(text)
    o.styled(text, "bold")
    o.write(text + "\n")
    o.heading(text)
    o.markdown(text)
    o.bullets([text], title=text)
    o.table([text, "h"], [[text, "v"]], title=text)
    o.columns([text, "h"], [[text, text]])
    o.good(text)
    o.bad(text)
    o.note(text)
    o.warn(text)


@pytest.mark.parametrize("name", PAYLOADS)
@pytest.mark.parametrize("make", [plain, rich], ids=["plain", "rich"])
def test_no_payload_reaches_the_terminal(make, name: str) -> None:
    o, out, err = make()
    show_everything(o, f"a {PAYLOADS[name]} b")
    for stream in (out, err):
        text = inert(stream.getvalue())
        assert f"a {SHOWN[name]} b" in text  # shown literally, so the learner sees something is there


@pytest.mark.parametrize("name", PAYLOADS)
def test_plain_mode_writes_each_text_once_made_safe(name: str) -> None:
    o, out, err = plain()
    text = PAYLOADS[name]
    o.line(text)
    o.heading(text)
    o.markdown(text + "\n\n")
    o.bullets([text], title="Key points")
    o.warn(text)
    shown = SHOWN[name]
    assert out.getvalue() == f"{shown}\n\n{shown}.\n{shown}\nKey points\n  - {shown}\n"
    assert err.getvalue() == f"{shown}\n"


def test_plain_table_aligns_what_is_shown() -> None:
    o, out, _ = plain()
    o.table(["id", "title", "min"], [["a", "\x1b[2J", "3"], ["bb", "ok", "10"]], title="Lessons \u202e")
    assert out.getvalue() == (
        "Lessons \\u202e\n"
        "id  title    min\n"
        "a   \\x1b[2J  3\n"
        "bb  ok       10\n"
    )


def test_columns_align_what_is_shown() -> None:
    o, out, _ = plain()
    o.columns(["when", "lesson", "answer"], [["today", "\x9b", "x\x1b[2J"], ["now", "cbt", "fine"]])
    assert out.getvalue() == (
        "when   lesson  answer\n"
        "today  \\x9b    x\\x1b[2J\n"
        "now    cbt     fine\n"
    )


def test_rich_mode_never_reads_markup() -> None:
    o, out, err = rich(width=50, colour=False)
    o.heading("Close [/] tag")
    o.line("[link=file:///etc/passwd]x[/link] :smile:")
    o.table(["id", "title"], [["c", "[bold]b[/bold]"]], title="[/]")
    o.warn("[red]warn[/red]")
    assert out.getvalue() == (
        "\n"
        "Close [/] tag ────────────────────────────────────\n"
        "[link=file:///etc/passwd]x[/link] :smile:\n"
        "[/]                    \n"  # a table's title is padded to the table's width
        "┏━━━━┳━━━━━━━━━━━━━━━━┓\n"
        "┃ id ┃ title          ┃\n"
        "┡━━━━╇━━━━━━━━━━━━━━━━┩\n"
        "│ c  │ [bold]b[/bold] │\n"
        "└────┴────────────────┘\n"
    )
    assert err.getvalue() == "[red]warn[/red]\n"


def test_markdown_still_renders_but_links_stay_text() -> None:
    o, out, _ = rich(width=80)
    o.markdown("Some **bold** words and [a page](http://evil.example/).")
    written = out.getvalue()
    assert "\x1b[1m" in written  # bold: the Markdown was rendered
    assert inert(written).strip() == "Some bold words and a page (http://evil.example/)."


def test_markdown_entities_cannot_make_a_control_character() -> None:
    # markdown-it decodes &#x202E; into a real U+202E after the text was made safe: caught on the way out.
    o, out, _ = rich(width=80)
    o.markdown("a &#x202E;b &#x2066;c")
    assert inert(out.getvalue()).strip() == "a \\u202eb \\u2066c"


def test_markdown_as_clean_text_in_plain_mode() -> None:
    o, out, _ = plain()
    o.markdown("Some **bold** and [a page](http://evil.example/) \x1b]8;;http://evil\x07x\n\n")
    assert out.getvalue() == "Some bold and a page (http://evil.example/) \\x1b]8;;http://evil\\x07x\n"


@pytest.mark.parametrize("make", [plain, rich], ids=["plain", "rich"])
def test_json_escapes_c1_and_bidi_and_keeps_its_meaning(make) -> None:
    o, out, _ = make()
    data = {"title": "a\x9bb\u202ec\x7f\u2066", "ok": "→ é 😀"}
    o.json(json.dumps(data, ensure_ascii=False, indent=2).encode())
    written = out.getvalue()
    assert inert(written) == written
    assert "\\u009b" in written and "\\u202e" in written and "→ é 😀" in written
    assert json.loads(written) == data


def test_ordinary_text_is_left_exactly_as_it_is() -> None:
    o, out, _ = plain()
    text = "Hebb's rule: stronger links: Lømo, 日本語, emoji 🧠, tab\there, [x] and (y)."
    o.line(text)
    o.markdown(text)
    assert out.getvalue() == f"{text}\n{text.replace(chr(9), ' ')}\n"  # Markdown reads a tab as a space


def test_plain_mode_says_in_words_what_a_terminal_shows_with_symbols() -> None:
    o, out, _ = plain()
    o.heading("Review \u00b7 1 of 2 \u00b7 Lesson")
    o.heading("Why does it work?")
    o.line("Your answer: One \u2192 Two \u2192 Three")
    o.line("The right answer: Cat \u2192 Moo; Dog \u2192 Meow, or; so")
    o.note("Choose \u201cI don\u2019t know\u201d or \u2018maybe\u2019; A\u2192B")
    o.markdown("Hebb\u2019s rule \u2192 stronger links.")
    o.columns(["question", "your answer"], [["Which; why?", "One \u2192 Two"], ["Pairs", "a \u2192 b; c \u2192 d"]])
    o.table(["a \u00b7 b"], [["\u201cx\u201d"]])
    assert out.getvalue() == (
        "\nReview, 1 of 2, Lesson.\n"
        "\nWhy does it work?\n"
        "Your answer: One, then Two, then Three\n"
        "The right answer: Cat: Moo; Dog: Meow, or; so\n"
        "Choose \"I don't know\" or 'maybe'; A to B\n"
        "Hebb's rule, then stronger links.\n"
        "question     your answer\n"
        "Which; why?  One, then Two\n"
        "Pairs        a: b; c: d\n"
        "a, b\n"
        "\"x\"\n"
    )


def test_a_terminal_keeps_its_symbols() -> None:
    o, out, _ = rich(width=60, colour=False)
    o.line("Review \u00b7 1 of 2: One \u2192 Two, \u201cI don\u2019t know\u201d")
    assert out.getvalue() == "Review \u00b7 1 of 2: One \u2192 Two, \u201cI don\u2019t know\u201d\n"


def test_plain_words_come_before_wrapping() -> None:
    o = Output(decorated=False, file=io.StringIO(), width=30)
    o.line("Your answer: One \u2192 Two \u2192 Three \u2192 Four")
    assert o._file.getvalue() == "Your answer: One, then Two,\nthen Three, then Four\n"  # type: ignore[union-attr]


def test_records_wrap_at_word_boundaries_in_a_terminal_and_stay_whole_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "31")
    record = [("2026-11-23 03:30  cbt / cbt-same-text  (pass 1)", "wrong: The email itself, since events\x1b[2J cause feelings")]
    shown = io.StringIO()
    Output(True, file=shown).records(record)
    assert shown.getvalue() == ("2026-11-23 03:30  cbt /\n"
                                "    cbt-same-text  (pass 1)\n"
                                "  wrong: The email itself,\n"
                                "    since events\\x1b[2J cause\n"
                                "    feelings\n")
    plain = io.StringIO()
    Output(False, file=plain).records(record)
    assert plain.getvalue() == ("2026-11-23 03:30  cbt / cbt-same-text  (pass 1)\n"
                                "  wrong: The email itself, since events\\x1b[2J cause feelings\n")
