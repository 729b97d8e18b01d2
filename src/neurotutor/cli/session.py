"""The learn-and-quiz flow: sections one screen at a time, then questions with explained feedback.

It resumes at the first unread section or unanswered question, saves after every section and
every answer, and on Ctrl-C or end of input stops with everything answered so far kept.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timezone
from typing import Callable

from neurotutor import safety
from neurotutor.cli.output import Output
from neurotutor.cli.prompters import Prompter
from neurotutor.errors import EndOfInput, Interrupted
from neurotutor.lessons import model as m
from neurotutor.lessons.loader import LoadedLesson
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore
from neurotutor.quiz.grading import Graded, grade
from neurotutor.quiz.presentation import present, seed_for

EVIDENCE_WORDS = {
    "established": "established (replicated, broad agreement)",
    "supported": "supported (several good studies, with caveats)",
    "preliminary": "preliminary (small, early or animal studies)",
    "debated": "debated (good studies disagree)",
    "unsupported": "unsupported (no good evidence, or contradicted)",
}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _utc_offset() -> int | None:
    return pm.utc_offset_minutes(datetime.now().astimezone())


class Session:
    """Runs one lesson (or its quiz) for one learner."""

    def __init__(self, item: LoadedLesson, store: ProgressStore, prompter: Prompter, out: Output,
                 deeper: bool = False, now: Callable[[], datetime] = _now) -> None:
        self.item = item
        self.lesson = item.lesson
        self.store = store
        self.prompter = prompter
        self.out = out
        self.deeper = deeper or self.lesson.level == "trainee"
        self.now = now
        self._with_sections = True
        self.section_ids = [s.id for s in self.lesson.sections]
        self.question_ids = [q.id for q in self.lesson.questions]

    # -- saving -----------------------------------------------------------------------------

    def _save(self, change: Callable[[pm.Progress], pm.Progress], attempts: tuple[pm.Attempt, ...] = ()) -> pm.Progress:
        progress = self.store.update(change, attempts)
        for notice in self.store.notices:
            self.out.warn(notice)
        self.store.notices.clear()
        return progress

    def _settle(self, progress: pm.Progress) -> pm.Progress:
        return pm.settle(progress, self.lesson.id, self.section_ids, self.question_ids, self.now())

    def _state(self, progress: pm.Progress) -> pm.LessonState:
        return progress.lessons.get(self.lesson.id, pm.LessonState())

    # -- flow -------------------------------------------------------------------------------

    def run(self, with_sections: bool = True) -> pm.Progress:
        """Take the lesson (or only the quiz); returns the saved progress."""
        try:
            return self._run(with_sections)
        except KeyboardInterrupt:
            raise Interrupted(self._stopped_message("Stopped.")) from None
        except EOFError:
            raise EndOfInput(self._stopped_message("Input ended before the lesson did.")) from None

    def _stopped_message(self, first: str) -> str:
        command = "learn" if self._with_sections else "quiz"
        return (f"\n{first} Your place in the lesson and every answer so far are saved. "
                f"Run 'neurotutor {command} {self.lesson.id}' to continue where you left off.")

    def _run(self, with_sections: bool) -> pm.Progress:
        self._with_sections = with_sections
        lesson, out = self.lesson, self.out
        # A pass that is already finished (its last questions were removed from the lesson, say)
        # is closed now, so it can never stay "in progress" for good.
        before = pm.status(self.store.load().lessons.get(lesson.id))
        progress = self._save(self._settle)
        state = self._state(progress)
        status = pm.status(progress.lessons.get(lesson.id))
        out.heading(lesson.title)
        if before == "in_progress" and status == "done":  # nothing was left to do in this pass
            self._show_summary(progress)
            return progress
        if status == "in_progress":
            out.note("Welcome back: continuing where you left off.")
        elif state.completed_runs:
            out.note(f"You finished this lesson before (best score {_pct(state.best_score)}). Starting a fresh pass.")
        if lesson.content_note:
            out.styled(f"Content note: {lesson.content_note}", "bold yellow")
            out.note(safety.FOOTER)
        section_ids, question_ids = self.section_ids, self.question_ids
        if with_sections:
            todo = [s for s in lesson.sections if s.id not in state.sections_seen]
            total = len(lesson.sections)
            for section in todo:
                self._show_section(section, section_ids.index(section.id) + 1, total)
                progress = self._save(lambda p, s=section: self._settle(pm.mark_section_seen(
                    p, lesson.id, s.id, self.now())))
                if section is not lesson.sections[-1] or lesson.questions:
                    self.prompter.pause("Press Enter to continue.")
            if not self.deeper and any(s.deeper for s in lesson.sections):
                out.note(f"Trainee-level detail and references: neurotutor learn {lesson.id} --deeper")
            if self.deeper and lesson.references:
                self._show_references()
        if not lesson.questions:
            return progress
        return self._quiz(progress, question_ids)

    def _quiz(self, progress: pm.Progress, question_ids: list[str]) -> pm.Progress:
        lesson, out = self.lesson, self.out
        state = self._state(progress)
        todo = [q for q in lesson.questions if q.id not in state.answered]
        total = len(lesson.questions)
        out.heading(f"Quiz: {lesson.title}")
        if state.answered:
            out.note(f"{len(state.answered)} of {total} already answered; {len(todo)} to go.")
        out.note("Press Ctrl-C at any time to stop; every answer is saved as you go.")
        run = state.run
        for question in todo:
            number = question_ids.index(question.id) + 1
            out.line()
            out.styled(f"Question {number} of {total}", "bold cyan")
            out.markdown(question.prompt)
            shown = present(question, random.Random(seed_for(question.id, run)))
            started = time.monotonic()
            answer = self.prompter.ask(question, shown)
            seconds = time.monotonic() - started
            result = grade(question, answer)
            now = self.now()
            attempt = pm.new_attempt(
                lesson=lesson.id, question=question.id, mode="lesson", run=run, answer=answer,
                answer_text=result.given, correct=result.correct, credit=result.credit,
                misconceptions=result.misconceptions, seconds=seconds, now=now, utc_offset=_utc_offset())
            progress = self._save(lambda p, a=attempt, t=now: pm.record_answer(
                p, a, self.section_ids, self.question_ids, t), (attempt,))
            self._show_result(result)
        self._show_summary(progress)
        return progress

    # -- rendering --------------------------------------------------------------------------

    def _show_section(self, section: m.Section, number: int, total: int) -> None:
        out = self.out
        out.heading(f"{section.title}  ({number}/{total})")
        out.markdown(section.body)
        if section.key_points:
            out.line()
            out.bullets(section.key_points, title="Key points")
        if section.evidence:
            out.note(f"Evidence: {EVIDENCE_WORDS[section.evidence]}")
        if section.claims and self.deeper:
            out.bullets([f"{c.text} [{c.evidence}]" for c in section.claims], title="Findings and their evidence")
        if section.deeper:
            if self.deeper:
                out.line()
                out.styled("Deeper (for trainees)", "bold magenta")
                out.markdown(section.deeper)
            else:
                out.note("(A deeper part for trainees is available with --deeper.)")

    def _show_references(self) -> None:
        items = []
        for r in self.lesson.references:
            where = r.doi and f"doi:{r.doi}" or r.isbn and f"ISBN {r.isbn}" or r.url or ""
            items.append(f"{r.authors} ({r.year}). {r.title}. {r.source}. {where}")
        self.out.bullets(items, title="References")

    def _show_result(self, result: Graded) -> None:
        out = self.out
        if result.correct:
            out.good("Right.")
        else:
            out.bad("Not quite.")
            out.line(f"You answered: {result.given}")
            out.line(f"The right answer: {result.right_answer}")
        for text in result.feedback:
            out.line(text)
        out.markdown(result.explanation)

    def _show_summary(self, progress: pm.Progress) -> None:
        lesson, out = self.lesson, self.out
        state = self._state(progress)
        out.heading("Lesson complete" if state.completed_runs else "Quiz saved")
        if state.last_score is not None and not state.answered:
            right = round(state.last_score * len(lesson.questions))
            out.line(f"You got {right} of {len(lesson.questions)} right ({_pct(state.last_score)}). "
                     f"Best so far: {_pct(state.best_score)}.")
            if state.last_missed:
                titles = {q.id: q.prompt.splitlines()[0] for q in lesson.questions}
                out.bullets([titles.get(q, q) for q in state.last_missed], title="Worth another look:")
        out.note(safety.FOOTER)


def _pct(score: float | None) -> str:
    return "-" if score is None else f"{round(score * 100)}%"
