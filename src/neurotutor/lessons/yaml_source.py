"""Reads one YAML document into plain data, with the line and column of every value.

It walks the parser's event stream (never a constructor that can build Python objects), so it can
refuse what lesson files do not need (aliases, anchors, tags, duplicate keys, deep nesting, more than
one document) and still report where each value came from. Plain scalars are typed the way YAML 1.1
types them (so `no` is a boolean); the schema check then refuses any coercion. A syntax error is
said in an author's words at the line of the mistake (`syntax_problem`: a tab, a step of
indentation too far or too short, ': ' in text that is not quoted, a quote left open, ...), read
from the parser's marks and the file's own lines, with how to write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from neurotutor.text import describe_char, excerpt, safe_text

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
        problems.append(syntax_problem(text, exc))
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


# -- syntax errors in plain words ----------------------------------------------------------------
#
# The parser words a syntax error for a parser writer ("mapping values are not allowed in this
# context", "did not find expected key") and often marks the line after the mistake. What follows
# reads the file's own lines around the parser's marks (problem_mark, context_mark) to say, at the
# line of the mistake, what is wrong and how to write it. It runs only for a file that failed.

_QUOTE_AFTER = 60  # a suggested quoted text is cut after this many characters


def syntax_problem(text: str, exc: yaml.MarkedYAMLError) -> tuple[Mark, str]:
    """Where a YAML syntax error is, and what to write instead, in an author's words."""
    import re

    problem, context = exc.problem or "", exc.context or ""
    pm, cm = _mark_of(exc.problem_mark), _mark_of(exc.context_mark)
    at = pm or cm
    if at is None:
        return (0, 0), f"YAML cannot read this file ({problem or context})"
    hint = _Lines(re.split("\r\n|[\r\n\x85\u2028\u2029]", text)).explain(problem, context, at, cm)
    where, message = hint or (at, _plainer(at[0], problem or context))
    return where, safe_text(message)  # it quotes the file, which may hold a bidi override


def _mark_of(mark: Any) -> Mark | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _plainer(line: int, problem: str) -> str:
    if any(words in problem for words in ("expected key", "'-' indicator", "<block end>")):
        return f"line {line} does not line up with the lines above it; check its indentation"
    if "<document start>" in problem:
        return f"line {line}: YAML expected the file to end before this; check the indentation of this line"
    plain = problem.replace("did not find the expected", "expected").replace("did not find expected", "expected")
    plain = plain.replace("could not find expected", "expected")
    plain = plain.replace(" in this context", " here")
    return f"line {line}: YAML cannot read this ({plain}); check the quotes, colons and indentation here"


