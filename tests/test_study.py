"""The study engine in-process: a scripted screen and an in-memory saver, asserting exact sequences.

Nothing here touches a terminal, a file or the clock: the engine gets a fixed clock, a seed and
a screen that answers from a script and records what it was asked to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import msgspec
import pytest

from neurotutor.lessons import model as m
from neurotutor.lessons.loader import load_lesson_file
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import DONT_KNOW, Answer, BoolAnswer, ChoiceAnswer, MatchAnswer, OrderAnswer, TextAnswer
from neurotutor.study import items
from neurotutor.study.engine import Study
from neurotutor.study.feedback import Deferred

DATA = Path(__file__).parent / "data"
LESSON = load_lesson_file(DATA / "lessons-ok" / "test-mini.yaml")[0].lesson  # type: ignore[union-attr]
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

# Right answers by question id (file indices), and wrong ones.
RIGHT: dict[str, Answer] = {
    "tm-single": ChoiceAnswer(frozenset({0})), "tm-multiple": ChoiceAnswer(frozenset({0, 2})),
    "tm-truefalse": BoolAnswer(False), "tm-ordering": OrderAnswer((0, 1, 2)),
    "tm-matching": MatchAnswer((0, 1, 2)), "tm-short": TextAnswer("Hebb"),
}
WRONG: dict[str, Answer] = {
    "tm-single": ChoiceAnswer(frozenset({1})), "tm-multiple": ChoiceAnswer(frozenset({0})),
    "tm-truefalse": BoolAnswer(True), "tm-ordering": OrderAnswer((1, 0, 2)),
    "tm-matching": MatchAnswer((1, 0, 2)), "tm-short": TextAnswer("Freud"),
}
QIDS = list(RIGHT)


class Stop(Exception):
    """The script ran out (like Ctrl-C at that prompt)."""


class Script:
    """A screen that answers from a list and records every call as a tuple."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.events: list[tuple[Any, ...]] = []

    def _reply(self, *event: Any) -> Any:
        self.events.append(event)
        if not self.replies:
            raise Stop(event)
        return self.replies.pop(0)

    def finished_before(self, lesson: m.Lesson, state: pm.LessonState) -> Any:
        return self._reply("finished_before", state.completed_runs)

    def opening(self, lesson: m.Lesson, opening: str, state: pm.LessonState) -> None:
        self.events.append(("opening", opening))

    def prerequisites(self, lesson: m.Lesson, missing: list[tuple[str, str]]) -> Any:
        return self._reply("prerequisites", tuple(missing))

    def content_note(self, lesson: m.Lesson) -> Any:
        return self._reply("content_note")

    def offer_deeper(self, lesson: m.Lesson, titles: list[str]) -> Any:
        return self._reply("offer_deeper", tuple(titles))

    def section(self, lesson: m.Lesson, index: int, deeper: bool) -> Any:
        return self._reply("section", index)

    def reading_done(self, lesson: m.Lesson, deeper: bool) -> None:
        self.events.append(("reading_done",))

    def quiz_start(self, lesson: m.Lesson, mode: str, count: int, answered: int) -> None:
        self.events.append(("quiz_start", mode, count, answered))

    def ask(self, item: items.QuestionItem) -> Any:
        reply = self._reply("ask", item.question.id, item.mode)
        return reply[item.question.id] if isinstance(reply, dict) else reply

    def feedback(self, item: items.QuestionItem, graded: Any, confidence: Any = None) -> None:
        self.events.append(("feedback", item.question.id, "?" if graded.dont_know else graded.correct))

    def summary(self, lesson: m.Lesson, state: pm.LessonState) -> None:
        self.events.append(("summary", state.last_score, state.last_missed))

    def offer_retry(self, lesson: m.Lesson, missed: int) -> Any:
        return self._reply("offer_retry", missed)

    def retry_summary(self, lesson: m.Lesson, results: Any) -> None:
        self.events.append(("retry_summary", sum(g.correct for _, g in results), len(results)))


