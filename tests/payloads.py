"""Text that tries to drive a terminal, and how the learner must see it instead (shared by the
output and terminal-safety tests); and the example report of format version 2 that the report and
caseload tests forge their broken files from (`example_json`)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

CONTROL = {
    "osc-title": "\x1b]0;PWNED\x07",
    "csi-clear": "\x1b[2J",
    "osc8-link": "\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\",
    "c1-csi": "\x9b31m",
    "bidi-override": "\u202eevil",
}
# As the learner sees each payload: an inert spelling of every control character.
SHOWN = {
    "osc-title": "\\x1b]0;PWNED\\x07",
    "csi-clear": "\\x1b[2J",
    "osc8-link": "\\x1b]8;;http://evil\\x1b\\x\\x1b]8;;\\x1b\\",
    "c1-csi": "\\x9b31m",
    "bidi-override": "\\u202eevil",
}
# Written out independently of neurotutor.text, so a narrowed rule there fails these tests.
UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
DRIVES_TERMINAL = re.compile(f"[{UNSAFE}]")
SGR = re.compile("\x1b\\[[0-9;]*m")


# -- a report of format version 2, made from the version 1 example ---------------------------------

V1_EXAMPLE = Path(__file__).resolve().parent / "data" / "reports" / "example.json"  # as docs/examples had it on 2026-11-23
CLIENT_KEY = "c-skautumn23"
# The wrong ideas of the example's misconceptions, as neuroplasticity-types words them (frozen here,
# so a lesson's edit does not move the example).
SAID = {"adult-brain-fixed": "Only young brains can change, so the adult brain stays fixed.",
        "hebb-wrote-slogan": 'Hebb wrote the phrase "cells that fire together wire together" in his 1949 book.',
        "neurogenesis-settled": "Science has settled that adults make no new neurons at all."}
# What version 1 did not keep, per lesson: sections read of sections, questions answered in the
# current pass, reading and review minutes (answering minutes were kept as "minutes").
V2_EXTRA = {"neuroplasticity-types": (7, 7, 0, 4.2, 0.0), "cbt": (0, 7, 0, 0.0, 0.0)}


def example_report(times: bool = True, client_key: str = CLIENT_KEY, therapist_key: str | None = None) -> Any:
    """The report of the version 1 example (S.K., sk-autumn: neuroplasticity-types done with a first
    pass of 18%, four misconceptions and their answers in words; CBT not started), built as this
    tutor builds a report, so that `render.to_json` writes it in the current format. With `times`,
    the client chose to include the time of day (every `_at` field is there)."""
    import json
    from datetime import date, datetime

    from neurotutor.assignments import model as am
    from neurotutor.progress import model as pm
    from neurotutor.reports import build as rb
    from neurotutor.study import confidence as cbm

    old = json.loads(V1_EXAMPLE.read_text())

    def moment(text: str | None) -> datetime | None:
        return None if text is None else datetime.fromisoformat(text.replace("Z", "+00:00"))

    given = old["assignment"]
    assignment = am.Assignment(
        kind="assignment", format=1, id=given["id"], title=given["title"],
        therapist=am.Therapist(name=given["therapist"], key=therapist_key), client=given["client"],
        lessons=tuple(am.AssignedLesson(lesson=x["id"], due=date.fromisoformat(x["due"])) for x in old["lessons"]),
        goals=am.Goals(review=am.ReviewGoal(minutes_per_day=old["review"]["goal_minutes_per_day"]),
                       exam=am.ExamGoal(min_score=old["exam_goal_percent"])))
    stored = pm.StoredAssignment(assignment=assignment, added=moment(given["added_at"]), source="assignment.yaml")
    lessons = []
    for x in old["lessons"]:
        read, sections, answered, reading, review = V2_EXTRA[x["id"]]
        lessons.append(rb.LessonReport(
            lesson_id=x["id"], title=x["title"], due=date.fromisoformat(x["due"]), status=x["status"],
            overdue=x["overdue"], finished=moment(x["finished_at"]), last_studied=moment(x["last_studied_at"]),
            scores=tuple(x["pass_scores"]), minutes=x["minutes"], review_answers=x["review_answers"],
            review_days=x["review_days"],
            misconceptions=tuple(rb.Misconception(mc["label"], mc["times"], mc["question_id"], mc["question"],
                                                  mc["lesson_teaches"], tuple(mc.get("answers", ())), SAID[mc["label"]])
                                 for mc in x["misconceptions"]),
            questions=tuple(rb.QuestionResult(q["id"], q["question"], q["answers"], q["right"], q["first_right"],
                                              q["dont_know"], q["first_dont_know"]) for q in x["questions"]),
            reading_minutes=reading, review_minutes=review, sections_read=read, sections=sections, answered=answered,
            question_count=len(x["questions"])))
    report = rb.Report(
        generated=moment(old["generated_at"]), assignment=stored, verbatim=old["answers_verbatim"],
        lessons=tuple(lessons), review_minutes=old["review"]["minutes"], review_days=old["review"]["days"],
        review_goal_minutes=old["review"]["goal_minutes_per_day"], days_since_added=old["review"]["days_since_added"],
        exams=(), exam_goal=old["exam_goal_percent"], calibration=cbm.calibrate_counts({}), client_key=client_key,
        choices=rb.Choices(verbatim=old["answers_verbatim"], times=times), today=date(2026, 11, 23))
    return rb._with_summary(report)


@lru_cache(maxsize=8)
def example_json(times: bool = True, client_key: str = CLIENT_KEY, therapist_key: str | None = None) -> bytes:
    """The example report as this tutor writes its JSON (tutor version 0.1.0)."""
    from neurotutor.reports import render

    return render.to_json(example_report(times, client_key, therapist_key), "0.1.0")
