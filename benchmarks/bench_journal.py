"""The journal and check-ins at scale: `journal list` and `report` with 10,000 entries and five
years of weekly check-ins against an empty profile (target: under 1.2x; `lessons` unchanged).

Run from the repository root (with the package installed, or PYTHONPATH=src):

    python benchmarks/bench_journal.py [--entries 10000] [--years 5] [--runs 9]

It synthesizes a journal of thought records, behavioural experiments and activity plans (about
1.2 KB an entry; one in ten a draft, a few drafts saved step by step and so superseded), writes it
as the store writes it, adds a PHQ-8 and a GAD-7 every week for five years, and adds to both
profiles one assignment that sets two worksheets and weekly check-ins. Then it measures, side by
side in one run (A and B alternate, so drift hits both alike), the whole process of:
- `journal list` (the 20 newest) and `journal list --all`, full journal (A) against an empty one (B);
- `journal show ID` and `journal search TEXT`, which read every answer, against `journal list` on the empty one;
- `report` (which leaves practice out unless asked, and so never opens the journal) and
  `report --practice` (which counts every finished worksheet and reads every check-in);
- `checkins` (the chart and the changes of five years) and `lessons` (start-up, which reads neither);
- in process: one durable draft save (append + fsync) and one edit (the file written again), at
  several journal sizes.
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

import msgspec  # noqa: E402

from neurotutor.checkins.model import CheckIn  # noqa: E402
from neurotutor.checkins.store import HEADER as CHECKINS_HEADER  # noqa: E402
from neurotutor.checkins.store import encode as encode_checkin  # noqa: E402
from neurotutor.journal.model import Entry, Feeling  # noqa: E402
from neurotutor.journal.store import JournalStore, encode_entry, encode_journal  # noqa: E402

WORDS = ("I felt that when my friend did not call back the meeting went badly nobody likes me maybe she was busy "
         "at work evidence for against a balanced thought I walked to the park and it helped a little").split()
FEELINGS = ["sad", "anxious", "angry", "ashamed", "tense", "lonely", "hopeful"]


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "NEUROTUTOR_HOME": str(home), "NO_COLOR": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}


def synthesize(count: int, seed: int = 7) -> list[Entry]:
    """`count` entries over five years, each with the answers its worksheet asks for."""
    rng = random.Random(seed)
    start = datetime(2021, 11, 1, tzinfo=timezone.utc)
    step = timedelta(days=5 * 365) / count

    def said(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def feelings() -> list[Feeling]:
        return [Feeling(name=name, intensity=rng.randrange(0, 101)) for name in rng.sample(FEELINGS, rng.randint(1, 3))]

    entries = []
    for i in range(count):
        at = start + step * i
        kind = rng.random()
        if kind < 0.6:
            answers = {"situation": said(30), "feelings": feelings(), "automatic_thought": said(20),
                       "belief": rng.randrange(101), "evidence_for": said(30), "evidence_against": said(30),
                       "balanced_thought": said(25), "feelings_after": feelings()}
            worksheet, title = "thought-record", "Thought record"
        elif kind < 0.85:
            answers = {"prediction": said(20), "how_sure": rng.randrange(101), "plan": said(30),
                       "safety_behaviours": said(10), "what_happened": said(30), "came_true": rng.random() < 0.3,
                       "learned": said(25), "how_sure_after": rng.randrange(101)}
            worksheet, title = "behavioural-experiment", "Behavioural experiment"
        else:
            answers = {"activity": said(6), "planned_for": f"{rng.randrange(24):02d}:{rng.choice(['00', '30'])}",
                       "done": rng.random() < 0.7, "mood": rng.randrange(11), "mastery": rng.randrange(11),
                       "pleasure": rng.randrange(11)}
            worksheet, title = "activity-plan", "Activity plan"
        entries.append(Entry(id=f"{rng.getrandbits(50):010x}", worksheet=worksheet, title=title,
                             status="draft" if rng.random() < 0.1 else "done", created=at,
                             updated=at + timedelta(minutes=rng.randrange(5, 40)), answers=answers))
    return entries


def synthesize_checkins(years: int, seed: int = 11) -> bytes:
    """A PHQ-8 and a GAD-7 every Monday for `years` years, ending in the week before now."""
    rng = random.Random(seed)
    weeks = years * 52
    first = datetime(2026, 12, 7, 8, 30, tzinfo=timezone.utc) - timedelta(weeks=weeks)
    lines = [CHECKINS_HEADER]
    for week in range(weeks):
        at = first + timedelta(weeks=week)
        level = max(0, min(3, round(2.2 - 2 * week / weeks + rng.uniform(-0.8, 0.8))))
        for measure, items in (("phq8", 8), ("gad7", 7)):
            answers = tuple(max(0, min(3, level + rng.choice((-1, 0, 0, 1)))) for _ in range(items))
            lines.append(encode_checkin(CheckIn(id=f"{rng.getrandbits(64):016x}", measure=measure,
                                                answers=answers, at=at, utc_offset=0)))
    return b"".join(lines)


ASSIGNMENT = """kind: assignment
format: 1
id: bench-practice
title: Practice between sessions
therapist:
  name: Dr A. Example
