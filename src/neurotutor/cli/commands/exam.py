"""`neurotutor exam` (sit an exam) and `neurotutor exams` (list them, show one)."""

from __future__ import annotations

import typer

from neurotutor.cli import completion
from neurotutor.cli.commands.learn import CONFIDENCE_HELP


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def run(
    ctx: typer.Context,
    lessons: str | None = typer.Option(None, "--lessons", metavar="ID,...", help="Draw from these lessons only.",
                                          autocompletion=completion.lesson_id_lists),
    tags: str | None = typer.Option(None, "--tags", metavar="TAG,...", help="Draw from lessons with any of these tags."),
    all_lessons: bool = typer.Option(False, "--all-lessons",
                                     help="Draw from every lesson, not only those you have studied."),
    questions: int = typer.Option(20, "--questions", metavar="N", min=1, max=500, help="How many questions (default 20)."),
    minutes: int | None = typer.Option(None, "--minutes", metavar="M", min=1, max=600, help="Time allowed (default: untimed)."),
    seed: int | None = typer.Option(None, "--seed", metavar="S", min=0, max=2**63 - 1, help="Draw the same exam as before."),
    resume: bool = typer.Option(False, "--resume", help="Go on with your unfinished exam."),
    abandon: bool = typer.Option(False, "--abandon", help="Drop your unfinished exam (its answers stay in your history)."),
    confidence: bool | None = typer.Option(None, "--confidence/--no-confidence", help=CONFIDENCE_HELP),
) -> None:
    """Sit an exam: questions drawn across lessons, feedback at the end, optionally timed.

    The questions come from the lessons you have studied (started or done; every lesson until you
    have studied one, or with --all-lessons), balanced across them and shuffled with a seed, shown
    at the start so you can sit the same exam again. Skip a question to come back to it, flag it
    for review, change any answer before you submit. Ctrl-C keeps your answers and flags: resume
    later with --resume.

    Example: neurotutor exam --questions 15 --minutes 20
    """
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.study import exam as ex

    s = session_of(ctx)
    if resume and abandon:
        raise UsageError("Choose one of --resume and --abandon.")
    if lessons and all_lessons:
        raise UsageError("Choose one of --lessons and --all-lessons.")
    if not (resume or abandon):  # options checked before anything is shown
        for lesson_id in _split(lessons):
            s.find(lesson_id)
        ex.pools(s.catalogue, _split(lessons), _split(tags))
    if not abandon:
        s.greet(screen=True)
    from neurotutor.cli.exam_screen import sit

    sit(s, lessons=_split(lessons), tags=_split(tags), questions=questions, minutes=minutes, seed=seed,
        resume=resume, abandon=abandon, confidence=confidence, all_lessons=all_lessons)


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
        from neurotutor.envelope import encode_document

        out.json(encode_document("exams", s.now, {"exams": records}))
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
    from neurotutor.cli.exam_screen import exam_lessons, present_result
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
        from neurotutor.envelope import encode_document

        out.json(encode_document("exam", s.now, ex.result_document(outcome)))
        return
    present_result(out, s.prompter, s.settings, outcome)  # paged at a screen: the score first
