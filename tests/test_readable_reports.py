"""The readable renders of a report and of the caseload (issue 20, "the caseload and reports must
not mislead"): dates only unless times are chosen, the time split into reading, answering and
review, lessons in progress and lessons whose details were left out, a wrong idea shown once
however many questions it was chosen under, ties named as ties, no Markdown shown as itself, the
text caseload at 80 columns, and the print CSS that keeps a report off near-empty pages."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timezone
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from msgspec.structs import replace
from rich.console import Console

from neurotutor.assignments import model as am
from neurotutor.cli.caseload_view import show
from neurotutor.cli.output import Output
from neurotutor.progress import model as pm
from neurotutor.reports import build as rb
from neurotutor.reports import render
from neurotutor.reports.caseload import Caseload, Item, Row
from neurotutor.study import confidence as cbm
from neurotutor.text import safe_text

NOW = datetime(2026, 11, 20, 21, 30, tzinfo=timezone.utc)
STUDIED = datetime(2026, 11, 19, 23, 30, tzinfo=timezone.utc)  # 00:30 on the 20th where the client lives
FINISHED = datetime(2026, 11, 12, 20, 10, tzinfo=timezone.utc)
EXAM_AT = datetime(2026, 11, 18, 19, 0, tzinfo=timezone.utc)
KEY = "c-abcdefgh23"
ONLY_YOUNG = "Only young brains can change."


def mc(label: str, times: int, qid: str, question: str, teaches: str, answers: tuple[str, ...] = (),
       text: str | None = None) -> rb.Misconception:
    return rb.Misconception(label, times, qid, question, teaches, answers, text)


def lessons(verbatim: bool = True) -> tuple[rb.LessonReport, ...]:
    """Three lessons by due date: one done (a wrong idea chosen under two questions, and another),
    one in progress and overdue, one whose details the client left out."""
    words = verbatim
    basics = rb.LessonReport(
        lesson_id="basics", title="Brain basics", due=date(2026, 11, 10), status="done", overdue=False,
        finished=FINISHED, last_studied=STUDIED, scores=(0.6, 0.9), minutes=8.2, review_answers=12, review_days=4,
        misconceptions=(
            mc("adult-brain-fixed", 2, "q1", "What does `rewiring` mean?", "It is **established** that links change.",
               ("Only children change",) if words else (), ONLY_YOUNG),
            mc("adult-brain-fixed", 1, "q2", "Is the adult\nbrain fixed?", "No: it changes _all_ life long.",
               ("Yes",) if words else (), ONLY_YOUNG),
            mc("hebb-wrote-slogan", 1, "q3", "Who wrote the slogan?", "Not Hebb: a later paraphrase.",
               ("Hebb",) if words else ())),
        questions=(rb.QuestionResult("q1", "What does `rewiring` mean?", 3, 1, False),
                   rb.QuestionResult("q2", "Is the adult\nbrain fixed?", 2, 2, True),
                   rb.QuestionResult("q3", "Who wrote the slogan?", 2, 1, True),
                   rb.QuestionResult("q4", "Name the **1949** psychologist.", 2, 1, False, 1, True,
                                     ("Hebbe", "Hebb") if words else ()),
                   rb.QuestionResult("q5", "The gap between two neurons?", 1, 1, True,
                                     typed=("synapse",) if words else ())),
        reading_minutes=12.4, review_minutes=5.0, sections_read=5, sections=5, question_count=5)
    cbt = rb.LessonReport(
        lesson_id="cbt", title="CBT", due=date(2026, 11, 17), status="in_progress", overdue=True, finished=None,
        last_studied=STUDIED, scores=(), minutes=0.3, review_answers=0, review_days=0, misconceptions=(),
        questions=(rb.QuestionResult("c1", "A thought record?", 1, 1, True),),
        reading_minutes=3.0, review_minutes=0.0, sections_read=3, sections=5, answered=2, question_count=8)
    mind = rb.LessonReport(lesson_id="mind", title="Mindfulness", due=date(2026, 11, 24), status="in_progress",
                           overdue=False, finished=None, last_studied=None, scores=(), minutes=0.0, review_answers=0,
                           review_days=0, misconceptions=(), details=False)
    return basics, cbt, mind


def a_report(times: bool = False, exams: bool = True, verbatim: bool = True, title: str = "Autumn plan",
             key: str = KEY) -> rb.Report:
    a = am.Assignment(kind="assignment", format=1, id="sk-autumn", title=title, therapist=am.Therapist(name="Dr A"),
                      client="S.K.", lessons=tuple(am.AssignedLesson(lesson=x, due=d) for x, d in (
                          ("basics", date(2026, 11, 10)), ("cbt", date(2026, 11, 17)), ("mind", date(2026, 11, 24)))),
                      goals=am.Goals(review=am.ReviewGoal(minutes_per_day=5), exam=am.ExamGoal(min_score=80)))
    stored = pm.StoredAssignment(assignment=a, added=datetime(2026, 11, 1, 9, tzinfo=timezone.utc), source="a.yaml")
    choices = rb.Choices(verbatim=verbatim, times=times, exams=exams, left_out=frozenset({"lesson:mind"}))
    report = rb.Report(
        generated=NOW, assignment=stored, verbatim=verbatim, lessons=lessons(verbatim), review_minutes=62.0,
        review_days=9, review_goal_minutes=5, days_since_added=20,
        exams=(rb.ExamReport("e1", EXAM_AT, "submitted", 20, 15, 0.75, 700.0),) if exams else (),
        exam_goal=80 if exams else None, calibration=cbm.calibrate_counts({}), client_key=key, choices=choices,
        today=date(2026, 11, 20), local={STUDIED.isoformat(): date(2026, 11, 20)})
    return rb._with_summary(report)


def a_row(client: str = "S.K.", key: str = KEY, therapist: str = "Dr A", **changes: Any) -> Row:
    fields: dict[str, Any] = dict(
        client=client, client_key=key, assignment_id="sk-autumn", assignment="Autumn plan", therapist=therapist,
        done=1, lessons=3, overdue=("CBT",), best_scores=(("Brain basics", 0.9),), review_minutes=62.0,
        review_goal_minutes=5, last_activity="2026-11-20", generated="2026-11-20", source="sk.json", age_days=0,
        reading_minutes=15.4, answering_minutes=8.5, review_days=9, review_minutes_per_day=3.1,
        in_progress=(("CBT", 3, 5, 2, 8),))
    return Row(**{**fields, **changes})


def a_caseload(therapists: tuple[str, ...] = ("Dr A",), rows: tuple[Row, ...] | None = None,
               misconceptions: tuple[tuple[str, int, int], ...] | None = None) -> Caseload:
    """Three clients (two of whose keys start alike): one behind and old, sealed; one done; one not started."""
    rows = rows or (
        a_row(generated="2026-11-01", age_days=19, stale=True, sealed=True),
        a_row("J.D.", "c-qrstuvwx45", therapists[-1], assignment_id="jd-1", assignment="Exposure", done=2, lessons=2,
              overdue=(), best_scores=(("Exposure", 0.85), ("Extinction", 1.0)), review_goal_minutes=None,
              review_minutes=40.0, review_minutes_per_day=4.0, review_days=6, in_progress=(),
              last_activity="2026-11-18", generated="2026-11-19", source="jd.json", age_days=1),
        a_row("M.", "c-abcdzzzz77", assignment_id="m-1", assignment="Getting started", done=0, lessons=1, overdue=(),
              best_scores=(), review_minutes=0.0, review_goal_minutes=10, review_minutes_per_day=0.0, review_days=0,
              reading_minutes=0.0, answering_minutes=0.0, in_progress=(), last_activity=None, source="m.json"))
    items = (Item("How learning lasts", "hl", "hl-review", "What does `neurotutor review` do, **really**?",
                  2, 2, 1, 4, 1),)
    chosen = misconceptions if misconceptions is not None else (
        (ONLY_YOUNG, 4, 2), ("Exposure wipes out the old fear memory.", 3, 2), ("Hebb-wrote-it.", 2, 1),
        ("Mindfulness is relaxing.", 1, 1), ("Scans show thoughts.", 1, 1), ("CBT is positive thinking.", 1, 1))
    return Caseload(rows, items, chosen,
                    ("sk-old.json: left out, an older report (2026-10-20) of S.K. (c-abcdefgh23) for 'sk-autumn' than "
                     "sk.json (2026-11-01)",),
                    ("x.json: left out, its assignment (x-1) was set by Dr C, not Dr A (give --others to include it)",),
                    therapists)


def plain_screen(caseload: Caseload, width: int = 80) -> str:
    buffer = io.StringIO()
    show(Output(decorated=False, file=buffer, width=width), caseload)
    return buffer.getvalue()


def rich_screen(caseload: Caseload, width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    show(Output(decorated=True, console=console, err_console=console), caseload)
    return buffer.getvalue()


MD = MarkdownIt("commonmark", {"html": True}).enable("table")


def shown(markdown: str) -> tuple[list[Any], list[str]]:
    """What a CommonMark viewer makes of a document: its structure (every token but plain text)
    and the text it shows, one entry per line of inline content."""
    structure: list[Any] = []
    text = []
    for token in MD.parse(markdown):
        if token.type == "inline":
            structure.append([c.type for c in token.children or [] if c.type != "text"])
            text.append("".join(c.content for c in token.children or [] if c.type == "text"))
        else:
            structure.append((token.type, token.tag))
    return structure, text


# The report: lessons by due date, dates only unless times are chosen ------------------------------

def test_lessons_are_listed_by_due_date_with_dates_only_and_the_time_split_three_ways() -> None:
    text = render.to_markdown(a_report())
    assert ("## Lessons, by due date\n\n"
            "| lesson | due | status | last studied | finished | score of each pass | minutes reading / answering / "
            "review |\n|---|---|---|---|---|---|---|\n"
            "| Brain basics | 2026-11-10 | done | 2026-11-20 | 2026-11-12 | 60%, 90% | 12 / 8 / 5 |\n"
            "| CBT | 2026-11-17 | in progress, overdue: 3 of 5 sections read, 2 of 8 questions answered | "
            "2026-11-20 | - | - | 3 / under 1 / 0 |\n"
            "| Mindfulness | 2026-11-24 | in progress (details left out by the client) |  |  |  |  |\n") in text
    assert not re.search(r"\d\d:\d\d", text)  # no time of day anywhere
    page = render.to_html(a_report(), "9")
    assert not re.search(r"\d\d:\d\d", page)
    assert ('<td data-label="Status"><span class="overdue">in progress, overdue</span><br><span class="note">3 of 5 '
            'sections read, 2 of 8 questions answered</span></td>\n<td data-label="Last studied" class="date">'
            '2026-11-20</td>') in page
    assert ('<td data-label="Status"><span>in progress (details left out by the client)</span></td>\n'
            '<td colspan="4"></td>') in page
    assert '<td data-label="Minutes: reading / answering / review" class="nowrap">12 / 8 / 5</td>' in page


def test_the_time_of_day_is_shown_only_when_the_client_chose_it() -> None:
    text = render.to_markdown(a_report(times=True))
    assert text.startswith("# Autumn plan\n\nReport for S.K. (client key c-abcdefgh23), from neurotutor, 2026-11-20, "
                           "21:30 UTC. Assignment set by Dr A.\n")
    # the client's local date first; the UTC date too where it is another day
    assert ("| Brain basics | 2026-11-10 | done | 2026-11-20 (2026-11-19 23:30 UTC) | 2026-11-12, 20:10 UTC | 60%, 90% "
            "| 12 / 8 / 5 |\n") in text
    assert "- 2026-11-18, 19:00 UTC: 15 of 20 right (75%), 12 minutes used\n" in text
    page = render.to_html(a_report(times=True), "9")
    assert '<td data-label="Finished" class="date">2026-11-12, 20:10 UTC</td>' in page


def test_the_client_key_the_review_goal_and_the_exams_are_said_in_words() -> None:
    text = render.to_markdown(a_report())
    assert text.startswith("# Autumn plan\n\nReport for S.K. (client key c-abcdefgh23), from neurotutor, 2026-11-20. "
                           "Assignment set by Dr A.\n\n## Summary\n\n")
    assert ("## Review\n\n62 minutes of review on 9 days in the 20 days since the assignment was added: 3.1 minutes a "
            "day on average, against a goal of 5 minutes a day (62% of the goal).\n") in text
    assert "## Exams\n\nGoal: at least 80%.\n\n- 2026-11-18: 15 of 20 right (75%), 12 minutes used\n" in text
    page = render.to_html(a_report(), "9")
    assert '<p class="meta">Report for S.K. (client key c-abcdefgh23), from neurotutor, 2026-11-20.' in page
    assert "<ul><li>2026-11-18: 15 of 20 right (75%), 12 minutes used</li></ul>" in page
    assert "Report for S.K., from neurotutor" in render.to_markdown(a_report(key=""))  # a report without a key


def test_exams_left_out_by_the_client_are_said_to_be() -> None:
    text = render.to_markdown(a_report(exams=False))
    assert "## Exams\n\nExam results left out by the client.\n" in text and "15 of 20" not in text
    page = render.to_html(a_report(exams=False), "9")
    assert '<h2 id="exams">Exams</h2>\n<p class="left-out">Exam results left out by the client.</p>' in page


def test_a_wrong_idea_chosen_under_two_questions_is_shown_once_with_both_questions() -> None:
    text = render.to_markdown(a_report())
    assert ("## Misconceptions chosen\n\n"
            "- \u201cOnly young brains can change.\u201d: chosen 3 times, in Brain basics\n"
            "  - Question (twice): What does rewiring mean?\n"
            "    - The lesson teaches: It is established that links change.\n"
            "    - Answered: Only children change\n"
            "  - Question (once): Is the adult brain fixed?\n"
            "    - The lesson teaches: No: it changes all life long.\n"
            "    - Answered: Yes\n"
            "- \u201chebb wrote slogan\u201d: chosen once, in Brain basics\n"
            "  - Question: Who wrote the slogan?\n"
            "    - The lesson teaches: Not Hebb: a later paraphrase.\n"
            "    - Answered: Hebb\n\n") in text
    assert text.count(ONLY_YOUNG) == 2  # the summary and the one entry
    page = render.to_html(a_report(), "9")
    assert page.count(f"<h3>\u201c{ONLY_YOUNG}\u201d: chosen 3 times, in Brain basics</h3>") == 1
    assert "<ul><li>Question (twice): What does rewiring mean?\n<br><span class=\"note\">The lesson teaches: It is " \
           "established that links change.</span>\n<br>Answered: Only children change</li>" in page
    without = render.to_markdown(a_report(verbatim=False))
    assert "Answered:" not in without and "Typed:" not in without


def test_short_answers_typed_are_listed_under_their_question() -> None:
    text = render.to_markdown(a_report())
    assert ("## Questions missed at the first try\n\n"
            "- What does rewiring mean? (Brain basics): 1 of 3 answers right so far\n"
            "- Name the 1949 psychologist. (Brain basics): said \u201cI don't know\u201d at first; 1 of 2 answers "
            "right so far\n  - Typed: Hebbe\n  - Typed: Hebb\n\n"
            "## Short answers typed\n\n- The gap between two neurons? (Brain basics)\n  - Typed: synapse\n") in text
    page = render.to_html(a_report(), "9")
    assert "<ul><li>Typed: Hebbe</li><li>Typed: Hebb</li></ul>" in page
    assert "Short answers typed" not in render.to_markdown(a_report(verbatim=False))


def test_no_markdown_shows_as_itself_in_a_report() -> None:
    """Lesson Markdown (a backtick, stars, underscores) is shown as the words it stands for; a value
    of the client's is escaped in Markdown and shown as typed in HTML, never as backslash-backtick."""
    report = a_report(title="The `review` plan")
    for line in (*report.summary, *report.contains, *report.leaves_out):
        assert "`" not in line and "*" not in line, line
    text = render.to_markdown(report)
    structure, seen = shown(text)
    assert not {"code_inline", "em_open", "strong_open", "html_inline"} & {t for part in structure for t in part}
    assert "`" not in "\n".join(seen).replace("The `review` plan", "") and "*" not in "\n".join(seen)
    assert seen[0] == "The `review` plan"  # the title as its author typed it
    page = render.to_html(report, "9").split("</style>")[1]  # (the CSS has its comments)
    assert "\\" not in page and "*" not in page
    assert "<h1>The `review` plan</h1>" in page and page.count("`") == 2  # the title, as typed


