"""`neurotutor assign new` and `assign pack`: the therapist's side, writing an assignment file and
packing it with its lesson and worksheet files.

Everything can be given as options; in a terminal, whatever is missing is asked for, each answer
checked as it is typed, and the whole assignment is shown before it is written, with a way back to
change any answer: nothing typed is lost to a problem found at the end. Building, checking and
packing the file is `neurotutor.assignments.authoring`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from neurotutor.assignments.authoring import Draft, Written
    from neurotutor.cli.prompters import Prompter
    from neurotutor.cli.session import Session

assign_app = typer.Typer(help="For therapists: write an assignment file for a client.", no_args_is_help=True,
                         rich_markup_mode=None)


NEW_INTRO = ("A new assignment. Each answer is checked as you type it, and you see it all before it is written. "
             "Ctrl-C stops without writing anything.")
# At most nine, so that each has its number key at a terminal
CHANGES = ("The id", "The title", "Your name or contact", "The client", "The lessons",
           "The goals, practice or check-ins", "The note", "The key (for sealed reports)",
           "Nothing: back to the assignment")
GOAL_CHANGES = ("Review and exam goals", "Practice between sessions", "Check-ins", "Nothing: back to the assignment")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
CHECKINS = ("No check-ins", "PHQ-8 (mood, 8 questions)", "GAD-7 (anxiety, 7 questions)", "Both: PHQ-8 and GAD-7")


def _ask(session: Session, draft: Draft, output: Path, today: date) -> Draft:
    """Ask for what is missing from the draft, each answer checked as it is typed."""
    from dataclasses import replace

    missing = draft.missing
    session.out.line(NEW_INTRO)
    answers: dict[str, Any] = {key: _ask_field(session.prompter, key) for key in missing if key in _FIELDS}
    draft = replace(draft, **answers)
    if "therapist" in missing and draft.contact is None:
        draft = replace(draft, contact=_ask_contact(session.prompter))
    if draft.lessons:
        return draft
    draft = replace(draft, lessons=_ask_lessons(session, (), output, today))
    if draft.review_minutes is None and draft.exam_score is None:
        draft = _ask_goals(session, draft, today)
    if not draft.practice:
        draft = replace(draft, practice=_ask_practice(session, (), output, today, draft))
    if not draft.checkins:
        draft = replace(draft, checkins=_ask_checkins(session.prompter))
    if draft.note is None:
        draft = replace(draft, note=_ask_note(session.prompter))
    return draft


# The text fields, and the question that asks for each
_FIELDS = {"id": "A short id for the assignment (lowercase letters, digits and dashes, e.g. sk-autumn)",
           "title": "Its title, as the client will see it",
           "therapist": "Your name, as the client knows you",
           "client": "The client: a pseudonym or initials (a real name is never needed)"}


def _ask_field(prompter: Prompter, key: str) -> str:
    from neurotutor.assignments import authoring as au
    from neurotutor.assignments import model as am

    checks = {"id": au.id_problem, "title": au.text_problem(am.MAX_TITLE),
              "therapist": au.text_problem(am.MAX_THERAPIST_NAME),
              "client": lambda t: au.label_problem(t) or au.text_problem(40)(t)}
    return prompter.text(_FIELDS[key], checks[key])


def _ask_contact(prompter: Prompter) -> str | None:
    from neurotutor.assignments import authoring as au
    from neurotutor.assignments import model as am

    return prompter.text("How the client can reach you (e.g. an e-mail, or \"at our next session\")",
                         au.text_problem(am.MAX_CONTACT), optional=True) or None


def _ask_goals(session: Session, draft: Draft, today: date) -> Draft:
    """The review and exam goals, asked again from the start (each may be left out)."""
    from dataclasses import replace

    from neurotutor.assignments import authoring as au

    prompter, week = session.prompter, _in_a_week(today)
    minutes = prompter.text("A review goal, in minutes a day (1-240)", au.minutes_problem, optional=True)
    score = prompter.text("An exam goal: the score to reach, in per cent (0-100)", au.score_problem, optional=True)
    draft = replace(draft, review_minutes=int(minutes) if minutes else None,
                    exam_score=au.score_of(score) if score else None, exam_lessons=(), exam_due=None)
    if not score:
        return draft
    ids = au.lesson_ids(draft.lessons)
    if len(ids) > 1:
        session.out.line("The lessons: " + "  ".join(f"{n}. {lesson_id}" for n, lesson_id in enumerate(ids, 1)))
        picked = prompter.text("The exam is on all of them; to choose some, type their numbers, e.g. 1 3",
                               lambda t: au.exam_pick_problem(t, ids), optional=True)
        draft = replace(draft, exam_lessons=au.exam_pick(picked, ids) if picked else ())
    due = prompter.text(f"The exam's date (year-month-day, e.g. {week})", lambda t: au.date_problem(t, today),
                        optional=True)
    return replace(draft, exam_due=au.due_of(due) if due else None)


def _ask_practice(session: Session, given: tuple[str, ...], output: Path, today: date,
                  draft: Draft) -> tuple[str, ...]:
    """Worksheets (or the breathing space, or a worksheet file to bundle) to practise between
    sessions, each so many times a week or a day, until a date, as --practice values, starting
    from those `given` (one can be taken out again)."""
    from neurotutor.assignments import authoring as au
    from neurotutor.assignments import model as am
    from neurotutor.cli import hints

    prompter = session.prompter
    sheets = list(au.known_worksheets().items())
    builtin = [sheet_id for sheet_id, _ in sheets]
    picked = list(given)
    example = _until_example(draft, today)
    while True:
        chosen = {sheet_id for sheet_id, _ in au.practice_identities(picked)}
        extra = ["No more practice", "Take one out"] if picked else ["No practice"]
        options = [*extra, *(title for _, title in sheets), "The breathing space",
                   "A worksheet file of my own (it travels with the assignment)"]
        disabled = {len(extra) + i: "set already" for i, (sheet_id, _) in enumerate(sheets) if sheet_id in chosen}
        if am.BREATHE in chosen:
            disabled[len(options) - 2] = "set already"
        pick = prompter.choose("Practice between sessions?" if not picked else f"{len(picked)} set. More practice?",
                               options, disabled)
        if pick == 0:
            return tuple(picked)
        if picked and pick == 1:
            out = prompter.choose("Which comes out?", [*au.practice_in_words(au.Draft(practice=tuple(picked))),
                                                       "None: keep them all"])
            if out < len(picked):
                del picked[out]
            continue
        if pick == len(options) - 1:
            where = prompter.text("The worksheet file (in the same folder as the assignment, or below it)",
                                  lambda t: au.worksheet_file_problem(t, output, lambda f: hints.bare("validate", f),
                                                                      picked, builtin), optional=True)
            if not where:  # back to the list
                continue
            loaded = au.worksheet_in(Path(where))
            name = loaded.worksheet.title if loaded else Path(where).name  # its title, as the client will see it
        elif pick == len(options) - 2:
            where, name = am.BREATHE, "the breathing space"
        else:
            where, name = sheets[pick - len(extra)]
        often = prompter.text(f"How many times a week for {name}? (e.g. 2, or 1 a day)", au.how_often_problem)
        until = prompter.text(f"Until when? (year-month-day, e.g. {example})", lambda t: au.date_problem(t, today),
                              optional=True)
        times, per = au.how_often_of(often)
        picked.append(au.practice_value(where, times, per, au.due_of(until) if until else None))


def _until_example(draft: Draft, today: date) -> str:
    """A date to show as an example of "until": the last lesson's due date, or a week from today."""
    from neurotutor.assignments import authoring as au

    dues = []
    for value in draft.lessons:
        due, _ = au.read_date(value.rpartition(":")[2])
        if due is not None and due >= today:
            dues.append(due)
    return max(dues).isoformat() if dues else _in_a_week(today)


