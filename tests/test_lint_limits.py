"""`neurotutor lint`: a prompt or an option too long for an 80x24 terminal, and the content-note
rule pointing at the word that triggered it (issue 20).

Each lesson is tests/data/lessons-ok/test-mini.yaml with one line changed. Only the findings of
the rules under test are compared (the example has a few others: readability, feedback...).
"""

from __future__ import annotations

from pathlib import Path

from neurotutor.authoring.lint import MAX_OPTION, MAX_PROMPT, lint_lesson, lint_paths
from neurotutor.lessons.loader import parse_lesson

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parents[1]
OK_TEXT = (DATA / "lessons-ok" / "test-mini.yaml").read_text(encoding="utf-8")
RULES = ("prompt-too-long", "option-too-long", "content-note")


def text_of(length: int, words: str = "Practice changes the links between nerve cells. ") -> str:
    """Plain text of exactly `length` characters (ending in a full stop)."""
    return (words * (length // len(words) + 1))[:length - 1].rstrip().ljust(length - 1, "s") + "."


def findings(text: str, rules: tuple[str, ...] = RULES) -> list[tuple[int, int, str, str]]:
    loaded, problems, _ = parse_lesson(text, "lesson.yaml")
    assert loaded is not None, problems
    found, _ = lint_lesson(loaded.lesson, Path("lesson.yaml"), text)
    return [(f.line, f.column, f.rule, f.message) for f in found if f.rule in rules]


def test_the_limits_fit_an_80_by_24_terminal() -> None:
    # 600 characters are 8 lines at 80 columns, 200 three lines of an option (indented by 6): at both
    # limits, four options, "Choose one" and "I don't know" take 22 lines (measured on a pty).
    assert (MAX_PROMPT, MAX_OPTION) == (600, 200)
    assert len(text_of(4014)) == 4014 and len(text_of(601)) == 601


def test_a_prompt_and_an_option_too_long_for_the_screen_are_warned_where_they_are() -> None:
    text = OK_TEXT.replace("    prompt: Which is right?", f"    prompt: {text_of(4014)}")
    text = text.replace("      - text: Beta", f"      - text: {text_of(1549)}")
    assert findings(text) == [
        (33, 13, "prompt-too-long", "the prompt is 4,014 characters; at most 600 fit an 80x24 terminal with the "
                                    "options below it: move the background into a section, or split the question"),
        (37, 15, "option-too-long", "option 2 is 1,549 characters; at most 200 fit in three lines of an 80-column "
                                    "terminal: say it shorter, and put the detail in the feedback or the explanation"),
    ]


def test_at_the_limits_nothing_is_said_and_one_character_more_is_warned() -> None:
    text = OK_TEXT.replace("    prompt: Which is right?", f"    prompt: {text_of(600)}")
    assert findings(text.replace("      - text: Beta", f"      - text: {text_of(200)}")) == []
    text = OK_TEXT.replace("    prompt: Which is right?", f"    prompt: {text_of(601)}")
    assert [f[:3] for f in findings(text.replace("      - text: Beta", f"      - text: {text_of(201)}"))] == [
        (33, 13, "prompt-too-long"), (37, 15, "option-too-long")]


def test_ordering_items_matching_pairs_and_multiple_select_options_are_options_too() -> None:
    long = text_of(250)
    text = OK_TEXT.replace("    items: [One, Two, Three]", f"    items: [One, Two, {long}]")
    text = text.replace("      - {left: Dog, right: Woof}", f"      - {{left: Dog, right: {long}}}")
    text = text.replace("      - text: Four", f"      - text: {long}")
    tail = "is 250 characters; at most 200 fit in three lines of an 80-column terminal: say it shorter, and put " \
           "the detail in the feedback or the explanation"
    assert findings(text) == [
        (49, 15, "option-too-long", f"option 3 {tail}"),
        (62, 23, "option-too-long", f"item 3 {tail}"),
        (71, 28, "option-too-long", f"pair 2 (right) {tail}"),
    ]


def test_a_question_or_the_lesson_silences_them_with_a_reason() -> None:
    text = OK_TEXT.replace("    prompt: Which is right?", f"    prompt: {text_of(700)}\n    lint:\n"
                           '      prompt-too-long: "a case study that the question needs whole"')
    text = text.replace("      - text: Beta", f"      - text: {text_of(300)}")
    assert [f[2] for f in findings(text)] == ["option-too-long"]  # the question silenced only the prompt
    whole = text.replace("questions:\n", 'lint:\n  option-too-long: "options quote the study"\nquestions:\n', 1)
    assert findings(whole) == []


def test_no_built_in_lesson_is_too_long_for_the_screen() -> None:
    report = lint_paths(ROOT / "lessons", [], [])
    assert report.linted == 18
    assert [(f.path, f.line, f.rule) for f in report.findings if f.rule in RULES] == []


# -- content-note: at the word ---------------------------------------------------------------------


def test_the_content_note_warning_stands_at_the_word_and_names_it() -> None:
    text = OK_TEXT.replace("      - Practice changes connections.", "      - Practice changes connections after trauma.")
    assert findings(text) == [(14, 44, "content-note", "the lesson mentions 'trauma' but has no content_note")]


def test_the_first_word_in_the_file_is_the_one_pointed_at_and_the_others_are_listed() -> None:
    text = OK_TEXT.replace("      Practice **changes** connections.", "      Practice **changes** connections,\n"
                           "      even after Abuse.")
    text = text.replace("    prompt: Extinction erases the old memory.", "    prompt: Extinction erases PTSD memories.")
    text = text.replace("summary: Two short sections", "summary: About suicide prevention. Two short sections")
    assert findings(text) == [(4, 16, "content-note", "the lesson mentions 'suicide' but has no content_note (it "
                                                      "also mentions abuse, ptsd)")]
    text = text.replace("summary: About suicide prevention. Two", "summary: Two")
    assert findings(text) == [(13, 18, "content-note", "the lesson mentions 'Abuse' but has no content_note (it "
                                                       "also mentions ptsd)")]


def test_a_word_in_quotes_is_found_where_it_is_written_and_an_escaped_one_at_its_text() -> None:
    text = OK_TEXT.replace("    prompt: Who proposed that links used together grow stronger?",
                           '    prompt: "Who \\u0061sked about \\"assault\\" here?"')
    assert findings(text) == [(76, 37, "content-note", "the lesson mentions 'assault' but has no content_note")]
    text = OK_TEXT.replace("    prompt: Who proposed that links used together grow stronger?",
                           '    prompt: "Who spoke of tr\\u0061uma here?"')
    assert findings(text) == [(76, 13, "content-note", "the lesson mentions 'trauma' but has no content_note")]


def test_a_content_note_or_a_silence_on_the_lesson_quiets_it(run_cli, tmp_path: Path) -> None:
    text = OK_TEXT.replace("      - Practice changes connections.", "      - Practice changes connections after trauma.")
    noted = text.replace("minutes: 3\n", "minutes: 3\ncontent_note: It mentions trauma in passing.\n")
    assert findings(noted) == []
    silenced = text.replace("questions:\n", 'lint:\n  content-note: "trauma as a word in a study name only"\n'
                            "questions:\n", 1)
    assert findings(silenced) == []
    lesson = tmp_path / "lesson.yaml"
    lesson.write_text(text, encoding="utf-8")
    shown = run_cli("lint", str(lesson))
    assert f"{lesson}:14:44: content-note: the lesson mentions 'trauma' but has no content_note" in shown.stdout.splitlines()