def _quoted(value: str) -> str:
    """Text in the quotes that keep it as it is: double quotes unless it holds `"` or `\\`."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _odd_space(char: str) -> bool:
    return char.isspace() and char not in " \t\r\n"


def _name(key: str) -> str:
    key = key.strip()
    return f"`{key if len(key) <= 40 else key[:39] + '…'}:`"


class _Shape:
    """One line as its start shows it: the indentation, its `- ` marks, its first `name:`."""

    __slots__ = ("indent", "dashes", "key", "key_col", "colon", "value")

    def __init__(self, indent: int, dashes: list[int], key: str | None, key_col: int, colon: int, value: int) -> None:
        self.indent, self.dashes, self.key = indent, dashes, key
        self.key_col, self.colon, self.value = key_col, colon, value  # columns, from 0

    def anchors(self, line: int) -> list[_Anchor]:
        found = [_Anchor(col, "-", "", line) for col in self.dashes]
        if self.key is not None:
            found.append(_Anchor(self.key_col, "key", self.key, line))
        return found


class _Anchor:
    """Where a block starts: a `-` or a `name:`, its column (from 0) and its line (from 1)."""

    __slots__ = ("col", "kind", "key", "line")  # (a plain class: a dataclass costs start-up time)

    def __init__(self, col: int, kind: str, key: str, line: int) -> None:
        self.col, self.kind, self.key, self.line = col, kind, key, line  # kind: "-" or "key"

    def said(self, with_line: bool = True) -> str:
        if self.kind == "-":
            return f"the `-` on line {self.line}"
        return f"{_name(self.key)} on line {self.line}" if with_line else _name(self.key)


class _Lines:
    """A file's lines, read for what the parser's marks point at."""

    def __init__(self, lines: list[str]) -> None:
        import re

        self.lines = lines
        self.key_re = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:[^\s#'"\[\]{},&*!|>%@`?:-]|[?:-](?=\S))"""
                                 r"""(?:[^#]|(?<=\S)#)*?)[ \t]*:(?=[ \t]|$)""")
        self.block_re = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
        self._shapes: list[_Shape | None] | None = None

    def line(self, n: int) -> str:
        return self.lines[n - 1] if 1 <= n <= len(self.lines) else ""

    def _shape_of(self, line: str) -> _Shape | None:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if not stripped.strip() or stripped.startswith("#"):
            return None
        pos, dashes = indent, []
        while line.startswith("-", pos) and (pos + 1 == len(line) or line[pos + 1] in " \t"):
            dashes.append(pos)
            pos += 1
            while pos < len(line) and line[pos] in " \t":
                pos += 1
        found = self.key_re.match(line, pos)
        if found is None:
            return _Shape(indent, dashes, None, pos, -1, pos)
        colon = found.end() - 1
        value = colon + 1
        while value < len(line) and line[value] in " \t":
            value += 1
        return _Shape(indent, dashes, found.group(1), pos, colon, value)

    @property
    def shapes(self) -> list[_Shape | None]:
        """Each line's shape; None for a blank line, a comment, or the text of a `|` or `>` block."""
        if self._shapes is None:
            shapes: list[_Shape | None] = []
            block = -1  # lines indented more than this hold a block's text
            for line in self.lines:
                if block >= 0:
                    stripped = line.lstrip(" ")
                    if not stripped.strip() or len(line) - len(stripped) > block:
                        shapes.append(None)
                        continue
                    block = -1
                shape = self._shape_of(line)
                shapes.append(shape)
                if shape is not None and self.block_re.match(line, shape.value):
                    block = shape.key_col if shape.key is not None else (shape.dashes or [shape.indent])[-1]
            self._shapes = shapes
        return self._shapes

    def shape(self, n: int) -> _Shape | None:
        return self.shapes[n - 1] if 1 <= n <= len(self.lines) else None

    def above(self, n: int) -> tuple[int, _Shape] | None:
        """The nearest line above line n that starts with a `-` or a `name:`."""
        for k in range(min(n, len(self.lines)) - 1, 0, -1):
            shape = self.shape(k)
            if shape is not None and (shape.dashes or shape.key is not None):
                return k, shape
        return None

    def chain(self, n: int) -> list[_Anchor]:
        """The blocks still open at the end of line n - 1, innermost (rightmost) first."""
        found: list[_Anchor] = []
        bound = -1
        for k in range(min(n, len(self.lines)) - 1, 0, -1):
            shape = self.shape(k)
            if shape is None:
                continue
            for anchor in reversed(shape.anchors(k)):
                if bound < 0 or anchor.col < bound:
                    found.append(anchor)
                    bound = anchor.col
            if bound == 0:
                break
        return found

    def quoted_form(self, n: int, value: str | None = None) -> str | None:
        """Line n written with its text in quotes (`title: "A: b"`), or None if it has no text."""
        shape = self.shape(n)
        if shape is None:
            return None
        line = self.line(n)
        if value is None:
            value = line[shape.value:]
            hash_at = value.find(" #")
            value = (value[:hash_at] if hash_at >= 0 else value).rstrip()
        if not value:
            return None
        if len(value) > _QUOTE_AFTER:
            value = value[:_QUOTE_AFTER - 10].rstrip() + "…"
        return line[shape.indent:shape.value] + _quoted(value)

    # -- what each kind of error means ------------------------------------------------------

    def explain(self, problem: str, context: str, at: Mark, cm: Mark | None) -> tuple[Mark, str] | None:
        n, c = at
        space = self.odd_space(n, c) or (self.odd_space(*cm) if cm and cm[0] != n else None)
        if space:
            return space
        if "escape" in problem:
            return self.escape(n, c)
        if "quoted scalar" in context and cm is not None:
            return self.unclosed_quote(*cm)
        if "mapping values are not allowed" in problem:
            return self.colon(n, c)
        if "expected ':'" in problem and cm is not None:
            return self.no_colon(*cm)
        if "flow" in context and cm is not None:
            return self.unclosed_flow(*cm) or self.open_bracket(n)
        if "sequence entries are not allowed" in problem:
            return self.dash_after_key(n, c)
        if "mapping keys are not allowed" in problem or "cannot start any token" in problem:
            return self.cannot_start(n, c)
        if ("an alias" in context or "an anchor" in context or "block scalar" in context) and cm is not None:
            return self.cannot_start(*cm)
        if "<document start>" in problem:
            return self.indented_top(n)
        if any(words in problem for words in ("expected key", "'-' indicator", "<block end>")):
            return self.breakout(n, c)
        return None

    def odd_space(self, n: int, c: int) -> tuple[Mark, str] | None:
        """A tab, or a space YAML does not count as one (a no-break space), at the mark or in the indentation."""
        line = self.line(n)
        lead = len(line) - len(line.lstrip(" \t"))
        if 0 < c <= len(line) and (line[c - 1] == "\t" or _odd_space(line[c - 1])):
            at = c - 1
        elif "\t" in line[:lead]:
            at = line.index("\t")
        elif lead < len(line) and _odd_space(line[lead]):
            at = lead
        else:
            return None
        indenting = not line[:at].strip(" \t")
        if line[at] != "\t":
            return (n, at + 1), (f"line {n} has a {describe_char(line[at])} at column {at + 1}, which YAML does not "
                                 "count as a space; " + ("indent with plain spaces" if indenting else "type a plain space"))
        if at == 0:
            return (n, 1), f"line {n} starts with a tab; use spaces"
        if indenting:
            return (n, at + 1), f"line {n} has a tab in its indentation (column {at + 1}); indent with spaces only"
        return (n, at + 1), f"line {n} has a tab at column {at + 1}, where YAML wants spaces; use spaces"

    def escape(self, n: int, c: int) -> tuple[Mark, str] | None:
        line = self.line(n)
        at = c - 1 if line[c - 1:c] == "\\" else c - 2
        if at < 0 or line[at:at + 1] != "\\":
            return None
        message = (f"line {n}: `{line[at:at + 2]}` is not a code YAML knows in double quotes (a backslash there "
                   "starts one, like `\\n`); write `\\\\` for a backslash")
        shape = self.shape(n)
        if shape is not None:
            value = line[shape.value:].rstrip()
            if (1 < len(value) <= _QUOTE_AFTER and value[0] == value[-1] == '"' and "'" not in value
                    and '\\"' not in value):
                message += f", or put the text in single quotes: {line[shape.indent:shape.value]}'{value[1:-1]}'"
        return (n, at + 1), message

    def unclosed_quote(self, k: int, c: int) -> tuple[Mark, str] | None:
        quote = self.line(k)[c - 1:c]
        if quote not in ("'", '"'):
            return None
        return (k, c), (f"line {k}: this text opens a quote ({quote}) but does not close it on this line; add the "
                        f"closing {quote} at the end of the text")

    def colon(self, n: int, c: int) -> tuple[Mark, str] | None:
        """`: ` in text that is not quoted, or a `name:` indented so far that it continues the text above."""
        line, shape = self.line(n), self.shape(n)
        if shape is None or line[c - 1:c] != ":":
            return None
        holds = f"line {n}: this text holds ': ' and is not in quotes; put the whole text in quotes"
        if shape.key is not None and shape.colon == c - 1:  # the line's own `name:`: the text above runs into it
            above = self.above(n)
            if " " in shape.key.strip():  # words, not a field name: the text above goes on with a ': ' in it
                return (n, c), holds + (f" (it starts on line {above[0]})" if above else "")
            me = _name(shape.key)
            if above is not None:
                k, was = above
                tight = self.tight_colon(k, was.value) if was.key is None else self.tight_dash(k)
                if tight:  # `- id:x` (or `-id: x`) above: YAML read it otherwise, and this line as more of it
                    return tight
                if was.key is not None and was.key_col < shape.key_col:
                    return (n, shape.key_col + 1), (f"line {n}: {me} is indented more than the lines above it; line it "
                                                    f"up with {_name(was.key)} on line {k}")
                if was.key is None and was.dashes[-1] < shape.key_col:
                    return (n, shape.key_col + 1), (f"line {n}: {me} is indented more than the `-` item on line {k}, so "
                                                    "YAML reads it as more of that item's text; line it up with the "
                                                    "fields it belongs with, or put the text in quotes")
            return (n, shape.key_col + 1), (f"line {n}: {me} comes after text that is not a field (`name: value`); "
                                            "check the line above it")
        following = next((k for k in range(n + 1, len(self.lines) + 1) if self.shape(k) is not None), 0)
        if following and self.shape(following).indent > shape.key_col:  # type: ignore[union-attr]
            return (n, c), holds + " (all of its lines)"
        form = self.quoted_form(n) if shape.key is not None else None
        return (n, c), holds + (f", like this: {form}" if form else "")

    def tight_colon(self, k: int, at: int) -> tuple[Mark, str] | None:
        """`name:value` from column `at` of line k: a field without the space after its `:`."""
        import re

        line = self.line(k)
        tight = re.compile(r"([^\s:#'\"\[{-][^\s:#]*):(?=[^\s:/])").match(line, at)
        if tight is None:
            return None
        return (k, at + 1), (f"line {k}: put a space after the `:` of {_name(tight.group(1))}, like this: "
                             f"{line[self.indent(k):tight.end()]} {line[tight.end():].rstrip()}")

    def tight_dash(self, n: int) -> tuple[Mark, str] | None:
        """`-text: Alpha`: a list item without the space after its `-`, which YAML reads as a name."""
        shape = self.shape(n)
        if shape is None or shape.dashes or shape.key is None or shape.key[:1] != "-" or not shape.key[1:2].strip():
            return None
        return (n, shape.indent + 1), (f"line {n}: put a space after the `-` of {_name(shape.key)}, like this: "
                                       f"- {self.line(n)[shape.indent + 1:].rstrip()}")

    def indent(self, n: int) -> int:
        line = self.line(n)
        return len(line) - len(line.lstrip(" "))

    def no_colon(self, k: int, c: int) -> tuple[Mark, str]:
        """A line that YAML took for a `name:` without finding its `:`."""
        text = self.line(k)[c - 1:].rstrip()
        tight = self.tight_colon(k, c - 1)
        if tight:
            return tight
        if text and " " not in text:
            return (k, c), f"line {k}: `{text[:40]}` has no `:` after it; a field is written `{text[:40]}: value`"
        above = self.above(k)
        if above is not None and above[1].key is not None:
            key = _name(above[1].key)
            return (k, c), (f"line {k} is not a field (`name: value`); if it is more of the text of {key} on line "
                            f"{above[0]}, indent it more than {key}")
        return (k, c), f"line {k} is not a field; a field is written `name: value`"

    def unclosed_flow(self, k: int, c: int) -> tuple[Mark, str] | None:
        line = self.line(k)
        opener = line[c - 1:c]
        if opener not in ("[", "{"):
            return None
        closer = "]" if opener == "[" else "}"
        if closer in line[c:]:
            return None
        shape = self.shape(k)
        form = self.quoted_form(k) if shape is not None and shape.value == c - 1 else None
        what = ("the list that starts with `[` here is not closed; end it with `]`" if opener == "["
                else "`{` here starts a group of fields that is not closed with `}`")
        return (k, c), (f"line {k}: {what}, or, if it is text, put the whole text in quotes"
                        + (f": {form}" if form else ""))

    def open_bracket(self, n: int) -> tuple[Mark, str] | None:
        """The `[` or `{` left open nearest above line n (the parser may only notice at the end of the file)."""
        for k in range(min(n, len(self.lines)), max(n - 50, 0), -1):
            line = self.line(k)
            shape = self.shape(k)
            if shape is None:
                continue
            opened: list[int] = []
            for at in range(shape.value, len(line)):
                if line[at] in "[{":
                    opened.append(at)
                elif line[at] in "]}" and opened:
                    opened.pop()
            if opened:
                return self.unclosed_flow(k, opened[0] + 1)
        return None

    def dash_after_key(self, n: int, c: int) -> tuple[Mark, str] | None:
        shape = self.shape(n)
        if shape is None or shape.key is None or c - 1 < shape.value:
            return None
        key = _name(shape.key)
        return (n, c), (f"line {n}: a `-` list cannot start on the same line as {key}; put each `- ` item on a line "
                        f"of its own below {key}, indented, or, if it is text, put the whole text in quotes: "
                        f"{self.quoted_form(n)}")

    def cannot_start(self, n: int, c: int) -> tuple[Mark, str] | None:
        """Text that starts with a character YAML keeps for itself (@ ` % | > ? * & !)."""
        line, shape = self.line(n), self.shape(n)
        char = line[c - 1:c]
        if not char.strip():
            return None
        form = self.quoted_form(n) if shape is not None and shape.value == c - 1 else None
        if char in "|>":
            return (n, c), (f"line {n}: after `{char}` the text goes on the lines below it, indented; to keep it on "
                            "this line, put the whole text in quotes" + (f": {form}" if form else ""))
        shown = "a backtick (`)" if char == "`" else f"`{char}`"
        return (n, c), (f"line {n}: a text cannot start with {shown} unless it is in quotes; put the whole text in "
                        "quotes" + (f": {form}" if form else ""))

    def indented_top(self, n: int) -> tuple[Mark, str] | None:
        """The first line indented, and a later one not (YAML then sees a second document)."""
        first = next((k for k in range(1, len(self.lines) + 1) if self.shape(k) is not None), 0)
        top, here = self.shape(first), self.shape(n)
        if top is None or here is None or not 0 < top.indent or here.indent >= top.indent or first >= n:
            return None
        what = _name(top.key) if top.key is not None else "this line"
        return (first, top.indent + 1), (f"line {first}: {what} is indented, but the fields at the top of a file "
                                         "start at the left edge; remove the spaces before it")

    def breakout(self, n: int, c: int) -> tuple[Mark, str] | None:
        """A line that leaves the block it is in for a place that matches no block above it."""
        shape = self.shape(n)
        if shape is not None and c - 1 != shape.indent:
            return self.after_value(n, c)
        if shape is None or not shape.dashes and shape.key is None:
            if self.line(n)[c - 1:c] == ":":
                return (n, c), f"line {n} starts with `:`; a field is written `name: value`, its name before the `:`"
            return self.text_dedented(n)
        kind = "-" if shape.dashes else "key"
        tight = self.tight_dash(n)
        if tight:
            return tight
        me = "this `-` item" if kind == "-" else _name(shape.key or "")
        at = shape.indent
        chain = self.chain(n)
        level = [anchor for anchor in chain if anchor.col == at]
        if level:
            other = level[0]
            if other.kind == kind:
                return None  # it lines up with a block of its own kind: something else is wrong
            if kind == "-":
                return (n, c), (f"line {n}: a `-` list item stands among fields ({other.said()}); a list goes under "
                                "a field of its own: `name:` on one line, then its `- ` items indented below it")
            inner = [anchor for anchor in chain if anchor.kind == "key" and anchor.col > at]
            return (n, c), (f"line {n}: {me} lines up with the `-` on line {other.line}, so it belongs neither to that "
                            "list item nor after the list; "
                            + (f"to put it in that item, line it up with {inner[-1].said()}" if inner
                               else "indent it more to put it in that item"))
        further = [anchor for anchor in chain if anchor.col > at]
        nearer = [anchor for anchor in chain if anchor.col < at]
        if not chain:
            return None
        if not further:
            like = next((anchor for anchor in chain if anchor.kind == kind), chain[0])
            return (n, c), f"line {n}: {me} is indented more than the lines above it; line it up with {like.said()}"
        upper = next((anchor for anchor in reversed(further) if anchor.kind == kind), further[-1])
        lower = nearer[0] if nearer else None
        message = f"line {n}: {me} is indented less than {upper.said()}"
        if lower is not None:
            message += f" but more than {lower.said()}"
        message += f"; line it up with {upper.said(with_line=False)}"
        if lower is not None and lower.kind == kind == "key":
            message += f" or with {lower.said(with_line=False)}"
        return (n, c), message

    def text_dedented(self, n: int) -> tuple[Mark, str] | None:
        """A line of a text that spans lines, indented less than the line before it."""
        k = next((k for k in range(n - 1, 0, -1) if self.line(k).strip()), 0)
        shape = self.shape(k)
        if shape is not None and shape.key is not None and self.block_re.match(self.line(k), shape.value):
            key = _name(shape.key)  # `body: |` and the text under it no further in than `body:`
            return (n, self.indent(n) + 1), (f"line {n} is the text of {key} (line {k}), so it must be indented more "
                                             f"than {key}; indent it like the lines below it")
        if not k or shape is not None and (shape.dashes or shape.key is not None) or self.indent(k) <= self.indent(n):
            return None
        above = self.above(k + 1)
        whose = f" (the text of {_name(above[1].key)}, from line {above[0]})" if above and above[1].key else ""
        return (n, self.indent(n) + 1), (f"line {n} is indented less than line {k} above it, so YAML does not read "
                                         f"it as more of that text{whose}; line it up with line {k}")

    def after_value(self, n: int, c: int) -> tuple[Mark, str] | None:
        """More on a line after its value ended: text after a closing quote, mostly."""
        line, shape = self.line(n), self.shape(n)
        before = line[:c - 1].rstrip()
        if shape is None or not before or before[-1] not in ("'", '"', "]", "}"):
            return None
        value = line[shape.value:].rstrip()
        form_of = (lambda text: line[shape.indent:shape.value] + _quoted(text)) if len(value) <= _QUOTE_AFTER else None
        if before[-1] in "]}":
            return (n, c), (f"line {n}: there is more text after the closing `{before[-1]}`; if it is all one text, "
                            "put the whole text in quotes" + (f": {form_of(value)}" if form_of else ""))
        quote, closing = before[-1], len(before) - 1
        if line.count(quote, shape.value, closing) % 2 == 0:  # it closes a text opened on a line above
            for k in range(n - 1, 0, -1):
                opened = self.shape(k)
                text = self.line(k)
                if opened is not None and text[opened.value:opened.value + 1] == quote:
                    return self.unclosed_quote(k, opened.value + 1) if text.count(quote, opened.value) % 2 else None
            return None
        if len(value) > 1 and value[0] == value[-1] == quote and quote in value[1:-1]:
            words = "single quotes and holds an apostrophe" if quote == "'" else "double quotes and holds a double quote"
            return (n, closing + 1), (f"line {n}: this text is in {words} ({quote}), which ends it early; put it in "
                                      "the other kind of quotes"
                                      + (f": {form_of(value[1:-1])}" if form_of else ""))
        return (n, c), (f"line {n}: there is more text after the closing quote ({quote}); put the whole text in "
                        "quotes" + (f": {form_of(value)}" if form_of else ""))
