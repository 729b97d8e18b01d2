"""The terminal driver of the study engine: it shows, prompts, saves and reads the clock.

`TerminalScreen` is the engine's `Screen` for a terminal (arrow keys) or plain lines (--plain,
pipes, screen readers). `take_lesson` wires a lesson, the session's progress store and the
screen to a `neurotutor.study.engine.Study`; the session's `stoppable` turns q, Ctrl-C and the
end of input into a saved stop with the command that continues.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from neurotutor import safety
from neurotutor.cli import hints, next_step
from neurotutor.cli.output import Output
from neurotutor.cli.prompters import Move, Prompter
from neurotutor.cli.session import Session, local_offset
from neurotutor.cli.settings import Settings
from neurotutor.errors import NeurotutorError
from neurotutor.lessons import model as m
from neurotutor.lessons.loader import LoadedLesson
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
from neurotutor.quiz.answers import Answer
from neurotutor.quiz.grading import Graded
from neurotutor.study.changes import Change
from neurotutor.study.engine import Opening, Results, Saver, Start, Study
from neurotutor.study.items import QuestionItem

if TYPE_CHECKING:
    from neurotutor.stats.forgetting import Curve

MEMORY_TAG = "memory"  # lessons with this tag show the learner's own forgetting curve after the reading

EVIDENCE_WORDS = {
    "established": "established (replicated, broad agreement)",
    "supported": "supported (several good studies, with caveats)",
    "preliminary": "preliminary (small, early or animal studies)",
    "debated": "debated (good studies disagree)",
    "unsupported": "unsupported (no good evidence, or contradicted)",
}
PART_NAMES = {m.Ordering: "positions", m.Matching: "pairs"}


def _pct(score: float | None) -> str:
    return "-" if score is None else f"{round(score * 100)}%"


def _local(when: datetime | None) -> str:
    from neurotutor.dates import local

    return local(when).strftime("%Y-%m-%d %H:%M") if when else "-"


def _first_line(markdown: str) -> str:
    from neurotutor.plaintext import inline_text

    return inline_text(markdown.strip().splitlines()[0]) if markdown.strip() else ""


class TerminalScreen:
    """Shows a study run one screen at a time and asks through a prompter."""

    def __init__(self, out: Output, prompter: Prompter, settings: Settings) -> None:
        self.out = out
        self.prompter = prompter
        self.settings = settings
        self._quiz_banner = ""
        self._quiz_notes: list[str] = []
        self._commands: list[tuple[str, str]] = []  # (sentence, command) to show with the next question
        self._opening: list[tuple[str, str]] = []  # (style, text) for the top of the next screen
        self._opening_at: int | None = None  # the section the opening was shown with
        self._place = ""  # where the learner is, for the stop message
        self.with_sections = True  # learn (False: quiz only)
        self._came_back = False  # the learner went back from the section after the next one shown
        self._marks: list[tuple[bool, int]] = []  # (right, confidence) of the rated answers shown
        self._rating_explained = False  # the points for confidence are explained at the first rating
        self.extra_words: tuple[str, ...] = ()  # options to repeat in the command that continues (--confidence)
        self.forgetting_curve: Callable[[], Curve | None] | None = None  # the learner's own, for memory lessons
        self.upcoming: Callable[[], list[next_step.Line]] | None = None  # what comes next, said at the end
        self.keep_place: Callable[[int], None] | None = None  # keeps the block a reading page begins with
        self._missed: list[str] = []  # the prompts of the questions missed in the pass just summed up

    def _top(self, lesson: m.Lesson, section: int | None = None) -> None:
        """The first lines of a screen: the lesson's name, and what the opening had to say (on
        the first screen shown, and again whenever the learner comes back to that section)."""
        out = self.out
        out.note(lesson.title)
        if self._opening_at is None:
            self._opening_at = -1 if section is None else section
        elif section != self._opening_at:
            return
        for style, text in self._opening:
            if style == "markdown":
                out.markdown(text)
            else:
                out.styled(text, style)
        if section is None:
            self._opening = []

    # -- opening ----------------------------------------------------------------------------

    def finished_before(self, lesson: m.Lesson, state: pm.LessonState) -> Start:
        out = self.out
        out.clear()
        out.heading(lesson.title)
        times = "once" if state.completed_runs == 1 else f"{state.completed_runs} times"
        score = f" Last score {_pct(state.last_score)}, best {_pct(state.best_score)}." if lesson.questions else ""
        out.line(f"You have finished this lesson {times} (last on {_local(state.completed_at)}).{score}")
        missed = len(state.last_missed)
        left = len(state.retry_left)
        options = ["Start a new pass (from the first section)",
                   f"Retry the {missed} question{'s' if missed != 1 else ''} I missed last time" if missed
                   else "Retry the questions I missed",
                   "Leave it for now"]
        starts: list[Start] = ["new", "retry", "leave"]
        if left:  # a retry stopped part-way: going on with it comes first
            options.insert(0, f"Go on with the retry ({left} question{'s' if left != 1 else ''} left)")
            starts.insert(0, "retry_rest")
        disabled = {} if missed else {options.index("Retry the questions I missed"): "you missed none"}
        pick = self.prompter.choose("What would you like to do?", options, disabled)
        return starts[pick]

    def opening(self, lesson: m.Lesson, opening: Opening, state: pm.LessonState) -> None:
        sections, questions = len(lesson.sections), len(lesson.questions)
        said: list[tuple[str, str]] = []
        if opening == "new":
            said.append(("markdown", lesson.summary))
            said.append(("dim", f"About {lesson.minutes} minutes: {sections} section{'s' if sections != 1 else ''}, "
                                f"{questions} question{'s' if questions != 1 else ''}. "
                                "Stop any time with q (or Ctrl-C): your place is saved. Press ! for urgent help."))
        elif opening == "resume":
            read = [s.id for s in lesson.sections if s.id in state.sections_seen]
            if self.with_sections and len(read) < sections:
                where = f"section {len(read) + 1} of {sections}"
            else:
                where = f"question {len(state.answered) + 1} of {questions}"
            said.append(("dim", f"Welcome back: continuing at {where}."))
        elif opening == "again":
            said.append(("dim", f"Starting pass {state.run}."))
        else:
            said.append(("dim", "Every question of your last pass was already answered: that pass is now complete."))
        self._opening = said

    def prerequisites(self, lesson: m.Lesson, missing: list[tuple[str, str]]) -> bool:
        out = self.out
        out.clear()
        out.heading(lesson.title)
        out.line("This lesson builds on " + ("a lesson" if len(missing) == 1 else "lessons")
                 + " you have not finished yet:")
        out.bullets([f"{title} ({lesson_id})" for lesson_id, title in missing])
        out.command("You can take it first with:" if len(missing) == 1 else "You can take the first one with:",
                    hints.command(self.settings, "learn", missing[0][0]))
        return self.prompter.choose("Go on with this lesson anyway?",
                                    ["Yes, go on", "No, stop here for now"]) == 0

    def content_note(self, lesson: m.Lesson) -> bool:
        out = self.out
        while True:
            out.clear()
            self._top(lesson)
            out.heading("Before you start: a content note")
            out.styled(lesson.content_note or "", "bold yellow")
            out.line("You can stop at any time with q (or Ctrl-C); your place is saved. "
                     "If this is hard right now, it is fine to come back another day.")
            out.command("If you need urgent help, run:", hints.command(self.settings, "safety"))
            pick = self.prompter.choose("Go on?", ["Go on to the lesson", "Not now (stop here)",
                                                   "Show where to get urgent help"])
            if pick == 2:
                out.line()
                out.markdown(safety.FULL_TEXT)
                self.prompter.pause("Press Enter to go back.")
                continue
            if pick == 1:
                out.line("Stopped before the lesson began; nothing was changed.")
            return pick == 0

    def offer_deeper(self, lesson: m.Lesson, titles: list[str]) -> bool:
        self.out.clear()
        self._top(lesson)
        self.out.line()
        self.out.line("Sections you have already read have trainee-level parts:")
        self.out.bullets(titles)
        return self.prompter.choose("Read them first?", [f"Yes, go back to \u201c{titles[0]}\u201d",
                                                         "No, go on where I left off"]) == 0

    # -- reading ----------------------------------------------------------------------------

    def _section_blocks(self, lesson: m.Lesson, index: int, deeper: bool) -> list[Callable[[], None]]:
        """A section as blocks a page may break between: each paragraph of the body, the key
        points, the evidence, the claims, each paragraph of the deeper part."""
        out = self.out
        section = lesson.sections[index]
        blocks: list[Callable[[], None]] = [lambda text=text: out.markdown(text)  # type: ignore[misc]
                                            for text in _paragraphs(section.body)]
        if section.key_points:
            blocks.append(lambda: out.bullets(section.key_points, title="Key points", markdown=True))
        if section.evidence:
            blocks.append(lambda: out.note(f"Evidence: {EVIDENCE_WORDS[section.evidence or 'debated']}"))
        if section.claims and deeper:
            blocks.append(lambda: out.bullets([f"{c.text} [{c.evidence}]" for c in section.claims],
                                              title="Claims and their evidence", markdown=True))
        if section.deeper and deeper:
            parts = _paragraphs(section.deeper)

            def deeper_start() -> None:
                out.styled("Deeper (for trainees)", "bold magenta")
                out.markdown(parts[0])

            blocks.append(deeper_start)
            blocks += [lambda text=text: out.markdown(text) for text in parts[1:]]  # type: ignore[misc]
        elif section.deeper:
            blocks.append(lambda: out.note("(A deeper part for trainees is shown with --deeper.)"))
        return blocks

    def _section_pages(self, lesson: m.Lesson, index: int, deeper: bool) -> list[tuple[int, list[str]]]:
        """The section's pages at the width and height now, each with the index of the block it
        begins with: pages break between paragraphs where they can (inside a paragraph only when it
        is taller than a page), and a page after the first repeats the section's title."""
        out = self.out
        section = lesson.sections[index]
        with out.captured() as head:
            self._top(lesson, index)
            out.heading(section.title)
        while head and not head[0].strip():
            head.pop(0)
        with out.captured() as again:
            out.styled(f"{section.title} (continued)", "bold")
        rendered = []
        for block in self._section_blocks(lesson, index, deeper):
            with out.captured() as lines:
                block()
            while lines and not lines[-1].strip():
                lines.pop()
            while lines and not lines[0].strip():
                lines.pop(0)
            rendered.append(lines)
        room = max(out.height - 3, 5) if out.height else 10**9
        pages: list[tuple[int, list[str]]] = []
        page, first, top = list(head), 0, len(head)
        for number, lines in enumerate(rendered):
            gap = [""] if len(page) > top and page[-1].strip() else []  # a blank line between blocks, not after a title
            if len(page) + len(gap) + len(lines) > room and len(page) > top:
                pages.append((first, page))
                page, first, gap, top = list(again), number, [], len(again)
            page += gap
            for line in lines:  # a paragraph taller than the room left goes on over the page
                if len(page) >= room:
                    pages.append((first, page))
                    page, first, top = list(again), number, len(again)
                page.append(line)
        pages.append((first, page))
        return pages

    def section(self, lesson: m.Lesson, index: int, deeper: bool, at: int = 0) -> Move:
        """Show a section a page at a time, from the page holding block `at` (where the learner
        stopped); each page shown is kept as the place (`keep_place`)."""
        out = self.out
        total = len(lesson.sections)
        self._place = f"section {index + 1} of {total}"
        pages = self._section_pages(lesson, index, deeper)
        size = (out.width, out.height)
        page = max(i for i, (first, _) in enumerate(pages) if first <= at or i == 0)
        if self._came_back:  # back from the next section: its last page, as a pager
            page = len(pages) - 1
        self._came_back = False
        last = index == total - 1
        while True:
            if (out.width, out.height) != size:  # the terminal was resized: wrapped again, at the same block
                first = pages[page][0]
                pages, size = self._section_pages(lesson, index, deeper), (out.width, out.height)
                page = max(i for i, (start, _) in enumerate(pages) if start <= first or i == 0)
            out.clear()
            out.show_lines(pages[page][1])
            if self.keep_place is not None:
                self.keep_place(pages[page][0])
            where = f"Section {index + 1} of {total}"
            if len(pages) > 1:
                where += f", page {page + 1} of {len(pages)}"
            if last and page == len(pages) - 1 and lesson.questions:
                where += " (next: the quiz)"
            move = self.prompter.navigate(where, can_go_back=index > 0 or page > 0)
            if move == "next":
                if page + 1 < len(pages):
                    page += 1
                    continue
                return "next"
            if page > 0:
                page -= 1
                continue
            self._came_back = True
            return "back"

    def reading_done(self, lesson: m.Lesson, deeper: bool) -> None:
        if not deeper and any(s.deeper for s in lesson.sections):
            self._commands = [("Trainee-level detail and references, when you want them:",
                               hints.command(self.settings, "learn", lesson.id, "--deeper"))]
        if deeper and lesson.references:
            out = self.out
            out.clear()
            items = []
            for r in lesson.references:
                where = r.doi and f"doi:{r.doi}" or r.isbn and f"ISBN {r.isbn}" or r.url or ""
                items.append(f"{r.authors} ({r.year}). {r.title}. {r.source}. {where}".rstrip(". "))
            with out.captured() as lines:
                out.heading("References")
                out.bullets(items)
            while lines and not lines[0].strip():
                lines.pop(0)
            # a page at a time, as reading is: the list of a long lesson no longer scrolls away
            self.prompter.page(lines, "the quiz" if lesson.questions else "on", wait=bool(lesson.questions))
        self._own_memory(lesson)

    def _own_memory(self, lesson: m.Lesson) -> None:
        """In a lesson about memory (tagged `memory`), once the learner has reviewed: their own
        forgetting curve, so the lesson's claim about memory meets their own data."""
        if MEMORY_TAG not in lesson.tags or self.forgetting_curve is None:
            return
        curve = self.forgetting_curve()
        if curve is None or not curve.reviews:
            return
        from neurotutor.cli.stats_view import show_forgetting_curve

        out = self.out
        out.clear()
        out.heading("Your own memory")
        out.line("This lesson is about how memories fade. Here is yours: how likely the tutor predicted you were "
                 "to recall a question, and how often you did, by days since you last answered it.")
        show_forgetting_curve(out, curve)
        self.prompter.pause("Press Enter for the quiz." if lesson.questions else "Press Enter to go on.")

    # -- answering --------------------------------------------------------------------------

    def quiz_start(self, lesson: m.Lesson, mode: pm.Mode, count: int, answered: int) -> None:
        if mode == "retry":
            self._quiz_banner = "Retry"
            self._quiz_notes = [f"{count} question{'s' if count != 1 else ''} you missed. This practice is "
                                "recorded, but your score for the pass stays as it is."]
            return
        self._quiz_banner = f"Quiz: {lesson.title}"
        notes = []
        if answered:
            notes.append(f"{answered} of {answered + count} already answered; {count} to go.")
        # plain mode has no "I don't know" entry to choose: the answer prompt takes ? instead
        dont_know = "Choose \u201cI don't know\u201d" if self.out.decorated else "Type ? for \"I don't know\""
        notes.append(f"Every answer is saved as you go. Not sure? {dont_know}: "
                     "it counts as not known yet, not as a wrong guess.")
        self._quiz_notes = notes

    def ask(self, item: QuestionItem) -> Answer:
        out = self.out
        self._place = f"question {item.number} of {item.total}"
        out.clear()
        if self._opening_at is None:  # quiz only: what the opening had to say
            for style, text in self._opening:
                if style == "markdown":
                    out.markdown(text)
                else:
                    out.styled(text, style)
            self._opening_at = -1
        out.styled(self._banner(item), "bold cyan")
        for note in self._quiz_notes:
            out.note(note)
        for intro, command in self._commands:
            out.command(intro, command)
        self._quiz_notes, self._commands = [], []
        out.line()
        out.markdown(item.question.prompt)
        answer = self.prompter.ask(item.question, item.shown)
        assert answer is not None  # only a skippable question (an exam's) can be skipped
        return answer

    def confidence(self, item: QuestionItem) -> pm.Confidence:
        if not self._rating_explained:
            self._rating_explained = True
            self.out.note("Saying how sure you are earns points: a right answer gets 1, 2 or 3 (a guess, fairly "
                          "sure, sure), a wrong one 0, -2 or -6. \u201cSure\u201d pays only when you are very "
                          "likely right, so the points reward knowing what you know.")
        # The answer stays on screen above the question (where the prompter no longer shows it in
        # words), and the feedback that follows does not say it again.
        answer = self.prompter.answer_off_screen
        self._answer_shown: QuestionItem | None = None
        if answer is not None:
            from neurotutor.quiz.grading import answer_text

            self.out.line(f"Your answer: {answer_text(item.question, answer, item.shown)}")
            self._answer_shown = item
        pick = self.prompter.choose("How sure are you of that answer?",
                                    ["A guess", "Fairly sure", "Sure"])
        return (1, 2, 3)[pick]

    def _banner(self, item: QuestionItem) -> str:
        return f"{self._quiz_banner} \u00b7 question {item.number} of {item.total}"

    def feedback(self, item: QuestionItem, graded: Graded, confidence: pm.Confidence | None = None) -> None:
        out = self.out
        question = item.question
        said = getattr(self, "_answer_shown", None) is item  # by `confidence`, just above
        self._answer_shown = None

        def verdict_and_why() -> None:
            out.line()
            if graded.dont_know:
                out.styled("Not known yet, and that is fine: here is the answer.", "bold yellow")
                out.line(f"The right answer: {graded.right_answer}")
            elif graded.correct:
                out.good("Right.")
                if graded.spelling:
                    out.note(f"Accepted; check the spelling: {graded.spelling}")
            elif isinstance(question, m.MultipleSelect):  # what was missed and what was wrong, in menu order
                from neurotutor.quiz.grading import choices_text

                out.bad("Not quite.")
                if graded.missed:
                    out.line(f"Right, but not ticked: {choices_text(question, graded.missed, item.shown)}")
                if graded.wrongly_ticked:
                    out.line(f"Ticked, but wrong: {choices_text(question, graded.wrongly_ticked, item.shown)}")
                right = [i for i, choice in enumerate(question.choices) if choice.correct]
                out.line(f"The right answer: {choices_text(question, right, item.shown)}")
            elif isinstance(question, m.Ordering):  # each item once, in the right order, with where it went
                # (the verdict and the count on one line: a long list must not push it off a small screen)
                out.bad(f"Not quite. {graded.parts_right} of {len(graded.parts)} in the right order, which is:")
                out.bullets([f"{k + 1}. {text}" for k, (text, _) in enumerate(graded.parts)])
            elif isinstance(question, m.Matching):  # each wrong pair once, with its right partner
                out.bad(f"Not quite. {graded.parts_right} of {len(graded.parts)} pairs right. You missed:")
                out.bullets([text for text, ok in graded.parts if not ok])
            else:
                out.bad("Not quite.")
                if not said:
                    out.line(f"You answered: {graded.given}")
                out.line(f"The right answer: {graded.right_answer}")
            if confidence is not None:
                from neurotutor.study.confidence import LEVELS, mark

                self._marks.append((graded.correct, confidence))
                points = mark(graded.correct, confidence)
                costly = " (being sure and wrong costs the most)" if points == -6 else ""
                out.note(f"You said {LEVELS[confidence]}: {points:+d} point{'s' if abs(points) != 1 else ''}{costly}.")
            for text in graded.feedback:
                out.markdown(text)
            out.markdown(graded.explanation)

        # The verdict stays on screen: the blank line before the key to go on is left out when it
        # would push it off the top, and what still does not fit under it waits for a key.
        tight = False
        if out.decorated and out.height:
            with out.captured() as lines:  # lines[0] is the blank line, lines[1] the verdict
                verdict_and_why()
            height = max(out.height - self.after_feedback_lines() + 1, 3)  # room left above what asks next
            tight = len(lines) + 1 > height
            if len(lines) > height:
                out.show_lines(lines[:height])
                self.prompter.pause("Press Enter for the rest.")
                lines = lines[height:]
            out.show_lines(lines)
        else:
            verdict_and_why()
        if not tight:
            out.line()
        self.after_feedback(item)

    def after_feedback_lines(self) -> int:
        """How many screen lines `after_feedback` takes (the verdict must stay in sight above them)."""
        return 1

    def after_feedback(self, item: QuestionItem) -> None:
        """What ends the feedback on an answer: a key to go on (the review screen asks for the rating here)."""
        last = item.number == item.total and item.mode != "retry"
        self.prompter.pause("Press Enter to see how you did." if last else "Press Enter for the next question.")

    def summary(self, lesson: m.Lesson, state: pm.LessonState) -> None:
        out = self.out
        out.clear()
        out.heading("Lesson complete")
        self._place = "the end of the lesson"
        total = len(lesson.questions)
        if state.last_score is not None and total:
            right = round(state.last_score * total)
            out.line(f"You got {right} of {total} right ({_pct(state.last_score)}). "
                     f"Best so far: {_pct(state.best_score)}.")
            # the marks of the whole pass, this sitting and any before it (not only the answers since a resume)
            self._marks = [(q not in state.last_missed, c) for q, c in state.last_rated.items()]
            self._show_marks()
            prompts = {q.id: _first_line(q.prompt) for q in lesson.questions}
            self._missed = [prompts.get(q, q) for q in state.last_missed]
            out.line("Each question now comes back for review: first within minutes, then further apart.")
        else:
            out.line("You have read every section.")
        self._show_try_it(lesson)
        self._show_next()
        out.note(safety.footer(hints.bare("safety")))

    def _show_try_it(self, lesson: m.Lesson) -> None:
        """The worksheets the lesson suggests ("Try it: Thought record"), each with its command."""
        if not lesson.try_it:
            return
        from neurotutor import paths
        from neurotutor.worksheets.catalogue import load_worksheets

        settings = self.settings
        found = load_worksheets(paths.builtin_worksheets_dir(),
                                paths.user_lesson_dirs(list(settings.lessons_dirs), settings.profile))
        for worksheet_id in lesson.try_it:
            loaded = found.get(worksheet_id)
            title = loaded.worksheet.title if loaded else worksheet_id
            self.out.command(f"Try it: {title} (kept private, in your journal)",
                             hints.command(settings, "practice", worksheet_id))

    def _show_next(self) -> None:
        """What comes next (the next lesson, the reviews due), when the run knows it."""
        if self.upcoming is not None:
            next_step.show(self.out, self.upcoming())

    def _show_marks(self) -> None:
        """The certainty-based marks of the rated answers shown since the last summary."""
        if not self._marks:
            return
        from neurotutor.study.confidence import calibrate

        result = calibrate(self._marks)
        self.out.line(f"Points for how sure you were (certainty-based marks): {result.marks} of a possible "
                      f"{result.max_marks}, over {result.rated} rated answer{'s' if result.rated != 1 else ''}.")
        self._marks = []

    def offer_retry(self, lesson: m.Lesson, missed: int) -> bool:
        plural = "s" if missed != 1 else ""
        them = "them" if missed != 1 else "it"
        options = [f"Yes, retry {them} now", "Not now"]
        if self._missed and len(self._missed) == missed:
            options.insert(1, "Show me which first")
        while True:
            try:
                pick = self.prompter.choose(f"Retry the {missed} question{plural} you missed now?", options)
            except EOFError:  # the pass is complete and saved: no answer here means no
                return False
            if options[pick] != "Show me which first":
                return pick == 0
            import textwrap

            room = max((self.out.width or 80) - 1, 20)
            lines = [line for p in self._missed
                     for line in textwrap.wrap(p, room, initial_indent="- ", subsequent_indent="  ",
                                               break_long_words=False, break_on_hyphens=False)]
            self.prompter.page(lines, "back to the question", wait=True)

    def retry_summary(self, lesson: m.Lesson, results: Results) -> None:
        out = self.out
        right = sum(graded.correct for _, graded in results)
        out.clear()
        out.heading("Retry done")
        out.line(f"This time you got {right} of {len(results)} right. Your score for the pass stays as it was.")
        self._show_marks()
        self._missed = [_first_line(item.question.prompt) for item, graded in results if not graded.correct]
        self._show_next()

    # -- stopping ---------------------------------------------------------------------------

    def stop_message(self, first: str) -> str:
        """What happened, where, and that it is saved ("Stopped at question 3 of 8. ...")."""
        where = f" at {self._place}" if self._place.startswith(("section", "question")) else ""
        return f"{first}{where}. Your place and every answer so far are saved. To continue where you left off, run:"

    def continue_command(self, lesson_id: str) -> str:
        """The command that continues this lesson, with the options in force."""
        return hints.command(self.settings, "learn" if self.with_sections else "quiz", lesson_id, *self.extra_words)


