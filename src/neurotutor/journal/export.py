"""The journal as Markdown (`neurotutor journal export`), and an entry's answers as labelled words.

Pure: entries and the time of the export in, text out. Every value that reaches the Markdown (a
title, an answer, a feeling's name) goes through the one Markdown escaper of the tutor
(`reports.render.markdown_text`), so a viewer shows exactly what was written: never a link, an
image, a tag or a heading that the learner did not type as text. An answer of several lines keeps
its lines (each its own paragraph). Times are shown in the computer's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from neurotutor.dates import local
from neurotutor.journal.model import Entry, Feeling
from neurotutor.journal.store import value_words

Labels = Mapping[str, Mapping[str, str]]  # worksheet id -> step id -> the step's words


def when(moment: datetime) -> str:
    """A moment as the journal shows it: local date and time to the minute."""
    import time

    try:  # time.localtime is what astimezone() uses, at a third of the cost (a list of 10,000 entries)
        t = time.localtime(moment.timestamp())
        if 1 <= t.tm_year <= 9999:
            return "%04d-%02d-%02d %02d:%02d" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min)  # noqa: UP031
    except (OverflowError, OSError, ValueError):
        pass
    return local(moment).strftime("%Y-%m-%d %H:%M")  # the edges of the calendar: as dates.local says


def step_label(step_id: str, worksheet: str = "", labels: Labels | None = None) -> str:
    """What a step is called: the worksheet's own words when known, else its id in words
    ("automatic_thought" is "Automatic thought")."""
    known = (labels or {}).get(worksheet, {}).get(step_id)
    if known:
        return known
    words = step_id.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else step_id


def status_words(entry: Entry) -> str:
    """An entry's status in words."""
    return "done" if entry.status == "done" else "draft"


def answer_lines(entry: Entry, labels: Labels | None = None) -> list[tuple[str, str]]:
    """Each answer of an entry as (label, words), in the order they were given."""
    return [(step_label(step, entry.worksheet, labels), value_words(value)) for step, value in entry.answers.items()]


def _paragraphs(text: str) -> list[str]:
    from neurotutor.reports.render import markdown_text

    return [markdown_text(line) for line in text.splitlines() if line.strip()] or ["(empty)"]


def _feelings(feelings: list[Feeling]) -> list[str]:
    from neurotutor.reports.render import markdown_text

    return [f"- {markdown_text(f.name, cell=True)}: {f.intensity}" for f in feelings] or ["(none)"]


def entry_markdown(entry: Entry, labels: Labels | None = None) -> str:
    """One entry as a Markdown section."""
    from neurotutor.reports.render import markdown_text

    lines = [f"## {markdown_text(entry.title or entry.worksheet)}, {when(entry.created)}", ""]
    state = "Done" if entry.status == "done" else "Draft (not finished)"
    changed = f", last changed {when(entry.updated)}" if when(entry.updated) != when(entry.created) else ""
    lines += [f"{state}{changed}. Id: `{entry.id}`", ""]
    if entry.assignment:
        lines += [f"For the assignment `{entry.assignment}`.", ""]
    if not entry.answers:
        lines += ["Nothing written yet.", ""]
    for step, value in entry.answers.items():
        lines += [f"**{markdown_text(step_label(step, entry.worksheet, labels), cell=True)}**", ""]
        if isinstance(value, list):
            lines += [*_feelings(value), ""]
        elif isinstance(value, str):
            for paragraph in _paragraphs(value):
                lines += [paragraph, ""]
        else:
            lines += [value_words(value), ""]
    return "\n".join(lines)


def to_markdown(entries: Sequence[Entry], now: datetime, labels: Labels | None = None) -> str:
    """The whole journal (or the entries given) as one Markdown document, oldest first."""
    count = f"{len(entries)} entr{'ies' if len(entries) != 1 else 'y'}"
    head = ["# My journal", "",
            f"Exported from neurotutor on {when(now)}: {count}. This file holds what you wrote in your journal; "
            "keep it private, and share it only if you choose to.", ""]
    ordered = sorted(entries, key=lambda e: e.created)
    return "\n".join(head + [entry_markdown(e, labels) for e in ordered]).rstrip("\n") + "\n"
