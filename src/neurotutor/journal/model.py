"""Journal entries, format 1, as strict msgspec models (docs/journal-format.md).

An entry is one worksheet filled in (or being filled in: a draft), keyed by a stable random id.
Each answer is kept under its step's id, as the kind of value the step asks for: text, a number
(a 0-100 or 0-10 rating), true/false (yes/no), a chosen option's text, a time of day ("HH:MM"),
or a list of feelings with their intensity. Nothing here reads a clock or a file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

FORMAT_VERSION = 1
MAX_TEXT = 20_000  # one answer in words
MAX_SEALED = 8 * 1024 * 1024  # the sealed answers of one entry, in bytes before base64
Text = Annotated[str, Meta(max_length=MAX_TEXT)]
Id = Annotated[str, Meta(pattern=r"^[a-z0-9][a-z0-9_-]{0,79}$")]


class Feeling(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A feeling and how strong it is, 0-100."""

    name: Annotated[str, Meta(min_length=1, max_length=100)]
    intensity: Annotated[int, Meta(ge=0, le=100)]


Value = Text | int | bool | list[Feeling]  # free text, choice or time ("HH:MM") are text; ratings are int


class Entry(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """One worksheet filled in (a draft until every step that must be answered is)."""

    id: Id  # random, made when the entry is started; never reused
    worksheet: Id  # the worksheet's id
    title: Annotated[str, Meta(max_length=300)]  # the worksheet's title when it was filled in
    status: Literal["draft", "done"] = "draft"
    created: Annotated[datetime, Meta(tz=True)]  # UTC; a time with no offset is refused
    updated: Annotated[datetime, Meta(tz=True)]
    finished: Annotated[datetime, Meta(tz=True)] | None = None  # when it was done (an edit later does not move it)
    answers: dict[str, Value] = {}  # step id -> answer (a step left empty is absent)
    assignment: Id | None = None  # the assignment it was done for, if any
    next_step: Id | None = None  # a draft: the step to ask when it is finished later (where it stopped)
    # In a locked journal: the answers sealed to the journal's key (an age file, base64), and
    # `answers` left empty in the file. In memory, an entry opened with the key has its answers back.
    sealed: Annotated[str, Meta(max_length=4 * MAX_SEALED)] | None = None

    @property
    def done_at(self) -> datetime:
        """When it was finished: what practice is counted by (an entry saved before `finished`
        was kept: its last change)."""
        return self.finished or self.updated
