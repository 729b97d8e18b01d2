"""The question bank for the tools trainees and teachers already use: an Anki deck (.apkg, with
genanki) and a Moodle question bank (Moodle XML).

Anki: one note per question (question, options, answer, explanation, source), each note's guid
derived from the lesson and question ids, so importing a newer export updates the notes instead
of adding them twice; tags from the lesson's tags, its id and the question type. Choices, ordering
items and matching right items are shown shuffled, seeded by the lesson and question ids (the
tutor's own rule, `quiz.presentation.present`), so every export shows the same order and the right
answer is not always first. The Answer field repeats each right option's exact text.

Moodle: single and multiple choice (multichoice), true/false, matching, short answer (its wrong-
answer feedback on a catch-all `*` answer) and ordering (Moodle's `ordering` type, core since 4.4;
or, for older sites, a matching question that pairs each step number with its step, steps not
shuffled), with per-option feedback, the explanation as general feedback, the lesson's tags and a
readable name ("CBT Q03: Which ..."); one category per lesson. The elements and values are the
ones Moodle's importers read (question/format/xml/format.php, question/type/ordering/
questiontype.php). Markdown becomes HTML (format="html"; raw HTML in a lesson is escaped, not
passed on), which ElementTree escapes into the XML.
"""

from __future__ import annotations

import html
import random
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from neurotutor.lessons import model as m

if TYPE_CHECKING:
    import sqlite3
    import xml.etree.ElementTree as ET
    from typing import Protocol

    from neurotutor.quiz.presentation import Presentation

    class AnkiPackage(Protocol):
        """The part of a genanki Package used here (genanki has no type information)."""

        def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, id_gen: Iterator[int]) -> None: ...

FORMATS = ("apkg", "moodle-xml")
MOODLE_ORDERING = ("ordering", "matching")  # Moodle's ordering type (4.4+), or matching for older sites
MODEL_ID = 1_740_202_611  # fixed forever: Anki keeps track of the note type by it
DECK_ID = 1_740_202_612
MODEL_NAME = "neurotutor question"
CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; color: #1a1a1a;
background: #fff; max-width: 40em; margin: 0 auto; }
.options { margin: .5em 0; } .answer { font-weight: 600; } .explanation { margin-top: .75em; }
.source { color: #555; font-size: 14px; margin-top: 1em; }"""
NAME_PROMPT = 60  # characters of the prompt in a Moodle question's name
RIGHT = "Right."  # Moodle's feedback on a right answer that has none of its own


@lru_cache(maxsize=1)
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})  # raw HTML in a lesson is shown as text, never passed on


def markdown_html(text: str) -> str:
    """Lesson Markdown as HTML paragraphs (emphasis, code and links as tags; every other character escaped)."""
    rendered: str = _markdown().render(text.strip())
    return rendered.strip()


def inline_html(text: str) -> str:
    """One line of lesson Markdown (an option, a step) as HTML without a paragraph around it."""
    rendered: str = _markdown().renderInline(text.strip())
    return rendered


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def card_order(lesson_id: str, question: m.Question) -> Presentation:
    """The order a card shows a question's choices, ordering items or matching right items: shuffled
    by the tutor's rule, seeded by the lesson and question ids, so it is the same in every export."""
    from neurotutor.quiz.presentation import present

    return present(question, random.Random(f"{lesson_id}:{question.id}"))


def card_fields(lesson_id: str, q: m.Question) -> tuple[str, str]:
    """A card's Options and Answer fields (HTML): options in the card's order; the answer in
    each right option's exact text (right options in the order shown), the steps in order, the
    pairs, or every accepted short answer."""
    shown = card_order(lesson_id, q)
    if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
        choices = [q.choices[shown.label(p)] for p in range(len(q.choices))]
        return ("<br>".join(inline_html(c.text) for c in choices),
                "<br>".join(inline_html(c.text) for c in choices if c.correct))
    if isinstance(q, m.Ordering):
        return ("<br>".join(inline_html(q.items[shown.label(p)]) for p in range(len(q.items))),
                "<br>".join(f"{n}. {inline_html(item)}" for n, item in enumerate(q.items, 1)))
    if isinstance(q, m.Matching):
        rights = [q.pairs[shown.label(p)].right for p in range(len(q.pairs))]
        return ("<br>".join([*(inline_html(p.left) for p in q.pairs), "with:", *(inline_html(r) for r in rights)]),
                "<br>".join(f"{inline_html(p.left)} → {inline_html(p.right)}" for p in q.pairs))
    if isinstance(q, m.TrueFalse):
        return "True<br>False", "True" if q.answer else "False"
    return "", " / ".join(_e(a) for a in q.accepted)


