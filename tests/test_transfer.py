"""Export and import: the document, strict checking with positions, merging without duplicates."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from neurotutor import jsonpos
from neurotutor.errors import InvalidFileError
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
from neurotutor.progress.transfer import build_export, read_import

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
FORMAT_1 = Path(__file__).resolve().parent / "data" / "progress" / "format-1.json"
QIDS = ["q1", "q2"]


def attempt(qid: str, correct: bool, at: datetime = NOW, lesson: str = "les") -> pm.Attempt:
    return pm.new_attempt(lesson=lesson, question=qid, mode="lesson", run=1, answer=None, answer_text=f"a {qid}",
                          correct=correct, seconds=2, now=at, utc_offset=120)


def profile(tmp_path: Path, name: str, answers: list[pm.Attempt]) -> ProgressStore:
    store = ProgressStore(tmp_path / name / "progress.json", now=lambda: NOW)
    for a in answers:
        store.update(lambda p, a=a: pm.record_answer(p, a, [], QIDS, a.at), (a,))
    return store


def problems(raw: bytes) -> list[str]:
    with pytest.raises(InvalidFileError) as err:
        read_import(raw, "in.json")
    assert err.value.message.endswith("Nothing was imported: fix these problems (or choose another file) and try again.")
    return [str(p) for p in err.value.problems]


def test_export_document_shape_and_round_trip(tmp_path: Path) -> None:
    store = profile(tmp_path, "a", [attempt("q1", True), attempt("q2", False, NOW + timedelta(seconds=5))])
    raw = build_export(store.load(), store.read_history(), NOW)
    doc = json.loads(raw)
    assert (doc["format"], doc["version"], doc["exported_at"]) == ("neurotutor-export", 1, "2026-11-22T10:00:00Z")
    assert doc["progress"]["schema_version"] == 3
    assert [a["question"] for a in doc["history"]] == ["q1", "q2"]
    assert raw.count(b"\n") > 10 and b'\n    {"id":' in raw  # one answer a line
    imported = read_import(raw, "x")
    assert (imported.progress, imported.attempts, imported.kind) == (store.load(), store.read_history(), "export")


def test_empty_export_round_trips(tmp_path: Path) -> None:
    raw = build_export(pm.Progress(), [], NOW)
    assert json.loads(raw)["history"] == []
    assert read_import(raw, "x").attempts == []


def test_import_into_a_new_profile_then_again_adds_nothing(tmp_path: Path) -> None:
    source = profile(tmp_path, "a", [attempt("q1", True), attempt("q2", False, NOW + timedelta(seconds=5))])
    raw = build_export(source.load(), source.read_history(), NOW)
    target = ProgressStore(tmp_path / "b" / "progress.json")
    incoming = read_import(raw, "x")
    assert target.merge_in(lambda p: pm.merge(p, incoming.progress), incoming.attempts) == (2, 0)
    assert target.load() == source.load()
    assert target.read_history() == source.read_history()
    assert target.merge_in(lambda p: pm.merge(p, incoming.progress), incoming.attempts) == (0, 2)
    assert len(target.read_history()) == 2


def test_merge_keeps_both_sides_answers_and_the_better_lesson_figures(tmp_path: Path) -> None:
    laptop = profile(tmp_path, "laptop", [attempt("q1", True), attempt("q2", True, NOW + timedelta(minutes=1))])
    desktop = profile(tmp_path, "desktop", [attempt("q1", False, NOW + timedelta(hours=1)),
                                            attempt("x", True, NOW + timedelta(hours=2), lesson="other")])
    incoming = read_import(build_export(desktop.load(), desktop.read_history(), NOW), "x")
    assert laptop.merge_in(lambda p: pm.merge(p, incoming.progress), incoming.attempts) == (2, 0)
    merged = laptop.load()
    les = merged.lessons["les"]
    # the desktop studied later (its place in the lesson wins); the laptop's finished pass is kept
    assert (les.answered, les.completed_runs, les.best_score) == ({"q1": False}, 1, 1.0)
    assert set(merged.lessons) == {"les", "other"}
    assert [(a.lesson, a.question) for a in laptop.read_history()] == [
        ("les", "q1"), ("les", "q2"), ("les", "q1"), ("other", "x")]


def test_a_format_1_progress_file_can_be_imported(tmp_path: Path) -> None:
    imported = read_import(FORMAT_1.read_bytes(), str(FORMAT_1))
    assert imported.kind == "progress file (format 1)"
    assert len(imported.attempts) == len(json.loads(FORMAT_1.read_text())["attempts"]) == 8
    assert imported.progress.lessons["test-mini"].completed_runs == 1


def test_a_state_file_imports_with_no_answers(tmp_path: Path) -> None:
    store = profile(tmp_path, "a", [attempt("q1", True)])
    imported = read_import(store.path.read_bytes(), "p")
    assert (imported.kind, imported.attempts, imported.progress) == ("progress file (format 3)", [], store.load())
    older = store.path.read_bytes().replace(b'"schema_version": 3', b'"schema_version": 2')
    assert older != store.path.read_bytes()  # format 2 is format 3 without the fields added since
    imported = read_import(older, "p")
    assert (imported.kind, imported.attempts, imported.progress) == ("progress file (format 2)", [], store.load())


def test_malformed_json_is_reported_at_its_line_and_column() -> None:
    assert problems(b'{\n  "format": "neurotutor-export",\n  "version": 1,,\n}') == [
        "in.json:3:16: not valid JSON (JSON is malformed: object keys must be strings)"]
    assert problems(b'{"format": "neurotutor-export", "history": [') == [
        "in.json:1:45: not valid JSON (Input data was truncated)"]
    assert problems(b"") == ["in.json:1:1: it is empty"]


def test_every_wrong_value_is_reported_with_its_position(tmp_path: Path) -> None:
    store = profile(tmp_path, "a", [attempt("q1", True), attempt("q2", False, NOW + timedelta(seconds=1))])
    doc = json.loads(build_export(store.load(), store.read_history(), NOW))
    doc["history"][0]["correct"] = "yes"
    doc["history"][1]["mode"] = "cram"
    doc["progress"]["lessons"]["les"]["run"] = "one"
    doc["extra"] = 1
    raw = json.dumps(doc, indent=1).encode()
    lines = raw.decode().splitlines()
    run, correct, mode, extra = (lines.index(text) + 1 for text in (  # the line of each wrong value, from 1
        '    "run": "one",', '   "correct": "yes",', '   "mode": "cram",', ' "extra": 1'))
    assert problems(raw) == [
        f"in.json:{run}:12: progress.lessons.les.run: Expected `int`, got `str`",
        f"in.json:{correct}:15: history[1].correct: Expected `bool`, got `str`",
        f"in.json:{mode}:12: history[2].mode: Invalid enum value 'cram'",
        f"in.json:{extra}:11: extra: unknown field 'extra' (an export has: format, version, exported_at, progress, "
        "history)",
    ]


def test_positions_point_at_the_value() -> None:
    raw = b'{\n  "a": [1,\n    {"b": "x", "c": [true, null]}],\n  "d": {"e": 5}\n}'
    got = jsonpos.locate(raw, {("a", 1, "c", 1), ("d", "e"), ("a", 0), ("missing", 3)})
    assert got == {("a", 1, "c", 1): (3, 28), ("d", "e"): (4, 14), ("a", 0): (2, 9), ("missing", 3): (1, 1)}
    assert jsonpos.parse_error_path("Expected `int`, got `str` - at `$.history[3].seconds`") == ("history", 3, "seconds")
    assert jsonpos.parse_error_path("Expected `int` - at `$.lessons[...].run`") == ("lessons",)
    assert jsonpos.line_column("é\nab".encode(), 4) == (2, 2)


def test_duplicate_ids_with_different_content_and_naive_times_are_refused(tmp_path: Path) -> None:
    store = profile(tmp_path, "a", [attempt("q1", True)])
    doc = json.loads(build_export(store.load(), store.read_history(), NOW))
    twin = dict(doc["history"][0], answer_text="changed")
    doc["history"].append(twin)
    doc["history"].append(dict(doc["history"][0], id="x2", at="2026-11-22T10:00:00"))
    doc["history"].append(dict(doc["history"][0]))  # an exact copy is harmless
    raw = json.dumps(doc, indent=1).encode()
    found = problems(raw)
    assert len(found) == 2
    assert found[0].endswith(f"history[2].id: id '{twin['id']}' is also used by a different answer (history[1])")
    assert found[1].endswith("history[3].at: a time needs its time zone (for example 2026-11-23T10:00:00Z)")


def test_newer_and_unknown_files_are_refused() -> None:
    assert problems(b'{"format": "neurotutor-export", "version": 9}') == [
        "in.json:1:44: version: this export was written by a newer neurotutor (export version 9); "
        "this one reads version 1: upgrade neurotutor"]
    assert problems(b'{"schema_version": 4}') == [
        "in.json:1:20: schema_version: this progress file was written by a newer neurotutor (format 4); "
        "this one reads format 3: upgrade neurotutor"]
    assert problems(b"[1, 2]") == [
        'in.json:1:1: this is not a neurotutor export or progress file (it has neither '
        '"format": "neurotutor-export" nor "schema_version")']
