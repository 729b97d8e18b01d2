"""The worksheet file format, version 1, as strict msgspec models.

A worksheet is a YAML file, like a lesson (`kind: worksheet` says which it is): an id, a title, why
it helps (`purpose`), when to stop (`safety_note`) and its steps, each a prompt with the kind of
answer it asks for. Unknown fields are refused and nothing is coerced. `docs/worksheet-format.md`
describes the same format for authors. Nothing here reads a file or the clock.
"""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import Meta, Struct

from neurotutor.lessons.model import Silenced, Slug, Text

FORMAT_VERSION = 1
KIND = "worksheet"
MAX_TITLE = 200  # a journal entry keeps the title (at most 300 characters there)
MAX_PROMPT = 300  # a prompt is asked on one line; lint asks for much less (authoring.worksheet_lint)
MAX_OPTION = 200
MAX_STEPS = 60
RESERVED_IDS = ("breathe",)  # `neurotutor practice breathe` is the breathing space
STEP_KINDS: tuple[str, ...] = ("text", "feelings", "rating_100", "rating_10", "choice", "yes_no", "time")

Title = Annotated[str, Meta(min_length=1, max_length=MAX_TITLE)]
Prompt = Annotated[str, Meta(min_length=1, max_length=MAX_PROMPT)]
Option = Annotated[str, Meta(min_length=1, max_length=MAX_OPTION)]


class Model(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Base of every worksheet-file model: frozen, strict, keyword-only."""


class StepBase(Model, frozen=True, tag_field="kind", kw_only=True):
    """What every step has; `kind` says what answer it asks for."""

    id: Slug  # the answer is kept under it: never change it once people use the worksheet
    prompt: Prompt  # one line: what to write or rate
    help: Text | None = None  # shown on request (? at the step): what the step means, with an example
    optional: bool = False  # may be left empty (Enter alone)
    # This step starts the part usually filled in later (after the planned activity or the day):
    # before it, the person may stop and come back with `neurotutor practice --resume`.
    later: bool = False
    # Asked only when this earlier step was answered (and, when that step is a yes/no, answered
    # yes); otherwise passed over, and never counted as missing. The earlier answer, when it is
    # text or a time, is shown above the prompt ("Activity 2: call my sister").
    asked_if: Slug | None = None
    # Its short name in the journal and the summaries ("Did the first thing"); default: its id in words.
    label: Annotated[str, Meta(min_length=1, max_length=60)] | None = None


class TextStep(StepBase, frozen=True, tag="text", kw_only=True):
    """Free text, in the person's own words."""


class FeelingsStep(StepBase, frozen=True, tag="feelings", kw_only=True):
    """One or more feelings, each with how strong it is, 0-100."""


class Rating100Step(StepBase, frozen=True, tag="rating_100", kw_only=True):
    """A number from 0 to 100 (how strong, how sure, how much believed, in per cent)."""


class Rating10Step(StepBase, frozen=True, tag="rating_10", kw_only=True):
    """A number from 0 to 10 (mood, mastery, pleasure)."""


class ChoiceStep(StepBase, frozen=True, tag="choice", kw_only=True):
    """One of the options given (its text is kept)."""

    options: Annotated[tuple[Option, ...], Meta(min_length=2, max_length=20)]


class YesNoStep(StepBase, frozen=True, tag="yes_no", kw_only=True):
    """Yes or no."""


class TimeStep(StepBase, frozen=True, tag="time", kw_only=True):
    """A time of day, kept as "HH:MM" (24-hour clock)."""


Step = TextStep | FeelingsStep | Rating100Step | Rating10Step | ChoiceStep | YesNoStep | TimeStep


class Worksheet(Model, frozen=True, kw_only=True):
    """One worksheet file."""

    kind: Literal["worksheet"]
    format: Literal[1]
    id: Slug  # journal entries are keyed by it: never change it once people use the worksheet
    title: Title
    purpose: Text  # why it helps, in a few plain sentences
    safety_note: Text | None = None  # when to stop and where to find help (lint warns when there is none)
    lesson: Slug | None = None  # the lesson that explains it
    steps: Annotated[tuple[Step, ...], Meta(min_length=1, max_length=MAX_STEPS)]
    lint: Silenced = {}


def step_kind(step: Step) -> str:
    """The step's `kind` as written in the file ("rating_100")."""
    return str(type(step).__struct_config__.tag)
