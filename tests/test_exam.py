"""Exam practice in-process: where an exam draws from, the draw, skipping, flagging and changing
answers, the overview's states, time running out, stopping and resuming (flags and the choice of
"how sure?" kept), and the results (a scripted screen, an in-memory saver, fixed clocks)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from msgspec import structs

from neurotutor.progress import model as pm
from neurotutor.study import exam as ex

from test_study import LESSON, RIGHT, WRONG, Memory, Script

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_draw_is_balanced_by_lesson_and_the_same_for_the_same_seed() -> None:
    pools = [ex.Pool("a", "A", (), tuple(f"a{i}" for i in range(10))),
             ex.Pool("b", "B", (), tuple(f"b{i}" for i in range(10))),
             ex.Pool("c", "C", (), ("c0", "c1"))]  # a small lesson gives all it has; the others make up the rest
    picked = ex.draw(pools, 12, seed=42)
    assert Counter(lesson for lesson, _ in picked) == {"a": 5, "b": 5, "c": 2}
    assert len({q for _, q in picked}) == 12
    assert ex.draw(pools, 12, seed=42) == picked
    assert ex.draw(pools, 12, seed=43) != picked
    counts = Counter(lesson for lesson, _ in ex.draw(pools, 7, seed=1))
    assert sorted(counts.values()) == [2, 2, 3]  # never more than one apart while every lesson has questions
    assert len(ex.draw(pools, 100, seed=1)) == 22  # all there are


class ExamScript(Script):
    """An exam screen: `exam_ask`, `after_question` and `overview` answer from the script; None,
    "next", "flag" and "list" are kept for the overview's picks as plain ints, "submit" or "stop"."""

    def exam_start(self, record: pm.ExamRecord, resumed: bool, answered: int) -> None:
        self.events.append(("exam_start", resumed, answered))

    def exam_ask(self, item: Any, current: Any, time_left: Any, flagged: bool = False) -> Any:
        reply = self._reply("exam_ask", item.question.id, current.answer_text if current else None)
        return reply[item.question.id] if isinstance(reply, dict) else reply

    def after_question(self, item: Any, current: Any, flagged: bool, then: str) -> Any:
        return self._reply("after", item.question.id, flagged, then)

    def confidence(self, item: Any) -> Any:
        return self._reply("confidence", item.question.id)

    def overview(self, rows: list[ex.Row], time_left: Any) -> Any:
        return self._reply("overview", tuple((r.item.question.id, r.state, r.flagged) for r in rows))

    def confirm_submit(self, unanswered: int, flagged: int) -> Any:
        return self._reply("confirm_submit", unanswered, flagged)

    def results(self, outcome: ex.ExamResult) -> None:
        self.events.append(("results", outcome.right, outcome.answered, outcome.record.status))


QIDS = ["tm-single", "tm-truefalse", "tm-short"]


def _exam(memory: Memory, screen: ExamScript, minutes: int | None = None, timer: Any = None,
          answers: dict[str, pm.Attempt] | None = None, record: pm.ExamRecord | None = None) -> ex.Exam:
    if record is None:
        record = ex.new_record(started=T0, seed=5, minutes=minutes, lessons=["test-mini"], tags=[],
                               picked=[("test-mini", q) for q in QIDS])
        memory.save(ex.with_exam(record), ())
    ticks = iter(float(t) for t in range(0, 100_000, 10))  # every call to the timer: 10 seconds later
    return ex.Exam(record=record, lessons={LESSON.id: LESSON}, titles={LESSON.id: LESSON.title}, screen=screen,
                   save=memory.save, clock=lambda: T0 + timedelta(minutes=5), seed=7, answers=dict(answers or {}),
                   timer=timer or (lambda: next(ticks)))