def _paragraphs(markdown: str) -> list[str]:
    """Markdown split at blank lines (never inside a fenced code block): the places a page may break."""
    parts: list[str] = []
    current: list[str] = []
    fenced = False
    for line in markdown.strip("\n").split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                parts.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        parts.append("\n".join(current))
    return parts or [markdown]


def profile_seed(store: ProgressStore, progress: pm.Progress) -> int:
    """The profile's shuffle seed, made (and saved) the first time it is needed."""
    if progress.seed is not None:
        return progress.seed
    import os

    made = int.from_bytes(os.urandom(4), "big")
    return store.update(lambda p: pm.with_seed(p, made)).seed or made


def saver(store: ProgressStore, out: Output) -> Saver:
    """Save a change (and its answers) and tell the learner anything the store had to do."""

    def save(change: Change, attempts: tuple[pm.Attempt, ...]) -> pm.Progress:
        progress = store.update(change, attempts)
        for notice in store.notices:
            out.warn(notice)
        store.notices.clear()
        return progress

    return save


def own_forgetting_curve(session: Session) -> Curve | None:
    """The learner's forgetting curve from their history (replayed through the schedule); None
    when they have not reviewed yet. Reads the whole history: only memory lessons call it."""
    store, catalogue = session.store, session.catalogue
    history = store.read_history()
    store.notices.clear()  # problems in the history are reported by the commands that list it
    if not any(a.mode == "review" for a in history):
        return None
    from neurotutor.stats.forgetting import forgetting_curve

    types: dict[str, str] = {}
    wanted = {a.lesson for a in history}
    for entry in catalogue.lessons:
        if entry.info.id in wanted:
            try:
                types.update({q.id: m.question_type(q) for q in catalogue.load(entry).lesson.questions})
            except NeurotutorError:  # a lesson file that changed and broke: its questions count as unknown types
                continue
    current = {q for entry in catalogue.lessons for q in entry.info.question_ids}
    return forgetting_curve(history, types, current, session.clock(), session.reload().settings.desired_retention)


