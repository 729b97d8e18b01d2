"""Assignments as an attacker or a fault would send them (issue 16: 2, 4, 5, 12, 16, 17, 18, 24 and
the regular-file rule): a folder is read like a zip (no links, bounded), a problem never echoes a
file, assignments get the lessons' character check and length limits, bundled lessons are kept
by id so no assignment replaces another's, and a zip that cannot be unpacked is a message."""

from __future__ import annotations

import json
import os
import sys
import warnings
import zipfile
from pathlib import Path

import pytest

from neurotutor import paths
from neurotutor.assignments.loader import parse_assignment

from flows import cli

DATA = Path(__file__).parent / "data" / "assignments"
GOOD = (DATA / "good.yaml").read_text()
LESSON = (DATA / "my-own-lesson.yaml").read_text()
BUILTIN = paths.builtin_lessons_dir()
THERAPIST = "This assignment has the problems above, so it was not added. Please send these lines to your therapist.\n"



def folder(where: Path, assignment: str = GOOD, **lessons: str) -> Path:
    """A folder holding a.yaml and lesson files (keyword: file name with '__' for '/', text)."""
    where.mkdir(parents=True)
    (where / "a.yaml").write_text(assignment)
    for name, text in (lessons or {"my-own-lesson.yaml": LESSON}).items():
        path = where / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return where


def other_lesson(lesson_id: str, title: str = "Another lesson") -> str:
    """A valid lesson with its own id and its own question ids."""
    return (LESSON.replace("id: my-own-lesson", f"id: {lesson_id}").replace("id: tm-", f"id: {lesson_id}-")
            .replace("title: A small test lesson", f"title: {title}"))


def kept(home: Path) -> list[str]:
    folder = home / "lessons"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def problems_of(text: str) -> list[str]:
    loaded, problems = parse_assignment(text, "a.yaml")
    assert loaded is None
    return [str(p) for p in problems]


# 2. A folder is read like a zip: no links; a problem never echoes a file ----------------------

