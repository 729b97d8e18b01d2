"""Exam practice: a sample drawn across lessons, feedback deferred to the end, optionally timed.

- `scope` says which lessons an exam draws from: those named, else the lessons the learner has
  studied (started or done), else (nothing studied yet, or `all_lessons`) every lesson.
- `draw` picks the questions: balanced by lesson (each lesson gives the same number, give or take
  one, as far as its questions allow), shuffled with the exam's seed, so the same seed, options and
  lessons give the same exam again.
- `Exam` runs it: a first pass through the questions (each can be skipped, and flagged for
  review after it is answered or skipped), then an overview that lists every question with its
  state (answered, skipped, flagged), where any question can be answered, changed, flagged or
  unflagged, until the learner submits, the time is up, or they stop. Every answer is saved the
  moment it is given (history mode "exam", with the exam's id; the last answer to a question
  counts), so a stop never loses one; a stopped exam stays "in_progress" and can be resumed or
  abandoned, with its flags and its choice of asking "how sure?" kept in the record. The time
  used is saved with every answer; the clock stops while the exam is stopped.
- `result` builds the results (overall, by lesson and by tag, each question with the answer
  given, the right answer and the explanation) from the record and its answers.

Exam answers do not move review cards: an exam measures, and gives no feedback until the end.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol

from msgspec import structs

from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import Answer, DontKnowAnswer
from neurotutor.quiz.grading import right_answer_text
from neurotutor.study import confidence as cbm
from neurotutor.study import items, modes
from neurotutor.study.changes import Change
from neurotutor.study.engine import Answerer, AskingScreen, Saver
from neurotutor.study.items import QuestionItem
from neurotutor.study.modes import Mode

if TYPE_CHECKING:
    from neurotutor.lessons.catalogue import Catalogue

DEFAULT_QUESTIONS = 20
SUMMARY_TAGS = ("topic-", "level-")  # the tags results are tallied by on screen (not every keyword)


class TimeUp(Exception):
    """The exam's time ran out while a question was open (raised by the driver's prompter)."""


@dataclass(frozen=True)
class Pool:
    """What an exam can draw from one lesson."""

    lesson_id: str
    title: str
    tags: tuple[str, ...]
    question_ids: tuple[str, ...]


def draw(pools: Sequence[Pool], count: int, seed: int) -> list[tuple[str, str]]:
    """(lesson id, question id) pairs: `count` questions (all, if there are fewer), balanced by
    lesson, in an order shuffled by the seed."""
    rng = random.Random(f"exam:{seed}")
    shuffled = {p.lesson_id: rng.sample(p.question_ids, len(p.question_ids)) for p in pools}
    quota = {p.lesson_id: 0 for p in pools}
    left = min(count, sum(len(q) for q in shuffled.values()))
    order = [p.lesson_id for p in pools]
    while left:
        open_ = [lid for lid in order if quota[lid] < len(shuffled[lid])]
        least = min(quota[lid] for lid in open_)
        level = [lid for lid in open_ if quota[lid] == least]
        for lid in (level if len(level) <= left else rng.sample(level, left)):
            quota[lid] += 1
            left -= 1
    picked = [(lid, q) for lid in order for q in shuffled[lid][:quota[lid]]]
    rng.shuffle(picked)
    return picked


def pools(catalogue: Catalogue, lessons: Sequence[str], tags: Sequence[str]) -> list[Pool]:
    """The lessons an exam draws from: those named (all when none), with any of the tags (any
    when none), that have questions. A tag no lesson has, or nothing left to draw from, is a
    UsageError that says so."""
    from neurotutor.errors import UsageError

    known_tags = sorted({t for e in catalogue.lessons for t in e.info.tags})
    unknown = [t for t in tags if t not in known_tags]
    if unknown:
        raise UsageError(f"No lesson has the tag {unknown[0]!r}. The tags are: {', '.join(known_tags)}.")
    found = [Pool(e.info.id, e.info.title, e.info.tags, e.info.question_ids) for e in catalogue.lessons
             if (not lessons or e.info.id in lessons) and (not tags or set(tags) & set(e.info.tags))
             and e.info.question_ids]
    if not found:
        raise UsageError("No questions to draw from: no lesson with questions matches "
                         + ("those lessons and tags." if lessons and tags else "those tags." if tags
                            else "those lessons."))
    return found


def studied(progress: pm.Progress) -> frozenset[str]:
    """The lessons the learner has studied: started or done (an exam answer alone does not count)."""
    return frozenset(lid for lid, state in progress.lessons.items() if pm.status(state) != "new")


@dataclass(frozen=True)
class Scope:
    """Where a new exam draws from, and why."""

    pools: tuple[Pool, ...]
    lessons: tuple[str, ...]  # what the record keeps as `lessons` (empty: every lesson)
    # "named": the lessons asked for; "all": every lesson, as asked; "studied": the lessons studied;
    # "nothing_studied": every lesson, since none of those studied has questions (with the tags)
    why: Literal["named", "all", "studied", "nothing_studied"]
    studied_any: bool = False  # some lesson was studied (with "nothing_studied": just none with the tags)


def scope(candidates: Sequence[Pool], studied_ids: Set[str], named: Sequence[str], all_lessons: bool) -> Scope:
    """The lessons to draw from, out of `candidates` (the `pools` the lessons and tags asked for
    allow): the lessons named, if any; else every one with `all_lessons`; else those studied, or
    every one when none of them was studied."""
    if named:
        return Scope(tuple(candidates), tuple(named), "named")
    if all_lessons:
        return Scope(tuple(candidates), (), "all")
    mine = tuple(p for p in candidates if p.lesson_id in studied_ids)
    if mine:
        return Scope(mine, tuple(p.lesson_id for p in mine), "studied", True)
    return Scope(tuple(candidates), (), "nothing_studied", bool(studied_ids))


def unfinished(progress: pm.Progress) -> pm.ExamRecord | None:
    """The exam still in progress (the latest, should there be several), or None."""
    open_ = sorted((e for e in progress.exams.values() if e.status == "in_progress"), key=lambda e: e.started)
    return open_[-1] if open_ else None


def exam_id(started: datetime, seed: int) -> str:
    """A short id a learner can type: the UTC start time and a few letters of the seed."""
    return f"{started:%Y%m%d-%H%M%S}-{seed % 4096:03x}"


def new_record(*, started: datetime, seed: int, minutes: int | None, lessons: Sequence[str],
               tags: Sequence[str], picked: Sequence[tuple[str, str]], ask_confidence: bool = False) -> pm.ExamRecord:
    """A new exam's record: `lessons` and `tags` as asked (they draw it again with the seed),
    `picked` the (lesson, question) pairs `draw` chose."""
    drawn = tuple(sorted({lesson for lesson, _ in picked}))
    return pm.ExamRecord(id=exam_id(started, seed), started=started, seed=seed, minutes=minutes,
                         lessons=tuple(lessons), tags=tuple(tags), question_ids=tuple(q for _, q in picked),
                         drawn_from=drawn, ask_confidence=ask_confidence)


def flagged(record: pm.ExamRecord, question_id: str, on: bool) -> pm.ExamRecord:
    """The record with a question flagged for review (`on`) or not; flags stay in the exam's order."""
    marked = set(record.flagged) - {question_id} | ({question_id} if on else set())
    return structs.replace(record, flagged=tuple(q for q in record.question_ids if q in marked))


