"""The global options every command sees (set by the root callback)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Global options: output style, extra lesson folders, profile (main reads --debug itself)."""

    plain: bool = False
    lessons_dirs: tuple[Path, ...] = field(default_factory=tuple)
    profile: str = "default"

    @property
    def interactive(self) -> bool:
        """True when prompts can use arrow keys: both ends are terminals and --plain is off."""
        return not self.plain and sys.stdin.isatty() and sys.stdout.isatty()

    @property
    def decorated(self) -> bool:
        """True when output may be drawn by rich: a terminal and no --plain (NO_COLOR only takes
        colour away, which rich does itself)."""
        return not self.plain and sys.stdout.isatty()
