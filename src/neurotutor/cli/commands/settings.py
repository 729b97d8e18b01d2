"""`neurotutor settings`: this profile's study settings (review retention, confidence ratings)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.progress.model import Progress

RETENTION = (0.7, 0.97)


def _finite_retention(value: float | None) -> float | None:
    """click's range check lets nan through (every comparison with it is false): refuse it in the same words."""
    import math

    if value is not None and not math.isfinite(value):
        raise typer.BadParameter(f"{value} is not in the range {RETENTION[0]}<=x<={RETENTION[1]}.")
    return value


def run(
    ctx: typer.Context,
    retention: float | None = typer.Option(
        None, "--retention", metavar="R", min=RETENTION[0], max=RETENTION[1], callback=_finite_retention,
        help="Desired retention for review, 0.7-0.97 (default 0.9): higher means more reviews, fewer forgotten."),
    confidence: bool | None = typer.Option(
        None, "--confidence/--no-confidence", help="Ask how sure you were after each answer, in every mode."),
    json: bool = typer.Option(False, "--json", help="Print JSON for scripts (docs/json.md)."),
) -> None:
    """Show or change this profile's study settings.

    Example: neurotutor settings --retention 0.85 --confidence
    """
    from msgspec import structs

    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    settings, out, store, progress = s.settings, s.out, s.store, s.progress
    changed = retention is not None or confidence is not None
    if changed:
        def change(p: Progress) -> Progress:
            new = p.settings
            if retention is not None:
                new = structs.replace(new, desired_retention=round(retention, 4))
            if confidence is not None:
                new = structs.replace(new, ask_confidence=confidence)
            return structs.replace(p, settings=new)

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
                  else "off")])
    if not changed:
        out.command("To change them, for example:",
                    s.command("settings", "--retention", "0.85",
                                  "--no-confidence" if current.ask_confidence else "--confidence"))
    if retention is not None:
        out.note("The new retention applies from each question's next review.")
