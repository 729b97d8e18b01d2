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

from neurotutor.text import excerpt

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


# Plain scalars typed by their first character (YAML 1.1's implicit resolvers). Text that starts
# with any other character is text, and so is text that starts with a letter of a bool or null
# word without being one of those words; only the rest goes through the resolver.
_RESOLVED_FIRST = frozenset(k for k in _resolver.yaml_implicit_resolvers if k)
_WORD_FIRST = frozenset("yYnNtTfFoO")
_WORDS = frozenset("yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL".split())
_STR = "tag:yaml.org,2002:str"


def _scalar(event: yaml.ScalarEvent) -> Any:
    value = event.value
    if not event.implicit[0]:
        return value  # quoted or block scalar: always text
    first = value[:1]
    if first and (first not in _RESOLVED_FIRST or (first in _WORD_FIRST and value not in _WORDS)):
        return value
    tag = _resolver.resolve(yaml.ScalarNode, value, event.implicit)  # type: ignore[no-untyped-call]  # untyped stub
    if tag == _STR:
        return value
    # (types-PyYAML: an event's marks may be the C parser's Mark, a node's only the Python one)
    node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)  # type: ignore[arg-type]
    # The type's own constructor, called directly: construct_object would keep every value it
    # ever built in the shared constructor's memo.
    build = _constructor.yaml_constructors.get(tag)
    if build is None:  # '=' and '<<' (YAML 1.1's value and merge keys): nothing a lesson uses
        raise Unbuildable(f"{excerpt(value)} has a special meaning in YAML; put it in quotes if it is text")
    try:
        return build(_constructor, node)
    except (ValueError, TypeError, OverflowError):  # 0b_, 0x_, 2024-13-45, 2023-02-30
        kind = _KIND.get(tag, "a typed value")
        raise Unbuildable(f"{excerpt(value)} looks like {kind} to YAML but is not a real one; "
                          "put it in quotes if it is text") from None


def read_yaml(text: str, max_depth: int = MAX_DEPTH) -> Document:
    """Parse text as exactly one YAML document into plain data with positions and problems."""
    doc = Document()
    marks, key_marks, problems = doc.marks, doc.key_marks, doc.problems
    stack: list[_Frame] = []
    documents = 0
    have_root = False
    ScalarEvent, AliasEvent = yaml.ScalarEvent, yaml.AliasEvent
    MappingStartEvent, SequenceStartEvent = yaml.MappingStartEvent, yaml.SequenceStartEvent
    MappingEndEvent, SequenceEndEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent
    parser = _Loader(text)
    try:
        while True:  # the parser's own loop: yaml.parse() would call into it twice per event
            event = parser.get_event()
            if event is None:
                break
            kind = type(event)
            if kind is ScalarEvent or kind is AliasEvent:
                start = event.start_mark
                mark = (start.line + 1, start.column + 1)
                if kind is AliasEvent:
                    problems.append((mark, f"aliases (*{event.anchor}) are not allowed: write the value out in full"))
                    value: Any = None
                else:
                    if event.anchor is not None or event.tag not in (None, "!"):
                        _check_node(event, mark, problems)
                    try:
                        value = _scalar(event)
                    except Unbuildable as exc:
                        problems.append((mark, str(exc)))
                        value = event.value
                # Where the value goes (inlined: this loop runs for every value of every lesson).
                if not stack:
                    doc.data, have_root = value, True
                    marks[()] = mark
                    continue
                top = stack[-1]
                container = top.container
                if type(container) is list:
                    marks[top.path + (len(container),)] = mark
                    container.append(value)
                elif top.key is _NO_KEY:  # a key
                    if type(value) is not str:
                        problems.append((mark, f"a field name must be text, got {value!r} (put it in quotes)"))
                        top.key, top.key_mark = _DROP, mark
                    elif value in container:
                        first = key_marks.get(top.path + (value,), (0, 0))
                        problems.append((mark, f"duplicate key {excerpt(value)} (first defined at line {first[0]})"))
                        top.key, top.key_mark = _DROP, mark
                    else:
                        top.key, top.key_mark = value, mark
                else:
                    if top.key is not _DROP and not top.discard:
                        path = top.path + (top.key,)
                        container[top.key] = value
                        marks[path] = mark
                        key_marks[path] = top.key_mark
                    top.key = _NO_KEY
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                start = event.start_mark
                mark = (start.line + 1, start.column + 1)
                _check_node(event, mark, problems)
                if len(stack) >= max_depth:
                    problems.append((mark, f"nesting is deeper than {max_depth} levels"))
                    doc.complete = False
                    return doc
                new: Any = {} if kind is MappingStartEvent else []
                if not stack:
                    doc.data, have_root = new, True
                    marks[()] = mark
                    stack.append(_Frame(new, (), discard=False))
                    continue
                top = stack[-1]
                container = top.container
                if type(container) is list:
                    path = top.path + (len(container),)
                    marks[path] = mark
                    container.append(new)
                    stack.append(_Frame(new, path, discard=False))
                elif top.key is _NO_KEY:  # a list or mapping used as a key
                    problems.append((mark, "a field name must be text, got a list or mapping (put it in quotes)"))
                    top.key, top.key_mark = _DROP, mark
                    stack.append(_Frame(new, top.path + ("<key>",), discard=True))
                else:
                    path = top.path + (top.key,)
                    if top.key is not _DROP and not top.discard:
                        container[top.key] = new
                        marks[path] = mark
                        key_marks[path] = top.key_mark
                    top.key = _NO_KEY
                    stack.append(_Frame(new, path, discard=top.discard))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    problems.append((_pos(event), "a lesson file holds one YAML document; found a second one ('---')"))
                    doc.complete = False
                    return doc
    except yaml.MarkedYAMLError as exc:
        at = exc.problem_mark or exc.context_mark
        where = (at.line + 1, at.column + 1) if at else (0, 0)
        problems.append((where, f"YAML syntax error: {exc.problem or exc.context}"))
        doc.complete = False
        return doc
    except yaml.YAMLError as exc:  # e.g. a reader error for a control character
        position = getattr(exc, "position", None)
        if position is not None and _Loader is not yaml.SafeLoader:
            # libyaml counts bytes of UTF-8, the Python reader counts characters
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        where = _offset_to_mark(text, position) if position is not None else (0, 0)
        problems.append((where, f"YAML error: {getattr(exc, 'reason', None) or exc}"))
        doc.complete = False
        return doc
    except RecursionError:
        problems.append(((0, 0), "the file is nested too deeply to read"))
        doc.complete = False
        return doc
    finally:
        parser.dispose()
    if not have_root:
        problems.append(((1, 1), "the file is empty"))
    return doc


_DROP = object()


def _check_node(event: Any, mark: Mark, problems: list[tuple[Mark, str]]) -> None:
    if event.anchor is not None:
        problems.append((mark, f"anchors (&{event.anchor}) are not allowed: write each value out in full"))
    if event.tag not in (None, "!"):
        problems.append((mark, f"YAML tags ({event.tag}) are not allowed"))


def _offset_to_mark(text: str, offset: int) -> Mark:
    before = text[:offset]
    line = before.count("\n") + 1
    return (line, offset - (before.rfind("\n") + 1) + 1)
