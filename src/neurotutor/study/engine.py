"""The flow of a study run: open a lesson, read it, answer its questions, learn from what was missed.

`Study` holds the rules; everything it shows or asks goes through a `Screen`, everything it keeps
through a `Saver`, and the time comes from the clock it is given. The rules:

- A finished lesson stays finished when it is opened again: a new pass starts only when the
  learner chooses one (`Screen.finished_before`); closing the screen there changes nothing.
- A section counts as read when the learner moves past it, never when it is only shown, so
  stopping on a section resumes at that section. The learner can go back a section at any time
  before the quiz.
- Each answer is saved the moment it is given; "I don't know" is an answer (not known).
- At the end of a pass: the summary, then an offer to retry the missed questions (mode `retry`,
  which is recorded but never changes the pass or the best score), round after round.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal, Protocol

from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import Answer, DontKnowAnswer
from neurotutor.quiz.grading import Graded, grade
from neurotutor.study import changes, items
from neurotutor.study.changes import Change
from neurotutor.study.feedback import FeedbackPolicy, Immediate
from neurotutor.study.items import QuestionItem
from neurotutor.study.modes import LESSON, RETRY, Mode

Opening = Literal["new", "resume", "again", "closed"]
Move = Literal["next", "back"]
Start = Literal["new", "retry", "retry_rest", "leave"]
Results = list[tuple[QuestionItem, Graded]]


class Screen(Protocol):
    """What the flow shows and asks; the terminal driver and the tests implement it."""

    # Set by the flow before the sections are shown: a screen that pages a section calls it with
    # the block each page shown begins with (kept, so reading resumes on that page); others ignore it.
    keep_place: Callable[[int], None] | None

    def finished_before(self, lesson: m.Lesson, state: pm.LessonState) -> Start:
        """A finished lesson was opened: start a new pass, retry what was missed, or leave it."""

    def opening(self, lesson: m.Lesson, opening: Opening, state: pm.LessonState) -> None:
        """The lesson's first screen: new, resumed (where), again, or a pass that just closed."""

    def prerequisites(self, lesson: m.Lesson, missing: list[tuple[str, str]]) -> bool:
        """Lessons to take first (id, title) are not done: go on anyway?"""

    def content_note(self, lesson: m.Lesson) -> bool:
        """Show the content note on its own: go on?"""

    def offer_deeper(self, lesson: m.Lesson, titles: list[str]) -> bool:
        """Sections already read have deeper parts: go back to them first?"""

    def section(self, lesson: m.Lesson, index: int, deeper: bool, at: int = 0) -> Move:
        """Show section `index` (0-based) from its block `at` (where reading stopped) and return
        where the learner goes next."""

    def reading_done(self, lesson: m.Lesson, deeper: bool) -> None:
        """The sections are read (hints, references)."""

    def quiz_start(self, lesson: m.Lesson, mode: pm.Mode, count: int, answered: int) -> None:
        """Questions are about to be asked: `count` now, `answered` already in this pass."""

    def ask(self, item: QuestionItem) -> Answer:
        """Ask one question; returns the answer (possibly "I don't know")."""

    def confidence(self, item: QuestionItem) -> pm.Confidence:
        """How sure was the learner (1 a guess, 2 fairly sure, 3 sure)? Asked only when rating is on."""

    def feedback(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None) -> None:
        """Show whether it was right (and its certainty-based mark when rated), why, and wait
        until the learner has read it."""

    def summary(self, lesson: m.Lesson, state: pm.LessonState) -> None:
        """A pass was completed: its score and what was missed."""

    def offer_retry(self, lesson: m.Lesson, missed: int) -> bool:
        """Retry the `missed` questions now?"""

    def retry_summary(self, lesson: m.Lesson, results: Results) -> None:
        """How a retry round went."""


Saver = Callable[[Change, tuple[pm.Attempt, ...]], pm.Progress]
Rating = Literal[1, 2, 3, 4]
IDLE_CAP = 600.0  # seconds: a reading screen, or a review question, left open counts 10 minutes at most
UNDO = "undo"  # what a rater returns to take the answer back (not saved) and ask the question again
UNDO_PREVIOUS = "undo_previous"  # ... to take back the answer saved before it as well (Anki's undo)
Choice = Rating | Literal["undo", "undo_previous"]


