"""Reports and the caseload as JSON documents, Markdown and HTML (through jinja2 templates).

The readable renders of a report (Markdown, HTML) show the same words (`report_view`); those of
the caseload (Markdown, HTML, and the terminal's `cli/caseload_view.py`) share their cells here.
A lesson's own Markdown (a question, what it teaches) is shown as the words it stands for
(`lesson_text`), never as backticks and stars.

Every value that leaves here is made safe for where it lands, by one function per destination:
`json_safe` for JSON, `markdown_text` for Markdown, and the templates' `finalize` (`safe_text`,
then jinja2's autoescaping) for HTML. Each neutralises the control and bidirectional characters
that could drive a terminal or reorder text (`neurotutor.text.safe_text`); the screen gets the same
from the output module. Nothing is compiled to or loaded from disk: templates are compiled in memory.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurotutor.lessons import model as m
from neurotutor.reports.build import (
    FORMAT,
    VERSION,
    ExamReport,
    LessonReport,
    Misconception,
    QuestionResult,
    Report,
    one_line,
    times_words,
    top_with_ties,
)
from neurotutor.text import safe_text

if TYPE_CHECKING:
    from jinja2 import Template

    from neurotutor.reports.caseload import Caseload, Item, Row


ENDINGS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


def format_for(given: str | None, output: Path | None, default: str, allowed: tuple[str, ...]) -> str:
    """The format asked for, else the one the output file's name ends in, else the default."""
    from neurotutor.errors import UsageError

    ending = ENDINGS.get(output.suffix.lower()) if output is not None else None
    fmt = given or ending or default
    if fmt not in allowed:
        raise UsageError(f"--format must be one of: {', '.join(allowed)}.")
    if given and ending and ending != given and output is not None:  # (an ending comes from an output)
        raise UsageError(f"{output} ends in {output.suffix} but --format is {given}: give a name that ends in "
                         f".{given}, or --format {ending}.")
    return fmt


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def json_safe(value: Any) -> Any:
    """A JSON document with every string neutralised (`safe_text`): no control or bidirectional
    character reaches a file that someone may print or open. Documents here are a few levels deep."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, dict):
        return _safe_object(value)
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def _safe_object(value: dict[str, Any]) -> dict[str, Any]:
    """`json_safe` of a JSON object."""
    return {safe_text(k): json_safe(v) for k, v in value.items()}


def document(report: Report, tutor_version: str) -> dict[str, Any]:
    """The report as plain data, for the caseload view and for other tools (every string made safe)."""
    return _safe_object(_document(report, tutor_version))


def _document(report: Report, tutor_version: str) -> dict[str, Any]:
    """The report as plain data. Every field shown on one line (names, titles, ids, labels, lines of
    the summary) is on one line (`one_line`); only questions, what a lesson teaches and answers in
    words may hold several. Dates are the client's local dates; the times of day (`..._at`, exam
    seconds) are there only when the client chose to include them."""
    a = report.assignment.assignment
    cal = report.calibration
    line = _one_line
    choices = report.choices
    times = choices.times

    def when(name: str, moment: datetime | None) -> dict[str, Any]:
        day = report.day(moment)
        out: dict[str, Any] = {f"{name}_on": None if day is None else day.isoformat()}
        if times:
            out[f"{name}_at"] = _iso(moment)
        return out

    def lesson(x: Any) -> dict[str, Any]:
        head = {"id": line(x.lesson_id), "title": line(x.title), "due": x.due.isoformat(), "status": x.status,
                "overdue": x.overdue, "details": x.details}
        if not x.details:
            return head
        return {**head, **when("last_studied", x.last_studied), **when("finished", x.finished),
                "pass_scores": [round(sc, 4) for sc in x.scores], "sections_read": x.sections_read,
                "sections": x.sections, "answered": x.answered, "question_count": x.question_count,
                "minutes": {"reading": round(x.reading_minutes, 1), "answering": round(x.minutes, 1),
                            "review": round(x.review_minutes, 1)},
                "review_answers": x.review_answers, "review_days": x.review_days,
                "misconceptions": [{"label": line(mc.label), "text": line(m.misconception_said(mc.label, mc.text)),
                                    "times": mc.times, "question_id": line(mc.question_id), "question": mc.question,
                                    "lesson_teaches": mc.teaches,
                                    **({"answers": list(mc.answers)} if report.verbatim else {})}
                                   for mc in x.misconceptions],
                "questions": [{"id": line(q.question_id), "question": q.question, "answers": q.answers, "right": q.right,
                               "first_right": q.first_right, "dont_know": q.dont_know,
                               "first_dont_know": q.first_dont_know, **({"typed": list(q.typed)} if q.typed else {})}
                              for q in x.questions]}

    def exam(e: Any) -> dict[str, Any]:
        out = {"id": line(e.exam_id), **when("finished", e.finished), "status": line(e.status), "questions": e.questions,
               "right": e.right, "score": e.score, "minutes_used": math.ceil(e.seconds_used / 60)}
        if times:
            out["seconds_used"] = e.seconds_used
        return out

    since = max(report.days_since_added, 1)
    return {
        "format": FORMAT, "version": VERSION, "tutor_version": line(tutor_version),
        **when("generated", report.generated),
        "client": {"label": line(a.client), "key": line(report.client_key)},
        "assignment": {"id": line(a.id), "title": line(a.title), "therapist": line(a.therapist.name),
                       "therapist_key": a.therapist.key, **when("added", report.assignment.added),
                       # whether the assignment sets practice or check-ins (the therapist's own plan, not
                       # the client's), so the caseload can say when the client left them out
                       **({"sets_practice": True} if a.goals.practice or a.goals.checkins else {})},
        "choices": {"answers_verbatim": report.verbatim, "times_of_day": times, "exams": choices.exams,
                    "misconceptions": choices.misconceptions,
                    # the lessons whose details were left out; of misconceptions, only how many (naming one
                    # left out would tell what it was)
                    "details_left_out": sorted(line(x.partition(":")[2]) for x in choices.left_out
                                               if x.startswith("lesson:")),
                    "misconceptions_left_out": len(report.misconceptions_left_out),
                    # only when chosen (issue 21): a report without them reads as before
                    **({"practice": True} if choices.practice else {}),
                    **({"entries_shared": len(choices.entries)} if choices.entries else {})},
        "contains": [line(c) for c in report.contains], "leaves_out": [line(c) for c in report.leaves_out],
        "summary": [line(c) for c in report.summary],
        "lessons": [lesson(x) for x in report.lessons],
        "review": {"minutes": round(report.review_minutes, 1), "days": report.review_days,
                   "goal_minutes_per_day": report.review_goal_minutes,
                   "minutes_per_day": round(report.review_minutes / since, 1),
                   "days_since_added": report.days_since_added},
        "exams": [exam(e) for e in report.exams] if choices.exams else None,
        "exam_goal_percent": report.exam_goal,
        "confidence": None if not cal.rated else {
            "rated": cal.rated, "marks": cal.marks, "verdict": None if cal.verdict is None else line(cal.verdict),
            "levels": [{"level": lv.level, "answers": lv.answers, "right": lv.right} for lv in cal.levels]},
        **({} if report.practice is None else {"practice": _practice_document(report, line)}),
    }


def _practice_document(report: Report, line: Any) -> dict[str, Any]:
    """The practice the client chose to include (issue 21): goals and check-ins only with
    `choices.practice`, and the entries they picked."""
    p = report.practice
    assert p is not None
    with_counts = report.choices.practice
    return {"goals": [{"what": line(g.what), "words": line(g.words), "set": g.set_so_far, "done": g.done,
                       "days": [d.isoformat() for d in g.dates]} for g in p.goals] if with_counts else [],
            "checkins": [{"measure": c.measure, "on": c.on.isoformat(), "total": c.total, "band": line(c.band)}
                         for c in p.checkins] if with_counts else [],
            "entries": [{"title": line(e.title), "on": e.on.isoformat(),
                         "answers": [{"step": line(step), "answer": text} for step, text in e.answers]}
                        for e in p.entries]}


def _one_line(text: str) -> str:
    """A value shown on one line (`one_line`), without the invisible format characters that only
    hide a difference (a zero-width space, a word joiner: `text.first_hiding`), which the caseload
    refuses there, where two labels could look the same. Joiners and direction marks that a script
    needs are kept, and so are the bidirectional controls that `safe_text` shows as inert escapes."""
    import unicodedata

    from neurotutor.text import NEEDED_FORMAT

    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf" or ch in NEEDED_FORMAT or safe_text(ch) != ch)
    return one_line(text)


def digest_of(doc: dict[str, Any]) -> str:
    """The digest of a report document (every field but "digest", keys sorted): a report changed
    after it was written no longer matches it."""
    import hashlib

    import msgspec

    content = {k: v for k, v in doc.items() if k != "digest"}
    return "sha256:" + hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


def to_json(report: Report, tutor_version: str) -> bytes:
    import msgspec

    doc = document(report, tutor_version)
    doc["digest"] = digest_of(doc)
    return msgspec.json.format(msgspec.json.encode(doc), indent=2) + b"\n"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


# Escaped wherever they stand: every character that can open or close Markdown markup in the
# middle of a line (code spans, emphasis, links and images, raw HTML and autolinks, entity and
# character references, table cells, strikethrough, heading closers, math in some viewers).
# "(" and ")" form a link only right after "]", which is escaped, so they are left readable.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~#$!])")
# Escaped where a value starts, since a value may start the content of a line ("- VALUE", "# VALUE"):
# a list marker (-, +, "1." or "1)"), and "=" (a heading underline).
_MD_START = re.compile(r"^(?:([-+=])|(\d+)([.)]))")


def markdown_text(value: object, cell: bool = False) -> str:
    """Any value (free text, an id, a date) as inert text on one line of Markdown: the one Markdown
    escaper of every Markdown renderer.

    Control and bidirectional characters are shown as inert escapes (`safe_text`), runs of spaces
    and line ends become one space, and every character that could start markup is escaped with a
    backslash, so a CommonMark or GitHub viewer shows exactly the text: never a tag, a link, an
    image or a table cell that the report did not put there. In a table's `cell`, where only
    inline markup is read, a value's start needs no escape ("3.1 of 5", "-" stay as they are)."""
    text = _MD_INLINE.sub(r"\\\1", " ".join(safe_text(str(value)).split()))
    if cell:
        return text
    return _MD_START.sub(lambda found: "\\" + found.group(1) if found.group(1) else
                         found.group(2) + "\\" + found.group(3), text, count=1)


