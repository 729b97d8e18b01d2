"""The assignment file format, version 1, as strict msgspec models.

An assignment is a YAML file a therapist writes (or scaffolds with `neurotutor assign new`) and a
client adds with `neurotutor assignment add`. It says who it is from, who it is for (a label, never
required to be a real name), which lessons to take by when, optional review and exam goals, and a
note. A lesson is a built-in id or a lesson file bundled beside the assignment (`file:`).
`docs/assignment-format.md` describes the same format for therapists.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct

from neurotutor.lessons.model import Slug, Text

FORMAT_VERSION = 1
Label = Annotated[str, Meta(min_length=1, max_length=40)]

# How long the free text of an assignment file may be (docs/assignment-format.md). The loader
# checks these, not the types below: progress.json keeps a copy of every assignment added, and
# one added before a limit existed must still load.
MAX_TITLE = 200
MAX_THERAPIST_NAME = 100
MAX_CONTACT = 200
MAX_NOTE = 4000
MAX_FILE = 200  # a bundled file's path, as the assignment gives it
MAX_LESSONS = 100


class Model(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every assignment-file model: frozen, strict, keyword-only."""


class Therapist(Model, frozen=True, kw_only=True):
    """Who set the assignment, and how the client can reach them."""

    name: Text
    contact: Text | None = None  # a contact line: phone, e-mail or "at our next session"
    key: Text | None = None  # the therapist's age public key (age1...): reports are sealed to it


class AssignedLesson(Model, frozen=True, kw_only=True):
    """One lesson to take, by a date."""

    lesson: Slug  # its id: a built-in lesson, or the lesson in `file`
    due: date
    file: Text | None = None  # a lesson file bundled with the assignment, relative to it


class ReviewGoal(Model, frozen=True, kw_only=True):
    """Spaced review, a few minutes a day."""

    minutes_per_day: Annotated[int, Meta(ge=1, le=240)]


class ExamGoal(Model, frozen=True, kw_only=True):
    """An exam on some of the lessons, with a score to reach."""

    lessons: tuple[Slug, ...] = ()  # empty: the assignment's lessons
    min_score: Annotated[int, Meta(ge=0, le=100)]  # per cent
    due: date | None = None


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BREATHE = "breathe"  # the breathing space, set as practice like a worksheet


class PracticeGoal(Model, frozen=True, kw_only=True):
    """Practice between sessions: a worksheet (or the breathing space, `breathe`) so many times a
    week or a day, until a date ("2 thought records a week until 14 Dec")."""

    worksheet: Slug  # a built-in worksheet's id, one bundled in `file`, or "breathe"
    times: Annotated[int, Meta(ge=1, le=50)]
    per: Literal["week", "day"] = "week"
    until: date | None = None  # the last day it is set for (None: while the assignment lasts)
    file: Text | None = None  # a worksheet file bundled with the assignment, relative to it


class CheckinGoal(Model, frozen=True, kw_only=True):
    """A check-in with a standard measure, on one day of each week ("PHQ-8 each Monday")."""

    measure: Literal["phq8", "gad7"]
    day: Weekday | None = None  # None: any day of each week
    until: date | None = None


class Goals(Model, frozen=True, kw_only=True):
    review: ReviewGoal | None = None
    exam: ExamGoal | None = None
    practice: tuple[PracticeGoal, ...] = ()
    checkins: tuple[CheckinGoal, ...] = ()


class Assignment(Model, frozen=True, kw_only=True):
    """One assignment file."""

    kind: Literal["assignment"]
    format: Literal[1]
    id: Slug
    title: Text
    therapist: Therapist
    client: Label  # a pseudonym or initials
    lessons: Annotated[tuple[AssignedLesson, ...], Meta(min_length=1)]
    goals: Goals = Goals()
    note: Text | None = None  # to the client, shown when the assignment is added and on the home screen
