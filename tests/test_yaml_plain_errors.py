"""YAML syntax errors in an author's words, at the line of the mistake (issue 20), and a date
where a number goes named with what the field wants.

Each broken text is tests/data/lessons-ok/test-mini.yaml (or the example assignment) with one line
changed. The parser's own words ("mapping values are not allowed in this context", "found
character that cannot start any token") and its line (often the one after the mistake) are what
these replace; both parsers (libyaml, and PyYAML's own where libyaml is missing) give the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from neurotutor.assignments.loader import parse_assignment
from neurotutor.lessons import yaml_source
from neurotutor.lessons.loader import parse_lesson

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[1]
OK_TEXT = (DATA / "lessons-ok" / "test-mini.yaml").read_text(encoding="utf-8")
ASSIGNMENT_TEXT = (ROOT / "docs" / "examples" / "assignment.yaml").read_text(encoding="utf-8")
PARSERS = [pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="libyaml"),
           pytest.param(yaml.SafeLoader, id="python")]


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs with libyaml and with PyYAML's own parser: their words and marks differ."""
    monkeypatch.setattr(yaml_source, "_Loader", request.param)


def with_line(text: str, number: int, line: str) -> str:
    """text with line `number` (from 1) replaced."""
    lines = text.split("\n")
    lines[number - 1] = line
    return "\n".join(lines)


def problems(text: str) -> list[tuple[int, int, str]]:
    lesson, found, _ = parse_lesson(text, "lesson.yaml")
    assert lesson is None
    return [(p.line, p.column, p.message) for p in found]


