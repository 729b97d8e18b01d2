"""The prompter interface between the lesson flow and the keyboard.

`PlainPrompter` reads numbered answers line by line (non-TTY, --plain, screen readers, scripts);
`QuestionaryPrompter` uses arrow keys and space in a real terminal. Both raise KeyboardInterrupt
on Ctrl-C and EOFError at end of input, and the session turns those into saved-and-stopped exits.

Every text either one shows (messages, choices, the matching labels) comes from lessons and is
made safe first: prompt_toolkit shows a raw ESC as ^[, but passes bidi overrides through.
"""

from __future__ import annotations

import sys
from typing import Protocol

from neurotutor.cli.output import Output
from neurotutor.lessons import model as m
from neurotutor.quiz.answers import Answer, BoolAnswer, ChoiceAnswer, MatchAnswer, OrderAnswer
from neurotutor.quiz.plain_input import Unreadable, answer_format, parse_answer
from neurotutor.quiz.presentation import Presentation
from neurotutor.text import safe_text


class Prompter(Protocol):
    """What the lesson flow needs from the keyboard."""

    def ask(self, question: m.Question, shown: Presentation) -> Answer:
        """Show the options of a question and return the learner's answer."""

    def choose(self, message: str, options: list[str]) -> int:
        """Pick one entry of a menu; returns its index."""

    def confirm(self, message: str) -> bool:
        """A yes/no question (default no)."""

    def pause(self, message: str) -> None:
        """Wait for Enter."""


def _shown_options(question: m.Question, shown: Presentation) -> tuple[list[str], list[str]]:
    """(left/main list, right list) as shown on screen."""
    if isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        return [question.choices[shown.label(i)].text for i in range(len(question.choices))], []
    if isinstance(question, m.Ordering):
        return [question.items[i] for i in shown.order], []
    if isinstance(question, m.Matching):
        return [p.left for p in question.pairs], [question.pairs[i].right for i in shown.order]
    return [], []


class PlainPrompter:
    """Numbered prompts read line by line from stdin."""

    def __init__(self, out: Output) -> None:
        self.out = out

    def _read(self) -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        if not sys.stdin.isatty():  # piped answers are not echoed by a terminal: show them
            self.out.write(line.rstrip("\n") + "\n")
        return line.rstrip("\n")

    def _prompt(self, text: str) -> str:
        self.out.write(text)
        return self._read()

    def ask(self, question: m.Question, shown: Presentation) -> Answer:
        left, right = _shown_options(question, shown)
        if isinstance(question, m.Matching):
            if question.left_label or question.right_label:
                self.out.line(f"  {question.left_label or ''} / {question.right_label or ''}".rstrip())
            for i, text in enumerate(left):
                self.out.line(f"  {i + 1}. {text}")
            self.out.line("  with:")
            for i, text in enumerate(right):
                self.out.line(f"  {chr(97 + i)}. {text}")
        else:
            for i, text in enumerate(left):
                self.out.line(f"  {i + 1}. {text}")
        while True:
            text = self._prompt(f"Your answer ({answer_format(question)}): ")
            try:
                return parse_answer(question, shown, text)
            except Unreadable as exc:
                self.out.note(f"  {exc.hint} (That was not counted.)")

    def choose(self, message: str, options: list[str]) -> int:
        self.out.line(message)
        for i, text in enumerate(options):
            self.out.line(f"  {i + 1}. {text}")
        while True:
            raw = self._prompt(f"Choose 1-{len(options)}: ").strip()
            if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(options):  # '²'.isdigit() is True
                return int(raw) - 1
            self.out.note(f"  Type a number from 1 to {len(options)}.")

    def confirm(self, message: str) -> bool:
        while True:
            raw = self._prompt(f"{message} [y/N]: ").strip().lower()
            if raw in ("", "n", "no"):
                return False
            if raw in ("y", "yes"):
                return True
            self.out.note("  Type y for yes or n for no.")

    def pause(self, message: str) -> None:
        self._prompt(f"{message} ")