def test_skip_come_back_change_and_submit() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, "next", None, "next", WRONG, "next",  # the first pass: right, skipped, wrong
                        2, RIGHT, "next",  # change the third answer; back to the list
                        "submit", True,  # submit with one open: yes
                        )
    outcome = _exam(memory, screen).run()
    asked = [e for e in screen.events if e[0] in ("exam_ask", "after", "overview", "confirm_submit")]
    listed = (("tm-single", "answered", False), ("tm-truefalse", "skipped", False), ("tm-short", "answered", False))
    assert asked == [("exam_ask", "tm-single", None), ("after", "tm-single", False, "next"),
                     ("exam_ask", "tm-truefalse", None), ("after", "tm-truefalse", False, "next"),
                     ("exam_ask", "tm-short", None), ("after", "tm-short", False, "list"),  # the last: then the list
                     ("overview", listed), ("exam_ask", "tm-short", "Freud"), ("after", "tm-short", False, "list"),
                     ("overview", listed), ("confirm_submit", 1, 0)]
    assert screen.events[-1] == ("results", 2, 2, "submitted")
    assert outcome is not None
    assert [(q.question_id, q.given, q.correct) for q in outcome.questions] == [
        ("tm-single", "Alpha", True), ("tm-truefalse", None, False), ("tm-short", "Hebb", True)]
    assert outcome.by_lesson[0].name == LESSON.title and (outcome.by_lesson[0].questions, outcome.by_lesson[0].right) == (3, 2)
    record = memory.progress.exams[outcome.record.id]
    assert (record.status, record.answered, record.right, record.score) == ("submitted", 2, 2, 2 / 3)
    assert [(a.mode, a.exam, a.question, a.correct) for a in memory.history] == [
        ("exam", record.id, "tm-single", True), ("exam", record.id, "tm-short", False),
        ("exam", record.id, "tm-short", True)]  # every answer kept; the last one counts
    assert memory.progress.cards == {}  # an exam measures: it does not move review cards


def test_flag_from_the_question_and_from_the_overview_saved_at_once() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, "flag",  # answered, and flagged from the question
                        None, "list",  # skipped, then straight to the list (the third not seen yet)
                        ex.Flag(2),  # flag the third from the overview
                        ex.Flag(0),  # unflag the first
                        0, RIGHT, "flag",  # the first again: flagged once more from the question
                        "submit", False,  # two open, two flagged: not yet
                        "stop")
    exam = _exam(memory, screen)
    assert exam.run() is None
    overviews = [e[1] for e in screen.events if e[0] == "overview"]
    assert overviews == [
        (("tm-single", "answered", True), ("tm-truefalse", "skipped", False), ("tm-short", "unseen", False)),
        (("tm-single", "answered", True), ("tm-truefalse", "skipped", False), ("tm-short", "unseen", True)),
        (("tm-single", "answered", False), ("tm-truefalse", "skipped", False), ("tm-short", "unseen", True)),
        (("tm-single", "answered", True), ("tm-truefalse", "skipped", False), ("tm-short", "unseen", True)),
        (("tm-single", "answered", True), ("tm-truefalse", "skipped", False), ("tm-short", "unseen", True))]
    assert ("after", "tm-single", False, "list") in screen.events  # the flag the question had, shown there
    assert ("confirm_submit", 2, 2) in screen.events
    record = memory.progress.exams[exam.record.id]
    assert record.flagged == ("tm-single", "tm-short") and record.status == "in_progress"
    # resumed: the flags come back, and the open questions are asked first, each with its flag
    again = ExamScript(None, "next", None, "flag", "submit", True)
    outcome = _exam(memory, again, answers=ex.latest(memory.history, record.id), record=record).run(resumed=True)
    assert [e for e in again.events if e[0] == "after"] == [("after", "tm-truefalse", False, "next"),
                                                            ("after", "tm-short", True, "list")]
    assert again.events[-3][0] == "overview" and again.events[-3][1][2] == ("tm-short", "skipped", False)  # unflagged
    assert outcome is not None and memory.progress.exams[record.id].flagged == ("tm-single",)


def test_flagged_keeps_the_exam_order() -> None:
    record = ex.new_record(started=T0, seed=1, minutes=None, lessons=[], tags=[],
                           picked=[("a", "q3"), ("a", "q1"), ("b", "q2")])
    assert record.drawn_from == ("a", "b")
    record = ex.flagged(ex.flagged(record, "q2", True), "q3", True)
    assert record.flagged == ("q3", "q2")
    assert ex.flagged(record, "q3", False).flagged == ("q2",)
    assert ex.flagged(record, "q2", True).flagged == ("q3", "q2")  # flagging twice changes nothing


