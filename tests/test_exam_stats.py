"""`stats --lesson X` counts the exams with a question from X (`stats.build._exams`), from hand-made
records at fixed times."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from neurotutor.progress import model as pm
from neurotutor.stats import build as sb

AT = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)


def record(exam_id: str, score: float, days: int, *, lessons: tuple[str, ...] = (), drawn_from: tuple[str, ...] = (),
           status: str = "submitted") -> pm.ExamRecord:
    ended = AT + timedelta(days=days)
    return pm.ExamRecord(id=exam_id, started=ended - timedelta(minutes=20), finished=ended, status=status,  # type: ignore[arg-type]
                         seed=1, lessons=lessons, drawn_from=drawn_from, score=score)


def test_an_exam_counts_for_every_lesson_it_asked_a_question_from() -> None:
    progress = pm.Progress(exams={e.id: e for e in [
        record("mixed", 0.5, 0, drawn_from=("les-a", "les-b")),  # drawn from every lesson: a and b gave questions
        record("studied", 0.8, 1, lessons=("les-a", "les-c"), drawn_from=("les-c",)),  # a gave none
        record("old", 0.7, 2, lessons=("les-b", "les-a")),  # before drawn_from: the lessons it was drawn from
        record("old-every", 0.9, 3),  # before drawn_from, from every lesson: it cannot say
        record("dropped", 1.0, 4, drawn_from=("les-a",), status="abandoned")]})
    assert sb._exams(progress, "les-a") == sb.Exams(taken=2, best=0.7, latest=0.7, latest_at=AT + timedelta(days=2))
    assert sb._exams(progress, "les-b") == sb.Exams(2, 0.7, 0.7, AT + timedelta(days=2))
    assert sb._exams(progress, "les-c") == sb.Exams(1, 0.8, 0.8, AT + timedelta(days=1))
    assert sb._exams(progress, "les-d") == sb.Exams(0, None, None, None)
    assert sb._exams(progress, None) == sb.Exams(4, 0.9, 0.9, AT + timedelta(days=3))