# The caseload --------------------------------------------------------------------------------------

def test_the_text_caseload_fits_80_columns_with_every_fact_of_a_row() -> None:
    screen = plain_screen(a_caseload())
    assert screen == """\
From the reports of 3 clients. Those behind come first.
client        done  overdue  review a day   last studied  report
S.K. c-abcde  1/3   1        3.1 of 5 min   2026-11-20    2026-11-01 old, sealed
J.D. c-qrstu  2/2   -        4.0 min        2026-11-18    2026-11-19
M. c-abcdz    0/1   -        0.0 of 10 min  not started   2026-11-20
review a day: minutes a day since the assignment was added, of the goal; old:
written long enough ago that what it says may have changed (its age is below);
sealed: it came sealed to your key.

Each client's assignment.
S.K. c-abcde: Autumn plan
  - 1 of 3 lessons done; overdue: CBT
  - in progress: CBT (3 of 5 sections read, 2 of 8 questions answered)
  - best scores: Brain basics 90%
  - time: 15 min reading, 8 answering, 62 in review
  - review: 3.1 of 5 min a day, on 9 days
  - last studied 2026-11-20; report of 2026-11-01 (19 days old), sealed

J.D. c-qrstu: Exposure
  - 2 of 2 lessons done
  - best scores: Exposure 85%, Extinction 100%
  - time: 15 min reading, 8 answering, 40 in review
  - review: 4.0 min a day (no goal), on 6 days
  - last studied 2026-11-18; report of 2026-11-19

M. c-abcdz: Getting started
  - 0 of 1 lesson done
  - time: 0 min reading, 0 answering, 0 in review
  - review: 0.0 of 10 min a day, on 0 days
  - last studied (not started); report of 2026-11-20

Questions most often missed at the first try.
  - What does neurotutor review do, really? (How learning lasts, hl-review):
    missed at the first try by 2 of 2 clients (1 said "I don't know"); 1 of 4
    answers right

Misconceptions chosen most.
  - "Only young brains can change.": chosen 4 times by 2 clients
  - "Exposure wipes out the old fear memory.": chosen 3 times by 2 clients
  - "Hebb-wrote-it.": chosen twice by 1 client
  - and 3 more, tied: each chosen once by 1 client

Left out.
  - sk-old.json: left out, an older report (2026-10-20) of S.K. (c-abcdefgh23)
    for 'sk-autumn' than sk.json (2026-11-01)
  - x.json: left out, its assignment (x-1) was set by Dr C, not Dr A (give
    --others to include it)
"""
    assert max(len(line) for line in screen.splitlines()) <= 80


