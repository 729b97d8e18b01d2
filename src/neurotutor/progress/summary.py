"""Per-lesson summaries built from the catalogue and the progress (what `lessons` and `progress` show)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from neurotutor.lessons.loader import Catalogue
from neurotutor.progress import model as pm


@dataclass(frozen=True)
class LessonRow:
    """One lesson's place in a learner's progress."""

    id: str
    title: str
    level: str
    minutes: int
    status: pm.Status
    completed_runs: int
    best_score: float | None
    last_score: float | None
    sections_read: int
    sections: int
    questions_answered: int
    questions: int
    last_studied: datetime | None
    builtin: bool


def lesson_rows(catalogue: Catalogue, progress: pm.Progress) -> list[LessonRow]:
    """A row per lesson in catalogue order."""
    rows = []
    for item in catalogue.lessons:
        info = item.info
        state = progress.lessons.get(info.id)
        rows.append(LessonRow(
            id=info.id, title=info.title, level=info.level, minutes=info.minutes,
            status=pm.status(state),
            completed_runs=state.completed_runs if state else 0,
            best_score=state.best_score if state else None,
            last_score=state.last_score if state else None,
            sections_read=len(state.sections_seen) if state else 0, sections=len(info.section_ids),
            questions_answered=len(state.answered) if state else 0, questions=len(info.question_ids),
            last_studied=state.last_studied if state else None, builtin=item.builtin,
        ))
    return rows


def resume_candidate(rows: list[LessonRow]) -> LessonRow | None:
    """The in-progress lesson studied most recently, if any."""
    started = [r for r in rows if r.status == "in_progress" and r.last_studied]
    return max(started, key=lambda r: r.last_studied) if started else None  # type: ignore[arg-type, return-value]


def to_json(rows: list[LessonRow]) -> bytes:
    """Rows as JSON for scripts (`--json`)."""
    import msgspec

    return msgspec.json.format(msgspec.json.encode(rows), indent=2)