def _ask_checkins(prompter: Prompter) -> tuple[str, ...]:
    """Check-ins with the PHQ-8, the GAD-7 or both, on a day of each week, as --checkin values."""
    pick = prompter.choose("Check-ins?", list(CHECKINS))
    if pick == 0:
        return ()
    measures = {1: ("phq8",), 2: ("gad7",), 3: ("phq8", "gad7")}[pick]
    day = prompter.choose("On which day of each week?", ["Any day of the week", *DAYS])
    return tuple(f"{measure}:{DAYS[day - 1].lower()}" if day else measure for measure in measures)


def _ask_note(prompter: Prompter) -> str | None:
    """A note of one or more paragraphs, each typed as a line; Enter alone ends it."""
    from neurotutor.assignments import authoring as au

    note = None
    text = prompter.text("A note to the client, one paragraph at a time", lambda t: au.note_problem(None, t),
                         optional=True)
    while text:
        note = au.with_paragraph(note, text)
        text = prompter.text("Another paragraph", _room_in(note), optional=True)
    return note


def _room_in(note: str) -> Callable[[str], str | None]:
    """The check of a paragraph added to the note so far."""
    from neurotutor.assignments import authoring as au

    return lambda text: au.note_problem(note, text)


def _in_a_week(today: date) -> str:
    from neurotutor import dates

    return dates.add_days(today, 7).isoformat()