def test_the_decorated_caseload_at_80_columns_cuts_no_cell() -> None:
    screen = rich_screen(a_caseload(("Dr A", "Dr B")))
    lines = screen.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[3].split("\u2503")[1:-1] == [" client       ", " therapist ", " done ", " overdue ", " a day  ",
                                               " studied    ", " report     "]
    assert "\u2502 S.K. c-abcde \u2502 Dr A      \u2502 1/3  \u2502 1       \u2502 3.1 of \u2502 2026-11-20 \u2502 " \
           "2026-11-01 \u2502" in screen
    assert "  - therapist: Dr B " in screen  # several therapists: each row names its own
    # plain mode does not wrap a cell: a table too wide for the screen is left out, the rows say it all
    plain = plain_screen(a_caseload(("Dr A", "Dr B")), width=60)
    assert "client " not in plain and "S.K. c-abcde: Autumn plan\n  - therapist: Dr A\n" in plain
    assert max(len(line) for line in plain.splitlines()) <= 60


def test_the_caseload_in_markdown_and_html_has_every_column() -> None:
    text = render.caseload_markdown(a_caseload(), NOW)
    assert ("| client | therapist | assignment | done | overdue | best scores | time | review | in progress | "
            "practice | last studied | report |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n"
            "| S.K. c-abcde | Dr A | Autumn plan | 1/3 | CBT | Brain basics 90% | 15 / 8 / 62 min | 3.1 of 5 min a day "
            "| CBT (3 of 5 sections read, 2 of 8 questions answered) | - | 2026-11-20 | 2026-11-01 (19 days old), "
            "sealed |\n"
            "| J.D. c-qrstu | Dr A | Exposure | 2/2 | - | Exposure 85%, Extinction 100% | 15 / 8 / 40 min | 4.0 min a "
            "day (no goal) | - | - | 2026-11-18 | 2026-11-19 |\n") in text
    assert "- What does neurotutor review do, really? (How learning lasts, hl-review): missed at the first" in text
    assert ("## Left out\n\n- sk-old.json: left out, an older report (2026-10-20) of S.K. (c-abcdefgh23) for "
            "'sk-autumn' than sk.json (2026-11-01)\n- x.json: left out, its assignment (x-1) was set by Dr C, not Dr "
            "A (give --others to include it)\n") in text
    page = render.caseload_html(a_caseload(), NOW)
    assert page.count('<th scope="col">') == 12
    assert ('<td data-label="Client" class="nowrap">S.K. c-abcde</td>\n<td data-label="Therapist">Dr A</td>'
            in page)
    assert '<td data-label="In progress">CBT (3 of 5 sections read, 2 of 8 questions answered)</td>' in page
    assert '<td data-label="Practice">-</td>' in page
    assert '<td data-label="Report">2026-11-01 (19 days old), sealed</td>' in page
    assert '<h2 id="left-out">Left out</h2>' in page and "x.json: left out, its assignment (x-1)" in page
    assert "`" not in page and "**" not in page