# Lines of test-mini.yaml these change:
#  19 `  - id: second`    20 `    title: Second screen`    21 `    body: Old learning is covered over, not erased.`
#  22 `    key_points: [Fear can come back.]`    34 `    choices:`    35 `      - text: Alpha`    36 `        correct: true`


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize(("number", "line", "expected"), [
    # an indentation step too far: the parser reads `title:` as more of the text of `id:`
    (20, "      title: Second screen",
     (20, 7, "line 20: `title:` is indented more than the lines above it; line it up with `id:` on line 19")),
    (21, "        body: Old learning is covered over, not erased.",
     (21, 9, "line 21: `body:` is indented more than the lines above it; line it up with `title:` on line 20")),
    # an indentation step too short: between two blocks, matching neither
    (20, "   title: Second screen",
     (20, 4, "line 20: `title:` is indented less than `id:` on line 19 but more than the `-` on line 19; line it "
             "up with `id:`")),
    (36, "       correct: true",
     (36, 8, "line 36: `correct:` is indented less than `text:` on line 35 but more than the `-` on line 35; line "
             "it up with `text:`")),
    (37, "     - text: Beta",
     (37, 6, "line 37: this `-` item is indented less than the `-` on line 35 but more than `choices:` on line 34; "
             "line it up with the `-` on line 35")),
    # (the first item one step short is a list of its own, and the line after it one step too far)
    (35, "     - text: Alpha",
     (36, 9, "line 36: `correct:` is indented more than the lines above it; line it up with `text:` on line 35")),
    # a field that breaks out of its list item, to the column of the item's `-`
    (22, "  key_points: [Fear can come back.]",
     (22, 3, "line 22: `key_points:` lines up with the `-` on line 19, so it belongs neither to that list item nor "
             "after the list; to put it in that item, line it up with `body:` on line 21")),
    # a `-` list item among fields
    (22, "    - Fear can come back.",
     (22, 5, "line 22: a `-` list item stands among fields (`body:` on line 21); a list goes under a field of its "
             "own: `name:` on one line, then its `- ` items indented below it")),
    # tabs
    (36, "\t\tcorrect: true", (36, 1, "line 36 starts with a tab; use spaces")),
    (36, "  \t    correct: true", (36, 3, "line 36 has a tab in its indentation (column 3); indent with spaces only")),
    # ': ' in text that is not quoted, with the quoted form to write instead
    (21, "    body: Old learning is covered over: not erased.",
     (21, 39, "line 21: this text holds ': ' and is not in quotes; put the whole text in quotes, like this: "
              'body: "Old learning is covered over: not erased."')),
    (35, "      - text: Note: alpha",
     (35, 19, "line 35: this text holds ': ' and is not in quotes; put the whole text in quotes, like this: "
              '- text: "Note: alpha"')),
    (21, '    body: Old learning is "covered": not erased.',
     (21, 36, "line 21: this text holds ': ' and is not in quotes; put the whole text in quotes, like this: "
              "body: 'Old learning is \"covered\": not erased.'")),
    # quotes
    (20, '    title: "Second screen',
     (20, 12, 'line 20: this text opens a quote (") but does not close it on this line; add the closing " at the '
              "end of the text")),
    (20, "    title: 'Learning's second screen'",
     (20, 21, "line 20: this text is in single quotes and holds an apostrophe ('), which ends it early; put it in "
              "the other kind of quotes: title: \"Learning's second screen\"")),
    (20, '    title: "Second" screen',
     (20, 21, 'line 20: there is more text after the closing quote ("); put the whole text in quotes: '
              "title: '\"Second\" screen'")),
    (21, '    body: "Old learning is C:\\covered"',
     (21, 30, "line 21: `\\c` is not a code YAML knows in double quotes (a backslash there starts one, like `\\n`); "
              "write `\\\\` for a backslash, or put the text in single quotes: body: 'Old learning is C:\\covered'")),
    # brackets, and characters YAML keeps for itself at the start of a text
    (22, "    key_points: [Fear can come back.",
     (22, 17, "line 22: the list that starts with `[` here is not closed; end it with `]`, or, if it is text, put the "
              'whole text in quotes: key_points: "[Fear can come back."')),
    (20, "    title: [Second] screen",
     (20, 21, "line 20: there is more text after the closing `]`; if it is all one text, put the whole text in "
              'quotes: title: "[Second] screen"')),
    (20, "    title: @second screen",
     (20, 12, "line 20: a text cannot start with `@` unless it is in quotes; put the whole text in quotes: "
              'title: "@second screen"')),
    (20, "    title: > Second screen",
     (20, 12, "line 20: after `>` the text goes on the lines below it, indented; to keep it on this line, put the "
              'whole text in quotes: title: "> Second screen"')),
    (22, "    key_points: - Fear can come back.",
     (22, 17, "line 22: a `-` list cannot start on the same line as `key_points:`; put each `- ` item on a line of "
              "its own below `key_points:`, indented, or, if it is text, put the whole text in quotes: "
              'key_points: "- Fear can come back."')),
    # a field written without the space after its `:`, or without its `:`
    (20, "    title:Second", (20, 5, "line 20: put a space after the `:` of `title:`, like this: title: Second")),
    (19, "  - id:second",
     (19, 5, "line 19: put a space after the `:` of `id:`, like this: - id: second")),
    (20, "    title", (20, 5, "line 20: `title` has no `:` after it; a field is written `title: value`")),
    (22, "    more words for the body",
     (22, 5, "line 22 is not a field (`name: value`); if it is more of the text of `body:` on line 21, indent it "
             "more than `body:`")),
    (35, "      -text: Alpha", (35, 7, "line 35: put a space after the `-` of `-text:`, like this: - text: Alpha")),
    # a no-break space in the indentation
    (20, "  \u00a0 title: Second screen",
     (20, 3, "line 20 has a U+00A0 NO-BREAK SPACE at column 3, which YAML does not count as a space; indent with "
             "plain spaces")),
    # the first line indented, the others not
    (1, "  format: 1",
     (1, 3, "line 1: `format:` is indented, but the fields at the top of a file start at the left edge; remove "
            "the spaces before it")),
])
def test_a_syntax_error_is_said_in_words_at_the_line_of_the_mistake(number: int, line: str,
                                                                     expected: tuple[int, int, str]) -> None:
    assert problems(with_line(OK_TEXT, number, line)) == [expected]


@pytest.mark.usefixtures("parser")
def test_a_line_of_a_block_text_indented_less_than_the_lines_above_it() -> None:
    text = OK_TEXT.replace("    body: |\n      Practice **changes** connections.\n",
                           "    body: |\n      Practice **changes**\n     connections.\n")
    assert problems(text) == [(13, 6, "line 13 is indented less than line 12 above it, so YAML does not read it as "
                                      "more of that text (the text of `body:`, from line 11); line it up with line 12")]
    text = OK_TEXT.replace("    body: |\n      Practice", "    body: |\n   Practice")
    assert problems(text) == [(12, 4, "line 12 is the text of `body:` (line 11), so it must be indented more than "
                                      "`body:`; indent it like the lines below it")]


