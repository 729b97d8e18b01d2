"""The journal: the store (drafts, newest line wins, edit, delete, search), the Markdown export and
the `neurotutor journal` commands, with exact outputs, exit codes and file contents."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import msgspec
import pytest

from neurotutor import paths
from neurotutor.errors import ProgressError, UsageError
from neurotutor.journal import export, store
from neurotutor.journal.model import Entry, Feeling
from neurotutor.journal.store import HEADER, Journal, JournalStore, encode_entry, find_id, short_ids

UTC = {"TZ": "UTC"}  # local times are then exact
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def thought_record(entry_id: str = "k3q7zabmde", at: datetime = T0, status: str = "done", **answers: object) -> Entry:
    return Entry(id=entry_id, worksheet="thought-record", title="Thought record", status=status,  # type: ignore[arg-type]
                 created=at, updated=at, answers=answers or {  # type: ignore[arg-type]
                     "situation": "My friend did not answer my message all day.",
                     "feelings": [Feeling(name="sad", intensity=70), Feeling(name="anxious", intensity=40)],
                     "automatic_thought": "Nobody wants to be around me.", "belief": 80})


def experiment(entry_id: str = "7mnp2qrstu", at: datetime = T0 + timedelta(days=1, hours=3)) -> Entry:
    return Entry(id=entry_id, worksheet="behavioural-experiment", title="Behavioural experiment", status="draft",
                 created=at, updated=at, answers={"prediction": "If I speak up in the meeting, people will laugh.",
                                                  "how_sure": 75, "drop_safety_behaviours": True, "plan_time": "10:30"})


def activity(entry_id: str = "aa2bcdefgh", at: datetime = T0 + timedelta(days=2)) -> Entry:
    return Entry(id=entry_id, worksheet="activity-plan", title="Activity plan", status="done", created=at, updated=at,
                 answers={"activity": "Walk to the park", "done": True, "mood": 6})


def journal_path(home: Path) -> Path:
    return paths.journal_file(home / "progress.json")


def filled(home: Path, *entries: Entry) -> JournalStore:
    """The default profile's journal with these entries (first-run notice seen, so no greeting)."""
    from flows import seed_profile

    seed_profile(home, notice_seen=True)
    journal = JournalStore(journal_path(home))
    for entry in entries or (thought_record(), experiment(), activity()):
        journal.add(entry)
    return journal


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


# -- the store ------------------------------------------------------------------------------------

def test_a_new_journal_is_a_format_line_then_one_entry_a_line(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "profile" / "journal.jsonl")
    assert journal.load() == Journal({}) and journal.listing() == []
    first, second = thought_record(), experiment()
    journal.add(first)
    journal.add(second)
    assert lines(journal.path) == [b'{"format": "neurotutor-journal", "version": 1}\n', encode_entry(first),
                                   encode_entry(second)]
    assert json.loads(lines(journal.path)[1]) == {
        "id": "k3q7zabmde", "worksheet": "thought-record", "title": "Thought record", "status": "done",
        "created": "2026-11-20T09:00:00Z", "updated": "2026-11-20T09:00:00Z",
        "answers": {"situation": "My friend did not answer my message all day.",
                    "feelings": [{"name": "sad", "intensity": 70}, {"name": "anxious", "intensity": 40}],
                    "automatic_thought": "Nobody wants to be around me.", "belief": 80}}  # no assignment: left out
    assert JournalStore(journal.path).load() == Journal({first.id: first, second.id: second})
    assert [e.id for e in JournalStore(journal.path).listing()] == [first.id, second.id]
    assert journal.notices == []
    with pytest.raises(ValueError, match="already in the journal"):
        journal.add(first)
    assert len(lines(journal.path)) == 3


