"""Exported question banks read back with independent readers: the Anki package through SQLite
(its collection database), the Moodle XML through the standard XML parser."""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from neurotutor import paths
from neurotutor.lessons.catalogue import validate_files
from neurotutor.lessons.loader import load_lesson_file

LESSONS = [load_lesson_file(x.path)[0].lesson for x in validate_files(paths.builtin_lessons_dir(), [], []).lessons]  # type: ignore[union-attr]
QUESTIONS = sum(len(lesson.questions) for lesson in LESSONS)
MOODLE_FRACTIONS = {"100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25",
                    "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0"}


def _notes(apkg: Path, tmp: Path) -> list[tuple[str, list[str], str]]:
    with zipfile.ZipFile(apkg) as zf:
        zf.extract("collection.anki2", tmp)
    with sqlite3.connect(tmp / "collection.anki2") as db:
        rows = db.execute("select guid, flds, tags from notes order by sfld").fetchall()
    return [(guid, flds.split("\x1f"), tags) for guid, flds, tags in rows]


def test_anki_deck_has_one_note_per_question_with_stable_ids(run_cli, tmp_path: Path) -> None:
    made = run_cli("export-deck", str(tmp_path / "a.apkg"))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Wrote {tmp_path / 'a.apkg'}: {QUESTIONS} questions from {len(LESSONS)} lessons")
    first = _notes(tmp_path / "a.apkg", tmp_path / "one")
    assert len(first) == QUESTIONS
    by_id = {fields[5]: (guid, fields, tags) for guid, fields, tags in first}
    lesson = LESSONS[0]
    q = lesson.questions[0]
    guid, fields, tags = by_id[f"{lesson.id}/{q.id}"]
    assert fields[4].startswith(lesson.title.replace("&", "&amp;"))
    assert q.explanation.split()[0] in fields[3]
    assert set(tags.split()) >= {lesson.id, *lesson.tags}
    assert run_cli("export-deck", str(tmp_path / "b.apkg")).returncode == 0
    again = _notes(tmp_path / "b.apkg", tmp_path / "two")
    assert [g for g, _, _ in again] == [g for g, _, _ in first]  # the same notes: a re-import updates them
    only = run_cli("export-deck", str(tmp_path / "c.apkg"), "--lessons", "cbt")
    assert len(_notes(tmp_path / "c.apkg", tmp_path / "three")) == len(next(x for x in LESSONS if x.id == "cbt").questions)
    assert only.returncode == 0
    assert run_cli("export-deck", str(tmp_path / "deck.txt")).returncode == 2  # no format from that name


def test_moodle_xml_has_every_question_with_its_feedback(run_cli, tmp_path: Path) -> None:
    made = run_cli("export-deck", str(tmp_path / "bank.xml"))
    assert made.returncode == 0, made.stderr
    quiz = ET.parse(tmp_path / "bank.xml").getroot()
    questions = [q for q in quiz if q.get("type") != "category"]
    assert len(questions) == QUESTIONS
    assert len([q for q in quiz if q.get("type") == "category"]) == len(LESSONS)
    kinds = {q.get("type") for q in questions}
    assert kinds == {"multichoice", "truefalse", "matching", "shortanswer"}
    for q in questions:
        name = q.findtext("name/text")
        assert q.findtext("questiontext/text") and q.findtext("generalfeedback/text"), name
        answers = q.findall("answer")
        fractions = [a.get("fraction", "").lstrip("-") for a in answers]
        assert set(fractions) <= MOODLE_FRACTIONS, (name, fractions)
        if q.get("type") == "multichoice":
            right = sum(float(a.get("fraction", "0")) for a in answers if float(a.get("fraction", "0")) > 0)
            assert abs(right - 100) < 0.01, (name, right)
            wrong = [a for a in answers if float(a.get("fraction", "0")) <= 0]
            assert all(a.findtext("feedback/text") for a in wrong), name  # why each wrong option is wrong
        if q.get("type") == "matching":
            assert len(q.findall("subquestion")) >= 2
    single = next(q for q in questions if q.findtext("single") == "true")
    assert sum(a.get("fraction") == "100" for a in single.findall("answer")) == 1
