"""The journal under crashes, two terminals, damaged and forged lines, links, a newer format and a
full disk; edits and deletions that leave no trace in the file; and journal text that never
reaches stats, history, the progress export, reports or the caseload."""

from __future__ import annotations

import errno
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

from neurotutor import files, paths
from neurotutor.errors import ProgressError
from neurotutor.journal import store as store_module
from neurotutor.journal.model import Entry, Feeling
from neurotutor.journal.store import HEADER, JournalStore, encode_entry

from flows import cli, seed_profile

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def entry(entry_id: str, text: str = "a situation", status: str = "done", at: datetime = T0, **more: object) -> Entry:
    return Entry(id=entry_id, worksheet="thought-record", title="Thought record", status=status,  # type: ignore[arg-type]
                 created=at, updated=at, answers={"situation": text, "belief": 60, **more})  # type: ignore[dict-item]


def journal_at(home: Path) -> JournalStore:
    return JournalStore(paths.journal_file(home / "progress.json"))


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The computer's time zone set to UTC for one test, and put back afterwards."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def everything_in(folder: Path) -> bytes:
    """The bytes of every file under folder (what a leak would be found in)."""
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink())


# -- crashes and two terminals ------------------------------------------------------------------

WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
import msgspec
from neurotutor.journal.model import Entry
from neurotutor.journal.store import JournalStore
journal = JournalStore(Path(sys.argv[1]))
name = sys.argv[2]
count = int(sys.argv[3])
print("ready", flush=True)
i = 0
while count < 0 or i < count:
    i += 1
    now = datetime.now(timezone.utc)
    if i % 3:
        e = Entry(id=f"{name}-{i}", worksheet="w", title="T", status="done", created=now, updated=now,
                  answers={"situation": "x" * 400, "belief": i % 101})
        journal.add(e)
        print("added", e.id, flush=True)
    else:
        e = Entry(id=f"{name}-{i}", worksheet="w", title="T", status="draft", created=now, updated=now, answers={})
        for step in range(1, 4):
            e = msgspec.structs.replace(e, answers={**e.answers, f"s{step}": "y" * 300})
            journal.save_draft(e)
            print("step", e.id, step, flush=True)
        journal.save_draft(msgspec.structs.replace(e, status="done"))
        print("done", e.id, flush=True)
