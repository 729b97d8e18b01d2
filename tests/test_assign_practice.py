"""Practice between sessions and check-ins in an assignment (issue 21, "Homework in the assignment
loop"), the assignment's side: the loader's checks of `goals.practice` and `goals.checkins` with
their places (an unknown worksheet named with the closest one, a goal set twice, a bundled worksheet
that holds another, `validate` saying them with the other problems); `assign new --practice` and
`--checkin` (each bad form refused with exit 2 and what to write), the file they write; a bundled
worksheet packed, added and kept where the client's `practice` finds it; what `assignment add`
says, and `assignments` with goals partly done on a fixed day. The terminal flow is
tests/test_pty_assign_practice.py."""

from __future__ import annotations

import functools
import io
import random
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from neurotutor import paths
from neurotutor.assignments import authoring as au
from neurotutor.assignments.loader import check_assignment, parse_assignment
from neurotutor.errors import UsageError

from flows import Scripted

TODAY = date(2026, 12, 7)
BASE = ("assign", "new", "--id", "sk-autumn", "--title", "First steps", "--therapist", "Dr A", "--client", "S.K.",
        "--lesson", "cbt:2026-12-14")
HEAD = """kind: assignment
format: 1
id: sk-autumn
title: First steps
therapist:
  name: Dr A
client: S.K.
lessons:
  - lesson: cbt
    due: 2026-12-14
goals:
"""
SLEEP = """kind: worksheet
format: 1
id: sleep-diary
title: Sleep diary
purpose: A few lines about last night's sleep, to look at with your therapist.
safety_note: Stop if it upsets you. For urgent help, press ! at any prompt, or run neurotutor safety.
steps:
  - id: hours
    kind: rating_10
    prompt: How many hours did you sleep?
"""


def _write(folder: Path, goals: str, name: str = "a.yaml") -> Path:
    path = folder / name
    path.write_text(HEAD + goals)
    return path


@functools.cache
def _lessons() -> Any:
    from neurotutor.lessons.catalogue import load_catalogue

    return load_catalogue(paths.builtin_lessons_dir(), [])


def _check(path: Path) -> Any:
    """The assignment checked as the client's tutor checks it, against the built-in lessons."""
    from neurotutor.lessons.catalogue import builtin_lessons

    return check_assignment(path, _lessons().lessons, builtin_lessons(_lessons()))


def _checked(path: Path) -> list[str]:
    return [str(p) for p in _check(path).problems]


def _raised(kind: type[Exception], call: Callable[[], object]) -> str:
    with pytest.raises(kind) as caught:
        call()
    return caught.value.message  # type: ignore[attr-defined,no-any-return]


# -- the loader --------------------------------------------------------------------------------------


def test_a_good_practice_and_checkins_load(tmp_path: Path) -> None:
    (tmp_path / "sleep.yaml").write_text(SLEEP)
    path = _write(tmp_path, "  practice:\n    - worksheet: thought-record\n      times: 2\n      until: 2026-12-14\n"
                            "    - worksheet: breathe\n      times: 1\n      per: day\n"
                            "    - worksheet: sleep-diary\n      times: 1\n      per: day\n      file: sleep.yaml\n"
                            "  checkins:\n    - measure: phq8\n      day: monday\n    - measure: gad7\n")
    checked = _check(path)
    assert checked.problems == [] and checked.loaded is not None
    assert [(w.relative, w.worksheet.id if w.worksheet else None) for w in checked.worksheets] == [
        ("sleep.yaml", "sleep-diary")]
    assert checked.files == [("sleep.yaml", SLEEP.encode())]
    goals = checked.loaded.assignment.goals
    assert [(g.worksheet, g.times, g.per, g.until) for g in goals.practice] == [
        ("thought-record", 2, "week", date(2026, 12, 14)), ("breathe", 1, "day", None), ("sleep-diary", 1, "day", None)]


