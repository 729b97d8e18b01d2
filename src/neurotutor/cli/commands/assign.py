"""`neurotutor assign new`: the therapist's side, scaffolding an assignment file.

Everything can be given as options; in a terminal, whatever is missing is asked for. The file is
built as text (comments included, in the documented order), checked through the same loader as
every assignment, and only then written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

if TYPE_CHECKING:
    from neurotutor.cli.prompters import Prompter
    from neurotutor.lessons.loader import Catalogue

assign_app = typer.Typer(help="For therapists: write an assignment file for a client.", no_args_is_help=True,
                         rich_markup_mode=None)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def render(*, assignment_id: str, title: str, therapist: str, contact: str | None, client: str,
           lessons: list[tuple[str, date, str | None]], review_minutes: int | None, exam_score: int | None,
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


def _id_problem(text: str) -> str | None:
    import re

    from neurotutor.lessons.model import SLUG_PATTERN

    if re.match(SLUG_PATTERN, text) and len(text) <= 80:
        return None
    return "Use lowercase letters, digits and single dashes only, e.g. sk-autumn."


def _label_problem(text: str) -> str | None:
    return None if len(text) <= 40 else f"Keep it to 40 characters or fewer (this is {len(text)})."


def _whole(text: str, low: int, high: int) -> bool:
    return text.isascii() and text.isdigit() and low <= int(text) <= high


def _minutes_problem(text: str) -> str | None:
    return None if _whole(text, 1, 240) else "Type a whole number of minutes from 1 to 240, or nothing."


def _score_problem(text: str) -> str | None:
    return None if _whole(text.removesuffix("%").strip(), 0, 100) else "Type a whole number from 0 to 100, or nothing."


def _date_problem(text: str) -> str | None:
    try:
        due = date.fromisoformat(text)
    except ValueError:
        return f"{text} is not a real date: type year-month-day, e.g. {date.today().isoformat()}."
    return None if due >= date.today() else f"{text} has passed: give today ({date.today().isoformat()}) or later."


def _lesson_file_problem(text: str, output: Path) -> str | None:
    """Why a lesson file cannot be bundled with the assignment at output, or None."""
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
    from neurotutor.assignments.loader import file_name_problem

    wrong = file_name_problem(relative.as_posix())
    if wrong:
        return f"Its name cannot travel with an assignment: {wrong}."
    loaded, problems, _ = load_lesson_file(path)
    if loaded is None:
        from neurotutor.cli import hints

        return f"Not a valid lesson file; '{hints.bare('validate', path.name)}' shows why."
    return None


def _ask_lessons(prompter: Prompter, catalogue: Catalogue, output: Path) -> list[str]:
    """Lessons picked from the catalogue (or a lesson file to bundle), each with a due date, as
    --lesson values."""
    from datetime import timedelta

    entries = list(catalogue.lessons)
    picked: list[str] = []
    week = (date.today() + timedelta(days=7)).isoformat()
    while True:
        chosen = {value.rpartition(":")[0] for value in picked}
        # the entries that finish come first, so they are in sight on a small screen
        extra = (["No more lessons"] if picked else []) + ["A lesson file of my own (it travels with the assignment)"]
        options = extra + [f"{e.info.title} ({e.info.id})" for e in entries]
        disabled = {len(extra) + i: "already in" for i, e in enumerate(entries) if e.info.id in chosen}
        pick = prompter.choose("Which lesson?" if not picked else f"{len(picked)} chosen. Another lesson?",
                               options, disabled)
        if picked and pick == 0:
            return picked
        if pick == len(extra) - 1:
            where = prompter.text("The lesson file (in the same folder as the assignment, or below it)",
                                  lambda t: _lesson_file_problem(t, output))
            name = Path(where).name
        else:
            entry = entries[pick - len(extra)]
            where, name = entry.info.id, entry.info.title
        due = prompter.text(f"Due date for {name} (year-month-day, e.g. {week})", _date_problem)
        picked.append(f"{where}:{due}")


def _tagged_lessons(values: list[str], catalogue: Catalogue, given: list[str]) -> list[str]:
    """--lessons-tagged TAG:DATE as --lesson values: every lesson with the tag, in catalogue order,
    each once (a lesson given already keeps its own date)."""
    from neurotutor.errors import UsageError

    taken = {value.rpartition(":")[0] for value in given}
    picked = []
    for value in values:
        tag, _, due = value.rpartition(":")
        if not tag or not due:
            raise UsageError(f"--lessons-tagged {value}: give a tag and a due date as TAG:YYYY-MM-DD, e.g. "
                             "level-basics:2026-12-01.")
        ids = [e.info.id for e in catalogue.lessons if tag in e.info.tags]
        if not ids:
            known = sorted({t for e in catalogue.lessons for t in e.info.tags if t.startswith(("topic-", "level-"))})
            raise UsageError(f"--lessons-tagged {value}: no lesson has the tag {tag!r}. Topic and level tags: "
                             f"{', '.join(known)}.")
        for lesson_id in ids:
            if lesson_id not in taken:
                taken.add(lesson_id)
                picked.append(f"{lesson_id}:{due}")
    return picked


def _lesson_option(value: str) -> tuple[str, date, str | None]:
    """ID:YYYY-MM-DD or FILE.yaml:YYYY-MM-DD (a lesson file to bundle)."""
    from neurotutor.errors import UsageError

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


@assign_app.command("new")
def new(
    ctx: typer.Context,
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="Where to write the assignment.", dir_okay=False,
                                readable=False),
    assignment_id: Optional[str] = typer.Option(None, "--id", metavar="ID", help="A short id, e.g. sk-autumn."),
    title: Optional[str] = typer.Option(None, "--title", help="The assignment's title."),
    therapist: Optional[str] = typer.Option(None, "--therapist", metavar="NAME", help="Your name as the client knows it."),
    contact: Optional[str] = typer.Option(None, "--contact", metavar="TEXT", help="How the client can reach you."),
    client: Optional[str] = typer.Option(None, "--client", metavar="LABEL", help="A pseudonym or initials."),
    lesson: Optional[List[str]] = typer.Option(None, "--lesson", metavar="ID:DATE",
                                               help="A lesson and its due date (repeatable); a lesson file to bundle as FILE.yaml:DATE."),
    lessons_tagged: Optional[List[str]] = typer.Option(None, "--lessons-tagged", metavar="TAG:DATE",
                                                       help="Every lesson with this tag, due by the date (repeatable), "
                                                            "e.g. level-basics:2026-12-01."),
    review_minutes: Optional[int] = typer.Option(None, "--review-minutes", min=1, max=240, help="Review goal, minutes a day."),
    exam_score: Optional[int] = typer.Option(None, "--exam-score", min=0, max=100, help="Exam goal: the score to reach, in per cent."),
    note: Optional[str] = typer.Option(None, "--note", help="A note to the client."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
) -> None:
    """Write an assignment file: lessons with due dates, optional goals, and a note.

    Whatever is not given as an option is asked for in a terminal. The file is checked before it
    is written; give it (with any lesson files it bundles) to your client, who adds it with
    'neurotutor assignment add FILE'.

    Example: neurotutor assign new -o sk.yaml --id sk-autumn --title "How therapy works" --therapist "Dr A" --client S.K. --lesson neuroplasticity-types:2026-12-01
    """
    from neurotutor.assignments.loader import parse_assignment, validate_assignment
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import InvalidFileError, UsageError

    session = session_of(ctx)
    settings = session.settings
    out = session.out
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; give --force to replace it, or another file name.")
    if output.exists() and not output.is_file():  # it is read back to be checked, and removed if wrong
        raise UsageError(f"Cannot write {output}: it is not a file (an assignment is read back to check it).")
    asked = {"id": assignment_id, "title": title, "therapist": therapist, "client": client}
    catalogue = None
    if lessons_tagged:
        catalogue = session.catalogue
        lesson = list(lesson or []) + _tagged_lessons(lessons_tagged, catalogue, lesson or [])
    missing = [k for k, v in asked.items() if not v] + ([] if lesson else ["lesson"])
    if missing and not settings.interactive:
        raise UsageError("Missing: " + ", ".join(f"--{k}" for k in missing) + ". In a terminal, they are asked for.")
    if missing:  # a therapist at a terminal: ask for what is missing, each answer checked as it is typed
        try:
            from neurotutor.cli.prompters import make_prompter

            prompter = make_prompter(True, out)
            out.line("A new assignment. Each answer is checked as you type it; Ctrl-C stops without writing anything.")
            questions = {"id": ("A short id for the assignment (lowercase letters, digits and dashes, e.g. sk-autumn)",
                                _id_problem),
                         "title": ("Its title, as the client will see it", None),
                         "therapist": ("Your name, as the client knows you", None),
                         "client": ("The client: a pseudonym or initials (a real name is never needed)", _label_problem)}
            for key in missing:
                if key in questions:
                    message, check = questions[key]
                    asked[key] = prompter.text(message, check)
            if "therapist" in missing and contact is None:
                contact = prompter.text("How the client can reach you (e.g. an e-mail, or \"at our next session\")",
                                        optional=True) or None
            if not lesson:
                catalogue = session.catalogue
                lesson = _ask_lessons(prompter, catalogue, output)
                if review_minutes is None:
                    minutes = prompter.text("A review goal, in minutes a day (1-240)", _minutes_problem, optional=True)
                    review_minutes = int(minutes) if minutes else None
                if exam_score is None:
                    score = prompter.text("An exam goal: the score to reach, in per cent (0-100)", _score_problem,
                                          optional=True)
                    exam_score = int(score.removesuffix("%").strip()) if score else None
                if note is None:
                    note = prompter.text("A note to the client", optional=True) or None
        except (KeyboardInterrupt, EOFError):
            from neurotutor.errors import Interrupted

            raise Interrupted("\nStopped. The assignment was not written.") from None
    lessons = [_lesson_option(value) for value in lesson or []]
    bundled = {}
    for index, (lesson_id, due, file) in enumerate(lessons):
        if file:  # a lesson file: name it by the id it holds, relative to the assignment
            from neurotutor.lessons.loader import load_lesson_file

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
    text = render(assignment_id=str(asked["id"]), title=str(asked["title"]), therapist=str(asked["therapist"]),
                  contact=contact, client=str(asked["client"]), lessons=lessons, review_minutes=review_minutes,
                  exam_score=exam_score, note=note)
    loaded, problems = parse_assignment(text, str(output), output)
    if loaded is None:
        raise InvalidFileError(problems, "The assignment was not written.")
    catalogue = catalogue or session.catalogue
    known = {entry.info.id for entry in catalogue.lessons}
    builtin = session.builtin_lessons()
    taken = [(relative, lid) for relative, lid in bundled.items() if lid in builtin]
    if taken:
        raise UsageError(f"The lesson in {taken[0][0]} has the id {taken[0][1]!r}, which is the id of a built-in lesson "
                         f"({builtin[taken[0][1]].name}); give your lesson an id of its own. The assignment was not written.")
    unknown = [lid for lid, _, file in lessons if not file and lid not in known]
    if unknown:
        raise UsageError(f"There is no lesson {unknown[0]!r}. Run '{session.command('lessons')}' to see "
                         "them, or bundle a lesson file as FILE.yaml:DATE. The assignment was not written.")
    write_file(output, text.encode("utf-8"), shared=True)  # meant to be handed over
    _, found, _ = validate_assignment(output, catalogue.lessons, builtin)  # as the client's tutor will read it
    if found:
        output.unlink()
        raise InvalidFileError(found, "The assignment was not written.")
    out.line(f"Wrote {output}.")
    for lesson_id, due, _ in lessons:
        if due < date.today():
            out.warn(f"Note: {lesson_id} is due {due.isoformat()}, which has passed: the client will see it as overdue.")
    extra = f" with {', '.join(bundled)}" if bundled else ""
    out.line(f"Give it{extra} to your client, who adds it with: neurotutor assignment add {output.name}")
    if bundled:
        out.line(f"Or send one file: neurotutor assign pack {output.name}")


@assign_app.command("pack")
def pack(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The assignment file (.yaml).", dir_okay=False),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE.zip",
                                          help="The archive to write (default: FILE with .zip).", dir_okay=False,
                                          readable=False),
    force: bool = typer.Option(False, "--force", help="Replace the archive if it exists."),
) -> None:
    """Pack an assignment and the lesson files it bundles into one .zip file to send.

    The assignment is checked first. The client adds the archive as it is:
    'neurotutor assignment add FILE.zip'.

    Example: neurotutor assign pack sk.yaml
    """
    from neurotutor.assignments.archive import pack as pack_files
    from neurotutor.assignments.loader import validate_assignment
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import InvalidFileError, UsageError

    session = session_of(ctx)
    out = session.out
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
    catalogue = session.catalogue
    loaded, problems, bundled = validate_assignment(file, catalogue.lessons, session.builtin_lessons())
    if problems or loaded is None:
        raise InvalidFileError(problems, "The assignment has the problems above, so it was not packed.")
    # the bytes that were checked, not a second read of the files
    data = pack_files(file.name, loaded.text.encode("utf-8"), [(item.relative, item.data) for item in bundled])
    write_file(target, data, shared=True)
    extra = f" and {len(bundled)} lesson file{'s' if len(bundled) != 1 else ''}" if bundled else ""
    out.line(f"Wrote {target}: {file.name}{extra}. Your client adds it with: neurotutor assignment add {target.name}")
