"""The checks of a lesson's content that its schema cannot express: characters that could drive a
terminal, line breaks in what is shown on one line, and the meaning of the content (one right
answer, references that exist, distinct options, ...). Each reports through `Report` with the
path of the value, so the loader can give every problem its line and column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from neurotutor.jsonpos import format_path
from neurotutor.text import describe_char, excerpt, first_unsafe, normalize_answer

Report = Callable[[tuple[Any, ...], str, bool], None]


def items_of(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """The mappings in the list data[key], with their indices (anything else is skipped)."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def strings_of(data: Any, key: str) -> list[tuple[int, str]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, str)]


def check_characters(value: Any, path: tuple[Any, ...], report: Report) -> None:
    """No text may hold a control character or a bidirectional override (they can drive a
    terminal or make text read differently from what it says)."""
    if isinstance(value, str):
        at = first_unsafe(value)
        if at >= 0:
            report(path, f"contains {_unsafe_char(value[at])} at character {at + 1}; remove it", False)
    elif isinstance(value, dict):
        for key, item in value.items():
            at = first_unsafe(key) if isinstance(key, str) else -1
            if at >= 0:
                report(path + (key,), f"the field name contains {_unsafe_char(key[at])} at character {at + 1}; "
                       "remove it", True)
            check_characters(item, path + (key,), report)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_characters(item, path + (i,), report)


def has_field(data: Any, fields: tuple[str, ...]) -> bool:
    """Whether YAML data is a set of fields with at least one of these."""
    return isinstance(data, dict) and any(name in data for name in fields)


_BREAKS = re.compile("[\n\t\u2028\u2029]")


def one_line_problem(value: Any) -> str | None:
    """Why a text shown on one line (a title, a name, a label, an answer) is not one line, or None."""
    found = _BREAKS.search(value) if isinstance(value, str) else None
    if found is None:
        return None
    at = found.start()
    what = "a tab" if found.group() == "\t" else "a line break"
    hint = " (a block written with > or | ends in a line break: write >- or |- instead)" \
        if at == len(value) - 1 and value.endswith("\n") else ""
    return f"contains {what} at character {at + 1}; it is shown on one line, so write it on one line{hint}"


def check_one_line(data: Any, report: Report) -> None:
    """Texts shown on one line hold no line break or tab: one could add a line that looks like
    the tutor's own (a fake row, a fake heading). Bodies, prompts, explanations and notes may."""
    if not isinstance(data, dict):
        return

    def one(holder: dict[str, Any], base: tuple[Any, ...], *keys: str) -> None:
        for key in keys:
            wrong = one_line_problem(holder.get(key))
            if wrong:
                report(base + (key,), wrong, False)

    one(data, (), "title")
    for i, section in items_of(data, "sections"):
        one(section, ("sections", i), "title")
    for i, ref in items_of(data, "references"):
        one(ref, ("references", i), "authors", "title", "source", "doi", "url", "isbn")
    for i, q in items_of(data, "questions"):
        base = ("questions", i)
        one(q, base, "left_label", "right_label")
        for j, choice in items_of(q, "choices"):
            one(choice, base + ("choices", j), "text")
        for j, pair in items_of(q, "pairs"):
            one(pair, base + ("pairs", j), "left", "right")
        for key in ("items", "accepted"):
            for j, text in strings_of(q, key):
                wrong = one_line_problem(text)
                if wrong:
                    report(base + (key, j), wrong, False)
    sentences = data.get("misconceptions")
    if isinstance(sentences, dict):
        for label, text in sentences.items():
            wrong = one_line_problem(text)
            if wrong:
                report(("misconceptions", label), wrong, False)


def _unsafe_char(ch: str) -> str:
    kind = "a bidirectional override" if "\u202a" <= ch <= "\u2069" else "a control character"
    return f"{kind} ({describe_char(ch)})"


