"""Check-ins, format 1, as strict msgspec models (docs/checkins-format.md).

`checkins.jsonl` opens with a header line ({"format": "neurotutor-checkins", "version": 1}); every
other line is one check-in: which measure, the answer to each of its items (0-3, in the order of
the published form), when, and the learner's offset from UTC then. The total and its band are not
stored: they are computed from the answers (`neurotutor.checkins.measures`), so the file cannot
disagree with itself. Nothing here reads a clock or a file; a new check-in's time and id are
passed in.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from msgspec import Meta, Struct

from neurotutor.checkins.measures import MEASURES

FORMAT: Literal["neurotutor-checkins"] = "neurotutor-checkins"
FORMAT_VERSION = 1

Score = Annotated[int, Meta(ge=0, le=3)]
UtcOffset = Annotated[int, Meta(ge=-24 * 60, le=24 * 60)]  # minutes east of UTC
CheckinId = Annotated[str, Meta(pattern=r"^[0-9a-f]{16}$")]
Utc = Annotated[datetime, Meta(tz=True)]


class Header(Struct, frozen=True, forbid_unknown_fields=True):
    """The first line of the file: what it is and its format's version."""

    format: Literal["neurotutor-checkins"]
    version: Annotated[int, Meta(ge=1)]


class HeaderProbe(Struct, frozen=True):
    """Just enough of a header to tell a newer format from a damaged one (unknown fields allowed)."""

    format: str
    version: int


class CheckIn(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """One check-in: a measure answered in full (a check-in stopped half way is never kept)."""

    id: CheckinId  # random, made when it is saved; never reused
    measure: Literal["phq8", "gad7"]
    answers: tuple[Score, ...]  # one per item, in the form's order: 0 "Not at all" to 3 "Nearly every day"
    at: Utc  # when it was finished
    utc_offset: UtcOffset | None = None  # the learner's offset from UTC then (the local date of the check-in)

    def __post_init__(self) -> None:
        wanted = len(MEASURES[self.measure].items)
        if len(self.answers) != wanted:
            raise ValueError(f"a {MEASURES[self.measure].name} check-in has {wanted} answers, not {len(self.answers)}")

    @property
    def total(self) -> int:
        """The published score: the sum of the answers."""
        return sum(self.answers)

    @property
    def local_date(self) -> date:
        """The learner's date when it was done (the UTC date when no offset was recorded)."""
        return (self.at + timedelta(minutes=self.utc_offset or 0)).date()


def new_checkin(measure: str, answers: tuple[int, ...], now: datetime, utc_offset: int | None,
                rng: random.Random) -> CheckIn:
    """A check-in finished at `now` (timezone-aware), with a random id from `rng`; checked as
    strictly as a line read from the file (msgspec.ValidationError when something does not fit)."""
    import msgspec

    return msgspec.convert({"id": f"{rng.getrandbits(64):016x}", "measure": measure, "answers": answers,
                            "at": now, "utc_offset": utc_offset}, type=CheckIn)
