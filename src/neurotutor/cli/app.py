"""The Typer app: global options, command registration, and the single exit point `main`.

Commands live one per module in `neurotutor.cli.commands`; each imports what it needs inside its
function, so `--help`, `lessons`, `progress` and `validate` never load questionary.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from neurotutor import __version__
from neurotutor.cli.commands import history, home, learn, lessons, progress, reset, safety, transfer, validate
from neurotutor.cli.settings import Settings

ANSWER_HELP = (
    "In --plain mode (or when input is not a terminal) answers are typed as text: "
    "a number (2) for single choice; numbers (1,3 or 1 3) for multiple select; "
    "t or f for true/false; the shown numbers in order (3 1 2) for ordering; "
    "number-letter pairs (1b 2a 3c) for matching; free text for short answers."
)

app = typer.Typer(
    name="neurotutor",
    help=(
        "A tutor on how psychotherapy changes the brain. Education, not therapy: "
        "if you are in crisis, run 'neurotutor safety'.\n\n" + ANSWER_HELP
    ),
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"neurotutor {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    plain: bool = typer.Option(False, "--plain", help="Plain numbered prompts and undecorated output (screen readers, scripts)."),
    lessons_dir: Optional[List[Path]] = typer.Option(None, "--lessons-dir", metavar="DIR", help="Also load lessons from this folder (repeatable).", file_okay=False),
    profile: str = typer.Option("default", "--profile", envvar="NEUROTUTOR_PROFILE", metavar="NAME", help="Keep separate progress for a separate person."),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback on unexpected errors."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Start the tutor. With no command, opens the home screen."""
    from neurotutor.paths import check_profile

    check_profile(profile)
    ctx.obj = Settings(plain=plain, lessons_dirs=tuple(lessons_dir or ()), profile=profile, debug=debug)
    if ctx.invoked_subcommand is None:
        home.run(ctx)


app.command("lessons")(lessons.run)
app.command("learn")(learn.run)
app.command("quiz")(learn.run_quiz)
app.command("progress")(progress.run)
app.command("history")(history.run)
app.command("export")(transfer.export)
app.command("import")(transfer.import_)
app.command("reset")(reset.run)
app.command("safety")(safety.run)
app.command("validate")(validate.run)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place that turns errors into messages and exit codes."""
    from neurotutor.errors import ExitCode, NeurotutorError

    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="neurotutor")
    except NeurotutorError as exc:
        print(exc.message, file=sys.stderr, flush=True)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        sys.exit(int(ExitCode.INTERRUPTED))
    except Exception as exc:  # a bug: say so plainly, keep the learner's data private
        if "--debug" in args:
            raise
        print(
            f"neurotutor hit an unexpected problem ({type(exc).__name__}). Your saved progress is safe.\n"
            "Please report this; run the same command with --debug to see the details.",
            file=sys.stderr,
        )
        sys.exit(int(ExitCode.ERROR))
