"""Checks plain data against a msgspec model and reports every mismatch, not only the first.

msgspec stops at the first error; authors need them all, each with its position. This walks the
model's `msgspec.inspect` type info alongside the data. Once it finds nothing, `msgspec.convert`
builds the real (frozen, strict) model.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Callable
from typing import Any

import msgspec.inspect as mi

from neurotutor.lessons.model import SLUG_PATTERN
from neurotutor.text import excerpt

Path = tuple[Any, ...]
Report = Callable[[Path, str, bool], None]  # (path, message, at_key)

_PATTERN_HINTS = {
    SLUG_PATTERN: "must be a lowercase id: letters a-z, digits and single hyphens, like 'my-lesson'",
}


@functools.cache
def type_info(model: type) -> Any:
    """The cached msgspec type info of a model."""
    return mi.type_info(model)


def describe(value: Any) -> str:
    """Say in words what kind of value YAML produced."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields (key: value)"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"a date ({value})"
    return type(value).__name__


def expected(info: Any) -> str:
    """Say in words what a type wants."""
    if isinstance(info, mi.StrType):
        return "text"
    if isinstance(info, mi.BoolType):
        return "true or false"
    if isinstance(info, mi.IntType):
        return "a whole number"
    if isinstance(info, mi.FloatType):
        return "a number"
    if isinstance(info, (mi.ListType, mi.VarTupleType)):
        return f"a list of {_plural(info.item_type)}"
    if isinstance(info, mi.StructType):
        return "a set of fields (key: value)"
    if isinstance(info, mi.LiteralType):
        return "one of " + ", ".join(str(v) for v in info.values)
    if isinstance(info, mi.NoneType):
        return "nothing"
    if isinstance(info, mi.DateType):
        return "a date (year-month-day, like 2026-12-01)"
    if isinstance(info, mi.UnionType):
        return " or ".join(expected(t) for t in info.types if not isinstance(t, mi.NoneType))
    return "a value"


def _plural(info: Any) -> str:
    word = expected(info)
    return {"text": "texts", "a set of fields (key: value)": "items"}.get(word, word)


NAMED_UNKNOWN = 3  # unknown fields a file's problems name; the rest are counted
_UNKNOWN = "unknown field "


def check_file(data: Any, info: Any, report: Report, said: Callable[[Path, bool], bool] = lambda p, k: False) -> None:
    """Report every way in which a file's data does not fit the type info, naming at most
    NAMED_UNKNOWN unknown fields: a file that is something else altogether (a list of secrets, say)
    is never quoted key by key. The others are counted in one problem, at their place's parent.
    `said(path, at_key)`: whether the reader has already said what is wrong there (then the
    report would not be shown, and it is not counted)."""
    hidden: list[Path] = []
    named = 0

    def limited(path: Path, message: str, at_key: bool) -> None:
        nonlocal named
        if message.startswith(_UNKNOWN) and not said(path, at_key):
            if named >= NAMED_UNKNOWN:
                hidden.append(path)
                return
            named += 1
        report(path, message, at_key)

    check(data, info, (), limited)
    if hidden:
        n = len(hidden)
        report(hidden[0][:-1], f"{n} more unknown field{'s' if n != 1 else ''}, not named here (only the first "
               f"{NAMED_UNKNOWN} are)", False)