def test_an_unknown_worksheet_a_goal_twice_and_a_file_for_the_breathing_space_are_named_where_they_are(
        tmp_path: Path) -> None:
    path = _write(tmp_path, "  practice:\n"
                            "    - worksheet: thought-recrd\n      times: 2\n"
                            "    - worksheet: breathe\n      times: 1\n      per: day\n"
                            "    - worksheet: breathe\n      times: 3\n      file: breathe.yaml\n"
                            "  checkins:\n    - measure: phq8\n      day: monday\n"
                            "    - measure: phq8\n      day: friday\n")
    where = str(path)
    assert _checked(path) == [
        f"{where}:13:18: goals.practice[1].worksheet: there is no worksheet 'thought-recrd' (did you mean "
        "'thought-record'?); name a built-in worksheet (see 'neurotutor practice'), breathe for the breathing "
        "space, or bundle its file with `file:`",
        f"{where}:18:18: goals.practice[3].worksheet: 'breathe' is already set (goals.practice[2]); give each "
        "worksheet one goal",
        f"{where}:20:13: goals.practice[3].file: the breathing space (breathe) is built in: it has no file; leave "
        "`file:` out",
        f"{where}:24:16: goals.checkins[2].measure: 'phq8' is already set (goals.checkins[1]); give each measure one "
        "check-in goal",
    ]


def test_an_unknown_worksheet_is_named_beside_the_other_problems(tmp_path: Path) -> None:
    path = _write(tmp_path, "  practice:\n    - worksheet: activty-plan\n      times: 0\n      per: fortnight\n")
    where = str(path)
    assert _checked(path) == [
        f"{where}:13:18: goals.practice[1].worksheet: there is no worksheet 'activty-plan' (did you mean "
        "'activity-plan'?); name a built-in worksheet (see 'neurotutor practice'), breathe for the breathing space, "
        "or bundle its file with `file:`",
        f"{where}:14:14: goals.practice[1].times: must be between 1 and 50, got 0",
        f"{where}:15:12: goals.practice[1].per: must be one of day, week; got 'fortnight'",
    ]


def test_a_bundled_worksheet_is_read_checked_and_must_hold_the_worksheet_named(tmp_path: Path) -> None:
    (tmp_path / "sleep.yaml").write_text(SLEEP)
    (tmp_path / "mine.yaml").write_text(SLEEP.replace("id: sleep-diary", "id: thought-record"))
    (tmp_path / "broken.yaml").write_text(SLEEP.replace("kind: rating_10", "kind: rating_11"))
    path = _write(tmp_path, "  practice:\n"
                            "    - worksheet: sleep-log\n      times: 1\n      file: sleep.yaml\n"
                            "    - worksheet: thought-record\n      times: 1\n      file: mine.yaml\n"
                            "    - worksheet: worry-log\n      times: 1\n      file: missing.yaml\n"
                            "    - worksheet: broken\n      times: 1\n      file: broken.yaml\n"
                            "    - worksheet: outside\n      times: 1\n      file: ../outside.yaml\n"
                            "    - worksheet: notes\n      times: 1\n      file: notes.txt\n")
    where, builtin = str(path), paths.builtin_worksheets_dir() / "01-thought-record.yaml"
    assert _checked(path) == [
        f"{where}:15:13: goals.practice[1].file: sleep.yaml holds the worksheet 'sleep-diary', not 'sleep-log'",
        f"{where}:21:13: goals.practice[3].file: there is no file missing.yaml beside the assignment "
        f"({tmp_path / 'missing.yaml'})",
        f"{where}:27:13: goals.practice[5].file: must be a file beside the assignment (a name like "
        "'my-worksheet.yaml', or a path inside its folder)",
        f"{where}:30:13: goals.practice[6].file: 'notes.txt' is not a worksheet file name: a worksheet file's name "
        "ends in .yaml or .yml",
        f"{tmp_path / 'mine.yaml'}:3:5: id: worksheet id 'thought-record' is already used by {builtin}",
        f"{tmp_path / 'broken.yaml'}:9:11: steps[1].kind: unknown kind 'rating_11' (did you mean 'rating_10'?); use "
        "one of: text, feelings, rating_100, rating_10, choice, yes_no, time",
    ]


