"""Spaced review and extra practice: the due questions of many lessons, with immediate feedback.

A review run asks the due queue (most overdue first, interleaved across lessons; see
`schedule.due_queue`). Each answer is saved at once and moves the question's card. When the
queue is done, questions missed in this run that are due again already (FSRS relearning steps are
minutes) are offered once more, as Anki does. Extra practice (nothing due) asks the questions
least likely to be recalled and is recorded with mode "practice": it never changes the schedule.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from msgspec.structs import replace as replace_struct

from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import Answer
from neurotutor.quiz.grading import Graded
from neurotutor.study import items, schedule
from neurotutor.study.engine import Answered, Answerer, Choice, Rating, Saver, ask_each
from neurotutor.study.feedback import ShownWithRating
from neurotutor.study.items import QuestionItem
from neurotutor.study.modes import PRACTICE, REVIEW, Mode

REVIEW_PORTION = 20  # questions in one review unless asked otherwise: a long backlog comes in portions
PRACTICE_PORTION = 10  # questions in one round of extra practice


class ReviewScreen(Protocol):
    """What a review run shows and asks."""

    def review_start(self, count: int, lessons: int, practice: bool) -> None:
        """`count` questions from `lessons` lessons are about to be asked."""

    def ask(self, item: QuestionItem) -> Answer: ...

    def confidence(self, item: QuestionItem) -> pm.Confidence: ...

    def feedback(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None) -> None: ...

    def offer_more(self, count: int) -> bool:
        """`count` questions missed in this run are due again already: ask them now?"""

    def review_summary(self, answers: list[Answered], practice: bool, next_due: datetime | None) -> None:
        """How the run went, and when the next question falls due."""

    def rate(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None, inferred: Rating,
             preview: Mapping[int, datetime], previous: bool) -> Choice:
        """The answer's feedback with its rating; the rating kept or chosen (or "undo", or, with
        `previous`, "undo_previous")."""


@dataclass
class Review:
    """One review (or practice) run over the given queue."""

    queue: list[schedule.Due]
    lessons: Mapping[str, m.Lesson]  # every lesson with a question in the queue (may load them as asked)
    screen: ReviewScreen
    save: Saver
    clock: Callable[[], datetime]
    day: Callable[[datetime], schedule.StudyDay]  # the learner's study day at a moment
    seed: int
    practice: bool = False
    timer: Callable[[], float] = time.monotonic
    utc_offset: Callable[[], int | None] = lambda: None
    ask_confidence: bool = False
    lesson_of: Mapping[str, str] | None = None  # question -> lesson, for when the next one falls due
    progress: pm.Progress | None = None  # as it was when the run began: with it, the learner sees and may change each rating
    take_back: Callable[[pm.Attempt, Callable[[pm.Progress], pm.Progress]], pm.Progress] | None = None  # undo (the store's)
    answers: list[Answered] = field(default_factory=list)

    @property
    def mode(self) -> Mode:
        return PRACTICE if self.practice else REVIEW

    def _item(self, due: schedule.Due, number: int, total: int) -> QuestionItem:
        lesson = self.lessons[due.lesson_id]
        question = next(q for q in lesson.questions if q.id == due.question_id)
        kind = self.mode.kind
        shown = items.shuffle(question, self.seed, f"{kind}-{due.due.isoformat()}")
        return QuestionItem(due.lesson_id, question, number, total, shown, kind)

    def run(self) -> list[Answered]:
        """Ask the queue (and what fell due again meanwhile); returns every answer given."""
        answerer = Answerer(self.screen, self.save, self.clock, self.timer, self.utc_offset, self.ask_confidence)
        mode = self.mode
        if self.progress is not None and mode.schedules:
            answerer.rater, answerer.preview = self.screen.rate, self._preview
            if self.take_back is not None:
                answerer.take_back = self._take_back
            mode = replace(mode, feedback=ShownWithRating())
        queue = self.queue
        progress: pm.Progress | None = None
        while queue:
            self.screen.review_start(len(queue), len({d.lesson_id for d in queue}), self.practice)
            todo = (self._item(due, number, len(queue)) for number, due in enumerate(queue, 1))  # each lesson read when reached
            done = ask_each(todo, mode, answerer, self.screen, lambda item: self.lessons[item.lesson_id],
                            into=self.answers)
            progress = done[-1].progress if done else progress
            queue = [] if not self.mode.schedules or progress is None else self._due_again(progress, queue)
            if queue and not self.screen.offer_more(len(queue)):
                break
        next_due = None
        if queue:  # due again now, and left for later
            next_due = self.clock()
        elif progress is not None:
            lesson_of = self.lesson_of or {d.question_id: d.lesson_id for d in self.queue}
            next_due = schedule.next_due(progress.cards, dict(lesson_of), self.day(self.clock()))
        self.screen.review_summary(self.answers, self.practice, next_due)
        return self.answers

    def _take_back(self, answered: Answered) -> None:
        """Undo an answer saved last: its history line goes, and its card is as it was before it."""
        assert self.take_back is not None and self.progress is not None
        earlier = [a for a in self.answers if a is not answered]
        before = earlier[-1].progress if earlier else self.progress  # the state saved with the answer before it
        qid, card = answered.record.question, before.cards.get(answered.record.question)

        def restore(p: pm.Progress) -> pm.Progress:
            cards = dict(p.cards)
            if card is None:
                cards.pop(qid, None)
            else:
                cards[qid] = card
            return replace_struct(p, cards=cards)

        self.take_back(answered.record, restore)

    def _preview(self, item: QuestionItem, now: datetime) -> dict[int, datetime]:
        """When the question would come back after each rating, answered at `now`."""
        progress = self.answers[-1].progress if self.answers else self.progress
        assert progress is not None
        settings, qid = progress.settings, item.question.id
        before = schedule.exam_cutoff(settings.exam_date, self.utc_offset() or 0, settings.day_starts_at)
        card = progress.cards.get(qid)
        return {r: schedule.review_card(card, qid, r, now, settings.desired_retention, before).due
                for r in (1, 2, 3, 4)}

    def _due_again(self, progress: pm.Progress, asked: list[schedule.Due]) -> list[schedule.Due]:
        """Questions of this run that are due again within the learn-ahead limit (missed ones, in
        their relearning steps), as Anki brings them back in the same session."""
        lesson_of = {d.question_id: d.lesson_id for d in asked}
        cards = {q: c for q, c in progress.cards.items() if q in lesson_of and c.state != schedule.REVIEW}
        return schedule.due_queue(cards, lesson_of, self.day(self.clock()))
