"""The study flow in a real pseudo-terminal, keystroke by keystroke, at 80x24 and at 50 columns.

What only a terminal shows is checked on the emulated screen (tests/terminal.py): menus wrapped
at word boundaries, long sections paged, no word cut at the edge, the stop message whole. The
flow's rules themselves are tested in-process in test_study.py.

test-mini's questions, in file order (the right answers marked):
  1 tm-single       select      Alpha (right), Beta, Gamma
  2 tm-multiple     checkbox    Two (right), Three, Four (right)
  3 tm-truefalse    select      True, False (right)
  4 tm-ordering     3 selects   "Which comes 1st?", "2nd?", "last?": One, Two, Three
  5 tm-matching     3 selects   "Match “Cat” with:", "Match “Dog” with:", … Meow, Woof, Moo
  6 tm-short        text        Hebb
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from terminal import CTRL_C, DOWN, ENTER, LEFT, RIGHT, SPACE, UP, Terminal  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
OK = ["--lessons-dir", str(DATA / "lessons-ok")]
LESSONS = sorted((ROOT / "lessons").glob("*.yaml"))



def history(home: Path) -> list[dict]:
    path = home / "history.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def state(home: Path, lesson: str = "test-mini") -> dict:
    return json.loads((home / "progress.json").read_text())["lessons"].get(lesson, {})


SELECT = "(arrow keys or number, Enter)"
CHECKBOX = "(Space to tick, Enter when done):"
ENTRY = re.compile(r"^ [» ] (?:[0-9a-z?]\) |[○●] |- )(.*)$")  # pointer, then a key, circle or dash


def menu(t: Terminal, message: str, hint: str = SELECT) -> list[str]:
    """Wait for a menu and read its entries off the screen; an entry wrapped over several lines
    has its other lines indented under its text."""
    t.expect(re.escape(message))
    lines = t.settle(re.escape(hint)).split("\n")
    start = max(i for i, line in enumerate(lines) if hint in line) + 1
    entries: list[str] = []
    for line in lines[start:]:
        if not line.strip():
            break
        entry = ENTRY.match(line)
        if entry:
            entries.append(entry.group(1).strip())
        else:
            assert line.startswith(" " * 5) and line.strip(), f"not lined up under its entry: {line!r}"
            entries[-1] += " " + line.strip()
    return entries


def pick(t: Terminal, message: str, wanted: str) -> None:
    """Move the pointer to an entry by name and press Enter."""
    entries = menu(t, message)
    t.keys(*[DOWN] * entries.index(wanted), ENTER)


def go_past_sections(t: Terminal, count: int) -> None:
    for number in range(1, count + 1):
        t.expect(rf"Section {number} of {count}")
        t.expect(r"q: stop")
        t.keys(ENTER)


def test_a_whole_lesson_with_undo_i_dont_know_partial_credit_and_a_retry(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, *OK, "learn", "test-mini")
    t.prompt(r"Press Enter to go on", ENTER)  # the first-run notice, on a fresh profile
    go_past_sections(t, 2)
    pick(t, "Choose one", "Alpha")
    t.expect(r"Right\.")
    t.prompt(r"Press Enter for the next question", ENTER)
    entries = menu(t, "Choose every right answer", CHECKBOX)
    t.keys(*[DOWN] * entries.index("Two"), SPACE, *[UP] * entries.index("Two"), *[DOWN] * entries.index("Four"),
           SPACE, ENTER)
    t.prompt(r"Press Enter for the next question", ENTER)
    pick(t, "True or false", "I don't know")
    t.expect(r"Not known yet, and that is fine")
    t.prompt(r"Press Enter for the next question", ENTER)
    pick(t, "Which comes 1st", "Three")
    pick(t, "Which comes 2nd", "Undo my last pick")  # the wrong first pick is taken back
    t.expect(r"Undone: Three")
    pick(t, "Which comes 1st", "One")
    pick(t, "Which comes 2nd", "Three")
    assert menu(t, "Which comes last") == ["Two", "Undo my last pick", "I don't know"]  # asked, not filled in
    t.keys(ENTER)
    screen = t.settle(r"Press Enter for the next question")
    assert ("Not quite. 2 of 3 in the right order, which is:\n  - 1. One\n  - 2. Two (you put it 3rd)\n"
            "  - 3. Three\n") in screen  # One and Three are in order: two thirds, not the one position right
    t.keys(ENTER)
    pick(t, "Match “Cat” with", "Meow")
    pick(t, "Match “Dog” with", "Meow")  # a sound already used is still there
    entries = menu(t, "Match “Cow” with")  # every sound to the end: the last pair is not given away
    assert sorted(entries[:3]) == ["Meow", "Moo", "Woof"] and entries[3:] == ["Undo my last pick", "I don't know"]
    t.keys("u", ENTER)  # u is undo in every menu, whatever the options
    t.expect(r"Undone: Meow")
    pick(t, "Match “Dog” with", "Woof")
    pick(t, "Match “Cow” with", "Moo")
    t.prompt(r"Press Enter for the next question", ENTER)
    t.prompt(r"Your answer \(\? if you don't know\)", "Hebbb", ENTER)  # "Hebb" has 4 letters: no typo allowed
    t.expect(r"Not quite\.")
    t.prompt(r"Press Enter to see how you did", ENTER)
    screen = t.settle(r"Retry the 3 questions you missed now")
    assert "You got 3 of 6 right (50%). Best so far: 50%." in screen
    t.keys(ENTER)  # yes
    pick(t, "True or false", "False")
    t.prompt(r"Press Enter for the next question", ENTER)
    for position, item in enumerate(["One", "Two"]):
        pick(t, ["Which comes 1st", "Which comes 2nd"][position], item)
    t.prompt(r"Which comes last", ENTER)
    t.prompt(r"Press Enter for the next question", ENTER)
    t.prompt(r"Your answer", "Hebb", ENTER)
    t.prompt(r"Press Enter for the next question", ENTER)
    screen = t.settle(r"This time you got 3 of 3 right")
    assert t.finish() == 0
    answers = [(a["question"], a["mode"], a["correct"], a.get("credit")) for a in history(neurotutor_home)]
    assert answers == [
        ("tm-single", "lesson", True, None), ("tm-multiple", "lesson", True, 1.0),
        ("tm-truefalse", "lesson", False, None), ("tm-ordering", "lesson", False, 2 / 3),
        ("tm-matching", "lesson", True, 1.0), ("tm-short", "lesson", False, None),
        ("tm-truefalse", "retry", True, None), ("tm-ordering", "retry", True, 1.0), ("tm-short", "retry", True, None),
    ]
    assert history(neurotutor_home)[2]["answer"] == {"kind": "dont_know"}
    done = state(neurotutor_home)
    assert (done["completed_runs"], done["best_score"], done["last_missed"]) == (
        1, 0.5, ["tm-truefalse", "tm-ordering", "tm-short"])


def test_ctrl_c_on_the_first_section_resumes_there_in_the_same_profile(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, *OK, "learn", "test-mini", "--profile", "sam", columns=50)
    t.prompt(r"Press Enter to go on", ENTER)
    t.expect(r"Section 1 of 2")
    t.prompt(r"q: stop", CTRL_C)
    assert t.finish() == 130
    screen = t.display()
    start = max(i for i, line in enumerate(screen) if line.startswith("Stopped at section 1 of 2."))
    shown = [line for line in screen[start:] if line]
    command = f"neurotutor --profile sam --lessons-dir {DATA / 'lessons-ok'} learn test-mini"
    assert " ".join(shown).split() == ("Stopped at section 1 of 2. Your place and every answer so far are saved. "
                                       f"To continue where you left off, run: {command}").split()
    assert all(len(line) <= 50 for line in shown)
    command_lines = shown[next(i for i, line in enumerate(shown) if line.startswith("  neurotutor")):]
    assert " ".join(w for line in command_lines for w in line.split()) == command  # no word split at the edge
    assert all(line.startswith("    ") for line in command_lines[1:])  # and lined up under itself
    sam = neurotutor_home / "profiles" / "sam"
    assert state(sam) == {} if (sam / "progress.json").exists() else True  # nothing read yet
    again = terminals(neurotutor_home, *OK, "--profile", "sam", "learn", "test-mini", columns=50)
    again.expect(r"Section 1 of 2")  # not section 2: section 1 was never moved past
    again.prompt(r"q: stop", "q")
    assert again.finish() == 0
    assert "Stopped at section 1 of 2." in again.text


def test_ctrl_c_mid_quiz_keeps_every_answer_and_resumes_at_the_next_question(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, *OK, "quiz", "test-mini")
    t.prompt(r"Press Enter to go on", ENTER)
    pick(t, "Choose one", "Beta")
    t.prompt(r"Press Enter for the next question", ENTER)
    t.expect(r"Choose every right answer")
    t.prompt(r"\(Space to tick", CTRL_C)
    assert t.finish() == 130
    assert [a["question"] for a in history(neurotutor_home)] == ["tm-single"]
    t = terminals(neurotutor_home, *OK, "quiz", "test-mini")
    screen = t.settle(r"Space to tick")
    assert "Welcome back: continuing at question 2 of 6." in screen and "question 2 of 6" in screen
    t.keys(CTRL_C)
    assert t.finish() == 130


def test_a_long_section_is_paged_with_back_and_forward(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, "learn", "cbt")
    t.prompt(r"Press Enter to go on", ENTER)
    t.prompt(r"Go on to the lesson", ENTER)  # its content note
    first = t.settle(r"Section 1 of 7, page 1 of 2")
    assert first.split("\n")[0] == "CBT: thoughts, actions and what the evidence shows"  # the lesson, then its section
    t.keys(RIGHT)
    second = t.settle(r"Section 1 of 7, page 2 of 2")
    assert second != first and "Key points" in second
    t.keys(LEFT)
    assert t.settle(r"Section 1 of 7, page 1 of 2") == first
    t.keys(RIGHT)
    t.settle(r"page 2 of 2")
    t.keys(RIGHT)
    t.settle(r"Section 2 of 7")
    t.keys("b")  # back to the previous section, on its last page
    assert t.settle(r"Section 1 of 7, page 2 of 2") == second
    t.keys("q")
    assert t.finish() == 0
    assert state(neurotutor_home, "cbt")["sections_seen"] == ["cognitive-model"]


def test_a_long_choice_list_wraps_under_its_own_entry_at_80_columns(neurotutor_home: Path, terminals) -> None:
    data = yaml.safe_load((ROOT / "lessons" / "10-myths-and-facts.yaml").read_text())
    choices = [c["text"] for c in data["questions"][0]["choices"]]
    assert max(len(c) for c in choices) > 76
    t = terminals(neurotutor_home, "quiz", "myths-and-facts")
    t.prompt(r"Press Enter to go on", ENTER)
    t.prompt(r"Go on with this lesson anyway", ENTER)  # its prerequisite is not done
    t.prompt(r"Go on to the lesson", ENTER)  # the content note
    entries = menu(t, "Choose one")
    assert sorted(entries) == sorted(choices + ["I don't know"])
    assert all(len(line) <= 80 for line in t.display())
    t.keys(CTRL_C)
    assert t.finish() == 130


def vocabulary() -> set[str]:
    """Every word the tutor could show: the lessons' and the source code's."""
    words: set[str] = set()
    for path in [*LESSONS, *(ROOT / "src").rglob("*.py")]:
        words.update(re.findall(r"\w+", path.read_text(encoding="utf-8")))
    return words


def long_strings() -> list[str]:
    """Addresses and other strings longer than a 50-column line: these may only go on over lines."""
    found: list[str] = []
    for path in LESSONS:
        found += [w for w in path.read_text(encoding="utf-8").split() if len(w) > 45]
    return found


def cut_words(screen: list[str], words: set[str], columns: int, longer: list[str]) -> list[str]:
    """Words on the screen that are not whole words: cut off at the edge, or split mid-word
    (a piece of an address too long for any line is allowed)."""
    found = []
    for line in screen:
        assert len(line) <= columns
        for chunk in line.split():
            if any(chunk in whole for whole in longer):
                continue
            found += [w for w in re.findall(r"\w+", chunk) if w not in words and not w.isdigit()]
    return found


# The prompt now waiting, known by the last of these on the screen (prompts are drawn at the bottom).
def test_the_first_run_notice_comes_with_whichever_command_is_first(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, "lessons", columns=50)
    assert t.finish() == 0
    assert "Before you start: neurotutor is education, not therapy" in " ".join(t.text.split())
    assert json.loads((neurotutor_home / "progress.json").read_text())["notice_seen"] is True
    again = terminals(neurotutor_home, "history")
    assert again.finish() == 0
    assert "Before you start" not in again.text  # once per profile


def test_home_menu_numbers_stay_put_and_the_number_keys_work(neurotutor_home: Path, terminals) -> None:
    t = terminals(neurotutor_home, *OK)
    t.prompt(r"Press Enter to go on", ENTER)
    lines = t.settle(r"What would you like to do").split("\n")
    start = next(i for i, line in enumerate(lines) if "What would you like to do" in line) + 1
    assert lines[start:start + 8] == ["   - Review (nothing answered yet)",
                                      " » 2) Next: 1. Neuroplasticity: how the brain changes with experience",
                                      "   3) Choose a lesson", "   4) Exam practice", "   5) See my progress",
                                      "   6) Get urgent help (crisis lines)",
                                      "   7) Practise: a worksheet, a breathing space or a check-in", "   8) Quit"]
    t.keys("8", ENTER)
    assert t.finish() == 0
    assert "Goodbye. Your progress is saved." in t.text


KEYED = re.compile(r"^ [» ] ([0-9a-z?])\) (.*)$")  # an entry with its key


def keyed(t: Terminal, message: str) -> dict[str, str]:
    """The entries of the menu now waiting, by name, with the key shown before each."""
    t.expect(re.escape(message))
    lines = t.settle(re.escape(SELECT)).split("\n")
    start = max(i for i, line in enumerate(lines) if SELECT in line) + 1
    return {entry.group(2): entry.group(1) for line in lines[start:] if (entry := KEYED.match(line))}


def asked_first(tmp_path: Path, lesson: str, question_id: str) -> list[str]:
    """A copy of a lesson (ids changed, so it stands beside the built-in one) that asks one question
    first, with no prerequisite or content note to step past."""
    data = yaml.safe_load(((ROOT / "lessons" if lesson[0].isdigit() else DATA / "lessons-ok") / f"{lesson}.yaml")
                          .read_text(encoding="utf-8"))
    data["questions"].sort(key=lambda q: q["id"] != question_id)
    for q in data["questions"]:
        q["id"] = "copy-" + q["id"]
    data["id"] = "copy-" + data["id"]
    data.pop("prerequisites", None)
    data.pop("content_note", None)
    folder = tmp_path / "copies"
    folder.mkdir(parents=True)
    (folder / f"{lesson}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ["--lessons-dir", str(folder), "quiz", data["id"]]


def test_keys_keep_their_meaning_and_i_dont_know_asks_before_it_throws_picks_away(neurotutor_home: Path,
                                                                                  terminals, tmp_path: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, *asked_first(tmp_path, "test-mini", "tm-ordering"))
    first = keyed(t, "Which comes 1st")
    assert sorted(first) == ["I don't know", "One", "Three", "Two"] and first["I don't know"] == "?"
    assert sorted(first[item] for item in ("One", "Two", "Three")) == ["1", "2", "3"]
    t.keys(first["Three"], ENTER)
    second = keyed(t, "Which comes 2nd")
    assert second == {"One": first["One"], "Two": first["Two"], "Undo my last pick": "u", "I don't know": "?"}
    t.keys("?", ENTER)
    t.prompt(r"Give up this question as not known\? That throws away your 1 pick so far\.", "n")
    again = keyed(t, "Which comes 2nd")  # the same menu, the pick kept
    assert again == second and "Which comes 1st? Three" in t.shown()
    t.keys("?", ENTER)
    t.prompt(r"Give up this question as not known\?", "y")
    t.expect(r"Not known yet, and that is fine")
    t.prompt(r"Press Enter for the next question", "q")
    assert t.finish() == 0
    assert [(a["question"], a["answer"]) for a in history(neurotutor_home)] == [("copy-tm-ordering",
                                                                                 {"kind": "dont_know"})]


def test_the_confidence_question_keeps_the_answer_on_screen(neurotutor_home: Path, terminals, tmp_path: Path) -> None:
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, *asked_first(tmp_path, "test-mini", "tm-multiple"), "--confidence")
    entries = menu(t, "Choose every right answer", CHECKBOX)
    t.keys(*[DOWN] * entries.index("Three"), SPACE, *[UP] * entries.index("Three"), *[DOWN] * entries.index("Two"),
           SPACE, ENTER)
    lines = t.settle(r"How sure are you of that answer").split("\n")
    asked = next(i for i, line in enumerate(lines) if "How sure are you" in line)
    in_menu = [e for e in entries if e in ("Two", "Three")]
    assert lines[asked - 1] == f"Your answer: {'; '.join(in_menu)}"  # as shown in the menu
    t.keys("1", ENTER)
    screen = t.settle(r"Press Enter for the next question")
    assert "Not quite.\nRight, but not ticked: Four\nTicked, but wrong: Three\n" in screen
    assert "You answered" not in screen  # said once, above
    t.keys("q")
    assert t.finish() == 0


def narrow_menu(t: Terminal) -> list[str]:
    """The entries of the menu now waiting, read off a narrow screen (where its hint may wrap)."""
    lines = t.settle(r"\?\) I don't know").split("\n")
    start = max(i for i, line in enumerate(lines) if line.startswith("? "))
    entries: list[str] = []
    for line in lines[start + 1:]:
        entry = ENTRY.match(line)
        if entry:
            entries.append(entry.group(1).strip())
        elif entries and line.startswith(" " * 5):
            entries[-1] += " " + line.strip()
    return entries


@pytest.mark.parametrize("lesson, question_id", [("10-myths-and-facts", "myth-match-levels"),
                                                 ("09-emerging-approaches", "ea-research-ladder")])
def test_at_50_columns_the_verdict_stays_on_screen_when_everything_is_wrong(
        neurotutor_home: Path, terminals, tmp_path: Path, lesson: str, question_id: str) -> None:
    """The longest built-in matching and ordering feedback, every pair or item wrong, sure: the
    verdict is on screen when the tutor waits for a key."""
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    question = next(q for q in yaml.safe_load((ROOT / "lessons" / f"{lesson}.yaml").read_text(encoding="utf-8"))
                    ["questions"] if q["id"] == question_id)
    t = terminals(neurotutor_home, *asked_first(tmp_path, lesson, question_id), "--confidence", columns=50)
    if question["type"] == "matching":
        for pair in question["pairs"]:
            entries = narrow_menu(t)
            t.keys(str(next(i for i, e in enumerate(entries) if e != pair["right"]) + 1), ENTER)
    else:
        for _ in question["items"]:  # the last item first, and so on: no two in order
            entries = [e for e in narrow_menu(t) if e in question["items"]]
            t.keys(*[DOWN] * max(range(len(entries)), key=lambda i: question["items"].index(entries[i])), ENTER)
    t.prompt(r"How sure are you", "3", ENTER)
    screen = t.settle(r"Press Enter for")
    assert any(line.startswith("Not quite. 0 of ") for line in screen.split("\n")), screen
    if "Press Enter for the rest" in screen:
        t.keys(ENTER)
        t.settle(r"Press Enter for the next question")
    t.keys("q")
    assert t.finish() == 0
