"""Writing an assignment file, the therapist's side: what they give checked, the file built as text
and checked before it is written, then read back as the client's tutor will read it.

The file is built as text (comments included, in the documented order), checked through the same
loader as every assignment, and only then written. A lesson file of the therapist's own travels
with it, named by the id it holds, relative to the assignment. `--lessons-tagged TAG:DATE` stands
for every lesson with the tag. The checks of single answers (`id_problem`, `date_problem`...) are
what the shell's prompts check as each answer is typed. No clock (`today` is given), no prompts;
the catalogue is given as a function, read only when it is needed (loading it can warn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.errors import InvalidFileError, UsageError

if TYPE_CHECKING:
    from neurotutor.lessons.catalogue import Catalogue, CatalogueEntry

NOT_WRITTEN = "The assignment was not written."
LessonDue = tuple[str, date, "str | None"]  # (lesson id, due date, bundled file relative to the assignment)


@dataclass(frozen=True)
class Draft:
    """An assignment as the therapist gave it, in options or answers. `lessons` are --lesson
    values: ID:YYYY-MM-DD, or FILE.yaml:YYYY-MM-DD for a lesson file to bundle."""

    id: str = ""
    title: str = ""
    therapist: str = ""
    client: str = ""
    lessons: tuple[str, ...] = ()
    contact: str | None = None
    review_minutes: int | None = None
    exam_score: int | None = None
    note: str | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """The options not given (id, title, therapist, client, lesson), in the order they are asked for."""
        given = {"id": self.id, "title": self.title, "therapist": self.therapist, "client": self.client,
                 "lesson": self.lessons}
        return tuple(name for name, value in given.items() if not value)


@dataclass(frozen=True)
class Written:
    """An assignment file written and read back: its lessons, the lesson files that travel with it
    (relative to it), and the lessons whose due date has passed already."""

    path: Path
    text: str = field(repr=False)
    lessons: tuple[LessonDue, ...]
    bundled: tuple[str, ...]
    overdue: tuple[tuple[str, date], ...]


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def render(*, assignment_id: str, title: str, therapist: str, contact: str | None, client: str,
           lessons: Sequence[LessonDue], review_minutes: int | None, exam_score: int | None,
           note: str | None) -> str:
    """The text of an assignment file (format 1), with a few comments for the therapist."""
    lines = ["# A neurotutor assignment (see docs/assignment-format.md). Check it with: neurotutor validate FILE",
             "kind: assignment", "format: 1", f"id: {assignment_id}", f"title: {_quoted(title)}", "therapist:",
             f"  name: {_quoted(therapist)}"]
    if contact:
        lines.append(f"  contact: {_quoted(contact)}")
    lines += ["# A pseudonym or initials: the tutor never needs a real name.", f"client: {_quoted(client)}", "lessons:"]
    for lesson_id, due, file in lessons:
        lines += [f"  - lesson: {lesson_id}", f"    due: {due.isoformat()}"]
        if file:
            lines.append(f"    file: {_quoted(file)}")
    if review_minutes or exam_score is not None:
        lines.append("goals:")
        if review_minutes:
            lines += ["  review:", f"    minutes_per_day: {review_minutes}"]
        if exam_score is not None:
            lines += ["  exam:", f"    min_score: {exam_score}"]
    if note:
        lines += ["note: |"] + [f"  {line}".rstrip() for line in note.splitlines()]
    return "\n".join(lines) + "\n"


# -- single answers, checked as they are typed ------------------------------------------------------


def id_problem(text: str) -> str | None:
    """Why an assignment id is not one, or None."""
    from neurotutor.lessons.model import SLUG_PATTERN

    if re.match(SLUG_PATTERN, text) and len(text) <= 80:
        return None
    return "Use lowercase letters, digits and single dashes only, e.g. sk-autumn."


def label_problem(text: str) -> str | None:
    """Why a client's label is too long, or None."""
    return None if len(text) <= 40 else f"Keep it to 40 characters or fewer (this is {len(text)})."


def _whole(text: str, low: int, high: int) -> bool:
    return text.isascii() and text.isdigit() and low <= int(text) <= high


def minutes_problem(text: str) -> str | None:
    """Why a review goal in minutes a day is not one, or None."""
    return None if _whole(text, 1, 240) else "Type a whole number of minutes from 1 to 240, or nothing."


def score_problem(text: str) -> str | None:
    """Why an exam goal in per cent (70 or 70%) is not one, or None."""
    return None if _whole(text.removesuffix("%").strip(), 0, 100) else "Type a whole number from 0 to 100, or nothing."


