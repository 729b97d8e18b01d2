"""Shared fixtures: every test gets its own NEUROTUTOR_HOME, and no real lessons path leaks in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def neurotutor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data folder at a temp dir so no test touches a real home."""
    home = tmp_path / "home"
    monkeypatch.setenv("NEUROTUTOR_HOME", str(home))
    monkeypatch.delenv("NEUROTUTOR_LESSONS_PATH", raising=False)
    monkeypatch.delenv("NEUROTUTOR_PROFILE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    # Subprocesses (`python -m neurotutor`, pexpect) must run the working tree too.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]))
    # This venv's scripts first on PATH, as after `source .venv/bin/activate`: hints then print the bare
    # `neurotutor` (cli/hints.py prints a path when the `neurotutor` on PATH is another program).
    monkeypatch.setenv("PATH", os.pathsep.join([os.path.dirname(sys.executable), os.environ.get("PATH", "")]))
    from neurotutor.cli import hints

    hints.program.cache_clear()
    return home


@pytest.fixture
def run_cli(neurotutor_home: Path):
    """Run the CLI in this process: the real main(argv), with stdin, stdout and stderr as pipes
    (tests/flows.py); returns a CompletedProcess with the exit code and the exact stdout and stderr."""
    from flows import run_in_process

    return run_in_process


@pytest.fixture
def run_cli_process(neurotutor_home: Path):
    """Run `python -m neurotutor` in a new interpreter with text input, for what only a separate
    process shows (the locale's encoding, start-up); returns CompletedProcess."""

    def run(*args: str, input: str = "", env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(
            [sys.executable, "-m", "neurotutor", *args],
            input=input, capture_output=True, text=True, env=full_env, cwd=cwd or ROOT, timeout=60,
        )

    return run


@pytest.fixture
def pty_tutors():  # type: ignore[no-untyped-def]
    """Start tutors in pseudo-terminals (tests/terminal.py, which takes a size and an environment);
    any still running at the end of a test are killed."""
    from terminal import Terminal

    started: list[Terminal] = []

    def start(home: Path, *args: str, **kw: object) -> Terminal:
        started.append(Terminal(home, *args, **kw))  # type: ignore[arg-type]
        return started[-1]

    yield start
    for t in started:
        t.kill()


@pytest.fixture
def terminals(pty_tutors):  # type: ignore[no-untyped-def]
    """The same, under the name most tests use (test_terminal_safety has a `terminals` of its own)."""
    return pty_tutors
