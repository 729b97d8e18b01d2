"""The terminal driver of exam practice (`neurotutor exam`) and the rendering of exam results.

`ExamTerminalScreen` adds the exam's screens to the lesson's `TerminalScreen`: a question with a
skip entry (and the answer given so far), a countdown under every prompt when timed, an overview
to go back to any question, and the results with every question's feedback. `sit_exam` wires
it to `neurotutor.study.exam.Exam` inside the session's `stoppable`: q, Ctrl-C and the end of
input stop an exam with every answer saved and the clock stopped.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from neurotutor.cli import hints
from neurotutor.cli.output import Output
from neurotutor.cli.prompters import Prompter
from neurotutor.cli.session import Session, local_offset
from neurotutor.cli.settings import Settings
from neurotutor.cli.study_screen import TerminalScreen, profile_seed, saver
from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.quiz.answers import Answer
from neurotutor.study import exam as ex
from neurotutor.study.confidence import LEVELS
from neurotutor.study.items import QuestionItem


def clock_text(seconds: float) -> str:
    """12:05 (minutes and seconds), or 1:02:05 past an hour."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _first_line(text: str, limit: int = 70) -> str:
    from neurotutor.plaintext import inline_text

    line = inline_text(text.strip().splitlines()[0]) if text.strip() else ""
    return line if len(line) <= limit else line[:limit].rsplit(" ", 1)[0] + "\u2026"


def _fit(text: str, width: int) -> str:
    """One line of at most `width` characters, shortened at a word boundary with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[:width - 1].rsplit(" ", 1)[0]
    return cut + "\u2026"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


class ExamTerminalScreen(TerminalScreen):
    """The exam's screens; questions, confidence and Markdown look as in a lesson."""

    def __init__(self, out: Output, prompter: Prompter, settings: Settings, titles: Mapping[str, str]) -> None:
        super().__init__(out, prompter, settings)
        self.titles = titles
        self._opening_at = -1
        self.record: pm.ExamRecord | None = None
        self.lesson_count = 0  # lessons the exam's questions come from

    def exam_start(self, record: pm.ExamRecord, resumed: bool, answered: int) -> None:
        out = self.out
        self.record = record
        total = len(record.question_ids)
        out.clear()
        out.heading(f"Exam {record.id}")
        lessons = self.lesson_count
        if resumed:
            out.line(f"Welcome back: {answered} of {total} questions answered so far.")
        else:
            out.line(f"{total} question{'s' if total != 1 else ''} from {lessons} lesson{'s' if lessons != 1 else ''}.")
        if record.minutes is not None:
            left = record.minutes * 60 - record.seconds_used
            out.line(f"Time: {record.minutes} minute{'s' if record.minutes != 1 else ''} ({clock_text(left)} left). The time left is shown with every "
                     "question. When it is up, the exam ends and open questions count as not answered.")
        out.line("You will see which answers were right, and why, at the end. Skip a question to come back to it; "
                 "you can change any answer before you submit. Every answer is saved as you go.")
        if not resumed:
            out.command(f"This exam's seed is {record.seed}. To sit the same exam again:",
                        hints.command(self.settings, *retake_words(record)))
        self.prompter.pause("Press Enter to start." if not resumed else "Press Enter to go on.")
        if record.minutes is not None and hasattr(self.prompter, "deadline"):  # the countdown starts now
            self.prompter.deadline = time.monotonic() + record.minutes * 60 - record.seconds_used

    def exam_ask(self, item: QuestionItem, current: pm.Attempt | None, time_left: float | None) -> Answer | None:
        out = self.out
        self._place = f"question {item.number} of {item.total}"
        out.clear()
        banner = f"Exam \u00b7 question {item.number} of {item.total} \u00b7 {self.titles.get(item.lesson_id, item.lesson_id)}"
        out.styled(banner, "bold cyan")
        if time_left is not None and not self.out.decorated:
            out.note(f"Time left: {clock_text(time_left)}")
        if current is not None:
            out.line(f"Your answer so far: {current.answer_text}")
            out.note("Answer again to change it, or choose \u201cSkip for now\u201d to keep it.")
        out.line()
        out.markdown(item.question.prompt)
        return self.prompter.ask(item.question, item.shown, skippable=True)

    def overview(self, items: list[QuestionItem], answers: Mapping[str, pm.Attempt], time_left: float | None) -> ex.Pick:
        """Where the exam stands, then a short menu (it fits any screen, however many questions):
        the first open question, any question by its number, submit, or stop."""
        out = self.out
        self._place = "the list of questions"
        while True:
            out.clear()
            done = sum(1 for i in items if i.question.id in answers)
            out.heading("Your answers")
            left = f" Time left: {clock_text(time_left)}." if time_left is not None and not out.decorated else ""
            out.line(f"{done} of {len(items)} answered.{left}")
            open_ = [i for i in items if i.question.id not in answers]
            if len(items) + 9 <= (out.height or 10_000):  # the list, one line each, when it fits
                for i in items:
                    given = answers.get(i.question.id)
                    state = given.answer_text if given else "not answered yet"
                    out.line(_fit(f"{i.number:>2}. {state} \u2014 {_first_line(i.question.prompt, 400)}",
                                  (out.width or 10_000) - 1))
            elif open_:
                out.line("Not answered yet: " + ", ".join(str(i.number) for i in open_) + ".")
            options = ([f"Answer question {open_[0].number} (the first without an answer)"] if open_ else [])
            options += ["Answer or change a question, by its number", "Submit my answers",
                        "Stop for now (answers kept; resume later)"]
            pick = self.prompter.choose("What next?", options)
            if open_:
                if pick == 0:
                    return items.index(open_[0])
                pick -= 1
            if pick == 1:
                return "submit"
            if pick == 2:
                return "stop"
            number = self.prompter.number("Which question?", 1, len(self.record.question_ids) if self.record else len(items))
            found = [k for k, i in enumerate(items) if i.number == number]
            if found:
                return found[0]
            out.note(f"Question {number} is no longer in its lesson, so it cannot be answered.")

    def confirm_submit(self, unanswered: int) -> bool:
        plural = "s have" if unanswered != 1 else " has"
        return self.prompter.choose(f"{unanswered} question{plural} no answer and will count as not answered. "
                                    "Submit anyway?", ["Yes, submit", "No, go back to the questions"]) == 0

    def results(self, outcome: ex.ExamResult) -> None:
        if hasattr(self.prompter, "deadline"):
            self.prompter.deadline = None
        self.out.clear()
        show_result(self.out, self.settings, outcome)


