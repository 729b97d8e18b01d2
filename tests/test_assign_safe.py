"""Assignments that are safe to write (issue 20): `assign new` refuses a lesson named twice before
anything is asked, shows the whole draft before writing it with a way back to change any answer,
offers the lessons an assigned lesson builds on, reads 14/12/2026 when it can only be one date,
takes the exam's lessons and date and a note of several paragraphs, puts the therapist's key in
the file, and names the files to send as they were typed; `validate` names an unknown lesson
with the closest one even beside other problems; `assignment add` suggests the lesson due first
that is not done. The interactive flow is driven here with a scripted prompter; the real terminal
is tests/test_pty_assign.py."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from neurotutor import paths
from neurotutor.assignments import authoring as au
from neurotutor.assignments.loader import parse_assignment
from neurotutor.errors import Stopped, UsageError
from neurotutor.lessons.catalogue import Catalogue, load_catalogue
from neurotutor.progress import model as pm

from flows import Scripted

DATA = Path(__file__).parent / "data" / "assignments"
GOOD = (DATA / "good.yaml").read_text()
LESSON = (DATA / "my-own-lesson.yaml").read_text()
TODAY = date(2026, 12, 7)
KEY = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"  # age's own example key
NO_KEY = ("This assignment has no key, so reports will not be sealed: run 'neurotutor therapist init' first to "
          "seal them.\n")
BASE = ("assign", "new", "--id", "sk-autumn", "--title", "T", "--therapist", "Dr A", "--client", "S.K.")


@pytest.fixture(scope="module")
def builtin() -> Catalogue:
    return load_catalogue(paths.builtin_lessons_dir(), [])


def _raised(kind: type[Exception], call: Callable[[], object]) -> str:
    with pytest.raises(kind) as caught:
        call()
    return caught.value.message  # type: ignore[attr-defined,no-any-return]


# -- dates written day first ------------------------------------------------------------------------


def test_a_date_written_day_first_is_read_when_it_can_only_be_one_date(builtin: Catalogue) -> None:
    from neurotutor.assignments.loader import date_readings

    assert date_readings("14/12/2026") == (date(2026, 12, 14),)
    assert date_readings("12/14/2026") == (date(2026, 12, 14),)  # month first: the same day
    assert date_readings("14.12.2026") == date_readings("14-12-2026") == date_readings("2026/12/14")
    assert date_readings("12/11/2026") == (date(2026, 11, 12), date(2026, 12, 11))  # day first, then month first
    assert date_readings("11/11/2026") == (date(2026, 11, 11),)
    assert date_readings("31/02/2026") == ()
    assert date_readings("next week") is None and date_readings("14/12/26") is None
    assert au.read_date("14/12/2026") == (date(2026, 12, 14), None)
    assert au.date_problem("14/12/2026", TODAY) is None and au.due_of("14/12/2026") == date(2026, 12, 14)
    assert au.date_problem("12/11/2026", TODAY) == (
        "12/11/2026 is unclear: write it as 2026-11-12 or 2026-12-11 (year-month-day).")
    assert au.date_problem("31/02/2026", TODAY) == "31/02/2026 is not a real date: type year-month-day, e.g. 2026-12-07."
    assert au.date_problem("2026-12-20", TODAY, latest=date(2026, 12, 14)) == (
        "Give a date on or before 2026-12-14, so that it comes first.")
    assert au.lesson_option("cbt:14/12/2026") == ("cbt", date(2026, 12, 14), None)
    assert _raised(UsageError, lambda: au.lesson_option("cbt:12/11/2026")) == (
        "--lesson cbt:12/11/2026: 12/11/2026 could be 12 November or 11 December: write it as 2026-11-12 or "
        "2026-12-11 (year-month-day).")
    assert _raised(UsageError, lambda: au.tagged_lessons(["level-basics:12/11/2026"], builtin.lessons, [])) == (
        "--lessons-tagged level-basics:12/11/2026: 12/11/2026 could be 12 November or 11 December: write it as "
        "2026-11-12 or 2026-12-11 (year-month-day).")
    assert au.exam_options(70, "cbt, mindfulness", "20/12/2026") == (("cbt", "mindfulness"), date(2026, 12, 20))


def test_a_date_written_day_first_in_a_file_is_named_with_the_date_to_write() -> None:
    text = (GOOD.replace("due: 2030-12-01", "due: 14/12/2026").replace("due: 2030-12-08", "due: 12/11/2026")
            .replace("due: 2030-12-15", 'due: "2030-12-15"'))
    loaded, problems = parse_assignment(text, "a.yaml")
    assert loaded is None and [str(p) for p in problems] == [
        "a.yaml:11:10: lessons[1].due: 14/12/2026 is not written year-month-day: write it as 2026-12-14",
        "a.yaml:13:10: lessons[2].due: 12/11/2026 could be 12 November or 11 December: write it as 2026-11-12 or "
        "2026-12-11 (year-month-day)",
        "a.yaml:21:10: goals.exam.due: 2030-12-15 is in quotes, so it is read as text, not a date: write it "
        "without the quotes"]


# -- validate: an unknown lesson beside other problems ------------------------------------------------


def test_validate_names_an_unknown_lesson_beside_the_other_problems(run_cli, tmp_path: Path) -> None:
    (tmp_path / "my-own-lesson.yaml").write_text(LESSON)
    (tmp_path / "a.yaml").write_text(GOOD.replace("lesson: neuroplasticity-types\n", "lesson: neuroplasticity-typo\n")
                                     .replace("lessons: [neuroplasticity-types]", "lessons: [neuroplasticity-typo]")
                                     .replace("due: 2030-12-08", "due: 14/12/2026"))
    checked = run_cli("validate", str(tmp_path / "a.yaml"))
    assert (checked.returncode, checked.stdout) == (2, "")
    assert checked.stderr == (
        f"{tmp_path / 'a.yaml'}:10:13: lessons[1].lesson: there is no lesson 'neuroplasticity-typo' (did you mean "
        "'neuroplasticity-types'?); name a built-in lesson (see 'neurotutor lessons') or bundle its file with `file:`\n"
        f"{tmp_path / 'a.yaml'}:13:10: lessons[2].due: 14/12/2026 is not written year-month-day: write it as "
        "2026-12-14\n2 problems in 1 file.\n")


def test_a_therapists_key_in_a_file_is_checked_where_it_is(run_cli, tmp_path: Path) -> None:
    with_key = GOOD.replace("client: S.K.", f"  key: {KEY}\nclient: S.K.")
    assert parse_assignment(with_key, "a.yaml")[1] == []
    loaded, problems = parse_assignment(with_key.replace(KEY, KEY[:-1] + "q"), "a.yaml")
    assert loaded is None and [str(p) for p in problems] == [
        "a.yaml:8:8: therapist.key: is not a valid age public key (a character is wrong: copy it again from "
        "'neurotutor therapist key')"]
    _, problems = parse_assignment(with_key.replace(KEY, "my key"), "a.yaml")
    assert [str(p) for p in problems] == [
        "a.yaml:8:8: therapist.key: is not an age public key (it starts with age1 and has 62 characters; copy it from "
        "'neurotutor therapist key')"]


# -- a lesson named twice ------------------------------------------------------------------------------


def test_a_lesson_given_twice_is_refused_before_anything_is_asked(run_cli, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(LESSON)
    (tmp_path / "copy.yaml").write_text(LESSON)

    def refused(*lessons: str) -> str:
        made = run_cli("--plain", *BASE, "-o", "a.yaml", *(f"--lesson={v}" for v in lessons), cwd=tmp_path)
        assert (made.returncode, made.stdout) == (2, "") and not (tmp_path / "a.yaml").exists()
        return made.stderr

    assert refused("cbt:2026-12-14", "cbt:2026-12-21") == (
        "--lesson cbt:2026-12-21: cbt is given already (--lesson cbt:2026-12-14); give each lesson once, with one due "
        "date.\n")
    assert refused("mine.yaml:2026-12-14", "./mine.yaml:2026-12-21") == (
        "--lesson ./mine.yaml:2026-12-21: the file ./mine.yaml is given twice (also as --lesson mine.yaml:2026-12-14); "
        "give each lesson once, with one due date.\n")
    assert refused("mine.yaml:2026-12-14", "copy.yaml:2026-12-21") == (
        "--lesson copy.yaml:2026-12-21: copy.yaml, which holds the lesson my-own-lesson, is given already (--lesson "
        "mine.yaml:2026-12-14); give each lesson once, with one due date.\n")
    assert refused("cbt:2026-12-14", "cbt:12/11/2026") == (  # a date that cannot be read is said first
        "--lesson cbt:12/11/2026: 12/11/2026 could be 12 November or 11 December: write it as 2026-11-12 or "
        "2026-12-11 (year-month-day).\n")
    missing = run_cli(*BASE, "-o", "no-such-folder/a.yaml", "--lesson", "cbt:2026-12-14", cwd=tmp_path)
    assert (missing.returncode, missing.stderr) == (2, "Cannot write no-such-folder/a.yaml: there is no folder "
                                                       "no-such-folder. Make it first, or give another file name.\n")


def test_a_lesson_file_picked_twice_or_holding_a_lesson_picked_is_refused_as_it_is_typed(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(LESSON)
    (tmp_path / "copy.yaml").write_text(LESSON)
    (tmp_path / "cbt.yaml").write_text(LESSON.replace("id: my-own-lesson", "id: cbt"))
    output = tmp_path / "a.yaml"
    builtin = {"cbt": Path("05-cbt.yaml")}

    def problem(text: str, *picked: str) -> str | None:
        return au.lesson_file_problem(text, output, lambda name: f"check {name}", picked, builtin)

    assert problem(str(tmp_path / "mine.yaml"), "cbt:2026-12-14") is None
    assert problem(str(tmp_path / "mine.yaml"), f"{tmp_path / 'mine.yaml'}:2026-12-14") == "You have chosen this file already."
    assert problem(str(tmp_path / "copy.yaml"), f"{tmp_path / 'mine.yaml'}:2026-12-14") == (
        "It holds my-own-lesson, which you have chosen already.")
    assert problem(str(tmp_path / "mine.yaml"), "my-own-lesson:2026-12-14") == (
        "It holds my-own-lesson, which you have chosen already.")
    assert problem(str(tmp_path / "cbt.yaml")) == ("It holds the lesson 'cbt', which is the id of a built-in lesson "
                                                   "(05-cbt.yaml); give your lesson an id of its own.")


# -- prerequisites ----------------------------------------------------------------------------------


def test_the_lessons_an_assigned_lesson_builds_on_are_named_with_a_date_before_it(builtin: Catalogue) -> None:
    missing = au.missing_prerequisites(["plasticity-claims:2026-12-14", "reconsolidation-conditions:2026-12-21",
                                        "cbt:2026-12-10"], builtin.lessons)
    assert [(m.needs, m.lesson, m.due, m.option(TODAY)) for m in missing] == [
        ("neuroplasticity-types", "plasticity-claims", date(2026, 12, 14), "neuroplasticity-types:2026-12-07"),
        ("two-routes-of-change", "reconsolidation-conditions", date(2026, 12, 21), "two-routes-of-change:2026-12-14")]
    assert missing[0].title == "Neuroplasticity: how the brain changes with experience"
    assert missing[0].suggested(date(2026, 12, 12)) == date(2026, 12, 12)  # not before today
    assert au.missing_prerequisites(["plasticity-claims:2026-12-14", "neuroplasticity-types:2026-12-07"],
                                    builtin.lessons) == ()


def test_assign_new_with_options_warns_of_a_missing_prerequisite_and_names_the_option(run_cli, tmp_path: Path) -> None:
    made = run_cli(*BASE, "-o", "a.yaml", "--lesson", "plasticity-claims:2030-12-14", cwd=tmp_path)
    assert made.returncode == 0
    assert made.stderr == (
        "Note: plasticity-claims builds on neuroplasticity-types (Neuroplasticity: how the brain changes with "
        "experience), which is not in this assignment; the client will be told to take it first. To add it, run the "
        "command again with --force and: --lesson neuroplasticity-types:2030-12-07\n" + NO_KEY)
    again = run_cli(*BASE, "-o", "a.yaml", "--force", "--lesson", "plasticity-claims:2030-12-14", "--lesson",
                    "neuroplasticity-types:2030-12-07", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (0, NO_KEY)


# -- the key, the exam, the note, the files to send -------------------------------------------------------


def test_the_therapists_own_key_goes_in_the_assignment_or_it_says_there_is_none(run_cli, neurotutor_home: Path,
                                                                                 tmp_path: Path) -> None:
    given = run_cli(*BASE, "-o", "given.yaml", "--lesson", "cbt:2030-12-14", "--key", KEY, cwd=tmp_path)
    assert (given.returncode, given.stderr) == (0, "")
    assert ("therapist:\n  name: \"Dr A\"\n  # The therapist's public key: the client's reports are sealed to it, so "
            "that only the holder\n  # of the secret key (made by 'neurotutor therapist init') can open them.\n"
            f"  key: {KEY}\n# A pseudonym") in (tmp_path / "given.yaml").read_text()
    wrong = run_cli(*BASE, "-o", "wrong.yaml", "--lesson", "cbt:2030-12-14", "--key", "age1abc", cwd=tmp_path)
    assert (wrong.returncode, wrong.stderr) == (2, "--key 'age1abc': is not an age public key (it starts with age1 and "
                                                   "has 62 characters; copy it from 'neurotutor therapist key').\n")
    assert not (tmp_path / "wrong.yaml").exists()
    none = run_cli(*BASE, "-o", "none.yaml", "--lesson", "cbt:2030-12-14", cwd=tmp_path)
    assert (none.returncode, none.stderr) == (0, NO_KEY) and "key:" not in (tmp_path / "none.yaml").read_text()
    assert run_cli("therapist", "init").returncode == 0
    public = run_cli("therapist", "key").stdout.strip()
    own = run_cli(*BASE, "-o", "own.yaml", "--lesson", "cbt:2030-12-14", cwd=tmp_path)
    assert (own.returncode, own.stderr) == (0, "")
    assert f"  key: {public}\n" in (tmp_path / "own.yaml").read_text()
    assert run_cli("validate", str(tmp_path / "own.yaml")).returncode == 0


def test_the_exam_goal_takes_its_lessons_and_date(run_cli, tmp_path: Path) -> None:
    made = run_cli(*BASE, "-o", "a.yaml", "--lesson", "cbt:2030-12-14", "--lesson", "mindfulness:2030-12-10",
                   "--exam-score", "70", "--exam-lessons", "cbt", "--exam-due", "21/12/2030", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "goals:\n  exam:\n    lessons: [cbt]\n    min_score: 70\n    due: 2030-12-21\n" in (tmp_path / "a.yaml").read_text()
    alone = run_cli(*BASE, "-o", "b.yaml", "--lesson", "cbt:2030-12-14", "--exam-due", "2030-12-21", cwd=tmp_path)
    assert (alone.returncode, alone.stderr) == (2, "--exam-due is part of an exam goal: give the score to reach too, "
                                                   "with --exam-score, e.g. --exam-score 70.\n")
    stray = run_cli(*BASE, "-o", "c.yaml", "--lesson", "cbt:2030-12-14", "--exam-score", "70", "--exam-lessons",
                    "cbt,mindfulness", cwd=tmp_path)
    assert (stray.returncode, stray.stderr) == (2, "The exam goal names mindfulness, which is not one of the "
                                                   "assignment's lessons (cbt). The assignment was not written.\n")
    assert not (tmp_path / "b.yaml").exists() and not (tmp_path / "c.yaml").exists()


def test_the_files_to_send_are_named_as_they_were_typed(run_cli, tmp_path: Path) -> None:
    (tmp_path / "clients" / "week1").mkdir(parents=True)
    (tmp_path / "clients" / "week1" / "mine.yaml").write_text(LESSON)
    made = run_cli(*BASE, "-o", "clients/sk.yaml", "--lesson", "cbt:2030-12-14", "--lesson",
                   "clients/week1/mine.yaml:2030-12-21", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout == (
        "Wrote clients/sk.yaml.\nGive clients/sk.yaml with clients/week1/mine.yaml to your client (kept together as "
        "they are here), who adds it with: neurotutor assignment add sk.yaml\nOr send one file: neurotutor assign pack "
        "clients/sk.yaml\n")
    alone = run_cli(*BASE, "-o", "clients/one.yaml", "--lesson", "cbt:2030-12-14", cwd=tmp_path)
    assert alone.stdout == ("Wrote clients/one.yaml.\nGive clients/one.yaml to your client, who adds it with: "
                            "neurotutor assignment add one.yaml\n")


# -- after adding: the lesson due first that is not done ------------------------------------------------


def _progress(home: Path, done: tuple[str, ...]) -> None:
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    lessons = {lesson_id: pm.LessonState(run=2, completed_runs=1) for lesson_id in done}
    (home / "progress.json").write_bytes(pm.encode(pm.Progress(seed=7, notice_seen=True, lessons=lessons)))
    (home / "progress.json").chmod(0o600)


def test_adding_suggests_the_lesson_due_first_that_is_not_done(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    text = GOOD.replace("due: 2030-12-01", "due: 2030-12-20").replace(
        "  - lesson: my-own-lesson\n    due: 2030-12-08\n    file: my-own-lesson.yaml\n",
        "  - lesson: cbt\n    due: 2030-12-05\n  - lesson: mindfulness\n    due: 2030-12-10\n").replace(
        "    due: 2030-12-15\n", "")
    (tmp_path / "a.yaml").write_text(text)
    _progress(neurotutor_home, ())
    assert run_cli("--plain", "assignment", "add", str(tmp_path / "a.yaml")).stdout.endswith(
        "Start with:\n  neurotutor --plain learn cbt\n")
    _progress(neurotutor_home, ("cbt",))
    assert run_cli("--plain", "assignment", "add", str(tmp_path / "a.yaml")).stdout.endswith(
        "Next, the lesson due first:\n  neurotutor --plain learn mindfulness\n")
    _progress(neurotutor_home, ("cbt", "mindfulness", "neuroplasticity-types"))
    assert run_cli("--plain", "assignment", "add", str(tmp_path / "a.yaml")).stdout.endswith(
        "You have done every lesson in it already. To go over what you learnt:\n  neurotutor --plain review\n")


# -- the interactive flow, scripted ---------------------------------------------------------------------


def _session(prompter: Scripted) -> tuple[Any, io.StringIO]:
    from neurotutor.cli.output import Output
    from neurotutor.cli.session import Session
    from neurotutor.cli.settings import Settings

    shown = io.StringIO()
    out = Output(False, file=shown, err_file=shown, width=0)
    return Session.made_of(Settings(), out=out, prompter=prompter), shown


def test_the_draft_is_shown_and_written_only_when_the_therapist_says_so(run_cli, tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _ask, _confirm_and_write

    output = tmp_path / "a.yaml"
    prompter = Scripted(
        "First steps",  # the title
        "Checking the claims", "14/12/2026",  # a lesson that builds on another, day first
        "No more lessons", True, "2026-12-20", "2026-12-10",  # add what it builds on: after it, then before
        "", "",  # no goals
        "No practice", "No check-ins",
        "Take your time.", "See you on Tuesday.", "",  # a note of two paragraphs
        "Change something", "The title", "Second steps",
        "Write it")
    session, shown = _session(prompter)
    draft = au.Draft("sk-autumn", "", "Dr A", "S.K.", contact="at our next session")
    draft = _ask(session, draft, output, TODAY)
    assert not output.exists()  # nothing before the therapist says so
    draft, written = _confirm_and_write(session, draft, output, TODAY, output.write_bytes)
    assert prompter.replies == [] and prompter.refused == ["Give a date on or before 2026-12-14, so that it comes first."]
    assert ("confirm", "Add neuroplasticity-types too, due before plasticity-claims?") in prompter.asked
    assert output.read_text() == written.text and written.text.endswith(
        "client: \"S.K.\"\nlessons:\n  - lesson: neuroplasticity-types\n    due: 2026-12-10\n"
        "  - lesson: plasticity-claims\n    due: 2026-12-14\nnote: |\n  Take your time.\n\n  See you on Tuesday.\n")
    assert 'title: "Second steps"' in written.text
    said = shown.getvalue()
    assert ("Checking the claims: what does therapy really do to the brain? (plasticity-claims) builds on "
            "Neuroplasticity: how the brain changes with experience (neuroplasticity-types), which is not in this "
            "assignment.\n") in said
    assert said.endswith(
        "\nCheck the assignment before it is written.\n"
        f"  - File: {output}\n  - Id: sk-autumn\n  - Title: Second steps\n  - From: Dr A (at our next session)\n"
        "  - Client: S.K.\n  - Lesson: neuroplasticity-types, due Thu 10 Dec 2026\n"
        "  - Lesson: plasticity-claims, due Mon 14 Dec 2026\n  - Goals: none\n  - Practice: none\n"
        "  - Check-ins: none\n  - Note: Take your time. (and 1 more paragraph)\n"
        "  - Key: none, so reports will not be sealed (see 'neurotutor therapist init')\n")
    menus = [call[1:3] for call in prompter.asked if call[0] == "choose" and call[1] == "Write it?"]
    assert menus == [("Write it?", ("Write it", "Change something", "Stop without writing"))] * 2
    added = run_cli("--plain", "assignment", "add", str(output))  # the note's paragraphs, as the client sees them
    assert "From Dr A (at our next session), for S.K.\nTake your time.\n\nSee you on Tuesday.\nlesson " in added.stdout


def test_what_keeps_a_draft_from_being_written_is_said_and_writing_waits(tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _confirm_and_write

    output = tmp_path / "a.yaml"
    prompter = Scripted("Stop without writing")
    session, shown = _session(prompter)
    draft = au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("mindfulness:2026-12-14",), exam_score=70,
                     exam_lessons=("cbt",))
    with pytest.raises(Stopped):
        _confirm_and_write(session, draft, output, TODAY, output.write_bytes)
    assert prompter.asked[-1][3] == {0: "first change what is said above"}
    assert shown.getvalue().endswith(
        "Before it can be written, change this:\n  - The exam goal names cbt, which is not one of the assignment's "
        "lessons (mindfulness).\n")
    assert not output.exists()


def test_a_write_that_fails_keeps_every_answer(tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _confirm_and_write

    output = tmp_path / "a.yaml"
    tries: list[bytes] = []

    def write(data: bytes) -> None:
        tries.append(data)
        if len(tries) == 1:
            raise UsageError("Cannot write a.yaml: the disk is full.")
        output.write_bytes(data)

    prompter = Scripted("Write it", "Write it")
    session, shown = _session(prompter)
    draft = au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("cbt:2026-12-14",))
    _, written = _confirm_and_write(session, draft, output, TODAY, write)
    assert tries == [written.text.encode()] * 2 and output.read_text() == written.text
    assert ("Cannot write a.yaml: the disk is full.\nNothing was written; your answers are kept. Fix that, then choose "
            "'Write it' again.\n") in shown.getvalue()


def test_a_lesson_can_be_taken_out_again_and_one_picked_is_not_offered(tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _ask_lessons

    (tmp_path / "mine.yaml").write_text(LESSON)
    (tmp_path / "copy.yaml").write_text(LESSON)
    prompter = Scripted("A lesson file of my own", str(tmp_path / "mine.yaml"), "2026-12-14",
                        "A lesson file of my own", str(tmp_path / "mine.yaml"), str(tmp_path / "copy.yaml"), "",
                        "Take a lesson out", "cbt", "No more lessons")
    session, _ = _session(prompter)
    picked = _ask_lessons(session, ("cbt:2026-12-21",), tmp_path / "a.yaml", TODAY)
    assert picked == (f"{tmp_path / 'mine.yaml'}:2026-12-14",)
    assert prompter.refused == ["You have chosen this file already.", "It holds my-own-lesson, which you have "
                                                                      "chosen already."]
    first = prompter.asked[0]
    assert first[2][:3] == ("No more lessons", "Take a lesson out",
                            "A lesson file of my own (it travels with the assignment)")
    assert first[3] == {first[2].index("CBT: thoughts, actions and what the evidence shows (cbt)"): "already in"}
    assert ("choose", "Which lesson comes out?", ("cbt, due Mon 21 Dec 2026",
                                                  "my-own-lesson (from " + str(tmp_path / "mine.yaml")
                                                  + "), due Mon 14 Dec 2026", "None: keep them all"), {}) in prompter.asked


def test_the_exam_goal_and_the_note_are_asked_for(tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _ask_goals, _ask_note

    prompter = Scripted("10", "70%", "4", "2", "21/12/2026", "First.", "x" * 4000, "Second.", "")
    session, shown = _session(prompter)
    draft = _ask_goals(session, au.Draft(lessons=("cbt:2026-12-14", "mindfulness:2026-12-10")), TODAY)
    assert (draft.review_minutes, draft.exam_score, draft.exam_lessons, draft.exam_due) == (
        10, 70, ("mindfulness",), date(2026, 12, 21))
    assert shown.getvalue() == "The lessons: 1. cbt  2. mindfulness\n"
    assert _ask_note(session.prompter) == "First.\n\nSecond."
    assert prompter.refused == [
        "Type the numbers of the lessons, from 1 to 2, e.g. 1 3 (or nothing: all of them).",
        "The note can have 4000 characters in all; this paragraph has 4000, and 3992 are left."]


def test_the_key_can_be_changed_before_writing(tmp_path: Path) -> None:
    from neurotutor.cli.commands.assign import _change

    prompter = Scripted("The key", "age1abc", KEY, "The key", "")
    session, _ = _session(prompter)
    draft = _change(session, au.Draft("sk-autumn", "T", "Dr A", "S.K.", ("cbt:2026-12-14",)), tmp_path / "a.yaml", TODAY)
    assert draft.key == KEY
    assert au.summary(draft, tmp_path / "a.yaml")[-1] == ("Key", "age1ql3z7hjy…mcac8p: reports are sealed to it")
    assert prompter.refused == ["That is not an age public key: it starts with age1 and has 62 characters."]
    assert _change(session, draft, tmp_path / "a.yaml", TODAY).key is None  # Enter: none
