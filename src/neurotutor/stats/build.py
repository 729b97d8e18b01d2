"""`build_stats`: everything `neurotutor stats` shows, as frozen values, from one pass over the history.

Pure: the clock (`now`, timezone-aware UTC) and the learner's current offset from UTC are passed in,
and nothing here reads a file or imports rich, typer or fsrs. A local day is worked out with integer
arithmetic on the answer's timestamp and the offset recorded with it (the current offset for answers
recorded without one), so 100,000 answers take a few tens of milliseconds. Days are numbered from
1970-01-01 (a Thursday) until they are shown. Weeks start on Monday.

Answers whose time is after today (a computer clock that was set wrong, then put right) count in
the totals, but not as days studied, in streaks or in the weeks: `Activity.future_answers` says how
many there are, so the screen can say so. Dates at the edges of the calendar (a clock at
9999-12-31) are clamped, never an overflow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, get_args

from neurotutor import dates
from neurotutor.lessons import model as m
from neurotutor.progress.model import Attempt, Mode, Progress
from neurotutor.stats import tallies
from neurotutor.stats.tallies import Tallies
from neurotutor.study import confidence as conf
from neurotutor.study import schedule

if TYPE_CHECKING:
    from neurotutor.lessons.catalogue import Catalogue

MODES: tuple[str, ...] = get_args(Mode)  # every mode an answer can be given in, in order
WEEKS = 26  # the calendar: this week and the 25 before it
ACCURACY_WEEKS = 12  # accuracy: the most recent weeks that have answers
TOP_MISCONCEPTIONS = 10
DUE_DAYS = 7  # "due within 7 days": today and the six days after it
FORECAST_DAYS = 30  # the review forecast: cards due on each of the next 30 study days
FINISHED = ("submitted", "timed_out")  # exam records that count as taken
_DAY = 86_400
_EPOCH = date(1970, 1, 1).toordinal()
_EPOCH_MOMENT = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class LessonFacts:
    """What the statistics need of a lesson in the catalogue."""

    id: str
    title: str
    tags: tuple[str, ...]
    question_ids: tuple[str, ...]
    # label -> the questions whose option or statement carries it; None when the full lesson was not read
    misconceptions: Mapping[str, tuple[str, ...]] | None = None
    sentences: Mapping[str, str] = field(default_factory=dict)  # label -> the author's sentence


def lesson_facts(catalogue: Catalogue, read: set[str]) -> list[LessonFacts]:
    """The catalogue's lessons as the statistics need them; the full lessons in `read` are opened for
    their misconception labels (one that cannot be read now is left as not read)."""
    from neurotutor.errors import NeurotutorError

    facts = []
    for entry in catalogue.lessons:
        info = entry.info
        labels: dict[str, tuple[str, ...]] | None = None
        sentences: dict[str, str] = {}
        if info.id in read:
            try:
                lesson: m.Lesson | None = catalogue.load(entry).lesson
            except NeurotutorError:
                lesson = None
            if lesson is not None:
                labels = m.misconception_labels(lesson)
                sentences = dict(lesson.misconceptions)
        facts.append(LessonFacts(info.id, info.title, info.tags, info.question_ids, labels, sentences))
    return facts


@dataclass(frozen=True)
class Mastery:
    """Review cards of one lesson's current questions (or of all lessons, for the total)."""

    lesson_id: str
    title: str
    questions: int
    cards: int  # questions answered at least once in a mode that schedules
    mature: int  # in review with an interval of 21 days or more (Anki's "mature")
    due_today: int  # due on the learner's study day
    due_week: int  # due on this study day or one of the next six

    @property
    def share(self) -> float | None:
        """Mature questions as a share of the lesson's questions."""
        return self.mature / self.questions if self.questions else None


@dataclass(frozen=True)
class WeekActivity:
    """Answers in one local week of the calendar."""

    start: date  # its Monday
    days: int  # days with at least one answer
    answers: int