class UndoPrevious(Exception):
    """The learner took back the answer saved before this one: `ask_each` asks both again."""


class Rater(Protocol):
    """Shows an answer's feedback with the review rating worked out for it and when the question
    would come back with each rating, and returns the rating the learner keeps or picks (or UNDO,
    or UNDO_PREVIOUS when `previous` says the answer before can be taken back)."""

    def __call__(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None, inferred: Rating,
                 preview: Mapping[int, datetime], previous: bool) -> Choice: ...


class AskingScreen(Protocol):
    """The part of a screen that asks one question and shows its feedback (every mode has it)."""

    def ask(self, item: QuestionItem) -> Answer: ...

    def confidence(self, item: QuestionItem) -> pm.Confidence: ...

    def feedback(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None) -> None: ...


@dataclass(frozen=True)
class Answered:
    """One answer, graded and saved."""

    item: QuestionItem
    graded: Graded
    record: pm.Attempt
    progress: pm.Progress  # as saved with it


@dataclass
class Answerer:
    """Asks one question, times the answer, asks for confidence when rating is on, grades it and
    saves it at once (with the review card moved, in the modes that schedule)."""

    screen: AskingScreen
    save: Saver
    clock: Callable[[], datetime]
    timer: Callable[[], float] = time.monotonic
    utc_offset: Callable[[], int | None] = lambda: None
    ask_confidence: bool = False
    rater: Rater | None = None  # review: the learner sees the rating and may change it before it is saved
    preview: Callable[[QuestionItem, datetime], Mapping[int, datetime]] | None = None  # rating -> next due
    take_back: Callable[[Answered], None] | None = None  # undoes an answer saved last (review)
    last: Answered | None = None  # the answer this answerer saved last, while it can be taken back

    def answer(self, item: QuestionItem, lesson: m.Lesson, answer: Answer | None = None,
               seconds: float | None = None) -> Answered:
        """Ask `item` (or record an answer already given) and save it."""
        given = answer
        while True:
            shown = self.timer()
            if given is None:  # an exam's skip is asked by the exam itself (it returns None there)
                started = self.timer()
                answer = self.screen.ask(item)
                seconds = self.timer() - started
            assert answer is not None
            graded = grade(item.question, answer)
            confidence = None
            if self.ask_confidence and not isinstance(answer, DontKnowAnswer):
                try:
                    confidence = self.screen.confidence(item)
                except BaseException:  # stopped at the rating: the answer is kept, unrated
                    self._save(item, lesson, answer, graded, seconds, None)
                    raise
            if self.rater is None or self.preview is None:
                return self._save(item, lesson, answer, graded, seconds, confidence)
            from neurotutor.study import schedule

            inferred = schedule.rating_for(correct=graded.correct, credit=graded.credit, confidence=confidence,
                                           seconds=seconds or 0.0, question_type=m.question_type(item.question))
            previous = self.take_back is not None and self.last is not None
            try:
                chosen = self.rater(item, graded, confidence, inferred, self.preview(item, self.clock()), previous)
            except BaseException:  # stopped at the rating: the answer is kept, with the rating worked out
                self._save(item, lesson, answer, graded, seconds, confidence)
                raise
            if chosen == UNDO and given is None:
                continue  # taken back: nothing saved, the question asked again
            if chosen == UNDO_PREVIOUS and previous:
                raise UndoPrevious  # this one is not saved; the one before is taken back by ask_each
            rating: Rating | None = None if isinstance(chosen, str) or chosen == inferred else chosen
            spent = min(max(self.timer() - shown, 0.0), IDLE_CAP)  # the question, its feedback and the rating
            return self._save(item, lesson, answer, graded, seconds, confidence, rating, spent)

    def _save(self, item: QuestionItem, lesson: m.Lesson, answer: Answer, graded: Graded, seconds: float | None,
              confidence: pm.Confidence | None, rating: Rating | None = None, spent: float | None = None) -> Answered:
        now = self.clock()
        record = changes.attempt(item, answer, graded, seconds=seconds or 0.0, now=now,
                                 utc_offset=self.utc_offset(), confidence=confidence, rating=rating, spent=spent)
        progress = self.save(changes.answered(lesson, record, now, item.question), (record,))
        self.last = Answered(item, graded, record, progress)
        return self.last


