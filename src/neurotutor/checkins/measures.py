"""The two standard measures a learner can check in with: the PHQ-8 and the GAD-7.

Their wording, answers, scoring and severity bands exactly as published, the copyright line as
the forms carry it, and the Jacobson-Truax reliable change index with the numbers it is computed
from (docs/checkins-format.md). Pure: no clock, no file, nothing shown.

Why the PHQ-8 and not the PHQ-9 (fact sheet 14.3-14.5, 14.12): the PHQ-9's ninth item asks about
thoughts of death or self-harm, and a positive answer needs a person to respond. Nobody sees these
answers, so the eight-item form is used, and the check-in says so plainly. Nothing here labels a
score as a "risk": a total is put in its published band, in words, and nothing more.

The wording. The PHQ-8 is the PHQ-9 without item 9; its stem, items and answers are those of the
Pfizer form (phqscreeners.com, PHQ-9 and PHQ-8 forms; Kroenke, Spitzer & Williams 2001, J Gen
Intern Med 16:606-613; Kroenke et al. 2009, J Affect Disord 114:163-173). The GAD-7's are those of
its Pfizer form (Spitzer, Kroenke, Williams & Löwe 2006, Arch Intern Med 166:1092-1097), whose
stem reads "by the following problems", without "any of". Bands: Kroenke 2001 (5/10/15/20) and
Spitzer 2006 (5/10/15), fact sheet 14.1, 14.5 and 14.6.

Reliable change (fact sheet 14.9): RCI = (x2 - x1) / S_diff, with S_diff = sqrt(2) * SEM and
SEM = SD * sqrt(1 - r); |RCI| > 1.96 is unlikely (p < .05) to be measurement error alone
(Jacobson & Truax 1991, J Consult Clin Psychol 59:12-19). Jacobson and Truax take r as the
measure's test-retest reliability and SD from "a normal population" or the group before treatment;
the numbers used, and where each comes from:

- PHQ-8: SD 3.5, r 0.84. SD: the PHQ-9 in 5,018 German adults, 3.5 for women and for men
  (Kocalevent, Hinz & Brähler 2013, Gen Hosp Psychiatry 35:551-555). r: the PHQ-9 given twice
  within 48 hours, r = 0.84 (Kroenke 2001). Both are the PHQ-9's; the PHQ-8 correlates 0.998 with
  it (fact sheet 14.5), and without item 9 its spread can only be a little smaller, which asks
  for a little more change, not less. S_diff = 1.98: a change of more than 3.88 points (4 or more)
  is reliable.
- GAD-7: SD 3.5, r 0.83. SD: 5,030 German adults, 3.5 for women and 3.2 for men, the larger taken
  (Löwe et al. 2008, Med Care 46:266-274). r: test-retest intraclass correlation 0.83
  (Spitzer 2006). S_diff = 2.04: a change of more than 4.00 points (5 or more) is reliable.

A clinical sample's larger SD would ask for more: NHS Talking Therapies reportedly counts 6 points
on the PHQ-9 and 4 on the GAD-7 as reliable improvement (fact sheet 14.10, as reported).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

MeasureId = Literal["phq8", "gad7"]

ANSWERS = ("Not at all", "Several days", "More than half the days", "Nearly every day")  # scored 0, 1, 2, 3
COPYRIGHT = ("Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an "
             "educational grant from Pfizer Inc. No permission required to reproduce, translate, display or "
             "distribute.")
RCI_CRITERION = 1.96  # |RCI| above this: p < .05 that measurement error alone made the change


@dataclass(frozen=True)
class Band:
    """A published severity band of totals, `low` to `high` inclusive."""

    low: int
    high: int
    words: str  # as published: "moderate", "moderately severe"
    severe: bool = False  # the top band: the crisis lines are shown at once


@dataclass(frozen=True)
class ReliableChange:
    """The numbers a measure's reliable change index is computed from, and where they come from."""

    sd: float
    reliability: float
    source: str

    @property
    def s_diff(self) -> float:
        """The standard error of a difference between two scores: sqrt(2) * SD * sqrt(1 - r)."""
        return math.sqrt(2) * self.sd * math.sqrt(1 - self.reliability)

    @property
    def points(self) -> float:
        """The change a total must exceed to count as reliable (1.96 * S_diff), in points."""
        return RCI_CRITERION * self.s_diff

    @property
    def whole_points(self) -> int:
        """The smallest whole-point change that counts as reliable."""
        return next(n for n in range(1, 100) if n / self.s_diff > RCI_CRITERION)


