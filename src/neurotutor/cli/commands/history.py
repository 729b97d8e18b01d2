"""`neurotutor history`: every recorded answer, newest last."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.cli.session import Session


def _prompts(s: Session, lesson_ids: set[str]) -> dict[tuple[str, str], str]:
    """The first line of each question's prompt, for the lessons loaded now (a question of a lesson
    not loaded, or removed since, is shown by its id)."""
    from neurotutor.errors import NeurotutorError
    from neurotutor.plaintext import inline_text

    found: dict[tuple[str, str], str] = {}
    for lesson_id in sorted(lesson_ids):
        entry = s.catalogue.get(lesson_id)
        if entry is None:
            continue
        try:
            lesson = s.catalogue.load(entry).lesson
        except NeurotutorError:
            continue
        for q in lesson.questions:
            line = inline_text(q.prompt.strip().splitlines()[0]) if q.prompt.strip() else q.id
            found[(lesson_id, q.id)] = line if len(line) <= 70 else line[:69].rstrip() + "\u2026"
    return found


def run(
    ctx: typer.Context,
    lesson: str | None = typer.Option(None, "--lesson", metavar="ID", help="Only this lesson's answers."),
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md)."),
) -> None:
    """Show every answer you have given, oldest first and newest last, in your local time.

    Example: neurotutor history --lesson cbt-basics
    """
    from neurotutor.cli.session import session_of
    from neurotutor.dates import local

    s = session_of(ctx)
    out, store = s.out, s.store
    attempts = store.read_history()
    s.show_notices()
    s.greet()
    if lesson is not None:
        attempts = [a for a in attempts if a.lesson == lesson]
    attempts.sort(key=lambda a: a.at)  # imports may append older answers after newer ones
    if json:
        from neurotutor.envelope import encode_document

        out.json(encode_document("history", s.now, {"lesson": lesson, "attempts": attempts}))
        return
    if not attempts:
        out.line("No answers recorded yet" + (f" for '{lesson}'." if lesson else "."))
        return
    prompts = _prompts(s, {a.lesson for a in attempts})
    rows = []
    for a in attempts:
        if a.correct:
            result = "right"
        elif a.answer is not None and a.answer.__struct_config__.tag == "dont_know":
            result = "didn't know"
        elif a.credit:
            result = f"partly ({round(a.credit * 100)}%)"
        else:
            result = "wrong"
        mode = f"pass {a.run}" if a.mode == "lesson" and a.run else a.mode
        rows.append([local(a.at).strftime("%Y-%m-%d %H:%M"), a.lesson, prompts.get((a.lesson, a.question), a.question),
                     mode, result, a.answer_text])
    said = f"{len(attempts)} answer{'s' if len(attempts) != 1 else ''}, kept in {store.history_path}"
    if out.decorated:  # a terminal: one short record per answer, wrapped to its width, a page at a time
        lines = out.record_lines([(f"{when}  {lesson}  ({mode})  {question}", f"{result}: {answer}")
                                  for when, lesson, question, mode, result, answer in rows]) + [said]
        with s.stoppable(lambda first: f"{first}."):
            s.prompter.page(lines, "done", wait=False)
        return
    out.columns(["when (local time)", "lesson", "question", "asked in", "result", "your answer"], rows)  # scripts
    out.note(said)
