"""How fast is `neurotutor validate` on 1,000 lessons, against a bare libyaml parse of the same files?

Run from the repository root:  python benchmarks/validate.py [--lessons 1000] [--runs 5]

It writes 1,000 valid lesson files (the built-in lessons copied with new lesson and question ids)
to a temp folder and times, as whole processes, side by side (the commands take turns):
- bare: `yaml.load(text, Loader=yaml.CSafeLoader)` of every file, nothing else;
- cold: `neurotutor validate DIR` with an empty cache (every file read and checked);
- warm: the same with the cache of the previous run (unchanged files are not parsed again).
It prints the medians and the median of the per-pair ratios. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = ("import sys, pathlib, yaml\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
        "    yaml.load(p.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n")


def write_lessons(folder: Path, count: int) -> None:
    """`count` valid lessons: the built-ins with a numbered suffix on every lesson and question id."""
    sources = sorted((ROOT / "lessons").glob("*.yaml"))
    question_id = re.compile(r"^(  - id: )([a-z0-9-]+)$", re.M)
    for k in range(count):
        source = sources[k % len(sources)]
        text = source.read_text(encoding="utf-8")
        in_questions = text.index("\nquestions:")
        head, questions = text[:in_questions], text[in_questions:]
        head = re.sub(r"^id: ([a-z0-9-]+)$", rf"id: \g<1>-copy-{k}", head, count=1, flags=re.M)
        questions = question_id.sub(rf"\g<1>\g<2>-copy-{k}", questions)
        (folder / f"{k:04d}-{source.name}").write_text(head + questions, encoding="utf-8")


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    code = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.perf_counter() - start, code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="neurotutor-validate-"))
    try:
        folder = work / "lessons"
        folder.mkdir()
        write_lessons(folder, args.lessons)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
        validate = [sys.executable, "-m", "neurotutor", "validate", str(folder)]
        bare = [sys.executable, "-c", BARE, str(folder)]
        warm_home = work / "warm"
        check = subprocess.run(validate, env={**env, "NEUROTUTOR_HOME": str(warm_home)}, capture_output=True, text=True)
        print(f"{args.lessons} lessons, {sum(p.stat().st_size for p in folder.iterdir()) / 1e6:.1f} MB: "
              f"validate says {check.stderr.strip() or check.stdout.strip()} (exit {check.returncode})")
        index = warm_home / "cache" / "catalogue.msgpack"
        full = list((warm_home / "cache" / "lessons").glob("*"))  # written when a lesson is opened
        print(f"cache index {index.stat().st_size / 1e3:.0f} kB; full lessons "
              f"{sum(p.stat().st_size for p in full) / 1e6:.1f} MB in {len(full)} files")
        rows: dict[str, list[float]] = {"bare": [], "cold": [], "warm": []}
        for i in range(args.runs + 1):
            cold_home = work / f"cold-{i}"
            got = {
                "bare": timed(bare, env)[0],
                "cold": timed(validate, {**env, "NEUROTUTOR_HOME": str(cold_home)})[0],
                "warm": timed(validate, {**env, "NEUROTUTOR_HOME": str(warm_home)})[0],
            }
            shutil.rmtree(cold_home, ignore_errors=True)
            if i:  # the first round warms the disk cache
                for name, value in got.items():
                    rows[name].append(value)
        bare_median = statistics.median(rows["bare"])
        print(f"\n{'':<6} {'median ms':>10} {'vs bare (median of pairs)':>28}   ({args.runs} rounds)")
        for name in ("bare", "cold", "warm"):
            ratio = statistics.median(a / b for a, b in zip(rows[name], rows["bare"]))
            print(f"{name:<6} {statistics.median(rows[name]) * 1000:>10.0f} {ratio:>27.2f}x")
        print(f"(bare median {bare_median * 1000:.0f} ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
