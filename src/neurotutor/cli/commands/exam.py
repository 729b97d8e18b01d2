"""`neurotutor exam` (sit an exam) and `neurotutor exams` (list them, show one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import typer

from neurotutor.cli.commands.learn import CONFIDENCE_HELP

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.cli.prompters import Prompter
    from neurotutor.cli.settings import Settings
    from neurotutor.lessons.loader import Catalogue
    from neurotutor.progress.store import ProgressStore


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
    from neurotutor.cli.context import catalogue_for, first_run_notice, output_for, show_notices, store_for
    from neurotutor.cli.prompters import make_prompter
    from neurotutor.errors import UsageError

    settings = ctx.obj
    if resume and abandon:
        raise UsageError("Choose one of --resume and --abandon.")
    out = output_for(settings)
    catalogue = catalogue_for(settings, out)
    store = store_for(settings)
    progress = store.load()
    show_notices(store, out)
    prompter = make_prompter(settings.interactive, out) if not abandon else None
    if prompter is not None:
        first_run_notice(store, out, progress, prompter)
    session(settings, catalogue, store, out, prompter, lessons=_split(lessons), tags=_split(tags), questions=questions,
            minutes=minutes, seed=seed, resume=resume, abandon=abandon, confidence=confidence)


def session(settings: Settings, catalogue: Catalogue, store: ProgressStore, out: Output, prompter: Prompter | None, *,
            lessons: list[str], tags: list[str], questions: int, minutes: int | None, seed: int | None = None,
            resume: bool = False, abandon: bool = False, confidence: bool | None = None) -> None:
    """An exam from start to results: an unfinished one is offered first (or resumed or abandoned
    as asked); otherwise a new one is drawn. Also used by the home screen."""
    import os

    from neurotutor.cli import hints
    from neurotutor.cli.context import show_notices
    from neurotutor.cli.exam_screen import sit_exam
    from neurotutor.cli.study_screen import now, saver
    from neurotutor.errors import UsageError
    from neurotutor.study import exam as ex

    progress = store.load()
    open_ = sorted((e for e in progress.exams.values() if e.status == "in_progress"), key=lambda e: e.started)
    unfinished = open_[-1] if open_ else None

    def answers_of(record: object) -> dict:  # type: ignore[type-arg]
        history = store.read_history()
        show_notices(store, out)
        return ex.latest(history, record.id)  # type: ignore[attr-defined]

    def drop(record: object) -> None:
        answers = answers_of(record)
        ended = ex.finished(record, "abandoned", answers, now(), record.seconds_used)  # type: ignore[arg-type, attr-defined]
        saver(store, out)(ex.with_exam(ended), ())
        out.line(f"Exam {ended.id} was abandoned. Its {len(answers)} answer{'s stay' if len(answers) != 1 else ' stays'} "
                 "in your history; it is not scored.")

    if resume or abandon:
        if unfinished is None:
            raise UsageError("You have no unfinished exam." + (" Start one with: " + hints.command(settings, "exam")
                                                                if resume else ""))
        if abandon:
            drop(unfinished)
            return
        assert prompter is not None
        sit_exam(settings, catalogue, store, out, prompter, unfinished, answers_of(unfinished), True, confidence)
        return
    assert prompter is not None
    if unfinished is not None:
        answered = len(answers_of(unfinished))
        out.line(f"You have an unfinished exam, {unfinished.id}: {answered} of {len(unfinished.question_ids)} "
                 "questions answered.")
        try:
            pick = prompter.choose("What would you like to do?", ["Go on with it", "Abandon it and start a new one",
                                                                  "Leave it for now"])
        except EOFError:
            return
        if pick == 2:
            out.command("It is kept. To go on later:", hints.command(settings, "exam", "--resume"))
            return
        if pick == 0:
            sit_exam(settings, catalogue, store, out, prompter, unfinished, answers_of(unfinished), True, confidence)
            return
        drop(unfinished)

    for lesson_id in lessons:
        catalogue.find(lesson_id, hints.command(settings, "lessons"), hints.command(settings, "validate"))
    known_tags = sorted({t for e in catalogue.lessons for t in e.info.tags})
    unknown = [t for t in tags if t not in known_tags]
    if unknown:
        raise UsageError(f"No lesson has the tag {unknown[0]!r}. The tags are: {', '.join(known_tags)}.")
    pools = [ex.Pool(e.info.id, e.info.title, e.info.tags, e.info.question_ids) for e in catalogue.lessons
             if (not lessons or e.info.id in lessons) and (not tags or set(tags) & set(e.info.tags))
             and e.info.question_ids]
    if not pools:
        raise UsageError("No questions to draw from: no lesson with questions matches "
                         + ("those lessons and tags." if lessons and tags else "those tags." if tags
                            else "those lessons."))
    seed = seed if seed is not None else int.from_bytes(os.urandom(4), "big")
    picked = ex.draw(pools, questions, seed)
    record = ex.new_record(started=now(), seed=seed, minutes=minutes, lessons=lessons, tags=tags, picked=picked)
    # Not saved yet: the first answer saves it, and so does a stop before any answer.
    sit_exam(settings, catalogue, store, out, prompter, record, {}, False, confidence)


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
    from neurotutor.cli import hints
    from neurotutor.cli.context import output_for, show_notices, store_for
    from neurotutor.cli.exam_screen import OUTCOMES, clock_text
    from neurotutor.dates import local

    settings = ctx.obj
    out = output_for(settings)
    store = store_for(settings)
    progress = store.load()
    show_notices(store, out)
    records = sorted(progress.exams.values(), key=lambda e: e.started, reverse=True)
    if json:
        import msgspec

        out.json(msgspec.json.encode({"format": "neurotutor-exams", "version": 1, "exams": records}))
        return
    if not records:
        out.line("No exams yet.")
        out.command("Sit one (20 questions across the lessons, feedback at the end):", hints.command(settings, "exam"))
        return
    out.table(["exam", "started", "status", "questions", "score", "time"],
              [[r.id, local(r.started).strftime("%Y-%m-%d %H:%M"), OUTCOMES[r.status], str(len(r.question_ids)),
                "-" if r.score is None else f"{round(r.score * 100)}%", clock_text(r.seconds_used)] for r in records],
              never_cut=(0,))
    out.command("See one again:", hints.command(settings, "exams", "show", records[0].id))


@exams_app.command("show")
def show_exam(ctx: typer.Context,
              exam_id: str = typer.Argument(..., metavar="ID", help="The exam's id (see 'neurotutor exams')."),
              json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """Show an exam's results again: each question with your answer, the right one and why.

    Example: neurotutor exams show 20261123-140512-3a7
    """
    from neurotutor.cli import hints
    from neurotutor.cli.context import catalogue_for, output_for, show_notices, store_for
    from neurotutor.cli.exam_screen import _lessons_for, lessons_of, show_result
    from neurotutor.errors import UsageError
    from neurotutor.study import exam as ex

    settings = ctx.obj
    out = output_for(settings)
    store = store_for(settings)
    progress = store.load()
    record = progress.exams.get(exam_id)
    if record is None:
        import difflib

        near = difflib.get_close_matches(exam_id, list(progress.exams), n=1, cutoff=0.6)
        raise UsageError(f"There is no exam with the id {exam_id!r}." + (f" Did you mean {near[0]}?" if near else "")
                         + f" Run '{hints.command(settings, 'exams')}' to see them all.")
    catalogue = catalogue_for(settings, out)
    history = store.read_history()
    show_notices(store, out)
    titles = {entry.info.id: entry.info.title for entry in catalogue.lessons}
    outcome = ex.result(record, ex.latest(history, record.id), _lessons_for(catalogue, settings,
                                                                          lessons_of(catalogue, record)), titles)
    if json or ctx.meta.get("exams_json"):
        import msgspec

        out.json(msgspec.json.encode(ex.result_document(outcome)))
        return
    show_result(out, settings, outcome)