class Memory:
    """The saved progress and history, in memory; counts saves."""

    def __init__(self, progress: pm.Progress | None = None) -> None:
        self.progress = progress or pm.Progress()
        self.history: list[pm.Attempt] = []

    def save(self, change: Any, attempts: tuple[pm.Attempt, ...]) -> pm.Progress:
        self.history += attempts
        self.progress = change(self.progress)
        return self.progress

    def load(self) -> pm.Progress:
        return self.progress

    def state(self, lesson_id: str = "test-mini") -> pm.LessonState:
        return pm.lesson_state(self.progress, lesson_id)


def clock() -> Any:
    ticks = iter(range(10_000))
    return lambda: T0 + timedelta(seconds=next(ticks))


def study(screen: Script, memory: Memory, lesson: m.Lesson = LESSON, **kw: Any) -> Study:
    timer = iter(range(0, 10_000, 3))
    return Study(lesson=lesson, screen=screen, save=memory.save, load=memory.load, clock=clock(), seed=7,
                 timer=lambda: float(next(timer)), utc_offset=lambda: 60, **kw)


def run(screen: Script, memory: Memory, with_sections: bool = True, **kw: Any) -> list[tuple[Any, ...]]:
    try:
        study(screen, memory, **kw).run(with_sections)
    except Stop:
        pass
    return screen.events


ALL_RIGHT = [RIGHT] * 6


def test_a_whole_lesson_in_order() -> None:
    memory = Memory()
    events = run(Script("next", "next", *ALL_RIGHT), memory)
    assert events == [
        ("opening", "new"), ("section", 0), ("section", 1), ("reading_done",), ("quiz_start", "lesson", 6, 0),
        *[e for q in QIDS for e in (("ask", q, "lesson"), ("feedback", q, True))],
        ("summary", 1.0, ()),
    ]
    state = memory.state()
    assert (state.run, state.completed_runs, state.best_score, state.sections_seen, state.answered) == (2, 1, 1.0, (), {})
    assert [(a.question, a.mode, a.run, a.correct, a.utc_offset, a.seconds) for a in memory.history] == [
        (q, "lesson", 1, True, 60, 3.0) for q in QIDS]


def test_a_section_counts_as_read_only_when_the_learner_moves_past_it() -> None:
    memory = Memory()
    assert run(Script(), memory) == [("opening", "new"), ("section", 0)]
    stopped = memory.progress.lessons["test-mini"]  # stopping on section 1 keeps only the time spent reading it
    assert stopped.sections_seen == () and not stopped.answered
    assert stopped.read_seconds == 3.0 and stopped.last_studied is None and stopped.reading is None
    assert run(Script("next"), memory)[-1] == ("section", 1)
    assert memory.state().sections_seen == ("first",)
    assert run(Script(), memory) == [("opening", "resume"), ("section", 1)]  # resumes at the section not read


def test_back_and_forward_before_the_quiz() -> None:
    memory = Memory()
    events = run(Script("next", "back", "next", "next"), memory)
    assert [e for e in events if e[0] == "section"] == [("section", 0), ("section", 1), ("section", 0),
                                                         ("section", 1)]
    assert events[-3:] == [("reading_done",), ("quiz_start", "lesson", 6, 0), ("ask", "tm-single", "lesson")]
    assert memory.state().sections_seen == ("first", "second")


def test_resume_mid_quiz_asks_only_what_is_left() -> None:
    memory = Memory()
    run(Script("next", "next", RIGHT, RIGHT), memory)
    events = run(Script(*[RIGHT] * 4), memory)
    assert events[:3] == [("opening", "resume"), ("quiz_start", "lesson", 4, 2), ("ask", "tm-truefalse", "lesson")]
    assert memory.state().completed_runs == 1


