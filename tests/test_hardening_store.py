"""The progress store and what reads it, under hostile files and a hostile machine (issue 16: 9, 10,
11, 13, 20, 21 state part, 24 store part): deeply nested JSON, a full disk after a failed save, a
read-only home, a clock at 9999-12-31 or in the future, a symlinked state file, negative counts, a
folder in the history's place and an odd stats cache. Nothing is lost, and every case ends in a
message for the learner, never "unexpected problem"."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from neurotutor import dates, paths
from neurotutor.cli.app import main
from neurotutor.errors import ProgressError
from neurotutor.progress import history
from neurotutor.progress import model as pm
from neurotutor.progress import store as store_module
from neurotutor.progress.store import Damaged, ProgressStore, parse
from neurotutor.quiz.answers import ChoiceAnswer

from flows import cli

DATA = Path(__file__).resolve().parent / "data"
OK = ("--lessons-dir", str(DATA / "lessons-ok"))
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
END = datetime(9999, 12, 31, 23, 0, tzinfo=timezone.utc)  # an hour before the calendar ends
LAST = datetime.max.replace(tzinfo=timezone.utc)
DEEP = b"[" * 5000 + b"]" * 5000
AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (as in CI)")



def attempt(question: str, correct: bool = True, at: datetime = NOW, lesson: str = "test-mini",
            mode: str = "lesson") -> pm.Attempt:
    return pm.new_attempt(lesson=lesson, question=question, mode=mode, run=1 if mode == "lesson" else None,  # type: ignore[arg-type]
                          answer=ChoiceAnswer(frozenset({1})), answer_text=f"answer to {question}",
                          correct=correct, seconds=2.0, now=at, utc_offset=0)


def answered(home: Path, *attempts: pm.Attempt) -> ProgressStore:
    """A profile (first-run notice seen) with these answers saved, one save each; the second save
    leaves a good `.bak`."""
    store = ProgressStore(home / "progress.json", now=lambda: NOW)
    store.update(pm.mark_notice_seen)
    for a in attempts or (attempt("tm-single"), attempt("tm-multiple", at=NOW + timedelta(minutes=1))):
        store.update(lambda p, a=a: pm.apply_attempt(p, a), (a,))
    store.notices.clear()
    return store


def only(pattern: str, folder: Path) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the computer's time zone for one test (time.tzset), and put it back afterwards."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


# 9. Deeply nested JSON ------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [
    b'{"schema_version": 3, "lessons": ' + DEEP + b"}",
    b'{"schema_version": 1, "lessons": {}, "attempts": ' + DEEP + b"}",
    b'{"notes": {"a": ' + DEEP + b'}, "schema_version": 3}',
])
def test_a_deeply_nested_progress_file_is_damaged_not_a_crash(content: bytes) -> None:
    with pytest.raises(Damaged) as err:
        parse(content, Path("p.json"))
    assert str(err.value) == "it is nested too deeply to be a progress file"


@pytest.mark.parametrize("raised", [MemoryError(), ValueError("odd"), RecursionError(), OverflowError("big"),
                                    KeyError("x")])
def test_anything_the_decoder_raises_means_damaged(monkeypatch, raised: Exception) -> None:
    class Failing:
        def decode(self, raw: bytes) -> object:
            raise raised

    monkeypatch.setattr(store_module, "_state_decoder", Failing())
    with pytest.raises(Damaged):
        parse(b'{"schema_version": 3}', Path("p.json"))


def test_a_deeply_nested_progress_file_is_restored_from_the_backup(capsys, neurotutor_home: Path) -> None:
    store = answered(neurotutor_home)
    good = parse(store.backup.read_bytes(), store.backup).progress
    damaged = b'{"schema_version": 3, "lessons": ' + DEEP + b"}"
    store.path.write_bytes(damaged)
    code, out, err = cli(capsys, *OK, "progress")
    aside = only("progress.json.damaged-*", neurotutor_home)
    assert (code, err) == (0, (
        f"Your progress file was damaged (it is nested too deeply to be a progress file). It was moved to {aside}, "
        f"and your last good copy was restored from {store.backup}. Your answers are all kept in "
        f"{store.history_path}.\n"))
    assert "A small test lesson" in out
    assert aside.read_bytes() == damaged
    assert ProgressStore(store.path).load() == good
    assert cli(capsys, *OK, "history")[0] == 0  # not locked out of anything


def test_importing_deeply_nested_json_is_a_clear_problem(capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    nested = tmp_path / "nested.json"
    nested.write_bytes(b'{"format": "neurotutor-export",\n "history": [' + DEEP + b"]}")
    code, out, err = cli(capsys, "import", str(nested))
    assert (code, out, err) == (2, "", (
        f"{nested}:2:76: nested too deeply (more than 64 levels of brackets; an export or progress file never "
        "is)\nNothing was imported: fix these problems (or choose another file) and try again.\n"))
    assert not (neurotutor_home / "history.jsonl").exists()


def test_a_deeply_nested_history_line_is_skipped_by_every_reader(capsys, neurotutor_home: Path,
                                                                tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    with open(store.history_path, "ab") as fh:
        fh.write(b'{"id": "x", "lesson": "test-mini", "zz": ' + DEEP + b"}\n")
    assert [a.question for a in store.read_history()] == ["tm-single", "tm-multiple"]
    assert store.notices == [f"{store.history_path}, line 3: skipped, not a valid answer record "
                             "(Object contains unknown field `zz`)"]
    assert len(history.read_ids(store.history_path)) == 2
    assert cli(capsys, *OK, "stats")[0] == 0
    export = tmp_path / "export.json"
    assert cli(capsys, *OK, "export", str(export))[0] == 0
    assert cli(capsys, *OK, "import", str(export))[0] == 0


# 24. Negative counts, a folder in the history's place, an odd stats cache ------------------------

@pytest.mark.parametrize("field, value", [
    (("lessons", "test-mini", "completed_runs"), -4), (("lessons", "test-mini", "run"), 0),
    (("lessons", "test-mini", "best_score"), -0.5), (("cards", "tm-single", "step"), -1),
    (("cards", "tm-single", "stability"), -3.0),
])
def test_negative_counts_in_the_progress_file_take_the_damaged_file_path(capsys, neurotutor_home: Path,
                                                                         field: tuple, value: float) -> None:
    store = answered(neurotutor_home)
    store.update(lambda p: pm.structs.replace(p, cards={"tm-single": pm.CardState(state=2, step=0, stability=2.0,
                                                                                   due=NOW, last_review=NOW)}))
    more = attempt("tm-ordering")
    store.update(lambda p: pm.apply_attempt(p, more), (more,))  # the backup now has the card too
    good = parse(store.backup.read_bytes(), store.backup).progress
    assert good.cards
    data = json.loads(store.path.read_text())
    where = data
    for key in field[:-1]:
        where = where[key]
    where[field[-1]] = value
    store.path.write_text(json.dumps(data))
    code, out, err = cli(capsys, *OK, "progress")
    assert code == 0
    assert err.startswith("Your progress file was damaged (it is not a valid progress file (Expected ")
    assert f"- at `$.{field[0]}[...].{field[2]}`)" in err
    assert "-4x" not in out
    assert ProgressStore(store.path).load() == good


def test_a_negative_count_in_an_import_is_refused_with_its_position(capsys, neurotutor_home: Path,
                                                                   tmp_path: Path) -> None:
    source = tmp_path / "old.json"
    source.write_text('{\n  "schema_version": 3,\n  "lessons": {"test-mini": {"completed_runs": -4}}\n}\n')
    code, out, err = cli(capsys, "import", str(source))
    assert (code, out, err) == (2, "", (
        f"{source}:3:47: lessons.test-mini.completed_runs: Expected `int` >= 0\n"
        "Nothing was imported: fix these problems (or choose another file) and try again.\n"))


def test_a_folder_in_the_historys_place_gets_one_clear_message_from_every_command(capsys, neurotutor_home: Path,
                                                                                   tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    store.history_path.unlink()
    store.history_path.mkdir()
    message = f"Cannot read your answer history {store.history_path}: Is a directory.\n"
    for command in (["stats"], ["history"], ["export", str(tmp_path / "e.json")]):
        assert cli(capsys, *OK, *command) == (3, "", message), command
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin="?\n\n")  # a save, too
    assert (code, err.splitlines()[-1]) == (3, message.strip())
    assert store.history_path.is_dir() and not list(neurotutor_home.glob("history.jsonl.*"))


@pytest.mark.parametrize("cache", [
    b'{"skipped": ' + DEEP + b"}", b"\x00\xff garbage", b'{"version": 4, "size": -5}', b'{"version": 4, "size": 99999999999999}',
    b"", b'{"version": "four"}',
])
def test_an_odd_stats_cache_is_rebuilt_never_fatal(capsys, neurotutor_home: Path, cache: bytes) -> None:
    answered(neurotutor_home)
    cache_file = paths.stats_cache_file(neurotutor_home / "progress.json")
    code, expected, _ = cli(capsys, *OK, "stats", "--json")
    assert code == 0
    cache_file.write_bytes(cache)
    code, out, err = cli(capsys, *OK, "stats", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["answers"] == json.loads(expected)["answers"] == 2
    assert json.loads(cache_file.read_bytes())["size"] == (neurotutor_home / "history.jsonl").stat().st_size


def test_a_stats_cache_whose_totals_make_no_sense_is_rebuilt(capsys, neurotutor_home: Path) -> None:
    store = answered(neurotutor_home, attempt("tm-single", mode="exam"))
    cache_file = paths.stats_cache_file(store.path)
    assert cli(capsys, *OK, "stats", "--json")[0] == 0
    broken = json.loads(cache_file.read_text())
    for exam in broken["exams"].values():
        for question in exam:
            exam[question] = ["too short"]  # an entry a later answer to the same question must unpack
    cache_file.write_text(json.dumps(broken))
    again = attempt("tm-single", mode="exam", at=NOW + timedelta(hours=1))
    store.update(lambda p: pm.apply_attempt(p, again), (again,))
    code, out, err = cli(capsys, *OK, "stats", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["answers"] == 1  # an exam answer changed later replaces the one before


def test_a_stats_cache_that_is_a_folder_is_simply_not_used(capsys, neurotutor_home: Path) -> None:
    answered(neurotutor_home)
    paths.stats_cache_file(neurotutor_home / "progress.json").mkdir()
    code, out, err = cli(capsys, *OK, "stats", "--json")
    assert (code, err, json.loads(out)["answers"]) == (0, "", 2)


# 21. A symlinked progress file -----------------------------------------------------------------

def test_a_symlinked_progress_file_is_read_but_never_replaced(capsys, neurotutor_home: Path,
                                                              tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    elsewhere = tmp_path / "synced" / "progress.json"
    elsewhere.parent.mkdir()
    shutil.move(store.path, elsewhere)
    store.path.symlink_to(elsewhere)
    before = elsewhere.read_bytes()
    code, out, _ = cli(capsys, *OK, "progress")
    assert code == 0 and "A small test lesson" in out  # reading follows the link
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin="1\n\n")
    assert code == 3
    assert err.endswith(f"Cannot save your progress: {store.path} is a symbolic link, and neurotutor does not follow "
                        "links among its own files. Remove the link, or put the file itself in its place. Nothing "
                        "was changed.\n")
    assert store.path.is_symlink() and os.readlink(store.path) == str(elsewhere)
    assert elsewhere.read_bytes() == before
    assert len(store.read_history()) == 2  # the answer was refused before anything was appended


def test_a_damaged_symlinked_progress_file_is_shown_from_the_backup_and_left_alone(capsys, neurotutor_home: Path,
                                                                                   tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    good = parse(store.backup.read_bytes(), store.backup).progress
    elsewhere = tmp_path / "progress.json"
    elsewhere.write_bytes(b"{cut off")
    store.path.unlink()
    store.path.symlink_to(elsewhere)
    code, out, err = cli(capsys, *OK, "progress")
    assert (code, err) == (0, (
        f"Your progress file {store.path} is damaged (it is not a valid progress file (JSON is malformed: "
        "object keys must be strings (byte 1))); it is a symbolic link, which neurotutor does not replace, so your last good "
        f"copy, {store.backup}, is shown instead. Nothing was changed.\n"))
    assert ProgressStore(store.path).load() == good
    assert store.path.is_symlink() and elsewhere.read_bytes() == b"{cut off"
    assert not list(neurotutor_home.glob("progress.json.damaged-*"))


# 10. A full disk after a failed save -------------------------------------------------------------

TORN = b'{"id":"abc","lesson":"test-mini","quest'


class Disk:
    """Make every os.write fail as on a full disk (truncating, which frees space, still works)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.real = os.write

    def fill(self, after: int = 0) -> None:
        """From now on, writes fail; with `after`, the first write gets that many bytes out first."""
        left = [after]

        def no_space(fd: int, data: bytes) -> int:
            if left[0]:
                written = self.real(fd, bytes(data[:left[0]]))
                left[0] -= written
                return written
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        self.monkeypatch.setattr(os, "write", no_space)

    def free(self) -> None:
        self.monkeypatch.setattr(os, "write", self.real)


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    return Disk(monkeypatch)


