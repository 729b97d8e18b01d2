"""The report as the client sees it before it is written: every field of the JSON document that
would be sent, in words, one line each, in the document's own order (so nothing in the file is
hidden from the person it is about). Pure: the shell pages the lines and asks what to leave out.
"""

from __future__ import annotations

from typing import Any

# What each field is called in the preview (a field not named here is shown by its own name).
NAMES = {
    "format": "Kind of file", "version": "Format version", "tutor_version": "Written by neurotutor",
    "generated_on": "Date written", "generated_at": "Time written",
    "client": "You", "label": "Label", "key": "Client key (random, says nothing about you)",
    "assignment": "Assignment", "id": "Id", "title": "Title", "therapist": "Therapist",
    "therapist_key": "Therapist's key (sealed to it)", "added_on": "Date added", "added_at": "Time added",
    "choices": "Your choices", "answers_verbatim": "Your own words included", "times_of_day": "Times of day included",
    "exams": "Exams", "misconceptions": "Misconceptions", "details_left_out": "Lessons whose details you left out",
    "misconceptions_left_out": "Misconceptions you left out (how many; not which)",
    "contains": "What it contains (as your therapist reads it)", "leaves_out": "What it leaves out",
    "summary": "Summary",
    "lessons": "Lessons", "due": "Due", "status": "Status", "overdue": "Overdue", "details": "Details included",
    "last_studied_on": "Last studied", "last_studied_at": "Last studied (time)", "finished_on": "Finished",
    "finished_at": "Finished (time)", "pass_scores": "Score of each pass", "sections_read": "Sections read",
    "sections": "Sections", "answered": "Questions answered (this pass)", "question_count": "Questions",
    "minutes": "Minutes", "reading": "Reading", "answering": "Answering", "review": "Review",
    "review_answers": "Review answers", "review_days": "Days reviewed", "text": "The idea", "times": "Times chosen",
    "question_id": "Question id", "question": "Question", "lesson_teaches": "What the lesson teaches",
    "answers": "Answers", "right": "Right", "first_right": "First answer right", "dont_know": "\"I don't know\"",
    "first_dont_know": "First answer \"I don't know\"", "typed": "What you typed", "questions": "Questions",
    "days": "Days", "goal_minutes_per_day": "Goal (minutes a day)", "minutes_per_day": "Minutes a day",
    "days_since_added": "Days since added", "minutes_used": "Minutes used", "seconds_used": "Seconds used",
    "score": "Score", "exam_goal_percent": "Exam goal (%)", "confidence": "How sure you were", "rated": "Answers rated",
    "marks": "Certainty-based marks", "verdict": "Overall", "levels": "By level", "level": "Level",
    "practice": "Practice and check-ins", "sets_practice": "Sets practice or check-ins", "entries_shared": "Journal entries shared (how many)",
    "goals": "Practice set", "what": "Id", "words": "Set", "set": "Times set so far", "done": "Times done",
    "checkins": "Check-ins", "measure": "Measure", "on": "Date", "total": "Total", "band": "Band",
    "entries": "Journal entries, word for word", "step": "Step", "answer": "Your answer",
}
# Where a list item is named by one of its fields.
_ITEM_NAME = ("title", "text", "question", "id", "level", "words", "step", "measure")


def name(key: str) -> str:
    return NAMES.get(key, key.replace("_", " ").capitalize())


def value_words(value: Any) -> str:
    if value is None:
        return "-"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return "; ".join(value_words(v) for v in value) if value else "none"
    return str(value)


def preview_lines(doc: dict[str, Any]) -> list[str]:
    """Every field of a report document, in words: headings for the parts, "Name: value" lines,
    numbered entries for lessons, misconceptions, questions and exams, indented by depth."""
    lines: list[str] = []

    def walk(key: str, value: Any, depth: int) -> None:
        pad = "  " * depth
        if isinstance(value, dict):
            lines.append(f"{pad}{name(key)}:")
            for k, v in value.items():
                walk(k, v, depth + 1)
        elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
            lines.append(f"{pad}{name(key)} ({len(value)}):")
            for i, item in enumerate(value, 1):
                if isinstance(item, dict):
                    named = next((k for k in _ITEM_NAME if k in item and not isinstance(item[k], (dict, list))), None)
                    label = "" if named is None else str(item[named])
                    if all(_flat(v) for v in item.values()):  # one line: its name, then every other field
                        rest = "; ".join(f"{name(k)} {value_words(v)}" for k, v in item.items() if k != named)
                        lines.append(f"{pad}  {i}. {label}" + (f" ({rest})" if rest else ""))
                        continue
                    lines.append(f"{pad}  {i}. {label}".rstrip())
                    for k, v in item.items():
                        if k != named:
                            walk(k, v, depth + 2)
                else:
                    walk(f"{key} {i}", item, depth + 1)
        elif isinstance(value, list) and any(isinstance(v, str) and " " in v for v in value):  # sentences
            lines.append(f"{pad}{name(key)}:")
            lines.extend(f"{pad}  - {value_words(v)}" for v in value)
        else:
            lines.append(f"{pad}{name(key)}: {value_words(value)}")

    for key, value in doc.items():
        if depth0_heading(value):
            lines.append("")
        walk(key, value, 0)
    return lines


def _flat(value: Any) -> bool:
    """A value shown within one line: not an object, and not a list of objects or lists."""
    return not isinstance(value, dict) and not (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value))


def depth0_heading(value: Any) -> bool:
    """Whether a top-level field starts a part of its own (a blank line before it)."""
    return isinstance(value, (dict, list)) and bool(value)