@dataclass(frozen=True)
class Activity:
    """Days studied: the 26-week calendar, and streaks over the whole history."""

    today: date
    start: date  # the first Monday of the calendar
    counts: tuple[int, ...]  # answers per local day, from `start` to `today`
    weeks: tuple[WeekActivity, ...]  # the calendar's 26 weeks, oldest first
    days_studied: int  # days with an answer in the calendar
    days_studied_ever: int
    last_day: date | None  # the most recent day with an answer
    current_streak: int  # consecutive days ending today (or yesterday, if nothing yet today)
    longest_streak: int
    future_answers: int = 0  # answers with a time after today (left out of days, streaks and weeks)


@dataclass(frozen=True)
class Week:
    """Accuracy in one local week."""

    start: date  # its Monday
    answers: int
    right: int

    @property
    def share(self) -> float:
        return self.right / self.answers


@dataclass(frozen=True)
class Accuracy:
    """How often answers were right, overall and by week, how long they took, and in which modes."""

    answers: int
    right: int
    seconds: float  # in total
    weeks: tuple[Week, ...]  # the most recent weeks with answers (at most 12), oldest first
    modes: tuple[tuple[str, int], ...]  # (mode, answers) for every mode, in MODES order

    @property
    def share(self) -> float | None:
        return self.right / self.answers if self.answers else None

    @property
    def average_seconds(self) -> float | None:
        return self.seconds / self.answers if self.answers else None


@dataclass(frozen=True)
class Exams:
    """Exams taken (submitted or timed out)."""

    taken: int
    best: float | None
    latest: float | None
    latest_at: datetime | None  # when the latest one ended


@dataclass(frozen=True)
class LessonCalibration:
    """Calibration of the rated answers in one lesson."""

    lesson_id: str
    title: str
    calibration: conf.Calibration


@dataclass(frozen=True)
class Calibration:
    """Calibration over all rated answers, per lesson, and what it says in words."""

    overall: conf.Calibration
    lessons: tuple[LessonCalibration, ...]  # lessons with rated answers, in catalogue order
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Misconception:
    """A misconception label the learner chose, and where the lessons correct it."""

    label: str
    count: int
    lesson_id: str
    title: str
    question_id: str
    current: bool  # the question is in the lessons now
    text: str | None = None  # the wrong idea as the lesson's author wrote it

    @property
    def words(self) -> str:
        """The sentence, or the label as words when no lesson gives one."""
        return m.misconception_said(self.label, self.text)


@dataclass(frozen=True)
class Stats:
    """Everything the stats screen shows."""

    now: datetime
    utc_offset: int  # the learner's offset from UTC now, in minutes
    lesson_filter: str | None
    desired_retention: float
    answers: int
    mastery: tuple[Mastery, ...]
    total: Mastery
    activity: Activity
    accuracy: Accuracy
    exams: Exams
    calibration: Calibration
    misconceptions: tuple[Misconception, ...]
    forecast: tuple[int, ...] = ()  # cards due on each study day from today (overdue ones today)
    day_starts_at: int = 4  # the local hour a study day begins
    study_date: date | None = None  # the local date of today's study day (yesterday's before it begins)


