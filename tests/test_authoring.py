"""The authoring kit: the JSON Schema checked by an independent validator (jsonschema) against
every built-in lesson and the structural mistakes in tests/data/broken/, and `new lesson`
writing a scaffold that is valid as it is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# Mistakes a schema can see (shape and types); the others (duplicate ids across files, a missing
# reference, two right options...) need the loader's own checks.
STRUCTURAL = ["unknown-field.yaml", "unknown-format.yaml", "wrong-question-type.yaml", "question-type-not-text.yaml",
              "wrong-type-correct-string.yaml", "ordering-one-item.yaml", "several-problems.yaml",
              "twelve-problems.yaml"]


class _DatesAsText(yaml.SafeLoader):
    """YAML as a YAML language server hands it to a JSON Schema: dates stay text."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _load(path: Path) -> Any:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)  # noqa: S506 (a safe loader)


def _validator(run_cli, kind: str) -> jsonschema.Draft202012Validator:
    printed = run_cli("schema", kind)
    assert printed.returncode == 0, printed.stderr
    schema = json.loads(printed.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(schema)


def test_every_built_in_lesson_validates_against_the_generated_schema(run_cli) -> None:
    validator = _validator(run_cli, "lesson")
    lessons = sorted((ROOT / "lessons").glob("*.yaml"))
    assert len(lessons) >= 10
    for path in lessons:
        errors = list(validator.iter_errors(_load(path)))
        assert errors == [], f"{path.name}: {errors[0].message}"


@pytest.mark.parametrize("name", STRUCTURAL)
def test_structural_mistakes_fail_the_schema(run_cli, name: str) -> None:
    validator = _validator(run_cli, "lesson")
    assert list(validator.iter_errors(_load(DATA / "broken" / name))), f"{name} passed the schema"


def test_the_assignment_schema_checks_assignment_files(run_cli) -> None:
    validator = _validator(run_cli, "assignment")
    for path in (DATA / "assignments" / "good.yaml", ROOT / "docs" / "examples" / "assignment.yaml"):
        assert list(validator.iter_errors(_load(path))) == []
    wrong = _load(DATA / "assignments" / "good.yaml")
    wrong["client"] = "x" * 41
    wrong["lessons"][0]["when"] = "soon"
    assert len(list(validator.iter_errors(wrong))) == 2
    assert run_cli("schema", "recipe").returncode == 2


def test_new_lesson_writes_a_commented_scaffold_that_is_valid_as_it_is(run_cli, tmp_path: Path) -> None:
    made = run_cli("new", "lesson", "sleep-and-memory", "--dir", str(tmp_path / "mine"))
    assert made.returncode == 0, made.stderr
    lesson = tmp_path / "mine" / "sleep-and-memory.yaml"
    text = lesson.read_text()
    assert text.startswith("# yaml-language-server: $schema=./lesson.schema.json\n")
    assert (tmp_path / "mine" / "lesson.schema.json").read_text() == run_cli("schema", "lesson").stdout
    assert {f"type: {t}" for t in ("single_choice", "multiple_select", "true_false", "ordering", "matching",
                                   "short_answer")} <= {line.strip() for line in text.splitlines()}
    checked = run_cli("validate", str(lesson))
    assert checked.returncode == 0 and checked.stdout == "1 lesson file valid (6 questions).\n"
    shown = run_cli("--lessons-dir", str(tmp_path / "mine"), "--plain", "lessons")
    assert "sleep-and-memory" in shown.stdout and shown.stderr == ""
    again = run_cli("new", "lesson", "sleep-and-memory", "--dir", str(tmp_path / "mine"))
    assert again.returncode == 2 and "already exists; give --force" in again.stderr
    bad = run_cli("new", "lesson", "Sleep Memory")
    assert bad.returncode == 2 and "'Sleep Memory' cannot be a lesson id" in bad.stderr


def test_lint_finds_each_rule_where_it_is_broken_and_respects_silencing(run_cli) -> None:
    cues = DATA / "lint" / "cues.yaml"
    shown = run_cli("lint", "--json", str(cues))
    assert shown.returncode == 0, shown.stderr  # warnings only
    doc = json.loads(shown.stdout)
    assert (doc["format"], doc["version"], doc["readability_checked"]) == ("neurotutor-lint", 2, True)
    found = [(f["rule"], f["line"], f["item"]) for f in doc["findings"]]
    assert found == [
        ("unsupported-section", 8, "section plain"),
        ("citation-not-listed", 10, "section plain"), ("readability", 18, "section hard"),
        ("content-note", 21, "lesson"), ("unknown-lint-rule", 29, "lint"), ("uncited-reference", 37, "reference never-cited"),
        ("form-guessing", 44, "lesson"), ("form-guessing", 44, "lesson"), ("true-false-balance", 44, "lesson"),
        ("wrong-option-feedback", 50, "question lc-tf-2"), ("right-longest", 65, "question lc-longest"),
        ("absolute-cue", 72, "question lc-absolute"), ("right-longest", 76, "question lc-absolute"),
        ("duplicate-options", 89, "question lc-duplicate"), ("catch-all-option", 91, "question lc-duplicate"),
        ("wrong-option-feedback", 91, "question lc-duplicate"), ("citation-not-listed", 92, "question lc-duplicate"),
        ("absolute-cue", 93, "question lc-fourth")]
    assert "section quiet" not in {f["item"] for f in doc["findings"]}  # silenced, with its reason
    messages = {f["rule"]: f["message"] for f in doc["findings"]}
    assert messages["true-false-balance"] == ("3 of 3 true/false items are keyed false: answering false every time "
                                              "scores 100%")
    assert messages["readability"].startswith("reads at Flesch-Kincaid grade ")
    assert messages["readability"].endswith("the words that cost most: electrophysiological, experience-dependent, "
                                            "neuroplasticity, reorganisation, characterising")
    facts = doc["lessons"][0]
    assert facts["true_false"] == {"true": 0, "false": 3}
    assert facts["form_guessing"] == {
        "single: the longest option": {"score": 0.5, "chance": 0.333},
        "single: the shortest option": {"score": 0.25, "chance": 0.333},
        "single: any option but the longest": {"score": 0.25, "chance": 0.333},  # two items keyed longest: 0 each
        "single: the option without an absolute word": {"score": 0.667, "chance": 0.333}}
    strict = run_cli("lint", "--strict", str(cues))
    assert strict.returncode == 1
    # the warning stands at the word that triggered it (line 21: `      after traumatic experiences.`)
    assert f"{cues}:21:13: content-note: the lesson mentions 'traumatic' but has no content_note" in strict.stdout.splitlines()
    assert "18 warnings in 1 lesson: absolute-cue 2, catch-all-option 1," in strict.stdout


def test_a_silence_without_a_reason_or_with_a_bad_rule_name_is_refused_where_it_is(run_cli, tmp_path: Path) -> None:
    text = (DATA / "lint" / "cues.yaml").read_text().replace(
        '      no-such-rule: "a typo"', '      no-such-rule: ""\n      Bad_Rule: "why"')
    (tmp_path / "cues.yaml").write_text(text)
    checked = run_cli("validate", str(tmp_path / "cues.yaml"))
    assert checked.returncode == 2
    assert checked.stderr.splitlines()[:2] == [
        f"{tmp_path / 'cues.yaml'}:29:21: sections[4].lint.no-such-rule: must not be empty",
        f"{tmp_path / 'cues.yaml'}:30:17: sections[4].lint.Bad_Rule: 'Bad_Rule' must be a lowercase id: letters a-z, "
        "digits and single hyphens, like 'my-lesson'"]


def test_lint_rules_are_each_documented_and_the_scaffold_lists_what_is_left_to_write(run_cli, tmp_path: Path) -> None:
    from neurotutor.authoring.lint import RULES

    docs = (ROOT / "docs" / "lint-rules.md").read_text()
    for rule, reason in RULES.items():
        assert f"## `{rule}`" in docs and reason in docs, rule
    listed = run_cli("lint", "--rules")
    assert listed.stdout.splitlines()[:len(RULES)] == [f"{rule}: {reason}" for rule, reason in RULES.items()]
    assert run_cli("new", "lesson", "fresh", "--dir", str(tmp_path)).returncode == 0
    fresh = run_cli("lint", "--strict", "--json", str(tmp_path / "fresh.yaml"))
    assert fresh.returncode == 1  # valid as it is, but its example text is still to be replaced
    found = json.loads(fresh.stdout)["findings"]
    assert {f["rule"] for f in found} == {"scaffold-text"} and len(found) == 10
    assert found[0]["message"].startswith("the summary is still the scaffold's example ('One or two plain")
    text = (tmp_path / "fresh.yaml").read_text()
    for old, new in [("One or two plain sentences on what the learner will understand by the end.", "Sleep and worry."),
                     ("tags: [my-topic]", "tags: [sleep]")]:
        text = text.replace(old, new)
    (tmp_path / "fresh.yaml").write_text(text)
    assert len(json.loads(run_cli("lint", "--json", str(tmp_path / "fresh.yaml")).stdout)["findings"]) == 8
    broken = run_cli("lint", str(DATA / "broken" / "unknown-field.yaml"))
    assert broken.returncode == 2 and "unknown field" in broken.stderr  # invalid files are reported, not linted
    assert broken.stderr.splitlines()[-1] == ("1 file not linted: fix the problems above first (they are what "
                                              "'neurotutor validate' reports).")


def test_the_bank_wide_guessers_are_reported_for_several_lessons(run_cli, tmp_path: Path) -> None:
    from neurotutor.authoring.lint import form_guessers
    from neurotutor.lessons.loader import load_lesson_file

    lesson = load_lesson_file(DATA / "lint" / "cues.yaml")[0].lesson  # type: ignore[union-attr]
    by_name = {g.name: g for g in form_guessers(lesson.questions)}
    assert (by_name["true/false: always false"].score, by_name["true/false: always false"].chance) == (1.0, 0.5)
    assert by_name["true/false: always false"].words() == ("answering false every time scores 100% on the 3 "
                                                           "true/false items (chance: 50%)")
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "cues.yaml").write_text((DATA / "lint" / "cues.yaml").read_text())
    assert run_cli("new", "lesson", "fresh", "--dir", str(tmp_path / "two")).returncode == 0
    both = run_cli("lint", "--json", str(tmp_path / "two"))
    bank = {b["guesser"]: b for b in json.loads(both.stdout)["bank"]}
    assert bank["true/false: always false"] == {"guesser": "true/false: always false", "score": 1.0, "chance": 0.5,
                                                "items": 4}  # 3 keyed false here, and the scaffold's one
    text = run_cli("lint", str(tmp_path / "two")).stdout
    assert "Across the 2 lessons, the best form-only guesser: " in text


