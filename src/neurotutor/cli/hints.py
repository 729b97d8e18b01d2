"""Commands the tutor tells the learner to type, with the global options in force repeated.

A hint printed under `--profile sam` must continue Sam's lesson, not the default profile's, so
every hint is built here from the settings: `--profile`, each `--lessons-dir` and `--plain`
appear when they were given, shell-quoted.
"""

from __future__ import annotations

import shlex

from neurotutor.cli.settings import Settings


def command(settings: Settings, *words: str) -> str:
    """The command line for `neurotutor WORDS...` under these settings."""
    parts = ["neurotutor"]
    if settings.profile != "default":
        parts += ["--profile", settings.profile]
    for folder in settings.lessons_dirs:
        parts += ["--lessons-dir", str(folder.absolute())]  # right from any folder
    if settings.plain:
        parts.append("--plain")
    parts += words
    return " ".join(shlex.quote(p) for p in parts)
