"""Every `--json` document, run in process through the real main(argv): one envelope (format,
version, tutor_version, generated_at, then the data), valid against the schema `neurotutor schema
<kind>-json` prints, exact data; and errors under --json as the error document on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import neurotutor

from flows import RIGHT, cli, lesson_input, seed_profile

DATA = Path(__file__).parent / "data"
OK = ("--lessons-dir", str(DATA / "lessons-ok"))
ENVELOPE = ["format", "version", "tutor_version", "generated_at"]
VERSIONS = {"lessons": 2, "progress": 2, "history": 3, "stats": 3, "settings": 2, "exams": 2, "exam": 2,
            "assignments": 2, "validate": 1, "lint": 2, "checkins": 1, "error": 1}
MINI = {"id": "test-mini", "title": "A small test lesson",
        "summary": "Two short sections and one question of each type, for the tests.", "level": "learner"}
QIDS = ["tm-single", "tm-multiple", "tm-truefalse", "tm-ordering", "tm-matching", "tm-short"]


def schema(capsys, kind: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The schema `neurotutor schema KIND-json` prints."""
    code, out, err = cli(capsys, "schema", f"{kind}-json")
    assert (code, err) == (0, "")
    return json.loads(out)  # type: ignore[no-any-return]


def document(capsys, kind: str, *args: str, code: int = 0, err: str = "") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Run a command; its stdout is one document of `kind` with the envelope, valid against the
    schema of its kind, and nothing (or `err`) is said on stderr."""
    before = datetime.now(timezone.utc)
    returned, out, said = cli(capsys, *args)
    assert (returned, said) == (code, err), out
    assert out.endswith("}\n") and out.startswith('{\n  "format": ')  # indented by two spaces, one newline
    doc = json.loads(out)
    jsonschema.Draft202012Validator(schema(capsys, kind)).validate(doc)
    assert list(doc)[:4] == ENVELOPE
    assert (doc["format"], doc["version"], doc["tutor_version"]) == (f"neurotutor-{kind}", VERSIONS[kind],
                                                                     neurotutor.__version__)
    assert doc["generated_at"].endswith("Z")
    generated = datetime.fromisoformat(doc["generated_at"].replace("Z", "+00:00"))
    assert generated.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=1) <= generated <= datetime.now(timezone.utc)  # the command's own now
    return doc  # type: ignore[no-any-return]


@pytest.fixture
def studied(capsys, neurotutor_home: Path) -> str:  # type: ignore[no-untyped-def]
    """A profile that took test-mini (every answer right) and sat a two-question exam (one "I don't
    know", one skipped); returns the exam's id."""
    seed_profile(neurotutor_home)
    assert cli(capsys, *OK, "--plain", "learn", "test-mini", stdin=lesson_input(RIGHT))[0] == 0
    code, _, err = cli(capsys, *OK, "--plain", "exam", "--lessons", "test-mini", "--questions", "2", "--seed", "99",
                       stdin="\n?\n\n\n\n4\n1\n")  # start; I don't know; next; skip; the list; submit; yes
    assert (code, err) == (0, "")
    state = json.loads((neurotutor_home / "progress.json").read_text())
    return next(iter(state["exams"]))


def test_lessons(capsys, studied: str) -> None:
    doc = document(capsys, "lessons", *OK, "lessons", "--json")
    by_id = {row["id"]: row for row in doc["lessons"]}
    assert list(doc) == ENVELOPE + ["lessons"]
    assert by_id["test-mini"] == {"number": 19, **MINI, "minutes": 3, "tags": ["test"], "sections": 2, "questions": 6,
                                  "builtin": False, "status": "done", "completed_runs": 1, "best_score": 1.0}
    assert (by_id["cbt"]["status"], by_id["cbt"]["builtin"], by_id["cbt"]["best_score"]) == ("new", True, None)
    tagged = document(capsys, "lessons", *OK, "lessons", "--json", "--tag", "test")
    assert [(row["number"], row["id"]) for row in tagged["lessons"]] == [(19, "test-mini")]  # its number in the whole list


def test_progress(capsys, studied: str) -> None:
    doc = document(capsys, "progress", *OK, "progress", "--json")
    assert list(doc) == ENVELOPE + ["profile", "lessons"] and doc["profile"] == "default"
    by_id = {row["id"]: row for row in doc["lessons"]}
    mini = by_id["test-mini"]
    assert mini.pop("last_studied").endswith("Z")
    assert mini == {**{k: v for k, v in MINI.items() if k != "summary"}, "minutes": 3, "status": "done", "completed_runs": 1, "best_score": 1.0, "last_score": 1.0,
                    "sections_read": 2, "sections": 2, "questions_answered": 6, "questions": 6, "builtin": False,
                    "loaded": True}
    assert document(capsys, "progress", *OK, "progress", "--json") != document(capsys, "lessons", *OK, "lessons", "--json")
    elsewhere = document(capsys, "progress", "progress", "--json", "--profile", "sam")
    assert elsewhere["profile"] == "sam" and "test-mini" not in {row["id"] for row in elsewhere["lessons"]}
    unloaded = {row["id"]: row for row in document(capsys, "progress", "progress", "--json")["lessons"]}["test-mini"]
    assert (unloaded["loaded"], unloaded["status"], unloaded["questions"]) == (False, "done", 0)


def test_history(capsys, studied: str) -> None:
    doc = document(capsys, "history", *OK, "history", "--json")
    assert list(doc) == ENVELOPE + ["lesson", "attempts"] and doc["lesson"] is None
    assert [(a["question"], a["mode"], a["correct"]) for a in doc["attempts"]] == [
        *((q, "lesson", True) for q in QIDS), (doc["attempts"][6]["question"], "exam", False)]
    assert doc["attempts"][6]["exam"] == studied and doc["attempts"][6]["answer_text"] == "I don't know"
    other = document(capsys, "history", *OK, "history", "--json", "--lesson", "other")
    assert (other["lesson"], other["attempts"]) == ("other", [])


def test_stats(capsys, studied: str) -> None:
    doc = document(capsys, "stats", *OK, "stats", "--json")
    assert list(doc) == ENVELOPE + ["today", "utc_offset_minutes", "lesson", "answers", "mastery", "activity",
                                    "accuracy", "exams", "calibration", "misconceptions", "forecast"]
    assert (doc["lesson"], doc["answers"], doc["exams"]["taken"], doc["exams"]["best_score"]) == (None, 7, 1, 0.0)
    one = document(capsys, "stats", *OK, "stats", "--json", "--lesson", "test-mini")
    assert one["lesson"] == "test-mini"


def test_settings(capsys, studied: str) -> None:
    doc = document(capsys, "settings", "settings", "--json")
    assert {k: doc[k] for k in list(doc)[4:]} == {"profile": "default",
                                                  "settings": {"desired_retention": 0.9, "ask_confidence": False,
                                                               "day_starts_at": 4, "exam_date": None}}
    changed = document(capsys, "settings", "settings", "--retention", "0.85", "--json", "--profile", "sam")
    assert (changed["profile"], changed["settings"]["desired_retention"]) == ("sam", 0.85)
    dated = document(capsys, "settings", "settings", "--exam-date", "2999-02-01", "--day-starts-at", "6", "--json")
    assert (dated["settings"]["exam_date"], dated["settings"]["day_starts_at"]) == ("2999-02-01", 6)


def test_exams_and_one_exam(capsys, studied: str) -> None:
    listed = document(capsys, "exams", *OK, "exams", "--json")
    assert list(listed) == ENVELOPE + ["exams"]
    record = listed["exams"][0]
    assert (len(listed["exams"]), record["id"], record["status"], record["seed"], record["answered"], record["right"]) == (
        1, studied, "submitted", 99, 1, 0)
    shown = document(capsys, "exam", *OK, "exams", "show", studied, "--json")
    assert (shown["exam"], shown["right"], shown["answered"], shown["questions_total"]) == (record, 0, 1, 2)
    assert [q["answer"] for q in shown["questions"]] == ["I don't know", None]
    assert shown["by_lesson"] == [{"lesson": "A small test lesson", "questions": 2, "right": 0}]
    again = document(capsys, "exam", *OK, "exams", "--json", "show", studied)  # the group's --json too
    assert {k: v for k, v in again.items() if k != "generated_at"} == {k: v for k, v in shown.items()
                                                                       if k != "generated_at"}


def test_assignments(capsys) -> None:
    assert document(capsys, "assignments", "assignments", "--json")["lessons"] == []
    code, _, err = cli(capsys, "--plain", "assignment", "add", str(DATA / "assignments" / "good.yaml"))
    assert (code, err) == (0, "")
    doc = document(capsys, "assignments", "assignments", "--json")
    assert list(doc) == ENVELOPE + ["today", "lessons", "assignments"]
    assert doc["today"] == datetime.now().astimezone().date().isoformat()
    assert [(r["assignment"], r["lesson"], r["due"], r["status"], r["overdue"]) for r in doc["lessons"]] == [
        ("sam-autumn", "neuroplasticity-types", "2030-12-01", "new", False),
        ("sam-autumn", "my-own-lesson", "2030-12-08", "new", False)]
    added = doc["assignments"][0]
    assert (added["id"], added["client"], added["therapist"]["name"], added["goals"]["exam"]["min_score"]) == (
        "sam-autumn", "S.K.", "Dr A. Example", 70)


def test_validate_lists_every_problem_as_data(capsys) -> None:
    several, unknown = DATA / "broken" / "several-problems.yaml", DATA / "broken" / "unknown-field.yaml"
    doc = document(capsys, "validate", "validate", "--json", str(several), str(unknown), code=2)
    assert list(doc) == ENVELOPE + ["paths", "valid", "problems", "counts"]
    assert (doc["paths"], doc["valid"]) == ([str(several), str(unknown)], False)
    assert [(p["path"], p["line"], p["column"], p["message"]) for p in doc["problems"]] == [
        (str(several), 3, 8, "title: expected text, got true/false (false) (YAML reads unquoted yes/no/on/off/"
                             "true/false, numbers and dates as other types: put the text in quotes)"),
        (str(several), 7, 10, "minutes: expected a whole number, got text"),
        (str(several), 23, 5, "duplicate key 'title' (first defined at line 20)"),
        (str(several), 28, 5, "references[1].yaer: unknown field 'yaer' (did you mean 'year'?)"),
        (str(several), 38, 18, "questions[1].choices[1].correct: expected true or false, got text"),
        (str(unknown), 2, 5, f"lesson id 'test-mini' is already used by {several}"),
        (str(unknown), 22, 5, "sections[2].keypoints: unknown field 'keypoints' (did you mean 'key_points'?)"),
    ]
    assert doc["counts"] == {"problems": 7, "files_with_problems": 2, "lessons": 0, "questions": 0, "worksheets": 0,
                             "assignments": 0, "bundled_lessons": 0}
    good = document(capsys, "validate", "validate", str(DATA / "lessons-ok"), "--json")
    assert (good["valid"], good["problems"], good["counts"]["lessons"], good["counts"]["questions"]) == (True, [], 1, 6)
    bundled = document(capsys, "validate", "validate", "--json", str(DATA / "assignments" / "good.yaml"))
    assert (bundled["valid"], bundled["counts"]["assignments"], bundled["counts"]["bundled_lessons"]) == (True, 1, 1)
    everything = document(capsys, "validate", "validate", "--json")  # every lesson and worksheet the tutor loads
    assert (everything["valid"], everything["counts"]["worksheets"]) == (True, 4)


def test_lint(capsys) -> None:
    doc = document(capsys, "lint", "lint", "--json", str(DATA / "lint" / "cues.yaml"))
    assert list(doc) == ENVELOPE + ["readability_checked", "findings", "lessons", "bank", "problems", "assignments"]
    assert [(f["rule"], f["line"]) for f in doc["findings"][:2]] == [("unsupported-section", 8), ("citation-not-listed", 10)]
    assert (doc["problems"], doc["assignments"], [x["id"] for x in doc["lessons"]]) == ([], [], ["lint-cues"])
    broken = DATA / "broken" / "unknown-field.yaml"
    invalid = document(capsys, "lint", "lint", "--json", str(broken), str(DATA / "assignments" / "good.yaml"), code=2)
    assert [(p["path"], p["line"]) for p in invalid["problems"]] == [(str(broken), 22)]
    assert (invalid["findings"], invalid["assignments"]) == ([], [str(DATA / "assignments" / "good.yaml")])


# -- errors under --json ---------------------------------------------------------------------------

def error(capsys, code: int, *args: str, err: str = "") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    doc = document(capsys, "error", *args, code=code, err=err)
    assert list(doc) == ENVELOPE + ["error"] and doc["error"]["code"] == code
    return doc["error"]  # type: ignore[no-any-return]


def test_errors_are_documents_with_the_same_exit_codes(capsys) -> None:
    assert error(capsys, 2, "stats", "--lesson", "nope", "--json") == {
        "code": 2, "kind": "unknown-lesson", "problems": [],
        "message": "There is no lesson with the id 'nope'. Run 'neurotutor lessons' to see them all; a lesson of your "
                   "own is found with --lessons-dir FOLDER."}
    assert error(capsys, 2, "exams", "show", "nope", "--json")["kind"] == "usage"
    assert error(capsys, 2, "lessons", "--json", "--tag", "nope")["message"].startswith("No lesson has the tag nope.")
    assert error(capsys, 2, "lessons", "--json", "--bogus") == {
        "code": 2, "kind": "command-line", "message": "No such option: --bogus", "problems": []}
    assert error(capsys, 2, "progress", "--json", "--profile")["message"] == ("Option '--profile' needs a value: "
                                                                              "--profile NAME.")
    assert error(capsys, 2, "history", "--json", "--", "x")["message"] == "Got unexpected extra argument(s) (x)"
    assert error(capsys, 2, "safety", "--json")["message"] == "No such option: --json"  # asked for JSON: told in JSON


def test_a_progress_file_from_a_newer_tutor_is_error_3(capsys, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home)
    (neurotutor_home / "progress.json").write_text(json.dumps({"schema_version": 99}))
    found = error(capsys, 3, "progress", "--json")
    assert found["kind"] == "progress" and "newer" in found["message"]


@pytest.mark.parametrize(("raised", "code", "kind", "message"), [
    (KeyboardInterrupt(), 130, "interrupted", "Stopped."),
    (EOFError(), 4, "end-of-input", "Input ended before an answer was given; nothing more was done."),
    (RuntimeError("a learner's answer"), 1, "unexpected",
     "neurotutor hit an unexpected problem (RuntimeError). Your saved progress is safe.\nPlease report this; run the "
     "same command with --debug to see the details."),
])
def test_ctrl_c_end_of_input_and_a_bug_under_json(capsys, monkeypatch, raised: BaseException, code: int, kind: str,
                                                  message: str) -> None:
    from neurotutor.progress import summary

    def fail(*args: object) -> None:
        raise raised

    monkeypatch.setattr(summary, "lesson_listing", fail)
    said = "\n" if kind == "end-of-input" else ""  # click's own line break after the end of input, as before
    assert error(capsys, code, "lessons", "--json", err=said) == {"code": code, "kind": kind, "message": message,
                                                                  "problems": []}


def test_an_invalid_file_error_carries_its_problems(capsys, monkeypatch) -> None:
    from neurotutor.errors import InvalidFileError, Problem
    from neurotutor.progress import summary

    def fail(*args: object) -> None:
        raise InvalidFileError([Problem("a.yaml", 3, 7, "changed while in use")], "Nothing was changed.")

    monkeypatch.setattr(summary, "lesson_listing", fail)
    assert error(capsys, 2, "lessons", "--json") == {
        "code": 2, "kind": "invalid-file", "message": "a.yaml:3:7: changed while in use\nNothing was changed.",
        "problems": [{"path": "a.yaml", "line": 3, "column": 7, "message": "changed while in use"}]}


@pytest.mark.parametrize("args", [
    ["lessons", "--tag", "--json"],  # the value of --tag, not the option
    ["validate", "--", "--json"],  # after --: a path
    ["--json", "lessons"],  # before the command: the root has no --json
    ["learn", "nope"],
])
def test_without_json_errors_stay_text_on_stderr(capsys, args: list[str]) -> None:
    code, out, err = cli(capsys, *args)
    assert code == 2 and out == "" and err and not err.startswith("{")


# -- schemas ---------------------------------------------------------------------------------------

def test_every_kind_has_a_schema_listed_and_valid(capsys) -> None:
    code, out, err = cli(capsys, "--plain", "schema", "--list")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split() == ["kind", "the", "schema", "of"]
    listed = [line.split()[0] for line in out.splitlines()[1:]]
    assert listed == ["lesson", "worksheet", "assignment", *(f"{kind}-json" for kind in VERSIONS)]
    for kind in VERSIONS:
        found = schema(capsys, kind)
        jsonschema.Draft202012Validator.check_schema(found)
        assert found["properties"]["version"] == {"const": VERSIONS[kind]} and found["additionalProperties"] is False
    code, out, err = cli(capsys, "schema", "lessons")
    assert (code, out) == (2, "") and err.startswith("Which schema? Give one of: lesson, worksheet, assignment, lessons-json, ")


def test_json_output_pulls_in_no_schema_library() -> None:
    code = ("import sys; from neurotutor.cli.app import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('jsonschema', 'neurotutor.authoring', 'questionary') if m in sys.modules), "
            "file=sys.stderr)")
    for args in (["lessons", "--json"], ["lessons", "--json", "--tag", "nope"]):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
        assert result.stderr.strip().splitlines()[-1] == "[]", args
