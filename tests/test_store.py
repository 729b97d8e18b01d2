"""The progress store: round trip, migration, damage recovery, concurrent writers, newer versions."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurotutor import paths
from neurotutor.errors import ProgressError
from neurotutor.progress import model as pm
from neurotutor.progress.migrations import migrate
from neurotutor.progress.store import ProgressStore

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
QIDS = ["q1", "q2", "q3"]


def answer(progress: pm.Progress, qid: str, correct: bool, at: datetime = NOW) -> pm.Progress:
    return pm.record_answer(progress, "les", qid, f"answer to {qid}", correct, 1.5, QIDS, at)


def test_missing_file_reads_as_empty_progress(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    assert store.load() == pm.Progress()
    assert not (tmp_path / "p.json").exists()


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "sub" / "p.json")
    saved = store.update(lambda p: answer(answer(p, "q1", True), "q2", False))
    assert ProgressStore(store.path).load() == saved
    data = json.loads(store.path.read_text())
    assert data["schema_version"] == 1
    assert data["attempts"][0] == {
        "lesson": "les", "question": "q1", "answer": "answer to q1", "correct": True,
        "seconds": 1.5, "at": "2026-11-22T10:00:00Z", "run": 1,
    }
    assert data["lessons"]["les"]["answered"] == {"q1": True, "q2": False}


def test_file_and_folder_permissions(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "home" / "p.json")
    store.update(lambda p: answer(p, "q1", True))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_completing_a_run_scores_it_and_starts_the_next() -> None:
    p = pm.Progress()
    for qid, ok in [("q1", True), ("q2", False), ("q3", True)]:
        p = answer(p, qid, ok)
    state = p.lessons["les"]
    assert (state.run, state.completed_runs, state.answered, state.sections_seen) == (2, 1, {}, ())
    assert state.last_score == pytest.approx(2 / 3) and state.best_score == pytest.approx(2 / 3)
    assert pm.status(state) == "done"
    for qid in QIDS:
        p = answer(p, qid, False)
    state = p.lessons["les"]
    assert state.last_score == 0 and state.best_score == pytest.approx(2 / 3) and state.completed_runs == 2
    assert [a.run for a in p.attempts] == [1, 1, 1, 2, 2, 2]


def test_status_is_derived() -> None:
    assert pm.status(None) == "new"
    p = pm.mark_section_seen(pm.Progress(), "les", "s1", ["s1", "s2"], QIDS, NOW)
    assert pm.status(p.lessons["les"]) == "in_progress"


def test_a_backup_of_the_previous_good_file_is_kept(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    first = store.update(lambda p: answer(p, "q1", True))
    store.update(lambda p: answer(p, "q2", True))
    assert ProgressStore(paths.backup_file(store.path)).load() == first


def test_damaged_file_is_moved_aside_and_backup_restored(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    first = store.update(lambda p: answer(p, "q1", True))
    store.update(lambda p: answer(p, "q2", True))
    store.path.write_bytes(b'{"schema_version": 1, "lessons": {')  # cut off mid-write
    fresh = ProgressStore(store.path, now=lambda: NOW)
    assert fresh.load() == first
    aside = tmp_path / "p.json.damaged-20261122T100000Z"
    assert aside.read_bytes() == b'{"schema_version": 1, "lessons": {'
    assert len(fresh.notices) == 1
    assert str(aside) in fresh.notices[0] and str(paths.backup_file(store.path)) in fresh.notices[0]
    assert ProgressStore(store.path).load() == first  # the restored file is on disk


@pytest.mark.parametrize("content", [b"", b"   \n", b"not json", b"[1, 2]", b'{"schema_version": "one"}',
                                     b'{"schema_version": 1, "lessons": 5}', b'{"schema_version": 1, "bogus": 1}'])
def test_damage_without_backup_starts_fresh_and_keeps_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    store = ProgressStore(path, now=lambda: NOW)
    assert store.load() == pm.Progress()
    assert (tmp_path / "p.json.damaged-20261122T100000Z").read_bytes() == content
    assert "no good backup" in store.notices[0]


def test_two_damages_in_the_same_second_keep_both_files(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    for content in (b"one", b"two"):
        path.write_bytes(content)
        ProgressStore(path, now=lambda: NOW).load()
    assert (tmp_path / "p.json.damaged-20261122T100000Z").read_bytes() == b"one"
    assert (tmp_path / "p.json.damaged-20261122T100000Z-2").read_bytes() == b"two"


def test_newer_version_is_refused_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    content = b'{"schema_version": 7, "future": true}'
    path.write_bytes(content)
    store = ProgressStore(path)
    with pytest.raises(ProgressError) as err:
        store.update(lambda p: answer(p, "q1", True))
    assert "progress format 7" in err.value.message and "reads format 1" in err.value.message
    assert path.read_bytes() == content
    assert not paths.backup_file(path).exists()


def test_migrations_run_step_by_step() -> None:
    steps = {
        1: lambda d: {**d, "added_in_2": []},
        2: lambda d: {**{k: v for k, v in d.items() if k != "old"}, "renamed": d.get("old")},
    }
    assert migrate({"schema_version": 1, "old": 5}, 3, steps) == {
        "schema_version": 3, "added_in_2": [], "renamed": 5}
    with pytest.raises(ValueError):
        migrate({"schema_version": 1}, 2, {})


def test_reset_keeps_a_copy(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    store.update(lambda p: answer(p, "q1", True))
    before = store.path.read_bytes()
    kept = store.update_keeping_copy(lambda p: pm.reset_lesson(p, "les"), "before-reset")
    assert kept == tmp_path / "p.json.before-reset-20261122T100000Z"
    assert kept.read_bytes() == before
    assert store.load().attempts == ()


def _writer(path: str, worker: int, count: int) -> None:
    store = ProgressStore(Path(path))
    for i in range(count):
        store.update(lambda p, i=i: pm.record_answer(
            p, f"lesson-{worker}", f"q{i}", "x", True, 0.1, [f"q{j}" for j in range(1000)],
            NOW + timedelta(seconds=i)))


def test_concurrent_writers_in_separate_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 25)) for w in range(3)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
        assert proc.exitcode == 0
    progress = ProgressStore(path).load()
    assert len(progress.attempts) == 75
    for w in range(3):
        assert sorted(progress.lessons[f"lesson-{w}"].answered) == sorted(f"q{i}" for i in range(25))
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(QIDS), st.booleans(), st.text(max_size=30)), max_size=12))
def test_any_sequence_of_answers_round_trips(tmp_path_factory: pytest.TempPathFactory, answers: list) -> None:
    path = tmp_path_factory.mktemp("prop") / "p.json"
    store = ProgressStore(path)
    expected = pm.Progress()
    for qid, ok, text in answers:
        change = lambda p, q=qid, o=ok, t=text: pm.record_answer(p, "les", q, t, o, 0.5, QIDS, NOW)  # noqa: E731
        expected = change(expected)
        store.update(change)
    assert ProgressStore(path).load() == expected
    assert len(expected.attempts) == len(answers)
