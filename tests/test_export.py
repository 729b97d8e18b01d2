"""Exported question banks read back by what reads them.

Anki: the .apkg is imported into a fresh collection by the official `anki` package (and its
SQLite read directly). Moodle: the XML is checked element by element against what Moodle's own
importers read (moodle/moodle: question/format/xml/format.php, class qformat_xml, and
question/type/ordering/questiontype.php, class qtype_ordering), in the shapes of their fixtures
(question/format/xml/tests/fixtures/*.xml, question/type/ordering/tests/fixtures/*.moodle.xml).
Each Moodle test names the importer function it follows.
"""

from __future__ import annotations

import html
import re
import sqlite3
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from pathlib import Path

import msgspec

from neurotutor import paths
from neurotutor.authoring.export import (
    anki_bytes,
    anki_package,
    card_fields,
    card_order,
    inline_html,
    markdown_html,
    moodle_xml,
)
from neurotutor.lessons import model as m
from neurotutor.lessons.catalogue import validate_files
from neurotutor.lessons.loader import load_lesson_file

LESSONS = [load_lesson_file(x.path)[0].lesson for x in validate_files(paths.builtin_lessons_dir(), [], []).lessons]  # type: ignore[union-attr]
QUESTIONS = sum(len(lesson.questions) for lesson in LESSONS)
BY_ID = {f"{lesson.id}/{q.id}": (lesson, q) for lesson in LESSONS for q in lesson.questions}
MOODLE_FRACTIONS = {"100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25",
                    "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0"}
MARKDOWN = re.compile(r"\*\*|`|\]\(|(?<![\w*\\])\*(?=\w)")  # bold, code, a link, *emphasis* (not a lone "*" answer)

TINY = msgspec.convert({
    "format": 1, "id": "tiny", "title": "Tiny lesson: a/b test", "summary": "S.", "level": "learner",
    "tags": ["topic-x", "level-basics"], "minutes": 5, "sections": [{"id": "s", "title": "S", "body": "B."}],
    "questions": [
        {"type": "single_choice", "id": "pick", "explanation": "Use `neurotutor review` <now>.",
         "prompt": "Which is **right**? See [the guide](https://example.org/a?b=1&c=2).",
         "choices": [{"text": "A *good* one", "correct": True}, {"text": "B & C", "feedback": "Not **this**."},
                     {"text": "D", "feedback": "No."}]},
        {"type": "multiple_select", "id": "many", "prompt": "Choose two.", "explanation": "E.",
         "choices": [{"text": "One", "correct": True}, {"text": "Two", "correct": True},
                     {"text": "Three", "feedback": "Not three."}]},
        {"type": "true_false", "id": "tf", "prompt": "True?", "explanation": "E.", "answer": False,
         "feedback": "It is *false*."},
        {"type": "ordering", "id": "steps", "prompt": "Put in order.", "explanation": "E.",
         "items": ["First", "Second `2`", "Third"]},
        {"type": "matching", "id": "pairs", "prompt": "Match them.", "explanation": "E.",
         "pairs": [{"left": "Left **1**", "right": "Right *1*"}, {"left": "Left 2", "right": "Right 2"}]},
        {"type": "short_answer", "id": "word", "prompt": "The blank is expectancy ______.", "explanation": "E.",
         "accepted": ["violation", "5*"], "feedback": "The word is **violation**."},
    ]}, m.Lesson, strict=True)


def _questions(quiz: ET.Element) -> list[ET.Element]:
    return [q for q in quiz if q.get("type") != "category"]


def _source(q: ET.Element) -> tuple[m.Lesson, m.Question]:
    return BY_ID[q.findtext("idnumber") or ""]


BANK = ET.fromstring(moodle_xml(LESSONS))
FALLBACK = ET.fromstring(moodle_xml(LESSONS, "matching"))


# --- Anki ---------------------------------------------------------------------------------------

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
    assert [f for _, f, _ in again] == [f for _, f, _ in first]  # and the same fields: options in the same order
    only = run_cli("export-deck", str(tmp_path / "c.apkg"), "--lessons", "cbt")
    assert len(_notes(tmp_path / "c.apkg", tmp_path / "three")) == len(next(x for x in LESSONS if x.id == "cbt").questions)
    assert only.returncode == 0
    assert run_cli("export-deck", str(tmp_path / "deck.txt")).returncode == 2  # no format from that name


