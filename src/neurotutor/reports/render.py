"""Reports and the caseload as JSON documents, Markdown and HTML (through jinja2 templates)."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurotutor.reports.build import FORMAT, VERSION, QuestionResult, Report

if TYPE_CHECKING:
    from neurotutor.reports.caseload import Caseload, Item, Row


ENDINGS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".json": "json"}


def format_for(given: str | None, output: Path | None, default: str, allowed: tuple[str, ...]) -> str:
    """The format asked for, else the one the output file's name ends in, else the default."""
    from neurotutor.errors import UsageError

    ending = ENDINGS.get(output.suffix.lower()) if output is not None else None
    fmt = given or ending or default
    if fmt not in allowed:
        raise UsageError(f"--format must be one of: {', '.join(allowed)}.")
    if given and ending and ending != given:
        raise UsageError(f"{output} ends in {output.suffix} but --format is {given}: give a name that ends in "  # type: ignore[union-attr]
                         f".{given}, or --format {ending}.")
    return fmt


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def document(report: Report, tutor_version: str) -> dict[str, Any]:
    """The report as plain data, for the caseload view and for other tools."""
    a = report.assignment.assignment
    cal = report.calibration
    return {
        "format": FORMAT, "version": VERSION, "tutor_version": tutor_version, "generated_at": _iso(report.generated),
        "assignment": {"id": a.id, "title": a.title, "therapist": a.therapist.name, "client": a.client,
                       "added_at": _iso(report.assignment.added)},
        "contains": list(report.contains), "leaves_out": list(report.leaves_out), "answers_verbatim": report.verbatim,
        "summary": list(report.summary),
        "lessons": [{"id": x.lesson_id, "title": x.title, "due": x.due.isoformat(), "status": x.status,
                     "overdue": x.overdue, "finished_at": _iso(x.finished),
                     "last_studied_at": _iso(x.last_studied), "pass_scores": [round(s, 4) for s in x.scores],
                     "minutes": round(x.minutes, 1), "review_answers": x.review_answers, "review_days": x.review_days,
                     "misconceptions": [{"label": mc.label, "times": mc.times, "question_id": mc.question_id,
                                         "question": mc.question, "lesson_teaches": mc.teaches,
                                         **({"answers": list(mc.answers)} if report.verbatim else {})}
                                        for mc in x.misconceptions],
                     "questions": [{"id": q.question_id, "question": q.question, "answers": q.answers, "right": q.right,
                                    "first_right": q.first_right, "dont_know": q.dont_know,
                                    "first_dont_know": q.first_dont_know} for q in x.questions]} for x in report.lessons],
        "review": {"minutes": round(report.review_minutes, 1), "days": report.review_days,
                   "goal_minutes_per_day": report.review_goal_minutes, "days_since_added": report.days_since_added},
        "exams": [{"id": e.exam_id, "finished_at": _iso(e.finished), "status": e.status, "questions": e.questions,
                   "right": e.right, "score": e.score, "seconds_used": e.seconds_used} for e in report.exams],
        "exam_goal_percent": report.exam_goal,
        "confidence": None if not cal.rated else {
            "rated": cal.rated, "marks": cal.marks, "verdict": cal.verdict,
            "levels": [{"level": lv.level, "answers": lv.answers, "right": lv.right} for lv in cal.levels]},
    }


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


def _t(text: str) -> str:
    """Free text (a title, a question, an answer) on one line of Markdown, where it can never
    become HTML (a Markdown viewer shows "<script>" as text)."""
    return " ".join(text.split()).replace("\\", "\\\\").replace("<", "\\<")


