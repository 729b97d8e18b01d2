"""Shell completion (Typer's own, for bash, zsh and fish), with lesson ids from the catalogue.

The shell runs `neurotutor` with `_NEUROTUTOR_COMPLETE` set; these tests do the same, in
process, through the real main(argv).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import cli

DATA = Path(__file__).resolve().parent / "data"


def complete(capsys, monkeypatch, shell: str, words: str) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("_NEUROTUTOR_COMPLETE", f"complete_{shell}")
    if shell == "bash":
        monkeypatch.setenv("COMP_WORDS", words)
        monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - 1))
    else:
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", words)
        if shell == "fish":
            monkeypatch.setenv("_TYPER_COMPLETE_FISH_ACTION", "get-args")
    code, out, err = cli(capsys)
    assert (code, err) == (0, "")
    return out


def test_bash_completes_commands_and_lesson_ids(capsys, monkeypatch) -> None:
    assert complete(capsys, monkeypatch, "bash", "neurotutor le").split() == ["lessons", "learn"]
    assert complete(capsys, monkeypatch, "bash", "neurotutor learn cb").split() == ["cbt"]
    assert complete(capsys, monkeypatch, "bash", "neurotutor reset neuroplasticity-t").split() == ["neuroplasticity-types"]


def test_lesson_folders_typed_before_the_command_count(capsys, monkeypatch) -> None:
    words = f"neurotutor --lessons-dir {DATA / 'lessons-ok'} review --lesson test-"
    assert complete(capsys, monkeypatch, "bash", words).split() == ["test-mini"]


def test_the_last_id_of_a_list_is_completed(capsys, monkeypatch) -> None:
    assert complete(capsys, monkeypatch, "bash", "neurotutor exam --lessons cbt,neuroplasticity-t").split() == [
        "cbt,neuroplasticity-types"]


def test_zsh_and_fish_get_ids_with_titles(capsys, monkeypatch) -> None:
    zsh = complete(capsys, monkeypatch, "zsh", "neurotutor learn neuroplasticity")
    assert zsh == ("_arguments '*: :((\"neuroplasticity-types\":\"Neuroplasticity\\\\: how the brain changes with "
                   "experience\"))'\n")
    fish = complete(capsys, monkeypatch, "fish", "neurotutor learn neuroplasticity")
    assert fish == "neuroplasticity-types\tNeuroplasticity: how the brain changes with experience\n"


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_script_is_shown_for_each_shell(capsys, monkeypatch, shell: str) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")  # Typer's switch: the shell is named
    code, out, err = cli(capsys, "--show-completion", shell)
    assert (code, err) == (0, "") and "_NEUROTUTOR_COMPLETE" in out and f"complete_{shell}" in out


def test_a_broken_folder_on_the_command_line_completes_nothing(capsys, monkeypatch, tmp_path: Path) -> None:
    assert complete(capsys, monkeypatch, "bash", "neurotutor --profile ../x learn cb").split() == []
    assert complete(capsys, monkeypatch, "bash", f"neurotutor --lessons-dir {tmp_path / 'none'} learn cb").split() == [
        "cbt"]  # a folder that is not there adds nothing, and takes nothing away
