"""What matters stays on screen (issue 19's "Done when"): every built-in lesson's quiz, a week of
review and a 20-question exam taken at 80x24 and at 50 columns in a real pseudo-terminal, with
every verdict, score and next step checked on the emulated screen (tests/terminal.py: pyte at the
pty's size), never in the scrollback.

The answers are the quickest there are, wrong on purpose most of the time (a wrong answer has the
longest feedback): the first option of every menu, the first box ticked, "x" typed; ordering and
matching pick by pick (the first item left each time), except in the lessons at 80x24, where they
are answered "I don't know" at the first pick (see the lesson test). Each lesson is a test of its
own at each size, so xdist spreads them over the cores.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from neurotutor.progress import model as pm  # noqa: E402

from terminal import ENTER, PROMPT_STARTS, SPACE, Terminal  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.yaml"))
SIZES = {"80x24": (24, 80), "50x24": (24, 50)}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where there is one
QUESTIONS = {p.stem: len(yaml.load(p.read_text(encoding="utf-8"), Loader=LOADER)["questions"]) for p in LESSONS}

CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f]")  # CSI sequences and control bytes
VERDICT = re.compile(r"(?m)^(Right\.|Not quite\.|Not known yet)")
NEXT_STEP = re.compile(r"Next in the suggested order:|Next, go on with:|Next, from your assignment:|"
                       r"You have taken every lesson\.")


def _squash(text: str) -> str:
    """Text without escapes or white space: a phrase is found whether it is wrapped at a word
    (the tutor's own lines) or mid-word (a prompt_toolkit prompt at the edge)."""
    return re.sub(r"\s+", "", CONTROL.sub("", text))


def on_screen(t: Terminal, phrase: str) -> bool:
    return _squash(phrase) in _squash(t.shown())


def since(t: Terminal, at: int) -> str:
    """What the tutor wrote from byte `at` on, as lines of text (no escapes)."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", t.raw[at:].decode("utf-8", "replace"))
    return re.sub(r"[\x00-\x08\x0b-\x1f]", "", text.replace("\r\n", "\n").replace("\r", "\n"))


def waiting_prompt(t: Terminal) -> str:
    """The prompt now waiting for keys (its message and menu), squashed (see _squash)."""
    return _squash(t.raw[t.raw.rfind(PROMPT_STARTS):].decode("utf-8", "replace"))


def is_(prompt: str, phrase: str) -> bool:
    return _squash(phrase) in prompt


def answer_keys(prompt: str, pick_in_turn: bool = True) -> str | None:
    """The quickest answer to a question or a menu on the way (None: not one of those). Ordering
    and matching are answered pick by pick, or (not `pick_in_turn`) with "I don't know" at the
    first pick, whose feedback lists every pair or item as the answer."""
    if is_(prompt, "(Space to tick"):
        return SPACE + ENTER  # the first box
    if is_(prompt, "Your answer (?"):
        return "x" + ENTER
    if is_(prompt, "(arrow keys or number, Enter)"):
        if not pick_in_turn and (is_(prompt, "Which comes 1st?") or is_(prompt, "Match “")):
            return "?" + ENTER
        return "1" + ENTER  # the first option (the first item still left, in ordering and matching)
    return None


def verdict_problem(t: Terminal, answered_at: int, what: str) -> str:
    """The verdict written after the last answer must be on the screen now, at the prompt to go on."""
    written = VERDICT.search(since(t, answered_at))
    if written is None:
        return f"{what}: no verdict was written after the answer; the screen:\n{t.shown()}"
    if not any(line.startswith(written.group(1)) for line in t.display()):
        return f"{what}: the verdict {written.group(1)!r} is not on screen at the prompt to go on; the screen:\n{t.shown()}"
    return ""


def _home(home: Path, **fields: object) -> None:
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "progress.json").write_bytes(pm.encode(pm.Progress(seed=251, notice_seen=True, **fields)))  # type: ignore[arg-type]


def _report(problems: list[str]) -> str:
    return "\n\n".join(problems)


# -- every built-in lesson --------------------------------------------------------------------------

def take_quiz(t: Terminal, lesson: str, number: int, total: int, pick_in_turn: bool,
              check: Callable[[Terminal], str] | None = None) -> list[str]:
    """Read every section and page (when the lesson was opened with `learn`), answer every
    question; at each prompt to go on after an answer, the verdict must be on screen; at the end,
    the score, the next step and the retry question together; `check` looks at every screen.
    Returns what was not on screen (with the screen)."""
    problems: list[str] = []
    answered_at = -1  # where the last answer was sent (-1: no verdict expected)
    question = ""
    end_seen = False
    for _ in range(600):
        if not t.next_prompt(after=t.prompt_start()):
            break
        prompt = waiting_prompt(t)
        if check is not None and (problem := check(t)):
            problems.append(f"{lesson}: {problem}")
        if is_(prompt, "q: stop") or is_(prompt, "Enter: more") or is_(prompt, "Enter: the quiz"):
            t.keys(ENTER)  # reading: the next page or section, the references' pages
            continue
        if is_(prompt, "you missed now?"):  # the end of the pass: "Retry the N questions you missed now?"
            end_seen = True
            problems += end_problems(t, lesson, number, total, retry=True)
            not_now = re.search(r"(\d)\)Notnow", prompt)
            assert not_now, t.shown()
            t.keys(not_now.group(1), ENTER)
            continue
        if is_(prompt, "Press Enter"):
            if answered_at >= 0:
                problem = verdict_problem(t, answered_at, f"{lesson} {question}")
                if problem:
                    problems.append(problem)
                answered_at = -1
            t.keys(ENTER)
            continue
        keys = answer_keys(prompt, pick_in_turn)
        assert keys is not None, f"a prompt this test does not know:\n{t.shown()}"
        banner = re.search(r"question \d+ of \d+", t.shown())
        question = banner.group(0) if banner else question
        answered_at = len(t.raw)
        t.keys(keys)
    else:
        raise AssertionError(f"{lesson}: the quiz did not end; the screen:\n{t.shown()}")
    assert t.finish() == 0
    if not end_seen:  # every answer right: no retry to offer, the summary is the last screen
        problems += end_problems(t, lesson, number, total, retry=False)
    else:  # "Not now": the summary stays on screen when the tutor ends
        problems += end_problems(t, lesson + " (after 'Not now')", number, total, retry=False)
    return problems


def end_problems(t: Terminal, lesson: str, number: int, total: int, retry: bool) -> list[str]:
    """The end of the pass: "Lesson complete", the score of all the lesson's questions, the next
    lesson (another one) with its command, and the retry question, all on the screen."""
    screen = t.shown()
    command = re.search(r"neurotutor (?:learn (\d+)|exam)", screen)
    missing = [what for what, found in [
        ("Lesson complete", "Lesson complete" in screen),
        (f"the score (You got N of {total} right)", re.search(rf"You got \d+ of {total} right", screen) is not None),
        ("the next step", NEXT_STEP.search(" ".join(screen.split())) is not None),
        ("the next step's command", command is not None and command.group(1) != str(number)),
        ("the retry question", not retry or on_screen(t, "you missed now?")),
    ] if not found]
    return [f"{lesson}: at the end, not on screen: {', '.join(missing)}; the screen:\n{screen}"] if missing else []


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lesson", [p.stem for p in LESSONS])
def test_every_lesson_keeps_each_verdict_and_the_end_on_screen(tmp_path: Path, terminals, lesson: str,
                                                                size: str) -> None:
    home = tmp_path / "home"
    _home(home)
    rows, columns = SIZES[size]
    number = int(lesson[:2])  # lessons are numbered in the suggested order, as their files are
    # At 50 columns the whole lesson with its trainee parts (`learn --deeper`): every screen of the
    # reading, the references and the quiz is also looked at for a word cut at the edge; ordering and
    # matching pick by pick, where the feedback on wrong picks takes the most lines. At 80x24 (as many
    # rows, and wider) the quiz alone, with "I don't know" at the first pick, whose feedback lists every
    # pair: a third of the prompts fewer, and the third verdict ("Not known yet") on screen too.
    narrow = columns == 50
    words = ["learn", str(number), "--deeper"] if narrow else ["quiz", str(number)]
    t = terminals(home, *words, rows=rows, columns=columns, timeout=30)
    check = None
    if narrow:
        from test_pty import cut_words

        known, longer = vocabulary_and_long_strings()

        def check(shown: Terminal) -> str:
            cut = cut_words(shown.display(), known, columns, longer)
            return f"{cut} cut on this screen:\n{shown.shown()}" if cut else ""

    problems = take_quiz(t, f"{words[0]} {number} at {size}", number, QUESTIONS[lesson], pick_in_turn=narrow,
                         check=check)
    assert problems == [], _report(problems)


@functools.cache
def vocabulary_and_long_strings() -> tuple[set[str], list[str]]:
    from test_pty import long_strings, vocabulary

    ordinals = {f"{n}{'st' if n % 10 == 1 and n != 11 else 'nd' if n % 10 == 2 and n != 12 else 'rd' if n % 10 == 3 and n != 13 else 'th'}"
                for n in range(1, 30)}  # "(you put it 4th)": the tutor's own words in the ordering feedback
    return vocabulary() | ordinals, long_strings()


# -- a week of review ---------------------------------------------------------------------------------

TYPES = ["single_choice", "multiple_select", "true_false", "ordering", "matching", "short_answer"]
WEEK = datetime(2026, 11, 9, 8, 0, tzinfo=timezone.utc)  # a Monday; a review's options are shuffled by the due time


def week_of_cards(now: datetime) -> dict[str, pm.CardState]:
    """One question from each built-in lesson, the six kinds in turn, learnt some days before and
    due on each day of one week (a fixed week, so the options come in the same order every run);
    and a short answer missed a minute ago, in its relearning steps and due within the learn-ahead."""
    cards: dict[str, pm.CardState] = {}
    for k, path in enumerate(LESSONS):
        questions = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER)["questions"]
        wanted = TYPES[k % len(TYPES)]
        q = next((q for q in questions if q["type"] == wanted), questions[0])
        due = WEEK + timedelta(days=k % 7, hours=k % 5)
        cards[q["id"]] = pm.CardState(state=2, stability=4.0 + k, difficulty=5.0, due=due,
                                      last_review=due - timedelta(days=4 + k % 5))
        if k == 0:
            missed = next(q for q in questions if q["type"] == "short_answer")
            cards[missed["id"]] = pm.CardState(state=3, step=0, stability=1.0, difficulty=7.0,
                                               due=now + timedelta(minutes=8), last_review=now - timedelta(minutes=1))
    return cards


@pytest.mark.parametrize("size", SIZES)
def test_a_week_of_review_keeps_each_verdict_rating_and_the_end_on_screen(tmp_path: Path, terminals,
                                                                           size: str) -> None:
    home = tmp_path / "home"
    cards = week_of_cards(datetime.now(timezone.utc))
    _home(home, cards=cards)
    rows, columns = SIZES[size]
    t = terminals(home, "review", rows=rows, columns=columns, timeout=30)
    problems: list[str] = []
    answered_at, rated, where = -1, 0, ""
    for _ in range(400):
        if not t.next_prompt(after=t.prompt_start()):
            break
        prompt = waiting_prompt(t)
        if is_(prompt, "Keep it, or pick another?"):
            rating = re.search(r"Rated(Again|Hard|Good|Easy)\.", prompt)
            assert rating, t.shown()
            if not on_screen(t, f"Rated {rating.group(1)}. Keep it, or pick another?"):
                problems.append(f"{where}: the rating question is not on screen whole:\n{t.shown()}")
            if answered_at >= 0:  # (after "Press Enter for the rest", the verdict was on the first page)
                problem = verdict_problem(t, answered_at, where)
                if problem:
                    problems.append(problem)
            answered_at = -1
            rated += 1
            t.keys(ENTER)  # keep it
        elif is_(prompt, "due again already"):
            t.keys("2", ENTER)  # later
        elif is_(prompt, "Press Enter for the rest"):  # feedback longer than the screen: its first page
            if answered_at >= 0:
                problem = verdict_problem(t, answered_at, where)
                if problem:
                    problems.append(problem)
                answered_at = -1
            t.keys(ENTER)
        else:
            keys = answer_keys(prompt)
            assert keys is not None, f"a prompt this test does not know:\n{t.shown()}"
            banner = re.search(r"Review · \d+ of \d+ · .*", t.shown())
            where = f"review at {size}, " + (banner.group(0) if banner else "a question")
            answered_at = len(t.raw)
            t.keys(keys)
    else:
        raise AssertionError(f"the review did not end; the screen:\n{t.shown()}")
    assert t.finish() == 0
    screen = t.shown()
    said = " ".join(screen.split())
    if not ("Review done" in screen and re.search(r"You got \d+ of \d+ right\.", screen)):
        problems.append(f"review at {size}: at the end, 'Review done' and the score are not on screen:\n{screen}")
    if not NEXT_STEP.search(said) or not re.search(r"(Your next question is due|more questions? (are|is) due|are due again now)", said):
        problems.append(f"review at {size}: at the end, what comes next is not on screen:\n{screen}")
    assert rated == len(cards)  # every card due (the relearning one within the learn-ahead) was asked
    assert problems == [], _report(problems)


# -- a 20-question exam -----------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
def test_a_twenty_question_exam_shows_the_score_and_verdict_when_the_results_appear(tmp_path: Path, terminals,
                                                                                    size: str) -> None:
    home = tmp_path / "home"
    _home(home)
    rows, columns = SIZES[size]
    t = terminals(home, "exam", "--questions", "20", "--all-lessons", "--seed", "1", rows=rows, columns=columns,
                  timeout=30)
    t.prompt(r"Press Enter to start", ENTER)
    problems: list[str] = []
    for _ in range(300):
        assert t.next_prompt(after=t.prompt_start()), t.shown()
        prompt = waiting_prompt(t)
        if is_(prompt, "Submit my answers"):  # the list of questions, after the last
            assert on_screen(t, "20 of 20 answered"), t.shown()
            t.keys(re.search(r"(\d)\)Submitmyanswers", prompt).group(1), ENTER)  # type: ignore[union-attr]
            break
        if is_(prompt, "What next?"):  # after an answer: it is saved, and says so
            if not on_screen(t, "Your answer is saved"):
                problems.append(f"exam at {size}: 'Your answer is saved' is not on screen:\n{t.shown()}")
            t.keys("1", ENTER)  # the next question (after the last: the list of questions)
            continue
        keys = answer_keys(prompt)
        assert keys is not None, f"a prompt this test does not know:\n{t.shown()}"
        t.keys(keys)
    screen = t.settle(r"Press Enter to see each question")  # the score, on a screen of its own
    result = re.search(r"You got (\d+) of 20 right \(\d+%\); 20 answered\.", " ".join(screen.split()))
    verdict = re.search(r"(Worth another look: .*?\.|Every answer was right\.|The details below show each question)",
                        " ".join(screen.split()))
    if not ("Exam results (submitted)" in screen and result and verdict):
        problems.append(f"exam at {size}: the score and verdict are not on screen when the results appear:\n{screen}")
    t.keys(ENTER)
    t.settle(r"Page 1 of \d+")  # the details a page at a time
    assert on_screen(t, "q: back to your score"), t.shown()
    t.keys("q")  # straight back to the score
    assert t.finish() == 0
    end = t.shown()
    said = " ".join(end.split())
    if not (result and result.group(0) in said and verdict and verdict.group(0) in said
            and "See these results again:" in said):
        problems.append(f"exam at {size}: the score and verdict are not on screen at the end:\n{end}")
    assert problems == [], _report(problems)