def test_feedback_is_deferred_to_the_results() -> None:
    screen = ExamScript(WRONG, "next", WRONG, "next", WRONG, "list", "submit")
    _exam(Memory(), screen).run()
    assert "feedback" not in [e[0] for e in screen.events]
    assert screen.events[-1] == ("results", 0, 3, "submitted")


def test_time_up_ends_the_exam_and_leaves_the_rest_unanswered() -> None:
    memory = Memory()
    clock = [0.0]

    class Slow(ExamScript):
        def exam_ask(self, item: Any, current: Any, time_left: Any, flagged: bool = False) -> Any:
            clock[0] += 30  # each answer takes 30 seconds of a one-minute exam
            return super().exam_ask(item, current, time_left)

    screen = Slow(RIGHT, "next", RIGHT, "next", RIGHT)
    outcome = _exam(memory, screen, minutes=1, timer=lambda: clock[0]).run()
    assert outcome is not None
    assert screen.events[-1] == ("results", 1, 1, "timed_out")  # the second answer came after the time was up
    assert outcome.late  # and the results say it was not counted
    record = memory.progress.exams[outcome.record.id]
    assert (record.status, record.seconds_used, record.answered) == ("timed_out", 60.0, 1)


def test_time_up_at_a_prompt_ends_the_exam() -> None:
    memory = Memory()

    class Cut(ExamScript):
        def exam_ask(self, item: Any, current: Any, time_left: Any, flagged: bool = False) -> Any:
            if item.question.id == "tm-truefalse":
                raise ex.TimeUp  # the driver's countdown ran out while this was open
            return super().exam_ask(item, current, time_left)

    screen = Cut(RIGHT, "next")
    _exam(memory, screen, minutes=5).run()
    assert screen.events[-1] == ("results", 1, 1, "timed_out")


def test_time_up_after_a_question_ends_the_exam() -> None:
    class Cut(ExamScript):
        def after_question(self, item: Any, current: Any, flagged: bool, then: str) -> Any:
            raise ex.TimeUp  # the countdown ran out at "what next?": the answer is saved already

    screen = Cut(RIGHT)
    memory = Memory()
    _exam(memory, screen, minutes=5).run()
    assert screen.events[-1] == ("results", 1, 1, "timed_out")


def test_stop_keeps_the_answers_and_resume_goes_on() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, "next", None, "next", None, "list", "stop")
    exam = _exam(memory, screen)
    assert exam.run() is None
    record = memory.progress.exams[exam.record.id]
    assert record.status == "in_progress" and record.seconds_used > 0
    answers = ex.latest(memory.history, record.id)
    assert list(answers) == ["tm-single"]
    again = ExamScript(RIGHT, "next", RIGHT, "list", "submit")
    outcome = _exam(memory, again, answers=answers, record=record).run(resumed=True)
    assert again.events[0] == ("exam_start", True, 1)
    assert [e[1] for e in again.events if e[0] == "exam_ask"] == ["tm-truefalse", "tm-short"]  # the open ones
    assert outcome is not None and outcome.right == 3
    assert memory.progress.exams[record.id].seconds_used > record.seconds_used  # the clock went on from where it stopped


def test_ctrl_c_mid_exam_keeps_every_answer() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, "next", WRONG, "next")  # then the script runs out: like Ctrl-C at the third question
    exam = _exam(memory, screen)
    with pytest.raises(Exception, match="exam_ask"):
        exam.run()
    assert [(a.question, a.correct) for a in memory.history] == [("tm-single", True), ("tm-truefalse", False)]
    assert memory.progress.exams[exam.record.id].status == "in_progress"