def markdown_cells(cells: Sequence[object]) -> str:
    """A row of a Markdown table, every cell escaped (`markdown_text`)."""
    return "| " + " | ".join(markdown_text(c, cell=True) for c in cells) + " |"


def review_sentence(report: Report) -> str:
    """Review time (on the review screens) against the goal, in words: the goal is minutes a day,
    so it is measured as the average minutes a day since the assignment was added."""
    days, since = report.review_days, max(report.days_since_added, 1)
    when = "since the assignment was added today" if since == 1 else f"in the {since} days since the assignment was added"
    spent = round(report.review_minutes)
    said = f"{spent} minute{'s' if spent != 1 else ''} of review on {days} day{'s' if days != 1 else ''} {when}"
    goal = report.review_goal_minutes
    if not goal:
        return said + "."
    average = report.review_minutes / since
    return (said + f": {average:.1f} minutes a day on average, against a goal of {goal} minutes a day "
            f"({round(100 * average / goal)}% of the goal).")


def hard_words(q: QuestionResult) -> str:
    first = "said \u201cI don't know\u201d at first; " if q.first_dont_know else ""
    return f"{first}{q.right} of {q.answers} answer{'s' if q.answers != 1 else ''} right so far"


# -- what a reader sees of a report: the same words in Markdown and HTML ---------------------------