def ask_each(todo: Iterable[QuestionItem], mode: Mode, answerer: Answerer, screen: AskingScreen,
             lesson_of: Callable[[QuestionItem], m.Lesson], into: list[Answered] | None = None,
             end_of_round: bool = True) -> list[Answered]:
    """The one loop every mode asks its questions with: each question asked, graded and saved at
    once (through `answerer`), its feedback shown when the mode's policy says, and, at the end of
    the round (`end_of_round`), whatever the policy kept for the end. Answers are added to
    `into` as they are saved, so a stop part-way keeps count of them."""
    done_now: list[Answered] = []
    answerer.last = None  # an undo reaches back within this round only
    again: list[QuestionItem] = []  # asked again after an undo, before the rest
    rest = iter(todo)
    while (item := again.pop() if again else next(rest, None)) is not None:
        try:
            done = answerer.answer(item, lesson_of(item))
        except UndoPrevious:
            previous = done_now[-1]
            assert answerer.take_back is not None
            answerer.take_back(previous)  # refused (another terminal saved since): nothing changed, it says so
            done_now.pop()
            if into is not None and into and into[-1] is previous:
                into.pop()
            answerer.last = done_now[-1] if done_now else None
            again += [item, previous.item]  # the one taken back first, then this one
            continue
        done_now.append(done)
        if into is not None:
            into.append(done)
        mode.feedback.after_answer(screen, done)
    if end_of_round:
        mode.feedback.at_end(screen, done_now)
    return done_now