client: S.K.
lessons:
  - lesson: cbt
    due: 2026-12-21
goals:
  practice:
    - worksheet: thought-record
      times: 2
    - worksheet: breathe
      times: 1
      per: day
  checkins:
    - measure: phq8
      day: monday
    - measure: gad7
      day: monday
"""


def run_once(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak memory (KiB) and exit code of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss, proc.returncode


def paired(name: str, a_args: list[str], b_args: list[str], big: Path, empty: Path, runs: int,
           cwd: Path | None = None) -> None:
    """A (the full journal) against B (the empty one), in turn, with the median of the ratios A/B."""
    times: dict[str, list[float]] = {"A": [], "B": []}
    memory: dict[str, list[int]] = {"A": [], "B": []}
    codes = {"A": 0, "B": 0}
    ratios = []
    for i in range(runs + 1):
        got = {}
        for label, home, args in (("A", big, a_args), ("B", empty, b_args)):
            got[label] = run_once([sys.executable, "-m", "neurotutor", *args], env_for(home), cwd)
        if i == 0:
            continue  # warm-up
        for label in "AB":
            times[label].append(got[label][0])
            memory[label].append(got[label][1])
            codes[label] = got[label][2]
        ratios.append(got["A"][0] / got["B"][0])
    print(f"{name:<28} {statistics.median(times['A']) * 1000:>7.0f} {statistics.median(times['B']) * 1000:>7.0f} "
          f"{statistics.median(ratios):>7.2f}x  {statistics.median(memory['A']) / 1024:>7.1f} "
          f"{statistics.median(memory['B']) / 1024:>7.1f}   (exit {codes['A']}/{codes['B']})")


def write_synthetic(count: int, target: Path) -> None:
    """The journal file of `count` entries, with a few drafts saved step by step (superseded lines),
    made in a child process: Linux counts a forked child's pre-exec memory in its peak, so this
    process must stay small for the memory figures to be the commands' own."""
    subprocess.run([sys.executable, __file__, "--synthesize", str(count), str(target)], check=True)


def synthetic_bytes(count: int) -> bytes:
    entries = synthesize(count)
    drafts = [msgspec.structs.replace(e, answers=dict(list(e.answers.items())[:2])) for e in entries[-10:]]
    return encode_journal(entries) + b"".join(encode_entry(d) for d in drafts)