def retake_words(record: pm.ExamRecord) -> list[str]:
    """The options that draw the same exam again."""
    words = ["exam", "--seed", str(record.seed), "--questions", str(len(record.question_ids))]
    if record.lessons:
        words += ["--lessons", ",".join(record.lessons)]
    if record.tags:
        words += ["--tags", ",".join(record.tags)]
    if record.minutes is not None:
        words += ["--minutes", str(record.minutes)]
    return words


OUTCOMES = {"submitted": "submitted", "timed_out": "time ran out", "abandoned": "abandoned",
            "in_progress": "not finished"}


def show_result(out: Output, settings: Settings, outcome: ex.ExamResult) -> None:
    """The results: question by question (with the feedback held back until now), then the scores."""
    record = outcome.record
    out.heading("Question by question")
    for q in outcome.questions:
        out.line()
        out.styled(f"Question {q.number}", "bold")
        out.markdown(q.prompt)
        if q.given is None:
            out.styled("Not answered.", "yellow")
        elif q.dont_know:
            out.styled("You said you don't know this yet, and that is fine.", "yellow")
        elif q.correct:
            out.good(f"Right: {q.given}")
        elif q.credit:
            out.bad(f"Partly right ({round(q.credit * 100)}%): {q.given}")
        else:
            out.bad(f"Not right: {q.given}")
        if q.confidence is not None:
            out.note(f"You said {LEVELS[q.confidence]}.")
        if not q.correct and q.available:
            out.line(f"The right answer: {q.right_answer}")
        out.markdown(q.explanation)
    out.line()
    out.table(["lesson", "right", "score"], [[t.name, f"{t.right} of {t.questions}", _pct(t.score)]
                                            for t in outcome.by_lesson], title="By lesson")
    topics = [t for t in outcome.by_tag if t.questions >= 2]  # a topic asked once says little
    if topics:
        out.table(["topic", "right", "score"], [[t.name, f"{t.right} of {t.questions}", _pct(t.score)]
                                             for t in topics], title="By topic (asked twice or more)", never_cut=(0,))
    out.heading(f"Exam results ({OUTCOMES[record.status]})")
    total = len(outcome.questions)
    out.line(f"You got {outcome.right} of {total} right ({_pct(outcome.right / total if total else None)}); "
             f"{outcome.answered} answered.")
    if outcome.calibration.rated:
        out.line(f"Points for how sure you were (certainty-based marks): {outcome.calibration.marks} of a "
                 f"possible {3 * total}.")
    used = clock_text(record.seconds_used)
    out.line(f"Time used: {used}" + (f" of {record.minutes}:00." if record.minutes is not None else "."))
    if record.status == "timed_out":
        out.line(f"The time ran out: {total - outcome.answered} question"
                 f"{'s were' if total - outcome.answered != 1 else ' was'} left without an answer.")
        if outcome.late:
            out.line("Your last answer came after the time was up, so it was not counted.")
    out.line("Scroll up for each question with your answer, the right answer and why.")
    out.command("See these results again:", hints.command(settings, "exams", "show", record.id))


def exam_lessons(session: Session, record: pm.ExamRecord) -> dict[str, m.Lesson]:
    """The loaded lessons that hold the exam's questions, by id."""
    wanted = set(record.question_ids)
    return {e.info.id: session.find(e.info.id).lesson for e in session.catalogue.lessons
            if wanted & set(e.info.question_ids)}


