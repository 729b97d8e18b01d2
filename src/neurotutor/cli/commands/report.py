"""`neurotutor report`: a report of one assignment for the therapist, written only after the learner
has seen the report itself and chosen what to leave out; sealed to the therapist's key when the
assignment carries one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.session import Session
    from neurotutor.journal.lock import JournalKey
    from neurotutor.progress.model import StoredAssignment
    from neurotutor.reports.build import Choices, Report

FORMATS = ("md", "html", "json")
SEALED = ".age"
WORDS_NOTE = ("Even with your own words left out, a misconception and its question show which answer you "
              "picked. You can leave misconceptions out, one by one or all of them.")


def run(
    ctx: typer.Context,
    assignment_id: str | None = typer.Option(None, "--assignment", metavar="ID", help="Which assignment (needed when you have several)."),
    fmt: str | None = typer.Option(None, "--format", metavar="FORMAT", help="json (for your therapist's caseload; the default when the report is sealed), md (to paste into notes) or html (to open in a browser and print); by default the -o file's ending."),
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Where to write it (default: report-ID.FORMAT here, with .age when sealed).", dir_okay=False,
                                          readable=False),
    verbatim: bool | None = typer.Option(None, "--verbatim/--no-verbatim", help="Include your answers word for word, and the short answers you typed (asked in a terminal; default no)."),
    times: bool = typer.Option(False, "--times", help="Include the time of day of each date (default: dates only)."),
    leave_out: list[str] | None = typer.Option(None, "--leave-out", metavar="ITEM",
                                                  help="Leave something out (repeatable): exams, misconceptions, "
                                                       "lesson:ID (that lesson's details), misconception:LABEL."),
    practice: bool = typer.Option(False, "--practice", help="Include the practice set in the assignment against what you did, and your check-in totals (default: left out)."),
    share: list[str] | None = typer.Option(None, "--share", metavar="ENTRY",
                                              help="Share one journal entry word for word (repeatable; its id from 'neurotutor journal')."),
    no_seal: bool = typer.Option(False, "--no-seal", help="Write it unsealed even though the assignment has your therapist's key."),
    yes: bool = typer.Option(False, "--yes", help="Write it without showing it first (with --no-verbatim unless --verbatim is given)."),
) -> None:
    """Write a report of an assignment for your therapist. You see the report itself first, and
    can leave out anything in it.

    Only the assignment's own lessons are included; your own words only if you choose; dates
    without times of day unless you choose. When the assignment carries your therapist's key, the
    report is sealed so that only they can open it. The file is readable only by you until you
    send it.

    Example: neurotutor report -o for-my-therapist.json
    """
    import os

    from neurotutor import dates
    from neurotutor.cli.context import check_outside_data, may_replace
    from neurotutor.cli.session import session_of
    from neurotutor.progress import model as pm
    from neurotutor.reports.request import choose_assignment

    session = session_of(ctx)
    ask = session.settings.attended and not yes  # a person at a terminal, --plain (a screen reader) too
    stored = choose_assignment(session.progress, assignment_id, _picker(session) if ask else None,
                               session.command("assignment", "add", "FILE"), session.command("assignments"))
    key = None if no_seal else stored.assignment.therapist.key
    fmt, target = _format_and_target(fmt, output, stored.assignment.id, key is not None)
    target = check_outside_data(target)  # before anything is asked
    choices = _choices(leave_out or [], bool(verbatim), times, stored)
    if practice or share:
        from msgspec import structs

        shared = _entry_ids(session, share) if share else []  # the journal is read only when an entry is named
        choices = structs.replace(choices, practice=practice, entries=frozenset(shared))
    progress = session.progress
    if progress.client_key is None:  # made once, for the first report, and kept
        progress = session.store.update(lambda p: pm.with_client_key(p, pm.new_client_key(os.urandom(7))))
    client_key = progress.client_key or ""
    today = dates.local(session.now).date()

    opened: list[JournalKey] = []  # a locked journal's key, asked once, when an entry is first shared

    def build(c: Choices) -> Report:
        from neurotutor.reports.request import report_of

        if c.entries and not opened:
            from neurotutor.cli.journal_access import journal_store

            journal = journal_store(session, answers=True)
            if journal.key is not None:
                opened.append(journal.key)
        return report_of(stored, progress, session.catalogue, session.totals(), session.store.history_path,
                         session.now, today, c.verbatim, c, client_key, opened[0] if opened else None)

    if ask:
        chosen = _consent(session, build, choices, key is not None, stored)
        if chosen is None:
            session.out.line("No report was written.")
            return
        choices = chosen
    if not may_replace(session, target, "report", yes):
        return
    _write(session, build(choices), fmt, target, key, stored, no_seal and stored.assignment.therapist.key is not None)


def _entry_ids(session: Session, given: list[str]) -> list[str]:
    """The journal entries named (by id, or the start of one); a UsageError for one not there."""
    from neurotutor import paths
    from neurotutor.errors import UsageError
    from neurotutor.journal.store import JournalStore, find_id

    listed = {x.id: x for x in JournalStore(paths.journal_file(session.store.path)).listing()}  # no answers needed
    found = [find_id(list(listed), x) for x in given]
    for entry_id in found:
        if listed[entry_id].status != "done":
            raise UsageError(f"The journal entry {entry_id} ({listed[entry_id].title}) is a draft, not finished, so it "
                             f"is not shared. Finish it first with: {session.command('practice', '--resume', entry_id)}")
    return found


def _format_and_target(fmt: str | None, output: Path | None, assignment_id: str, sealed: bool) -> tuple[str, Path]:
    """The format and the file: a name ending in .age is sealed, and its format is the ending before."""
    from neurotutor.reports.render import format_for

    named = output
    if output is not None and output.suffix.lower() == SEALED:
        named = output.with_suffix("")
    fmt = format_for(fmt, named, "json" if sealed else "md", FORMATS)
    if output is None:
        output = Path(f"report-{assignment_id}.{fmt}" + (SEALED if sealed else ""))
    elif sealed and output.suffix.lower() != SEALED and str(output) not in ("-", "/dev/stdout"):
        output = output.with_name(output.name + SEALED)  # a sealed file says so by its name
    return fmt, output


def _choices(leave_out: list[str], verbatim: bool, times: bool, stored: StoredAssignment) -> Choices:
    """The choices given as options; a UsageError for an item that is not in this assignment."""
    from neurotutor.errors import UsageError
    from neurotutor.reports.build import Choices

    lessons = {item.lesson for item in stored.assignment.lessons}
    exams = misconceptions = True
    items: set[str] = set()
    for item in leave_out:
        kind, _, what = item.partition(":")
        if item == "exams":
            exams = False
        elif item == "misconceptions":
            misconceptions = False
        elif kind == "lesson" and what in lessons:
            items.add(item)
        elif kind == "misconception" and what:
            items.add(item)
        else:
            raise UsageError(f"--leave-out {item!r} is not something a report holds: give exams, misconceptions, "
                             f"misconception:LABEL, or lesson:ID with a lesson of this assignment "
                             f"({', '.join(sorted(lessons))}).")
    return Choices(verbatim=verbatim, times=times, exams=exams, misconceptions=misconceptions,
                   left_out=frozenset(items))


def _not_written(first: str) -> str:
    return f"{first}. No report was written."


def _picker(session: Session) -> Callable[[Sequence[StoredAssignment]], int]:
    """Ask which of several assignments the report is of."""
    def pick(kept: Sequence[StoredAssignment]) -> int:
        with session.stoppable(_not_written):
            return session.prompter.choose("Which assignment is the report for?", [
                f"{x.assignment.title} (from {x.assignment.therapist.name}; {x.assignment.id})" for x in kept])
    return pick


def _consent(session: Session, build: Callable[[Choices], Report], choices: Choices, sealed: bool,
             stored: StoredAssignment) -> Choices | None:
    """Show the report itself, every field of the file that would be sent, and let the learner
    leave out anything in it, include their own words or the times of day, then write it or not
    (None: write no report)."""
    from msgspec import structs

    from neurotutor import __version__
    from neurotutor.reports.preview import preview_lines
    from neurotutor.reports.render import document

    out, prompter = session.out, session.prompter
    therapist = stored.assignment.therapist.name
    while True:
        report = build(choices)
        with out.captured() as lines:
            out.heading("The report, exactly as it would be sent")
            out.line("Every line below is in the file. Read it through, then choose what to leave out.")
            out.line(WORDS_NOTE)
            for line in preview_lines(document(report, __version__)):
                out.line(line)
        prompter.page(lines, "to the choices")
        out.clear()  # the choices on a fresh screen, not under the last page
        kept = sum(x.details for x in report.lessons)
        out.line(f"The report holds {len(report.lessons)} lesson{'s' if len(report.lessons) != 1 else ''} "
                 f"({kept} with details), {len(report.exams)} exam result{'s' if len(report.exams) != 1 else ''} and "
                 f"{sum(len(x.misconceptions) for x in report.lessons)} misconception"
                 f"{'s' if sum(len(x.misconceptions) for x in report.lessons) != 1 else ''}"
                 f"{', with your own words' if choices.verbatim else ''}"
                 f"{', your practice and check-ins' if choices.practice else ''}"
                 f"{_entries_words(len(choices.entries))}"
                 f"{', with times of day' if choices.times else ', dates only'}.")
        out.line(WORDS_NOTE)
        write = f"Write the report (sealed: only {therapist} can open it)" if sealed else "Write the report"
        options = [write, "Leave something out, or put it back",
                   "Leave my own words out" if choices.verbatim else "Include my own words (and short answers I typed)",
                   "Dates only, no times of day" if choices.times else "Include the time of day of each date",
                   "Leave my practice and check-ins out" if choices.practice
                   else "Include my practice and check-in totals",
                   "Share journal entries word for word, or stop sharing them",
                   "Show the report again", "Do not write a report"]
        with session.stoppable(_not_written):
            pick = prompter.choose("What would you like to do?", options)
        if pick == 0:
            return choices
        if pick == 1:
            choices = _leave_out(session, report, choices)
        elif pick == 2:
            choices = structs.replace(choices, verbatim=not choices.verbatim)
        elif pick == 3:
            choices = structs.replace(choices, times=not choices.times)
        elif pick == 4:
            choices = structs.replace(choices, practice=not choices.practice)
        elif pick == 5:
            choices = _share(session, choices, stored)
        elif pick == 7:
            return None


def _leave_out(session: Session, report: Report, choices: Choices) -> Choices:
    """A menu of what can be left out, each marked in or out; a pick turns it over."""
    from msgspec import structs

    from neurotutor.lessons import model as m

    while True:
        items: list[tuple[str, str]] = [("exams", "Exam results"), ("misconceptions", "Every misconception")]
        if choices.misconceptions:
            seen: set[str] = set()
            for x in report.lessons:
                for mc in x.misconceptions:
                    if mc.label not in seen:
                        seen.add(mc.label)
                        items.append((f"misconception:{mc.label}",
                                      f"Misconception: {m.misconception_said(mc.label, mc.text)}"))
            for label in sorted(x.partition(":")[2] for x in choices.left_out if x.startswith("misconception:")):
                if label not in seen:
                    items.append((f"misconception:{label}", f"Misconception: {m.misconception_said(label, None)}"))
        items += [(f"lesson:{x.lesson_id}", f"Details of {x.title}") for x in report.lessons]

        def state(item: str, now: Choices = choices) -> bool:
            if item == "exams":
                return now.exams
            if item == "misconceptions":
                return now.misconceptions
            return item not in now.left_out
        options = ["Done: show the report again"] + [f"{'[in]' if state(i) else '[out]'} {words}" for i, words in items]
        session.out.clear()
        with session.stoppable(_not_written):
            pick = session.prompter.choose("Choose what to leave out (or put back):", options)
        if pick == 0:
            return choices
        item = items[pick - 1][0]
        if item == "exams":
            choices = structs.replace(choices, exams=not choices.exams)
        elif item == "misconceptions":
            choices = structs.replace(choices, misconceptions=not choices.misconceptions)
        else:
            choices = structs.replace(choices, left_out=choices.left_out ^ {item})


def _entries_words(n: int) -> str:
    return f", {n} journal entr{'ies' if n != 1 else 'y'} word for word" if n else ""


SHARE_MENU = 30  # the newest finished entries offered in the menu; an older one is shared with --share ID


def _share(session: Session, choices: Choices, stored: StoredAssignment) -> Choices:
    """A menu of the journal's finished entries since the assignment was added (the newest
    first, at most SHARE_MENU), each marked shared or not, with its short id; a pick turns it over."""
    from datetime import timedelta

    from msgspec import structs

    from neurotutor import dates, paths
    from neurotutor.journal.store import JournalStore, short_ids

    every = JournalStore(paths.journal_file(session.store.path)).listing()
    since = stored.added - timedelta(days=2)
    added_on = dates.local(stored.added).date()
    recent = [x for x in every if x.status == "done" and x.done_at >= since
              and dates.local(x.done_at).date() >= added_on]
    recent.sort(key=lambda x: x.done_at, reverse=True)
    listed = recent[:SHARE_MENU]
    if not listed:
        session.out.line(f"Your journal has no entries finished since you added this assignment ({added_on:%a %d %b %Y}) "
                         f"to share. An older one can be shared with: {session.command('report', '--share', 'ID')}")
        return choices
    short = short_ids([x.id for x in every], [x.id for x in listed])
    while True:
        options = ["Done: show the report again"] + [
            f"{'[shared]' if x.id in choices.entries else '[not shared]'} {x.title}, "
            f"{dates.local(x.done_at).date():%a %d %b %Y} ({short[x.id]})" for x in listed]
        session.out.clear()
        if len(recent) > len(listed):
            session.out.line(f"The {len(listed)} newest of the {len(recent)} entries finished since you added this "
                             f"assignment. To share an older one: {session.command('report', '--share', 'ID')}")
        with session.stoppable(_not_written):
            pick = session.prompter.choose("Which entries would you like to share, word for word?", options)
        if pick == 0:
            return choices
        choices = structs.replace(choices, entries=choices.entries ^ {listed[pick - 1].id})


def _write(session: Session, report: Report, fmt: str, target: Path, key: str | None,
           stored: StoredAssignment, unsealed_by_choice: bool = False) -> None:
    """Write the report (sealed to `key` when there is one) and say what was written."""
    from neurotutor import __version__
    from neurotutor.cli.context import write_file
    from neurotutor.reports.build import contents
    from neurotutor.reports.render import report_file

    data = report_file(report, fmt, __version__)
    if key is not None:
        from neurotutor import seal

        data = seal.seal(data, key)
    written = write_file(target, data)  # 0600: readable only by you until you send it
    if written.stdout:  # the report alone on standard output
        return
    out = session.out
    therapist = stored.assignment.therapist.name
    private = " (readable only by you)" if written.private else ""
    if key is not None:
        out.line(f"Wrote {target}{private}, sealed: only {therapist}, who holds the key the assignment names, can "
                 "open it. Send it as it is.")
    else:
        why = "you chose --no-seal" if unsealed_by_choice else "the assignment carries no key of your therapist's"
        out.line(f"Wrote {target}{private}. It is not sealed ({why}): anyone who gets the file can read it, so send "
                 "it by a safe route.")
    out.line("It contains: " + "; ".join(contents(report.verbatim, "you", report.choices, {x.lesson_id: x.title for x in report.lessons},
                                                  len(report.misconceptions_left_out))[0]) + ".")