def score_of(text: str) -> int:
    """The per cent of an exam goal as typed (70 or 70%)."""
    return int(text.removesuffix("%").strip())


def date_problem(text: str, today: date) -> str | None:
    """Why a due date typed is not a real date from today on, or None."""
    try:
        due = date.fromisoformat(text)
    except ValueError:
        return f"{text} is not a real date: type year-month-day, e.g. {today.isoformat()}."
    return None if due >= today else f"{text} has passed: give today ({today.isoformat()}) or later."


def lesson_file_problem(text: str, output: Path, validate_command: Callable[[str], str]) -> str | None:
    """Why a lesson file cannot be bundled with the assignment at output, or None;
    `validate_command(name)` is the command that shows what is wrong in a file."""
    from neurotutor.assignments.loader import file_name_problem
    from neurotutor.lessons.loader import load_lesson_file

    path = Path(text)
    if not text.endswith((".yaml", ".yml")):
        return "A lesson file's name ends in .yaml or .yml."
    if not path.is_file():
        return f"There is no file {text}."
    try:
        relative = path.resolve().relative_to(output.resolve().parent)
    except ValueError:
        return "Put it in the assignment's folder (or below it), so they travel together."
    wrong = file_name_problem(relative.as_posix())
    if wrong:
        return f"Its name cannot travel with an assignment: {wrong}."
    loaded, _, _ = load_lesson_file(path)
    if loaded is None:
        return f"Not a valid lesson file; '{validate_command(path.name)}' shows why."
    return None


# -- the options, and the file --------------------------------------------------------------------


def check_options(output: Path, force: bool, lessons: Sequence[str], tagged: Sequence[str],
                  catalogue: Callable[[], Catalogue]) -> tuple[str, ...]:
    """Before anything is asked: the --lesson values with every --lessons-tagged TAG:DATE added,
    once it is known that `output` may be written (it does not exist, or `force` and it is a file)."""
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; give --force to replace it, or another file name.")
    if output.exists() and not output.is_file():  # it is read back to be checked, and removed if wrong
        raise UsageError(f"Cannot write {output}: it is not a file (an assignment is read back to check it).")
    if not tagged:
        return tuple(lessons)
    return (*lessons, *tagged_lessons(tagged, catalogue().lessons, lessons))


def tagged_lessons(values: Sequence[str], entries: Sequence[CatalogueEntry], given: Sequence[str]) -> list[str]:
    """--lessons-tagged TAG:DATE as --lesson values: every lesson with the tag, in catalogue order,
    each once (a lesson given already keeps its own date)."""
    taken = {value.rpartition(":")[0] for value in given}
    picked = []
    for value in values:
        tag, _, due = value.rpartition(":")
        if not tag or not due:
            raise UsageError(f"--lessons-tagged {value}: give a tag and a due date as TAG:YYYY-MM-DD, e.g. "
                             "level-basics:2026-12-01.")
        ids = [e.info.id for e in entries if tag in e.info.tags]
        if not ids:
            known = sorted({t for e in entries for t in e.info.tags if t.startswith(("topic-", "level-"))})
            raise UsageError(f"--lessons-tagged {value}: no lesson has the tag {tag!r}. Topic and level tags: "
                             f"{', '.join(known)}.")
        for lesson_id in ids:
            if lesson_id not in taken:
                taken.add(lesson_id)
                picked.append(f"{lesson_id}:{due}")
    return picked


def lesson_option(value: str) -> LessonDue:
    """ID:YYYY-MM-DD or FILE.yaml:YYYY-MM-DD (a lesson file to bundle, its id not read yet: "")."""
    where, _, due_text = value.rpartition(":")
    if not where or not due_text:
        raise UsageError(f"--lesson {value}: give the lesson and its due date as ID:YYYY-MM-DD, e.g. "
                         "cbt:2026-12-01 (or a lesson file: my-lesson.yaml:2026-12-01).")
    try:
        due = date.fromisoformat(due_text)
    except ValueError:
        raise UsageError(f"--lesson {value}: {due_text} is not a real date (year-month-day, e.g. 2026-12-01).") from None
    if where.endswith((".yaml", ".yml")):
        return "", due, where
    return where, due, None