def test_validate_shows_a_bad_practice_goal_with_the_other_problems(run_cli, tmp_path: Path) -> None:
    (tmp_path / "sleep.yaml").write_text(SLEEP)
    path = _write(tmp_path, "  practice:\n    - worksheet: thought-recrd\n      times: 2\n"
                            "    - worksheet: sleep-log\n      times: 1\n      file: sleep.yaml\n")
    path.write_text(path.read_text().replace("    due: 2026-12-14", "    due: 14/12/2026"))
    done = run_cli("validate", str(path))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"{path}:10:10: lessons[1].due: 14/12/2026 is not written year-month-day: write it as 2026-12-14\n"
        f"{path}:13:18: goals.practice[1].worksheet: there is no worksheet 'thought-recrd' (did you mean "
        "'thought-record'?); name a built-in worksheet (see 'neurotutor practice'), breathe for the breathing space, "
        "or bundle its file with `file:`\n"
        "2 problems in 1 file.\n")
    path.write_text(path.read_text().replace("14/12/2026", "2026-12-14"))
    done = run_cli("validate", str(path))
    assert (done.returncode, done.stderr) == (2, (
        f"{path}:13:18: goals.practice[1].worksheet: there is no worksheet 'thought-recrd' (did you mean "
        "'thought-record'?); name a built-in worksheet (see 'neurotutor practice'), breathe for the breathing space, "
        "or bundle its file with `file:`\n"
        f"{path}:17:13: goals.practice[2].file: sleep.yaml holds the worksheet 'sleep-diary', not 'sleep-log'\n"
        "2 problems in 1 file.\n"))


def test_a_worksheet_in_a_folder_with_a_built_in_id_is_said_once(run_cli, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(SLEEP.replace("id: sleep-diary", "id: thought-record"))
    _write(tmp_path, "  practice:\n    - worksheet: thought-record\n      times: 1\n      file: mine.yaml\n")
    done = run_cli("validate", str(tmp_path))
    builtin = paths.builtin_worksheets_dir() / "01-thought-record.yaml"
    assert done.stderr == (f"{tmp_path / 'mine.yaml'}:3:5: id: worksheet id 'thought-record' is already used by "
                           f"{builtin}\n1 problem in 1 file.\n")


# -- assign new: the options -------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "said"), [
    (["--practice", "thought-record"], "--practice thought-record: give the worksheet and how many times as "
     "WORKSHEET:TIMES[:week|day][:UNTIL], e.g. thought-record:2:week:2026-12-14 (or breathe:1:day)."),
    (["--practice", "thought-record:two"], "--practice thought-record:two: two is not a number of times: give a "
     "whole number from 1 to 50, e.g. thought-record:2:week."),
    (["--practice", "thought-record:51"], "--practice thought-record:51: 51 is not a number of times: give a whole "
     "number from 1 to 50, e.g. thought-record:2:week."),
    (["--practice", "thought-record:2:month"], "--practice thought-record:2:month: month is not week or day: say how "
     "often as TIMES:week or TIMES:day, e.g. thought-record:2:week or breathe:1:day."),
    (["--practice", "thought-record:2:week:31/02/2026"], "--practice thought-record:2:week:31/02/2026: 31/02/2026 is "
     "not a real date (year-month-day, e.g. 2026-12-01)."),
    (["--practice", "thought-record:2:12/11/2026"], "--practice thought-record:2:12/11/2026: 12/11/2026 could be 12 "
     "November or 11 December: write it as 2026-11-12 or 2026-12-11 (year-month-day)."),
    (["--practice", "thought-record:2:week:2026-12-14:x"], "--practice thought-record:2:week:2026-12-14:x: give the "
     "worksheet and how many times as WORKSHEET:TIMES[:week|day][:UNTIL], e.g. thought-record:2:week:2026-12-14 (or "
     "breathe:1:day)."),
    (["--practice", "Thought_Record:2"], "--practice Thought_Record:2: Thought_Record is not a worksheet id "
     "(lowercase letters, digits and dashes, e.g. thought-record) nor a worksheet file (FILE.yaml)."),
    (["--practice", "thought-recrd:2"], "--practice thought-recrd:2: there is no worksheet 'thought-recrd'. Did you "
     "mean thought-record? Run 'neurotutor practice' to see them, use breathe for the breathing space, or bundle a "
     "worksheet file as FILE.yaml:TIMES."),
    (["--practice", "breathe:1:day", "--practice", "breathe:2"], "--practice breathe:2: breathe is given already "
     "(--practice breathe:1:day); give each worksheet once, with how often."),
    (["--checkin", "phq9"], "--checkin phq9: phq9 is not a check-in: give phq8 or gad7, e.g. phq8:monday."),
    (["--checkin", "phq8:someday"], "--checkin phq8:someday: someday is not a day of the week: give monday to "
     "sunday, e.g. phq8:monday."),
    (["--checkin", "phq8:monday:2026-02-30"], "--checkin phq8:monday:2026-02-30: 2026-02-30 is not a real date "
     "(year-month-day, e.g. 2026-12-01)."),
    (["--checkin", ":monday"], "--checkin :monday: give the measure as MEASURE[:DAY][:UNTIL], e.g. phq8:monday."),
    (["--checkin", "phq8:monday", "--checkin", "PHQ-8:friday"], "--checkin PHQ-8:friday: PHQ-8 is given already "
     "(--checkin phq8:monday); give each measure once."),
])
def test_each_bad_practice_or_checkin_option_is_refused_before_anything_is_written(
        run_cli, tmp_path: Path, given: list[str], said: str) -> None:
    out = tmp_path / "a.yaml"
    done = run_cli(*BASE, "-o", str(out), *given)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", said + "\n")
    assert not out.exists()