def anki_package(lessons: Iterable[m.Lesson], deck_name: str = "neurotutor") -> AnkiPackage:
    """A genanki Package: one sub-deck per lesson, one note per question."""
    import genanki

    note_type = genanki.Model(
        MODEL_ID, MODEL_NAME,
        fields=[{"name": "Question"}, {"name": "Options"}, {"name": "Answer"}, {"name": "Explanation"},
                {"name": "Source"}, {"name": "Id"}],
        templates=[{"name": "Card 1", "qfmt": "{{Question}}<div class=options>{{Options}}</div>",
                    "afmt": "{{FrontSide}}<hr id=answer><div class=answer>{{Answer}}</div>"
                            "<div class=explanation>{{Explanation}}</div><div class=source>{{Source}}</div>"}],
        css=CSS, sort_field_index=5)
    decks = []
    for lesson in lessons:
        deck = genanki.Deck(DECK_ID + 1 + _stable_number(lesson.id), f"{deck_name}::{lesson.title}")
        refs = {r.id: r for r in lesson.references}
        for q in lesson.questions:
            options, answer = card_fields(lesson.id, q)
            cited = [refs[r] for r in q.refs if r in refs]
            source = _e(lesson.title) + ("".join(f"<br>{_e(r.authors)} ({r.year}). {_e(r.title)}."
                                             for r in cited))
            deck.add_note(genanki.Note(
                model=note_type,
                fields=[markdown_html(q.prompt), options, answer, markdown_html(q.explanation), source,
                        f"{lesson.id}/{q.id}"],
                guid=genanki.guid_for("neurotutor", lesson.id, q.id),
                tags=sorted({*lesson.tags, lesson.id, m.question_type(q)})))
        decks.append(deck)
    package: AnkiPackage = genanki.Package(decks)
    return package


def anki_bytes(package: AnkiPackage, timestamp: float) -> bytes:
    """The .apkg file of a genanki Package, as bytes.

    genanki's own write_to_file leaves its SQLite database (hundreds of KB) in the system's temp
    folder on every run; here it is built in a private temp folder that is always removed. The
    archive is the same: collection.anki2 and an empty media list (our decks carry no media)."""
    import io
    import itertools
    import sqlite3
    import tempfile
    import zipfile
    from pathlib import Path

    from neurotutor import files

    with tempfile.TemporaryDirectory(prefix="neurotutor-deck-") as tmp:  # 0700, removed whatever happens
        database = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(database)
        try:
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        archive = io.BytesIO()
        when = files.zip_time(timestamp)  # a zip holds 1980-2107 only: a clock outside gives the nearest end
        with zipfile.ZipFile(archive, "w") as zf:
            zf.writestr(zipfile.ZipInfo("collection.anki2", when), database.read_bytes(), zipfile.ZIP_STORED)
            zf.writestr(zipfile.ZipInfo("media", when), "{}")
    return archive.getvalue()


def _stable_number(text: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=4).digest(), "big") % 1_000_000


# Moodle accepts only these grade fractions (per cent), positive and negative.
_FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25", "20",
              "16.66667", "14.28571", "12.5", "11.11111", "10", "5")


def _fraction(share: float) -> str:
    return min(_FRACTIONS, key=lambda f: abs(float(f) - share * 100))


def _plain(text: str) -> str:
    from neurotutor.plaintext import inline_text

    return inline_text(text)


def _shortened(text: str, most: int) -> str:
    if len(text) <= most:
        return text
    cut = text[:most - 1]
    return (cut[:cut.rfind(" ")] if " " in cut else cut).rstrip(" ,;:") + "…"


def moodle_name(lesson: m.Lesson, number: int, q: m.Question) -> str:
    """A Moodle question's name: the lesson's short title (before a colon), the question's number
    in the lesson, and the start of its prompt, e.g. "CBT Q03: Which answer is ..." (unique in
    the lesson's category, and well under Moodle's 255 characters)."""
    label = lesson.title.split(":", 1)[0].strip()
    return f"{label} Q{number:02d}: {_shortened(_plain(q.prompt), NAME_PROMPT)}"


def _shortanswer_text(accepted: str) -> str:
    # In a Moodle short answer a * is a wildcard and \* a literal asterisk (qtype_shortanswer's
    # compare_string_with_wildcard).
    return accepted.replace("*", "\\*")


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    """A Moodle text field: <tag format="..."><text>value</text></tag> (ElementTree escapes the value)."""
    import xml.etree.ElementTree as ET

    node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(node, "text").text = value
    return node


def _value(parent: ET.Element, tag: str, value: str) -> None:
    import xml.etree.ElementTree as ET

    ET.SubElement(parent, tag).text = value


def _answer(parent: ET.Element, value: str, fraction: str, feedback: str | None, fmt: str = "html") -> None:
    """An <answer fraction="..."> as qformat_xml::import_answer reads it: its text, and its feedback if any."""
    node = _text(parent, "answer", value, fmt)
    node.set("fraction", fraction)
    if feedback is not None:
        _text(node, "feedback", feedback)


