"""`neurotutor stats`: mastery, days studied and streaks, accuracy, exams, calibration, misconceptions.

The statistics are built by `neurotutor.stats.build` (pure) and drawn by `neurotutor.cli.stats_view`.
"""

from __future__ import annotations

import typer

EMPTY = ("No answers yet, so there is nothing to show. After your first lesson this screen shows how many "
         "questions you have mastered, the days you studied and your streaks, how your accuracy changes week "
         "by week, your exams, how well your confidence matches your results, and the misconceptions you "
         "chose most.")


def run(
    ctx: typer.Context,
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md)."),
    lesson: str | None = typer.Option(None, "--lesson", metavar="ID", help="Only this lesson's answers and cards."),
    everything: bool = typer.Option(False, "--all", help="Everything: each lesson, the calendar, accuracy by week, "
                                                         "confidence in detail, where each wrong idea is corrected."),
) -> None:
    """Show your statistics: mastery, days studied and streaks, accuracy by week, exams,
    calibration of your confidence, and the misconceptions you chose most (dates in your local time).

    Example: neurotutor stats --all --lesson reconsolidation-conditions
    """
    from neurotutor.cli.session import session_of
    from neurotutor.cli.stats_view import show_stats, show_summary
    from neurotutor.stats.build import build_stats, lesson_facts, to_json

    s = session_of(ctx)
    if lesson is not None:
        s.find(lesson)
    s.greet()
    totals = s.totals()
    chosen_in = {lid for lid, tally in totals.lessons.items() if tally.misconceptions and lesson in (None, lid)}
    stats = build_stats(s.progress, totals, lesson_facts(s.catalogue, chosen_in), s.now, totals.default_offset, lesson)
    if json:
        s.out.json(to_json(stats))
    elif stats.answers and everything and s.out.decorated:  # a terminal: a page at a time, as reading is
        with s.out.captured() as lines:
            show_stats(s.out, s.settings, stats)
        while lines and not lines[0].strip():
            lines.pop(0)
        with s.stoppable(lambda first: f"{first}."):
            s.prompter.page(lines, "done", wait=False)
    elif stats.answers and everything:
        show_stats(s.out, s.settings, stats)
    elif stats.answers:
        show_summary(s.out, s.settings, stats)
    elif lesson is None:
        s.out.line(EMPTY)
        s.out.command("Start with a lesson:", s.command("learn", s.first_lesson()))
    else:
        s.out.line(f"No answers yet in {lesson}. After you take it, this screen shows what you have mastered in "
                   "it, your accuracy, your calibration and the misconceptions you chose.")
        s.out.command("Take it:", s.command("learn", lesson))