def test_a_worksheet_file_given_twice_or_holding_a_built_in_id_is_refused(run_cli, tmp_path: Path) -> None:
    (tmp_path / "sleep.yaml").write_text(SLEEP)
    (tmp_path / "copy.yaml").write_text(SLEEP)
    (tmp_path / "mine.yaml").write_text(SLEEP.replace("id: sleep-diary", "id: thought-record"))
    out = str(tmp_path / "a.yaml")
    sleep, copy, mine = (str(tmp_path / name) for name in ("sleep.yaml", "copy.yaml", "mine.yaml"))
    assert run_cli(*BASE, "-o", out, "--practice", f"{sleep}:1", "--practice", f"{sleep}:2").stderr == (
        f"--practice {sleep}:2: the file {sleep} is given twice (also as --practice {sleep}:1); give each worksheet "
        "once, with how often.\n")
    assert run_cli(*BASE, "-o", out, "--practice", f"{sleep}:1", "--practice", f"{copy}:2").stderr == (
        f"--practice {copy}:2: {copy}, which holds the worksheet sleep-diary, is given already (--practice {sleep}:1); "
        "give each worksheet once, with how often.\n")
    assert run_cli(*BASE, "-o", out, "--practice", f"{mine}:1").stderr == (
        f"--practice {mine}:1: the file holds the worksheet 'thought-record', which is the id of a built-in worksheet; "
        "give your worksheet an id of its own.\n")


def test_the_options_are_read_as_goals() -> None:
    assert au.practice_option("thought-record:2:week:14/12/2026") == au.am.PracticeGoal(
        worksheet="thought-record", times=2, per="week", until=date(2026, 12, 14))
    assert au.practice_option("breathe:1:day") == au.am.PracticeGoal(worksheet="breathe", times=1, per="day")
    assert au.practice_option("thought-record:3:2026-12-14").until == date(2026, 12, 14)  # week, as by default
    assert au.practice_option("sub/sleep.yaml:1:day") == au.am.PracticeGoal(worksheet="", times=1, per="day",
                                                                           file="sub/sleep.yaml")
    assert au.checkin_option("phq8:monday") == au.am.CheckinGoal(measure="phq8", day="monday")
    assert au.checkin_option("GAD-7:Fri:2026-12-14") == au.am.CheckinGoal(measure="gad7", day="friday",
                                                                          until=date(2026, 12, 14))
    assert au.checkin_option("gad7:2026-12-14") == au.am.CheckinGoal(measure="gad7", until=date(2026, 12, 14))
    assert au.checkin_option("phq8") == au.am.CheckinGoal(measure="phq8")
    assert [au.how_often_problem(t) for t in ("2", "2 a week", "1 a day", "3x a day", "2/week", "2 times")] == [None] * 6
    assert [au.how_often_of(t) for t in ("2", "1 a day", "3 per Day")] == [(2, "week"), (1, "day"), (3, "day")]
    assert au.how_often_problem("2 a fortnight") == au.how_often_problem("0") == (
        "Type a number of times from 1 to 50: 2 (a week), or 1 a day.")


