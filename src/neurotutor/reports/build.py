"""A report for one assignment, built as plain data from the learner's state and answers.

Privacy is decided here, once: only the totals of the assignment's own lessons are read; answers in
words are included only when the learner chose it; nothing else of the profile (other lessons,
notes, settings, other profiles) is ever passed in or copied. Renderers (JSON, Markdown, HTML)
only format what this returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timezone

import msgspec

from neurotutor.assignments.status import lesson_status
from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.reports.practice import Practice
from neurotutor.stats import tallies as st
from neurotutor.stats.tallies import LessonTally, empty_tally
from neurotutor.study import confidence as cbm

FORMAT = "neurotutor-report"
VERSION = 2  # 2: a client key, dates unless times are chosen, reading/answering/review time, items left out
WENT_WELL = 0.8  # a first pass at or above this "went well"
WORDS_KEPT = 5  # typed short answers kept per question (the latest, distinct), when the client includes their words


class Choices(msgspec.Struct, frozen=True):
    """What the client chose to put in a report (the consent screen): their own words, times of
    day, exams, misconceptions, and items left out one by one ("lesson:ID" for a lesson's
    details, "misconception:LABEL" for one wrong idea)."""

    verbatim: bool = False
    times: bool = False
    exams: bool = True
    misconceptions: bool = True
    left_out: frozenset[str] = frozenset()
    practice: bool = False  # the practice set and done, and the check-in totals (issue 21)
    entries: frozenset[str] = frozenset()  # journal entries whose content the client shares, by id

    def keeps(self, item: str) -> bool:
        return item not in self.left_out


class Misconception(msgspec.Struct, frozen=True):
    label: str
    times: int
    question_id: str
    question: str  # the question's prompt
    teaches: str  # what the lesson teaches instead (the question's explanation)
    answers: tuple[str, ...] = ()  # the learner's answers in words, only when they chose to include them
    text: str | None = None  # the wrong idea as the lesson's author wrote it


class QuestionResult(msgspec.Struct, frozen=True):
    question_id: str
    question: str  # the question's prompt
    answers: int  # answers to it outside exams
    right: int
    first_right: bool | None  # whether the first answer was right (None: not answered yet)
    dont_know: int = 0  # answers "I don't know"
    first_dont_know: bool = False  # the first answer was "I don't know"
    typed: tuple[str, ...] = ()  # short answers in the client's words, only when they chose to include them


class LessonReport(msgspec.Struct, frozen=True):
    lesson_id: str
    title: str
    due: date
    status: str  # new, in_progress, done
    overdue: bool
    finished: datetime | None
    last_studied: datetime | None
    scores: tuple[float, ...]  # per completed pass, oldest first
    minutes: float  # time spent answering its questions in lessons and retries
    review_answers: int
    review_days: int
    misconceptions: tuple[Misconception, ...]
    questions: tuple[QuestionResult, ...] = ()  # in the lesson's order
    reading_minutes: float = 0.0  # on its reading screens (each left open counted 10 minutes at most)
    review_minutes: float = 0.0  # in review and practice: its questions, their feedback and rating
    sections_read: int = 0
    sections: int = 0
    answered: int = 0  # questions answered in the current pass (in progress)
    question_count: int = 0
    details: bool = True  # False: the client left this lesson's details out (only its status is reported)


class ExamReport(msgspec.Struct, frozen=True):
    exam_id: str
    finished: datetime | None
    status: str
    questions: int
    right: int | None
    score: float | None
    seconds_used: float


class Report(msgspec.Struct, frozen=True):
    generated: datetime
    assignment: pm.StoredAssignment
    verbatim: bool
    lessons: tuple[LessonReport, ...]
    review_minutes: float  # time spent in review and practice on the assigned lessons
    review_days: int
    review_goal_minutes: int | None  # the goal, minutes a day
    days_since_added: int
    exams: tuple[ExamReport, ...]
    exam_goal: int | None  # per cent
    calibration: cbm.Calibration
    summary: tuple[str, ...] = ()
    future: date | None = None  # the latest day of an answer dated after the report (a clock that was wrong)
    left_out: int = 0  # answers dated after the report, left out of it (when the history was read again)
    client_key: str = ""  # the profile's pseudonymous key
    choices: Choices = Choices()
    today: date | None = None  # the client's local date when it was written
    local: dict[str, date] = {}  # the local date of each time the report holds, by its ISO form
    misconceptions_left_out: tuple[str, ...] = ()  # labels the client left out that the report would hold
    practice: Practice | None = None  # only when the client chose to include it, or shares entries

    @property
    def contains(self) -> tuple[str, ...]:
        """What the report holds, in words for whoever reads it (the therapist)."""
        return contents(self.verbatim, "the client", self.choices, self._titles, len(self.misconceptions_left_out))[0]

    @property
    def leaves_out(self) -> tuple[str, ...]:
        return contents(self.verbatim, "the client", self.choices, self._titles, len(self.misconceptions_left_out))[1]

    @property
    def _titles(self) -> dict[str, str]:
        return {x.lesson_id: x.title for x in self.lessons}

    def day(self, moment: datetime | None) -> date | None:
        """The client's local date of a time in the report."""
        if moment is None:
            return None
        return self.local.get(moment.isoformat()) or moment.date()


