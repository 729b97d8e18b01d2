"""Writing an assignment file, the therapist's side: what they give checked, the file built as text
and checked before it is written, then read back as the client's tutor will read it.

The file is built as text (comments included, in the documented order), checked through the same
loader as every assignment, and only then written. A lesson file of the therapist's own travels
with it, named by the id it holds, relative to the assignment. `--lessons-tagged TAG:DATE` stands
for every lesson with the tag. A lesson named twice (by id, by file, or by a file that holds a
lesson named already) is refused before anything is asked. The checks of single answers
(`id_problem`, `date_problem`...) are what the shell's prompts check as each answer is typed; a
date may be typed 14/12/2026 when only one reading of it is a real date. `prepare_assignment`
checks a whole draft without writing it, so the shell can show what is wrong while every answer
is still there to change; `summary` is the draft in words, `missing_prerequisites` the lessons an
assigned lesson builds on that are not assigned. Practice between sessions is given as
`--practice WORKSHEET:TIMES[:week|day][:UNTIL]` (a built-in worksheet, `breathe`, or a worksheet
file that travels with the assignment as a lesson file does) and check-ins as
`--checkin MEASURE[:DAY][:UNTIL]`; each worksheet and each measure once. No clock (`today` is
given), no prompts; the catalogue is given as a function, read only when it is needed (loading it
can warn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.assignments import model as am
from neurotutor.errors import InvalidFileError, NeurotutorError, Problem, UsageError

if TYPE_CHECKING:
    from neurotutor.lessons.catalogue import Catalogue, CatalogueEntry
    from neurotutor.lessons.loader import LoadedLesson
    from neurotutor.worksheets.loader import LoadedWorksheet

NOT_WRITTEN = "The assignment was not written."
NO_KEY = ("This assignment has no key, so reports will not be sealed: run 'neurotutor therapist init' first to "
          "seal them.")
LessonDue = tuple[str, date, "str | None"]  # (lesson id, due date, bundled file relative to the assignment)


@dataclass(frozen=True)
class Draft:
    """An assignment as the therapist gave it, in options or answers. `lessons` are --lesson
    values: ID:YYYY-MM-DD, or FILE.yaml:YYYY-MM-DD for a lesson file to bundle. `exam_lessons`
    empty: the exam is on every lesson. `key`: the therapist's public key (age1...), or None.
    `practice` and `checkins` are --practice and --checkin values."""

    id: str = ""
    title: str = ""
    therapist: str = ""
    client: str = ""
    lessons: tuple[str, ...] = ()
    contact: str | None = None
    review_minutes: int | None = None
    exam_score: int | None = None
    note: str | None = None
    exam_lessons: tuple[str, ...] = ()
    exam_due: date | None = None
    key: str | None = None
    practice: tuple[str, ...] = ()  # --practice values: WORKSHEET:TIMES[:week|day][:UNTIL]
    checkins: tuple[str, ...] = ()  # --checkin values: MEASURE[:DAY][:UNTIL]

    @property
    def missing(self) -> tuple[str, ...]:
        """The options not given (id, title, therapist, client, lesson), in the order they are asked for."""
        given = {"id": self.id, "title": self.title, "therapist": self.therapist, "client": self.client,
                 "lesson": self.lessons}
        return tuple(name for name, value in given.items() if not value)


@dataclass(frozen=True)
class Prepared:
    """A draft built and checked: the file's text, its lessons (files named by the id they hold,
    relative to the assignment), the lesson and worksheet files that travel with it, what is
    wrong, and its practice and check-in goals (a worksheet file named by the id it holds)."""

    text: str = field(repr=False)
    lessons: tuple[LessonDue, ...]
    bundled: tuple[str, ...]
    problems: tuple[Problem, ...]  # what the loader finds in the text (positions in a file not written yet)
    practice: tuple[am.PracticeGoal, ...] = ()
    checkins: tuple[am.CheckinGoal, ...] = ()


@dataclass(frozen=True)
class Written:
    """An assignment file written and read back: its lessons, the lesson and worksheet files that
    travel with it (relative to it), the lessons whose due date has passed already, and the
    practice and check-ins set until a day that has passed."""

    path: Path
    text: str = field(repr=False)
    lessons: tuple[LessonDue, ...]
    bundled: tuple[str, ...]
    overdue: tuple[tuple[str, date], ...]
    ended: tuple[tuple[str, date], ...] = ()  # practice (a worksheet id) or check-ins (a measure) set until a day passed
    never_due: tuple[am.CheckinGoal, ...] = ()  # check-ins on a day of the week that does not come before their until


@dataclass(frozen=True)
class Prerequisite:
    """A lesson that an assigned lesson builds on, not assigned itself."""

    needs: str  # its id
    title: str
    lesson: str  # the assigned lesson that builds on it (the one due first)
    lesson_title: str
    due: date  # when that lesson is due: the prerequisite is best taken by then

    def suggested(self, today: date) -> date:
        """A due date for it: a week before the lesson that needs it, not before today (nor after
        that lesson)."""
        from neurotutor import dates

        return min(self.due, max(today, dates.add_days(self.due, -7)))

    def option(self, today: date) -> str:
        """The --lesson value that adds it."""
        return f"{self.needs}:{self.suggested(today).isoformat()}"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def render(*, assignment_id: str, title: str, therapist: str, contact: str | None, client: str,
           lessons: Sequence[LessonDue], review_minutes: int | None, exam_score: int | None,
           note: str | None, exam_lessons: Sequence[str] = (), exam_due: date | None = None,
           key: str | None = None, practice: Sequence[am.PracticeGoal] = (),
           checkins: Sequence[am.CheckinGoal] = ()) -> str:
    """The text of an assignment file (format 1), with a few comments for the therapist. The note
    is a block (`note: |`), its paragraphs apart as they were typed."""
    lines = ["# A neurotutor assignment (see docs/assignment-format.md). Check it with: neurotutor validate FILE",
             "kind: assignment", "format: 1", f"id: {assignment_id}", f"title: {_quoted(title)}", "therapist:",
             f"  name: {_quoted(therapist)}"]
    if contact:
        lines.append(f"  contact: {_quoted(contact)}")
    if key:
        lines += ["  # The therapist's public key: the client's reports are sealed to it, so that only the holder",
                  "  # of the secret key (made by 'neurotutor therapist init') can open them.",
                  f"  key: {key}"]
    lines += ["# A pseudonym or initials: the tutor never needs a real name.", f"client: {_quoted(client)}", "lessons:"]
    for lesson_id, due, file in lessons:
        lines += [f"  - lesson: {lesson_id}", f"    due: {due.isoformat()}"]
        if file:
            lines.append(f"    file: {_quoted(file)}")
    if review_minutes or exam_score is not None or practice or checkins:
        lines.append("goals:")
        if review_minutes:
            lines += ["  review:", f"    minutes_per_day: {review_minutes}"]
        if exam_score is not None:
            lines.append("  exam:")
            if exam_lessons:
                lines.append(f"    lessons: [{', '.join(exam_lessons)}]")
            lines.append(f"    min_score: {exam_score}")
            if exam_due is not None:
                lines.append(f"    due: {exam_due.isoformat()}")
        lines += _render_practice(practice, checkins)
    if note:
        lines += ["note: |"] + [f"  {line}".rstrip() for line in note.splitlines()]
    return "\n".join(lines) + "\n"


def _render_practice(practice: Sequence[am.PracticeGoal], checkins: Sequence[am.CheckinGoal]) -> list[str]:
    """The practice and check-in goals, as the lines under `goals:`."""
    lines = []
    if practice:
        lines += ["  # Practice between sessions: a worksheet, or breathe (the breathing space), so many times",
                  "  # a week or a day, until a date (none: as long as the assignment lasts).",
                  "  practice:"]
        for goal in practice:
            lines += [f"    - worksheet: {goal.worksheet}", f"      times: {goal.times}", f"      per: {goal.per}"]
            if goal.until is not None:
                lines.append(f"      until: {goal.until.isoformat()}")
            if goal.file:
                lines += ["      # a worksheet file that travels with the assignment, relative to it",
                          f"      file: {_quoted(goal.file)}"]
    if checkins:
        lines += ["  # Check-ins (phq8: PHQ-8, gad7: GAD-7), once a week, on the day given (none: any day).",
                  "  checkins:"]
        for checkin in checkins:
            lines.append(f"    - measure: {checkin.measure}")
            if checkin.day is not None:
                lines.append(f"      day: {checkin.day}")
            if checkin.until is not None:
                lines.append(f"      until: {checkin.until.isoformat()}")
    return lines


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


def text_problem(most: int) -> Callable[[str], str | None]:
    """The check of a line of free text that goes into the file: at most `most` characters, and
    no character that could drive a terminal or turn text backwards."""
    from neurotutor.text import describe_char, first_unsafe

    def problem(text: str) -> str | None:
        at = first_unsafe(text)
        if at >= 0:
            return f"It holds a {describe_char(text[at])}, which cannot go in an assignment; type it without."
        return None if len(text) <= most else f"Keep it to {most} characters or fewer (this is {len(text)})."

    return problem


def key_problem(text: str) -> str | None:
    """Why a public key typed is not an age public key, or None."""
    from neurotutor import seal

    if seal.recipient_problem(text) is None:
        return None
    return "That is not an age public key: it starts with age1 and has 62 characters."


def note_problem(before: str | None, text: str) -> str | None:
    """Why a paragraph cannot be added to the note written so far, or None."""
    from neurotutor.assignments.model import MAX_NOTE

    room = MAX_NOTE - len(before or "") - (2 if before else 0)
    wrong = text_problem(max(room, 0))(text)
    if wrong and len(text) > room:
        return f"The note can have {MAX_NOTE} characters in all; this paragraph has {len(text)}, and {max(room, 0)} are left."
    return wrong


def with_paragraph(note: str | None, text: str) -> str:
    """The note with one more paragraph (a blank line between paragraphs, as Markdown has them)."""
    return f"{note}\n\n{text}" if note else text


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


def read_date(text: str) -> tuple[date | None, str | None]:
    """A date as typed: year-month-day, or day and month (either way round) and the year when
    only one reading is a real date (14/12/2026, 12/14/2026). (the date, None), or (None, what is
    wrong in words: "12/11/2026 could be 12 November or 11 December: write it as ...")."""
    from neurotutor.assignments.loader import date_readings, two_readings

    text = text.strip()
    try:
        return date.fromisoformat(text), None
    except ValueError:
        pass
    readings = date_readings(text)
    if readings is None or not readings:
        return None, f"{text} is not a real date"
    if len(readings) > 1:
        return None, two_readings(text, readings)
    return readings[0], None


def date_problem(text: str, today: date, latest: date | None = None) -> str | None:
    """Why a due date typed is not a real date from today on (nor after `latest`), or None."""
    from neurotutor.assignments.loader import date_readings

    due, _ = read_date(text)
    if due is None:
        readings = date_readings(text) or ()
        if len(readings) > 1:  # short enough for the line under a prompt
            return f"{text} is unclear: write it as {readings[0]} or {readings[1]} (year-month-day)."
        return f"{text} is not a real date: type year-month-day, e.g. {today.isoformat()}."
    if due < today:
        return f"{text} has passed: give today ({today.isoformat()}) or later."
    if latest is not None and due > latest:
        return f"Give a date on or before {latest.isoformat()}, so that it comes first."
    return None


def due_of(text: str) -> date:
    """The date of an answer `date_problem` has passed."""
    due, _ = read_date(text)
    assert due is not None, text
    return due


def exam_pick_problem(text: str, ids: Sequence[str]) -> str | None:
    """Why what was typed does not pick lessons for the exam (their numbers or ids), or None."""
    for word in re.split(r"[\s,]+", text.strip()):
        if not (_whole(word, 1, len(ids)) or word in ids):
            return f"Type the numbers of the lessons, from 1 to {len(ids)}, e.g. 1 3 (or nothing: all of them)."
    return None


def exam_pick(text: str, ids: Sequence[str]) -> tuple[str, ...]:
    """The lessons picked for the exam (empty: all of them), in the assignment's order."""
    words = set(re.split(r"[\s,]+", text.strip())) - {""}
    picked = {ids[int(w) - 1] if _whole(w, 1, len(ids)) else w for w in words}
    chosen = tuple(lesson_id for lesson_id in ids if lesson_id in picked)
    return () if set(chosen) == set(ids) else chosen