def test_assign_new_writes_practice_and_checkins_in_the_documented_order(run_cli, tmp_path: Path) -> None:
    (tmp_path / "sleep.yaml").write_text(SLEEP)
    out = tmp_path / "a.yaml"
    done = run_cli(*BASE, "-o", str(out), "--practice", "thought-record:2:week:14/12/2026", "--practice",
                   "breathe:1:day", "--practice", f"{tmp_path / 'sleep.yaml'}:1:day", "--checkin", "phq8:monday",
                   "--checkin", "gad7:mon:2026-12-21")
    assert done.returncode == 0, done.stderr
    assert out.read_text() == (
        "# A neurotutor assignment (see docs/assignment-format.md). Check it with: neurotutor validate FILE\n"
        "kind: assignment\nformat: 1\nid: sk-autumn\ntitle: \"First steps\"\ntherapist:\n  name: \"Dr A\"\n"
        "# A pseudonym or initials: the tutor never needs a real name.\nclient: \"S.K.\"\n"
        "lessons:\n  - lesson: cbt\n    due: 2026-12-14\n"
        "goals:\n"
        "  # Practice between sessions: a worksheet, or breathe (the breathing space), so many times\n"
        "  # a week or a day, until a date (none: as long as the assignment lasts).\n"
        "  practice:\n"
        "    - worksheet: thought-record\n      times: 2\n      per: week\n      until: 2026-12-14\n"
        "    - worksheet: breathe\n      times: 1\n      per: day\n"
        "    - worksheet: sleep-diary\n      times: 1\n      per: day\n"
        "      # a worksheet file that travels with the assignment, relative to it\n"
        "      file: \"sleep.yaml\"\n"
        "  # Check-ins (phq8: PHQ-8, gad7: GAD-7), once a week, on the day given (none: any day).\n"
        "  checkins:\n"
        "    - measure: phq8\n      day: monday\n"
        "    - measure: gad7\n      day: monday\n      until: 2026-12-21\n")
    assert done.stdout == (f"Wrote {out}.\nGive {out} with {tmp_path / 'sleep.yaml'} to your client (kept together "
                           "as they are here), who adds it with: neurotutor assignment add a.yaml\n"
                           f"Or send one file: neurotutor assign pack {out}\n")


