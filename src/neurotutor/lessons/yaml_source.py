"""Reads one YAML document into plain data, with the line and column of every value.

It walks the parser's event stream (never a constructor that can build Python objects), so it can
refuse what lesson files do not need (aliases, anchors, tags, duplicate keys, deep nesting, more than
one document) and still report where each value came from. Plain scalars are typed the way YAML 1.1
types them (so `no` is a boolean); the schema check then refuses any coercion.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()

MAX_DEPTH = 50
Path = tuple[Any, ...]
Mark = tuple[int, int]


@dataclass
class Document:
    """What the reader found: the data, where each value and key starts, and the problems."""

    data: Any = None
    marks: dict[Path, Mark] = field(default_factory=dict)
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    problems: list[tuple[Mark, str]] = field(default_factory=list)
    complete: bool = True  # False when reading stopped early (syntax error, too deep, ...)

    def mark(self, path: Path) -> Mark:
        """The position of the value at path, or of its nearest ancestor that has one."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (0, 0))

    def key_mark(self, path: Path) -> Mark:
        """The position of the key that holds the value at path (falls back to the value)."""
        return self.key_marks.get(path) or self.mark(path)


class _Frame:
    __slots__ = ("container", "path", "key", "key_mark", "discard")

    def __init__(self, container: Any, path: Path, discard: bool) -> None:
        self.container = container
        self.path = path
        self.key: Any = _NO_KEY
        self.key_mark: Mark = (0, 0)
        self.discard = discard


_NO_KEY = object()


def _pos(event: Any) -> Mark:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


_KIND = {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
         "tag:yaml.org,2002:timestamp": "a date", "tag:yaml.org,2002:bool": "true/false",
         "tag:yaml.org,2002:null": "nothing"}


class Unbuildable(ValueError):
    """A plain value that YAML 1.1 types as a number or date but that is not a valid one."""


def _scalar(event: yaml.ScalarEvent) -> Any:
    if not event.implicit[0]:
        return event.value  # quoted or block scalar: always text
    tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == "tag:yaml.org,2002:str":
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark)
    # The type's own constructor, called directly: construct_object would keep every value it
    # ever built in the shared constructor's memo.
    build = _constructor.yaml_constructors[tag]
    try:
        return build(_constructor, node)
    except (ValueError, TypeError, OverflowError):  # 0b_, 0x_, 2024-13-45, 2023-02-30
        kind = _KIND.get(tag, "a typed value")
        raise Unbuildable(f"{event.value!r} looks like {kind} to YAML but is not a real one; "
                          "put it in quotes if it is text") from None


def read_yaml(text: str, max_depth: int = MAX_DEPTH) -> Document:
    """Parse text as exactly one YAML document into plain data with positions and problems."""
    doc = Document()
    stack: list[_Frame] = []
    documents = 0
    have_root = False

    def problem(mark: Mark, message: str) -> None:
        doc.problems.append((mark, message))

    def child_path(mark: Mark) -> tuple[Path | None, _Frame | None]:
        """Where the next value goes; None as path means it is a mapping key."""
        if not stack:
            return (), None
        top = stack[-1]
        if isinstance(top.container, list):
            return top.path + (len(top.container),), top
        if top.key is _NO_KEY:
            return None, top
        return top.path + (top.key,), top

    def place(value: Any, mark: Mark, path: Path | None, top: _Frame | None, discard: bool) -> None:
        nonlocal have_root
        if top is None:
            doc.data, have_root = value, True
            doc.marks[()] = mark
            return
        if isinstance(top.container, list):
            top.container.append(value)
            doc.marks[path] = mark  # type: ignore[index]
            return
        if path is None:  # this value is a key
            if discard or not isinstance(value, str):
                shown = "a list or mapping" if discard else repr(value)
                problem(mark, f"a field name must be text, got {shown} (put it in quotes)")
                top.key, top.key_mark = _DROP, mark
                return
            if value in top.container:
                first = doc.key_marks.get(top.path + (value,), (0, 0))
                problem(mark, f"duplicate key {value!r} (first defined at line {first[0]})")
                top.key, top.key_mark = _DROP, mark
                return
            top.key, top.key_mark = value, mark
            return
        if top.key is not _DROP and not top.discard:
            top.container[top.key] = value
            doc.marks[path] = mark
            doc.key_marks[path] = top.key_mark
        top.key = _NO_KEY

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent or kind is yaml.AliasEvent:
                mark = _pos(event)
                path, top = child_path(mark)
                if kind is yaml.AliasEvent:
                    problem(mark, f"aliases (*{event.anchor}) are not allowed: write the value out in full")
                    value: Any = None
                else:
                    _check_node(event, mark, problem)
                    try:
                        value = _scalar(event)
                    except Unbuildable as exc:
                        problem(mark, str(exc))
                        value = event.value
                place(value, mark, path, top, discard=False)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                mark = _pos(event)
                _check_node(event, mark, problem)
                if len(stack) >= max_depth:
                    problem(mark, f"nesting is deeper than {max_depth} levels")
                    doc.complete = False
                    return doc
                path, top = child_path(mark)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                frame_path = path if path is not None else (top.path if top else ()) + ("<key>",)
                place(container, mark, path, top, discard=path is None)
                stack.append(_Frame(container, frame_path, discard=path is None))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    problem(_pos(event), "a lesson file holds one YAML document; found a second one ('---')")
                    doc.complete = False
                    return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem(where, f"YAML syntax error: {exc.problem or exc.context}")
        doc.complete = False
        return doc
    except yaml.YAMLError as exc:  # e.g. a reader error for a control character
        position = getattr(exc, "position", None)
        if position is not None and _Loader is not yaml.SafeLoader:
            # libyaml counts bytes of UTF-8, the Python reader counts characters
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        where = _offset_to_mark(text, position) if position is not None else (0, 0)
        problem(where, f"YAML error: {getattr(exc, 'reason', None) or exc}")
        doc.complete = False
        return doc
    except RecursionError:
        problem((0, 0), "the file is nested too deeply to read")
        doc.complete = False
        return doc
    if not have_root:
        problem((1, 1), "the file is empty")
    return doc


_DROP = object()


def _check_node(event: Any, mark: Mark, problem: Any) -> None:
    if event.anchor is not None:
        problem(mark, f"anchors (&{event.anchor}) are not allowed: write each value out in full")
    if event.tag not in (None, "!"):
        problem(mark, f"YAML tags ({event.tag}) are not allowed")


def _offset_to_mark(text: str, offset: int) -> Mark:
    before = text[:offset]
    line = before.count("\n") + 1
    return (line, offset - (before.rfind("\n") + 1) + 1)