def moodle_xml(lessons: Iterable[m.Lesson], ordering: str = "ordering") -> bytes:
    """A Moodle XML question bank (one category per lesson); ordering questions as Moodle's
    `ordering` type, or with ordering="matching" as matching questions for sites before 4.4."""
    import xml.etree.ElementTree as ET

    if ordering not in MOODLE_ORDERING:
        raise ValueError(f"ordering must be one of {MOODLE_ORDERING}, not {ordering!r}")
    quiz = ET.Element("quiz")
    for lesson in lessons:
        category = ET.SubElement(quiz, "question", {"type": "category"})
        # A / in a category path separates categories; Moodle reads // as one slash in a name.
        _text(category, "category", f"$course$/neurotutor/{lesson.title.replace('/', '//')}", None)
        for number, q in enumerate(lesson.questions, 1):
            fallback = isinstance(q, m.Ordering) and ordering == "matching"
            kind = {m.SingleChoice: "multichoice", m.MultipleSelect: "multichoice", m.TrueFalse: "truefalse",
                    m.Matching: "matching", m.Ordering: "ordering", m.ShortAnswer: "shortanswer"}[type(q)]
            node = ET.SubElement(quiz, "question", {"type": "matching" if fallback else kind})
            _text(node, "name", moodle_name(lesson, number, q), None)
            prompt = q.prompt.strip() + ("\n\n(Match each step number to its step.)" if fallback else "")
            _text(node, "questiontext", markdown_html(prompt))
            _text(node, "generalfeedback", markdown_html(q.explanation))
            _value(node, "defaultgrade", "1")
            _value(node, "idnumber", f"{lesson.id}/{q.id}")
            if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
                _multichoice(node, q)
            elif isinstance(q, m.TrueFalse):
                for value in (True, False):
                    right = value == q.answer
                    _answer(node, "true" if value else "false", "100" if right else "0",
                            markdown_html(RIGHT if right else q.feedback or ""), "moodle_auto_format")
            elif isinstance(q, m.Matching):
                _matching(node, [(inline_html(p.left), _plain(p.right)) for p in q.pairs], shuffle=True)
            elif isinstance(q, m.Ordering) and fallback:  # the steps in their order, 1, 2, 3
                _matching(node, [(f"Step {n}", _plain(item)) for n, item in enumerate(q.items, 1)], shuffle=False)
            elif isinstance(q, m.Ordering):
                _ordering(node, q)
            elif isinstance(q, m.ShortAnswer):
                _value(node, "usecase", "0")  # case does not matter, as in the tutor
                for accepted in q.accepted:
                    _answer(node, _shortanswer_text(accepted), "100", markdown_html(RIGHT), "moodle_auto_format")
                if q.feedback:  # last: Moodle gives the first answer that matches
                    _answer(node, "*", "0", markdown_html(q.feedback), "moodle_auto_format")
            tags = ET.SubElement(node, "tags")
            for tag in dict.fromkeys((*lesson.tags, lesson.id)):
                _text(tags, "tag", tag, None)
    ET.indent(quiz)
    body: bytes = ET.tostring(quiz, encoding="utf-8")  # (typeshed types any encoding but "unicode" as Any)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def _multichoice(node: ET.Element, q: m.SingleChoice | m.MultipleSelect) -> None:
    """What qformat_xml::import_multichoice reads after the common header."""
    rights = sum(c.correct for c in q.choices)
    wrongs = len(q.choices) - rights
    _value(node, "single", "true" if isinstance(q, m.SingleChoice) else "false")
    _value(node, "shuffleanswers", "true")
    _value(node, "answernumbering", "abc")
    _value(node, "showstandardinstruction", "1")  # "Select one:" / "Select one or more:"
    for c in q.choices:
        if c.correct:
            fraction = _fraction(1 / rights)
        elif isinstance(q, m.MultipleSelect):
            fraction = "-" + _fraction(1 / wrongs)
        else:
            fraction = "0"
        _answer(node, inline_html(c.text), fraction, markdown_html(c.feedback or (RIGHT if c.correct else "")))


def _matching(node: ET.Element, pairs: list[tuple[str, str]], shuffle: bool) -> None:
    """What qformat_xml::import_match reads: each stem (HTML) with its answer (plain text); with
    shuffle, Moodle shows the stems in a new order on every attempt (the answers always)."""
    import xml.etree.ElementTree as ET

    _value(node, "shuffleanswers", "true" if shuffle else "false")
    for stem, right in pairs:
        sub = _text(node, "subquestion", stem)
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right


def _ordering(node: ET.Element, q: m.Ordering) -> None:
    """What qtype_ordering::import_from_xml reads (and set_options_for_import accepts): every item,
    listed vertically and shown shuffled by Moodle; credit for the longest run of items in the right
    relative order; the items in the right order, their fraction the position."""
    for tag, value in (("layouttype", "VERTICAL"), ("selecttype", "ALL"), ("selectcount", str(len(q.items))),
                       ("gradingtype", "LONGEST_ORDERED_SUBSET"), ("showgrading", "SHOW"),
                       ("numberingstyle", "none"), ("shownumcorrect", "1")):
        _value(node, tag, value)
    for n, item in enumerate(q.items, 1):
        _answer(node, inline_html(item), str(n), None)
