"""Upgrades older progress files one schema version at a time.

Each step is a small named function from the data of version N to version N+1. A step gets the
state as a dict and the attempts it has to add to the history (format 1 kept them inside the
state) and returns both, so a step can move data between the two files.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from neurotutor.progress.model import attempt_id

Migration = Callable[[dict[str, Any], list[dict[str, Any]]], tuple[dict[str, Any], list[dict[str, Any]]]]


def split_history_out_of_state(state: dict[str, Any], history: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Format 1 -> 2: attempts move to the history file and gain ids and modes; lessons gain
    `last_missed` and `completed_at`; `cards`, `exams` and `settings` start empty."""
    attempts = state.get("attempts")
    if not isinstance(attempts, list):
        raise ValueError("'attempts' is not a list")
    moved = list(history)
    for old in attempts:
        if not isinstance(old, dict):
            raise ValueError("an attempt is not an object")
        at = old.get("at")
        if not isinstance(at, str):
            raise ValueError("an attempt has no time")
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
        text = old.get("answer")
        moved.append({
            "id": attempt_id(str(old.get("lesson")), str(old.get("question")), "lesson", when, str(text)),
            "lesson": old.get("lesson"), "question": old.get("question"), "mode": "lesson",
            "run": old.get("run"), "answer_text": text, "correct": old.get("correct"),
            "seconds": old.get("seconds"), "at": at,
        })
    lessons = state.get("lessons")
    if not isinstance(lessons, dict):
        raise ValueError("'lessons' is not an object")
    new_lessons = {}
    for lesson_id, lesson in lessons.items():
        if not isinstance(lesson, dict):
            raise ValueError(f"lesson {lesson_id!r} is not an object")
        lesson = dict(lesson)
        last_run = lesson.get("run", 1) - 1 if isinstance(lesson.get("run", 1), int) else 0
        of_last_run = [a for a in attempts if a.get("lesson") == lesson_id and a.get("run") == last_run]
        if lesson.get("completed_runs"):
            lesson["last_missed"] = [a.get("question") for a in of_last_run if a.get("correct") is False]
            lesson["completed_at"] = max((a["at"] for a in of_last_run), default=lesson.get("last_studied"))
        new_lessons[lesson_id] = lesson
    new_state = {k: v for k, v in state.items() if k != "attempts"}
    new_state["lessons"] = new_lessons
    return new_state, moved


def fields_added_to_2(state: dict[str, Any], history: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Format 2 -> 3: nothing to change. Format 3 is format 2 with fields an older neurotutor
    would refuse as unknown (the client key, reading and answer times, practice and check-in goals
    in assignments); its number makes an older version say "written by a newer neurotutor" and
    leave the file alone, rather than take it for a damaged one and move it aside."""
    return state, history


MIGRATIONS: dict[int, Migration] = {1: split_history_out_of_state, 2: fields_added_to_2}


def migrate(state: dict[str, Any], target: int, migrations: dict[int, Migration] | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Apply migrations in order until the state reaches the target version; returns the state and
    the attempts that the steps moved out of it (to append to the history)."""
    steps = MIGRATIONS if migrations is None else migrations
    history: list[dict[str, Any]] = []
    version = state.get("schema_version")
    while isinstance(version, int) and version < target:
        step = steps.get(version)
        if step is None:
            raise ValueError(f"no migration from progress schema version {version}")
        state, history = step(dict(state), history)
        state["schema_version"] = version + 1
        version += 1
    return state, history
