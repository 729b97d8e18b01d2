"""`neurotutor assignment add|remove` and `neurotutor assignments`: the learner's side of an assignment."""

from __future__ import annotations

from pathlib import Path

import typer

assignment_app = typer.Typer(help="Add an assignment from your therapist, or remove one.", no_args_is_help=True,
                             rich_markup_mode=None)


@assignment_app.command("add")
def add(ctx: typer.Context,
        file: Path = typer.Argument(..., metavar="FILE", help="The assignment your therapist gave you: a .yaml file, "
                                    "a .zip archive, or a folder.")) -> None:
    """Add an assignment: check it, keep the lessons that came with it, and list what is due when.

    It can be one .yaml file (with its lesson files beside it), a .zip archive of them, or a
    folder. Lessons that come with the assignment are copied into your profile's own lessons
    folder, so they are found from then on without --lessons-dir.

    Example: neurotutor assignment add ~/Downloads/autumn.zip
    """
    from datetime import datetime, timezone

    from msgspec import structs

    from neurotutor import paths
    from neurotutor.assignments import kept
    from neurotutor.assignments.archive import open_source
    from neurotutor.assignments.loader import NOT_AN_ASSIGNMENT, validate_assignment
    from neurotutor.assignments.status import goals_words
    from neurotutor.cli.session import session_of
    from neurotutor.errors import InvalidFileError, UsageError
    from neurotutor.progress import model as pm

    session = session_of(ctx)
    settings = session.settings
    out = session.out
    if not file.exists():
        raise UsageError(f"There is no file or folder {file}.")
    catalogue = session.catalogue
    own = paths.profile_lessons_dir(settings.profile)
    known = {entry.info.id: entry.path for entry in catalogue.lessons}
    store = session.store
    with open_source(file) as source:
        loaded, problems, bundled = (validate_assignment(source.assignment, catalogue.lessons, session.builtin_lessons(),
                                                         files=source.files)
                                     if source.assignment else (None, source.problems, []))
        problems = [source.shown(p) for p in problems]
        if problems or loaded is None:
            if (source.assignment is None and not file.is_file()) or [p.message for p in problems] == [NOT_AN_ASSIGNMENT]:
                raise InvalidFileError(problems, "Nothing was added.")  # not the therapist's doing: no assignment here
            raise InvalidFileError(problems, "This assignment has the problems above, so it was not added. "
                                             "Please send these lines to your therapist.")
        a = loaded.assignment
        clashes = []
        for item in bundled:
            lesson_id = item.lesson.id if item.lesson else ""
            where = known.get(lesson_id)
            if where is not None and where.parent != own:  # a lesson of the same id from elsewhere
                clashes.append(f"The lesson {lesson_id!r} in {source.place(str(item.path))} "
                               f"has the same id as {where}; ask your therapist to give their lesson another id.")
        progress = store.load()
        in_profile = kept.kept_lessons(own) if bundled else []
        clashes += kept.clashes(a, bundled, in_profile, [s.assignment for s in progress.assignments.values()],
                                lambda path: source.place(str(path)))
        if clashes:
            raise UsageError("\n".join(clashes) + "\nNothing was added.")
        if bundled:
            try:
                kept.keep(own, bundled, in_profile)
            except OSError as exc:
                from neurotutor.errors import ProgressError
                from neurotutor.progress.store import failed_write

                raise ProgressError(failed_write(f"Could not keep the lessons that came with this assignment in {own}",
                                                 exc, "The assignment was not added.")) from None
        bundled_titles = {item.lesson.id: item.lesson.title for item in bundled if item.lesson}
    stored = pm.StoredAssignment(assignment=a, added=datetime.now(timezone.utc), source=str(file.resolve()))
    replaced = a.id in progress.assignments
    store.update(lambda p: structs.replace(p, assignments={**p.assignments, a.id: stored}), keep_if_busy=False)
    session.show_notices()
    out.heading(f"{'Updated' if replaced else 'Added'}: {a.title}")
    contact = f" ({a.therapist.contact})" if a.therapist.contact else ""
    out.line(f"From {a.therapist.name}{contact}, for {a.client}" + ("" if a.client.endswith(".") else "."))
    if a.note:
        out.markdown(a.note)
    titles = {entry.info.id: entry.info.title for entry in catalogue.lessons}
    titles.update(bundled_titles)
    out.table(["lesson", "due"], [[titles.get(item.lesson, item.lesson), f"{item.due:%a} {item.due.day} {item.due:%b %Y}"]
                                  for item in a.lessons], never_cut=(0,))
    goals = goals_words(a, titles)
    if goals:
        out.line(goals)
    if bundled:
        out.note(f"{len(bundled)} lesson file{'s' if len(bundled) != 1 else ''} kept in {own}.")
    out.command("Start with:", session.command("learn", a.lessons[0].lesson))


