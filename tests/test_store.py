"""The progress store, format 2: state and history, migration, recovery, locking, privacy, crashes."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurotutor import files, paths
from neurotutor.errors import ProgressError
from neurotutor.progress import history
from neurotutor.progress import model as pm
from neurotutor.progress.migrations import migrate
from neurotutor.progress.store import ProgressStore
from neurotutor.quiz.answers import ChoiceAnswer

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
QIDS = ["q1", "q2", "q3"]
SECTIONS = ["s1", "s2"]
DATA = Path(__file__).resolve().parent / "data"
FORMAT_1 = DATA / "progress" / "format-1.json"


def attempt(qid: str, correct: bool, at: datetime = NOW, run: int = 1, lesson: str = "les", text: str | None = None) -> pm.Attempt:
    return pm.new_attempt(lesson=lesson, question=qid, mode="lesson", run=run, answer=ChoiceAnswer(frozenset({1})),
                          answer_text=text if text is not None else f"answer to {qid}", correct=correct,
                          seconds=1.5, now=at, utc_offset=60)


def save(store: ProgressStore, a: pm.Attempt) -> pm.Progress:
    return store.update(lambda p: pm.record_answer(p, a, SECTIONS, QIDS, a.at), (a,))


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_missing_files_read_as_empty_progress(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    assert store.load() == pm.Progress()
    assert store.read_history() == []
    assert not (tmp_path / "p.json").exists()


def test_an_answer_goes_to_the_history_and_the_state_keeps_no_answers(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "sub" / "progress.json")
    a = attempt("q1", True)
    saved = save(store, a)
    assert ProgressStore(store.path).load() == saved
    state = json.loads(store.path.read_text())
    assert state["schema_version"] == 3
    assert "attempts" not in state
    assert set(state) == {"schema_version", "notice_seen", "seed", "client_key", "lessons", "cards", "exams", "settings",
                          "assignments"}
    assert state["lessons"]["les"]["answered"] == {"q1": True}
    assert lines(tmp_path / "sub" / "history.jsonl") == [{
        "id": a.id, "lesson": "les", "question": "q1", "mode": "lesson", "run": 1,
        "answer": {"kind": "choice", "indices": [1]}, "answer_text": "answer to q1", "correct": True,
        "seconds": 1.5, "at": "2026-11-22T10:00:00Z", "utc_offset": 60,
    }]
    assert store.read_history() == [a]


def test_every_attempt_field_round_trips(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    a = pm.new_attempt(lesson="les", question="q2", mode="exam", exam="ex-1", answer=None, answer_text="x",
                       correct=False, credit=0.5, misconceptions=("more-is-better",), confidence=3,
                       seconds=-2, now=NOW, utc_offset=-300)
    store.update(lambda p: p, (a,))
    (back,) = store.read_history()
    assert back == a and back.seconds == 0.0 and back.misconceptions == ("more-is-better",)


def test_attempt_ids_are_stable_and_distinct() -> None:
    assert attempt("q1", True).id == attempt("q1", True).id
    assert len({attempt("q1", True).id, attempt("q2", True).id, attempt("q1", True, NOW + timedelta(microseconds=1)).id}) == 3


def test_completing_a_pass_scores_it_remembers_the_misses_and_starts_the_next(tmp_path: Path) -> None:
    p = pm.Progress()
    for qid, ok in [("q1", True), ("q2", False), ("q3", True)]:
        p = pm.record_answer(p, attempt(qid, ok), SECTIONS, QIDS, NOW)
    state = p.lessons["les"]
    assert (state.run, state.completed_runs, state.answered, state.sections_seen) == (2, 1, {}, ())
    assert state.last_score == pytest.approx(2 / 3) and state.best_score == pytest.approx(2 / 3)
    assert (state.last_missed, state.completed_at) == (("q2",), NOW)
    assert pm.status(state) == "done"
    for qid in QIDS:
        p = pm.record_answer(p, attempt(qid, False, run=2), SECTIONS, QIDS, NOW)
    state = p.lessons["les"]
    assert state.last_score == 0 and state.best_score == pytest.approx(2 / 3) and state.completed_runs == 2
    assert state.last_missed == ("q1", "q2", "q3")


def test_an_answer_from_a_pass_already_closed_does_not_reopen_it() -> None:
    p = pm.Progress()
    for qid in QIDS:
        p = pm.record_answer(p, attempt(qid, True), SECTIONS, QIDS, NOW)
    late = pm.record_answer(p, attempt("q1", False, run=1), SECTIONS, QIDS, NOW)
    assert late.lessons["les"].answered == {} and pm.status(late.lessons["les"]) == "done"


def test_only_lesson_mode_moves_a_pass_forward() -> None:
    review = pm.new_attempt(lesson="les", question="q1", mode="review", answer=None, answer_text="a",
                            correct=True, seconds=1, now=NOW, utc_offset=0)
    p = pm.record_answer(pm.Progress(), review, SECTIONS, QIDS, NOW)
    assert p.lessons["les"].answered == {} and p.lessons["les"].last_studied == NOW


def test_a_pass_closes_when_its_unanswered_questions_were_removed_from_the_lesson() -> None:
    p = pm.record_answer(pm.Progress(), attempt("q1", True), SECTIONS, QIDS, NOW)
    p = pm.record_answer(p, attempt("q2", False), SECTIONS, QIDS, NOW)
    assert pm.status(p.lessons["les"]) == "in_progress"
    settled = pm.settle(p, "les", SECTIONS, ["q1", "q2"], NOW)  # q3 was deleted from the lesson
    state = settled.lessons["les"]
    assert (pm.status(state), state.last_score, state.last_missed) == ("done", 0.5, ("q2",))


def test_a_lesson_without_questions_completes_when_every_section_is_read() -> None:
    p = pm.mark_section_seen(pm.Progress(), "les", "s1", NOW)
    assert pm.settle(p, "les", SECTIONS, [], NOW) == p
    p = pm.settle(pm.mark_section_seen(p, "les", "s2", NOW), "les", SECTIONS, [], NOW)
    state = p.lessons["les"]
    assert (pm.status(state), state.completed_runs, state.last_score) == ("done", 1, None)
    assert pm.settle(pm.Progress(), "les", SECTIONS, [], NOW) == pm.Progress()


def test_the_previous_state_is_kept_as_bak(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    first = save(store, attempt("q1", True))
    save(store, attempt("q2", True))
    assert ProgressStore(paths.backup_file(store.path)).load() == first


def test_damaged_state_is_moved_aside_and_backup_restored(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    first = save(store, attempt("q1", True))
    save(store, attempt("q2", True))
    store.path.write_bytes(b'{"schema_version": 3, "lessons": {')  # cut off mid-write
    fresh = ProgressStore(store.path, now=lambda: NOW)
    assert fresh.load() == first
    aside = tmp_path / "p.json.damaged-20261122T100000Z"
    assert aside.read_bytes() == b'{"schema_version": 3, "lessons": {'
    assert len(fresh.notices) == 1
    assert str(aside) in fresh.notices[0] and str(paths.backup_file(store.path)) in fresh.notices[0]
    assert ProgressStore(store.path).load() == first
    assert len(fresh.read_history()) == 2  # the answers were never in the damaged file


@pytest.mark.parametrize("content", [b"", b"   \n", b"not json", b"[1, 2]", b'{"schema_version": "one"}',
                                     b'{"schema_version": 3, "lessons": 5}', b'{"schema_version": 3, "bogus": 1}',
                                     b'{"schema_version": 1, "lessons": {}, "attempts": [7]}'])
def test_damage_without_backup_starts_fresh_and_keeps_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(content)
    store = ProgressStore(path, now=lambda: NOW)
    assert store.load() == pm.Progress()
    assert (tmp_path / "p.json.damaged-20261122T100000Z").read_bytes() == content
    assert "no good backup" in store.notices[0]


def test_newer_version_is_refused_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    content = b'{"schema_version": 7, "future": true}'
    path.write_bytes(content)
    store = ProgressStore(path)
    with pytest.raises(ProgressError) as err:
        save(store, attempt("q1", True))
    assert "progress format 7" in err.value.message and "reads format 3" in err.value.message
    assert path.read_bytes() == content
    assert not paths.backup_file(path).exists() and not store.history_path.exists()


def test_a_real_format_1_file_is_upgraded_through_the_load_path(tmp_path: Path) -> None:
    """tests/data/progress/format-1.json was written by the format-1 tutor (commit 0280b21)."""
    path = tmp_path / "progress.json"
    shutil.copy(FORMAT_1, path)
    old = json.loads(FORMAT_1.read_text())
    store = ProgressStore(path, now=lambda: NOW)
    progress = store.load()
    kept = tmp_path / "progress.json.v1-20261122T100000Z"
    assert kept.read_bytes() == FORMAT_1.read_bytes()
    assert store.notices == [f"Your progress file was upgraded to format 3: your answers now live in "
                             f"{tmp_path / 'history.jsonl'}. The old file is kept as {kept}."]
    assert json.loads(path.read_text())["schema_version"] == 3
    mini, neuro = progress.lessons["test-mini"], progress.lessons["neuroplasticity-types"]
    assert (mini.run, mini.completed_runs, mini.best_score, mini.last_missed) == (2, 1, 1.0, ())
    assert mini.completed_at == datetime.fromisoformat(old["attempts"][5]["at"].replace("Z", "+00:00"))
    assert neuro.answered == {"np-slogan-origin": False, "np-ltp-rabbits": False}
    assert neuro.sections_seen == tuple(old["lessons"]["neuroplasticity-types"]["sections_seen"])
    assert progress.notice_seen is True and progress.cards == {} and progress.exams == {}
    attempts = store.read_history()
    assert [(a.lesson, a.question, a.answer_text, a.correct, a.run, a.mode, a.answer) for a in attempts] == [
        (o["lesson"], o["question"], o["answer"], o["correct"], o["run"], "lesson", None) for o in old["attempts"]]
    assert [a.at.isoformat().replace("+00:00", "Z") for a in attempts] == [o["at"] for o in old["attempts"]]
    again = ProgressStore(path, now=lambda: NOW)
    assert again.load() == progress and again.notices == []


def test_a_format_1_tutor_would_refuse_a_format_2_file(tmp_path: Path) -> None:
    """Format 1 refuses any file whose top-level integer schema_version is above 1."""
    store = ProgressStore(tmp_path / "p.json")
    save(store, attempt("q1", True))
    head = json.loads(store.path.read_text())["schema_version"]
    assert type(head) is int and head > 1


def test_migrations_run_step_by_step() -> None:
    steps = {
        1: lambda d, h: ({**d, "added_in_2": []}, h + [{"moved": 1}]),
        2: lambda d, h: ({**{k: v for k, v in d.items() if k != "old"}, "renamed": d.get("old")}, h),
    }
    assert migrate({"schema_version": 1, "old": 5}, 3, steps) == (
        {"schema_version": 3, "added_in_2": [], "renamed": 5}, [{"moved": 1}])
    with pytest.raises(ValueError):
        migrate({"schema_version": 1}, 2, {})


def test_a_torn_last_line_is_set_aside_reported_and_never_fatal(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    save(store, attempt("q1", True))
    with open(store.history_path, "ab") as fh:
        fh.write(b'{"id":"abc","lesson":"les","quest')  # a crash mid-append
    save(store, attempt("q2", True))
    aside = tmp_path / "history.jsonl.torn-20261122T100000Z"
    assert aside.read_bytes() == b'{"id":"abc","lesson":"les","quest'
    assert any(str(aside) in n and "every earlier answer is kept" in n for n in store.notices)
    assert [a.question for a in ProgressStore(store.path).read_history()] == ["q1", "q2"]


def test_reading_skips_bad_lines_and_names_them(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    save(store, attempt("q1", True))
    with open(store.history_path, "ab") as fh:
        fh.write(b"not json\n")
    save(store, attempt("q2", True))
    fresh = ProgressStore(store.path)
    assert [a.question for a in fresh.read_history()] == ["q1", "q2"]
    assert len(fresh.notices) == 1 and fresh.notices[0].startswith(f"{store.history_path}, line 2: skipped")


def test_leftover_temp_files_are_removed_under_the_lock_on_the_next_save(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    save(store, attempt("q1", True))
    for name in (".p.json.abc123.tmp", ".p.json.bak.99.tmp"):
        (tmp_path / name).write_bytes(b"half")
    (tmp_path / ".other.tmp").write_bytes(b"not ours")
    save(store, attempt("q2", True))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == [".other.tmp"]


def test_files_and_folders_are_private_whatever_the_umask(tmp_path: Path) -> None:
    for mask in (0o022, 0o002, 0o000):
        old = os.umask(mask)
        try:
            home = tmp_path / f"home-{mask:o}"
            store = ProgressStore(home / "profiles" / "sam" / "p.json")
            save(store, attempt("q1", True))
            save(store, attempt("q2", True))
        finally:
            os.umask(old)
        for path in [home, *home.rglob("*")]:
            want = 0o700 if path.is_dir() else 0o600
            assert stat.S_IMODE(path.stat().st_mode) == want, (path, oct(path.stat().st_mode))


def test_existing_folders_readable_by_others_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "profiles" / "sam").mkdir(parents=True)
    for folder in (home, home / "profiles", home / "profiles" / "sam"):
        os.chmod(folder, 0o755)
    notices = files.secure_folders([home, home / "profiles", home / "profiles" / "sam"])
    assert len(notices) == 3 and all("it is now private" in n for n in notices)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o700 for f in (home, home / "profiles", home / "profiles" / "sam"))
    assert files.secure_folders([home]) == []


def test_reset_keeps_copies_and_forgets_the_lessons_answers(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    save(store, attempt("q1", True))
    other = attempt("q1", True, lesson="other")
    store.update(lambda p: pm.apply_attempt(p, other), (other,))
    before_state, before_history = store.path.read_bytes(), store.history_path.read_bytes()
    kept = store.update_keeping_copy(lambda p: pm.reset_lesson(p, "les"), "before-reset",
                                     forget=lambda a: a.lesson == "les")
    assert kept == tmp_path / "p.json.before-reset-20261122T100000Z"
    assert kept.read_bytes() == before_state
    assert (tmp_path / "history.jsonl.before-reset-20261122T100000Z").read_bytes() == before_history
    assert "les" not in store.load().lessons
    assert store.read_history() == [other]


def test_a_busy_lock_keeps_the_answer_aside_and_the_next_save_adds_it(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW, lock_timeout=0.2)
    save(store, attempt("q1", True))
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time\n"
        f"fd = open({str(paths.lock_file(store.path))!r}, 'a')\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(30)\n")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        a2 = attempt("q2", False)
        progress = save(store, a2)
        assert progress.lessons["les"].answered == {"q1": True, "q2": False}  # the learner can go on
        pending = sorted(tmp_path.glob("p.json.pending-*.jsonl"))
        assert len(pending) == 1 and history.read(pending[0]).attempts == [a2]
        assert store.notices[-1].startswith(f"Another neurotutor kept {store.path} busy for over 0 seconds")
        assert f"Your answer is kept in {pending[0]}" in store.notices[-1]
        with pytest.raises(ProgressError, match="Nothing was changed"):
            store.update(pm.mark_notice_seen, keep_if_busy=False)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    a3 = attempt("q3", True)
    later = ProgressStore(store.path, now=lambda: NOW)
    final = save(later, a3)
    assert [a.question for a in later.read_history()] == ["q1", "q2", "q3"]
    assert final.lessons["les"].completed_runs == 1 and final.lessons["les"].last_missed == ("q2",)
    assert not list(tmp_path.glob("p.json.pending-*"))
    assert any("Added 1 answer that an earlier save had to keep aside" in n for n in later.notices)


def _writer(path: str, worker: int, count: int) -> None:
    store = ProgressStore(Path(path))
    qids = [f"q{j}" for j in range(1000)]
    for i in range(count):
        a = pm.new_attempt(lesson=f"lesson-{worker}", question=f"q{i}", mode="lesson", run=1, answer=None,
                           answer_text="x", correct=True, seconds=0.1, now=NOW + timedelta(seconds=i), utc_offset=0)
        store.update(lambda p, a=a: pm.record_answer(p, a, [], qids, a.at), (a,))


def test_concurrent_writers_in_separate_processes_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 20)) for w in range(6)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    store = ProgressStore(path)
    progress = store.load()
    assert len(store.read_history()) == 120 and store.notices == []
    for w in range(6):
        assert sorted(progress.lessons[f"lesson-{w}"].answered) == sorted(f"q{i}" for i in range(20))
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp") or ".pending-" in p]


KILL_LOOP = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
store = ProgressStore(Path(sys.argv[1]))
print("ready", flush=True)
i = 0
while True:
    i += 1
    a = pm.new_attempt(lesson="les", question=f"q{i}", mode="lesson", run=1, answer=None, answer_text="x" * 500,
                       correct=True, seconds=0.1, now=datetime.now(timezone.utc), utc_offset=0)
    store.update(lambda p, a=a: pm.apply_attempt(p, a), (a,))
"""


