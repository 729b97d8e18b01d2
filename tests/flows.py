"""Typed input for the plain-mode study flow, and a profile whose option order is known.

A profile shuffles answer options with its own seed (made on first use). Tests that type answers
by their shown number start from a profile with a known seed: under SEED, test-mini's first pass
shows single (Beta, Gamma, Alpha), multiple (Three, Four, Two), ordering (Three, Two, One) and
matching (a Moo, b Meow, c Woof).
"""

from __future__ import annotations

import json
from pathlib import Path

SEED = 251
RIGHT = ["3", "2,3", "f", "3 2 1", "1b 2c 3a", "Hebb"]
MIXED = ["1", "2,3", "t", "3 2 1", "1a 2b 3c", "hebb!"]  # 3 of 6 right: single, true/false, matching wrong


def seed_profile(home: Path, seed: int = SEED, notice_seen: bool = False) -> Path:
    """Start a profile's progress file with a known shuffle seed (if it has none yet)."""
    path = home / "progress.json"
    if not path.exists():
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        home.chmod(0o700)  # as the tutor makes it, so it has nothing to tighten
        path.write_text(json.dumps({"schema_version": 2, "seed": seed, "notice_seen": notice_seen}))
        path.chmod(0o600)
    return path


def lesson_input(answers: list[str], sections: int = 2, notice: bool = True, retry: str | None = None) -> str:
    """Enter at the first-run notice, Enter past each section, then each answer and an Enter
    after its feedback; `retry` answers the offer to retry missed questions (None: input ends)."""
    lines = [""] if notice else []
    lines += [""] * sections
    for answer in answers:
        lines += [answer, ""]
    if retry is not None:
        lines.append(retry)
    return "\n".join(lines) + "\n"


def cli(capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """Run the real main(argv) in process, with stdin as given: (exit code, stdout, stderr)."""
    import io
    import sys

    from neurotutor.cli.app import main

    capsys.readouterr()
    sys.stdin = io.StringIO(stdin)
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        sys.stdin = sys.__stdin__
    out, err = capsys.readouterr()
    return code, out, err