def test_a_tie_is_never_shown_as_if_it_were_the_top() -> None:
    six = a_caseload()
    assert render.top_misconceptions(six) == (
        ["\u201cOnly young brains can change.\u201d: chosen 4 times by 2 clients",
         "\u201cExposure wipes out the old fear memory.\u201d: chosen 3 times by 2 clients",
         "\u201cHebb-wrote-it.\u201d: chosen twice by 1 client"],
        "and 3 more, tied: each chosen once by 1 client")
    tied_at_the_cut = a_caseload(misconceptions=tuple((f"Idea {n}.", 2, 1) for n in range(7)) + (("Last.", 1, 1),))
    named, rest = render.top_misconceptions(tied_at_the_cut)
    assert named == [f"\u201cIdea {n}.\u201d: chosen twice by 1 client (a tie)" for n in range(7)]  # all of the top
    assert rest == "and 1 more, chosen less"
    cut = a_caseload(misconceptions=(("A.", 5, 3), ("B.", 4, 2), ("C.", 3, 2), ("D.", 3, 2), ("E.", 2, 1), ("F.", 2, 1),
                                     ("G.", 2, 1), ("H.", 1, 1)))
    named, rest = render.top_misconceptions(cut)
    assert named == ["\u201cA.\u201d: chosen 5 times by 3 clients", "\u201cB.\u201d: chosen 4 times by 2 clients",
                     "\u201cC.\u201d: chosen 3 times by 2 clients (a tie)",
                     "\u201cD.\u201d: chosen 3 times by 2 clients (a tie)"]  # E, F, G tie at the cut: none is named
    assert rest == "and 4 more: 3 of them tied (each chosen twice by 1 client), the others chosen less"
    assert "- and 4 more: 3 of them tied" in render.caseload_markdown(cut, NOW)


