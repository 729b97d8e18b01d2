"""A learner's progress, format 2: the current state (`Progress`) and the answer record (`Attempt`).

The state is small and rewritten atomically on every save (`progress.json`); attempts only grow
and are appended, one JSON object a line, to the history file beside it (`history.jsonl`).
Nothing here reads the clock or touches a file: callers pass `now` (timezone-aware UTC), and
every function returns a new value. Lesson status is derived from the state, never stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct, structs

from neurotutor.assignments.model import Assignment
from neurotutor.quiz.answers import Answer

SCHEMA_VERSION = 3  # 3: format 2 and the fields added for reports and practice (migrations.py)
Status = Literal["new", "in_progress", "done"]
Mode = Literal["lesson", "retry", "review", "practice", "exam"]
Confidence = Literal[1, 2, 3]
Credit = Annotated[float, Meta(ge=0.0, le=1.0)]
Share = Annotated[float, Meta(ge=0.0, le=1.0)]  # a score: right / questions
Seconds = Annotated[float, Meta(ge=0.0)]
Count = Annotated[int, Meta(ge=0)]  # a number of things: never negative (a file that says so is damaged)
Pass = Annotated[int, Meta(ge=1)]  # a lesson pass, counted from 1
UtcOffset = Annotated[int, Meta(ge=-24 * 60, le=24 * 60)]  # minutes east of UTC


class Attempt(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """One answer to one question: a line of the history file (fields left at their default,
    such as an unrated confidence, are omitted from the line)."""

    id: str  # stable: derived from the content (see attempt_id), so imports never duplicate it
    lesson: str
    question: str
    mode: Mode  # only "lesson" moves a lesson's pass forward; lesson, retry and review schedule the card
    run: Pass | None = None  # the lesson pass it belongs to (mode "lesson")
    exam: str | None = None  # the exam record it belongs to (mode "exam")
    answer: Answer | None = None  # the answer as data (None for answers kept by format 1)
    answer_text: str  # the answer in words, as shown to the learner
    correct: bool
    credit: Credit | None = None  # partial credit where the question type has it
    misconceptions: tuple[str, ...] = ()  # labels of the wrong options the learner chose
    confidence: Confidence | None = None  # 1 a guess, 2 fairly sure, 3 sure
    rating: Literal[1, 2, 3, 4] | None = None  # the review rating the learner chose instead of the one inferred
    seconds: Seconds
    spent: Seconds | None = None  # review: the whole time on the question, feedback and rating too (idle capped)
    at: datetime  # when, in UTC
    utc_offset: UtcOffset | None = None  # the learner's offset from UTC then (local days, streaks)


class LessonState(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Where a learner is in one lesson, and how earlier passes went."""

    run: Pass = 1  # the current pass (1 = first)
    sections_seen: tuple[str, ...] = ()
    answered: dict[str, bool] = {}  # question id -> correct, for the current pass
    completed_runs: Count = 0
    best_score: Share | None = None
    last_score: Share | None = None
    last_missed: tuple[str, ...] = ()  # questions missed in the last completed pass
    last_studied: datetime | None = None
    completed_at: datetime | None = None  # when the last pass was completed
    rated: dict[str, Confidence] = {}  # how sure the learner was of each rated answer of the current pass
    last_rated: dict[str, Confidence] = {}  # the same for the last completed pass (its certainty-based marks)
    retry_left: tuple[str, ...] = ()  # questions of a retry round that was stopped, to ask when it goes on
    reading: tuple[str, int] | None = None  # (section id, block): where reading stopped inside a section
    read_seconds: Seconds = 0.0  # time on the lesson's reading screens (each screen counted up to READ_CAP)


