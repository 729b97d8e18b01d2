"""Worksheets (issue 21): the file format and its one loading choke point, the built-in worksheets, the
JSON Schema, `new worksheet`, `validate` and `lint` on worksheet files, a lesson's `try_it:`, and
`neurotutor practice` filling one in, in process (a scripted prompter, a journal kept in memory, and
the real journal store through the real main(argv))."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from neurotutor.errors import Interrupted, Problem, Stopped
from neurotutor.journal.model import Entry, Feeling
from neurotutor.journal.store import Journal, JournalStore
from neurotutor.worksheets import filling
from neurotutor.worksheets.catalogue import load_worksheets
from neurotutor.worksheets.loader import load_worksheet_file, parse_worksheet, says_worksheet

ROOT = Path(__file__).resolve().parents[1]
BUILTIN = ROOT / "worksheets"
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)

GOOD = """\
kind: worksheet
format: 1
id: worry-log
title: Worry log
purpose: Writing a worry down helps you see patterns.
safety_note: If it gets too much, stop. For urgent help, run neurotutor safety.
steps:
  - id: worry
    kind: text
    prompt: What was the worry?
    help: Write it as it went through your mind.
  - id: when
    kind: time
    optional: true
    prompt: When did it start?
"""


# -- the loader: every problem, each at its line and column ----------------------------------------------


def test_a_broken_worksheet_reports_every_problem_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("""\
kind: worksheet
format: 1
id: Bad_Id
title: "Two\\nlines"
purpose: 12
steps:
  - id: one
    kind: txt
    prompt: Hi
  - id: one
    kind: choice
    prompt: Pick one
    options: [Tea, tea]
    colour: red
  - id: two
    kind: rating_100
    optional: "yes"
  - id: three
    kind: text
    prompt: "A \\e[2J prompt"