def local_day(at: datetime, utc_offset: int) -> int:
    """The local day of a moment, counted from 1970-01-01."""
    return int((at.timestamp() + utc_offset * 60) // _DAY)


def day_date(day: int) -> date:
    """The date of a day number (kept inside the calendar: 0001-01-01 to 9999-12-31)."""
    return dates.from_ordinal(day + _EPOCH)


def _monday(day: int) -> int:
    return day - (day + 3) % 7  # 1970-01-01, day 0, was a Thursday


def build_stats(progress: Progress, attempts: Iterable[Attempt] | Tallies, lessons: Sequence[LessonFacts],
                now: datetime, local_offset_minutes: int, lesson_filter: str | None = None) -> Stats:
    """The statistics of a profile at `now`, from the running totals of its answers (or from the
    answers themselves, in any order).

    `lessons` are the lessons in the catalogue; with `lesson_filter`, only that lesson's answers,
    cards and exams (those drawn from it alone) count. Cards of questions that are in no lesson now
    are left out.
    """
    totals = attempts if isinstance(attempts, Tallies) else tallies.of(attempts, local_offset_minutes)
    today = local_day(now, local_offset_minutes)
    titles = {facts.id: facts.title for facts in lessons}
    per_day: dict[int, int] = {}
    right_per_day: dict[int, int] = {}
    modes: dict[str, int] = {}
    rated: dict[tuple[str, int, bool], int] = {}  # (lesson, confidence, correct) -> answers
    chosen: dict[str, Counter[tuple[str, str]]] = {}  # label -> (lesson, question) -> times
    seconds = 0.0
    for lesson_id, tally in totals.lessons.items():
        if lesson_filter is not None and lesson_id != lesson_filter:
            continue
        for day, (count, good) in tally.days.items():
            if not count:  # an exam answer that was changed later, on another day
                continue
            per_day[day] = per_day.get(day, 0) + count
            if good:
                right_per_day[day] = right_per_day.get(day, 0) + good
        for mode, count in tally.modes.items():
            modes[mode] = modes.get(mode, 0) + count
        seconds += tally.seconds
        for key, count in tally.rated.items():
            level, correct = key.split(":")
            if count:
                rated[(lesson_id, int(level), correct == "1")] = count
        for label, where in tally.misconceptions.items():
            for question, count in where.items():
                if count:
                    chosen.setdefault(label, Counter())[(lesson_id, question)] += count
    right_get = right_per_day.get
    answers = sum(per_day.values())
    right = sum(right_per_day.values())
    future = sum(count for day, count in per_day.items() if day > today)
    if future:  # answers stamped after today: in the totals, not as days studied
        per_day = {day: count for day, count in per_day.items() if day <= today}
    per_week: dict[int, list[int]] = {}
    for day, count in per_day.items():
        week = per_week.setdefault(_monday(day), [0, 0])
        week[0] += count
        week[1] += right_get(day, 0)
    shown = [f for f in lessons if lesson_filter is None or f.id == lesson_filter]
    study = schedule.study_day(now, local_offset_minutes, progress.settings.day_starts_at)
    mastery = tuple(_mastery(progress, facts, study) for facts in shown)
    counted = {q for f in shown for q in f.question_ids}
    return Stats(
        now=now, utc_offset=local_offset_minutes, lesson_filter=lesson_filter,
        desired_retention=progress.settings.desired_retention, answers=answers, mastery=mastery,
        total=Mastery("", "all lessons", *(sum(getattr(m, k) for m in mastery)
                                          for k in ("questions", "cards", "mature", "due_today", "due_week"))),
        forecast=schedule.forecast((c for q, c in progress.cards.items() if q in counted), study, FORECAST_DAYS),
        day_starts_at=progress.settings.day_starts_at,
        study_date=dates.add(study.start, timedelta(minutes=local_offset_minutes)).date(),
        activity=_activity(per_day, today, future),
        accuracy=Accuracy(answers=answers, right=right, seconds=seconds,
                          weeks=tuple(Week(day_date(w), *per_week[w]) for w in sorted(per_week)[-ACCURACY_WEEKS:]),
                          modes=tuple((mode, modes.get(mode, 0)) for mode in MODES)),
        exams=_exams(progress, lesson_filter),
        calibration=_calibration(rated, lessons, titles),
        misconceptions=_misconceptions(chosen, lessons),
    )


def _mastery(progress: Progress, facts: LessonFacts, day: schedule.StudyDay) -> Mastery:
    cards = [progress.cards[q] for q in facts.question_ids if q in progress.cards]
    return Mastery(
        lesson_id=facts.id, title=facts.title, questions=len(facts.question_ids), cards=len(cards),
        mature=sum(1 for c in cards if schedule.is_mature(c)),
        due_today=sum(1 for c in cards if day.is_due(c)),
        due_week=sum(1 for c in cards if day.is_due(c) or day.day_of(c.due) < DUE_DAYS),
    )


def _activity(per_day: dict[int, int], today: int, future: int = 0) -> Activity:
    start = _monday(today) - (WEEKS - 1) * 7
    counts = tuple(per_day.get(d, 0) for d in range(start, today + 1))
    weeks = []
    for first in range(0, len(counts), 7):
        week = counts[first:first + 7]
        weeks.append(WeekActivity(day_date(start + first), sum(1 for n in week if n), sum(week)))
    days = sorted(per_day)
    longest = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous == day - 1 else 1
        longest = max(longest, run)
        previous = day
    current = 0
    end = today if today in per_day else today - 1
    while end - current in per_day:
        current += 1
    return Activity(today=day_date(today), start=day_date(start), counts=counts, weeks=tuple(weeks),
                    days_studied=sum(1 for n in counts if n), days_studied_ever=len(days),
                    last_day=day_date(days[-1]) if days else None, current_streak=current, longest_streak=longest,
                    future_answers=future)


def _exams(progress: Progress, lesson_filter: str | None) -> Exams:
    """The exams taken (submitted or timed out); with `lesson_filter`, those with a question from
    that lesson. A record from before `drawn_from` was kept counts when it was drawn from lessons
    that include that one (one drawn from every lesson cannot say, and is left out)."""
    taken = [e for e in progress.exams.values() if e.status in FINISHED
             and (lesson_filter is None or lesson_filter in (e.drawn_from or e.lessons))]
    scores = [e.score for e in taken if e.score is not None]
    latest = max(taken, key=lambda e: (e.finished or e.started, e.id), default=None)
    return Exams(taken=len(taken), best=max(scores) if scores else None,
                 latest=latest.score if latest else None,
                 latest_at=(latest.finished or latest.started) if latest else None)


def needed_sentence(calibration: conf.Calibration) -> str:
    """What is missing before calibration can be judged."""
    most = max(level.answers for level in calibration.levels)
    return f"Not enough rated answers yet ({most} of {conf.ENOUGH} needed at one level of confidence)."


OVERALL_WORDS = {
    "overconfident": "Overall you are overconfident: you are right less often than you feel sure.",
    "underconfident": "Overall you are underconfident: you are right more often than you feel sure.",
    "mixed": "Overall your confidence is mixed: too sure at one level, not sure enough at another.",
    "well calibrated": "Overall you are well calibrated: you are right about as often as you feel sure.",
}


def _calibration(rated: dict[tuple[str, int, bool], int], lessons: Sequence[LessonFacts],
                 titles: dict[str, str]) -> Calibration:
    overall: Counter[tuple[int, bool]] = Counter()
    by_lesson: dict[str, Counter[tuple[int, bool]]] = {}
    for (lesson, level, correct), n in rated.items():
        overall[(level, correct)] += n
        by_lesson.setdefault(lesson, Counter())[(level, correct)] += n
    order = {facts.id: i for i, facts in enumerate(lessons)}
    per_lesson = tuple(LessonCalibration(lesson, titles.get(lesson, lesson), conf.calibrate_counts(by_lesson[lesson]))
                       for lesson in sorted(by_lesson, key=lambda x: (order.get(x, len(order)), x)))
    total = conf.calibrate_counts(overall)
    if total.verdict is None:
        return Calibration(total, per_lesson, (needed_sentence(total),) if total.rated else ())
    sentences = [OVERALL_WORDS[total.verdict]]
    for item in per_lesson:
        for level in (3, 2):
            found = item.calibration.levels[level - 1]
            if found.verdict == "over":
                sentences.append(f"You are overconfident on {item.title} questions (when {conf.LEVELS[level]}: "
                                 f"{round(found.right * 100 / found.answers)}% right of {found.answers:,}).")
                break
    return Calibration(total, per_lesson, tuple(sentences))


def _misconceptions(where: dict[str, Counter[tuple[str, str]]],
                    lessons: Sequence[LessonFacts]) -> tuple[Misconception, ...]:
    counts = {label: sum(found.values()) for label, found in where.items()}
    by_id = {facts.id: facts for facts in lessons}
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_MISCONCEPTIONS]
    found = []
    for label, count in top:
        (lesson, question), _ = min(where[label].items(), key=lambda item: (-item[1], item[0]))
        facts = by_id.get(lesson)
        carriers = facts.misconceptions.get(label, ()) if facts and facts.misconceptions is not None else ()
        if facts and carriers:  # the lesson where it was chosen corrects it
            found.append(Misconception(label, count, lesson, facts.title,
                                       question if question in carriers else carriers[0], True))
            continue
        if facts and facts.misconceptions is None and question in facts.question_ids:  # not read: trust the record
            found.append(Misconception(label, count, lesson, facts.title, question, True))
            continue
        other = next((f for f in lessons if f.misconceptions and label in f.misconceptions), None)
        if other is not None and other.misconceptions:  # (always: it was picked for them)
            found.append(Misconception(label, count, other.id, other.title, other.misconceptions[label][0], True))
        else:
            found.append(Misconception(label, count, lesson, facts.title if facts else lesson, question, False))
    return tuple(replace(x, text=_sentence(x.label, by_id.get(x.lesson_id), lessons)) for x in found)