def test_a_finished_lesson_stays_done_until_the_learner_starts_a_new_pass() -> None:
    memory = Memory()
    run(Script("next", "next", *ALL_RIGHT), memory)
    done = memory.progress
    assert run(Script(), memory) == [("finished_before", 1)]  # closed input at the choice: nothing changes
    assert memory.progress == done and pm.status(memory.state()) == "done"
    assert run(Script("leave"), memory) == [("finished_before", 1)]
    assert memory.progress == done
    events = run(Script("new", "next"), memory)
    assert events == [("finished_before", 1), ("opening", "again"), ("section", 0), ("section", 1)]
    assert (memory.state().run, memory.state().sections_seen) == (2, ("first",))


def test_i_dont_know_is_recorded_as_not_known_and_explained() -> None:
    memory = Memory()
    run(Script("next", "next", DONT_KNOW, *[RIGHT] * 5, "no"), memory)
    first = memory.history[0]
    assert (first.question, first.correct, first.answer, first.answer_text, first.misconceptions) == (
        "tm-single", False, DONT_KNOW, "I don't know", ())
    assert msgspec.json.decode(pm.encode_attempt(first))["answer"] == {"kind": "dont_know"}


def test_dont_know_feedback_event() -> None:
    screen = Script("next", "next", DONT_KNOW, *[RIGHT] * 5, False)
    events = run(screen, Memory())
    assert ("feedback", "tm-single", "?") in events
    assert events[-2:] == [("summary", 5 / 6, ("tm-single",)), ("offer_retry", 1)]


def test_retry_missed_questions_records_mode_retry_and_keeps_the_pass() -> None:
    memory = Memory()
    wrong_two = {**RIGHT, "tm-single": WRONG["tm-single"], "tm-short": WRONG["tm-short"]}
    events = run(Script("next", "next", *[wrong_two] * 6, True, RIGHT, WRONG, True, RIGHT, False), memory)
    tail = events[events.index(("summary", 4 / 6, ("tm-single", "tm-short"))):]
    assert tail == [
        ("summary", 4 / 6, ("tm-single", "tm-short")), ("offer_retry", 2),
        ("quiz_start", "retry", 2, 0), ("ask", "tm-single", "retry"), ("feedback", "tm-single", True),
        ("ask", "tm-short", "retry"), ("feedback", "tm-short", False), ("retry_summary", 1, 2),
        ("offer_retry", 1), ("quiz_start", "retry", 1, 0), ("ask", "tm-short", "retry"),
        ("feedback", "tm-short", True), ("retry_summary", 1, 1),
    ]
    state = memory.state()
    assert (state.completed_runs, state.best_score, state.last_score, state.last_missed, state.run) == (
        1, 4 / 6, 4 / 6, ("tm-single", "tm-short"), 2)
    retries = [(a.question, a.mode, a.run, a.correct) for a in memory.history if a.mode == "retry"]
    assert retries == [("tm-single", "retry", 1, True), ("tm-short", "retry", 1, False), ("tm-short", "retry", 1, True)]


def test_retry_from_the_finished_lesson_menu() -> None:
    memory = Memory()
    run(Script("next", "next", *[{**RIGHT, "tm-truefalse": WRONG["tm-truefalse"]}] * 6, False), memory)
    events = run(Script("retry", RIGHT, False), memory)  # retry chosen there: not asked a second time
    assert events == [("finished_before", 1), ("quiz_start", "retry", 1, 0),
                      ("ask", "tm-truefalse", "retry"), ("feedback", "tm-truefalse", True), ("retry_summary", 1, 1)]
    assert memory.state().completed_runs == 1 and pm.status(memory.state()) == "done"


def test_quiz_only_skips_the_sections() -> None:
    events = run(Script(*ALL_RIGHT), Memory(), with_sections=False)
    assert events[:3] == [("opening", "new"), ("quiz_start", "lesson", 6, 0), ("ask", "tm-single", "lesson")]


def _lesson(**changes: Any) -> m.Lesson:
    return msgspec.structs.replace(LESSON, **changes)


