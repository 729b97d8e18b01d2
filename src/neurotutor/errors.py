"""The one error family: every problem a learner or author can cause, with its exit code.

Messages are written for the person at the keyboard, not for a developer. The CLI's single exit
point (`neurotutor.cli.app.main`) turns these into a message on stderr and the exit code below.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ExitCode(enum.IntEnum):
    """Exit codes, named so that tests and scripts can rely on them."""

    OK = 0
    ERROR = 1  # something went wrong that is not the user's input (or end of input mid-lesson)
    INVALID = 2  # a lesson file or a command line is not valid
    PROGRESS = 3  # the progress file cannot be read or written safely
    INPUT_ENDED = 4  # input ended (Ctrl-D, or the end of piped answers) while the tutor was asking
    INTERRUPTED = 130  # Ctrl-C


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file, at a line and column counted from 1 (0 when unknown)."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{self.path}: {self.message}"


class NeurotutorError(Exception):
    """Base of every error the tutor reports to the user as a message."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(NeurotutorError):
    """The command line asks for something that does not exist or does not fit."""

    exit_code = ExitCode.INVALID


class UnknownLessonError(UsageError):
    """A lesson id that is not in the catalogue."""


class ProgressError(NeurotutorError):
    """The progress file cannot be read or written safely (newer version, permissions, lock)."""

    exit_code = ExitCode.PROGRESS


class Interrupted(NeurotutorError):
    """The learner pressed Ctrl-C; what they answered is already saved."""

    exit_code = ExitCode.INTERRUPTED


class EndOfInput(NeurotutorError):
    """Standard input ended (Ctrl-D) while the tutor was asking; what was answered is already saved."""

    exit_code = ExitCode.INPUT_ENDED


class Stopped(NeurotutorError):
    """The person chose to stop (q, or `q` typed): not a failure, nothing is lost, status 0.
    `said`: the place and the command that continues are already on the screen."""

    exit_code = ExitCode.OK

    def __init__(self, message: str = "Stopped. Nothing more was done.", said: bool = False) -> None:
        super().__init__("" if said else message)
        self.said = said


class SealError(NeurotutorError):
    """A sealed report that cannot be opened here (sealed to another key, damaged), or a key file
    that cannot be used."""

    exit_code = ExitCode.INVALID


class InvalidFileError(NeurotutorError):
    """A file the tutor was given (an import, a lesson that changed while in use) is not valid;
    carries every problem found, with positions."""

    exit_code = ExitCode.INVALID

    def __init__(self, problems: list[Problem], summary: str = "") -> None:
        self.problems = problems
        lines = [str(p) for p in problems] + ([summary] if summary else [])
        super().__init__("\n".join(lines))
