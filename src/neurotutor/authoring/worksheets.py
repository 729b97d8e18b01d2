"""Worksheet files for `neurotutor validate` and `neurotutor lint`: which files are worksheets, and
the checks across files that one worksheet file cannot make on its own.

A worksheet file is one that says `kind: worksheet` (every file of the built-in folder is one). It is
checked by `neurotutor.worksheets.loader`, then against the others: an id another worksheet file
uses already, a `lesson:` that names no lesson. A lesson's `try_it:` must name a worksheet the tutor
knows, or one checked with it. `lint_worksheet` warns about what makes a valid worksheet harder to
use (WORKSHEET_RULES, in docs/worksheet-format.md). Nothing here prints.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.errors import Problem
from neurotutor.text import excerpt
from neurotutor.worksheets.loader import LoadedWorksheet, load_worksheet_file, says_worksheet

if TYPE_CHECKING:
    from neurotutor.authoring.lint import Finding

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class WorksheetCheck:
    """What checking some worksheet files found: the files, the valid worksheets, every problem,
    and every worksheet id known (the context's and the valid ones checked)."""

    files: tuple[Path, ...]
    valid: tuple[LoadedWorksheet, ...]
    problems: tuple[Problem, ...]
    known: frozenset[str]


def _yaml_in(folder: Path, links: bool) -> list[Path]:
    """The YAML files of a folder, sorted (a link among them only with `links`; hidden files skipped)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(folder / e.name for e in entries
                          if not e.name.startswith(".") and os.path.splitext(e.name)[1].lower() in SUFFIXES
                          and (links or not e.is_symlink()) and e.is_file())
    except OSError:
        return []


def _says_worksheet(path: Path, follow: bool) -> tuple[bool, bytes | None]:
    from neurotutor.lessons.loader import read_bytes

    data, _ = read_bytes(path, follow)
    return (data is not None and says_worksheet(data)), data


def worksheet_files(paths: Sequence[Path], builtin_dir: Path, user_dirs: Sequence[Path]
                    ) -> list[tuple[Path, bytes | None]]:
    """The worksheet files among the given files and folders (none given: every worksheet the tutor
    loads, the built-in folder's files and those in the user's folders), each with its bytes when
    they were read to tell. A link inside a given folder is not read (validate says so)."""
    found: list[tuple[Path, bytes | None]] = []
    if not paths:
        found += [(p, None) for p in (_yaml_in(builtin_dir, True) if builtin_dir.is_dir() else [])]
        candidates = [(p, True) for folder in user_dirs for p in _yaml_in(folder, True)]
    else:
        candidates = []
        for path in paths:
            if path.is_dir():
                candidates += [(p, False) for p in _yaml_in(path, False)]
            elif path.exists():
                candidates.append((path, True))
    seen = {p.resolve() for p, _ in found}
    for path, follow in candidates:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        says, data = _says_worksheet(path, follow)
        if says:
            found.append((path, data))
    return found


def check_worksheets(files: Sequence[tuple[Path, bytes | None]], builtin_dir: Path, user_dirs: Sequence[Path],
                     lesson_ids: Iterable[str] | None = None) -> WorksheetCheck:
    """Check worksheet files, each on its own, then against the worksheets the tutor loads (the
    built-in folder and the user's folders): an id used twice; and, with `lesson_ids`, a `lesson:`
    that names none of them."""
    from neurotutor.worksheets.catalogue import load_worksheets

    given = {path.resolve() for path, _ in files}
    names = {p.name for p in _yaml_in(builtin_dir, True)} if builtin_dir.is_dir() else set()
    # A folder holding every built-in file name is the built-ins' source (a checkout's worksheets/):
    # it stands in for the installed copies instead of clashing with them.
    source = any(names and names <= {p.name for p in _yaml_in(folder, True)}
                 for folder in {path.parent for path, _ in files})
    context = load_worksheets(builtin_dir, user_dirs)
    taken = {w.worksheet.id: w.path for w in context.worksheets
             if w.path.resolve() not in given and not (source and w.builtin)}
    problems: list[Problem] = []
    valid: list[LoadedWorksheet] = []
    known_lessons = set(lesson_ids) if lesson_ids is not None else None
    for path, data in files:
        loaded, found = load_worksheet_file(path, follow=True, data=data)
        problems += found
        if loaded is None:  # its lesson is checked all the same, so that all is said at once
            if known_lessons is not None and found:
                problems += _unknown_lesson(path, data, known_lessons, found)
            continue
        worksheet = loaded.worksheet
        first = taken.get(worksheet.id)
        if first is not None and first.resolve() != path.resolve():
            line, col = loaded.positions.get("id", (0, 0))
            problems.append(Problem(str(path), line, col, f"id: worksheet id {excerpt(worksheet.id)} is already used by "
                                    f"{first}"))
            continue
        taken[worksheet.id] = path
        if known_lessons is not None and worksheet.lesson is not None and worksheet.lesson not in known_lessons:
            problems += _unknown_lesson(path, data, known_lessons)
            continue
        valid.append(loaded)
    return WorksheetCheck(tuple(path for path, _ in files), tuple(valid), tuple(problems), frozenset(taken))


def _unknown_lesson(path: Path, data: bytes | None, known: set[str], said: Iterable[Problem] = ()) -> list[Problem]:
    """The problem of a worksheet's `lesson:` that names no lesson in `known`, read from the file's
    text as it is (none when a problem is said there already, or the file cannot be read)."""
    from neurotutor.lessons.loader import decode_text, read_bytes
    from neurotutor.lessons.yaml_source import read_yaml

    if data is None:
        data, _ = read_bytes(path)
    text = decode_text(data, str(path))[0] if data is not None else None
    doc = read_yaml(text) if text is not None else None
    lesson = doc.data.get("lesson") if doc is not None and doc.complete and isinstance(doc.data, dict) else None
    if doc is None or not isinstance(lesson, str) or lesson in known:
        return []
    line, col = doc.mark(("lesson",))
    if any((p.path, p.line, p.column) == (str(path), line, col) for p in said):
        return []
    near = difflib.get_close_matches(lesson, sorted(known), n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return [Problem(str(path), line, col, f"lesson: {excerpt(lesson)} is not a known lesson{hint}")]


def unknown_try_it(path: Path, try_it: Sequence[str] | None, known: Iterable[str],
                   said: Iterable[Problem] = ()) -> list[Problem]:
    """Problems with a lesson's `try_it:` entries that name no worksheet in `known`, each at its
    place in the file. `try_it` is the lesson's list when it is valid (the file is then read again
    only when one is unknown); None for a lesson file with other problems, whose entries are read
    from its text as it is. A place where a problem is said already (`said`) is not named again."""
    from neurotutor.lessons.checks import strings_of
    from neurotutor.lessons.loader import read_text
    from neurotutor.lessons.yaml_source import read_yaml

    known = set(known)
    if try_it is not None and all(name in known for name in try_it):
        return []
    text, _ = read_text(path)
    doc = read_yaml(text) if text is not None else None
    if doc is None or not doc.complete:
        return []
    taken = {(p.line, p.column) for p in said if p.path == str(path)}
    problems = []
    for i, name in strings_of(doc.data, "try_it"):
        line, col = doc.mark(("try_it", i))
        if name in known or (line, col) in taken:
            continue
        near = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        problems.append(Problem(str(path), line, col, f"try_it[{i + 1}]: {excerpt(name)} is not a known "
                                f"worksheet{hint}; see 'neurotutor practice' for the worksheets there are"))
    return problems


# -- lint ------------------------------------------------------------------------------------------

WORKSHEET_RULES = {
    "readability": "A worksheet's purpose, safety note and each step's prompt and help should read at about age "
                   "12-14 (Flesch-Kincaid grade 9 or below).",
    "safety-note": "A worksheet needs a safety note that says when to stop and where to find urgent help "
                   "(neurotutor safety, or ! at any prompt).",
    "prompt-too-long": "A step's prompt is asked on a line of its own: at most 120 characters keep it within two "
                       "lines of an 80-column terminal; put the rest in the step's help.",
    "scaffold-text": "Example text from `neurotutor new worksheet` should be replaced before anyone fills it in.",
    "unknown-lint-rule": "A `lint:` entry should name a rule that exists.",
}
MAX_STEP_PROMPT = 120
_HELP_NAMED = ("neurotutor safety", "!")


def lint_worksheet(loaded: LoadedWorksheet, text: str) -> list[Finding]:
    """Every warning about one valid worksheet (its file's text gives the positions)."""
    from neurotutor.authoring.lint import MAX_GRADE, Finding, _costly_words, _grader, _plain
    from neurotutor.lessons.yaml_source import read_yaml

    worksheet, path = loaded.worksheet, str(loaded.path)
    mark = read_yaml(text).mark
    findings: list[Finding] = []

    def warn(rule: str, where: tuple[object, ...], item: str, message: str) -> None:
        if rule not in worksheet.lint:
            line, column = mark(where)
            findings.append(Finding(rule, path, line, column, item, message))

    for rule in worksheet.lint:
        if rule not in WORKSHEET_RULES:
            warn("unknown-lint-rule", ("lint", rule), "lint",
                 f"there is no worksheet rule {rule!r}; rules: {', '.join(sorted(WORKSHEET_RULES))}")
    if not worksheet.safety_note:
        warn("safety-note", ("id",), "worksheet", "there is no safety_note: say when to stop (distress, flashbacks, "
             "thoughts of self-harm) and where to find urgent help")
    elif not any(named in worksheet.safety_note for named in _HELP_NAMED):
        warn("safety-note", ("safety_note",), "worksheet", "the safety note does not say where to find urgent help: "
             "name 'neurotutor safety' or the ! key")
    example = _scaffold_worksheet_texts()
    places: list[tuple[tuple[object, ...], str, str]] = [(("purpose",), "worksheet", worksheet.purpose)]
    places += [(("steps", i, "help"), f"step {step.id}", step.help or "") for i, step in enumerate(worksheet.steps)]
    for where, item, said in places:  # (the scaffold's safety note is fine to keep)
        if said and " ".join(said.split()) in example:
            warn("scaffold-text", where, item, f"the {where[-1]} is still the scaffold's example: replace it with "
                 "your own words")
    for i, step in enumerate(worksheet.steps):
        if len(step.prompt) > MAX_STEP_PROMPT:
            warn("prompt-too-long", ("steps", i, "prompt"), f"step {step.id}", f"the prompt is {len(step.prompt)} "
                 f"characters; at most {MAX_STEP_PROMPT} fit two lines of an 80-column terminal: put the rest in "
                 "the step's help")
    grade_of = _grader()
    if grade_of is not None:
        graded: list[tuple[tuple[object, ...], str, str]] = [(("purpose",), "worksheet", worksheet.purpose)]
        if worksheet.safety_note:
            graded.append((("safety_note",), "worksheet", worksheet.safety_note))
        graded += [(("steps", i, "help"), f"step {step.id}", f"{step.prompt} {step.help}")
                   for i, step in enumerate(worksheet.steps) if step.help]
        for where, item, said in graded:
            plain = _plain(said)
            grade = grade_of(plain)
            if grade > MAX_GRADE:
                warn("readability", where, item, f"reads at Flesch-Kincaid grade {grade:.1f} (aim for "
                     f"{MAX_GRADE:.0f} or below); the words that cost most: {', '.join(_costly_words(plain))}")
    return sorted(findings, key=lambda f: (f.line, f.column, f.rule))


def _scaffold_worksheet_texts() -> frozenset[str]:
    """The worksheet scaffold's example purpose and help texts, whitespace-normalised."""
    from neurotutor.authoring.scaffold import worksheet_scaffold
    from neurotutor.worksheets.loader import parse_worksheet

    loaded, _ = parse_worksheet(worksheet_scaffold("example"), "scaffold")
    assert loaded is not None  # the scaffold is tested to be valid
    found = {loaded.worksheet.purpose, *(step.help for step in loaded.worksheet.steps if step.help)}
    return frozenset(" ".join(text.split()) for text in found)


def lint_worksheets(check: WorksheetCheck) -> list[Finding]:
    """The warnings about each valid worksheet checked (each file read again, as it was checked)."""
    from neurotutor.lessons.loader import read_text

    findings: list[Finding] = []
    for loaded in check.valid:
        text, _ = read_text(loaded.path)
        if text is not None:
            findings += lint_worksheet(loaded, text)
    return findings
