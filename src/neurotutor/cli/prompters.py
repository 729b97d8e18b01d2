"""The prompter interface between the lesson flow and the keyboard.

`PlainPrompter` reads numbered answers line by line (non-TTY, --plain, screen readers, scripts);
`QuestionaryPrompter` uses arrow keys and space in a real terminal. Every prompt of both keeps
the same keys: q (or `q`/`quit` typed as a line) raises `Stopped`, Ctrl-C KeyboardInterrupt and
Ctrl-D (the end of input) EOFError, and the session turns those into saved-and-stopped exits;
`!` (or `!` typed as a line) shows the crisis lines on a screen of their own, waits, and comes back
to the same prompt. Where a text is typed, only a whole line `q` or `!` counts.

Every text either one shows (messages, choices, the matching labels) comes from lessons and is
made safe first: prompt_toolkit shows a raw ESC as ^[, but passes bidi overrides through.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar, cast

from neurotutor.cli.output import Output
from neurotutor.errors import Stopped
from neurotutor.lessons import model as m
from neurotutor.quiz.answers import DONT_KNOW, Answer, BoolAnswer, ChoiceAnswer, MatchAnswer, OrderAnswer
from neurotutor.quiz.plain_input import DONT_KNOW_HINT, Unreadable, answer_format, parse_answer
from neurotutor.quiz.presentation import Presentation
from neurotutor.text import safe_text

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import Application
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from questionary import Choice, Question

Move = Literal["next", "back"]
_T = TypeVar("_T")


StopRequested = Stopped  # the learner chose to stop (q): not an interruption, nothing is lost
STOP_WORDS = ("q", "quit")
HELP_KEY = "!"


class Prompter(Protocol):
    """What the lesson flow needs from the keyboard."""

    # The answer `ask` returned last when the screen no longer shows it in words (a menu is erased
    # once answered; a typed "3 1 2" names no item), so the next prompt can say it; None when it
    # is there as given (a typed short answer, the picks of an ordering or a matching, each noted).
    answer_off_screen: Answer | None

    def ask(self, question: m.Question, shown: Presentation, skippable: bool = False) -> Answer | None:
        """Show the options of a question and return the learner's answer ("I don't know" included);
        with `skippable` (exams), None when the learner skips it for now."""

    def choose(self, message: str, options: list[str], disabled: dict[int, str] | None = None,
               default: int | None = None) -> int:
        """Pick one entry of a menu; returns its index. Disabled entries keep their number but cannot be
        picked; with `default`, Enter alone picks that entry."""

    def confirm(self, message: str) -> bool:
        """A yes/no question (default no)."""

    def number(self, message: str, low: int, high: int) -> int:
        """A whole number from low to high, typed (asked again until it is one)."""

    def text(self, message: str, check: Callable[[str], str | None] | None = None, optional: bool = False,
             empty: str = "skip") -> str:
        """A line of text, stripped. Asked again while empty (unless optional: then "" is given,
        and the prompt says "Enter to `empty`") or while `check` finds something wrong with it
        (it returns what, in words)."""

    def secret(self, message: str) -> str:
        """A passphrase, not shown as it is typed (as it is, spaces kept); q stops, ! the crisis lines."""

    def pause(self, message: str) -> None:
        """Wait for Enter (at the end of input, just go on: nothing is being asked)."""

    def navigate(self, message: str, can_go_back: bool) -> Move:
        """Next or back (q stops: raises StopRequested)."""

    def page(self, lines: list[str], done: str, wait: bool = True) -> None:
        """Show lines a screen at a time (all at once when no one is at a screen); `done` says
        what the last key leads to ("back to where you were"); lines that fit on one screen are
        shown with no wait unless `wait`."""

    def help(self) -> None:
        """Show the crisis lines, emergency numbers first, then come back to where the person was."""


def _shown_options(question: m.Question, shown: Presentation) -> tuple[list[str], list[str]]:
    """(left/main list, right list) as shown on screen."""
    if isinstance(question, (m.SingleChoice, m.MultipleSelect)):
        return [question.choices[shown.label(i)].text for i in range(len(question.choices))], []
    if isinstance(question, m.Ordering):
        return [question.items[i] for i in shown.order], []
    if isinstance(question, m.Matching):
        return [p.left for p in question.pairs], [question.pairs[i].right for i in shown.order]
    return [], []


def _typed_answer(read: Callable[[], str], out: Output, question: m.Question, shown: Presentation,
                  skippable: bool) -> Answer | None:
    """An answer typed as text, read again until it can be read (saying why it could not, and
    that it was not counted); with `skippable`, an empty line skips the question (None)."""
    while True:
        text = read()
        if skippable and not text.strip():
            return None
        try:
            return parse_answer(question, shown, text)
        except Unreadable as exc:
            out.note(f"  {exc.hint} (That was not counted.)")


def _text_problem(text: str, check: Callable[[str], str | None] | None, optional: bool) -> str | None:
    """What is wrong with a line of text typed, or None."""
    if not text:
        return None if optional else "Please type something."
    return check(text) if check else None


class PlainPrompter:
    """Numbered prompts read line by line from stdin."""

    def __init__(self, out: Output) -> None:
        self.out = out
        self.answer_off_screen: Answer | None = None

    def _read(self) -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        if not sys.stdin.isatty():  # piped answers are not echoed by a terminal: show them
            self.out.write(line.rstrip("\n") + "\n")
        return line.rstrip("\n")

    def _prompt(self, text: str, again: Callable[[], None] | None = None) -> str:
        """Ask and read one line: `!` shows the crisis lines and asks again (`again` shows what
        the question needs once more: its options, the menu), `q` or `quit` stops."""
        # In a terminal, a long prompt is wrapped between words (its trailing space kept), so the
        # terminal does not break it mid-word; in a pipe it is written as it is.
        while True:
            wrapped = self.out._wrapped(text.rstrip(" "))
            self.out.write(wrapped + text[len(text.rstrip(" ")):] if wrapped != text.rstrip(" ") else text)
            line = self._read()
            word = line.strip().lower()
            if word == HELP_KEY:
                self.help()
                if again is not None:
                    again()
                continue
            if word in STOP_WORDS:
                raise Stopped
            return line

    def help(self) -> None:
        from neurotutor.cli.pager import safety_lines

        self.out.line()
        self.page(safety_lines(self.out), "back to where you were")
        self.out.line()

    def page(self, lines: list[str], done: str, wait: bool = True) -> None:
        room = max(self.out.height - 2, 5) if self.out.height and sys.stdin.isatty() else 0
        if not room or len(lines) <= room + 1:
            self.out.show_lines(lines)
            return
        start = 0
        while start < len(lines):
            self.out.show_lines(lines[start:start + room])
            start += room
            if start >= len(lines):
                return
            line = self._read_key(f"(Enter: more, q: {done}) ")
            if line in STOP_WORDS:
                return

    def _read_key(self, text: str) -> str:
        self.out.write(text)
        return self._read().strip().lower()

    def ask(self, question: m.Question, shown: Presentation, skippable: bool = False) -> Answer | None:
        left, right = _shown_options(question, shown)

        def options() -> None:
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

        options()
        skip = "; Enter alone to skip for now" if skippable else ""
        answer = _typed_answer(
            lambda: self._prompt(f"Your answer ({answer_format(question, shown)}; {DONT_KNOW_HINT}{skip}): ", options),
            self.out, question, shown, skippable)
        self.answer_off_screen = None if isinstance(question, m.ShortAnswer) else answer
        return answer

    def choose(self, message: str, options: list[str], disabled: dict[int, str] | None = None,
               default: int | None = None) -> int:
        disabled = disabled or {}

        def menu() -> None:
            self.out.line(message)
            for i, text in enumerate(options):
                self.out.line(f"  {i + 1}. {text}" + (f" ({disabled[i]})" if i in disabled else ""))

        menu()
        while True:
            enter = f" (Enter: {default + 1})" if default is not None else ""
            raw = self._prompt(f"Choose 1-{len(options)}{enter}: ", menu).strip()
            if not raw and default is not None:
                return default
            if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(options):  # '²'.isdigit() is True
                if int(raw) - 1 not in disabled:
                    return int(raw) - 1
                self.out.note(f"  {options[int(raw) - 1]} is not available: {disabled[int(raw) - 1]}.")
                continue
            self.out.note(f"  Type a number from 1 to {len(options)}.")

    def text(self, message: str, check: Callable[[str], str | None] | None = None, optional: bool = False,
             empty: str = "skip") -> str:
        while True:
            raw = self._prompt(f"{message}{f' (Enter to {empty})' if optional else ''}: ").strip()
            wrong = _text_problem(raw, check, optional)
            if wrong is None:
                return raw
            self.out.note(f"  {wrong}")

    def secret(self, message: str) -> str:
        while True:
            if sys.stdin.isatty():
                import getpass

                sys.stdout.flush()
                line = getpass.getpass(f"{message} (not shown as you type): ", stream=sys.stdout)
            else:  # piped: read, and never echoed
                self.out.write(f"{message}: ")
                raw = sys.stdin.readline()
                if not raw:
                    raise EOFError
                line = raw.rstrip("\n")
                self.out.write("\n")
            word = line.strip().lower()
            if word == HELP_KEY:
                self.help()
                continue
            if word in STOP_WORDS:
                raise Stopped
            return line

    def number(self, message: str, low: int, high: int) -> int:
        while True:
            raw = self._prompt(f"{message} ({low}-{high}): ").strip()
            if raw.isascii() and raw.isdigit() and low <= int(raw) <= high:
                return int(raw)
            self.out.note(f"  Type a number from {low} to {high}.")

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

    def navigate(self, message: str, can_go_back: bool) -> Move:
        keys = "Enter: next" + (", b: back" if can_go_back else "") + ", q: stop, !: urgent help"
        while True:
            raw = self._prompt(f"{message} ({keys}) ").strip().lower()
            if raw in ("", "n", "next"):
                return "next"
            if raw in ("b", "back") and can_go_back:
                return "back"
            if raw == "stop":
                raise StopRequested
            self.out.note(f"  {keys}.")


_DONT_KNOW = "I don't know"
_UNDO = "Undo my last pick"
_SKIP = "Skip for now (come back to it)"
_KEYS = "123456789abcdefghijklmnoprstuvwxyz"  # the number keys of a menu, in order (q stops, so it is not one)
# A question's menu: the options' keys, then keys of their own for undo, skip and "I don't know",
# which no option ever has, so a key never means something else a moment later.
_OPTION_KEYS = "123456789abcdefghijklmnoprtvwxyz"
_UNDO_KEY, _SKIP_KEY, _DONT_KNOW_KEY = "u", "s", "?"
_HELP = object()  # what a prompt returns when ! was pressed


def _option_key(index: int) -> str | bool:
    """The key of a question's option (False: none, past the last key)."""
    return _OPTION_KEYS[index] if index < len(_OPTION_KEYS) else False


