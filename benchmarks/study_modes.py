"""Do `review` and `exam` start as fast as `learn`? Time from start to the first prompt, in a pty.

Run from the repository root:  python benchmarks/study_modes.py [RUNS]
Starts `learn cbt` (to its first section), `review` (20 questions due across five lessons, to the
first question) and `exam` (to "Press Enter to start") in turn, L R E L R E ..., each in a fresh
data folder, and prints the medians and the ratios review/learn and exam/learn taken run by run.
Needs pexpect. Nothing is asserted: speed is measured here, never in the test suite.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from neurotutor import paths  # noqa: E402
from neurotutor.lessons.catalogue import load_catalogue  # noqa: E402
from neurotutor.progress import model as pm  # noqa: E402


def states() -> dict[str, bytes]:
    """The progress file each command starts from."""
    now = datetime.now(timezone.utc)
    catalogue = load_catalogue(paths.builtin_lessons_dir(), [])
    due = [q for entry in catalogue.lessons[:5] for q in entry.info.question_ids[:4]]
    cards = {q: pm.CardState(state=2, stability=3.0, difficulty=5.0, due=now - timedelta(days=1),
                             last_review=now - timedelta(days=4)) for q in due}
    plain = pm.encode(pm.Progress(notice_seen=True, seed=1))
    return {"learn": plain, "review": pm.encode(pm.Progress(notice_seen=True, seed=1, cards=cards)), "exam": plain}


COMMANDS = {
    "learn": (["learn", "cbt"], rb"Section 1 of"),
    "review": (["review"], rb"arrow keys|Space to tick|Your answer"),
    "exam": (["exam"], rb"Press Enter to start"),
}


def first_prompt(name: str, state: bytes) -> float:
    home = tempfile.mkdtemp()
    Path(home, "progress.json").write_bytes(state)
    env = {**os.environ, "NEUROTUTOR_HOME": home, "PYTHONPATH": str(ROOT / "src"), "TERM": "xterm-256color"}
    args, prompt = COMMANDS[name]
    start = time.perf_counter()
    child = pexpect.spawn(sys.executable, ["-m", "neurotutor", *args], env=env, dimensions=(24, 80), timeout=30)
    while child.expect([rb"\x1b\[6n", prompt]) != 1:
        child.send("\x1b[24;1R")  # answer the cursor position request as a terminal would
    elapsed = time.perf_counter() - start
    child.terminate(force=True)
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    start = states()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for name in COMMANDS:  # warm-up (bytecode, the lesson cache)
        first_prompt(name, start[name])
    for _ in range(runs):
        for name in COMMANDS:
            times[name].append(first_prompt(name, start[name]))
    for name, got in times.items():
        print(f"{name:7} start to first prompt: median {statistics.median(got) * 1000:.0f} ms "
              f"(min {min(got) * 1000:.0f}, max {max(got) * 1000:.0f}; {runs} runs)")
    for name in ("review", "exam"):
        ratio = statistics.median(x / y for x, y in zip(times[name], times["learn"]))
        print(f"{name}/learn, run by run: median {ratio:.2f}x")


if __name__ == "__main__":
    main()