""")
    loaded, problems = load_worksheet_file(path)
    assert loaded is None
    assert [str(p) for p in problems] == [
        f"{path}:3:5: id: 'Bad_Id' must be a lowercase id: letters a-z, digits and single hyphens, like 'my-lesson'",
        f"{path}:4:8: title: contains a line break at character 4; it is shown on one line, so write it on one line",
        f"{path}:5:10: purpose: expected text, got a number (12) (YAML reads unquoted yes/no/on/off/true/false, "
        "numbers and dates as other types: put the text in quotes)",
        f"{path}:8:11: steps[1].kind: unknown kind 'txt' (did you mean 'text'?); use one of: text, feelings, "
        "rating_100, rating_10, choice, yes_no, time",
        f"{path}:10:9: steps[2].id: step id 'one' is used twice (also steps[1])",
        f"{path}:13:20: steps[2].options[2]: option 'tea' is given twice (also option 1)",
        f"{path}:14:5: steps[2].colour: unknown field 'colour' (allowed: asked_if, help, id, kind, label, later, optional, "
        "options, prompt)",
        f"{path}:15:5: steps[3]: missing required field 'prompt'",
        f"{path}:17:15: steps[3].optional: expected true or false, got text",
        f"{path}:20:13: steps[4].prompt: contains a control character (U+001B ESC) at character 3; remove it",
    ]


def test_asked_if_must_name_an_earlier_step() -> None:
    text = GOOD.replace("  - id: worry\n    kind: text\n", "  - id: worry\n    kind: text\n    asked_if: worry\n")
    _, problems = parse_worksheet(text, "w.yaml")
    assert [p.message for p in problems] == [
        "steps[1].asked_if: a step cannot depend on its own answer; name an earlier step"]
    later = text.replace("    asked_if: worry\n", "    asked_if: when\n")
    _, problems = parse_worksheet(later, "w.yaml")
    assert [p.message for p in problems] == [
        "steps[1].asked_if: names no earlier step: 'when' (it comes after this one); give the id of a step "
        "above this one"]
    unknown = text.replace("    asked_if: worry\n", "    asked_if: nothing-here\n")
    _, problems = parse_worksheet(unknown, "w.yaml")
    assert [p.message for p in problems] == [
        "steps[1].asked_if: names no earlier step: 'nothing-here'; give the id of a step above this one"]


def test_what_the_schema_cannot_say_is_checked_too() -> None:
    text = GOOD.replace("id: worry-log", "id: breathe").replace("    optional: true\n",
                                                                 "    optional: true\n    later: true\n")
    text = text.replace("  - id: worry\n    kind: text\n", "  - id: worry\n    kind: text\n    later: true\n")
    _, problems = parse_worksheet(text, "w.yaml")
    assert [str(p) for p in problems] == [
        "w.yaml:3:5: id: 'breathe' is kept for `neurotutor practice breathe`; give the worksheet another id",
        "w.yaml:10:12: steps[1].later: the first step cannot start the part filled in later: nothing comes before it",
    ]


def test_a_file_that_is_not_a_worksheet_is_one_problem_that_quotes_nothing() -> None:
    _, problems = parse_worksheet("password: hunter2\nsecret: [1, 2]\n", "x.yaml")
    assert problems == [Problem("x.yaml", 0, 0, "is not a worksheet file (it has none of a worksheet's fields: "
                                                 "format, id, kind, purpose, steps, title)")]
    _, problems = parse_worksheet(GOOD.replace("format: 1", "format: 2"), "x.yaml")
    assert [str(p) for p in problems] == ["x.yaml:2:9: format: this file is written for worksheet format 2, but this "
                                          "neurotutor reads format 1: upgrade neurotutor"]
    _, problems = parse_worksheet("kind: worksheet\n  id: x\n", "x.yaml")
    assert len(problems) == 1 and problems[0].line == 2  # a syntax error stops the checks, said at its line


def test_a_worksheet_says_what_it_is_on_a_top_level_line() -> None:
    assert says_worksheet(b"format: 1\nkind: worksheet\n") and says_worksheet(b"kind: 'worksheet'  # yes\r\n")
    assert not says_worksheet(b"kind: assignment\n") and not says_worksheet(b"steps:\n  kind: worksheet\n")
    assert not says_worksheet(b"title: my worksheet\n")


# -- the built-in worksheets ----------------------------------------------------------------------------


def test_every_built_in_worksheet_loads_in_the_order_of_the_menu() -> None:
    catalogue = load_worksheets(BUILTIN)
    assert catalogue.problems == ()
    assert [w.worksheet.id for w in catalogue.worksheets] == [
        "thought-record", "behavioural-experiment", "exposure-log", "activity-plan"]
    assert all(w.builtin and w.worksheet.safety_note for w in catalogue.worksheets)
    kinds = {type(step).__name__ for w in catalogue.worksheets for step in w.worksheet.steps}
    assert kinds == {"TextStep", "FeelingsStep", "Rating100Step", "Rating10Step", "ChoiceStep", "YesNoStep", "TimeStep"}


def test_the_built_in_worksheets_ask_what_the_issue_asks_for() -> None:
    found = {w.worksheet.id: w.worksheet for w in load_worksheets(BUILTIN).worksheets}
    steps = {wid: [(s.id, type(s).__name__) for s in w.steps] for wid, w in found.items()}
    assert steps["thought-record"] == [
        ("situation", "TextStep"), ("feelings", "FeelingsStep"), ("automatic-thought", "TextStep"),
        ("belief", "Rating100Step"), ("evidence-for", "TextStep"), ("evidence-against", "TextStep"),
        ("balanced-thought", "TextStep"), ("belief-after", "Rating100Step"), ("feelings-after", "FeelingsStep")]
    experiment = found["behavioural-experiment"]
    assert "therapist" in (experiment.safety_note or "") and "trauma" in (experiment.safety_note or "")
    assert [s.id for s in experiment.steps] == ["prediction", "how-sure", "plan", "safety-behaviours", "what-happened",
                                                "came-true", "learned", "how-sure-now"]
    log = [s.id for s in found["exposure-log"].steps]
    assert log.index("likely-before") < log.index("what-happened") < log.index("likely-after") and "surprise" in log
    plan = found["activity-plan"]
    assert {type(s).__name__ for s in plan.steps if s.id.startswith(("done", "mastery", "pleasure", "mood"))} == {
        "YesNoStep", "Rating10Step"}
    for worksheet in found.values():
        words = " ".join([worksheet.purpose, worksheet.safety_note or ""] + [s.help or "" for s in worksheet.steps])
        assert "neurotutor safety" in (worksheet.safety_note or "")
        assert "fact sheet" not in words.lower() and "seed" not in words.lower()


def test_every_built_in_worksheet_passes_validate_and_lint(run_cli) -> None:
    checked = run_cli("validate", "worksheets")
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, "4 worksheet files valid.\n", "")
    linted = run_cli("lint", "--strict", "worksheets")
    assert (linted.returncode, linted.stdout, linted.stderr) == (0, "4 worksheets linted: no warnings (5 rules).\n", "")


def test_every_built_in_worksheet_reads_at_grade_9_or_below() -> None:
    textstat = pytest.importorskip("textstat")
    for loaded in load_worksheets(BUILTIN).worksheets:
        w = loaded.worksheet
        for text in [w.purpose, w.safety_note or ""] + [f"{s.prompt} {s.help}" for s in w.steps if s.help]:
            assert textstat.flesch_kincaid_grade(text) <= 9, (w.id, text)


# -- the JSON Schema, the scaffold, validate and lint ------------------------------------------------------


def test_the_schema_checks_what_the_loader_checks(run_cli) -> None:
    import yaml

    printed = run_cli("schema", "worksheet")
    assert printed.returncode == 0
    schema = json.loads(printed.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://neurotutor.invalid/schema/worksheet-1.json"
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(BUILTIN.glob("*.yaml")):
        assert not list(validator.iter_errors(yaml.safe_load(path.read_text()))), path
    wrong = yaml.safe_load(GOOD.replace("kind: time", "kind: clock"))
    assert list(validator.iter_errors(wrong))
    assert list(validator.iter_errors(yaml.safe_load(GOOD.replace("    optional: true\n", "    options: [a, b]\n"))))


def test_new_worksheet_writes_a_valid_file_that_lint_asks_to_make_your_own(run_cli, tmp_path: Path) -> None:
    made = run_cli("--plain", "new", "worksheet", "sleep-diary", "--dir", str(tmp_path))
    assert made.returncode == 0, made.stderr
    target = tmp_path / "sleep-diary.yaml"
    assert made.stdout.splitlines()[0] == (f"Wrote {target} and {tmp_path / 'worksheet.schema.json'} (for completion "
                                           "in editors).")
    loaded, problems = load_worksheet_file(target)
    assert problems == [] and loaded is not None and loaded.worksheet.title == "Sleep diary"
    assert json.loads((tmp_path / "worksheet.schema.json").read_text())["title"] == "neurotutor worksheet file, format 1"
    linted = run_cli("lint", str(target))
    assert linted.returncode == 0
    assert linted.stdout.splitlines()[:2] == [
        f"{target}:12:10: scaffold-text: the purpose is still the scaffold's example: replace it with your own words",
        f"{target}:24:11: scaffold-text: the help is still the scaffold's example: replace it with your own words"]
    refused = run_cli("new", "worksheet", "breathe", "--dir", str(tmp_path))
    assert (refused.returncode, refused.stderr) == (2, "'breathe' is kept for 'neurotutor practice breathe'; choose "
                                                       "another id.\n")


def test_lint_warns_of_a_missing_safety_note_a_long_prompt_and_hard_words(run_cli, tmp_path: Path) -> None:
    pytest.importorskip("textstat")
    path = tmp_path / "w.yaml"
    text = GOOD.replace("safety_note: If it gets too much, stop. For urgent help, run neurotutor safety.\n", "")
    text = text.replace("prompt: What was the worry?", "prompt: " + "What was the worry, " * 7 + "then?")
    text = text.replace("help: Write it as it went through your mind.",
                        "help: Characterise the preoccupation's phenomenological manifestation comprehensively.")
    path.write_text(text)
    linted = run_cli("lint", str(path))
    assert linted.returncode == 0
    lines = linted.stdout.splitlines()
    assert lines[0] == (f"{path}:3:5: safety-note: there is no safety_note: say when to stop (distress, flashbacks, "
                        "thoughts of self-harm) and where to find urgent help")
    assert lines[1] == (f"{path}:9:13: prompt-too-long: the prompt is 145 characters; at most 120 fit two lines of an "
                        "80-column terminal: put the rest in the step's help")
    assert lines[2].startswith(f"{path}:10:11: readability: reads at Flesch-Kincaid grade ")
    assert lines[3] == "3 warnings in 1 worksheet: prompt-too-long 1, readability 1, safety-note 1."


def test_validate_checks_worksheets_against_the_others_and_the_lessons(run_cli, tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(GOOD.replace("id: worry-log", "id: thought-record"))
    (tmp_path / "other.yaml").write_text(GOOD.replace("format: 1\n", "format: 1\nlesson: cbtt\n"))
    (tmp_path / "third.yaml").write_text(GOOD.replace("id: worry-log", "id: third\nlesson: mindfulnes")
                                         .replace("kind: time", "kind: clock"))
    checked = run_cli("validate", str(tmp_path))
    assert checked.returncode == 2
    assert checked.stderr == (
        f"{tmp_path / 'mine.yaml'}:3:5: id: worksheet id 'thought-record' is already used by "
        f"{BUILTIN / '01-thought-record.yaml'}\n"
        f"{tmp_path / 'other.yaml'}:3:9: lesson: 'cbtt' is not a known lesson (did you mean 'cbt'?)\n"
        f"{tmp_path / 'third.yaml'}:4:9: lesson: 'mindfulnes' is not a known lesson (did you mean 'mindfulness'?)\n"
        f"{tmp_path / 'third.yaml'}:14:11: steps[2].kind: unknown kind 'clock'; use one of: "
        "text, feelings, rating_100, rating_10, choice, yes_no, time\n"
        "4 problems in 3 files.\n")


def test_a_lessons_folder_may_hold_worksheets_which_the_lesson_catalogue_passes_over(run_cli, tmp_path: Path) -> None:
    (tmp_path / "worry.yaml").write_text(GOOD)
    listed = run_cli("--plain", "--lessons-dir", str(tmp_path), "lessons")
    assert listed.returncode == 0 and listed.stderr == ""  # not "Some lessons could not be loaded"
    catalogue = load_worksheets(BUILTIN, [tmp_path])
    assert catalogue.ids()[-1] == "worry-log" and not catalogue.worksheets[-1].builtin
    checked = run_cli("--lessons-dir", str(tmp_path), "validate")
    assert (checked.returncode, checked.stdout) == (0, "18 lesson files valid (352 questions).\n5 worksheet files valid.\n")


# -- a lesson's try_it ------------------------------------------------------------------------------------


def _lesson(try_it: str) -> str:
    return (f"format: 1\nid: own-lesson\ntitle: Own\nsummary: S.\nlevel: learner\nminutes: 5\ntry_it: {try_it}\n"
            "sections:\n  - id: one\n    title: One\n    body: Text.\n")


def test_try_it_must_name_a_known_worksheet_once(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "own.yaml"
    path.write_text(_lesson("[thought-record, thought-recrd, thought-record]"))
    checked = run_cli("validate", str(path))
    assert checked.returncode == 2
    assert checked.stderr.splitlines() == [  # every problem, the invalid lesson's unknown worksheet too
        f"{path}:7:26: try_it[2]: 'thought-recrd' is not a known worksheet (did you mean 'thought-record'?); see "
        "'neurotutor practice' for the worksheets there are",
        f"{path}:7:41: try_it[3]: worksheet 'thought-record' is used twice (also try_it[1])",
        "2 problems in 1 file."]
    path.write_text(_lesson("[thought-recrd]"))
    checked = run_cli("validate", str(path))
    assert checked.stderr.splitlines() == [
        f"{path}:7:10: try_it[1]: 'thought-recrd' is not a known worksheet (did you mean 'thought-record'?); see "
        "'neurotutor practice' for the worksheets there are",
        "1 problem in 1 file."]
    (tmp_path / "worry.yaml").write_text(GOOD)  # a worksheet checked with it counts as known
    path.write_text(_lesson("[worry-log, exposure-log]"))
    checked = run_cli("validate", str(path), str(tmp_path / "worry.yaml"))
    assert (checked.returncode, checked.stdout) == (0, "1 lesson file valid (0 questions).\n1 worksheet file valid.\n")


def test_the_built_in_lessons_point_to_the_built_in_worksheets() -> None:
    from neurotutor.lessons.loader import load_lesson_file

    tried = {}
    for name in ("05-cbt.yaml", "12-exposure-in-practice.yaml"):
        loaded, problems, _ = load_lesson_file(ROOT / "lessons" / name)
        assert loaded is not None, problems
        tried[loaded.lesson.id] = loaded.lesson.try_it
    assert tried == {"cbt": ("thought-record", "activity-plan"),
                     "exposure-in-practice": ("behavioural-experiment", "exposure-log")}


def test_the_end_of_a_lesson_says_which_worksheet_to_try() -> None:
    from neurotutor.cli.output import Output
    from neurotutor.cli.settings import Settings
    from neurotutor.cli.study_screen import TerminalScreen
    from neurotutor.lessons.loader import load_lesson_file
    from neurotutor.progress import model as pm

    loaded, _, _ = load_lesson_file(ROOT / "lessons" / "05-cbt.yaml")
    assert loaded is not None
    shown = io.StringIO()
    screen = TerminalScreen(Output(False, file=shown, width=0), None, Settings(profile="sam"))  # type: ignore[arg-type]
    screen.summary(loaded.lesson, pm.LessonState())
    assert shown.getvalue().endswith(
        "Try it: Thought record (kept private, in your journal)\n  neurotutor --profile sam practice thought-record\n"
        "Try it: Activity plan (kept private, in your journal)\n  neurotutor --profile sam practice activity-plan\n"
        "Education, not therapy. Need urgent help? Run: neurotutor safety\n")


# -- filling in, as values --------------------------------------------------------------------------------


def test_what_is_typed_is_read_as_the_step_asks() -> None:
    assert [filling.read_rating(t, 100) for t in ("70", " 70% ", "0", "101", "7.5", "²")] == [
        70, 70, 0, "Type a whole number from 0 to 100.", "Type a whole number from 0 to 100.",
        "Type a whole number from 0 to 100."]
    assert [filling.read_time(t) for t in ("7:30", "07.30", "19h05", "23:59")] == ["07:30", "07:30", "19:05", "23:59"]
    with pytest.raises(ValueError, match="hours:minutes"):
        filling.read_time("24:00")
    assert [filling.read_feeling(t) for t in ("sad 70", "sad, 70%", "worn-out 5", "sad", "  ", "sad 170")] == [
        ("sad", 70), ("sad", 70), ("worn-out", 5), ("sad", None),
        "Name the feeling first, then how strong it is: like sad 70.", "How strong it is goes from 0 to 100: like sad 70."]
    whole = "Give how strong it is as a whole number from 0 to 100: like sad 70."
    assert [filling.read_feeling(t) for t in ("ashamed -5", "ashamed 50.5", "ashamed 50,5%", "worn-out 5")] == [
        whole, whole, whole, ("worn-out", 5)]  # never read as 5, or as a feeling named "ashamed 50."
    assert filling.new_entry_id(bytes(8)) == "aaaaaaaaaa" and len(filling.new_entry_id(b"\xff" * 8)) == 10


def test_an_entry_is_answered_step_by_step_and_goes_on_after_the_last_answer() -> None:
    worksheet = load_worksheets(BUILTIN).get("exposure-log").worksheet  # type: ignore[union-attr]
    entry = filling.start(worksheet, "e1", T0)
    assert (entry.status, entry.answers, entry.title) == ("draft", {}, "Exposure practice log")
    assert filling.resume_at(worksheet, entry) == 0
    entry = filling.answered(entry, "practice-step", "Stand near a dog", T0 + timedelta(minutes=1))
    entry = filling.answered(entry, "start-time", None, T0)  # left empty: no answer at all
    entry = filling.answered(entry, "expected", "It jumps", T0)
    assert entry.answers == {"practice-step": "Stand near a dog", "expected": "It jumps"}
    assert filling.resume_at(worksheet, entry) == 3 and filling.steps_answered(worksheet, entry) == 2
    assert [s.id for s in filling.missing(worksheet, entry)] == ["likely-before", "what-happened", "came-true",
                                                                 "likely-after", "surprise"]
    done = filling.finished(entry, T0 + timedelta(hours=1))
    assert (done.status, done.updated, entry.status) == ("done", T0 + timedelta(hours=1), "draft")
    assert filling.answer_words([Feeling(name="sad", intensity=70)]) == "sad 70"
    assert [filling.answer_words(v) for v in (True, False, 40, None)] == ["Yes", "No", "40", "(left empty)"]


def test_the_core_of_worksheets_imports_no_terminal_library() -> None:
    code = ("import sys, neurotutor.worksheets.filling, neurotutor.worksheets.catalogue, neurotutor.authoring.worksheets\n"
            "print(sorted(m for m in ('typer', 'rich', 'questionary', 'prompt_toolkit') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout == "[]\n"


# -- practice, in process ----------------------------------------------------------------------------------


class Scripted:
    """A prompter that answers from a script (an exception in it is raised), asking a typed answer
    again while its check finds a problem, as both real prompters do; every prompt is recorded."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.asked: list[str] = []
        self.refused: list[str] = []

    def _next(self) -> Any:
        if not self.replies:
            raise EOFError
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException) or isinstance(reply, type) and issubclass(reply, BaseException):
            raise reply
        return reply

    def pause(self, message: str) -> None:
        self.asked.append(f"pause: {message}")

    def choose(self, message: str, options: list[str], disabled: Any = None, default: Any = None) -> int:
        self.asked.append(f"choose: {message} {options}")
        reply = self._next()
        return next(i for i, text in enumerate(options) if reply == text) if isinstance(reply, str) else int(reply)

    def text(self, message: str, check: Any = None, optional: bool = False) -> str:
        self.asked.append(f"text: {message}")
        while True:
            reply = str(self._next())
            if not reply:
                if optional:
                    return ""
                self.refused.append("Please type something.")
                continue
            wrong = check(reply) if check else None
            if wrong is None:
                return reply
            self.refused.append(wrong)


