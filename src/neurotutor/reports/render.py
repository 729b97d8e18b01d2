"""Reports and the caseload as JSON documents, Markdown and HTML (through jinja2 templates).

Every value that leaves here is made safe for where it lands, by one function per destination:
`json_safe` for JSON, `markdown_text` for Markdown, and the templates' `finalize` (`safe_text`,
then jinja2's autoescaping) for HTML. Each neutralises the control and bidirectional characters
that could drive a terminal or reorder text (`neurotutor.text.safe_text`); the screen gets the same
from the output module. Nothing is compiled to or loaded from disk: templates are compiled in memory.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurotutor.lessons import model as m
from neurotutor.reports.build import FORMAT, VERSION, QuestionResult, Report, one_line
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
    words may hold several."""
    a = report.assignment.assignment
    cal = report.calibration
    line = _one_line
    return {
        "format": FORMAT, "version": VERSION, "tutor_version": line(tutor_version), "generated_at": _iso(report.generated),
        "assignment": {"id": line(a.id), "title": line(a.title), "therapist": line(a.therapist.name),
                       "client": line(a.client), "added_at": _iso(report.assignment.added)},
        "contains": [line(c) for c in report.contains], "leaves_out": [line(c) for c in report.leaves_out],
        "answers_verbatim": report.verbatim, "summary": [line(c) for c in report.summary],
        "lessons": [{"id": line(x.lesson_id), "title": line(x.title), "due": x.due.isoformat(), "status": x.status,
                     "overdue": x.overdue, "finished_at": _iso(x.finished),
                     "last_studied_at": _iso(x.last_studied), "pass_scores": [round(s, 4) for s in x.scores],
                     "minutes": round(x.minutes, 1), "review_answers": x.review_answers, "review_days": x.review_days,
                     "misconceptions": [{"label": line(mc.label), "times": mc.times, "question_id": line(mc.question_id),
                                         "question": mc.question, "lesson_teaches": mc.teaches,
                                         **({"answers": list(mc.answers)} if report.verbatim else {})}
                                        for mc in x.misconceptions],
                     "questions": [{"id": line(q.question_id), "question": q.question, "answers": q.answers, "right": q.right,
                                    "first_right": q.first_right, "dont_know": q.dont_know,
                                    "first_dont_know": q.first_dont_know} for q in x.questions]} for x in report.lessons],
        "review": {"minutes": round(report.review_minutes, 1), "days": report.review_days,
                   "goal_minutes_per_day": report.review_goal_minutes, "days_since_added": report.days_since_added},
        "exams": [{"id": line(e.exam_id), "finished_at": _iso(e.finished), "status": line(e.status), "questions": e.questions,
                   "right": e.right, "score": e.score, "seconds_used": e.seconds_used} for e in report.exams],
        "exam_goal_percent": report.exam_goal,
        "confidence": None if not cal.rated else {
            "rated": cal.rated, "marks": cal.marks, "verdict": None if cal.verdict is None else line(cal.verdict),
            "levels": [{"level": lv.level, "answers": lv.answers, "right": lv.right} for lv in cal.levels]},
    }


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


def markdown_text(value: object) -> str:
    """Any value (free text, an id, a date) as inert text on one line of Markdown: the one Markdown
    escaper of every Markdown renderer.

    Control and bidirectional characters are shown as inert escapes (`safe_text`), runs of spaces
    and line ends become one space, and every character that could start markup is escaped with a
    backslash, so a CommonMark or GitHub viewer shows exactly the text: never a tag, a link, an
    image or a table cell that the report did not put there."""
    text = _MD_INLINE.sub(r"\\\1", " ".join(safe_text(str(value)).split()))
    return _MD_START.sub(lambda found: "\\" + found.group(1) if found.group(1) else
                         found.group(2) + "\\" + found.group(3), text, count=1)


def review_sentence(report: Report) -> str:
    """Review time against the goal, in words."""
    days, since = report.review_days, report.days_since_added
    when = "since the assignment was added today" if since == 1 else f"in the {since} days since the assignment was added"
    said = f"{report.review_minutes:.0f} minutes of review on {days} day{'s' if days != 1 else ''} {when}"
    goal = report.review_goal_minutes
    if not goal:
        return said + "."
    average = report.review_minutes / since
    return (said + f": {average:.1f} minutes a day on average, against a goal of {goal} minutes a day "
            f"({round(100 * average / goal)}% of the goal).")


def hard_questions(report: Report) -> list[tuple[str, QuestionResult]]:
    """The questions whose first answer was wrong, with their lesson's title, in lesson order."""
    return [(x.title, q) for x in report.lessons for q in x.questions if q.first_right is False]


def hard_words(q: QuestionResult) -> str:
    first = "said \u201cI don't know\u201d at first; " if q.first_dont_know else ""
    return f"{first}{q.right} of {q.answers} answer{'s' if q.answers != 1 else ''} right so far"