def take_lesson(session: Session, item: LoadedLesson, with_sections: bool = True, deeper: bool = False,
                confidence: bool | None = None) -> pm.Progress:
    """Run a lesson (or only its quiz) in the terminal. Confidence is asked after each answer when
    `confidence` says so (None: the profile's setting). q, Ctrl-C and the end of input stop it with
    every answer saved and the command that continues."""
    lesson, store, out = item.lesson, session.store, session.out
    screen = TerminalScreen(out, session.prompter, session.settings)
    screen.with_sections = with_sections
    if deeper:
        screen.extra_words += ("--deeper",)
    screen.forgetting_curve = lambda: own_forgetting_curve(session)
    screen.upcoming = lambda: next_step.next_lines(session, after=lesson.id)
    progress = session.reload()
    if confidence is not None and confidence != progress.settings.ask_confidence:
        screen.extra_words += ("--confidence" if confidence else "--no-confidence",)
    study = Study(lesson=lesson, screen=screen, save=saver(store, out), load=store.load, clock=session.clock,
                  seed=profile_seed(store, progress),
                  ask_confidence=progress.settings.ask_confidence if confidence is None else confidence,
                  deeper=deeper or lesson.level == "trainee", titles=session.titles(), utc_offset=local_offset)
    with session.stoppable(lambda first: screen.stop_message(first), lambda: screen.continue_command(lesson.id)):
        return study.run(with_sections)
