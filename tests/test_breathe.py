"""The breathing space and paced breathing (issue 21): the cue sequences golden (6 breaths a
minute, the 3-minute space), the plain text cues a screen reader follows, the safety text first,
and a key that stops it. The clock, the sleeper and the keyboard are fakes: nothing sleeps."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from neurotutor import paths
from neurotutor.cli import breathe_screen
from neurotutor.cli.output import Output
from neurotutor.cli.session import Session
from neurotutor.cli.settings import Settings
from neurotutor.errors import Interrupted, Stopped, UsageError
from neurotutor.journal.store import JournalStore
from neurotutor.practice import breathe as b


class FakeClock:
    """A clock that moves only when slept on; every sleep is recorded."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.slept.append(seconds)
        self.t = round(self.t + seconds, 6)

    def key_after(self, seconds: float) -> Any:
        """A keyboard on which a key is pressed `seconds` after the first look."""
        start: list[float] = []

        def pressed() -> bool:
            if not start:
                start.append(self.t)
            return self.t - start[0] >= seconds

        return pressed


class Prompter:
    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.paused: list[str] = []

    def pause(self, message: str) -> None:
        self.paused.append(message)
        if self.replies:
            raise self.replies.pop(0)


def session(*replies: Any) -> tuple[Session, io.StringIO, Prompter]:
    shown = io.StringIO()
    prompter = Prompter(*replies)
    return Session.made_of(Settings(plain=True), out=Output(False, file=shown, width=0), prompter=prompter), shown, prompter


# -- the cues ---------------------------------------------------------------------------------------

def test_paced_breathing_at_6_a_minute_golden() -> None:
    ex = b.paced()
    assert (ex.title, ex.summary) == ("Paced breathing", "6 breaths a minute for 3 minutes: in for 4 seconds, out for 6.")
    assert len(ex.cues) == 36 and ex.seconds == 180.0
    assert ex.cues[:4] == (
        b.Cue(0.0, 4.0, "Breathe in", "Paced breathing", (1.0, 2.0, 3.0)),
        b.Cue(4.0, 6.0, "Breathe out", "Paced breathing", (1.0, 2.0, 3.0, 4.0, 5.0)),
        b.Cue(10.0, 4.0, "Breathe in", "Paced breathing", (1.0, 2.0, 3.0)),
        b.Cue(14.0, 6.0, "Breathe out", "Paced breathing", (1.0, 2.0, 3.0, 4.0, 5.0)),
    )
    assert [(c.at, c.text) for c in ex.cues] == [(10.0 * n + d, t) for n in range(18)
                                                for d, t in ((0.0, "Breathe in"), (4.0, "Breathe out"))]
    assert ex.cues[-1] == b.Cue(174.0, 6.0, "Breathe out", "Paced breathing", (1.0, 2.0, 3.0, 4.0, 5.0))


def test_paced_breathing_at_another_pace_and_split() -> None:
    ex = b.paced(5, 2, (1, 1))
    assert ex.summary == "5 breaths a minute for 2 minutes: in for 6 seconds, out for 6."
    assert len(ex.cues) == 20 and ex.seconds == 120.0
    odd = b.paced(7, 1)  # 8.571 s a breath: counts only for whole seconds that are left
    assert odd.cues[0] == b.Cue(0.0, 3.429, "Breathe in", "Paced breathing", (1.0, 2.0, 3.0))
    assert odd.cues[1] == b.Cue(3.429, 5.142, "Breathe out", "Paced breathing", (1.0, 2.0, 3.0, 4.0, 5.0))
    assert len(odd.cues) == 14


@pytest.mark.parametrize(("pace", "minutes", "split"), [(12, 3, (4, 6)), (2, 3, (4, 6)), (6, 0.5, (4, 6)),
                                                         (6, 31, (4, 6)), (6, 3, (0, 6))])
def test_paced_breathing_refuses_what_is_not_slow_breathing(pace: float, minutes: float,
                                                           split: tuple[float, float]) -> None:
    with pytest.raises(ValueError):
        b.paced(pace, minutes, split)


def test_the_breathing_space_golden() -> None:
    ex = b.breathing_space()
    assert ex.title == "The 3-minute breathing space" and ex.seconds == 180.0
    assert [(c.at, c.seconds, c.stage, c.text, c.counts) for c in ex.cues] == [
        (0.0, 20.0, "1 of 3: Awareness", "Sit in a way that feels steady. Close your eyes if you like.", ()),
        (20.0, 20.0, "1 of 3: Awareness", "Notice what is here right now: thoughts, feelings, sensations in the body.", ()),
        (40.0, 20.0, "1 of 3: Awareness", "There is nothing to change or fix. Notice it, and let it be as it is.", ()),
        (60.0, 20.0, "2 of 3: Gathering", "Now gently gather your attention to the breath.", ()),
        (80.0, 20.0, "2 of 3: Gathering",
         "Feel the breath moving in and out, in the belly or wherever it is clearest.", ()),
        (100.0, 20.0, "2 of 3: Gathering",
         "When the mind wanders, notice where it went, and kindly come back to the breath.", ()),
        (120.0, 20.0, "3 of 3: Widening", "Now let your attention widen to the whole body, breathing.", ()),
        (140.0, 20.0, "3 of 3: Widening", "Include whatever you feel, even discomfort, with a little space around it.",
         ()),
        (160.0, 20.0, "3 of 3: Widening",
         "As you are ready, take this wider awareness into the next moments of your day.", ()),
    ]