def _ask_lessons(session: Session, given: tuple[str, ...], output: Path, today: date) -> tuple[str, ...]:
    """Lessons picked from the catalogue (or a lesson file to bundle), each with a due date, as
    --lesson values, starting from those `given` (one can be taken out again). When no more are
    wanted, each lesson they build on that is not picked is offered, due before the lesson."""
    from neurotutor.assignments import authoring as au
    from neurotutor.cli import hints

    prompter = session.prompter
    entries = list(session.catalogue.lessons)
    picked = list(given)
    while True:
        chosen = set(au.lesson_ids(picked))
        # the entries that finish come first, so they are in sight on a small screen
        extra = (["No more lessons", "Take a lesson out"] if picked else []) + [
            "A lesson file of my own (it travels with the assignment)"]
        options = extra + [f"{e.info.title} ({e.info.id})" for e in entries]
        disabled = {len(extra) + i: "already in" for i, e in enumerate(entries) if e.info.id in chosen}
        pick = prompter.choose("Which lesson?" if not picked else f"{len(picked)} chosen. Another lesson?",
                               options, disabled)
        if picked and pick == 0:
            return tuple(_offer_prerequisites(session, picked, today))
        if picked and pick == 1:
            names = [s for label, s in au.summary(au.Draft(lessons=tuple(picked)), output) if label == "Lesson"]
            out = prompter.choose("Which lesson comes out?", [*names, "None: keep them all"])
            if out < len(picked):
                del picked[out]
            continue
        if pick == len(extra) - 1:
            where = prompter.text("The lesson file (in the same folder as the assignment, or below it)",
                                  lambda t: au.lesson_file_problem(t, output, lambda file: hints.bare("validate", file),
                                                                   picked, session.builtin_lessons()), optional=True)
            if not where:  # back to the list
                continue
            name = Path(where).name
        else:
            entry = entries[pick - len(extra)]
            where, name = entry.info.id, entry.info.title
        due = prompter.text(f"Due date for {name} (year-month-day, e.g. {_in_a_week(today)})",
                            lambda t: au.date_problem(t, today))
        picked.append(f"{where}:{au.due_of(due).isoformat()}")


def _offer_prerequisites(session: Session, picked: list[str], today: date) -> list[str]:
    """The lessons picked, with each lesson they build on that the therapist chose to add."""
    from neurotutor.assignments import authoring as au

    prompter, out = session.prompter, session.out
    declined: set[str] = set()
    while True:
        missing = [m for m in au.missing_prerequisites(picked, session.catalogue.lessons) if m.needs not in declined]
        if not missing:
            return picked
        need = missing[0]
        out.line(f"{need.lesson_title} ({need.lesson}) builds on {need.title} ({need.needs}), which is not in "
                 "this assignment.")
        if not prompter.confirm(f"Add {need.needs} too, due before {need.lesson}?"):
            declined.add(need.needs)
            continue
        latest = max(need.due, today)
        due = prompter.text(f"Due date for {need.title} (on or before {latest.isoformat()}, e.g. "
                            f"{need.suggested(today).isoformat()})", _due_by(today, latest))
        at = au.lesson_ids(picked).index(need.lesson)  # listed before the lesson that builds on it
        picked = [*picked[:at], f"{need.needs}:{au.due_of(due).isoformat()}", *picked[at:]]


def _due_by(today: date, latest: date) -> Callable[[str], str | None]:
    """The check of a due date from today to `latest`."""
    from neurotutor.assignments import authoring as au

    return lambda text: au.date_problem(text, today, latest)


def _show_draft(session: Session, draft: Draft, output: Path, problems: list[str], today: date) -> None:
    """The draft in words, what keeps it from being written, and the lessons it lacks."""
    from neurotutor.assignments import authoring as au

    out = session.out
    out.heading("Check the assignment before it is written")
    out.bullets([f"{label}: {value}" for label, value in au.summary(draft, output)])
    for need in au.missing_prerequisites(draft.lessons, session.catalogue.lessons):
        out.line(f"Note: {need.lesson} builds on {need.needs}, which is not in it; to add it, change the lessons.")
    if problems:
        out.bullets(problems, title="Before it can be written, change this:")


