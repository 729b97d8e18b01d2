"""Does the cost of an answer grow with history? Progress format 2 measured at 100,000 attempts.

Run from the repository root (with the package installed, or PYTHONPATH=src):

    python benchmarks/progress.py [--attempts 100000] [--runs 9]

It synthesizes a ten-year history and brings it in through `neurotutor import` (the real path),
then measures, side by side in one run (A and B alternate, so drift hits both alike):
- `lessons`, `progress` and a one-answer `--plain quiz`: wall time and peak memory, full history
  (A) against an empty one (B), with the median of the per-pair ratios A/B;
- one durable save (append + state replace, both fsynced) in-process, at several history sizes;
- 8 processes answering 50 questions each at once on top of the big history: answers kept.
Nothing is asserted: speed is measured here, never in the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from neurotutor import paths  # noqa: E402
from neurotutor.lessons.catalogue import load_catalogue  # noqa: E402
from neurotutor.progress import model as pm  # noqa: E402
from neurotutor.progress.store import ProgressStore  # noqa: E402
from neurotutor.progress.transfer import build_export  # noqa: E402

QUIZ_LESSON = "neuroplasticity-types"


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "NEUROTUTOR_HOME": str(home), "NO_COLOR": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def question_ids() -> list[tuple[str, str]]:
    catalogue = load_catalogue(paths.builtin_lessons_dir(), [])
    return [(e.info.id, q) for e in catalogue.lessons for q in e.info.question_ids]


def synthesize(count: int, seed: int = 7) -> bytes:
    """An export with `count` answers spread over ten years, across every built-in question."""
    rng = random.Random(seed)
    pool = question_ids()
    start = datetime(2016, 11, 1, tzinfo=timezone.utc)
    step = timedelta(days=3650) / count
    attempts = []
    for i in range(count):
        lesson, question = rng.choice(pool)
        correct = rng.random() < 0.7
        attempts.append(pm.new_attempt(
            lesson=lesson, question=question, mode=rng.choice(["lesson", "review", "review", "exam"]), run=1,
            answer=None, answer_text=rng.choice(["Long-term potentiation", "Neurogenesis", "True", "False"]),
            correct=correct, credit=None if correct else rng.choice([None, 0.5]), seconds=rng.uniform(2, 40),
            confidence=rng.choice([None, 1, 2, 3]), now=start + step * i, utc_offset=60))
    state = pm.Progress(notice_seen=True)
    return build_export(state, attempts, datetime.now(timezone.utc))


def write_synthetic(count: int, target: Path) -> None:
    """Synthesize in a child process: Linux counts a forked child's pre-exec memory in its peak,
    so this process must stay small for the memory figures to be the commands' own."""
    subprocess.run([sys.executable, __file__, "--synthesize", str(count), str(target)], check=True)


