"""`neurotutor practice breathe`: the breathing space or paced breathing, one calm screen at a time.

The safety text comes first, and the exercise starts only when the learner presses Enter. In a
terminal that can move the cursor, each cue is drawn on a fresh screen (the terminal's alternate
screen, so nothing scrolls and the screen is as it was afterwards); in --plain, each cue is one
line a screen reader can follow ("Breathe in... 2... 3... 4"). Any key stops it; there is no
sound. The cues are `neurotutor.practice.breathe`'s; the clock (`now`), the sleeper (`sleep`) and
the key check (`pressed`) are arguments, so tests pass fakes and never sleep.

    neurotutor practice breathe                 the 3-minute breathing space
    neurotutor practice breathe space           the same
    neurotutor practice breathe paced           paced breathing: 6 breaths a minute for 3 minutes
    neurotutor practice breathe --pace 5 --minutes 4 --split 1:1
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from neurotutor.practice import breathe as b

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.cli.session import Session

USAGE = """\
Usage: neurotutor practice breathe [space | paced] [--pace N] [--minutes M] [--split IN:OUT]

  space           the 3-minute breathing space (the default)
  paced           paced breathing: 6 breaths a minute for 3 minutes unless told otherwise
  --pace N        breaths a minute, 3 to 10 (paced breathing; 6 unless told)
  --minutes M     how long, 1 to 30 minutes (paced breathing; 3 unless told)
  --split IN:OUT  how a breath is shared between in and out (4:6 unless told; 1:1 is even)

