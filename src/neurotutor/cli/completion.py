"""Shell completion of lesson ids (Typer's own completion does the commands and options).

`neurotutor --install-completion` sets it up for bash, zsh, fish or PowerShell. Completing a
lesson id reads the catalogue (from its cache) with the folders and profile already typed on
the command line; anything wrong there simply completes nothing.
"""

from __future__ import annotations

from typing import Any


def lesson_ids(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The lesson ids that start with what is typed, each with its title as the help text."""
    from pathlib import Path

    from neurotutor import paths
    from neurotutor.lessons.catalogue import load_catalogue

    given = ctx.find_root().params if ctx is not None else {}
    try:
        catalogue = load_catalogue(paths.builtin_lessons_dir(),
                                   paths.user_lesson_dirs([Path(d) for d in given.get("lessons_dir") or ()],
                                                          given.get("profile") or "default"),
                                   cache_dir=paths.cache_dir())
    except Exception:  # noqa: BLE001 - completion must never print a traceback into the shell
        return []
    return [(e.info.id, e.info.title) for e in catalogue.lessons if e.info.id.startswith(incomplete)]


def lesson_id_lists(ctx: Any, incomplete: str) -> list[tuple[str, str]]:
    """The same for a comma-separated list (`exam --lessons a,b`): the last id is completed."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [(prefix + lesson_id, title) for lesson_id, title in lesson_ids(ctx, last)]
