"""Reports and the caseload at scale: `report` at 100,000 answers against `progress` on the same
history (target: under 1.5x), and `caseload` of 200 reports as JSON and HTML (target: under 2 s).

Run from the repository root:  python benchmarks/report.py [--attempts 100000] [--runs 7]
The history is synthesized (benchmarks/stats.py) and brought in with `neurotutor import`; the
assignment is docs/examples/assignment.yaml. A report reads the history's running totals, cached
beside it and shared with `stats` (only answers added since are read); "no cache" deletes that
cache before each run, as after an import or a reset. Commands run in turn, A B A B ..., and the ratio is
taken run by run. Nothing is asserted: speed is measured here, never in the test suite.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="neurotutor-bench-report-"))
    env = {"PATH": "/usr/bin:/bin", "NEUROTUTOR_HOME": str(work / "home"), "PYTHONPATH": str(ROOT / "src"),
           "PYTHONPYCACHEPREFIX": str(work / "pycache")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "neurotutor", *a], env=env, capture_output=True,  # noqa: E731
                                    text=True, cwd=work)
    try:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stats.py"), "--synthesize", str(args.attempts),
                        str(work / "export.json")], check=True)
        print(run("import", str(work / "export.json")).stdout.strip())
        added = run("assignment", "add", str(ROOT / "docs" / "examples" / "assignment.yaml"))
        assert added.returncode == 0, added.stderr
        commands = {"progress": ["progress"], "report md": ["report", "--yes", "-o", "r.md"],
                    "report html": ["report", "--yes", "--format", "html", "-o", "r.html"],
                    "report md, no cache": ["report", "--yes", "-o", "r.md"]}
        cache = work / "home" / "stats-cache.json"
        times: dict[str, list[float]] = {name: [] for name in commands}
        for i in range(args.runs + 1):
            for name, words in commands.items():
                if name.endswith("no cache"):  # the first report or stats after many answers were imported
                    cache.unlink(missing_ok=True)
                start = time.perf_counter()
                done = run(*words)
                assert done.returncode == 0, done.stderr
                if i:
                    times[name].append(time.perf_counter() - start)
        for name in ("report md", "report html", "report md, no cache"):
            ratio = statistics.median(a / b for a, b in zip(times[name], times["progress"]))
            print(f"{name:19} {statistics.median(times[name]) * 1000:5.0f} ms vs progress "
                  f"{statistics.median(times['progress']) * 1000:5.0f} ms: {ratio:.2f}x "
                  + ("(once, when the cache is made)" if name.endswith("no cache") else "(target: under 1.5x)"))
        assert run("report", "--yes", "--format", "json", "-o", "r.json").returncode == 0
        base = json.loads((work / "r.json").read_text())
        folder = work / "reports"
        folder.mkdir()
        sys.path.insert(0, str(ROOT / "src"))
        from neurotutor.reports.render import digest_of

        for n in range(200):  # 200 clients: the same report under another label, its digest made again
            base["assignment"]["client"] = f"C{n:03d}"
            base["digest"] = digest_of(base)
            (folder / f"c{n:03d}.json").write_text(json.dumps(base))
        files = sorted(str(p) for p in folder.iterdir())
        for fmt in ("json", "html"):  # html: the templates are compiled in memory on every run
            took = []
            for _ in range(args.runs):
                start = time.perf_counter()
                done = run("caseload", "--format", fmt, "--yes", "-o", f"caseload.{fmt}", *files)
                assert done.returncode == 0, done.stderr
                took.append(time.perf_counter() - start)
            print(f"caseload of 200 reports, {fmt:4}: {statistics.median(took) * 1000:.0f} ms (target: under 2000 ms)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
