"""A guided 3-minute breathing space, and paced breathing at a chosen pace, as timed cues.

An exercise is a sequence of cues, each a line of words at a time from the start (in seconds),
with the moments its count goes up ("Breathe in... 2... 3"). The terminal screen and the plain
text cues are both drawn from it (`neurotutor.cli.breathe_screen`); the clock is the shell's and
is injected there, so tests never sleep. Pure: nothing here reads a clock or prints.

The breathing space follows the three steps of the MBCT practice (fact sheet 13.9): awareness of
what is here now, gathering attention to the breath, widening to the whole body, about a minute
each, in our own words. It has not been tested in a trial on its own. Paced breathing is slow
breathing, 6 breaths a minute unless chosen otherwise (under 10 a minute: fact sheet 13.7), with
the out-breath a little longer than the in-breath unless chosen otherwise (a common choice, not a
tested one). Neither is a treatment for panic: breathing retraining added nothing to CBT for panic
disorder and should not replace exposure (13.8). The safety text says so, and says to stop if it
brings dizziness or panic (13.12).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SAFETY = (
    "Stop at once if this brings dizziness, tingling, breathlessness or panic, and breathe as you normally do. "
    "Slow breathing can ease stress a little for some people; it is not a treatment for panic, and it should not "
    "replace exposure work planned with a therapist (breathing retraining added nothing to CBT for panic)."
)
SPACE_SAFETY = (SAFETY + " The 3-minute breathing space comes from mindfulness-based cognitive therapy (MBCT); it has "
                "not been tested in a trial on its own.")

DEFAULT_PACE = 6.0  # breaths a minute
DEFAULT_MINUTES = 3.0
DEFAULT_SPLIT = (4.0, 6.0)  # in : out, as parts of a breath (4 s in, 6 s out at 6 a minute)
PACE_RANGE = (3.0, 10.0)  # slow breathing is under 10 a minute
MINUTES_RANGE = (1.0, 30.0)

# The breathing space's three steps, about a minute each; three lines a step, 20 seconds apart.
SPACE_STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Awareness", (
        "Sit in a way that feels steady. Close your eyes if you like.",
        "Notice what is here right now: thoughts, feelings, sensations in the body.",
        "There is nothing to change or fix. Notice it, and let it be as it is.",
    )),
    ("Gathering", (
        "Now gently gather your attention to the breath.",
        "Feel the breath moving in and out, in the belly or wherever it is clearest.",
        "When the mind wanders, notice where it went, and kindly come back to the breath.",
    )),
    ("Widening", (
        "Now let your attention widen to the whole body, breathing.",
        "Include whatever you feel, even discomfort, with a little space around it.",
        "As you are ready, take this wider awareness into the next moments of your day.",
    )),
)
STAGE_SECONDS = 60.0


@dataclass(frozen=True)
class Cue:
    """One line of an exercise: its words from `at` seconds after the start, for `seconds`; the
    count goes up at each of `counts` (seconds after `at`): "Breathe in", then 2, 3..."""

    at: float
    seconds: float
    text: str
    stage: str  # what the screen says the exercise is at: "Paced breathing", "1 of 3: Awareness"
    counts: tuple[float, ...] = ()

    @property
    def end(self) -> float:
        return self.at + self.seconds


@dataclass(frozen=True)
class Exercise:
    """An exercise: its title, what it is (in a line), its safety text, and its cues in order."""

    title: str
    summary: str
    safety: str
    cues: tuple[Cue, ...]

    @property
    def seconds(self) -> float:
        """How long it lasts."""
        return self.cues[-1].end if self.cues else 0.0


def _ticks(seconds: float) -> tuple[float, ...]:
    """Where the count goes up in a phase: each whole second after its start, while time is left."""
    return tuple(float(n) for n in range(1, math.ceil(seconds - 1e-9)))


def paced(pace: float = DEFAULT_PACE, minutes: float = DEFAULT_MINUTES,
          split: tuple[float, float] = DEFAULT_SPLIT) -> Exercise:
    """Paced breathing: `pace` breaths a minute for `minutes` (whole breaths, at least one), each
    breath split into in and out in the proportion `split`."""
    if not PACE_RANGE[0] <= pace <= PACE_RANGE[1]:
        raise ValueError(f"a pace of {PACE_RANGE[0]:g} to {PACE_RANGE[1]:g} breaths a minute, not {pace:g}")
    if not MINUTES_RANGE[0] <= minutes <= MINUTES_RANGE[1]:
        raise ValueError(f"{MINUTES_RANGE[0]:g} to {MINUTES_RANGE[1]:g} minutes, not {minutes:g}")
    if min(split) <= 0:
        raise ValueError("both parts of a breath take some time")
    breath = 60.0 / pace
    breathe_in = round(breath * split[0] / sum(split), 3)
    breathe_out = round(breath - breathe_in, 3)
    cues = []
    at = 0.0
    for _ in range(max(round(minutes * pace), 1)):
        cues.append(Cue(at, breathe_in, "Breathe in", "Paced breathing", _ticks(breathe_in)))
        at = round(at + breathe_in, 3)
        cues.append(Cue(at, breathe_out, "Breathe out", "Paced breathing", _ticks(breathe_out)))
        at = round(at + breathe_out, 3)
    return Exercise("Paced breathing",
                    f"{pace:g} breaths a minute for {minutes:g} minute{'s' if minutes != 1 else ''}: "
                    f"in for {breathe_in:g} seconds, out for {breathe_out:g}.",
                    SAFETY, tuple(cues))


def breathing_space() -> Exercise:
    """The 3-minute breathing space: three steps of about a minute, a few lines each."""
    cues = []
    for number, (name, lines) in enumerate(SPACE_STAGES, 1):
        step = STAGE_SECONDS / len(lines)
        start = (number - 1) * STAGE_SECONDS
        for index, text in enumerate(lines):
            cues.append(Cue(start + index * step, step, text, f"{number} of {len(SPACE_STAGES)}: {name}"))
    return Exercise("The 3-minute breathing space",
                    "Three steps of about a minute: awareness of what is here now, gathering attention to the "
                    "breath, widening to the whole body.",
                    SPACE_SAFETY, tuple(cues))


def plain_line(cue: Cue) -> str:
    """A cue as the whole line plain mode ends with: "Breathe in... 2... 3... 4"."""
    return "... ".join([cue.text, *(str(n + 2) for n in range(len(cue.counts)))])


def count_at(cue: Cue, elapsed: float) -> int:
    """The count shown `elapsed` seconds into a cue (1 at its start)."""
    return 1 + sum(1 for tick in cue.counts if tick <= elapsed + 1e-9)


def clock_words(seconds: float) -> str:
    """Minutes and seconds, as "2:05"."""
    whole = max(int(math.ceil(seconds - 1e-9)), 0)
    return f"{whole // 60}:{whole % 60:02d}"
