"""One driver for every test that runs neurotutor in a real pseudo-terminal (pexpect on a pty).

What the learner sees is kept twice: the raw bytes the tutor wrote (to check escape sequences)
and the screen those bytes draw, rendered by pyte, a terminal emulator, at the pty's exact size
(to check wrapping, paging and what is visible at 80x24 or 50 columns).

prompt_toolkit asks the terminal where the cursor is (ESC[6n) at every prompt. A real terminal
answers at once; here pyte answers with the cursor position of the emulated screen, so prompts
never wait for a reply. Tests only send keys after the prompt they are meant for is drawn.

Waiting is always for what the tutor draws, never for a pause in its output. A prompt_toolkit
prompt (every prompt on a capable terminal) shows itself in the bytes: it starts by asking where
the cursor is and turning bracketed paste on (ESC[6n ESC[?2004h), draws each whole frame between
autowrap off and on (ESC[?7l ... ESC[?7h), draws once more when the cursor position comes back
(reserving the rows below, which may scroll the screen), and ends by turning bracketed paste off
(ESC[?2004l). So "the prompt is on screen and waiting for keys" is: a prompt has started and not
ended, has drawn both of those frames, and no frame is half written.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable
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
PROMPT_STARTS, PROMPT_ENDS = b"\x1b[?2004h", b"\x1b[?2004l"  # bracketed paste on, off
FRAME_STARTS, FRAME_ENDS = b"\x1b[?7l", b"\x1b[?7h"  # autowrap off, on


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
        self.child.delaybeforesend = None  # no 50 ms pause before each key: keys wait for their prompt instead
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

    def prompt(self, pattern: str, *keys: str) -> None:
        """Wait until a prompt is drawn, then press its keys (once it waits for them, when it is
        a prompt_toolkit prompt: keys sent before reach it whole, not half drawn)."""
        self.expect(pattern)
        if self._in_prompt():
            self._read_until(self.waiting, f"the prompt {pattern!r} drawn whole")
            self.child.buffer = b""
        self.keys(*keys)

    def settle(self, pattern: str) -> str:
        """Wait for a pattern, then until the tutor waits for keys at a prompt drawn whole (or has
        exited); returns the screen. What was written up to then is not matched again."""
        self.expect(pattern)
        self._read_until(self.waiting, f"a prompt waiting for keys after {pattern!r}")
        self.child.buffer = b""
        return self.shown()

    def next_prompt(self, after: int = -1) -> bool:
        """Wait until a prompt that started after byte `after` of the output is drawn whole and waits
        for keys (True), or the tutor exits (False)."""
        return self._read_until(lambda: self.waiting() and self.raw.rfind(PROMPT_STARTS) > after,
                                "a new prompt waiting for keys")

    def next_frame(self) -> str:
        """Wait until the prompt is drawn once more, whole (a countdown redraws itself); returns the screen."""
        drawn = self.raw.count(FRAME_ENDS)
        self._read_until(lambda: self.raw.count(FRAME_ENDS) > drawn and not self._drawing(), "the prompt drawn again")
        return self.shown()

    def prompt_start(self) -> int:
        """Where in the output the last prompt started (-1: none yet)."""
        return self.raw.rfind(PROMPT_STARTS)

    def waiting(self) -> bool:
        """A prompt_toolkit prompt is on screen, drawn whole, waiting for keys (see the module's notes)."""
        start = self.raw.rfind(PROMPT_STARTS)
        return (start >= 0 and self.raw.rfind(PROMPT_ENDS) < start
                and self.raw.count(FRAME_ENDS, start) >= 2 and not self._drawing())

    def _in_prompt(self) -> bool:
        return self.raw.rfind(PROMPT_STARTS) > self.raw.rfind(PROMPT_ENDS)

    def _drawing(self) -> bool:
        return self.raw.rfind(FRAME_STARTS) > self.raw.rfind(FRAME_ENDS)

    def _read_until(self, done: Callable[[], bool], what: str) -> bool:
        """Read output (feeding the screen, and kept for the next expect) until done() (True) or the
        tutor exits (False); fails after the timeout."""
        deadline = time.monotonic() + self.child.timeout
        while not done():
            left = deadline - time.monotonic()
            try:
                if left <= 0:
                    raise pexpect.TIMEOUT("")
                data = self.child.read_nonblocking(65536, timeout=left)  # returns as soon as anything is written
            except pexpect.EOF:
                return False
            except pexpect.TIMEOUT as exc:
                raise AssertionError(f"never saw {what}; the screen was:\n{self.shown()}\n"
                                     f"the output ended:\n{self.text[-2000:]!r}") from exc
            self.child.buffer += data
        return True

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

