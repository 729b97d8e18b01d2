"""The exam's terminal screens in-process: the overview (every question with its state, paged to
the screen), the step after a question, the results (the score first, then the details a page at
a time), and the home screen's choice of exam. Plain output to a buffer, the real plain prompter
reading scripted lines, or a scripted prompter; exact text."""

from __future__ import annotations

import io
import re
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from neurotutor.cli import exam_screen as es
from neurotutor.cli.output import Output
from neurotutor.cli.prompters import PlainPrompter
from neurotutor.cli.settings import Settings
from neurotutor.lessons.loader import load_lesson_file
from neurotutor.progress import model as pm
from neurotutor.study import exam as ex
from neurotutor.study import items
from neurotutor.study.confidence import calibrate

DATA = Path(__file__).parent / "data"
LESSON = load_lesson_file(DATA / "lessons-ok" / "test-mini.yaml")[0].lesson  # type: ignore[union-attr]
Q = {q.id: q for q in LESSON.questions}
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


class Sized(Output):
    """Plain output to a buffer, as on a screen of a given size."""

    def __init__(self, width: int, height: int) -> None:
        self.buffer = io.StringIO()
        super().__init__(False, file=self.buffer, width=width)
        self._height = height

    @property
    def height(self) -> int:
        return self._height


def typed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))


def rows(count: int, flagged: tuple[int, ...] = (), answered: tuple[int, ...] = (), seen: tuple[int, ...] = ()) -> list[ex.Row]:
    """`count` overview rows (test-mini's questions over and over), numbered from 1."""
    order = list(Q)
    made = []
    for n in range(1, count + 1):
        question = Q[order[(n - 1) % len(order)]]
        item = items.QuestionItem("test-mini", question, n, count, items.shuffle(question, 1, "exam"), "exam")
        state: ex.State = "answered" if n in answered else "skipped" if n in seen else "unseen"
        made.append(ex.Row(item, state, n in flagged, "x" if n in answered else None))
    return made


def exam_screen(out: Output, prompter: Any = None, questions: int = 6) -> es.ExamTerminalScreen:
    screen = es.ExamTerminalScreen(out, prompter or PlainPrompter(out), Settings(), {"test-mini": LESSON.title})
    screen.record = pm.ExamRecord(id="e1", started=T0, seed=1, question_ids=tuple(f"q{i}" for i in range(questions)))
    return screen


# -- the overview ----------------------------------------------------------------------------------


def test_the_overview_lists_every_question_with_its_state(monkeypatch: pytest.MonkeyPatch) -> None:
    out = Sized(60, 24)
    typed(monkeypatch, "3", "4")  # flag or unflag; question 4
    pick = exam_screen(out).overview(rows(6, flagged=(2,), answered=(1, 2, 5), seen=(3,)), None)
    assert pick == ex.Flag(3)
    assert out.buffer.getvalue() == (
        "\nYour answers.\n"
        "3 of 6 answered, 1 flagged.\n"
        "1  answered           Which is right?\n"
        "2  answered  flagged  Pick the even numbers.\n"
        "3  skipped            Extinction erases the old memory.\n"
        "4  not seen           Put these in order.\n"
        "5  answered           Match each animal to its sound.\n"
        "6  not seen           Who proposed that links used...\n"
        "What next?\n"
        "  1. Answer question 3, the first open\n"
        "  2. Go to a question by its number\n"
        "  3. Flag or unflag a question\n"
        "  4. Submit my answers\n"
        "  5. Stop for now (answers kept)\n"
        "Choose 1-5: 3\n"
        "Which question? (1-6): 4\n")


def test_with_every_question_answered_the_first_flagged_one_is_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    out = Sized(80, 24)
    typed(monkeypatch, "1")
    every = rows(3, flagged=(2, 3), answered=(1, 2, 3))
    assert exam_screen(out, questions=3).overview(every, 125.0) == 1
    assert "3 of 3 answered, 2 flagged. Time left: 2:05.\n" in out.buffer.getvalue()
    assert "  1. Look again at question 2, the first flagged\n" in out.buffer.getvalue()


ROW = re.compile(r" ?\d+  (answered|skipped|not seen) ")


