"""Reports as a JSON document (format "neurotutor-report", version 1) and as Markdown."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from neurotutor.reports.build import FORMAT, VERSION, Report


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
                     "overdue": x.overdue, "finished_at": _iso(x.finished), "pass_scores": [round(s, 4) for s in x.scores],
                     "minutes": round(x.minutes, 1), "review_answers": x.review_answers, "review_days": x.review_days,
                     "misconceptions": [{"label": mc.label, "times": mc.times, "question_id": mc.question_id,
                                         "question": mc.question, "lesson_teaches": mc.teaches,
                                         **({"answers": list(mc.answers)} if report.verbatim else {})}
                                        for mc in x.misconceptions]} for x in report.lessons],
        "review": {"minutes": round(report.review_minutes, 1), "days": report.review_days,
                   "goal_minutes_per_day": report.review_goal_minutes, "days_since_added": report.days_since_added},
        "exams": [{"id": e.exam_id, "finished_at": _iso(e.finished), "status": e.status, "questions": e.questions,
                   "right": e.right, "score": e.score, "seconds_used": e.seconds_used} for e in report.exams],
        "exam_goal_percent": report.exam_goal,
        "confidence": None if not cal.rated else {
            "rated": cal.rated, "marks": cal.marks, "verdict": cal.verdict,
            "levels": [{"level": lv.level, "answers": lv.answers, "right": lv.right} for lv in cal.levels]},
    }


def to_json(report: Report, tutor_version: str) -> bytes:
    import msgspec

    return msgspec.json.format(msgspec.json.encode(document(report, tutor_version)), indent=2) + b"\n"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{round(share * 100)}%"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def to_markdown(report: Report) -> str:
    """The report as Markdown, for pasting into clinical notes."""
    a = report.assignment.assignment
    lines = [f"# {a.title}", "", f"Report for {a.client}, from neurotutor, {report.generated:%Y-%m-%d}. "
             f"Assignment set by {a.therapist.name}.", "", "## Summary", ""]
    lines += [f"- {line}" for line in report.summary]
    lines += ["", "## Lessons", "", "| lesson | due | status | finished | scores | minutes | reviews |",
              "|---|---|---|---|---|---|---|"]
    for x in report.lessons:
        status = {"new": "not started", "in_progress": "in progress", "done": "done"}[x.status]
        if x.overdue:
            status += " (overdue)"
        lines.append(f"| {_cell(x.title)} | {x.due.isoformat()} | {status} | "
                     f"{x.finished.date().isoformat() if x.finished else '-'} | "
                     f"{', '.join(_pct(s) for s in x.scores) or '-'} | {x.minutes:.0f} | {x.review_answers} |")
    goal = f" (goal: {report.review_goal_minutes} minutes a day)" if report.review_goal_minutes else ""
    lines += ["", "## Review", "", f"{report.review_minutes:.0f} minutes of review on {report.review_days} "
              f"day{'s' if report.review_days != 1 else ''} in {report.days_since_added} "
              f"day{'s' if report.days_since_added != 1 else ''} since the assignment "
              f"was added{goal}."]
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
            lines.append(f"- **{mc.label.replace('-', ' ')}** ({mc.times}x, {x.title}): {' '.join(mc.question.split())}")
            lines.append(f"  - The lesson teaches: {' '.join(mc.teaches.split())}")
            for answer in mc.answers:
                lines.append(f"  - Answered: {answer}")
    lines += ["", "## What this report contains", ""] + [f"- {c}" for c in report.contains]
    lines += ["", "It leaves out:", ""] + [f"- {c}" for c in report.leaves_out]
    return "\n".join(lines) + "\n"


def to_html(report: Report, tutor_version: str, cache_dir: Path | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG, no script, no external files), every value
    escaped by jinja2's autoescaping. jinja2 is imported only here. With a cache_dir the compiled
    template is kept there (jinja2's bytecode cache, checked against the template's source)."""
    import jinja2

    from neurotutor import paths

    doc = document(report, tutor_version)
    cache = None
    if cache_dir is not None:
        with contextlib.suppress(OSError):
            cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(cache_dir), "jinja2-%s.cache")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(paths.templates_dir()), autoescape=True,
                                     undefined=jinja2.StrictUndefined, bytecode_cache=cache)
    template = environment.get_template("report.html.j2")
    chart = [(x["title"], max(x["pass_scores"])) for x in doc["lessons"] if x["pass_scores"]]
    misconceptions = [(x["title"], mc) for x in doc["lessons"] for mc in x["misconceptions"]]
    return template.render(r=doc, chart=chart, misconceptions=misconceptions,
                           status_words={"new": "not started", "in_progress": "in progress", "done": "done"})
