"""The suite tests the working tree: `src/` and `lessons/` as they are now, never an installed copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import neurotutor
from neurotutor import paths

ROOT = Path(__file__).resolve().parents[1]


def test_tests_import_the_source_tree() -> None:
    assert Path(neurotutor.__file__).resolve() == ROOT / "src" / "neurotutor" / "__init__.py"


def test_subprocesses_run_the_source_tree() -> None:
    code = "import neurotutor, neurotutor.paths as p; print(neurotutor.__file__); print(p.builtin_lessons_dir())"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    module, lessons = result.stdout.splitlines()
    assert Path(module).resolve() == ROOT / "src" / "neurotutor" / "__init__.py"
    assert Path(lessons).resolve() == ROOT / "lessons"


def test_builtin_lessons_are_the_checkouts() -> None:
    assert paths.builtin_lessons_dir().resolve() == ROOT / "lessons"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    command = readme.split("this is exactly what `.ci/run` does):\n\n```sh\n", 1)[1].split("\n```", 1)[0]
    assert (root / ".ci" / "run").read_text().rstrip().splitlines()[-1] == command
