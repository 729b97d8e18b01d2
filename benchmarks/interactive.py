"""Time from start to the first key prompt of `neurotutor learn` in a real terminal (a pty).

Run from the repository root:  python benchmarks/interactive.py [RUNS] [OTHER_SRC]
With OTHER_SRC (the src/ folder of another checkout, e.g. a git worktree of an older commit) the
two are started in turn, A B A B ..., and the ratio is taken pair by pair. Needs pexpect.
Prints medians; nothing here is asserted (speed is measured here, never in the test suite).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
# The first thing a returning learner is asked on a lesson's first screen, in either version.
PROMPT = rb"Section 1 of|Press Enter to continue"


def first_prompt(src: Path, state: str) -> float:
    """Seconds from start to the first section's prompt, for a learner who has seen the notice
    and not opened the lesson yet (a fresh data folder each run: older versions marked a section
    read as soon as it was shown, so a reused folder would move on)."""
    home = tempfile.mkdtemp()
    Path(home, "progress.json").write_text(state)
    env = {**os.environ, "NEUROTUTOR_HOME": home, "PYTHONPATH": str(src), "TERM": "xterm-256color"}
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "neurotutor", "learn", "cbt"], env=env, dimensions=(24, 80),
                          timeout=30)
    while child.expect([rb"\x1b\[6n", PROMPT]) != 1:
        child.send("\x1b[24;1R")  # answer the cursor position request as a terminal would
    elapsed = time.perf_counter() - start
    child.terminate(force=True)
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    other = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    this = '{"schema_version": 3, "notice_seen": true, "seed": 1}'
    older = '{"schema_version": 2, "notice_seen": true}'  # what an older version can read
    first_prompt(ROOT / "src", this)  # warm-up
    if other:
        first_prompt(other, older)
    a, b = [], []
    for _ in range(runs):
        a.append(first_prompt(ROOT / "src", this))
        if other:
            b.append(first_prompt(other, older))
    print(f"learn cbt, start to first prompt: median {statistics.median(a) * 1000:.0f} ms "
          f"(min {min(a) * 1000:.0f}, max {max(a) * 1000:.0f}; {runs} runs)")
    if other:
        print(f"{other}: median {statistics.median(b) * 1000:.0f} ms; "
              f"ratio pair by pair: median {statistics.median(x / y for x, y in zip(a, b)):.2f}")


if __name__ == "__main__":
    main()
