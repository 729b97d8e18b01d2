"""Exam practice in-process: the draw, skipping and changing answers, time running out, stopping and
resuming, and the results (a scripted screen, an in-memory saver, fixed clocks)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

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
    """An exam screen: `exam_ask` and `overview` answer from the script."""

    def exam_start(self, record: pm.ExamRecord, resumed: bool, answered: int) -> None:
        self.events.append(("exam_start", resumed, answered))

    def exam_ask(self, item: Any, current: Any, time_left: Any) -> Any:
        reply = self._reply("exam_ask", item.question.id, current.answer_text if current else None)
        return reply[item.question.id] if isinstance(reply, dict) else reply

    def confidence(self, item: Any) -> Any:
        return self._reply("confidence", item.question.id)

    def overview(self, items: Any, answers: Any, time_left: Any) -> Any:
        return self._reply("overview", tuple(sorted(answers)))

    def confirm_submit(self, unanswered: int) -> Any:
        return self._reply("confirm_submit", unanswered)

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
    screen = ExamScript(RIGHT, None, WRONG,  # the first pass: right, skipped, wrong
                        2, RIGHT,  # change the third answer
                        "submit", True,  # submit with one open: yes
                        )
    outcome = _exam(memory, screen).run()
    asked = [e for e in screen.events if e[0] in ("exam_ask", "overview", "confirm_submit")]
    assert asked == [("exam_ask", "tm-single", None), ("exam_ask", "tm-truefalse", None), ("exam_ask", "tm-short", None),
                     ("overview", ("tm-short", "tm-single")), ("exam_ask", "tm-short", "Freud"),
                     ("overview", ("tm-short", "tm-single")), ("confirm_submit", 1)]
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


def test_feedback_is_deferred_to_the_results() -> None:
    screen = ExamScript(WRONG, WRONG, WRONG, "submit")
    _exam(Memory(), screen).run()
    assert "feedback" not in [e[0] for e in screen.events]
    assert screen.events[-1] == ("results", 0, 3, "submitted")


def test_time_up_ends_the_exam_and_leaves_the_rest_unanswered() -> None:
    memory = Memory()
    clock = [0.0]

    class Slow(ExamScript):
        def exam_ask(self, item: Any, current: Any, time_left: Any) -> Any:
            clock[0] += 30  # each answer takes 30 seconds of a one-minute exam
            return super().exam_ask(item, current, time_left)

    screen = Slow(RIGHT, RIGHT, RIGHT)
    outcome = _exam(memory, screen, minutes=1, timer=lambda: clock[0]).run()
    assert outcome is not None
    assert screen.events[-1] == ("results", 1, 1, "timed_out")  # the second answer came after the time was up
    assert outcome.late  # and the results say it was not counted
    record = memory.progress.exams[outcome.record.id]
    assert (record.status, record.seconds_used, record.answered) == ("timed_out", 60.0, 1)


def test_time_up_at_a_prompt_ends_the_exam() -> None:
    memory = Memory()

    class Cut(ExamScript):
        def exam_ask(self, item: Any, current: Any, time_left: Any) -> Any:
            if item.question.id == "tm-truefalse":
                raise ex.TimeUp  # the driver's countdown ran out while this was open
            return super().exam_ask(item, current, time_left)

    screen = Cut(RIGHT)
    _exam(memory, screen, minutes=5).run()
    assert screen.events[-1] == ("results", 1, 1, "timed_out")


def test_stop_keeps_the_answers_and_resume_goes_on() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, None, None, "stop")
    exam = _exam(memory, screen)
    assert exam.run() is None
    record = memory.progress.exams[exam.record.id]
    assert record.status == "in_progress" and record.seconds_used > 0
    answers = ex.latest(memory.history, record.id)
    assert list(answers) == ["tm-single"]
    again = ExamScript(RIGHT, RIGHT, "submit")
    outcome = _exam(memory, again, answers=answers, record=record).run(resumed=True)
    assert again.events[0] == ("exam_start", True, 1)
    assert [e[1] for e in again.events if e[0] == "exam_ask"] == ["tm-truefalse", "tm-short"]  # the open ones
    assert outcome is not None and outcome.right == 3
    assert memory.progress.exams[record.id].seconds_used > record.seconds_used  # the clock went on from where it stopped


def test_ctrl_c_mid_exam_keeps_every_answer() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, WRONG)  # then the script runs out: like Ctrl-C at the third question
    exam = _exam(memory, screen)
    with pytest.raises(Exception, match="exam_ask"):
        exam.run()
    assert [(a.question, a.correct) for a in memory.history] == [("tm-single", True), ("tm-truefalse", False)]
    assert memory.progress.exams[exam.record.id].status == "in_progress"


def test_abandoned_exam_keeps_its_answers_unscored_in_the_list() -> None:
    memory = Memory()
    exam = _exam(memory, ExamScript(RIGHT, None, None, "stop"))
    exam.run()
    ended = ex.finished(exam.record, "abandoned", ex.latest(memory.history, exam.record.id), T0, 12.0)
    assert (ended.status, ended.answered, ended.right) == ("abandoned", 1, 1)


def test_confidence_in_an_exam_gives_certainty_based_marks() -> None:
    memory = Memory()
    screen = ExamScript(RIGHT, 3, WRONG, 3, RIGHT, 1, "submit")
    exam = _exam(memory, screen)
    exam.ask_confidence = True
    outcome = exam.run()
    assert outcome is not None
    assert (outcome.calibration.rated, outcome.calibration.marks) == (3, 3 - 6 + 1)
    assert memory.progress.exams[exam.record.id].marks == -2