def _cell(text: str) -> str:
    """Free text safe inside a Markdown table cell."""
    return _t(text).replace("|", "\\|")


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
    a = report.assignment.assignment
    lines = [f"# {_t(a.title)}", "", f"Report for {_t(a.client)}, from neurotutor, {report.generated:%Y-%m-%d}. "
             f"Assignment set by {_t(a.therapist.name)}.", "", "## Summary", ""]
    lines += [f"- {_t(line)}" for line in report.summary]
    lines += ["", "## Lessons", "", "| lesson | due | status | finished | scores | minutes | reviews |",
              "|---|---|---|---|---|---|---|"]
    for x in report.lessons:
        status = {"new": "not started", "in_progress": "in progress", "done": "done"}[x.status]
        if x.overdue:
            status += " (overdue)"
        lines.append(f"| {_cell(x.title)} | {x.due.isoformat()} | {status} | "
                     f"{x.finished.date().isoformat() if x.finished else '-'} | "
                     f"{', '.join(_pct(s) for s in x.scores) or '-'} | {x.minutes:.0f} | {x.review_answers} |")
    lines += ["", "## Review", "", review_sentence(report)]
    if report.exams or report.exam_goal is not None:
        lines += ["", "## Exams", ""]
        if report.exam_goal is not None:
            lines.append(f"Goal: at least {report.exam_goal}%.")
        for e in report.exams:
            lines.append(f"- {e.finished.date().isoformat() if e.finished else '-'}: {e.right} of {e.questions} "
                         f"right ({_pct(e.score)})")
        if not report.exams:
            lines.append("No exam on these lessons yet.")
    if report.calibration.rated:
        cal = report.calibration
        lines += ["", "## Confidence", "", f"{cal.rated} answers rated; certainty-based marks {cal.marks} of "
                  f"{cal.max_marks}." + (f" Overall: {cal.verdict}." if cal.verdict else "")]
    chosen = [(x, mc) for x in report.lessons for mc in x.misconceptions]
    if chosen:
        lines += ["", "## Misconceptions chosen", ""]
        for x, mc in chosen:
            lines.append(f"- **{_t(mc.label.replace('-', ' '))}** ({mc.times}x, {_t(x.title)}): {_t(mc.question)}")
            lines.append(f"  - The lesson teaches: {_t(mc.teaches)}")
            for answer in mc.answers:
                lines.append(f"  - Answered: {_t(answer)}")
    hard = hard_questions(report)
    if hard:
        lines += ["", "## Questions missed at the first try", ""]
        lines += [f"- {_t(q.question)} ({_t(title)}): {hard_words(q)}" for title, q in hard]
    lines += ["", "## What this report contains", ""] + [f"- {c}" for c in report.contains]
    lines += ["", "It leaves out:", ""] + [f"- {c}" for c in report.leaves_out]
    return "\n".join(lines) + "\n"


def _template(name: str, cache_dir: Path | None) -> Any:
    """A template of templates/, every value escaped by jinja2's autoescaping and an undefined one
    an error. jinja2 is imported only here. With a cache_dir the compiled template is kept there
    (jinja2's bytecode cache, checked against the template's source)."""
    import jinja2

    from neurotutor import paths

    cache = None
    if cache_dir is not None:
        with contextlib.suppress(OSError):
            cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(cache_dir), "jinja2-%s.cache")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.templates_dir()), autoescape=True,
                                     undefined=jinja2.StrictUndefined, bytecode_cache=cache)
    return environment.get_template(name)


