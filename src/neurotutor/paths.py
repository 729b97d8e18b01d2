"""Where neurotutor's files live. No other module builds a data path.

`NEUROTUTOR_HOME` overrides the data folder (default: the platform's user data dir);
`NEUROTUTOR_LESSONS_PATH` adds lesson folders (separated by os.pathsep).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from neurotutor.errors import UsageError

PROFILE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")  # used with fullmatch: `$` would let a final "\n" by
DEFAULT_PROFILE = "default"


def home() -> Path:
    """The folder that holds the learner's progress files."""
    env = os.environ.get("NEUROTUTOR_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs  # only needed when NEUROTUTOR_HOME is not set

    return Path(platformdirs.user_data_dir("neurotutor", appauthor=False))


def check_profile(name: str) -> str:
    """Return the profile name if it is usable in a file name, else raise UsageError."""
    if not PROFILE_PATTERN.fullmatch(name):
        raise UsageError(
            f"Profile name {name!r} is not allowed: use 1-40 lowercase letters, digits, '-' or '_', "
            "starting with a letter or digit (for example: --profile sam)."
        )
    return name


def progress_file(profile: str = DEFAULT_PROFILE) -> Path:
    """The progress file of a profile: progress.json for the default one."""
    check_profile(profile)
    if profile == DEFAULT_PROFILE:
        return home() / "progress.json"
    return home() / "profiles" / profile / "progress.json"


def history_file(progress: Path) -> Path:
    """The append-only answer history kept beside a progress file."""
    return progress.with_name("history.jsonl")


def pending_prefix(progress: Path) -> str:
    """Name prefix of answers kept aside when the progress file was too busy to save them."""
    return progress.name + ".pending-"


def stats_cache_file(progress: Path) -> Path:
    """Running totals of the history for `neurotutor stats` (rebuilt whenever it does not match)."""
    return progress.with_name("stats-cache.json")


def backup_file(progress: Path) -> Path:
    """The last-known-good copy kept beside a progress file."""
    return progress.with_name(progress.name + ".bak")


def lock_file(progress: Path) -> Path:
    """The lock file that serialises writers of a progress file."""
    return progress.with_name(progress.name + ".lock")


def builtin_lessons_dir() -> Path:
    """The lessons shipped with the package (or the checkout's lessons/ when run from source)."""
    packaged = Path(__file__).resolve().parent / "builtin_lessons"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "lessons"


def templates_dir() -> Path:
    """The report templates shipped with the package."""
    return Path(__file__).resolve().parent / "templates"


def user_lesson_dirs(cli_dirs: list[Path] | None = None, profile: str | None = None) -> list[Path]:
    """Extra lesson folders: those given on the command line, then NEUROTUTOR_LESSONS_PATH, then
    the profile's own lessons folder (lessons that came with an assignment), when it exists."""
    dirs = list(cli_dirs or [])
    for part in os.environ.get("NEUROTUTOR_LESSONS_PATH", "").split(os.pathsep):
        if part.strip():
            dirs.append(Path(part.strip()).expanduser())
    if profile is not None:
        try:
            if profile_lessons_dir(profile).is_dir():
                dirs.append(profile_lessons_dir(profile))
        except OSError:  # a data folder we may not look into: the store says so, clearly, when it is used
            pass
    return dirs


def profile_lessons_dir(profile: str = DEFAULT_PROFILE) -> Path:
    """The profile's own lessons: the lesson files bundled with the assignments it added."""
    return progress_file(profile).parent / "lessons"


def data_folders(profile: str = DEFAULT_PROFILE) -> list[Path]:
    """The folders that hold a profile's private files, from the data folder down."""
    folders = [home()]
    if profile != DEFAULT_PROFILE:
        folders += [home() / "profiles", progress_file(profile).parent]
    return folders


def cache_dir() -> Path:
    """Disposable cached data (the parsed lesson catalogue); safe to delete at any time."""
    return home() / "cache"


def therapist_key_file() -> Path:
    """The therapist's secret key (0600), which opens the reports sealed to them."""
    return home() / "therapist" / "key.txt"


def journal_file(progress: Path) -> Path:
    """The learner's private journal (worksheets filled in) beside a progress file."""
    return progress.with_name("journal.jsonl")


def journal_key_file(beside: Path) -> Path:
    """The locked journal's key: its secret key sealed with the learner's passphrase (age, scrypt),
    beside the progress file and the journal (either may be given)."""
    return beside.with_name("journal-key.age")


def checkins_file(progress: Path) -> Path:
    """The learner's check-in answers (PHQ-8, GAD-7) beside a progress file."""
    return progress.with_name("checkins.jsonl")


def builtin_worksheets_dir() -> Path:
    """The worksheets shipped with the package (or the checkout's worksheets/ when run from source)."""
    packaged = Path(__file__).resolve().parent / "builtin_worksheets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "worksheets"