def test_a_goal_set_until_a_day_that_has_passed_is_written_with_a_note(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "a.yaml"
    done = run_cli(*BASE, "-o", str(out), "--practice", "thought-record:2:week:2020-01-06", "--checkin",
                   "gad7::2020-01-06")
    assert done.returncode == 0 and out.exists()
    assert done.stderr.startswith(
        "Note: thought-record is set until 2020-01-06, which has passed: the client will see it as ended.\n"
        "Note: gad7 is set until 2020-01-06, which has passed: the client will see it as ended.\n")


# -- pack, add, and what the client sees -------------------------------------------------------------------


def test_a_bundled_worksheet_is_packed_added_and_listed_by_practice(run_cli, neurotutor_home: Path,
                                                                    tmp_path: Path) -> None:
    therapist = tmp_path / "therapist"
    therapist.mkdir()
    (therapist / "sleep.yaml").write_text(SLEEP)
    out = therapist / "sk.yaml"
    assert run_cli(*BASE, "-o", str(out), "--practice", f"{therapist / 'sleep.yaml'}:1:day", "--practice",
                   "thought-record:2:week:2026-12-14", "--checkin", "phq8:monday").returncode == 0
    packed = run_cli("assign", "pack", str(out))
    assert packed.stdout == (f"Wrote {therapist / 'sk.zip'}: sk.yaml and 1 worksheet file. Your client adds it "
                             "with: neurotutor assignment add sk.zip\n")
    with zipfile.ZipFile(therapist / "sk.zip") as zf:
        assert zf.namelist() == ["sk.yaml", "sleep.yaml"] and zf.read("sleep.yaml") == SLEEP.encode()
    added = run_cli("--plain", "assignment", "add", str(therapist / "sk.zip"))
    assert added.returncode == 0, added.stderr
    kept = neurotutor_home / "lessons" / "sleep-diary.worksheet.yaml"
    assert kept.read_text() == SLEEP and kept.stat().st_mode & 0o777 == 0o600
    assert added.stdout.endswith(
        "Practice: Sleep diary once a day; Thought record 2 times a week until Mon 14 Dec; PHQ-8 each Monday.\n"
        "Sleep diary:\n  neurotutor --plain practice sleep-diary\n"
        "Thought record:\n  neurotutor --plain practice thought-record\n"
        "PHQ-8 check-in:\n  neurotutor --plain checkin phq8\n"
        f"1 worksheet file kept in {neurotutor_home / 'lessons'}.\n"
        "Start with:\n  neurotutor --plain learn cbt\n")
    menu = run_cli("--plain", "practice", input="\n")
    assert ("Which would you like to do?\n  1. Thought record\n  2. Behavioural experiment\n  3. Exposure practice log\n"
            "  4. Activity plan\n  5. Sleep diary\n") in menu.stdout
    again = run_cli("--plain", "assignment", "add", str(therapist / "sk.zip"))  # the same again: an update
    assert again.returncode == 0 and sorted(p.name for p in (neurotutor_home / "lessons").iterdir()) == [
        "sleep-diary.worksheet.yaml"]


def test_a_different_worksheet_with_the_id_of_one_another_assignment_uses_is_refused(
        run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    for name, text in (("one", SLEEP), ("two", SLEEP.replace("title: Sleep diary", "title: Another sleep diary"))):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "sleep.yaml").write_text(text)
        (folder / "a.yaml").write_text((HEAD + "  practice:\n    - worksheet: sleep-diary\n      times: 1\n"
                                        "      file: sleep.yaml\n").replace("id: sk-autumn", f"id: sk-{name}"))
    assert run_cli("assignment", "add", str(tmp_path / "one" / "a.yaml")).returncode == 0
    refused = run_cli("assignment", "add", str(tmp_path / "two" / "a.yaml"))
    kept = neurotutor_home / "lessons" / "sleep-diary.worksheet.yaml"
    assert (refused.returncode, refused.stderr) == (2, (
        f"The worksheet 'sleep-diary' in {tmp_path / 'two' / 'sleep.yaml'} is not the same as the worksheet "
        f"'sleep-diary' that came with the assignment 'sk-one' (First steps), kept in {kept}; ask your therapist to "
        "give their worksheet another id.\nNothing was added.\n"))
    assert kept.read_text() == SLEEP


def test_a_worksheet_with_the_id_of_one_in_another_folder_is_refused(run_cli, tmp_path: Path) -> None:
    own = tmp_path / "own"
    own.mkdir()
    (own / "sleep.yaml").write_text(SLEEP)
    folder = tmp_path / "from-therapist"
    folder.mkdir()
    (folder / "sleep.yaml").write_text(SLEEP)
    _write(folder, "  practice:\n    - worksheet: sleep-diary\n      times: 1\n      file: sleep.yaml\n")
    refused = run_cli("--lessons-dir", str(own), "assignment", "add", str(folder / "a.yaml"))
    assert (refused.returncode, refused.stderr) == (2, (
        f"The worksheet 'sleep-diary' in {folder / 'sleep.yaml'} has the same id as {own / 'sleep.yaml'}; ask your "
        "therapist to give their worksheet another id.\nNothing was added.\n"))


def _at(day: int, hour: int = 19) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=timezone.utc)