STATUS_WORDS = {"new": "not started", "in_progress": "in progress", "done": "done"}
LEFT_OUT = "(details left out by the client)"
EXAMS_LEFT_OUT = "Exam results left out by the client."


def lesson_text(text: str) -> str:
    """A lesson's Markdown (a question, what a lesson teaches) as the words a reader sees, on one
    line: no backtick, asterisk or underscore of markup is left to show as itself ("what
    `neurotutor review` does" reads "what neurotutor review does"). Control characters are made
    inert first (`safe_text`), so the Markdown parser never sees one."""
    from neurotutor.plaintext import markdown_to_text

    return one_line(markdown_to_text(safe_text(text)))


def minutes_words(x: float) -> str:
    """Minutes as a reader takes them in: whole minutes, and "under 1" for a little time that would
    round to 0 (no time at all is 0)."""
    return "under 1" if 0 < x < 0.5 else f"{x:.0f}"


def when_words(report: Report, moment: datetime | None) -> str:
    """A date of the report as the client's local date ("-": none); with the time of day only when
    the client chose to include times, in UTC as the report keeps it ("2026-11-20, 21:30 UTC"; the
    UTC date too when it is not the local one: "2026-11-21 (2026-11-20 23:30 UTC)")."""
    from datetime import timezone

    day = report.day(moment)
    if day is None or moment is None:
        return "-"
    if not report.choices.times:
        return day.isoformat()
    utc = moment.astimezone(timezone.utc) if moment.tzinfo is not None else moment
    if utc.date() == day:
        return f"{day.isoformat()}, {utc:%H:%M} UTC"
    return f"{day.isoformat()} ({utc:%Y-%m-%d %H:%M} UTC)"


def inert_line(text: str) -> str:
    """A value set inside a longer line: its control characters inert first (so none is taken for
    a space and dropped), then on one line with no space at either end."""
    return " ".join(safe_text(text).split())


def quoted(text: str) -> str:
    """A wrong idea in curly quotes: \u201cOnly young brains can change.\u201d"""
    return f"\u201c{inert_line(text)}\u201d"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class LessonView:
    """One lesson of a report as a reader sees it (the cells of the lessons table)."""

    title: str
    due: str
    status: str  # "done", "in progress, overdue", "not started (details left out by the client)"
    progress: str  # "3 of 5 sections read, 2 of 8 questions answered" (in progress), else ""
    details: bool
    overdue: bool
    last_studied: str = ""
    finished: str = ""
    scores: str = ""
    minutes: str = ""  # "12 / 8 / 5": reading / answering / review

    @property
    def state(self) -> str:
        """The status with what is done of a lesson in progress, in one cell."""
        return f"{self.status}: {self.progress}" if self.progress else self.status


