"""One driver for every test that runs neurotutor in a real pseudo-terminal (pexpect on a pty).

What the learner sees is kept twice: the raw bytes the tutor wrote (to check escape sequences)
and the screen those bytes draw, rendered by pyte, a terminal emulator, at the pty's exact size
(to check wrapping, paging and what is visible at 80x24 or 50 columns).

prompt_toolkit asks the terminal where the cursor is (ESC[6n) at every prompt. A real terminal
answers at once; here pyte answers with the cursor position of the emulated screen, so prompts
never wait for a reply. Tests only send keys after the prompt they are meant for is drawn.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

import pexpect
import pyte

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DATA = Path(__file__).resolve().parent / "data"

DOWN, UP, LEFT, RIGHT = "\x1b[B", "\x1b[A", "\x1b[D", "\x1b[C"
ENTER, SPACE, CTRL_C, CTRL_D = "\r", " ", "\x03", "\x04"
SGR = re.compile(r"\x1b\[[0-9;]*m")


def as_from_a_shell() -> None:
    """In the child before it starts: Ctrl-C as a shell gives it to a command it runs in the
    foreground, even when these tests run in a background job (which ignores SIGINT, and a
    program started from it would inherit that)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class _Screen(pyte.Screen):  # type: ignore[misc]
    """A pyte screen whose answers to the program (cursor position reports) go back to it."""

    def __init__(self, columns: int, lines: int, reply: Any) -> None:
        super().__init__(columns, lines)
        self._reply = reply

    def write_process_input(self, data: str) -> None:
        self._reply(data)


class _Tee:
    """pexpect's read log: keeps the bytes and feeds the emulated screen."""

    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal

    def write(self, data: bytes) -> None:
        self.terminal.raw += data
        self.terminal.stream.feed(data)

    def flush(self) -> None:
        pass


class Terminal:
    """`python -m neurotutor ARGS` on a pty of the given size."""

    def __init__(self, home: Path, *args: str, rows: int = 24, columns: int = 80, color: bool = False,
                 env: dict[str, str] | None = None, timeout: float = 20) -> None:
        full_env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
        full_env.update(
            NEUROTUTOR_HOME=str(home), TERM="xterm-256color",
            PYTHONPATH=os.pathsep.join([str(SRC), *filter(None, [os.environ.get("PYTHONPATH")])]),
        )
        if not color:
            full_env["NO_COLOR"] = "1"
        full_env.update(env or {})
        self.raw = b""
        self.rows, self.columns = rows, columns
        self.screen = _Screen(columns, rows, self._answer)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(sys.executable, ["-m", "neurotutor", *args], env=full_env, cwd=str(ROOT),
                                   dimensions=(rows, columns), timeout=timeout, preexec_fn=as_from_a_shell)
        self.child.logfile_read = _Tee(self)

    def _answer(self, data: str) -> None:
        if self.child.isalive():
            self.child.send(data)

    # -- what was written, and what is on screen ------------------------------------------

    @property
    def output(self) -> str:
        """Everything written, decoded (a stray raw byte shows as U+DCxx)."""
        return self.raw.decode("utf-8", "surrogateescape")

    @property
    def text(self) -> str:
        """Everything written, without SGR styles."""
        return SGR.sub("", self.output)

    def display(self) -> list[str]:
        """The screen now, line by line, trailing spaces removed."""
        return [line.rstrip() for line in self.screen.display]

    def shown(self) -> str:
        """The screen now as one string."""
        return "\n".join(self.display())

    # -- driving ----------------------------------------------------------------------------

    def expect(self, pattern: str) -> re.Match[bytes]:
        """Wait until the output matches a regex (on the bytes, decoded as UTF-8)."""
        try:
            self.child.expect(re.compile(pattern.encode()))
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise AssertionError(f"never saw {pattern!r}; the screen was:\n{self.shown()}\n"
                                 f"the output ended:\n{self.text[-2000:]!r}") from exc
        return self.child.match  # type: ignore[no-any-return]

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)

    def press_and_wait(self, *keys: str) -> None:
        """Press keys and wait until the tutor writes something in answer (so the screen read
        next is never the one the keys were meant for)."""
        before = len(self.raw)
        self.keys(*keys)
        while len(self.raw) == before:
            try:
                self.child.read_nonblocking(65536, timeout=self.child.timeout)
            except pexpect.EOF:
                return

    def prompt(self, pattern: str, *keys: str) -> None:
        """Wait until a prompt is drawn, then press its keys."""
        self.expect(pattern)
        self.keys(*keys)

    def settle(self, pattern: str) -> str:
        """Wait for a prompt and a moment of quiet, so the screen is fully drawn; returns it."""
        self.expect(pattern)
        return self.quiet()

    def quiet(self, seconds: float = 0.15) -> str:
        """Wait until nothing more is written for a moment; returns the screen. Whatever was
        waiting in pexpect's buffer is fed to the screen too (it was logged when read)."""
        self.child.buffer = b""
        while True:
            try:
                self.child.read_nonblocking(65536, timeout=seconds)
            except pexpect.TIMEOUT:
                return self.shown()
            except pexpect.EOF:
                return self.shown()

    def finish(self) -> int:
        """Wait for the process to end; returns its exit status (no traceback allowed)."""
        try:
            self.child.expect(pexpect.EOF)
        except pexpect.TIMEOUT as exc:
            self.child.terminate(force=True)
            raise AssertionError(f"the tutor did not exit; the screen was:\n{self.shown()}") from exc
        self.child.close()
        assert self.child.signalstatus is None, self.text[-3000:]
        assert "Traceback" not in self.text and "unexpected problem" not in self.text, self.text
        return int(self.child.exitstatus)

    def kill(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)

