"""Upgrades older progress files one schema version at a time.

Each step is a small named function from the data of version N to version N+1. There are none yet:
version 1 is the first schema. Add `MIGRATIONS[1] = add_review_fields` (say) when version 2 comes.
"""

from __future__ import annotations

from typing import Any, Callable

Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}


def migrate(data: dict[str, Any], target: int, migrations: dict[int, Migration] | None = None) -> dict[str, Any]:
    """Apply migrations in order until data reaches the target schema version."""
    steps = MIGRATIONS if migrations is None else migrations
    version = data.get("schema_version")
    while isinstance(version, int) and version < target:
        step = steps.get(version)
        if step is None:
            raise ValueError(f"no migration from progress schema version {version}")
        data = step(dict(data))
        data["schema_version"] = version + 1
        version += 1
    return data