def test_sigkill_mid_save_never_corrupts_state_or_history(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    for round_ in range(30):
        proc = subprocess.Popen([sys.executable, "-c", KILL_LOOP, str(path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "ready\n"
        time.sleep(0.01 + (round_ % 7) * 0.013)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        store = ProgressStore(path)
        progress = store.load()  # never damaged: state writes are atomic
        assert store.notices == [], store.notices
        assert progress.schema_version == 3
    final = ProgressStore(path)
    final.update(pm.mark_notice_seen)  # the next save tidies up after the killed writers
    attempts = final.read_history()
    answered = final.load().lessons["les"].answered if attempts else {}
    assert all(n.startswith("The last line of your answer history was cut off") for n in final.notices)
    assert set(answered) <= {a.question for a in attempts}  # the state never claims an answer the history lacks
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert history.parse(final.history_path.read_bytes(), final.history_path).problems == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(QIDS), st.booleans(), st.text(max_size=30)), max_size=12))
def test_any_sequence_of_answers_round_trips(tmp_path_factory: pytest.TempPathFactory, answers: list) -> None:
    path = tmp_path_factory.mktemp("prop") / "p.json"
    store = ProgressStore(path)
    expected = pm.Progress()
    given_attempts = []
    for i, (qid, ok, text) in enumerate(answers):
        run = pm.lesson_state(expected, "les").run
        a = attempt(qid, ok, NOW + timedelta(seconds=i), run=run, text=text)
        expected = pm.record_answer(expected, a, SECTIONS, QIDS, a.at)
        given_attempts.append(a)
        save(store, a)
    assert ProgressStore(path).load() == expected
    assert ProgressStore(path).read_history() == given_attempts


def test_two_resets_in_the_same_second_keep_both_copies(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    copies = []
    for qid in ("q1", "q2"):
        save(store, attempt(qid, True))
        copies.append(store.update_keeping_copy(lambda p: pm.reset_lesson(p, "les"), "before-reset",
                                                forget=lambda a: a.lesson == "les"))
    assert copies == [tmp_path / "p.json.before-reset-20261122T100000Z", tmp_path / "p.json.before-reset-20261122T100000Z-2"]
    assert [json.loads(c.read_text())["lessons"]["les"]["answered"] for c in copies] == [{"q1": True}, {"q2": True}]
    assert [len(p.read_text().splitlines()) for p in sorted(tmp_path.glob("history.jsonl.before-reset-*"))] == [1, 1]


def test_a_damaged_pending_file_is_set_aside_once_and_its_readable_answers_added(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.json", now=lambda: NOW)
    good = attempt("q1", True)
    pending = tmp_path / "p.json.pending-20261122T100000Z-1-x.jsonl"
    pending.write_bytes(history.encode_all([good]) + b"not json\n")
    save(store, attempt("q2", True))
    assert [a.question for a in store.read_history()] == ["q1", "q2"]
    assert not pending.exists()
    aside = tmp_path / "p.json.pending-20261122T100000Z-1-x.jsonl.damaged-20261122T100000Z"
    assert aside.read_bytes().endswith(b"not json\n")
    assert f"That file is kept as {aside}; the answers that could be read were added." in store.notices
    store.notices.clear()
    save(store, attempt("q3", True))
    assert store.notices == []  # told once



def test_an_answer_is_taken_back_only_while_it_is_the_last_one_saved(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.json")
    first, second = attempt("q1", True), attempt("q2", False, NOW + timedelta(seconds=5))
    save(store, first)
    before = store.history_path.read_bytes()
    save(store, second)
    marked = store.take_back(second, lambda p: pm.structs.replace(p, notice_seen=True))
    assert marked.notice_seen is True and ProgressStore(store.path).load().notice_seen is True
    assert store.history_path.read_bytes() == before  # its line, and only its line, is gone
    with pytest.raises(ProgressError, match="can no longer be taken back: another answer was saved after it"):
        store.take_back(second, lambda p: p)  # not the last line any more (it is gone)
    save(store, second)
    third = attempt("q3", True, NOW + timedelta(seconds=9))
    save(store, third)
    with pytest.raises(ProgressError, match="Nothing was changed"):
        store.take_back(second, lambda p: pm.structs.replace(p, seed=1))  # another answer came after it
    assert [a.question for a in store.read_history()] == ["q1", "q2", "q3"]
    assert ProgressStore(store.path).load().seed is None


def test_a_format_2_file_is_upgraded_to_3_and_kept_as_it_was(tmp_path: Path) -> None:
    """tests/data/progress/format-2.json was written by the format-2 tutor (commit fbc1a9d): an
    assignment added, two answers, a setting changed. Format 3 changes nothing in it but the
    number, which makes an older tutor refuse a newer file in words instead of moving it aside."""
    source = Path(__file__).parent / "data" / "progress" / "format-2.json"
    path = tmp_path / "progress.json"
    shutil.copy(source, path)
    store = ProgressStore(path, now=lambda: NOW)
    progress = store.load()
    kept = tmp_path / "progress.json.v2-20261122T100000Z"
    assert kept.read_bytes() == source.read_bytes()
    assert store.notices == [f"Your progress file was upgraded to this version's format (3): an older neurotutor will "
                             f"now ask to be updated instead of misreading it. A copy of the old file is kept as {kept}."]
    assert json.loads(path.read_text())["schema_version"] == 3
    as_read = msgspec.json.decode(source.read_bytes(), type=pm.Progress)  # format 2 read as it is
    assert msgspec.structs.replace(progress, schema_version=2) == as_read  # nothing else changed
    assert progress.settings.desired_retention == 0.85 and "sk-autumn" in progress.assignments
    assert not (tmp_path / "history.jsonl").exists()  # no answers were moved: they were in the history already