@dataclass(frozen=True)
class Asked:
    """A question under which a wrong idea was chosen."""

    question: str
    lesson: str
    times: int
    teaches: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class WrongIdea:
    """A wrong idea chosen, once however many questions it was chosen under."""

    said: str  # the wrong idea in words
    times: int
    lessons: tuple[str, ...]
    asked: tuple[Asked, ...]

    @property
    def head(self) -> str:
        """\u201cOnly young brains can change.\u201d: chosen 3 times, in Brain basics"""
        lessons = "; ".join(map(inert_line, self.lessons))
        return f"{quoted(self.said)}: chosen {times_words(self.times)}, in {lessons}"


@dataclass(frozen=True)
class QuestionView:
    """A question missed at the first try, or one with short answers typed."""

    question: str
    lesson: str
    words: str  # how it went ("" for a question listed only for the short answers typed)
    typed: tuple[str, ...]


@dataclass(frozen=True)
class ReportView:
    """A report in the words every readable render shows."""

    title: str
    client: str
    byline: str  # "Report for S.K. (client key c-...), from neurotutor, 2026-11-20. Assignment set by Dr A."
    summary: tuple[str, ...]
    lessons: tuple[LessonView, ...]
    chart: tuple[tuple[str, float], ...]  # (lesson title, best score)
    review: str
    exams: tuple[str, ...] | None  # None: left out by the client
    exam_goal: str
    confidence: str
    ideas: tuple[WrongIdea, ...]
    missed: tuple[QuestionView, ...]
    typed: tuple[QuestionView, ...]  # questions not missed at the first try, with short answers typed
    contains: tuple[str, ...]
    leaves_out: tuple[str, ...]


def lesson_view(report: Report, x: LessonReport) -> LessonView:
    """A lesson's cells: only its status and due date when the client left its details out."""
    status = STATUS_WORDS.get(x.status, x.status) + (", overdue" if x.overdue else "")
    if not x.details:
        return LessonView(x.title, x.due.isoformat(), f"{status} {LEFT_OUT}", "", False, x.overdue)
    progress = ""
    if x.status == "in_progress" and (x.sections or x.question_count):
        progress = (f"{x.sections_read} of {_plural(x.sections, 'section')} read, {x.answered} of "
                    f"{_plural(x.question_count, 'question')} answered")
    return LessonView(x.title, x.due.isoformat(), status, progress, True, x.overdue,
                      when_words(report, x.last_studied), when_words(report, x.finished),
                      ", ".join(_pct(s) for s in x.scores) or "-",
                      " / ".join(minutes_words(n) for n in (x.reading_minutes, x.minutes, x.review_minutes)))


def wrong_ideas(report: Report) -> tuple[WrongIdea, ...]:
    """The misconceptions chosen, one entry per wrong idea (a label chosen under two questions is
    one idea, its questions listed under it), most often chosen first: the ideas the summary names."""
    found: dict[str, list[tuple[str, Misconception]]] = {}
    said: dict[str, str] = {}
    for x in report.lessons:
        for mc in x.misconceptions:
            words = m.misconception_said(mc.label, mc.text)
            found.setdefault(one_line(words), []).append((x.title, mc))  # as the summary counts them
            said.setdefault(one_line(words), words)
    ideas = [WrongIdea(said[key], sum(mc.times for _, mc in under), tuple(dict.fromkeys(t for t, _ in under)),
                       tuple(Asked(lesson_text(mc.question), t, mc.times, lesson_text(mc.teaches), mc.answers)
                             for t, mc in under))
             for key, under in found.items()]
    return tuple(sorted(ideas, key=lambda idea: -idea.times))  # a stable sort: ties in the report's order


def exam_words(report: Report, e: ExamReport) -> str:
    """An exam: its date (and time, when chosen), its score and the minutes used."""
    used = math.ceil(e.seconds_used / 60)
    score = (f"{e.right} of {e.questions} right ({_pct(e.score)})" if e.right is not None
             else f"{_plural(e.questions, 'question')}, not marked")
    ran_out = ", the time ran out" if e.status == "timed_out" else ""
    return f"{when_words(report, e.finished)}: {score}, {_plural(used, 'minute')} used{ran_out}"


