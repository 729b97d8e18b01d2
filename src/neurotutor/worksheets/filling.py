"""Filling in a worksheet, as values: a journal entry started, answered step by step, finished.

No I/O, no clock, no randomness: the time (`now`) and the random bytes of an entry's id are
arguments, and every function returns a new `Entry` instead of changing one. The terminal flow
(`neurotutor.cli.commands.practice`) asks, and saves what these return; the journal store keeps it.

What a step's answer is, in the journal: free text, a choice (its option's text) and a time
("HH:MM") are text; a 0-100 or 0-10 rating is a whole number; yes/no is true or false; feelings
are a list of {name, intensity}. A step left empty has no answer at all.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from datetime import datetime

import msgspec

from neurotutor.journal.model import MAX_TEXT, Entry, Feeling, Value
from neurotutor.worksheets import model as wm

MAX_FEELINGS = 12
MAX_FEELING_NAME = 100  # as the journal's Feeling allows
_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.h]([0-5][0-9])")
_FEELING = re.compile(r"(?P<name>.*?)[\s,:=-]*(?P<number>[0-9]+)\s*%?")
_NOT_WHOLE = re.compile(r"(?:(?:^|\s)-\s*[0-9]+|[0-9]+[.,][0-9]+)\s*%?$")


def new_entry_id(token: bytes) -> str:
    """An entry id from random bytes: 10 lowercase base32 characters (50 bits), short enough to
    type in `neurotutor practice --resume ID`."""
    return base64.b32encode(token[:7]).decode("ascii").lower()[:10]


def start(worksheet: wm.Worksheet, entry_id: str, now: datetime, assignment: str | None = None) -> Entry:
    """A new, empty draft of this worksheet."""
    return Entry(id=entry_id, worksheet=worksheet.id, title=worksheet.title, status="draft", created=now,
                 updated=now, answers={}, assignment=assignment)


def answered(entry: Entry, step_id: str, value: Value | None, now: datetime) -> Entry:
    """The entry with this step's answer (None: the step left empty, its answer gone)."""
    answers = dict(entry.answers)
    if value is None or value == "" or value == []:
        answers.pop(step_id, None)
    else:
        answers[step_id] = value
    return msgspec.structs.replace(entry, answers=answers, updated=now)


def finished(entry: Entry, now: datetime) -> Entry:
    """The entry, done (and when: an edit later changes `updated`, never `finished`)."""
    return msgspec.structs.replace(entry, status="done", updated=now, finished=now, next_step=None)


def resume_at(worksheet: wm.Worksheet, entry: Entry) -> int:
    """Where filling in goes on: the step after the last one answered (a step left empty before
    it was passed on purpose), or, when only steps that may be left empty lie between that and
    the part filled in later (`later`), that part: the person stopped where it was offered. A step
    that must be answered and is not is asked at the end (`missing`): a worksheet changed since the
    draft was saved may have gained one."""
    steps = worksheet.steps
    if entry.next_step is not None:  # where it stopped, as saved then (a step never reached is asked)
        at = next((i for i, step in enumerate(steps) if step.id == entry.next_step), None)
        if at is not None:
            return at
    after = max((i + 1 for i, step in enumerate(steps) if step.id in entry.answers), default=0)
    for index in range(after, len(steps)):
        step = steps[index]
        if not applies(step, entry):  # passed over by its asked_if: as if it were not there
            continue
        if step.later:
            return index
        if not step.optional:
            break
    return after


def missing(worksheet: wm.Worksheet, entry: Entry) -> list[wm.Step]:
    """The steps that must be answered and are not (a step its `asked_if` passes over is not)."""
    return [step for step in worksheet.steps
            if not step.optional and step.id not in entry.answers and applies(step, entry)]


def applies(step: wm.Step, entry: Entry) -> bool:
    """Whether a step is asked, given the answers so far: always, unless its `asked_if` step was
    left empty or answered no."""
    if step.asked_if is None:
        return True
    value = entry.answers.get(step.asked_if)
    if value is None or value is False:  # left empty, or answered no
        return False
    return not (isinstance(value, (str, list)) and len(value) == 0)


