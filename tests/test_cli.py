"""The CLI in plain mode: whole lessons, resuming, every command's output and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from neurotutor import __version__

from flows import MIXED, RIGHT, lesson_input, seed_profile

DATA = Path(__file__).parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]


@pytest.fixture(autouse=True)
def known_seed(neurotutor_home: Path) -> None:
    """Answers are typed by their shown number: start the default profile with a known shuffle."""
    seed_profile(neurotutor_home)


def progress_json(home: Path) -> dict:
    return json.loads((home / "progress.json").read_text())


def history_lines(home: Path) -> list[dict]:
    path = home / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"neurotutor {__version__}\n", "")


def help_entries(help_text: str, section: str) -> list[str]:
    """The first word of each entry in one section of --help ("Options:", "Commands:")."""
    lines = help_text.split(f"\n{section}\n", 1)[1].split("\n\n", 1)[0].splitlines()
    return [line.split()[0].rstrip(",") for line in lines if line.startswith("  ") and not line.startswith("   ")]


def test_help_shows_answer_formats_and_commands(run_cli) -> None:
    result = run_cli("--help")
    assert (result.returncode, result.stderr) == (0, "")
    text = " ".join(result.stdout.split())
    for phrase in ["number-letter pairs (1b 2a 3c)", "t or f for true/false"]:
        assert phrase in text
    assert {"--plain", "--lessons-dir", "--profile", "--debug", "--version", "-h"} <= set(help_entries(result.stdout, "Options:"))
    commands = help_entries(result.stdout, "Commands:")
    assert {"lessons", "learn", "quiz", "progress", "history", "export", "import", "reset", "safety",
            "validate"} <= set(commands)
    assert len(commands) == len(set(commands))


def test_whole_lesson_in_plain_mode_records_every_answer(run_cli, neurotutor_home: Path) -> None:
    result = run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(MIXED))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\nBefore you start.\nneurotutor is education, not therapy" in out
    assert "\nFirst screen.\nPractice changes connections.\n" in out  # Markdown as clean text
    assert "Section 1 of 2 (Enter: next, q: stop, !: urgent help) " in out
    assert "Section 2 of 2 (next: the quiz) (Enter: next, b: back, q: stop, !: urgent help) " in out
    assert "Key points\n- Practice changes connections." in out
    assert "Evidence: established (replicated, broad agreement)" in out
    assert ("Not quite.\nYou answered: Beta\nThe right answer: Alpha\nBeta is a common mix-up.\n"
            "Alpha is right because the test says so.\n\nPress Enter for the next question. ") in out
    assert "Right.\nTwo and four are even." in out
    assert "Not quite. 0 of 3 pairs right. You missed:\n  - Cat: Meow\n  - Dog: Woof\n  - Cow: Moo\n" in out
    assert "You got 3 of 6 right (50%). Best so far: 50%." in out
    assert ("Retry the 3 questions you missed now?\n  1. Yes, retry them now\n  2. Show me which first\n"
            "  3. Not now\nChoose 1-3: ") in out
    assert "Education, not therapy." in out
    assert "Traceback" not in out + result.stderr
    data = progress_json(neurotutor_home)
    attempts = history_lines(neurotutor_home)
    assert [(a["question"], a["correct"], a["answer_text"], a["run"]) for a in attempts] == [
        ("tm-single", False, "Beta", 1),
        ("tm-multiple", True, "Two; Four", 1),
        ("tm-truefalse", False, "True", 1),
        ("tm-ordering", True, "One → Two → Three", 1),
        ("tm-matching", False, "Cat → Moo; Dog → Meow; Cow → Woof", 1),
        ("tm-short", True, "hebb!", 1),
    ]
    assert all(a["lesson"] == "test-mini" and a["mode"] == "lesson" and a["at"].endswith("Z") and a["seconds"] >= 0
               for a in attempts)
    assert [a["answer"] for a in attempts] == [
        {"kind": "choice", "indices": [1]}, {"kind": "choice", "indices": [0, 2]}, {"kind": "bool", "value": True},
        {"kind": "order", "order": [0, 1, 2]}, {"kind": "match", "rights": [2, 0, 1]}, {"kind": "text", "text": "hebb!"}]
    assert [a.get("credit") for a in attempts] == [None, 1.0, None, 1.0, 0.0, None]
    assert [a.get("misconceptions", []) for a in attempts] == [["beta-myth"], [], ["exposure-erases-fear"], [], [], []]
    state = data["lessons"]["test-mini"]
    assert (state["completed_runs"], state["best_score"], state["last_score"], state["run"], state["answered"]) == (1, 0.5, 0.5, 2, {})


def test_unreadable_answer_is_asked_again_not_counted(run_cli, neurotutor_home: Path) -> None:
    answers = ["seven"] + RIGHT
    result = run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(answers))
    assert result.returncode == 0
    assert "Type numbers from 1 to 3. (That was not counted.)" in result.stdout
    assert "You got 6 of 6 right (100%)" in result.stdout
    assert len(history_lines(neurotutor_home)) == 6


def test_end_of_input_keeps_answers_and_resume_continues(run_cli, neurotutor_home: Path) -> None:
    first = run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT[:2]))
    assert first.returncode == 4  # input ended
    assert first.stderr == ("\nInput ended at question 3 of 6. Your place and every answer so far are saved. "
                            "To continue where you left off, run:\n  neurotutor --lessons-dir "
                            f"{DATA / 'lessons-ok'} --plain learn test-mini\n")
    assert [a["question"] for a in history_lines(neurotutor_home)] == ["tm-single", "tm-multiple"]
    second = run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT[2:], sections=0, notice=False))
    assert second.returncode == 0, second.stderr
    assert "Welcome back: continuing at question 3 of 6." in second.stdout
    assert "2 of 6 already answered; 4 to go." in second.stdout
    assert "question 1 of 6" not in second.stdout and "Quiz: A small test lesson, question 3 of 6" in second.stdout
    assert "First screen" not in second.stdout
    assert "You got 6 of 6 right (100%)" in second.stdout
    assert len(history_lines(neurotutor_home)) == 6


def test_quiz_alone_skips_sections(run_cli, neurotutor_home: Path) -> None:
    result = run_cli(*OK, "--plain", "quiz", "test-mini", input=lesson_input(RIGHT, sections=0))
    assert result.returncode == 0
    assert "First screen" not in result.stdout and "You got 6 of 6 right (100%)" in result.stdout


def test_deeper_shows_trainee_part_and_references(run_cli) -> None:
    result = run_cli(*OK, "--plain", "learn", "test-mini", "--deeper", input=lesson_input(RIGHT[:0], sections=3)
                     + lesson_input(RIGHT, sections=0, notice=False))
    assert "Deeper (for trainees)\nDeeper text for trainees." in result.stdout
    assert ("\nReferences.\n  - Bliss TVP, Lømo T (1973). Long-lasting potentiation of synaptic transmission. "
            "Journal of Physiology 232:331-356. doi:10.1113/jphysiol.1973.sp010273") in result.stdout
    plain = run_cli(*OK, "--plain", "learn", "test-mini", input="1\n" + lesson_input(RIGHT, notice=False))
    assert "You have finished this lesson once" in plain.stdout  # and chose "Start a new pass"
    assert "(A deeper part for trainees is shown with --deeper.)" in plain.stdout
    assert (f"Trainee-level detail and references, when you want them:\n  neurotutor --lessons-dir "
            f"{DATA / 'lessons-ok'} --plain learn test-mini --deeper\n") in plain.stdout


def test_deeper_lists_a_sections_claims_with_their_evidence(run_cli, tmp_path: Path) -> None:
    text = (DATA / "lessons-ok" / "test-mini.yaml").read_text()
    (tmp_path / "test-mini.yaml").write_text(text.replace("    refs: [bliss-1973]\n    deeper:", "    claims:\n"
                                                           "      - text: Practice changes connections.\n"
                                                           "        evidence: established\n"
                                                           "    refs: [bliss-1973]\n    deeper:", 1))
    result = run_cli("--lessons-dir", str(tmp_path), "--plain", "learn", "test-mini", "--deeper",
                     input=lesson_input(RIGHT[:0], sections=3))
    assert "Claims and their evidence\n- Practice changes connections. [established]\n" in result.stdout


def test_lessons_and_progress_json(run_cli) -> None:
    run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(MIXED))
    rows = json.loads(run_cli(*OK, "lessons", "--json").stdout)["lessons"]
    mini = next(r for r in rows if r["id"] == "test-mini")
    assert (mini["status"], mini["best_score"], mini["completed_runs"], mini["questions"]) == ("done", 0.5, 1, 6)
    table = run_cli(*OK, "--plain", "lessons").stdout
    assert any(re.fullmatch(r"19 +A small test lesson +\d+ +done +50% +test-mini", line.rstrip())
               for line in table.splitlines()), table
    progress = run_cli(*OK, "progress", "--json")
    assert (progress.returncode, progress.stderr) == (0, "")
    by_id = {r["id"]: r for r in json.loads(progress.stdout)["lessons"]}
    mini = by_id.pop("test-mini")
    last_studied = mini.pop("last_studied")
    assert mini == {"id": "test-mini", "title": "A small test lesson", "level": "learner", "minutes": 3,
                    "status": "done", "completed_runs": 1, "best_score": 0.5, "last_score": 0.5,
                    "sections_read": 2, "sections": 2, "questions_answered": 6, "questions": 6, "builtin": False,
                    "loaded": True}  # a finished lesson counts as read and answered
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", last_studied)
    assert by_id and {r["status"] for r in by_id.values()} == {"new"}  # the built-in lessons, untouched
    table = run_cli(*OK, "--plain", "progress").stdout
    assert re.search(r"^19 +A small test lesson +done +50% +\d+ \w{3} \d{4}$", table, re.M), table
    assert table.splitlines()[0].split() == ["no.", "lesson", "where", "best", "last", "day"]
    assert "Saved in" in table


def test_unknown_lesson_suggests_close_ids(run_cli) -> None:
    result = run_cli(*OK, "learn", "test-mni")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == ("There is no lesson with the id 'test-mni'. Did you mean: test-mini? "
                                              f"Run 'neurotutor --lessons-dir {DATA / 'lessons-ok'} lessons' to see "
                                              "them all.")


def test_reset_asks_keeps_a_copy_and_forgets(run_cli, neurotutor_home: Path) -> None:
    run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT))
    declined = run_cli(*OK, "reset", "test-mini", input="n\n")
    assert "Nothing was changed." in declined.stdout
    assert len(history_lines(neurotutor_home)) == 6
    done = run_cli(*OK, "reset", "test-mini", input="y\n")
    assert done.returncode == 0
    assert "Forget your progress in 'test-mini' and its 6 recorded answers? [y/N]: y\n" in done.stdout
    assert "Done: forgot your progress in 'test-mini' and its 6 recorded answers.\n" in done.stdout
    assert history_lines(neurotutor_home) == []
    copies = list(neurotutor_home.glob("progress.json.before-reset-*"))
    assert len(copies) == 1 and json.loads(copies[0].read_text())["lessons"]["test-mini"]["completed_runs"] == 1
    old_history = list(neurotutor_home.glob("history.jsonl.before-reset-*"))
    assert len(old_history) == 1 and len(old_history[0].read_text().splitlines()) == 6
    again = run_cli(*OK, "reset", "--all", "--yes")
    assert again.stdout.startswith("Nothing to reset")
    assert run_cli(*OK, "reset").returncode == 2


def test_profiles_keep_separate_progress(run_cli, neurotutor_home: Path) -> None:
    run_cli(*OK, "--profile", "sam", "--plain", "learn", "test-mini", input=lesson_input(RIGHT))
    assert len(history_lines(neurotutor_home / "profiles" / "sam")) == 6
    assert "lessons" not in progress_json(neurotutor_home) and history_lines(neurotutor_home) == []
    bad = run_cli("--profile", "../x", "lessons")
    assert bad.returncode == 2 and "Profile name '../x' is not allowed" in bad.stderr


def test_damaged_progress_file_is_reported_not_replaced(run_cli, neurotutor_home: Path) -> None:
    (neurotutor_home / "progress.json").write_text("{broken")
    result = run_cli(*OK, "lessons")
    assert result.returncode == 0
    assert "Your progress file was damaged" in result.stderr and "progress.json.damaged-" in result.stderr
    assert [p.read_text() for p in neurotutor_home.glob("progress.json.damaged-*")] == ["{broken"]


def test_newer_progress_file_is_refused(run_cli, neurotutor_home: Path) -> None:
    (neurotutor_home / "progress.json").write_text('{"schema_version": 9}')
    result = run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT))
    assert result.returncode == 3
    assert "written by a newer neurotutor (progress format 9)" in result.stderr
    assert (neurotutor_home / "progress.json").read_text() == '{"schema_version": 9}'


MENU = ("What would you like to do?\n  1. Review{}\n  2. {}\n  3. Choose a lesson\n  4. Exam practice\n"
        "  5. See my progress\n  6. Get urgent help (crisis lines)\n"
        "  7. Practise: a worksheet, a breathing space or a check-in\n  8. Quit\nChoose 1-8: ")
NOTHING_ANSWERED = " (nothing answered yet)"


def test_home_screen_first_run_notice_and_menu(run_cli, neurotutor_home: Path) -> None:
    first = run_cli(*OK, "--plain", input="\n1\n8\n")
    assert first.returncode == 0
    assert "\nBefore you start.\nneurotutor is education, not therapy, and not a crisis service." in first.stdout
    assert "Profile: default. Education, not therapy." in first.stdout
    # nothing started: the second entry is the first lesson in the suggested order, by its number
    assert (MENU.format(NOTHING_ANSWERED, "Next: 1. Neuroplasticity: how the brain changes with experience")
            + "1\n  Review is not available: nothing answered yet.\n" in first.stdout)
    assert progress_json(neurotutor_home)["notice_seen"] is True
    second = run_cli(*OK, "--plain", "--profile", "sam", input="8\n")
    assert "Profile: sam." in second.stdout and "Before you start" in second.stdout  # a new profile, a new notice
    third = run_cli(*OK, "--plain", input="8\n")
    assert "Before you start" not in third.stdout
    assert "Goodbye. Your progress is saved." in third.stdout


def test_home_screen_continue_resumes_lesson(run_cli) -> None:
    run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT[:1]))
    result = run_cli(*OK, "--plain", input="2\n" + lesson_input(RIGHT[1:], sections=0, notice=False) + "8\n")
    assert "  2. Continue: A small test lesson (question 2 of 6)\n" in result.stdout
    assert "You got 6 of 6 right (100%)" in result.stdout
    # every question answered right: learning step 2, ten minutes on, inside the 20-minute learn-ahead
    # the lesson done: the next entry is the first new lesson in the suggested order
    assert "  1. Review: 6 questions due\n  2. Next: 1. Neuroplasticity: how the brain changes with experience\n" \
        in result.stdout
    assert result.stdout.endswith("  2. Next: 1. Neuroplasticity: how the brain changes with experience\n"
                                  "  3. Choose a lesson\n  4. Exam practice\n"
                                  "  5. See my progress\n  6. Get urgent help (crisis lines)\n"
                                  "  7. Practise: a worksheet, a breathing space or a check-in\n  8. Quit\n"
                                  "Choose 1-8: 8\nGoodbye. Your progress is saved.\n")
    assert result.returncode == 0


def test_safety_shows_emergency_and_crisis_lines(run_cli) -> None:
    out = run_cli("safety").stdout
    for phrase in ["education, not therapy", "emergency number", "988", "116 123", "findahelpline.com"]:
        assert phrase in out


def test_non_interactive_commands_do_not_import_questionary() -> None:
    code = ("import sys; from neurotutor.cli.app import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('questionary', 'prompt_toolkit', 'neurotutor.study', 'rapidfuzz', 'markdown_it')"
            " if m in sys.modules), file=sys.stderr)")
    for args in (["lessons"], ["progress"], ["validate"], ["--help"], ["lessons", "--json"], ["history"]):
        result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60)
        assert result.stderr.strip().splitlines()[-1] == "[]", args


UI = ("typer", "click", "rich", "questionary", "prompt_toolkit")
SRC = Path(__file__).resolve().parents[1] / "src"


def core_modules() -> list[str]:
    """Every module of the package but the shell (neurotutor.cli) and `python -m`'s entry, found
    from the files (pkgutil.walk_packages would import the packages it walks, cli included)."""
    package = SRC / "neurotutor"
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        parts = parts[:-1] if parts[-1] == "__init__" else parts
        if parts[:2] != ("neurotutor", "cli") and parts != ("neurotutor", "__main__"):
            names.append(".".join(parts))
    return names


def _loaded_ui(modules: list[str], source: Path = SRC) -> list[str]:
    """The UI libraries and shell modules loaded by importing `modules` from `source` in a fresh interpreter."""
    code = ("import importlib, sys\nsys.path.insert(0, sys.argv[1])\nfor name in sys.argv[2:]:\n"
            "    importlib.import_module(name)\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {UI!r} or m.startswith('neurotutor.cli')))")
    result = subprocess.run([sys.executable, "-c", code, str(source), *modules], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return eval(result.stdout)  # a list of strings printed by the child above


def test_core_imports_no_ui_libraries() -> None:
    """The pure core: no module outside neurotutor.cli imports a UI library or the shell."""
    modules = core_modules()
    assert len(modules) > 50 and "neurotutor.study.engine" in modules and "neurotutor.reports.caseload" in modules
    assert _loaded_ui(modules) == []


def test_the_purity_check_fails_when_a_core_module_imports_rich(tmp_path: Path) -> None:
    """The check above can fail: a copy of the package whose study engine imports rich is caught."""
    import shutil

    copy = tmp_path / "src"
    shutil.copytree(SRC / "neurotutor", copy / "neurotutor", ignore=shutil.ignore_patterns("__pycache__"))
    engine = copy / "neurotutor" / "study" / "engine.py"
    engine.write_text(engine.read_text() + "\nimport rich  # a UI import in the core\n")
    assert "rich" in _loaded_ui(core_modules(), source=copy)


@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
@pytest.mark.parametrize("args, no_color, decorated", [(["--plain"], False, False), ([], True, True), ([], False, True)],
                         ids=["--plain", "NO_COLOR", "neither"])
def test_plain_output_has_no_escape_codes(monkeypatch, args: list, no_color: bool, decorated: bool) -> None:
    """On a real terminal, --plain turns every escape code off; NO_COLOR only the colours (the table
    is still drawn, bold still bold)."""
    import os
    import shlex

    pexpect = pytest.importorskip("pexpect")
    if not no_color:
        monkeypatch.delenv("NO_COLOR")
    command = shlex.join([sys.executable, "-m", "neurotutor", *OK, *args, "lessons"])
    out, status = pexpect.run(command, env={**os.environ, "TERM": "xterm-256color"}, withexitstatus=True,
                              timeout=60, dimensions=(40, 120))
    assert status == 0 and b"test-mini" in out
    assert (b"\x1b[" in out) is decorated
    assert ("┃".encode() in out) is decorated  # rich drew the table
    if no_color:
        assert re.search(rb"\x1b\[[0-9;]*(3[0-9]|38;[0-9;]+)m", out) is None  # no colour


def test_validate_refuses_pipes_and_devices_without_hanging(run_cli, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "lesson.yaml"
    os.mkfifo(fifo)
    for target in (str(fifo), "/dev/zero"):
        result = run_cli("validate", target)
        assert result.returncode == 2
        assert result.stderr.splitlines()[0] == f"{target}: is not a regular file (a device or pipe?); give a lesson file"


def test_lessons_path_environment_variable_adds_folders(run_cli, tmp_path: Path) -> None:
    import os

    env = {"NEUROTUTOR_LESSONS_PATH": os.pathsep.join([str(tmp_path / "missing"), str(DATA / "lessons-ok")])}
    result = run_cli("lessons", "--json", env=env)
    assert result.returncode == 0
    assert "test-mini" in [row["id"] for row in json.loads(result.stdout)["lessons"]]
    assert result.stderr.splitlines() == [
        "Some lessons could not be loaded (1 file or folder); the others work as usual:",
        f"  {tmp_path / 'missing'}: no such file or folder",
        "Run 'neurotutor validate' to see every problem.",
    ]


def test_home_menu_rereads_unusual_digits(run_cli) -> None:
    result = run_cli(*OK, "--plain", input="\n²\n8\n")
    assert result.returncode == 0
    assert "Type a number from 1 to 8." in result.stdout and "Goodbye." in result.stdout


def test_progress_of_another_profile_asked_after_the_command(run_cli, neurotutor_home: Path) -> None:
    run_cli(*OK, "learn", "test-mini", "--profile", "sam", "--plain", input=lesson_input(RIGHT[:1]))
    result = run_cli("progress", *OK, "--profile", "sam", "--plain")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^19 +A small test lesson +quiz 1/6 +- +\d+ \w{3} \d{4}$", result.stdout, re.M), result.stdout
    assert result.stdout.endswith(f"Saved in {neurotutor_home / 'profiles' / 'sam' / 'progress.json'}\n")
    fresh = run_cli("progress", "--profile", "new", "--plain")
    assert fresh.stdout.endswith(f"Will be saved in {neurotutor_home / 'profiles' / 'new' / 'progress.json'}\n")


def test_progress_names_a_lesson_that_is_not_loaded_now(run_cli) -> None:
    run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT[:2]))
    result = run_cli("--plain", "progress")  # without the folder test-mini comes from
    assert re.search(r"^- +test-mini +not loaded +- +\d+ \w{3} \d{4}$", result.stdout, re.M), result.stdout
    assert ("Progress is kept for 1 lesson not loaded now (test-mini): a lesson of your own, from a folder not "
            "given this time.\nTo see and continue it, give its folder:\n"
            "  neurotutor --plain --lessons-dir FOLDER progress\n") in result.stdout
    rows = {r["id"]: r for r in json.loads(run_cli("progress", "--json").stdout)["lessons"]}
    assert (rows["test-mini"]["loaded"], rows["test-mini"]["status"]) == (False, "in_progress")


def test_history_says_when_an_answer_was_not_known(run_cli) -> None:
    run_cli(*OK, "--plain", "quiz", "test-mini", input=lesson_input(["?"], sections=0))
    lines = run_cli(*OK, "--plain", "history").stdout.splitlines()
    assert re.split(r"\s{2,}", lines[1])[1:] == ["test-mini", "Which is right?", "pass 1", "didn't know", "I don't know"]


def test_a_finished_lesson_opened_with_closed_input_stays_done(run_cli, neurotutor_home: Path) -> None:
    run_cli(*OK, "--plain", "learn", "test-mini", input=lesson_input(RIGHT))
    before = progress_json(neurotutor_home)["lessons"]["test-mini"]
    for command in ("learn", "quiz"):
        result = run_cli(*OK, "--plain", command, "test-mini", input="")
        assert result.returncode == 4  # input ended
        assert "You have finished this lesson once" in result.stdout
        assert ("1. Start a new pass (from the first section)\n  2. Retry the questions I missed (you missed none)\n"
                "  3. Leave it for now\n") in result.stdout
    assert progress_json(neurotutor_home)["lessons"]["test-mini"] == before
    rows = {r["id"]: r for r in json.loads(run_cli(*OK, "progress", "--json").stdout)["lessons"]}
    assert (rows["test-mini"]["status"], rows["test-mini"]["sections_read"], rows["test-mini"]["questions_answered"]) == (
        "done", 2, 6)


def test_version_answers_before_the_app_is_loaded() -> None:
    """`neurotutor --version` (the entry point's fast path) loads neither typer nor the shell, and
    says what the app's own --version says; any other command line goes to the app."""
    from neurotutor import __version__

    code = ("import sys\nfrom neurotutor.cli.entry import main\nmain(['--version'])\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'click', 'rich')"
            " or m.startswith('neurotutor.cli.app')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"neurotutor {__version__}\n[]\n", "")
    full = subprocess.run([sys.executable, "-m", "neurotutor", "--plain", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert (full.returncode, full.stdout, full.stderr) == (0, f"neurotutor {__version__}\n", "")


def test_lessons_are_taken_by_number_or_picked_from_the_numbered_list(run_cli) -> None:
    by_number = run_cli(*OK, "--plain", "learn", "19", input="\nq\n")  # the 19th: after the 18 built-in lessons
    assert by_number.returncode == 0, by_number.stderr
    assert "A small test lesson" in by_number.stdout
    assert "Stopped at section 1 of 2." in by_number.stdout
    too_far = run_cli(*OK, "--plain", "learn", "20")
    assert (too_far.returncode, too_far.stdout) == (2, "")
    assert too_far.stderr == ("There is no lesson 20: the lessons are numbered 1 to 19. Run 'neurotutor "
                              f"--lessons-dir {DATA / 'lessons-ok'} --plain lessons' to see them.\n")
    picked = run_cli(*OK, "--plain", "learn", input="19\nq\n")  # the list, then the lesson picked
    assert picked.returncode == 0, picked.stderr
    assert "Which lesson?\n  1. Neuroplasticity: how the brain changes with experience (new, " in picked.stdout
    assert "\n  19. A small test lesson (new, 3 min)\n  20. Back\nChoose 1-20: 19\n" in picked.stdout
    assert "Stopped at section 1 of 2." in picked.stdout
    back = run_cli(*OK, "--plain", "quiz", input="20\n")  # Back: nothing is taken
    assert (back.returncode, back.stderr) == (0, "") and back.stdout.endswith("Choose 1-20: 20\n")


def test_the_next_step_is_an_assignment_then_the_lesson_in_progress_then_the_next_new_one() -> None:
    from datetime import date, datetime, timezone

    from neurotutor import paths
    from neurotutor.lessons.catalogue import load_catalogue
    from neurotutor.progress import model as pm
    from neurotutor.progress.summary import next_step
    from neurotutor.study import schedule

    catalogue = load_catalogue(paths.builtin_lessons_dir(), [DATA / "lessons-ok"])
    now = datetime(2026, 12, 7, 10, tzinfo=timezone.utc)
    day, today = schedule.study_day(now, 0), date(2026, 12, 7)
    fresh = next_step(catalogue, pm.Progress(), day, today)
    assert (fresh.number, fresh.lesson_id, fresh.started, fresh.assigned, fresh.due, fresh.next_due) == (
        1, "neuroplasticity-types", False, False, 0, None)
    done = pm.LessonState(run=2, completed_runs=1, last_studied=now)
    started = pm.LessonState(run=1, sections_seen=("x",), last_studied=now)
    due = pm.CardState(state=2, stability=3.0, difficulty=5.0, due=now, last_review=now)
    later = pm.CardState(state=2, stability=3.0, difficulty=5.0, due=datetime(2026, 12, 9, 12, tzinfo=timezone.utc),
                         last_review=now)
    progress = pm.Progress(lessons={"neuroplasticity-types": done, "cbt": started},
                           cards={"np-hebb-name": due, "np-ltp-name": later})
    step = next_step(catalogue, progress, day, today)
    assert (step.number, step.lesson_id, step.started, step.due, step.next_due) == (5, "cbt", True, 1, None)
    # the lesson just finished is never suggested; with nothing due, when the next one is
    after = next_step(catalogue, pm.Progress(lessons={"neuroplasticity-types": done}, cards={"np-ltp-name": later}),
                      day, today, after="neuroplasticity-types")
    assert (after.number, after.lesson_id, after.due) == (2, "plasticity-claims", 0)
    assert after.next_due == datetime(2026, 12, 9, 4, tzinfo=timezone.utc)  # the start of that study day