def report_view(report: Report) -> ReportView:
    """The words of a report, shared by its Markdown and its HTML."""
    a = report.assignment.assignment
    key = f" (client key {report.client_key})" if report.client_key else ""
    byline = (f"Report for {inert_line(a.client)}{key}, from neurotutor, {when_words(report, report.generated)}. "
              f"Assignment set by {inert_line(a.therapist.name)}.")
    cal = report.calibration
    confidence = (f"{cal.rated} answers rated; certainty-based marks {cal.marks} of {cal.max_marks}."
                  + (f" Overall: {cal.verdict}." if cal.verdict else "")) if cal.rated else ""
    exams: tuple[str, ...] | None = None
    if report.choices.exams:
        exams = tuple(exam_words(report, e) for e in report.exams)
    missed, typed = [], []
    for x in report.lessons:
        if not x.details:
            continue
        for q in x.questions:
            if q.first_right is False:
                missed.append(QuestionView(lesson_text(q.question), x.title, hard_words(q), q.typed))
            elif q.typed:
                typed.append(QuestionView(lesson_text(q.question), x.title, "", q.typed))
    return ReportView(
        title=a.title, client=a.client, byline=byline, summary=report.summary,
        lessons=tuple(lesson_view(report, x) for x in report.lessons),
        chart=tuple((x.title, max(x.scores)) for x in report.lessons if x.details and x.scores),
        review=review_sentence(report), exams=exams,
        exam_goal=f"Goal: at least {report.exam_goal}%." if report.exam_goal is not None else "",
        confidence=confidence, ideas=wrong_ideas(report), missed=tuple(missed), typed=tuple(typed),
        contains=report.contains, leaves_out=report.leaves_out)


def to_markdown(report: Report) -> str:
    """The report as Markdown, for pasting into clinical notes: every value escaped
    (`markdown_text`), and no markup of ours that a plain-text paste would show as stars."""
    md = markdown_text
    v = report_view(report)
    lines = [f"# {md(v.title)}", "", md(v.byline), "", "## Summary", ""]
    lines += [f"- {md(line)}" for line in v.summary]
    lines += ["", "## Lessons, by due date", "",
              "| lesson | due | status | last studied | finished | score of each pass "
              "| minutes reading / answering / review |",
              "|---|---|---|---|---|---|---|"]
    lines += [markdown_cells([x.title, x.due, x.state, x.last_studied, x.finished, x.scores, x.minutes])
              for x in v.lessons]
    lines += ["", "## Review", "", md(v.review)]
    if v.exams is None:
        lines += ["", "## Exams", "", EXAMS_LEFT_OUT]
    elif v.exams or v.exam_goal:
        lines += ["", "## Exams", ""] + ([md(v.exam_goal), ""] if v.exam_goal else [])
        lines += [f"- {md(e)}" for e in v.exams] or ["No exam on these lessons yet."]
    if v.confidence:
        lines += ["", "## Confidence", "", md(v.confidence)]
    if v.ideas:
        lines += ["", "## Misconceptions chosen", ""]
        for idea in v.ideas:
            lines.append(f"- {md(idea.head)}")
            for asked in idea.asked:
                times = f" ({times_words(asked.times)})" if len(idea.asked) > 1 else ""
                lines.append(f"  - Question{times}: {md(asked.question)}")
                lines.append(f"    - The lesson teaches: {md(asked.teaches)}")
                lines += [f"    - Answered: {md(answer)}" for answer in asked.answers]
    for heading, questions in (("Questions missed at the first try", v.missed), ("Short answers typed", v.typed)):
        if questions:
            lines += ["", f"## {heading}", ""]
            for question in questions:
                said = f"{question.question} ({inert_line(question.lesson)})"
                said += f": {question.words}" if question.words else ""
                lines.append(f"- {md(said)}")  # one value: a question of no words leaves no gap to nest under
                lines += [f"  - Typed: {md(t)}" for t in question.typed]
    practice, shared = practice_view(report)
    if practice:
        lines += ["", "## Practice between sessions", ""] + [f"- {md(x)}" for x in practice]
    for title, answers in shared:
        lines += ["", f"## Shared from the journal: {md(title)}", ""]
        lines += [f"- {md(step)}: {md(answer)}" for step, answer in answers]
    lines += ["", "## What this report contains", ""] + [f"- {md(c)}" for c in v.contains]
    lines += ["", "It leaves out:", ""] + [f"- {md(c)}" for c in v.leaves_out]
    return "\n".join(lines) + "\n"


def _html_value(value: Any) -> Any:
    """What every {{ value }} of a template shows, before jinja2's autoescaping: text with its
    control and bidirectional characters neutralised, on one line (a browser shows a line break
    in text as a space anyway), without the invisible characters that only hide a difference
    (`_one_line`): the HTML destination's one function."""
    return _one_line(safe_text(value)) if isinstance(value, str) else value


def _template(name: str) -> Template:
    """A template of templates/, every value neutralised and escaped by jinja2's autoescaping and an
    undefined one an error. jinja2 is imported only here. Templates are compiled in memory on each
    run, never kept on disk: a compiled template is code (a pickle, in jinja2's bytecode cache), and
    nothing executable is loaded from a folder. Compiling both templates takes about 10 ms."""
    import jinja2

    from neurotutor import paths

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.templates_dir()), autoescape=True,
                                     undefined=jinja2.StrictUndefined, finalize=_html_value)
    return environment.get_template(name)


