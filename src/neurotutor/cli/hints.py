"""Commands the tutor tells the learner to type, with the global options in force repeated.

A hint printed under `--profile sam` must continue Sam's lesson, not the default profile's, so
every hint is built here from the settings: `--profile`, each `--lessons-dir` and `--plain`
appear when they were given, shell-quoted.

A hint must also work as typed in the same terminal. After `.venv/bin/neurotutor` (the README's
first command) a bare `neurotutor` is "command not found", so `program()` prints the bare word only
when `neurotutor` on PATH is the program that is running, and otherwise the path that is.
"""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import sys
from collections.abc import Callable

from neurotutor.cli.settings import Settings

NAME = "neurotutor"


@functools.lru_cache(maxsize=1)
def program() -> str:
    """How to type the running tutor here, shell-quoted: `neurotutor` when that word finds it on PATH,
    else its script's path (relative when under the current folder), else `PYTHON -m neurotutor`."""
    script = _running_script()
    if script is not None:
        return _as_typed(script, NAME, os.path.realpath)  # a linked script (pipx) is the same program
    # Run as a module with no script installed: the interpreter's own path, never followed through its
    # links (a venv's python links to one that cannot import neurotutor).
    return f"{_as_typed(sys.executable, 'python', os.path.abspath)} -m {NAME}"


def _running_script() -> str | None:
    """The script that started this process, or for `python -m neurotutor` (and tests in process)
    the one installed beside the interpreter, if any."""
    argv0 = sys.argv[0] if sys.argv else ""
    if os.path.basename(argv0).lower().startswith(NAME) and os.path.isfile(argv0):
        return argv0
    return shutil.which(NAME, path=os.path.dirname(sys.executable)) if sys.executable else None


def _as_typed(path: str, word: str, key: Callable[[str], str]) -> str:
    """`word` when the shell would find `path` by it, else the path, relative under the current folder.
    `key` (os.path.realpath or os.path.abspath) says when two paths are one program."""
    found = shutil.which(word)
    if found is not None and key(found) == key(path):
        return word
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        shown = os.path.abspath(path)
    if shown.startswith(os.pardir):
        shown = os.path.abspath(path)
    elif os.sep not in shown:  # `./neurotutor`: a bare name would be looked up on PATH
        shown = os.path.join(os.curdir, shown)
    return shlex.quote(shown)


def command(settings: Settings, *words: str) -> str:
    """The command line for `neurotutor WORDS...` under these settings."""
    parts = []
    if settings.profile != "default":
        parts += ["--profile", settings.profile]
    for folder in settings.lessons_dirs:
        parts += ["--lessons-dir", str(folder.absolute())]  # right from any folder
    if settings.plain:
        parts.append("--plain")
    parts += words
    return " ".join([program(), *(shlex.quote(p) for p in parts)])


def bare(*words: str) -> str:
    """`neurotutor WORDS...` with no global options (for commands that need none, like `safety`)."""
    return " ".join([program(), *(shlex.quote(w) for w in words)])
