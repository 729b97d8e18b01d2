"""The terminal driver of exam practice (`neurotutor exam`) and the rendering of exam results.

`ExamTerminalScreen` adds the exam's screens to the lesson's `TerminalScreen`: a question with a
skip entry (and the answer given so far, and its flag), a countdown under every prompt when
timed, "What next?" after each question (go on, flag it for review, or the list), the list of
questions (every one with its state, paged to the screen) to go back to any question or flag
one, and the results: the score on a screen of its own, then every question's feedback a page at
a time (`present_result`). `sit_exam` wires it to `neurotutor.study.exam.Exam` inside the
session's `stoppable`: q, Ctrl-C and the end of input stop an exam with every answer and flag
saved and the clock stopped. `sit` starts one from the command line, `choose_exam` from the home
screen's "Exam practice".
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Literal, cast

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


def _fit(text: str, width: int, ellipsis: str = "\u2026") -> str:
    """One line of at most `width` characters, shortened at a word boundary with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[:width - len(ellipsis)].rsplit(" ", 1)[0]
    return cut + ellipsis


STATE_WORDS = {"answered": "answered", "skipped": "skipped", "unseen": "not seen"}


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
        self.scope_note: tuple[str, str | None] | None = None  # what a new exam draws from: (sentence, command)
        self._answered = False  # the question just asked was answered (not skipped)
        self._rated = False  # and "how sure?" was asked, with the answer shown above it
        self._list_from = 0  # the overview's list is shown from the page that holds this row

    def exam_start(self, record: pm.ExamRecord, resumed: bool, answered: int) -> None:
        out = self.out
        self.record = record
        total = len(record.question_ids)
        out.clear()
        out.heading(f"Exam {record.id}")
        lessons = self.lesson_count
        if resumed:
            marked = len(record.flagged)
            out.line(f"Welcome back: {answered} of {total} questions answered so far"
                     + (f", {marked} flagged for review." if marked else "."))
        else:
            out.line(f"{total} question{'s' if total != 1 else ''} from {lessons} lesson{'s' if lessons != 1 else ''}.")
            if self.scope_note is not None:
                sentence, command = self.scope_note
                if command is None:
                    out.line(sentence)
                else:
                    out.command(sentence, command)
        if record.minutes is not None:
            left = record.minutes * 60 - record.seconds_used
            out.line(f"Time: {record.minutes} minute{'s' if record.minutes != 1 else ''} ({clock_text(left)} left). The time left is shown with every "
                     "question. When it is up, the exam ends and open questions count as not answered.")
        out.line("You will see which answers were right, and why, at the end. Skip a question to come back to it, "
                 "or flag it for review; you can change any answer before you submit. Every answer is saved as you go.")
        if not resumed:
            out.command(f"This exam's seed is {record.seed}. To sit the same exam again:",
                        hints.command(self.settings, *retake_words(record)))
        self.prompter.pause("Press Enter to start." if not resumed else "Press Enter to go on.")
        if record.minutes is not None and hasattr(self.prompter, "deadline"):  # the countdown starts now
            self.prompter.deadline = time.monotonic() + record.minutes * 60 - record.seconds_used

    def _sep(self) -> str:
        return " \u00b7 " if self.out.decorated else ", "

    def exam_ask(self, item: QuestionItem, current: pm.Attempt | None, time_left: float | None,
                 flagged: bool = False) -> Answer | None:
        out = self.out
        self._place = f"question {item.number} of {item.total}"
        out.clear()
        sep = self._sep()
        banner = f"Exam{sep}question {item.number} of {item.total}{sep}{self.titles.get(item.lesson_id, item.lesson_id)}"
        out.styled(banner, "bold cyan")
        if time_left is not None and not self.out.decorated:
            out.note(f"Time left: {clock_text(time_left)}")
        if flagged:
            out.styled("You flagged this question for review.", "bold magenta")
        if current is not None:
            out.line(f"Your answer so far: {current.answer_text}")
            out.note("Answer again to change it, or skip it to keep it.")
        out.line()
        out.markdown(item.question.prompt)
        answer = self.prompter.ask(item.question, item.shown, skippable=True)
        self._answered, self._rated = answer is not None, False
        return answer

    def confidence(self, item: QuestionItem) -> pm.Confidence:
        self._rated = True  # the answer is on screen above "how sure?": "what next?" need not say it again
        return super().confidence(item)

    def after_question(self, item: QuestionItem, current: pm.Attempt | None, flagged: bool,
                       then: Literal["next", "list"]) -> ex.Then:
        """What was saved, then: go on, flag (or unflag) and go on, or the list of questions."""
        out = self.out
        if current is None:
            out.line("No answer yet: skipped for now.")
        elif not self._answered:  # skipped, keeping the answer given before
            out.line(f"Your answer stays: {current.answer_text}")
        elif self._rated:
            out.line("Saved, with how sure you were.")
        else:
            out.line(f"Your answer is saved: {current.answer_text}")
        where = "next question" if then == "next" else "list of questions"
        flag = f"Remove the flag, then the {where}" if flagged else f"Flag it for review, then the {where}"
        if then == "next":
            options, steps = ["Next question", flag, "Go to the list of questions"], ["next", "flag", "list"]
        else:
            options, steps = ["Go to the list of questions", flag], ["next", "flag"]
        pick = self.prompter.choose("What next?", options, default=0)
        return cast(ex.Then, steps[pick])

    # -- the overview -----------------------------------------------------------------------

    def _menu_height(self, message: str, options: list[str]) -> int:
        """Lines a menu takes on screen, as the prompters draw it (wrapped to the width)."""
        import textwrap

        width = self.out.width or 80

        def lines(text: str, room: int) -> int:
            return len(textwrap.wrap(text, max(room, 10), break_long_words=False, break_on_hyphens=False)) or 1

        if self.out.decorated:
            return (lines(f"? {message} (arrow keys or number, Enter)", width - 3)
                    + sum(lines(option, width - 7) for option in options))
        return lines(message, width - 1) + sum(lines(f"  {i + 1}. {o}", width - 1) for i, o in enumerate(options)) + 1

    def _row_lines(self, rows: list[ex.Row]) -> list[tuple[str, str]]:
        """Each question on one line: number, state, flag and the start of its prompt (style, text)."""
        width = max((self.out.width or 100) - 1, 20)
        digits = len(str(max((r.item.number for r in rows), default=1)))
        marks = any(r.flagged for r in rows)
        shown = []
        for r in rows:
            flag = ("flagged  " if r.flagged else " " * 9) if marks else ""
            text = f"{r.item.number:>{digits}}  {STATE_WORDS[r.state]:<9} {flag}{_first_line(r.item.question.prompt, 400)}"
            shown.append(("bold magenta" if r.flagged else "" if r.state == "answered" else "yellow",
                          _fit(text, width, "\u2026" if self.out.decorated else "...")))
        return shown

    def overview(self, rows: list[ex.Row], time_left: float | None) -> ex.Pick:
        """Every question with its state, a page of the list at a time when the screen is too
        short for all of it, then a short menu: the first open (or flagged) question, any question
        by its number, a flag, the next page of the list, submit, or stop."""
        import textwrap

        out = self.out
        self._place = "the list of questions"
        total = len(self.record.question_ids) if self.record is not None else len(rows)
        lines = self._row_lines(rows)
        while True:
            done = sum(1 for r in rows if r.state == "answered")
            marked = [r for r in rows if r.flagged]
            open_ = [r for r in rows if r.state != "answered"]
            first = open_[0] if open_ else marked[0] if marked else None
            options = ([f"Answer question {first.item.number}, the first open" if open_
                        else f"Look again at question {first.item.number}, the first flagged"] if first else [])
            steps = ["first"] if first else []
            options += ["Go to a question by its number", "Flag or unflag a question"]
            steps += ["go", "flag"]
            ending = ["Submit my answers", "Stop for now (answers kept)"]
            left = f" Time left: {clock_text(time_left)}." if time_left is not None and not out.decorated else ""
            summary = (f"{done} of {len(rows)} answered" + (f", {len(marked)} flagged" if marked else "")
                       + f".{left}")
            room = len(lines)
            if out.height:  # the heading (2 lines), the summary, the menu, a countdown, one line spare
                width = max((out.width or 80) - 1, 10)
                page_note = " Questions 100-120 of 120:"
                used = (2 + len(textwrap.wrap(summary + page_note, width)) + 1
                        + self._menu_height("What next?", options + ["Show questions 100-120"] + ending)
                        + (time_left is not None and out.decorated))
                room = len(lines) if len(lines) <= out.height - used + 1 else max(out.height - used, 3)
            page = min(self._list_from // room, (len(lines) - 1) // room) if lines else 0
            shown = lines[page * room:(page + 1) * room]
            if len(shown) < len(lines):
                following = lines[(page + 1) * room:(page + 2) * room] or lines[:room]
                options.append(f"Show questions {following[0][1].split()[0]}-{following[-1][1].split()[0]}")
                steps.append("page")
                summary += f" Questions {shown[0][1].split()[0]}-{shown[-1][1].split()[0]} of {len(rows)}:"
            options += ending
            steps += ["submit", "stop"]
            out.clear()
            out.heading("Your answers")
            out.line(summary)
            for style, text in shown:
                out.styled(text, style)
            step = steps[self.prompter.choose("What next?", options)]
            if step == "page":
                self._list_from = (page + 1) * room if (page + 1) * room < len(lines) else 0
                continue
            if step in ("submit", "stop"):
                return cast(ex.Pick, step)
            if step == "first" and first is not None:
                self._list_from = rows.index(first)
                return rows.index(first)
            number = self.prompter.number("Which question?", 1, total)
            found = [k for k, r in enumerate(rows) if r.item.number == number]
            if not found:
                out.note(f"Question {number} is no longer in its lesson, so it cannot be answered or flagged.")
                continue
            self._list_from = found[0]
            return ex.Flag(found[0]) if step == "flag" else found[0]

    def confirm_submit(self, unanswered: int, flagged: int) -> bool:
        parts = []
        if unanswered:
            parts.append(f"{unanswered} question{'s have' if unanswered != 1 else ' has'} no answer and will count as "
                         "not answered.")
        if flagged:
            parts.append(f"{flagged} question{'s are' if flagged != 1 else ' is'} flagged for review.")
        return self.prompter.choose(" ".join(parts) + " Submit anyway?",
                                    ["Yes, submit", "No, go back to the questions"]) == 0

    def results(self, outcome: ex.ExamResult) -> None:
        if hasattr(self.prompter, "deadline"):
            self.prompter.deadline = None
        self._place = "the results"
        present_result(self.out, self.prompter, self.settings, outcome)


def retake_words(record: pm.ExamRecord) -> list[str]:
    """The options that draw the same exam again."""
    words = ["exam", "--seed", str(record.seed), "--questions", str(len(record.question_ids))]
    if record.lessons:
        words += ["--lessons", ",".join(record.lessons)]
    else:  # drawn from every lesson: without this, a new exam draws from the lessons studied
        words.append("--all-lessons")
    if record.tags:
        words += ["--tags", ",".join(record.tags)]
    if record.minutes is not None:
        words += ["--minutes", str(record.minutes)]
    return words


OUTCOMES = {"submitted": "submitted", "timed_out": "time ran out", "abandoned": "abandoned",
            "in_progress": "not finished"}


def _tag_name(tag: str) -> str:
    """A topic or level tag as a reader says it ("topic-memory-and-change": "memory and change")."""
    return tag.split("-", 1)[1].replace("-", " ") if "-" in tag else tag


def show_score(out: Output, settings: Settings, outcome: ex.ExamResult) -> None:
    """The score, on a screen of its own: how it ended, right of total, marks, time, and the
    lessons worth another look."""
    record = outcome.record
    out.heading(f"Exam results ({OUTCOMES[record.status]})")
    total = len(outcome.questions)
    unanswered = total - outcome.answered
    out.styled(f"You got {outcome.right} of {total} right ({_pct(outcome.right / total if total else None)}); "
               f"{outcome.answered} answered.", "bold")
    cal = outcome.calibration
    if cal.rated:
        out.line(f"Points for how sure you were (certainty-based marks): {cal.marks} of a possible "
                 f"{cal.max_marks}, over {cal.rated} rated answer{'s' if cal.rated != 1 else ''}.")
    used = clock_text(record.seconds_used)
    out.line(f"Time used: {used}" + (f" of {record.minutes}:00." if record.minutes is not None else "."))
    if record.status == "timed_out":
        out.line(f"The time ran out: {unanswered} question{'s were' if unanswered != 1 else ' was'} left "
                 "without an answer.")
        if outcome.late:
            out.line("Your last answer came after the time was up, so it was not counted.")
    out.line(verdict(outcome))


def verdict(outcome: ex.ExamResult) -> str:
    """One sentence on how it went: all right, or the lessons with the lowest scores."""
    total = len(outcome.questions)
    if total and outcome.right == total:
        return "Every answer was right."
    weak = sorted((t for t in outcome.by_lesson if t.right < t.questions), key=lambda t: (t.score, -t.questions))
    if len(outcome.by_lesson) < 2 or not weak:
        return "The details below show each question with the right answer and why."
    return "Worth another look: " + ", ".join(f"{t.name} ({t.right} of {t.questions} right)" for t in weak[:2]) + "."


def show_details(out: Output, outcome: ex.ExamResult) -> None:
    """The scores by lesson, topic and level, then each question with the answer given, the
    right answer and why (the feedback held back until now)."""
    if out.decorated:
        out.table(["lesson", "right", "score"], [[t.name, f"{t.right} of {t.questions}", _pct(t.score)]
                                                for t in outcome.by_lesson], title="By lesson")
    else:  # plain columns do not wrap: a long title would run past the edge (and off the page)
        out.bullets([f"{t.name}: {t.right} of {t.questions} right ({_pct(t.score)})" for t in outcome.by_lesson],
                    title="By lesson")
    tags = ex.summary_tags(outcome.by_tag)
    for prefix, title in (("topic-", "By topic"), ("level-", "By level")):
        rows = [[_tag_name(t.name), f"{t.right} of {t.questions}", _pct(t.score)] for t in tags
                if t.name.startswith(prefix)]
        if rows:
            out.line()
            out.table([title.split()[1], "right", "score"], rows, title=title)
    out.heading("Question by question")
    marked = set(outcome.record.flagged)
    for q in outcome.questions:
        out.line()
        out.styled(f"Question {q.number}" + (" (you flagged it for review)" if q.question_id in marked else ""), "bold")
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


def show_result(out: Output, settings: Settings, outcome: ex.ExamResult) -> None:
    """The results all at once (no one at a screen to page them): the score first, then the
    details, then how to see them again."""
    show_score(out, settings, outcome)
    out.line()
    show_details(out, outcome)
    out.line()
    out.command("See these results again:", hints.command(settings, "exams", "show", outcome.record.id))


def present_result(out: Output, prompter: Prompter, settings: Settings, outcome: ex.ExamResult) -> None:
    """The results at a screen: the score on a screen of its own, then the details a page at a
    time, then the score again with how to see the details again (nothing to scroll back for).
    Not at a screen (a pipe, a file): all of it at once."""
    if not out.height:
        show_result(out, settings, outcome)
        return
    again = hints.command(settings, "exams", "show", outcome.record.id)
    out.clear()
    show_score(out, settings, outcome)
    out.line()
    prompter.pause("Press Enter to see each question with the right answer and why.")
    with out.captured() as lines:
        show_details(out, outcome)
    while lines and not lines[0].strip():
        lines.pop(0)
    out.clear()
    prompter.page(lines, "back to your score")
    out.clear()  # plain output is never cleared: the score comes again under the details
    show_score(out, settings, outcome)
    out.line()
    out.command("See these results again:", again)


def exam_lessons(session: Session, record: pm.ExamRecord) -> dict[str, m.Lesson]:
    """The loaded lessons that hold the exam's questions, by id."""
    wanted = set(record.question_ids)
    return {e.info.id: session.find(e.info.id).lesson for e in session.catalogue.lessons
            if wanted & set(e.info.question_ids)}


def sit_exam(session: Session, record: pm.ExamRecord, answers: dict[str, pm.Attempt], resumed: bool,
             confidence: bool | None, scope_note: tuple[str, str | None] | None = None) -> None:
    """Run an exam (new or resumed) in the terminal; q, Ctrl-C and the end of input keep every
    answer and stop the clock. `confidence` (--confidence/--no-confidence) changes the record's
    choice of asking "how sure?"; None keeps it (a record from before it was kept: the profile's)."""
    from msgspec import structs

    catalogue, store, out, prompter = session.catalogue, session.store, session.out, session.prompter

    class Lessons(dict[str, m.Lesson]):
        """Each lesson read when its first question comes up."""

        def __missing__(self, lesson_id: str) -> m.Lesson:
            self[lesson_id] = session.find(lesson_id).lesson
            return self[lesson_id]

    wanted = set(record.question_ids)
    question_lessons = {q: e.info.id for e in catalogue.lessons for q in e.info.question_ids if q in wanted}
    progress = session.reload()
    rated = record.ask_confidence if confidence is None else confidence
    if rated is None:
        rated = progress.settings.ask_confidence
    if rated != record.ask_confidence:  # saved with the first answer, flag or stop
        record = structs.replace(record, ask_confidence=rated)
    titles = session.titles()
    screen = ExamTerminalScreen(out, prompter, session.settings, titles)
    screen.lesson_count = len(set(question_lessons.values()))
    screen.scope_note = scope_note
    save = saver(store, out)
    exam = ex.Exam(record=record, lessons=Lessons(), titles=titles, screen=screen, save=save, clock=session.clock,
                   seed=profile_seed(store, progress), answers=dict(answers), utc_offset=local_offset,
                   ask_confidence=rated, question_lessons=question_lessons)
    if hasattr(prompter, "on_deadline"):
        prompter.on_deadline = ex.TimeUp
    resume = session.command("exam", "--resume")  # the record keeps whether "how sure?" is asked

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


def scope_words(session: Session, scope: ex.Scope, tags: list[str], questions: int = ex.DEFAULT_QUESTIONS,
                minutes: int | None = None, drawn: int | None = None) -> tuple[str, str | None] | None:
    """What a new exam says about where its questions come from: a sentence, and a command when
    there is another choice to make (None: the lessons were named). `drawn`: the questions drawn,
    when fewer than the `questions` asked for."""
    same = (["--questions", str(questions)] if questions != ex.DEFAULT_QUESTIONS else []) + (
        ["--minutes", str(minutes)] if minutes is not None else [])
    tagged = " with " + ("that tag" if len(tags) == 1 else "those tags") if tags else ""
    if scope.why == "studied":
        count = len(scope.pools)
        lessons = f"the {count} lessons" if count != 1 else "the lesson"
        fewer = (f" {'It has' if count == 1 else 'They have'} {drawn} question{'s' if drawn != 1 else ''}, fewer "
                 f"than the {questions} asked for." if drawn is not None and drawn < questions else "")
        return (f"The questions come from {lessons} you have studied (started or done){tagged}.{fewer} "
                "To draw from every lesson instead:", session.command("exam", "--all-lessons", *_tag_words(tags), *same))
    if scope.why == "nothing_studied":
        if scope.studied_any:
            return (f"None of the lessons you have studied has questions{tagged}, so the questions come from "
                    f"every lesson{tagged}.", None)
        return (f"You have not studied a lesson yet, so the questions come from every lesson{tagged}.", None)
    if scope.why == "all":
        return (f"The questions come from every lesson{tagged}, studied or not.", None)
    return None


def _tag_words(tags: list[str]) -> list[str]:
    return ["--tags", ",".join(tags)] if tags else []


def sit(s: Session, *, lessons: list[str], tags: list[str], questions: int, minutes: int | None,
        seed: int | None = None, resume: bool = False, abandon: bool = False, confidence: bool | None = None,
        all_lessons: bool = False) -> None:
    """An exam from start to results: an unfinished one is offered first (or resumed or abandoned
    as asked); otherwise a new one is drawn: from the lessons named, else from the lessons studied
    (every lesson with `all_lessons`, or when none is studied yet). Also used by the home screen."""
    import os

    from neurotutor.errors import UsageError

    out = s.out
    unfinished = ex.unfinished(s.reload())

    if resume or abandon:
        if unfinished is None:
            raise UsageError("You have no unfinished exam." + (" Start one with: " + s.command("exam") if resume else ""))
        if abandon:
            _drop(s, unfinished)
        else:
            sit_exam(s, unfinished, _answers_of(s, unfinished), True, confidence)
        return
    if unfinished is not None:
        answered = len(_answers_of(s, unfinished))
        out.line(f"You have an unfinished exam, {unfinished.id}: {answered} of {len(unfinished.question_ids)} "
                 "questions answered.")
        pick = s.prompter.choose("What would you like to do?", ["Go on with it", "Abandon it and start a new one",
                                                                "Leave it for now"])
        if pick == 2:
            out.command("It is kept. To go on later:", s.command("exam", "--resume"))
            return
        if pick == 0:
            sit_exam(s, unfinished, _answers_of(s, unfinished), True, confidence)
            return
        _drop(s, unfinished)
    for lesson_id in lessons:
        s.find(lesson_id)
    where = ex.scope(ex.pools(s.catalogue, lessons, tags), ex.studied(s.progress), lessons, all_lessons)
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    rated = s.progress.settings.ask_confidence if confidence is None else confidence
    picked = ex.draw(where.pools, questions, seed)
    record = ex.new_record(started=s.clock(), seed=seed, minutes=minutes, lessons=where.lessons, tags=tags,
                           picked=picked, ask_confidence=rated)
    # not saved yet: the first answer saves it, and so does a flag or a stop
    sit_exam(s, record, {}, False, confidence, scope_words(s, where, tags, questions, minutes, len(picked)))


def _answers_of(s: Session, record: pm.ExamRecord) -> dict[str, pm.Attempt]:
    history = s.store.read_history()
    s.show_notices()
    return ex.latest(history, record.id)


def _drop(s: Session, record: pm.ExamRecord) -> None:
    """Abandon an unfinished exam: its answers stay in the history, unscored."""
    answers = _answers_of(s, record)
    ended = ex.finished(record, "abandoned", answers, s.clock(), record.seconds_used)
    saver(s.store, s.out)(ex.with_exam(ended), ())
    s.out.line(f"Exam {ended.id} was abandoned. Its {len(answers)} answer{'s stay' if len(answers) != 1 else ' stays'} "
               "in your history; it is not scored.")


SIZES = ((20, None), (10, 15), (20, 30), (10, None))  # the home screen's exams: (questions, minutes)


def choose_exam(s: Session) -> None:
    """The home screen's "Exam practice": an unfinished exam is offered first; otherwise which exam
    (its size, timed or not) and where its questions come from (the lessons studied, every lesson,
    or a topic or level), then the exam itself. "Back" at any menu returns with nothing started."""
    out, prompter = s.out, s.prompter
    unfinished = ex.unfinished(s.reload())
    if unfinished is not None:
        answered = len(_answers_of(s, unfinished))
        out.line(f"You have an unfinished exam, {unfinished.id}: {answered} of {len(unfinished.question_ids)} "
                 "questions answered.")
        pick = prompter.choose("What would you like to do?", ["Go on with it", "Abandon it and start a new one", "Back"])
        if pick == 2:
            return
        if pick == 0:
            sit_exam(s, unfinished, _answers_of(s, unfinished), True, None)
            return
        _drop(s, unfinished)
    out.line("An exam draws questions from the lessons and shows which answers were right, and why, at the end. "
             f"For more choices, see '{hints.bare('exam', '--help')}'.")
    sizes = [f"{n} questions" + (f" in {m} minutes" if m else ", untimed") for n, m in SIZES]
    kind = prompter.choose("Which exam?", sizes + ["Back"])
    if kind == len(SIZES):
        return
    questions, minutes = SIZES[kind]
    studied = ex.studied(s.progress)
    entries = [e for e in s.catalogue.lessons if e.info.question_ids]
    mine = [e for e in entries if e.info.id in studied]
    tags = sorted({t for e in entries for t in e.info.tags if t.startswith(ex.SUMMARY_TAGS)},
                  key=lambda t: (not t.startswith(ex.SUMMARY_TAGS[0]), t))
    options = ([f"The {len(mine)} lesson{'s' if len(mine) != 1 else ''} you have studied"] if mine else [])
    options += [f"Every lesson ({len(entries)})", "A topic or a level", "Back"]
    if not mine:
        out.note("You have not studied a lesson yet, so the questions can come from every lesson, or from a "
                 "topic or a level.")
    pick = prompter.choose("Which lessons should the questions come from?", options) + (0 if mine else 1)
    if pick == 3:
        return
    chosen: list[str] = []
    if pick == 2:
        labels = []
        for tag in tags:
            count = sum(1 for e in entries if tag in e.info.tags)
            kind_word = "Topic" if tag.startswith(ex.SUMMARY_TAGS[0]) else "Level"
            labels.append(f"{kind_word}: {_tag_name(tag)} ({count} lesson{'s' if count != 1 else ''})")
        which = prompter.choose("Which topic or level?", labels + ["Back"])
        if which == len(tags):
            return
        chosen = [tags[which]]
    sit(s, lessons=[], tags=chosen, questions=questions, minutes=minutes, all_lessons=pick != 0)
