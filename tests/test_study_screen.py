"""The terminal driver in-process: a scripted prompter and plain output, asserting exact text."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from neurotutor.cli.output import Output
from neurotutor.cli.prompters import StopRequested
from neurotutor.cli.session import Session
from neurotutor.cli.settings import Settings
from neurotutor.cli.study_screen import TerminalScreen, take_lesson
from neurotutor.errors import Interrupted, Stopped
from neurotutor.lessons.catalogue import Catalogue
from neurotutor.lessons.loader import load_lesson_file
from neurotutor.progress.store import ProgressStore
from neurotutor.quiz.answers import DONT_KNOW, ChoiceAnswer, MatchAnswer, OrderAnswer, TextAnswer
from neurotutor.quiz.grading import grade
from neurotutor.study import items

DATA = Path(__file__).parent / "data"
LOADED = load_lesson_file(DATA / "lessons-ok" / "test-mini.yaml")[0]
LESSON = LOADED.lesson  # type: ignore[union-attr]
Q = {q.id: q for q in LESSON.questions}


class ScriptedPrompter:
    """Answers from a script; every call is recorded as (method, message)."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[str, str]] = []
        self.answer_off_screen: Any = None

    def _next(self, kind: str, message: str) -> Any:
        self.calls.append((kind, message))
        if not self.replies:
            raise EOFError
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    def ask(self, question: Any, shown: Any) -> Any:
        self.answer_off_screen = self._next("ask", question.id)
        return self.answer_off_screen

    def choose(self, message: str, options: list[str], disabled: Any = None) -> int:
        return self._next("choose", message)  # type: ignore[no-any-return]

    def confirm(self, message: str) -> bool:
        return self._next("confirm", message)  # type: ignore[no-any-return]

    def pause(self, message: str) -> None:
        self.calls.append(("pause", message))

    def navigate(self, message: str, can_go_back: bool) -> Any:
        return self._next("navigate", message)


def screen(*replies: Any, profile: str = "default") -> tuple[TerminalScreen, io.StringIO, ScriptedPrompter]:
    shown = io.StringIO()
    prompter = ScriptedPrompter(*replies)
    return TerminalScreen(Output(False, file=shown, width=0), prompter, Settings(profile=profile)), shown, prompter


def item(qid: str) -> items.QuestionItem:
    number = [q.id for q in LESSON.questions].index(qid) + 1
    return items.QuestionItem("test-mini", Q[qid], number, 6, items.shuffle(Q[qid], 1, "pass-1"), "lesson", 1)


def test_a_matching_says_each_wrong_pair_once_with_its_right_partner() -> None:
    s, shown, prompter = screen()
    s.feedback(item("tm-matching"), grade(Q["tm-matching"], MatchAnswer((0, 2, 1))))
    assert shown.getvalue() == (
        "\nNot quite. 1 of 3 pairs right. You missed:\n"
        "  - Dog: Woof\n  - Cow: Moo\n"
        "Cats meow, dogs woof, cows moo.\n\n")
    assert prompter.calls == [("pause", "Press Enter for the next question.")]
    s, shown, _ = screen()
    s.feedback(item("tm-matching"), grade(Q["tm-matching"], MatchAnswer((1, 1, 1))))  # a sound used three times
    assert "0 of 3 pairs right" not in shown.getvalue()
    assert "\nNot quite. 1 of 3 pairs right. You missed:\n  - Cat: Meow\n  - Cow: Moo\n" in shown.getvalue()


def test_a_multiple_select_names_what_was_missed_and_wrongly_ticked_in_menu_order() -> None:
    s, shown, _ = screen()
    multiple = item("tm-multiple")  # Two (right), Three, Four (right), shown in a shuffled order
    order = [Q["tm-multiple"].choices[i].text for i in multiple.shown.order]
    s.feedback(multiple, grade(Q["tm-multiple"], ChoiceAnswer(frozenset({1}))))  # Three alone
    right = "; ".join(t for t in order if t != "Three")
    assert shown.getvalue() == (f"\nNot quite.\nRight, but not ticked: {right}\nTicked, but wrong: Three\n"
                                f"The right answer: {right}\nTwo and four are even.\n\n")
    s, shown, _ = screen()
    s.feedback(multiple, grade(Q["tm-multiple"], ChoiceAnswer(frozenset({0}))))  # Two alone: Four missed
    assert "\nNot quite.\nRight, but not ticked: Four\nThe right answer: " in shown.getvalue()
    assert "Ticked, but wrong" not in shown.getvalue()