def _file_to_bundle(text: str, output: Path, kind: str, read_id: Callable[[Path], str | None],
                    validate_command: Callable[[str], str],
                    chosen: Sequence[tuple[str | None, Path | None]]) -> tuple[str | None, str]:
    """What a lesson or worksheet file to bundle with the assignment at output holds (its id), or
    why it cannot travel with it: not a .yaml file, not there, outside the assignment's folder, a
    name that cannot travel, not valid (`validate_command(name)` shows why), or a file or an id
    `chosen` already ((id, file) of each). (None, problem) or (id, "")."""
    from neurotutor.assignments.loader import file_name_problem

    path = Path(text)
    if not text.endswith((".yaml", ".yml")):
        return None, f"A {kind} file's name ends in .yaml or .yml."
    if not path.is_file():
        return None, f"There is no file {text}."
    try:
        relative = path.resolve().relative_to(output.resolve().parent)
    except ValueError:
        return None, "Put it in the assignment's folder (or below it), so they travel together."
    wrong = file_name_problem(relative.as_posix(), kind)
    if wrong:
        return None, f"Its name cannot travel with an assignment: {wrong}."
    found = read_id(path)
    if found is None:
        return None, f"Not a valid {kind} file; '{validate_command(path.name)}' shows why."
    for other_id, other_path in chosen:
        if other_path is not None and other_path == path.resolve():
            return None, "You have chosen this file already."
        if other_id == found:
            return None, f"It holds {found}, which you have chosen already."
    return found, ""


