"""What the tutor says comes next, after a lesson, a retry or a review: the next lesson to take
and the questions due for review, each with the command that does it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neurotutor.cli.output import Output
    from neurotutor.cli.session import Session

Line = tuple[str, "str | None"]  # a sentence, and the command it names (None: nothing to type)


def next_lines(session: Session, after: str | None = None, reviews: bool = True) -> list[Line]:
    """The next lesson (never `after`, a lesson just finished) and, with `reviews`, what is due."""
    from neurotutor import dates
    from neurotutor.cli.review_screen import when
    from neurotutor.progress.summary import next_step

    moment = session.clock()
    day = session.day(moment)
    step = next_step(session.catalogue, session.reload(), day, dates.local(moment).date(), after)
    lines: list[Line] = []
    if step.number is not None:
        what = ("Next, from your assignment:" if step.assigned else "Next, go on with:" if step.started
                else "Next in the suggested order:")
        lines.append((f"{what} {step.number}. {step.title}", session.command("learn", str(step.number))))
    else:
        lines.append(("You have taken every lesson. To test yourself across them:", session.command("exam")))
    if reviews and step.due:
        lines.append((f"{step.due} question{'s' if step.due != 1 else ''} due for review today:",
                      session.command("review")))
    elif reviews and step.next_due is not None:
        lines.append((f"Your next review: {when(step.next_due, day)}.", None))
    return lines


def show(out: Output, lines: list[Line]) -> None:
    """Each sentence, with its command under it."""
    for text, command in lines:
        if command is None:
            out.line(text)
        else:
            out.command(text, command)
