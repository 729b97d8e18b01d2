"""What commands share: the output writer, the catalogue and the progress store for the settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor import files, paths
from neurotutor.cli.output import Output
from neurotutor.cli.settings import Settings
from neurotutor.lessons.loader import Catalogue, load_catalogue
from neurotutor.progress.model import Progress
from neurotutor.progress.store import ProgressStore

if TYPE_CHECKING:
    from neurotutor.cli.prompters import Prompter
    from neurotutor.stats.tallies import Tallies


def output_for(settings: Settings) -> Output:
    """The output writer for these settings (decorated on a terminal unless --plain)."""
    return Output(decorated=settings.decorated)


def catalogue_for(settings: Settings, out: Output) -> Catalogue:
    """Load every lesson; broken files are reported on stderr and left out, never fatal."""
    catalogue = load_catalogue(paths.builtin_lessons_dir(), paths.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                               cache_dir=paths.cache_dir())
    if catalogue.problems:
        first = {}
        for problem in catalogue.problems:
            first.setdefault(problem.path, problem)
        out.warn(f"Some lessons could not be loaded ({len(first)} file{'s' if len(first) != 1 else ''} or folder"
                 f"{'s' if len(first) != 1 else ''}); the others work as usual:")
        for problem in first.values():
            out.warn(f"  {problem}")
        from neurotutor.cli import hints

        out.warn(f"Run '{hints.command(settings, 'validate')}' to see every problem.")
    return catalogue


def builtin_lessons(catalogue: Catalogue) -> dict[str, Path]:
    """The built-in lessons of a catalogue: id -> file."""
    home = paths.builtin_lessons_dir().resolve()
    return {e.info.id: e.path for e in catalogue.lessons if e.path.resolve().parent == home}


def write_file(path: Path, data: bytes, shared: bool = False) -> Path:
    """Write a file the user named (a report, an export, a schema...), atomically and readable only
    by them, or by others too when it is meant to be handed over (shared). A folder that does not
    exist or cannot be written is the user's to fix: a UsageError that says so, nothing written."""
    from neurotutor.errors import UsageError

    target = path.expanduser()
    if not target.parent.is_dir():
        raise UsageError(f"Cannot write {target}: the folder {target.parent} does not exist.")
    try:
        files.atomic_write(target, data)
        if shared:
            target.chmod(0o644)
    except OSError as exc:
        raise UsageError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    return target


def store_for(settings: Settings) -> ProgressStore:
    """The progress store of the selected profile; data folders readable by others are tightened."""
    store = ProgressStore(paths.progress_file(settings.profile))
    store.notices.extend(files.secure_folders(paths.data_folders(settings.profile)))
    return store


def totals_for(store: ProgressStore) -> Tallies:
    """The running totals of the answer history (`stats` and `report` share them and their cache);
    local days are counted in the current offset from UTC for answers recorded without one."""
    from datetime import datetime

    from neurotutor.progress.model import utc_offset_minutes
    from neurotutor.stats.tallies import refresh

    offset = utc_offset_minutes(datetime.now().astimezone()) or 0
    return refresh(store.history_path, paths.stats_cache_file(store.path), offset)  # only new answers are read


def show_notices(store: ProgressStore, out: Output) -> None:
    """Tell the learner about anything the store had to recover."""
    for notice in store.notices:
        out.warn(notice)
    store.notices.clear()


def first_run_notice(store: ProgressStore, out: Output, progress: Progress, prompter: Prompter | None = None) -> None:
    """Show the short safety notice once per profile, whichever command a person runs first.

    In the study flow and the home screen it is a screen of its own with a pause. Other commands
    print it on stderr when that is a terminal (so `--json` output stays clean); with stderr
    piped no person is reading, so it is kept for later. It is remembered as seen only once shown;
    a busy or unwritable progress file just means it is shown again next time.
    """
    import sys

    from neurotutor import safety
    from neurotutor.errors import NeurotutorError
    from neurotutor.progress import model as pm

    if progress.notice_seen:
        return
    if prompter is not None:
        out.heading("Before you start")
        out.line(safety.SHORT_NOTICE)
        prompter.pause("Press Enter to go on.")
    elif sys.stderr.isatty():
        out.warn(f"Before you start: {safety.SHORT_NOTICE}")
    else:
        return
    try:
        store.update(pm.mark_notice_seen, keep_if_busy=False)
    except NeurotutorError:
        pass
    store.notices.clear()
