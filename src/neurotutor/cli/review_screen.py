"""The terminal driver of spaced review (`neurotutor review`) and extra practice.

`ReviewTerminalScreen` adds the review screens to the lesson's `TerminalScreen` (the questions,
the confidence rating and the feedback look the same everywhere); `run_review` picks the queue,
loads only the lessons it needs, and runs `neurotutor.study.review.Review` inside the session's
`stoppable` (q, Ctrl-C and the end of input: a stop with every answer saved).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import cast

from neurotutor import dates
from neurotutor.cli import hints, next_step
from neurotutor.cli.output import Output
from neurotutor.cli.prompters import Prompter
from neurotutor.cli.session import Session, local_offset
from neurotutor.cli.settings import Settings
from neurotutor.cli.study_screen import TerminalScreen, profile_seed, saver
from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.grading import Graded
from neurotutor.study import schedule
from neurotutor.study.engine import Answered, Choice, Rating
from neurotutor.study.items import QuestionItem


def when(moment: datetime, day: schedule.StudyDay) -> str:
    """When a question falls due, in the learner's words: a learning step by the clock ("in 8
    minutes (14:05)"), a review by the study day ("tomorrow", "on Tue 25 Nov (in 3 days)")."""
    local = dates.local(moment)
    seconds = (moment - day.now).total_seconds()
    if moment < day.end:
        if seconds <= 0:
            return "now"
        if seconds < 60:
            return "in under a minute"
        if seconds < 3600:
            minutes = round(seconds / 60)
            return f"in {minutes} minute{'s' if minutes != 1 else ''} ({local:%H:%M})"
        return f"today at {local:%H:%M}"
    days = max(1, day.day_of(moment))  # (at the end of the calendar the last day is cut short)
    if days == 1:
        return "tomorrow"
    start = dates.local(dates.add(day.start, timedelta(days=days)))
    return f"on {start:%a} {start.day} {start:%b} (in {days} days)"


