"""The global options every command sees (set by the root callback)."""

from __future__ import annotations

import os
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
    def color(self) -> bool:
        """True unless --plain or NO_COLOR asks for undecorated output."""
        return not self.plain and not os.environ.get("NO_COLOR")