def test_the_confidence_question_shows_the_answer_and_the_feedback_does_not_repeat_it() -> None:
    s, shown, prompter = screen(ChoiceAnswer(frozenset({1})), 0)
    single = item("tm-single")
    s.ask(single)
    shown.truncate(0)
    shown.seek(0)
    confidence = s.confidence(single)
    s.feedback(single, grade(Q["tm-single"], ChoiceAnswer(frozenset({1}))), confidence)
    text = shown.getvalue()
    assert text.endswith("Your answer: Beta\n\nNot quite.\nThe right answer: Alpha\n"
                         "You said a guess: +0 points.\nBeta is a common mix-up.\n"
                         "Alpha is right because the test says so.\n\n")
    assert prompter.calls[1] == ("choose", "How sure are you of that answer?")
    s, shown, _ = screen()  # no confidence asked: the feedback says what was answered
    s.feedback(single, grade(Q["tm-single"], ChoiceAnswer(frozenset({1}))))
    assert "\nNot quite.\nYou answered: Beta\nThe right answer: Alpha\n" in shown.getvalue()


def test_an_ordering_lists_the_right_order_once_with_where_the_misplaced_went() -> None:
    s, shown, prompter = screen()
    s.feedback(item("tm-ordering"), grade(Q["tm-ordering"], OrderAnswer((1, 0, 2))))
    assert shown.getvalue() == ("\nNot quite. 2 of 3 in the right order, which is:\n"
                                "  - 1. One (you put it 2nd)\n  - 2. Two\n  - 3. Three\nOne, two, three.\n\n")
    s.feedback(item("tm-short"), grade(Q["tm-short"], TextAnswer("Donald Heb")))
    assert "\nRight.\nAccepted; check the spelling: Donald Hebb\n" in shown.getvalue()
    assert prompter.calls[-1] == ("pause", "Press Enter to see how you did.")


def test_i_dont_know_shows_the_answer_kindly() -> None:
    s, shown, _ = screen()
    s.feedback(item("tm-truefalse"), grade(Q["tm-truefalse"], DONT_KNOW))
    assert shown.getvalue() == ("\nNot known yet, and that is fine: here is the answer.\nThe right answer: False\n"
                                "Extinction is new learning (Bouton 2004).\n\n")


def test_prerequisites_name_the_lesson_and_the_command_in_the_profile() -> None:
    s, shown, prompter = screen(1, profile="sam")
    assert s.prerequisites(LESSON, [("basics", "The basics")]) is False
    assert shown.getvalue() == ("\nA small test lesson.\nThis lesson builds on a lesson you have not finished yet:\n"
                                "  - The basics (basics)\nYou can take it first with:\n"
                                "  neurotutor --profile sam learn basics\n")
    assert prompter.calls == [("choose", "Go on with this lesson anyway?")]


def test_the_content_note_can_show_help_and_then_go_on() -> None:
    s, shown, prompter = screen(2, 0)
    assert s.content_note(LESSON) is True
    text = shown.getvalue()
    assert "If you need urgent help, run:\n  neurotutor safety\n" in text
    assert "116 123" in text  # the crisis lines, on request
    assert [c[0] for c in prompter.calls] == ["choose", "pause", "choose"]


def run_take(tmp_path: Path, *replies: Any, settings: Settings = Settings()) -> tuple[str, ScriptedPrompter]:
    shown = io.StringIO()
    out = Output(False, file=shown, width=0)
    prompter = ScriptedPrompter(*replies)
    store = ProgressStore(tmp_path / "progress.json")
    session = Session.made_of(settings, catalogue=Catalogue([], []), store=store, out=out, prompter=prompter)
    try:
        take_lesson(session, LOADED)
    except Stopped as stop:  # q: said on the screen, status 0
        assert stop.said and stop.exit_code == 0
    return shown.getvalue(), prompter


def test_q_stops_with_the_command_that_continues_in_this_profile(tmp_path: Path) -> None:
    settings = Settings(profile="sam", lessons_dirs=(DATA / "lessons-ok",))
    text, prompter = run_take(tmp_path, "next", StopRequested(), settings=settings)
    assert text.endswith(f"\nStopped at section 2 of 2. Your place and every answer so far are saved. To continue "
                         f"where you left off, run:\n  neurotutor --profile sam --lessons-dir {DATA / 'lessons-ok'} "
                         "learn test-mini\n")
    assert prompter.calls == [("navigate", "Section 1 of 2"), ("navigate", "Section 2 of 2 (next: the quiz)")]


def test_ctrl_c_is_an_interruption_with_the_same_hint(tmp_path: Path) -> None:
    with pytest.raises(Interrupted) as stopped:
        run_take(tmp_path, KeyboardInterrupt())
    assert stopped.value.message == ("\nStopped at section 1 of 2. Your place and every answer so far are saved. "
                                     "To continue where you left off, run:\n  neurotutor learn test-mini")


def test_the_interactive_flow_loads_no_spelling_library_until_a_short_answer_is_wrong() -> None:
    import subprocess

    code = ("import sys\nimport neurotutor.cli.study_screen, neurotutor.cli.prompters\n"
            "print(sorted(m for m in ('rapidfuzz', 'hashlib', 'markdown_it') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]"
