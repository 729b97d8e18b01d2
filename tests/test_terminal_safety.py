"""Nothing from a lesson, a file name or a progress file can drive the terminal; main owns every exit.

The validator refuses control characters in lesson files, so lessons holding them are built
in-process here (as a lesson from elsewhere, or a tampered cache, would reach the screen);
file names and progress files reach the screen without the validator, so they are tested through
the real command in plain mode and on a real pseudo-terminal. Markup payloads (`[/]`, `[link=...]`)
are valid lesson text and live in tests/data/lessons-markup.

On a pty the tutor legitimately writes its own escape sequences (rich's styles, prompt_toolkit's
drawing), so those tests look for the payloads themselves: no OSC at all (window titles, OSC 8
hyperlinks), no C1 CSI, no bidi override, and the payload texts shown in their inert spelling.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from neurotutor.cli.output import Output
from neurotutor.cli.prompters import PlainPrompter, QuestionaryPrompter
from neurotutor.lessons import model as m
from neurotutor.lessons.loader import LoadedLesson
from neurotutor.quiz.presentation import Presentation
from neurotutor.text import safe_json, safe_text

from flows import RIGHT, lesson_input, run_main, seed_profile
from payloads import CONTROL, DRIVES_TERMINAL, SGR, SHOWN
from terminal import as_from_a_shell

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
MARKUP_DIR = DATA / "lessons-markup"
CLEAR_SCREEN = "\x1b[2J\x1b[H"



def inert(written: str, allow: str = "") -> str:
    """Output without rich's own SGR styles; fails if anything else in it could drive a terminal."""
    assert "\x1b]" not in written, f"an OSC sequence (title, hyperlink) was written: {written!r}"
    text = SGR.sub("", written)
    for ch in allow:
        text = text.replace(ch, "")
    found = DRIVES_TERMINAL.search(text)
    assert found is None, f"{found.group()!r} was written: {text!r}"
    return text


def no_payload_sequences(written: str) -> None:
    """For output that also holds prompt_toolkit's drawing: none of the payloads' own sequences."""
    assert "\x1b]" not in written, "an OSC sequence (title, hyperlink) was written"
    written = written.replace(CLEAR_SCREEN, "")  # the tutor's own new screen (rich's Console.clear)
    for raw in ("\x1b[2J", "\x07", "\x9b", "\udc9b", "\u202e"):
        assert raw not in written, f"{raw!r} was written"


# -- the one function: neurotutor.text.safe_text -------------------------------------------------

ORDINARY = st.text(st.characters(exclude_categories=("Cc", "Cs"),  # C0, DEL, C1; surrogates
                                 exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
                   | st.sampled_from("\t\n→éø日🧠\u200f"))


@given(st.text())
def test_safe_text_never_lets_a_control_character_through(text: str) -> None:
    assert DRIVES_TERMINAL.search(safe_text(text)) is None


@given(ORDINARY)
def test_safe_text_leaves_ordinary_text_alone(text: str) -> None:
    assert safe_text(text) == text


def test_safe_text_spells_each_control_visibly() -> None:
    for name, payload in CONTROL.items():
        assert safe_text(payload) == SHOWN[name]
    assert safe_text("Hebb → LTP, Lømo, 日本語 🧠\tand\nmore") == "Hebb → LTP, Lømo, 日本語 🧠\tand\nmore"
    assert safe_text("a\r\nb\rc") == "a\nb\\x0dc"  # a lone CR would let text overwrite its line
    assert safe_text("\u2066x\u2069 \u202ax\u202c") == "\\u2066x\\u2069 \\u202ax\\u202c"
    assert safe_text("\u200f\u200e\u061c") == "\u200f\u200e\u061c"  # direction marks reorder nothing
    assert safe_text(os.fsdecode(b"raw\x9b.yaml")) == "raw\\x9b.yaml"  # a file name byte that is not UTF-8


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                    max_leaves=12))
def test_safe_json_keeps_meaning_and_drops_controls(data: object) -> None:
    for document in (msgspec.json.encode(data).decode(), json.dumps(data, ensure_ascii=False, indent=2)):
        shown = safe_json(document)
        assert DRIVES_TERMINAL.search(shown.replace("\n", "")) is None
        assert json.loads(shown) == data