def test_card_fields_show_options_shuffled_and_the_answer_in_their_exact_words() -> None:
    fields = {q.id: card_fields(TINY.id, q) for q in TINY.questions}
    assert fields == {
        "pick": ("A <em>good</em> one<br>D<br>B &amp; C", "A <em>good</em> one"),
        "many": ("Three<br>Two<br>One", "Two<br>One"),  # the right options in the order the card shows them
        "tf": ("True<br>False", "False"),
        "steps": ("Third<br>Second <code>2</code><br>First", "1. First<br>2. Second <code>2</code><br>3. Third"),
        "pairs": ("Left <strong>1</strong><br>Left 2<br>with:<br>Right <em>1</em><br>Right 2",
                  "Left <strong>1</strong> → Right <em>1</em><br>Left 2 → Right 2"),
        "word": ("", "violation / 5*"),
    }
    assert [card_order(TINY.id, q).order for q in TINY.questions] == [(0, 2, 1), (2, 1, 0), (), (2, 1, 0), (0, 1), ()]


def test_anki_package_imports_into_a_fresh_collection_with_the_right_option_in_every_position(tmp_path: Path) -> None:
    """The official `anki` package imports the deck (Collection.import_anki_package, the importer
    behind Anki's File > Import): one note per question, and importing a newer export updates the
    notes instead of adding them again."""
    from anki.collection import Collection, ImportAnkiPackageRequest
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    first, later = tmp_path / "first.apkg", tmp_path / "later.apkg"
    first.write_bytes(anki_bytes(anki_package(LESSONS), 1_767_225_600.0))
    later.write_bytes(anki_bytes(anki_package(LESSONS), 1_767_312_000.0))  # a day later: newer notes
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        def imported(apkg: Path) -> tuple[int, int, int, int]:
            log = col.import_anki_package(ImportAnkiPackageRequest(
                package_path=str(apkg), options=ImportAnkiPackageOptions())).log
            return len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting)

        assert imported(first) == (QUESTIONS, 0, 0, 0)
        assert (col.note_count(), col.card_count()) == (QUESTIONS, QUESTIONS)
        assert imported(first) == (0, 0, QUESTIONS, 0)  # the same file again: nothing new, nothing doubled
        assert imported(later) == (0, QUESTIONS, 0, 0)  # a newer export: every note updated in place
        assert (col.note_count(), col.card_count()) == (QUESTIONS, QUESTIONS)
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        assert sorted(n["Id"] for n in notes) == sorted(BY_ID)  # one note per question

        single: Counter[int] = Counter()
        multiple: Counter[int] = Counter()
        right_first = 0
        for note in notes:
            lesson, q = BY_ID[note["Id"]]
            options, answer = note["Options"].split("<br>"), note["Answer"].split("<br>")
            if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
                shown = [q.choices[card_order(lesson.id, q).label(p)] for p in range(len(q.choices))]
                assert [html.unescape(o) for o in options] == [c.text for c in shown], note["Id"]
                # each right option in its exact words (no lesson marks up an option), in the order shown
                assert [html.unescape(a) for a in answer] == [c.text for c in shown if c.correct], note["Id"]
                positions = [p for p, c in enumerate(shown) if c.correct]
                if isinstance(q, m.SingleChoice):
                    single[positions[0]] += 1
                else:
                    multiple.update(positions)
                    right_first += positions == list(range(len(positions)))
            elif isinstance(q, m.Ordering):
                assert options != [inline_html(item) for item in q.items], note["Id"]  # never shown in the answer order
            elif isinstance(q, m.Matching):
                rights = options[options.index("with:") + 1:]
                assert sorted(rights) == sorted(inline_html(p.right) for p in q.pairs), note["Id"]
    finally:
        col.close()
    # Before: the right answer first in 109 of 147 single-choice cards ({0: 109, 1: 30, 2: 6, 3: 2}), and the
    # right options first in all 38 multiple-select cards. The shuffle is seeded, so the counts are exact.
    assert single == {0: 37, 1: 30, 2: 38, 3: 41, 4: 1}  # 146 cards of 4 options, one of 5
    four = [single[p] for p in range(4)]
    assert all(abs(n - sum(four) / 4) <= 0.25 * sum(four) / 4 for n in four)  # each within 25% of the mean
    assert multiple == {0: 22, 1: 16, 2: 26, 3: 16, 4: 22, 5: 9, 6: 1}
    assert right_first == 1  # of 38


