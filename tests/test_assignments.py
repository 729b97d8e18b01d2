"""Assignment files: the strict loader, its problems with positions, and the checks it makes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from neurotutor.assignments.loader import check_lessons, is_assignment, load_assignment_file, parse_assignment

DATA = Path(__file__).parent / "data" / "assignments"
GOOD = (DATA / "good.yaml").read_text()


def problems_of(text: str) -> list[str]:
    loaded, problems = parse_assignment(text, "a.yaml")
    assert (loaded is None) == bool(problems)
    return [str(p) for p in problems]


def test_a_good_assignment_loads() -> None:
    loaded, problems = load_assignment_file(DATA / "good.yaml")
    assert problems == [] and loaded is not None
    a = loaded.assignment
    assert (a.id, a.client, a.therapist.name) == ("sam-autumn", "S.K.", "Dr A. Example")
    assert [(x.lesson, x.due, x.file) for x in a.lessons] == [
        ("neuroplasticity-types", date(2030, 12, 1), None), ("my-own-lesson", date(2030, 12, 8), "my-own-lesson.yaml")]
    assert (a.goals.review.minutes_per_day, a.goals.exam.min_score) == (10, 70)  # type: ignore[union-attr]
    assert is_assignment({"kind": "assignment"}) and not is_assignment({"format": 1})


def test_an_impossible_date_is_named_where_it_is() -> None:
    text = GOOD.replace("due: 2030-12-01", "due: 2026-02-30")
    assert problems_of(text) == [
        "a.yaml:11:10: 2026-02-30 is not a real date (check the day and the month; dates are written year-month-day)"]


def test_every_problem_is_reported_with_its_position() -> None:
    text = (GOOD.replace("client: S.K.", "client: " + "x" * 41)
            .replace("due: 2030-12-08", "due: next week")
            .replace("min_score: 70", "min_score: 170")
            .replace("    lessons: [neuroplasticity-types]", "    lessons: [cbt]")
            .replace("title: Understanding", "titel: Understanding"))
    assert problems_of(text) == [
        "a.yaml:4:1: titel: unknown field 'titel' (did you mean 'title'?)",
        "a.yaml:1:1: missing required field 'title'",
        "a.yaml:8:9: client: is too long (41 characters, at most 40)",
        "a.yaml:13:10: lessons[2].due: expected a date (year-month-day, like 2026-12-01), got text",
        "a.yaml:20:16: goals.exam.min_score: must be between 0 and 100, got 170",
    ]


def test_meaning_a_lesson_twice_a_file_outside_and_an_exam_on_an_unassigned_lesson() -> None:
    text = (GOOD.replace("  - lesson: my-own-lesson", "  - lesson: neuroplasticity-types")
            .replace("file: my-own-lesson.yaml", "file: ../elsewhere/lesson.yaml")
            .replace("    lessons: [neuroplasticity-types]", "    lessons: [cbt]"))
    assert problems_of(text) == [
        "a.yaml:12:13: lessons[2].lesson: 'neuroplasticity-types' is already assigned (lessons[1])",
        "a.yaml:14:11: lessons[2].file: must be a file beside the assignment (a name like 'my-lesson.yaml', "
        "or a path inside its folder)",
        "a.yaml:19:15: goals.exam.lessons[1]: 'cbt' is not one of the assigned lessons",
    ]


def test_lessons_must_exist_or_be_bundled() -> None:
    loaded, _ = load_assignment_file(DATA / "good.yaml")
    assert loaded is not None
    assert check_lessons(loaded, {"neuroplasticity-types"}, {"my-own-lesson.yaml": "my-own-lesson"}) == []
    found = [str(p) for p in check_lessons(loaded, set(), {"my-own-lesson.yaml": "other"})]
    assert found == [
        f"{DATA / 'good.yaml'}:10:13: lessons[1].lesson: there is no lesson 'neuroplasticity-types'; name a built-in "
        "lesson (see 'neurotutor lessons') or bundle its file with `file:`",
        f"{DATA / 'good.yaml'}:14:11: lessons[2].file: my-own-lesson.yaml holds the lesson 'other', not 'my-own-lesson'",
    ]


def test_validate_checks_an_assignment_with_its_bundled_lesson(run_cli, tmp_path: Path) -> None:
    ok = run_cli("validate", str(DATA / "good.yaml"))
    assert (ok.returncode, ok.stdout.strip(), ok.stderr) == (0, "1 assignment file valid, with 1 bundled lesson file.", "")
    folder = tmp_path / "assignment"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD.replace("lesson: neuroplasticity-types\n", "lesson: neuroplastic\n")
                                   .replace("lessons: [neuroplasticity-types]", "lessons: [neuroplastic]"))
    (folder / "my-own-lesson.yaml").write_text((DATA / "my-own-lesson.yaml").read_text().replace("title:", "titel:", 1))
    bad = run_cli("validate", str(folder / "a.yaml"))
    assert bad.returncode == 2
    lines = bad.stderr.strip().splitlines()
    assert lines[0] == (f"{folder / 'a.yaml'}:10:13: lessons[1].lesson: there is no lesson 'neuroplastic' (did you "
                        "mean 'neuroplasticity-types'?); name a built-in lesson (see 'neurotutor lessons') or bundle "
                        "its file with `file:`")
    assert lines[1:] == [f"{folder / 'my-own-lesson.yaml'}:3:1: titel: unknown field 'titel' (did you mean 'title'?)",
                         f"{folder / 'my-own-lesson.yaml'}:1:1: missing required field 'title'",
                         "3 problems in 2 files."]


def _home_lessons(home: Path) -> list[str]:
    folder = home / "lessons"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_add_keeps_the_bundled_lesson_in_the_profile_and_lists_the_due_dates(run_cli, neurotutor_home: Path) -> None:
    import json

    added = run_cli("--plain", "assignment", "add", str(DATA / "good.yaml"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("\nAdded: Understanding how therapy works.\nFrom Dr A. Example "
                                   "(a.example@clinic.example, or at our next session), for S.K.\n")
    assert "Take your time. Stop whenever you need to; we will talk it over next week." in added.stdout
    assert added.stdout.endswith("Start with:\n  neurotutor --plain learn neuroplasticity-types\n")
    assert _home_lessons(neurotutor_home) == ["my-own-lesson.yaml"]
    assert oct((neurotutor_home / "lessons" / "my-own-lesson.yaml").stat().st_mode & 0o777) == "0o600"
    found = run_cli("--plain", "lessons")  # found without --lessons-dir from now on
    assert "my-own-lesson" in found.stdout
    listed = json.loads(run_cli("assignments", "--json").stdout)
    assert [(r["assignment"], r["lesson"], r["due"], r["status"]) for r in listed["lessons"]] == [
        ("sam-autumn", "neuroplasticity-types", "2030-12-01", "new"), ("sam-autumn", "my-own-lesson", "2030-12-08", "new")]
    first_added = listed["assignments"][0]["added"]
    again = run_cli("--plain", "assignment", "add", str(DATA / "good.yaml"))
    assert again.stdout.startswith("\nUpdated: Understanding how therapy works.")
    # an update keeps the day it was first added: its review minutes and practice count from then
    assert json.loads(run_cli("assignments", "--json").stdout)["assignments"][0]["added"] == first_added
    removed = run_cli("--plain", "assignment", "remove", "sam-autumn")
    assert removed.stdout == "Removed the assignment sam-autumn. Your answers and progress in its lessons are kept.\n"
    assert json.loads(run_cli("assignments", "--json").stdout)["lessons"] == []
    unknown = run_cli("assignment", "remove", "sam-autumn")
    assert unknown.returncode == 2 and "There is no assignment with the id 'sam-autumn'." in unknown.stderr


def test_a_bad_assignment_or_a_clashing_lesson_adds_nothing(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD.replace("due: 2030-12-01", "due: 2026-02-30"))
    (folder / "my-own-lesson.yaml").write_text((DATA / "my-own-lesson.yaml").read_text())
    bad = run_cli("assignment", "add", str(folder / "a.yaml"))
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        f"{folder / 'a.yaml'}:11:10: 2026-02-30 is not a real date (check the day and the month; dates are written "
        "year-month-day)",
        "This assignment has the problems above, so it was not added. Please send these lines to your therapist."]
    clash = tmp_path / "b"
    clash.mkdir()
    (clash / "a.yaml").write_text(GOOD.replace("lesson: my-own-lesson", "lesson: test-mini"))
    (clash / "my-own-lesson.yaml").write_text((DATA.parent / "lessons-ok" / "test-mini.yaml").read_text())
    clashing = run_cli("--lessons-dir", str(DATA.parent / "lessons-ok"), "assignment", "add", str(clash / "a.yaml"))
    assert clashing.returncode == 2
    assert (f"The lesson 'test-mini' in {clash / 'my-own-lesson.yaml'} has the same id as "
            f"{DATA.parent / 'lessons-ok' / 'test-mini.yaml'}") in clashing.stderr
    assert clashing.stderr.strip().endswith("Nothing was added.")
    assert _home_lessons(neurotutor_home) == [] and not (neurotutor_home / "progress.json").exists()


def test_assign_new_writes_a_valid_file_the_client_can_add(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    (tmp_path / "my-own-lesson.yaml").write_text((DATA / "my-own-lesson.yaml").read_text())
    args = ["assign", "new", "-o", "sk.yaml", "--id", "sk-autumn", "--title", 'Notes: "how" therapy works',
            "--therapist", "Dr A. Example", "--contact", "at our next session", "--client", "S.K.",
            "--lesson", "neuroplasticity-types:2026-12-01", "--lesson", "my-own-lesson.yaml:2026-12-08",
            "--review-minutes", "10", "--exam-score", "70", "--note", "Take your time.\nNo rush."]
    made = run_cli(*args, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout == ("Wrote sk.yaml.\nGive sk.yaml with my-own-lesson.yaml to your client (kept together as "
                           "they are here), who adds it with: neurotutor assignment add sk.yaml\nOr send one file: "
                           "neurotutor assign pack sk.yaml\n")
    assert made.stderr.endswith("This assignment has no key, so reports will not be sealed: run 'neurotutor "
                                "therapist init' first to seal them.\n")
    loaded, problems = load_assignment_file(tmp_path / "sk.yaml")
    assert problems == [] and loaded is not None
    a = loaded.assignment
    assert (a.title, a.therapist.contact, a.note) == ('Notes: "how" therapy works', "at our next session",
                                                      "Take your time.\nNo rush.\n")
    assert [(x.lesson, x.file) for x in a.lessons] == [("neuroplasticity-types", None), ("my-own-lesson", "my-own-lesson.yaml")]
    assert run_cli("validate", str(tmp_path / "sk.yaml")).returncode == 0
    assert run_cli("assignment", "add", str(tmp_path / "sk.yaml")).returncode == 0
    again = run_cli(*args, cwd=tmp_path)
    assert again.returncode == 2 and "sk.yaml already exists; give --force to replace it" in again.stderr


def test_assign_new_refuses_what_is_missing_or_wrong(run_cli, tmp_path: Path) -> None:
    base = ["assign", "new", "-o", "x.yaml", "--id", "x", "--title", "t", "--therapist", "d", "--client", "c"]
    missing = run_cli("--plain", "assign", "new", "-o", "x.yaml", "--id", "x", cwd=tmp_path)
    assert missing.returncode == 2
    assert "Missing: --title, --therapist, --client, --lesson. In a terminal, they are asked for." in missing.stderr
    date_wrong = run_cli(*base, "--lesson", "cbt:2026-02-30", cwd=tmp_path)
    assert "--lesson cbt:2026-02-30: 2026-02-30 is not a real date" in date_wrong.stderr
    unknown = run_cli(*base, "--lesson", "cbtt:2026-12-01", cwd=tmp_path)
    assert unknown.returncode == 2 and "There is no lesson 'cbtt'." in unknown.stderr
    bad_id = run_cli(*base[:5], "X Y", *base[6:], "--lesson", "cbt:2026-12-01", cwd=tmp_path)
    assert bad_id.returncode == 2 and "id: 'X Y' must be a lowercase id" in bad_id.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_home_shows_assigned_work_first_with_due_dates(run_cli, neurotutor_home: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    today = date.today()
    text = (GOOD.replace("due: 2030-12-01", f"due: {today - timedelta(days=2)}")
            .replace("due: 2030-12-08", f"due: {today + timedelta(days=1)}")
            .replace("    due: 2030-12-15\n", ""))
    folder = neurotutor_home.parent / "from-therapist"
    folder.mkdir()
    (folder / "a.yaml").write_text(text)
    (folder / "my-own-lesson.yaml").write_text((DATA / "my-own-lesson.yaml").read_text())
    assert run_cli("assignment", "add", str(folder / "a.yaml")).returncode == 0
    home = run_cli("--plain", input="3\n" + "\n" * 3)
    past = today - timedelta(days=2)
    assert (f"From Dr A. Example: Understanding how therapy works\n"
            f"  - Neuroplasticity: how the brain changes with experience (overdue since {past:%a} {past.day} {past:%b}; "
            "whenever you are ready)\n  - A small test lesson (due soon: tomorrow)\n"
            "Goals: review about 10 minutes a day; an exam on Neuroplasticity: how the brain changes with "
            "experience, aiming for 70% or more.\n") in home.stdout
    assert ("  2. Start your assignment: Neuroplasticity: how the brain changes with experience (overdue since "
            f"{past:%a} {past.day} {past:%b}; whenever you are ready)\n") in home.stdout
    assert ("Which lesson?\n  1. Neuroplasticity: how the brain changes with experience (new, 25 min; assigned, "
            "overdue since") in home.stdout
    # numbered in the suggested order, as `lessons` numbers them: the assignment's own lesson after the built-in ones
    assert "\n  19. A small test lesson (new, " in home.stdout and "; assigned, due soon: tomorrow)\n" in home.stdout
    listed = run_cli("--plain", "assignments")
    assert [re.split(r"\s{2,}", line) for line in listed.stdout.splitlines()[1:3]] == [
        ["sam-autumn", "neuroplasticity-types", str(past), "not started (overdue)"],
        ["sam-autumn", "my-own-lesson", str(today + timedelta(days=1)), "not started (due soon)"]]


def test_due_dates_in_words_say_due_soon_and_overdue_without_nagging() -> None:
    from neurotutor.assignments.status import AssignedLesson, when_due

    def words(days: int, status: str = "new") -> str:
        today = date(2026, 11, 23)  # a Monday
        return when_due(AssignedLesson("a", "A", "Dr A", "l", "L", today + timedelta(days=days), status, days))

    assert [words(d) for d in (-1, 0, 1, 3, 4, 10)] == [
        "overdue since Sun 22 Nov; whenever you are ready", "due soon: today", "due soon: tomorrow",
        "due soon: Thu 26 Nov, in 3 days", "due Fri 27 Nov, in 4 days", "due Thu 3 Dec, in 10 days"]
    assert words(-5, "done") == "done"


def test_an_assignment_travels_as_one_zip_or_a_folder(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    import zipfile

    folder = tmp_path / "from-therapist"
    folder.mkdir()
    (folder / "a.yaml").write_text(GOOD)
    (folder / "my-own-lesson.yaml").write_text((DATA / "my-own-lesson.yaml").read_text())
    packed = run_cli("assign", "pack", str(folder / "a.yaml"))
    assert packed.returncode == 0, packed.stderr
    assert packed.stdout.startswith(f"Wrote {folder / 'a.zip'}: a.yaml and 1 lesson file.")
    assert zipfile.ZipFile(folder / "a.zip").namelist() == ["a.yaml", "my-own-lesson.yaml"]
    assert run_cli("assign", "pack", str(folder / "a.yaml")).returncode == 2  # not replaced without --force
    assert run_cli("validate", str(folder / "a.zip")).stdout == "1 assignment file valid, with 1 bundled lesson file.\n"
    added = run_cli("assignment", "add", str(folder / "a.zip"))
    assert added.returncode == 0, added.stderr
    assert (neurotutor_home / "lessons" / "my-own-lesson.yaml").read_text() == (folder / "my-own-lesson.yaml").read_text()
    assert run_cli("assignment", "add", str(folder)).returncode == 0  # the folder, as it is


def test_an_archive_is_checked_before_anything_in_it_is_written(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    import zipfile

    def archive(name: str, members: dict[str, str]) -> str:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as zf:
            for member, text in members.items():
                zf.writestr(member, text)
        return str(path)

    lesson = (DATA / "my-own-lesson.yaml").read_text()
    escaping = archive("escaping.zip", {"../../outside.yaml": "kind: assignment\n", "a.yaml": GOOD})
    out = run_cli("assignment", "add", escaping)
    assert out.returncode == 2 and out.stderr.startswith(
        f"{escaping}/../../outside.yaml: has a path that points outside the archive; it was not read\n")
    assert not (tmp_path.parent / "outside.yaml").exists()
    two = archive("two.zip", {"a.yaml": GOOD, "b.yaml": GOOD, "my-own-lesson.yaml": lesson})
    assert (f"{two}: holds several assignment files (a.yaml, b.yaml); give one of them"
            in run_cli("assignment", "add", two).stderr)
    none = archive("none.zip", {"my-own-lesson.yaml": lesson})
    assert f"{none}: holds no assignment file" in run_cli("assignment", "add", none).stderr
    (tmp_path / "not.zip").write_text("not a zip")
    assert "is not a readable zip archive" in run_cli("assignment", "add", str(tmp_path / "not.zip")).stderr
    wrong = archive("wrong.zip", {"in/a.yaml": GOOD.replace("due: 2030-12-01", "due: 2026-02-30"),
                                  "in/my-own-lesson.yaml": lesson})
    checked = run_cli("validate", wrong)
    assert checked.returncode == 2 and checked.stderr.startswith(f"{wrong}/in/a.yaml:11:10: 2026-02-30 is not a real date")
    assert run_cli("assignments", "--json").stdout.count('"lesson"') == 0  # nothing was added


def test_a_bundled_lesson_may_not_take_a_built_in_id(run_cli, tmp_path: Path) -> None:
    (tmp_path / "cbt-copy.yaml").write_text((DATA / "my-own-lesson.yaml").read_text()
                                            .replace("id: my-own-lesson", "id: cbt"))
    made = run_cli("assign", "new", "-o", "a.yaml", "--id", "x", "--title", "T", "--therapist", "Dr A", "--client", "C",
                   "--lesson", "cbt-copy.yaml:2030-01-01", cwd=tmp_path)
    assert made.returncode == 2 and not (tmp_path / "a.yaml").exists()
    assert made.stderr.strip() == ("The lesson in cbt-copy.yaml has the id 'cbt', which is the id of a built-in lesson "
                                   "(05-cbt.yaml); give your lesson an id of its own. The assignment was not written.")
    (tmp_path / "b.yaml").write_text(GOOD.replace("lesson: my-own-lesson", "lesson: cbt")
                                     .replace("file: my-own-lesson.yaml", "file: cbt-copy.yaml"))
    checked = run_cli("validate", str(tmp_path / "b.yaml"))
    assert checked.returncode == 2
    assert checked.stderr.startswith(f"{tmp_path / 'cbt-copy.yaml'}:2:5: id: 'cbt' is the id of a built-in lesson "
                                     "(05-cbt.yaml); give this lesson an id of its own\n")


def test_lessons_are_picked_by_their_topic_or_level_tag(run_cli, tmp_path: Path) -> None:
    listed = run_cli("--plain", "lessons", "--tag", "level-basics")
    rows = [line.split() for line in listed.stdout.splitlines()[1:6]]
    assert [(row[0], row[-1]) for row in rows] == [  # each with its number in the whole list, and its id
        ("1", "neuroplasticity-types"), ("3", "two-routes-of-change"), ("5", "cbt"), ("6", "mindfulness"),
        ("11", "how-learning-lasts")]
    assert "Start one by its number or id, for example:" in listed.stdout.splitlines()[6]
    none = run_cli("--plain", "lessons", "--tag", "level-expert")
    assert none.returncode == 2 and "No lesson has the tag level-expert. Topic and level tags: level-advanced, " in none.stderr
    made = run_cli("assign", "new", "-o", "t.yaml", "--id", "t", "--title", "T", "--therapist", "D", "--client", "C",
                   "--lesson", "cbt:2030-02-01", "--lessons-tagged", "level-basics:2030-01-01", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    loaded, problems = load_assignment_file(tmp_path / "t.yaml")
    assert problems == [] and loaded is not None
    assert [(x.lesson, x.due.isoformat()) for x in loaded.assignment.lessons] == [
        ("cbt", "2030-02-01"),  # given on its own: keeps its own date
        ("neuroplasticity-types", "2030-01-01"), ("two-routes-of-change", "2030-01-01"), ("mindfulness", "2030-01-01"),
        ("how-learning-lasts", "2030-01-01")]
    wrong = run_cli("assign", "new", "-o", "u.yaml", "--id", "u", "--title", "T", "--therapist", "D", "--client", "C",
                    "--lessons-tagged", "topic-cooking:2030-01-01", cwd=tmp_path)
    assert wrong.returncode == 2 and "no lesson has the tag 'topic-cooking'" in wrong.stderr