def test_a_draft_is_saved_at_each_step_and_the_newest_line_wins(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    journal.add(activity())
    steps = [thought_record(status="draft", situation="At work.")]
    steps.append(msgspec.structs.replace(steps[-1], answers={**steps[-1].answers, "belief": 60}))
    for step in steps:
        journal.save_draft(step)
    assert lines(journal.path)[1:] == [encode_entry(activity()), *map(encode_entry, steps)]  # appended, each
    loaded = JournalStore(journal.path).load()
    assert list(loaded.entries) == ["aa2bcdefgh", "k3q7zabmde"] and loaded.entries["k3q7zabmde"] == steps[-1]
    assert [(e.id, e.status) for e in journal.listing()] == [("aa2bcdefgh", "done"), ("k3q7zabmde", "draft")]
    done = msgspec.structs.replace(steps[-1], status="done", updated=T0 + timedelta(minutes=9))
    journal.save_draft(done)  # finished: the journal is written again, one line an entry
    assert lines(journal.path) == [HEADER, encode_entry(activity()), encode_entry(done)]


def test_lines_superseded_by_unfinished_drafts_are_tidied_away(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    draft = thought_record(status="draft", situation="x")
    for n in range(store.MAX_SUPERSEDED + 1):
        journal.save_draft(msgspec.structs.replace(draft, answers={"situation": f"step {n}"}))
    assert len(lines(journal.path)) == 1 + store.MAX_SUPERSEDED + 1
    last = msgspec.structs.replace(draft, answers={"situation": "the last step"})
    journal.save_draft(last)
    assert lines(journal.path) == [HEADER, encode_entry(last)]


def test_an_edit_replaces_the_entry_in_place_and_keeps_no_earlier_version(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    for entry in (thought_record(), experiment(), activity()):
        journal.add(entry)
    edited = msgspec.structs.replace(experiment(), answers={"prediction": "They will listen."},
                                     updated=T0 + timedelta(days=3))
    journal.replace(edited)
    assert lines(journal.path) == [HEADER, encode_entry(thought_record()), encode_entry(edited), encode_entry(activity())]
    assert b"laugh" not in journal.path.read_bytes()
    with pytest.raises(UsageError) as refused:
        journal.replace(thought_record("nothere"))
    assert refused.value.message == ("The entry nothere is no longer in your journal (was it deleted in another "
                                     "window?). Nothing was changed.")


def test_a_deleted_entry_is_gone_from_the_file(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    journal.add(thought_record())
    journal.save_draft(experiment())
    journal.save_draft(msgspec.structs.replace(experiment(), answers={"prediction": "an earlier draft"}))
    journal.add(activity())
    assert journal.delete("7mnp2qrstu") == msgspec.structs.replace(experiment(), answers={"prediction": "an earlier draft"})
    assert lines(journal.path) == [HEADER, encode_entry(thought_record()), encode_entry(activity())]
    with pytest.raises(UsageError, match="no longer in your journal"):
        journal.delete("7mnp2qrstu")


def test_search_looks_through_titles_and_every_answer_ignoring_case(tmp_path: Path) -> None:
    journal = JournalStore(tmp_path / "journal.jsonl")
    for entry in (thought_record(), experiment(), activity()):
        journal.add(entry)
    assert [e.id for e in journal.search("MEETING")] == ["7mnp2qrstu"]
    assert [e.id for e in journal.search("anxious")] == ["k3q7zabmde"]  # a feeling's name
    assert [e.id for e in journal.search("activity plan")] == ["aa2bcdefgh"]  # the title
    assert journal.search("nowhere") == []


def test_an_id_is_found_by_its_first_characters_when_only_one_starts_with_them() -> None:
    ids = ["k3q7zabmde", "k3q7zzzzzz", "aa2bcdefgh"]
    assert find_id(ids, "aa") == "aa2bcdefgh" and find_id(ids, "K3Q7ZA") == "k3q7zabmde"
    with pytest.raises(UsageError) as many:
        find_id(ids, "k3")
    assert many.value.message == "2 entries have an id starting with 'k3' (k3q7za, k3q7zz). Type more of the id."
    with pytest.raises(UsageError) as none:
        find_id(ids, "zz")
    assert none.value.message == "There is no entry 'zz' in your journal. 'neurotutor journal list' shows every entry with its id."
    assert short_ids(ids) == {"aa2bcdefgh": "aa2bcd", "k3q7zabmde": "k3q7za", "k3q7zzzzzz": "k3q7zz"}
    assert short_ids(["abcdefgh1", "abcdefgh2", "x"], ["abcdefgh1"]) == {"abcdefgh1": "abcdefgh1"}


def test_a_journal_of_a_newer_format_is_refused_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    newer = b'{"format": "neurotutor-journal", "version": 2}\n{"anything": "new"}\n'
    path.write_bytes(newer)
    journal = JournalStore(path)
    message = (f"Your journal {path} was written by a newer neurotutor (journal format 2); this version reads "
               "format 1. Please upgrade neurotutor. The file has not been changed.")
    for action in (journal.load, journal.listing, lambda: journal.add(activity()), lambda: journal.save_draft(activity()),
                   lambda: journal.delete("x"), lambda: journal.replace(activity())):
        with pytest.raises(ProgressError) as refused:
            action()
        assert refused.value.message == message
    assert path.read_bytes() == newer


def test_a_file_of_another_kind_is_not_taken_for_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b'{"format": "neurotutor-checkins", "version": 1}\n')
    with pytest.raises(ProgressError) as refused:
        JournalStore(path).add(activity())
    assert refused.value.message == (f"{path} is not a neurotutor journal (its first line says it is "
                                     "'neurotutor-checkins'). It has not been changed; move it elsewhere and "
                                     "neurotutor will start a new journal.")
    assert path.read_bytes() == b'{"format": "neurotutor-checkins", "version": 1}\n'


def test_the_core_loads_no_terminal_library() -> None:
    code = ("import sys, neurotutor.journal.store, neurotutor.journal.export\n"
            "print(sorted(m for m in ('typer', 'rich', 'questionary', 'prompt_toolkit', 'click') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout == "[]\n"


# -- the Markdown export ------------------------------------------------------------------------

@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The computer's time zone set to UTC for one test, and put back afterwards."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_export_is_markdown_with_every_value_escaped(utc: None) -> None:
    odd = Entry(id="zz9", worksheet="worry-log", title="My *worry* log", status="draft", created=T0, updated=T0,
                answers={"worry": "# not a heading\n<script>alert(1)</script> [link](http://x)\n\n- not a list",
                         "feelings": [Feeling(name="*tense*", intensity=55)], "calm": False})
    text = export.to_markdown([activity(), odd], T0 + timedelta(days=3))
    assert text == """# My journal

Exported from neurotutor on 2026-11-23 09:00: 2 entries. This file holds what you wrote in your journal; keep it private, and share it only if you choose to.

## My \\*worry\\* log, 2026-11-20 09:00

Draft (not finished). Id: `zz9`

**Worry**

\\# not a heading

\\<script\\>alert(1)\\</script\\> \\[link\\](http://x)

\\- not a list

**Feelings**

- \\*tense\\*: 55

**Calm**

no

## Activity plan, 2026-11-22 09:00

Done. Id: `aa2bcdefgh`

**Activity**

Walk to the park

**Done**

yes

**Mood**

6
"""


def test_times_are_local_and_the_edges_of_the_calendar_are_shown_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Kolkata")  # UTC+05:30 all year
    time.tzset()
    try:
        assert export.when(T0) == "2026-11-20 14:30"
        assert export.when(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.utc)) == "9999-12-31 23:59"
    finally:
        monkeypatch.undo()
        time.tzset()


# -- the commands -----------------------------------------------------------------------------------

LISTED = """\
date              worksheet               status  id
2026-11-20 09:00  Thought record          done    k3q7za
2026-11-21 12:00  Behavioural experiment  draft   7mnp2q
2026-11-22 09:00  Activity plan           done    aa2bcd
"""


def test_journal_alone_lists_the_entries(run_cli, neurotutor_home: Path) -> None:
    filled(neurotutor_home)
    result = run_cli("journal", env=UTC)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == LISTED + (f"3 entries, kept in {journal_path(neurotutor_home)} (only you can read it).\n"
                                      "To read one:\n  neurotutor journal show ID\n")
    assert run_cli("journal", "list", env=UTC).stdout == result.stdout


def test_journal_list_shows_the_newest_and_says_how_to_see_them_all(run_cli, neurotutor_home: Path) -> None:
    filled(neurotutor_home)
    result = run_cli("journal", "list", "-n", "2", env=UTC)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("date              worksheet               status  id\n"
                             "2026-11-21 12:00  Behavioural experiment  draft   7mnp2q\n"
                             "2026-11-22 09:00  Activity plan           done    aa2bcd\n"
                             "The 2 newest of 3 entries. To list them all:\n  neurotutor journal list --all\n"
                             "To read one:\n  neurotutor journal show ID\n")
    assert run_cli("journal", "list", "--all", "-n", "1", env=UTC).stdout.startswith(LISTED)


def test_an_empty_journal_says_how_to_start_one(run_cli, neurotutor_home: Path) -> None:
    result = run_cli("journal")
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "Your journal is empty.\nFill in a worksheet (it is kept here) with:\n  neurotutor practice\n", "")
    assert not journal_path(neurotutor_home).exists()  # reading writes nothing


def test_journal_show_prints_every_answer(run_cli, neurotutor_home: Path) -> None:
    filled(neurotutor_home)
    result = run_cli("journal", "show", "7mn", env=UTC)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == """
Behavioural experiment, 2026-11-21 12:00.
Draft (not finished). Id: 7mnp2qrstu

Prediction
If I speak up in the meeting, people will laugh.

How sure
75

Drop safety behaviours
yes

Plan time
10:30

To finish it:
  neurotutor practice --resume 7mnp2qrstu
To change it:
  neurotutor journal edit 7mnp2qrstu
"""
    missing = run_cli("journal", "show", "nope")
    assert (missing.returncode, missing.stdout, missing.stderr) == (
        2, "", "There is no entry 'nope' in your journal. 'neurotutor journal list' shows every entry with its id.\n")


def test_journal_search_lists_what_holds_the_words(run_cli, neurotutor_home: Path) -> None:
    filled(neurotutor_home)
    result = run_cli("journal", "search", "PARK", env=UTC)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == ("date              worksheet      status  id\n"
                             "2026-11-22 09:00  Activity plan  done    aa2bcd\n"
                             '1 entry holds "PARK".\nTo read one:\n  neurotutor journal show ID\n')
    nothing = run_cli("journal", "search", "holiday")
    assert (nothing.returncode, nothing.stdout) == (0, 'No entry in your journal holds "holiday".\n')
    empty = run_cli("journal", "search", " ")
    assert (empty.returncode, empty.stderr) == (2, "Give some words to look for, for example: neurotutor journal search work\n")


def test_journal_export_writes_a_private_markdown_file(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    filled(neurotutor_home)
    target = tmp_path / "journal.md"
    result = run_cli("journal", "export", "-o", str(target), env=UTC)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, f"Exported 3 journal entries to {target} (only you can read it).\n", "")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text()
    assert text.startswith("# My journal\n\nExported from neurotutor on ")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Thought record, 2026-11-20 09:00", "## Behavioural experiment, 2026-11-21 12:00",
        "## Activity plan, 2026-11-22 09:00"]
    printed = run_cli("journal", "export", env=UTC)
    assert printed.returncode == 0 and printed.stdout.split("\n", 3)[3] == text.split("\n", 3)[3]  # after the date
    inside = run_cli("journal", "export", "-o", str(neurotutor_home / "j.md"))
    assert inside.returncode == 2 and "inside neurotutor's data folder" in inside.stderr


def test_journal_delete_asks_first_then_removes_the_entry_from_the_file(run_cli, neurotutor_home: Path) -> None:
    journal = filled(neurotutor_home)
    before = journal.path.read_bytes()
    kept = run_cli("journal", "delete", "7mnp", input="n\n", env=UTC)
    assert (kept.returncode, kept.stderr) == (0, "")
    assert kept.stdout == ("Delete Behavioural experiment of 2026-11-21 12:00 (draft, id 7mnp2qrstu) for good? It cannot "
                           "be brought back. [y/N]: n\nNothing was deleted.\n")
    assert journal.path.read_bytes() == before
    ended = run_cli("journal", "delete", "7mnp", input="", env=UTC)
    assert (ended.returncode, ended.stderr.splitlines()[-1]) == (
        2, "Nothing was deleted: no answer was given. To delete without being asked: neurotutor journal delete "
           "7mnp2qrstu --yes")
    gone = run_cli("journal", "delete", "7mnp", input="y\n", env=UTC)
    assert (gone.returncode, gone.stderr) == (0, "")
    assert gone.stdout.splitlines()[1:] == [
        "Deleted Behavioural experiment of 2026-11-21 12:00 (draft, id 7mnp2qrstu). It is gone from your journal "
        "file, not hidden, and cannot be brought back.",
        "Copies made before, such as a journal export or a backup of your computer, are not changed."]
    assert lines(journal.path) == [HEADER, encode_entry(thought_record()), encode_entry(activity())]
    quiet = run_cli("journal", "delete", "aa2", "--yes", env=UTC)
    assert quiet.returncode == 0 and quiet.stdout.startswith("Deleted Activity plan of 2026-11-22 09:00 (done, id aa2bcdefgh).")
    assert lines(journal.path) == [HEADER, encode_entry(thought_record())]


def test_journal_edit_asks_each_answer_again_and_enter_keeps_it(run_cli, neurotutor_home: Path) -> None:
    journal = filled(neurotutor_home)
    typed = ["", "sad 50, hopeful 30", "People are busy; it is not about me.", "35"]
    result = run_cli("journal", "edit", "k3q", input="\n".join(typed) + "\n", env=UTC)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == """
Changing: Thought record, 2026-11-20 09:00.
Each answer is shown as it is now: type a new one, or press Enter to keep it. Nothing is saved until the last one; q or Ctrl-C stops and changes nothing.

1 of 4. Situation
Now: My friend did not answer my message all day.
A new answer (Enter to keep it):{SPACE}

2 of 4. Feelings
Now: sad 70, anxious 40
New feelings, each a name and how strong it is, 0-100 (like: sad 70, tense 40) (Enter to keep it): sad 50, hopeful 30

3 of 4. Automatic thought
Now: Nobody wants to be around me.
A new answer (Enter to keep it): People are busy; it is not about me.

4 of 4. Belief
Now: 80
A new number from 0 to 100 (Enter to keep it): 35
Saved. The earlier version of this entry was replaced: it is not kept in your journal.
""".replace("{SPACE}", " ")
    edited = JournalStore(journal.path).load().entries["k3q7zabmde"]
    assert edited.answers == {"situation": "My friend did not answer my message all day.",
                              "feelings": [Feeling(name="sad", intensity=50), Feeling(name="hopeful", intensity=30)],
                              "automatic_thought": "People are busy; it is not about me.", "belief": 35}
    assert edited.updated > T0 and edited.created == T0
    assert b"Nobody wants to be around me" not in journal.path.read_bytes()


def test_journal_edit_checks_what_is_typed_and_keeps_the_kind_of_each_answer(run_cli, neurotutor_home: Path) -> None:
    journal = filled(neurotutor_home)
    typed = ["", "101", "sure", "90", "", "9:30", "09:45"]  # text kept, a number asked again, yes/no kept, a time
    result = run_cli("journal", "edit", "7mn", input="\n".join(typed) + "\n", env=UTC)
    assert (result.returncode, result.stderr) == (0, "")
    assert "  Type a number from 0 to 100.\n" in result.stdout
    assert "Now: yes\nYes or no?\n  1. yes\n  2. no\nChoose 1-2 (Enter: 1): \nYour answer: yes.\n" in result.stdout
    assert "  Type a time of day as hours and minutes, like 07:30.\n" in result.stdout
    assert JournalStore(journal.path).load().entries["7mnp2qrstu"].answers == {
        "prediction": "If I speak up in the meeting, people will laugh.", "how_sure": 90,
        "drop_safety_behaviours": True, "plan_time": "09:45"}


def test_journal_edit_changing_nothing_or_stopping_writes_nothing(run_cli, neurotutor_home: Path) -> None:
    journal = filled(neurotutor_home)
    before, mtime = journal.path.read_bytes(), journal.path.stat().st_mtime_ns
    same = run_cli("journal", "edit", "aa2", input="\n\n\n", env=UTC)
    assert (same.returncode, same.stdout.splitlines()[-1]) == (0, "Nothing changed: the entry is as it was.")
    stopped = run_cli("journal", "edit", "aa2", input="Run by the river\nq\n", env=UTC)
    assert (stopped.returncode, stopped.stdout.splitlines()[-1]) == (0, "Stopped. Nothing was changed: the entry is as it was.")
    ended = run_cli("journal", "edit", "aa2", input="Run by the river\n", env=UTC)
    assert (ended.returncode, ended.stderr) == (4, "\nInput ended. Nothing was changed: the entry is as it was.\n")
    assert journal.path.read_bytes() == before and journal.path.stat().st_mtime_ns == mtime


def test_journal_help_names_every_command(run_cli) -> None:
    result = run_cli("journal", "--help")
    assert result.returncode == 0
    for command in ("list", "show", "edit", "delete", "search", "export"):
        assert f"  {command} " in result.stdout


def test_the_journal_of_another_profile_is_its_own(run_cli, neurotutor_home: Path) -> None:
    filled(neurotutor_home)
    other = run_cli("--profile", "sam", "journal")
    assert other.stdout.startswith("Your journal is empty.")
    assert paths.journal_file(paths.progress_file("sam")) == neurotutor_home / "profiles" / "sam" / "journal.jsonl"
    assert not (neurotutor_home / "profiles" / "sam" / "journal.jsonl").exists()


def test_a_list_reads_headings_only_even_with_drafts_whose_lines_leave_out_their_status(tmp_path: Path) -> None:
    from neurotutor.journal.store import encode_journal, parse_listed

    draft = msgspec.structs.replace(thought_record(), id="draft00001", status="draft")
    raw = encode_journal([thought_record(), draft])
    assert b'"status"' in raw.splitlines()[1] and b'"status"' not in raw.splitlines()[2]  # a default is left out
    listed = parse_listed(raw, tmp_path / "journal.jsonl")
    assert listed is not None  # the fast path: no entry built, nothing repaired
    assert [(x.id, x.status) for x in listed] == [("k3q7zabmde", "done"), ("draft00001", "draft")]


def test_show_names_each_answer_by_its_steps_label(run_cli, neurotutor_home: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    JournalStore(neurotutor_home / "journal.jsonl").add(Entry(
        id="plan000001", worksheet="activity-plan", title="Activity plan", status="done", created=T0, updated=T0,
        answers={"mood-start": 4, "activity-1": "A walk", "done-1": True}))
    shown = run_cli("--plain", "journal", "show", "plan00", env=UTC)
    assert shown.returncode == 0, shown.stderr
    assert "Mood in the morning\n4\n\nFirst thing\nA walk\n\nDid the first thing\nyes\n" in shown.stdout
    exported = run_cli("journal", "export", env=UTC)
    assert "Did the first thing" in exported.stdout and "Done 1" not in exported.stdout