class MemoryJournal:
    """The journal store's interface, kept in memory: every save recorded."""

    def __init__(self, *entries: Entry) -> None:
        self.entries = {e.id: e for e in entries}
        self.saves: list[Entry] = []
        self.notices: list[str] = []

    def load(self) -> Journal:
        return Journal(dict(self.entries))

    def save_draft(self, entry: Entry, base: Any = None) -> None:
        self.saves.append(entry)
        self.entries[entry.id] = entry


THOUGHT_RECORD = ["Sunday evening, at home", "dread 80", "ashamed", "30", "", "I will freeze", "90",
                  "I lost my place once", "I have spoken many times", "I may be nervous, and I can do it", "40",
                  "dread 45", ""]


def _session(*replies: Any) -> tuple[Any, Scripted, io.StringIO]:
    from neurotutor.cli.output import Output
    from neurotutor.cli.session import Session
    from neurotutor.cli.settings import Settings

    shown = io.StringIO()
    prompter = Scripted(*replies)
    s = Session.made_of(Settings(), out=Output(False, file=shown, err_file=shown, width=0), prompter=prompter)
    s.now = T0
    s.clock = lambda: T0 + timedelta(minutes=5)  # type: ignore[method-assign]
    return s, prompter, shown


def _thought_record() -> Any:
    return load_worksheets(BUILTIN).get("thought-record")