def check_meaning(data: Any, report: Report) -> None:
    if not isinstance(data, dict):
        return

    def unique(values: list[tuple[int, str]], base: tuple[Any, ...], what: str, key: str | None = "id") -> None:
        seen: dict[str, int] = {}
        for i, value in values:
            if value in seen:
                p = base + (i,) + ((key,) if key else ())
                report(p, f"{what} {excerpt(value)} is used twice (also {format_path(base + (seen[value],))})", False)
            else:
                seen[value] = i

    def ids(key: str, field_name: str = "id", strip: bool = False) -> list[tuple[int, str]]:
        return [(i, x[field_name].strip() if strip else x[field_name]) for i, x in items_of(data, key)
                if isinstance(x.get(field_name), str)]

    references = items_of(data, "references")
    ref_ids = {r["id"] for _, r in references if isinstance(r.get("id"), str)}
    unique(ids("references"), ("references",), "reference id")
    unique(ids("sections"), ("sections",), "section id")
    unique(ids("questions"), ("questions",), "question id")
    unique(strings_of(data, "try_it"), ("try_it",), "worksheet", None)  # (each must be known: `neurotutor validate`)

    def refs_exist(holder: dict[str, Any], base: tuple[Any, ...]) -> None:
        for i, ref in strings_of(holder, "refs"):
            if ref not in ref_ids:
                near = difflib.get_close_matches(ref, sorted(ref_ids), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                report(base + ("refs", i), f"reference {excerpt(ref)} is not in this lesson's references{hint}", False)

    for i, ref in references:
        if not any(isinstance(ref.get(k), str) and ref[k].strip() for k in ("doi", "url", "isbn")):
            report(("references", i), "a reference needs a doi, url or isbn so readers can find it", False)
    for i, prereq in strings_of(data, "prerequisites"):
        if prereq == data.get("id"):
            report(("prerequisites", i), "a lesson cannot be its own prerequisite", False)
    for i, section in items_of(data, "sections"):
        refs_exist(section, ("sections", i))
        for j, claim in items_of(section, "claims"):
            refs_exist(claim, ("sections", i, "claims", j))
    for i, q in items_of(data, "questions"):
        base = ("questions", i)
        refs_exist(q, base)
        kind = q.get("type")
        if kind in ("single_choice", "multiple_select"):
            choices = items_of(q, "choices")
            right = sum(c.get("correct") is True for _, c in choices)
            if any(not isinstance(c.get("correct", False), bool) for _, c in choices):
                choices_counted = False  # a `correct` that is not true/false: its type problem says enough
            else:
                choices_counted = bool(choices)
            if kind == "single_choice" and right != 1 and choices_counted:
                report(base + ("choices",), f"a single_choice question needs exactly one choice with 'correct: true' (found {right})", False)
            if kind == "multiple_select" and right < 1 and choices_counted:
                report(base + ("choices",), "a multiple_select question needs at least one choice with 'correct: true'", False)
            unique([(j, c["text"].strip()) for j, c in choices if isinstance(c.get("text"), str)],
                   base + ("choices",), "choice", "text")
            for j, c in choices:
                if c.get("correct") is True and c.get("misconception") is not None:
                    report(base + ("choices", j, "misconception"), "a right answer cannot carry a misconception label", False)
        elif kind == "ordering":
            unique([(j, t.strip()) for j, t in strings_of(q, "items")], base + ("items",), "item", None)
        elif kind == "matching":
            pairs = items_of(q, "pairs")
            unique([(j, p["left"].strip()) for j, p in pairs if isinstance(p.get("left"), str)], base + ("pairs",), "left item", "left")
            unique([(j, p["right"].strip()) for j, p in pairs if isinstance(p.get("right"), str)], base + ("pairs",), "right item", "right")
        elif kind == "short_answer":
            for j, accepted in strings_of(q, "accepted"):
                if accepted.strip() and not normalize_answer(accepted):
                    report(base + ("accepted", j), "an accepted answer must contain letters or digits", False)
    sentences = data.get("misconceptions")
    if isinstance(sentences, dict):
        carried: set[str] = set()
        for _, q in items_of(data, "questions"):
            carried.update(c["misconception"] for _, c in items_of(q, "choices")
                           if isinstance(c.get("misconception"), str))
            if isinstance(q.get("misconception"), str):
                carried.add(q["misconception"])
        for label in sentences:
            if isinstance(label, str) and label not in carried:
                near = difflib.get_close_matches(label, sorted(carried), n=1)
                hint = f" (did you mean {near[0]!r}?)" if near else ""
                report(("misconceptions", label), f"no question carries the misconception {excerpt(label)}{hint}: "
                       "a sentence is only for a label a wrong option uses", False)