def lesson_file_problem(text: str, output: Path, validate_command: Callable[[str], str],
                        picked: Sequence[str] = (), builtin: Mapping[str, Path] | None = None) -> str | None:
    """Why a lesson file cannot be bundled with the assignment at output, or None;
    `validate_command(name)` is the command that shows what is wrong in a file. Refused too: a
    file picked already, a lesson picked already (`picked`: --lesson values), a built-in
    lesson's id (`builtin`: id -> file)."""
    def read_id(path: Path) -> str | None:
        loaded = _lesson_in(path)
        return loaded.lesson.id if loaded else None

    lesson_id, problem = _file_to_bundle(text, output, "lesson", read_id, validate_command, _identities(picked))
    if lesson_id is None:
        return problem
    taken = (builtin or {}).get(lesson_id)
    if taken is not None:
        return (f"It holds the lesson {lesson_id!r}, which is the id of a built-in lesson ({taken.name}); give your "
                "lesson an id of its own.")
    return None


def _lesson_in(path: Path) -> LoadedLesson | None:
    from neurotutor.lessons.loader import load_lesson_file

    loaded, _, _ = load_lesson_file(path)
    return loaded


def _identities(values: Sequence[str]) -> list[tuple[str | None, Path | None]]:
    """Each --lesson value's lesson id (None for a file that is not a valid lesson) and, for a
    file, where it is."""
    found: list[tuple[str | None, Path | None]] = []
    for value in values:
        where = value.rpartition(":")[0]
        if where.endswith((".yaml", ".yml")):
            path = Path(where)
            loaded = _lesson_in(path) if path.is_file() else None
            found.append((loaded.lesson.id if loaded else None, path.resolve()))
        else:
            found.append((where, None))
    return found


def lesson_ids(values: Sequence[str]) -> list[str]:
    """The lesson id of each --lesson value (a lesson file's, as it holds it; its name when it is
    not a valid lesson)."""
    return [lesson_id or value.rpartition(":")[0] for value, (lesson_id, _) in zip(values, _identities(values))]


# -- the options, and the file --------------------------------------------------------------------


def check_options(output: Path, force: bool, lessons: Sequence[str], tagged: Sequence[str],
                  catalogue: Callable[[], Catalogue]) -> tuple[str, ...]:
    """Before anything is asked: the --lesson values with every --lessons-tagged TAG:DATE added,
    once it is known that `output` may be written (it does not exist, or `force` and it is a file,
    in a folder that exists) and that no lesson is named twice."""
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; give --force to replace it, or another file name.")
    if output.exists() and not output.is_file():  # it is read back to be checked, and removed if wrong
        raise UsageError(f"Cannot write {output}: it is not a file (an assignment is read back to check it).")
    folder = output.expanduser().parent
    if not folder.is_dir():
        raise UsageError(f"Cannot write {output}: there is no folder {folder}. Make it first, or give another "
                         "file name.")
    for value in lessons:
        lesson_option(value)  # a wrong date is said before anything else
    twice = duplicate_problem(lessons)
    if twice:
        raise UsageError(twice)
    if not tagged:
        return tuple(lessons)
    return (*lessons, *tagged_lessons(tagged, catalogue().lessons, lessons))


