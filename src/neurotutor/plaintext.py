"""Lesson Markdown as clean plain text (--plain, screen readers, menu entries).

No `**`, `*` or backticks are left; links read "text (url)"; lists keep "- " and "1. " with
continuation lines under the item's text when wrapped.
"""

from __future__ import annotations

import textwrap
from typing import Any


def _inline(token: Any) -> str:
    out: list[str] = []
    href: list[str] = []
    link_text: list[list[str]] = []
    for child in token.children or []:
        kind = child.type
        target = link_text[-1] if link_text else out
        if kind in ("text", "code_inline", "html_inline"):
            target.append(child.content)
        elif kind in ("softbreak",):
            target.append(" ")
        elif kind == "hardbreak":
            target.append("\n")
        elif kind == "link_open":
            href.append(child.attrGet("href") or "")
            link_text.append([])
        elif kind == "link_close":
            text = "".join(link_text.pop())
            url = href.pop()
            shown = text if not url or text == url or url == f"mailto:{text}" else f"{text} ({url})"
            (link_text[-1] if link_text else out).append(shown)
        elif kind == "image":
            target.append(child.content or "")
    return "".join(out)


def markdown_to_text(source: str, width: int = 0) -> str:
    """Markdown as plain text, wrapped at word boundaries to `width` (0: not wrapped)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    blocks: list[str] = []
    stack: list[list[int]] = []  # per open list: [ordered?, next number]
    prefix_first = ""
    indent = 0
    pending_item = False
    headings: list[str] = []
    row: list[str] | None = None
    in_head = False
    for token in tokens:
        kind = token.type
        if kind == "thead_open":
            in_head, headings = True, []
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open" and not in_head:
            row = []
        elif kind == "tr_close" and row is not None:
            cells = [f"{h}: {c}" if h else c for h, c in zip(headings + [""] * len(row), row)]
            blocks.append(_wrap("- " + "; ".join(cells), width, "", "  "))  # a row read out, not drawn
            row = None
        elif kind == "inline" and in_head:
            headings.append(_inline(token).strip())
        elif kind == "inline" and row is not None:
            row.append(_inline(token).strip())
        elif kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else 0
            stack.append([kind == "ordered_list_open", start])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            stack.pop()
        elif kind == "list_item_open":
            ordered, number = stack[-1]
            prefix_first = f"{number}. " if ordered else "- "
            if ordered:
                stack[-1][1] += 1
            indent = 2 * (len(stack) - 1)
            pending_item = True
        elif kind == "inline":
            text = _inline(token)
            if pending_item:
                lead, hang = " " * indent + prefix_first, " " * (indent + len(prefix_first))
                pending_item = False
            elif stack:
                lead = hang = " " * (indent + len(prefix_first))
            else:
                lead = hang = ""
            blocks.append(_wrap(text, width, lead, hang))
        elif kind in ("fence", "code_block"):
            blocks.append("\n".join(line.rstrip() for line in token.content.rstrip("\n").split("\n")))
        elif kind == "html_block":
            blocks.append(token.content.rstrip("\n"))
        elif kind == "hr":
            blocks.append("---")
    return _join(blocks)


def _join(blocks: list[str]) -> str:
    out = []
    for i, block in enumerate(blocks):
        if i and not (block.lstrip().startswith(("- ",)) or _numbered(block)):
            out.append("")
        out.append(block)
    return "\n".join(out)


def _numbered(block: str) -> bool:
    head = block.lstrip().split(" ", 1)[0]
    return head.endswith(".") and head[:-1].isdigit()


def _wrap(text: str, width: int, lead: str, hang: str) -> str:
    lines = []
    for i, part in enumerate(text.split("\n")):
        first = lead if i == 0 else hang
        if width:
            lines += textwrap.wrap(" ".join(part.split()), width, initial_indent=first, subsequent_indent=hang,
                                   break_long_words=False, break_on_hyphens=False) or [first.rstrip()]
        else:
            lines.append((first + " ".join(part.split())).rstrip())
    return "\n".join(lines)


def inline_text(source: str) -> str:
    """Markdown as one line of plain text (menu entries)."""
    return " ".join(markdown_to_text(source).split())