def torn_profile(home: Path) -> ProgressStore:
    """Two answers, then a save cut off mid-line: the partial line a full disk leaves."""
    store = answered(home)
    with open(store.history_path, "ab") as fh:
        fh.write(TORN)
    return store


FULL = ("Free some space on that disk (empty the trash, or move large files elsewhere), then run the command "
        "again; every answer saved so far is kept.")


def test_on_a_full_disk_history_and_export_read_past_a_torn_line_without_writing(capsys, neurotutor_home: Path,
                                                                                  disk: Disk) -> None:
    store = torn_profile(neurotutor_home)
    before = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    disk.fill()
    skipped = f"{store.history_path}, line 3: skipped, the line is incomplete (a save was cut off)\n"
    code, out, err = cli(capsys, *OK, "--plain", "history")
    assert (code, err) == (0, skipped)
    assert "tm-single" in out and "tm-multiple" in out
    code, out, err = cli(capsys, *OK, "export")
    assert (code, err) == (0, skipped)
    assert [a["question"] for a in json.loads(out)["history"]] == ["tm-single", "tm-multiple"]
    assert {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("command", [["import", "EXPORT"], ["reset", "test-mini", "--yes"], ["reset", "--all", "--yes"]])
def test_on_a_full_disk_a_write_says_the_disk_is_full_and_changes_nothing(capsys, neurotutor_home: Path, tmp_path: Path,
                                                                          disk: Disk, command: list[str]) -> None:
    store = torn_profile(neurotutor_home)
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"format": "neurotutor-export", "version": 1, "exported_at": "2026-11-23T10:00:00Z",
                                  "progress": {"schema_version": 3},
                                  "history": [json.loads(pm.encode_attempt(attempt("tm-short")))]}))
    before = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    disk.fill()
    code, out, err = cli(capsys, *OK, *[str(export) if word == "EXPORT" else word for word in command])
    assert code == 3
    if command[0] == "reset":  # reset counts the answers it would forget first, and says one line was skipped
        assert err.startswith(f"{store.history_path}, line 3: skipped, the line is incomplete (a save was cut off)\n")
        err = err.split("\n", 1)[1]
    assert err == (f"The last line of your answer history {store.history_path} was cut off by an earlier save that "
                   f"failed, and it could not be set aside: the disk is full (No space left on device). Nothing was "
                   f"changed. {FULL}\n")
    assert {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()} == before