def test_prerequisites_not_done_are_named_and_the_learner_may_go_on() -> None:
    lesson = _lesson(prerequisites=("basics", "other"))
    done = Memory(pm.Progress(lessons={"other": pm.LessonState(run=2, completed_runs=1)}))
    events = run(Script(False), done, lesson=lesson, titles={"basics": "The basics"})
    assert events == [("opening", "new"), ("prerequisites", (("basics", "The basics"),))]
    events = run(Script(True), done, lesson=lesson, titles={"basics": "The basics"})
    assert events[-1] == ("section", 0)


def test_content_note_has_its_own_stop() -> None:
    lesson = _lesson(content_note="Talks about fear.")
    memory = Memory()
    assert run(Script(False), memory, lesson=lesson) == [("opening", "new"), ("content_note",)]
    assert memory.progress.lessons == {}
    assert run(Script(True), memory, lesson=lesson)[-1] == ("section", 0)


def test_deeper_on_a_resumed_lesson_offers_the_sections_already_read() -> None:
    memory = Memory()
    run(Script("next"), memory)  # section "first" (which has a deeper part) read
    events = run(Script(True), memory, deeper=True)
    assert events == [("opening", "resume"), ("offer_deeper", ("First screen",)), ("section", 0)]
    events = run(Script(False), memory, deeper=True)
    assert events[-2:] == [("offer_deeper", ("First screen",)), ("section", 1)]
    assert run(Script(), memory)[-1] == ("section", 1)  # without --deeper nothing is offered


def test_a_pass_left_complete_is_closed_and_summed_up_on_opening() -> None:
    state = pm.LessonState(sections_seen=("first", "second"), answered={q: True for q in QIDS[:-1]})
    lesson = _lesson(questions=LESSON.questions[:-1])  # the last question was removed from the lesson
    memory = Memory(pm.Progress(lessons={"test-mini": state}))
    assert run(Script(), memory, lesson=lesson) == [("opening", "closed"), ("summary", 1.0, ())]
    assert pm.status(memory.state()) == "done"


def test_option_order_depends_on_the_profile_seed_and_is_stable_within_a_pass() -> None:
    question = LESSON.questions[0]
    orders = {items.shuffle(question, seed, "pass-1").order for seed in range(40)}
    assert len(orders) > 1  # learners see different orders
    assert items.shuffle(question, 5, "pass-1") == items.shuffle(question, 5, "pass-1")
    state = pm.LessonState()
    assert [i.shown for i in items.lesson_pass(LESSON, state, 5)] == [i.shown for i in items.lesson_pass(LESSON, state, 5)]


def test_deferred_feedback_comes_after_the_last_answer() -> None:
    screen = Script(*ALL_RIGHT)
    try:
        study(screen, Memory(), feedback=Deferred()).run(with_sections=False)
    except Stop:
        pass
    kinds = [e[0] for e in screen.events]
    assert kinds == ["opening", "quiz_start"] + ["ask"] * 6 + ["feedback"] * 6 + ["summary"]


@pytest.mark.parametrize("typed, ok", [("Donald Heb", True), ("Donal Hebbb", False), ("Hebs", False), ("Hebb", True)])
def test_short_answer_near_miss_rules_reach_the_engine(typed: str, ok: bool) -> None:
    memory = Memory()
    run(Script(*[{**RIGHT, "tm-short": TextAnswer(typed)}] * 6, False), memory, with_sections=False)
    assert memory.history[-1].correct is ok  # one typo in a long answer; "Hebb" is 4 letters: exact only


def test_a_retry_counts_its_own_questions() -> None:
    from neurotutor.study import items

    todo = items.retry(LESSON, ("tm-short", "tm-truefalse"), 7, 1, 1)
    assert [(i.question.id, i.number, i.total, i.mode) for i in todo] == [
        ("tm-truefalse", 1, 2, "retry"), ("tm-short", 2, 2, "retry")]  # "1 of 2", in the lesson's order
