"""`neurotutor stats` from a fixture profile: exact plain lines, the JSON document, an unknown lesson,
an empty history, and the terminal screen (heatmap, bar charts, the forgetting curve) at 50 and 80
columns without a cut word.

The fixture is written relative to the real clock (the CLI reads it), on local days in Kolkata
(UTC+05:30 all year), so every date in the expected output is worked out from today there.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from rich.console import Console

from neurotutor.cli.output import Output
from neurotutor.cli.settings import Settings
from neurotutor.cli.stats_view import show_forgetting_curve, show_stats
from neurotutor.progress import model as pm
from neurotutor.stats import build as sb
from neurotutor.stats import forgetting as fg

DATA = Path(__file__).parent / "data"
LESSONS = DATA / "lessons-ok"
OK = ["--lessons-dir", str(LESSONS)]
KOLKATA = {"TZ": "Asia/Kolkata"}
OFFSET = timedelta(hours=5, minutes=30)
UTC = timezone.utc
# (days before today, question, mode, right, confidence, misconception): 12 answers on 8 local days
ANSWERS = [
    (12, "tm-single", "lesson", False, 3, "beta-myth"),
    (12, "tm-truefalse", "lesson", False, 3, "exposure-erases-fear"),
    (11, "tm-single", "retry", False, 3, "beta-myth"),
    (10, "tm-single", "review", True, 3, None),
    (9, "tm-truefalse", "review", False, 3, "exposure-erases-fear"),
    (8, "tm-multiple", "review", True, 3, None),
    (2, "tm-single", "exam", False, 3, "beta-myth"),
    (2, "tm-short", "practice", True, 3, None),
    (1, "tm-ordering", "review", True, 3, None),
    (1, "tm-matching", "review", False, None, None),
    (0, "tm-short", "review", True, 3, None),
    (0, "tm-multiple", "lesson", True, None, None),
]


def local_today() -> date:
    return (datetime.now(UTC) + OFFSET).date()


def local_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC) - OFFSET


def write_fixture(home: Path) -> date:
    """A profile with the answers above, four cards (and one of a removed question) and three exams."""
    now = datetime.now(UTC)
    today = local_today()
    midnight = datetime(today.year, today.month, today.day, tzinfo=UTC) - OFFSET
    attempts = []
    for i, (back, question, mode, right, level, label) in enumerate(ANSWERS, 1):
        at = local_noon(today - timedelta(days=back)) if back else max(midnight, now - timedelta(seconds=30))
        attempts.append(pm.new_attempt(lesson="test-mini", question=question, mode=mode, answer=None, answer_text="x",
                                       correct=right, seconds=float(i), now=at, utc_offset=330, confidence=level,
                                       misconceptions=(label,) if label else (), run=1 if mode == "lesson" else None))

    def card(state: int, due: timedelta, stability: float, last: timedelta) -> pm.CardState:
        return pm.CardState(state=state, stability=stability, difficulty=5.0, due=now + due,  # type: ignore[arg-type]
                            last_review=now - last, step=0 if state == 1 else None)

    cards = {
        "tm-single": card(2, timedelta(days=30), 100.0, timedelta(days=1)),  # a 31-day interval: mature
        "tm-multiple": card(1, -timedelta(hours=1), 1.0, timedelta(days=1)),  # learning, due
        "tm-truefalse": card(2, -timedelta(days=10), 2.0, timedelta(days=20)),  # forgotten, due
        "tm-short": card(2, timedelta(days=3), 50.0, timedelta(days=2)),  # a 5-day interval, due within 7 days
        "removed-question": card(2, -timedelta(days=1), 2.0, timedelta(days=5)),  # in no lesson: ignored
    }

    def exam(exam_id: str, status: str, score: float | None, back: int) -> pm.ExamRecord:
        ended = local_noon(today - timedelta(days=back))
        return pm.ExamRecord(id=exam_id, started=ended - timedelta(minutes=10), finished=ended, status=status,  # type: ignore[arg-type]
                             seed=1, lessons=("test-mini",), score=score)

    exams = {e.id: e for e in [exam("e1", "submitted", 0.5, 5), exam("e2", "timed_out", 0.75, 3),
                               exam("e3", "abandoned", 1.0, 1)]}
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    home.chmod(0o700)
    (home / "progress.json").write_bytes(pm.encode(pm.Progress(notice_seen=True, seed=251, cards=cards, exams=exams)))
    (home / "history.jsonl").write_bytes(b"".join(pm.encode_attempt(a) for a in attempts))
    for name in ("progress.json", "history.jsonl"):
        (home / name).chmod(0o600)
    return today


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def expected_weeks(today: date) -> tuple[list[str], list[str]]:
    """The per-week lines of the days and accuracy sections, from ANSWERS."""
    weeks: dict[date, list] = {}
    for back, _, _, right, _, _ in ANSWERS:
        day = today - timedelta(days=back)
        week = weeks.setdefault(day - timedelta(days=day.weekday()), [set(), 0, 0])
        week[0].add(day)
        week[1] += 1
        week[2] += right
    days = [f"week of {w}: {plural(len(d), 'day')}, {plural(n, 'answer')}" for w, (d, n, _) in sorted(weeks.items())]
    accuracy = [f"week of {w}: {r} of {plural(n, 'answer')} right ({round(r * 100 / n)}%)"
                for w, (_, n, r) in sorted(weeks.items())]
    return days, accuracy


def test_plain_stats_of_one_lesson(run_cli, neurotutor_home: Path) -> None:
    today = write_fixture(neurotutor_home)
    result = run_cli(*OK, "--plain", "stats", "--all", "--lesson", "test-mini", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    days, accuracy = expected_weeks(today)
    assert result.stdout.splitlines() == [
        "",
        "Your statistics in A small test lesson.",
        f"12 answers on 8 days. Dates are your local days (UTC+05:30); today is {today}.",
        "",
        "Mastery.",
        "lesson               mature     due today  due in 7 days",
        "A small test lesson  1/6 (17%)  2          3",
        "Mature: answered well enough that the next review is 21 days or more away (as Anki counts). Due today: "
        "any time until your study day ends at 04:00; due in 7 days counts today too.",
        "Reviews ahead: 2 today, 0 tomorrow, 3 in the next 7 days, 3 in the next 30.",
        "",
        "Days studied.",
        f"Days studied in the last 26 weeks: 8 (most recent: {today})",
        *days,
        "Current streak: 3 days. Longest streak: 5 days.",
        "",
        "Accuracy.",
        "Overall: 6 of 12 answers right (50%). Average answer time: 6.5 seconds.",
        "Answers by mode: lesson 3, retry 1, review 6, practice 1, exam 1.",
        *accuracy,
        "",
        "Exams.",
        f"Exams taken: 2. Best score: 75%. Latest: 75% (on {today - timedelta(days=3)}).",
        "",
        "Calibration.",
        "how sure     answers  right  suits      verdict",
        "a guess      0        -      below 67%  too few yet",
        "fairly sure  0        -      67-80%     too few yet",
        "sure         10       50%    above 80%  overconfident",
        "Certainty-based marks: -15 of 30 possible (10 rated answers).",
        "Overall you are overconfident: you are right less often than you feel sure.",
        "You are overconfident on A small test lesson questions (when sure: 50% right of 10).",
        "",
        "Misconceptions chosen most.",
        "  - beta myth (chosen 3 times; corrected in A small test lesson)",
        "  - Exposure wipes out the old fear memory. (chosen 2 times; corrected in A small test lesson)",
        "To go over A small test lesson again:",
        f"  neurotutor --lessons-dir {LESSONS} --plain learn test-mini",
    ]


def test_plain_stats_of_every_lesson(run_cli, neurotutor_home: Path) -> None:
    today = write_fixture(neurotutor_home)
    result = run_cli(*OK, "--plain", "stats", "--all", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["Your statistics.",
                          f"12 answers on 8 days. Dates are your local days (UTC+05:30); today is {today}."]
    table = lines[5:lines.index("", 5) - 3]  # then the lessons not started, the note and the forecast
    assert re.split(r"\s{2,}", table[0]) == ["lesson", "mature", "due today", "due in 7 days"]
    rows = [re.split(r"\s{2,}", line) for line in table[1:]]
    from neurotutor import paths
    from neurotutor.lessons.catalogue import validate_files

    builtin = validate_files(paths.builtin_lessons_dir(), [], []).lessons
    total = sum(len(e.info.question_ids) for e in builtin) + 6
    assert rows == [["A small test lesson", "1/6 (17%)", "2", "3"],  # only the lessons started, then the total
                    ["all lessons", f"1/{total} ({round(100 / total)}%)", "2", "3"]]
    assert lines[lines.index("", 5) - 3] == f"Not started yet: {len(builtin)} lessons (in the total above)."
    assert lines[lines.index("Exams.") + 1] == f"Exams taken: 2. Best score: 75%. Latest: 75% (on {today - timedelta(days=3)})."


def test_json_stats(run_cli, neurotutor_home: Path) -> None:
    today = write_fixture(neurotutor_home)
    result = run_cli(*OK, "stats", "--json", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    doc = json.loads(result.stdout)
    assert list(doc) == ["format", "version", "tutor_version", "generated_at", "today", "utc_offset_minutes", "lesson",
                         "answers", "mastery", "activity", "accuracy", "exams", "calibration", "misconceptions",
                         "forecast"]
    assert (doc["format"], doc["version"], doc["today"], doc["utc_offset_minutes"], doc["lesson"], doc["answers"]) == (
        "neurotutor-stats", 3, today.isoformat(), 330, None, 12)
    assert list(doc["mastery"]) == ["desired_retention", "lessons", "total"]
    mini = next(m for m in doc["mastery"]["lessons"] if m["id"] == "test-mini")
    assert mini == {"id": "test-mini", "title": "A small test lesson", "questions": 6, "cards": 4, "mature": 1,
                    "share": 0.1667, "due_today": 2, "due_within_7_days": 3}
    activity = doc["activity"]
    assert (activity["current_streak"], activity["longest_streak"], activity["days_studied"],
            activity["last_day"]) == (3, 5, 8, today.isoformat())
    assert [d["answers"] for d in activity["days"]] == [2, 1, 1, 1, 1, 2, 2, 2]
    assert list(doc["accuracy"]) == ["answers", "right", "share", "average_seconds", "by_mode", "weeks"]
    assert doc["accuracy"]["by_mode"] == {"lesson": 3, "retry": 1, "review": 6, "practice": 1, "exam": 1}
    assert doc["exams"]["taken"] == 2 and doc["exams"]["best_score"] == 0.75
    assert (doc["calibration"]["verdict"], doc["calibration"]["marks"], doc["calibration"]["rated"]) == (
        "overconfident", -15, 10)
    assert doc["misconceptions"] == [
        {"label": "beta-myth", "count": 3, "lesson": "test-mini", "title": "A small test lesson",
         "question": "tm-single", "in_lessons": True, "text": None},
        {"label": "exposure-erases-fear", "count": 2, "lesson": "test-mini", "title": "A small test lesson",
         "question": "tm-truefalse", "in_lessons": True, "text": "Exposure wipes out the old fear memory."}]


def test_unknown_lesson_is_refused_like_learn(run_cli, neurotutor_home: Path) -> None:
    write_fixture(neurotutor_home)
    result = run_cli(*OK, "--plain", "stats", "--lesson", "test-min")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"There is no lesson with the id 'test-min'. Did you mean: test-mini? "
                             f"Run 'neurotutor --lessons-dir {LESSONS} --plain lessons' to see them all.\n")
    learn = run_cli(*OK, "--plain", "learn", "test-min")
    assert (learn.returncode, learn.stderr) == (result.returncode, result.stderr)


def test_no_history_says_what_will_appear(run_cli) -> None:
    result = run_cli("--plain", "stats")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        "No answers yet, so there is nothing to show. After your first lesson this screen shows how many questions "
        "you have mastered, the days you studied and your streaks, how your accuracy changes week by week, your "
        "exams, how well your confidence matches your results, and the misconceptions you chose most.\n"
        "Start with a lesson:\n"
        "  neurotutor --plain learn neuroplasticity-types\n")
    one = run_cli(*OK, "--plain", "stats", "--lesson", "test-mini")
    assert one.stdout.startswith("No answers yet in test-mini. After you take it,")
    assert json.loads(run_cli("stats", "--json").stdout)["answers"] == 0


# -- the terminal screen ---------------------------------------------------------------------------

LONG = sb.LessonFacts("long", "Emerging approaches: neurofeedback and psychedelic-assisted therapy", (),
                      ("l1", "l2"), {"reconsolidation-proven-in-humans": ("l2",)})
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def terminal(width: int) -> tuple[Output, io.StringIO]:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=True, color_system=None, highlight=False)
    return Output(decorated=True, console=console, err_console=console), buffer


def screen_stats() -> sb.Stats:
    attempts = [pm.new_attempt(lesson="long", question="l2", mode="review", answer=None, answer_text="x",
                               correct=i % 3 != 0, seconds=12.0, now=NOW - timedelta(days=i // 4, hours=i % 4),
                               utc_offset=0, confidence=3, misconceptions=("reconsolidation-proven-in-humans",)
                               if i % 3 == 0 else ()) for i in range(160)]
    return sb.build_stats(pm.Progress(), attempts, [LONG], NOW, 0)


@pytest.mark.parametrize("width", [50, 80])
def test_the_terminal_screen_fits_without_cutting_words(width: int) -> None:
    out, buffer = terminal(width)
    show_stats(out, Settings(), screen_stats())
    lines = buffer.getvalue().splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    text = " ".join(lines)
    for word in ("psychedelic-assisted", "neurofeedback", "overconfident", "reconsolidation"):
        assert word in text
    rows = [line for line in lines if line[:4] in {"Mon ", "Tue ", "Wed ", "Thu ", "Fri ", "Sat ", "Sun "}]
    assert len(rows) == 7
    assert [row.rstrip()[-1] for row in rows] == ["░"] * 7  # 4 answers a day: today (Monday), then last week
    assert "· none  ░ 1-4  ▒ 5-14  ▓ 15-29  █ 30+ answers" in text
    assert "Current streak: 40 days. Longest streak: 40 days." in text
    assert "neurotutor learn long" in text


def test_heatmap_glyphs_follow_the_answer_counts() -> None:
    from neurotutor.cli.stats_view import heatmap_lines

    counts = {0: 0, 1: 1, 2: 5, 3: 15, 4: 30}  # days before today -> answers
    sunday = NOW + timedelta(days=6)
    attempts = [pm.new_attempt(lesson="long", question="l1", mode="lesson", answer=None, answer_text="x", correct=True,
                               seconds=1.0, now=sunday - timedelta(days=back, minutes=n), utc_offset=0)
                for back, many in counts.items() for n in range(many)]
    stats = sb.build_stats(pm.Progress(), attempts, [LONG], sunday, 0)
    lines = [line.plain for line in heatmap_lines(stats, 80)]
    assert len(lines) == 9  # months, seven days, legend
    # every answer in the last week: the calendar starts four weeks back, not 26
    assert max(len(line) for line in lines[1:8]) <= 4 + 4 * 2
    column = [line[4 + 3 * 2] if len(line) > 4 + 3 * 2 else " " for line in lines[1:8]]  # this week, Mon..Sun
    assert column == ["·", "·", "█", "▓", "▒", "░", "·"]


def curve() -> fg.Curve:
    buckets = tuple(fg.Bucket(label, low, high, n, p, a) for (label, low, high), (n, p, a) in zip(
        fg.BUCKETS, [(2, 0.99, 1.0), (3, 0.97, 0.6667), (0, None, None), (2, 0.9, 0.5), (0, None, None),
                     (0, None, None), (0, None, None)]))
    points = tuple(fg.Point(t, 1.0 - t / 100) for t in fg.CURVE_DAYS)
    return fg.Curve(buckets=buckets, points=points, reviews=7, cards=4)


def test_forgetting_curve_plain() -> None:
    buffer = io.StringIO()
    show_forgetting_curve(Output(decorated=False, file=buffer, width=0), curve())
    assert buffer.getvalue().splitlines() == [
        "Predicted recall of your cards, by days since their last review: 0 d 100%; 1 d 99%; 2 d 98%; 3 d 97%; "
        "5 d 95%; 7 d 93%; 10 d 90%; 14 d 86%; 21 d 79%; 30 d 70%.",
        "0 days since the answer before: 2 reviews, predicted 99%, right 100%",
        "1 day since the answer before: 3 reviews, predicted 97%, right 67%",
        "4-7 days since the answer before: 2 reviews, predicted 90%, right 50%",
        "Based on 7 of your reviews: too few to say much; the more you review, the clearer it gets.",
    ]


def test_forgetting_curve_chart_fits_50_columns() -> None:
    out, buffer = terminal(50)
    show_forgetting_curve(out, curve())
    lines = buffer.getvalue().splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 50
    assert "  7 d  ███████████████████· " in buffer.getvalue()
    assert "4-7 days   ██████████●███████··  90%/ 50% n=2" in lines
    assert not any(line.startswith("2-3 days") for line in lines)  # delays with no reviews are left out
    assert not any(line.startswith(" 10 d") for line in lines)  # the curve at 0, 1, 3, 7, 14 and 30 days
    assert [line.rstrip() for line in lines[-2:]] == ["Based on 7 of your reviews: too few to say much;",
                                                      "the more you review, the clearer it gets."]


def test_stats_loads_no_fsrs_or_questionary(neurotutor_home: Path) -> None:
    import subprocess
    import sys

    write_fixture(neurotutor_home)
    code = ("import sys; from neurotutor.cli.app import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('fsrs', 'questionary', 'neurotutor.stats.forgetting') if m in sys.modules),"
            " file=sys.stderr)")
    for args in (["--plain", "stats"], ["stats", "--json"]):
        result = subprocess.run([sys.executable, "-c", code, *OK, *args], capture_output=True, text=True, timeout=60)
        assert result.stderr.strip().splitlines()[-1] == "[]", args


def test_plain_stats_sums_up_on_one_screen_and_says_how_to_see_everything(run_cli, neurotutor_home: Path) -> None:
    today = write_fixture(neurotutor_home)
    result = run_cli(*OK, "--plain", "stats", env=KOLKATA)
    assert (result.returncode, result.stderr) == (0, "")
    from neurotutor import paths
    from neurotutor.lessons.catalogue import validate_files

    total = sum(len(e.info.question_ids) for e in validate_files(paths.builtin_lessons_dir(), [], []).lessons) + 6
    monday = today - timedelta(days=today.weekday())  # the week of today: its answers and how many were right
    week = [right for back, _, _, right, _, _ in ANSWERS if today - timedelta(days=back) >= monday]
    assert result.stdout.splitlines() == [
        "",
        "Your statistics.",
        f"12 answers on 8 days; today is {today}.",
        f"Mature: 1 of {total} questions ({round(100 / total)}%). Due today: 2; in the next 7 days: 3.",
        "Reviews ahead: 2 today, 0 tomorrow, 3 in the next 7 days, 3 in the next 30.",
        "Days studied in the last 4 weeks: 8. Streak: 3 days (longest 5 days).",
        f"Right: 6 of 12 answers (50%); in the week of {monday.day} {monday:%b}: {round(100 * sum(week) / len(week))}%.",
        "Exams: 2 taken; best 75%, latest 75%.",
        "Confidence: overconfident (10 rated answers).",
        "Wrong ideas you chose most:",
        "  - beta myth (chosen 3 times)",
        "  - Exposure wipes out the old fear memory. (chosen 2 times)",
        "Every lesson, the calendar, accuracy by week, confidence in detail and where each idea is corrected:",
        f"  neurotutor --lessons-dir {LESSONS} --plain stats --all",
    ]
    assert len(result.stdout.splitlines()) <= 22  # on one 80x24 screen, with the prompt


@pytest.mark.pty
def test_stats_all_in_a_terminal_comes_a_page_at_a_time(neurotutor_home: Path, terminals) -> None:
    pytest.importorskip("pexpect")
    pytest.importorskip("pyte")
    write_fixture(neurotutor_home)
    t = terminals(neurotutor_home, *OK, "stats", "--all", rows=24, columns=80)
    screen = t.settle(r"Page 1 of \d+\. Enter: more")
    assert screen.split("\n")[0].startswith("Your statistics")  # the top first, not scrolled away
    t.keys("q")
    assert t.finish() == 0
