"""Does `neurotutor stats` stay quick with a long history? Measured at 100,000 answers.

Run from the repository root (with the package installed, or PYTHONPATH=src):

    python benchmarks/stats.py [--attempts 100000] [--runs 9]

It synthesizes two years of answers (every mode, confidence ratings, misconceptions, review cards,
a few exams) and brings them in through `neurotutor import` (the real path), then measures, side
by side in one run (taking turns, so drift hits all alike), `neurotutor --plain stats` on that
history with its running totals cached (the usual case: only answers added since are read), on
that history with no cache yet (once after an import or a reset), and on an empty one: wall time
and peak memory, with the median of the per-run ratios (the target is under 1.5x). It also times
the totals and `build_stats` in-process, and
checks with `-X importtime` that `stats` does not load fsrs. Nothing is asserted: speed is
measured here, never in the test suite.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT / "benchmarks"))

import progress as _progress_bench  # noqa: E402  (benchmarks/progress.py)
from progress import run_once  # noqa: E402

from neurotutor import paths  # noqa: E402
from neurotutor.lessons.catalogue import load_catalogue  # noqa: E402
from neurotutor.progress import model as pm  # noqa: E402
from neurotutor.progress.transfer import build_export  # noqa: E402


def synthesize(count: int, seed: int = 11) -> bytes:
    """An export with `count` answers over the last two years, across every built-in question."""
    rng = random.Random(seed)
    catalogue = load_catalogue(paths.builtin_lessons_dir(), [])
    pool = []
    for entry in catalogue.lessons:
        lesson = catalogue.load(entry).lesson
        for q in lesson.questions:
            labels = [c.misconception for c in getattr(q, "choices", ()) if c.misconception]
            label = getattr(q, "misconception", None)
            labels += [label] if label else []
            pool.append((lesson.id, q.id, tuple(labels)))
    now = datetime.now(timezone.utc)
    start = now - timedelta(days=730)
    step = timedelta(days=730) / count
    attempts = []
    for i in range(count):
        lesson, question, labels = rng.choice(pool)
        correct = rng.random() < 0.7
        chosen = (rng.choice(labels),) if labels and not correct and rng.random() < 0.6 else ()
        attempts.append(pm.new_attempt(
            lesson=lesson, question=question, mode=rng.choice(["lesson", "retry", "review", "review", "practice", "exam"]),
            run=1, answer=None, answer_text="x", correct=correct, credit=None, misconceptions=chosen,
            seconds=rng.uniform(2, 40), confidence=rng.choice([None, 1, 2, 3]), now=start + step * i,
            utc_offset=rng.choice([60, 60, 60, 120, None])))
    cards = {}
    for _, question, _ in pool:
        last = now - timedelta(days=rng.uniform(0, 40))
        stability = rng.uniform(1, 60)
        cards[question] = pm.CardState(state=rng.choice([1, 2, 2, 2, 3]), step=None, stability=stability,
                                       difficulty=rng.uniform(1, 10), due=last + timedelta(days=stability),
                                       last_review=last)
    exams = {}
    for n in range(20):
        started = start + timedelta(days=30 * n)
        exams[f"exam-{n}"] = pm.ExamRecord(id=f"exam-{n}", started=started, finished=started + timedelta(minutes=20),
                                           status="submitted", seed=n, answered=20, right=10 + n % 10,
                                           score=(10 + n % 10) / 20)
    state = pm.Progress(notice_seen=True, cards=cards, exams=exams)
    return build_export(state, attempts, now)


PYCACHE: Path | None = None  # set in main: bytecode is cached there, as an installed neurotutor has it


def env_for(home: Path) -> dict[str, str]:
    """The environment of benchmarks/progress.py, with bytecode cached outside the tree (an installed
    package has its .pyc files; without them every run compiles every module)."""
    env = _progress_bench.env_for(home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if PYCACHE is not None:
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def in_process(home: Path, runs: int) -> tuple[float, float, float]:
    """Median milliseconds to total the whole history (no cache), to bring cached totals up to
    date (nothing new), and to build the statistics from the totals, in this process."""
    from neurotutor.progress.store import ProgressStore
    from neurotutor.stats import tallies
    from neurotutor.stats.build import LessonFacts, build_stats

    store = ProgressStore(home / "progress.json")
    catalogue = load_catalogue(paths.builtin_lessons_dir(), [])
    facts = [LessonFacts(e.info.id, e.info.title, e.info.tags, e.info.question_ids) for e in catalogue.lessons]
    cache = paths.stats_cache_file(store.path)
    fulls, warms, builds = [], [], []
    for _ in range(runs):
        cache.unlink(missing_ok=True)
        t0 = time.perf_counter()
        tallies.refresh(store.history_path, cache, 60)
        t1 = time.perf_counter()
        totals = tallies.refresh(store.history_path, cache, 60)
        t2 = time.perf_counter()
        build_stats(store.load(), totals, facts, datetime.now(timezone.utc), 60)
        t3 = time.perf_counter()
        fulls.append(t1 - t0)
        warms.append(t2 - t1)
        builds.append(t3 - t2)
    full, warm, build = (statistics.median(x) * 1000 for x in (fulls, warms, builds))
    return full, warm, build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--synthesize", nargs=2, metavar=("COUNT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.synthesize:
        Path(args.synthesize[1]).write_bytes(synthesize(int(args.synthesize[0])))
        return
    global PYCACHE
    work = Path(tempfile.mkdtemp(prefix="neurotutor-bench-stats-"))
    PYCACHE = work / "pycache"
    try:
        big, empty = work / "big", work / "empty"
        export = work / "history.json"
        subprocess.run([sys.executable, __file__, "--synthesize", str(args.attempts), str(export)], check=True)
        start = time.perf_counter()
        imported = subprocess.run([sys.executable, "-m", "neurotutor", "import", str(export)], env=env_for(big),
                                  capture_output=True, text=True)
        print(f"synthesized {args.attempts} answers ({export.stat().st_size / 1e6:.1f} MB export) and imported them "
              f"in {time.perf_counter() - start:.1f} s: {imported.stdout.strip() or imported.stderr.strip()}")
        empty.mkdir(mode=0o700)
        (empty / "progress.json").write_bytes(pm.encode(pm.Progress(notice_seen=True)))
        cmd = [sys.executable, "-m", "neurotutor", "--plain", "stats"]
        cache = paths.stats_cache_file(big / "progress.json")
        times: dict[str, list[float]] = {"warm": [], "cold": [], "B": []}
        mems: dict[str, list[int]] = {"warm": [], "cold": [], "B": []}
        ratios: dict[str, list[float]] = {"warm": [], "cold": []}
        codes = set()
        for i in range(args.runs + 1):
            got = {"warm": run_once(cmd, env_for(big), b"")}
            cache.unlink(missing_ok=True)  # as after a reset: every answer is totalled again
            got["cold"] = run_once(cmd, env_for(big), b"")
            got["B"] = run_once(cmd, env_for(empty), b"")
            codes |= {g[2] for g in got.values()}
            if i == 0:
                continue  # warm-up (and the lesson cache)
            for label in got:
                times[label].append(got[label][0])
                mems[label].append(got[label][1])
            for label in ratios:
                ratios[label].append(got[label][0] / got["B"][0])
        med = {label: statistics.median(v) * 1000 for label, v in times.items()}
        print(f"\n--plain stats, medians of {args.runs} runs each, in turn (exit codes {sorted(codes)}):")
        print(f"  {args.attempts} answers, totals cached:   {med['warm']:6.0f} ms  "
              f"{statistics.median(mems['warm']) / 1024:6.1f} MiB  {statistics.median(ratios['warm']):.2f}x "
              "(target: under 1.5x)")
        print(f"  {args.attempts} answers, no cache yet:    {med['cold']:6.0f} ms  "
              f"{statistics.median(mems['cold']) / 1024:6.1f} MiB  {statistics.median(ratios['cold']):.2f}x "
              "(once, after a reset or with the cache deleted; import brings it up to date)")
        print(f"  no answers:                     {med['B']:6.0f} ms  {statistics.median(mems['B']) / 1024:6.1f} MiB")
        full_ms, warm_ms, build_ms = in_process(big, args.runs)
        print(f"\nin-process: totals from scratch {full_ms:.0f} ms, brought up to date {warm_ms:.1f} ms, "
              f"build_stats {build_ms:.1f} ms")
        trace = subprocess.run([sys.executable, "-X", "importtime", "-m", "neurotutor", "--plain", "stats"],
                               env=env_for(big), capture_output=True, text=True)
        loaded = {line.rsplit("|", 1)[-1].strip() for line in trace.stderr.splitlines() if "|" in line}
        print(f"imports fsrs: {'fsrs' in loaded}; rich: {'rich' in loaded}; questionary: {'questionary' in loaded}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
