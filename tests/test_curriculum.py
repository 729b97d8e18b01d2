"""The built-in curriculum: valid, complete, cited, readable, and never overclaiming."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from neurotutor import paths
from neurotutor.lessons import model as m
from neurotutor.lessons.catalogue import validate_files
from neurotutor.lessons.loader import load_lesson_file

EXPECTED_IDS = [
    "neuroplasticity-types", "plasticity-claims", "two-routes-of-change", "reconsolidation-conditions",
    "cbt", "mindfulness", "therapies-compared", "stress-and-relationship", "emerging-approaches",
    "myths-and-facts", "how-learning-lasts", "exposure-in-practice", "therapies-in-depth", "thinking-and-feeling",
    "brain-scans-of-therapy", "extinction-in-the-brain", "why-therapies-work", "trauma-brain-claims",
]
# Flesch-Kincaid grade 9 is about reading age 14-15: the top of the 12-14 target, with a
# margin for the technical words (amygdala, reconsolidation) that every lesson must teach.
MAX_GRADE = 9.0

RESULT = validate_files(paths.builtin_lessons_dir(), [], [])
LESSONS = [load_lesson_file(x.path)[0].lesson for x in RESULT.lessons]  # type: ignore[union-attr]
BY_ID = {lesson.id: lesson for lesson in LESSONS}

# Phrases that state the fact sheet's "Seed claims to correct" as if they were findings.
OVERCLAIMS = {
    "unused connections dissolve (1)": r"\b(dissolv\w*|atroph\w*)\b",
    "mindfulness shrinks the amygdala (2)": r"(shrink\w*|decreas\w*|reduc\w*)\s+(the\s+)?(size\s+of\s+the\s+)?amygdala",
    "CBT powers up the PFC (3)": r"(increas\w*|boost\w*|strengthen\w*|power\w*\s+up)\s+(the\s+)?(prefrontal|pfc)",
    "DMN overactive in depression (4)": r"(dmn|default mode network)\s+is\s+overactive",
    "therapy grows neurons, prunes, myelinates (5, 6)": r"therap\w*\s+(causes?|grows?|creates?|produces?|triggers?|prunes?|adds?|increases?)\s+(new\s+neurons|neurogenesis|synaptic\s+pruning|myelin)",
    "alliance releases oxytocin or dopamine (7)": r"(alliance|relationship|bond)\s+releases?\s+(oxytocin|dopamine)",
    "therapy regulates the HPA axis (8)": r"regulates?\s+the\s+hpa",
    "EMDR moves memories or mimics REM (9)": r"(moves?\s+(the\s+)?memor(y|ies)|(mimic\w*|recreat\w*)\s+rem\b)",
    "neurofeedback helps ADHD (10)": r"neurofeedback\s+(helps?|treats?|works\s+for)\s+adhd",
    "psychedelics promote plasticity in patients (11)": r"psychedelics?\s+promotes?\s+neuroplasticity\s+in\s+(people|patients|humans)",
    "reconsolidation discovered in 2000 (12)": r"discovered\s+in\s+2000",
    "five-hour window (13)": r"\b(five|5)[- ]hours?\s+window",
    "reconsolidation change is permanent (14, 15)": r"\b(permanent\w*|never\s+returns?)\b",
    "symptom substitution (17)": r"produces?\s+new\s+symptoms",
}
STRONG = {"established", "supported"}


def learner_text(lesson: m.Lesson) -> str:
    parts = [lesson.summary] + [s.body + " " + " ".join(s.key_points) for s in lesson.sections]
    text = " ".join(parts)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links -> their words
    return re.sub(r"[*_#>`|]", " ", text)


def test_all_built_in_lessons_validate() -> None:
    assert [str(p) for p in RESULT.problems] == []


def test_the_eighteen_lessons_ship_in_order() -> None:
    assert [lesson.id for lesson in LESSONS] == EXPECTED_IDS


def test_question_bank_size_and_types() -> None:
    counts = Counter(type(q).__name__ for lesson in LESSONS for q in lesson.questions)
    assert sum(counts.values()) >= 200
    assert set(counts) == {"SingleChoice", "MultipleSelect", "TrueFalse", "Ordering", "Matching", "ShortAnswer"}


@pytest.mark.parametrize("lesson_id", EXPECTED_IDS)
def test_each_lesson_is_complete(lesson_id: str) -> None:
    lesson = BY_ID[lesson_id]
    assert len(lesson.questions) >= 12
    assert len({type(q) for q in lesson.questions}) >= 4
    assert all(q.explanation.strip() for q in lesson.questions)
    assert len(lesson.references) >= 3
    assert all(r.doi or r.isbn or r.url for r in lesson.references)
    assert any(s.deeper for s in lesson.sections), "trainee depth goes in deeper parts"
    assert any(s.evidence or s.claims for s in lesson.sections), "findings carry evidence tags"


@pytest.mark.parametrize("lesson_id", EXPECTED_IDS)
def test_learner_text_is_readable(lesson_id: str) -> None:
    import textstat

    grade = textstat.flesch_kincaid_grade(learner_text(BY_ID[lesson_id]))
    assert grade <= MAX_GRADE, f"{lesson_id}: Flesch-Kincaid grade {grade}"


def test_choice_questions_have_no_catch_all_options() -> None:
    for lesson in LESSONS:
        for q in lesson.questions:
            if isinstance(q, (m.SingleChoice, m.MultipleSelect)):
                for c in q.choices:
                    assert not re.search(r"\b(all|none) of the above\b", c.text, re.I), (lesson.id, q.id)


def test_trauma_topics_carry_a_content_note() -> None:
    for lesson_id in ("two-routes-of-change", "reconsolidation-conditions", "therapies-compared"):
        assert BY_ID[lesson_id].content_note, lesson_id


@pytest.mark.parametrize("name,pattern", list(OVERCLAIMS.items()))
def test_no_seed_overclaim_is_stated_as_a_finding(name: str, pattern: str) -> None:
    offenders = []
    for lesson in LESSONS:
        for section in lesson.sections:
            for claim in section.claims:
                if claim.evidence in STRONG and re.search(pattern, claim.text, re.I):
                    offenders.append(f"{lesson.id}/{section.id}: [{claim.evidence}] {claim.text}")
    assert offenders == []


def test_overclaim_patterns_catch_what_they_should() -> None:
    examples = {
        "mindfulness shrinks the amygdala (2)": "An 8-week course shrinks the amygdala.",
        "five-hour window (13)": "Memories can be rewritten within a five-hour window.",
        "therapy grows neurons, prunes, myelinates (5, 6)": "Therapy grows new neurons in the hippocampus.",
        "alliance releases oxytocin or dopamine (7)": "A good alliance releases oxytocin.",
    }
    for name, sentence in examples.items():
        assert re.search(OVERCLAIMS[name], sentence, re.I), name


def test_the_curriculum_names_weak_evidence_as_such() -> None:
    weak = Counter(c.evidence for lesson in LESSONS for s in lesson.sections for c in s.claims
                   if c.evidence in ("debated", "unsupported"))
    assert weak["debated"] >= 5 and weak["unsupported"] >= 5


def test_the_curriculum_passes_lint_strict(run_cli) -> None:
    linted = run_cli("lint", "--strict")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout.startswith(f"{len(EXPECTED_IDS)} lessons and 4 worksheets linted: no warnings")


def test_a_form_only_guesser_does_no_better_than_chance_on_each_question_type() -> None:
    from neurotutor.authoring.lint import form_guessers

    guessers = form_guessers(q for lesson in LESSONS for q in lesson.questions)
    assert {g.name.split(":")[0] for g in guessers} == {"true/false", "single", "multiple"}
    for guess in guessers:
        assert guess.score <= guess.chance + 0.10, guess.words()
    for lesson in LESSONS:  # balanced keys in every lesson, not only overall
        keys = [q.answer for q in lesson.questions if isinstance(q, m.TrueFalse)]
        assert abs(2 * sum(keys) - len(keys)) <= 1, lesson.id


def test_no_lesson_names_our_internal_sources() -> None:
    """Learners have never heard of the project's working documents: every lesson file (deeper parts
    and reference notes included) says "popular articles" or "our evidence ratings" instead."""
    internal = re.compile(r"\bthe seed\b|\bseed (claims?|articles?|table|idea)\b|\bseed's\b|fact ?sheet", re.IGNORECASE)
    found = [f"{x.path.name}:{n}" for x in RESULT.lessons
             for n, line in enumerate(x.path.read_text(encoding="utf-8").splitlines(), 1) if internal.search(line)]
    assert found == []