@pytest.mark.usefixtures("parser")
def test_a_quote_closed_only_on_a_later_line_is_reported_where_it_was_opened() -> None:
    # The parser reads `"Second screen` up to the quote on line 21, then fails after it.
    text = with_line(with_line(OK_TEXT, 20, '    title: "Second screen'), 21, '    body: "Old learning."')
    assert problems(text) == [(20, 12, 'line 20: this text opens a quote (") but does not close it on this line; '
                                       'add the closing " at the end of the text')]


@pytest.mark.usefixtures("parser")
def test_a_bracket_left_open_at_the_end_of_the_file_is_reported_where_it_was_opened() -> None:
    # the parser notices only at the end of the file (line 3, where there is nothing)
    assert problems("format: 1\nid: test-mini\ntags: [\n") == [
        (3, 7, "line 3: the list that starts with `[` here is not closed; end it with `]`, or, if it is text, put the "
               'whole text in quotes: tags: "["')]


@pytest.mark.usefixtures("parser")
def test_a_long_text_is_cut_in_the_suggestion_and_a_text_over_several_lines_is_not_rewritten() -> None:
    long = "Old learning is covered over: not erased, and this sentence goes on for quite a while longer."
    assert problems(with_line(OK_TEXT, 21, f"    body: {long}")) == [
        (21, 39, "line 21: this text holds ': ' and is not in quotes; put the whole text in quotes, like this: "
                 'body: "Old learning is covered over: not erased, and this…"')]
    text = with_line(OK_TEXT, 21, "    body: Old learning is covered over: not\n      erased.")
    assert problems(text) == [
        (21, 39, "line 21: this text holds ': ' and is not in quotes; put the whole text in quotes (all of its lines)")]
    text = with_line(OK_TEXT, 21, "    body: Old learning is covered\n      over, and not: erased.")
    assert problems(text) == [
        (22, 20, "line 22: this text holds ': ' and is not in quotes; put the whole text in quotes (it starts on "
                 "line 21)")]


@pytest.mark.usefixtures("parser")
def test_what_the_file_holds_is_quoted_inert() -> None:
    # a right-to-left override (which libyaml lets through) in the quoted suggestion is shown as an escape
    found = problems(with_line(OK_TEXT, 20, "    title: Second \u202escreen: here"))
    assert found == [(20, 26, "line 20: this text holds ': ' and is not in quotes; put the whole text in quotes, like "
                              'this: title: "Second \\u202escreen: here"')]


def test_an_error_the_hints_do_not_know_is_worded_more_plainly_at_the_parsers_place(parser: None) -> None:
    # (a tag, `!`, that is not one: each parser in its own words)
    words = "expected URI, but found '|'" if yaml_source._Loader is yaml.SafeLoader else "expected whitespace or line break"
    assert problems(with_line(OK_TEXT, 20, "    title: !|x")) == [
        (20, 13, f"line 20: YAML cannot read this ({words}); check the quotes, colons and indentation here")]


# -- through `neurotutor validate`: a lesson and an assignment ------------------------------------