# -- a whole lesson holding each payload, shown in-process in plain and rich mode -------------------

TEXT_FIELDS = {"title", "summary", "body", "deeper", "prompt", "explanation", "feedback", "text", "authors",
               "source", "left", "right", "left_label", "right_label"}
LIST_FIELDS = {"key_points", "items", "accepted"}
ANY_ANSWERS = "1\n\n\n\n" + "1\n\n1\n\nt\n\n1 2 3\n\n1a 2b 3c\n\nHebb\n\n"  # note, 2 sections, references, answers


def poisoned(value: object, payload: str) -> object:
    """test-mini's data with the payload added to every text a learner sees."""
    if isinstance(value, dict):
        return {k: (v.rstrip("\n") + payload if k in TEXT_FIELDS and isinstance(v, str)
                    else [x + payload for x in v] if k in LIST_FIELDS else poisoned(v, payload))
                for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(v, payload) for v in value]
    return value


def payload_lesson(payload: str) -> LoadedLesson:
    """A lesson the validator would refuse, as it would arrive from anywhere but a checked file."""
    data = poisoned(yaml.safe_load((DATA / "lessons-ok" / "test-mini.yaml").read_text(encoding="utf-8")), payload)
    data["content_note"] = "Note" + payload  # type: ignore[index]
    return LoadedLesson(msgspec.convert(data, m.Lesson, strict=True), Path("test-mini.yaml"))


