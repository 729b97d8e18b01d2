"""Hints work as typed: the bare `neurotutor` only when that word finds the running program on PATH."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from neurotutor import safety
from neurotutor.cli import hints
from neurotutor.cli.settings import Settings


@pytest.fixture
def venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fake venv under the current folder: bin/python (the interpreter) and bin/neurotutor (the script)."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "neurotutor"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "executable", str(bin_dir / "python"))
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))  # nothing of this venv on PATH
    hints.program.cache_clear()
    yield bin_dir
    hints.program.cache_clear()


def on_path(monkeypatch: pytest.MonkeyPatch, **found: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, path=None: (
        str(Path(path) / name) if path and (Path(path) / name).exists() else (str(found[name]) if name in found else None)))


def test_the_bare_word_when_neurotutor_on_path_is_the_running_script(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(venv / "neurotutor"), "lessons"])
    on_path(monkeypatch, neurotutor=venv / "neurotutor")
    assert hints.command(Settings(profile="sam"), "learn", "x") == "neurotutor --profile sam learn x"
    assert safety.footer(hints.bare("safety")) == safety.FOOTER == "Education, not therapy. Need urgent help? Run: neurotutor safety"


def test_the_relative_path_when_not_on_path(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(venv / "neurotutor"), "lessons"])
    on_path(monkeypatch)
    assert hints.command(Settings(plain=True), "safety") == ".venv/bin/neurotutor --plain safety"
    assert safety.short_notice(hints.bare("safety")).endswith("or run '.venv/bin/neurotutor safety' to see crisis lines.")


def test_the_path_when_another_neurotutor_is_on_path(venv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(venv / "neurotutor")])
    on_path(monkeypatch, neurotutor=tmp_path / "other" / "neurotutor")
    assert hints.bare("review") == ".venv/bin/neurotutor review"


def test_an_absolute_path_outside_the_current_folder(venv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(venv / "neurotutor")])
    on_path(monkeypatch)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert hints.bare("safety") == f"{venv / 'neurotutor'} safety"


def test_a_script_in_the_current_folder_is_typed_with_dot_slash(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(venv / "neurotutor")])
    on_path(monkeypatch)
    monkeypatch.chdir(venv)
    assert hints.bare("safety") == f"{os.curdir}{os.sep}neurotutor safety"


def test_run_as_a_module_uses_the_script_beside_the_interpreter(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [str(Path(hints.__file__).parents[1] / "__main__.py"), "lessons"])
    on_path(monkeypatch, neurotutor=venv / "neurotutor")
    assert hints.bare("safety") == "neurotutor safety"
    hints.program.cache_clear()
    on_path(monkeypatch)
    assert hints.bare("safety") == ".venv/bin/neurotutor safety"


def test_run_as_a_module_with_no_script(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (venv / "neurotutor").unlink()
    monkeypatch.setattr(sys, "argv", ["-m", "lessons"])
    on_path(monkeypatch, python=venv / "python")
    assert hints.bare("safety") == "python -m neurotutor safety"
    hints.program.cache_clear()
    on_path(monkeypatch)
    assert hints.command(Settings(profile="a b"), "learn") == ".venv/bin/python -m neurotutor --profile 'a b' learn"