def contents(verbatim: bool | None, who: str, choices: Choices | None = None, titles: Mapping[str, str] | None = None,
             removed: int | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What a report contains and leaves out, said of `who` ("you" for the learner deciding,
    "the client" in the report); verbatim None: not chosen yet. `titles` name the lessons whose
    details are left out; `removed` is how many misconceptions were left out (by default, as
    many as the choices name)."""
    choices = choices or Choices(verbatim=bool(verbatim))
    subject, pronoun, their = ("you", "you", "your") if who == "you" else (who, "they", "their")
    details = [(titles or {}).get(lid, lid) for lid in
               sorted(x.partition(":")[2] for x in choices.left_out if x.startswith("lesson:"))]
    said = ["for each assigned lesson: its status and due date"
            + (", the date it was last studied and finished, the score of each pass, the sections read, and the "
               "time spent reading, answering and in review" if len(details) == 0 else
               "; for the others, the date last studied and finished, the scores, sections read and time spent"),
            "for each question in those lessons: how many answers, how many right, and whether the first was right",
            f"how sure {subject} said {pronoun} were, as totals",
            f"{their} client key, a random code that tells {their} reports apart from others' and says nothing "
            f"about who {pronoun} {'are' if who == 'you' else 'are'}"]
    if choices.exams:
        said.insert(2, "exams drawn only from the assigned lessons")
    if choices.misconceptions:
        said.append(f"the misconceptions {subject} chose, with the question and what the lesson teaches instead")
    if verbatim:
        said.append(f"{their} answers to those questions, word for word, and the short answers {pronoun} typed")
    if choices.practice:
        said.append(f"the practice set in the assignment against what {subject} did (how many, on which days) and "
                    f"{their} check-in totals")
    if choices.entries:
        n = len(choices.entries)
        said.append(f"{n} journal entr{'ies' if n != 1 else 'y'} {subject} chose to share, word for word")
    said.append("the time of day of each date" if choices.times else "dates only, no times of day")
    journal = f"{their} journal" + (" (but for the entries chosen)" if choices.entries else "")
    practice = "" if choices.practice else f", {their} practice and check-ins"
    left = [f"every lesson that is not part of this assignment, and {their} answers to it",
            f"{their} settings, {journal}{practice}, other profiles, and anything else on {their} computer"]
    if details:
        left.insert(0, "the details of " + ", ".join(details) + f", left out by {their} choice")
    if removed is None:
        removed = sum(x.startswith("misconception:") for x in choices.left_out)
    if choices.misconceptions and removed:
        left.insert(0, f"{removed} misconception{'s' if removed != 1 else ''} left out by {their} choice")
    if not choices.misconceptions:
        left.insert(0, "the misconceptions chosen")
    if not choices.exams:
        left.insert(0, "exam results")
    if not choices.times:
        left.insert(0, "the time of day of anything (dates only)")
    quiz = " to the questions" if choices.entries else ""  # a journal entry shared goes out in their own words
    if verbatim is None:
        left.insert(0, f"{their} answers{quiz} in {their} own words, unless {pronoun} choose to include them")
    elif not verbatim:
        left.insert(0, f"{their} answers{quiz} in {their} own words")
    return tuple(said), tuple(left)


def one_line(text: str) -> str:
    """Text shown on one line (a name, a title, an id): each run of spaces, tabs and line breaks
    becomes one space, so no value can add a line or a column where it is shown."""
    return " ".join(text.split())


class Counted(msgspec.Struct, frozen=True):
    """What a report counts when some answers may be dated after it: the totals of the answers up
    to the report's time only, each lesson's latest such answer, and the answers left out."""

    totals: dict[str, LessonTally]
    last_answers: dict[str, datetime]  # lesson -> its latest answer counted
    left_out: int  # answers dated after the report
    latest: datetime | None  # the latest of them


def may_be_dated_after(progress: pm.Progress, totals: Mapping[str, LessonTally], lesson_ids: Iterable[str],
                       now: datetime, today: date) -> bool:
    """Whether an answer to these lessons may be dated after `now` (saved while the computer's
    clock was ahead): an answer on a day after `today` in the running totals, a lesson last studied
    or finished after now, or an exam after now. The running totals are kept per day, not per
    moment, so only then is the history read again to leave those answers out (`count_until`)."""
    last = _day_number(today)
    for lid in lesson_ids:
        tally = totals.get(lid)
        if tally is not None and any(day > last for day in tally.days):
            return True
        state = progress.lessons.get(lid)
        if state is not None and any(_after(t, now) for t in (state.last_studied, state.completed_at)):
            return True
    return any(_after(e.started, now) or _after(e.finished, now) for e in progress.exams.values())


def count_until(answers: Iterable[pm.Attempt], lesson_ids: Iterable[str], now: datetime, default_offset: int) -> Counted:
    """The totals of these lessons' answers up to `now` (answers from the whole history, in file
    order; local days counted with `default_offset` where an answer has no offset, as the running
    totals do), and the answers dated after it, which count nowhere."""
    mine = set(lesson_ids)
    kept: list[pm.Attempt] = []
    late: list[pm.Attempt] = []
    for a in answers:
        if a.lesson in mine:
            (late if _after(a.at, now) else kept).append(a)
    last: dict[str, datetime] = {}
    for a in kept:
        if a.lesson not in last or _after(a.at, last[a.lesson]):
            last[a.lesson] = _aware(a.at)
    return Counted(st.of(kept, default_offset).lessons, last, len(late), max((_aware(a.at) for a in late), default=None))


def _aware(moment: datetime) -> datetime:
    """A time as UTC when it says no offset (a record written by hand, or by an old version)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _after(moment: datetime | None, now: datetime) -> bool:
    """Whether a time is after `now` (None: never)."""
    return moment is not None and _aware(moment) > _aware(now)