def _sentence(label: str, home: LessonFacts | None, lessons: Sequence[LessonFacts]) -> str | None:
    """The author's sentence for a label: the lesson it is shown with first, then any lesson that gives one."""
    if home is not None and label in home.sentences:
        return home.sentences[label]
    return next((f.sentences[label] for f in lessons if label in f.sentences), None)


# -- JSON ------------------------------------------------------------------------------------------


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _levels(calibration: conf.Calibration) -> list[dict[str, object]]:
    return [{"level": lv.level, "label": conf.LEVELS[lv.level], "answers": lv.answers, "right": lv.right,
             "share": _pct(lv.share), "suits": conf.RANGE_WORDS[lv.level], "verdict": lv.verdict}
            for lv in calibration.levels]


def _mastery_json(m: Mastery) -> dict[str, object]:
    return {"id": m.lesson_id or None, "title": m.title, "questions": m.questions, "cards": m.cards,
            "mature": m.mature, "share": _pct(m.share), "due_today": m.due_today,
            "due_within_7_days": m.due_week}


def to_json(stats: Stats) -> bytes:
    """The statistics as a JSON document for scripts: the "stats" document of `neurotutor.envelope`
    (its envelope's `generated_at` is `stats.now`)."""
    from neurotutor.envelope import encode_document

    act, acc, cal = stats.activity, stats.accuracy, stats.calibration
    data = {
        "today": act.today.isoformat(),
        "utc_offset_minutes": stats.utc_offset,
        "lesson": stats.lesson_filter,
        "answers": stats.answers,
        "mastery": {"desired_retention": stats.desired_retention,
                    "lessons": [_mastery_json(m) for m in stats.mastery], "total": _mastery_json(stats.total)},
        "activity": {
            "start": act.start.isoformat(), "today": act.today.isoformat(),
            "days": [{"date": dates.add_days(act.start, i).isoformat(), "answers": n}
                     for i, n in enumerate(act.counts) if n],
            "weeks": [{"week_of": w.start.isoformat(), "days": w.days, "answers": w.answers} for w in act.weeks],
            "days_studied": act.days_studied, "days_studied_ever": act.days_studied_ever,
            "last_day": act.last_day.isoformat() if act.last_day else None,
            "current_streak": act.current_streak, "longest_streak": act.longest_streak,
            "future_answers": act.future_answers,
        },
        "accuracy": {
            "answers": acc.answers, "right": acc.right, "share": _pct(acc.share),
            "average_seconds": None if acc.average_seconds is None else round(acc.average_seconds, 2),
            "by_mode": dict(acc.modes),
            "weeks": [{"week_of": w.start.isoformat(), "answers": w.answers, "right": w.right,
                       "share": _pct(w.share)} for w in acc.weeks],
        },
        "exams": {"taken": stats.exams.taken, "best_score": stats.exams.best, "latest_score": stats.exams.latest,
                  "latest_at": stats.exams.latest_at.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
                  if stats.exams.latest_at else None},
        "calibration": {
            "rated": cal.overall.rated, "marks": cal.overall.marks, "max_marks": cal.overall.max_marks,
            "verdict": cal.overall.verdict, "enough": conf.ENOUGH, "levels": _levels(cal.overall),
            "lessons": [{"id": item.lesson_id, "title": item.title, "rated": item.calibration.rated,
                         "marks": item.calibration.marks, "verdict": item.calibration.verdict,
                         "levels": _levels(item.calibration)} for item in cal.lessons],
            "sentences": list(cal.sentences),
        },
        "misconceptions": [{"label": m.label, "count": m.count, "lesson": m.lesson_id, "title": m.title,
                            "question": m.question_id, "in_lessons": m.current, "text": m.text} for m in stats.misconceptions],
        "forecast": {"day_starts_at": stats.day_starts_at,
                     "days": [{"date": dates.add_days(stats.study_date, i).isoformat() if stats.study_date else None,
                               "due": n} for i, n in enumerate(stats.forecast)]},
    }
    return encode_document("stats", stats.now, data)
