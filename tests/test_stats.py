"""Statistics built from hand-made answers at fixed times: local days and streaks, mastery, accuracy by
week, exams, calibration, misconceptions, the JSON document, and the forgetting curve replayed
through the live schedule."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from neurotutor.progress import model as pm
from neurotutor.stats import build as sb
from neurotutor.stats import forgetting as fg
from neurotutor.study import confidence as conf
from neurotutor.study import schedule

UTC = timezone.utc
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday; 12:00 local at UTC+2
LESSON_A = sb.LessonFacts("les-a", "Memory reconsolidation", ("memory",), ("q1", "q2", "q3", "q4"))
LESSON_B = sb.LessonFacts("les-b", "Stress and cortisol", (), ("b1", "b2"))


def att(question: str, at: datetime, *, lesson: str = "les-a", mode: pm.Mode = "lesson", correct: bool = True,
        offset: int | None = 120, confidence: pm.Confidence | None = None, misconceptions: tuple[str, ...] = (),
        seconds: float = 10.0, credit: float | None = None) -> pm.Attempt:
    return pm.new_attempt(lesson=lesson, question=question, mode=mode, answer=None, answer_text="x", correct=correct,
                          seconds=seconds, now=at, utc_offset=offset, confidence=confidence,
                          misconceptions=misconceptions, credit=credit)


def stats_of(attempts: list[pm.Attempt], progress: pm.Progress | None = None, lessons=(LESSON_A, LESSON_B),
             offset: int = 120, lesson: str | None = None) -> sb.Stats:
    return sb.build_stats(progress or pm.Progress(), attempts, list(lessons), NOW, offset, lesson)


def at_utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


# -- days studied and streaks ----------------------------------------------------------------------


def test_local_days_cross_midnight_with_the_recorded_offset() -> None:
    attempts = [
        att("q1", at_utc(20, 22, 30)),  # 00:30 on the 21st at UTC+2
        att("q2", at_utc(21, 21, 0)),  # 23:00 on the 21st
        att("q1", at_utc(22, 10, 0)),
        att("q3", at_utc(22, 23, 0), offset=None),  # no offset recorded: the current one (+2): the 23rd
    ]
    act = stats_of(attempts).activity
    assert act.today == date(2026, 11, 23)
    assert act.start == date(2026, 6, 1)  # the Monday 25 weeks before this week's
    assert len(act.counts) == 25 * 7 + 1  # up to today, a Monday
    assert {act.start + timedelta(days=i): n for i, n in enumerate(act.counts) if n} == {
        date(2026, 11, 21): 2, date(2026, 11, 22): 1, date(2026, 11, 23): 1}
    assert (act.current_streak, act.longest_streak, act.days_studied, act.days_studied_ever) == (3, 3, 3, 3)
    assert act.last_day == date(2026, 11, 23)
    assert [(w.start, w.days, w.answers) for w in act.weeks[-2:]] == [
        (date(2026, 11, 16), 2, 3), (date(2026, 11, 23), 1, 1)]
    # In UTC the same answers fall on the 20th, 21st, 22nd and 22nd.
    utc = stats_of([att(a.question, a.at, offset=0) for a in attempts], offset=0).activity
    assert (utc.current_streak, utc.days_studied_ever, utc.last_day) == (3, 3, date(2026, 11, 22))


def test_streak_ends_yesterday_until_today_has_an_answer_and_longest_counts_all_history() -> None:
    old_run = [att("q1", datetime(2025, 3, d, 12, tzinfo=UTC)) for d in range(1, 6)]  # 5 days, long ago
    recent = [att("q1", at_utc(21, 12)), att("q2", at_utc(22, 12))]
    act = stats_of(old_run + recent).activity
    assert (act.current_streak, act.longest_streak, act.days_studied, act.days_studied_ever) == (2, 5, 2, 7)
    gap = stats_of(old_run + [att("q1", at_utc(20, 12))]).activity
    assert gap.current_streak == 0
    assert stats_of([]).activity.current_streak == 0


# -- mastery ---------------------------------------------------------------------------------------


def card(state: int, due: datetime, stability: float | None = None, last: datetime | None = None) -> pm.CardState:
    return pm.CardState(state=state, step=None if state == 2 else 0, stability=stability, difficulty=5.0, due=due,
                        last_review=last)  # type: ignore[arg-type]


def test_mature_cards_and_what_is_due_on_the_learner_s_study_day() -> None:
    # at UTC+2 the study day starts at 04:00 local (02:00 UTC): it runs from 23 Nov 02:00 to 24 Nov 02:00 UTC
    cards = {
        "q1": card(2, NOW + timedelta(days=40), stability=100.0, last=NOW - timedelta(days=1)),  # 41 days: mature
        "q2": card(1, NOW - timedelta(hours=1), stability=2.0, last=NOW - timedelta(days=1)),  # learning: due now
        "q3": card(2, at_utc(23, 21, 59), stability=1.0, last=NOW - timedelta(days=30)),  # a 30-day interval: mature
        "q4": card(2, at_utc(23, 22, 0), stability=100.0, last=NOW - timedelta(days=2)),  # 00:00 local: still today
        "gone": card(2, NOW - timedelta(days=1), stability=100.0, last=NOW - timedelta(days=1)),  # removed question
        "b1": card(2, NOW + timedelta(days=6, hours=11), stability=50.0, last=NOW - timedelta(days=3)),
    }
    stats = stats_of([], pm.Progress(cards=cards))
    assert stats.mastery == (
        sb.Mastery("les-a", "Memory reconsolidation", questions=4, cards=4, mature=2, due_today=3, due_week=3),
        sb.Mastery("les-b", "Stress and cortisol", questions=2, cards=1, mature=0, due_today=0, due_week=1),
    )
    assert stats.mastery[0].share == 0.5
    assert stats.total == sb.Mastery("", "all lessons", 6, 5, 2, 3, 4)
    # b1 at 23:00 local on the 29th is on the seventh study day (23rd to 29th); at 04:01 local on the 30th it is not
    later = {**cards, "b1": card(2, at_utc(30, 2, 1), stability=50.0, last=NOW)}
    assert stats_of([], pm.Progress(cards=later)).mastery[1].due_week == 0
    # mature is about the interval, not today's retention setting
    stricter = pm.Progress(cards=cards, settings=pm.ProfileSettings(desired_retention=0.998))
    assert [m.mature for m in stats_of([], stricter).mastery] == [2, 0]
    # a study day that starts at midnight: q4, due at 00:00 local on the 24th, is tomorrow's
    midnight = pm.Progress(cards=cards, settings=pm.ProfileSettings(day_starts_at=0))
    assert stats_of([], midnight).mastery[0].due_today == 2
    # the forecast: today 3 (q2, q3, q4), then b1 on the seventh day, q1 after 30 days (left out)
    assert stats.forecast[:7] == (3, 0, 0, 0, 0, 0, 1) and sum(stats.forecast) == 4
    assert stats.study_date == date(2026, 11, 23)


# -- accuracy, modes, exams ------------------------------------------------------------------------


def test_accuracy_by_week_overall_and_by_mode() -> None:
    attempts = [
        att("q1", at_utc(16, 8), correct=True, seconds=4.0),  # week of the 16th
        att("q2", at_utc(22, 21, 30), correct=False, mode="review", seconds=6.0),  # 23:30 local: still the 22nd
        att("q1", at_utc(22, 22, 30), correct=True, mode="exam", seconds=8.0),  # 00:30 local on the 23rd
        att("q3", at_utc(9, 9), correct=False, mode="practice", seconds=2.0),  # week of the 9th
    ]
    acc = stats_of(attempts).accuracy
    assert acc.weeks == (sb.Week(date(2026, 11, 9), 1, 0), sb.Week(date(2026, 11, 16), 2, 1),
                         sb.Week(date(2026, 11, 23), 1, 1))
    assert (acc.answers, acc.right, acc.share, acc.average_seconds) == (4, 2, 0.5, 5.0)
    assert acc.modes == (("lesson", 1), ("retry", 0), ("review", 1), ("practice", 1), ("exam", 1))
    many = [att("q1", NOW - timedelta(weeks=w)) for w in range(20)]
    weeks = stats_of(many).accuracy.weeks
    assert [w.start for w in weeks] == [date(2026, 11, 23) - timedelta(weeks=w) for w in range(11, -1, -1)]


def exam(exam_id: str, status: str, score: float | None, finished: datetime | None,
         lessons: tuple[str, ...] = ()) -> pm.ExamRecord:
    return pm.ExamRecord(id=exam_id, started=(finished or NOW) - timedelta(minutes=20), finished=finished,
                         status=status, seed=1, lessons=lessons, score=score)  # type: ignore[arg-type]


def test_exams_taken_best_and_latest() -> None:
    exams = {e.id: e for e in [
        exam("e1", "submitted", 0.9, at_utc(10, 9), ("les-a",)),
        exam("e2", "timed_out", 0.6, at_utc(20, 9)),
        exam("e3", "abandoned", 1.0, at_utc(21, 9)),
        exam("e4", "in_progress", None, None),
    ]}
    progress = pm.Progress(exams=exams)
    assert stats_of([], progress).exams == sb.Exams(taken=2, best=0.9, latest=0.6, latest_at=at_utc(20, 9))
    assert stats_of([], progress, lesson="les-a").exams == sb.Exams(1, 0.9, 0.9, at_utc(10, 9))
    assert stats_of([]).exams == sb.Exams(0, None, None, None)


# -- calibration -----------------------------------------------------------------------------------


def rated(n: int, right: int, level: pm.Confidence, lesson: str = "les-a") -> list[pm.Attempt]:
    return [att("q1" if lesson == "les-a" else "b1", NOW - timedelta(minutes=i + 1), lesson=lesson,
                correct=i < right, confidence=level) for i in range(n)]


def test_calibration_sentences_only_with_enough_answers() -> None:
    thin = stats_of(rated(9, 3, 3)).calibration
    assert thin.sentences == ("Not enough rated answers yet (9 of 10 needed at one level of confidence).",)
    assert thin.overall.verdict is None
    assert stats_of([att("q1", NOW)]).calibration.sentences == ()  # nothing rated: nothing to say

    cal = stats_of(rated(10, 5, 3) + rated(12, 11, 2, lesson="les-b") + rated(4, 1, 1)).calibration
    assert cal.sentences == (
        "Overall your confidence is mixed: too sure at one level, not sure enough at another.",
        "You are overconfident on Memory reconsolidation questions (when sure: 50% right of 10).",
    )
    assert [(c.lesson_id, c.calibration.rated, c.calibration.verdict) for c in cal.lessons] == [
        ("les-a", 14, "overconfident"), ("les-b", 12, "underconfident")]
    assert cal.overall.marks == 5 * 3 - 5 * 6 + 11 * 2 - 2 + 1 * 1
    fairly = stats_of(rated(10, 6, 2)).calibration  # fairly sure, right 60%: over at level 2
    assert fairly.sentences[1] == "You are overconfident on Memory reconsolidation questions (when fairly sure: 60% right of 10)."


def test_calibration_from_counts_equals_calibrate() -> None:
    pairs = [(True, 3)] * 7 + [(False, 3)] * 4 + [(True, 1)] * 2 + [(False, 2)]
    counts: dict[tuple[int, bool], int] = {}
    for correct, level in pairs:
        counts[(level, correct)] = counts.get((level, correct), 0) + 1
    assert conf.calibrate_counts(counts) == conf.calibrate(pairs)


# -- misconceptions --------------------------------------------------------------------------------


def test_misconceptions_name_the_lesson_and_question_that_correct_them() -> None:
    lessons = [
        sb.LessonFacts("les-a", "Memory reconsolidation", (), ("q1", "q2", "q3"),
                       {"erasure": ("q1", "q2"), "window": ("q3",)}),
        sb.LessonFacts("les-b", "Stress and cortisol", (), ("b1",), {"cortisol-bad": ("b1",)}),
        sb.LessonFacts("les-c", "Not read", (), ("c1",)),  # misconceptions None: its file was not opened
    ]
    attempts = (
        [att("q2", NOW, correct=False, misconceptions=("erasure",))] * 3
        + [att("q1", NOW, correct=False, misconceptions=("erasure", "window"))]
        + [att("c1", NOW, lesson="les-c", correct=False, misconceptions=("c-label",))] * 2
        + [att("x1", NOW, lesson="old-lesson", correct=False, misconceptions=("cortisol-bad",))]
        + [att("gone", NOW, lesson="les-a", correct=False, misconceptions=("orphan",))]
    )
    assert stats_of(attempts, lessons=lessons).misconceptions == (
        sb.Misconception("erasure", 4, "les-a", "Memory reconsolidation", "q2", True),  # chosen most at q2
        sb.Misconception("c-label", 2, "les-c", "Not read", "c1", True),
        sb.Misconception("cortisol-bad", 1, "les-b", "Stress and cortisol", "b1", True),  # corrected elsewhere
        sb.Misconception("orphan", 1, "les-a", "Memory reconsolidation", "gone", False),  # in no lesson now
        sb.Misconception("window", 1, "les-a", "Memory reconsolidation", "q3", True),
    )
    many = [att("q1", NOW, correct=False, misconceptions=(f"label-{i:02d}",)) for i in range(15)]
    assert [m.label for m in stats_of(many, lessons=lessons).misconceptions] == [f"label-{i:02d}" for i in range(10)]


# -- one lesson ------------------------------------------------------------------------------------


def test_a_lesson_filter_keeps_only_that_lessons_answers_and_cards() -> None:
    attempts = [att("q1", NOW, confidence=3, misconceptions=("m",), correct=False),
                att("b1", NOW - timedelta(days=1), lesson="les-b", correct=True),
                att("b2", NOW - timedelta(days=2), lesson="les-b", correct=True, misconceptions=("n",))]
    cards = {"q1": card(2, NOW, 10.0, NOW), "b1": card(2, NOW, 10.0, NOW)}
    stats = stats_of(attempts, pm.Progress(cards=cards), lesson="les-b")
    assert (stats.answers, stats.accuracy.right, [m.lesson_id for m in stats.mastery]) == (2, 2, ["les-b"])
    assert (stats.activity.current_streak, stats.calibration.overall.rated) == (2, 0)
    assert [m.label for m in stats.misconceptions] == ["n"]
    assert stats.total.cards == 1


# -- JSON and imports ------------------------------------------------------------------------------


def test_json_document() -> None:
    attempts = [att("q1", at_utc(22, 9), confidence=2, misconceptions=("erasure",), correct=False),
                att("q2", at_utc(23, 9), seconds=3.0)]
    doc = json.loads(sb.to_json(stats_of(attempts)))
    assert list(doc) == ["format", "version", "tutor_version", "generated_at", "today", "utc_offset_minutes", "lesson",
                         "answers", "mastery", "activity", "accuracy", "exams", "calibration", "misconceptions",
                         "forecast"]
    assert (doc["format"], doc["version"], doc["generated_at"], doc["today"]) == (
        "neurotutor-stats", 3, "2026-11-23T10:00:00Z", "2026-11-23")
    assert doc["activity"]["days"] == [{"date": "2026-11-22", "answers": 1}, {"date": "2026-11-23", "answers": 1}]
    assert doc["activity"]["current_streak"] == 2 and len(doc["activity"]["weeks"]) == 26
    assert doc["accuracy"]["weeks"] == [{"week_of": "2026-11-16", "answers": 1, "right": 0, "share": 0.0},
                                        {"week_of": "2026-11-23", "answers": 1, "right": 1, "share": 1.0}]
    assert doc["accuracy"]["average_seconds"] == 6.5
    assert doc["mastery"]["lessons"][0] == {"id": "les-a", "title": "Memory reconsolidation", "questions": 4,
                                            "cards": 0, "mature": 0, "share": 0.0, "due_today": 0,
                                            "due_within_7_days": 0}
    assert doc["calibration"]["levels"][1] == {"level": 2, "label": "fairly sure", "answers": 1, "right": 0,
                                               "share": 0.0, "suits": "67-80%", "verdict": None}
    assert doc["misconceptions"] == [{"label": "erasure", "count": 1, "lesson": "les-a",
                                      "title": "Memory reconsolidation", "question": "q1", "in_lessons": True,
                                      "text": None}]
    assert doc["forecast"]["day_starts_at"] == 4 and len(doc["forecast"]["days"]) == 30
    assert doc["forecast"]["days"][:2] == [{"date": "2026-11-23", "due": 0}, {"date": "2026-11-24", "due": 0}]


def test_building_stats_imports_no_fsrs_rich_or_typer() -> None:
    code = ("import sys\nimport neurotutor.stats.build\n"
            "print(sorted(m for m in ('fsrs', 'rich', 'typer', 'click', 'questionary') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


# -- the forgetting curve --------------------------------------------------------------------------


def test_scheduling_modes_are_the_live_ones() -> None:
    from neurotutor.study import changes, modes

    assert modes.SCHEDULING == {"lesson", "retry", "review"}  # practice and exams never move a card
    assert fg.SCHEDULING is changes.SCHEDULING is modes.SCHEDULING


def test_forgetting_curve_replays_the_live_schedule() -> None:
    t0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    q1 = [att("q1", t0, mode="lesson", seconds=5.0),
          att("q1", t0 + timedelta(days=1), mode="practice", correct=False),  # does not move the card
          att("q1", t0 + timedelta(days=3), mode="review", confidence=3, seconds=4.0),
          att("q1", t0 + timedelta(days=3, hours=2), mode="exam", correct=False),  # nor does this
          att("q1", t0 + timedelta(days=10, hours=1), mode="review", correct=False)]
    q2 = [att("q2", t0 + timedelta(days=2), mode="review"),  # a first answer in review: no card before it
          att("q2", t0 + timedelta(days=2, hours=5), mode="retry", correct=False, credit=0.8)]
    gone = [att("old", t0, mode="lesson"), att("old", t0 + timedelta(days=40), mode="review")]
    types = {"q1": "true_false", "q2": "ordering"}
    curve = fg.forgetting_curve(list(reversed(q1)) + q2 + gone, types, {"q1", "q2"}, NOW)

    # The same cards, step by step, as the live schedule makes them.
    c1 = schedule.review_card(None, "q1", 3, t0, 0.9)
    p1 = schedule.retrievability(c1, t0 + timedelta(days=3))
    c2 = schedule.review_card(c1, "q1", 4, t0 + timedelta(days=3), 0.9)  # sure and fast: Easy
    p2 = schedule.retrievability(c2, t0 + timedelta(days=10, hours=1))
    c3 = schedule.review_card(c2, "q1", 1, t0 + timedelta(days=10, hours=1), 0.9)
    old1 = schedule.review_card(None, "old", 3, t0, 0.9)
    p_old = schedule.retrievability(old1, t0 + timedelta(days=40))
    d1 = schedule.review_card(None, "q2", 3, t0 + timedelta(days=2), 0.9)
    d2 = schedule.review_card(d1, "q2", 2, t0 + timedelta(days=2, hours=5), 0.9)  # 0.8 credit: Hard

    by_label = {b.label: b for b in curve.buckets}
    assert [b.label for b in curve.buckets] == ["0 days", "1 day", "2-3 days", "4-7 days", "8-14 days",
                                                "15-30 days", "31+ days"]
    assert (by_label["2-3 days"].reviews, by_label["2-3 days"].predicted, by_label["2-3 days"].actual) == (1, p1, 1.0)
    assert (by_label["4-7 days"].reviews, by_label["4-7 days"].predicted, by_label["4-7 days"].actual) == (1, p2, 0.0)
    assert (by_label["31+ days"].reviews, by_label["31+ days"].predicted) == (1, p_old)  # a removed question's reviews count
    assert by_label["0 days"] == fg.Bucket("0 days", 0, 0, 0, None, None)
    assert curve.reviews == 3 and curve.cards == 2
    assert curve.points[0] == fg.Point(0, 1.0)
    expected = (schedule.retrievability(c3, c3.last_review + timedelta(days=7))  # type: ignore[operator]
                + schedule.retrievability(d2, d2.last_review + timedelta(days=7))) / 2  # type: ignore[operator]
    assert [p.days for p in curve.points] == list(fg.CURVE_DAYS)
    assert curve.points[5] == fg.Point(7, pytest.approx(expected))


def test_forgetting_curve_with_no_reviews_and_the_sentence() -> None:
    empty = fg.forgetting_curve([], {}, set(), NOW)
    assert (empty.reviews, empty.cards, empty.points[0]) == (0, 0, fg.Point(0, None))
    assert fg.data_sentence(empty) == "No reviews yet: this fills in as you review the questions that come due."
    few = fg.Curve(buckets=(), points=(), reviews=7, cards=3)
    assert fg.data_sentence(few) == ("Based on 7 of your reviews: too few to say much; the more you review, "
                                     "the clearer it gets.")
    assert fg.data_sentence(fg.Curve((), (), 40, 3)) == "Based on 40 of your reviews: a rough picture so far."
    assert fg.data_sentence(fg.Curve((), (), 250, 3)) == "Based on 250 of your reviews."


# -- running totals, cached beside the history ------------------------------------------------------


def _write(path, attempts: list[pm.Attempt]) -> None:  # type: ignore[no-untyped-def]
    path.write_bytes(b"".join(pm.encode_attempt(a) for a in attempts))


def test_cached_totals_read_only_what_was_added_and_match_a_full_build(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from neurotutor.stats import tallies

    parsed: list[int] = []
    real_parse = tallies.parse
    monkeypatch.setattr(tallies, "parse", lambda raw: parsed.append(len(raw)) or real_parse(raw))

    history, cache = tmp_path / "history.jsonl", tmp_path / "stats-cache.json"
    first = [att("q1", at_utc(20, 9), misconceptions=("m1",), correct=False), att("q2", at_utc(21, 9), confidence=3)]
    later = [att("b1", at_utc(22, 9), lesson="les-b", mode="review"), att("q1", at_utc(23, 8), confidence=1)]
    _write(history, first)
    assert tallies.refresh(history, cache, 120).lessons == tallies.of(first, 120).lessons
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    covered = len(history.read_bytes())
    with open(history, "ab") as fh:
        fh.write(b"".join(pm.encode_attempt(a) for a in later) + b'{"id":"torn')  # a save still appending
    totals = tallies.refresh(history, cache, 120)
    assert totals.size == len(history.read_bytes()) - len(b'{"id":"torn')  # whole lines only
    assert parsed == [covered, totals.size - covered]  # the second time, only the lines added
    assert totals.lessons == tallies.of(first + later, 120).lessons
    assert stats_of(first + later) == sb.build_stats(pm.Progress(), totals, [LESSON_A, LESSON_B], NOW, 120)
    _write(history, later)  # rewritten (a reset): the cache no longer matches, so it is rebuilt
    assert tallies.refresh(history, cache, 120).lessons == tallies.of(later, 120).lessons
    cache.write_text("{not json")  # a damaged cache is rebuilt too
    assert tallies.refresh(history, cache, 120).lessons == tallies.of(later, 120).lessons
    assert tallies.refresh(tmp_path / "none.jsonl", tmp_path / "none.json", 120).lessons == {}


def test_a_changed_exam_answer_replaces_the_one_before() -> None:
    first = pm.new_attempt(lesson="les-a", question="q1", mode="exam", exam="e1", answer=None, answer_text="x",
                           correct=False, seconds=5.0, now=at_utc(20, 9), utc_offset=120, confidence=3,
                           misconceptions=("m1",))
    changed = pm.new_attempt(lesson="les-a", question="q1", mode="exam", exam="e1", answer=None, answer_text="y",
                             correct=True, seconds=7.0, now=at_utc(22, 9), utc_offset=120, confidence=2)
    other_exam = pm.new_attempt(lesson="les-a", question="q1", mode="exam", exam="e2", answer=None, answer_text="x",
                                correct=False, seconds=4.0, now=at_utc(23, 8), utc_offset=120)
    stats = stats_of([first, changed, other_exam])
    assert (stats.answers, stats.accuracy.right, stats.accuracy.seconds) == (2, 1, 11.0)
    assert dict(stats.accuracy.modes)["exam"] == 2
    assert stats.activity.days_studied == 2  # the 20th no longer counts: its only answer was replaced
    assert stats.misconceptions == ()
    assert stats.calibration.overall.rated == 1


def test_totals_keep_what_reports_need_passes_days_per_mode_and_the_words_chosen() -> None:
    import msgspec

    from neurotutor.stats import tallies

    def words(a: pm.Attempt, text: str, **changes: object) -> pm.Attempt:
        return msgspec.structs.replace(a, answer_text=text, **changes)

    answers = [
        words(att("q1", at_utc(20, 9), misconceptions=("m1",), correct=False), "Beta", run=1),
        words(att("q2", at_utc(20, 9, 5)), "ok", run=1),
        words(att("q1", at_utc(20, 9, 9)), "Alpha", run=1),  # retried in the same pass: the latest counts
        words(att("q1", at_utc(21, 9), misconceptions=("m1",), correct=False), "Beta", run=2),
        *(words(att("q1", at_utc(22, 9, n), misconceptions=("m1",), correct=False, mode="review"), f"w{n}")
          for n in range(7)),
        att("q2", at_utc(23, 9), mode="practice", seconds=30.0),
        words(att("q2", at_utc(24, 9), mode="exam", misconceptions=("m2",), correct=False), "first", exam="e1"),
        words(att("q2", at_utc(24, 9, 1), mode="exam"), "changed", exam="e1"),  # replaces the answer before
    ]
    tally = tallies.of(answers, 120).lessons["les-a"]
    assert tally.runs == {1: {"q1": True, "q2": True}, 2: {"q1": False}}
    d20 = (date(2026, 11, 20) - date(1970, 1, 1)).days  # local days (UTC+2, all in the morning)
    assert tally.mode_days == {"lesson": {d20: 3, d20 + 1: 1}, "review": {d20 + 2: 7}, "practice": {d20 + 3: 1},
                               "exam": {d20 + 4: 1}}
    assert tally.mode_seconds == {"lesson": 40.0, "review": 70.0, "practice": 30.0, "exam": 10.0}
    assert tally.misconceptions == {"m1": {"q1": 9}}  # the exam's changed answer no longer counts m2
    assert tally.words["m1 q1"] == ["Beta", "w0", "w1", "w2", "w3"]  # distinct, at most WORDS
    assert tallies.WORDS == 5
    # per question (exams left out): answers, right, first right, "I don't know", first was "I don't know"
    assert tally.questions == {"q1": [10, 1, 0, 0, 0], "q2": [2, 2, 1, 0, 0]}
    from neurotutor.quiz.answers import DONT_KNOW

    unsure = [msgspec.structs.replace(att("q3", at_utc(20, 8), correct=False), answer=DONT_KNOW), att("q3", at_utc(21, 8))]
    from_file = tallies.parse(b"".join(pm.encode_attempt(a) for a in unsure))  # as read from the history
    assert tallies.of(unsure, 120).lessons["les-a"].questions == {"q3": [2, 1, 0, 1, 1]}
    assert tallies.of(from_file, 120).lessons["les-a"].questions == {"q3": [2, 1, 0, 1, 1]}
    round_trip = msgspec.json.decode(msgspec.json.encode(tallies.of(answers, 120)), type=tallies.Tallies)
    assert round_trip.lessons["les-a"] == tally  # int keys survive the cache file
