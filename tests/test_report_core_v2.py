"""Report format 2, the core: reading and review time, the client key, the consent preview that
shows every field of the file, ties and "went well" in the summary (issue 20)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from neurotutor.progress import model as pm
from neurotutor.reports import build as rb
from neurotutor.reports.preview import name, preview_lines, value_words
from neurotutor.stats import tallies as st
from neurotutor.study.engine import IDLE_CAP, Study

from test_study import LESSON, Memory, Script, Stop, clock

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def _study(screen: Script, memory: Memory, steps: list[float]) -> None:
    timer = iter(steps)
    try:
        Study(lesson=LESSON, screen=screen, save=memory.save, load=memory.load, clock=clock(), seed=7,
              timer=lambda: float(next(timer)), utc_offset=lambda: 0).run(True)
    except Stop:
        pass


def test_reading_time_is_kept_per_lesson_and_a_screen_left_open_counts_ten_minutes_at_most() -> None:
    memory = Memory()
    # section 1 read in 90 s; section 2 left open for two hours, then the learner moves on
    _study(Script("next", "next"), memory, [0, 90, 90, 90 + 7200] + [10_000.0] * 50)
    assert memory.state().read_seconds == 90 + IDLE_CAP == 690
    assert IDLE_CAP == 600


def test_reading_time_is_kept_when_the_learner_stops_part_way() -> None:
    memory = Memory()
    _study(Script(), memory, [0, 45])  # stops on section 1 after 45 s
    state = memory.state()
    assert (state.read_seconds, state.sections_seen, state.last_studied) == (45.0, (), None)


def _attempt(question: str, mode: str, seconds: float, spent: float | None, at: datetime) -> pm.Attempt:
    return pm.new_attempt(lesson="l1", question=question, mode=mode, answer=None, answer_text="x",  # type: ignore[arg-type]
                          correct=True, seconds=seconds, now=at, utc_offset=0, spent=spent,
                          run=1 if mode == "lesson" else None)


def test_review_time_counts_the_whole_question_not_only_the_answering() -> None:
    answers = [_attempt("q1", "review", 4.0, 40.0, T0), _attempt("q2", "review", 6.0, 65.0, T0),
               _attempt("q3", "lesson", 10.0, None, T0), _attempt("q4", "review", 3.0, None, T0)]  # an old record
    tally = st.of(answers).lessons["l1"]
    assert (tally.mode_seconds, tally.mode_spent) == ({"review": 13.0, "lesson": 10.0}, {"review": 108.0, "lesson": 10.0})
    assert pm.new_attempt(lesson="l", question="q", mode="review", answer=None, answer_text="x", correct=True,
                          seconds=5.0, now=T0, utc_offset=0, spent=2.0).spent == 5.0  # never less than answering


def test_a_client_key_is_made_once_and_tells_nothing() -> None:
    key = pm.new_client_key(bytes(range(7)))
    assert key == "c-aaaqeayeau"  # base32 of 00 01 02 03 04 05 06
    p = pm.with_client_key(pm.Progress(), key)
    assert pm.with_client_key(p, "c-bbbbbbbbbb").client_key == key  # kept: another terminal made it first
    assert pm.merge(pm.Progress(), p).client_key == key  # an import keeps it
    assert pm.reset_all(p).client_key == key


def test_ties_at_the_cut_are_never_shown_as_the_top() -> None:
    assert rb.top_with_ties([("a", 5), ("b", 3), ("c", 3), ("d", 3), ("e", 1)]) == ([("a", 5)], 4)
    assert rb.top_with_ties([("a", 5), ("b", 4), ("c", 3), ("d", 1)]) == ([("a", 5), ("b", 4), ("c", 3)], 1)
    assert rb.top_with_ties([("a", 2), ("b", 2), ("c", 2), ("d", 2)]) == ([("a", 2), ("b", 2), ("c", 2), ("d", 2)], 0)
    assert rb.top_with_ties([("a", 2), ("b", 1)]) == ([("a", 2), ("b", 1)], 0)


def _leaves(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(doc, dict):
        return [leaf for k, v in doc.items() for leaf in _leaves(v, path + (k,))]
    if isinstance(doc, list) and any(isinstance(v, (dict, list)) for v in doc):
        return [leaf for i, v in enumerate(doc) for leaf in _leaves(v, path + (i,))]
    return [(path, doc)]


def test_the_preview_shows_every_field_the_file_holds() -> None:
    doc = {"format": "neurotutor-report", "version": 2, "generated_on": "2026-12-09", "client": {"label": "S.K.",
           "key": "c-abcdefgh23"}, "lessons": [{"id": "l1", "title": "One", "pass_scores": [0.25, 1.0],
           "minutes": {"reading": 6.0, "answering": 1.5, "review": 4.2}, "misconceptions": [
               {"label": "m1", "text": "An idea", "times": 2, "question_id": "q1", "question": "Q?",
                "lesson_teaches": "Why", "answers": ["my words"]}],
           "questions": [{"id": "q1", "question": "Q?", "answers": 3, "right": 1, "first_right": False,
                          "typed": ["hebb", "heb"]}]}],
           "exams": None, "confidence": {"rated": 4, "levels": [{"level": 1, "answers": 2, "right": 1}]},
           "new_field_nobody_named": "still shown"}
    shown = "\n".join(preview_lines(doc))
    for path, value in _leaves(doc):
        key = next(p for p in reversed(path) if isinstance(p, str))
        assert value_words(value) in shown, (path, value)
        assert name(key) in shown or key in ("title", "text", "question", "id", "level"), path
    assert preview_lines(doc)[:4] == ["Kind of file: neurotutor-report", "Format version: 2",
                                      "Date written: 2026-12-09", ""]
    assert "      1. An idea" in shown and "Answers my words" in shown and "What you typed hebb; heb" in shown
    assert "Exams: -" in shown and "New field nobody named: still shown" in shown


def _report(scores: dict[str, tuple[float, ...]], chosen: dict[str, list[tuple[str, str, int]]]) -> rb.Report:
    """A report of lessons with these pass scores and misconceptions (label, question, times)."""
    lessons = tuple(rb.LessonReport(
        lesson_id=lid, title=lid.upper(), due=date(2026, 12, 10), status="done", overdue=False, finished=T0,
        last_studied=T0 + timedelta(days=i), scores=s, minutes=1.0, review_answers=0, review_days=0,
        misconceptions=tuple(rb.Misconception(label, times, q, "Q?", "why", (), f"The idea {label}")
                             for label, q, times in chosen.get(lid, ())))
        for i, (lid, s) in enumerate(scores.items()))
    from neurotutor.assignments import model as am

    stored = pm.StoredAssignment(assignment=am.Assignment(
        kind="assignment", format=1, id="a", title="A", therapist=am.Therapist(name="Dr A"), client="S.K.",
        lessons=tuple(am.AssignedLesson(lesson=x.lesson_id, due=x.due) for x in lessons)), added=T0, source="a.yaml")
    from neurotutor.study import confidence as cbm

    report = rb.Report(generated=T0 + timedelta(days=5), assignment=stored, verbatim=False, lessons=lessons,
                       review_minutes=0.0, review_days=0, review_goal_minutes=None, days_since_added=6, exams=(),
                       exam_goal=None, calibration=cbm.calibrate_counts({}))
    return rb._with_summary(report)


def test_went_well_is_the_first_pass_and_never_the_lesson_of_the_central_misconception() -> None:
    report = _report({"one": (0.25, 1.0), "two": (0.9,), "three": (0.85,)},
                     {"one": [("m1", "q1", 3), ("m1", "q2", 2)], "three": [("m3", "q9", 5)]})
    assert report.summary == (
        "Done: 3 of 3 lessons (ONE, TWO, THREE).",
        "Last studied: 2026-12-03.",
        "Went well: TWO (the first pass scored 80% or more).",
        "Improved on a retry: ONE (25% at first, 100% on the last pass).",
        "To talk about: 2 misconceptions chosen: \u201cThe idea m1\u201d (5 times), \u201cThe idea m3\u201d (5 times) "
        "(each with its question below).")
