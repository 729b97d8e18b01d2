"""`neurotutor settings`: this profile's study settings (review retention, confidence ratings, when a
study day starts, an exam date)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from datetime import date

    from neurotutor.progress.model import Progress

RETENTION = (0.7, 0.97)


def _finite_retention(value: float | None) -> float | None:
    """click's range check lets nan through (every comparison with it is false): refuse it in the same words."""
    import math

    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not in the range {RETENTION[0]}<=x<={RETENTION[1]}.")
    return value


def _exam_date(text: str, today: date) -> date | None:
    """The --exam-date value: a date after today, or none."""
    from datetime import date as date_

    if text.strip().lower() in ("none", "no", "off", ""):
        return None
    try:
        when = date_.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2027-02-01 (or 'none')",
                                 param_hint="'--exam-date'") from None
    if when <= today:
        raise typer.BadParameter(f"{when.isoformat()} is not after today ({today.isoformat()})",
                                 param_hint="'--exam-date'")
    return when


def run(
    ctx: typer.Context,
    retention: float | None = typer.Option(
        None, "--retention", metavar="R", min=RETENTION[0], max=RETENTION[1], callback=_finite_retention,
        help="Desired retention for review, 0.7-0.97 (default 0.9): higher means more reviews, fewer forgotten."),
    confidence: bool | None = typer.Option(
        None, "--confidence/--no-confidence", help="Ask how sure you were after each answer, in every mode."),
    day_starts_at: int | None = typer.Option(
        None, "--day-starts-at", metavar="HOUR", min=0, max=23,
        help="The hour (0-23) your study day begins (default 4): questions due today can be done until then."),
    exam_date: str | None = typer.Option(
        None, "--exam-date", metavar="YYYY-MM-DD",
        help="Bring every review back before this date (for an exam); 'none' to clear it."),
    reschedule: bool = typer.Option(
        False, "--reschedule", help="Work out again when each question comes back, for the retention and exam date now set."),
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md)."),
) -> None:
    """Show or change this profile's study settings.

    Example: neurotutor settings --retention 0.85 --confidence --exam-date 2027-02-01
    """
    from msgspec import structs

    from neurotutor import dates
    from neurotutor.cli.session import local_offset, session_of
    from neurotutor.study import schedule

    s = session_of(ctx)
    settings, out, store, progress = s.settings, s.out, s.store, s.progress
    exam = _exam_date(exam_date, dates.local(s.now).date()) if exam_date is not None else None
    changed = any(x is not None for x in (retention, confidence, day_starts_at, exam_date)) or reschedule
    moved = 0
    if changed:
        def change(p: Progress) -> Progress:
            nonlocal moved
            new = p.settings
            if retention is not None:
                new = structs.replace(new, desired_retention=round(retention, 4))
            if confidence is not None:
                new = structs.replace(new, ask_confidence=confidence)
            if day_starts_at is not None:
                new = structs.replace(new, day_starts_at=day_starts_at)
            if exam_date is not None:
                new = structs.replace(new, exam_date=exam)
            cards = p.cards
            if reschedule:
                before = schedule.exam_cutoff(new.exam_date, local_offset(), new.day_starts_at)
                cards = {q: schedule.rescheduled(c, q, new.desired_retention, before) for q, c in p.cards.items()}
                moved = sum(1 for q, c in cards.items() if c.due != p.cards[q].due)
            return structs.replace(p, settings=new, cards=cards)

        progress = store.update(change, keep_if_busy=False)
    s.show_notices()
    current = progress.settings
    if json:
        from neurotutor.envelope import encode_document

        out.json(encode_document("settings", s.now, {"profile": settings.profile, "settings": current}))
        return
    if changed:
        out.line("Saved.")
    out.records([("profile", settings.profile),
                 ("desired retention", f"{current.desired_retention:g} (questions come back when you are likely to still "
                                       f"know about {round(current.desired_retention * 100)}% of them)"),
                 ("confidence ratings", "on: asked after each answer" if current.ask_confidence
                  else "off"),
                 ("study day starts", f"{current.day_starts_at:02d}:00 (questions due today can be done until then)"),
                 ("exam date", f"{current.exam_date.isoformat()} (reviews come back before it)" if current.exam_date
                  else "none")])
    if not changed:
        out.command("To change them, for example:",
                    s.command("settings", "--retention", "0.85",
                                  "--no-confidence" if current.ask_confidence else "--confidence"))
    if reschedule:
        out.line(f"Rescheduled: {moved} question{'s' if moved != 1 else ''} now come{'s' if moved == 1 else ''} back "
                 "on a new day.")
    elif (retention is not None or exam_date is not None) and progress.cards:
        out.line("Questions already scheduled keep their dates until their next review.")
        out.command("To work their dates out again now:", s.command("settings", "--reschedule"))