def with_exam(record: pm.ExamRecord) -> Change:
    """Save (or replace) an exam record."""
    return lambda p: structs.replace(p, exams={**p.exams, record.id: record})


def latest(attempts: Sequence[pm.Attempt], exam: str) -> dict[str, pm.Attempt]:
    """The answer that counts for each question of an exam: the last one given."""
    found: dict[str, pm.Attempt] = {}
    for attempt in attempts:
        if attempt.mode == "exam" and attempt.exam == exam:
            found[attempt.question] = attempt
    return found


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    number: int
    lesson_id: str
    question_id: str
    prompt: str
    given: str | None  # None: not answered
    correct: bool
    right_answer: str
    explanation: str
    confidence: int | None
    seconds: float | None
    available: bool = True  # False: the question is no longer in its lesson
    dont_know: bool = False  # the answer was "I don't know"
    credit: float | None = None  # partial credit, where the question type has it


@dataclass(frozen=True)
class Tally:
    name: str
    questions: int
    right: int

    @property
    def score(self) -> float:
        return self.right / self.questions if self.questions else 0.0


def summary_tags(tallies: Sequence[Tally]) -> tuple[Tally, ...]:
    """The topic and level tallies (`topic-*`, `level-*`), topics first: what a screen shows
    "by topic" (a lesson's other tags are keywords, too many and too fine to tally)."""
    return tuple(t for prefix in SUMMARY_TAGS for t in tallies if t.name.startswith(prefix))


@dataclass(frozen=True)
class ExamResult:
    record: pm.ExamRecord
    questions: tuple[QuestionResult, ...]
    by_lesson: tuple[Tally, ...]  # name: lesson title
    by_tag: tuple[Tally, ...]
    calibration: cbm.Calibration
    late: bool = False  # an answer came after the time ran out and was not counted

    @property
    def right(self) -> int:
        return sum(q.correct for q in self.questions)

    @property
    def answered(self) -> int:
        return sum(q.given is not None for q in self.questions)


