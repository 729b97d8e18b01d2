"""The Typer app: global options, command registration, and the single exit point `main`.

Commands live one per module in `neurotutor.cli.commands`; each imports what it needs inside its
function, so `--help`, `lessons`, `progress` and `validate` never load questionary.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from neurotutor import __version__
from neurotutor.cli.commands import (
    assign,
    assignment,
    caseload,
    checkin,
    exam,
    export_deck,
    history,
    home,
    journal,
    learn,
    lessons,
    lint,
    new,
    practice,
    progress,
    report,
    reset,
    review,
    safety,
    schema,
    settings,
    stats,
    therapist,
    transfer,
    validate,
)
from neurotutor.cli.settings import Settings

if TYPE_CHECKING:
    from neurotutor.errors import Problem

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
    add_completion=True,
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
    lessons_dir: list[Path] | None = typer.Option(None, "--lessons-dir", metavar="DIR", help="Also load lessons from this folder (repeatable).", file_okay=False),
    profile: str = typer.Option("default", "--profile", envvar="NEUROTUTOR_PROFILE", metavar="NAME", help="Keep separate progress for a separate person."),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback on unexpected errors."),  # read by main in argv
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Start the tutor. With no command, opens the home screen."""
    from neurotutor.cli.session import Session, session_of
    from neurotutor.paths import check_profile

    check_profile(profile)
    started = session_of(ctx)  # made by `_ended` before the arguments were read: an error is dated by its `now` too
    ctx.obj = Session(Settings(plain=plain, lessons_dirs=tuple(lessons_dir or ()), profile=profile), now=started.now)
    if ctx.obj.settings.plain_by_terminal:  # said once, before anything else is shown
        from neurotutor.cli.settings import NO_CURSOR

        print(_wrapped(NO_CURSOR), file=sys.stderr, flush=True)
    if ctx.invoked_subcommand is None:
        home.run(ctx)


