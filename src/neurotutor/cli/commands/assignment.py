"""`neurotutor assignment add|remove` and `neurotutor assignments`: the learner's side of an assignment,
its lessons, and the practice and check-ins it sets."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.session import Session
    from neurotutor.progress.model import StoredAssignment

assignment_app = typer.Typer(help="Add an assignment from your therapist, or remove one.", no_args_is_help=True,
                             rich_markup_mode=None)


@assignment_app.command("add")
def add(ctx: typer.Context,
        file: Path = typer.Argument(..., metavar="FILE", help="The assignment your therapist gave you: a .yaml file, "
                                    "a .zip archive, or a folder.")) -> None:
    """Add an assignment: check it, keep the lessons that came with it, and list what is due when.

    It can be one .yaml file (with its lesson files beside it), a .zip archive of them, or a
    folder. Lessons and worksheets that come with the assignment are copied into your profile's
    own lessons folder, so they are found from then on without --lessons-dir. Any practice and
    check-ins it sets are listed, with the command that starts each.

    Example: neurotutor assignment add ~/Downloads/autumn.zip
    """
    from neurotutor import paths
    from neurotutor.assignments.install import add_assignment
    from neurotutor.assignments.status import first_to_do, goals_words, homework_commands, homework_words, lesson_status
    from neurotutor.cli.session import session_of
    from neurotutor.worksheets.catalogue import load_worksheets

    session = session_of(ctx)
    settings = session.settings
    added = add_assignment(file, paths.profile_lessons_dir(settings.profile), lambda: session.catalogue,
                           session.store, session.now,
                           lambda: load_worksheets(paths.builtin_worksheets_dir(),
                                                   paths.user_lesson_dirs(list(settings.lessons_dirs), settings.profile)))
    session.show_notices()
    out, a = session.out, added.assignment
    out.heading(f"{'Updated' if added.replaced else 'Added'}: {a.title}")
    contact = f" ({a.therapist.contact})" if a.therapist.contact else ""
    out.line(f"From {a.therapist.name}{contact}, for {a.client}" + ("" if a.client.endswith(".") else "."))
    if a.note:
        out.markdown(a.note)
    out.table(["lesson", "due"], [[added.titles.get(item.lesson, item.lesson),
                                   f"{item.due:%a} {item.due.day} {item.due:%b %Y}"] for item in a.lessons],
              never_cut=(0,))
    goals = goals_words(a, added.titles)
    if goals:
        out.line(goals)
    practice = homework_words(a, added.worksheets)
    if practice:
        out.line(practice)
        for name, words in homework_commands(a, added.worksheets):
            out.command(name, session.command(*words))
    kept = [f"{n} {what} file{'s' if n != 1 else ''}" for n, what in ((added.kept, "lesson"),
                                                                      (added.kept_worksheets, "worksheet")) if n]
    if kept:
        out.note(f"{' and '.join(kept)} kept in {added.folder}.")
    lessons = session.progress.lessons  # as adding left it
    first = first_to_do(a, lessons)
    if first is None:
        out.command("You have done every lesson in it already. To go over what you learnt:", session.command("review"))
    else:
        begun = any(lesson_status(lessons.get(item.lesson)) == "done" for item in a.lessons)
        out.command("Next, the lesson due first:" if begun else "Start with:", session.command("learn", first))


@assignment_app.command("remove")
def remove(ctx: typer.Context,
           assignment_id: str = typer.Argument(..., metavar="ID", help="The assignment's id (see 'neurotutor assignments').")) -> None:
    """Remove an assignment. Your answers and progress in its lessons are kept.

    Example: neurotutor assignment remove sam-autumn
    """
    from neurotutor.assignments.install import remove_assignment
    from neurotutor.cli.session import session_of

    session = session_of(ctx)
    remove_assignment(session.store, assignment_id, session.command("assignments"))
    session.show_notices()
    session.out.line(f"Removed the assignment {assignment_id}. Your answers and progress in its lessons are kept.")


def list_assignments(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """List your assignments: each lesson with its due date and status, overdue ones flagged, and
    the practice and check-ins they set, with what is done this week and so far.

    Example: neurotutor assignments
    """
    from neurotutor.assignments.status import assigned_lessons, goals_words
    from neurotutor.cli.session import session_of
    from neurotutor.dates import local

    session = session_of(ctx)
    out = session.out
    progress = session.progress
    today = local(session.now).date()
    titles = {e.info.id: e.info.title for e in session.catalogue.lessons}
    order = {a_id: n for n, a_id in enumerate(sorted(progress.assignments, key=lambda k: progress.assignments[k].added))}
    rows = [{"assignment": x.assignment_id, "title": x.assignment_title, "lesson": x.lesson_id,
             "lesson_title": x.lesson_title, "due": x.due.isoformat(), "status": x.status,
             "overdue": x.timing == "overdue", "due_soon": x.timing == "due soon"}
            for x in sorted(assigned_lessons(progress, titles, today), key=lambda x: order[x.assignment_id])]
    if json:
        from neurotutor.envelope import encode_document

        kept = [progress.assignments[a_id] for a_id in order]
        out.json(encode_document("assignments", session.now, {
            "today": today, "lessons": rows,
            "assignments": [{"id": s.assignment.id, "title": s.assignment.title, "therapist": s.assignment.therapist,
                             "client": s.assignment.client, "goals": s.assignment.goals, "note": s.assignment.note,
                             "added": s.added, "source": s.source} for s in kept]}))
        return
    if not rows:
        out.command("No assignments yet. When your therapist gives you an assignment file, add it with:",
                    session.command("assignment", "add", "FILE"))
        return
    words = {"new": "not started", "in_progress": "in progress", "done": "done"}
    out.table(["assignment", "lesson", "due", "status"],
              [[str(r["assignment"]), str(r["lesson"]), str(r["due"]), words[str(r["status"])]
                + (" (overdue)" if r["overdue"] else " (due soon)" if r["due_soon"] else "")]
               for r in rows], never_cut=(0, 1))
    for a_id in order:
        goals = goals_words(progress.assignments[a_id].assignment, titles)
        if goals:
            out.line(f"{a_id}: {goals}")
    _list_practice(session, [progress.assignments[a_id] for a_id in order], today)


def _list_practice(session: Session, kept: list[StoredAssignment], today: date) -> None:
    """Each assignment's practice and check-ins: what is done of what is set this week and so far
    (the journal and the check-ins are read only when some are set)."""
    from neurotutor.assignments.homework import homework
    from neurotutor.assignments.model import CheckinGoal, PracticeGoal
    from neurotutor.assignments.status import practice_rows
    from neurotutor.cli.commands.home import practice_dates
    from neurotutor.cli.commands.practice import worksheets_of
    from neurotutor.dates import local

    setting = [s for s in kept if s.assignment.goals.practice or s.assignment.goals.checkins]
    if not setting:
        return
    done, checked = practice_dates(session, setting)
    titles = {w.worksheet.id: w.worksheet.title for w in worksheets_of(session).worksheets}
    rows = []
    for stored in setting:
        a, added_on = stored.assignment, local(stored.added).date()
        statuses = homework(a, added_on, today, done, checked, titles)
        goals: list[PracticeGoal | CheckinGoal] = [*a.goals.practice, *a.goals.checkins]
        rows += [[a.id, *row] for row in practice_rows(statuses, goals, titles, added_on)]
    session.out.table(["assignment", "practice", "this week", "so far"], rows, never_cut=(0,))