Any key stops it. Stop at once if it brings dizziness or panic."""
STEP = 0.1  # the longest sleep between two looks at the keyboard: a key stops it within this


def run(session: Session, args: list[str], *, now: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None, pressed: Callable[[], bool] | None = None) -> None:
    """Do the exercise `args` asks for (see the module's notes); the clock and the keyboard can be given."""
    from neurotutor.errors import Interrupted

    out = session.out
    if any(a in ("-h", "--help") for a in args):
        out.line(USAGE)
        return
    exercise = parse(args)
    out.heading(exercise.title)
    out.line(exercise.summary)
    out.line()
    out.line(exercise.safety)
    out.line()
    with session.stoppable(lambda first: f"{first}. The exercise did not start."):
        session.prompter.pause("Press Enter to begin. Once it runs, any key stops it.")
    clock = now or time.monotonic
    with contextlib.ExitStack() as stack:
        if pressed is None:
            pressed = stack.enter_context(keyboard())
        screen: Screen = Calm(out) if out.decorated else PlainCues(out)
        try:
            with screen.shown():
                stopped = play(exercise, screen, clock, sleep or time.sleep, pressed)
        except KeyboardInterrupt:
            raise Interrupted("\nStopped.") from None
    if stopped is None:
        out.line(f"{exercise.title}: finished.")
    else:
        out.line(f"Stopped after {b.clock_words(stopped)}.")
    out.line("If it brought dizziness or panic, do not go on with it alone: talk it over with your therapist or "
             "doctor.")
    if stopped is None:
        _kept(session, exercise)


def _kept(session: Session, exercise: b.Exercise) -> None:
    """A breathing space done to the end goes into the journal (its title, how long, when), so
    practice set in an assignment counts it; nothing else of it is kept. A journal that cannot be
    written is said, and the exercise still counts as done."""
    import os

    from neurotutor import paths
    from neurotutor.errors import NeurotutorError
    from neurotutor.journal.model import Entry
    from neurotutor.journal.store import JournalStore
    from neurotutor.worksheets.filling import new_entry_id

    now = session.clock()
    entry = Entry(id=new_entry_id(os.urandom(8)), worksheet="breathe", title=exercise.title, status="done",
                  created=now, updated=now, finished=now, answers={"minutes": max(1, round(exercise.seconds / 60))})
    try:
        JournalStore(paths.journal_file(session.store.path)).add(entry)
    except (NeurotutorError, OSError) as exc:
        session.out.warn(f"It could not be noted in your journal: {getattr(exc, 'message', None) or exc}")
        return
    session.out.line(f"Noted in your journal (only you can read it): {session.command('journal')}")


def parse(args: list[str]) -> b.Exercise:
    """The exercise the words after `breathe` ask for (UsageError, with the usage, when they make no sense)."""
    from neurotutor.errors import UsageError

    kind: str | None = None
    pace, minutes, split = b.DEFAULT_PACE, b.DEFAULT_MINUTES, b.DEFAULT_SPLIT
    options: set[str] = set()
    words = list(args)
    while words:
        word = words.pop(0)
        name, _, inline = word.partition("=")
        if word in ("space", "paced") and kind is None:
            kind = word
            continue
        if name not in ("--pace", "--minutes", "--split"):
            raise UsageError(f"Not understood: {word!r}.\n{USAGE}")
        value = inline if inline else (words.pop(0) if words else "")
        if not value:
            raise UsageError(f"{name} needs a value.\n{USAGE}")
        options.add(name)
        try:
            if name == "--split":
                first, _, second = value.partition(":")
                split = (float(first), float(second))
                if min(split) <= 0:
                    raise ValueError
            elif name == "--pace":
                pace = float(value)
            else:
                minutes = float(value)
        except ValueError:
            raise UsageError(f"{name} {value!r} is not a number it takes.\n{USAGE}") from None
    if kind == "space" and options:
        raise UsageError(f"The breathing space always takes about 3 minutes; {', '.join(sorted(options))} "
                         f"is for paced breathing (practice breathe paced).")
    if kind is None:
        kind = "paced" if options else "space"
    if kind == "space":
        return b.breathing_space()
    try:
        return b.paced(pace, minutes, split)
    except ValueError as exc:
        raise UsageError(f"Paced breathing takes {exc}.\n{USAGE}") from None


def play(exercise: b.Exercise, screen: Screen, now: Callable[[], float], sleep: Callable[[float], None],
         pressed: Callable[[], bool]) -> float | None:
    """Show the cues in time; None when it ran to the end, else the seconds it ran before a key stopped it."""
    start = now()

    def until(moment: float) -> bool:
        """Wait until `moment` seconds after the start; False as soon as a key is pressed."""
        while True:
            if pressed():
                return False
            left = start + moment - now()
            if left <= 0:
                return True
            sleep(min(left, STEP))

    for cue in exercise.cues:
        if not until(cue.at):
            return now() - start
        screen.cue(exercise, cue, 1, exercise.seconds - cue.at)
        for count, tick in enumerate(cue.counts, 2):
            if not until(cue.at + tick):
                screen.stop()
                return now() - start
            screen.cue(exercise, cue, count, exercise.seconds - cue.at - tick)
        if not until(cue.end):
            screen.stop()
            return now() - start
        screen.done(cue)
    return None


# -- what the learner sees ------------------------------------------------------------------------


class Screen:
    """How cues are shown: `cue` when one starts and at each count, `done` when it ends, `stop`
    when a key ends it part-way."""

    @contextlib.contextmanager
    def shown(self) -> Iterator[None]:
        yield

    def cue(self, exercise: b.Exercise, cue: b.Cue, count: int, left: float) -> None:
        raise NotImplementedError

    def done(self, cue: b.Cue) -> None:
        pass

    def stop(self) -> None:
        pass


class PlainCues(Screen):
    """One line per cue, written as time passes ("Breathe in... 2... 3... 4"), the step named on
    a line of its own when it changes: for screen readers, and any terminal."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.stage = ""
        self.open = False

    def cue(self, exercise: b.Exercise, cue: b.Cue, count: int, left: float) -> None:
        if count == 1:
            if cue.stage != self.stage and cue.stage != exercise.title:
                self.out.line(f"{cue.stage}.")
            self.stage = cue.stage
            self.out.write(cue.text)
            self.open = True
        else:
            self.out.write(f"... {count}")

    def done(self, cue: b.Cue) -> None:
        self.out.write("\n")
        self.open = False

    def stop(self) -> None:
        if self.open:
            self.out.write("\n")
            self.open = False


class Calm(Screen):
    """A fresh screen for each cue and count, a few lines, on the alternate screen."""

    def __init__(self, out: Output) -> None:
        self.out = out

    @contextlib.contextmanager
    def shown(self) -> Iterator[None]:
        console = self.out.console
        console.set_alt_screen(True)
        try:
            yield
        finally:
            console.set_alt_screen(False)

    def cue(self, exercise: b.Exercise, cue: b.Cue, count: int, left: float) -> None:
        import textwrap

        out = self.out
        out.clear()
        out.line()
        out.note(f"  {cue.stage} \u00b7 {b.clock_words(left)} left")  # the exercise's title: on the screen before
        out.line()
        width = max(out.width - 8, 20)
        for line in textwrap.wrap(cue.text, width):
            out.styled(f"      {line}", "bold")
        out.line()
        if cue.counts:
            out.styled("      " + "  ".join(str(n) for n in range(1, count + 1)), "bold cyan")
        out.line()
        out.note("  Any key stops. Stop if dizzy or panicky.")


@contextlib.contextmanager
def keyboard() -> Iterator[Callable[[], bool]]:
    """A look at the keyboard that never waits: True once a key has been pressed. The terminal
    is in cbreak mode meanwhile (keys arrive at once and are not echoed; Ctrl-C still stops),
    and as it was afterwards. With no terminal on stdin, no key is ever pressed."""
    if not sys.stdin.isatty():
        yield lambda: False
        return
    try:
        import select
        import termios
        import tty
    except ImportError:  # Windows: msvcrt's kbhit does the same
        import msvcrt

        def hit() -> bool:
            if msvcrt.kbhit():  # type: ignore[attr-defined, unused-ignore]
                msvcrt.getwch()  # type: ignore[attr-defined, unused-ignore]
                return True
            return False

        yield hit
        return
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)

    def seen() -> bool:
        import os

        if select.select([fd], [], [], 0)[0]:
            os.read(fd, 1024)  # the whole key, escape sequences too
            return True
        return False

    try:
        tty.setcbreak(fd)
        yield seen
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
