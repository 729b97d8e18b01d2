"""`neurotutor exam` (sit an exam) and `neurotutor exams` (list them, show one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import typer

from neurotutor.cli.commands.learn import CONFIDENCE_HELP

if TYPE_CHECKING:
    from neurotutor.cli.session import Session
    from neurotutor.progress import model as pm


def _split(value: Optional[str]) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def run(
    ctx: typer.Context,
    lessons: Optional[str] = typer.Option(None, "--lessons", metavar="ID,...", help="Draw from these lessons only."),
    tags: Optional[str] = typer.Option(None, "--tags", metavar="TAG,...", help="Draw from lessons with any of these tags."),
    questions: int = typer.Option(20, "--questions", metavar="N", min=1, max=500, help="How many questions (default 20)."),
    minutes: Optional[int] = typer.Option(None, "--minutes", metavar="M", min=1, max=600, help="Time allowed (default: untimed)."),
    seed: Optional[int] = typer.Option(None, "--seed", metavar="S", min=0, max=2**63 - 1, help="Draw the same exam as before."),
    resume: bool = typer.Option(False, "--resume", help="Go on with your unfinished exam."),
    abandon: bool = typer.Option(False, "--abandon", help="Drop your unfinished exam (its answers stay in your history)."),
    confidence: Optional[bool] = typer.Option(None, "--confidence/--no-confidence", help=CONFIDENCE_HELP),
) -> None:
    """Sit an exam: questions drawn across lessons, feedback at the end, optionally timed.

    The questions are balanced across the lessons and shuffled with a seed, shown at the start so
    you can sit the same exam again. Skip a question to come back to it; change any answer before
    you submit. Ctrl-C keeps your answers: resume later with --resume.

    Example: neurotutor exam --questions 15 --minutes 20
    """
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.study import exam as ex

    s = session_of(ctx)
    if resume and abandon:
        raise UsageError("Choose one of --resume and --abandon.")
    if not (resume or abandon):  # options checked before anything is shown
        for lesson_id in _split(lessons):
            s.find(lesson_id)
        ex.pools(s.catalogue, _split(lessons), _split(tags))
    if not abandon:
        s.greet(screen=True)
    session(s, lessons=_split(lessons), tags=_split(tags), questions=questions, minutes=minutes, seed=seed,
            resume=resume, abandon=abandon, confidence=confidence)


def session(s: Session, *, lessons: list[str], tags: list[str], questions: int, minutes: int | None,
            seed: int | None = None, resume: bool = False, abandon: bool = False, confidence: bool | None = None) -> None:
    """An exam from start to results: an unfinished one is offered first (or resumed or abandoned
    as asked); otherwise a new one is drawn. Also used by the home screen."""
    import os

    from neurotutor.cli.exam_screen import sit_exam
    from neurotutor.cli.study_screen import saver
    from neurotutor.errors import UsageError
    from neurotutor.study import exam as ex

    out = s.out
    unfinished = ex.unfinished(s.reload())

    def answers_of(record: pm.ExamRecord) -> dict[str, pm.Attempt]:
        history = s.store.read_history()
        s.show_notices()
        return ex.latest(history, record.id)

    def drop(record: pm.ExamRecord) -> None:
        answers = answers_of(record)
        ended = ex.finished(record, "abandoned", answers, s.clock(), record.seconds_used)
        saver(s.store, out)(ex.with_exam(ended), ())
        out.line(f"Exam {ended.id} was abandoned. Its {len(answers)} answer{'s stay' if len(answers) != 1 else ' stays'} "
                 "in your history; it is not scored.")

    if resume or abandon:
        if unfinished is None:
            raise UsageError("You have no unfinished exam." + (" Start one with: " + s.command("exam") if resume else ""))
        if abandon:
            drop(unfinished)
        else:
            sit_exam(s, unfinished, answers_of(unfinished), True, confidence)
        return
    if unfinished is not None:
        answered = len(answers_of(unfinished))
        out.line(f"You have an unfinished exam, {unfinished.id}: {answered} of {len(unfinished.question_ids)} "
                 "questions answered.")
        pick = s.prompter.choose("What would you like to do?", ["Go on with it", "Abandon it and start a new one",
                                                                "Leave it for now"])
        if pick == 2:
            out.command("It is kept. To go on later:", s.command("exam", "--resume"))
            return
        if pick == 0:
            sit_exam(s, unfinished, answers_of(unfinished), True, confidence)
            return
        drop(unfinished)
    for lesson_id in lessons:
        s.find(lesson_id)
    pools = ex.pools(s.catalogue, lessons, tags)
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    record = ex.new_record(started=s.clock(), seed=seed, minutes=minutes, lessons=lessons, tags=tags,
                           picked=ex.draw(pools, questions, seed))
    sit_exam(s, record, {}, False, confidence)  # not saved yet: the first answer saves it, and so does a stop


exams_app = typer.Typer(help="Your exams: list them, or show one again.", no_args_is_help=False,
                        rich_markup_mode=None)


@exams_app.callback(invoke_without_command=True)
def list_exams(ctx: typer.Context, json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """List your exams, newest first.

    Example: neurotutor exams
    """
    if ctx.invoked_subcommand is not None:
        ctx.meta["exams_json"] = json  # `exams --json show ID` means `exams show ID --json`
        return
    from neurotutor.cli.exam_screen import OUTCOMES, clock_text
    from neurotutor.cli.session import session_of
    from neurotutor.dates import local

    s = session_of(ctx)
    out, progress = s.out, s.progress
    records = sorted(progress.exams.values(), key=lambda e: e.started, reverse=True)
    if json:
        import msgspec

        out.json(msgspec.json.encode({"format": "neurotutor-exams", "version": 1, "exams": records}))
        return
    if not records:
        out.line("No exams yet.")
        out.command("Sit one (20 questions across the lessons, feedback at the end):", s.command("exam"))
        return
    out.table(["exam", "started", "status", "questions", "score", "time"],
              [[r.id, local(r.started).strftime("%Y-%m-%d %H:%M"), OUTCOMES[r.status], str(len(r.question_ids)),
                "-" if r.score is None else f"{round(r.score * 100)}%", clock_text(r.seconds_used)] for r in records],
              never_cut=(0,))
    out.command("See one again:", s.command("exams", "show", records[0].id))


@exams_app.command("show")
def show_exam(ctx: typer.Context,
              exam_id: str = typer.Argument(..., metavar="ID", help="The exam's id (see 'neurotutor exams')."),
              json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """Show an exam's results again: each question with your answer, the right one and why.

    Example: neurotutor exams show 20261123-140512-3a7
    """
    from neurotutor.cli.exam_screen import exam_lessons, show_result
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.study import exam as ex

    s = session_of(ctx)
    out, progress = s.out, s.progress
    record = progress.exams.get(exam_id)
    if record is None:
        import difflib

        near = difflib.get_close_matches(exam_id, list(progress.exams), n=1, cutoff=0.6)
        raise UsageError(f"There is no exam with the id {exam_id!r}." + (f" Did you mean {near[0]}?" if near else "")
                         + f" Run '{s.command('exams')}' to see them all.")
    history = s.store.read_history()
    s.show_notices()
    outcome = ex.result(record, ex.latest(history, record.id), exam_lessons(s, record), s.titles())
    if json or ctx.meta.get("exams_json"):
        import msgspec

        out.json(msgspec.json.encode(ex.result_document(outcome)))
        return
    show_result(out, s.settings, outcome)