def test_assignments_lists_practice_partly_done_on_a_fixed_day(run_cli, neurotutor_home: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from neurotutor.checkins import store as checkins
    from neurotutor.checkins.model import new_checkin
    from neurotutor.journal.model import Entry
    from neurotutor.journal.store import JournalStore

    clock = {"now": _at(1, 9)}  # added on Tuesday 1 December
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: clock["now"])
    env = {"TZ": "UTC"}
    path = _write(tmp_path, "  practice:\n    - worksheet: thought-record\n      times: 2\n      until: 2026-12-14\n"
                            "    - worksheet: breathe\n      times: 1\n      per: day\n"
                            "  checkins:\n    - measure: phq8\n      day: monday\n    - measure: gad7\n")
    assert run_cli("assignment", "add", str(path), env=env).returncode == 0
    progress = paths.progress_file()
    journal = JournalStore(paths.journal_file(progress))
    for n, (worksheet, day, status) in enumerate([("thought-record", 2, "done"), ("thought-record", 3, "done"),
                                                  ("thought-record", 4, "done"), ("thought-record", 9, "done"),
                                                  ("thought-record", 10, "draft"), ("breathe", 9, "done"),
                                                  ("breathe", 10, "done")]):
        journal.add(Entry(id=f"e{n}", worksheet=worksheet, title=worksheet, status=status,  # type: ignore[arg-type]
                          created=_at(day, 8), updated=_at(day)))
    rng = random.Random(1)
    for measure, day in (("phq8", 7), ("gad7", 3)):
        checkin = new_checkin(measure, (1,) * (8 if measure == "phq8" else 7), _at(day), 0, rng)
        checkins.add(paths.checkins_file(progress), paths.lock_file(progress), checkin, _at(day))
    clock["now"] = _at(10, 12)  # Thursday 10 December
    listed = run_cli("--plain", "assignments", env=env)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout == (
        "assignment  lesson  due         status\n"
        "sk-autumn   cbt     2026-12-14  not started\n"
        "assignment  practice                                        this week     so far\n"
        "sk-autumn   Thought record 2 times a week until Mon 14 Dec  1 of 2        3 of 4\n"
        "sk-autumn   Breathing space once a day                      1 of 1 today  2 of 10\n"
        "sk-autumn   PHQ-8 each Monday                               1 of 1        1 of 1\n"
        "sk-autumn   GAD-7 once a week                               0 of 1        1 of 2\n")
    clock["now"] = _at(16, 12)  # after its last day, the thought record is over; no check-in yet this week
    assert run_cli("--plain", "assignments", env=env).stdout.endswith(
        "sk-autumn   Thought record 2 times a week until Mon 14 Dec  ended         3 of 4\n"
        "sk-autumn   Breathing space once a day                      0 of 1 today  2 of 16\n"
        "sk-autumn   PHQ-8 each Monday                               0 of 1        1 of 2\n"
        "sk-autumn   GAD-7 once a week                               0 of 1        1 of 3\n")


def test_a_checkin_whose_first_day_has_not_come_says_from_when(run_cli, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: _at(1, 9))
    path = _write(tmp_path, "  checkins:\n    - measure: phq8\n      day: monday\n")
    assert run_cli("assignment", "add", str(path), env={"TZ": "UTC"}).returncode == 0
    assert run_cli("--plain", "assignments", env={"TZ": "UTC"}).stdout.endswith(
        "assignment  practice           this week       so far\n"
        "sk-autumn   PHQ-8 each Monday  from Mon 7 Dec\n")


# -- the interactive flow, scripted ------------------------------------------------------------------


def _session(prompter: Scripted) -> Any:
    from neurotutor.cli.output import Output
    from neurotutor.cli.session import Session
    from neurotutor.cli.settings import Settings

    out = Output(False, file=io.StringIO(), err_file=io.StringIO(), width=0)
    return Session.made_of(Settings(), out=out, prompter=prompter)