def to_markdown(report: Report) -> str:
    """The report as Markdown, for pasting into clinical notes."""
    md = markdown_text
    a = report.assignment.assignment
    lines = [f"# {md(a.title)}", "", f"Report for {md(a.client)}, from neurotutor, {md(f'{report.generated:%Y-%m-%d}')}. "
             f"Assignment set by {md(a.therapist.name)}.", "", "## Summary", ""]
    lines += [f"- {md(line)}" for line in report.summary]
    lines += ["", "## Lessons", "", "| lesson | due | status | finished | scores | minutes | reviews |",
              "|---|---|---|---|---|---|---|"]
    for x in report.lessons:
        status = {"new": "not started", "in_progress": "in progress", "done": "done"}[x.status]
        if x.overdue:
            status += " (overdue)"
        lines.append(f"| {md(x.title)} | {md(x.due.isoformat())} | {status} | "
                     f"{md(x.finished.date().isoformat()) if x.finished else '-'} | "
                     f"{', '.join(_pct(s) for s in x.scores) or '-'} | {x.minutes:.0f} | {x.review_answers} |")
    lines += ["", "## Review", "", md(review_sentence(report))]
    if report.exams or report.exam_goal is not None:
        lines += ["", "## Exams", ""]
        if report.exam_goal is not None:
            lines.append(f"Goal: at least {report.exam_goal}%.")
        for e in report.exams:
            lines.append(f"- {md(e.finished.date().isoformat()) if e.finished else '-'}: {e.right} of {e.questions} "
                         f"right ({_pct(e.score)})")
        if not report.exams:
            lines.append("No exam on these lessons yet.")
    if report.calibration.rated:
        cal = report.calibration
        lines += ["", "## Confidence", "", f"{cal.rated} answers rated; certainty-based marks {cal.marks} of "
                  f"{cal.max_marks}." + (f" Overall: {md(cal.verdict)}." if cal.verdict else "")]
    chosen = [(x, mc) for x in report.lessons for mc in x.misconceptions]
    if chosen:
        lines += ["", "## Misconceptions chosen", ""]
        for x, mc in chosen:
            lines.append(f"- **{md(m.misconception_said(mc.label, mc.text))}** ({mc.times}x, {md(x.title)}): {md(mc.question)}")
            lines.append(f"  - The lesson teaches: {md(mc.teaches)}")
            for answer in mc.answers:
                lines.append(f"  - Answered: {md(answer)}")
    hard = hard_questions(report)
    if hard:
        lines += ["", "## Questions missed at the first try", ""]
        lines += [f"- {md(q.question)} ({md(title)}): {md(hard_words(q))}" for title, q in hard]
    lines += ["", "## What this report contains", ""] + [f"- {md(c)}" for c in report.contains]
    lines += ["", "It leaves out:", ""] + [f"- {md(c)}" for c in report.leaves_out]
    return "\n".join(lines) + "\n"


def _html_value(value: Any) -> Any:
    """What every {{ value }} of a template shows, before jinja2's autoescaping: text with its
    control and bidirectional characters neutralised, on one line (a browser shows a line break
    in text as a space anyway; the HTML destination's one function)."""
    return one_line(safe_text(value)) if isinstance(value, str) else value


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
    """One self-contained HTML page (inline CSS and SVG, no script, no external files)."""
    doc = document(report, tutor_version)
    template = _template("report.html.j2")
    chart = [(x["title"], max(x["pass_scores"])) for x in doc["lessons"] if x["pass_scores"]]
    said = [m.misconception_said(mc.label, mc.text) for x in report.lessons for mc in x.misconceptions]
    misconceptions = [(x["title"], mc, words) for (x, mc), words
                      in zip([(x, mc) for x in doc["lessons"] for mc in x["misconceptions"]], said, strict=True)]
    return template.render(r=doc, chart=chart, misconceptions=misconceptions, hard=hard_questions(report), hard_words=hard_words,
                           review=review_sentence(report),
                           status_words={"new": "not started", "in_progress": "in progress", "done": "done"})


def report_file(report: Report, fmt: str, tutor_version: str) -> bytes:
    """The report as a file's bytes: json, html or md (`format_for` chose it)."""
    if fmt == "json":
        return to_json(report, tutor_version)
    if fmt == "html":
        return to_html(report, tutor_version).encode("utf-8")
    return to_markdown(report).encode("utf-8")


# -- the caseload ------------------------------------------------------------------------------