def take_lesson(out: Output, payload: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from neurotutor.cli.settings import Settings
    from neurotutor.cli.study_screen import take_lesson as take
    from neurotutor.lessons.catalogue import Catalogue
    from neurotutor.progress.store import ProgressStore

    monkeypatch.setattr(sys, "stdin", io.StringIO(ANY_ANSWERS))
    store = ProgressStore(tmp_path / "progress.json")
    from neurotutor.cli.session import Session

    session = Session.made_of(Settings(), catalogue=Catalogue([], []), store=store, out=out, prompter=PlainPrompter(out))
    take(session, payload_lesson(payload), deeper=True)


@pytest.mark.parametrize("name", CONTROL)
def test_lesson_with_control_characters_in_plain_mode(name: str, tmp_path: Path, monkeypatch) -> None:
    out, err = io.StringIO(), io.StringIO()
    take_lesson(Output(decorated=False, file=out, err_file=err), CONTROL[name], tmp_path, monkeypatch)
    text = inert(out.getvalue())
    shown = SHOWN[name]
    for expected in [f"A small test lesson{shown}\n", f"Note{shown}\n",
                     f"\nFirst screen{shown}.\n", f"Practice changes connections.{shown}",
                     f"- Practice changes connections.{shown}", f"Deeper text for trainees.{shown}",
                     f"  - Bliss TVP, Lømo T{shown} (1973).", f". Alpha{shown}\n", f". Moo{shown}\n",
                     f"Alpha is right because the test says so.{shown}", "You got "]:
        assert expected in text
    assert inert(err.getvalue()) == ""


@pytest.mark.parametrize("name", CONTROL)
def test_lesson_with_control_characters_in_rich_mode(name: str, tmp_path: Path, monkeypatch) -> None:
    from rich.console import Console

    out, err = io.StringIO(), io.StringIO()
    console = Console(file=out, force_terminal=True, color_system="truecolor", width=200, highlight=False)
    take_lesson(Output(decorated=True, console=console, err_console=Console(file=err, force_terminal=True)),
                CONTROL[name], tmp_path, monkeypatch)
    text = inert(out.getvalue().replace(CLEAR_SCREEN, ""))  # clearing the screen is the tutor's own
    shown = SHOWN[name]
    for expected in [f"A small test lesson{shown}\n", f"Note{shown}\n", f"First screen{shown} ─",
                     f"Practice changes connections.{shown}", f"Deeper text for trainees.{shown}",
                     f". Alpha{shown}\n", f"Alpha is right because the test says so.{shown}", "You got "]:
        assert expected in text
    assert "\x1b[1m" in out.getvalue()  # styled: this really was the decorated output


# -- prompters ----------------------------------------------------------------------------------


class _Asked:
    def __init__(self, answer: object) -> None:
        import types

        self.answer = answer
        self.application = types.SimpleNamespace(key_bindings=None)  # where the prompter adds q, ! and Ctrl-D

    def unsafe_ask(self) -> object:
        return self.answer


class FakeQuestionary:
    """Stands in for questionary; keeps every text the prompter gave it to draw."""

    def __init__(self) -> None:
        import questionary

        self.Choice = questionary.Choice
        self.drawn: list[str] = []

    def select(self, message: str, choices: list, style: object, **kwargs: object) -> _Asked:
        self.drawn += [message, *(c.title for c in choices)]
        return _Asked(choices[0].value)

    def checkbox(self, message: str, choices: list, style: object, **kwargs: object) -> _Asked:
        self.drawn += [message, *(c.title for c in choices)]
        return _Asked([choices[0].value])

    def text(self, message: str, style: object, **kwargs: object) -> _Asked:
        self.drawn.append(message)
        return _Asked("Hebb")

    def confirm(self, message: str, default: bool, style: object) -> _Asked:
        self.drawn.append(message)
        return _Asked(False)


def shown_for(question: m.Question) -> Presentation:
    n = len(getattr(question, "choices", ()) or getattr(question, "items", ()) or getattr(question, "pairs", ()))
    return Presentation(tuple(range(n))) if n else Presentation()


@pytest.mark.parametrize("name", CONTROL)
def test_questionary_prompter_draws_only_safe_text(name: str) -> None:
    from rich.console import Console

    out = io.StringIO()  # arrow-key prompts come with a decorated screen (which keeps its curly quotes)
    prompter = QuestionaryPrompter(Output(decorated=True, console=Console(file=out, width=200, color_system=None)))
    fake = FakeQuestionary()
    prompter.q = fake
    payload = CONTROL[name]
    for question in payload_lesson(payload).lesson.questions:
        prompter.ask(question, shown_for(question))
    prompter.choose("Which lesson?" + payload, ["A lesson" + payload, "Back"])
    prompter.confirm("Forget" + payload + "?")
    assert [t for t in fake.drawn if DRIVES_TERMINAL.search(t)] == []
    shown = SHOWN[name]
    for expected in [f"Alpha{shown}", f"Three{shown}", f"Match \u201cCat{shown}\u201d with: (arrow keys or number, Enter)",
                     f"Meow{shown}", f"Match \u201cCow{shown}\u201d with: (arrow keys or number, Enter)",
                     f"Which lesson?{shown} (arrow keys or number, Enter)",
                     f"A lesson{shown}", f"Forget{shown}?"]:
        assert expected in fake.drawn
    picks = inert(out.getvalue()).splitlines()  # every pick is said, the last pair too (never filled in silently)
    # the fake picks the first entry each time, and every answer stays on offer until the end (as in Moodle)
    assert picks[-3:] == [f"  Match \u201cCat{shown}\u201d with: Meow{shown}",
                          f"  Match \u201cDog{shown}\u201d with: Meow{shown}", f"  Match \u201cCow{shown}\u201d with: Meow{shown}"]


@pytest.mark.parametrize("name", CONTROL)
def test_plain_prompter_shows_only_safe_text(name: str, monkeypatch) -> None:
    out = io.StringIO()
    payload, shown = CONTROL[name], SHOWN[name]
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n" + payload + "\ny\n"))
    prompter = PlainPrompter(Output(decorated=False, file=out))
    assert prompter.choose("Pick" + payload, ["One" + payload, "Two"]) == 1
    assert prompter.confirm("Sure" + payload) is True  # the first line, the payload itself, is asked again
    assert out.getvalue() == (f"Pick{shown}\n  1. One{shown}\n  2. Two\nChoose 1-2: 2\n"
                              f"Sure{shown} [y/N]: {shown}\n  Type y for yes or n for no.\nSure{shown} [y/N]: y\n")


# -- through the real command: plain mode -----------------------------------------------------------


MARKUP_TITLES = ["Close [/] tag", "[link=file:///etc/passwd]x[/link] link"]
# Payloads as file names: a name cannot hold '/', so the OSC 8 link here has no slashes.
FILE_NAMES = {
    "osc-title": ("t\x1b]0;PWNED\x07.yaml", "t\\x1b]0;PWNED\\x07.yaml"),
    "csi-clear": ("c\x1b[2J.yaml", "c\\x1b[2J.yaml"),
    "osc8-link": ("o\x1b]8;;evil\x1b\\x\x1b]8;;\x1b\\.yaml", "o\\x1b]8;;evil\\x1b\\x\\x1b]8;;\\x1b\\.yaml"),
    "c1-csi": ("u\x9b31m.yaml", "u\\x9b31m.yaml"),
    "bidi-override": ("b\u202elmy.yaml", "b\\u202elmy.yaml"),
    "raw-byte": (os.fsdecode(b"r\x9b31m.yaml"), "r\\x9b31m.yaml"),  # not UTF-8: Python holds it as U+DC9B
}


def run_bytes(*args: str, input: bytes = b"") -> tuple[int, str, str]:
    """Run the CLI (in process); returns (code, stdout, stderr) decoded so that a stray raw byte shows up as U+DCxx."""
    code, out, err = run_main(list(args), input)
    return code, out.decode("utf-8", "surrogateescape"), err.decode("utf-8", "surrogateescape")


@pytest.fixture
def evil_names(tmp_path: Path) -> Path:
    """A lessons folder whose broken files have names holding each payload."""
    folder = tmp_path / "evil"
    folder.mkdir()
    for name, _ in FILE_NAMES.values():
        (folder / name).write_text("id: [\n", encoding="utf-8")
    return folder


def test_file_names_in_plain_mode(evil_names: Path) -> None:
    code, out, err = run_bytes("--lessons-dir", str(evil_names), "--plain", "lessons")
    assert code == 0
    inert(out)
    lines = inert(err).splitlines()
    assert lines[0] == "Some lessons could not be loaded (6 files or folders); the others work as usual:"
    shown = sorted(f"  {evil_names}/{shown}:1:5:" for _, shown in FILE_NAMES.values())
    assert sorted(line.split(" line 1:")[0] for line in lines[1:-1]) == shown


def test_file_names_in_validate(evil_names: Path) -> None:
    code, out, err = run_bytes("validate", str(evil_names))
    assert code == 2
    inert(out + err)
    for _, shown in FILE_NAMES.values():
        assert f"{evil_names}/{shown}:1:5: " in err


def test_markup_titles_in_plain_mode(run_cli) -> None:
    result = run_cli("--lessons-dir", str(MARKUP_DIR), "--plain", "lessons")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[-1]: line for line in result.stdout.splitlines() if line.rstrip().split()[-1:] and
            line.split()[-1].startswith("markup-")}
    assert MARKUP_TITLES[0] in rows["markup-close"] and MARKUP_TITLES[1] in rows["markup-link"]
    learn = run_cli("--lessons-dir", str(MARKUP_DIR), "--plain", "learn", "markup-close", input="\n\n1\n\n")
    assert learn.returncode == 0, learn.stderr
    assert "\nClose [/] tag\n" in learn.stdout and "\nScreen [/] one.\n" in learn.stdout
    assert "\n- Point [/] kept" in learn.stdout
    # a file: link is not a link to Markdown (left as typed); a web link reads "text (address)"
    assert "A Markdown link [x](file:///etc/passwd) and one to a web page (http://evil.example/)." in learn.stdout
    assert "  1. Close [/] first" in learn.stdout or "  2. Close [/] first" in learn.stdout
    inert(learn.stdout + learn.stderr)