def test_a_thought_record_is_filled_in_a_draft_saved_after_each_answer() -> None:
    from neurotutor.cli.commands.practice import fill

    s, prompter, shown = _session("?", *THOUGHT_RECORD)
    journal = MemoryJournal()
    done = fill(s, _thought_record(), journal, token=bytes)
    assert done.id == "aaaaaaaaaa" and done.status == "done" and (done.created, done.updated) == (
        T0, T0 + timedelta(minutes=5))
    assert done.answers == {
        "situation": "Sunday evening, at home", "feelings": [Feeling(name="dread", intensity=80),
                                                             Feeling(name="ashamed", intensity=30)],
        "automatic-thought": "I will freeze", "belief": 90, "evidence-for": "I lost my place once",
        "evidence-against": "I have spoken many times", "balanced-thought": "I may be nervous, and I can do it",
        "belief-after": 40, "feelings-after": [Feeling(name="dread", intensity=45)]}
    assert [e.status for e in journal.saves] == ["draft"] * 9 + ["done"]
    assert [len(e.answers) for e in journal.saves] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    text = shown.getvalue()
    assert "\nStep 1 of 9, in your own words, ? for help\nWhat happened? Where were you, and when?\n" in text
    assert "Write the facts, as a camera would see them" in text  # the help, shown on ?
    assert "\nStep 4 of 9, a number from 0 to 100, ? for help\nHow much did you believe that thought?\n" in text
    assert "  Noted: dread 80\n  Noted: ashamed 30\n" in text
    assert text.endswith(
        "Thought record: done.\nSituation\n  Sunday evening, at home\nFeelings\n  dread 80, ashamed 30\n"
        "Automatic thought\n  I will freeze\nBelief\n  90\nEvidence for\n  I lost my place once\nEvidence against\n"
        "  I have spoken many times\nBalanced thought\n  I may be nervous, and I can do it\nBelief after\n  40\n"
        "Feelings after\n  dread 45\n\nKept in your journal, on this computer only. No one else sees it unless you "
        "choose to share it.\nTo read it again:\n  neurotutor journal show aaaaaaaaaa\n"
        "Education, not therapy. Need urgent help? Run: neurotutor safety\n")
    assert prompter.asked[:3] == ["pause: Press Enter to begin.", "text: Your answer", "text: Your answer"]
    assert "text: How strong is ashamed, from 0 to 100?" in prompter.asked