def to_html(report: Report, tutor_version: str) -> str:
    """One self-contained HTML page (inline CSS and SVG, no script, no external files), laid out to
    print on as few A4 pages as it needs (templates/base.html.j2)."""
    practice, shared = practice_view(report)
    return _template("report.html.j2").render(v=report_view(report), times_words=times_words,
                                              exams_left_out=EXAMS_LEFT_OUT, practice=practice, shared=shared)


def measure_name(measure: str) -> str:
    from neurotutor.assignments.homework import MEASURES

    return MEASURES.get(measure, measure)


def trend_words(first: int, last: int, band: str, n: int, measure: str | None = None) -> str:
    """A measure's check-ins in a caseload row: from the first total to the latest, and how many;
    with the measure, whether that change passes the reliable change index (as the client was told)."""
    if n == 1:
        return f"{last} ({band}), 1 check-in"
    said = f"{first} to {last} ({band}), {n} check-ins"
    if measure is not None and first != last:
        from neurotutor.checkins import measures as ms

        known = ms.MEASURES.get(measure)
        if known is not None:
            c = ms.change(known, first, last)
            said += ("; a reliable " + ("fall" if c.points < 0 else "rise")) if c.reliable else \
                "; within measurement error"
    return said


def practice_view(report: Report) -> tuple[list[str], list[tuple[str, list[tuple[str, str]]]]]:
    """The practice the client chose to include, in words: a line per goal and per measure's
    check-ins; and each shared journal entry (its title and date, then each step and answer)."""
    from neurotutor.assignments.homework import MEASURES

    p = report.practice
    if p is None:
        return [], []
    lines = []
    if report.choices.practice:
        for g in p.goals:
            days = ", ".join(f"{d:%a %d %b}" for d in g.dates)
            if not g.set_so_far:
                lines.append(f"{g.words}: not due yet")
                continue
            lines.append(f"{g.words}: {g.done} of {g.set_so_far} done so far" + (f" ({days})" if days else ""))
        by_measure: dict[str, list[str]] = {}
        for c in p.checkins:
            by_measure.setdefault(c.measure, []).append(f"{c.on:%d %b}: {c.total} ({c.band})")
        lines += [f"{MEASURES.get(k, k)} check-ins: " + "; ".join(v) for k, v in by_measure.items()]
        if not p.goals and not p.checkins:
            lines.append("No practice is set in this assignment.")
    shared = [(f"{e.title}, {e.on:%a %d %b %Y}", list(e.answers)) for e in p.entries]
    return lines, shared


def report_file(report: Report, fmt: str, tutor_version: str) -> bytes:
    """The report as a file's bytes: json, html or md (`format_for` chose it)."""
    if fmt == "json":
        return to_json(report, tutor_version)
    if fmt == "html":
        return to_html(report, tutor_version).encode("utf-8")
    return to_markdown(report).encode("utf-8")


# -- the caseload ------------------------------------------------------------------------------

CASELOAD_VERSION = 2  # 2: client keys, therapists, reading/answering/review time, lessons in progress, sealed, others


def caseload_document(caseload: Caseload, tutor_version: str, now: datetime) -> dict[str, Any]:
    """The caseload as plain data (format "neurotutor-caseload", version 2)."""
    return _safe_object({
        "format": "neurotutor-caseload", "version": CASELOAD_VERSION, "tutor_version": tutor_version,
        "generated_at": _iso(now), "therapists": list(caseload.therapists),
        "rows": [{"client": r.client, "client_key": r.client_key, "assignment_id": r.assignment_id,
                  "assignment": r.assignment, "therapist": r.therapist, "done": r.done, "lessons": r.lessons,
                  "overdue": list(r.overdue), "best_scores": [{"lesson": t, "score": s} for t, s in r.best_scores],
                  "reading_minutes": round(r.reading_minutes, 1), "answering_minutes": round(r.answering_minutes, 1),
                  "review_minutes": round(r.review_minutes, 1),
                  "review_minutes_per_day": round(r.review_minutes_per_day, 1),
                  "review_goal_minutes_per_day": r.review_goal_minutes, "review_days": r.review_days,
                  "in_progress": [{"lesson": t, "sections_read": read, "sections": sections, "answered": answered,
                                   "questions": questions} for t, read, sections, answered, questions in r.in_progress],
                  "last_activity": r.last_activity, "report_date": r.generated, "report_age_days": r.age_days,
                  "stale": r.stale, "source": r.source, "sealed": r.sealed, "other": r.other or None,
                  "practice_set": r.practice_set, "practice_shared": r.practice_shared,
                  "homework": [{"goal": w, "done": d, "set": s} for w, d, s in r.homework],
                  "checkins": [{"measure": m, "first": f, "latest": last, "band": b, "count": n}
                               for m, f, last, b, n in r.checkins]}
                 for r in caseload.rows],
        "questions_missed": [{"lesson_id": i.lesson_id, "lesson": i.lesson, "question_id": i.question_id,
                              "question": i.question, "clients": i.clients, "missed_first": i.missed_first,
                              "dont_know_first": i.dont_know_first, "answers": i.answers, "right": i.right}
                             for i in caseload.items],
        "misconceptions": [{"text": text, "times": n, "clients": c} for text, n, c in caseload.misconceptions],
        "set_aside": list(caseload.set_aside),
        "others": list(caseload.others),
    })