def test_the_caseload_json_is_version_2_with_the_new_fields() -> None:
    doc = json.loads(render.caseload_json(a_caseload(("Dr A", "Dr B")), "9", NOW))
    assert (doc["format"], doc["version"], doc["therapists"]) == ("neurotutor-caseload", 2, ["Dr A", "Dr B"])
    assert doc["rows"][0] == {
        "client": "S.K.", "client_key": KEY, "assignment_id": "sk-autumn", "assignment": "Autumn plan",
        "therapist": "Dr A", "done": 1, "lessons": 3, "overdue": ["CBT"],
        "best_scores": [{"lesson": "Brain basics", "score": 0.9}], "reading_minutes": 15.4, "answering_minutes": 8.5,
        "review_minutes": 62.0, "review_minutes_per_day": 3.1, "review_goal_minutes_per_day": 5, "review_days": 9,
        "in_progress": [{"lesson": "CBT", "sections_read": 3, "sections": 5, "answered": 2, "questions": 8}],
        "last_activity": "2026-11-20", "report_date": "2026-11-01", "report_age_days": 19, "stale": True,
        "source": "sk.json", "sealed": True, "other": None, "practice_set": False, "practice_shared": False,
        "homework": [], "checkins": []}
    assert doc["misconceptions"][0] == {"text": ONLY_YOUNG, "times": 4, "clients": 2}
    assert doc["others"] == ["x.json: left out, its assignment (x-1) was set by Dr C, not Dr A (give --others to "
                             "include it)"]
    other = a_caseload(rows=(a_row(other="its assignment (sk-autumn) carries another therapist's key, not yours"),))
    assert json.loads(render.caseload_json(other, "9", NOW))["rows"][0]["other"] == (
        "its assignment (sk-autumn) carries another therapist's key, not yours")
    assert "2026-11-20 other" in plain_screen(other)  # marked in the table, and why under it
    assert ("  - last studied 2026-11-20; report of 2026-11-20; its assignment (sk-autumn)\n    carries another "
            "therapist's key, not yours\n") in plain_screen(other)