def run_once(cmd: list[str], env: dict[str, str], stdin: bytes) -> tuple[float, int, int]:
    """Wall seconds, peak memory (KiB) and exit code of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None  # stdin=PIPE
    proc.stdin.write(stdin)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss, proc.returncode


def paired(name: str, args: list[str], big: Path, empty: Path, runs: int) -> None:
    cmd = [sys.executable, "-m", "neurotutor", *args]
    rows: dict[str, list[float]] = {"A": [], "B": [], "mA": [], "mB": []}
    ratios, mem_ratios = [], []
    for i in range(runs + 1):
        result = {}
        for label, home in (("A", big), ("B", empty)):
            result[label] = run_once(cmd, env_for(home), b"")
        if i == 0:
            continue  # warm-up
        rows["A"].append(result["A"][0])
        rows["B"].append(result["B"][0])
        rows["mA"].append(result["A"][1])
        rows["mB"].append(result["B"][1])
        ratios.append(result["A"][0] / result["B"][0])
        mem_ratios.append(result["A"][1] / result["B"][1])
    print(f"{name:<24} {statistics.median(rows['A']) * 1000:>8.0f} {statistics.median(rows['B']) * 1000:>8.0f} "
          f"{statistics.median(ratios):>7.2f}x  {statistics.median(rows['mA']) / 1024:>7.1f} "
          f"{statistics.median(rows['mB']) / 1024:>7.1f} {statistics.median(mem_ratios):>6.2f}x   "
          f"(exit {result['A'][2]}/{result['B'][2]})")


def save_cost(store_path: Path, samples: int = 40) -> float:
    """Median milliseconds of one durable save of one answer."""
    store = ProgressStore(store_path)
    qids = [f"q{i}" for i in range(10_000)]
    times = []
    for i in range(samples):
        a = pm.new_attempt(lesson="bench", question=f"q{i}", mode="lesson", run=1, answer=None, answer_text="x",
                           correct=True, seconds=1, now=datetime.now(timezone.utc), utc_offset=0)
        start = time.perf_counter()
        store.update(lambda p, a=a: pm.record_answer(p, a, [], qids, a.at), (a,))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


WRITER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
store = ProgressStore(Path(sys.argv[1]))
worker = int(sys.argv[2])
qids = [f"q{i}" for i in range(1000)]
for i in range(50):
    a = pm.new_attempt(lesson=f"writer-{worker}", question=f"q{i}", mode="lesson", run=1, answer=None,
                       answer_text="x", correct=True, seconds=1, now=datetime.now(timezone.utc), utc_offset=0)
    store.update(lambda p, a=a: pm.record_answer(p, a, [], qids, a.at), (a,))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--synthesize", nargs=2, metavar=("COUNT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.synthesize:
        Path(args.synthesize[1]).write_bytes(synthesize(int(args.synthesize[0])))
        return
    work = Path(tempfile.mkdtemp(prefix="neurotutor-bench-"))
    try:
        big, empty = work / "big", work / "empty"
        export = work / "history.json"
        write_synthetic(args.attempts, export)
        start = time.perf_counter()
        imported = subprocess.run([sys.executable, "-m", "neurotutor", "import", str(export)], env=env_for(big),
                                  capture_output=True, text=True)
        print(f"synthesized {args.attempts} answers ({export.stat().st_size / 1e6:.1f} MB export) and imported them "
              f"in {time.perf_counter() - start:.1f} s: {imported.stdout.strip() or imported.stderr.strip()}")
        empty.mkdir(mode=0o700)
        (empty / "progress.json").write_bytes(pm.encode(pm.Progress(notice_seen=True)))
        print(f"history.jsonl {(big / 'history.jsonl').stat().st_size / 1e6:.1f} MB, "
              f"progress.json {(big / 'progress.json').stat().st_size} bytes")
        print(f"\n{'command':<24} {'A ms':>8} {'B ms':>8} {'A/B':>8}  {'A MiB':>7} {'B MiB':>7} {'A/B':>7}"
              f"   A = {args.attempts} answers, B = none; medians of {args.runs} pairs")
        paired("lessons", ["lessons"], big, empty, args.runs)
        paired("progress", ["progress"], big, empty, args.runs)
        states = {home: (home / "progress.json").read_bytes() for home in (big, empty)}
        paired_quiz(big, empty, states, args.runs)
        print("\none durable save (append + fsync, state replace + fsync), median ms:")
        for size in (0, 1_000, 10_000, args.attempts):
            home = work / f"save-{size}"
            home.mkdir(mode=0o700)
            if size:
                subset = work / f"subset-{size}.json"
                write_synthetic(size, subset)
                subprocess.run([sys.executable, "-m", "neurotutor", "import", str(subset)], env=env_for(home),
                               capture_output=True, check=True)
            print(f"  history of {size:>7} answers: {save_cost(home / 'progress.json'):.2f} ms")
        print("\n8 processes x 50 answers at once, on the big history:")
        before = sum(1 for _ in open(big / "history.jsonl", "rb"))
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(big / "progress.json"), str(w)], env=env_for(big))
                 for w in range(8)]
        codes = [p.wait() for p in procs]
        after = sum(1 for _ in open(big / "history.jsonl", "rb"))
        state = ProgressStore(big / "progress.json").load()
        kept = sum(len(state.lessons.get(f"writer-{w}", pm.LessonState()).answered) for w in range(8))
        print(f"  {after - before} of 400 answers in the history, {kept} of 400 in the state, exit codes {codes}, "
              f"{time.perf_counter() - start:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def paired_quiz(big: Path, empty: Path, states: dict[Path, bytes], runs: int) -> None:
    """One answer to the first question of a lesson, from the same state every time."""
    cmd = [sys.executable, "-m", "neurotutor", "--plain", "quiz", QUIZ_LESSON]
    a_times, b_times, ratios, a_mem, b_mem = [], [], [], [], []
    for i in range(runs + 1):
        got = {}
        for home in (big, empty):
            (home / "progress.json").write_bytes(states[home])
            got[home] = run_once(cmd, env_for(home), b"1\n")
        if i:
            a_times.append(got[big][0])
            b_times.append(got[empty][0])
            ratios.append(got[big][0] / got[empty][0])
            a_mem.append(got[big][1])
            b_mem.append(got[empty][1])
    print(f"{'--plain quiz, 1 answer':<24} {statistics.median(a_times) * 1000:>8.0f} "
          f"{statistics.median(b_times) * 1000:>8.0f} {statistics.median(ratios):>7.2f}x  "
          f"{statistics.median(a_mem) / 1024:>7.1f} {statistics.median(b_mem) / 1024:>7.1f} "
          f"{statistics.median(a / b for a, b in zip(a_mem, b_mem)):>6.2f}x   (exit {got[big][2]}/{got[empty][2]})")


if __name__ == "__main__":
    main()