class QuestionaryPrompter:
    """Arrow-key prompts in a real terminal (questionary, loaded only here).

    Menu entries are wrapped at word boundaries to the terminal's width, lined up under their
    first line; every question has an "I don't know" entry (key ?), and ordering and matching an
    undo (key u). A menu is erased once answered: questionary would echo the entry after the
    prompt, where a long one runs past the edge and is cut mid-word; the feedback (or a note) says
    what was picked.
    """

    def __init__(self, out: Output) -> None:
        import questionary  # ~200 ms: only interactive commands pay for it
        from questionary.prompts.common import InquirerControl

        if _DONT_KNOW_KEY not in InquirerControl.SHORTCUT_KEYS:  # questionary gives digits and letters only
            InquirerControl.SHORTCUT_KEYS = [*InquirerControl.SHORTCUT_KEYS, _DONT_KNOW_KEY]

        self._session: PromptSession[tuple[str, object]] | None = None

        self.q = questionary
        self.out = out
        self.style = questionary.Style([("highlighted", "bold"), ("pointer", "bold")])
        self.answer_off_screen: Answer | None = None

    def _width(self) -> int:
        import shutil

        return max(shutil.get_terminal_size((80, 24)).columns, 20)

    def _choice(self, title: str, value: int | str, indent: int = 6, disabled: str | None = None,
                key: str | bool | None = None) -> Choice:
        """A menu entry shown as safe, plain text wrapped under its first line (questionary draws a
        plain str title as it is). Before the text: the pointer (3 columns), then a number "1) "
        in a select, a circle "○ " in a checkbox, or "- " for an entry that cannot be picked."""
        import textwrap

        from neurotutor.plaintext import inline_text

        if disabled:
            indent = 5
        room = max(self._width() - indent - 1 - (len(disabled) + 3 if disabled else 0), 10)
        lines = textwrap.wrap(safe_text(inline_text(title)), room, break_long_words=False,
                              break_on_hyphens=False) or [""]
        return self.q.Choice(("\n" + " " * indent).join(lines), value=value, disabled=disabled,
                             shortcut_key=key if key is not None else True)

    def _message(self, text: str) -> str:
        """A prompt message wrapped to the width (questionary puts '? ' before it)."""
        import textwrap

        lines = textwrap.wrap(safe_text(text), max(self._width() - 5, 10), break_long_words=False,
                              break_on_hyphens=False) or [""]
        return "\n  ".join(lines)

    deadline: float | None = None  # time.monotonic() when an exam's time is up (a countdown is shown)
    on_deadline: type[BaseException] | None = None  # raised when the deadline passes at a prompt

    def _ask(self, make: Callable[[], Question], typed: bool = False) -> Any:
        """Ask the prompt `make` builds, with the keys every prompt shares: q stops, ! shows the
        crisis lines and asks again, Ctrl-D ends input. Where text is typed (`typed`), the keys
        are a whole line: `q`, `quit` or `!`, then Enter."""
        while True:
            prompt = make()
            app = prompt.application
            if not typed:
                self._shared_keys(app)
            if self.deadline is not None:
                self._with_countdown(app)
            result = prompt.unsafe_ask()  # raises KeyboardInterrupt, unlike ask()
            if result is None:
                raise EOFError
            if typed and isinstance(result, str):
                word = result.strip().lower()
                if word in STOP_WORDS:
                    raise Stopped
                if word == HELP_KEY:
                    result = _HELP
            if result is _HELP:
                self.help()
                continue
            return result

    def _shared_keys(self, app: Application[Any]) -> None:
        """q, ! and Ctrl-D on a menu or a yes/no question (added after questionary's own keys, so
        they win over a shortcut that happens to be the same letter)."""
        from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

        keys = KeyBindings()
        keys.add("q", eager=True)(lambda event: event.app.exit(exception=Stopped))
        keys.add("!", eager=True)(lambda event: event.app.exit(result=_HELP))
        keys.add("c-d", eager=True)(lambda event: event.app.exit(exception=EOFError))
        own = app.key_bindings
        app.key_bindings = merge_key_bindings([own, keys]) if own is not None else keys

    def help(self) -> None:
        """The crisis lines on the terminal's alternate screen (as a pager shows a file), so that
        leaving it shows the screen exactly as it was."""
        from neurotutor.cli.pager import safety_lines

        console = self.out.console
        console.set_alt_screen(True)
        try:
            self.out.clear()
            self.page(safety_lines(self.out), "back to where you were")
        finally:
            console.set_alt_screen(False)

    def page(self, lines: list[str], done: str, wait: bool = True) -> None:
        hint_lines = -(-len(f"Page 1 of 2. Enter: more · q: {done} · b: back") // max(self._width() - 2, 10))
        room = max(self.out.height - hint_lines - 2, 5) if self.out.height else len(lines)
        pages = [lines[i:i + room] for i in range(0, len(lines), room)] or [[]]
        if len(pages) == 1 and not wait:
            self.out.show_lines(pages[0])
            return
        page = 0
        while True:
            if len(pages) > 1:
                self.out.clear()
            self.out.show_lines(pages[page])
            last = page == len(pages) - 1
            where = f"Page {page + 1} of {len(pages)}. " if len(pages) > 1 else ""
            keys = {"enter": "next", "space": "next", "right": "next", "pagedown": "next", "q": "done", "escape": "done"}
            if page:
                keys.update({"b": "back", "left": "back", "pageup": "back"})
            hint = (f"Enter: {done}" if last else f"Enter: more · q: {done}") + (" · b: back" if page else "")
            move = self._keys(f"{where}{hint}", keys, shared=False)
            if move == "done" or (move == "next" and last):
                return
            page += 1 if move == "next" else -1

    def _with_countdown(self, app: Application[Any]) -> None:
        """A line under the prompt counting down to the deadline, redrawn every second; at the
        deadline the prompt ends with `on_deadline`."""
        import asyncio
        import time

        from prompt_toolkit.layout import HSplit, Window
        from prompt_toolkit.layout.controls import FormattedTextControl

        deadline = self.deadline
        assert deadline is not None

        def text() -> StyleAndTextTuples:
            left = max(deadline - time.monotonic(), 0)
            style = "bold fg:ansired" if left < 60 else "bold"
            return [(style, f"Time left {int(left) // 60}:{int(left) % 60:02d}")]

        layout = app.layout
        layout.container = HSplit([layout.container, Window(FormattedTextControl(text), height=1)])
        app.refresh_interval = 1
        exc = self.on_deadline or KeyboardInterrupt

        async def countdown() -> None:
            await asyncio.sleep(max(deadline - time.monotonic(), 0))
            if not app.is_done:
                app.exit(exception=exc)

        def start() -> None:
            app.create_background_task(countdown())

        app.pre_run_callables.append(start)

    def _select(self, message: str, choices: list[Choice], shortcuts: bool | None = None,
                default: int | None = None) -> int | str:
        """The value of the entry picked."""
        # Number keys for up to 35 entries (questionary has no more keys to give); j and k are
        # shortcut keys here, not arrows, so a list of 20 or more entries keeps its numbers.
        shortcuts = len(choices) <= len(_KEYS) if shortcuts is None else shortcuts
        numbered = not shortcuts and len(choices) <= 99  # numbered entries: a typed number moves to its entry
        hint = "arrow keys or number, Enter" if shortcuts or numbered else "arrow keys, Enter"

        def make() -> Question:
            prompt: Question = self.q.select(self._message(f"{message} ({hint})"), choices=choices, style=self.style,
                                             instruction=" ", use_shortcuts=shortcuts, use_jk_keys=False,
                                             erase_when_done=True,
                                             default=None if default is None else choices[default])
            if numbered:
                _typed_numbers(prompt.application, len(choices))
            return prompt

        value: int | str = self._ask(make)
        return value

    def ask(self, question: m.Question, shown: Presentation, skippable: bool = False) -> Answer | None:
        answer = self._answer(question, shown, skippable)
        noted = isinstance(question, (m.Ordering, m.Matching, m.ShortAnswer))  # each pick noted; typed text
        self.answer_off_screen = None if noted else answer
        return answer

    def _answer(self, question: m.Question, shown: Presentation, skippable: bool) -> Answer | None:
        left, right = _shown_options(question, shown)
        extra = [self._choice(_SKIP, _SKIP, key=_SKIP_KEY)] if skippable else []
        dont_know = self._choice(_DONT_KNOW, _DONT_KNOW, key=_DONT_KNOW_KEY)
        if isinstance(question, m.SingleChoice):
            value = self._select("Choose one:", [self._choice(t, i, key=_option_key(i)) for i, t in enumerate(left)]
                                 + extra + [dont_know])
            if value == _SKIP:
                return None
            return DONT_KNOW if value == _DONT_KNOW else ChoiceAnswer(frozenset([shown.label(int(value))]))
        if isinstance(question, m.MultipleSelect):
            choices = [self._choice(t, i, indent=5) for i, t in enumerate(left)]  # under the circle's text
            choices.append(self._choice(_DONT_KNOW, _DONT_KNOW, indent=5))
            skip = "; Enter with none ticked: skip for now" if skippable else ""
            while True:
                values: list[int | str] = self._ask(lambda: self.q.checkbox(
                    self._message(f"Choose every right answer (Space to tick, Enter when done{skip}):"),
                    choices=choices, style=self.style, instruction=" ", erase_when_done=True))
                if skippable and not values:
                    return None
                if values == [_DONT_KNOW]:
                    return DONT_KNOW
                if values and _DONT_KNOW not in values:
                    return ChoiceAnswer(frozenset(shown.label(int(v)) for v in values))
                self.out.note("  Tick at least one answer with Space (or only \"I don't know\"), then press Enter. "
                              "(That was not counted.)")
        if isinstance(question, m.TrueFalse):
            value = self._select("True or false?", [self._choice("True", True, key="1"),
                                                    self._choice("False", False, key="2")] + extra + [dont_know])
            if value == _SKIP:
                return None
            return DONT_KNOW if value == _DONT_KNOW else BoolAnswer(bool(value))
        if isinstance(question, m.Ordering):
            picked = self._pick_in_turn([f"Which comes {_ordinal(k + 1)}?" if k < len(left) - 1 else "Which comes last?"
                                         for k in range(len(left))], left, skippable)
            if isinstance(picked, str):  # _SKIP
                return None
            return DONT_KNOW if picked is None else OrderAnswer(tuple(shown.label(i) for i in picked))
        if isinstance(question, m.Matching):
            rights = self._pick_in_turn([f"Match \u201c{text}\u201d with:" for text in left], right, skippable,
                                        reuse=True)
            if isinstance(rights, str):  # _SKIP
                return None
            return DONT_KNOW if rights is None else MatchAnswer(tuple(shown.label(j) for j in rights))
        skip = "; Enter alone to skip for now" if skippable else ""
        message = self._message(f"Your answer ({DONT_KNOW_HINT}{skip}):")
        return _typed_answer(lambda: str(self._ask(lambda: self.q.text(message, style=self.style), typed=True)),
                             self.out, question, shown, skippable)

    def _pick_in_turn(self, messages: list[str], options: list[str], skippable: bool = False,
                      reuse: bool = False) -> list[int] | str | None:
        """Pick one option per message, with undo; None for "I don't know" (and _SKIP for "Skip
        for now", when skippable).

        Every option keeps its number at every pick, and undo (u), skip (s) and "I don't know" (?)
        keep keys of their own, so a key never means something else a moment later. In an
        ordering an option placed leaves the menu; with `reuse` (matching) every option stays to
        the end and can be picked again, as Moodle's drop-downs offer every answer for every item,
        so the last pair is not given away. "I don't know" after a pick asks first, since it throws
        the picks away. The last pick is asked too (with undo), never filled in silently.
        """
        picked: list[int] = []
        while len(picked) < len(messages):
            choices = [self._choice(options[j], j, key=_option_key(j)) for j in range(len(options))
                       if reuse or j not in picked]
            if picked:
                choices.append(self._choice(_UNDO, _UNDO, key=_UNDO_KEY))
            if skippable:
                choices.append(self._choice(_SKIP, _SKIP, key=_SKIP_KEY))
            choices.append(self._choice(_DONT_KNOW, _DONT_KNOW, key=_DONT_KNOW_KEY))
            value = self._select(messages[len(picked)], choices)
            if value == _SKIP:
                return _SKIP
            if value == _DONT_KNOW:
                if picked and not self._give_up(len(picked)):
                    continue  # the menu comes back as it was
                return None
            if value == _UNDO:
                undone = picked.pop()
                self.out.note(f"  Undone: {options[undone]}")
                continue
            picked.append(int(value))
            self.out.note(f"  {messages[len(picked) - 1]} {options[int(value)]}")
        return picked

    def _give_up(self, picks: int) -> bool:
        """Whether the learner, with picks made, still means "I don't know" (erased once answered:
        the menu comes back as it was, or the feedback follows)."""
        made = f"your {picks} pick{'s' if picks != 1 else ''} so far"
        message = self._message(f"Give up this question as not known? That throws away {made}.")
        return bool(self._ask(lambda: self.q.confirm(message, default=False, style=self.style, erase_when_done=True)))

    def choose(self, message: str, options: list[str], disabled: dict[int, str] | None = None,
               default: int | None = None) -> int:
        disabled = disabled or {}
        if len(options) > 9:  # numbered as in --plain (10, 11, ... not a), b), ...), picked with the arrows
            return int(self._select(message, [self._choice(f"{i + 1}. {t}", i, disabled=disabled.get(i))
                                              for i, t in enumerate(options)], shortcuts=False))
        # fixed keys: an entry that cannot be picked keeps its number
        return int(self._select(message, [self._choice(t, i, disabled=disabled.get(i), key=_KEYS[i])
                                          for i, t in enumerate(options)], default=default))

    def confirm(self, message: str) -> bool:
        return bool(self._ask(lambda: self.q.confirm(self._message(message), default=False, style=self.style)))

    def text(self, message: str, check: Callable[[str], str | None] | None = None, optional: bool = False,
             empty: str = "skip") -> str:
        room = max(self.out.width - 2, 20)  # prompt_toolkit shows a problem on one line at the bottom, cut there

        def valid(text: str) -> bool | str:
            if text.strip().lower() in (*STOP_WORDS, HELP_KEY):
                return True
            problem = _text_problem(text.strip(), check, optional)
            if problem is not None and len(problem) > room:
                return True  # too long for that line: said in full, wrapped, and asked again (below)
            return problem or True

        while True:
            answer = str(self._ask(lambda: self.q.text(
                self._message(message + (f" (Enter to {empty})" if optional else "")), validate=valid,
                validate_while_typing=False, style=self.style), typed=True)).strip()
            problem = None if answer.lower() in (*STOP_WORDS, HELP_KEY) else _text_problem(answer, check, optional)
            if problem is None:
                return answer
            self.out.note(f"  {problem}")

    def secret(self, message: str) -> str:
        return str(self._ask(lambda: self.q.password(self._message(message), style=self.style), typed=True))

    def number(self, message: str, low: int, high: int) -> int:
        def valid(text: str) -> bool | str:
            text = text.strip()
            if text.lower() in (*STOP_WORDS, HELP_KEY):
                return True
            return (text.isascii() and text.isdigit() and low <= int(text) <= high) or f"Type a number from {low} to {high}."

        return int(str(self._ask(lambda: self.q.text(self._message(f"{message} ({low}-{high}, Enter)"), validate=valid,
                                                     validate_while_typing=False, style=self.style),
                                 typed=True)).strip())

    def pause(self, message: str) -> None:
        self._keys(message, {"enter": None, "space": None})

    def navigate(self, message: str, can_go_back: bool) -> Move:
        keys: dict[str, Move] = {"enter": "next", "space": "next", "right": "next", "pagedown": "next", "n": "next"}
        if can_go_back:
            keys.update({"b": "back", "left": "back", "pageup": "back", "p": "back"})
        hint = "Enter or →: next" + (" · b or ←: back" if can_go_back else "") + " · q: stop"
        return self._keys(f"{message}  {hint}", keys)

    def _keys(self, message: str, keys: dict[str, _T], shared: bool = True) -> _T:
        """Wait for one of the keys (no Enter needed); Ctrl-C raises KeyboardInterrupt, Ctrl-D
        EOFError, and (`shared`, as at every prompt) q stops and ! shows the crisis lines."""
        import textwrap

        from prompt_toolkit import PromptSession
        from prompt_toolkit.key_binding import KeyBindings
        from prompt_toolkit.keys import Keys

        bindings = KeyBindings()
        bindings.add(Keys.Any)(lambda event: None)  # any other key does nothing
        if shared:
            bindings.add("q")(lambda event: event.app.exit(exception=Stopped))
            bindings.add("!")(lambda event: event.app.exit(result=("key", _HELP)))
        for key, value in keys.items():
            bindings.add(key)(lambda event, v=value: event.app.exit(result=("key", v)))
        bindings.add("c-c")(lambda event: event.app.exit(exception=KeyboardInterrupt))
        bindings.add("c-d")(lambda event: event.app.exit(exception=EOFError))
        if shared:
            message = f"{message} · !: urgent help" if " · q: stop" in message else message
        lines = textwrap.wrap(safe_text(message), max(self._width() - 2, 10), break_long_words=False,
                              break_on_hyphens=False) or [""]
        if self._session is None:  # one session for every key prompt: making one costs about 40 ms
            # erased when a key is pressed: after the crisis lines it is drawn again in the same place
            self._session = PromptSession(erase_when_done=True)
        while True:
            result = self._session.prompt([("bold", "\n".join(lines) + " ")], key_bindings=bindings)[1]
            if result is not _HELP:
                return cast(_T, result)  # the app exits only with ("key", one of the values of `keys`) or _HELP
            self.help()


def _typed_numbers(app: Application[Any], count: int) -> None:
    """In a menu numbered 1 to `count` without shortcut keys, typing a number (one or two digits,
    the second within a second and a half) moves the pointer to that entry; Enter picks it."""
    import time

    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
    from questionary.prompts.common import InquirerControl

    control = next((w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)), None)
    if control is None:
        return
    typed: list[Any] = ["", 0.0]  # the digits typed so far, and when the last one was
    keys = KeyBindings()

    def digit(event: Any) -> None:
        now = time.monotonic()
        digits = (typed[0] if now - typed[1] < 1.5 else "") + event.data
        if not 1 <= int(digits) <= count:
            digits = event.data
        typed[0], typed[1] = digits, now
        target = int(digits) - 1
        if 0 <= target < count and not control.choices[target].disabled:
            control.pointed_at = target

    for d in "0123456789":
        keys.add(d)(digit)
    own = app.key_bindings
    app.key_bindings = merge_key_bindings([own, keys]) if own is not None else keys


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def make_prompter(interactive: bool, out: Output) -> Prompter:
    """Questionary in a real terminal, plain lines otherwise."""
    return QuestionaryPrompter(out) if interactive else PlainPrompter(out)
