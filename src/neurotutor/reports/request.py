"""A report asked for: which assignment it is of, and the report of it built from the profile.

`choose_assignment` decides which of the learner's assignments a report is of (the one given, the
only one, or the one a person picks). `report_of` gathers what `build.build_report` needs: the
assignment's own lessons from the catalogue, their running totals, and, only when some answers may
be dated after `now` (a clock that was ahead), those answers counted again from the history up to
`now`. No clock (`now` and `today` are given), no prompts (`pick` is the shell's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.errors import UsageError

if TYPE_CHECKING:
    from neurotutor.journal.lock import JournalKey
    from neurotutor.lessons.catalogue import Catalogue
    from neurotutor.progress import model as pm
    from neurotutor.reports.build import Choices, Report
    from neurotutor.reports.practice import Practice
    from neurotutor.stats.tallies import Tallies


def choose_assignment(progress: pm.Progress, assignment_id: str | None,
                      pick: Callable[[Sequence[pm.StoredAssignment]], int] | None,
                      add_command: str, list_command: str) -> pm.StoredAssignment:
    """The assignment a report is of: `assignment_id`, else the only one, else the one `pick`
    chooses among them all (oldest first). A UsageError when there is none (`add_command` adds
    one), when there are several and no `pick`, or when the id is not there (`list_command` lists
    them)."""
    if not progress.assignments:
        raise UsageError(f"You have no assignments, so there is nothing to report. Add one with: {add_command}")
    if assignment_id is None:
        kept = sorted(progress.assignments.values(), key=lambda x: x.added)
        if len(kept) > 1 and pick is None:
            raise UsageError("You have several assignments; choose one with --assignment ID: "
                             + ", ".join(x.assignment.id for x in kept) + ".")
        assignment_id = kept[pick(kept) if len(kept) > 1 and pick is not None else 0].assignment.id
    stored = progress.assignments.get(assignment_id)
    if stored is None:
        raise UsageError(f"There is no assignment with the id {assignment_id!r}. Run '{list_command}' to see them.")
    return stored


def report_of(stored: pm.StoredAssignment, progress: pm.Progress, catalogue: Catalogue, tallies: Tallies,
              history_path: Path, now: datetime, today: date, verbatim: bool, choices: Choices | None = None,
              client_key: str = "", journal_key: JournalKey | None = None) -> Report:
    """The report of one assignment at `now` (`today` the local date), from the running totals
    (`tallies`); the answers in `history_path` are read again only when some may be dated after
    `now`, or when the client includes their words (their typed short answers). Review days count
    from the local date the assignment was added."""
    from neurotutor import dates
    from neurotutor.reports.build import Choices, build_report, count_until, dated_after, may_be_dated_after

    choices = choices or Choices(verbatim=verbatim)
    assigned = [item.lesson for item in stored.assignment.lessons]
    lessons = {lid: catalogue.find(lid).lesson for lid in assigned if catalogue.get(lid) is not None}
    titles = {e.info.id: e.info.title for e in catalogue.lessons}
    totals = tallies.lessons
    counted = None
    answers = None
    if may_be_dated_after(progress, totals, assigned, now, today):  # the totals are per day: read the answers
        from neurotutor.progress import history

        answers = history.read(history_path).attempts
        counted = count_until(answers, assigned, now, tallies.default_offset)
    typed: dict[str, list[str]] = {}
    if choices.verbatim:
        short = {q.id for lesson in lessons.values() for q in lesson.questions
                 if type(q).__struct_config__.tag == "short_answer"}
        if short:
            from neurotutor.progress import history

            for a in answers if answers is not None else history.read(history_path).attempts:
                if a.question in short and a.lesson in lessons and a.mode != "exam" and not dated_after(a.at, now):
                    kept = typed.setdefault(a.question, [])
                    if a.answer_text in kept:
                        kept.remove(a.answer_text)
                    kept.append(a.answer_text)  # distinct, the latest last
    practice = None
    if choices.practice or choices.entries:  # only then are the journal and the check-ins read
        practice = practice_of_profile(stored, history_path, today, choices.entries, journal_key)
    return build_report(stored, progress, totals, lessons, titles, now, today, choices.verbatim,
                        added_on=dates.local(stored.added).date(), counted=counted, choices=choices,
                        client_key=client_key, typed=typed, local_date=lambda moment: dates.local(moment).date(),
                        practice=practice)


def practice_of_profile(stored: pm.StoredAssignment, history_path: Path, today: date,
                        entries: frozenset[str], journal_key: JournalKey | None = None) -> Practice:
    """The practice part of a report from the profile's journal and check-ins (beside its
    history): the goals against the days worksheets were finished, the check-in totals, and the
    content of the entries picked (by id)."""
    from neurotutor import dates, paths
    from neurotutor.checkins import measures
    from neurotutor.checkins import store as checkins
    from neurotutor.journal.store import JournalStore
    from neurotutor.reports.practice import practice_of
    from neurotutor.worksheets.catalogue import load_worksheets

    progress_path = history_path.with_name("progress.json")
    journal = JournalStore(paths.journal_file(progress_path), journal_key)  # the key opens a locked one's answers
    done = journal.finished_days(stored.added, {g.worksheet for g in stored.assignment.goals.practice})
    taken = []
    for c in checkins.read(paths.checkins_file(progress_path)).checkins:
        m = measures.measure(c.measure)
        taken.append((c.measure, c.local_date, c.total, measures.band(m, c.total).words))
    sheets = load_worksheets(paths.builtin_worksheets_dir(), paths.user_lesson_dirs(None, None)
                             + [progress_path.parent / "lessons"])
    titles = {w.worksheet.id: w.worksheet.title for w in sheets.worksheets}
    shared = []
    if entries:
        kept = journal.load().entries
        for entry_id in sorted(entries, key=lambda i: kept[i].created if i in kept else now_never()):
            entry = kept.get(entry_id)
            if entry is None:
                continue
            if entry.sealed is not None:  # a locked journal, not opened: never shared as empty
                raise UsageError(f"The journal entry {entry_id} is locked with your journal's passphrase, so it cannot "
                                 "be shared without it. Nothing was written.")
            sheet = sheets.get(entry.worksheet)
            prompts = {st.id: st.prompt for st in sheet.worksheet.steps} if sheet else {}
            order = list(prompts) + [k for k in entry.answers if k not in prompts]
            shared.append((entry.title, dates.local(entry.done_at).date(),
                           [(prompts.get(k, k), entry.answers[k]) for k in order if k in entry.answers]))
    return practice_of(stored.assignment, dates.local(stored.added).date(), today, done, taken, titles, shared)


def now_never() -> datetime:
    return datetime.min.replace(tzinfo=timezone.utc)

