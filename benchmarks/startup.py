"""Whole-process start-up time of neurotutor commands against `python -c "import typer"`.

Run from the repository root after installing the package:  python benchmarks/startup.py [RUNS]
Prints the median and the spread of wall-clock times for each command (no assertions: speed is
measured here, never in the test suite).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS = {
    'python -c "import typer"': [sys.executable, "-c", "import typer"],
    "neurotutor --help": [sys.executable, "-m", "neurotutor", "--help"],
    "neurotutor lessons": [sys.executable, "-m", "neurotutor", "lessons"],
    "neurotutor progress": [sys.executable, "-m", "neurotutor", "progress"],
    "neurotutor validate": [sys.executable, "-m", "neurotutor", "validate"],
}


def measure(cmd: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Wall-clock seconds of each run of cmd (after one warm-up run)."""
    subprocess.run(cmd, env=env, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "NEUROTUTOR_HOME": home}
        print(f"{'command':<28} {'median ms':>10} {'min ms':>8} {'max ms':>8}   ({runs} runs)")
        for name, cmd in COMMANDS.items():
            t = measure(cmd, runs, env)
            print(f"{name:<28} {statistics.median(t) * 1000:>10.0f} {min(t) * 1000:>8.0f} {max(t) * 1000:>8.0f}")


if __name__ == "__main__":
    main()