def test_plain_cue_lines_and_counts() -> None:
    breathe_in, breathe_out = b.paced().cues[:2]
    assert b.plain_line(breathe_in) == "Breathe in... 2... 3... 4"
    assert b.plain_line(breathe_out) == "Breathe out... 2... 3... 4... 5... 6"
    assert [b.count_at(breathe_out, t) for t in (0, 0.99, 1, 4.5, 5.99)] == [1, 1, 2, 5, 6]
    assert [b.clock_words(s) for s in (180, 179.2, 60, 0.4, 0)] == ["3:00", "3:00", "1:00", "0:01", "0:00"]


def test_the_safety_text_says_what_the_fact_sheet_says() -> None:
    for text in (b.paced().safety, b.breathing_space().safety):
        assert text.startswith("Stop at once if this brings dizziness, tingling, breathlessness or panic")  # 13.12
        assert "it is not a treatment for panic" in text and "should not replace exposure" in text  # 13.8
    space = b.breathing_space().safety
    assert "it has not been tested in a trial on its own" in space and "(MBCT)" in space  # 13.9
    assert "MBCT" not in b.paced().safety


# -- what the words after `breathe` ask for ----------------------------------------------------------

@pytest.mark.parametrize(("args", "title", "seconds"), [
    ([], "The 3-minute breathing space", 180.0),
    (["space"], "The 3-minute breathing space", 180.0),
    (["paced"], "Paced breathing", 180.0),
    (["--pace", "6", "--minutes", "3"], "Paced breathing", 180.0),
    (["paced", "--pace=5", "--minutes=2", "--split", "1:1"], "Paced breathing", 120.0),
])
def test_the_words_after_breathe(args: list[str], title: str, seconds: float) -> None:
    ex = breathe_screen.parse(args)
    assert (ex.title, ex.seconds) == (title, seconds)


@pytest.mark.parametrize(("args", "said"), [
    (["slowly"], "Not understood: 'slowly'."),
    (["--pace"], "--pace needs a value."),
    (["--pace", "six"], "--pace 'six' is not a number it takes."),
    (["--pace", "20"], "Paced breathing takes a pace of 3 to 10 breaths a minute, not 20."),
    (["--split", "4-6"], "--split '4-6' is not a number it takes."),
    (["space", "--minutes", "5"], "The breathing space always takes about 3 minutes; --minutes is for paced breathing"),
])
def test_words_that_make_no_sense_are_a_usage_error(args: list[str], said: str) -> None:
    with pytest.raises(UsageError) as error:
        breathe_screen.parse(args)
    assert error.value.message.startswith(said)


# -- running it, in plain text ------------------------------------------------------------------------

def test_plain_cues_one_line_each_after_the_safety_text() -> None:
    s, shown, prompter = session()
    clock = FakeClock()
    breathe_screen.run(s, ["--minutes", "1"], now=clock.now, sleep=clock.sleep, pressed=lambda: False)
    text = shown.getvalue()
    head, cues = text.split(b.SAFETY + "\n\n", 1)  # the safety text first
    assert head == "\nPaced breathing.\n6 breaths a minute for 1 minute: in for 4 seconds, out for 6.\n\n"
    assert prompter.paused == ["Press Enter to begin. Once it runs, any key stops it."]
    assert cues.splitlines() == ["Breathe in... 2... 3... 4", "Breathe out... 2... 3... 4... 5... 6"] * 6 + [
        "Paced breathing: finished.",
        "If it brought dizziness or panic, do not go on with it alone: talk it over with your therapist or doctor.",
        "Noted in your journal (only you can read it): neurotutor --plain journal",
    ]
    kept = JournalStore(paths.journal_file(s.store.path)).load().entries.values()  # so practice set as homework counts it
    assert [(e.worksheet, e.title, e.status, e.answers) for e in kept] == [("breathe", "Paced breathing", "done",
                                                                            {"minutes": 1})]
    assert clock.t == pytest.approx(1060.0) and max(clock.slept) <= breathe_screen.STEP  # no real sleep at all


def test_the_breathing_space_in_plain_text_names_each_step_once() -> None:
    s, shown, _ = session()
    clock = FakeClock()
    breathe_screen.run(s, [], now=clock.now, sleep=clock.sleep, pressed=lambda: False)
    lines = shown.getvalue().split(b.SPACE_SAFETY, 1)[1].strip().splitlines()
    assert lines[:5] == ["1 of 3: Awareness.", "Sit in a way that feels steady. Close your eyes if you like.",
                         "Notice what is here right now: thoughts, feelings, sensations in the body.",
                         "There is nothing to change or fix. Notice it, and let it be as it is.", "2 of 3: Gathering."]
    assert lines[-3] == "The 3-minute breathing space: finished."
    assert clock.t == pytest.approx(1180.0)