class ReviewTerminalScreen(TerminalScreen):
    """The lesson screen's questions and feedback, with the review run's own screens."""

    def __init__(self, out: Output, prompter: Prompter, settings: Settings, titles: dict[str, str],
                 day: Callable[[], schedule.StudyDay]) -> None:
        super().__init__(out, prompter, settings)
        self.day = day
        self._rating: tuple[Rating, Mapping[int, datetime]] | None = None
        self._previous = False
        self.titles = titles
        self._opening_at = -1  # there is no lesson opening to show
        self.more = 0  # due questions left for another review

    def review_start(self, count: int, lessons: int, practice: bool) -> None:
        plural = "s" if count != 1 else ""
        if practice:
            self._quiz_banner = "Practice"
            self._quiz_notes = [f"{count} question{plural} you are most likely to have forgotten. Extra practice "
                                "is recorded, but it does not change when questions come up for review."]
        else:
            self._quiz_banner = "Review"
            spread = f" from {lessons} lesson{'s' if lessons != 1 else ''}" if lessons > 1 else ""
            later = (f" ({self.more} more after {'these' if count != 1 else 'this one'}, for another time)"
                     if self.more else "")
            self._quiz_notes = [f"{count} question{plural} due{spread}{later}. Each answer is saved at once and "
                                "decides when the question comes back. Stop any time with q (or Ctrl-C); ! for urgent help."]

    def _banner(self, item: QuestionItem) -> str:
        return f"{self._quiz_banner} \u00b7 {item.number} of {item.total} \u00b7 {self.titles.get(item.lesson_id, item.lesson_id)}"

    def rate(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None, inferred: Rating,
             preview: Mapping[int, datetime], previous: bool = False) -> Choice:
        """The feedback, then the rating worked out and when the question comes back with each
        rating: Enter keeps it, 1-4 pick another (as Anki numbers them), 5 takes the answer back,
        6 (with `previous`) takes back the answer before it too."""
        self._rating = (inferred, preview)
        self._previous = previous
        self._rated: Choice = inferred
        try:
            self.feedback(item, graded, confidence)
        finally:
            self._rating = None
        return self._rated

    def _rating_menu(self) -> tuple[str, list[str]]:
        assert self._rating is not None
        inferred, preview = self._rating
        day = self.day()
        names = schedule.RATING_NAMES
        options = [f"{names[r]}: back {when(preview[r], day)}" + (" (as rated)" if r == inferred else "")
                   for r in (1, 2, 3, 4)] + ["Take this answer back and answer again"]
        if self._previous:
            options.append("Undo the answer before this one too, and answer both again")
        return f"Rated {names[inferred]}. Keep it, or pick another?", options

    def after_feedback_lines(self) -> int:
        if self._rating is None:
            return super().after_feedback_lines()
        message, options = self._rating_menu()
        width = max(self.out.width, 20)
        return -(-(len(message) + 40) // width) + sum(-(-(len(o) + 7) // width) for o in options)

    def after_feedback(self, item: QuestionItem) -> None:
        if self._rating is None:
            super().after_feedback(item)
            return
        inferred = self._rating[0]
        message, options = self._rating_menu()
        pick = self.prompter.choose(message, options, default=inferred - 1)
        self._rated = "undo" if pick == 4 else "undo_previous" if pick == 5 else cast("Rating", pick + 1)

    def offer_more(self, count: int) -> bool:
        self.out.line()
        plural = "s" if count != 1 else ""
        try:
            them = "them" if count != 1 else "it"
            return self.prompter.choose(
                f"{count} question{plural} from this review {'are' if count != 1 else 'is'} due again already (a "
                f"missed one comes back after a minute, a new one after ten). Go over {them} now?",
                ["Yes, now", "Later"]) == 0
        except EOFError:
            return False

    def review_summary(self, answers: list[Answered], practice: bool, next_due: datetime | None) -> None:
        out = self.out
        out.clear()
        out.heading("Practice done" if practice else "Review done")
        right = sum(a.graded.correct for a in answers)
        out.line(f"You got {right} of {len(answers)} right.")
        self._show_marks()
        missed = [a for a in answers if not a.graded.correct]
        if missed and not practice:
            out.line("The ones you missed come back soon; the ones you knew, later.")
        if self.more and not practice:
            out.command(f"{self.more} more question{'s are' if self.more != 1 else ' is'} due. When you are ready:",
                        hints.command(self.settings, "review"))
        elif next_due is not None and when(next_due, self.day()) == "now":
            out.command("Questions from this review are due again now. When you are ready:",
                        hints.command(self.settings, "review"))
        elif next_due is not None:
            out.line(f"Your next question is due {when(next_due, self.day())}.")
        if self.upcoming is not None:
            next_step.show(out, self.upcoming())


def run_review(session: Session, queue: list[schedule.Due], practice: bool = False, confidence: bool | None = None,
               more: int = 0) -> None:
    """Ask the queue in the terminal (`more` due questions are left for another time); q, Ctrl-C
    and the end of input stop it with every answer saved."""
    class Lessons(dict[str, m.Lesson]):
        """Each lesson read when its first question comes up (not all before the first question)."""

        def __missing__(self, lesson_id: str) -> m.Lesson:
            lesson = session.find(lesson_id).lesson
            self[lesson_id] = lesson
            return lesson

    lesson_of = {q: entry.info.id for entry in session.catalogue.lessons for q in entry.info.question_ids}
    screen = ReviewTerminalScreen(session.out, session.prompter, session.settings, session.titles(),
                                  lambda: session.day(session.clock()))
    screen.more = more
    screen.upcoming = lambda: next_step.next_lines(session, reviews=False)
    progress = session.reload()
    from neurotutor.study.review import Review

    review = Review(queue=queue, lessons=Lessons(), screen=screen, save=saver(session.store, session.out),
                    clock=session.clock, day=session.day, seed=profile_seed(session.store, progress), practice=practice,
                    utc_offset=local_offset, lesson_of=lesson_of, progress=None if practice else progress,
                    take_back=session.store.take_back,
                    ask_confidence=progress.settings.ask_confidence if confidence is None else confidence)
    what = "practice" if practice else "review"
    with session.stoppable(lambda first: _stopped(first, screen, len(review.answers), what),
                           lambda: session.command("review")):
        review.run()


def _stopped(first: str, screen: ReviewTerminalScreen, answered: int, what: str) -> str:
    where = f" at {screen._place} of your {what}" if screen._place else ""
    saved = "Every answer so far is saved" if answered else "Nothing was changed"
    then = "To review what is due (or practise again), run:" if what == "practice" else "To go on with what is due, run:"
    return f"{first}{where}. {saved}. {then}"
