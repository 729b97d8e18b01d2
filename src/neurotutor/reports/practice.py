"""Practice in a report (issue 21): only what the client chooses, built as plain data.

With the client's consent (`Choices.practice`), a report carries each practice goal of the
assignment (what was set so far and done, and the days), and the check-in totals of the measures
it sets (date, total, band). The content of a journal entry reaches a report only when the client
picks that entry (`Choices.entries`): its worksheet, date and answers in words. Nothing else of the
journal or the check-ins is read into a report. Pure: the shell reads the files and passes them in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import msgspec

from neurotutor.assignments import model as am
from neurotutor.assignments.homework import homework


class GoalResult(msgspec.Struct, frozen=True):
    what: str  # the worksheet's id, "breathe" or the measure
    words: str  # the goal in words
    set_so_far: int
    done: int
    dates: tuple[date, ...]


class CheckinResult(msgspec.Struct, frozen=True):
    measure: str  # "phq8" or "gad7"
    on: date
    total: int
    band: str


class SharedEntry(msgspec.Struct, frozen=True):
    title: str
    on: date
    answers: tuple[tuple[str, str], ...]  # (step, the answer in words), in the worksheet's order


class Practice(msgspec.Struct, frozen=True):
    goals: tuple[GoalResult, ...] = ()
    checkins: tuple[CheckinResult, ...] = ()
    entries: tuple[SharedEntry, ...] = ()


def value_words(value: object) -> str:
    """An answer in words: feelings as "sad 70, tense 40", yes/no, numbers and text as they are."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(f"{f.name} {f.intensity}" for f in value)
    return str(value)


def practice_of(a: am.Assignment, added_on: date, today: date, worksheets_done: Mapping[str, Sequence[date]],
                checkins: Iterable[tuple[str, date, int, str]], titles: Mapping[str, str],
                shared: Iterable[tuple[str, date, Sequence[tuple[str, object]]]] = ()) -> Practice:
    """The practice part of a report: the goals against what was done, the totals of the measures
    the assignment sets (from the day it was added), and the entries the client picked
    ((title, date, (step, value)...))."""
    measures = {g.measure for g in a.goals.checkins}
    taken = [c for c in checkins if c[0] in measures and added_on <= c[1] <= today]
    done_checkins: dict[str, list[date]] = {}
    for measure, on, _, _ in taken:
        done_checkins.setdefault(measure, []).append(on)
    goals = tuple(GoalResult(s.what, s.words, s.set_so_far, s.done, s.dates)
                  for s in homework(a, added_on, today, worksheets_done, done_checkins, titles))
    return Practice(goals, tuple(CheckinResult(*c) for c in sorted(taken, key=lambda c: (c[0], c[1]))),
                    tuple(SharedEntry(title, on, tuple((step, value_words(v)) for step, v in answers))
                          for title, on, answers in shared))