def caseload_json(caseload: Caseload, tutor_version: str, now: datetime) -> bytes:
    import msgspec

    return msgspec.json.format(msgspec.json.encode(caseload_document(caseload, tutor_version, now)), indent=2) + b"\n"


def client_count(caseload: Caseload) -> int:
    """How many clients the caseload's rows are of: clients are told apart by their key (one
    client may have several assignments; two people with the same label are two clients)."""
    return len({row.client_key or row.client for row in caseload.rows})


def _clients(n: int) -> str:
    return f"{n} client{'s' if n != 1 else ''}"


def short_keys(rows: Sequence[Row]) -> dict[str, str]:
    """Each client key as short as it can be shown and still tell the clients apart ("c-abcd",
    longer only when two keys start alike)."""
    keys = sorted({row.client_key for row in rows if row.client_key})
    size = 6
    while size < max((len(k) for k in keys), default=0) and len({k[:size] for k in keys}) < len(keys):
        size += 1
    return {k: k[:size] for k in keys}


def client_words(row: Row, keys: Mapping[str, str]) -> str:
    """A client as the caseload shows them: the label and the short key ("S.K. c-abcd")."""
    key = keys.get(row.client_key, row.client_key)
    return inert_line(f"{row.client} {key}" if key else row.client)


def item_words(item: Item) -> str:
    """One question across clients, in words."""
    unknown = f" ({item.dont_know_first} said \u201cI don't know\u201d)" if item.dont_know_first else ""
    return (f"missed at the first try by {item.missed_first} of {_clients(item.clients)}{unknown}; {item.right} of "
            f"{item.answers} answers right")


def item_line(item: Item) -> str:
    """A question missed across clients, on one line: the question in plain words, where it is from, how it went."""
    return (f"{lesson_text(item.question)} ({inert_line(item.lesson)}, {inert_line(item.question_id)}): "
            f"{item_words(item)}")


def chosen_words(times: int, clients: int) -> str:
    return f"chosen {times_words(times)} by {_clients(clients)}"


def misconception_words(text: str, times: int, clients: int) -> str:
    """A wrong idea chosen across clients (`text` is already the idea in words)."""
    return f"{quoted(text)}: {chosen_words(times, clients)}"


MOST_MISCONCEPTIONS = 5  # wrong ideas named under "chosen most" (more when a tie would be cut)


def top_misconceptions(caseload: Caseload, most: int = MOST_MISCONCEPTIONS) -> tuple[list[str], str]:
    """The lines of "Misconceptions chosen most": the wrong ideas chosen by the most clients (then
    the most times), never cutting a tie (`top_with_ties`), each tie named as one; and a line for
    the rest ("" when none is left)."""
    ranked = caseload.misconceptions
    levels = sorted({(c, n) for _, n, c in ranked}, reverse=True)
    rank = {level: len(levels) - i for i, level in enumerate(levels)}  # higher is chosen more
    named, _ = top_with_ties([(str(i), rank[(c, n)]) for i, (_, n, c) in enumerate(ranked)], most)
    shown = [ranked[int(i)] for i, _ in named]
    ties = {(c, n) for _, n, c in shown if sum((c2, n2) == (c, n) for _, n2, c2 in shown) > 1}
    lines = [misconception_words(text, n, c) + (" (a tie)" if (c, n) in ties else "") for text, n, c in shown]
    left = ranked[len(shown):]  # (the caseload is ranked as top_with_ties ranks: what is named comes first)
    if not left:
        return lines, ""
    level = (left[0][2], left[0][1])
    tied = sum((c, n) == level for _, n, c in left)
    each = f"each {chosen_words(level[1], level[0])}"
    if tied == len(left) and tied > 1:
        return lines, f"and {len(left)} more, tied: {each}"
    if tied > 1:
        return lines, f"and {len(left)} more: {tied} of them tied ({each}), the others chosen less"
    return lines, f"and {len(left)} more, chosen less"


def report_age(row: Row) -> str:
    """A report's date, and its age when it is old enough that what it says may have changed."""
    return f"{row.generated} ({row.age_days} days old)" if row.stale else row.generated