def caseload_document(caseload: Caseload, tutor_version: str, now: datetime) -> dict[str, Any]:
    """The caseload as plain data (format "neurotutor-caseload", version 1)."""
    return _safe_object({
        "format": "neurotutor-caseload", "version": 1, "tutor_version": tutor_version, "generated_at": _iso(now),
        "rows": [{"client": r.client, "assignment_id": r.assignment_id, "assignment": r.assignment,
                  "therapist": r.therapist, "done": r.done, "lessons": r.lessons, "overdue": list(r.overdue),
                  "best_scores": [{"lesson": t, "score": s} for t, s in r.best_scores],
                  "review_minutes": r.review_minutes, "review_goal_minutes_per_day": r.review_goal_minutes,
                  "last_activity": r.last_activity, "report_date": r.generated, "report_age_days": r.age_days, "stale": r.stale,
                  "source": r.source} for r in caseload.rows],
        "questions_missed": [{"lesson_id": i.lesson_id, "lesson": i.lesson, "question_id": i.question_id,
                              "question": i.question, "clients": i.clients, "missed_first": i.missed_first,
                              "dont_know_first": i.dont_know_first, "answers": i.answers, "right": i.right}
                             for i in caseload.items],
        "misconceptions": [{"label": label, "times": n, "clients": c} for label, n, c in caseload.misconceptions],
        "set_aside": list(caseload.set_aside),
    })


def caseload_json(caseload: Caseload, tutor_version: str, now: datetime) -> bytes:
    import msgspec

    return msgspec.json.format(msgspec.json.encode(caseload_document(caseload, tutor_version, now)), indent=2) + b"\n"


def client_count(caseload: Caseload) -> int:
    """How many clients the caseload's rows are of (one client may have several assignments)."""
    return len({row.client for row in caseload.rows})


def _clients(n: int) -> str:
    return f"{n} client{'s' if n != 1 else ''}"


def item_words(item: Item) -> str:
    """One question across clients, in words."""
    unknown = f" ({item.dont_know_first} said \u201cI don't know\u201d)" if item.dont_know_first else ""
    return (f"missed at the first try by {item.missed_first} of {_clients(item.clients)}{unknown}; {item.right} of "
            f"{item.answers} answers right")


def misconception_words(label: str, times: int, clients: int) -> str:
    return f"{m.misconception_said(label, None)}: {chosen_words(times, clients)}"


def report_age(row: Any) -> str:
    """A report's date, and its age when it is old enough that what it says may have changed."""
    return f"{row.generated} ({row.age_days} days old)" if row.stale else row.generated


def chosen_words(times: int, clients: int) -> str:
    return f"chosen {times}x by {_clients(clients)}"


def row_review(row: Row) -> str:
    return f"{row.review_minutes:.0f} min" + (f" (goal {row.review_goal_minutes} a day)" if row.review_goal_minutes else "")


def caseload_markdown(caseload: Caseload, now: datetime) -> str:
    """The caseload as Markdown (every value escaped by `markdown_text`, ids and dates too)."""
    md = markdown_text
    lines = ["# Caseload", "", f"From the reports of {_clients(client_count(caseload))}, {md(f'{now:%Y-%m-%d}')}. "
             "Those behind come first.",
             "", "| client | assignment | done | overdue | best scores | review | last studied | report of |",
             "|---|---|---|---|---|---|---|---|"]
    for r in caseload.rows:
        lines.append(f"| {md(r.client)} | {md(r.assignment)} | {r.done}/{r.lessons} | "
                     f"{md(', '.join(r.overdue)) or '-'} | "
                     f"{md(', '.join(f'{t} {_pct(s)}' for t, s in r.best_scores)) or '-'} | {md(row_review(r))} | "
                     f"{md(r.last_activity or 'not started')} | {md(report_age(r))} |")
    if caseload.items:
        lines += ["", "## Questions most often missed at the first try", ""]
        lines += [f"- {md(i.question)} ({md(i.lesson)}, {md(i.question_id)}): {md(item_words(i))}" for i in caseload.items]
    if caseload.misconceptions:
        lines += ["", "## Misconceptions chosen most", ""]
        lines += [f"- {md(m.misconception_said(label, None))}: {md(chosen_words(times, n))}" for label, times, n in caseload.misconceptions]
    if caseload.set_aside:
        lines += ["", "## Reports left out", ""] + [f"- {md(x)}" for x in caseload.set_aside]
    return "\n".join(lines) + "\n"


def caseload_html(caseload: Caseload, now: datetime) -> str:
    """The caseload as one self-contained HTML page, like the report."""
    return str(_template("caseload.html.j2").render(
        c=caseload, date=f"{now:%Y-%m-%d}", pct=_pct, item_words=item_words, misconception_words=misconception_words, report_age=report_age,
        row_review=row_review, clients=_clients, client_count=client_count(caseload)))


def caseload_file(caseload: Caseload, fmt: str, tutor_version: str, now: datetime) -> bytes:
    """The caseload as a file's bytes: json, html or md (`format_for` chose it)."""
    if fmt == "json":
        return caseload_json(caseload, tutor_version, now)
    if fmt == "html":
        return caseload_html(caseload, now).encode("utf-8")
    return caseload_markdown(caseload, now).encode("utf-8")