# Print: no near-empty pages ------------------------------------------------------------------------

def test_the_print_css_forces_no_page_and_keeps_only_small_blocks_whole() -> None:
    """What keeps a printed report on as few pages as it needs (checked by hand with headless
    Chromium: a report of three lessons with misconceptions prints on 3 A4 pages, none near empty)."""
    page = render.to_html(a_report(), "9")
    css = page.split("<style>")[1].split("</style>")[0]
    assert "@page { size: A4; margin: 14mm 14mm 16mm; }" in css
    assert "    tr, li, svg { break-inside: avoid; page-break-inside: avoid; }\n" in css
    assert ("    h2, h3 { break-inside: avoid; page-break-inside: avoid; break-after: avoid; "
            "page-break-after: avoid; }\n") in css
    assert "thead { display: table-header-group; }" in css
    assert "break-before" not in css and "page-break-before" not in css  # no section starts a page of its own
    kept = re.findall(r"([^{}]*)\{[^}]*break-inside: avoid", css)
    assert all("section" not in rule and "ul" not in rule for rule in kept)  # no long block is kept whole
    caseload = render.caseload_html(a_caseload(), NOW)
    assert "@page { size: A4 landscape; margin: 12mm 12mm 14mm; }" in caseload and "size: A4;" not in caseload


