"""The catalogue of worksheets: the built-in ones, then those in the learner's own folders.

The built-in folder holds only worksheets. The learner's folders are the lesson folders
(`paths.user_lesson_dirs`: --lessons-dir, NEUROTUTOR_LESSONS_PATH, the profile's own lessons), where
a worksheet is the file that says `kind: worksheet`; everything else there is a lesson and is left
to the lesson catalogue. A worksheet id used twice keeps the first (built-in first) and is a
problem of the later file. Reading and checking one file is `neurotutor.worksheets.loader`'s job.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from neurotutor.errors import Problem, UsageError
from neurotutor.text import excerpt
from neurotutor.worksheets.loader import LoadedWorksheet, load_worksheet_file, says_worksheet

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class WorksheetCatalogue:
    """Every loaded worksheet in display order, and the problems that kept files out."""

    worksheets: tuple[LoadedWorksheet, ...]
    problems: tuple[Problem, ...] = ()

    def get(self, worksheet_id: str) -> LoadedWorksheet | None:
        """The worksheet with this id, or None."""
        return next((w for w in self.worksheets if w.worksheet.id == worksheet_id), None)

    def ids(self) -> list[str]:
        return [w.worksheet.id for w in self.worksheets]

    def find(self, worksheet_id: str, list_command: str = "neurotutor practice") -> LoadedWorksheet:
        """The worksheet with this id, or with this number in the menu ("1": the first);
        UsageError naming the closest ids if there is none."""
        found = self.get(worksheet_id)
        if found is None and worksheet_id.isascii() and worksheet_id.isdigit():
            number = int(worksheet_id)
            if 1 <= number <= len(self.worksheets):
                return self.worksheets[number - 1]
        if found is not None:
            return found
        near = difflib.get_close_matches(worksheet_id, self.ids(), n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(near)}?" if near else ""
        raise UsageError(f"There is no worksheet with the id {worksheet_id!r}.{hint} Run '{list_command}' to pick "
                         "one from the list.")


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a folder, sorted by name (hidden files skipped; none when it cannot be read)."""
    try:
        return sorted(p for p in folder.iterdir()
                      if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file())
    except OSError:
        return []


def load_worksheets(builtin_dir: Path, user_dirs: Sequence[Path] = ()) -> WorksheetCatalogue:
    """The built-in worksheets, then each worksheet file in the user's folders, with every
    problem (a broken file is left out and named, never fatal)."""
    from neurotutor.lessons.loader import read_bytes

    found: list[LoadedWorksheet] = []
    problems: list[Problem] = []
    taken: dict[str, Path] = {}
    seen: set[Path] = set()
    sources = [(p, True) for p in (yaml_files(builtin_dir) if builtin_dir.is_dir() else [])]
    sources += [(p, False) for folder in user_dirs for p in yaml_files(folder)]
    for path, builtin in sources:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        data = None
        if not builtin:  # a lesson folder: only the files that say they are worksheets
            data, _ = read_bytes(path)
            if data is None or not says_worksheet(data):
                continue
        loaded, file_problems = load_worksheet_file(path, builtin, data=data)
        problems += file_problems
        if loaded is None:
            continue
        first = taken.get(loaded.worksheet.id)
        if first is not None:
            line, col = loaded.positions.get("id", (0, 0))
            problems.append(Problem(str(path), line, col, f"worksheet id {excerpt(loaded.worksheet.id)} is already "
                                    f"used by {first}"))
            continue
        taken[loaded.worksheet.id] = path
        found.append(loaded)
    return WorksheetCatalogue(tuple(found), tuple(problems))
