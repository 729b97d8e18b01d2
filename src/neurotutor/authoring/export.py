"""The question bank for the tools trainees and teachers already use: an Anki deck (.apkg, with
genanki) and a Moodle question bank (Moodle XML).

Anki: one note per question (question, options, answer, explanation, source), each note's guid
derived from the lesson and question ids, so importing a newer export updates the notes instead
of adding them twice; tags from the lesson's tags, its id and the question type.

Moodle: single and multiple choice (multichoice), true/false, matching and short answer with
per-option feedback and the explanation as general feedback. Moodle's core has no ordering type,
so an ordering item becomes a matching item (each position matched to its step). One category per
lesson. Text is escaped by ElementTree; Markdown emphasis is left as plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from neurotutor.lessons import model as m

if TYPE_CHECKING:
    import sqlite3
    from typing import Protocol

    class AnkiPackage(Protocol):
        """The part of a genanki Package used here (genanki has no type information)."""

        def write_to_db(self, cursor: sqlite3.Cursor, timestamp: float, id_gen: Iterator[int]) -> None: ...

FORMATS = ("apkg", "moodle-xml")
MODEL_ID = 1_740_202_611  # fixed forever: Anki keeps track of the note type by it
DECK_ID = 1_740_202_612
MODEL_NAME = "neurotutor question"
CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; color: #1a1a1a;
background: #fff; max-width: 40em; margin: 0 auto; }
.options { margin: .5em 0; } .answer { font-weight: 600; } .explanation { margin-top: .75em; }
.source { color: #555; font-size: 14px; margin-top: 1em; }"""


def _plain(text: str) -> str:
    """Markdown to plain words: emphasis marks and link targets dropped."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"(\*\*|__|\*|`)", "", text).strip()


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _html(text: str) -> str:
    return "<br>".join(_e(_plain(line)) for line in text.strip().splitlines())


def _options(q: m.Question) -> list[str]:
    if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
        return [c.text for c in q.choices]
    if isinstance(q, m.Ordering):
        return sorted(q.items)  # shown out of order (alphabetical: the same in every export)
    if isinstance(q, m.Matching):
        rights = sorted(p.right for p in q.pairs)
        return [f"{p.left}" for p in q.pairs] + ["with:"] + rights
    if isinstance(q, m.TrueFalse):
        return ["True", "False"]
    return []


def answer_text(q: m.Question) -> str:
    """The right answer in words (as the tutor says it; every accepted short answer)."""
    from neurotutor.quiz.grading import right_answer_text

    return " / ".join(q.accepted) if isinstance(q, m.ShortAnswer) else right_answer_text(q)


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
            options = _options(q)
            cited = [refs[r] for r in q.refs if r in refs]
            source = _e(lesson.title) + ("".join(f"<br>{_e(r.authors)} ({r.year}). {_e(r.title)}."
                                             for r in cited))
            deck.add_note(genanki.Note(
                model=note_type,
                fields=[_html(q.prompt), "<br>".join(_e(o) for o in options), _e(answer_text(q)),
                        _html(q.explanation), source, f"{lesson.id}/{q.id}"],
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


def moodle_xml(lessons: Iterable[m.Lesson]) -> bytes:
    """A Moodle XML question bank (one category per lesson)."""
    import xml.etree.ElementTree as ET

    quiz = ET.Element("quiz")

    def text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
        node = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
        ET.SubElement(node, "text").text = value
        return node

    for lesson in lessons:
        category = ET.SubElement(quiz, "question", {"type": "category"})
        cat = ET.SubElement(category, "category")
        ET.SubElement(cat, "text").text = f"$course$/neurotutor/{lesson.title}"
        for q in lesson.questions:
            kind = {m.SingleChoice: "multichoice", m.MultipleSelect: "multichoice", m.TrueFalse: "truefalse",
                    m.Matching: "matching", m.Ordering: "matching", m.ShortAnswer: "shortanswer"}[type(q)]
            node = ET.SubElement(quiz, "question", {"type": kind})
            ET.SubElement(ET.SubElement(node, "name"), "text").text = f"{lesson.id}/{q.id}"
            prompt = q.prompt + ("\n(Match each position to its step.)" if isinstance(q, m.Ordering) else "")
            text(node, "questiontext", _html(prompt))
            text(node, "generalfeedback", _html(q.explanation))
            ET.SubElement(node, "defaultgrade").text = "1"
            ET.SubElement(node, "idnumber").text = f"{lesson.id}/{q.id}"
            if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
                rights = sum(c.correct for c in q.choices)
                wrongs = len(q.choices) - rights
                ET.SubElement(node, "single").text = "true" if isinstance(q, m.SingleChoice) else "false"
                ET.SubElement(node, "shuffleanswers").text = "1"
                ET.SubElement(node, "answernumbering").text = "abc"
                for c in q.choices:
                    if c.correct:
                        fraction = _fraction(1 / rights)
                    elif isinstance(q, m.MultipleSelect):
                        fraction = "-" + _fraction(1 / wrongs)
                    else:
                        fraction = "0"
                    answer = text(node, "answer", _e(c.text))
                    answer.set("fraction", fraction)
                    text(answer, "feedback", _e(c.feedback or ("Right." if c.correct else "")))
            elif isinstance(q, m.TrueFalse):
                for value in (True, False):
                    answer = text(node, "answer", "true" if value else "false", "moodle_auto_format")
                    answer.set("fraction", "100" if value == q.answer else "0")
                    text(answer, "feedback", _e("Right." if value == q.answer else (q.feedback or "")))
            elif isinstance(q, (m.Matching, m.Ordering)):
                ET.SubElement(node, "shuffleanswers").text = "true"
                pairs = ([(p.left, p.right) for p in q.pairs] if isinstance(q, m.Matching)
                         else [(f"Step {n}", item) for n, item in enumerate(q.items, 1)])
                for left, right in pairs:
                    sub = text(node, "subquestion", _e(left))
                    ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
            else:  # short answer
                ET.SubElement(node, "usecase").text = "0"
                for accepted in q.accepted:
                    answer = text(node, "answer", accepted, "moodle_auto_format")
                    answer.set("fraction", "100")
                    text(answer, "feedback", "Right.")
    ET.indent(quiz)
    body: bytes = ET.tostring(quiz, encoding="utf-8")  # (typeshed types any encoding but "unicode" as Any)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