# Any value stays text, in every Markdown render ------------------------------------------------------

SNIPPETS = ["![x](http://host/pixel)", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "`code`", "**b**",
            "_i_", "| a |", "# h", "1. ", "- ", "> q", "---", "\\", "<http://x>", "\x1b]0;T\x07", "\u202e", "3.1"]
VALUE = (st.lists(st.one_of(st.characters(), st.sampled_from(list("\\`*_[]()!<>|#+-.=&~$:; 0123456789\t\n")),
                            st.sampled_from(SNIPPETS)), max_size=10)
         .map("".join).filter(lambda s: bool(" ".join(safe_text(s).split()))))
FREE = ("title", "client", "lesson", "answer", "typed", "label")  # shown as they are
LESSON = ("question", "teaches")  # lesson Markdown: shown as the words it stands for
PLACES = {f: f"QQ{chr(ord('a') + i)}QQ" for i, f in enumerate(FREE + LESSON)}


def norm(text: str) -> str:
    return " ".join(safe_text(text).split())


def _valued_report(v: dict[str, str]) -> rb.Report:
    """A report with the given text in every field a person wrote (the lesson's author, the therapist, the client)."""
    basics, cbt, _ = lessons()
    basics = replace(basics, title=v["lesson"],
                     misconceptions=(mc("x", 2, "q1", v["question"], v["teaches"], (v["answer"],), v["label"]),),
                     questions=(rb.QuestionResult("q1", v["question"], 2, 0, False, typed=(v["typed"],)),))
    report = a_report(title=v["title"])
    assignment = replace(report.assignment, assignment=replace(report.assignment.assignment, client=v["client"]))
    return replace(report, assignment=assignment, lessons=(basics, cbt), summary=("Done.",))