def result(record: pm.ExamRecord, answers: Mapping[str, pm.Attempt], lessons: Mapping[str, m.Lesson],
           titles: Mapping[str, str]) -> ExamResult:
    """The results of an exam from its record and its answers (the last one per question).

    A question since removed from its lesson keeps the answer recorded, shown as no longer available.
    """
    where = {q.id: (lid, q) for lid, lesson in lessons.items() for q in lesson.questions}
    rows: list[QuestionResult] = []
    for number, qid in enumerate(record.question_ids, 1):
        given = answers.get(qid)
        lesson_id, question = where.get(qid, (given.lesson if given else "?", None))
        if question is None:
            rows.append(QuestionResult(number, lesson_id, qid, qid, given.answer_text if given else None,
                                       bool(given and given.correct), "-", "This question is no longer in its lesson.",
                                       given.confidence if given else None, given.seconds if given else None, False))
            continue
        rows.append(QuestionResult(
            number, lesson_id, qid, question.prompt, given.answer_text if given else None,
            bool(given and given.correct), right_answer_text(question), question.explanation,
            given.confidence if given else None, given.seconds if given else None,
            dont_know=bool(given and isinstance(given.answer, DontKnowAnswer)),
            credit=given.credit if given else None))
    lesson_tally: dict[str, list[int]] = {}
    tag_tally: dict[str, list[int]] = {}
    tags_of = {lid: lesson.tags for lid, lesson in lessons.items()}
    for row in rows:
        for key, tally in [(row.lesson_id, lesson_tally)] + [(t, tag_tally) for t in tags_of.get(row.lesson_id, ())]:
            counts = tally.setdefault(key, [0, 0])
            counts[0] += 1
            counts[1] += row.correct
    by_lesson = tuple(Tally(titles.get(k, k), v[0], v[1]) for k, v in lesson_tally.items())
    by_tag = tuple(Tally(k, v[0], v[1]) for k, v in sorted(tag_tally.items()))
    calibration = cbm.calibrate((a.correct, a.confidence) for a in answers.values())
    return ExamResult(record, tuple(rows), by_lesson, by_tag, calibration)


def finished(record: pm.ExamRecord, outcome: Literal["submitted", "timed_out", "abandoned"],
             answers: Mapping[str, pm.Attempt], now: datetime, seconds_used: float) -> pm.ExamRecord:
    """The record of an exam that has ended, with its summary."""
    asked = [answers[q] for q in record.question_ids if q in answers]
    right = sum(a.correct for a in asked)
    rated = [a for a in asked if a.confidence is not None]
    marks = sum(cbm.mark(a.correct, a.confidence) for a in rated if a.confidence is not None) if rated else None
    total = len(record.question_ids)
    return structs.replace(record, finished=now, status=outcome, seconds_used=round(seconds_used, 2),
                           answered=len(asked), right=right, score=right / total if total else None, marks=marks)


# -- the run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """An overview pick: flag the question at `index` of the rows, or unflag it."""

    index: int


Pick = int | Flag | Literal["submit", "stop"]  # int: answer or change the question at that index of the rows
Then = Literal["next", "flag", "list"]  # after a question: go on, flag or unflag it and go on, or the overview
State = Literal["answered", "skipped", "unseen"]


@dataclass(frozen=True)
class Row:
    """One question as the overview lists it."""

    item: QuestionItem
    state: State  # "skipped": shown with no answer given; "unseen": not shown yet in this sitting
    flagged: bool
    answer: str | None  # the answer given so far, in words


class ExamScreen(AskingScreen, Protocol):
    """What an exam shows and asks (feedback only through its mode's policy, which defers it)."""

    def exam_start(self, record: pm.ExamRecord, resumed: bool, answered: int) -> None: ...

    def exam_ask(self, item: QuestionItem, current: pm.Attempt | None, time_left: float | None,
                 flagged: bool = False) -> Answer | None:
        """Ask one question (showing the answer given so far, if any, and its flag); None skips it."""

    def after_question(self, item: QuestionItem, current: pm.Attempt | None, flagged: bool,
                       then: Literal["next", "list"]) -> Then:
        """Once a question is answered or skipped: go on (to `then`: the next question or the
        overview), flag it for review (or unflag it) and go on, or go to the overview."""

    def ask(self, item: QuestionItem) -> Answer: ...

    def confidence(self, item: QuestionItem) -> pm.Confidence: ...

    def overview(self, rows: list[Row], time_left: float | None) -> Pick:
        """Every question with its state: pick one to answer or change, flag or unflag one, submit, or stop."""

    def confirm_submit(self, unanswered: int, flagged: int) -> bool:
        """Submit with `unanswered` questions still open and `flagged` flagged for review?"""

    def results(self, outcome: ExamResult) -> None:
        """The results, with every question's feedback (deferred until now)."""