# --- Moodle -------------------------------------------------------------------------------------

def test_moodle_xml_of_a_small_lesson_is_exactly_what_moodle_reads() -> None:
    """One question of each kind, in the shapes of Moodle's fixtures (multichoice.xml, truefalse.xml,
    testimport.moodle.xml of qtype_ordering; the short answer of test_import_shortanswer_19)."""
    assert moodle_xml([TINY]).decode() == (Path(__file__).parent / "data" / "export" / "tiny.moodle.xml").read_text()


def test_moodle_xml_has_every_question_with_its_feedback(run_cli, tmp_path: Path) -> None:
    made = run_cli("export-deck", str(tmp_path / "bank.xml"))
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "bank.xml").read_bytes() == moodle_xml(LESSONS)
    quiz = ET.parse(tmp_path / "bank.xml").getroot()
    questions = _questions(quiz)
    assert len(questions) == QUESTIONS
    assert len([q for q in quiz if q.get("type") == "category"]) == len(LESSONS)
    assert Counter(q.get("type") for q in questions) == {"multichoice": 185, "truefalse": 71, "matching": 39,
                                                         "shortanswer": 35, "ordering": 22}
    for q in questions:
        name = q.findtext("name/text")
        assert q.findtext("questiontext/text") and q.findtext("generalfeedback/text"), name
        answers = q.findall("answer")
        fractions = [a.get("fraction", "").lstrip("-") for a in answers]
        if q.get("type") != "ordering":  # there the fraction is the item's position
            assert set(fractions) <= MOODLE_FRACTIONS, (name, fractions)
        if q.get("type") == "multichoice":
            right = sum(float(a.get("fraction", "0")) for a in answers if float(a.get("fraction", "0")) > 0)
            assert abs(right - 100) < 0.01, (name, right)
            wrong = [a for a in answers if float(a.get("fraction", "0")) <= 0]
            assert all(a.findtext("feedback/text") for a in wrong), name  # why each wrong option is wrong
    single = next(q for q in questions if q.findtext("single") == "true")
    assert sum(a.get("fraction") == "100" for a in single.findall("answer")) == 1


def test_moodle_question_headers_follow_import_headers() -> None:
    """qformat_xml::import_headers: name/text (clean_question_name keeps at most 255 characters,
    PARAM_TEXT drops tags), questiontext and generalfeedback with their format, idnumber,
    defaultgrade; import_question_tags: tags/tag/text; import_category: category/text."""
    categories = [q for q in BANK if q.get("type") == "category"]
    assert [c.findtext("category/text") for c in categories] == [f"$course$/neurotutor/{x.title}" for x in LESSONS]
    assert [sorted(child.tag for child in c) for c in categories] == [["category"]] * len(LESSONS)
    names: dict[str, list[str]] = {}
    category = ""
    for q in BANK:
        if q.get("type") == "category":
            category = q.findtext("category/text") or ""
            continue
        lesson, source = _source(q)
        number = lesson.questions.index(source) + 1
        name = q.findtext("name/text") or ""
        assert name.startswith(f"{lesson.title.split(':')[0]} Q{number:02d}: ") and 20 < len(name) <= 255, name
        assert "<" not in name and ">" not in name, name
        names.setdefault(category, []).append(name)
        assert q.find("questiontext").get("format") == "html"  # type: ignore[union-attr]
        assert q.find("generalfeedback").get("format") == "html"  # type: ignore[union-attr]
        assert q.findtext("questiontext/text") == markdown_html(source.prompt)
        assert q.findtext("generalfeedback/text") == markdown_html(source.explanation)
        assert q.findtext("defaultgrade") == "1"
        assert [t.text for t in q.findall("tags/tag/text")] == list(dict.fromkeys([*lesson.tags, lesson.id]))
    assert all(len(set(n)) == len(n) for n in names.values())  # unique within each category
    assert sum(len(n) for n in names.values()) == QUESTIONS
    assert names["$course$/neurotutor/CBT: thoughts, actions and what the evidence shows"][:3] == [
        "CBT Q01: Priya and Tom both get the same short email from their…",
        "CBT Q02: Put the columns of Beck's thought record (Daily Record of…",
        "CBT Q03: Match each of these thinking errors, all described by…",
    ]