def _bundle(lessons: list[LessonDue], output: Path) -> dict[str, str]:
    """Name each lesson file by the id it holds, relative to the assignment (in place); the files
    that travel with it: relative file -> lesson id."""
    from neurotutor.lessons.loader import load_lesson_file

    bundled = {}
    for index, (_, due, file) in enumerate(lessons):
        if not file:
            continue
        path = Path(file)
        loaded, problems, _ = load_lesson_file(path)
        if loaded is None:
            raise InvalidFileError(problems, f"{file} is not a valid lesson file; fix it first.")
        try:
            relative = str(path.resolve().relative_to(output.resolve().parent))
        except ValueError:
            raise UsageError(f"{file} must be in the same folder as {output} (or below it), so they travel "
                             "together.") from None
        lessons[index] = (loaded.lesson.id, due, relative)
        bundled[relative] = loaded.lesson.id
    return bundled


def write_assignment(draft: Draft, output: Path, catalogue: Callable[[], Catalogue], today: date,
                     lessons_command: str, write: Callable[[bytes], object]) -> Written:
    """Build the assignment file of `draft`, check it, write it with `write(bytes)` and read it back
    as the client's tutor will (removed again if that finds a problem). Refused with nothing
    written: a lesson file that is not valid or lies outside the assignment's folder, a bundled
    lesson with a built-in lesson's id, a lesson the catalogue does not have (`lessons_command`
    lists them), anything the assignment loader refuses."""
    from neurotutor.assignments.loader import parse_assignment, validate_assignment
    from neurotutor.lessons.catalogue import builtin_lessons

    lessons = [lesson_option(value) for value in draft.lessons]
    bundled = _bundle(lessons, output)
    text = render(assignment_id=draft.id, title=draft.title, therapist=draft.therapist, contact=draft.contact,
                  client=draft.client, lessons=lessons, review_minutes=draft.review_minutes,
                  exam_score=draft.exam_score, note=draft.note)
    loaded, problems = parse_assignment(text, str(output), output)
    if loaded is None:
        raise InvalidFileError(problems, NOT_WRITTEN)
    known = catalogue()
    builtin = builtin_lessons(known)
    taken = [(relative, lid) for relative, lid in bundled.items() if lid in builtin]
    if taken:
        raise UsageError(f"The lesson in {taken[0][0]} has the id {taken[0][1]!r}, which is the id of a built-in lesson "
                         f"({builtin[taken[0][1]].name}); give your lesson an id of its own. {NOT_WRITTEN}")
    ids = {entry.info.id for entry in known.lessons}
    unknown = [lid for lid, _, file in lessons if not file and lid not in ids]
    if unknown:
        raise UsageError(f"There is no lesson {unknown[0]!r}. Run '{lessons_command}' to see "
                         f"them, or bundle a lesson file as FILE.yaml:DATE. {NOT_WRITTEN}")
    write(text.encode("utf-8"))
    _, found, _ = validate_assignment(output, known.lessons, builtin)  # as the client's tutor will read it
    if found:
        output.unlink()
        raise InvalidFileError(found, NOT_WRITTEN)
    return Written(output, text, tuple(lessons), tuple(bundled),
                   tuple((lid, due) for lid, due, _ in lessons if due < today))


@dataclass(frozen=True)
class Packed:
    """An assignment and the lesson files it bundles, as one zip archive's bytes to write at `target`."""

    target: Path
    data: bytes = field(repr=False)
    name: str  # the assignment file's name inside it
    bundled: int  # lesson files in it


def pack_assignment(file: Path, output: Path | None, force: bool, catalogue: Callable[[], Catalogue]) -> Packed:
    """Check an assignment (and its lesson files) and pack the very bytes checked into a zip
    archive, `output` or FILE with .zip (an existing one replaced only with `force`)."""
    from neurotutor.assignments.archive import pack
    from neurotutor.assignments.loader import validate_assignment
    from neurotutor.lessons.catalogue import builtin_lessons

    if not file.exists():
        raise UsageError(f"There is no file {file}.")
    if not file.is_file():
        raise UsageError(f"{file} is not a regular file (a folder, a device or a pipe?); give the assignment's "
                         ".yaml file.")
    target = output or file.with_suffix(".zip")
    if target.suffix.lower() != ".zip":
        raise UsageError(f"{target}: an archive's name ends in .zip.")
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; give --force to replace it, or -o with another name.")
    known = catalogue()
    loaded, problems, bundled = validate_assignment(file, known.lessons, builtin_lessons(known))
    if problems or loaded is None:
        raise InvalidFileError(problems, "The assignment has the problems above, so it was not packed.")
    # the bytes that were checked, not a second read of the files
    data = pack(file.name, loaded.text.encode("utf-8"), [(item.relative, item.data) for item in bundled])
    return Packed(target, data, file.name, len(bundled))