def write_history(home: Path, strings: dict[str, str]) -> list[dict]:
    """A history file whose lesson ids, question ids and answers hold the payloads."""
    home.mkdir(parents=True, exist_ok=True)
    attempts = [{"id": f"a{i}", "lesson": "lesson" + payload, "question": "q" + payload, "mode": "lesson", "run": 1,
                 "answer_text": "answer" + payload, "correct": False, "seconds": 1.0,
                 "at": f"2025-01-0{i + 1}T10:00:00Z"} for i, payload in enumerate(strings.values())]
    (home / "history.jsonl").write_text("".join(json.dumps(a) + "\n" for a in attempts), encoding="utf-8")
    return attempts


def test_history_strings_in_plain_mode(neurotutor_home: Path) -> None:
    write_history(neurotutor_home, CONTROL)
    code, out, err = run_bytes("--plain", "history")
    assert code == 0, err
    text = inert(out)
    for shown in SHOWN.values():
        assert re.search(re.escape(f"lesson{shown}") + r" +" + re.escape(f"q{shown}"), text)
        assert f"answer{shown}\n" in text


def test_history_and_export_json_escape_what_could_drive_a_terminal(neurotutor_home: Path) -> None:
    attempts = write_history(neurotutor_home, CONTROL)
    (neurotutor_home / "progress.json").write_text(json.dumps({"schema_version": 3, "lessons": {
        "lesson" + payload: {"run": 2} for payload in CONTROL.values()}}), encoding="utf-8")
    code, out, err = run_bytes("history", "--json")
    assert code == 0, err
    assert inert(out.replace("\n", "")) and [a["answer_text"] for a in json.loads(out)["attempts"]] == \
        [a["answer_text"] for a in attempts]
    code, out, err = run_bytes("export")
    assert code == 0, err
    inert(out.replace("\n", ""))
    assert sorted(json.loads(out)["progress"]["lessons"]) == sorted("lesson" + p for p in CONTROL.values())