def screens(text: str) -> list[list[str]]:
    """The overview's screens in a run of plain output: from each heading to its "Choose" line."""
    found = []
    lines = text.split("\n")
    for start, line in enumerate(lines):
        if line == "Your answers.":
            end = next(k for k in range(start, len(lines)) if lines[k].startswith("Choose "))
            found.append(lines[start - 1:end + 1])  # with the blank line above the heading
    return found


@pytest.mark.parametrize("width, height, per_page", [(80, 24, 12), (50, 24, 11), (40, 24, 11), (80, 50, 20)])
def test_the_overview_pages_its_list_to_fit_the_screen(monkeypatch: pytest.MonkeyPatch, width: int, height: int,
                                                       per_page: int) -> None:
    out = Sized(width, height)
    pages = -(-20 // per_page)
    typed(monkeypatch, *(["4"] * pages if pages > 1 else []), "2", "2")  # every page and back; go to question 2
    assert exam_screen(out, questions=20).overview(rows(20, flagged=(7,), answered=tuple(range(1, 11))), None) == 1
    shown = screens(out.buffer.getvalue())
    assert len(shown) == (pages + 1 if pages > 1 else 1)
    listed = [line.split()[0] for screen in shown for line in screen if ROW.match(line)]
    assert listed[:20] == [str(n) for n in range(1, 21)]  # every question, on one page or another
    for number, screen in enumerate(shown):
        assert len(screen) <= height - 1  # the whole screen fits, with the line typed still to come
        assert all(len(line) < width for line in screen)
        if number < pages - 1:
            assert len([line for line in screen if ROW.match(line)]) == per_page
    if pages > 1:
        summary = " ".join(line for line in shown[0][2:] if not ROW.match(line) and line != "What next?")
        assert summary.startswith(f"10 of 20 answered, 1 flagged. Questions 1-{per_page} of 20:")
        assert f"  4. Show questions {per_page + 1}-20" in shown[0]
        assert shown[pages][:-1] == shown[0][:-1]  # the last page leads back to the first
    else:
        assert "Show questions" not in out.buffer.getvalue()
        assert shown[0][2] == "10 of 20 answered, 1 flagged."


def test_a_question_no_longer_in_its_lesson_cannot_be_picked(monkeypatch: pytest.MonkeyPatch) -> None:
    out = Sized(80, 24)
    typed(monkeypatch, "1", "7", "4")  # go to question 7 (gone); then stop
    listed = rows(6, answered=(1, 2, 3, 4, 5, 6))
    assert exam_screen(out, questions=7).overview(listed, None) == "stop"
    assert "Question 7 is no longer in its lesson, so it cannot be answered or flagged.\n" in out.buffer.getvalue()


# -- a question, and what comes after it ---------------------------------------------------------------


class Scripted:
    """A prompter that answers from a script and records (what, message, options)."""

    def __init__(self, *replies: Any) -> None:
        self.replies = list(replies)
        self.calls: list[tuple[Any, ...]] = []

    def _next(self, *call: Any) -> Any:
        self.calls.append(call)
        if not self.replies:
            raise EOFError
        return self.replies.pop(0)

    def ask(self, question: Any, shown: Any, skippable: bool = False) -> Any:
        return self._next("ask", question.id, skippable)

    def choose(self, message: str, options: list[str], disabled: Any = None, default: int | None = None) -> int:
        return self._next("choose", message, tuple(options))  # type: ignore[no-any-return]

    def number(self, message: str, low: int, high: int) -> int:
        return self._next("number", message, low, high)  # type: ignore[no-any-return]

    def pause(self, message: str) -> None:
        self.calls.append(("pause", message))

    def page(self, lines: list[str], done: str, wait: bool = True) -> None:
        self.calls.append(("page", done, tuple(lines)))


def test_after_a_question_go_on_flag_it_or_go_to_the_list() -> None:
    out = Sized(80, 24)
    prompter = Scripted(None, 1, ex_answer := object(), 2)
    screen = exam_screen(out, prompter)
    item = rows(1)[0].item
    assert screen.exam_ask(item, None, None) is None  # skipped
    assert screen.after_question(item, None, False, "next") == "flag"
    assert screen.exam_ask(item, None, None, flagged=True) is ex_answer
    given = pm.new_attempt(lesson="test-mini", question=item.question.id, mode="exam", answer=None,
                           answer_text="Alpha", correct=True, seconds=1.0, now=T0, utc_offset=0)
    assert screen.after_question(item, given, True, "next") == "list"
    assert [c for c in prompter.calls if c[0] == "choose"] == [
        ("choose", "What next?", ("Next question", "Flag it for review, then the next question",
                                  "Go to the list of questions")),
        ("choose", "What next?", ("Next question", "Remove the flag, then the next question",
                                  "Go to the list of questions"))]
    assert out.buffer.getvalue() == (
        "Exam, question 1 of 1, A small test lesson\n\nWhich is right?\n"
        "No answer yet: skipped for now.\n"
        "Exam, question 1 of 1, A small test lesson\nYou flagged this question for review.\n\nWhich is right?\n"
        "Your answer is saved: Alpha\n")
    from_list = Scripted(1)
    assert exam_screen(Sized(80, 24), from_list).after_question(item, given, False, "list") == "flag"
    assert from_list.calls == [("choose", "What next?", ("Go to the list of questions",
                                                          "Flag it for review, then the list of questions"))]


# -- the results -------------------------------------------------------------------------------------------


def outcome(status: str = "submitted", rated: tuple[tuple[bool, int], ...] = ()) -> ex.ExamResult:
    record = pm.ExamRecord(id="20261123-090000-001", started=T0, seed=1, status=status,  # type: ignore[arg-type]
                           question_ids=("tm-single", "tm-truefalse", "tm-short"), seconds_used=95.0,
                           flagged=("tm-truefalse",))
    questions = (
        ex.QuestionResult(1, "test-mini", "tm-single", "Which is right?", "Alpha", True, "Alpha", "Alpha is.", 3, 4.0),
        ex.QuestionResult(2, "test-mini", "tm-truefalse", "Extinction erases the old memory.", "True", False, "False",
                          "It is new learning.", None, 3.0),
        ex.QuestionResult(3, "other", "tm-short", "Who?", None, False, "Hebb", "Hebb did.", None, None))
    by_tag = (ex.Tally("level-core", 3, 1), ex.Tally("memory", 3, 1), ex.Tally("topic-memory-and-change", 3, 1))
    return ex.ExamResult(record, questions, (ex.Tally("A small test lesson", 2, 1), ex.Tally("Other", 1, 0)),
                         by_tag, calibrate(rated))


def test_the_score_comes_first_then_the_details_a_page_at_a_time_then_the_score_again() -> None:
    out = Sized(80, 24)
    prompter = Scripted()
    es.present_result(out, prompter, Settings(), outcome(rated=((True, 3), (False, 2))))
    score = ("\nExam results (submitted).\n"
             "You got 1 of 3 right (33%); 2 answered.\n"
             "Points for how sure you were (certainty-based marks): 1 of a possible 6, over 2\n"
             "rated answers.\n"
             "Time used: 1:35.\n"
             "Worth another look: Other (0 of 1 right), A small test lesson (1 of 2 right).\n")
    assert out.buffer.getvalue() == (
        score + "\n" + score + "\nSee these results again:\n  neurotutor exams show 20261123-090000-001\n")
    assert [c[0] for c in prompter.calls] == ["pause", "page"]
    assert prompter.calls[0] == ("pause", "Press Enter to see each question with the right answer and why.")
    _, done, lines = prompter.calls[1]
    assert done == "back to your score"
    assert "\n".join(lines) == (
        "By lesson\n"
        "  - A small test lesson: 1 of 2 right (50%)\n"
        "  - Other: 0 of 1 right (0%)\n"
        "\nBy topic\ntopic              right   score\nmemory and change  1 of 3  33%\n"
        "\nBy level\nlevel  right   score\ncore   1 of 3  33%\n"  # no keyword tags ("memory")
        "\nQuestion by question.\n"
        "\nQuestion 1\nWhich is right?\nRight: Alpha\nYou said sure.\nAlpha is.\n"
        "\nQuestion 2 (you flagged it for review)\nExtinction erases the old memory.\nNot right: True\n"
        "The right answer: False\nIt is new learning.\n"
        "\nQuestion 3\nWho?\nNot answered.\nThe right answer: Hebb\nHebb did.")
    assert "Scroll up" not in out.buffer.getvalue()


def test_with_no_one_at_a_screen_the_results_come_all_at_once() -> None:
    out = Sized(80, 0)
    prompter = Scripted()
    es.present_result(out, prompter, Settings(), outcome("timed_out"))
    text = out.buffer.getvalue()
    assert prompter.calls == []
    assert text.startswith("\nExam results (time ran out).\nYou got 1 of 3 right (33%); 2 answered.\n"
                           "Time used: 1:35.\nThe time ran out: 1 question was left without an answer.\n")
    assert text.index("\nQuestion by question.\n") > text.index("Worth another look")
    assert text.endswith("Hebb did.\n\nSee these results again:\n  neurotutor exams show 20261123-090000-001\n")
    assert text.count("You got 1 of 3 right") == 1


def test_the_verdict() -> None:
    every = outcome()
    assert es.verdict(every) == "Worth another look: Other (0 of 1 right), A small test lesson (1 of 2 right)."
    right = ex.ExamResult(every.record, tuple(ex.QuestionResult(1, "a", "q", "p", "x", True, "x", "", None, None)
                                              for _ in range(2)), (ex.Tally("A", 2, 2),), (), calibrate(()))
    assert es.verdict(right) == "Every answer was right."
    one = ex.ExamResult(every.record, every.questions, (ex.Tally("A", 3, 1),), (), calibrate(()))
    assert es.verdict(one) == "The details below show each question with the right answer and why."


# -- what a new exam says, and the command that sits it again ------------------------------------------------


def test_retake_words_draw_the_same_exam_again() -> None:
    record = pm.ExamRecord(id="e", started=T0, seed=7, question_ids=("a", "b"), lessons=("cbt", "mindfulness"),
                           minutes=15)
    assert es.retake_words(record) == ["exam", "--seed", "7", "--questions", "2", "--lessons", "cbt,mindfulness",
                                       "--minutes", "15"]
    every = pm.ExamRecord(id="e", started=T0, seed=7, question_ids=("a",), tags=("topic-x",))
    assert es.retake_words(every) == ["exam", "--seed", "7", "--questions", "1", "--all-lessons", "--tags", "topic-x"]


def test_what_a_new_exam_says_about_where_its_questions_come_from() -> None:
    from neurotutor.cli.session import Session

    s = Session()
    pools = (ex.Pool("a", "A", (), ("q",)), ex.Pool("b", "B", (), ("r",)))
    assert es.scope_words(s, ex.Scope(pools, ("a", "b"), "studied", True), [], 10, 15) == (
        "The questions come from the 2 lessons you have studied (started or done). To draw from every lesson instead:",
        "neurotutor exam --all-lessons --questions 10 --minutes 15")
    assert es.scope_words(s, ex.Scope(pools[:1], ("a",), "studied", True), ["topic-x"], drawn=1) == (
        "The questions come from the lesson you have studied (started or done) with that tag. It has 1 question, "
        "fewer than the 20 asked for. To draw from every lesson instead:", "neurotutor exam --all-lessons --tags topic-x")
    assert es.scope_words(s, ex.Scope(pools, ("a", "b"), "studied", True), [], 10, drawn=10)[0].startswith(
        "The questions come from the 2 lessons you have studied (started or done). To draw")
    assert es.scope_words(s, ex.Scope(pools, (), "nothing_studied"), []) == (
        "You have not studied a lesson yet, so the questions come from every lesson.", None)
    assert es.scope_words(s, ex.Scope(pools, (), "nothing_studied", True), ["x", "y"]) == (
        "None of the lessons you have studied has questions with those tags, so the questions come from every "
        "lesson with those tags.", None)
    assert es.scope_words(s, ex.Scope(pools, (), "all"), []) == (
        "The questions come from every lesson, studied or not.", None)
    assert es.scope_words(s, ex.Scope(pools, ("a",), "named"), []) is None


# -- the home screen's "Exam practice" -------------------------------------------------------------------------


def home_session(home: Path, *replies: Any, progress: pm.Progress | None = None) -> tuple[Any, Scripted, Sized]:
    """A session over the built-in lessons with this progress, scripted answers and plain output."""
    from neurotutor.cli.session import Session

    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    (home / "progress.json").write_bytes(pm.encode(progress or pm.Progress(notice_seen=True, seed=1)))
    out, prompter = Sized(80, 24), Scripted(*replies)
    return Session.made_of(Settings(), out=out, prompter=prompter), prompter, out


def sat(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(es, "sit", lambda s, **kw: calls.append(kw))
    return calls


def test_choose_exam_with_nothing_studied_offers_every_lesson_or_a_topic(neurotutor_home: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls = sat(monkeypatch)
    s, prompter, out = home_session(neurotutor_home, 1, 1, 0)  # 10 questions in 15 minutes; a topic; the first
    es.choose_exam(s)
    menus = [c[1:] for c in prompter.calls if c[0] == "choose"]
    assert menus[0] == ("Which exam?", ("20 questions, untimed", "10 questions in 15 minutes",
                                        "20 questions in 30 minutes", "10 questions, untimed", "Back"))
    assert menus[1] == ("Which lessons should the questions come from?",
                        ("Every lesson (18)", "A topic or a level", "Back"))
    assert menus[2] == ("Which topic or level?", (
        "Topic: evidence (2 lessons)", "Topic: memory and change (5 lessons)", "Topic: neuroplasticity (2 lessons)",
        "Topic: stress and emotion (3 lessons)", "Topic: therapies (6 lessons)", "Level: advanced (7 lessons)",
        "Level: basics (5 lessons)", "Level: core (6 lessons)", "Back"))
    assert calls == [{"lessons": [], "tags": ["topic-evidence"], "questions": 10, "minutes": 15, "all_lessons": True}]
    assert "You have not studied a lesson yet, so the questions can come from every lesson" in out.buffer.getvalue()


def test_choose_exam_draws_from_the_lessons_studied_first(neurotutor_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = sat(monkeypatch)
    progress = pm.Progress(notice_seen=True, seed=1, lessons={"cbt": pm.LessonState(sections_seen=("x",)),
                                                               "mindfulness": pm.LessonState(run=2, completed_runs=1)})
    s, prompter, _ = home_session(neurotutor_home, 0, 0, progress=progress)
    es.choose_exam(s)
    assert prompter.calls[-1] == ("choose", "Which lessons should the questions come from?",
                                  ("The 2 lessons you have studied", "Every lesson (18)", "A topic or a level", "Back"))
    assert calls == [{"lessons": [], "tags": [], "questions": 20, "minutes": None, "all_lessons": False}]
    for back in ([4], [0, 3], [0, 2, 8]):  # "Back" at each menu: nothing starts
        s, prompter, _ = home_session(neurotutor_home, *back, progress=progress)
        es.choose_exam(s)
    assert len(calls) == 1


def test_choose_exam_offers_an_unfinished_exam_first(neurotutor_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = sat(monkeypatch)
    resumed: list[tuple[str, bool]] = []
    monkeypatch.setattr(es, "sit_exam", lambda s, record, answers, again, confidence: resumed.append((record.id, again)))
    record = pm.ExamRecord(id="e1", started=T0, seed=1, question_ids=("cbt-same-text-different-feelings",))
    progress = pm.Progress(notice_seen=True, seed=1, exams={"e1": record})
    s, prompter, out = home_session(neurotutor_home, 2, progress=progress)
    es.choose_exam(s)  # Back
    assert out.buffer.getvalue() == "You have an unfinished exam, e1: 0 of 1 questions answered.\n"
    assert prompter.calls == [("choose", "What would you like to do?",
                               ("Go on with it", "Abandon it and start a new one", "Back"))]
    s, prompter, out = home_session(neurotutor_home, 0, progress=progress)
    es.choose_exam(s)
    assert resumed == [("e1", True)] and calls == []
    s, prompter, out = home_session(neurotutor_home, 1, 0, 0, progress=progress)  # abandon; 20 untimed; every lesson
    es.choose_exam(s)
    assert "Exam e1 was abandoned. Its 0 answers stay in your history; it is not scored.\n" in out.buffer.getvalue()
    assert calls == [{"lessons": [], "tags": [], "questions": 20, "minutes": None, "all_lessons": True}]