def duplicate_problem(values: Sequence[str]) -> str | None:
    """What is wrong when --lesson values name one lesson twice (the same id, the same file, or a
    file that holds a lesson named already), or None."""
    seen: dict[str, str] = {}  # lesson id or file -> the value that named it first
    for value, (lesson_id, path) in zip(values, _identities(values)):
        where = value.rpartition(":")[0]
        if path is not None and str(path) in seen:
            return (f"--lesson {value}: the file {where} is given twice (also as --lesson {seen[str(path)]}); give "
                    "each lesson once, with one due date.")
        if lesson_id is not None and lesson_id in seen:
            first = seen[lesson_id]
            held = f", which holds the lesson {lesson_id}," if path is not None else ""
            return (f"--lesson {value}: {where}{held} is given already (--lesson {first}); give each lesson once, "
                    "with one due date.")
        if path is not None:
            seen[str(path)] = value
        if lesson_id is not None:
            seen[lesson_id] = value
    return None


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
        date_option(f"--lessons-tagged {tag}:", due)  # said as given, not as the --lesson values it stands for
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
    """ID:YYYY-MM-DD or FILE.yaml:YYYY-MM-DD (a lesson file to bundle, its id not read yet: "");
    the date may be written 14/12/2026 when only one reading of it is a real date."""
    where, _, due_text = value.rpartition(":")
    if not where or not due_text:
        raise UsageError(f"--lesson {value}: give the lesson and its due date as ID:YYYY-MM-DD, e.g. "
                         "cbt:2026-12-01 (or a lesson file: my-lesson.yaml:2026-12-01).")
    due, wrong = read_date(due_text)
    if due is None:
        if wrong and wrong.endswith("(year-month-day)"):
            raise UsageError(f"--lesson {value}: {wrong}.")
        raise UsageError(f"--lesson {value}: {due_text} is not a real date (year-month-day, e.g. 2026-12-01).")
    if where.endswith((".yaml", ".yml")):
        return "", due, where
    return where, due, None


def date_option(option: str, text: str) -> date:
    """A date given as an option (`--exam-due `, or `--lessons-tagged TAG:`), written as a due date may be."""
    due, wrong = read_date(text)
    if due is None:
        if wrong and wrong.endswith("(year-month-day)"):
            raise UsageError(f"{option}{text}: {wrong}.")
        raise UsageError(f"{option}{text}: {text} is not a real date (year-month-day, e.g. 2026-12-01).")
    return due


# -- practice and check-ins ---------------------------------------------------------------------------

PRACTICE_FORM = "WORKSHEET:TIMES[:week|day][:UNTIL], e.g. thought-record:2:week:2026-12-14 (or breathe:1:day)"
CHECKIN_FORM = "MEASURE[:DAY][:UNTIL], e.g. phq8:monday"
MEASURES = ("phq8", "gad7")
_HOW_OFTEN = re.compile(r"([0-9]{1,2})\s*(?:x|times?)?\s*(?:(?:a|per|each|every|/)?\s*(week|day))?", re.I)


def _split_practice(value: str) -> tuple[str, list[str]]:
    """A --practice value's worksheet (an id, or a file whose path may hold ':') and the parts after it."""
    lowered = value.lower()
    for suffix in (".yaml:", ".yml:"):
        at = lowered.find(suffix)
        if at >= 0:
            return value[:at + len(suffix) - 1], value[at + len(suffix):].split(":")
    what, colon, rest = value.partition(":")
    return what, rest.split(":") if colon else []


def practice_option(value: str) -> am.PracticeGoal:
    """WORKSHEET:TIMES[:week|day][:UNTIL] as a goal: a built-in worksheet's id, `breathe`, or
    FILE.yaml for a worksheet file to bundle (its id not read yet: ""); the date may be written
    14/12/2026 when only one reading of it is a real date."""
    from neurotutor.lessons.model import SLUG_PATTERN

    what, rest = _split_practice(value)
    if not what or not rest or not rest[0] or len(rest) > 3:
        raise UsageError(f"--practice {value}: give the worksheet and how many times as {PRACTICE_FORM}.")
    per, until_text = "week", None
    if len(rest) == 3:
        per, until_text = rest[1], rest[2]
    elif len(rest) == 2:
        if any(ch.isdigit() for ch in rest[1]):
            until_text = rest[1]
        else:
            per = rest[1]
    is_file = what.lower().endswith((".yaml", ".yml"))
    if not is_file and not re.match(SLUG_PATTERN, what):
        raise UsageError(f"--practice {value}: {what} is not a worksheet id (lowercase letters, digits and dashes, "
                         "e.g. thought-record) nor a worksheet file (FILE.yaml).")
    if not _whole(rest[0], 1, 50):
        raise UsageError(f"--practice {value}: {rest[0]} is not a number of times: give a whole number from 1 to 50, "
                         "e.g. thought-record:2:week.")
    if per not in ("week", "day"):
        raise UsageError(f"--practice {value}: {per} is not week or day: say how often as TIMES:week or TIMES:day, "
                         "e.g. thought-record:2:week or breathe:1:day.")
    until = date_option(f"--practice {value[:len(value) - len(until_text)]}", until_text) if until_text else None
    return am.PracticeGoal(worksheet="" if is_file else what, times=int(rest[0]), per="day" if per == "day" else "week",
                           until=until, file=what if is_file else None)


def _weekday(text: str) -> am.Weekday | None:
    """A day of the week as typed (monday, Monday, mon), or None."""
    text = text.strip().lower()
    return next((day for day in am.WEEKDAYS if text == day or (len(text) >= 3 and day.startswith(text))), None)