def write_costs(work: Path, sizes: list[int], entries: list[Entry], samples: int = 15) -> None:
    """Median milliseconds of one durable draft save, and of one edit, at each size."""
    print("\nin process, median ms:       draft save   edit (file written again)")
    for size in sizes:
        path = work / f"costs-{size}" / "journal.jsonl"
        path.parent.mkdir(mode=0o700)
        path.write_bytes(encode_journal(entries[:size]))
        store = JournalStore(path)
        draft = msgspec.structs.replace(entries[0], id="benchdraft0", status="draft")
        saves, edits = [], []
        for i in range(samples):
            changed = msgspec.structs.replace(draft, answers={**draft.answers, "situation": f"draft {i}"})
            start = time.perf_counter()
            store.save_draft(changed)
            saves.append(time.perf_counter() - start)
        for i in range(samples if size else 0):
            changed = msgspec.structs.replace(entries[size // 2], answers={"situation": f"edited {i}"})
            start = time.perf_counter()
            store.replace(changed)
            edits.append(time.perf_counter() - start)
        edit = f"{statistics.median(edits) * 1000:>10.1f}" if edits else f"{'-':>10}"
        print(f"  journal of {size:>6} entries: {statistics.median(saves) * 1000:>10.1f}   {edit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=5, help="years of weekly check-ins")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--synthesize", nargs=2, metavar=("COUNT", "FILE"), help=argparse.SUPPRESS)
    parser.add_argument("--checkins", nargs=2, metavar=("YEARS", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.synthesize:
        Path(args.synthesize[1]).write_bytes(synthetic_bytes(int(args.synthesize[0])))
        return
    if args.checkins:  # in a child too: this process must stay small (see write_synthetic)
        Path(args.checkins[1]).write_bytes(synthesize_checkins(int(args.checkins[0])))
        return
    work = Path(tempfile.mkdtemp(prefix="neurotutor-bench-journal-"))
    try:
        big, empty = work / "big", work / "empty"
        for home in (big, empty):
            home.mkdir(mode=0o700)
            (home / "progress.json").write_bytes(b'{"schema_version": 3, "notice_seen": true}')
            os.chmod(home / "progress.json", 0o600)
        write_synthetic(args.entries, big / "journal.jsonl")
        os.chmod(big / "journal.jsonl", 0o600)
        subprocess.run([sys.executable, __file__, "--checkins", str(args.years), str(big / "checkins.jsonl")], check=True)
        os.chmod(big / "checkins.jsonl", 0o600)
        (work / "assignment.yaml").write_text(ASSIGNMENT)
        for home in (big, empty):
            added = subprocess.run([sys.executable, "-m", "neurotutor", "assignment", "add", str(work / "assignment.yaml")],
                                   env=env_for(home), capture_output=True, text=True)
            if added.returncode:
                raise SystemExit(f"assignment add failed: {added.stdout}{added.stderr}")
        size = (big / "journal.jsonl").stat().st_size
        print(f"journal of {args.entries} entries: {size / 1e6:.1f} MB "
              f"({size / max(args.entries, 1):.0f} bytes an entry); "
              f"{args.years * 52 * 2} check-ins ({(big / 'checkins.jsonl').stat().st_size / 1e3:.0f} kB)")
        print(f"\n{'command':<28} {'A ms':>7} {'B ms':>7} {'A/B':>8}  {'A MiB':>7} {'B MiB':>7}"
              f"   A = {args.entries} entries, B = none; medians of {args.runs} pairs")
        paired("journal list", ["journal", "list"], ["journal", "list"], big, empty, args.runs)
        paired("journal list --all", ["journal", "list", "--all"], ["journal", "list", "--all"], big, empty, args.runs)
        last = subprocess.run([sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); from neurotutor.journal."
                               "store import JournalStore; print(JournalStore(__import__('pathlib').Path(sys.argv[2]))"
                               ".listing()[-1].id)", str(ROOT / "src"), str(big / "journal.jsonl")],
                              capture_output=True, text=True, check=True).stdout.strip()
        paired("show ID (B: list)", ["journal", "show", last], ["journal", "list"], big, empty, args.runs)
        paired("search TEXT (B: list)", ["journal", "search", "park"], ["journal", "list"], big, empty, args.runs)
        report = ["report", "--yes", "--no-seal", "-o", "-", "--format", "json"]
        paired("report", report, report, big, empty, args.runs)
        paired("report --practice", [*report, "--practice"], [*report, "--practice"], big, empty, args.runs)
        paired("checkins", ["checkins"], ["checkins"], big, empty, args.runs)
        paired("lessons", ["lessons"], ["lessons"], big, empty, args.runs)
        entries = list(JournalStore(big / "journal.jsonl").load().entries.values())
        write_costs(work, [0, 1_000, args.entries], entries)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