def _valued_caseload(v: dict[str, str]) -> Caseload:
    row = a_row(v["client"], assignment=v["title"], overdue=(v["lesson"],), best_scores=((v["lesson"], 0.5),),
                in_progress=((v["lesson"], 1, 2, 3, 4),), last_activity=v["answer"], other=v["typed"])
    return Caseload((row,), (Item(v["lesson"], "les", v["answer"], v["question"], 1, 1, 0, 1, 0),),
                    ((v["label"], 2, 1),), (v["teaches"],), (v["typed"],), ("Dr A",))  # (set aside: free text)


def _round_trips(render_with: Any, values: dict[str, str], lesson_fields: tuple[str, ...] = LESSON) -> None:
    """With any values, a document has the structure it has with plain ones (no tag, link, image,
    code, emphasis, list, heading or cell more) and shows each value: free text as it is, lesson
    Markdown as its words."""
    plain_structure, plain_seen = shown(render_with(PLACES))
    structure, seen = shown(render_with(values))
    assert structure == plain_structure
    assert not {"html_inline", "html_block", "link_open", "image", "code_inline"} & {
        t for part in structure for t in (part if isinstance(part, list) else [part[0]])}
    expected = {PLACES[f]: render.lesson_text(v) if f in lesson_fields else norm(v) for f, v in values.items()}
    # (a viewer trims a line's inline text: lesson Markdown such as "1. " stands for no words at all)
    assert seen == [re.sub("QQ[a-z]QQ", lambda found: expected[found.group()], line).strip() for line in plain_seen]


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({f: VALUE for f in PLACES}))
def test_a_markdown_report_shows_any_value_as_text(values: dict[str, str]) -> None:
    _round_trips(lambda v: render.to_markdown(_valued_report(v)), values)


@settings(max_examples=40, deadline=None)
@given(st.fixed_dictionaries({f: VALUE for f in PLACES}))
def test_a_markdown_caseload_shows_any_value_as_text(values: dict[str, str]) -> None:
    _round_trips(lambda v: render.caseload_markdown(_valued_caseload(v), NOW), values, ("question",))