def test_a_wrong_rating_or_time_is_asked_again_in_words() -> None:
    from neurotutor.cli.commands.practice import fill

    replies = THOUGHT_RECORD[:6] + ["very", "150", "90"] + THOUGHT_RECORD[7:]
    s, prompter, _ = _session(*replies)
    fill(s, _thought_record(), MemoryJournal(), token=bytes)
    assert prompter.refused == ["Type a whole number from 0 to 100."] * 2


def test_ctrl_c_keeps_the_draft_and_says_how_to_finish_it_and_resuming_finishes_it() -> None:
    from neurotutor.cli.commands.practice import fill

    s, _, _ = _session(*THOUGHT_RECORD[:6], KeyboardInterrupt)
    journal = MemoryJournal()
    with pytest.raises(Interrupted) as stopped:
        fill(s, _thought_record(), journal, token=bytes)
    assert stopped.value.message == ("\nStopped. Your worksheet is saved as a draft in your journal.\n"
                                     "To finish it, run:\n  neurotutor practice --resume aaaaaaaaaa")
    draft = journal.entries["aaaaaaaaaa"]
    assert draft.status == "draft" and list(draft.answers) == ["situation", "feelings", "automatic-thought"]
    s, prompter, shown = _session(*THOUGHT_RECORD[6:])
    done = fill(s, _thought_record(), journal, draft)
    assert done.id == "aaaaaaaaaa" and done.status == "done" and len(done.answers) == 9
    assert shown.getvalue().startswith(
        "\nThought record.\nWelcome back: going on at step 4 of 9.\nSo far:\nSituation\n  Sunday evening, at home\n"
        "Feelings\n  dread 80, ashamed 30\nAutomatic thought\n  I will freeze\n\nStep 4 of 9")
    assert "pause: Press Enter to begin." not in prompter.asked