def _confirm_and_write(session: Session, draft: Draft, output: Path, today: date,
                       write: Callable[[bytes], object]) -> tuple[Draft, Written]:
    """Show the draft and write it when the therapist says so; any answer can be changed first,
    and nothing typed is lost to a problem found at the end. The first menu is short, so that
    the whole draft stays in sight above it on a small screen."""
    from neurotutor.assignments import authoring as au
    from neurotutor.errors import NeurotutorError, Stopped

    prompter = session.prompter
    while True:
        problems = au.draft_problems(draft, output, lambda: session.catalogue, session.command("lessons"),
                                     session.command("practice"))
        _show_draft(session, draft, output, problems, today)
        disabled = {0: "first change what is said above"} if problems else {}
        pick = prompter.choose("Write it?", ["Write it", "Change something", "Stop without writing"], disabled,
                               default=1 if problems else 0)
        if pick == 2:
            raise Stopped
        if pick == 1:
            draft = _change(session, draft, output, today)
            continue
        try:
            return draft, au.write_assignment(draft, output, lambda: session.catalogue, today,
                                              session.command("lessons"), write, session.command("practice"))
        except NeurotutorError as exc:  # the file could not be written: every answer is still here
            session.out.warn(exc.message.removesuffix(au.NOT_WRITTEN).rstrip())
            session.out.warn("Nothing was written; your answers are kept. Fix that, then choose 'Write it' again.")


def _change(session: Session, draft: Draft, output: Path, today: date) -> Draft:
    """One part of the draft asked for again (or none)."""
    from dataclasses import replace

    from neurotutor.assignments import authoring as au

    prompter = session.prompter
    pick = prompter.choose("What to change?", list(CHANGES))
    field = {0: "id", 1: "title", 3: "client"}.get(pick)
    if field is not None:
        answer: dict[str, Any] = {field: _ask_field(prompter, field)}
        return replace(draft, **answer)
    if pick == 2:
        return replace(draft, therapist=_ask_field(prompter, "therapist"), contact=_ask_contact(prompter))
    if pick == 4:
        return replace(draft, lessons=_ask_lessons(session, draft.lessons, output, today))
    if pick == 5:
        which = prompter.choose("Which goals?", list(GOAL_CHANGES))
        if which == 0:
            return _ask_goals(session, draft, today)
        if which == 1:
            return replace(draft, practice=_ask_practice(session, draft.practice, output, today, draft))
        if which == 2:
            return replace(draft, checkins=_ask_checkins(prompter))
        return draft
    if pick == 6:
        return replace(draft, note=_ask_note(prompter))
    if pick == 7:
        return replace(draft, key=prompter.text("The public key to seal reports to (age1..., as 'neurotutor therapist "
                                                "key' prints it; Enter: none)", au.key_problem, optional=True) or None)
    return draft