def test_abandoned_exam_keeps_its_answers_unscored_in_the_list() -> None:
    memory = Memory()
    exam = _exam(memory, ExamScript(RIGHT, "next", None, "next", None, "list", "stop"))
    exam.run()
    ended = ex.finished(exam.record, "abandoned", ex.latest(memory.history, exam.record.id), T0, 12.0)
    assert (ended.status, ended.answered, ended.right) == ("abandoned", 1, 1)


def test_confidence_in_an_exam_gives_certainty_based_marks() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, 3, "next", WRONG, 3, "next", RIGHT, 1, "list", "submit")
    exam = _exam(memory, screen)
    exam.ask_confidence = True
    outcome = exam.run()
    assert outcome is not None
    assert (outcome.calibration.rated, outcome.calibration.marks) == (3, 3 - 6 + 1)
    assert memory.progress.exams[exam.record.id].marks == -2


def test_an_exam_started_with_confidence_keeps_asking_when_resumed() -> None:
    memory = Memory()
    record = ex.new_record(started=T0, seed=5, minutes=None, lessons=["test-mini"], tags=[],
                           picked=[("test-mini", q) for q in QIDS], ask_confidence=True)
    memory.save(ex.with_exam(record), ())
    first = ExamScript(RIGHT, 3, "next")  # then stopped (the script runs out) at the second question
    with pytest.raises(Exception, match="exam_ask"):
        _exam(memory, first, record=record).run()
    saved = memory.progress.exams[record.id]
    assert saved.ask_confidence is True
    again = ExamScript(None, "next", WRONG, 2, "list", "submit", True)  # no `ask_confidence` given: the record's
    outcome = _exam(memory, again, answers=ex.latest(memory.history, record.id), record=saved).run(resumed=True)
    assert ("confidence", "tm-short") in again.events
    assert outcome is not None
    # two rated answers: "of a possible" counts those, not every question (3 * 2, not 3 * 3)
    assert (outcome.calibration.rated, outcome.calibration.marks, outcome.calibration.max_marks) == (2, 3 - 2, 6)
    old = structs.replace(saved, ask_confidence=None)  # a record from before the choice was kept
    assert ex.Exam(record=old, lessons={}, titles={}, screen=ExamScript(), save=memory.save, clock=lambda: T0,
                   seed=1).ask_confidence is False


# -- where an exam draws from ----------------------------------------------------------------------


POOLS = [ex.Pool("a", "A", ("topic-x",), ("a1", "a2")), ex.Pool("b", "B", ("topic-y",), ("b1",)),
         ex.Pool("c", "C", ("topic-x",), ("c1",))]


def test_an_exam_draws_from_the_lessons_studied_by_default() -> None:
    studied = frozenset({"c", "a", "elsewhere"})
    assert ex.scope(POOLS, studied, [], False) == ex.Scope((POOLS[0], POOLS[2]), ("a", "c"), "studied", True)
    assert ex.scope(POOLS, studied, [], True) == ex.Scope(tuple(POOLS), (), "all")
    assert ex.scope(POOLS, studied, ["b"], False) == ex.Scope(tuple(POOLS), ("b",), "named")  # pools already filtered
    assert ex.scope(POOLS, frozenset(), [], False) == ex.Scope(tuple(POOLS), (), "nothing_studied", False)
    # studied lessons, none of them among those with the tags asked for: every one with the tags
    assert ex.scope(POOLS[1:2], studied, [], False) == ex.Scope((POOLS[1],), (), "nothing_studied", True)


def test_studied_means_started_or_done_and_not_an_exam_answer() -> None:
    progress = pm.Progress(lessons={
        "started": pm.LessonState(sections_seen=("s1",)), "done": pm.LessonState(run=2, completed_runs=1),
        "answered": pm.LessonState(answered={"q": True}),
        "exam-only": pm.LessonState(last_studied=T0)})  # an exam answer touches only last_studied
    assert ex.studied(progress) == {"started", "done", "answered"}


def test_by_topic_is_topic_and_level_tags_only() -> None:
    tallies = [ex.Tally(name, 2, 1) for name in ("cbt", "level-core", "memory", "topic-therapies", "topic-memory")]
    assert [t.name for t in ex.summary_tags(tallies)] == ["topic-therapies", "topic-memory", "level-core"]
