"""`neurotutor checkin` (a PHQ-8 or GAD-7, question by question) and `neurotutor checkins` (the
results over time).

The wording, scoring, bands and reliable change are `neurotutor.checkins.measures`; the file is
`neurotutor.checkins.store`. A check-in is saved only once every question is answered: q, Ctrl-C
or the end of input save nothing. A total in the severe band shows the crisis lines at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.checkins.measures import Measure
    from neurotutor.checkins.model import CheckIn
    from neurotutor.checkins.store import CheckinsRead
    from neurotutor.cli.session import Session

NOT_MONITORED = "Nobody sees these answers unless you choose to share them; this is not a diagnosis."
NOBODY_REPLIES = ("Nobody watches these answers either, so nobody will reply to them. If you are in crisis or might "
                  "harm yourself, do not wait: press ! at any question to see crisis lines.")
NOTHING_SAVED = "Nothing was saved: a check-in is kept only when every question is answered."
SEVERE = ("This total is in the top band. It is not a diagnosis, but please do not carry this alone: talk to your "
          "doctor or your therapist soon. If you are in danger now, or might harm yourself, get help now:")
ALIASES = {"phq8": "phq8", "phq-8": "phq8", "phq": "phq8", "gad7": "gad7", "gad-7": "gad7", "gad": "gad7"}


def run(
    ctx: typer.Context,
    measure: str | None = typer.Argument(None, metavar="[MEASURE]", show_default=False,
                                         help="phq8 (the PHQ-8, depression symptoms) or gad7 (the GAD-7, anxiety "
                                              "symptoms). Without it, choose from a list."),
) -> None:
    """Check in with a standard questionnaire: the PHQ-8 (depression symptoms) or the GAD-7
    (anxiety symptoms), each question about the last 2 weeks.

    At the end you see your total, its band in words, and how it changed since your last check-in
    with the same questionnaire: marked reliable only when it is larger than measurement error
    allows. Your answers stay on this computer, for you alone; nobody monitors them. Press ! at any
    question for crisis lines; q or Ctrl-C stops and saves nothing.

    Example: neurotutor checkin phq8
    """
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    s.greet()
    check_in(s, measure)


def check_in(s: Session, measure: str | None = None) -> None:
    """A check-in: the questionnaire chosen (or asked for), its questions, the result saved and shown."""
    from neurotutor.checkins.summary import last_of

    m = _chosen(s, measure)
    before = last_of(_read(s).checkins, m.id)  # a file that cannot be used says so before any question
    answers = _asked(s, m)
    _finish(s, m, answers, before)


def history(
    ctx: typer.Context,
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/checkins-format.md)."),
) -> None:
    """Show your check-ins over time: a small chart of each questionnaire's totals by date, and
    whether the last change is more than measurement error allows.

    Example: neurotutor checkins
    """
    import sys
    import textwrap

    from neurotutor.checkins.chart import chart_lines
    from neurotutor.checkins.summary import series
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    found = _read(s)
    s.greet()
    made = series(found.checkins)
    if json:
        from neurotutor.envelope import encode_document

        s.out.json(encode_document("checkins", s.now, {"measures": made}))
        return
    out = s.out
    if not made:
        out.command("No check-ins yet. To do one, run:", s.command("checkin"))
        return
    lines: list[str] = []
    for one in made:
        lines += ([""] if lines else []) + chart_lines(one, out.width or 80, ascii=not out.decorated)
    lines += [""] + textwrap.wrap(f"Kept in {_path(s)}, readable only by you. Not a diagnosis: a screening score "
                                  "over time.", max((out.width or 80) - 1, 20), break_on_hyphens=False,
                                  break_long_words=False)
    if sys.stdin.isatty() and out.height:  # a person at a screen: a page at a time when it does not fit
        with s.stoppable(lambda first: f"{first}."):
            s.prompter.page(lines, "done", wait=False)
    else:
        out.show_lines(lines)


# -- the parts ------------------------------------------------------------------------------------


def _path(s: Session) -> Path:
    from neurotutor import paths

    return paths.checkins_file(s.store.path)


def _read(s: Session) -> CheckinsRead:
    """Every check-in saved (lines that cannot be read are named on stderr and left out)."""
    from neurotutor.checkins import store

    found = store.read(_path(s))
    s.show_notices()
    for problem in found.problems:
        s.out.warn(problem)
    return found


def _chosen(s: Session, given: str | None) -> Measure:
    """The measure named on the command line, or chosen from a menu."""
    from neurotutor.checkins.measures import MEASURES
    from neurotutor.errors import UsageError

    if given is not None:
        key = ALIASES.get(given.strip().lower())
        if key is None:
            raise UsageError(f"Which check-in? Give phq8 (the PHQ-8, depression symptoms) or gad7 (the GAD-7, anxiety "
                             f"symptoms), not {given!r}.")
        return MEASURES[key]
    options = list(MEASURES.values())
    with s.stoppable(lambda first: f"{first}. {NOTHING_SAVED}"):
        index = s.prompter.choose("Which check-in?", [f"{m.name}: {m.about} ({len(m.items)} questions)"
                                                      for m in options])
    return options[index]


def _asked(s: Session, m: Measure) -> tuple[int, ...]:
    """The answer to every item (0-3), asked one at a time; stopping saves nothing."""
    out = s.out
    out.heading(f"{m.name} check-in: {m.about}")
    out.line(NOT_MONITORED)
    out.line(NOBODY_REPLIES)
    out.note("q or Ctrl-C stops at any question; nothing is saved until the last one is answered.")
    out.line()
    out.line(m.stem)
    answers: list[int] = []
    with s.stoppable(lambda first: f"{first}. {NOTHING_SAVED}"):
        for number, item in enumerate(m.items, 1):
            answers.append(s.prompter.choose(f"{number} of {len(m.items)}. {item}", list(m.answers)))
    return tuple(answers)


def _finish(s: Session, m: Measure, answers: tuple[int, ...], before: CheckIn | None) -> None:
    """Save the check-in, then show the total, its band, the crisis lines when it is severe, and
    the change since the last one. The result is shown even when saving fails (then the error)."""
    import random

    from neurotutor.checkins import measures as ms
    from neurotutor.checkins import store
    from neurotutor.checkins.chart import day_words
    from neurotutor.checkins.model import new_checkin
    from neurotutor.cli.session import local_offset
    from neurotutor.errors import NeurotutorError

    now = s.clock()
    checkin = new_checkin(m.id, answers, now, local_offset(), random.SystemRandom())
    path = _path(s)
    failed: NeurotutorError | None = None
    try:
        for notice in store.add(path, s.store.lock_path, checkin, now):
            s.out.warn(notice)
    except NeurotutorError as exc:
        failed = exc
    score = ms.total(m, answers)
    band = ms.band(m, score)
    out = s.out
    out.heading("Your result")
    said = f"Your {m.name} total: {score} out of {m.max_total}. Band: {band.words} (totals of {band.low} to {band.high})."
    paged = band.severe and _crisis_lines(s, said)
    if not band.severe:
        out.line(said)
    out.line(_change_line(m, before, checkin) if before is not None else
             f"This is your first {m.name} check-in here: the next one will show how it changed.")
    out.line("A total is a screening score, not a diagnosis; a doctor or therapist can tell you what it means for you.")
    if failed is None:
        out.note(f"Saved on {day_words(checkin.local_date)}, in {path}, readable only by you.")
        out.command("To see your check-ins over time, run:", s.command("checkins"))
    out.note(m.copyright)
    if paged:  # last, so the total and the numbers are what the screen ends with
        from neurotutor import safety

        out.line()
        out.line(said)
        out.line(safety.COMPACT)
    if failed is not None:
        raise failed


def _change_line(m: Measure, before: CheckIn, now: CheckIn) -> str:
    from neurotutor.checkins import measures as ms
    from neurotutor.checkins.chart import day_words

    c = ms.change(m, ms.total(m, before.answers), ms.total(m, now.answers))
    return ms.change_words(c, f"{day_words(before.local_date)} (your last {m.name}: {before.total})")


def _crisis_lines(s: Session, said: str) -> bool:
    """The total, then the crisis lines at once, emergency numbers first. On a screen too small for
    them the total and the reason come first on the first page (True: paged; the caller then ends
    with the total and the crisis lines in a few lines, in sight even if the pages were left
    before their end)."""
    import sys

    from neurotutor.cli.pager import safety_lines

    out = s.out
    with out.captured() as lines:
        out.line(said)
        out.line()
        out.line(SEVERE)
    lines += safety_lines(out)
    if sys.stdin.isatty() and out.height and len(lines) > out.height - 2:
        s.prompter.page(lines, "back to your result", wait=False)
        return True
    out.show_lines(lines)
    out.line()
    return False