def _said_written(session: Session, written: Written, output: Path, draft: Draft, asked: bool, today: date) -> None:
    """What was written, what the therapist may want to know, and what to give the client."""
    import shlex

    from neurotutor.assignments import authoring as au

    out = session.out
    out.line(f"Wrote {output}.")
    for lesson_id, due in written.overdue:
        out.warn(f"Note: {lesson_id} is due {due.isoformat()}, which has passed: the client will see it as overdue.")
    for what, until in written.ended:
        out.warn(f"Note: {what} is set until {until.isoformat()}, which has passed: the client will see it as ended.")
    from neurotutor.assignments.homework import goal_words

    for goal in written.never_due:
        out.warn(f"Note: {goal_words(goal, {})}: no {(goal.day or '').capitalize()} comes before that date, so the client "
                 "will never have it to do. Change the day or the date.")
    if not asked:  # at a terminal, they were offered before it was written
        for need in au.missing_prerequisites(draft.lessons, session.catalogue.lessons):
            out.warn(f"Note: {need.lesson} builds on {need.needs} ({need.title}), which is not in this assignment; "
                     f"the client will be told to take it first. To add it, run the command again with --force and: "
                     f"--lesson {need.option(today)}")
    if draft.key is None:
        out.warn(au.NO_KEY)
    add = f"neurotutor assignment add {shlex.quote(output.name)}"
    if written.bundled:
        files = " and ".join(str(output.parent / relative) for relative in written.bundled)
        out.line(f"Give {output} with {files} to your client (kept together as they are here), who adds it with: "
                 f"{add}")
        out.line(f"Or send one file: neurotutor assign pack {shlex.quote(str(output))}")
    else:
        out.line(f"Give {output} to your client, who adds it with: {add}")


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
                                               help="A lesson and its due date (repeatable), e.g. cbt:2026-12-01; a "
                                                    "lesson file to bundle as FILE.yaml:DATE."),
    lessons_tagged: list[str] | None = typer.Option(None, "--lessons-tagged", metavar="TAG:DATE",
                                                       help="Every lesson with this tag, due by the date (repeatable), "
                                                            "e.g. level-basics:2026-12-01."),
    review_minutes: int | None = typer.Option(None, "--review-minutes", min=1, max=240, help="Review goal, minutes a day."),
    exam_score: int | None = typer.Option(None, "--exam-score", min=0, max=100, help="Exam goal: the score to reach, in per cent."),
    exam_lessons: str | None = typer.Option(None, "--exam-lessons", metavar="ID,ID",
                                            help="The lessons the exam is on (default: all of them)."),
    exam_due: str | None = typer.Option(None, "--exam-due", metavar="DATE", help="The exam's date, year-month-day."),
    practice: list[str] | None = typer.Option(None, "--practice", metavar="WORKSHEET:TIMES[:week|day][:UNTIL]",
                                              help="Practice between sessions (repeatable): a worksheet, breathe (the "
                                                   "breathing space) or a worksheet file to bundle, so many times a "
                                                   "week or a day, until a date, e.g. thought-record:2:week:2026-12-14 "
                                                   "or breathe:1:day."),
    checkin: list[str] | None = typer.Option(None, "--checkin", metavar="MEASURE[:DAY][:UNTIL]",
                                             help="A check-in each week (repeatable): phq8 or gad7, on a day, until "
                                                  "a date, e.g. phq8:monday."),
    note: str | None = typer.Option(None, "--note", help="A note to the client (a blank line between paragraphs)."),
    key: str | None = typer.Option(None, "--key", metavar="AGE_PUBLIC_KEY",
                                   help="The public key to seal reports to (default: yours, from 'neurotutor "
                                        "therapist init')."),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it exists."),
) -> None:
    """Write an assignment file: lessons with due dates, optional goals, practice, check-ins and a note.

    Whatever is not given as an option is asked for in a terminal, and the whole assignment is
    shown to check (and change) before it is written. The file is checked before it is written;
    give it (with any lesson files it bundles) to your client, who adds it with 'neurotutor
    assignment add FILE'. Your public key goes in it, so the client's reports are sealed to you.

    Example: neurotutor assign new -o sk.yaml --id sk-autumn --title "How therapy works" --therapist "Dr A" --client S.K. --lesson neuroplasticity-types:2026-12-01
    """
    from neurotutor import dates, paths
    from neurotutor.assignments import authoring
    from neurotutor.cli.context import write_file
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError

    session = session_of(ctx)
    today = dates.local(session.now).date()
    lessons = authoring.check_options(output, force, lesson or [], lessons_tagged or [], lambda: session.catalogue)
    on_exam, exam_date = authoring.exam_options(exam_score, exam_lessons, exam_due)
    authoring.check_goal_options(practice or [], checkin or [], authoring.known_worksheets, session.command("practice"))
    public = authoring.therapist_key(key, paths.therapist_key_file())
    draft = authoring.Draft(assignment_id or "", title or "", therapist or "", client or "", lessons, contact,
                            review_minutes, exam_score, note, on_exam, exam_date, public, tuple(practice or ()),
                            tuple(checkin or ()))
    if draft.missing and not session.settings.attended:
        raise UsageError("Missing: " + ", ".join(f"--{k}" for k in draft.missing) + ". In a terminal, they are asked for.")

    def write(data: bytes) -> None:
        write_file(output, data, shared=True)  # meant to be handed over

    asked = bool(draft.missing)
    if asked:  # a therapist at a terminal: ask for what is missing, then show it all before writing
        with session.stoppable(lambda first: f"{first}. {authoring.NOT_WRITTEN}"):
            draft = _ask(session, draft, output, today)
            draft, written = _confirm_and_write(session, draft, output, today, write)
    else:
        written = authoring.write_assignment(draft, output, lambda: session.catalogue, today,
                                             session.command("lessons"), write, session.command("practice"))
    _said_written(session, written, output, draft, asked, today)


@assign_app.command("pack")
def pack(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="The assignment file (.yaml).", dir_okay=False),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE.zip",
                                          help="The archive to write (default: FILE with .zip).", dir_okay=False,
                                          readable=False),
    force: bool = typer.Option(False, "--force", help="Replace the archive if it exists."),
) -> None:
    """Pack an assignment and the lesson and worksheet files it bundles into one .zip file to send.

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
    parts = [packed.name]
    parts += [f"{packed.bundled} lesson file{'s' if packed.bundled != 1 else ''}"] if packed.bundled else []
    parts += [f"{packed.worksheets} worksheet file{'s' if packed.worksheets != 1 else ''}"] if packed.worksheets else []
    files = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    session.out.line(f"Wrote {packed.target}: {files}. Your client adds it with: "
                     f"neurotutor assignment add {packed.target.name}")