def row_marks(row: Row) -> list[str]:
    """What sets a row apart: a report that came sealed, one of another therapist's assignments."""
    return (["sealed"] if row.sealed else []) + (["another therapist's"] if row.other else [])


def report_words(row: Row) -> str:
    """The report column: its date (with its age when stale) and its marks."""
    return ", ".join([report_age(row), *row_marks(row)])


def row_review(row: Row) -> str:
    """Review against the goal, in the goal's own unit: "4.2 of 5 min a day"."""
    if row.review_goal_minutes:
        return f"{row.review_minutes_per_day:.1f} of {row.review_goal_minutes} min a day"
    return f"{row.review_minutes_per_day:.1f} min a day (no goal)"


def row_time(row: Row) -> str:
    """Minutes reading, answering and in review: "30 / 20 / 12 min"."""
    return (f"{minutes_words(row.reading_minutes)} / {minutes_words(row.answering_minutes)} / "
            f"{minutes_words(row.review_minutes)} min")


def row_practice(row: Row) -> str:
    """Practice and check-ins in a caseload row: each goal done of set so far, each measure's trend;
    or that the client did not include them."""
    if not row.practice_shared:
        return "not included by the client" if row.practice_set else "-"
    parts = [f"{inert_line(words)}: " + (f"{done} of {set_} done" if set_ else "not due yet")
             for words, done, set_ in row.homework]
    parts += [f"{measure_name(m)}: {trend_words(first, last, band, n, m)}" for m, first, last, band, n in row.checkins]
    return "; ".join(parts) or "none set"


def row_scores(row: Row) -> str:
    return ", ".join(f"{inert_line(t)} {_pct(s)}" for t, s in row.best_scores) or "-"


def row_in_progress(row: Row) -> str:
    """The lessons in progress, with how far: "CBT (3 of 5 sections read, 2 of 8 questions answered)"."""
    return "; ".join(f"{inert_line(t)} ({read} of {_plural(sections, 'section')} read, {answered} of "
                     f"{_plural(questions, 'question')} answered)"
                     for t, read, sections, answered, questions in row.in_progress) or "-"


def left_out_lines(caseload: Caseload) -> list[str]:
    """The reports left out, each with its reason: older or doubtful ones, and other therapists'."""
    return [*caseload.set_aside, *caseload.others]


def caseload_markdown(caseload: Caseload, now: datetime) -> str:
    """The caseload as Markdown (every value escaped by `markdown_text`, ids and dates too)."""
    md = markdown_text
    keys = short_keys(caseload.rows)
    lines = ["# Caseload", "", f"From the reports of {_clients(client_count(caseload))}, {md(f'{now:%Y-%m-%d}')}. "
             "Those behind come first. Time is minutes reading / answering / in review.",
             "", "| client | therapist | assignment | done | overdue | best scores | time | review | in progress "
             "| practice | last studied | report |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in caseload.rows:
        cells = [client_words(r, keys), r.therapist, r.assignment, f"{r.done}/{r.lessons}",
                 ", ".join(map(inert_line, r.overdue)) or "-",
                 row_scores(r), row_time(r), row_review(r), row_in_progress(r), row_practice(r),
                 r.last_activity or "not started",
                 report_words(r)]
        lines.append(markdown_cells(cells))
    if caseload.items:
        lines += ["", "## Questions most often missed at the first try", ""]
        lines += [f"- {md(item_line(i))}" for i in caseload.items]
    if caseload.misconceptions:
        named, rest = top_misconceptions(caseload)
        lines += ["", "## Misconceptions chosen most", ""] + [f"- {md(x)}" for x in named]
        lines += [f"- {md(rest)}"] if rest else []
    left = left_out_lines(caseload)
    if left:
        lines += ["", "## Left out", ""] + [f"- {md(x)}" for x in left]
    return "\n".join(lines) + "\n"


def caseload_html(caseload: Caseload, now: datetime) -> str:
    """The caseload as one self-contained HTML page, like the report (landscape when printed)."""
    keys = short_keys(caseload.rows)
    named, rest = top_misconceptions(caseload)
    return str(_template("caseload.html.j2").render(
        c=caseload, date=f"{now:%Y-%m-%d}", clients=_clients(client_count(caseload)),
        client=lambda r: client_words(r, keys), pct=_pct, item_line=item_line, misconceptions=named,
        more_misconceptions=rest, report_words=report_words, row_review=row_review, row_time=row_time,
        row_in_progress=row_in_progress, row_practice=row_practice, left_out=left_out_lines(caseload)))


def caseload_file(caseload: Caseload, fmt: str, tutor_version: str, now: datetime) -> bytes:
    """The caseload as a file's bytes: json, html or md (`format_for` chose it)."""
    if fmt == "json":
        return caseload_json(caseload, tutor_version, now)
    if fmt == "html":
        return caseload_html(caseload, now).encode("utf-8")
    return caseload_markdown(caseload, now).encode("utf-8")