def test_validate_shows_the_words_for_a_lesson_and_for_an_assignment(run_cli, tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.yaml"
    lesson.write_text(with_line(OK_TEXT, 36, "\t\tcorrect: true"), encoding="utf-8")
    shown = run_cli("validate", str(lesson))
    assert shown.returncode == 2
    assert shown.stderr.splitlines() == [f"{lesson}:36:1: line 36 starts with a tab; use spaces",
                                         "1 problem in 1 file."]
    assignment = tmp_path / "assignment.yaml"
    assert ASSIGNMENT_TEXT.split("\n")[7] == '  contact: "at our next session"'
    assignment.write_text(with_line(ASSIGNMENT_TEXT, 8, '    contact: "at our next session"'), encoding="utf-8")
    shown = run_cli("validate", str(assignment))
    assert shown.returncode == 2
    assert shown.stderr.splitlines() == [
        f"{assignment}:8:5: line 8: `contact:` is indented more than the lines above it; line it up with `name:` "
        "on line 7", "1 problem in 1 file."]
    assignment.write_text(ASSIGNMENT_TEXT.replace('title: "How therapy changes the brain: first steps"',
                                                  "title: How therapy changes the brain: first steps"), encoding="utf-8")
    shown = run_cli("validate", str(assignment))
    assert shown.stderr.splitlines() == [
        f"{assignment}:5:37: line 5: this text holds ': ' and is not in quotes; put the whole text in quotes, like "
        'this: title: "How therapy changes the brain: first steps"', "1 problem in 1 file."]
    assignment.write_text(ASSIGNMENT_TEXT.replace("  - lesson: cbt", " - lesson: cbt"), encoding="utf-8")
    shown = run_cli("validate", str(assignment))
    assert shown.stderr.splitlines() == [
        f"{assignment}:14:2: line 14: this `-` item is indented less than the `-` on line 12 but more than "
        "`lessons:` on line 11; line it up with the `-` on line 12", "1 problem in 1 file."]


# -- a date (or a fraction) where a whole number goes ---------------------------------------------


def test_a_date_in_a_number_field_names_what_the_field_wants() -> None:
    assert problems(OK_TEXT.replace("minutes: 3", "minutes: 2026-12-01")) == [
        (7, 10, "minutes: should be a whole number from 1 to 600; 2026-12-01 reads as a date")]
    assert problems(OK_TEXT.replace("    year: 1973", "    year: 1973-01-01")) == [
        (26, 11, "references[1].year: should be a whole number from 1600 to 2100; 1973-01-01 reads as a date")]
    assert problems(OK_TEXT.replace("minutes: 3", 'minutes: "3/4"')) == [
        (7, 10, "minutes: should be a whole number from 1 to 600; '3/4' is text, not a number")]
    # text that is no date and no fraction keeps the words it had
    assert problems(OK_TEXT.replace("minutes: 3", "minutes: three")) == [
        (7, 10, "minutes: expected a whole number, got text")]
    assert problems(OK_TEXT.replace("minutes: 3", 'minutes: "1.5"')) == [
        (7, 10, "minutes: expected a whole number, got text")]


def test_a_date_or_a_fraction_in_an_assignment_goal_names_what_the_goal_wants() -> None:
    text = ASSIGNMENT_TEXT.replace("minutes_per_day: 10", "minutes_per_day: 2026-12-01").replace(
        "min_score: 70", "min_score: 12/12")
    loaded, found = parse_assignment(text, "assignment.yaml")
    assert loaded is None
    assert [(p.line, p.column, p.message) for p in found] == [
        (18, 22, "goals.review.minutes_per_day: should be a whole number from 1 to 240; 2026-12-01 reads as a date"),
        (20, 16, "goals.exam.min_score: should be a whole number from 0 to 100; '12/12' is text, not a number")]
    loaded, found = parse_assignment(ASSIGNMENT_TEXT.replace("min_score: 70", "min_score: 2026-12-01"), "a.yaml")
    assert [p.message for p in found] == [
        "goals.exam.min_score: should be a whole number from 0 to 100; 2026-12-01 reads as a date"]


# -- never a crash, always the line it names ------------------------------------------------------

_EDITS = st.sampled_from(["indent", "dedent", "tab", "colon", "char", "insert", "tight", "dash", "drop"])
_CHARS = st.sampled_from(list("\"'[]{}#&*!|>%@`?-:\\\u00a0"))
_INSERTED = st.sampled_from(["- x", "  - y", "foo", "  bar: 1", ": z", "\u00a0 k: v", "   text here"])


@settings(max_examples=300, deadline=None, database=None)
@given(edits=st.lists(st.tuples(_EDITS, st.integers(0, 10_000), st.integers(0, 200), _CHARS, _INSERTED),
                      min_size=1, max_size=3))
def test_any_broken_lesson_gets_a_problem_at_the_line_its_words_name(edits: list[tuple[str, int, int, str, str]]) -> None:
    lines = OK_TEXT.split("\n")
    for edit, row, col, char, inserted in edits:
        i = row % len(lines)
        line = lines[i]
        col = col % (len(line) + 1)
        lines[i] = {"indent": " " * (1 + col % 3) + line, "dedent": line[1 + col % 3:] if line.startswith(" ") else line,
                    "tab": "\t" + line.lstrip(" "), "colon": line[:col] + ": " + line[col:],
                    "char": line[:col] + char + line[col:], "insert": inserted + "\n" + line,
                    "tight": line.replace(": ", ":", 1), "dash": line.replace("- ", "-", 1), "drop": ""}[edit]
    text = "\n".join(lines)
    for loader in (getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader):
        yaml_source._Loader = loader
        try:
            doc = yaml_source.read_yaml(text)
        finally:
            yaml_source._Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        count = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))
        for (line_no, column), message in doc.problems:
            named = re.match(r"line (\d+)", message)
            if named:
                assert int(named.group(1)) == line_no and 1 <= line_no <= count and column >= 1, message