def test_misconception_sentences_are_checked_where_they_are_written(run_cli, tmp_path: Path) -> None:
    mini = (DATA / "lessons-ok" / "test-mini.yaml").read_text(encoding="utf-8")
    lesson = tmp_path / "test-mini.yaml"
    # a label no question carries is an error at its key, with the label it was probably meant to be
    lesson.write_text(mini + "  beta-myths: Beta waves are the brain's calm state.\n", encoding="utf-8")
    checked = run_cli("validate", str(lesson))
    assert checked.returncode == 2
    line = mini.count("\n") + 1
    assert checked.stderr.splitlines()[0] == (
        f"{lesson}:{line}:15: misconceptions.beta-myths: no question carries the misconception 'beta-myths' (did you "
        "mean 'beta-myth'?): a sentence is only for a label a wrong option uses")
    # a label without a sentence is a lint warning at the option that carries it; with one, the lesson is clean
    lesson.write_text(mini, encoding="utf-8")
    warned = run_cli("lint", "--json", str(lesson))
    found = [(f["rule"], f["line"], f["item"], f["message"]) for f in json.loads(warned.stdout)["findings"]
             if f["rule"] == "misconception-sentence"]
    assert found == [("misconception-sentence", 39, "question tm-single", "the misconception 'beta-myth' has no "
                      "sentence under `misconceptions:` (reports would show its label as words)")]
    lesson.write_text(mini + "  beta-myth: Beta waves are the brain's calm state.\n", encoding="utf-8")
    clean = run_cli("lint", "--json", str(lesson))
    assert [f["rule"] for f in json.loads(clean.stdout)["findings"] if f["rule"] == "misconception-sentence"] == []