@dataclass(frozen=True)
class Measure:
    """A questionnaire: its published wording, answers, bands and copyright line."""

    id: MeasureId
    name: str  # "PHQ-8"
    about: str  # what it asks about, in words: "depression symptoms"
    stem: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    reliable: ReliableChange
    answers: tuple[str, ...] = ANSWERS
    copyright: str = COPYRIGHT

    @property
    def max_total(self) -> int:
        """The highest total there is (3 for every item)."""
        return 3 * len(self.items)


PHQ8 = Measure(
    id="phq8",
    name="PHQ-8",
    about="depression symptoms",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 being so "
        "fidgety or restless that you have been moving around a lot more than usual",
    ),
    bands=(
        Band(0, 4, "none-minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 19, "moderately severe"),
        Band(20, 24, "severe", severe=True),
    ),
    reliable=ReliableChange(
        sd=3.5, reliability=0.84,
        source="SD 3.5: the PHQ-9 in 5,018 adults of the German general population (Kocalevent, Hinz & "
               "Brähler 2013); reliability 0.84: the PHQ-9 given twice within 48 hours (Kroenke, Spitzer & "
               "Williams 2001)"),
)

GAD7 = Measure(
    id="gad7",
    name="GAD-7",
    about="anxiety symptoms",
    stem="Over the last 2 weeks, how often have you been bothered by the following problems?",
    items=(
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    bands=(
        Band(0, 4, "minimal"),
        Band(5, 9, "mild"),
        Band(10, 14, "moderate"),
        Band(15, 21, "severe", severe=True),
    ),
    reliable=ReliableChange(
        sd=3.5, reliability=0.83,
        source="SD 3.5: 5,030 adults of the German general population, the larger of the SDs reported for "
               "women (3.5) and men (3.2) (Löwe et al. 2008); reliability 0.83: test-retest intraclass "
               "correlation (Spitzer, Kroenke, Williams & Löwe 2006)"),
)

MEASURES: dict[str, Measure] = {m.id: m for m in (PHQ8, GAD7)}


def measure(measure_id: str) -> Measure:
    """The measure with this id ("phq8" or "gad7"); KeyError for any other."""
    return MEASURES[measure_id]


def total(m: Measure, answers: Sequence[int]) -> int:
    """The published score: the sum of the answers, each 0-3, one for every item."""
    if len(answers) != len(m.items):
        raise ValueError(f"the {m.name} has {len(m.items)} questions, not {len(answers)}")
    if any(isinstance(a, bool) or a not in (0, 1, 2, 3) for a in answers):
        raise ValueError("every answer is scored 0, 1, 2 or 3")
    return sum(answers)


def band(m: Measure, score: int) -> Band:
    """The published severity band a total falls in."""
    for b in m.bands:
        if b.low <= score <= b.high:
            return b
    raise ValueError(f"a {m.name} total is 0 to {m.max_total}, not {score}")


@dataclass(frozen=True)
class Change:
    """From one total to the next of the same measure."""

    points: int  # after - before: negative is fewer symptoms reported
    rci: float  # the reliable change index
    reliable: bool  # |RCI| > 1.96


def rci(m: Measure, before: int, after: int) -> float:
    """The Jacobson-Truax reliable change index: (after - before) / S_diff."""
    return (after - before) / m.reliable.s_diff


def change(m: Measure, before: int, after: int) -> Change:
    """The change between two totals, and whether it is more than measurement error allows."""
    index = rci(m, before, after)
    return Change(after - before, index, abs(index) > RCI_CRITERION)


def change_words(c: Change, since: str) -> str:
    """The change in words, for a learner: reliable only when it passes the index."""
    if c.points == 0:
        return f"The same total as on {since}."
    way = "Down" if c.points < 0 else "Up"
    fewer = "fewer" if c.points < 0 else "more"
    s = "s" if abs(c.points) != 1 else ""
    said = f"{way} {abs(c.points)} point{s} ({fewer} symptoms reported) since {since}: "
    if c.reliable:
        return said + "more than measurement error allows, a reliable change."
    return said + "a change within what measurement error allows."
