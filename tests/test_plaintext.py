"""Lesson Markdown as plain text (--plain, screen readers, menu entries) and one-typo short answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from neurotutor.plaintext import inline_text, markdown_to_text
from neurotutor.quiz.spelling import near_miss

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("source, text", [
    ("Some **bold**, *italic* and `code`.", "Some bold, italic and code."),
    ("A [link](https://example.org) and <https://auto.example>.",
     "A link (https://example.org) and https://auto.example."),
    ("# Heading\n\nPara one\ngoes on.\n\nPara two.", "Heading\n\nPara one goes on.\n\nPara two."),
    ("- one\n- two\n  - nested\n\n1. first\n2. second", "- one\n- two\n  - nested\n1. first\n2. second"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "- a: 1; b: 2"),
    ("```\nkeep  this\n```", "keep  this"),
])
def test_markdown_reads_as_clean_text(source: str, text: str) -> None:
    assert markdown_to_text(source) == text


def test_wrapping_keeps_words_whole_and_hangs_list_items() -> None:
    source = "- A key point that is long enough to need a second line, with neuroplasticity in it."
    assert markdown_to_text(source, 30) == ("- A key point that is long\n  enough to need a second\n"
                                            "  line, with neuroplasticity\n  in it.")
    assert inline_text("**Two**\nlines") == "Two lines"


@given(st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=12), min_size=1, max_size=60),
       st.integers(min_value=15, max_value=80))
def test_no_line_is_wider_than_asked_and_no_word_is_split(words: list[str], width: int) -> None:
    text = markdown_to_text(" ".join(words), width)
    assert all(len(line) <= width for line in text.split("\n"))
    assert text.split() == words


def test_every_built_in_lesson_reads_cleanly() -> None:
    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    for path in sorted((ROOT / "lessons").glob("*.yaml")):
        for source in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            text = markdown_to_text(source, 76)
            assert "**" not in text and "](" not in text and "`" not in text, (path.name, source)
            assert all(len(line) <= 76 or " " not in line.strip() for line in text.split("\n")), (path.name, text)


@pytest.mark.parametrize("typed, accepted, expected", [
    ("potentation", ["long-term potentiation", "potentiation"], "potentiation"),
    ("extintion", ["extinction", "extinction learning"], "extinction"),
    ("cortsiol", ["cortisol"], "cortisol"),  # two letters swapped: one typo
    ("Donald Heb", ["Hebb", "Donald Hebb"], "Donald Hebb"),
    ("Hebs", ["Hebb"], None),  # under 5 letters: exact only
    ("Heb", ["Hebb"], None),
    ("potentaton", ["potentiation"], None),  # two typos
    ("1991", ["1990"], None),  # numbers stay exact
    ("extinction", ["extinction"], None),  # an exact match is not a near miss
    ("", ["extinction"], None),
])
def test_one_typo_in_a_longer_term_is_a_near_miss(typed: str, accepted: list[str], expected: str | None) -> None:
    assert near_miss(typed, accepted) == expected


@given(st.text(max_size=12), st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4))
def test_a_near_miss_is_always_one_of_the_accepted_answers(typed: str, accepted: list[str]) -> None:
    found = near_miss(typed, accepted)
    assert found is None or found in accepted
