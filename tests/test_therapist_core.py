"""The therapist's and the learner's assignment work in the core, called directly (no CLI): writing
and packing an assignment (`assignments.authoring`), adding and removing one
(`assignments.install`), choosing and building a report (`reports.request`), and reading the
reports of a caseload (`reports.caseload`). Time is passed in as `now` / `today`."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from neurotutor import paths
from neurotutor.assignments import authoring, install
from neurotutor.assignments.loader import load_assignment_file
from neurotutor.errors import InvalidFileError, UsageError
from neurotutor.lessons.catalogue import Catalogue, load_catalogue
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
from neurotutor.reports import caseload, request
from neurotutor.stats import tallies as st

DATA = Path(__file__).parent / "data"
GOOD = (DATA / "assignments" / "good.yaml").read_text()
LESSON = (DATA / "assignments" / "my-own-lesson.yaml").read_text()
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)
TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def builtin() -> Catalogue:
    return load_catalogue(paths.builtin_lessons_dir(), [])


def never() -> Catalogue:
    raise AssertionError("the catalogue was read, though nothing needed it")


def _raised(kind: type[Exception], call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(kind) as caught:
        call()
    return caught.value.message  # type: ignore[attr-defined,no-any-return]


# -- writing an assignment ---------------------------------------------------------------------------


def test_a_draft_names_what_is_missing_in_the_order_it_is_asked_for() -> None:
    assert authoring.Draft(id="x").missing == ("title", "therapist", "client", "lesson")
    assert authoring.Draft("x", "T", "D", "C", ("cbt:2030-01-01",)).missing == ()


def test_answers_are_checked_as_they_are_typed_against_the_day_given() -> None:
    assert authoring.id_problem("sk-autumn") is None
    assert authoring.id_problem("SK Autumn") == "Use lowercase letters, digits and single dashes only, e.g. sk-autumn."
    assert authoring.label_problem("x" * 41) == "Keep it to 40 characters or fewer (this is 41)."
    assert authoring.minutes_problem("0") == "Type a whole number of minutes from 1 to 240, or nothing."
    assert (authoring.score_problem("70%"), authoring.score_of("70%")) == (None, 70)
    assert authoring.date_problem("2026-12-07", TODAY) is None
    assert authoring.date_problem("2026-12-06", TODAY) == "2026-12-06 has passed: give today (2026-12-07) or later."
    assert authoring.date_problem("2026-02-30", TODAY) == ("2026-02-30 is not a real date: type year-month-day, "
                                                           "e.g. 2026-12-07.")


def test_a_lesson_file_to_bundle_must_travel_with_the_assignment(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mine.yaml").write_text(LESSON)
    (tmp_path / "broken.yaml").write_text("title: no\n")
    output = tmp_path / "in" / "a.yaml"

    def problem(text: str) -> str | None:
        return authoring.lesson_file_problem(text, output, lambda name: f"check {name}")

    assert problem(str(tmp_path / "in" / "mine.yaml")) is None
    assert problem("mine.txt") == "A lesson file's name ends in .yaml or .yml."
    assert problem(str(tmp_path / "none.yaml")) == f"There is no file {tmp_path / 'none.yaml'}."
    assert problem(str(tmp_path / "broken.yaml")) == ("Put it in the assignment's folder (or below it), so they "
                                                      "travel together.")
    (tmp_path / "in" / "broken.yaml").write_text("title: no\n")
    assert problem(str(tmp_path / "in" / "broken.yaml")) == "Not a valid lesson file; 'check broken.yaml' shows why."


def test_the_options_are_checked_before_anything_is_asked(tmp_path: Path, builtin: Catalogue) -> None:
    target = tmp_path / "a.yaml"
    assert authoring.check_options(target, False, ["cbt:2030-01-01"], [], never) == ("cbt:2030-01-01",)
    target.write_text("")
    assert _raised(UsageError, lambda: authoring.check_options(target, False, [], [], never)) == (
        f"{target} already exists; give --force to replace it, or another file name.")
    assert _raised(UsageError, lambda: authoring.check_options(tmp_path, True, [], [], never)) == (
        f"Cannot write {tmp_path}: it is not a file (an assignment is read back to check it).")
    assert authoring.check_options(target, True, ["cbt:2030-02-01"], ["level-basics:2030-01-01"], lambda: builtin) == (
        "cbt:2030-02-01", "neuroplasticity-types:2030-01-01", "two-routes-of-change:2030-01-01",
        "mindfulness:2030-01-01", "how-learning-lasts:2030-01-01")


def test_a_tag_without_lessons_or_a_value_without_a_date_is_refused(builtin: Catalogue) -> None:
    assert _raised(UsageError, lambda: authoring.tagged_lessons(["level-basics"], builtin.lessons, [])) == (
        "--lessons-tagged level-basics: give a tag and a due date as TAG:YYYY-MM-DD, e.g. level-basics:2026-12-01.")
    message = _raised(UsageError, lambda: authoring.tagged_lessons(["topic-cooking:2030-01-01"], builtin.lessons, []))
    assert message.startswith("--lessons-tagged topic-cooking:2030-01-01: no lesson has the tag 'topic-cooking'. "
                              "Topic and level tags: level-advanced, ")


def test_a_lesson_option_is_an_id_or_a_file_with_a_real_date() -> None:
    assert authoring.lesson_option("cbt:2030-01-01") == ("cbt", date(2030, 1, 1), None)
    assert authoring.lesson_option("mine.yaml:2030-01-01") == ("", date(2030, 1, 1), "mine.yaml")
    assert _raised(UsageError, lambda: authoring.lesson_option("cbt:2026-02-30")) == (
        "--lesson cbt:2026-02-30: 2026-02-30 is not a real date (year-month-day, e.g. 2026-12-01).")
    assert _raised(UsageError, lambda: authoring.lesson_option("cbt")) == (
        "--lesson cbt: give the lesson and its due date as ID:YYYY-MM-DD, e.g. cbt:2026-12-01 (or a lesson file: "
        "my-lesson.yaml:2026-12-01).")


def test_an_assignment_is_written_checked_and_read_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                        builtin: Catalogue) -> None:
    (tmp_path / "mine.yaml").write_text(LESSON)
    output = tmp_path / "sk.yaml"
    draft = authoring.Draft("sk-autumn", "First steps", "Dr A. Example", "S.K.",
                            ("cbt:2026-12-06", "mine.yaml:2026-12-21"), review_minutes=10, exam_score=70,
                            note="See you on Tuesday.")
    written_bytes: list[bytes] = []

    def write(data: bytes) -> None:
        written_bytes.append(data)
        output.write_bytes(data)

    monkeypatch.chdir(tmp_path)  # a lesson file is named as the therapist typed it, relative to here
    written = authoring.write_assignment(draft, output, lambda: builtin, TODAY, "neurotutor lessons", write)
    assert (written.path, written.bundled, written.overdue) == (output, ("mine.yaml",), (("cbt", date(2026, 12, 6)),))
    assert written.lessons == (("cbt", date(2026, 12, 6), None), ("my-own-lesson", date(2026, 12, 21), "mine.yaml"))
    assert written_bytes == [written.text.encode("utf-8")] and output.read_text() == written.text == (
        "# A neurotutor assignment (see docs/assignment-format.md). Check it with: neurotutor validate FILE\n"
        "kind: assignment\nformat: 1\nid: sk-autumn\ntitle: \"First steps\"\ntherapist:\n  name: \"Dr A. Example\"\n"
        "# A pseudonym or initials: the tutor never needs a real name.\nclient: \"S.K.\"\nlessons:\n"
        "  - lesson: cbt\n    due: 2026-12-06\n  - lesson: my-own-lesson\n    due: 2026-12-21\n"
        "    file: \"mine.yaml\"\ngoals:\n  review:\n    minutes_per_day: 10\n  exam:\n    min_score: 70\n"
        "note: |\n  See you on Tuesday.\n")
    loaded, problems = load_assignment_file(output)
    assert problems == [] and loaded is not None and loaded.assignment.id == "sk-autumn"


def test_an_assignment_with_an_unknown_or_a_built_in_lesson_is_not_written(tmp_path: Path, builtin: Catalogue) -> None:
    output = tmp_path / "a.yaml"

    def refuse(*lessons: str) -> str:
        draft = authoring.Draft("x", "T", "Dr A", "C", lessons)
        return _raised(UsageError, lambda: authoring.write_assignment(
            draft, output, lambda: builtin, TODAY, "neurotutor --profile sam lessons",
            lambda data: pytest.fail("written")))

    assert refuse("cbtt:2030-01-01") == ("There is no lesson 'cbtt'. Did you mean cbt? Run 'neurotutor --profile sam "
                                         "lessons' to see them, or bundle a lesson file as FILE.yaml:DATE. The "
                                         "assignment was not written.")
    (tmp_path / "cbt-copy.yaml").write_text(LESSON.replace("id: my-own-lesson", "id: cbt"))
    assert refuse(f"{tmp_path / 'cbt-copy.yaml'}:2030-01-01") == (
        "The lesson in cbt-copy.yaml has the id 'cbt', which is the id of a built-in lesson (05-cbt.yaml); give your "
        "lesson an id of its own. The assignment was not written.")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "mine.yaml").write_text(LESSON)
    draft = authoring.Draft("x", "T", "Dr A", "C", (f"{tmp_path / 'elsewhere' / 'mine.yaml'}:2030-01-01",))
    assert _raised(UsageError, lambda: authoring.write_assignment(
        draft, tmp_path / "sub" / "a.yaml", never, TODAY, "neurotutor lessons", lambda data: pytest.fail("written"))) == (
        f"{tmp_path / 'elsewhere' / 'mine.yaml'} must be in the same folder as {tmp_path / 'sub' / 'a.yaml'} (or below "
        "it), so they travel together. The assignment was not written.")
    bad_id = authoring.Draft("X Y", "T", "Dr A", "C", ("cbt:2030-01-01",))
    message = _raised(InvalidFileError, lambda: authoring.write_assignment(
        bad_id, output, never, TODAY, "neurotutor lessons", lambda data: pytest.fail("written")))
    assert message.startswith(f"{output}:4:5: id: 'X Y' must be a lowercase id") and message.endswith(
        "\nThe assignment was not written.")
    assert not output.exists()


def test_an_assignment_is_packed_from_the_bytes_checked(tmp_path: Path, builtin: Catalogue) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "my-own-lesson.yaml").write_text(LESSON)
    packed = authoring.pack_assignment(tmp_path / "a.yaml", None, False, lambda: builtin)
    assert (packed.target, packed.name, packed.bundled) == (tmp_path / "a.zip", "a.yaml", 1)
    archive = zipfile.ZipFile(io.BytesIO(packed.data))
    assert archive.namelist() == ["a.yaml", "my-own-lesson.yaml"]
    assert archive.read("a.yaml").decode() == GOOD
    assert _raised(UsageError, lambda: authoring.pack_assignment(tmp_path / "b.yaml", None, False, never)) == (
        f"There is no file {tmp_path / 'b.yaml'}.")
    assert _raised(UsageError, lambda: authoring.pack_assignment(tmp_path / "a.yaml", tmp_path / "a.tar", False,
                                                                 never)) == f"{tmp_path / 'a.tar'}: an archive's name ends in .zip."
    (tmp_path / "a.zip").write_bytes(packed.data)
    assert _raised(UsageError, lambda: authoring.pack_assignment(tmp_path / "a.yaml", None, False, never)) == (
        f"{tmp_path / 'a.zip'} already exists; give --force to replace it, or -o with another name.")
    (tmp_path / "my-own-lesson.yaml").write_text(LESSON.replace("title:", "titel:", 1))
    assert _raised(InvalidFileError, lambda: authoring.pack_assignment(tmp_path / "a.yaml", None, True,
                                                                       lambda: builtin)).splitlines()[-1] == (
        "The assignment has the problems above, so it was not packed.")


# -- adding and removing an assignment ---------------------------------------------------------------


def test_an_assignment_is_added_at_the_time_given_with_its_lessons_kept(neurotutor_home: Path, tmp_path: Path,
                                                                        builtin: Catalogue) -> None:
    store = ProgressStore(paths.progress_file())
    folder = neurotutor_home / "lessons"
    added = install.add_assignment(DATA / "assignments" / "good.yaml", folder, lambda: builtin, store, NOW)
    assert (added.assignment.id, added.replaced, added.kept, added.folder) == ("sam-autumn", False, 1, folder)
    assert (added.titles["my-own-lesson"], added.titles["neuroplasticity-types"]) == (
        "A small test lesson", "Neuroplasticity: how the brain changes with experience")
    assert sorted(p.name for p in folder.iterdir()) == ["my-own-lesson.yaml"]
    stored = store.load().assignments["sam-autumn"]
    assert (stored.added, stored.source) == (NOW, str((DATA / "assignments" / "good.yaml").resolve()))
    later = datetime(2026, 12, 8, 9, 0, tzinfo=timezone.utc)
    again = install.add_assignment(DATA / "assignments" / "good.yaml", folder, lambda: builtin, store, later)
    assert again.replaced and store.load().assignments["sam-autumn"].added == NOW  # an update keeps the first day
    before = store.load().assignments["sam-autumn"]
    assert install.remove_assignment(store, "sam-autumn", "neurotutor assignments") == before
    assert store.load().assignments == {}
    assert _raised(UsageError, lambda: install.remove_assignment(store, "sam-autumn", "neurotutor -p x assignments")) == (
        "There is no assignment with the id 'sam-autumn'. Run 'neurotutor -p x assignments' to see them.")


def test_a_bad_or_clashing_assignment_adds_nothing(neurotutor_home: Path, tmp_path: Path) -> None:
    store = ProgressStore(paths.progress_file())
    folder = neurotutor_home / "lessons"
    assert _raised(UsageError, lambda: install.add_assignment(tmp_path / "none.yaml", folder, never, store, NOW)) == (
        f"There is no file or folder {tmp_path / 'none.yaml'}.")
    with_others = load_catalogue(paths.builtin_lessons_dir(), [DATA / "lessons-ok"])
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "a.yaml").write_text(GOOD.replace("due: 2030-12-01", "due: 2026-02-30"))
    (tmp_path / "a" / "my-own-lesson.yaml").write_text(LESSON)
    assert _raised(InvalidFileError, lambda: install.add_assignment(tmp_path / "a" / "a.yaml", folder,
                                                                    lambda: with_others, store, NOW)) == (
        f"{tmp_path / 'a' / 'a.yaml'}:11:10: 2026-02-30 is not a real date (check the day and the month; dates are "
        "written year-month-day)\nThis assignment has the problems above, so it was not added. Please send these "
        "lines to your therapist.")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.yaml").write_text(GOOD.replace("lesson: my-own-lesson", "lesson: test-mini"))
    (tmp_path / "b" / "my-own-lesson.yaml").write_text((DATA / "lessons-ok" / "test-mini.yaml").read_text())
    assert _raised(UsageError, lambda: install.add_assignment(tmp_path / "b" / "a.yaml", folder,
                                                              lambda: with_others, store, NOW)) == (
        f"The lesson 'test-mini' in {tmp_path / 'b' / 'my-own-lesson.yaml'} has the same id as "
        f"{DATA / 'lessons-ok' / 'test-mini.yaml'}; ask your therapist to give their lesson another id.\n"
        "Nothing was added.")
    assert not folder.exists() and not store.path.exists()


def test_adding_and_removing_change_only_the_assignments() -> None:
    loaded, _ = load_assignment_file(DATA / "assignments" / "good.yaml")
    assert loaded is not None
    stored = pm.StoredAssignment(assignment=loaded.assignment, added=NOW, source="good.yaml")
    seeded = pm.Progress(seed=7)
    added = install.with_assignment(seeded, stored)
    assert added == pm.Progress(seed=7, assignments={"sam-autumn": stored})
    assert install.without_assignment(added, "sam-autumn") == seeded
    assert install.without_assignment(added, "other") == added


# -- a report --------------------------------------------------------------------------------------


def _stored(assignment_id: str, added: datetime, text: str = GOOD) -> pm.StoredAssignment:
    from neurotutor.assignments.loader import parse_assignment

    plain = text.replace("  - lesson: my-own-lesson\n    due: 2030-12-08\n    file: my-own-lesson.yaml\n", "")
    loaded, problems = parse_assignment(plain.replace("id: sam-autumn", f"id: {assignment_id}"), "a.yaml")
    assert loaded is not None, problems
    return pm.StoredAssignment(assignment=loaded.assignment, added=added, source="a.yaml")


def test_the_report_is_of_the_assignment_given_the_only_one_or_the_one_picked() -> None:
    old, new = _stored("old", datetime(2026, 11, 1, tzinfo=timezone.utc)), _stored("new", NOW)
    one = pm.Progress(assignments={"old": old})
    both = pm.Progress(assignments={"new": new, "old": old})

    def choose(progress: pm.Progress, given: str | None = None, pick=None) -> pm.StoredAssignment:  # type: ignore[no-untyped-def]
        return request.choose_assignment(progress, given, pick, "neurotutor assignment add FILE", "neurotutor assignments")

    assert choose(one) == old and choose(both, "new") == new
    offered: list[list[str]] = []
    assert choose(both, pick=lambda kept: offered.append([x.assignment.id for x in kept]) or 1) == new
    assert offered == [["old", "new"]]  # the oldest first
    assert _raised(UsageError, lambda: choose(both)) == (
        "You have several assignments; choose one with --assignment ID: old, new.")
    assert _raised(UsageError, lambda: choose(pm.Progress())) == (
        "You have no assignments, so there is nothing to report. Add one with: neurotutor assignment add FILE")
    assert _raised(UsageError, lambda: choose(both, "nope")) == (
        "There is no assignment with the id 'nope'. Run 'neurotutor assignments' to see them.")


def _answer(question: str, at: datetime) -> pm.Attempt:
    from neurotutor.quiz.answers import ChoiceAnswer

    return pm.new_attempt(lesson="neuroplasticity-types", question=question, mode="review",
                          answer=ChoiceAnswer(frozenset({1})), answer_text="x", correct=True, seconds=30.0, now=at,
                          utc_offset=0)


def test_a_report_counts_up_to_now_and_leaves_later_answers_out(neurotutor_home: Path, builtin: Catalogue) -> None:
    stored = _stored("sam-autumn", datetime(2026, 11, 30, 12, tzinfo=timezone.utc))
    question = builtin.find("neuroplasticity-types").lesson.questions[0].id
    genuine = _answer(question, datetime(2026, 12, 1, 10, tzinfo=timezone.utc))
    ahead = _answer(question, datetime(2100, 1, 2, 9, tzinfo=timezone.utc))  # a clock that was ahead
    store = ProgressStore(paths.progress_file())
    store.update(lambda p: pm.apply_attempt(pm.apply_attempt(install.with_assignment(p, stored), genuine), ahead),
                 (genuine, ahead))
    progress = store.load()
    tallies = st.of([genuine, ahead])
    report = request.report_of(stored, progress, builtin, tallies, store.history_path, NOW, TODAY, False)
    lesson = report.lessons[0]
    assert (report.generated, report.verbatim, report.left_out, report.future) == (NOW, False, 1, date(2100, 1, 2))
    assert (lesson.lesson_id, lesson.status, lesson.review_answers, lesson.review_days, lesson.last_studied) == (
        "neuroplasticity-types", "new", 1, 1, datetime(2026, 12, 1, 10, tzinfo=timezone.utc))
    assert (report.review_days, report.days_since_added, report.review_goal_minutes, report.exam_goal) == (1, 8, 10, 70)
    assert report.summary[-1].startswith("1 answer is dated after this report was written (the latest on 2100-01-02)")
    untouched = request.report_of(stored, pm.Progress(assignments={"sam-autumn": stored}), builtin, st.of([]),
                                  store.path.parent / "no-history", NOW, TODAY, True)
    assert [(x.status, x.overdue, x.review_answers) for x in untouched.lessons] == [("new", False, 0)]
    assert (untouched.verbatim, untouched.left_out, untouched.summary[0]) == (True, 0, "Done: 0 of 1 lessons.")


def test_a_report_is_rendered_in_the_format_chosen_with_dates_unless_times_are_chosen(builtin: Catalogue) -> None:
    import json

    from neurotutor.reports.build import Choices
    from neurotutor.reports.render import report_file

    stored = _stored("sam-autumn", datetime(2026, 11, 30, 12, tzinfo=timezone.utc))
    progress = pm.Progress(assignments={"sam-autumn": stored})
    report = request.report_of(stored, progress, builtin, st.of([]), Path("no-history"), NOW, TODAY, False,
                               client_key="c-abcdefgh23")
    doc = json.loads(report_file(report, "json", "test"))
    assert (doc["format"], doc["version"], doc["generated_on"], doc["tutor_version"]) == (
        "neurotutor-report", 2, "2026-12-07", "test")
    assert doc["client"] == {"label": "S.K.", "key": "c-abcdefgh23"} and "generated_at" not in doc
    assert (doc["assignment"]["added_on"], "added_at" in doc["assignment"]) == ("2026-11-30", False)
    timed = request.report_of(stored, progress, builtin, st.of([]), Path("no-history"), NOW, TODAY, False,
                              Choices(times=True), "c-abcdefgh23")
    doc = json.loads(report_file(timed, "json", "test"))
    assert (doc["generated_on"], doc["generated_at"], doc["assignment"]["added_at"]) == (
        "2026-12-07", "2026-12-07T12:00:00Z", "2026-11-30T12:00:00Z")
    assert report_file(report, "md", "test").startswith(b"# ")
    assert b"<html" in report_file(report, "html", "test")


def test_a_lesson_left_out_keeps_only_its_status_and_counts_nowhere(builtin: Catalogue) -> None:
    from neurotutor.reports.build import Choices

    stored = _stored("sam-autumn", datetime(2026, 11, 30, 12, tzinfo=timezone.utc))
    question = builtin.find("neuroplasticity-types").lesson.questions[0].id
    answered = _answer(question, datetime(2026, 12, 1, 10, tzinfo=timezone.utc))
    progress = pm.apply_attempt(pm.Progress(assignments={"sam-autumn": stored}), answered)
    tallies = st.of([answered])
    kept = request.report_of(stored, progress, builtin, tallies, Path("no-history"), NOW, TODAY, False)
    assert (kept.lessons[0].review_answers, kept.review_days, kept.lessons[0].details) == (1, 1, True)
    left = request.report_of(stored, progress, builtin, tallies, Path("no-history"), NOW, TODAY, False,
                             Choices(left_out=frozenset({"lesson:neuroplasticity-types"})))
    lesson = left.lessons[0]
    assert (lesson.details, lesson.status, lesson.due, lesson.questions, lesson.last_studied, lesson.review_answers) == (
        False, "new", date(2030, 12, 1), (), None, 0)
    assert (left.review_days, left.review_minutes, left.calibration.rated) == (0, 0.0, 0)  # nowhere
    assert left.summary[-1] == "Not studied yet."


# -- a caseload --------------------------------------------------------------------------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    from payloads import example_json

    path = tmp_path / "example.json"
    path.write_bytes(example_json())
    return path


def test_each_report_is_read_once_and_none_is_replaced_by_the_caseload(tmp_path: Path, example: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_bytes(example.read_bytes())
    given = caseload.given_reports([example, copy, example], None)
    assert given == caseload.Given((example, copy), (example,), 3)
    link = tmp_path / "link.json"
    link.symlink_to(copy)
    assert _raised(UsageError, lambda: caseload.given_reports([example, copy], link)) == (
        f"{link} is one of the reports you gave, and writing the caseload would replace it: give another file name "
        "with -o. Nothing was written.")
    assert caseload.given_reports([example], tmp_path / "caseload.html").paths == (example,)


def test_a_folder_given_is_its_report_files_by_name(tmp_path: Path, example: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("b.json", "a.json.age", "c.JSON", "r.md", "r.html", "notes.txt", ".hidden.json"):
        (folder / name).write_bytes(example.read_bytes())
    (folder / "sub.json").mkdir()  # a folder is not a report, whatever its name
    given = caseload.given_reports([folder, folder / "b.json"], None)
    assert given == caseload.Given(
        (folder / "a.json.age", folder / "b.json", folder / "c.JSON"), (folder / "b.json",), 4, (
            f"{folder / 'r.html'}: skipped, the readable report; the caseload reads the .json (or sealed .json.age) file",
            f"{folder / 'r.md'}: skipped, the readable report; the caseload reads the .json (or sealed .json.age) file"),
        (folder / "a.json.age", folder / "c.JSON"))  # found in the folder (b.json is named on its own too)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _raised(UsageError, lambda: caseload.given_reports([empty], None)) == (
        f"{empty}: the folder holds no report files (.json, or sealed .json.age).")


def test_a_caseload_is_summed_up_at_now_or_refused_whole(tmp_path: Path, example: Path) -> None:
    summed = caseload.sum_up(caseload.Given((example,), (example,), 2), datetime(2026, 11, 24, tzinfo=timezone.utc))
    assert [(r.client, r.client_key, r.generated, r.source, r.sealed, r.other) for r in summed.rows] == [
        ("S.K.", "c-skautumn23", "2026-11-23", str(example), False, "")]
    early = caseload.sum_up(caseload.Given((example,), (), 1), datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert (early.rows, early.set_aside) == ((), (
        f"{example}: left out, dated in the future (2026-11-23); the computer's clock that wrote it may be wrong",))
    newer = tmp_path / "newer.json"
    newer.write_text('{"format": "neurotutor-report", "version": 3}')
    assert _raised(InvalidFileError, lambda: caseload.sum_up(caseload.Given((example, newer), (example,), 3), NOW)) == (
        f"{newer}:1:1: is a report of version 3, and this neurotutor reads version 2: upgrade neurotutor to read it\n"
        "1 of 3 report files could not be read; nothing was summed up.")
    older = tmp_path / "older.json"
    older.write_bytes((DATA / "reports" / "example.json").read_bytes())  # version 1
    assert _raised(InvalidFileError, lambda: caseload.sum_up(caseload.Given((older,), (), 1), NOW)) == (
        f"{older}:1:1: is a report of version 1, and this neurotutor reads version 2: it was written by an older "
        "neurotutor; ask the client to update neurotutor and write the report again\n"
        "1 of 1 report file could not be read; nothing was summed up.")


MINE = "age1" + "q" * 58  # (a key's shape is all the caseload compares)
THEIRS = "age1" + "p" * 58


def test_reports_of_another_therapists_assignments_are_named_and_left_out_unless_asked_for(tmp_path: Path) -> None:
    from payloads import example_json

    def report(name: str, key: str | None, therapist: str = "Dr A. Example", client: str = "c-skautumn23") -> caseload.Loaded:
        import json

        from neurotutor.reports.render import digest_of

        doc = json.loads(example_json(therapist_key=key, client_key=client))
        doc["assignment"]["therapist"] = therapist
        doc["digest"] = digest_of(doc)
        path = tmp_path / name
        path.write_text(json.dumps(doc))
        loaded, problems, sealed = caseload.load_report(path)
        assert problems == [] and loaded is not None
        return caseload.Loaded(str(path), loaded, sealed)

    mine, theirs, unkeyed = report("mine.json", MINE), report("theirs.json", THEIRS, client="c-another234"), \
        report("plain.json", None, "Dr B. Other", "c-athird2345")
    now = datetime(2026, 11, 24, tzinfo=timezone.utc)
    shut = caseload.build_caseload([mine, theirs, unkeyed], now, own_key=MINE)
    assert sorted(r.source for r in shut.rows) == [mine.source, unkeyed.source]  # a report without a key is not refused
    assert shut.others == (f"{theirs.source}: left out, its assignment (sk-autumn) carries another therapist's key, not "
                           "yours (give --others to include it)",)
    shown = caseload.build_caseload([mine, theirs, unkeyed], now, own_key=MINE, others=True)
    assert sorted((r.source, r.other) for r in shown.rows) == [
        (mine.source, ""), (unkeyed.source, ""),
        (theirs.source, "its assignment (sk-autumn) carries another therapist's key, not yours")]
    assert shown.others == ()
    named = caseload.build_caseload([mine, theirs, unkeyed], now, own_name="dr a. example")  # no key: by name
    assert sorted(r.source for r in named.rows) == [mine.source, theirs.source]
    assert named.others == (f"{unkeyed.source}: left out, its assignment (sk-autumn) was set by Dr B. Other, not dr a. "
                            "example (give --others to include it)",)
    everyone = caseload.build_caseload([mine, theirs, unkeyed], now)  # neither: every report counts as one's own
    assert (len(everyone.rows), everyone.others, everyone.therapists) == (3, (), ("Dr A. Example", "Dr B. Other"))