def test_stopping_before_any_answer_writes_nothing() -> None:
    from neurotutor.cli.commands.practice import fill

    s, _, _ = _session(Stopped)
    journal = MemoryJournal()
    with pytest.raises(Stopped):
        fill(s, _thought_record(), journal, token=bytes)
    assert journal.saves == []
    s, _, _ = _session(EOFError)
    with pytest.raises(Exception, match="Input ended. Nothing was written."):
        fill(s, _thought_record(), journal, token=bytes)


def test_an_activity_plan_offers_to_stop_before_the_part_filled_in_later() -> None:
    from neurotutor.cli.commands.practice import fill

    plan = load_worksheets(BUILTIN).get("activity-plan")
    morning = ["4", "A ten-minute walk", "8:30", ""]  # no second thing: its time, and a third, are not asked
    s, prompter, shown = _session(*morning, "Stop here and finish it later")
    journal = MemoryJournal()
    with pytest.raises(Stopped):
        fill(s, plan, journal, token=bytes)
    assert journal.entries["aaaaaaaaaa"].answers == {"mood-start": 4, "activity-1": "A ten-minute walk",
                                                     "time-1": "08:30"}
    assert shown.getvalue().endswith("\nStopped. Your worksheet is saved as a draft in your journal.\n"
                                     "To finish it, run:\n  neurotutor practice --resume aaaaaaaaaa\n")
    evening = ["Yes", "6", "7", "5", ""]  # nothing asked about a second or third thing never planned
    s, prompter, shown = _session(*evening)
    done = fill(s, plan, journal, journal.entries["aaaaaaaaaa"])
    assert done.status == "done" and done.answers == {
        "mood-start": 4, "activity-1": "A ten-minute walk", "time-1": "08:30", "done-1": True, "mastery-1": 6,
        "pleasure-1": 7, "mood-end": 5}
    assert not any("usually filled in later" in asked for asked in prompter.asked)  # resumed there: no offer
    assert "Did you do the first thing you planned?\nFirst thing: A ten-minute walk\n" not in shown.getvalue()
    assert "\nFirst thing: A ten-minute walk\n" in shown.getvalue()  # what it is about, above the question
    assert not any("second" in asked or "third" in asked for asked in prompter.asked)