def plain_assignment(folder: Path) -> Path:
    """An assignment of a built-in lesson only (no lesson files of its own to keep)."""
    source = DATA / "assignments" / "good.yaml"
    text = source.read_text().replace("  - lesson: my-own-lesson\n    due: 2030-12-08\n    file: my-own-lesson.yaml\n", "")
    target = folder / "plain.yaml"
    target.write_text(text)
    return target


def test_on_a_full_disk_adding_an_assignment_says_the_disk_is_full(capsys, neurotutor_home: Path, tmp_path: Path,
                                                                    disk: Disk) -> None:
    store = torn_profile(neurotutor_home)
    source = plain_assignment(tmp_path)
    before = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    disk.fill()
    code, out, err = cli(capsys, "assignment", "add", str(source))
    assert (code, out, err) == (3, "", (
        f"Could not save your progress to {store.path}: the disk is full (No space left on device). What was saved "
        f"before is unchanged. {FULL}\n"))
    after = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    assert after.pop("progress.json.bak") == after["progress.json"]  # the backup holds the state as it still is
    before.pop("progress.json.bak")
    assert after == before


def test_once_there_is_space_again_the_next_save_sets_the_torn_line_aside(capsys, neurotutor_home: Path,
                                                                          disk: Disk) -> None:
    store = torn_profile(neurotutor_home)
    disk.fill()
    assert cli(capsys, *OK, "--plain", "history")[0] == 0
    disk.free()
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin="?\n\n")
    aside = only("history.jsonl.torn-*", neurotutor_home)
    assert err.startswith(f"The last line of your answer history was cut off by an earlier crash. It was moved to "
                          f"{aside} ({len(TORN)} bytes); every earlier answer is kept.\n")
    assert aside.read_bytes() == TORN
    assert history.parse(store.history_path.read_bytes(), store.history_path).problems == []
    assert [a.question for a in ProgressStore(store.path).read_history()] == ["tm-single", "tm-multiple", "tm-truefalse"]