def recalled(worksheet: wm.Worksheet, step: wm.Step, entry: Entry) -> tuple[str, str] | None:
    """The earlier answer a step's `asked_if` names, as (its short name, its words), when it is
    text, a time or feelings (shown above the step's prompt: "Feelings: sad 70, anxious 40"); else None."""
    if step.asked_if is None:
        return None
    value = entry.answers.get(step.asked_if)
    earlier = next((s for s in worksheet.steps if s.id == step.asked_if), None)
    if earlier is None or value is None or wm.step_kind(earlier) not in ("text", "time", "feelings"):
        return None
    return label(earlier), answer_words(value)


def label(step: wm.Step) -> str:
    """A step's short name: its `label`, or its id in words ("evidence-for": "Evidence for")."""
    if step.label:
        return step.label
    words = step.id.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def labels_of(worksheets: Iterable[wm.Worksheet]) -> dict[str, dict[str, str]]:
    """Each worksheet's steps' short names: worksheet id -> step id -> name (for the journal)."""
    return {w.id: {st.id: label(st) for st in w.steps} for w in worksheets}


# -- reading what was typed ----------------------------------------------------------------------------


def read_rating(text: str, high: int) -> int | str:
    """A typed rating from 0 to `high` ("70", "70%"), or what is wrong with it, in words."""
    raw = text.strip().removesuffix("%").strip()
    if raw.isascii() and raw.isdigit() and int(raw) <= high:
        return int(raw)
    return f"Type a whole number from 0 to {high}."


def read_time(text: str) -> str:
    """A typed time of day as "HH:MM" ("7:30", "07.30", "19h05"), or raise ValueError saying how to write it."""
    found = _TIME.fullmatch(text.strip())
    if found is None:
        raise ValueError("Type a time of day as hours:minutes, like 07:30 or 19:05.")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def read_feeling(text: str) -> tuple[str, int | None] | str:
    """A typed feeling, with its intensity when given ("sad 70", "sad, 70%"): (name, intensity or
    None), or what is wrong with it, in words."""
    raw = " ".join(text.split())
    if _NOT_WHOLE.search(raw):  # "sad -5", "sad 50.5": not read as 5, or as a name "sad 50."
        return "Give how strong it is as a whole number from 0 to 100: like sad 70."
    found = _FEELING.fullmatch(raw)
    name, number = (found.group("name").strip(" ,:=-"), found.group("number")) if found else (raw, None)
    if not name:
        return "Name the feeling first, then how strong it is: like sad 70."
    if len(name) > MAX_FEELING_NAME:
        return f"Name the feeling in at most {MAX_FEELING_NAME} characters."
    if number is None:
        return name, None
    if not number.isascii() or int(number) > 100:
        return "How strong it is goes from 0 to 100: like sad 70."
    return name, int(number)


def text_problem(text: str) -> str | None:
    """Why a typed answer cannot be kept, or None."""
    if len(text) > MAX_TEXT:
        return f"That is {len(text):,} characters; an answer can be at most {MAX_TEXT:,}."
    return None


# -- what was answered, in words ---------------------------------------------------------------------


def answer_words(value: Value | None) -> str:
    """An answer as the summary and the journal show it."""
    if value is None:
        return "(left empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return ", ".join(f"{f.name} {f.intensity}" for f in value) or "(left empty)"
    return value


def filled_lines(worksheet: wm.Worksheet, entry: Entry) -> list[tuple[str, str]]:
    """Each step of the worksheet as (its short name, the answer in words), in order (a step its
    `asked_if` passed over is left out)."""
    return [(label(step), answer_words(entry.answers.get(step.id))) for step in worksheet.steps
            if step.id in entry.answers or applies(step, entry)]


def steps_answered(worksheet: wm.Worksheet, entry: Entry) -> int:
    """How many of the worksheet's steps have an answer."""
    return sum(step.id in entry.answers for step in worksheet.steps)


def feelings(pairs: list[tuple[str, int]]) -> list[Feeling]:
    """Feelings as the journal keeps them."""
    return [Feeling(name=name, intensity=intensity) for name, intensity in pairs]