def test_a_thing_not_done_is_not_rated_and_a_second_one_planned_is_asked_about() -> None:
    from neurotutor.cli.commands.practice import fill

    plan = load_worksheets(BUILTIN).get("activity-plan")
    s, prompter, shown = _session("3", "Call my sister", "", "Tidy the desk", "18:00", "", "Go on now",
                                  "No", "Yes", "4", "8", "5", "")
    done = fill(s, plan, MemoryJournal(), token=bytes)
    assert done.answers == {"mood-start": 3, "activity-1": "Call my sister", "activity-2": "Tidy the desk",
                            "time-2": "18:00", "done-1": False, "done-2": True, "mastery-2": 4, "pleasure-2": 8,
                            "mood-end": 5}
    assert "\nSecond thing: Tidy the desk\n" in shown.getvalue()
    assert shown.getvalue().count("How much of a sense of getting something done") == 1  # not for the one not done


def test_a_choice_shows_its_help_from_the_menu() -> None:
    from neurotutor.cli.commands.practice import ask_step

    experiment = load_worksheets(BUILTIN).get("behavioural-experiment").worksheet  # type: ignore[union-attr]
    step = next(s for s in experiment.steps if s.id == "came-true")
    s, prompter, shown = _session("What does this step mean?", "Partly")
    assert ask_step(s, step, 6, 8) == "Partly"
    assert prompter.asked == ["choose: Did your prediction come true? ['Yes', 'Partly', 'No', 'What does this step "
                              "mean?']"] * 2
    assert "Compare what happened with the prediction you wrote in the first step" in shown.getvalue()


# -- practice through the real main(argv) and the real journal store --------------------------------------