def test_a_save_cut_short_by_a_full_disk_leaves_no_torn_line(neurotutor_home: Path, disk: Disk) -> None:
    store = answered(neurotutor_home)
    before = store.history_path.read_bytes()
    disk.fill(after=10)  # the append gets 10 bytes out, then the disk is full
    late = attempt("tm-ordering")
    with pytest.raises(ProgressError) as err:
        store.update(lambda p: pm.apply_attempt(p, late), (late,))
    assert err.value.message == (f"Could not save your progress to {store.path}: the disk is full (No space left on "
                                 f"device). What was saved before is unchanged. {FULL}")
    disk.free()
    assert store.history_path.read_bytes() == before


# 11. A read-only home ----------------------------------------------------------------------------

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def make_read_only(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int = errno.EROFS) -> None:
    """Every change inside folder fails as on a read-only disk (a mounted backup, a copy on a DVD)."""
    root = os.path.realpath(folder)

    def inside(path: object) -> bool:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return False
        return os.path.realpath(os.fsdecode(path)).startswith(root)

    def refuse(path: object) -> None:
        raise OSError(code, os.strerror(code), os.fsdecode(path))  # type: ignore[arg-type]

    real_open = os.open

    def open_(path, flags, mode=0o777, *, dir_fd=None):  # type: ignore[no-untyped-def]
        if flags & WRITE_FLAGS and inside(path):
            refuse(path)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", open_)
    for name in ("replace", "rename", "link", "unlink", "mkdir", "chmod", "truncate", "symlink", "rmdir"):
        real = getattr(os, name)

        def guarded(*args, _real=real, **kw):  # type: ignore[no-untyped-def]
            for arg in args[:2]:
                if inside(arg):
                    refuse(arg)
            return _real(*args, **kw)

        monkeypatch.setattr(os, name, guarded)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_read_only_home_can_be_read_and_exported_without_a_word(capsys, monkeypatch, neurotutor_home: Path,
                                                                  tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    store.lock_path.unlink()  # a copy of a profile: no lock file was copied
    before = snapshot(neurotutor_home)
    make_read_only(monkeypatch, neurotutor_home)
    code, out, err = cli(capsys, *OK, "--plain", "history")
    assert (code, err) == (0, "")
    assert "tm-single" in out and "tm-multiple" in out
    code, out, err = cli(capsys, *OK, "export")
    assert (code, err) == (0, "")
    assert [a["question"] for a in json.loads(out)["history"]] == ["tm-single", "tm-multiple"]
    copy = tmp_path / "copy.json"
    assert cli(capsys, *OK, "export", str(copy)) == (0, f"Exported your progress in 1 lesson and 2 answers to {copy}\n"
                                                        "Only you can read this file.\nBring it back, here or on another "
                                                        f"computer, with:\n  neurotutor {' '.join(OK)} import {copy}\n",
                                                        "")
    for command in (["progress"], ["stats"]):
        code, out, err = cli(capsys, *OK, *command)
        assert (code, err) == (0, ""), command
    assert snapshot(neurotutor_home) == before


def test_a_read_waits_for_a_busy_lock_only_so_long_then_reads_without_it(neurotutor_home: Path) -> None:
    from neurotutor import files

    store = answered(neurotutor_home)
    with files.locked(store.lock_path, 1.0):  # another neurotutor, saving (or stuck)
        reader = ProgressStore(store.path, lock_timeout=0.05)
        assert [a.question for a in reader.read_history()] == ["tm-single", "tm-multiple"]
        assert reader.notices == []


def test_adding_an_assignment_in_a_read_only_home_says_why_nothing_changed(capsys, monkeypatch, neurotutor_home: Path,
                                                                           tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    source = plain_assignment(tmp_path)
    before = snapshot(neurotutor_home)
    make_read_only(monkeypatch, neurotutor_home)
    code, out, err = cli(capsys, "assignment", "add", str(source))
    assert (code, out, err) == (3, "", (
        f"Cannot change your progress in {neurotutor_home}: the folder cannot be written to (Read-only file system), "
        "so its lock file progress.json.lock cannot be made. Nothing was changed. Reading your progress, history "
        "and export still works.\n"))
    assert snapshot(neurotutor_home) == before
    assert ProgressStore(store.path).load().assignments == {}


def test_a_damaged_state_in_a_read_only_home_is_read_from_its_backup(capsys, monkeypatch, neurotutor_home: Path) -> None:
    store = answered(neurotutor_home)
    good = parse(store.backup.read_bytes(), store.backup).progress
    store.path.write_bytes(b'{"schema_version": 3, "lessons": ' + DEEP + b"}")
    before = snapshot(neurotutor_home)
    make_read_only(monkeypatch, neurotutor_home)
    reader = ProgressStore(store.path)
    assert reader.load() == good
    assert reader.notices == [
        f"Your progress file {store.path} is damaged (it is nested too deeply to be a progress file); its folder "
        f"cannot be changed now, so your last good copy, {store.backup}, is shown instead. Nothing was changed."]
    assert len(reader.read_history()) == 2
    assert snapshot(neurotutor_home) == before


def test_an_older_state_in_a_read_only_home_is_read_as_it_is_answers_and_all(monkeypatch, tmp_path: Path) -> None:
    home = tmp_path / "old"
    home.mkdir()
    shutil.copy(DATA / "progress" / "format-1.json", home / "progress.json")
    old = json.loads((home / "progress.json").read_text())
    make_read_only(monkeypatch, home)
    reader = ProgressStore(home / "progress.json")
    progress = reader.load()
    assert progress.lessons["test-mini"].completed_runs == 1
    attempts = reader.read_history()
    assert [a.question for a in attempts] == [o["question"] for o in old["attempts"]]
    assert reader.notices == []  # read as it is, without a word: it is upgraded where it can be written
    assert sorted(p.name for p in home.iterdir()) == ["progress.json"]


@AS_ROOT
def test_a_home_another_user_cannot_write_is_read_and_exported_by_them(tmp_path: Path, monkeypatch) -> None:
    """The real thing: a second user (nobody) reads a profile in a folder they may not write."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    home = Path(tempfile.mkdtemp(prefix="neurotutor-ro-"))  # under /tmp: folders nobody can reach
    outside = Path(tempfile.mkdtemp(prefix="neurotutor-src-"))
    try:
        answered(home).lock_path.unlink()
        source = plain_assignment(outside)
        commands = [["--plain", *OK, "history"], [*OK, "export"], [*OK, "progress"], [*OK, "stats"],
                    ["assignment", "add", str(source)]]
        monkeypatch.setenv("NEUROTUTOR_HOME", str(tmp_path / "warm"))
        answered(tmp_path / "warm")
        for args in commands:  # the same commands first as root, so every module they import is loaded
            try:
                main(list(args))
            except SystemExit:
                pass
        outside.chmod(0o755)
        source.chmod(0o644)
        for path in [home, *home.iterdir()]:
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
            path.chmod(0o500 if path.is_dir() else 0o400)
        before = snapshot(home)
        monkeypatch.setenv("NEUROTUTOR_HOME", str(home))
        results = _as_another_user(nobody.pw_uid, nobody.pw_gid, commands)
        assert snapshot(home) == before
    finally:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)
    (code, out, err), (ecode, eout, eerr), *others, added = results
    assert (code, err) == (0, "") and "tm-single" in out
    assert (ecode, eerr) == (0, "") and len(json.loads(eout)["history"]) == 2
    assert [(c, e) for c, _, e in others] == [(0, ""), (0, "")]
    assert added == [3, "", (f"Cannot change your progress in {home}: the folder cannot be written to (Permission "
                             "denied), so its lock file progress.json.lock cannot be made. Nothing was changed. "
                             "Reading your progress, history and export still works.\n")]


def _as_another_user(uid: int, gid: int, commands: list[list[str]]) -> list:
    """Run main(argv) for each command in a forked child that has become another user."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            results = []
            for args in commands:
                sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
                try:
                    main(list(args))
                    code = 0
                except SystemExit as exc:
                    code = int(exc.code or 0)
                results.append([code, sys.stdout.getvalue(), sys.stderr.getvalue()])
            with os.fdopen(write_end, "w") as fh:
                fh.write(json.dumps(results))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    assert status == 0 and data, "the child could not run the commands"
    return json.loads(data)


# 13. A clock at 9999-12-31 ------------------------------------------------------------------------


@pytest.fixture
def end_of_calendar(monkeypatch: pytest.MonkeyPatch, local_zone):  # type: ignore[no-untyped-def]
    """The shell's clock at END, an hour before the calendar ends, in a zone nine hours ahead of UTC
    (so local times fall past 9999-12-31 too)."""
    from neurotutor.cli import session

    local_zone("Asia/Tokyo")
    monkeypatch.setattr(session, "utc_now", lambda: END)  # the shell's one clock


def profile_with_cards(home: Path, questions: tuple[str, ...], *, lesson: bool = False) -> ProgressStore:
    """A profile with a known seed whose cards for these questions are in review, due an hour ago."""
    from flows import seed_profile

    seed_profile(home, notice_seen=True)
    store = ProgressStore(home / "progress.json")
    cards = {q: pm.CardState(state=2, stability=10.0, difficulty=5.0, due=END - timedelta(hours=1),
                             last_review=END - timedelta(days=10)) for q in questions}
    store.update(lambda p: pm.structs.replace(p, cards=cards))
    return store


def test_a_quiz_at_the_end_of_the_calendar_schedules_its_cards_at_the_last_moment(capsys, neurotutor_home: Path,
                                                                                 end_of_calendar) -> None:
    from flows import RIGHT

    store = profile_with_cards(neurotutor_home, ("tm-single", "tm-multiple", "tm-truefalse", "tm-ordering",
                                                 "tm-matching", "tm-short"))
    code, out, err = cli(capsys, *OK, "--plain", "quiz", "test-mini", stdin="".join(a + "\n\n" for a in RIGHT))
    assert (code, err) == (0, "")
    assert "You got 6 of 6 right (100%)." in out
    progress = ProgressStore(store.path).load()
    assert {c.due for c in progress.cards.values()} == {LAST}
    assert {c.last_review for c in progress.cards.values()} == {END}
    assert progress.lessons["test-mini"].completed_at == END
    code, out, err = cli(capsys, *OK, "--plain", "progress")
    assert (code, err) == (0, "") and "31 Dec 9999" in out  # the last hours shown as they are (UTC)


def test_a_review_at_the_end_of_the_calendar_says_when_the_next_is_due(capsys, neurotutor_home: Path,
                                                                      end_of_calendar) -> None:
    store = profile_with_cards(neurotutor_home, ("tm-truefalse",))
    code, out, err = cli(capsys, *OK, "--plain", "review", stdin="f\n\n")
    assert (code, err) == (0, ""), out
    assert ProgressStore(store.path).load().cards["tm-truefalse"].due == LAST
    code, out, err = cli(capsys, *OK, "--plain", "review")  # input ends at "Practise anyway?"
    assert (code, err) == (4, "\nInput ended before an answer was given; nothing more was done.\n")
    # due at the calendar's last moment, which is where its last study day ends: tomorrow
    assert out.startswith("Nothing is due for review today. The next question is due tomorrow.\n")
    code, out, err = cli(capsys, *OK, "--plain")  # the home screen, until input ends at its menu
    assert (code, err) == (4, "\nInput ended. Your progress is saved.\n")
    assert "Review (next due tomorrow)" in out


def test_an_exam_at_the_end_of_the_calendar_is_sat_and_listed(capsys, neurotutor_home: Path, end_of_calendar) -> None:
    profile_with_cards(neurotutor_home, ())
    code, out, err = cli(capsys, *OK, "--plain", "exam", "--questions", "2", "--lessons", "test-mini",
                         stdin="\n?\n\n?\n\n3\n")  # start, "I don't know" twice (Enter: on), submit
    assert (code, err) == (0, "")
    exam = next(iter(ProgressStore(neurotutor_home / "progress.json").load().exams.values()))
    assert (exam.status, exam.started, exam.finished) == ("submitted", END, END)
    code, out, err = cli(capsys, *OK, "--plain", "exams")
    assert (code, err) == (0, "")
    assert f"{exam.id}  9999-12-31 23:00  submitted" in out
    code, out, err = cli(capsys, *OK, "--plain", "history")
    assert (code, err) == (0, "") and out.count("9999-12-31 23:00") == 2


def test_stats_at_the_end_of_the_calendar(capsys, neurotutor_home: Path, end_of_calendar) -> None:
    store = profile_with_cards(neurotutor_home, ("tm-single",))
    late = attempt("tm-single", at=END)
    store.update(lambda p: pm.apply_attempt(p, late), (late,))
    code, out, err = cli(capsys, *OK, "--plain", "stats")
    assert (code, err) == (0, "")
    assert "1 answer on 1 day; today is 9999-12-31." in out
    code, out, err = cli(capsys, *OK, "--plain", "stats", "--all")
    assert (code, err) == (0, "")
    assert "Days studied in the last 26 weeks: 1 (most recent: 9999-12-31)" in out
    code, out, err = cli(capsys, *OK, "stats", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["activity"]["today"] == "9999-12-31"


def test_a_report_and_the_assignments_at_the_end_of_the_calendar(capsys, monkeypatch, neurotutor_home: Path,
                                                                 tmp_path: Path, end_of_calendar) -> None:
    from neurotutor.assignments.status import assigned_lessons, when_due
    from neurotutor.reports.build import build_report
    from neurotutor.reports.render import to_json, to_markdown

    profile_with_cards(neurotutor_home, ())
    assert cli(capsys, "assignment", "add", str(plain_assignment(tmp_path)))[0] == 0
    store = ProgressStore(neurotutor_home / "progress.json")
    late = attempt("np-slogan-origin", at=END, lesson="neuroplasticity-types", mode="review")
    store.update(lambda p: pm.apply_attempt(pm.structs.replace(p, assignments={
        k: pm.structs.replace(v, added=END) for k, v in p.assignments.items()}), late), (late,))
    progress = store.load()
    stored = progress.assignments["sam-autumn"]
    report = build_report(stored, progress, {}, {}, {}, END, date(9999, 12, 31), False)
    assert to_json(report, "test") and to_markdown(report)
    assert [when_due(x) for x in assigned_lessons(progress, {}, date(9999, 12, 31))] == [
        "overdue since Sun 1 Dec; whenever you are ready"]
    target = tmp_path / "report.json"
    code, out, err = cli(capsys, "report", "--assignment", "sam-autumn", "-o", str(target), "--yes", "--times")
    assert (code, err) == (0, "")
    written = json.loads(target.read_text())
    assert written["generated_at"].startswith("9999-12-31T23:00") and written["generated_on"].startswith("9999-12-3")
    code, out, err = cli(capsys, "--plain", "assignments")
    assert (code, err) == (0, "")


def test_date_arithmetic_saturates_at_the_edges_of_the_calendar() -> None:
    assert dates.add(END, timedelta(days=30)) == LAST
    assert dates.add(datetime(1, 1, 2, tzinfo=timezone.utc), -timedelta(days=5)) == datetime.min.replace(tzinfo=timezone.utc)
    assert dates.add(NOW, timedelta(days=1)) == NOW + timedelta(days=1)
    assert dates.add_days(date(9999, 12, 30), 7) == date.max
    assert dates.add_days(date(1, 1, 3), -7) == date.min
    assert dates.add_days(date(2026, 1, 1), 10**12) == date.max
    assert dates.from_ordinal(10**9) == date.max and dates.from_ordinal(-5) == date.min


# 20. A clock that went forwards ----------------------------------------------------------------------

def test_stats_say_plainly_that_answers_carry_times_in_the_future(capsys, monkeypatch, neurotutor_home: Path) -> None:
    from neurotutor.cli import session

    today = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(session, "utc_now", lambda: today)
    answered(neurotutor_home, attempt("tm-single", at=today - timedelta(days=1)),
             attempt("tm-multiple", at=datetime(2100, 1, 1, 9, 0, tzinfo=timezone.utc)),
             attempt("tm-truefalse", correct=False, at=datetime(2100, 1, 2, 9, 0, tzinfo=timezone.utc)))
    code, out, err = cli(capsys, *OK, "--plain", "stats")
    assert (code, err) == (0, "")
    assert out.splitlines()[2:4] == [  # the short screen says so too
        "3 answers on 1 day (not counting 2 dated after today); today is 2026-12-07.",
        "2 answers carry times in the future (after today, 2026-12-07): the computer's clock may have been wrong "
        "when they were saved. They count in your totals, but not as days studied."]
    code, out, err = cli(capsys, *OK, "--plain", "stats", "--all")
    assert (code, err) == (0, "")
    assert ("Days studied in the last 26 weeks: 1 (most recent: 2026-12-06)\n"
            "2 answers carry times in the future (after today, 2026-12-07): the computer's clock may have been wrong "
            "when they were saved. They count in your totals, but not as days studied.\n") in out
    assert "2100" not in out
    assert "3 answers on 1 day (not counting 2 dated after today). Dates are your local days" in out
    assert "Overall: 2 of 3 answers right (67%)." in out
    code, out, err = cli(capsys, *OK, "stats", "--json")
    activity = json.loads(out)["activity"]
    assert (activity["last_day"], activity["future_answers"], activity["days_studied_ever"]) == ("2026-12-06", 2, 1)
    assert [w["week_of"] for w in json.loads(out)["accuracy"]["weeks"]] == ["2026-11-30"]


def test_on_a_full_disk_adding_an_assignment_with_lessons_of_its_own_says_so(capsys, neurotutor_home: Path,
                                                                             disk: Disk) -> None:
    store = torn_profile(neurotutor_home)
    before = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    disk.fill()
    code, out, err = cli(capsys, "assignment", "add", str(DATA / "assignments" / "good.yaml"))
    own = neurotutor_home / "lessons"
    assert (code, out, err) == (3, "", (
        f"Could not keep the lessons that came with this assignment in {own}: the disk is full (No space left on "
        f"device). The assignment was not added. {FULL}\n"))
    assert {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()} == before
    assert list(own.iterdir()) == []
    assert store.load().assignments == {}


def test_a_file_in_the_lessons_folders_place_is_a_clear_message(capsys, neurotutor_home: Path) -> None:
    """Issue 17's list: a file where the profile's lessons folder should be."""
    neurotutor_home.mkdir(parents=True, exist_ok=True)
    (neurotutor_home / "lessons").write_text("not a folder")
    code, out, err = cli(capsys, "assignment", "add", str(DATA / "assignments" / "good.yaml"))
    assert (code, out) == (3, "")
    assert err == (f"Could not keep the lessons that came with this assignment in {neurotutor_home / 'lessons'}: a file "
                   "is where a folder should be (Not a directory). The assignment was not added. Move that file "
                   "aside (or delete it if you do not need it), then run the command again.\n")
    assert (neurotutor_home / "lessons").read_text() == "not a folder"