def checkin_option(value: str) -> am.CheckinGoal:
    """MEASURE[:DAY][:UNTIL] as a check-in goal: phq8 or gad7, a day of the week (none: any day),
    the last day it is set for."""
    parts = value.split(":")
    if not parts[0] or len(parts) > 3:
        raise UsageError(f"--checkin {value}: give the measure as {CHECKIN_FORM}.")
    measure = parts[0].lower().replace("-", "")
    if measure not in MEASURES:
        raise UsageError(f"--checkin {value}: {parts[0]} is not a check-in: give phq8 or gad7, e.g. phq8:monday.")
    day_text: str | None = None
    until_text: str | None = None
    if len(parts) == 3:
        day_text, until_text = parts[1], parts[2]
    elif len(parts) == 2 and any(ch.isdigit() for ch in parts[1]):
        until_text = parts[1]
    elif len(parts) == 2:
        day_text = parts[1]
    day = None
    if day_text:
        day = _weekday(day_text)
        if day is None:
            raise UsageError(f"--checkin {value}: {day_text} is not a day of the week: give monday to sunday, "
                             "e.g. phq8:monday.")
    until = date_option(f"--checkin {value[:len(value) - len(until_text)]}", until_text) if until_text else None
    return am.CheckinGoal(measure="gad7" if measure == "gad7" else "phq8", day=day, until=until)


def worksheet_in(path: Path) -> LoadedWorksheet | None:
    from neurotutor.worksheets.loader import load_worksheet_file

    loaded, _ = load_worksheet_file(path)
    return loaded


def practice_identities(values: Sequence[str]) -> list[tuple[str | None, Path | None]]:
    """Each --practice value's worksheet id (None for a file that is not a valid worksheet, or a
    value that is not one) and, for a file, where it is."""
    found: list[tuple[str | None, Path | None]] = []
    for value in values:
        what, _ = _split_practice(value)
        if what.lower().endswith((".yaml", ".yml")):
            path = Path(what)
            loaded = worksheet_in(path) if path.is_file() else None
            found.append((loaded.worksheet.id if loaded else None, path.resolve()))
        else:
            found.append((what or None, None))
    return found


def goal_duplicate_problem(practice: Sequence[str], checkins: Sequence[str]) -> str | None:
    """What is wrong when --practice values set one worksheet twice (the same id, the same file,
    or a file that holds a worksheet set already), or --checkin values one measure twice; or None."""
    seen: dict[str, str] = {}  # worksheet id or file -> the value that named it first
    for value, (sheet_id, path) in zip(practice, practice_identities(practice)):
        where, _ = _split_practice(value)
        if path is not None and str(path) in seen:
            return (f"--practice {value}: the file {where} is given twice (also as --practice {seen[str(path)]}); "
                    "give each worksheet once, with how often.")
        if sheet_id is not None and sheet_id in seen:
            held = f", which holds the worksheet {sheet_id}," if path is not None else ""
            return (f"--practice {value}: {where}{held} is given already (--practice {seen[sheet_id]}); give each "
                    "worksheet once, with how often.")
        if path is not None:
            seen[str(path)] = value
        if sheet_id is not None:
            seen[sheet_id] = value
    from neurotutor.assignments.status import MEASURE_NAMES

    measured: dict[str, str] = {}
    for value in checkins:
        measure = checkin_option(value).measure
        if measure in measured:
            return (f"--checkin {value}: {MEASURE_NAMES[measure]} is given already (--checkin {measured[measure]}); "
                    "give each measure once.")
        measured[measure] = value
    return None


def known_worksheets() -> dict[str, str]:
    """The built-in worksheets an assignment can name: id -> title."""
    from neurotutor import paths
    from neurotutor.worksheets.catalogue import load_worksheets

    return {w.worksheet.id: w.worksheet.title for w in load_worksheets(paths.builtin_worksheets_dir()).worksheets}


def _no_such_worksheet(value: str, worksheet_id: str, known: Mapping[str, str], practice_command: str) -> str:
    import difflib

    near = difflib.get_close_matches(worksheet_id, sorted({*known, am.BREATHE}), n=1, cutoff=0.6)
    hint = f" Did you mean {near[0]}?" if near else ""
    return (f"--practice {value}: there is no worksheet {worksheet_id!r}.{hint} Run '{practice_command}' to see them, "
            "use breathe for the breathing space, or bundle a worksheet file as FILE.yaml:TIMES.")


def check_goal_options(practice: Sequence[str], checkins: Sequence[str], worksheets: Callable[[], Mapping[str, str]],
                       practice_command: str = "neurotutor practice") -> None:
    """Before anything is asked: every --practice and --checkin value readable, each worksheet and
    measure once, each worksheet named by id a built-in one (`worksheets`: id -> title, read only
    when it is needed) or `breathe`, and no worksheet file holding a built-in one's id."""
    goals = [practice_option(value) for value in practice]
    for value in checkins:
        checkin_option(value)
    twice = goal_duplicate_problem(practice, checkins)
    if twice:
        raise UsageError(twice)
    named = [(value, goal.worksheet) for value, goal in zip(practice, goals)
             if not goal.file and goal.worksheet != am.BREATHE]
    held = [(value, sheet_id) for value, goal, (sheet_id, _) in zip(practice, goals, practice_identities(practice))
            if goal.file and sheet_id]
    if named or held:
        known = worksheets()
        for value, worksheet_id in named:
            if worksheet_id not in known:
                raise UsageError(_no_such_worksheet(value, worksheet_id, known, practice_command))
        for value, worksheet_id in held:
            if worksheet_id in known:
                raise UsageError(f"--practice {value}: the file holds the worksheet {worksheet_id!r}, which is the id "
                                 "of a built-in worksheet; give your worksheet an id of its own.")


def how_often_problem(text: str) -> str | None:
    """Why "how many times" as typed (2, 2 a week, 1 a day) is not one, or None."""
    found = _HOW_OFTEN.fullmatch(text.strip())
    if found and 1 <= int(found[1]) <= 50:
        return None
    return "Type a number of times from 1 to 50: 2 (a week), or 1 a day."