def to_html(report: Report, tutor_version: str, cache_dir: Path | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG, no script, no external files)."""
    doc = document(report, tutor_version)
    template = _template("report.html.j2", cache_dir)
    chart = [(x["title"], max(x["pass_scores"])) for x in doc["lessons"] if x["pass_scores"]]
    misconceptions = [(x["title"], mc) for x in doc["lessons"] for mc in x["misconceptions"]]
    return template.render(r=doc, chart=chart, misconceptions=misconceptions, hard=hard_questions(report), hard_words=hard_words,
                           review=review_sentence(report),
                           status_words={"new": "not started", "in_progress": "in progress", "done": "done"})


# -- the caseload ------------------------------------------------------------------------------


def caseload_document(caseload: Caseload, tutor_version: str, now: datetime) -> dict[str, Any]:
    """The caseload as plain data (format "neurotutor-caseload", version 1)."""
    return {
        "format": "neurotutor-caseload", "version": 1, "tutor_version": tutor_version, "generated_at": _iso(now),
        "rows": [{"client": r.client, "assignment_id": r.assignment_id, "assignment": r.assignment,
                  "therapist": r.therapist, "done": r.done, "lessons": r.lessons, "overdue": list(r.overdue),
                  "best_scores": [{"lesson": t, "score": s} for t, s in r.best_scores],
                  "review_minutes": r.review_minutes, "review_goal_minutes_per_day": r.review_goal_minutes,
                  "last_activity": r.last_activity, "report_date": r.generated, "source": r.source} for r in caseload.rows],
        "questions_missed": [{"lesson_id": i.lesson_id, "lesson": i.lesson, "question_id": i.question_id,
                              "question": i.question, "clients": i.clients, "missed_first": i.missed_first,
                              "dont_know_first": i.dont_know_first, "answers": i.answers, "right": i.right}
                             for i in caseload.items],
        "misconceptions": [{"label": label, "times": n, "clients": c} for label, n, c in caseload.misconceptions],
        "set_aside": list(caseload.set_aside),
    }


def caseload_json(caseload: Caseload, tutor_version: str, now: datetime) -> bytes:
    import msgspec

    return msgspec.json.format(msgspec.json.encode(caseload_document(caseload, tutor_version, now)), indent=2) + b"\n"


def _clients(n: int) -> str:
    return f"{n} client{'s' if n != 1 else ''}"


def item_words(item: Item) -> str:
    """One question across clients, in words."""
    unknown = f" ({item.dont_know_first} said \u201cI don't know\u201d)" if item.dont_know_first else ""
    return (f"missed at the first try by {item.missed_first} of {_clients(item.clients)}{unknown}; {item.right} of "
            f"{item.answers} answers right")


def misconception_words(label: str, times: int, clients: int) -> str:
    return f"{label.replace('-', ' ')}: chosen {times}x by {_clients(clients)}"


def row_review(row: Row) -> str:
    return f"{row.review_minutes:.0f} min" + (f" (goal {row.review_goal_minutes} a day)" if row.review_goal_minutes else "")


def caseload_markdown(caseload: Caseload, now: datetime) -> str:
    """The caseload as Markdown."""
    lines = ["# Caseload", "", f"From the reports of {_clients(len(caseload.rows))}, {now:%Y-%m-%d}. Those behind come first.",
             "", "| client | assignment | done | overdue | best scores | review | last studied | report of |",
             "|---|---|---|---|---|---|---|---|"]
    for r in caseload.rows:
        lines.append(f"| {_cell(r.client)} | {_cell(r.assignment)} | {r.done}/{r.lessons} | "
                     f"{_cell(', '.join(r.overdue)) or '-'} | "
                     f"{_cell(', '.join(f'{t} {_pct(s)}' for t, s in r.best_scores)) or '-'} | {row_review(r)} | "
                     f"{r.last_activity or 'not started'} | {r.generated} |")
    if caseload.items:
        lines += ["", "## Questions most often missed at the first try", ""]
        lines += [f"- {_t(i.question)} ({_t(i.lesson)}, {i.question_id}): {item_words(i)}" for i in caseload.items]
    if caseload.misconceptions:
        lines += ["", "## Misconceptions chosen most", ""]
        lines += [f"- {_t(misconception_words(*m))}" for m in caseload.misconceptions]
    if caseload.set_aside:
        lines += ["", "## Reports left out", ""] + [f"- {_t(x)}" for x in caseload.set_aside]
    return "\n".join(lines) + "\n"


def caseload_html(caseload: Caseload, now: datetime, cache_dir: Path | None = None) -> str:
    """The caseload as one self-contained HTML page, like the report."""
    return str(_template("caseload.html.j2", cache_dir).render(
        c=caseload, date=f"{now:%Y-%m-%d}", pct=_pct, item_words=item_words, misconception_words=misconception_words,
        row_review=row_review, clients=_clients))
