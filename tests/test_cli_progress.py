"""The CLI around progress format 2: history, export, import, the upgrade from format 1, privacy."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flows import MIXED, RIGHT, lesson_input, seed_profile

DATA = Path(__file__).parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]
FORMAT_1 = DATA / "progress" / "format-1.json"
# test-mini, first pass, in the order shown: see tests/test_cli.py


def learn(run_cli, answers: list[str], *extra: str, seed: bool = True) -> subprocess.CompletedProcess[str]:
    """A first pass of test-mini in plain mode (the default profile with a known option order)."""
    home = Path(os.environ["NEUROTUTOR_HOME"])
    if seed and not extra:
        seed_profile(home)
    notice = not (home / "progress.json").exists() or not json.loads((home / "progress.json").read_text()).get("notice_seen")
    result = run_cli(*OK, *extra, "--plain", "learn", "test-mini", input=lesson_input(answers, notice=notice or bool(extra)))
    assert result.returncode == 0, result.stderr
    return result


def test_history_lists_every_answer_newest_last(run_cli) -> None:
    learn(run_cli, MIXED)
    result = run_cli(*OK, "--plain", "history")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    columns = [re.split(r"\s{2,}", line) for line in lines[:7]]
    assert columns[0] == ["when (local time)", "lesson", "question", "asked in", "result", "your answer"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0]) for row in columns[1:])
    assert [row[1:] for row in columns[1:]] == [  # each question by its prompt, not its id
        ["test-mini", "Which is right?", "pass 1", "wrong", "Beta"],
        ["test-mini", "Pick the even numbers.", "pass 1", "right", "Two; Four"],
        ["test-mini", "Extinction erases the old memory.", "pass 1", "wrong", "True"],
        ["test-mini", "Put these in order.", "pass 1", "right", "One, then Two, then Three"],  # stored with arrows
        ["test-mini", "Match each animal to its sound.", "pass 1", "wrong", "Cat: Moo; Dog: Meow; Cow: Woof"],
        ["test-mini", "Who proposed that links used together grow stronger?", "pass 1", "right", "hebb!"],
    ]
    assert lines[7].startswith("6 answers, kept in ") and lines[7].endswith("history.jsonl")
    assert run_cli(*OK, "--plain", "history", "--lesson", "nope").stdout == "No answers recorded yet for 'nope'.\n"


def test_history_json(run_cli) -> None:
    learn(run_cli, RIGHT)
    data = json.loads(run_cli(*OK, "history", "--json").stdout)
    assert (data["format"], data["version"], data["lesson"]) == ("neurotutor-history", 3, None)
    assert [(a["question"], a["correct"], a["mode"]) for a in data["attempts"]] == [
        (q, True, "lesson") for q in ["tm-single", "tm-multiple", "tm-truefalse", "tm-ordering", "tm-matching", "tm-short"]]
    assert json.loads(run_cli(*OK, "history", "--json", "--lesson", "other").stdout)["attempts"] == []


def test_read_only_commands_never_read_the_history(run_cli, neurotutor_home: Path) -> None:
    learn(run_cli, RIGHT)
    history = neurotutor_home / "history.jsonl"
    history.rename(neurotutor_home / "kept.jsonl")
    history.mkdir()  # any read of the history now fails, even as root
    for args in (["lessons"], ["progress"], ["lessons", "--json"], ["progress", "--json"]):
        result = run_cli(*OK, *args)
        assert (result.returncode, result.stderr) == (0, ""), args
    shown = run_cli(*OK, "history")  # the trap does catch a read, with a clear message
    assert (shown.returncode, shown.stderr) == (3, f"Cannot read your answer history {history}: Is a directory.\n")


def test_export_then_import_on_another_computer(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    learn(run_cli, MIXED)
    backup = tmp_path / "backup.json"
    result = run_cli(*OK, "export", str(backup))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Exported your progress in 1 lesson and 6 answers to {backup}\n")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    doc = json.loads(backup.read_text())
    assert doc["format"] == "neurotutor-export" and len(doc["history"]) == 6
    printed = json.loads(run_cli(*OK, "export").stdout)
    assert printed == {**doc, "exported_at": printed["exported_at"]}

    other = {"NEUROTUTOR_HOME": str(tmp_path / "new-computer")}
    first = run_cli(*OK, "import", str(backup), env=other)
    assert first.returncode == 0, first.stderr
    assert first.stdout == f"Imported 6 new answers and progress in 1 lesson from {backup} (export).\n"
    again = run_cli(*OK, "import", str(backup), env=other)
    assert again.stdout == (f"Imported 0 new answers and progress in 1 lesson from {backup} (export).\n"
                            "6 answers were already here and not added again.\n")
    moved = json.loads(run_cli(*OK, "progress", "--json", env=other).stdout)["lessons"]
    here = json.loads(run_cli(*OK, "progress", "--json").stdout)["lessons"]
    assert moved == here
    assert len((tmp_path / "new-computer" / "history.jsonl").read_text().splitlines()) == 6


def test_a_bad_import_lists_every_problem_and_changes_nothing(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    learn(run_cli, RIGHT)
    before = {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()}
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "format": "neurotutor-export",\n "version": 1,\n "exported_at": "2026-11-23T10:00:00Z",\n'
                   ' "progress": {"schema_version": 2, "lessons": {"x": {"run": "two"}}},\n'
                   ' "history": [{"id": "a"}]\n}\n')
    result = run_cli(*OK, "import", str(bad))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{bad}:5:61: progress.lessons.x.run: Expected `int`, got `str`",
        f"{bad}:6:14: history[1]: Object missing required field `lesson`",
        "Nothing was imported: fix these problems (or choose another file) and try again.",
    ]
    assert {p.name: p.read_bytes() for p in neurotutor_home.iterdir() if p.is_file()} == before
    missing = run_cli(*OK, "import", str(tmp_path / "nope.json"))
    assert (missing.returncode, missing.stderr) == (2, f"Cannot import {tmp_path / 'nope.json'}: there is no such file.\n")


def test_a_format_1_profile_is_upgraded_on_first_use(run_cli, neurotutor_home: Path) -> None:
    neurotutor_home.mkdir(mode=0o700)
    shutil.copy(FORMAT_1, neurotutor_home / "progress.json")
    result = run_cli(*OK, "lessons", "--json")
    assert result.returncode == 0
    kept = next(neurotutor_home.glob("progress.json.v1-*"))
    assert result.stderr == (f"Your progress file was upgraded to format 3: your answers now live in "
                             f"{neurotutor_home / 'history.jsonl'}. The old file is kept as {kept}.\n")
    rows = {r["id"]: r for r in json.loads(result.stdout)["lessons"]}
    assert (rows["test-mini"]["status"], rows["test-mini"]["best_score"]) == ("done", 1.0)
    rows = {r["id"]: r for r in json.loads(run_cli(*OK, "progress", "--json").stdout)["lessons"]}
    assert (rows["neuroplasticity-types"]["status"], rows["neuroplasticity-types"]["questions_answered"]) == ("in_progress", 2)
    assert len(json.loads(run_cli(*OK, "history", "--json").stdout)["attempts"]) == 8
    assert run_cli(*OK, "lessons").stderr == ""  # told once


def test_a_pass_whose_last_questions_were_removed_closes_instead_of_looping(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    text = (DATA / "lessons-ok" / "test-mini.yaml").read_text()
    (lessons / "test-mini.yaml").write_text(text)
    seed_profile(neurotutor_home)
    first = run_cli("--lessons-dir", str(lessons), "--plain", "learn", "test-mini", input=lesson_input(["3", "2,3"]))
    assert first.returncode == 4  # input ended after two answers
    cut = text[: text.index("  - id: tm-truefalse")]  # the author deletes the last four questions
    (lessons / "test-mini.yaml").write_text(cut)
    home = run_cli("--lessons-dir", str(lessons), "--plain", input="2\n8\n")
    assert home.returncode == 0, home.stderr
    assert home.stdout.count("Continue: A small test lesson") == 1  # offered once, then never again
    assert "\nLesson complete.\nYou got 2 of 2 right (100%). Best so far: 100%." in home.stdout
    state = json.loads((neurotutor_home / "progress.json").read_text())["lessons"]["test-mini"]
    assert (state["completed_runs"], state["answered"], state["last_score"]) == (1, {}, 1.0)


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_every_file_and_folder_is_private_under_any_umask(run_cli, neurotutor_home: Path, tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        learn(run_cli, RIGHT, seed=False)  # the tutor makes every file and folder itself
        learn(run_cli, MIXED, "--profile", "sam")
        assert run_cli(*OK, "lessons").returncode == 0
        assert run_cli(*OK, "export", str(tmp_path / "out.json")).returncode == 0
        assert run_cli(*OK, "reset", "--all", "--yes").returncode == 0
    finally:
        os.umask(old)
    found = [neurotutor_home, *neurotutor_home.rglob("*")]
    assert {p.name for p in found} >= {"progress.json", "history.jsonl", "progress.json.lock", "progress.json.bak",
                                       "cache", "profiles", "sam"}
    wrong = [(str(p), oct(stat.S_IMODE(p.stat().st_mode))) for p in found
             if stat.S_IMODE(p.stat().st_mode) != (0o700 if p.is_dir() else 0o600)]
    assert wrong == []
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o600


def test_an_open_data_folder_is_tightened_and_the_learner_told(run_cli, neurotutor_home: Path) -> None:
    neurotutor_home.mkdir()
    os.chmod(neurotutor_home, 0o755)
    result = run_cli(*OK, "progress")
    assert result.returncode == 0
    assert (f"Your neurotutor folder {neurotutor_home} could be read by other users of this computer; "
            "it is now private (only you can open it).") in result.stderr
    assert stat.S_IMODE(neurotutor_home.stat().st_mode) == 0o700


# -- progress and lessons from files written here (no lesson is driven) -------------------------

KOLKATA = {"TZ": "Asia/Kolkata"}  # UTC+05:30 all year: local times are exact
BUILTIN_IDS = ["neuroplasticity-types", "plasticity-claims", "two-routes-of-change", "reconsolidation-conditions", "cbt",
               "mindfulness", "therapies-compared", "stress-and-relationship", "emerging-approaches", "myths-and-facts"]
DONE = {"run": 2, "completed_runs": 1, "best_score": 0.75, "last_score": 0.75, "last_missed": ["np-ltp-rabbits"],
        "last_studied": "2026-11-23T10:04:11.512Z", "completed_at": "2026-11-23T10:04:11.512Z"}
STARTED = {"sections_seen": ["cognitive-model", "thinking-traps"],
           "answered": {"cbt-same-text-different-feelings": True, "cbt-thought-record-order": False},
           "last_studied": "2026-11-24T21:40:00Z"}
MINI_STARTED = {"sections_seen": ["first"], "answered": {"tm-single": True}, "last_studied": "2026-11-22T08:00:00Z"}


def write_profile(folder: Path, lessons: dict, history: list[dict] = ()) -> Path:
    """A profile's progress.json (and history.jsonl), private as the tutor makes them."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for part in [folder, *folder.parents]:  # the tutor tightens every data folder it owns
        if part == Path(os.environ["NEUROTUTOR_HOME"]).parent:
            break
        part.chmod(0o700)
    path = folder / "progress.json"
    path.write_text(json.dumps({"schema_version": 3, "seed": 251, "notice_seen": True, "lessons": lessons}))
    path.chmod(0o600)
    if history:
        (folder / "history.jsonl").write_text("".join(json.dumps(line) + "\n" for line in history))
        (folder / "history.jsonl").chmod(0o600)
    return path


