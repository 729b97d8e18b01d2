"""One command's session: built once from the global options, shared by everything the command does.

The output writer, the catalogue of lessons, the progress store, the progress loaded once (what
the store had to recover said once), the prompter, and one `now` for the whole command. Each is
made the first time it is used, so `lessons --json` never loads questionary and `safety` never
reads a lesson. `stoppable` is the one place that turns q, Ctrl-C and the end of input inside a
study run into "saved, and here is the command that continues".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor.cli.settings import Settings

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.cli.prompters import Prompter
    from neurotutor.errors import Problem
    from neurotutor.lessons.catalogue import Catalogue
    from neurotutor.lessons.loader import LoadedLesson
    from neurotutor.progress.model import Progress
    from neurotutor.progress.store import ProgressStore
    from neurotutor.stats.tallies import Tallies
    from neurotutor.study.schedule import StudyDay


def utc_now() -> datetime:
    """The time, timezone-aware UTC: the one clock of the shell (a session's `now` and its runs' clock)."""
    return datetime.now(timezone.utc)


def local_offset() -> int:
    """The learner's offset from UTC now, in minutes."""
    from neurotutor.progress.model import utc_offset_minutes

    return utc_offset_minutes(datetime.now().astimezone()) or 0


@dataclass
class Session:
    """What one command works with; `now` is read once, when the command starts."""

    settings: Settings = field(default_factory=Settings)
    now: datetime = field(default_factory=lambda: utc_now())

    def clock(self) -> datetime:
        """The time now: for the times of answers given during a long run (`now` is when it began)."""
        return utc_now()

    @classmethod
    def made_of(cls, settings: Settings | None = None, **parts: object) -> Session:
        """A session whose parts (out, catalogue, store, progress, prompter) are given, not made:
        for a test that renders to a buffer or scripts the answers."""
        session = cls(settings or Settings())
        session.__dict__.update(parts)
        return session

    @cached_property
    def out(self) -> Output:
        """The output writer (decorated on a terminal unless --plain)."""
        from neurotutor.cli.output import Output

        return Output(decorated=self.settings.decorated)

    @cached_property
    def catalogue(self) -> Catalogue:
        """Every lesson; broken files are reported on stderr once and left out, never fatal."""
        from neurotutor import paths
        from neurotutor.lessons.catalogue import load_catalogue

        settings, out = self.settings, self.out
        catalogue = load_catalogue(paths.builtin_lessons_dir(),
                                   paths.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                                   cache_dir=paths.cache_dir())
        if catalogue.problems:
            first: dict[str, Problem] = {}
            for problem in catalogue.problems:
                first.setdefault(problem.path, problem)
            s = "s" if len(first) != 1 else ""
            out.warn(f"Some lessons could not be loaded ({len(first)} file{s} or folder{s}); the others work as usual:")
            for problem in first.values():
                out.warn(f"  {problem}")
            out.warn(f"Run '{self.command('validate')}' to see every problem.")
        return catalogue

    @cached_property
    def store(self) -> ProgressStore:
        """The progress store of the selected profile; data folders readable by others are tightened."""
        from neurotutor import files, paths
        from neurotutor.progress.store import ProgressStore

        store = ProgressStore(paths.progress_file(self.settings.profile))
        store.notices.extend(files.secure_folders(paths.data_folders(self.settings.profile)))
        return store

    @cached_property
    def progress(self) -> Progress:
        """The progress as the command found it, loaded once; what the store recovered is said once."""
        progress = self.store.load()
        self.show_notices()
        return progress

    def reload(self) -> Progress:
        """The progress as it is now (after this command, or another terminal, changed it)."""
        progress = self.store.load()
        self.show_notices()
        self.__dict__["progress"] = progress
        return progress

    @cached_property
    def prompter(self) -> Prompter:
        """Arrow-key prompts in a terminal that can draw them, numbered lines otherwise."""
        from neurotutor.cli.prompters import make_prompter

        return make_prompter(self.settings.interactive, self.out)

    def show_notices(self) -> None:
        """Tell the learner about anything the store had to recover (once)."""
        store = self.store
        for notice in store.notices:
            self.out.warn(notice)
        store.notices.clear()

    def command(self, *words: str) -> str:
        """The command line for `neurotutor WORDS...` in this profile, with these folders, as typed here."""
        from neurotutor.cli import hints

        return hints.command(self.settings, *words)

    def find(self, lesson_id: str) -> LoadedLesson:
        """A lesson of the catalogue by id (an unknown id says how to see the lessons)."""
        return self.catalogue.find(lesson_id, self.command("lessons"), self.command("validate"))

    def first_lesson(self) -> str:
        """The id of the first lesson in the suggested order (LESSON_ID when there is none)."""
        lessons = self.catalogue.lessons
        return lessons[0].info.id if lessons else "LESSON_ID"

    def day(self, at: datetime | None = None) -> StudyDay:
        """The learner's study day at `at` (the command's `now` by default): what is due today."""
        from neurotutor.study.schedule import study_day

        return study_day(at or self.now, local_offset(), self.progress.settings.day_starts_at)

    def titles(self) -> dict[str, str]:
        """Every loaded lesson's title, by id."""
        return {entry.info.id: entry.info.title for entry in self.catalogue.lessons}

    def builtin_lessons(self) -> dict[str, Path]:
        """The built-in lessons of the catalogue: id -> file."""
        from neurotutor.lessons.catalogue import builtin_lessons

        return builtin_lessons(self.catalogue)

    def totals(self) -> Tallies:
        """The running totals of the answer history (`stats` and `report` share them and their
        cache); local days are counted in the current offset for answers recorded without one."""
        from neurotutor import paths
        from neurotutor.stats.tallies import refresh

        return refresh(self.store.history_path, paths.stats_cache_file(self.store.path), local_offset())

    def greet(self, screen: bool = False) -> None:
        """Show the short safety notice once per profile, whichever command a person runs first.

        On a study screen (`screen`) it is a screen of its own with a pause. Other commands print
        it on stderr when that is a terminal (so `--json` output stays clean); with stderr piped no
        person is reading, so it is kept for later. It is remembered as seen only once shown; a
        busy or unwritable progress file just means it is shown again next time."""
        import sys

        from neurotutor import safety
        from neurotutor.cli import hints
        from neurotutor.errors import NeurotutorError
        from neurotutor.progress import model as pm

        if self.progress.notice_seen:
            return
        out = self.out
        if screen:
            out.heading("Before you start")
            out.line(safety.short_notice(hints.bare("safety")))
            self.prompter.pause("Press Enter to go on.")
        elif sys.stderr.isatty():
            out.warn(f"Before you start: {safety.short_notice(hints.bare('safety'))}")
        else:
            return
        try:
            self.store.update(pm.mark_notice_seen, keep_if_busy=False)
        except NeurotutorError:
            pass
        self.store.notices.clear()

    @contextmanager
    def stoppable(self, said: Callable[[str], str], command: Callable[[], str] | None = None,
                  then: Callable[[], list[tuple[str, str]]] = list) -> Iterator[None]:
        """Inside: q, Ctrl-C and the end of input stop what is going on. `said(first)` is the
        sentence ("Stopped at question 3 of 8. Every answer is saved. To continue, run:", with
        first "Stopped" or "Input ended"), `command()` the command that continues, `then()` more
        (sentence, command) pairs. q ends the command with status 0 and the message on the
        screen; Ctrl-C and the end of input with their own codes and the message on stderr."""
        from neurotutor.errors import EndOfInput, Interrupted, Stopped

        try:
            yield
        except Stopped as stop:
            if stop.said:  # an inner run already said where it stopped
                raise
            self.out.line()
            if command is None:
                self.out.line(said("Stopped"))
            else:
                self.out.command(said("Stopped"), command())
            for text, more in then():
                self.out.command(text, more)
            raise Stopped(said=True) from None
        except (KeyboardInterrupt, EOFError) as stop:
            first = "Input ended" if isinstance(stop, EOFError) else "Stopped"
            lines = [said(first)] + ([f"  {command()}"] if command else [])
            lines += [f"{text}\n  {more}" for text, more in then()]
            error = EndOfInput if isinstance(stop, EOFError) else Interrupted
            raise error("\n" + "\n".join(lines)) from None


def session_of(ctx: object) -> Session:
    """The session the root callback made for this command (a fresh one when called directly)."""
    obj = getattr(ctx, "obj", None)
    return obj if isinstance(obj, Session) else Session()