dated_after = _after


def build_report(stored: pm.StoredAssignment, progress: pm.Progress, totals: Mapping[str, LessonTally],
                 lessons: Mapping[str, m.Lesson], titles: Mapping[str, str], now: datetime, today: date,
                 verbatim: bool, added_on: date | None = None, counted: Counted | None = None,
                 choices: Choices | None = None, client_key: str = "", typed: Mapping[str, Sequence[str]] | None = None,
                 local_date: Callable[[datetime], date] | None = None, practice: Practice | None = None) -> Report:
    """The report of one assignment, from the running totals of the history (`stats.tallies`) per
    lesson. `totals` may hold every lesson: only the assignment's lessons are read.

    When answers may be dated after `now` (`may_be_dated_after`), `counted` gives the totals of
    the answers up to now (`count_until`) and takes the place of `totals`: the later answers count
    nowhere (not in the time last studied, the scores, the minutes, the review, the exams), and the
    summary says how many were left out and why. A lesson last studied or finished after now shows
    its latest answer counted, and is done only if a pass was completed by then.

    Review days are counted only from the day the assignment was added (`added_on`, the local
    date; by default the date of `stored.added`) to `today`: answers dated before it are left out.

    `choices` are the client's (what to include, what to leave out); `typed` their short answers
    in words by question (used only when they include their words); `local_date` gives the
    client's local date of a time (dates are reported without times unless they choose)."""
    choices = choices or Choices(verbatim=verbatim)
    verbatim = choices.verbatim
    a = stored.assignment
    assigned = list(dict.fromkeys(item.lesson for item in a.lessons))
    if counted is not None:
        totals = counted.totals
    mine = {lid: totals.get(lid) or empty_tally() for lid in assigned}
    added_on = added_on or stored.added.date()
    first, last = _day_number(added_on), _day_number(today)

    def in_range(days: Mapping[int, int]) -> set[int]:
        return {day for day in days if first <= day <= last}
    reports = []
    removed: set[str] = set()  # misconceptions the client left out
    for item in sorted(a.lessons, key=lambda x: x.due):  # by due date (a stable sort: ties in the file's order)
        state = progress.lessons.get(item.lesson)
        status = lesson_status(state)
        tally = mine[item.lesson]
        lesson = lessons.get(item.lesson)
        scores = _pass_scores(tally, lesson)
        last_studied = state.last_studied if state else None
        if _after(last_studied, now):
            last_studied = counted.last_answers.get(item.lesson) if counted else None
        finished = state.completed_at if state else None
        if _after(finished, now):  # its last pass was finished "in the future"
            finished = None
            status = "done" if scores else "in_progress" if last_studied or any(tally.modes.values()) else "new"
        details = choices.keeps(f"lesson:{item.lesson}")
        section_ids = {sec.id for sec in lesson.sections} if lesson else set()
        question_ids = {q.id for q in lesson.questions} if lesson else set()
        found = _misconceptions(tally, lesson, verbatim)
        misconceptions = tuple(mc for mc in found
                               if choices.misconceptions and choices.keeps(f"misconception:{mc.label}"))
        if choices.misconceptions and choices.keeps(f"lesson:{item.lesson}"):
            removed.update(mc.label for mc in found if not choices.keeps(f"misconception:{mc.label}"))
        entry = LessonReport(
            lesson_id=item.lesson, title=one_line(titles.get(item.lesson, item.lesson)), due=item.due, status=status,
            overdue=status != "done" and item.due < today, finished=finished, last_studied=last_studied,
            scores=scores, minutes=sum(tally.mode_seconds.get(mode, 0.0) for mode in ("lesson", "retry")) / 60,
            review_answers=tally.modes.get("review", 0), review_days=len(in_range(tally.mode_days.get("review", {}))),
            misconceptions=misconceptions,
            questions=_questions(tally, lesson, typed if verbatim else None),
            reading_minutes=(state.read_seconds if state else 0.0) / 60,
            review_minutes=sum(tally.mode_spent.get(mode, 0.0) for mode in ("review", "practice")) / 60,
            sections_read=len(section_ids & set(state.sections_seen)) if state else 0, sections=len(section_ids),
            answered=len(question_ids & set(state.answered)) if state and status == "in_progress" else 0,
            question_count=len(question_ids))
        if not details:
            entry = LessonReport(lesson_id=entry.lesson_id, title=entry.title, due=entry.due, status=entry.status,
                                 overdue=entry.overdue, finished=None, last_studied=None, scores=(), minutes=0.0,
                                 review_answers=0, review_days=0, misconceptions=(), details=False)
        reports.append(entry)
    review_days: set[int] = set()
    review_seconds = 0.0
    rated: dict[tuple[int, bool], int] = {}
    for lid, tally in mine.items():
        if not choices.keeps(f"lesson:{lid}"):
            continue
        for mode in ("review", "practice"):
            review_days.update(in_range(tally.mode_days.get(mode, {})))
            review_seconds += tally.mode_spent.get(mode, 0.0)
        for key, count in tally.rated.items():
            level, right = key.split(":")
            rated[(int(level), right == "1")] = rated.get((int(level), right == "1"), 0) + count
    exams = tuple(ExamReport(e.id, e.finished, e.status, len(e.question_ids), e.right, e.score, e.seconds_used)
                  for e in sorted(progress.exams.values(), key=lambda e: e.started)
                  if e.status in ("submitted", "timed_out") and e.question_ids
                  and not _after(e.started, now) and not _after(e.finished, now)
                  and all(_lesson_of(q, lessons) in mine and choices.keeps(f"lesson:{_lesson_of(q, lessons)}")
                          for q in e.question_ids)) if choices.exams else ()
    if counted is not None:
        future, left_out = (counted.latest.date() if counted.latest else None), counted.left_out
    else:
        future, left_out = _future(mine.values(), last), 0
    goals = a.goals
    to_local = local_date or (lambda moment: moment.date())
    moments = [now, stored.added, *(t for x in reports for t in (x.finished, x.last_studied) if t is not None),
               *(e.finished for e in exams if e.finished is not None)]
    report = Report(
        generated=now, assignment=stored, verbatim=verbatim, lessons=tuple(reports),
        review_minutes=review_seconds / 60, review_days=len(review_days),
        review_goal_minutes=goals.review.minutes_per_day if goals.review else None,
        days_since_added=max((today - added_on).days, 0) + 1, exams=exams,
        exam_goal=goals.exam.min_score if goals.exam and choices.exams else None,
        calibration=cbm.calibrate_counts(rated), future=future, left_out=left_out, client_key=client_key,
        choices=choices, today=today, local={t.isoformat(): to_local(t) for t in moments},
        misconceptions_left_out=tuple(sorted(removed)),
        practice=practice if choices.practice or choices.entries else None)
    return _with_summary(report)


