"""The terminal driver of spaced review (`neurotutor review`) and extra practice.

`ReviewTerminalScreen` adds the review screens to the lesson's `TerminalScreen` (the questions,
the confidence rating and the feedback look the same everywhere); `run_review` picks the queue,
loads only the lessons it needs, runs `neurotutor.study.review.Review`, and turns q, Ctrl-C and
end of input into a stop with every answer saved.
"""

from __future__ import annotations

from datetime import datetime

from neurotutor import dates
from neurotutor.cli import hints
from neurotutor.cli.output import Output
from neurotutor.cli.prompters import Prompter, StopRequested
from neurotutor.cli.settings import Settings
from neurotutor.cli.study_screen import TerminalScreen, now, profile_seed, saver, utc_offset
from neurotutor.errors import EndOfInput, Interrupted
from neurotutor.lessons import model as m
from neurotutor.lessons.loader import Catalogue
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
from neurotutor.study import schedule
from neurotutor.study.engine import Answered
from neurotutor.study.items import QuestionItem


def when(moment: datetime, now_: datetime) -> str:
    """A due time in the learner's words and local time: "in 8 minutes (14:05)", "on Tue 25 Nov at 09:10"."""
    local = dates.local(moment)
    seconds = (moment - now_).total_seconds()
    if seconds < 60:
        return "in under a minute"
    if seconds < 3600:
        minutes = round(seconds / 60)
        return f"in {minutes} minute{'s' if minutes != 1 else ''} ({local:%H:%M})"
    today = dates.local(now_).date()
    if local.date() == today:
        return f"today at {local:%H:%M}"
    if local.date() == dates.add_days(today, 1):
        return f"tomorrow at {local:%H:%M}"
    days = (local.date() - today).days
    return f"on {local:%a} {local.day} {local:%b} at {local:%H:%M} (in {days} days)"


class ReviewTerminalScreen(TerminalScreen):
    """The lesson screen's questions and feedback, with the review run's own screens."""

    def __init__(self, out: Output, prompter: Prompter, settings: Settings, titles: dict[str, str]) -> None:
        super().__init__(out, prompter, settings)
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
                                "decides when the question comes back. Stop any time with Ctrl-C."]

    def _banner(self, item: QuestionItem) -> str:
        return f"{self._quiz_banner} \u00b7 {item.number} of {item.total} \u00b7 {self.titles.get(item.lesson_id, item.lesson_id)}"

    def offer_more(self, count: int) -> bool:
        self.out.line()
        plural = "s" if count != 1 else ""
        try:
            return self.prompter.choose(
                f"{count} question{plural} you missed {'are' if count != 1 else 'is'} due again already. Go over "
                f"{'them' if count != 1 else 'it'} now?", ["Yes, now", "Later"]) == 0
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
        elif next_due is not None:
            out.line(f"Your next question is due {when(next_due, now())}.")


def review_queue(catalogue: Catalogue, progress: pm.Progress, lesson_id: str | None, practice: bool,
                 moment: datetime) -> tuple[list[schedule.Due], dict[str, str]]:
    """The queue for the loaded lessons (and the question -> lesson map it was drawn from)."""
    lesson_of = {q: entry.info.id for entry in catalogue.lessons for q in entry.info.question_ids}
    pick = schedule.practice_queue if practice else schedule.due_queue
    return pick(progress.cards, lesson_of, moment, lesson_id), lesson_of


def run_review(settings: Settings, catalogue: Catalogue, store: ProgressStore, out: Output, prompter: Prompter,
               queue: list[schedule.Due], practice: bool = False, confidence: bool | None = None,
               more: int = 0) -> None:
    """Ask the queue in the terminal (`more` due questions are left for another time); q, Ctrl-C
    and end of input stop it with every answer saved."""
    class Lessons(dict):  # type: ignore[type-arg]
        """Each lesson read when its first question comes up (not all before the first question)."""

        def __missing__(self, lesson_id: str) -> m.Lesson:
            lesson = catalogue.find(lesson_id, hints.command(settings, "lessons"), hints.command(settings, "validate")).lesson
            self[lesson_id] = lesson
            return lesson

    lessons = Lessons()
    lesson_of = {q: entry.info.id for entry in catalogue.lessons for q in entry.info.question_ids}
    titles = {entry.info.id: entry.info.title for entry in catalogue.lessons}
    screen = ReviewTerminalScreen(out, prompter, settings, titles)
    screen.more = more
    progress = store.load()
    from neurotutor.study.review import Review

    review = Review(queue=queue, lessons=lessons, screen=screen, save=saver(store, out), clock=now,
                    seed=profile_seed(store, progress), practice=practice, utc_offset=utc_offset,
                    ask_confidence=progress.settings.ask_confidence if confidence is None else confidence,
                    lesson_of=lesson_of)
    command = hints.command(settings, "review")
    what = "practice" if practice else "review"
    try:
        review.run()
    except StopRequested:
        out.line()
        out.command(_stopped("Stopped", screen, len(review.answers), what), command)
    except KeyboardInterrupt:
        raise Interrupted(f"\n{_stopped('Stopped', screen, len(review.answers), what)}\n  {command}") from None
    except EOFError:
        raise EndOfInput(f"\n{_stopped('Input ended', screen, len(review.answers), what)}\n  {command}") from None


def _stopped(first: str, screen: ReviewTerminalScreen, answered: int, what: str) -> str:
    where = f" at {screen._place} of your {what}" if screen._place else ""
    saved = "Every answer so far is saved" if answered else "Nothing was changed"
    then = "To review what is due (or practise again), run:" if what == "practice" else "To go on with what is due, run:"
    return f"{first}{where}. {saved}. {then}"