def test_a_folder_with_a_link_to_a_secret_file_is_refused_without_reading_it(capsys, tmp_path: Path,
                                                                               neurotutor_home: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$salt$hash:19000:0:99999:7:::\nsecretkey: hunter2\n")
    given = folder(tmp_path / "from-therapist")
    (given / "my-own-lesson.yaml").unlink()
    (given / "my-own-lesson.yaml").symlink_to(secret)
    link = f"{given / 'my-own-lesson.yaml'}: is a link, not a file; it was not read\n"
    assert cli(capsys, "assignment", "add", str(given)) == (2, "", link + "Nothing was added.\n")
    assert cli(capsys, "assignment", "add", str(given / "a.yaml")) == (2, "", link + THERAPIST)
    assert cli(capsys, "validate", str(given / "a.yaml")) == (2, "", link + "1 problem in 1 file.\n")
    assert kept(neurotutor_home) == [] and not (neurotutor_home / "progress.json").exists()


def test_a_link_to_a_valid_lesson_or_folder_outside_is_not_copied_into_the_profile(capsys, tmp_path: Path,
                                                                                    neurotutor_home: Path) -> None:
    outside = folder(tmp_path / "elsewhere")
    given = folder(tmp_path / "from-therapist")
    (given / "my-own-lesson.yaml").unlink()
    (given / "my-own-lesson.yaml").symlink_to(outside / "my-own-lesson.yaml")
    code, out, err = cli(capsys, "assignment", "add", str(given))
    assert (code, err) == (2, f"{given / 'my-own-lesson.yaml'}: is a link, not a file; it was not read\nNothing was added.\n")
    # a linked folder on the way to the file, with the assignment given as its .yaml file
    sub = folder(tmp_path / "sub-link", GOOD.replace("file: my-own-lesson.yaml", "file: sub/my-own-lesson.yaml"))
    (sub / "my-own-lesson.yaml").unlink()
    (sub / "sub").symlink_to(outside, target_is_directory=True)
    code, out, err = cli(capsys, "assignment", "add", str(sub / "a.yaml"))
    assert (code, err) == (2, f"{sub / 'sub'}: is a link, not a file; it was not read\n" + THERAPIST)
    assert kept(neurotutor_home) == []


def test_a_bundled_file_that_is_no_lesson_is_named_but_not_quoted(capsys, tmp_path: Path) -> None:
    given = folder(tmp_path / "f", **{"my-own-lesson.yaml": "secretkey: hunter2\npassword: swordfish\n"})
    code, out, err = cli(capsys, "validate", str(given / "a.yaml"))
    assert (code, err) == (2, f"{given / 'my-own-lesson.yaml'}: is not a lesson file (it has none of a lesson's fields: "
                              "format, id, questions, sections, summary, title); check which file lessons[2].file "
                              "names\n1 problem in 1 file.\n")


def test_a_problem_quotes_at_most_a_short_escaped_excerpt_of_the_file() -> None:
    from neurotutor.lessons.loader import parse_lesson

    key = "secret" * 1000
    _, problems, _ = parse_lesson(f"format: 1\n? {key}\n: 1\nid: {'Not-A-Slug' * 500}\nlevel: \"x\\e{'y' * 900}\"\n",
                                  "l.yaml")
    shown = [str(p) for p in problems]
    assert shown == [
        f"l.yaml:2:3: {key[:60]}…: unknown field {key[:60]!r}… (allowed: content_note, format, id, level, lint, "
        "minutes, misconceptions, prerequisites, questions, references, sections, summary, tags, title, try_it)",
        f"l.yaml:4:5: id: {'Not-A-Slug' * 6!r}… must be a lowercase id: letters a-z, digits and single hyphens, "
        "like 'my-lesson'",
        "l.yaml:1:1: missing required field 'title'",
        "l.yaml:1:1: missing required field 'summary'",
        f"l.yaml:5:8: level: must be one of learner, trainee; got 'x\\x1b{'y' * 58}'…",
        "l.yaml:1:1: missing required field 'minutes'",
        "l.yaml:1:1: missing required field 'sections'",
        "l.yaml:5:8: level: contains a control character (U+001B ESC) at character 2; remove it"]
    assert max(len(line) for line in shown) < 320  # the longest: the list of allowed fields, not the file


# 4. Assignments get the character check lessons get ------------------------------------------

def test_control_and_bidi_characters_in_an_assignment_are_refused_where_they_are(capsys, tmp_path: Path,
                                                                                 monkeypatch) -> None:
    text = (GOOD.replace("title: Understanding how therapy works", 'title: "\\e]0;pwned\\aUnderstanding"')
            .replace("client: S.K.", "client: S\u202eK"))
    assert problems_of(text) == [
        "a.yaml:4:8: title: contains a control character (U+001B ESC) at character 1; remove it",
        "a.yaml:8:9: client: contains a bidirectional override (U+202E right-to-left override) at character 2; remove it"]
    given = folder(tmp_path / "f", text)
    expected = (f"{given / 'a.yaml'}:4:8: title: contains a control character (U+001B ESC) at character 1; remove it\n"
                f"{given / 'a.yaml'}:8:9: client: contains a bidirectional override (U+202E right-to-left override) at "
                "character 2; remove it\n")
    assert cli(capsys, "validate", str(given / "a.yaml")) == (2, "", expected + "2 problems in 1 file.\n")
    assert cli(capsys, "assignment", "add", str(given / "a.yaml")) == (2, "", expected + THERAPIST)
    code, out, err = cli(capsys, "assign", "pack", str(given / "a.yaml"))
    assert (code, err) == (2, expected + "The assignment has the problems above, so it was not packed.\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = cli(capsys, "assign", "new", "-o", "n.yaml", "--id", "n", "--title", "T", "--therapist", "Dr \x1b[2J",
                         "--client", "C", "--lesson", "cbt:2030-01-01")
    assert (code, err) == (2, "n.yaml:7:9: therapist.name: contains a control character (U+001B ESC) at character 4; "
                              "remove it\nThe assignment was not written.\n")
    assert not (tmp_path / "n.yaml").exists()


# 5. Bundled lessons are kept by id: none replaces another ------------------------------------

def test_two_assignments_with_one_file_name_keep_both_lessons(capsys, tmp_path: Path, neurotutor_home: Path) -> None:
    first = folder(tmp_path / "first")
    second = folder(tmp_path / "second", GOOD.replace("id: sam-autumn", "id: sam-winter")
                    .replace("lesson: my-own-lesson", "lesson: winter-lesson"),
                    **{"my-own-lesson.yaml": other_lesson("winter-lesson", "Winter")})
    assert cli(capsys, "assignment", "add", str(first))[0] == 0
    assert cli(capsys, "assignment", "add", str(second))[0] == 0
    assert kept(neurotutor_home) == ["my-own-lesson.yaml", "winter-lesson.yaml"]
    code, out, err = cli(capsys, "--plain", "lessons")
    assert (code, err) == (0, "") and "A small test lesson" in out and "Winter" in out


def test_two_bundled_files_with_one_base_name_are_both_kept(capsys, tmp_path: Path, neurotutor_home: Path) -> None:
    text = (GOOD.replace("file: my-own-lesson.yaml", "file: week1/lesson.yaml")
            .replace("  - lesson: neuroplasticity-types\n    due: 2030-12-01\n",
                     "  - lesson: second-lesson\n    due: 2030-12-01\n    file: week2/lesson.yaml\n")
            .replace("lessons: [neuroplasticity-types]", "lessons: [second-lesson]"))
    given = folder(tmp_path / "f", text, **{"week1__lesson.yaml": LESSON, "week2__lesson.yaml": other_lesson("second-lesson")})
    assert cli(capsys, "assignment", "add", str(given))[0] == 0
    assert kept(neurotutor_home) == ["my-own-lesson.yaml", "second-lesson.yaml"]


def test_a_different_lesson_with_an_id_another_assignment_uses_is_refused_naming_both(capsys, tmp_path: Path,
                                                                                     neurotutor_home: Path) -> None:
    first = folder(tmp_path / "first")
    changed = LESSON.replace("title: A small test lesson", "title: Someone else's lesson")
    second = folder(tmp_path / "second", GOOD.replace("id: sam-autumn", "id: sam-winter"),
                    **{"my-own-lesson.yaml": changed})
    assert cli(capsys, "assignment", "add", str(first))[0] == 0
    code, out, err = cli(capsys, "assignment", "add", str(second))
    assert (code, out, err) == (2, "", f"The lesson 'my-own-lesson' in {second / 'my-own-lesson.yaml'} is not the same as "
                                       "the lesson 'my-own-lesson' that came with the assignment 'sam-autumn' "
                                       "(Understanding how therapy works), kept in "
                                       f"{neurotutor_home / 'lessons' / 'my-own-lesson.yaml'}; ask your therapist to "
                                       "give their lesson another id.\nNothing was added.\n")
    assert (neurotutor_home / "lessons" / "my-own-lesson.yaml").read_text() == LESSON
    # the very same lesson with another assignment is no clash: it is kept once
    same = folder(tmp_path / "same", GOOD.replace("id: sam-autumn", "id: sam-spring")
                  .replace("file: my-own-lesson.yaml", "file: copy.yaml"), **{"copy.yaml": LESSON})
    assert cli(capsys, "assignment", "add", str(same))[0] == 0
    assert kept(neurotutor_home) == ["my-own-lesson.yaml"]
    assert cli(capsys, "--plain", "lessons")[2] == ""  # no warning about a lesson kept twice
    # once no assignment that uses it is left, the other lesson may take the id
    assert cli(capsys, "assignment", "remove", "sam-autumn")[0] == 0
    assert cli(capsys, "assignment", "add", str(second))[0] == 2  # sam-spring still uses it
    assert cli(capsys, "assignment", "remove", "sam-spring")[0] == 0
    assert cli(capsys, "assignment", "add", str(second))[0] == 0
    assert (neurotutor_home / "lessons" / "my-own-lesson.yaml").read_text() == changed


def test_adding_again_updates_and_removing_then_adding_again_works(capsys, tmp_path: Path, neurotutor_home: Path) -> None:
    given = folder(tmp_path / "f")
    assert cli(capsys, "--plain", "assignment", "add", str(given))[1].startswith("\nAdded: ")
    newer = LESSON.replace("title: A small test lesson", "title: A small test lesson, revised")
    (given / "my-own-lesson.yaml").write_text(newer)
    code, out, err = cli(capsys, "--plain", "assignment", "add", str(given))
    assert (code, err) == (0, "") and out.startswith("\nUpdated: ")
    assert kept(neurotutor_home) == ["my-own-lesson.yaml"]
    assert (neurotutor_home / "lessons" / "my-own-lesson.yaml").read_text() == newer
    assert cli(capsys, "assignment", "remove", "sam-autumn")[0] == 0
    assert kept(neurotutor_home) == ["my-own-lesson.yaml"]  # the answers and the lesson stay
    code, out, err = cli(capsys, "--plain", "assignment", "add", str(given))
    assert (code, err) == (0, "") and out.startswith("\nAdded: ")
    assert kept(neurotutor_home) == ["my-own-lesson.yaml"]
    listed = json.loads(cli(capsys, "assignments", "--json")[1])
    assert [r["lesson"] for r in listed["lessons"]] == ["neuroplasticity-types", "my-own-lesson"]


def test_lessons_kept_the_old_way_keep_working_and_are_never_lost(capsys, tmp_path: Path, neurotutor_home: Path) -> None:
    old = neurotutor_home / "lessons"
    old.mkdir(parents=True)
    neurotutor_home.chmod(0o700)
    (old / "from-last-year.yaml").write_text(LESSON)  # kept by its file's name, as before
    (old / "my-own-lesson.yaml").write_text(other_lesson("legacy-lesson", "Legacy"))  # a name that is now an id's
    code, out, err = cli(capsys, "--plain", "lessons")
    assert (code, err) == (0, "") and "A small test lesson" in out and "Legacy" in out
    assert cli(capsys, "assignment", "add", str(folder(tmp_path / "f")))[0] == 0
    assert kept(neurotutor_home) == ["legacy-lesson.yaml", "my-own-lesson.yaml"]
    assert (old / "my-own-lesson.yaml").read_text() == LESSON
    assert (old / "legacy-lesson.yaml").read_text() == other_lesson("legacy-lesson", "Legacy")
    code, out, err = cli(capsys, "--plain", "lessons")
    assert (code, err) == (0, "") and "A small test lesson" in out and "Legacy" in out


# 12, 17. Zip archives that cannot be unpacked as they say ------------------------------------

def _zip(path: Path, members: list[tuple[str, str]], method: int = zipfile.ZIP_STORED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: that is the point
        with zipfile.ZipFile(path, "w", method) as zf:
            for name, text in members:
                zf.writestr(name, text)
    return path


def _damage(path: Path, member: str, keep: int) -> None:
    """Overwrite a member's compressed bytes (after the first `keep`) with 0xff."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little") \
        + int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    data[start + keep:start + info.compress_size] = b"\xff" * (info.compress_size - keep)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("method, keep", [(zipfile.ZIP_DEFLATED, 0), (zipfile.ZIP_LZMA, 9)], ids=["deflate", "lzma"])
def test_a_damaged_compressed_member_is_a_message(capsys, tmp_path: Path, method: int, keep: int) -> None:
    archive = _zip(tmp_path / "a.zip", [("a.yaml", GOOD), ("my-own-lesson.yaml", LESSON)], method)
    _damage(archive, "my-own-lesson.yaml", keep)
    line = f"{archive}: is not a readable zip archive (the file 'my-own-lesson.yaml' in it is damaged)\n"
    assert cli(capsys, "validate", str(archive)) == (2, "", line + "1 problem in 1 file.\n")
    assert cli(capsys, "assignment", "add", str(archive)) == (2, "", line + THERAPIST)


def test_a_zip_with_one_name_twice_or_a_name_with_a_bidi_character_is_refused(capsys, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "dup.zip", [("a.yaml", GOOD), ("my-own-lesson.yaml", "id: decoy\n"),
                                          ("my-own-lesson.yaml", LESSON)])
    assert cli(capsys, "validate", str(archive)) == (
        2, "", f"{archive}/my-own-lesson.yaml: is in the archive more than once; it was not read\n1 problem in 1 file.\n")
    bidi = _zip(tmp_path / "bidi.zip", [("a.yaml", GOOD), ("my-own-lesson.yaml", LESSON), ("x\u202elmth.yaml", "")])
    assert cli(capsys, "validate", str(bidi)) == (
        2, "", f"{bidi}/x\\u202elmth.yaml: has U+202E right-to-left override in its name; it was not read\n"
               "1 problem in 1 file.\n")


# 16. A bundled lesson the client's tutor would refuse is refused at validate and add ----------

def test_a_bundled_lesson_that_could_never_load_is_refused(capsys, tmp_path: Path) -> None:
    taken = folder(tmp_path / "taken", **{"my-own-lesson.yaml": LESSON.replace(
        "id: tm-single", "id: cbt-same-text-different-feelings")})
    lesson = taken / "my-own-lesson.yaml"
    assert cli(capsys, "validate", str(taken / "a.yaml")) == (
        2, "", f"{lesson}:31:9: question id 'cbt-same-text-different-feelings' is already used in "
               f"{BUILTIN / '05-cbt.yaml'}\n1 problem in 1 file.\n")
    assert cli(capsys, "assignment", "add", str(taken / "a.yaml"))[0] == 2
    prerequisite = folder(tmp_path / "prerequisite", **{"my-own-lesson.yaml": LESSON.replace(
        "tags: [test]", "tags: [test]\nprerequisites: [zzzz-qqqq]")})
    assert cli(capsys, "assignment", "add", str(prerequisite)) == (
        2, "", f"{prerequisite / 'my-own-lesson.yaml'}:7:17: prerequisite 'zzzz-qqqq' is not a known lesson\n" + THERAPIST)
    for name, why in [(".hidden.yaml", "'.hidden.yaml' names a hidden file or folder (its name starts with '.'), "
                                       "which the tutor does not read; rename it"),
                      ("my-own-lesson.txt", "'my-own-lesson.txt' is not a lesson file name: a lesson file's name ends "
                                            "in .yaml or .yml"),
                      ("my-own-lesson.json", "'my-own-lesson.json' is not a lesson file name: a lesson file's name "
                                             "ends in .yaml or .yml")]:
        given = folder(tmp_path / name, GOOD.replace("file: my-own-lesson.yaml", f"file: {name}"), **{name: LESSON})
        assert cli(capsys, "validate", str(given / "a.yaml")) == (
            2, "", f"{given / 'a.yaml'}:14:11: lessons[2].file: {why}\n1 problem in 1 file.\n")


# 18. A folder source is bounded: walk, reads, and what it names -------------------------------

def test_a_huge_file_in_an_assignment_folder_is_not_read_whole(tmp_path: Path) -> None:
    import subprocess

    given = folder(tmp_path / "f")
    with open(given / "stray.yaml", "wb") as fh:
        fh.truncate(3 << 30)  # sparse: 3 GiB that take no room
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from neurotutor.cli.app import main; main(sys.argv[1:])")
    done = subprocess.run([sys.executable, "-c", code, "--plain", "assignment", "add", str(given)],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("\nAdded: Understanding how therapy works.")


def test_a_folder_that_is_not_an_assignment_folder_is_refused_without_listing_it(capsys, tmp_path: Path) -> None:
    tail = (", so it is not an assignment folder; give the assignment file itself, its .zip archive, or a folder "
            "that holds only the assignment and its lesson files\nNothing was added.\n")
    crowded = folder(tmp_path / "crowded")
    for n in range(100):
        (crowded / f"private-{n}.txt").write_text("")
    assert cli(capsys, "assignment", "add", str(crowded)) == (
        2, "", f"{crowded}: holds more than 100 files or folders" + tail)
    deep = tmp_path / "deep"
    folder(deep.joinpath(*"abcdefghi"))
    assert cli(capsys, "assignment", "add", str(deep)) == (2, "", f"{deep}: has folders more than 8 levels deep" + tail)
    code, out, err = cli(capsys, "assignment", "add", "/")
    assert (code, out, err) == (2, "", "/: holds more than 100 files or folders" + tail)


# Only regular files are read: a pipe or a device never hangs a command ------------------------

def test_a_pipe_or_a_device_named_as_the_assignment_is_refused_at_once(run_cli, capsys, tmp_path: Path) -> None:
    pipe = tmp_path / "a.zip"
    os.mkfifo(pipe)
    done = run_cli("assignment", "add", str(pipe))  # in a child: before the fix, opening it waited forever
    refused = ("is not a regular file (a device or pipe?); give the assignment file, its .zip archive or the folder "
               "that holds them\nNothing was added.\n")
    assert (done.returncode, done.stderr) == (2, f"{pipe}: {refused}")
    assert cli(capsys, "assignment", "add", "/dev/zero") == (2, "", f"/dev/zero: {refused}")
    (tmp_path / "zero.zip").symlink_to("/dev/zero")
    assert cli(capsys, "assignment", "add", str(tmp_path / "zero.zip")) == (2, "", f"{tmp_path / 'zero.zip'}: {refused}")
    assert cli(capsys, "assign", "pack", "/dev/zero") == (
        2, "", "/dev/zero is not a regular file (a folder, a device or a pipe?); give the assignment's .yaml file.\n")
    given = folder(tmp_path / "f")
    (given / "my-own-lesson.yaml").unlink()
    os.mkfifo(given / "my-own-lesson.yaml")
    assert cli(capsys, "validate", str(given / "a.yaml")) == (
        2, "", f"{given / 'my-own-lesson.yaml'}: is not a regular file (a device or pipe?); it was not read\n"
               "1 problem in 1 file.\n")


# 24. Bundled file names are plain; free text is bounded ---------------------------------------

def test_a_bundled_file_name_must_be_a_plain_file_name() -> None:
    def file_problem(name: str) -> list[str]:
        _, problems = parse_assignment(GOOD.replace("file: my-own-lesson.yaml", f"file: {json.dumps(name)}"), "a.yaml")
        return [str(p) for p in problems]

    assert file_problem("my\u202elesson.yaml") == [
        "a.yaml:14:11: lessons[2].file: contains a bidirectional override (U+202E right-to-left override) at "
        "character 3; remove it"]
    assert file_problem("my\u200blesson.yaml") == [
        "a.yaml:14:11: lessons[2].file: 'my\\u200blesson.yaml' is not a plain file name (U+200B ZERO WIDTH SPACE in "
        "it); use letters, digits, spaces, dots, dashes and underscores, with '/' between folders"]
    assert file_problem("what?.yaml") == [
        "a.yaml:14:11: lessons[2].file: 'what?.yaml' is not a plain file name (U+003F QUESTION MARK in it); use "
        "letters, digits, spaces, dots, dashes and underscores, with '/' between folders"]
    assert file_problem("week 1/my lesson.yaml") == []  # spaces and folders are fine


def test_free_text_has_documented_limits() -> None:
    note = "  Take your time. Stop whenever you need to; we will talk it over next week.\n"

    def sized(title: int, name: int, contact: int, text: int) -> str:  # the note holds its line's end too
        return (GOOD.replace("title: Understanding how therapy works", "title: " + "t" * title)
                .replace("name: Dr A. Example", "name: " + "n" * name)
                .replace('contact: "a.example@clinic.example, or at our next session"', "contact: " + "c" * contact)
                .replace(note, "  " + "x" * (text - 1) + "\n"))

    assert problems_of(sized(201, 101, 201, 4001)) == [
        "a.yaml:4:8: title: is too long (201 characters, at most 200)",
        "a.yaml:6:9: therapist.name: is too long (101 characters, at most 100)",
        "a.yaml:7:12: therapist.contact: is too long (201 characters, at most 200)",
        "a.yaml:22:7: note: is too long (4001 characters, at most 4000)"]
    loaded, problems = parse_assignment(sized(200, 100, 200, 4000), "a.yaml")
    assert problems == [] and loaded is not None and len(loaded.assignment.note or "") == 4000


def test_an_assignment_added_before_the_limits_still_loads(capsys, neurotutor_home: Path) -> None:
    from datetime import datetime, timezone

    import msgspec

    from neurotutor.assignments.model import Assignment
    from neurotutor.progress import model as pm
    from neurotutor.progress.store import ProgressStore

    loaded, _ = parse_assignment(GOOD, "a.yaml")
    assert loaded is not None
    long = msgspec.structs.replace(loaded.assignment, note="x" * 9000, title="t" * 300)
    assert isinstance(long, Assignment)
    stored = pm.StoredAssignment(assignment=long, added=datetime(2026, 1, 1, tzinfo=timezone.utc), source="a.yaml")
    store = ProgressStore(neurotutor_home / "progress.json")
    store.update(lambda p: msgspec.structs.replace(p, assignments={long.id: stored}), keep_if_busy=False)
    code, out, err = cli(capsys, "assignments", "--json")
    assert (code, err) == (0, "") and json.loads(out)["assignments"][0]["note"] == "x" * 9000


# Second round (the tester's findings F1, F2, F9 and a zip's case-only twins) -------------------

SECRET = "".join(f"user{n}:$6$salt$hash{n}:19000:0:99999:7:::\n" for n in range(1, 29))  # like /etc/shadow
ASSIGNMENT_FIELDS = "client, format, goals, id, kind, lessons, note, therapist, title"
LESSON_FIELDS = "format, id, questions, sections, summary, title"


def _swap_after_first_look(monkeypatch, name: str, swap) -> None:  # type: ignore[no-untyped-def]
    """os.scandir whose entry `name` is swapped (by `swap()`) right after the walk first looks at
    it: what the folder's owner can do, racing, between the walk's look and the reading."""
    real = os.scandir

    class Entry:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self._entry, self.name, self.path = entry, entry.name, entry.path

        def __getattr__(self, attr: str):  # type: ignore[no-untyped-def]
            method = getattr(self._entry, attr)

            def looked(*args, **kwargs):  # type: ignore[no-untyped-def]
                result = method(*args, **kwargs)
                if self.name == name and not swapped:
                    swapped.append(True)
                    swap()
                return result
            return looked

    class Listing:
        def __init__(self, *args) -> None:  # type: ignore[no-untyped-def]
            self._listing = real(*args)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
            self._listing.close()

        def __iter__(self):  # type: ignore[no-untyped-def]
            return (Entry(entry) for entry in self._listing)

    swapped: list[bool] = []
    monkeypatch.setattr(os, "scandir", Listing)


def test_f1_a_folder_entry_swapped_for_a_link_after_the_walk_looked_is_not_followed(
        capsys, tmp_path: Path, monkeypatch, neurotutor_home: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text("kind: assignment\n" + SECRET)
    given = folder(tmp_path / "mf")

    def to_link() -> None:
        (given / "link").symlink_to(secret)
        os.replace(given / "link", given / "a.yaml")

    _swap_after_first_look(monkeypatch, "a.yaml", to_link)
    code, out, err = cli(capsys, "assignment", "add", str(given))
    # before: the walk saw a file, the loader then opened the name, followed the link and printed
    # the secret file line by line as unknown fields
    assert (code, out, err) == (2, "", f"{given / 'a.yaml'}: is a link, not a file; it was not read\nNothing was added.\n")
    assert "hash" not in err and not (neurotutor_home / "progress.json").exists()


def test_f1_a_folder_entry_replaced_by_another_file_after_the_walk_looked_is_not_read(
        capsys, tmp_path: Path, monkeypatch, neurotutor_home: Path) -> None:
    given = folder(tmp_path / "mf")
    (tmp_path / "decoy.yaml").write_text(GOOD.replace("title: Understanding how therapy works", "title: Decoy"))
    _swap_after_first_look(monkeypatch, "a.yaml", lambda: os.replace(tmp_path / "decoy.yaml", given / "a.yaml"))
    code, out, err = cli(capsys, "assignment", "add", str(given))
    assert (code, out, err) == (2, "", f"{given / 'a.yaml'}: changed while it was read; it was not read\n"
                                       "Nothing was added.\n")


def test_f1_a_bundled_lesson_s_folder_swapped_for_a_link_is_not_followed(capsys, tmp_path: Path, monkeypatch) -> None:
    from neurotutor.assignments import loader

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "lesson.yaml").write_text(LESSON)
    given = folder(tmp_path / "f", GOOD.replace("file: my-own-lesson.yaml", "file: sub/lesson.yaml"),
                   **{"sub__lesson.yaml": LESSON})
    real_stat, real_lstat = os.stat, os.lstat
    swapped: list[bool] = []

    def looked(real):  # type: ignore[no-untyped-def]
        def look(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            result = real(path, *args, **kwargs)
            if os.fspath(path) in ("sub", str(given / "sub")) and not swapped:  # swapped once it is looked at
                swapped.append(True)
                os.rename(given / "sub", tmp_path / "old-sub")
                os.symlink(outside, given / "sub", target_is_directory=True)
            return result
        return look

    monkeypatch.setattr(loader.os, "stat", looked(real_stat))
    monkeypatch.setattr(loader.os, "lstat", looked(real_lstat))
    code, out, err = cli(capsys, "validate", str(given / "a.yaml"))
    # before: the folder was looked at as a folder, then the file below it opened by its path
    assert (code, out, err) == (2, "", f"{given / 'sub'}: is a link, not a file; it was not read\n1 problem in 1 file.\n")


def test_f1_a_folder_with_over_16_mib_of_yaml_files_is_not_read_whole(capsys, tmp_path: Path) -> None:
    given = folder(tmp_path / "f")
    for n in range(17):
        with open(given / f"big-{n}.yaml", "wb") as fh:
            fh.truncate(1 << 20)
    assert cli(capsys, "assignment", "add", str(given)) == (
        2, "", f"{given}: holds over 16 MiB of .yaml files, so it is not an assignment folder; give the assignment "
               "file itself, its .zip archive, or a folder that holds only the assignment and its lesson files\n"
               "Nothing was added.\n")


def test_f2_a_linked_secret_named_as_the_assignment_or_a_lesson_is_not_quoted(capsys, tmp_path: Path,
                                                                                neurotutor_home: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text(SECRET)
    named = tmp_path / "a.yaml"
    named.symlink_to(secret)
    # before: all 28 lines came out as "unknown field 'user1:$6$...'" problems
    assert cli(capsys, "assignment", "add", str(named)) == (
        2, "", f"{named}: is not an assignment file (it has none of an assignment's fields: {ASSIGNMENT_FIELDS})\n"
               "Nothing was added.\n")
    assert cli(capsys, "validate", str(named)) == (
        2, "", f"{named}: is not a lesson file (it has none of a lesson's fields: {LESSON_FIELDS})\n1 problem in 1 file.\n")
    assert cli(capsys, "assign", "pack", str(named))[2] == (
        f"{named}: is not an assignment file (it has none of an assignment's fields: {ASSIGNMENT_FIELDS})\n"
        "The assignment has the problems above, so it was not packed.\n")


def test_f2_a_file_names_at_most_three_unknown_fields() -> None:
    from neurotutor.lessons.loader import parse_lesson

    def line(n: int) -> str:
        key = f"user{n}:$6$salt$hash{n}:19000:0:99999:7::"
        return f"{n + 1}:1: {key}: unknown field {key!r}"

    allowed = f" (allowed: {ASSIGNMENT_FIELDS})"
    assert problems_of("kind: assignment\n" + SECRET) == [f"a.yaml:{line(n)}{allowed}" for n in (1, 2, 3)] + [
        f"a.yaml:1:1: missing required field {name!r}" for name in ("format", "id", "title", "therapist", "client",
                                                                    "lessons")] + [
        "a.yaml:1:1: 25 more unknown fields, not named here (only the first 3 are)"]
    _, problems, _ = parse_lesson("title: T\n" + SECRET, "l.yaml")
    shown = [str(p) for p in problems]
    assert len(shown) == 3 + 6 + 1 and sum("hash" in text for text in shown) == 3
    assert shown[-1] == "l.yaml:1:1: 25 more unknown fields, not named here (only the first 3 are)"


def test_f2_validate_and_lint_do_not_follow_a_link_in_a_folder(capsys, tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_text(SECRET)
    given = tmp_path / "lessons"
    given.mkdir()
    (given / "good.yaml").write_text(LESSON)
    (given / "mylesson.yaml").symlink_to(secret)
    link = f"{given / 'mylesson.yaml'}: is a link, not a file; it was not read\n"
    assert cli(capsys, "validate", str(given)) == (2, "", link + "1 problem in 1 file.\n")
    code, out, err = cli(capsys, "--plain", "lint", str(given))
    assert (code, err) == (2, link + "1 file not linted: fix the problems above first (they are what 'neurotutor "
                                     "validate' reports).\n") and "hash" not in out


def test_f2_an_assignment_in_a_folder_is_checked_as_an_assignment(capsys, tmp_path: Path) -> None:
    given = folder(tmp_path / "f")
    # before: "kind: unknown field" and the rest, as if the assignment were a lesson
    assert cli(capsys, "--plain", "validate", str(given)) == (
        0, "1 lesson file valid (6 questions).\n1 assignment file valid, with 1 bundled lesson file.\n", "")
    (given / "a.yaml").write_text(GOOD.replace("client: S.K.", "client: S.K.\nclinet: x"))
    expected = (f"{given / 'a.yaml'}:9:1: clinet: unknown field 'clinet' (did you mean 'client'?)\n"
                "1 problem in 1 file.\n")
    assert cli(capsys, "validate", str(given)) == (2, "", expected)
    assert cli(capsys, "validate", str(given / "a.yaml")) == (2, "", expected)
    code, out, err = cli(capsys, "--plain", "lint", str(given))
    assert (code, err) == (0, "")
    assert f"{given / 'a.yaml'} is an assignment, not a lesson: lint reads lessons" in out


def test_f9_line_breaks_and_tabs_in_one_line_fields_of_an_assignment_are_refused(capsys, tmp_path: Path) -> None:
    text = (GOOD.replace("title: Understanding how therapy works", 'title: "Title\\nline2"')
            .replace("client: S.K.", "client: 'J.D.\n\n  X.Y.    Fake'")
            .replace("name: Dr A. Example", 'name: "Dr\\tA"')
            .replace('contact: "a.example@clinic.example, or at our next session"', "contact: >\n    call me"))
    one_line = "it is shown on one line, so write it on one line"
    expected = [f"a.yaml:4:8: title: contains a line break at character 6; {one_line}",
                f"a.yaml:6:9: therapist.name: contains a tab at character 3; {one_line}",
                f"a.yaml:7:12: therapist.contact: contains a line break at character 8; {one_line} (a block written "
                "with > or | ends in a line break: write >- or |- instead)",
                f"a.yaml:9:9: client: contains a line break at character 5; {one_line}"]
    assert problems_of(text) == expected
    given = folder(tmp_path / "f", text)
    # before: "== Added: Title⏎line2 ==" and a client shown on two lines
    code, out, err = cli(capsys, "assignment", "add", str(given))
    assert (code, out) == (2, "") and err == "".join(f"{given}/{line}\n" for line in expected) + THERAPIST
    loaded, problems = parse_assignment(GOOD, "a.yaml")  # the note keeps its lines
    assert problems == [] and loaded is not None and loaded.assignment.note and loaded.assignment.note.endswith("\n")


def test_f9_line_breaks_in_one_line_fields_of_a_lesson_are_refused() -> None:
    from neurotutor.lessons.loader import parse_lesson

    text = (LESSON.replace("title: A small test lesson", 'title: "A small\\ntest lesson"')
            .replace("title: Second screen", "title: |\n      Second screen")
            .replace("- text: Gamma", '- text: "Gamma\\n2. Delta"')
            .replace("authors: Bliss TVP, Lømo T", 'authors: "Bliss TVP,\\tLømo T"'))
    _, problems, _ = parse_lesson(text, "l.yaml")
    one_line = "it is shown on one line, so write it on one line"
    assert [str(p) for p in problems] == [
        f"l.yaml:3:8: title: contains a line break at character 8; {one_line}",
        f"l.yaml:20:12: sections[2].title: contains a line break at character 14; {one_line} (a block written with > "
        "or | ends in a line break: write >- or |- instead)",
        f"l.yaml:26:14: references[1].authors: contains a tab at character 11; {one_line}",
        f"l.yaml:41:15: questions[1].choices[3].text: contains a line break at character 6; {one_line}"]
    _, problems, _ = parse_lesson(LESSON.replace("Practice **changes** connections.\n",
                                                 "Practice **changes**\n      connections.\n"), "l.yaml")
    assert problems == []  # a body keeps its lines


def test_zip_members_whose_names_differ_only_in_case_are_refused(capsys, tmp_path: Path) -> None:
    archive = _zip(tmp_path / "case.zip", [("a.yaml", GOOD), ("my-own-lesson.yaml", LESSON),
                                           ("MY-OWN-LESSON.yaml", "id: decoy\n")])
    # before: accepted; unpacked on a disk that ignores case, the last one would have won
    assert cli(capsys, "validate", str(archive)) == (
        2, "", f"{archive}/MY-OWN-LESSON.yaml: has the same name as 'my-own-lesson.yaml' on a disk that does not tell "
               "capital letters apart; it was not read\n1 problem in 1 file.\n")
    folders = _zip(tmp_path / "folders.zip", [("a.yaml", GOOD), ("my-own-lesson.yaml", LESSON), ("Week/x.yaml", ""),
                                              ("week", "")])
    assert cli(capsys, "validate", str(folders)) == (
        2, "", f"{folders}/Week: is both a file and a folder in the archive; it was not read\n1 problem in 1 file.\n")