def test_a_key_stops_it_at_once() -> None:
    s, shown, _ = session()
    clock = FakeClock()
    breathe_screen.run(s, ["paced"], now=clock.now, sleep=clock.sleep, pressed=clock.key_after(12.45))
    cues = shown.getvalue().split(b.SAFETY + "\n\n", 1)[1].splitlines()
    assert cues == [
        "Breathe in... 2... 3... 4", "Breathe out... 2... 3... 4... 5... 6",
        "Breathe in... 2... 3",  # the key came 2.5 seconds into the second breath
        "Stopped after 0:13.",
        "If it brought dizziness or panic, do not go on with it alone: talk it over with your therapist or doctor.",
    ]
    assert clock.t == pytest.approx(1012.5)


def test_q_before_it_starts_stops_it_and_nothing_runs() -> None:
    s, shown, _ = session(Stopped())
    clock = FakeClock()
    with pytest.raises(Stopped):
        breathe_screen.run(s, [], now=clock.now, sleep=clock.sleep, pressed=lambda: False)
    assert shown.getvalue().rstrip().endswith("Stopped. The exercise did not start.")
    assert clock.slept == []


def test_ctrl_c_while_it_runs_stops_it() -> None:
    s, shown, _ = session()
    clock = FakeClock()

    def sleep(seconds: float) -> None:
        if clock.t >= 1005:
            raise KeyboardInterrupt
        clock.sleep(seconds)

    with pytest.raises(Interrupted) as stopped:
        breathe_screen.run(s, ["paced"], now=clock.now, sleep=sleep, pressed=lambda: False)
    assert stopped.value.message == "\nStopped."


def test_help_says_how_to_use_it() -> None:
    s, shown, prompter = session()
    breathe_screen.run(s, ["--help"])
    assert shown.getvalue().startswith("Usage: neurotutor practice breathe [space | paced]")
    assert prompter.paused == []


# -- the calm screen ------------------------------------------------------------------------------

def test_the_calm_screen_is_a_few_lines_redrawn_on_the_alternate_screen() -> None:
    from rich.console import Console

    file = io.StringIO()
    console = Console(file=file, width=50, height=24, force_terminal=True, color_system=None, legacy_windows=False)
    out = Output(True, console=console)
    screen = breathe_screen.Calm(out)
    ex = b.paced()
    with screen.shown():
        screen.cue(ex, ex.cues[1], 3, 173.0)
    raw = file.getvalue()
    assert raw.startswith("\x1b[?1049h") and raw.endswith("\x1b[?1049l")  # the alternate screen, and back
    assert "\x1b[2J" in raw  # cleared, then drawn: nothing scrolls
    frame = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", raw.split("\x1b[2J", 1)[1])
    lines = [line.rstrip() for line in frame.split("\n") if line.strip()]
    assert lines[:4] == ["  Paced breathing \u00b7 2:53 left", "      Breathe out", "      1  2  3",
                         "  Any key stops. Stop if dizzy or panicky."]


# -- in a real terminal ---------------------------------------------------------------------------

@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_in_a_terminal_one_calm_screen_then_any_key_stops_it(neurotutor_home: Path, terminals) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pexpect")
    from flows import seed_profile
    from terminal import ENTER

    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "practice", "breathe", "paced", columns=80, rows=24)
    screen = " ".join(t.settle(r"Press Enter to begin").split())
    assert "Stop at once if this brings dizziness" in screen and "it is not a treatment for panic" in screen
    t.keys(ENTER)
    t.expect(r"Breathe in")
    t.expect(r"1  2(?:\x1b\[[0-9;]*m|\s)+Any key stops\. Stop if dizzy or panicky\.")  # a count, a screen
    lines = [line for line in t.display() if line.strip()]
    assert lines[1:] == ["      Breathe in", "      1  2", "  Any key stops. Stop if dizzy or panicky."]
    assert lines[0].startswith("  Paced breathing \u00b7 2:5")
    t.keys("x")
    t.expect(r"Stopped after 0:0\d\.")
    assert t.finish() == 0
    raw = t.output  # the alternate screen (which pyte does not keep apart), left before the last words
    assert raw.index("\x1b[?1049h") < raw.index("Breathe in") < raw.index("\x1b[?1049l") < raw.index("Stopped after")


@pytest.mark.pty
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_in_plain_mode_text_cues_and_any_key_stops_it(neurotutor_home: Path, terminals) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("pexpect")
    from flows import seed_profile
    from terminal import ENTER

    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "--plain", "practice", "breathe", "paced", columns=50, rows=24)
    t.expect(r"Press Enter to begin\. Once it runs, any key stops\s+it\. ")
    t.keys(ENTER)
    t.expect(r"Breathe in\.\.\. 2\.\.\. 3\.\.\. 4\r\n")
    t.expect(r"Breathe out\.\.\. 2")
    t.keys("x")
    t.expect(r"Stopped after 0:0\d\.")
    assert t.finish() == 0
    assert "\x1b[?1049h" not in t.output and "\x1b[2J" not in t.output  # lines only, nothing drawn