def test_command_line_payloads_are_shown_inert() -> None:
    code, out, err = run_bytes("--x" + CONTROL["osc-title"] + CONTROL["bidi-override"])
    assert (code, out) == (2, "")
    assert err.endswith(f"Error: No such option: --x{SHOWN['osc-title']}{SHOWN['bidi-override']}\n")
    for payload in CONTROL.values():
        code, out, err = run_bytes("learn", "x" + payload)
        assert code == 2 and inert(err).startswith("There is no lesson with the id 'x")


# -- through the real command: on a pseudo-terminal, decorated ------------------------------------

pexpect = pytest.importorskip("pexpect")
pty = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
CPR_REQUEST = re.compile(rb"\x1b\[6n")
ROWS, COLUMNS = 40, 160
CPR_REPLY = f"\x1b[{ROWS};1R".encode()
ENTER, CTRL_C, CTRL_D = b"\r", b"\x03", b"\x04"


class Terminal:
    """One neurotutor process on a pty, in colour (rich and questionary), with everything it wrote kept."""

    def __init__(self, home: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        env.update(NEUROTUTOR_HOME=str(home), TERM="xterm-256color", COLUMNS=str(COLUMNS))
        self.log = io.BytesIO()
        self.child = pexpect.spawn(sys.executable, ["-m", "neurotutor", *args], env=env, cwd=str(ROOT),
                                   dimensions=(ROWS, COLUMNS), timeout=20, preexec_fn=as_from_a_shell)
        self.child.delaybeforesend = None  # no 50 ms pause before each key: keys wait for their prompt instead
        self.child.logfile_read = self.log

    @property
    def output(self) -> str:
        return self.log.getvalue().decode("utf-8", "surrogateescape")

    @property
    def text(self) -> str:
        """What a learner reads: the output without SGR styles."""
        return SGR.sub("", self.output)

    def expect(self, pattern: str) -> None:
        """Wait for a regex, answering cursor position requests on the way."""
        try:
            while self.child.expect([CPR_REQUEST, re.compile(pattern.encode())]) == 0:
                self.child.send(CPR_REPLY)
        except (pexpect.TIMEOUT, pexpect.EOF) as exc:
            raise AssertionError(f"never saw {pattern!r}; output was:\n{self.output[-3000:]!r}") from exc

    def finish(self) -> int:
        try:
            while self.child.expect([CPR_REQUEST, pexpect.EOF]) == 0:
                self.child.send(CPR_REPLY)
        except pexpect.TIMEOUT as exc:
            self.child.terminate(force=True)
            raise AssertionError(f"the tutor did not exit; output was:\n{self.output[-3000:]!r}") from exc
        self.child.close()
        assert self.child.signalstatus is None
        assert "Traceback" not in self.output and "unexpected problem" not in self.output, self.output
        return int(self.child.exitstatus)


@pytest.fixture
def terminals():
    started: list[Terminal] = []

    def start(home: Path, *args: str) -> Terminal:
        started.append(Terminal(home, *args))
        return started[-1]

    yield start
    for t in started:
        if t.child.isalive():
            t.child.terminate(force=True)


@pty
def test_markup_titles_in_lessons_on_a_terminal(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, "--lessons-dir", str(MARKUP_DIR), "lessons")
    assert t.finish() == 0
    inert(t.output, allow="\r")
    for title in MARKUP_TITLES:
        assert re.search(re.escape(title).replace(r"\ ", r"\s+(?:│\s+)*"), t.text), title  # may wrap in its cell
    assert "\x1b[1m" in t.output  # decorated: this was rich's table, not plain text


@pty
@pytest.mark.parametrize("lesson, title, choice", [
    ("markup-close", "Close [/] tag", "Close [/] first"),
    ("markup-link", "[link=file:///etc/passwd]x[/link] link", "[link=file:///etc/passwd]first[/link]"),
])
def test_markup_lesson_on_a_terminal(neurotutor_home: Path, terminals, lesson: str, title: str, choice: str) -> None:
    t = terminals(neurotutor_home, "--lessons-dir", str(MARKUP_DIR), "learn", lesson)
    t.expect(r"Press Enter to go on")
    t.child.send(ENTER)
    t.expect(re.escape(title))
    t.expect(r"a web page")
    t.expect(r"Section 1 of 1")
    t.child.send(ENTER)
    t.expect(r"question 1 of 1")
    t.expect(r"Choose one")
    t.expect(re.escape(choice))  # drawn by prompt_toolkit as it is: not markup there either
    t.child.send(ENTER)
    t.expect(r"Right\.|Not quite\.")
    t.expect(r"Press Enter to see how you did")
    t.child.send(ENTER)
    t.expect(r"Lesson complete")
    while (found := t.child.expect([CPR_REQUEST, re.compile(rb"Not now"), pexpect.EOF])) == 0:
        t.child.send(CPR_REPLY)
    if found == 1:  # the answer was wrong: decline the offer to retry it (Not now is the third entry)
        t.child.send(b"3" + ENTER)
    assert t.finish() == 0
    no_payload_sequences(t.output)
    assert "A Markdown link [x](file:///etc/passwd) and one to a web page (http://evil.example/)." in t.text


@pty
def test_file_names_on_a_terminal(neurotutor_home: Path, terminals, evil_names: Path) -> None:
    t = terminals(neurotutor_home, "--lessons-dir", str(evil_names), "lessons")
    assert t.finish() == 0
    text = inert(t.output, allow="\r")
    for _, shown in FILE_NAMES.values():
        assert f"{evil_names}/{shown}:1:5:" in text.replace("\r\n", "")  # may wrap


@pty
def test_history_strings_on_a_terminal(neurotutor_home: Path, terminals) -> None:
    write_history(neurotutor_home, CONTROL)
    t = terminals(neurotutor_home, "history")
    assert t.finish() == 0
    text = inert(t.output, allow="\r")
    for shown in SHOWN.values():
        assert f"answer{shown}" in text


# -- the single exit point: main ------------------------------------------------------------------


def learned_test_mini(run_cli) -> None:
    seed_profile(Path(os.environ["NEUROTUTOR_HOME"]))
    right = lesson_input(RIGHT)
    assert run_cli("--lessons-dir", str(DATA / "lessons-ok"), "--plain", "learn", "test-mini", input=right).returncode == 0


@pty
def test_ctrl_c_at_resets_prompt(run_cli, neurotutor_home: Path, terminals) -> None:
    learned_test_mini(run_cli)
    t = terminals(neurotutor_home, "--lessons-dir", str(DATA / "lessons-ok"), "reset", "test-mini")
    t.expect(r"Forget your progress in 'test-mini' and its 6 recorded answers\? \[y/N\]: ")
    t.child.send(CTRL_C)
    t.expect(r"Stopped\. Nothing was changed\.")
    assert t.finish() == 130
    assert t.text.endswith("[y/N]: ^C\r\nStopped. Nothing was changed.\r\n")
    assert json.loads((neurotutor_home / "progress.json").read_text())["lessons"]["test-mini"]["completed_runs"] == 1


@pty
def test_end_of_input_at_resets_prompt_on_a_terminal(run_cli, neurotutor_home: Path, terminals) -> None:
    learned_test_mini(run_cli)
    t = terminals(neurotutor_home, "--lessons-dir", str(DATA / "lessons-ok"), "reset", "test-mini")
    t.expect(r"\[y/N\]: ")
    t.child.send(CTRL_D)
    assert t.finish() == 2
    assert "Aborted!" not in t.output
    assert t.text.endswith("[y/N]: \r\nNothing was changed: no confirmation was given. Use --yes to reset without asking.\r\n")


def test_end_of_input_at_resets_prompt(run_cli) -> None:
    learned_test_mini(run_cli)
    result = run_cli("--lessons-dir", str(DATA / "lessons-ok"), "reset", "test-mini", input="")
    assert (result.returncode, result.stderr) == (
        2, "\nNothing was changed: no confirmation was given. Use --yes to reset without asking.\n")
    assert result.stdout == "Forget your progress in 'test-mini' and its 6 recorded answers? [y/N]: "


def test_unknown_option_is_a_usage_error(run_cli) -> None:
    result = run_cli("--bogus")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("Usage: neurotutor [OPTIONS] COMMAND [ARGS]...\nTry 'neurotutor -h' for help.\n\n"
                             "Error: No such option: --bogus\n")
    missing = run_cli("assignment", "add")
    assert missing.returncode == 2 and missing.stderr.endswith("Error: Missing argument 'FILE'.\n")


def test_help_and_version_exit_0(run_cli) -> None:
    from neurotutor import __version__

    for args in (["--help"], ["-h"], ["learn", "--help"]):
        result = run_cli(*args)
        assert (result.returncode, result.stderr) == (0, "") and result.stdout.startswith("Usage: neurotutor")
    assert run_cli("--version").stdout == f"neurotutor {__version__}\n"


def _abort_after(cause: type[BaseException]) -> None:
    """What click's own prompts do with Ctrl-C and end of input."""
    import typer

    try:
        raise cause()
    except cause:
        raise typer.Abort() from None


@pytest.mark.parametrize("raise_it, code, err", [
    (lambda: _raise(KeyboardInterrupt()), 130, "\nStopped.\n"),
    (lambda: _abort_after(KeyboardInterrupt), 130, "\nStopped.\n"),
    (lambda: _raise(EOFError()), 4, "\nInput ended before an answer was given; nothing more was done.\n"),
    (lambda: _abort_after(EOFError), 4, "Input ended before an answer was given; nothing more was done.\n"),
    (lambda: _raise(_usage_error("No lesson \x1b]0;PWNED\x07\u202e")), 2, "No lesson \\x1b]0;PWNED\\x07\\u202e\n"),
    (lambda: _raise(RuntimeError("private answer")), 1,
     "neurotutor hit an unexpected problem (RuntimeError). Your saved progress is safe.\n"
     "Please report this; run the same command with --debug to see the details.\n"),
], ids=["ctrl-c", "ctrl-c-in-click", "end-of-input", "end-of-input-in-click", "our-error", "a-bug"])
def test_main_owns_every_exit(monkeypatch, capsys, raise_it, code: int, err: str) -> None:
    from neurotutor.cli.app import main

    monkeypatch.setattr("neurotutor.cli.pager.safety_lines", lambda out: raise_it())
    with pytest.raises(SystemExit) as exited:
        main(["safety"])
    assert exited.value.code == code
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", err)


def _raise(exc: BaseException) -> None:
    raise exc


def _usage_error(message: str) -> Exception:
    from neurotutor.errors import UsageError

    return UsageError(message)


# -- terminals that cannot do it all ---------------------------------------------------------------


@pty
@pytest.mark.parametrize("term", ["dumb", "unknown", ""], ids=["dumb", "unknown", "unset"])
def test_a_terminal_without_cursor_control_gets_plain_prompts(neurotutor_home: Path, pty_tutors, term: str) -> None:
    from neurotutor.cli.settings import NO_CURSOR

    t = pty_tutors(neurotutor_home, columns=100, env={"TERM": term})
    t.prompt(r"Press Enter to go on\. ", ENTER.decode())
    t.prompt(r"Choose 1-8: ", "8\r")
    assert t.finish() == 0
    assert t.text.startswith(f"{NO_CURSOR}\r\n\r\nneurotutor: how therapy changes the brain.\r\n")
    assert t.text.count(NO_CURSOR) == 1
    assert "\x1b" not in t.output  # no cursor moves, no styles: nothing a dumb terminal would print as junk


def test_the_tutor_picks_plain_mode_by_itself_only_where_the_cursor_cannot_move(monkeypatch) -> None:
    from neurotutor.cli.settings import Settings, can_move_cursor

    monkeypatch.setattr(sys, "platform", "linux")
    for term, movable in (("xterm-256color", True), ("screen", True), ("dumb", False), ("DUMB", False),
                          ("unknown", False), ("", False)):
        monkeypatch.setenv("TERM", term)
        assert can_move_cursor() is movable, term
    monkeypatch.delenv("TERM")
    assert can_move_cursor() is False
    monkeypatch.setattr(sys, "platform", "win32")  # its console needs no TERM
    assert can_move_cursor() is True
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("TERM", "dumb")
    chosen = Settings()
    assert (chosen.interactive, chosen.decorated, chosen.plain_by_terminal, chosen.plain) == (False, False, True, False)
    asked = Settings(plain=True)  # --plain was given: nothing to say
    assert (asked.interactive, asked.decorated, asked.plain_by_terminal) == (False, False, False)
    monkeypatch.setenv("TERM", "xterm")
    assert (Settings().interactive, Settings().decorated, Settings().plain_by_terminal) == (True, True, False)


def test_a_stream_that_cannot_encode_writes_ascii_look_alikes(monkeypatch) -> None:
    from neurotutor.cli.output import fit_streams_to_encoding

    ascii_out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    utf8_err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", ascii_out)
    monkeypatch.setattr(sys, "stderr", utf8_err)
    fit_streams_to_encoding()
    for stream in (ascii_out, utf8_err):
        stream.write("\u2022 a \u2014 b \u2192 c \u2019d \u201ce\u201d \u2026 caf\u00e9 \u2500\u2500")
        stream.flush()
    assert ascii_out.buffer.getvalue() == b"* a -- b -> c 'd \"e\" ... caf? --"  # type: ignore[attr-defined]
    assert utf8_err.errors == "strict"  # UTF-8 can write it all: left alone
    assert utf8_err.buffer.getvalue().decode() == "\u2022 a \u2014 b \u2192 c \u2019d \u201ce\u201d \u2026 caf\u00e9 \u2500\u2500"  # type: ignore[attr-defined]


C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


@pty
def test_safety_on_a_terminal_that_cannot_show_utf8(neurotutor_home: Path, pty_tutors) -> None:
    t = pty_tutors(neurotutor_home, "safety", columns=100, env=C_LOCALE)
    t.expect("Page 1 of 2")  # 24 lines cannot hold it all: the first page holds the numbers
    shown = t.display()
    assert " * 112: the European Union and many other countries" in shown
    assert " * 988 (call or text): US, Suicide & Crisis Lifeline" in shown
    t.keys("q")
    assert t.finish() == 0
    t.raw.decode("ascii")  # every byte readable in the C locale
    assert "unexpected problem" not in t.text


@pytest.mark.parametrize("args", [["safety"], ["lessons"], ["--help"], ["--plain", "safety"]])
def test_commands_in_the_c_locale_write_readable_text(run_cli_process, args: list[str]) -> None:
    # a new interpreter: the locale sets the encoding of stdout and stderr when Python starts
    result = run_cli_process(*args, env=C_LOCALE)
    assert (result.returncode, result.stderr) == (0, "")
    assert "112" in result.stdout or "neurotutor" in result.stdout


@pytest.mark.parametrize("args", [["lessons"], ["safety"], ["--help"]])
def test_a_closed_pipe_ends_quietly_with_status_0(args: list[str]) -> None:
    for _ in range(3):  # the reader is gone before the first write, every time
        read_end, write_end = os.pipe()
        os.close(read_end)
        try:
            result = subprocess.run([sys.executable, "-m", "neurotutor", *args], stdout=write_end,
                                    stderr=subprocess.PIPE, text=True, timeout=60)
        finally:
            os.close(write_end)
        assert (result.returncode, result.stderr) == (0, "")
