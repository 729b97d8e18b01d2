"""`neurotutor assign new` and `assign pack`: the therapist's side, writing an assignment file and
packing it with its lesson files.

Everything can be given as options; in a terminal, whatever is missing is asked for, each answer
checked as it is typed. Building, checking and packing the file is `neurotutor.assignments.authoring`'s.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from neurotutor.assignments.authoring import Draft
    from neurotutor.cli.prompters import Prompter
    from neurotutor.cli.session import Session
    from neurotutor.lessons.catalogue import Catalogue

assign_app = typer.Typer(help="For therapists: write an assignment file for a client.", no_args_is_help=True,
                         rich_markup_mode=None)


def _ask(session: Session, draft: Draft, output: Path, today: date) -> Draft:
    """Ask for what is missing from the draft, each answer checked as it is typed."""
    from dataclasses import replace

    from neurotutor.assignments import authoring as au

    prompter, missing = session.prompter, draft.missing
    session.out.line("A new assignment. Each answer is checked as you type it; Ctrl-C stops without writing anything.")
    questions = {"id": ("A short id for the assignment (lowercase letters, digits and dashes, e.g. sk-autumn)",
                        au.id_problem),
                 "title": ("Its title, as the client will see it", None),
                 "therapist": ("Your name, as the client knows you", None),
                 "client": ("The client: a pseudonym or initials (a real name is never needed)", au.label_problem)}
    answers: dict[str, Any] = {key: prompter.text(*questions[key]) for key in missing if key in questions}  # text fields
    draft = replace(draft, **answers)
    if "therapist" in missing and draft.contact is None:
        draft = replace(draft, contact=prompter.text("How the client can reach you (e.g. an e-mail, or \"at our next "
                                                     "session\")", optional=True) or None)
    if draft.lessons:
        return draft
    draft = replace(draft, lessons=_ask_lessons(prompter, session.catalogue, output, today))
    if draft.review_minutes is None:
        minutes = prompter.text("A review goal, in minutes a day (1-240)", au.minutes_problem, optional=True)
        draft = replace(draft, review_minutes=int(minutes) if minutes else None)
    if draft.exam_score is None:
        score = prompter.text("An exam goal: the score to reach, in per cent (0-100)", au.score_problem, optional=True)
        draft = replace(draft, exam_score=au.score_of(score) if score else None)
    if draft.note is None:
        draft = replace(draft, note=prompter.text("A note to the client", optional=True) or None)
    return draft


def _ask_lessons(prompter: Prompter, catalogue: Catalogue, output: Path, today: date) -> tuple[str, ...]:
    """Lessons picked from the catalogue (or a lesson file to bundle), each with a due date, as
    --lesson values."""
    from neurotutor import dates
    from neurotutor.assignments.authoring import date_problem, lesson_file_problem
    from neurotutor.cli import hints

    entries = list(catalogue.lessons)
    picked: list[str] = []
    week = dates.add_days(today, 7).isoformat()
    while True:
        chosen = {value.rpartition(":")[0] for value in picked}
        # the entries that finish come first, so they are in sight on a small screen
        extra = (["No more lessons"] if picked else []) + ["A lesson file of my own (it travels with the assignment)"]
        options = extra + [f"{e.info.title} ({e.info.id})" for e in entries]
        disabled = {len(extra) + i: "already in" for i, e in enumerate(entries) if e.info.id in chosen}
        pick = prompter.choose("Which lesson?" if not picked else f"{len(picked)} chosen. Another lesson?",
                               options, disabled)
        if picked and pick == 0:
            return tuple(picked)
        if pick == len(extra) - 1:
            where = prompter.text("The lesson file (in the same folder as the assignment, or below it)",
                                  lambda t: lesson_file_problem(t, output, lambda file: hints.bare("validate", file)))
            name = Path(where).name
        else:
            entry = entries[pick - len(extra)]
            where, name = entry.info.id, entry.info.title
        due = prompter.text(f"Due date for {name} (year-month-day, e.g. {week})", lambda t: date_problem(t, today))
        picked.append(f"{where}:{due}")


@assign_app.command("new")
def new(
    ctx: typer.Context,
    output: Path = typer.Option(..., "-o", "--output", metavar="FILE", help="Where to write the assignment.", dir_okay=False,
                                readable=False),
    assignment_id: str | None = typer.Option(None, "--id", metavar="ID", help="A short id, e.g. sk-autumn."),
    title: str | None = typer.Option(None, "--title", help="The assignment's title."),
    therapist: str | None = typer.Option(None, "--therapist", metavar="NAME", help="Your name as the client knows it."),
    contact: str | None = typer.Option(None, "--contact", metavar="TEXT", help="How the client can reach you."),
    client: str | None = typer.Option(None, "--client", metavar="LABEL", help="A pseudonym or initials."),
    lesson: list[str] | None = typer.Option(None, "--lesson", metavar="ID:DATE",
                                               help="A lesson and its due date (repeatable); a lesson file to bundle as FILE.yaml:DATE."),
    lessons_tagged: list[str] | None = typer.Option(None, "--lessons-tagged", metavar="TAG:DATE",
                                                       help="Every lesson with this tag, due by the date (repeatable), "
                                                            "e.g. level-basics:2026-12-01."),
    review_minutes: int | None = typer.Option(None, "--review-minutes", min=1, max=240, help="Review goal, minutes a day."),
    exam_score: int | None = typer.Option(None, "--exam-score", min=0, max=100, help="Exam goal: the score to reach, in per cent."),
    note: str | None = typer.Option(None, "--note", help="A note to the client."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
) -> None:
    """Write an assignment file: lessons with due dates, optional goals, and a note.

    Whatever is not given as an option is asked for in a terminal. The file is checked before it
    is written; give it (with any lesson files it bundles) to your client, who adds it with
    'neurotutor assignment add FILE'.

    Example: neurotutor assign new -o sk.yaml --id sk-autumn --title "How therapy works" --therapist "Dr A" --client S.K. --lesson neuroplasticity-types:2026-12-01
    """
    from neurotutor import dates
    from neurotutor.assignments import authoring
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError

    session = session_of(ctx)
    today = dates.local(session.now).date()
    lessons = authoring.check_options(output, force, lesson or [], lessons_tagged or [], lambda: session.catalogue)
    draft = authoring.Draft(assignment_id or "", title or "", therapist or "", client or "", lessons, contact,
                            review_minutes, exam_score, note)
    if draft.missing and not session.settings.interactive:
        raise UsageError("Missing: " + ", ".join(f"--{k}" for k in draft.missing) + ". In a terminal, they are asked for.")
    if draft.missing:  # a therapist at a terminal: ask for what is missing, each answer checked as it is typed
        with session.stoppable(lambda first: f"{first}. {authoring.NOT_WRITTEN}"):
            draft = _ask(session, draft, output, today)
    written = authoring.write_assignment(draft, output, lambda: session.catalogue, today, session.command("lessons"),
                                         lambda data: write_file(output, data, shared=True))  # meant to be handed over
    out = session.out
    out.line(f"Wrote {output}.")
    for lesson_id, due in written.overdue:
        out.warn(f"Note: {lesson_id} is due {due.isoformat()}, which has passed: the client will see it as overdue.")
    extra = f" with {', '.join(written.bundled)}" if written.bundled else ""
    out.line(f"Give it{extra} to your client, who adds it with: neurotutor assignment add {output.name}")
    if written.bundled:
        out.line(f"Or send one file: neurotutor assign pack {output.name}")


@assign_app.command("pack")
def pack(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The assignment file (.yaml).", dir_okay=False),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE.zip",
                                          help="The archive to write (default: FILE with .zip).", dir_okay=False,
                                          readable=False),
    force: bool = typer.Option(False, "--force", help="Replace the archive if it exists."),
) -> None:
    """Pack an assignment and the lesson files it bundles into one .zip file to send.

    The assignment is checked first. The client adds the archive as it is:
    'neurotutor assignment add FILE.zip'.

    Example: neurotutor assign pack sk.yaml
    """
    from neurotutor.assignments.authoring import pack_assignment
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of

    session = session_of(ctx)
    packed = pack_assignment(file, output, force, lambda: session.catalogue)
    write_file(packed.target, packed.data, shared=True)
    extra = f" and {packed.bundled} lesson file{'s' if packed.bundled != 1 else ''}" if packed.bundled else ""
    session.out.line(f"Wrote {packed.target}: {packed.name}{extra}. Your client adds it with: "
                     f"neurotutor assignment add {packed.target.name}")