def how_often_of(text: str) -> tuple[int, str]:
    """The times and the period ("week" or "day") of an answer `how_often_problem` has passed."""
    found = _HOW_OFTEN.fullmatch(text.strip())
    assert found is not None, text
    return int(found[1]), (found[2] or "week").lower()


def practice_value(where: str, times: int, per: str, until: date | None) -> str:
    """The --practice value of a goal asked for at the terminal."""
    return f"{where}:{times}:{per}" + (f":{until.isoformat()}" if until else "")


def worksheet_file_problem(text: str, output: Path, validate_command: Callable[[str], str],
                           picked: Sequence[str] = (), builtin: Iterable[str] = ()) -> str | None:
    """Why a worksheet file cannot be bundled with the assignment at output, or None;
    `validate_command(name)` is the command that shows what is wrong in a file. Refused too: a
    file picked already, a worksheet set already (`picked`: --practice values), a built-in
    worksheet's id (`builtin`)."""
    def read_id(path: Path) -> str | None:
        loaded = worksheet_in(path)
        return loaded.worksheet.id if loaded else None

    sheet_id, problem = _file_to_bundle(text, output, "worksheet", read_id, validate_command,
                                        practice_identities(picked))
    if sheet_id is None:
        return problem
    if sheet_id in set(builtin):
        return (f"It holds the worksheet {sheet_id!r}, which is the id of a built-in worksheet; give your worksheet an "
                "id of its own.")
    return None


def exam_options(score: int | None, lessons: str | None, due: str | None) -> tuple[tuple[str, ...], date | None]:
    """--exam-lessons ID,ID and --exam-due DATE, which go with --exam-score."""
    if score is None and (lessons or due):
        given = "--exam-lessons" if lessons else "--exam-due"
        raise UsageError(f"{given} is part of an exam goal: give the score to reach too, with --exam-score, e.g. "
                         "--exam-score 70.")
    ids = tuple(dict.fromkeys(w for w in re.split(r"[\s,]+", lessons or "") if w))
    return ids, (date_option("--exam-due ", due) if due else None)


def therapist_key(given: str | None, key_file: Path) -> str | None:
    """The public key reports are sealed to: the one given (--key, checked), else the therapist's
    own when they have a key file (read as `neurotutor therapist init` wrote it), else None."""
    from neurotutor import seal
    from neurotutor.text import excerpt

    if given is not None:
        wrong = seal.recipient_problem(given.strip())
        if wrong:
            raise UsageError(f"--key {excerpt(given)}: {wrong}.")
        return given.strip()
    if not (key_file.exists() or key_file.is_symlink()):
        return None
    _, public = seal.read_key_file(key_file)
    return public


def _bundle(lessons: list[LessonDue], output: Path) -> dict[str, LoadedLesson]:
    """Name each lesson file by the id it holds, relative to the assignment (in place); the files
    that travel with it: relative file -> the lesson in it."""
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
        bundled[relative] = loaded
    return bundled


def _bundle_worksheets(goals: list[am.PracticeGoal], output: Path) -> dict[str, LoadedWorksheet]:
    """Name each worksheet file by the id it holds, relative to the assignment (in place); the
    files that travel with it: relative file -> the worksheet in it."""
    from msgspec import structs

    from neurotutor.worksheets.loader import load_worksheet_file

    bundled = {}
    for index, goal in enumerate(goals):
        if not goal.file:
            continue
        path = Path(goal.file)
        loaded, problems = load_worksheet_file(path)
        if loaded is None:
            raise InvalidFileError(problems, f"{goal.file} is not a valid worksheet file; fix it first.")
        try:
            relative = str(path.resolve().relative_to(output.resolve().parent))
        except ValueError:
            raise UsageError(f"{goal.file} must be in the same folder as {output} (or below it), so they travel "
                             "together.") from None
        goals[index] = structs.replace(goal, worksheet=loaded.worksheet.id, file=relative)
        bundled[relative] = loaded
    return bundled


def missing_prerequisites(values: Sequence[str], entries: Sequence[CatalogueEntry]) -> tuple[Prerequisite, ...]:
    """The lessons that assigned lessons (--lesson values) build on and that are not assigned, each
    once, with the assigned lesson due first that needs it; in the order they are first needed."""
    info = {e.info.id: (e.info.title, e.info.prerequisites) for e in entries}
    assigned: list[tuple[str, date]] = []
    for value, (lesson_id, path) in zip(values, _identities(values)):
        try:
            _, due, _ = lesson_option(value)
        except UsageError:
            continue
        if lesson_id is None:
            continue
        if path is not None:  # a lesson file: its own title and prerequisites
            loaded = _lesson_in(path)
            if loaded is not None:
                info[lesson_id] = (loaded.lesson.title, loaded.lesson.prerequisites)
        assigned.append((lesson_id, due))
    ids = {lesson_id for lesson_id, _ in assigned}
    found: dict[str, Prerequisite] = {}
    for lesson_id, due in sorted(assigned, key=lambda x: x[1]):
        title, needs = info.get(lesson_id, (lesson_id, ()))
        for need in needs:
            if need not in ids and need != lesson_id and need not in found:
                found[need] = Prerequisite(need, info.get(need, (need, ()))[0], lesson_id, title, due)
    return tuple(found.values())