def test_practice_is_asked_for_a_file_of_ones_own_checked_and_one_taken_out(tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _ask_checkins, _ask_practice, _change

    (tmp_path / "sleep.yaml").write_text(SLEEP)
    (tmp_path / "copy.yaml").write_text(SLEEP)
    (tmp_path / "mine.yaml").write_text(SLEEP.replace("id: sleep-diary", "id: thought-record"))
    output = tmp_path / "a.yaml"
    prompter = Scripted("The breathing space", "1 a day", "",
                        "A worksheet file of my own", str(tmp_path / "notes.txt"), str(tmp_path / "mine.yaml"),
                        str(tmp_path / "sleep.yaml"), "2", "14/12/2026",
                        "A worksheet file of my own", str(tmp_path / "copy.yaml"), "",
                        "Take one out", "Breathing space", "No more practice",
                        "Both", "Monday")
    session = _session(prompter)
    draft = au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("cbt:2026-12-21",))
    picked = _ask_practice(session, (), output, TODAY, draft)
    assert picked == (f"{tmp_path / 'sleep.yaml'}:2:week:2026-12-14",)
    assert _ask_checkins(session.prompter) == ("phq8:monday", "gad7:monday")
    assert prompter.refused == [
        "A worksheet file's name ends in .yaml or .yml.",
        "It holds the worksheet 'thought-record', which is the id of a built-in worksheet; give your worksheet an id "
        "of its own.",
        "It holds sleep-diary, which you have chosen already."]
    first = prompter.asked[0]
    assert first[1:] == ("Practice between sessions?", (
        "No practice", "Thought record", "Behavioural experiment", "Exposure practice log", "Activity plan",
        "The breathing space", "A worksheet file of my own (it travels with the assignment)"), {})
    assert ("text", "How many times a week for the breathing space? (e.g. 2, or 1 a day)") in prompter.asked
    assert ("text", "Until when? (year-month-day, e.g. 2026-12-21)") in prompter.asked  # the last lesson's day
    later = [a for a in prompter.asked if a[0] == "choose" and a[1] == "2 set. More practice?"][0]
    assert later[3] == {6: "set already"}  # the breathing space
    assert ("choose", "Which comes out?", ("Breathing space once a day",
                                           f"Sleep diary (from {tmp_path / 'sleep.yaml'}) 2 times a week until Mon "
                                           "14 Dec 2026", "None: keep them all"), {}) in prompter.asked
    draft = au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("cbt:2026-12-21",), practice=picked,
                     checkins=("phq8:monday", "gad7:monday"))
    assert au.summary(draft, output)[-5:-2] == [
        ("Goals", "none"), ("Practice", f"Sleep diary (from {tmp_path / 'sleep.yaml'}) 2 times a week until Mon 14 "
                                        "Dec 2026"), ("Check-ins", "PHQ-8 and GAD-7 each Monday")]
    prompter.replies = ["The goals", "Check-ins", "No check-ins"]
    assert _change(session, draft, output, TODAY).checkins == ()
    assert prompter.asked[-2][1:3] == ("Which goals?", ("Review and exam goals", "Practice between sessions",
                                                        "Check-ins", "Nothing: back to the assignment"))


def test_a_draft_with_practice_is_written_and_read_back(tmp_path: Path) -> None:
    from neurotutor.lessons.catalogue import load_catalogue

    out = tmp_path / "a.yaml"
    draft = au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("cbt:2026-12-21",), practice=("breathe:1:day",),
                     checkins=("gad7",))
    catalogue = load_catalogue(paths.builtin_lessons_dir(), [])
    written = au.write_assignment(draft, out, lambda: catalogue, TODAY, "neurotutor lessons", out.write_bytes)
    loaded, problems = parse_assignment(out.read_text(), str(out))
    assert problems == [] and loaded is not None
    assert (loaded.assignment.goals.practice[0].worksheet, loaded.assignment.goals.checkins[0].measure) == (
        "breathe", "gad7")
    assert written.ended == () and written.bundled == ()
    assert _raised(UsageError, lambda: au.prepare_assignment(
        au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("cbt:2026-12-21",), practice=("sleep-log:1",)), out,
        lambda: catalogue)) == (
        "--practice sleep-log:1: there is no worksheet 'sleep-log'. Run 'neurotutor practice' to see them, use "
        "breathe for the breathing space, or bundle a worksheet file as FILE.yaml:TIMES.")


def test_a_check_in_whose_day_never_comes_before_its_end_is_written_with_a_note(run_cli, tmp_path: Path,
                                                                                monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: datetime(2026, 12, 8, 9, tzinfo=timezone.utc))  # Tue
    out = tmp_path / "a.yaml"
    done = run_cli(*BASE, "-o", str(out), "--checkin", "phq8:monday:2026-12-13", "--checkin", "gad7:friday:2026-12-13")
    assert done.returncode == 0 and out.exists()
    assert done.stderr.startswith("Note: PHQ-8 each Monday until Sun 13 Dec: no Monday comes before that date, so the "
                                  "client will never have it to do. Change the day or the date.\n")
    assert "GAD-7" not in done.stderr  # a Friday does come before it: no note
