"""The global options every command sees (set by the root callback)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

NO_CURSOR = "This terminal cannot move the cursor, so neurotutor uses plain, numbered prompts."


def can_move_cursor() -> bool:
    """False when the terminal says it cannot move the cursor: TERM is "dumb" or "unknown" (the
    names prompt_toolkit falls back on, where our key prompts fail), or TERM is not set at all
    (outside Windows, whose console needs no TERM)."""
    term = os.environ.get("TERM", "")
    if not term:
        return sys.platform == "win32"
    return term.lower() not in ("dumb", "unknown")


@dataclass(frozen=True)
class Settings:
    """Global options: output style, extra lesson folders, profile (main reads --debug itself)."""

    plain: bool = False
    lessons_dirs: tuple[Path, ...] = field(default_factory=tuple)
    profile: str = "default"

    @property
    def interactive(self) -> bool:
        """True when prompts can use arrow keys: both ends are terminals, the terminal can move
        the cursor, and --plain is off."""
        return self.decorated and sys.stdin.isatty()

    @property
    def attended(self) -> bool:
        """True when a person can answer: input is a terminal (arrow-key prompts, or --plain's
        numbered ones for a screen reader)."""
        return sys.stdin.isatty()

    @property
    def decorated(self) -> bool:
        """True when output may be drawn by rich: a terminal that can move the cursor and no
        --plain (NO_COLOR only takes colour away, which rich does itself)."""
        return not self.plain and sys.stdout.isatty() and can_move_cursor()

    @property
    def plain_by_terminal(self) -> bool:
        """True when the tutor chose plain prompts itself: both ends are terminals and --plain is
        off, but the terminal cannot move the cursor."""
        return not self.plain and sys.stdin.isatty() and sys.stdout.isatty() and not can_move_cursor()