class QuestionaryPrompter:
    """Arrow-key prompts in a real terminal (questionary, loaded only here)."""

    def __init__(self, out: Output) -> None:
        import questionary  # ~200 ms: only interactive commands pay for it

        self.q = questionary
        self.out = out
        self.style = questionary.Style([("highlighted", "bold"), ("pointer", "bold")])

    def _choice(self, title: str, value: object) -> object:
        """A menu entry whose title is shown as safe text (questionary never parses a plain str title)."""
        return self.q.Choice(safe_text(title), value=value)

    def _ask(self, prompt: object) -> object:
        result = prompt.unsafe_ask()  # type: ignore[attr-defined]  # raises KeyboardInterrupt, unlike ask()
        if result is None:
            raise EOFError
        return result

    def _select(self, message: str, choices: list[object]) -> object:
        return self._ask(self.q.select(safe_text(message), choices=choices, style=self.style))

    def ask(self, question: m.Question, shown: Presentation) -> Answer:
        q = self.q
        left, right = _shown_options(question, shown)
        if isinstance(question, m.SingleChoice):
            value = self._select("Choose one (arrow keys, Enter):", [self._choice(t, i) for i, t in enumerate(left)])
            return ChoiceAnswer(frozenset([shown.label(int(value))]))  # type: ignore[arg-type]
        if isinstance(question, m.MultipleSelect):
            choices = [self._choice(t, i) for i, t in enumerate(left)]
            while True:
                values = self._ask(q.checkbox("Choose every right answer (Space to tick, Enter when done):",
                                              choices=choices, style=self.style))
                if values:
                    return ChoiceAnswer(frozenset(shown.label(int(v)) for v in values))  # type: ignore[union-attr]
                self.out.note("  Tick at least one answer with Space, then press Enter. (That was not counted.)")
        if isinstance(question, m.TrueFalse):
            value = self._select("True or false?", [self._choice("True", True), self._choice("False", False)])
            return BoolAnswer(bool(value))
        if isinstance(question, m.Ordering):
            remaining = list(range(len(left)))
            picked: list[int] = []
            while len(remaining) > 1:
                value = int(self._select(f"Which comes {_ordinal(len(picked) + 1)}?",  # type: ignore[arg-type]
                                         [self._choice(left[i], i) for i in remaining]))
                picked.append(value)
                remaining.remove(value)
            picked += remaining
            return OrderAnswer(tuple(shown.label(i) for i in picked))
        if isinstance(question, m.Matching):
            rights: list[int] = []
            for text in left:  # each right item once, as in plain mode
                open_ = [j for j in range(len(right)) if j not in rights]
                if len(open_) == 1:
                    rights.append(open_[0])
                    self.out.note(f"  {text} goes with: {right[open_[0]]}")  # Output makes it safe
                    continue
                rights.append(int(self._select(f"{text} goes with:",  # type: ignore[arg-type]
                                               [self._choice(right[j], j) for j in open_])))
            return MatchAnswer(tuple(shown.label(j) for j in rights))
        while True:
            text = str(self._ask(q.text("Your answer:", style=self.style)))
            try:
                return parse_answer(question, shown, text)
            except Unreadable as exc:
                self.out.note(f"  {exc.hint} (That was not counted.)")

    def choose(self, message: str, options: list[str]) -> int:
        return int(self._select(message, [self._choice(t, i) for i, t in enumerate(options)]))  # type: ignore[arg-type]

    def confirm(self, message: str) -> bool:
        return bool(self._ask(self.q.confirm(safe_text(message), default=False, style=self.style)))

    def pause(self, message: str) -> None:
        self._ask(self.q.text(safe_text(message), style=self.style))


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def make_prompter(interactive: bool, out: Output) -> Prompter:
    """Questionary in a real terminal, plain lines otherwise."""
    return QuestionaryPrompter(out) if interactive else PlainPrompter(out)
