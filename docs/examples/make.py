"""Make the examples in this folder again, from scripted answers in a throwaway home folder.

Run from the repository root, with the test extras installed (it answers through pexpect):
    python docs/examples/make.py

It writes assignment.yaml (with `neurotutor assign new`), then two clients add it in profiles of
their own and take the quiz of the first lesson in plain mode:
- S.K. picks the first option of every single-choice question, alternates false and true, and says
  "I don't know" to the rest, then writes report.md, report.html and report.json (answers in words
  included, with --verbatim);
- J.D., given the same assignment with CBT due three days ago (so overdue), says "I don't know" to
  every question but the true/false ones, which they answer "true".
Then `neurotutor caseload` sums up both JSON reports as caseload.md and caseload.html.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pexpect

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NOTE = ("Take your time, and stop whenever you need to. We will go over the quiz together next week; "
        "getting questions wrong is part of learning.")


def due(days: int) -> str:
    """A due date counted from today, so the examples tell the same story whenever they are made."""
    from datetime import date, timedelta

    return (date.today() + timedelta(days=days)).isoformat()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="neurotutor-examples-"))
    home = work / "data"  # the tutor's data folder; the therapist's files live beside it, never inside
    env = {**os.environ, "NEUROTUTOR_HOME": str(home), "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}

    def run(*words: str) -> None:
        subprocess.run([sys.executable, "-m", "neurotutor", *words], env=env, cwd=HERE, check=True,
                       stdout=subprocess.DEVNULL)

    def quiz(profile: str, answer_single: str) -> None:
        child = pexpect.spawn(sys.executable, ["-m", "neurotutor", "--profile", profile, "--plain", "quiz",
                                               "neuroplasticity-types"], env=env, encoding="utf-8", timeout=30,
                              dimensions=(50, 400))
        truth = "f"
        while True:
            found = child.expect([r"Press Enter[^\n]*", r"\(one number[^\n]*: ", r"\(t for true[^\n]*: ",
                                  r"\? if you don't know\): ", r"Choose 1-\d+: ", pexpect.EOF])
            if found == 0:
                child.sendline("")
            elif found == 1:
                child.sendline(answer_single)
            elif found == 2:
                child.sendline(truth if profile == "sk" else "t")
                truth = "t" if truth == "f" else "f"
            elif found == 3:
                child.sendline("?")
            elif found == 4:
                child.sendline(re.search(r"1-(\d+)", child.after).group(1))  # the last choice: "Not now"
            else:
                return

    try:
        common = ["--force", "--id", "sk-autumn", "--title", "How therapy changes the brain: first steps",
                  "--therapist", "Dr A. Example", "--contact", "at our next session",
                  "--lesson", f"neuroplasticity-types:{due(7)}", "--review-minutes", "10", "--exam-score", "70",
                  "--note", NOTE]
        run("assign", "new", "-o", "assignment.yaml", "--client", "S.K.", *common, "--lesson", f"cbt:{due(14)}")
        jd_folder = work / "jd"
        jd_folder.mkdir()  # J.D. was given the same lessons earlier: CBT is overdue
        run("assign", "new", "-o", str(jd_folder / "assignment.yaml"), "--client", "J.D.", *common,
            "--lesson", f"cbt:{due(-3)}")
        run("--profile", "sk", "assignment", "add", str(HERE / "assignment.yaml"))
        run("--profile", "jd", "assignment", "add", str(jd_folder / "assignment.yaml"))
        quiz("sk", "1")
        quiz("jd", "?")
        for fmt in ("md", "html", "json"):
            run("--profile", "sk", "report", "--yes", "--verbatim", "-o", f"report.{fmt}")
        run("--profile", "jd", "report", "--yes", "-o", str(work / "jd.json"))
        for fmt in ("md", "html"):
            run("caseload", "-o", f"caseload.{fmt}", "report.json", str(work / "jd.json"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