def _day_number(day: date) -> int:
    """A date as the tallies count days: days from 1970-01-01."""
    return day.toordinal() - _EPOCH


_EPOCH = date(1970, 1, 1).toordinal()


def _future(tallies: Iterable[LessonTally], last: int) -> date | None:
    """The latest day of an answer after day `last`, if any (its date, at most 9999-12-31)."""
    latest = max((day for tally in tallies for day in tally.days), default=last)
    if latest <= last:
        return None
    return date.fromordinal(min(latest + _EPOCH, date.max.toordinal()))


def _lesson_of(question_id: str, lessons: Mapping[str, m.Lesson]) -> str | None:
    for lesson_id, lesson in lessons.items():
        if any(q.id == question_id for q in lesson.questions):
            return lesson_id
    return None


def _pass_scores(tally: LessonTally, lesson: m.Lesson | None) -> tuple[float, ...]:
    """The score of each completed pass: right answers (the latest per question) over the lesson's questions."""
    if lesson is None or not lesson.questions:
        return ()
    ids = {q.id for q in lesson.questions}
    return tuple(sum(v for q, v in got.items() if q in ids) / len(ids)
                 for run, got in sorted(tally.runs.items()) if ids <= got.keys())


def _questions(tally: LessonTally, lesson: m.Lesson | None,
               typed: Mapping[str, Sequence[str]] | None = None) -> tuple[QuestionResult, ...]:
    """How each of the lesson's questions went (item analysis for the therapist's caseload), with
    the short answers typed (`typed`, only when the client includes their words)."""
    prompts = {q.id: q.prompt for q in lesson.questions} if lesson else {qid: qid for qid in sorted(tally.questions)}
    out = []
    for qid, prompt in prompts.items():
        answers, right, first, unknown, first_unknown = tally.questions.get(qid, (0, 0, -1, 0, 0))
        out.append(QuestionResult(qid, prompt, answers, right, None if first < 0 or not answers else bool(first),
                                  unknown, bool(first_unknown), tuple((typed or {}).get(qid, ())[-WORDS_KEPT:])))
    return tuple(out)