def check(value: Any, info: Any, path: Path, report: Report) -> None:
    """Report every way in which value does not fit the type info."""
    if isinstance(info, mi.UnionType):
        _check_union(value, info, path, report)
    elif isinstance(info, mi.StructType):
        _check_struct(value, info, path, report)
    elif isinstance(info, (mi.ListType, mi.VarTupleType)):
        if not isinstance(value, list):
            report(path, f"expected {expected(info)}, got {describe(value)}", False)
            return
        if info.min_length and len(value) < info.min_length:
            report(path, f"needs at least {info.min_length} entries, has {len(value)}", False)
        for i, item in enumerate(value):
            check(item, info.item_type, path + (i,), report)
    elif isinstance(info, mi.DictType):
        if not isinstance(value, dict):
            report(path, f"expected a map of names to values, got {describe(value)}", False)
            return
        for key, item in value.items():
            check(key, info.key_type, path + (key,), report)
            check(item, info.value_type, path + (key,), report)
    elif isinstance(info, mi.StrType):
        if not isinstance(value, str):
            hint = ""
            if value is not None and not isinstance(value, (list, dict)):
                hint = " (YAML reads unquoted yes/no/on/off/true/false, numbers and dates as other types: put the text in quotes)"
            report(path, f"expected text, got {describe(value)}{hint}", False)
        elif info.min_length and len(value.strip()) < info.min_length:
            report(path, "must not be empty", False)
        elif info.pattern and not re.search(info.pattern, value):
            report(path, f"{excerpt(value)} " + _PATTERN_HINTS.get(info.pattern, f"must match {info.pattern}"), False)
        elif info.max_length and len(value) > info.max_length:
            report(path, f"is too long ({len(value)} characters, at most {info.max_length})", False)
    elif isinstance(info, mi.BoolType):
        if not isinstance(value, bool):
            report(path, f"expected true or false, got {describe(value)}", False)
    elif isinstance(info, mi.IntType):
        if _looks_like_a_date(value):
            report(path, _date_for_number(value, info), False)
        elif isinstance(value, bool) or not isinstance(value, int):
            report(path, f"expected a whole number, got {describe(value)}", False)
        elif info.ge is not None and value < info.ge or info.le is not None and value > info.le:
            report(path, f"must be between {info.ge} and {info.le}, got {value}", False)
    elif isinstance(info, mi.LiteralType):
        if isinstance(value, bool) or value not in info.values:
            shown = _quoted(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else describe(value)
            report(path, f"must be {expected(info)}; got {shown}", False)
    elif isinstance(info, mi.NoneType):
        if value is not None:
            report(path, f"expected nothing, got {describe(value)}", False)
    elif isinstance(info, mi.DateType):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            report(path, f"expected {expected(info)}, got {describe(value)}", False)


_DATE_LIKE = re.compile(r"\d+(?:[-/]\d+)+|\d+(?:\.\d+){2,}")  # 2026-12-01, 12/12, 1.12.2026: a date or a fraction


def _looks_like_a_date(value: Any) -> bool:
    return isinstance(value, datetime.date) or isinstance(value, str) and bool(_DATE_LIKE.fullmatch(value.strip()))


def _date_for_number(value: Any, info: Any) -> str:
    """A date, or text written like one (`12/12`), where a whole number goes: what the field wants."""
    low, high = info.ge, info.le
    wanted = ("a whole number" + (f" from {low} to {high}" if low is not None and high is not None
                                  else f" of at least {low}" if low is not None
                                  else f" of at most {high}" if high is not None else ""))
    if isinstance(value, str):
        return f"should be {wanted}; {excerpt(value)} is text, not a number"
    return f"should be {wanted}; {value} reads as a date"


def _quoted(value: Any) -> str:
    """A value from the file as a problem quotes it: text cut short (it may be anything)."""
    return excerpt(value) if isinstance(value, str) else repr(value)


def _check_union(value: Any, info: Any, path: Path, report: Report) -> None:
    options = [t for t in info.types if not isinstance(t, mi.NoneType)]
    if value is None and len(options) < len(info.types):
        return
    tagged = [t for t in options if isinstance(t, mi.StructType) and t.tag_field]
    if tagged:
        field = tagged[0].tag_field
        tags = {str(t.tag): t for t in tagged}  # (our tags are all text)
        if not isinstance(value, dict):
            report(path, f"expected {expected(tagged[0])}, got {describe(value)}", False)
        elif field not in value:
            report(path, f"missing field {field!r} (one of: {', '.join(tags)})", False)
        elif not isinstance(value[field], str) or value[field] not in tags:
            near = difflib.get_close_matches(str(value[field]), list(tags), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            report(path + (field,), f"unknown {field} {_quoted(value[field])}{hint}; use one of: {', '.join(tags)}", False)
        else:
            _check_struct(value, tags[value[field]], path, report)
        return
    if len(options) == 1:
        check(value, options[0], path, report)
        return
    # An untagged union of simple types: fine if any one fits.
    for option in options:
        found: list[Any] = []
        check(value, option, path, lambda *a, found=found: found.append(a))
        if not found:
            return
    report(path, f"expected {expected(info)}, got {describe(value)}", False)


def _check_struct(value: Any, info: Any, path: Path, report: Report) -> None:
    if not isinstance(value, dict):
        report(path, f"expected {expected(info)}, got {describe(value)}", False)
        return
    fields = {f.encode_name: f for f in info.fields}
    allowed = set(fields) | ({info.tag_field} if info.tag_field else set())
    for key in value:
        if key not in allowed:
            near = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else f" (allowed: {', '.join(sorted(allowed))})"
            report(path + (key,), f"{_UNKNOWN}{excerpt(key)}{hint}", True)
    for name, f in fields.items():
        if name in value:
            check(value[name], f.type, path + (name,), report)
        elif f.required:
            report(path, f"missing required field {name!r}", False)