@dataclass
class Study:
    """One study run of one lesson for one learner."""

    lesson: m.Lesson
    screen: Screen
    save: Saver  # applies a change (and appends attempts) to the saved progress; returns it
    load: Callable[[], pm.Progress]
    clock: Callable[[], datetime]  # timezone-aware UTC
    seed: int  # the profile's shuffle seed
    deeper: bool = False
    titles: Mapping[str, str] = field(default_factory=dict)  # lesson id -> title, for prerequisites
    utc_offset: Callable[[], int | None] = lambda: None
    timer: Callable[[], float] = time.monotonic
    feedback: FeedbackPolicy = field(default_factory=Immediate)  # for the pass and its retries
    ask_confidence: bool = False
    answers: list[Answered] = field(default_factory=list)  # every answer given in this run

    def _state(self, progress: pm.Progress) -> pm.LessonState:
        return pm.lesson_state(progress, self.lesson.id)

    def run(self, with_sections: bool = True) -> pm.Progress:
        """Take the lesson (or only its quiz); returns the saved progress."""
        lesson, screen = self.lesson, self.screen
        before = pm.status(self.load().lessons.get(lesson.id))
        progress = self.save(changes.settle(lesson, self.clock()), ())
        state = self._state(progress)
        status = pm.status(progress.lessons.get(lesson.id))
        if before == "in_progress" and status == "done":  # nothing was left to do in that pass
            screen.opening(lesson, "closed", state)
            return self._end_of_pass(progress)
        opening: Opening = "resume" if status == "in_progress" else "new"
        if status == "done":
            start = screen.finished_before(lesson, state)
            if start == "leave":
                return progress
            if start == "retry":  # chosen already: the first round starts without asking again
                return self._retries(progress, state.last_missed, state.run - 1, chosen=True)
            if start == "retry_rest":  # a round that was stopped goes on where it stopped
                return self._retries(progress, state.retry_left, state.run - 1, chosen=True)
            opening = "again"
        screen.opening(lesson, opening, state)
        missing = [(p, self.titles.get(p, p)) for p in lesson.prerequisites
                   if not pm.lesson_state(progress, p).completed_runs]
        if missing and not screen.prerequisites(lesson, missing):
            return progress
        if lesson.content_note and not screen.content_note(lesson):
            return progress
        if with_sections:
            progress = self._read(progress)
        if lesson.questions:
            progress = self._quiz(progress)
        return progress

    # -- reading ----------------------------------------------------------------------------

    def _read(self, progress: pm.Progress) -> pm.Progress:
        lesson, screen = self.lesson, self.screen
        sections = lesson.sections
        seen = set(self._state(progress).sections_seen)
        unread = [i for i, s in enumerate(sections) if s.id not in seen]
        if not unread:
            return progress
        start = unread[0]
        if self.deeper:
            with_deeper = [i for i, s in enumerate(sections) if s.id in seen and (s.deeper or s.claims)]
            if with_deeper and screen.offer_deeper(lesson, [sections[i].title for i in with_deeper]):
                start = min(start, with_deeper[0])
        index = start
        place = kept = self._state(progress).reading

        def keep(block: int) -> None:  # the page shown in an unread section is kept, to resume there
            nonlocal kept
            spot = (sections[index].id, block) if block else None
            if sections[index].id not in seen and spot != kept:
                kept = spot
                self.save(changes.reading_place(lesson, sections[index].id, block), ())

        screen.keep_place = keep  # a screen that pages its sections says which page it shows
        pending = 0.0  # seconds read since the last save (a screen left open counts IDLE_CAP at most)
        while index < len(sections):
            at = place[1] if place is not None and place[0] == sections[index].id else 0
            place = None  # only the first time: going back to it later starts at its top
            started = self.timer()
            try:
                move = screen.section(lesson, index, self.deeper, at) if at else screen.section(lesson, index, self.deeper)
            except BaseException:  # stopped while reading: the time read so far is kept
                pending += min(max(self.timer() - started, 0.0), IDLE_CAP)
                if pending >= 1:
                    self.save(changes.read_time(lesson, pending), ())
                raise
            pending += min(max(self.timer() - started, 0.0), IDLE_CAP)
            if move == "back":
                index = max(index - 1, 0)
                continue
            progress = self.save(changes.section_read(lesson, sections[index].id, self.clock(), pending), ())
            pending = 0.0
            index += 1
        screen.reading_done(lesson, self.deeper)
        return progress

    # -- answering --------------------------------------------------------------------------

    def _ask(self, todo: list[QuestionItem], progress: pm.Progress, mode: Mode) -> tuple[Results, pm.Progress]:
        answerer = Answerer(self.screen, self.save, self.clock, self.timer, self.utc_offset, self.ask_confidence)
        mode = replace(mode, feedback=self.feedback)
        done = ask_each(todo, mode, answerer, self.screen, lambda item: self.lesson, into=self.answers)
        return [(d.item, d.graded) for d in done], (done[-1].progress if done else progress)

    def _quiz(self, progress: pm.Progress) -> pm.Progress:
        state = self._state(progress)
        todo = items.lesson_pass(self.lesson, state, self.seed)
        if not todo:
            return progress
        self.screen.quiz_start(self.lesson, "lesson", len(todo), len(state.answered))
        _, progress = self._ask(todo, progress, LESSON)
        if self._state(progress).completed_runs > state.completed_runs:
            return self._end_of_pass(progress)
        return progress  # another terminal moved the pass on; nothing to sum up here

    def _end_of_pass(self, progress: pm.Progress) -> pm.Progress:
        state = self._state(progress)
        self.screen.summary(self.lesson, state)
        return self._retries(progress, state.last_missed, state.run - 1)

    def _retries(self, progress: pm.Progress, missed: tuple[str, ...], run: int, chosen: bool = False) -> pm.Progress:
        """Offer the missed questions again until none is left or the learner says no (`chosen`:
        the learner already asked for the first round)."""
        round_ = 1
        while missed and ((chosen and round_ == 1) or self.screen.offer_retry(self.lesson, len(missed))):
            todo = items.retry(self.lesson, missed, self.seed, run, round_)
            if not todo:
                break
            progress = self.save(changes.retry_round(self.lesson, tuple(i.question.id for i in todo)), ())
            self.screen.quiz_start(self.lesson, "retry", len(todo), 0)
            results, progress = self._ask(todo, progress, RETRY)
            self.screen.retry_summary(self.lesson, results)
            missed = tuple(item.question.id for item, graded in results if not graded.correct)
            round_ += 1
        return progress