def lesson_shapes() -> dict[str, tuple[int, int]]:
    """Each built-in lesson's id -> (sections, questions), in the suggested order, from the lesson files."""
    from neurotutor import paths
    from neurotutor.lessons.catalogue import validate_files

    return {e.info.id: (len(e.info.section_ids), len(e.info.question_ids))
            for e in validate_files(paths.builtin_lessons_dir(), [], []).lessons}


def plain_table(rows: list[list[str]]) -> str:
    """Rows as plain mode lines them up: each column as wide as its widest cell, two spaces apart."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() + "\n" for r in rows)


def short_titles() -> list[str]:
    """The built-in lessons' titles up to their colon, in the suggested order."""
    from neurotutor import paths
    from neurotutor.lessons.catalogue import validate_files

    return [e.info.title.split(": ")[0] for e in validate_files(paths.builtin_lessons_dir(), [], []).lessons]


def test_progress_counts_a_finished_lesson_whole_in_local_time(run_cli, neurotutor_home: Path) -> None:
    path = write_profile(neurotutor_home, {"neuroplasticity-types": DONE, "cbt": STARTED})
    result = run_cli("progress", "--plain", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    shape = lesson_shapes()  # sections and questions of each built-in lesson, read from the files
    sections, questions = shape["neuroplasticity-types"]
    titles = short_titles()
    rows = [[str(i), title, "new", "-", "-"] for i, title in enumerate(titles, 1)]
    rows[0][2:] = ["done", "75%", "23 Nov 2026"]  # local days (15:34 in Kolkata)
    rows[4][2:] = [f"read 2/{shape['cbt'][0]}", "-", "25 Nov 2026"]  # cbt: 2 of its sections read
    assert titles[4] == "CBT"
    assert result.stdout == (
        plain_table([["no.", "lesson", "where", "best", "last day"], *rows])
        + "\"where\": new, how far you have read (read 3/8) or answered (quiz 4/17), or done (2x: passes finished). "
        "\"best\": your best pass, and your last when it differs. Days are your local days.\n"
        f"Saved in {path}\n")
    rows = {r["id"]: r for r in json.loads(run_cli("progress", "--json").stdout)["lessons"]}
    done = rows["neuroplasticity-types"]
    assert (done["status"], done["sections_read"], done["sections"], done["questions_answered"], done["questions"],
            done["completed_runs"], done["loaded"], done["last_studied"]) == (
        "done", sections, sections, questions, questions, 1, True, "2026-11-23T10:04:11.512000Z")  # JSON keeps UTC


def test_progress_names_a_lesson_whose_folder_was_not_given(run_cli, neurotutor_home: Path) -> None:
    write_profile(neurotutor_home, {"test-mini": MINI_STARTED})
    result = run_cli("progress", "--plain", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    after = len(lesson_shapes()) + 1  # the heading, then a row per built-in lesson
    assert re.split(r"\s{2,}", lines[after]) == ["-", "test-mini", "not loaded", "-", "22 Nov 2026"]
    assert lines[after + 1:after + 5] == [
        "\"where\": new, how far you have read (read 3/8) or answered (quiz 4/17), or done (2x: passes finished). "
        "\"best\": your best pass, and your last when it differs. Days are your local days.",
        "Progress is kept for 1 lesson not loaded now (test-mini): a lesson of your own, from a folder not given this time.",
        "To see and continue it, give its folder:",
        "  neurotutor --plain --lessons-dir FOLDER progress"]
    rows = {r["id"]: r for r in json.loads(run_cli("progress", "--json").stdout)["lessons"]}
    assert {k: rows["test-mini"][k] for k in ("status", "loaded", "sections_read", "questions_answered")} == {
        "status": "in_progress", "loaded": False, "sections_read": 1, "questions_answered": 1}
    given = run_cli("progress", "--plain", *OK)  # the folder given, after the command: counted against the lesson
    assert re.search(r"^19 +A small test lesson +read 1/2 +- +22 Nov 2026$", given.stdout, re.M), given.stdout
    assert "not loaded" not in given.stdout
    loaded = {r["id"]: r for r in json.loads(run_cli("progress", "--json", *OK).stdout)["lessons"]}
    assert (loaded["test-mini"]["loaded"], loaded["test-mini"]["questions"]) == (True, 6)


def test_progress_of_a_profile_given_after_the_command(run_cli, neurotutor_home: Path) -> None:
    path = write_profile(neurotutor_home / "profiles" / "sam", {"cbt": STARTED})
    sam = run_cli("progress", "--profile", "sam", "--plain")
    assert (sam.returncode, sam.stderr) == (0, "")
    sections, questions = lesson_shapes()["cbt"]
    assert re.search(rf"^5 +CBT +read 2/{sections} +- ", sam.stdout, re.M)
    assert sam.stdout.endswith(f"Saved in {path}\n")
    assert sam.stdout == run_cli("--profile", "sam", "progress", "--plain").stdout == \
        run_cli("progress", "--profile=sam", "--plain").stdout
    default = run_cli("progress", "--plain")  # nothing saved for the default profile yet
    assert re.search(r"^5 +CBT +new +- +-$", default.stdout, re.M)
    assert default.stdout.endswith(f"Will be saved in {neurotutor_home / 'progress.json'}\n")


def test_history_is_shown_in_local_time(run_cli, neurotutor_home: Path) -> None:
    answer = {"id": "a1", "lesson": "cbt", "question": "cbt-durability", "mode": "lesson", "run": 1,
              "answer": {"kind": "bool", "value": True}, "answer_text": "True", "correct": True, "seconds": 4.0,
              "at": "2026-11-23T20:45:00Z", "utc_offset": 0}
    write_profile(neurotutor_home, {"cbt": STARTED}, [answer])
    result = run_cli("history", "--plain", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (  # the question by the first line of its prompt, cut at 70 characters
        "when (local time)  lesson  question                                                               asked in  result  your answer\n"
        "2026-11-24 02:15   cbt     Maria recovered from depression with cognitive therapy, then stopped…  pass 1    right   True\n"
        f"1 answer, kept in {neurotutor_home / 'history.jsonl'}\n")


def test_export_tells_how_to_bring_it_back_in_the_same_profile(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    write_profile(neurotutor_home / "profiles" / "sam", {"cbt": STARTED})
    backup = tmp_path / "sam's backup.json"
    result = run_cli("export", str(backup), "--profile", "sam", "--plain")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (f"Exported your progress in 1 lesson and 0 answers to {backup}\n"
                             "Only you can read this file.\n"
                             "Bring it back, here or on another computer, with:\n"
                             f"  neurotutor --profile sam --plain import '{tmp_path}/sam'\"'\"'s backup.json'\n")


def _rendered(monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    """A command's output as a terminal of this width shows it (rich, decorated), run in-process."""
    import io

    from rich.console import Console

    from neurotutor.cli import app
    from neurotutor.cli.output import Output
    from neurotutor.cli.session import Session

    shown = io.StringIO()
    console = Console(width=width, file=shown, highlight=False, markup=False, emoji=False)
    output = Output(decorated=True, console=console)
    monkeypatch.setattr(Session, "out", property(lambda self: output))
    assert app._run(list(args)) == (0, "")
    return shown.getvalue()


@pytest.mark.parametrize("width", [50, 80, 120])
def test_tables_never_cut_an_id(monkeypatch: pytest.MonkeyPatch, neurotutor_home: Path, width: int) -> None:
    write_profile(neurotutor_home, {"neuroplasticity-types": DONE, "reconsolidation-conditions": STARTED,
                                    "a-lesson-of-my-own-with-a-long-id": MINI_STARTED})
    text = _rendered(monkeypatch, width, "lessons")  # each lesson's number and id, to type
    words = set(re.findall(r"[\w-]+", text))
    missing = [i for i in BUILTIN_IDS if i not in words]
    assert not missing and "…" not in text, (missing, text)
    assert all(len(line.rstrip()) <= width for line in text.splitlines())
    text = _rendered(monkeypatch, width, "progress")  # each lesson's number, its short title, where it stands
    assert "…" not in text and all(len(line.rstrip()) <= width for line in text.splitlines()), text
    numbers = [int(n) for n in re.findall(r"^(?:[│|] )?(\d+)\b", text, re.MULTILINE)]
    assert ("where: " in text) == (width < 80)  # a table from 80 columns; one record per lesson below that
    assert numbers[:len(BUILTIN_IDS)] == list(range(1, len(BUILTIN_IDS) + 1)), text
    assert "a-lesson-of-my-own-with-a-long-id" in re.findall(r"[\w-]+", text)


@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_tables_never_cut_an_id_in_a_50_column_terminal(neurotutor_home: Path) -> None:
    pytest.importorskip("pexpect")
    pytest.importorskip("pyte")
    from terminal import Terminal

    write_profile(neurotutor_home, {"neuroplasticity-types": DONE})
    for command in ("lessons", "progress"):
        t = Terminal(neurotutor_home, command, rows=120, columns=50)
        try:
            assert t.finish() == 0
        finally:
            t.kill()
        if command == "lessons":  # numbers and ids whole
            words = set(re.findall(r"[\w-]+", t.shown()))
            assert [i for i in BUILTIN_IDS if i not in words] == [] and "…" not in t.shown(), t.shown()
        else:  # numbers whole
            assert "…" not in t.shown() and "Neuroplasticity" in t.shown(), t.shown()
            assert all(str(n) in re.findall(r"\d+", t.shown()) for n in range(1, len(BUILTIN_IDS) + 1))


@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_a_long_history_in_a_terminal_comes_a_page_at_a_time(neurotutor_home: Path) -> None:
    pytest.importorskip("pexpect")
    pytest.importorskip("pyte")
    from terminal import Terminal

    answers = [{"id": f"a{i}", "lesson": "cbt", "question": "cbt-durability", "mode": "review", "answer_text": "True",
                "correct": True, "seconds": 4.0, "at": f"2026-11-{1 + i // 10:02d}T{8 + i % 10:02d}:00:00Z",
                "utc_offset": 0} for i in range(60)]
    write_profile(neurotutor_home, {"cbt": STARTED}, answers)
    t = Terminal(neurotutor_home, "history", rows=24, columns=80)
    try:
        screen = t.settle(r"Page 1 of \d+\. Enter: more")
        assert screen.split("\n")[0].startswith("2026-11-01 08:00  cbt  (review)  Maria recovered")  # the oldest first
        t.keys("q")
        assert t.finish() == 0
    finally:
        t.kill()


def test_export_says_the_journal_and_check_ins_are_not_in_it_and_how_to_move_them(run_cli, neurotutor_home: Path,
                                                                                 tmp_path: Path) -> None:
    write_profile(neurotutor_home, {"cbt": STARTED})
    (neurotutor_home / "journal.jsonl").write_text('{"format": "neurotutor-journal", "version": 1}\n')
    result = run_cli("export", str(tmp_path / "backup.json"), "--plain")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.endswith(
        f"Your journal is not in this file: kept private, here, in {neurotutor_home}. To move it to another computer, "
        "copy journal.jsonl into neurotutor's folder there, if it has none yet (the folder 'neurotutor --plain "
        "progress' names at its end).\n")
    assert "neurotutor-journal" not in (tmp_path / "backup.json").read_text()
    (neurotutor_home / "checkins.jsonl").write_text('{"format": "neurotutor-checkins", "version": 1}\n')
    both = run_cli("export", str(tmp_path / "again.json"), "--plain")
    assert "Your journal and check-ins are not in this file" in both.stdout
    assert "copy journal.jsonl and checkins.jsonl into" in both.stdout