def _misconceptions(tally: LessonTally, lesson: m.Lesson | None, verbatim: bool) -> tuple[Misconception, ...]:
    questions = {q.id: q for q in lesson.questions} if lesson else {}
    found = [(label, qid, times) for label, where in tally.misconceptions.items() for qid, times in where.items()
             if times > 0]
    out = []
    for label, qid, times in sorted(found, key=lambda f: (-f[2], f[0], f[1])):
        q = questions.get(qid)
        out.append(Misconception(one_line(label), times, qid, q.prompt if q else qid, q.explanation if q else "",
                                 tuple(tally.words.get(f"{label} {qid}", ())) if verbatim else (),
                                 lesson.misconceptions.get(label) if lesson else None))
    return tuple(out)


def top_with_ties(counts: Sequence[tuple[str, int]], most: int = 3) -> tuple[list[tuple[str, int]], int]:
    """The first `most` of (name, count) pairs ranked by count, never cutting a tie: a tie at the
    cut is left out whole, and (when nothing would be left) the first group is given whole. Also
    how many were not named."""
    ranked = sorted(counts, key=lambda kv: -kv[1])
    if len(ranked) <= most:
        return ranked, 0
    cut = most
    while cut > 0 and ranked[cut][1] == ranked[cut - 1][1]:
        cut -= 1
    if cut == 0:  # the first group is larger than `most`: all of it
        cut = next((i for i, kv in enumerate(ranked) if kv[1] != ranked[0][1]), len(ranked))
    return ranked[:cut], len(ranked) - cut