@assignment_app.command("remove")
def remove(ctx: typer.Context,
           assignment_id: str = typer.Argument(..., metavar="ID", help="The assignment's id (see 'neurotutor assignments').")) -> None:
    """Remove an assignment. Your answers and progress in its lessons are kept.

    Example: neurotutor assignment remove sam-autumn
    """
    from msgspec import structs

    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError

    session = session_of(ctx)
    out = session.out
    store = session.store
    if assignment_id not in store.load().assignments:
        raise UsageError(f"There is no assignment with the id {assignment_id!r}. "
                         f"Run '{session.command('assignments')}' to see them.")
    store.update(lambda p: structs.replace(p, assignments={k: v for k, v in p.assignments.items() if k != assignment_id}),
                 keep_if_busy=False)
    session.show_notices()
    out.line(f"Removed the assignment {assignment_id}. Your answers and progress in its lessons are kept.")


def list_assignments(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """List your assignments: each lesson with its due date and status, overdue ones flagged.

    Example: neurotutor assignments
    """
    from datetime import date

    from neurotutor.assignments.status import assigned_lessons, goals_words
    from neurotutor.cli.session import session_of

    session = session_of(ctx)
    out = session.out
    store = session.store
    progress = store.load()
    session.show_notices()
    today = date.today()
    titles = {e.info.id: e.info.title for e in session.catalogue.lessons}
    order = {a_id: n for n, a_id in enumerate(sorted(progress.assignments, key=lambda k: progress.assignments[k].added))}
    rows = [{"assignment": x.assignment_id, "title": x.assignment_title, "lesson": x.lesson_id,
             "lesson_title": x.lesson_title, "due": x.due.isoformat(), "status": x.status,
             "overdue": x.timing == "overdue", "due_soon": x.timing == "due soon"}
            for x in sorted(assigned_lessons(progress, titles, today), key=lambda x: order[x.assignment_id])]
    if json:
        import msgspec

        kept = [progress.assignments[a_id] for a_id in order]
        out.json(msgspec.json.encode({"format": "neurotutor-assignments", "version": 1, "today": today.isoformat(),
                                      "lessons": rows,
                                      "assignments": [{"id": s.assignment.id, "title": s.assignment.title,
                                                       "therapist": s.assignment.therapist, "client": s.assignment.client,
                                                       "goals": s.assignment.goals, "note": s.assignment.note,
                                                       "added": s.added, "source": s.source} for s in kept]}))
        return
    if not rows:
        out.command("No assignments yet. When your therapist gives you an assignment file, add it with:",
                    session.command("assignment", "add", "FILE"))
        return
    words = {"new": "not started", "in_progress": "in progress", "done": "done"}
    out.table(["assignment", "lesson", "due", "status"],
              [[r["assignment"], r["lesson"], r["due"], words[str(r["status"])]
                + (" (overdue)" if r["overdue"] else " (due soon)" if r["due_soon"] else "")]
               for r in rows], never_cut=(0, 1))
    for a_id in order:
        goals = goals_words(progress.assignments[a_id].assignment, titles)
        if goals:
            out.line(f"{a_id}: {goals}")