@dataclass
class Exam:
    """One sitting of an exam (a new one, or one resumed)."""

    record: pm.ExamRecord
    lessons: Mapping[str, m.Lesson]  # may read each lesson when first asked for
    titles: Mapping[str, str]
    screen: ExamScreen
    save: Saver
    clock: Callable[[], datetime]
    seed: int  # the profile's shuffle seed (option order)
    answers: dict[str, pm.Attempt] = field(default_factory=dict)  # the answers so far (resuming)
    timer: Callable[[], float] = time.monotonic
    utc_offset: Callable[[], int | None] = lambda: None
    ask_confidence: bool | None = None  # default: as the record says (an older record: no)
    question_lessons: Mapping[str, str] = field(default_factory=dict)  # question -> lesson (default: from `lessons`)
    mode: Mode | None = None  # default: an exam with the record's time limit (feedback deferred to the results)

    def __post_init__(self) -> None:
        if self.mode is None:
            self.mode = modes.exam(self.record.minutes)
        if self.ask_confidence is None:
            self.ask_confidence = bool(self.record.ask_confidence)
        self.seen: set[str] = set()  # questions shown in this sitting
        self._items: dict[int, QuestionItem | None] = {}
        self.late = False  # an answer came after the time ran out (and was not counted)
        if not self.question_lessons:
            self.question_lessons = {q.id: lid for lid, lesson in self.lessons.items() for q in lesson.questions}
        self._used = self.record.seconds_used
        self._since = self.timer()

    def _item(self, index: int) -> QuestionItem | None:
        """The exam's question at `index` (None if it is no longer in its lesson). Its lesson is
        read only now: the first question comes up without reading every lesson first."""
        if index not in self._items:
            qid = self.record.question_ids[index]
            lesson_id = self.question_lessons.get(qid)
            lesson = self.lessons[lesson_id] if lesson_id is not None else None
            question = next((q for q in lesson.questions if q.id == qid), None) if lesson is not None else None
            self._items[index] = None if question is None or lesson_id is None else QuestionItem(
                lesson_id, question, index + 1, len(self.record.question_ids),
                items.shuffle(question, self.seed, f"exam-{self.record.id}"), "exam", exam=self.record.id)
        return self._items[index]

    @property
    def items(self) -> list[QuestionItem]:
        """Every question still in its lesson, in the exam's order."""
        return [item for index in range(len(self.record.question_ids)) if (item := self._item(index)) is not None]

    def time_left(self) -> float | None:
        """Seconds left (None when untimed)."""
        minutes = self.mode.minutes if self.mode is not None else self.record.minutes
        if minutes is None:
            return None
        return minutes * 60 - self.seconds_used()

    def seconds_used(self) -> float:
        return self._used + (self.timer() - self._since)

    def _checkpoint(self) -> Change:
        """The record with the time used so far (saved with every answer)."""
        record = structs.replace(self.record, seconds_used=round(self.seconds_used(), 2))
        self.record = record
        return with_exam(record)

    def rows(self) -> list[Row]:
        """Every question still in its lesson, in the exam's order, with its state."""
        marked = set(self.record.flagged)
        rows = []
        for item in self.items:
            qid = item.question.id
            given = self.answers.get(qid)
            state: State = "answered" if given else "skipped" if qid in self.seen else "unseen"
            rows.append(Row(item, state, qid in marked, given.answer_text if given else None))
        return rows

    def toggle_flag(self, item: QuestionItem) -> None:
        """Flag a question for review, or unflag it; saved at once with the time used."""
        qid = item.question.id
        self.record = flagged(self.record, qid, qid not in self.record.flagged)
        self.save(self._checkpoint(), ())

    def _answer(self, item: QuestionItem) -> bool:
        """Ask one question (skippable, as the exam mode allows); True when it was answered (False: skipped)."""
        current = self.answers.get(item.question.id)
        left = self.time_left()
        if left is not None and left <= 0:
            raise TimeUp
        started = self.timer()
        self.seen.add(item.question.id)
        answer = self.screen.exam_ask(item, current, left, item.question.id in self.record.flagged)
        if answer is None:
            return False
        seconds = self.timer() - started
        left = self.time_left()
        if left is not None and left <= 0:  # answered after the time ran out (plain input cannot be cut off)
            self.late = True
            raise TimeUp
        checkpoint = self._checkpoint

        def save(change: Change, attempts: tuple[pm.Attempt, ...]) -> pm.Progress:
            record_time = checkpoint()
            return self.save(lambda p: record_time(change(p)), attempts)

        answerer = Answerer(self.screen, save, self.clock, self.timer, self.utc_offset, bool(self.ask_confidence))
        done = answerer.answer(item, self.lessons[item.lesson_id], answer=answer, seconds=seconds)
        self.answers[item.question.id] = done.record
        assert self.mode is not None
        self.mode.feedback.after_answer(self.screen, done)  # deferred: nothing yet
        return True

    def _visit(self, item: QuestionItem, then: Literal["next", "list"]) -> Literal["next", "list"]:
        """Ask a question, then what next: `then` (the next question or the overview), with the
        question flagged or unflagged on the way if asked, or the overview."""
        self._answer(item)
        qid = item.question.id
        step = self.screen.after_question(item, self.answers.get(qid), qid in self.record.flagged, then)
        if step == "flag":
            self.toggle_flag(item)
        return "list" if step == "list" else then

    def run(self, resumed: bool = False) -> ExamResult | None:
        """Sit the exam; returns the results, or None when the learner stopped (it stays open)."""
        self.screen.exam_start(self.record, resumed, len(self.answers))
        self._since = self.timer()  # the clock starts when the learner does
        outcome: Literal["submitted", "timed_out"] = "submitted"
        try:
            first = [item for index, qid in enumerate(self.record.question_ids)
                     if qid not in self.answers and (item := self._item(index)) is not None]
            for n, item in enumerate(first):
                if self._visit(item, "list" if n == len(first) - 1 else "next") == "list":
                    break
            while True:
                rows = self.rows()
                pick = self.screen.overview(rows, self.time_left())
                if pick == "stop":
                    self.save(self._checkpoint(), ())
                    return None
                if pick == "submit":
                    open_ = sum(1 for r in rows if r.state != "answered")
                    marked = sum(1 for r in rows if r.flagged)
                    if (open_ or marked) and not self.screen.confirm_submit(open_, marked):
                        continue
                    break
                if isinstance(pick, Flag):
                    self.toggle_flag(rows[pick.index].item)
                    continue
                self._visit(rows[pick].item, "list")
        except TimeUp:
            outcome = "timed_out"
        return self.finish(outcome)

    def finish(self, outcome: Literal["submitted", "timed_out", "abandoned"]) -> ExamResult:
        """End the exam, save its record, and show the results (not for an abandoned one)."""
        used = self.seconds_used()
        if self.record.minutes is not None:  # time up: all of it was used
            used = self.record.minutes * 60 if outcome == "timed_out" else min(used, self.record.minutes * 60)
        record = finished(self.record, outcome, self.answers, self.clock(), used)
        self.record = record
        self.save(with_exam(record), ())
        wanted = {lid for q in record.question_ids if (lid := self.question_lessons.get(q)) is not None}
        outcome_result = result(record, self.answers, {lid: self.lessons[lid] for lid in sorted(wanted)},
                                self.titles)
        if self.late:
            outcome_result = replace(outcome_result, late=True)
        if outcome != "abandoned":
            self.screen.results(outcome_result)
        return outcome_result


def result_document(outcome: ExamResult) -> dict[str, object]:
    """The results as plain data: the data of the "exam" document of `neurotutor.envelope`
    (`neurotutor exams show ID --json`)."""
    record = outcome.record
    cal = outcome.calibration
    return {
        "exam": record,
        "right": outcome.right, "answered": outcome.answered, "questions_total": len(outcome.questions),
        "by_lesson": [{"lesson": t.name, "questions": t.questions, "right": t.right} for t in outcome.by_lesson],
        "by_tag": [{"tag": t.name, "questions": t.questions, "right": t.right} for t in outcome.by_tag],
        "confidence": None if not cal.rated else {
            "rated": cal.rated, "marks": cal.marks,
            "levels": [{"level": lv.level, "answers": lv.answers, "right": lv.right} for lv in cal.levels]},
        "questions": [{"number": q.number, "lesson": q.lesson_id, "question": q.question_id, "prompt": q.prompt,
                       "answer": q.given, "correct": q.correct, "right_answer": q.right_answer,
                       "explanation": q.explanation, "confidence": q.confidence, "seconds": q.seconds,
                       "available": q.available} for q in outcome.questions],
    }
