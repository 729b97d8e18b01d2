"""A passphrase for the journal (issue 21): every answer sealed with age, so an entry cannot be read
without the passphrase, and Debian's `age` opens both the key (with the passphrase) and an entry
(with that key). Saving, listing and counting practice never ask for it; reading does.

Opening the key runs age's scrypt on purpose (about a second), so these tests open it as few times
as they can: most lock a journal with a key made once for the module."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from neurotutor import paths
from neurotutor.journal import lock
from neurotutor.journal.model import Entry, Feeling
from neurotutor.journal.store import JournalStore

from flows import seed_profile

PASSPHRASE = "correct horse battery"
NOW = datetime(2026, 12, 7, 9, tzinfo=timezone.utc)
AGE = shutil.which("age")


@pytest.fixture(scope="module")
def made_key() -> tuple[lock.JournalKey, bytes]:
    return lock.new_key(PASSPHRASE)


def _entries() -> list[Entry]:
    return [Entry(id="aaaa111111", worksheet="thought-record", title="Thought record", status="done", created=NOW,
                  updated=NOW, answers={"situation": "SECRET-WORDS at work",
                                        "feelings": [Feeling(name="sad", intensity=70)], "belief": 80}),
            Entry(id="bbbb222222", worksheet="thought-record", title="Thought record", status="draft", created=NOW,
                  updated=NOW, answers={"situation": "DRAFT-WORDS on the bus"})]


def _journal(home: Path) -> JournalStore:
    seed_profile(home, notice_seen=True)
    store = JournalStore(paths.journal_file(home / "progress.json"))
    for entry in _entries():
        store.add(entry)
    return store


def _locked(home: Path, made_key: tuple[lock.JournalKey, bytes]) -> JournalStore:
    store = _journal(home)
    key, raw = made_key
    assert store.lock(key, raw) == 2
    assert store.key_path == paths.journal_key_file(home / "progress.json") and store.key_path.read_bytes() == raw
    return store


def test_a_locked_journal_holds_no_answer_in_words_and_debians_age_opens_it(run_cli, neurotutor_home: Path,
                                                                           tmp_path: Path) -> None:
    store = _journal(neurotutor_home)
    done = run_cli("journal", "lock", input=f"short\n{PASSPHRASE}\n{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    assert "Use at least 8 characters" in done.stderr  # the short one was refused, and asked again
    assert "If you forget it, nobody can open the answers" in done.stderr
    assert "Your journal is locked: the answers of its 2 entries can be read only with your passphrase." in done.stdout
    assert PASSPHRASE not in done.stdout + done.stderr  # never echoed
    raw = store.path.read_bytes()
    assert b"SECRET-WORDS" not in raw and b"DRAFT-WORDS" not in raw and b"sad" not in raw
    header, first, _ = raw.splitlines()
    public = json.loads(header)["sealed_to"]
    assert public.startswith("age1") and json.loads(first)["answers" if False else "sealed"]
    assert "answers" not in json.loads(first)
    key_file = paths.journal_key_file(neurotutor_home / "progress.json")
    assert oct(key_file.stat().st_mode & 0o777) == "0o600" and key_file.read_bytes().startswith(b"age-encryption.org/v1\n")

    # the list, and what counts practice, need no passphrase
    listed = run_cli("journal", "list")
    assert listed.returncode == 0 and "aaaa11" in listed.stdout and "draft" in listed.stdout
    # a new entry is sealed as it is saved, with no passphrase asked
    store.save_draft(Entry(id="cccc333333", worksheet="activity-plan", title="Activity plan", created=NOW,
                           updated=NOW, answers={"activity": "NEW-WORDS a walk"}))
    assert b"NEW-WORDS" not in store.path.read_bytes()

    if AGE is not None:  # Debian's age: the passphrase opens the key, the key opens an entry
        pexpect = pytest.importorskip("pexpect")
        child = pexpect.spawn(AGE, ["-d", "-o", str(tmp_path / "key.txt"), str(key_file)], timeout=60)
        child.expect("passphrase")
        child.sendline(PASSPHRASE)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
        (tmp_path / "entry.age").write_bytes(base64.b64decode(json.loads(first)["sealed"]))
        opened = subprocess.run([AGE, "-d", "-i", str(tmp_path / "key.txt"), str(tmp_path / "entry.age")],
                                capture_output=True, check=True)
        assert json.loads(opened.stdout) == {"situation": "SECRET-WORDS at work",
                                             "feelings": [{"name": "sad", "intensity": 70}], "belief": 80}
    else:
        assert not sys.platform.startswith("linux") or shutil.which("apt-get") is None, "install Debian's age"

    # reading asks for the passphrase once, and shows the words
    shown = run_cli("journal", "show", "aaaa", input=f"{PASSPHRASE}\n")
    assert shown.returncode == 0, shown.stderr
    assert "SECRET-WORDS at work" in shown.stdout and "sad 70" in shown.stdout
    assert PASSPHRASE not in shown.stdout

    # unlocked again: the words are back in the file, and the key is gone
    undone = run_cli("journal", "unlock", input=f"{PASSPHRASE}\n")
    assert undone.returncode == 0, undone.stderr
    assert "Your journal is unlocked: the answers of its 3 entries are plain text again" in undone.stdout
    assert b"SECRET-WORDS at work" in store.path.read_bytes() and b"NEW-WORDS" in store.path.read_bytes()
    assert b"sealed" not in store.path.read_bytes() and not key_file.exists()
    assert run_cli("journal", "unlock").stdout == "Your journal is not locked, so there is nothing to unlock.\n"


def test_without_the_passphrase_the_answers_stay_shut_and_nothing_changes(run_cli, neurotutor_home: Path,
                                                                           made_key) -> None:
    store = _locked(neurotutor_home, made_key)
    before = store.path.read_bytes()
    wrong = run_cli("journal", "show", "aaaa", input="not the passphrase\n")
    assert wrong.returncode == 2
    assert "That passphrase does not open your journal. Try again (2 more tries)." in wrong.stderr
    assert "Your journal is locked: give its passphrase to read the answers in it (nothing was changed)." in wrong.stderr
    assert "SECRET-WORDS" not in wrong.stdout + wrong.stderr
    for command in (["journal", "search", "work"], ["journal", "export"], ["journal", "edit", "aaaa"]):
        asked = run_cli(*command)  # no passphrase given: refused in words, nothing shown
        assert asked.returncode == 2 and "give its passphrase" in asked.stderr, command
        assert "SECRET-WORDS" not in asked.stdout
    assert store.path.read_bytes() == before
    # deleting needs no passphrase: the entry is gone from the file, sealed or not
    gone = run_cli("journal", "delete", "bbbb", "--yes")
    assert gone.returncode == 0 and "Deleted Thought record" in gone.stdout
    assert [e.id for e in store.listing()] == ["aaaa111111"]
    assert json.loads(store.path.read_bytes().splitlines()[0])["sealed_to"] == made_key[0].public  # still locked


def test_a_missing_key_file_is_said_plainly(run_cli, neurotutor_home: Path, made_key) -> None:
    _locked(neurotutor_home, made_key)
    key_file = paths.journal_key_file(neurotutor_home / "progress.json")
    key_file.unlink()
    done = run_cli("journal", "show", "aaaa", input=f"{PASSPHRASE}\n")
    assert done.returncode == 2
    assert f"Your journal is locked, but its key file {key_file} is missing" in done.stderr
    assert run_cli("journal", "list").returncode == 0


def test_a_locked_draft_is_finished_after_the_passphrase_and_stays_sealed(run_cli, neurotutor_home: Path,
                                                                          made_key) -> None:
    store = _locked(neurotutor_home, made_key)
    done = run_cli("--plain", "practice", "--resume", "bbbb", input=f"{PASSPHRASE}\nsad 60\nq\n")
    assert done.returncode == 0, done.stderr
    assert "Your journal is locked: its passphrase opens the answers of this draft." in done.stdout
    assert "DRAFT-WORDS on the bus" in done.stdout  # "So far:" shows the opened answers
    raw = store.path.read_bytes()
    assert b"DRAFT-WORDS" not in raw and b"sad" not in raw
    opened = JournalStore(store.path, made_key[0]).load().entries["bbbb222222"]
    assert opened.answers["situation"] == "DRAFT-WORDS on the bus"
    assert opened.answers["feelings"] == [Feeling(name="sad", intensity=60)]


def test_a_locked_entry_is_shared_in_a_report_only_with_the_passphrase(run_cli, neurotutor_home: Path,
                                                                       made_key, tmp_path: Path) -> None:
    _locked(neurotutor_home, made_key)
    data = Path(__file__).resolve().parent / "data"
    assert run_cli("assignment", "add", str(data / "assignments" / "good.yaml")).returncode == 0
    refused = run_cli("report", "--yes", "--share", "aaaa", "-o", str(tmp_path / "no.json"))
    assert refused.returncode == 2 and "give its passphrase" in refused.stderr
    assert not (tmp_path / "no.json").exists()
    shared = run_cli("report", "--yes", "--share", "aaaa", "-o", str(tmp_path / "r.json"), input=f"{PASSPHRASE}\n")
    assert shared.returncode == 0, shared.stderr
    entries = json.loads((tmp_path / "r.json").read_text())["practice"]["entries"]
    assert entries[0]["answers"][0]["answer"] == "SECRET-WORDS at work"


def test_a_journal_locked_with_another_key_is_not_opened_by_this_one(neurotutor_home: Path, made_key) -> None:
    from neurotutor.errors import UsageError

    store = _locked(neurotutor_home, made_key)
    other = lock.JournalKey(*(lambda i: (i, str(i.to_public())))(__import__("pyrage").x25519.Identity.generate()))
    with pytest.raises(UsageError, match="not the one your journal is locked with"):
        store.unlock(other)
    stranger = JournalStore(store.path, other)
    assert stranger.load().entries["aaaa111111"].answers == {}  # kept sealed, with a notice
    assert "could not be opened with its key" in stranger.notices[0]
    with pytest.raises(ValueError, match="both sealed answers and answers"):
        from neurotutor.journal.store import encode_entry

        encode_entry(Entry(id="x", worksheet="w", title="t", created=NOW, updated=NOW, answers={"a": "b"}, sealed="c"))


def test_the_passphrase_is_changed_without_touching_the_entries(run_cli, neurotutor_home: Path, made_key) -> None:
    store = _locked(neurotutor_home, made_key)
    entries = store.path.read_bytes()
    new = "a new pass phrase"
    changed = run_cli("journal", "lock", input=f"{PASSPHRASE}\n{new}\n{new} typo\n{new}\n{new}\n")
    assert changed.returncode == 0, changed.stderr
    assert "The two were not the same. Please type it again." in changed.stderr
    assert changed.stdout.endswith("Your journal's passphrase was changed. The entries were not touched.\n")
    assert store.path.read_bytes() == entries
    assert lock.open_key(store.key_path.read_bytes(), new, "key").public == made_key[0].public
    old = run_cli("journal", "show", "aaaa", input=f"{PASSPHRASE}\n")
    assert old.returncode == 2 and "That passphrase does not open your journal." in old.stderr