def test_practice_in_plain_mode_keeps_the_entry_in_the_journal(run_cli, neurotutor_home: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    typed = "\n".join(["", *THOUGHT_RECORD]) + "\n"
    done = run_cli("--plain", "practice", "thought-record", input=typed)
    assert done.returncode == 0, done.stderr
    entries = list(JournalStore(neurotutor_home / "journal.jsonl").load().entries.values())
    assert len(entries) == 1 and entries[0].status == "done" and entries[0].answers["belief"] == 90
    assert done.stdout.endswith(f"To read it again:\n  neurotutor --plain journal show {entries[0].id}\n"
                                "Education, not therapy. Need urgent help? Run: neurotutor safety\n")


def test_input_ending_midway_keeps_a_draft_that_practice_resume_finishes(run_cli, neurotutor_home: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    stopped = run_cli("--plain", "practice", "thought-record", input="\n".join(["", *THOUGHT_RECORD[:6]]) + "\n")
    store = JournalStore(neurotutor_home / "journal.jsonl")
    (draft,) = store.load().entries.values()
    assert stopped.returncode == 4 and draft.status == "draft"
    assert stopped.stderr == ("\nInput ended. Your worksheet is saved as a draft in your journal.\nTo finish it, run:\n"
                              f"  neurotutor --plain practice --resume {draft.id}\n")
    again = run_cli("--plain", "practice", "thought-record", input="2\n")  # a draft of it: finish it, or a new one?
    assert "You have started this worksheet before. Finish it, or start a new one?\n  1. Finish the one started " in (
        again.stdout)
    finished = run_cli("--plain", "practice", "--resume", draft.id[:4], input="\n".join(THOUGHT_RECORD[6:]) + "\n")
    assert finished.returncode == 0, finished.stderr
    assert [e.status for e in store.load().entries.values()] == ["done"]
    shown = run_cli("--plain", "practice", "--resume", draft.id)
    assert (shown.returncode, shown.stderr) == (2, "That Thought record is finished already: read it with 'neurotutor "
                                                   f"--plain journal show {draft.id}'.\n")
    none = run_cli("--plain", "practice", "--resume")
    assert (none.returncode, none.stderr) == (2, "You have no worksheet to finish. Start one with 'neurotutor --plain "
                                                 "practice'.\n")


def test_practice_names_the_worksheets_there_are(run_cli, neurotutor_home: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    unknown = run_cli("--plain", "practice", "thought")
    assert (unknown.returncode, unknown.stderr) == (2, "There is no worksheet with the id 'thought'. Did you mean: "
                                                       "thought-record? Run 'neurotutor --plain practice' to pick one "
                                                       "from the list.\n")
    menu = run_cli("--plain", "practice", input="")
    assert menu.stdout.startswith("Which would you like to do?\n  1. Thought record\n  2. Behavioural experiment\n"
                                  "  3. Exposure practice log\n  4. Activity plan\n")
    assert (menu.returncode, menu.stderr) == (4, "\nInput ended. Nothing was written.\n")
    wrong = run_cli("--plain", "practice", "thought-record", "--fast")
    assert (wrong.returncode, wrong.stderr) == (2, "'practice' does not take '--fast'. Run 'neurotutor --plain "
                                                   "practice --help' to see what it takes.\n")


def test_the_example_in_the_worksheet_format_docs_is_a_valid_worksheet() -> None:
    docs = (ROOT / "docs" / "worksheet-format.md").read_text()
    example = docs.split("```yaml\n", 1)[1].split("```", 1)[0]
    loaded, problems = parse_worksheet(example, "example.yaml")
    assert problems == [] and loaded is not None and loaded.worksheet.id == "worry-log"


def test_a_step_never_reached_is_asked_when_the_draft_is_finished() -> None:
    from neurotutor.cli.commands.practice import fill

    log = load_worksheets(BUILTIN).get("exposure-log")
    # the step, its time left empty, the expectation, how likely: then Ctrl-C at "how strong is your fear now?"
    s, _, _ = _session("", "Supermarket at rush hour", "", "I will faint", "60", KeyboardInterrupt)
    journal = MemoryJournal()
    with pytest.raises(Interrupted):
        fill(s, log, journal, token=bytes)
    draft = journal.entries["aaaaaaaaaa"]
    assert draft.next_step == "fear-before"
    s, prompter, shown = _session("70", "Go on now", "I stayed, and did not faint", "No", "20", "30", "Fear passes")
    done = fill(s, log, journal, draft)
    assert "Welcome back: going on at step 5 of 10." in shown.getvalue()  # not the part filled in later
    assert done.answers["fear-before"] == 70 and done.next_step is None and done.status == "done"


def test_two_windows_on_one_draft_keep_both_and_a_deleted_entry_stays_deleted(tmp_path: Path) -> None:
    import msgspec

    from neurotutor.cli.commands.practice import fill
    from neurotutor.errors import ProgressError
    from neurotutor.journal.store import Changed, Gone, JournalStore

    path = tmp_path / "journal.jsonl"
    store = JournalStore(path)
    s, _, _ = _session(*THOUGHT_RECORD[:6], KeyboardInterrupt)
    with pytest.raises(Interrupted):
        fill(s, _thought_record(), store, token=bytes)
    draft = store.load().entries["aaaaaaaaaa"]
    # the store's own check: a stale version is refused, and so is one of an entry deleted meanwhile
    other = msgspec.structs.replace(draft, answers={**draft.answers, "evidence-for": "from window B"},
                                    updated=draft.updated + timedelta(minutes=1))
    store.save_draft(other, draft.updated)  # window B saves first
    with pytest.raises(Changed):
        store.save_draft(msgspec.structs.replace(draft, answers={}), draft.updated)  # window A's base is old now
    assert store.load().entries["aaaaaaaaaa"].answers["evidence-for"] == "from window B"

    # window A goes on with the draft it opened before B saved: its answers are kept as a new entry
    s, _, shown = _session(*THOUGHT_RECORD[6:])
    done = fill(s, _thought_record(), store, draft, token=lambda n: b"\x01" * n)
    entries = store.load().entries
    assert entries["aaaaaaaaaa"].answers["evidence-for"] == "from window B"  # B's answers untouched
    assert done.id != "aaaaaaaaaa" and entries[done.id].status == "done" and len(done.answers) == 9
    assert f"kept as a separate entry ({done.id})" in shown.getvalue()

    store.delete("aaaaaaaaaa")  # deleted in one window while another still has it open
    s, _, _ = _session("90")  # the next answer, saved: the entry is not there any more
    with pytest.raises(Gone):
        fill(s, _thought_record(), store, msgspec.structs.replace(other, answers=dict(list(other.answers.items())[:3]),
                                                                   next_step=None))
    assert "aaaaaaaaaa" not in store.load().entries
    assert issubclass(Gone, ProgressError)


def test_a_feeling_noted_already_is_asked_again() -> None:
    from neurotutor.cli.commands.practice import fill

    s, prompter, _ = _session("", "At home", "sad 70", "SAD 20", "", KeyboardInterrupt)
    journal = MemoryJournal()
    with pytest.raises(Interrupted):
        fill(s, _thought_record(), journal, token=bytes)
    assert "You have noted SAD already. Give another feeling, or press Enter to go on." in prompter.refused
    assert journal.entries["aaaaaaaaaa"].answers["feelings"] == [Feeling(name="sad", intensity=70)]