def prepare_assignment(draft: Draft, output: Path, catalogue: Callable[[], Catalogue],
                       lessons_command: str = "neurotutor lessons", practice_command: str = "neurotutor practice",
                       ) -> Prepared:
    """Build the assignment file of `draft` and check it as the loader will, writing nothing: the
    loader's problems are in `Prepared.problems` (then the catalogue is not read). Refused (a
    UsageError, or an InvalidFileError with a lesson file's problems): a lesson named twice, a
    lesson file that is not valid or lies outside the assignment's folder, an exam on a lesson
    that is not assigned, a bundled lesson with a built-in lesson's id, a lesson the catalogue
    does not have (`lessons_command` lists them); a worksheet set twice, a worksheet file that is
    not valid or lies outside the assignment's folder or takes a built-in worksheet's id, a
    worksheet that is not built in (`practice_command` lists them)."""
    from neurotutor.assignments.loader import parse_assignment
    from neurotutor.lessons.catalogue import builtin_lessons

    lessons = [lesson_option(value) for value in draft.lessons]
    twice = duplicate_problem(draft.lessons)
    if twice:
        raise UsageError(twice)
    practice = [practice_option(value) for value in draft.practice]
    checkins = [checkin_option(value) for value in draft.checkins]
    twice = goal_duplicate_problem(draft.practice, draft.checkins)
    if twice:
        raise UsageError(twice)
    bundled = _bundle(lessons, output)
    sheets = _bundle_worksheets(practice, output)
    assigned = [lid for lid, _, _ in lessons]
    stray = [lid for lid in draft.exam_lessons if lid not in assigned]
    if stray:
        raise UsageError(f"The exam goal names {stray[0]}, which is not one of the assignment's lessons "
                         f"({', '.join(assigned)}).")
    text = render(assignment_id=draft.id, title=draft.title, therapist=draft.therapist, contact=draft.contact,
                  client=draft.client, lessons=lessons, review_minutes=draft.review_minutes,
                  exam_score=draft.exam_score, note=draft.note, exam_lessons=draft.exam_lessons,
                  exam_due=draft.exam_due, key=draft.key, practice=practice, checkins=checkins)
    _, problems = parse_assignment(text, str(output), output)
    files = (*bundled, *sheets)
    if problems:  # said first: the catalogue is not read for a draft that cannot be written anyway
        return Prepared(text, tuple(lessons), files, tuple(problems), tuple(practice), tuple(checkins))
    known = catalogue()
    builtin = builtin_lessons(known)
    taken = [(relative, loaded.lesson.id) for relative, loaded in bundled.items() if loaded.lesson.id in builtin]
    if taken:
        raise UsageError(f"The lesson in {taken[0][0]} has the id {taken[0][1]!r}, which is the id of a built-in lesson "
                         f"({builtin[taken[0][1]].name}); give your lesson an id of its own.")
    ids = {entry.info.id for entry in known.lessons}
    unknown = [lid for lid, _, file in lessons if not file and lid not in ids]
    if unknown:
        import difflib

        near = difflib.get_close_matches(unknown[0], sorted(ids), n=1, cutoff=0.6)
        hint = f" Did you mean {near[0]}?" if near else ""
        raise UsageError(f"There is no lesson {unknown[0]!r}.{hint} Run '{lessons_command}' to see them, or bundle a "
                         "lesson file as FILE.yaml:DATE.")
    if practice:
        _check_worksheets(draft.practice, practice, sheets, practice_command)
    return Prepared(text, tuple(lessons), files, tuple(problems), tuple(practice), tuple(checkins))


def _check_worksheets(values: Sequence[str], practice: Sequence[am.PracticeGoal], sheets: Mapping[str, LoadedWorksheet],
                      practice_command: str) -> None:
    """Each worksheet named by id is a built-in one (or the breathing space); no bundled worksheet
    takes a built-in one's id."""
    known = known_worksheets()
    for value, goal in zip(values, practice):
        if not goal.file and goal.worksheet != am.BREATHE and goal.worksheet not in known:
            raise UsageError(_no_such_worksheet(value, goal.worksheet, known, practice_command))
    taken = [(relative, loaded.worksheet.id) for relative, loaded in sheets.items() if loaded.worksheet.id in known]
    if taken:
        raise UsageError(f"The worksheet in {taken[0][0]} has the id {taken[0][1]!r}, which is the id of a built-in "
                         "worksheet; give your worksheet an id of its own.")


def draft_problems(draft: Draft, output: Path, catalogue: Callable[[], Catalogue],
                   lessons_command: str = "neurotutor lessons", practice_command: str = "neurotutor practice",
                   ) -> list[str]:
    """What keeps a draft from being written, in words, without the positions of a file that
    does not exist yet (empty: it can be written)."""
    try:
        prepared = prepare_assignment(draft, output, catalogue, lessons_command, practice_command)
    except NeurotutorError as exc:  # a lesson file's problems keep its positions: that file exists
        return exc.message.splitlines()
    return [p.message for p in prepared.problems]


def write_assignment(draft: Draft, output: Path, catalogue: Callable[[], Catalogue], today: date,
                     lessons_command: str, write: Callable[[bytes], object],
                     practice_command: str = "neurotutor practice") -> Written:
    """Build the assignment file of `draft`, check it (`prepare_assignment`), write it with
    `write(bytes)` and read it back as the client's tutor will (removed again if that finds a
    problem). Refused with nothing written, saying so."""
    from neurotutor.assignments.loader import validate_assignment
    from neurotutor.lessons.catalogue import builtin_lessons

    try:
        prepared = prepare_assignment(draft, output, catalogue, lessons_command, practice_command)
    except UsageError as exc:
        raise UsageError(f"{exc.message} {NOT_WRITTEN}") from None
    if prepared.problems:
        raise InvalidFileError(list(prepared.problems), NOT_WRITTEN)
    known = catalogue()
    write(prepared.text.encode("utf-8"))
    _, found, _ = validate_assignment(output, known.lessons, builtin_lessons(known))  # as the client's tutor will read it
    if found:
        output.unlink()
        raise InvalidFileError(found, NOT_WRITTEN)
    ended: list[tuple[str, date]] = [(goal.worksheet, goal.until) for goal in prepared.practice
                                     if goal.until is not None and goal.until < today]
    ended += [(goal.measure, goal.until) for goal in prepared.checkins if goal.until is not None and goal.until < today]
    never = tuple(goal for goal in prepared.checkins if goal.day is not None and goal.until is not None
                  and today <= goal.until < today + timedelta(days=(am.WEEKDAYS.index(goal.day) - today.weekday()) % 7))
    return Written(output, prepared.text, prepared.lessons, prepared.bundled,
                   tuple((lid, due) for lid, due, _ in prepared.lessons if due < today), tuple(ended), never)


