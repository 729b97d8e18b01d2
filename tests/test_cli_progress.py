"""The CLI around progress format 2: history, export, import, the upgrade from format 1, privacy."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from flows import MIXED, RIGHT, lesson_input, seed_profile

DATA = Path(__file__).parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]
FORMAT_1 = DATA / "progress" / "format-1.json"
# test-mini, first pass, in the order shown: see tests/test_cli.py


def learn(run_cli, answers: list[str], *extra: str, seed: bool = True) -> subprocess.CompletedProcess[str]:
    """A first pass of test-mini in plain mode (the default profile with a known option order)."""
    home = Path(os.environ["NEUROTUTOR_HOME"])
    if seed and not extra:
        seed_profile(home)
    notice = not (home / "progress.json").exists() or not json.loads((home / "progress.json").read_text()).get("notice_seen")
    result = run_cli(*OK, *extra, "--plain", "learn", "test-mini", input=lesson_input(answers, notice=notice or bool(extra)))
    assert result.returncode == 0, result.stderr
    return result


def test_history_lists_every_answer_newest_last(run_cli) -> None:
    learn(run_cli, MIXED)
    result = run_cli(*OK, "--plain", "history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    columns = [re.split(r"\s{2,}", line) for line in lines[:7]]
    assert columns[0] == ["when (local time)", "lesson", "question", "asked in", "result", "your answer"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0]) for row in columns[1:])
    assert [row[1:] for row in columns[1:]] == [
        ["test-mini", "tm-single", "pass 1", "wrong", "Beta"],
        ["test-mini", "tm-multiple", "pass 1", "right", "Two; Four"],
        ["test-mini", "tm-truefalse", "pass 1", "wrong", "True"],
        ["test-mini", "tm-ordering", "pass 1", "right", "One → Two → Three"],
        ["test-mini", "tm-matching", "pass 1", "wrong", "Cat → Moo; Dog → Meow; Cow → Woof"],
        ["test-mini", "tm-short", "pass 1", "right", "hebb!"],
    ]
    assert lines[7].startswith("6 answers, kept in ") and lines[7].endswith("history.jsonl")
    assert run_cli(*OK, "--plain", "history", "--lesson", "nope").stdout == "No answers recorded yet for 'nope'.\n"


def test_history_json(run_cli) -> None:
    learn(run_cli, RIGHT)
    data = json.loads(run_cli(*OK, "history", "--json").stdout)
    assert data["schema_version"] == 2
    assert [(a["question"], a["correct"], a["mode"]) for a in data["attempts"]] == [
        (q, True, "lesson") for q in ["tm-single", "tm-multiple", "tm-truefalse", "tm-ordering", "tm-matching", "tm-short"]]
    assert json.loads(run_cli(*OK, "history", "--json", "--lesson", "other").stdout)["attempts"] == []


def test_read_only_commands_never_read_the_history(run_cli, neurotutor_home: Path) -> None:
    learn(run_cli, RIGHT)
    history = neurotutor_home / "history.jsonl"
    history.rename(neurotutor_home / "kept.jsonl")
    history.mkdir()  # any read of the history now fails, even as root
    for args in (["lessons"], ["progress"], ["lessons", "--json"], ["progress", "--json"]):
        result = run_cli(*OK, *args)
        assert (result.returncode, result.stderr) == (0, ""), args
    shown = run_cli(*OK, "history")  # the trap does catch a read, with a clear message
    assert (shown.returncode, shown.stderr) == (3, f"Cannot read your answer history {history}: Is a directory.\n")


def test_export_then_import_on_another_computer(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    learn(run_cli, MIXED)
    backup = tmp_path / "backup.json"
    result = run_cli(*OK, "export", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Exported your progress in 1 lesson and 6 answers to {backup}\n")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    doc = json.loads(backup.read_text())
    assert doc["format"] == "neurotutor-export" and len(doc["history"]) == 6
    printed = json.loads(run_cli(*OK, "export").stdout)
    assert printed == {**doc, "exported_at": printed["exported_at"]}

    other = {"NEUROTUTOR_HOME": str(tmp_path / "new-computer")}
    first = run_cli(*OK, "import", str(backup), env=other)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"Imported 6 new answers and progress in 1 lesson from {backup} (export).\n"
    again = run_cli(*OK, "import", str(backup), env=other)
    assert again.stdout == (f"Imported 0 new answers and progress in 1 lesson from {backup} (export).\n"
                            "6 answers were already here and not added again.\n")
    moved = json.loads(run_cli(*OK, "progress", "--json", env=other).stdout)
    here = json.loads(run_cli(*OK, "progress", "--json").stdout)
    assert moved == here
    assert len((tmp_path / "new-computer" / "history.jsonl").read_text().splitlines()) == 6


def test_a_bad_import_lists_every_problem_and_changes_nothing(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    learn(run_cli, RIGHT)
    before = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "format": "neurotutor-export",\n "version": 1,\n "exported_at": "2026-11-23T10:00:00Z",\n'
                   ' "progress": {"schema_version": 2, "lessons": {"x": {"run": "two"}}},\n'
                   ' "history": [{"id": "a"}]\n}\n')
    result = run_cli(*OK, "import", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad}:5:61: progress.lessons.x.run: Expected `int`, got `str`",
        f"{bad}:6:14: history[1]: Object missing required field `lesson`",
        "Nothing was imported: fix these problems (or choose another file) and try again.",
    ]
    assert {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()} == before
    missing = run_cli(*OK, "import", str(tmp_path / "nope.json"))
    assert (missing.returncode, missing.stderr) == (2, f"Cannot import {tmp_path / 'nope.json'}: there is no such file.\n")


def test_a_format_1_profile_is_upgraded_on_first_use(run_cli, neurotutor_home: Path) -> None:
    neurotutor_home.mkdir(mode=0o700)
    shutil.copy(FORMAT_1, neurotutor_home / "progress.json")
    result = run_cli(*OK, "lessons", "--json")
    assert result.returncode == 0
    kept = next(neurotutor_home.glob("progress.json.v1-*"))
    assert result.stderr == (f"Your progress file was upgraded to format 2: your answers now live in "
                             f"{neurotutor_home / 'history.jsonl'}. The old file is kept as {kept}.\n")
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert (rows["test-mini"]["status"], rows["test-mini"]["best_score"]) == ("done", 1.0)
    assert (rows["neuroplasticity-types"]["status"], rows["neuroplasticity-types"]["questions_answered"]) == ("in_progress", 2)
    assert len(json.loads(run_cli(*OK, "history", "--json").stdout)["attempts"]) == 8
    assert run_cli(*OK, "lessons").stderr == ""  # told once


def test_a_pass_whose_last_questions_were_removed_closes_instead_of_looping(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    text = (DATA / "lessons-ok" / "test-mini.yaml").read_text()
    (lessons / "test-mini.yaml").write_text(text)
    seed_profile(neurotutor_home)
    first = run_cli("--lessons-dir", str(lessons), "--plain", "learn", "test-mini", input=lesson_input(["3", "2,3"]))
    assert first.returncode == 1  # input ended after two answers
    cut = text[: text.index("  - id: tm-truefalse")]  # the author deletes the last four questions
    (lessons / "test-mini.yaml").write_text(cut)
    home = run_cli("--lessons-dir", str(lessons), "--plain", input="1\n5\n")
    assert home.returncode == 0, home.stderr
    assert home.stdout.count("Continue: A small test lesson") == 1  # offered once, then never again
    assert "== Lesson complete ==\nYou got 2 of 2 right (100%). Best so far: 100%." in home.stdout
    state = json.loads((neurotutor_home / "progress.json").read_text())["lessons"]["test-mini"]
    assert (state["completed_runs"], state["answered"], state["last_score"]) == (1, {}, 1.0)


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_every_file_and_folder_is_private_under_any_umask(run_cli, neurotutor_home: Path, tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        learn(run_cli, RIGHT, seed=False)  # the tutor makes every file and folder itself
        learn(run_cli, MIXED, "--profile", "sam")
        assert run_cli(*OK, "lessons").returncode == 0
        assert run_cli(*OK, "export", str(tmp_path / "out.json")).returncode == 0
        assert run_cli(*OK, "reset", "--all", "--yes").returncode == 0
    finally:
        os.umask(old)
    found = [neurotutor_home, *neurotutor_home.rglob("*")]
    assert {p.name for p in found} >= {"progress.json", "history.jsonl", "progress.json.lock", "progress.json.bak",
                                       "cache", "profiles", "sam"}
    wrong = [(str(p), oct(stat.S_IMODE(p.stat().st_mode))) for p in found
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)]
    assert wrong == []
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o600


def test_an_open_data_folder_is_tightened_and_the_learner_told(run_cli, neurotutor_home: Path) -> None:
    neurotutor_home.mkdir()
    os.chmod(neurotutor_home, 0o755)
    result = run_cli(*OK, "progress")
    assert result.returncode == 0
    assert (f"Your neurotutor folder {neurotutor_home} could be read by other users of this computer; "
            "it is now private (only you can open it).") in result.stderr
    assert stat.S_IMODE(neurotutor_home.stat().st_mode) == 0o700
