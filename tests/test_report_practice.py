"""Practice in reports and the caseload (issue 21): only with the client's consent, and a journal
entry's content only when that entry is picked; no other journal text reaches any format."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone
from pathlib import Path

import pytest

from neurotutor import paths
from neurotutor.checkins import store as checkins
from neurotutor.checkins.model import new_checkin
from neurotutor.journal.model import Entry, Feeling
from neurotutor.journal.store import JournalStore

from flows import seed_profile

PLAN = """kind: assignment
format: 1
id: practice-plan
title: Between sessions
therapist:
  name: Dr A
client: S.K.
lessons:
  - lesson: cbt
    due: 2026-12-20
goals:
  practice:
    - worksheet: thought-record
      times: 2
  checkins:
    - measure: phq8
      day: monday
"""
NOW = datetime(2026, 12, 9, 12, tzinfo=timezone.utc)  # a Wednesday


@pytest.fixture
def client(run_cli, neurotutor_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: datetime(2026, 12, 1, 9, tzinfo=timezone.utc))
    seed_profile(neurotutor_home, notice_seen=True)
    (tmp_path / "plan.yaml").write_text(PLAN)
    assert run_cli("assignment", "add", str(tmp_path / "plan.yaml")).returncode == 0
    progress = neurotutor_home / "progress.json"
    journal = JournalStore(paths.journal_file(progress))
    journal.add(Entry(id="shared0001", worksheet="thought-record", title="Thought record", status="done", created=NOW,
                      updated=NOW, answers={"situation": "SHARED-MARKER at the meeting",
                                            "feelings": [Feeling(name="dread", intensity=80)]}))
    journal.add(Entry(id="private001", worksheet="thought-record", title="Thought record", status="done", created=NOW,
                      updated=NOW, answers={"situation": "PRIVATE-MARKER never shared"}))
    for day, answers in ((7, (2, 2, 2, 2, 2, 1, 1, 1)), (9, (1, 1, 1, 1, 0, 0, 1, 0))):
        checkins.add(paths.checkins_file(progress), paths.lock_file(progress),
                     new_checkin("phq8", answers, datetime(2026, 12, day, 8, tzinfo=timezone.utc), 0,
                                 random.Random(day)), NOW)
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: NOW)
    return tmp_path


def test_practice_and_entries_reach_a_report_only_when_the_client_chooses(run_cli, client: Path) -> None:
    out = client / "out"
    out.mkdir()
    for fmt in ("json", "md", "html"):
        plain = run_cli("report", "--yes", "--format", fmt, "-o", str(out / f"plain.{fmt}"))
        assert plain.returncode == 0, plain.stderr
        text = (out / f"plain.{fmt}").read_text()
        assert "MARKER" not in text and "Thought record 2 times a week" not in text and "phq8" not in text.lower()
        chosen = run_cli("report", "--yes", "--practice", "--share", "shared", "--format", fmt,
                         "-o", str(out / f"chosen.{fmt}"))
        assert chosen.returncode == 0, chosen.stderr
        text = (out / f"chosen.{fmt}").read_text()
        assert "SHARED-MARKER at the meeting" in text and "PRIVATE-MARKER" not in text  # only the entry picked
    doc = json.loads((out / "chosen.json").read_text())
    assert doc["choices"]["practice"] is True and doc["choices"]["entries_shared"] == 1
    assert doc["practice"]["goals"] == [
        {"what": "thought-record", "words": "Thought record 2 times a week", "set": 4, "done": 2,
         "days": ["2026-12-09", "2026-12-09"]},
        {"what": "phq8", "words": "PHQ-8 each Monday", "set": 1, "done": 1, "days": ["2026-12-07", "2026-12-09"]}]
    assert doc["practice"]["checkins"] == [{"measure": "phq8", "on": "2026-12-07", "total": 13, "band": "moderate"},
                                           {"measure": "phq8", "on": "2026-12-09", "total": 5, "band": "mild"}]
    assert doc["practice"]["entries"] == [{"title": "Thought record", "on": "2026-12-09", "answers": [
        {"step": "What happened? Where were you, and when?", "answer": "SHARED-MARKER at the meeting"},
        {"step": "What did you feel?", "answer": "dread 80"}]}]
    assert "practice" not in json.loads((out / "plain.json").read_text())
    md = (out / "chosen.md").read_text()
    assert "- PHQ-8 check-ins: 07 Dec: 13 (moderate); 09 Dec: 5 (mild)\n" in md
    case = run_cli("caseload", "--format", "json", str(out / "chosen.json"))
    assert case.returncode == 0, case.stderr
    row = json.loads(case.stdout)["rows"][0]
    assert row["homework"] == [{"goal": "Thought record 2 times a week", "done": 2, "set": 4},
                               {"goal": "PHQ-8 each Monday", "done": 1, "set": 1}]
    assert row["checkins"] == [{"measure": "phq8", "first": 13, "latest": 5, "band": "mild", "count": 2}]
    text = run_cli("--plain", "caseload", str(out / "chosen.json"))
    assert "  - practice: Thought record 2 times a week: 2 of 4 done\n" in text.stdout
    assert "  - check-ins: PHQ-8 each Monday: 1 of 1 done\n" in text.stdout
    assert "  - PHQ-8: 13 to 5 (mild), 2 check-ins; a reliable fall\n" in text.stdout
    assert "MARKER" not in text.stdout + case.stdout  # the caseload shows no entry's words
    for fmt in ("md", "html"):  # the printable caseload shows them too
        page = run_cli("caseload", "--format", fmt, "-o", "-", str(out / "chosen.json"))
        assert "Thought record 2 times a week: 2 of 4 done; PHQ-8 each Monday: 1 of 1 done; PHQ-8: 13 to 5 (mild), " \
               "2 check-ins" in page.stdout, page.stdout
        assert "MARKER" not in page.stdout
    left_out = run_cli("--plain", "caseload", str(out / "plain.json"))  # the client left their practice out
    assert "  - practice and check-ins: not included by the client\n" in left_out.stdout


def test_sharing_an_entry_that_is_not_there_is_a_clear_error(run_cli, client: Path) -> None:
    done = run_cli("report", "--yes", "--share", "zzzz", "-o", str(client / "r.json"))
    assert done.returncode == 2 and not (client / "r.json").exists()
    assert "zzzz" in done.stderr


def test_only_what_was_finished_since_the_assignment_was_added_counts_towards_it(run_cli, client: Path,
                                                                                 neurotutor_home: Path) -> None:
    journal = JournalStore(paths.journal_file(neurotutor_home / "progress.json"))
    for entry_id, when in (("before0001", datetime(2026, 11, 30, 23, tzinfo=timezone.utc)),  # the day before
                           ("sameday001", datetime(2026, 12, 1, 2, tzinfo=timezone.utc))):  # earlier that day
        journal.add(Entry(id=entry_id, worksheet="thought-record", title="Thought record", status="done",
                          created=when, updated=when, answers={"situation": "at home"}))
    journal.add(Entry(id="othersheet", worksheet="activity-plan", title="Activity plan", status="done", created=NOW,
                      updated=NOW, answers={"activity": "a walk"}))
    done = run_cli("report", "--yes", "--practice", "--format", "json", "-o", str(client / "r.json"))
    assert done.returncode == 0, done.stderr
    goal = json.loads((client / "r.json").read_text())["practice"]["goals"][0]
    assert (goal["done"], goal["days"]) == (3, ["2026-12-01", "2026-12-09", "2026-12-09"])


def test_an_entry_edited_later_still_counts_on_the_day_it_was_finished(run_cli, client: Path,
                                                                       neurotutor_home: Path) -> None:
    import msgspec

    journal = JournalStore(paths.journal_file(neurotutor_home / "progress.json"))
    finished = datetime(2026, 12, 2, 18, tzinfo=timezone.utc)
    journal.add(Entry(id="early00001", worksheet="thought-record", title="Thought record", status="done",
                      created=finished, updated=finished, finished=finished, answers={"situation": "EARLY"}))
    entry = journal.load().entries["early00001"]
    journal.replace(msgspec.structs.replace(entry, answers={"situation": "EARLY, edited"}, updated=NOW))  # a week on
    done = run_cli("report", "--yes", "--practice", "--share", "early0", "--format", "json", "-o", str(client / "r.json"))
    assert done.returncode == 0, done.stderr
    doc = json.loads((client / "r.json").read_text())["practice"]
    assert doc["goals"][0]["days"] == ["2026-12-02", "2026-12-09", "2026-12-09"]  # not moved to the edit's day
    assert [(e["on"], e["answers"][0]["answer"]) for e in doc["entries"]] == [("2026-12-02", "EARLY, edited")]


def test_a_draft_is_not_shared(run_cli, client: Path, neurotutor_home: Path) -> None:
    journal = JournalStore(paths.journal_file(neurotutor_home / "progress.json"))
    journal.add(Entry(id="draft00001", worksheet="thought-record", title="Thought record", status="draft", created=NOW,
                      updated=NOW, answers={"situation": "UNFINISHED"}))
    done = run_cli("report", "--yes", "--share", "draft0", "-o", str(client / "r.json"))
    assert done.returncode == 2 and not (client / "r.json").exists()
    assert ("The journal entry draft00001 (Thought record) is a draft, not finished, so it is not shared. Finish it "
            "first with: neurotutor practice --resume draft00001") in " ".join(done.stderr.split())


def test_a_trend_says_whether_it_passes_the_reliable_change_index() -> None:
    from neurotutor.reports.render import trend_words

    assert trend_words(13, 5, "mild", 2, "phq8") == "13 to 5 (mild), 2 check-ins; a reliable fall"
    assert trend_words(13, 10, "moderate", 3, "phq8") == "13 to 10 (moderate), 3 check-ins; within measurement error"
    assert trend_words(3, 11, "moderate", 2, "gad7") == "3 to 11 (moderate), 2 check-ins; a reliable rise"
    assert trend_words(7, 7, "mild", 2, "gad7") == "7 to 7 (mild), 2 check-ins"
    assert trend_words(9, 9, "mild", 1, "gad7") == "9 (mild), 1 check-in"
