"""The home screen (`neurotutor` with no command): first-run notice, then a small menu."""

from __future__ import annotations

import typer


def run(ctx: typer.Context) -> None:
    """Show the home screen: continue, choose a lesson, see progress, get help, quit."""
    from neurotutor import safety
    from neurotutor.cli.context import catalogue_for, output_for, show_notices, store_for
    from neurotutor.cli.prompters import make_prompter
    from neurotutor.cli.session import Session
    from neurotutor.errors import EndOfInput, Interrupted
    from neurotutor.progress import model as pm
    from neurotutor.progress.summary import lesson_rows, resume_candidate

    settings = ctx.obj
    out = output_for(settings)
    catalogue = catalogue_for(settings, out)
    store = store_for(settings)
    progress = store.load()
    show_notices(store, out)
    out.heading("neurotutor: how therapy changes the brain")
    if not progress.notice_seen:
        out.styled("Before you start", "bold")
        out.line(safety.SHORT_NOTICE)
        store.update(pm.mark_notice_seen)
    prompter = make_prompter(settings.interactive, out)
    status_words = {"new": "new", "in_progress": "in progress", "done": "done"}
    try:
        while True:
            rows = lesson_rows(catalogue, store.load())
            resume = resume_candidate(rows)
            options: list[tuple[str, str]] = []
            if resume:
                options.append(("continue", f"Continue: {resume.title}"))
            options += [("choose", "Choose a lesson"), ("progress", "See my progress"),
                        ("safety", "Get urgent help (crisis lines)"), ("quit", "Quit")]
            out.line()
            out.note(safety.FOOTER)
            action = options[prompter.choose("What would you like to do?", [label for _, label in options])][0]
            if action == "quit":
                out.line("Goodbye. Your progress is saved.")
                return
            if action == "safety":
                out.line(safety.FULL_TEXT.rstrip())
                continue
            if action == "progress":
                for r in rows:
                    best = "-" if r.best_score is None else f"{round(r.best_score * 100)}%"
                    out.line(f"  {r.title}: {status_words[r.status]}, best {best}")
                continue
            if action == "continue" and resume:
                lesson_id = resume.id
            else:
                if not rows:
                    out.line("No lessons found.")
                    continue
                labels = [f"{r.title} ({status_words[r.status]}, {r.minutes} min)" for r in rows] + ["Back"]
                pick = prompter.choose("Which lesson?", labels)
                if pick == len(rows):
                    continue
                lesson_id = rows[pick].id
            Session(catalogue.find(lesson_id), store, prompter, out).run(with_sections=True)
    except KeyboardInterrupt:
        raise Interrupted("\nStopped. Your progress is saved.") from None
    except EOFError:
        raise EndOfInput("\nInput ended. Your progress is saved.") from None