def sit_exam(session: Session, record: pm.ExamRecord, answers: dict[str, pm.Attempt], resumed: bool,
             confidence: bool | None) -> None:
    """Run an exam (new or resumed) in the terminal; q, Ctrl-C and the end of input keep every
    answer and stop the clock."""
    catalogue, store, out, prompter = session.catalogue, session.store, session.out, session.prompter

    class Lessons(dict[str, m.Lesson]):
        """Each lesson read when its first question comes up."""

        def __missing__(self, lesson_id: str) -> m.Lesson:
            self[lesson_id] = session.find(lesson_id).lesson
            return self[lesson_id]

    wanted = set(record.question_ids)
    question_lessons = {q: e.info.id for e in catalogue.lessons for q in e.info.question_ids if q in wanted}
    progress = session.reload()
    titles = session.titles()
    screen = ExamTerminalScreen(out, prompter, session.settings, titles)
    screen.lesson_count = len(set(question_lessons.values()))
    save = saver(store, out)
    exam = ex.Exam(record=record, lessons=Lessons(), titles=titles, screen=screen, save=save, clock=session.clock,
                   seed=profile_seed(store, progress), answers=dict(answers), utc_offset=local_offset,
                   ask_confidence=progress.settings.ask_confidence if confidence is None else confidence,
                   question_lessons=question_lessons)
    if hasattr(prompter, "on_deadline"):
        prompter.on_deadline = ex.TimeUp
    rated = () if confidence is None or confidence == progress.settings.ask_confidence else (
        "--confidence" if confidence else "--no-confidence",)
    resume = session.command("exam", "--resume", *rated)

    def said(first: str) -> str:
        if hasattr(prompter, "deadline"):
            prompter.deadline = None
        try:
            save(exam._checkpoint(), ())
        except BaseException:  # noqa: BLE001 - a second Ctrl-C while saving the clock: the answers are saved already
            pass
        where = f" at {screen._place}" if screen._place else ""
        count = len(exam.answers)
        kept = f"Your {count} answer{'s are' if count != 1 else ' is'} saved" if count else "No answer was given yet"
        return f"{first}{where} of exam {record.id}. {kept} and the clock is stopped. To go on, run:"

    with session.stoppable(said, lambda: resume, lambda: [("Or, to drop it:", session.command("exam", "--abandon"))]):
        result = exam.run(resumed)
    if result is None:
        out.line()
        out.command(f"Exam {record.id} is kept with {len(exam.answers)} answer"
                    f"{'s' if len(exam.answers) != 1 else ''} and the clock stopped. To go on, run:", resume)


def sit(s: Session, *, lessons: list[str], tags: list[str], questions: int, minutes: int | None,
            seed: int | None = None, resume: bool = False, abandon: bool = False, confidence: bool | None = None) -> None:
    """An exam from start to results: an unfinished one is offered first (or resumed or abandoned
    as asked); otherwise a new one is drawn. Also used by the home screen."""
    import os

    from neurotutor.errors import UsageError

    out = s.out
    unfinished = ex.unfinished(s.reload())

    def answers_of(record: pm.ExamRecord) -> dict[str, pm.Attempt]:
        history = s.store.read_history()
        s.show_notices()
        return ex.latest(history, record.id)

    def drop(record: pm.ExamRecord) -> None:
        answers = answers_of(record)
        ended = ex.finished(record, "abandoned", answers, s.clock(), record.seconds_used)
        saver(s.store, out)(ex.with_exam(ended), ())
        out.line(f"Exam {ended.id} was abandoned. Its {len(answers)} answer{'s stay' if len(answers) != 1 else ' stays'} "
                 "in your history; it is not scored.")

    if resume or abandon:
        if unfinished is None:
            raise UsageError("You have no unfinished exam." + (" Start one with: " + s.command("exam") if resume else ""))
        if abandon:
            drop(unfinished)
        else:
            sit_exam(s, unfinished, answers_of(unfinished), True, confidence)
        return
    if unfinished is not None:
        answered = len(answers_of(unfinished))
        out.line(f"You have an unfinished exam, {unfinished.id}: {answered} of {len(unfinished.question_ids)} "
                 "questions answered.")
        pick = s.prompter.choose("What would you like to do?", ["Go on with it", "Abandon it and start a new one",
                                                                "Leave it for now"])
        if pick == 2:
            out.command("It is kept. To go on later:", s.command("exam", "--resume"))
            return
        if pick == 0:
            sit_exam(s, unfinished, answers_of(unfinished), True, confidence)
            return
        drop(unfinished)
    for lesson_id in lessons:
        s.find(lesson_id)
    pools = ex.pools(s.catalogue, lessons, tags)
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    record = ex.new_record(started=s.clock(), seed=seed, minutes=minutes, lessons=lessons, tags=tags,
                           picked=ex.draw(pools, questions, seed))
    sit_exam(s, record, {}, False, confidence)  # not saved yet: the first answer saves it, and so does a stop
