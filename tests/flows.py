"""Typed input for the plain-mode study flow, and a profile whose option order is known.

A profile shuffles answer options with its own seed (made on first use). Tests that type answers
by their shown number start from a profile with a known seed: under SEED, test-mini's first pass
shows single (Beta, Gamma, Alpha), multiple (Three, Four, Two), ordering (Three, Two, One) and
matching (a Moo, b Meow, c Woof).
"""

from __future__ import annotations

import io
import json
import locale
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from neurotutor.progress.model import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]

SEED = 251
RIGHT = ["3", "2,3", "f", "3 2 1", "1b 2c 3a", "Hebb"]
MIXED = ["1", "2,3", "t", "3 2 1", "1a 2b 3c", "hebb!"]  # 3 of 6 right: single, true/false, matching wrong


def seed_profile(home: Path, seed: int = SEED, notice_seen: bool = False) -> Path:
    """Start a profile's progress file with a known shuffle seed (if it has none yet)."""
    path = home / "progress.json"
    if not path.exists():
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        home.chmod(0o700)  # as the tutor makes it, so it has nothing to tighten
        path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "seed": seed, "notice_seen": notice_seen}))
        path.chmod(0o600)
    return path


def lesson_input(answers: list[str], sections: int = 2, notice: bool = True, retry: str | None = None) -> str:
    """Enter at the first-run notice, Enter past each section, then each answer and an Enter
    after its feedback; `retry` answers the offer to retry missed questions (None: input ends)."""
    lines = [""] if notice else []
    lines += [""] * sections
    for answer in answers:
        lines += [answer, ""]
    if retry is not None:
        lines.append(retry)
    return "\n".join(lines) + "\n"


def cli(capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """Run the real main(argv) in process, with stdin as given: (exit code, stdout, stderr)."""
    import io
    import sys

    from neurotutor.cli.app import main

    capsys.readouterr()
    sys.stdin = io.StringIO(stdin)
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err


# -- the CLI in process, as in a new interpreter ---------------------------------------------------

MAIN_SCRIPT = str(ROOT / "src" / "neurotutor" / "__main__.py")  # sys.argv[0] under `python -m neurotutor`
ENCODING = locale.getpreferredencoding(False)
# The error handler Python gives stdin and stdout: surrogateescape in UTF-8 mode and in the C locale
# and the UTF-8 locales it coerces that to, else strict (stderr's is always backslashreplace).
STDIO_ERRORS = ("surrogateescape" if sys.flags.utf8_mode
                or locale.setlocale(locale.LC_CTYPE) in ("C", "POSIX", "C.UTF-8", "C.utf8", "UTF-8") else "strict")


class Pipe(io.TextIOWrapper):
    """A standard stream as a program sees it with a pipe attached: text over bytes, no terminal."""

    def isatty(self) -> bool:
        return False


def run_main(args: list[str], stdin: bytes = b"", env: dict[str, str] | None = None,
             cwd: Path | None = None) -> tuple[int, bytes, bytes]:
    """`python -m neurotutor ARGS` without a new interpreter: the real main(argv) with stdin, stdout
    and stderr as pipes (never terminals), `env` set and `cwd` entered (default: the repository, as
    for the subprocess) for the call, all of it put back after; returns the exit status and the
    bytes written to stdout and stderr.

    What one process cannot imitate (the locale's encoding, a closed pipe, signals, start-up) is
    for a real subprocess (conftest's `run_cli_process`)."""
    from neurotutor.cli import hints
    from neurotutor.cli.app import main

    saved_env = {name: os.environ.get(name) for name in (env or {})}
    saved = (sys.stdin, sys.stdout, sys.stderr, sys.argv, os.getcwd())
    stdout = Pipe(io.BytesIO(), encoding=ENCODING, errors=STDIO_ERRORS)
    stderr = Pipe(io.BytesIO(), encoding=ENCODING, errors="backslashreplace")
    code = 0
    try:
        os.environ.update(env or {})
        time.tzset()  # TZ may be among them
        os.chdir(cwd or ROOT)
        hints.program.cache_clear()  # a new process looks the program up afresh
        sys.stdin = Pipe(io.BytesIO(stdin), encoding=ENCODING, errors=STDIO_ERRORS)
        sys.stdout, sys.stderr, sys.argv = stdout, stderr, [MAIN_SCRIPT, *args]
        try:
            main(list(args))  # returns on status 0, raises SystemExit(code) otherwise
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # what the interpreter does with sys.exit("text")
                print(exc.code, file=sys.stderr)
                code = 1
        stdout.flush()
        stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr, sys.argv = saved[:4]
        os.chdir(saved[4])
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        time.tzset()
        hints.program.cache_clear()
    return code, stdout.buffer.getvalue(), stderr.buffer.getvalue()


def _as_text(raw: bytes) -> str:
    """Bytes decoded as subprocess.run(text=True) decodes a child's output (the locale's encoding,
    universal newlines)."""
    return io.TextIOWrapper(io.BytesIO(raw), encoding=ENCODING).read()


def run_in_process(*args: str, input: str = "", env: dict[str, str] | None = None,
                   cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """run_main with text input; returns what subprocess.run(..., capture_output=True, text=True) would."""
    code, out, err = run_main(list(args), input.encode(ENCODING), env=env, cwd=cwd)
    return subprocess.CompletedProcess([sys.executable, "-m", "neurotutor", *args], code, _as_text(out), _as_text(err))


class Scripted:
    """A prompter that answers from a script, asking a typed answer again while its check finds a
    problem (as both real prompters do); a menu reply may be the text of the entry to pick (the
    flows of `assign new`)."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.asked: list[tuple[Any, ...]] = []
        self.refused: list[str] = []  # what the checks said of typed answers

    def _next(self) -> Any:
        if not self.replies:
            raise EOFError
        return self.replies.pop(0)

    def choose(self, message: str, options: list[str], disabled: dict[int, str] | None = None,
               default: int | None = None) -> int:
        self.asked.append(("choose", message, tuple(options), dict(disabled or {})))
        reply = self._next()
        if isinstance(reply, str):
            reply = next(i for i, text in enumerate(options) if reply in text)
        assert reply not in (disabled or {}), (message, options[reply])
        return int(reply)

    def text(self, message: str, check: Callable[[str], str | None] | None = None, optional: bool = False) -> str:
        self.asked.append(("text", message))
        while True:
            reply = str(self._next())
            if not reply and optional:
                return ""
            wrong = check(reply) if check and reply else None if reply else "Please type something."
            if wrong is None:
                return reply
            self.refused.append(wrong)

    def confirm(self, message: str) -> bool:
        self.asked.append(("confirm", message))
        return bool(self._next())
