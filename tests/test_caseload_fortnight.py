"""Three clients, two weeks, fixed dates (issue 20's "done when"): two of them handed the same
assignment file, one who reported early and then stopped. Their reports are written by the real
command on the days they would be, sealed to the therapist, and the caseload is read on 22 December:
overdue, order, one row per client, the time figures and the item analysis must all be right on
the day it is read."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from neurotutor.lessons.loader import load_lesson_file
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore

from flows import ROOT, cli

LESSONS = ["01-neuroplasticity-types", "02-plasticity-claims", "03-two-routes-of-change"]
L = {name.partition("-")[2]: load_lesson_file(ROOT / "lessons" / f"{name}.yaml")[0].lesson for name in LESSONS}
IDS = list(L)  # neuroplasticity-types, plasticity-claims, two-routes-of-change


def at(day: int, hour: int = 19, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=timezone.utc)


def _plan(path: Path, key: str, plan_id: str, client: str, dues: list[int]) -> Path:
    lines = ["kind: assignment", "format: 1", f"id: {plan_id}", "title: How therapy changes the brain",
             "therapist:", "  name: Dr A", f"  key: {key}", f"client: {client}", "lessons:"]
    lines += [f"  - lesson: {lid}\n    due: 2026-12-{due:02d}" for lid, due in zip(IDS, dues, strict=True)]
    lines += ["goals:", "  review:", "    minutes_per_day: 5"]
    path.write_text("\n".join(lines) + "\n")
    return path


class Client:
    """One client's profile, studied by writing what the tutor would save."""

    def __init__(self, home: Path, profile: str) -> None:
        self.profile = profile
        self.store = ProgressStore(home / "profiles" / profile / "progress.json")

    def cli(self, capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
        return cli(capsys, "--profile", self.profile, *args)

    def added_on(self, day: int) -> None:
        self.store.update(lambda p: pm.structs.replace(p, assignments={
            k: pm.structs.replace(v, added=at(day, 9)) for k, v in p.assignments.items()}))

    def read(self, lesson_id: str, day: int, sections: int | None = None, minutes: float = 6.0) -> None:
        lesson = L[lesson_id]
        ids = [s.id for s in lesson.sections][:sections]

        def change(p: pm.Progress) -> pm.Progress:
            for sid in ids:
                p = pm.mark_section_seen(p, lesson_id, sid, at(day))
            return pm.read_for(p, lesson_id, minutes * 60)
        self.store.update(change)

    def answer_pass(self, lesson_id: str, day: int, wrong: dict[str, tuple[str, ...]] | None = None,
                    only: int | None = None) -> None:
        """A lesson pass (the first `only` questions): every answer right but those in `wrong`
        (question -> misconception labels chosen), 20 seconds each."""
        lesson = L[lesson_id]
        wrong = wrong or {}
        questions = [q.id for q in lesson.questions]
        sections = [s.id for s in lesson.sections]
        attempts = []
        for i, qid in enumerate(questions[:only]):
            attempts.append(pm.new_attempt(lesson=lesson_id, question=qid, mode="lesson", run=1, answer=None,
                                           answer_text="x", correct=qid not in wrong,
                                           misconceptions=wrong.get(qid, ()), seconds=20.0,
                                           now=at(day, 20, i), utc_offset=0))

        def change(p: pm.Progress) -> pm.Progress:
            for a in attempts:
                p = pm.record_answer(p, a, sections, questions, a.at)
            return p
        self.store.update(change, tuple(attempts))

    def review(self, lesson_id: str, day: int, n: int, spent: float) -> None:
        questions = [q.id for q in L[lesson_id].questions]
        attempts = tuple(pm.new_attempt(lesson=lesson_id, question=questions[i % len(questions)], mode="review",
                                        answer=None, answer_text="x", correct=True, seconds=5.0, spent=spent,
                                        now=at(day, 8, i), utc_offset=0) for i in range(n))

        def change(p: pm.Progress) -> pm.Progress:
            for a in attempts:
                p = pm.apply_attempt(p, a)
            return p
        self.store.update(change, attempts)


def test_three_clients_two_weeks_the_caseload_is_right_on_the_day_it_is_read(capsys, tmp_path: Path,
                                                                             neurotutor_home: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    clock = {"now": at(8, 9)}
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: clock["now"])
    monkeypatch.setenv("TZ", "UTC")
    assert cli(capsys, "therapist", "init")[0] == 0
    key = cli(capsys, "therapist", "key")[1].strip()
    group = _plan(tmp_path / "group.yaml", key, "brain-group", "Group", [5, 9, 12])  # one file, two people
    own = _plan(tmp_path / "cm.yaml", key, "brain-cm", "C.M.", [3, 6, 10])
    ana, ben, cam = Client(neurotutor_home, "ana"), Client(neurotutor_home, "ben"), Client(neurotutor_home, "cam")
    for person, plan in ((ana, group), (ben, group), (cam, own)):
        assert person.cli(capsys, "assignment", "add", str(plan))[0] == 0
        person.added_on(2)
    np_, pc, tr = IDS
    first_q = L[np_].questions[0].id
    second_q = L[np_].questions[1].id
    # Cam: reads half of lesson 1, answers 4 of its questions (one wrong), reports on 9 Dec, then stops
    cam.read(np_, 3, sections=3, minutes=6)
    cam.answer_pass(np_, 3, {first_q: ("hebb-wrote-slogan",)}, only=4)
    # Ana: every lesson on time, then review on three days (10 answers, a minute each)
    for lid, day in ((np_, 4), (pc, 8), (tr, 11)):
        ana.read(lid, day)
        ana.answer_pass(lid, day)
    for day in (12, 13, 15):
        ana.review(np_, day, 10, 60.0)
    # Ben: lesson 1 with two wrong answers on 4 Dec (the same misconception under two questions), then
    # a third of lesson 2's reading
    ben.read(np_, 4)
    ben.answer_pass(np_, 4, {first_q: ("hebb-wrote-slogan",), second_q: ("hebb-wrote-slogan",)})
    ben.read(pc, 10, sections=2, minutes=4.5)
    reports = tmp_path / "reports"
    reports.mkdir()
    for person, day in ((cam, 9), (ana, 20), (ben, 20)):
        clock["now"] = at(day, 21)
        code, out, err = person.cli(capsys, "report", "--yes", "-o", str(reports / f"{person.profile}.json.age"))
        assert (code, err) == (0, ""), err
        assert out.startswith(f"Wrote {reports / person.profile}.json.age (readable only by you), sealed: only Dr A")
    clock["now"] = at(22, 10)
    code, out, err = cli(capsys, "caseload", str(reports), "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    rows = [(r["client"], r["assignment_id"], r["done"], r["overdue"], r["report_date"], r["report_age_days"], r["stale"],
             r["sealed"]) for r in doc["rows"]]
    titles = {lid: L[lid].title for lid in IDS}
    assert rows == [
        ("C.M.", "brain-cm", 0, [titles[np_], titles[pc], titles[tr]], "2026-12-09", 13, True, True),  # all three due now
        ("Group", "brain-group", 1, [titles[pc], titles[tr]], "2026-12-20", 2, False, True),  # Ben
        ("Group", "brain-group", 3, [], "2026-12-20", 2, False, True),  # Ana: her own row, never replaced by Ben's
    ]
    keys = [r["client_key"] for r in doc["rows"]]
    assert len(set(keys)) == 3 and all(k.startswith("c-") and len(k) == 12 for k in keys)
    times = [(r["reading_minutes"], r["answering_minutes"], r["review_minutes"], r["review_days"],
              r["review_minutes_per_day"]) for r in doc["rows"]]
    n = [len(L[lid].questions) for lid in IDS]
    assert times == [
        (6.0, round(4 * 20 / 60, 1), 0.0, 0, 0.0),
        (10.5, round(n[0] * 20 / 60, 1), 0.0, 0, 0.0),
        (18.0, round(sum(n) * 20 / 60, 1), 30.0, 3, round(30 / 19, 1)),  # 2 to 20 Dec: 19 days; goal 5 a day
    ]
    assert [r["review_goal_minutes_per_day"] for r in doc["rows"]] == [5, 5, 5]
    # the item analysis: the first question was missed at the first try by Cam and Ben, the second by Ben
    missed = [(q["question_id"], q["clients"], q["missed_first"]) for q in doc["questions_missed"]]
    assert missed == [(first_q, 3, 2), (second_q, 3, 1)]
    # one misconception, chosen under two questions by Ben and once by Cam: one idea, two clients, 3 times
    said = L[np_].misconceptions["hebb-wrote-slogan"]
    assert [(m["text"], m["times"], m["clients"]) for m in doc["misconceptions"]] == [(said, 3, 2)]
    # in progress: Ben's second lesson, Cam's first
    assert doc["rows"][0]["in_progress"] == [{"lesson": titles[np_], "sections_read": 3, "sections": len(L[np_].sections),
                                               "answered": 4, "questions": n[0]}]