# -- the draft in words, before it is written ---------------------------------------------------------


def day_words(day: date) -> str:
    """A due date as the summary shows it: "Mon 14 Dec 2026"."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def goals_in_words(draft: Draft) -> str:
    """The draft's goals in words ("none" when it has none)."""
    said = []
    if draft.review_minutes:
        said.append(f"review {draft.review_minutes} minutes a day")
    if draft.exam_score is not None:
        ids = draft.exam_lessons
        on = (", ".join(ids[:-1]) + " and " + ids[-1] if len(ids) > 1 else ids[0]) if ids else "all the lessons"
        by = f" by {day_words(draft.exam_due)}" if draft.exam_due else ""
        said.append(f"an exam on {on}{by}, aiming for {draft.exam_score}% or more")
    return "; ".join(said) or "none"


def practice_in_words(draft: Draft, worksheets: Callable[[], Mapping[str, str]] = known_worksheets
                      ) -> list[str]:
    """Each practice goal of the draft in words, a worksheet file named with where it is:
    "Thought record 2 times a week until Mon 14 Dec 2026", "Sleep diary (from sleep.yaml) once a
    day". `worksheets` (id -> title) is read only when a worksheet is named by id."""
    from neurotutor.assignments.status import practice_words

    said = []
    titles: Mapping[str, str] | None = None
    for value, (sheet_id, path) in zip(draft.practice, practice_identities(draft.practice)):
        try:
            goal = practice_option(value)
        except UsageError:
            said.append(value)
            continue
        name = None
        if path is not None:
            loaded = worksheet_in(path)
            name = f"{loaded.worksheet.title if loaded else sheet_id or path.name} (from {goal.file})"
        elif goal.worksheet != am.BREATHE and titles is None:
            titles = worksheets()
        said.append(practice_words(goal, titles or {}, year=True, name=name))
    return said


def checkins_in_words(draft: Draft) -> str:
    """The draft's check-ins in words ("PHQ-8 and GAD-7 each Monday"), or "none"."""
    from neurotutor.assignments.status import checkin_words

    goals = []
    for value in draft.checkins:
        try:
            goals.append(checkin_option(value))
        except UsageError:
            continue
    return "; ".join(checkin_words(goals, year=True)) or "none"


def summary(draft: Draft, output: Path, worksheets: Callable[[], Mapping[str, str]] = known_worksheets
            ) -> list[tuple[str, str]]:
    """The draft as the therapist checks it before it is written: (what, as given) in order."""
    rows = [("File", str(output)), ("Id", draft.id), ("Title", draft.title),
            ("From", draft.therapist + (f" ({draft.contact})" if draft.contact else ", no contact given")),
            ("Client", draft.client)]
    for value, (lesson_id, path) in zip(draft.lessons, _identities(draft.lessons)):
        where, _, due_text = value.rpartition(":")
        due, _ = read_date(due_text)
        name = lesson_id or where
        if path is not None:
            name = f"{name} (from {where})"
        rows.append(("Lesson", f"{name}, due {day_words(due) if due else due_text}"))
    rows.append(("Goals", goals_in_words(draft)))
    rows += [("Practice", said) for said in practice_in_words(draft, worksheets)] or [("Practice", "none")]
    rows.append(("Check-ins", checkins_in_words(draft)))
    if draft.note:
        paragraphs = draft.note.split("\n\n")
        first = " ".join(paragraphs[0].split())
        shown = first if len(first) <= 60 else first[:59].rstrip() + "…"
        more = len(paragraphs) - 1
        rows.append(("Note", shown + (f" (and {more} more paragraph{'s' if more != 1 else ''})" if more else "")))
    else:
        rows.append(("Note", "none"))
    key = draft.key
    rows.append(("Key", f"{key[:12]}…{key[-6:]}: reports are sealed to it" if key
                 else "none, so reports will not be sealed (see 'neurotutor therapist init')"))
    return rows


@dataclass(frozen=True)
class Packed:
    """An assignment and the lesson and worksheet files it bundles, as one zip archive's bytes to
    write at `target`."""

    target: Path
    data: bytes = field(repr=False)
    name: str  # the assignment file's name inside it
    bundled: int  # lesson files in it
    worksheets: int = 0  # worksheet files in it


def pack_assignment(file: Path, output: Path | None, force: bool, catalogue: Callable[[], Catalogue]) -> Packed:
    """Check an assignment (and its lesson and worksheet files) and pack the very bytes checked
    into a zip archive, `output` or FILE with .zip (an existing one replaced only with `force`)."""
    from neurotutor.assignments.archive import pack
    from neurotutor.assignments.loader import check_assignment
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
    checked = check_assignment(file, known.lessons, builtin_lessons(known))
    if checked.problems or checked.loaded is None:
        raise InvalidFileError(checked.problems, "The assignment has the problems above, so it was not packed.")
    # the bytes that were checked, not a second read of the files
    data = pack(file.name, checked.loaded.text.encode("utf-8"), checked.files)
    return Packed(target, data, file.name, len(checked.lessons), len(checked.worksheets))