def test_moodle_multichoice_follows_import_multichoice() -> None:
    """qformat_xml::import_multichoice: single (trans_single: "true"/"false"), shuffleanswers,
    answernumbering (abc), showstandardinstruction; each answer by import_answer with files:
    fraction, format, text, feedback."""
    questions = [q for q in _questions(BANK) if q.get("type") == "multichoice"]
    assert len(questions) == 185
    for q in questions:
        _, source = _source(q)
        assert isinstance(source, (m.SingleChoice, m.MultipleSelect))
        assert q.findtext("single") == ("true" if isinstance(source, m.SingleChoice) else "false")
        assert (q.findtext("shuffleanswers"), q.findtext("answernumbering"), q.findtext("showstandardinstruction")) \
            == ("true", "abc", "1")
        answers = q.findall("answer")
        assert [a.findtext("text") for a in answers] == [inline_html(c.text) for c in source.choices]
        assert {a.get("format") for a in answers} == {"html"}
        assert all(a.find("feedback") is not None and a.find("feedback").get("format") == "html"  # type: ignore[union-attr]
                   for a in answers)


def test_moodle_truefalse_follows_import_truefalse() -> None:
    """qformat_xml::import_truefalse: two answers whose text is "true" and "false" (otherwise it
    falls back to their order and warns); the right one has fraction 100 (== 100 is tested)."""
    questions = [q for q in _questions(BANK) if q.get("type") == "truefalse"]
    assert len(questions) == 71
    for q in questions:
        _, source = _source(q)
        assert isinstance(source, m.TrueFalse)
        answers = q.findall("answer")
        assert [(a.findtext("text"), a.get("fraction")) for a in answers] == [
            ("true", "100" if source.answer else "0"), ("false", "0" if source.answer else "100")]
        wrong = answers[1 if source.answer else 0]
        assert wrong.findtext("feedback/text") == markdown_html(source.feedback or "")


def test_moodle_shortanswer_keeps_its_wrong_answer_feedback_as_import_shortanswer_reads_it() -> None:
    """qformat_xml::import_shortanswer: usecase, then every answer by import_answer without files
    (its text plain, its fraction, its feedback); as in test_import_shortanswer_19, a last
    answer "*" with fraction 0 carries the feedback for any other answer. A literal * in an
    accepted answer is written \\* (qtype_shortanswer::compare_string_with_wildcard)."""
    questions = [q for q in _questions(BANK) if q.get("type") == "shortanswer"]
    assert len(questions) == 35
    for q in questions:
        _, source = _source(q)
        assert isinstance(source, m.ShortAnswer) and source.feedback
        assert q.findtext("usecase") == "0"
        answers = [(a.findtext("text"), a.get("fraction"), a.findtext("feedback/text")) for a in q.findall("answer")]
        assert answers == [*((text, "100", "<p>Right.</p>") for text in source.accepted),
                           ("*", "0", markdown_html(source.feedback))]
    word = next(q for q in _questions(ET.fromstring(moodle_xml([TINY]))) if q.get("type") == "shortanswer")
    assert [a.findtext("text") for a in word.findall("answer")] == ["violation", "5\\*", "*"]


def test_moodle_matching_follows_import_match() -> None:
    """qformat_xml::import_match: shuffleanswers (stems shuffled; Moodle always shuffles the
    choices), and each subquestion's text (with its format) and answer/text (plain)."""
    questions = [q for q in _questions(BANK) if q.get("type") == "matching"]
    assert len(questions) == 39
    for q in questions:
        _, source = _source(q)
        assert isinstance(source, m.Matching)
        assert q.findtext("shuffleanswers") == "true"
        subs = q.findall("subquestion")
        assert {s.get("format") for s in subs} == {"html"}
        assert [(s.findtext("text"), s.findtext("answer/text")) for s in subs] == [
            (inline_html(p.left), html.unescape(re.sub("<[^>]+>", "", inline_html(p.right)))) for p in source.pairs]