class CardState(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A question's memory state for spaced review: the fields of an fsrs Card."""

    state: Literal[1, 2, 3]  # fsrs State: 1 learning, 2 review, 3 relearning
    step: Count | None = None
    stability: Annotated[float, Meta(ge=0.0)] | None = None
    difficulty: float | None = None
    due: datetime
    last_review: datetime | None = None


class ExamRecord(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """One exam: what was asked and how it went. Its answers are history lines with mode "exam"
    and this id; the last answer to a question counts. The summary fields are set when it ends."""

    id: str
    started: datetime
    finished: datetime | None = None
    status: Literal["in_progress", "submitted", "timed_out", "abandoned"] = "in_progress"
    seed: int
    minutes: Annotated[int, Meta(ge=1)] | None = None  # the time allowed (None: untimed)
    lessons: tuple[str, ...] = ()  # the lessons it was drawn from
    tags: tuple[str, ...] = ()  # the tags asked for (empty: any)
    question_ids: tuple[str, ...] = ()  # in the order asked
    seconds_used: Seconds = 0.0  # time spent answering (the clock stops while the exam is stopped)
    answered: Count = 0  # questions with an answer when it ended
    right: Count | None = None
    score: Share | None = None  # right / questions, from 0 to 1
    marks: int | None = None  # certainty-based marks, when confidence was rated
    # Added without a new schema version: a record written before these has their defaults.
    drawn_from: tuple[str, ...] = ()  # the lessons its questions came from (empty: not recorded)
    flagged: tuple[str, ...] = ()  # questions flagged for review, in the order asked
    ask_confidence: bool | None = None  # "how sure?" after each answer (None: not recorded; the profile's setting)


class ProfileSettings(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Per-profile choices."""

    desired_retention: Annotated[float, Meta(gt=0.0, lt=1.0)] = 0.9
    ask_confidence: bool = False
    day_starts_at: Annotated[int, Meta(ge=0, le=23)] = 4  # the local hour a new study day begins (Anki's 4 am)
    exam_date: date | None = None  # reviews are brought forward so every card comes back before it


class StoredAssignment(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """An assignment the learner added: the file's content as it was, and when it was added."""

    assignment: Assignment
    added: datetime
    source: str  # the file it was added from


class Progress(Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Everything current for one profile (the history of answers is kept apart)."""

    schema_version: int = SCHEMA_VERSION
    notice_seen: bool = False
    seed: int | None = None  # this profile's own shuffle of options (made on first use)
    client_key: str | None = None  # a random pseudonymous key, made for the first report, carried in every report
    lessons: dict[str, LessonState] = {}
    cards: dict[str, CardState] = {}  # question id -> memory state
    exams: dict[str, ExamRecord] = {}  # exam id -> record
    settings: ProfileSettings = ProfileSettings()
    assignments: dict[str, StoredAssignment] = {}  # assignment id -> what was added


_encoder = msgspec.json.Encoder()


def encode(progress: Progress) -> bytes:
    """The state as indented JSON, readable by a person."""
    return msgspec.json.format(_encoder.encode(progress), indent=2) + b"\n"


def encode_attempt(attempt: Attempt) -> bytes:
    """One history line (compact JSON and a newline)."""
    return _encoder.encode(attempt) + b"\n"


def attempt_id(lesson: str, question: str, mode: str, at: datetime, answer_text: str) -> str:
    """A stable id for an answer, from what it is; the same answer always gets the same id."""
    import hashlib  # ~5 ms to import: only commands that record answers pay for it

    key = "\x1f".join([lesson, question, mode, at.isoformat(timespec="microseconds"), answer_text])
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def utc_offset_minutes(local_now: datetime) -> int | None:
    """Minutes east of UTC of an aware local time (None for a naive one)."""
    offset = local_now.utcoffset()
    return None if offset is None else int(offset // timedelta(minutes=1))


def new_attempt(*, lesson: str, question: str, mode: Mode, answer: Answer | None, answer_text: str,
                correct: bool, seconds: float, now: datetime, utc_offset: int | None,
                run: int | None = None, exam: str | None = None, credit: float | None = None,
                misconceptions: tuple[str, ...] = (), confidence: Confidence | None = None,
                rating: Literal[1, 2, 3, 4] | None = None, spent: float | None = None) -> Attempt:
    """Build an attempt with its stable id; seconds are rounded to hundredths and never negative."""
    return Attempt(
        id=attempt_id(lesson, question, mode, now, answer_text), lesson=lesson, question=question,
        mode=mode, run=run, exam=exam, answer=answer, answer_text=answer_text, correct=correct,
        credit=None if credit is None else min(max(credit, 0.0), 1.0), misconceptions=misconceptions,
        confidence=confidence, rating=rating, seconds=round(max(seconds, 0.0), 2), at=now, utc_offset=utc_offset,
        spent=None if spent is None else round(max(spent, seconds, 0.0), 2),
    )


# -- status ------------------------------------------------------------------------------------


def status(state: LessonState | None) -> Status:
    """new, in_progress or done, derived from the state."""
    if state is None:
        return "new"
    if state.sections_seen or state.answered:
        return "in_progress"
    return "done" if state.completed_runs else "new"


def lesson_state(progress: Progress, lesson_id: str) -> LessonState:
    """The state of one lesson (a fresh one if it was never opened)."""
    return progress.lessons.get(lesson_id, LessonState())


def _with_lesson(progress: Progress, lesson_id: str, state: LessonState) -> Progress:
    return structs.replace(progress, lessons={**progress.lessons, lesson_id: state})


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return max(a, b)


# -- changes -----------------------------------------------------------------------------------


def mark_notice_seen(progress: Progress) -> Progress:
    """Remember that the first-run safety notice was shown."""
    return structs.replace(progress, notice_seen=True)


def with_seed(progress: Progress, seed: int) -> Progress:
    """Give the profile its shuffle seed, unless it has one (another terminal may have set it)."""
    return progress if progress.seed is not None else structs.replace(progress, seed=seed)


def with_client_key(progress: Progress, key: str) -> Progress:
    """Give the profile its client key, unless it has one (another terminal may have made it)."""
    return progress if progress.client_key is not None else structs.replace(progress, client_key=key)


def new_client_key(token: bytes) -> str:
    """A client key from random bytes: "c-" and 10 lowercase base32 characters (50 bits), which
    tell clients apart in a caseload and say nothing about who they are."""
    import base64

    return "c-" + base64.b32encode(token[:7]).decode("ascii").lower()[:10]


def read_for(progress: Progress, lesson_id: str, seconds: float) -> Progress:
    """Add time spent on a lesson's reading screens."""
    if seconds <= 0:
        return progress
    state = lesson_state(progress, lesson_id)
    return _with_lesson(progress, lesson_id, structs.replace(state, read_seconds=round(state.read_seconds + seconds, 2)))


def retry_round(progress: Progress, lesson_id: str, question_ids: tuple[str, ...]) -> Progress:
    """A round of retries begins (or ends, with no questions): what is left of it if it is stopped."""
    state = progress.lessons.get(lesson_id)
    if state is None:
        return progress
    return _with_lesson(progress, lesson_id, structs.replace(state, retry_left=question_ids))


def mark_section_seen(progress: Progress, lesson_id: str, section_id: str, now: datetime) -> Progress:
    """Record that a section was read (call `settle` afterwards to close a finished pass)."""
    state = lesson_state(progress, lesson_id)
    seen = state.sections_seen if section_id in state.sections_seen else state.sections_seen + (section_id,)
    return _with_lesson(progress, lesson_id, structs.replace(state, sections_seen=seen, reading=None,
                                                             last_studied=_later(state.last_studied, now)))


def reading_place(progress: Progress, lesson_id: str, section_id: str, block: int) -> Progress:
    """Where reading stopped inside a section: the block its page begins with (0: its start)."""
    state = lesson_state(progress, lesson_id)
    return _with_lesson(progress, lesson_id, structs.replace(state, reading=(section_id, block) if block else None))


def apply_attempt(progress: Progress, attempt: Attempt) -> Progress:
    """Apply an answer to the state: a lesson-mode answer of the current pass counts towards it.

    An answer from a pass that has since been completed (another terminal finished it) is kept in
    the history but does not reopen the pass. Other modes only touch `last_studied`.
    """
    state = lesson_state(progress, attempt.lesson)
    state = structs.replace(state, last_studied=_later(state.last_studied, attempt.at))
    if attempt.mode == "lesson" and attempt.run == state.run:
        rated = dict(state.rated)
        rated.pop(attempt.question, None)
        if attempt.confidence is not None:
            rated[attempt.question] = attempt.confidence
        state = structs.replace(state, answered={**state.answered, attempt.question: attempt.correct}, rated=rated)
    elif attempt.mode == "retry" and attempt.question in state.retry_left:
        state = structs.replace(state, retry_left=tuple(q for q in state.retry_left if q != attempt.question))
    return _with_lesson(progress, attempt.lesson, state)


def settle(progress: Progress, lesson_id: str, section_ids: list[str], question_ids: list[str],
           now: datetime) -> Progress:
    """Close the current pass when it is finished, with its score.

    A lesson with questions is finished when every question it has now is answered (answers to
    questions that were removed from the lesson no longer count); one without questions when
    every section has been read. Nothing changes for a lesson that was never opened.
    """
    state = progress.lessons.get(lesson_id)
    if state is None or not (state.sections_seen or state.answered):
        return progress
    if question_ids:
        if not all(q in state.answered for q in question_ids):
            return progress
        missed = tuple(q for q in question_ids if not state.answered[q])
        score: float | None = (len(question_ids) - len(missed)) / len(question_ids)
    else:
        if not all(s in state.sections_seen for s in section_ids):
            return progress
        missed, score = (), None
    best = state.best_score
    if score is not None and (best is None or score > best):
        best = score
    done = structs.replace(state, run=state.run + 1, sections_seen=(), answered={},
                           completed_runs=state.completed_runs + 1, best_score=best, last_score=score,
                           last_missed=missed, completed_at=now, last_studied=_later(state.last_studied, now),
                           rated={}, last_rated={q: c for q, c in state.rated.items() if q in question_ids},
                           retry_left=())
    return _with_lesson(progress, lesson_id, done)


def record_answer(progress: Progress, attempt: Attempt, section_ids: list[str], question_ids: list[str],
                  now: datetime) -> Progress:
    """Apply an answer and close the pass if that finished it."""
    return settle(apply_attempt(progress, attempt), attempt.lesson, section_ids, question_ids, now)


def reset_lesson(progress: Progress, lesson_id: str, question_ids: frozenset[str] = frozenset()) -> Progress:
    """Forget one lesson's state and the review cards of its questions."""
    lessons = {k: v for k, v in progress.lessons.items() if k != lesson_id}
    cards = {k: v for k, v in progress.cards.items() if k not in question_ids}
    return structs.replace(progress, lessons=lessons, cards=cards)


def reset_all(progress: Progress) -> Progress:
    """Forget every lesson, card and exam (the first-run notice, the settings and the assignments stay)."""
    return Progress(notice_seen=progress.notice_seen, seed=progress.seed, settings=progress.settings,
                    assignments=progress.assignments, client_key=progress.client_key)


# -- merging (import) --------------------------------------------------------------------------


def merge(current: Progress, incoming: Progress) -> Progress:
    """Combine two states of the same learner (moving computers, restoring a backup).

    Per lesson, the state studied more recently gives the place in the lesson; completed passes
    and the best score take the higher of the two. A review card keeps the later review; exams are
    combined by id, a finished record winning over an unfinished one. The settings of the current
    profile stay unless they are still the defaults.
    """
    lessons = dict(current.lessons)
    for lesson_id, theirs in incoming.lessons.items():
        ours = lessons.get(lesson_id)
        lessons[lesson_id] = theirs if ours is None else _merge_lesson(ours, theirs)
    cards = dict(current.cards)
    for qid, theirs_card in incoming.cards.items():
        ours_card = cards.get(qid)
        if ours_card is None or _card_key(theirs_card) > _card_key(ours_card):
            cards[qid] = theirs_card
    exams = dict(current.exams)
    for exam_id, theirs_exam in incoming.exams.items():
        ours_exam = exams.get(exam_id)
        if ours_exam is None or (ours_exam.finished is None and theirs_exam.finished is not None):
            exams[exam_id] = theirs_exam
    settings = incoming.settings if current.settings == ProfileSettings() else current.settings
    assignments = {**incoming.assignments, **current.assignments}  # the current profile's version wins
    seed = current.seed if current.seed is not None else incoming.seed
    client_key = current.client_key if current.client_key is not None else incoming.client_key
    return structs.replace(current, notice_seen=current.notice_seen or incoming.notice_seen, seed=seed,
                           client_key=client_key,
                           lessons=lessons, cards=cards, exams=exams, settings=settings, assignments=assignments)


def _stamp(value: datetime | None) -> float:
    return float("-inf") if value is None else value.timestamp()


def _card_key(card: CardState) -> tuple[float, float]:
    return (_stamp(card.last_review), _stamp(card.due))


def _merge_lesson(ours: LessonState, theirs: LessonState) -> LessonState:
    base = theirs if _stamp(theirs.last_studied) > _stamp(ours.last_studied) else ours
    scores = [s for s in (ours.best_score, theirs.best_score) if s is not None]
    return structs.replace(
        base,
        completed_runs=max(ours.completed_runs, theirs.completed_runs),
        best_score=max(scores) if scores else None,
        completed_at=_later(ours.completed_at, theirs.completed_at),
        last_studied=_later(ours.last_studied, theirs.last_studied),
        read_seconds=max(ours.read_seconds, theirs.read_seconds),
    )
