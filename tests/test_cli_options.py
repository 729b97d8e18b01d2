"""Global options before or after the command (`hoist_global_options`), usage errors, and the
options repeated in every command the tutor tells the learner to type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from neurotutor.cli.app import app, hoist_global_options

DATA = Path(__file__).parent / "data"
LESSONS_OK = str(DATA / "lessons-ok")
COMMANDS = {c.name for c in app.registered_commands if c.name}


@pytest.mark.parametrize(("given", "run"), [
    (["progress", "--profile", "sam"], ["--profile", "sam", "progress"]),
    (["progress", "--profile=sam", "--json"], ["--profile=sam", "progress", "--json"]),
    (["learn", "cbt", "--plain", "--deeper", "--debug"], ["--plain", "--debug", "learn", "cbt", "--deeper"]),
    (["lessons", "--lessons-dir", "a", "--json", "--lessons-dir=b"], ["--lessons-dir", "a", "--lessons-dir=b", "lessons", "--json"]),
    (["--plain", "progress", "--profile", "sam"], ["--plain", "--profile", "sam", "progress"]),  # before stays before
    (["--profile", "learn", "lessons", "--plain"], ["--profile", "learn", "--plain", "lessons"]),  # a value, not the command
    (["--lessons-dir", "progress", "lessons"], ["--lessons-dir", "progress", "lessons"]),
    (["learn", "--", "--plain"], ["learn", "--", "--plain"]),  # after --, nothing moves
    (["learn", "x", "--plain", "--", "--profile", "sam"], ["--plain", "learn", "x", "--", "--profile", "sam"]),
    (["--", "learn", "--plain"], ["--", "learn", "--plain"]),
    (["learn", "--profile"], ["learn", "--profile"]),  # no value: left for click to report
    (["learn", "x", "--profile", "--", "y"], ["learn", "x", "--profile", "--", "y"]),
    (["nope", "--plain"], ["nope", "--plain"]),  # not a command: click reports it as it is
    (["--plain"], ["--plain"]),
    ([], []),
])
def test_global_options_after_the_command_move_before_it(given: list[str], run: list[str]) -> None:
    assert hoist_global_options(given, COMMANDS) == run


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_global_options_anywhere(run_cli, command: str) -> None:
    for args in ([command, "--help"], [command, "--help", "--plain", "--profile", "sam"], ["--plain", command, "-h"]):
        result = run_cli(*args)
        assert (result.returncode, result.stderr) == (0, ""), args
        assert result.stdout.startswith(f"Usage: neurotutor {command} [OPTIONS]"), args
        assert "Example: neurotutor " in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["learn", "x", "--profile"], "Error: Option '--profile' needs a value: --profile NAME."),
    (["progress", "--lessons-dir"], "Error: Option '--lessons-dir' needs a value: --lessons-dir DIR."),
    (["progress", "--bogus", "--plain"], "Error: No such option: --bogus"),
    (["progress", "--", "--plain"], "Error: Got unexpected extra argument(s) (--plain)"),
])
def test_usage_errors_stay_clear(run_cli, args: list[str], message: str) -> None:
    result = run_cli(*args)
    command = args[0]
    usage = {"learn": "Usage: neurotutor learn [OPTIONS] [LESSON]", "progress": "Usage: neurotutor progress [OPTIONS]"}
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"{usage[command]}\nTry 'neurotutor {command} -h' for help.\n\n{message}\n"


def test_a_bad_profile_after_the_command_is_named(run_cli) -> None:
    result = run_cli("lessons", "--profile", "../x")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("Profile name '../x' is not allowed")


def test_hints_repeat_the_options_given_after_the_command(run_cli) -> None:
    unknown = run_cli("learn", "x", "--plain", "--profile", "sam")
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == "There is no lesson with the id 'x'. Run 'neurotutor --profile sam --plain lessons' to see them all; a lesson of your own is found with --lessons-dir FOLDER.\n"
    listed = run_cli("lessons", "--lessons-dir", LESSONS_OK, "--plain")
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^19 +A small test lesson +\d+ +new +- +test-mini$", listed.stdout, re.M), listed.stdout
    assert listed.stdout.endswith(f"Start one by its number or id, for example:\n"
                                  f"  neurotutor --lessons-dir {LESSONS_OK} --plain learn 1\n")
    named_learn = run_cli("--profile", "learn", "lessons", "--plain")  # the profile "learn", then the command
    assert named_learn.stdout.endswith("Start one by its number or id, for example:\n"
                                       "  neurotutor --profile learn --plain learn 1\n")


def test_reset_hints_repeat_the_options(run_cli) -> None:
    neither = run_cli("reset", "--profile", "sam")
    assert (neither.returncode, neither.stderr) == (
        2, "Give either a lesson id or --all, for example: neurotutor --profile sam reset cbt\n")
    unknown = run_cli("reset", "cbx", "--yes", "--plain", "--profile", "sam")
    assert (unknown.returncode, unknown.stderr) == (
        2, "There is no lesson with the id 'cbx'. Did you mean: cbt? Run 'neurotutor --profile sam --plain lessons' "
           "to see them all; a lesson of your own is found with --lessons-dir FOLDER.\n")