def times_words(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _with_summary(report: Report) -> Report:
    done = [x.title for x in report.lessons if x.status == "done"]
    open_ = [x for x in report.lessons if x.status != "done"]
    lines = []
    lines.append(f"Done: {len(done)} of {len(report.lessons)} lessons" + (f" ({', '.join(done)})." if done else "."))
    if open_:
        def progress_words(x: LessonReport) -> str:
            said = f"due {x.due.isoformat()}" + (", overdue" if x.overdue else "")
            if x.status == "in_progress" and x.details:
                said += f"; {x.sections_read} of {x.sections} sections read, {x.answered} of {x.question_count} " \
                        "questions answered"
            return f"{x.title} ({said})"
        lines.append("Not yet done: " + "; ".join(progress_words(x) for x in open_) + ".")
    studied = [d for x in report.lessons if (d := report.day(x.last_studied)) is not None]
    lines.append(f"Last studied: {max(studied).isoformat()}." if studied else "Not studied yet.")
    chosen: dict[str, int] = {}  # the wrong idea, in words -> times chosen (a label under two questions counts once)
    lesson_of_top: set[str] = set()
    for x in report.lessons:
        for mc in x.misconceptions:
            said = one_line(m.misconception_said(mc.label, mc.text))
            chosen[said] = chosen.get(said, 0) + mc.times
    named, others = top_with_ties(list(chosen.items()))
    if named:
        top = named[0][1]
        lesson_of_top = {x.lesson_id for x in report.lessons for mc in x.misconceptions
                         if chosen.get(one_line(m.misconception_said(mc.label, mc.text))) == top}
    well = [x.title for x in report.lessons if x.scores and x.scores[0] >= WENT_WELL and x.lesson_id not in lesson_of_top]
    if well:
        lines.append("Went well: " + ", ".join(well) + f" (the first pass scored {round(WENT_WELL * 100)}% or more).")
    rose = [f"{x.title} ({round(x.scores[0] * 100)}% at first, {round(x.scores[-1] * 100)}% on the last pass)"
            for x in report.lessons if len(x.scores) > 1 and x.scores[0] < WENT_WELL <= x.scores[-1]]
    if rose:
        lines.append("Improved on a retry: " + "; ".join(rose) + ".")
    if named:
        words = ", ".join(f"\u201c{t}\u201d ({times_words(n)})" for t, n in named)
        lines.append(f"To talk about: {len(chosen)} misconception{'s' if len(chosen) != 1 else ''} chosen"
                     + (f", most often {words}, and {others} more" if others else f": {words}")
                     + " (each with its question below).")
    if report.left_out:
        n = report.left_out
        lines.append(f"{n} answer{'s are' if n != 1 else ' is'} dated after this report was written (the latest on "
                     f"{report.future.isoformat() if report.future else '?'}): the computer's clock was probably wrong "
                     f"when {'they were' if n != 1 else 'it was'} saved, so {'they are' if n != 1 else 'it is'} left "
                     "out of everything here (time last studied, scores, minutes, review, exams).")
    elif report.future is not None:
        lines.append(f"Some answers are dated after the day of this report (the latest {report.future.isoformat()}): "
                     "the computer's clock was probably wrong when they were saved. They are not counted as days "
                     "of review.")
    return msgspec.structs.replace(report, summary=tuple(lines))