def test_moodle_ordering_follows_qtype_ordering_import_from_xml() -> None:
    """qtype_ordering::import_from_xml reads layouttype, selecttype, selectcount, gradingtype,
    showgrading, numberingstyle and shownumcorrect, then every answer (import_answer with files)
    in the right order; set_options_for_import accepts only the values checked here (anything
    else silently becomes its default). The shape is testimport.moodle.xml's."""
    questions = [q for q in _questions(BANK) if q.get("type") == "ordering"]
    assert len(questions) == 22
    for q in questions:
        _, source = _source(q)
        assert isinstance(source, m.Ordering)
        options = {tag: q.findtext(tag) for tag in ("layouttype", "selecttype", "selectcount", "gradingtype",
                                                    "showgrading", "numberingstyle", "shownumcorrect")}
        assert options == {"layouttype": "VERTICAL", "selecttype": "ALL", "selectcount": str(len(source.items)),
                           "gradingtype": "LONGEST_ORDERED_SUBSET", "showgrading": "SHOW", "numberingstyle": "none",
                           "shownumcorrect": "1"}
        assert int(options["selectcount"] or 0) >= 2  # qtype_ordering_question::MIN_SUBSET_ITEMS
        answers = q.findall("answer")
        assert [(a.get("fraction"), a.get("format"), a.findtext("text")) for a in answers] == [
            (str(n), "html", inline_html(item)) for n, item in enumerate(source.items, 1)]
        assert len({a.findtext("text") for a in answers}) == len(answers)  # Moodle keys each item by its text
        assert q.find("subquestion") is None


def test_moodle_ordering_as_matching_for_older_sites_keeps_the_steps_in_order(run_cli, tmp_path: Path) -> None:
    """--moodle-ordering matching: a matching question (qformat_xml::import_match) whose stems
    "Step 1", "Step 2", ... stay in order (shuffleanswers false); each matched to its item."""
    made = run_cli("export-deck", str(tmp_path / "old.xml"), "--moodle-ordering", "matching")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "old.xml").read_bytes() == moodle_xml(LESSONS, "matching")
    questions = _questions(FALLBACK)
    assert Counter(q.get("type") for q in questions) == {"multichoice": 185, "truefalse": 71, "matching": 61,
                                                         "shortanswer": 35}
    steps = [q for q in questions if isinstance(_source(q)[1], m.Ordering)]
    assert len(steps) == 22
    for q in steps:
        _, source = _source(q)
        assert isinstance(source, m.Ordering)
        assert q.findtext("shuffleanswers") == "false"
        assert [(s.findtext("text"), s.findtext("answer/text")) for s in q.findall("subquestion")] == [
            (f"Step {n}", item) for n, item in enumerate(source.items, 1)]
        assert q.findtext("questiontext/text") == markdown_html(source.prompt) + (
            "\n<p>(Match each step number to its step.)</p>")
    wrong = run_cli("export-deck", str(tmp_path / "deck.apkg"), "--moodle-ordering", "matching")
    assert (wrong.returncode, wrong.stderr.splitlines()[-1]) == (
        2, "--moodle-ordering is for Moodle XML only (a file name ending in .xml, or --format moodle-xml).")
    unknown = run_cli("export-deck", str(tmp_path / "bank.xml"), "--moodle-ordering", "drag")
    assert (unknown.returncode, unknown.stderr.splitlines()[-1]) == (2, "Give --moodle-ordering ordering or matching.")
    assert not (tmp_path / "deck.apkg").exists() and not (tmp_path / "bank.xml").exists()


def test_moodle_text_has_no_raw_markdown() -> None:
    """Question text, feedback, options and stems are HTML (format="html"), never Markdown marks."""
    seen = 0
    for quiz in (BANK, FALLBACK):
        for q in _questions(quiz):
            for path in ("questiontext/text", "generalfeedback/text", "answer/text", "answer/feedback/text",
                         "subquestion/text", "subquestion/answer/text"):
                for node in q.findall(path):
                    seen += 1
                    assert not MARKDOWN.search(node.text or ""), (q.findtext("idnumber"), node.text)
    assert seen > 6000
    emphasis = [BY_ID["neuroplasticity-types/np-ltp-memory-status"], BY_ID["myths-and-facts/myth-neurogenesis-level"]]
    assert all("*" in (getattr(q, "feedback", None) or "") + "".join(c.feedback or "" for c in getattr(q, "choices", ()))
               for _, q in emphasis)  # the lessons do use Markdown there
    tf = next(q for q in _questions(BANK) if q.findtext("idnumber") == "neuroplasticity-types/np-ltp-memory-status")
    assert "<em>the</em> memory mechanism" in (tf.findall("answer")[0].findtext("feedback/text") or "")