app.command("lessons")(lessons.run)
app.command("learn")(learn.run)
app.command("quiz")(learn.run_quiz)
app.command("review")(review.run)
app.command("exam")(exam.run)
app.add_typer(exam.exams_app, name="exams")
app.add_typer(assignment.assignment_app, name="assignment")
app.add_typer(assign.assign_app, name="assign")
app.add_typer(therapist.therapist_app, name="therapist")
app.command("assignments")(assignment.list_assignments)
app.command("report")(report.run)
app.command("caseload")(caseload.run)
app.command("progress")(progress.run)
app.command("history")(history.run)
app.command("stats")(stats.run)
app.command("export")(transfer.export)
app.command("import")(transfer.import_)
app.command("reset")(reset.run)
app.command("safety")(safety.run)
app.command("checkin")(checkin.run)
app.command("checkins")(checkin.history)
app.command("practice", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(practice.run)
app.command("settings")(settings.run)
app.command("validate")(validate.run)
app.command("schema")(schema.run)
app.command("lint")(lint.run)
app.command("export-deck")(export_deck.run)
app.add_typer(new.new_app, name="new")
app.add_typer(journal.journal_app, name="journal")


STOPPED = "\nStopped."
INPUT_ENDED = "Input ended before an answer was given; nothing more was done."
UNEXPECTED = ("neurotutor hit an unexpected problem ({name}). Your saved progress is safe.\n"
              "Please report this; run the same command with --debug to see the details.")
BAD_CLOCK = ("The computer's clock says a date neurotutor cannot work with ({why}). Please set the right date "
             "and time, then run the command again. Your progress is safe.")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place that turns errors, Ctrl-C and end of input into messages and exit codes.

    Every message it prints goes to stderr, made safe (it may quote a file name or a lesson id).
    Under `--json` an error is instead the "error" document on stdout (docs/json.md), with the same
    exit code; only a clock Python cannot read, which leaves no time to date a document by, is
    still said on stderr.
    """
    from neurotutor.cli.output import fit_streams_to_encoding
    from neurotutor.errors import ExitCode
    from neurotutor.text import safe_text

    fit_streams_to_encoding()
    args = sys.argv[1:] if argv is None else argv
    clock = _clock_problem()
    ending = Ending(int(ExitCode.ERROR), BAD_CLOCK.format(why=clock)) if clock else _ended(args)
    code, message = ending.code, ending.message
    if code and message and ending.now is not None and json_requested(args):
        from neurotutor.envelope import error_document
        from neurotutor.text import safe_json

        document = error_document(ending.now, code, ending.kind, message.strip(), ending.problems)
        sys.stdout.write(safe_json(document.decode("utf-8")) + "\n")
        sys.stdout.flush()
    elif message:
        print(_wrapped(safe_text(message)), file=sys.stderr, flush=True)
    if code:
        sys.exit(code)


def _clock_problem() -> str:
    """Why the clock cannot be read, or "" when it can. Python cannot read a clock set past
    2262-04-11 (its nanoseconds overflow), so every command would fail on its first look at it:
    one look here turns that into one clear message."""
    import time
    from datetime import datetime

    try:
        time.time()
        datetime.now().astimezone()
    except (OverflowError, OSError, ValueError) as exc:
        return "it is past the year 2262 or otherwise out of range" if isinstance(exc, OverflowError) else str(exc)
    return ""


GLOBAL_FLAGS = ("--plain", "--debug")
GLOBAL_OPTIONS = {"--profile": "NAME", "--lessons-dir": "DIR"}  # each takes a value (its metavar)


def hoist_global_options(args: list[str], commands: set[str]) -> list[str]:
    """Move global options given after the command to before it, so `neurotutor progress
    --profile sam` means what it says (click only reads a group's options before its command).

    Nothing before the command moves, nothing after a literal `--` moves, and an option's value
    is never taken for the command (`--profile learn lessons` is the profile "learn"). An option
    with no value after it stays where it is, for click to report.
    """
    index = 0
    while index < len(args):  # find the command: the first word that is not an option or its value
        arg = args[index]
        if arg == "--":
            return args
        if arg in GLOBAL_OPTIONS:
            index += 2
            continue
        if arg.startswith("-"):
            index += 1
            continue
        break
    if index >= len(args) or args[index] not in commands:
        return args
    before, command, rest = args[:index], args[index], args[index + 1:]
    moved: list[str] = []
    kept: list[str] = []
    position = 0
    while position < len(rest):
        arg = rest[position]
        if arg == "--":
            kept += rest[position:]
            break
        name = arg.split("=", 1)[0]
        if arg in GLOBAL_FLAGS:
            moved.append(arg)
        elif name in GLOBAL_OPTIONS and "=" in arg:
            moved.append(arg)
        elif arg in GLOBAL_OPTIONS and position + 1 < len(rest) and rest[position + 1] != "--":
            moved += [arg, rest[position + 1]]
            position += 1
        else:
            kept.append(arg)
        position += 1
    return [*before, *moved, command, *kept]


def _wrapped(message: str) -> str:
    """A message wrapped at word boundaries to a terminal's width (a command to type, indented,
    goes on under itself: it is split only between its words)."""
    if not sys.stderr.isatty():
        return message
    import shutil
    import textwrap

    width = max(shutil.get_terminal_size((80, 24)).columns - 1, 20)
    lines = []
    for line in message.split("\n"):
        if len(line) <= width:
            lines.append(line)
        else:  # an indented line (a command to type) goes on under itself, split only between words
            indent = " " * (len(line) - len(line.lstrip(" ")))
            lines += textwrap.wrap(line, width, initial_indent="", subsequent_indent=indent + "  " if indent else "",
                                   break_long_words=False, break_on_hyphens=False, drop_whitespace=True)
    return "\n".join(lines)


@dataclass(frozen=True)
class Ending:
    """How a run ended: the exit code and the message for stderr, and for the error document under
    --json what kind of error it was (`neurotutor.envelope.ERROR_KINDS`), the problems of an
    invalid file, and the run's `now` (None: no session was begun)."""

    code: int
    message: str
    kind: str = "error"
    problems: tuple[Problem, ...] = ()
    now: datetime | None = None


def _run(args: list[str]) -> tuple[int, str]:
    """Run the app; returns the exit code and the message for stderr."""
    ending = _ended(args)
    return ending.code, ending.message


def _ended(args: list[str]) -> Ending:
    """Run the app without click's standalone mode (which would print "Aborted!" and exit on its own);
    returns how it ended."""
    import io

    from neurotutor.cli.session import Session
    from neurotutor.errors import ExitCode, InvalidFileError, NeurotutorError

    started = Session()  # its `now` is the command's (the root callback keeps it) and dates an error document

    def ended(code: int, message: str, kind: str = "error", problems: tuple[Problem, ...] = ()) -> Ending:
        return Ending(code, message, kind, problems, started.now)

    try:
        # Without standalone mode click raises its usage errors and Abort, and returns the code of
        # typer.Exit (0 for --help and --version). Typer still catches a KeyboardInterrupt raised
        # while parsing or running a command and returns 130 for it, with nothing printed; one at
        # click's own prompts (typer.confirm, typer.prompt) arrives here as Abort.
        commands = {c.name for c in app.registered_commands if c.name} | {g.name for g in app.registered_groups if g.name}
        returned = app(args=hoist_global_options(args, commands), prog_name="neurotutor", standalone_mode=False,
                       obj=started)
    except NeurotutorError as exc:
        from neurotutor.envelope import error_kind

        problems = tuple(exc.problems) if isinstance(exc, InvalidFileError) else ()
        return ended(int(exc.exit_code), exc.message, error_kind(exc), problems)
    except typer.Abort as exc:  # click turns Ctrl-C and end of input at its prompts into Abort
        if isinstance(exc.__context__, KeyboardInterrupt):
            return ended(int(ExitCode.INTERRUPTED), STOPPED, "interrupted")
        return ended(int(ExitCode.INPUT_ENDED), INPUT_ENDED, "end-of-input")
    except typer.TyperException as exc:  # click's usage errors: an unknown option, a missing argument...
        name = getattr(exc, "option_name", None)
        if name in GLOBAL_OPTIONS:  # left after the command because no value follows it
            exc.message = f"Option '{name}' needs a value: {name} {GLOBAL_OPTIONS[name]}."
            if hasattr(exc, "possibilities"):  # a NoSuchOption's "did you mean" list
                exc.possibilities = None
        if json_requested(args):  # the error alone: the usage line and "Try ... for help" are for a person
            return ended(int(exc.exit_code), exc.format_message(), "command-line")
        shown = io.StringIO()
        if hasattr(exc, "show"):
            exc.show(file=shown)  # the usage line, "Try 'neurotutor --help' for help." and the error
        else:
            shown.write(exc.format_message())
        return ended(int(exc.exit_code), shown.getvalue().rstrip("\n"), "command-line")
    except KeyboardInterrupt:
        return ended(int(ExitCode.INTERRUPTED), STOPPED, "interrupted")
    except EOFError:
        return ended(int(ExitCode.INPUT_ENDED), INPUT_ENDED, "end-of-input")
    except BrokenPipeError:
        return Ending(*_reader_gone())
    except SystemExit as exc:  # typer turns a closed pipe on stdout into exit 1, saying nothing
        if isinstance(exc.__context__, BrokenPipeError):
            return Ending(*_reader_gone())
        raise
    except Exception as exc:  # a bug: say so plainly, keep the learner's data private
        if "--debug" in args:
            raise
        return ended(int(ExitCode.ERROR), UNEXPECTED.format(name=type(exc).__name__), "unexpected")
    if returned == ExitCode.INTERRUPTED:  # typer's own Ctrl-C handling: Exit(130), no message
        return ended(int(ExitCode.INTERRUPTED), STOPPED, "interrupted")
    if isinstance(returned, int) and not isinstance(returned, bool):  # typer.Exit(code), --help, --version
        return ended(returned, "")
    return ended(int(ExitCode.OK), "")


def json_requested(args: list[str]) -> bool:
    """Whether the command line asks for JSON: `--json` given after the command, as an option of
    the command or of its group (`exams --json show ID`), not as the value of another option
    (`lessons --tag --json`) and not after `--`. A command without a --json option, or an unknown
    command, given `--json` also counts: whoever typed it reads JSON, and is told so in JSON."""
    if "--json" not in args:
        return False
    # typer's click objects are read by their attributes: this typer carries a click of its own
    top = typer.main.get_command(app)
    command: object = top  # None once the words are past any command
    words = hoist_global_options(args, set(getattr(top, "commands", {})))
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            return False
        if word.startswith("-") and word != "-":
            if word == "--json" and command is not top:
                return True
            name = word.split("=", 1)[0]
            option = next((p for p in getattr(command, "params", ()) if getattr(p, "param_type_name", "") == "option"
                           and name in (*p.opts, *p.secondary_opts)), None)
            if option is not None and not option.is_flag and not option.count and "=" not in word:
                index += max(option.nargs, 1)  # its value, even one that starts with "--"
            continue
        subcommands = getattr(command, "commands", None)
        if subcommands is not None and word in subcommands:
            command = subcommands[word]
        elif command is top:  # not a command: whatever follows may still ask for JSON
            command = None
    return False


def _reader_gone() -> tuple[int, str]:
    """Standard output is a pipe whose reader has gone (`neurotutor lessons | head -1`): the
    reader has all it wanted, so end quietly with status 0. What is still buffered goes to
    /dev/null, so Python's own flush at exit cannot complain about the pipe either."""
    import os

    from neurotutor.errors import ExitCode

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        stdout = sys.__stdout__
        if stdout is not None:
            os.dup2(devnull, stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass
    return int(ExitCode.OK), ""