"""


def _saved(said: list[str]) -> dict[str, tuple[str, int]]:
    """What the writer said it saved: id -> (what, steps)."""
    saved: dict[str, tuple[str, int]] = {}
    for line in said:
        words = line.split()
        if len(words) >= 2 and words[0] in ("added", "done"):
            saved[words[1]] = (words[0], saved.get(words[1], ("", 3))[1])
        elif len(words) == 3 and words[0] == "step":
            saved[words[1]] = ("step", int(words[2]))
    return saved


def test_kill_9_during_saves_loses_nothing_written_before_and_leaves_a_journal_that_loads(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    said: list[str] = []
    for round_ in range(24):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"r{round_}", "-1"], stdout=subprocess.PIPE,
                                text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline() == "ready\n"
        time.sleep(0.02 + (round_ % 6) * 0.025)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        said += proc.stdout.read().splitlines()  # what it said before it was killed: saved, and fsynced
        proc.stdout.close()
        journal = JournalStore(path)
        loaded = journal.load().entries  # never refused, never damaged
        assert all("cut off by a save that did not finish" in n for n in journal.notices), journal.notices
        for entry_id, (what, steps) in _saved(said).items():
            assert entry_id in loaded, (entry_id, what)
            if what == "step":
                assert len(loaded[entry_id].answers) >= steps
            elif what == "done":
                assert loaded[entry_id].status == "done"
    assert len(_saved(said)) > 24
    final = JournalStore(path)
    final.add(entry("after-the-crashes"))  # the next write tidies up after the killed writers
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    raw = path.read_bytes()
    assert raw.startswith(HEADER) and raw.endswith(b"\n")
    assert store_module.parse(raw, path).bad == ()


def test_two_terminals_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "profile" / "journal.jsonl"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"t{n}", "60"], stdout=subprocess.PIPE, text=True)
             for n in range(4)]
    said = []
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0
        said += out.splitlines()
    journal = JournalStore(path)
    loaded = journal.load().entries
    assert journal.notices == []
    assert sorted(loaded) == sorted(f"t{n}-{i}" for n in range(4) for i in range(1, 61))
    assert all(e.status == "done" for e in loaded.values())
    assert all(len(loaded[f"t{n}-{i}"].answers) == 3 for n in range(4) for i in range(3, 61, 3))  # every step kept
    assert store_module.parse(path.read_bytes(), path).bad == ()
    assert not [p for p in os.listdir(path.parent) if p.endswith(".tmp")]


# -- lines that cannot be read -------------------------------------------------------------------

def test_a_torn_last_line_is_set_aside_with_a_message(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    journal.add(entry("first"))
    with open(journal.path, "ab") as fh:
        fh.write(b'{"id":"second","worksheet":"thought-re')  # a save cut off
    fresh = JournalStore(journal.path)
    assert list(fresh.load().entries) == ["first"]
    aside = tmp_path / "journal.jsonl.damaged-1"
    assert fresh.notices == [
        f"The last line of your journal {journal.path} was cut off by a save that did not finish (38 bytes). It was "
        f"moved to {aside}, so nothing in it is lost; every other entry is kept."]
    assert aside.read_bytes() == b'{"id":"second","worksheet":"thought-re\n'
    assert journal.path.read_bytes() == HEADER + encode_entry(entry("first"))
    assert JournalStore(journal.path).load().entries and fresh.notices[1:] == []
    with open(journal.path, "ab") as fh:  # cut off again: the next save sets it aside before appending
        fh.write(b'{"id":"third"')
    journal.add(entry("fourth"))
    assert (tmp_path / "journal.jsonl.damaged-2").read_bytes() == b'{"id":"third"\n'
    assert journal.path.read_bytes() == HEADER + encode_entry(entry("first")) + encode_entry(entry("fourth"))
    assert "journal.jsonl.damaged-2, so nothing in it is lost" in journal.notices[-1]


def test_damaged_and_forged_lines_are_set_aside_never_lost(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    forged_status = encode_entry(entry("forged")).replace(b'"status":"done"', b'"status":"finished"')
    forged_field = encode_entry(entry("extra"))[:-2] + b',"shared_with":"everyone"}\n'
    bad = [b"not json at all\n", forged_status, forged_field]
    path.write_bytes(HEADER + encode_entry(entry("good-1")) + b"".join(bad) + encode_entry(entry("good-2")) + b"\n")
    journal = JournalStore(path)
    assert list(journal.load().entries) == ["good-1", "good-2"]
    aside = tmp_path / "journal.jsonl.damaged-1"
    assert journal.notices == [
        f"Lines 3, 4 and 5 of your journal {path} could not be read (the first: it is not a valid journal "
        f"entry (JSON is malformed: invalid character (byte 4))). They were moved to {aside}, so nothing in them is "
        "lost; every other entry is kept."]
    assert aside.read_bytes() == b"".join(bad)
    assert path.read_bytes() == HEADER + encode_entry(entry("good-1")) + encode_entry(entry("good-2"))
    again = JournalStore(path)
    assert list(again.load().entries) == ["good-1", "good-2"] and again.notices == []


def test_a_damaged_line_is_reported_by_the_list_command_and_the_rest_listed(capsys, neurotutor_home: Path,
                                                                            utc: None) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    journal = journal_at(neurotutor_home)
    journal.add(entry("aaaaaa1"))
    with open(journal.path, "ab") as fh:
        fh.write(b'{"id": [1, 2]}\n')
    code, out, err = cli(capsys, "journal")  # TZ is UTC here (the fixture)
    aside = journal.path.with_name("journal.jsonl.damaged-1")
    assert (code, err) == (0, f"Line 3 of your journal {journal.path} could not be read (it is not a valid journal "
                              f"entry (Expected `str`, got `array` - at `$.id`)). It was moved to {aside}, so nothing "
                              "in it is lost; every other entry is kept.\n")
    assert out.splitlines()[:2] == ["date              worksheet       status  id",
                                    "2026-11-20 09:00  Thought record  done    aaaaaa"]


def test_a_missing_format_line_is_written_again(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(encode_entry(entry("headless")))
    journal = JournalStore(path)
    assert list(journal.load().entries) == ["headless"]
    assert journal.notices == [f"The first line of your journal {path} (the line that names its format) was missing "
                               "or damaged; it was written again. Every entry is kept."]
    assert path.read_bytes() == HEADER + encode_entry(entry("headless"))


def test_where_the_journal_cannot_be_changed_a_bad_line_is_skipped_and_nothing_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "journal.jsonl"
    raw = HEADER + encode_entry(entry("kept")) + b"garbage\n"
    path.write_bytes(raw)

    def read_only(*args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(files, "atomic_write", read_only)
    journal = JournalStore(path)
    assert list(journal.load().entries) == ["kept"]
    assert journal.notices == [
        f"Line 3 of your journal {path} could not be read (it is not a valid journal entry (JSON is malformed: "
        "invalid character (byte 0))), so it was skipped. It will be moved aside, never deleted, once the journal's "
        "folder can be changed (now: the folder cannot be written to (Read-only file system)). Nothing was changed."]
    assert path.read_bytes() == raw and not list(tmp_path.glob("*.damaged-*"))


def test_a_busy_lock_is_waited_for_only_so_long(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    raw = HEADER + encode_entry(entry("kept")) + b"garbage\n"
    path.write_bytes(raw)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys, time\n"
        f"fd = open({str(paths.lock_file(path))!r}, 'a')\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        journal = JournalStore(path, lock_timeout=0.2)
        assert list(journal.load().entries) == ["kept"]  # read without the lock, the bad line skipped
        assert journal.notices[0].endswith("(now: another neurotutor is using it). Nothing was changed.")
        with pytest.raises(ProgressError) as busy:
            journal.add(entry("new"))
        assert busy.value.message == (f"Another neurotutor kept your journal {path} busy for over 0 seconds (is one "
                                      "waiting in another window?). Nothing was changed.")
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert path.read_bytes() == raw


def test_a_save_cut_short_by_a_full_disk_leaves_no_torn_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    journal.add(entry("before"))
    before = journal.path.read_bytes()

    def half_then_full(path: Path, data: bytes) -> None:
        with open(path, "ab") as fh:
            fh.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "append_durably", half_then_full)
    with pytest.raises(ProgressError) as full:
        journal.save_draft(entry("after", status="draft"))
    assert full.value.message == (
        f"Could not save your journal {journal.path}: the disk is full (No space left on device). What was saved "
        "before is unchanged. Free some space on that disk (empty the trash, or move large files elsewhere), then "
        "run the command again; every answer saved so far is kept.")
    assert journal.path.read_bytes() == before


def test_temp_files_a_killed_writer_left_are_removed_at_the_next_write(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    journal.add(entry("one"))
    (tmp_path / ".journal.jsonl.deadbeef.tmp").write_bytes(HEADER + encode_entry(entry("one", "an old version")))
    (tmp_path / ".other.tmp").write_bytes(b"not ours")
    journal.add(entry("two"))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == [".other.tmp"]


# -- files: modes, links, pipes, a newer format --------------------------------------------------

def test_the_journal_and_everything_beside_it_are_private_whatever_the_umask(tmp_path: Path) -> None:
    for mask in (0o022, 0o002, 0o000):
        old = os.umask(mask)
        try:
            home = tmp_path / f"home-{mask:o}"
            journal = JournalStore(paths.journal_file(home / "profiles" / "sam" / "progress.json"))
            journal.save_draft(entry("one", status="draft"))
            journal.save_draft(entry("one"))  # finished: written again
            with open(journal.path, "ab") as fh:
                fh.write(b"cut")
            journal.add(entry("two"))  # the cut line set aside into a file of its own
        finally:
            os.umask(old)
        assert (home / "profiles" / "sam" / "journal.jsonl.damaged-1").exists()
        for path in [home, *home.rglob("*")]:
            want = 0o700 if path.is_dir() else 0o600
            assert stat.S_IMODE(path.stat().st_mode) == want, (path, oct(path.stat().st_mode))


def test_a_link_planted_in_place_of_the_journal_is_never_followed(capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes(HEADER + encode_entry(entry("theirs", "planted text")))
    journal = journal_at(neurotutor_home)
    journal.path.symlink_to(elsewhere)
    message = (f"Cannot open your journal: {journal.path} is a symbolic link, and neurotutor does not follow links "
               "among its own files. Remove the link, or put the file itself in its place. Nothing was changed.")
    for action in (journal.load, journal.listing, lambda: journal.add(entry("mine")),
                   lambda: journal.save_draft(entry("mine")), lambda: journal.delete("theirs"),
                   lambda: journal.replace(entry("theirs", "changed"))):
        with pytest.raises(ProgressError) as refused:
            action()
        assert refused.value.message == message
    for words in (["journal"], ["journal", "show", "theirs"], ["journal", "delete", "theirs", "--yes"],
                  ["journal", "export", "-o", str(tmp_path / "out.md")]):
        assert cli(capsys, *words) == (3, "", message + "\n")
    assert elsewhere.read_bytes() == HEADER + encode_entry(entry("theirs", "planted text"))
    assert journal.path.is_symlink() and not (tmp_path / "out.md").exists()
    journal.path.unlink()
    journal.path.symlink_to(tmp_path / "not-there.jsonl")  # a dangling link: nothing is made at its end
    with pytest.raises(ProgressError):
        journal.add(entry("mine"))
    assert not (tmp_path / "not-there.jsonl").exists()


def test_a_named_pipe_in_place_of_the_journal_is_never_waited_on(capsys, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    path = journal_at(neurotutor_home).path
    os.mkfifo(path)
    assert cli(capsys, "journal") == (3, "", f"Cannot read your journal {path}: it is a named pipe, not a file.\n")
    assert cli(capsys, "journal", "export") == (3, "", f"Cannot read your journal {path}: it is a named pipe, not a file.\n")


def test_a_newer_format_is_refused_by_every_command_and_left_as_it_is(capsys, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    path = journal_at(neurotutor_home).path
    newer = b'{"format": "neurotutor-journal", "version": 3}\n{"id": "x", "sealed": "..."}\n'
    path.write_bytes(newer)
    message = (f"Your journal {path} was written by a newer neurotutor (journal format 3); this version reads format 1. "
               "Please upgrade neurotutor. The file has not been changed.\n")
    for words in (["journal"], ["journal", "list", "--all"], ["journal", "show", "x"], ["journal", "edit", "x"],
                  ["journal", "delete", "x", "--yes"], ["journal", "search", "x"], ["journal", "export"]):
        assert cli(capsys, *words) == (3, "", message), words
    assert path.read_bytes() == newer


# -- edits and deletions leave nothing behind -----------------------------------------------------

def test_an_edit_leaves_no_earlier_version_in_the_file(capsys, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    journal = journal_at(neurotutor_home)
    journal.add(entry("other-one", "someone else's day"))
    draft = entry("edited-one", "EARLY DRAFT ONE", status="draft")
    journal.save_draft(draft)
    journal.save_draft(msgspec.structs.replace(draft, answers={"situation": "EARLY DRAFT TWO"}))
    journal.save_draft(msgspec.structs.replace(draft, status="done", answers={"situation": "FINISHED TEXT"}))
    raw = journal.path.read_bytes()
    assert b"EARLY DRAFT" not in raw and b"FINISHED TEXT" in raw  # finishing tidied the drafts away
    code, out, err = cli(capsys, "journal", "edit", "edited", stdin="THE NEW TEXT\n")
    assert (code, err) == (0, "") and out.endswith("it is not kept in your journal.\n")
    assert b"FINISHED TEXT" not in everything_in(neurotutor_home) and b"EARLY DRAFT" not in everything_in(neurotutor_home)
    assert JournalStore(journal.path).load().entries["edited-one"].answers == {"situation": "THE NEW TEXT"}
    assert b"someone else's day" in journal.path.read_bytes()


def test_a_deletion_leaves_no_trace_of_the_entry_in_the_file(capsys, neurotutor_home: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    journal = journal_at(neurotutor_home)
    journal.add(entry("keep-this", "an ordinary day"))
    doomed = entry("doomed-entry", "SECRET WORDS", status="draft", feelings=[Feeling(name="DREAD", intensity=90)])
    journal.save_draft(doomed)
    journal.save_draft(msgspec.structs.replace(doomed, answers={**doomed.answers, "more": "MORE SECRET WORDS"}))
    journal.add(entry("keep-that", "another day"))
    code, out, err = cli(capsys, "journal", "delete", "doomed", "--yes")
    assert (code, err) == (0, "") and "It is gone from your journal file, not hidden" in out
    left = everything_in(neurotutor_home)
    for trace in (b"doomed-entry", b"SECRET WORDS", b"DREAD"):
        assert trace not in left
    assert journal.path.read_bytes() == HEADER + encode_entry(entry("keep-this", "an ordinary day")) + encode_entry(
        entry("keep-that", "another day"))


# -- privacy: journal text reaches nothing else ---------------------------------------------------

MARKER = "ZQX-JOURNAL-MARKER-7731"


def test_journal_text_never_reaches_stats_history_exports_reports_or_the_caseload(
        capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    from neurotutor.progress import model as pm
    from neurotutor.progress.store import ProgressStore
    from neurotutor.quiz.answers import ChoiceAnswer

    seed_profile(neurotutor_home, notice_seen=True)
    plan = tmp_path / "plan"
    plan.mkdir()
    for name in ("good.yaml", "my-own-lesson.yaml"):
        shutil.copy(DATA / "assignments" / name, plan / name)
    assert cli(capsys, "assignment", "add", str(plan / "good.yaml"))[0] == 0
    progress = ProgressStore(neurotutor_home / "progress.json")
    now = datetime.now(timezone.utc) - timedelta(hours=1)
    for question in ("np-slogan-origin", "np-ltp-rabbits"):
        a = pm.new_attempt(lesson="neuroplasticity-types", question=question, mode="lesson", run=1,
                           answer=ChoiceAnswer(frozenset({1})), answer_text="an answer", correct=True, seconds=3.0,
                           now=now, utc_offset=0)
        progress.update(lambda p, a=a: pm.apply_attempt(p, a), (a,))
    journal = journal_at(neurotutor_home)
    journal.add(Entry(id="marked", worksheet="thought-record", title=f"Thought record {MARKER}", status="done",
                      created=now, updated=now, assignment="sam-autumn",
                      answers={"situation": f"at work {MARKER}", "feelings": [Feeling(name=MARKER, intensity=50)]}))
    journal.save_draft(Entry(id="draft-marked", worksheet="thought-record", title="Thought record", status="draft",
                             created=now, updated=now, answers={"situation": f"a draft {MARKER}"}))
    assert MARKER.encode() in journal.path.read_bytes()
    outputs: dict[str, str] = {}
    for name, words in {"stats --json": ["stats", "--json"], "stats": ["stats"], "history": ["history"],
                        "history --json": ["history", "--json"], "progress": ["progress"],
                        "assignments": ["assignments"], "export": ["export", str(tmp_path / "export.json")],
                        "report md": ["report", "--yes", "-o", str(tmp_path / "r.md")],
                        "report json": ["report", "--yes", "--format", "json", "-o", str(tmp_path / "r.json")],
                        "report html": ["report", "--yes", "--format", "html", "-o", str(tmp_path / "r.html")]}.items():
        code, out, err = cli(capsys, *words)
        assert code == 0, (name, err)
        outputs[name] = out + err
    for fmt in ("md", "json", "html"):
        code, out, err = cli(capsys, "caseload", str(tmp_path / "r.json"), "--format", fmt, "-o",
                             str(tmp_path / f"caseload.{fmt}"))
        assert code == 0, err
        outputs[f"caseload {fmt}"] = out + err
    code, out, err = cli(capsys, "--plain", "caseload", str(tmp_path / "r.json"))
    outputs["caseload text"] = out + err
    for name, said in outputs.items():
        assert MARKER not in said, name
    for written in ("export.json", "r.md", "r.json", "r.html", "caseload.md", "caseload.json", "caseload.html"):
        assert MARKER.encode() not in (tmp_path / written).read_bytes(), written
    others = [p for p in neurotutor_home.rglob("*") if p.is_file() and p.name != "journal.jsonl"]
    assert others and all(MARKER.encode() not in p.read_bytes() for p in others)
