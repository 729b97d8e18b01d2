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
    by them, or by others too when it is meant to be handed over (shared: 0644 at most, less if
    the umask says so). Returns the path as given.

    Refused, with nothing written: a path inside the data folder (it could replace the progress or
    the answers), a folder that does not exist, a disk device or a socket. An existing terminal,
    device or FIFO (/dev/stdout, a named pipe) is written into, never replaced; a link to a file
    is kept and the file it points to written. Every failure is a UsageError that says why."""
    import os
    import stat

    from neurotutor.errors import UsageError

    target = check_outside_data(path)
    try:
        kind = os.stat(target).st_mode
    except FileNotFoundError:
        kind = None
    except OSError as exc:
        raise UsageError(f"Cannot write {target}: {_reason(exc, target, target.parent)}.") from None
    if kind is not None and not stat.S_ISREG(kind):
        if stat.S_ISDIR(kind):
            raise UsageError(f"Cannot write {target}: it is a folder.")
        if stat.S_ISBLK(kind):
            raise UsageError(f"Cannot write {target}: it is a disk device, not a file.")
        if stat.S_ISSOCK(kind):
            raise UsageError(f"Cannot write {target}: it is a socket, not a file.")
        if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind):
            try:
                if files.write_into(target, data):
                    return target
            except OSError as exc:
                raise UsageError(f"Cannot write {target}: {_stream_reason(exc, stat.S_ISFIFO(kind))}.") from None
        else:
            raise UsageError(f"Cannot write {target}: it is not a file.")
    real = Path(os.path.realpath(target))  # a link is kept: the file it points to is replaced
    folder = real.parent if os.path.islink(target) else target.parent  # named as the user knows it
    if not real.parent.is_dir():
        raise UsageError(f"Cannot write {target}: the folder {folder} does not exist.")
    try:
        files.atomic_write(real, data, mode=files.shared_mode(0o644) if shared else files.PRIVATE_FILE)
    except OSError as exc:
        raise UsageError(f"Cannot write {target}: {_reason(exc, target, folder)}.") from None
    return target


def may_replace(settings: Settings, out: Output, target: Path, what: str, yes: bool = False) -> bool:
    """Whether to write a user-named output file: one inside the data folder is refused at once
    (before anything is asked), and an existing file is replaced only if the person says so in a
    terminal (--yes, or no terminal, replaces it). When not, says that nothing was written."""
    check_outside_data(target)
    if not target.exists() or not settings.interactive or yes:
        return True
    from neurotutor.cli.prompters import make_prompter

    try:
        replace = make_prompter(True, out).confirm(f"{target} exists. Replace it?")
    except (KeyboardInterrupt, EOFError):
        replace = False
    if not replace:
        out.line(f"No {what} was written. Give another name with -o.")
    return replace


def check_outside_data(path: Path) -> Path:
    """The path the user gave (with ~ expanded), if writing it cannot touch the data folder (links
    followed, the same folder reached by another name included); else a UsageError that says why."""
    import os

    from neurotutor.errors import UsageError

    target = path.expanduser()
    home = paths.home().expanduser()
    real_home = Path(os.path.realpath(home))
    real = Path(os.path.realpath(target))
    inside = real == real_home or real_home in real.parents
    if not inside:
        try:
            home_id = os.stat(real_home)
        except OSError:
            home_id = None
        for folder in (real, *real.parents) if home_id else ():
            try:
                st = os.stat(folder)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == (home_id.st_dev, home_id.st_ino):  # type: ignore[union-attr]
                inside = True
                break
    if inside:
        raise UsageError(f"Cannot write {target}: it is inside neurotutor's data folder {home}, where it could "
                         "replace your progress or answers. Choose a file outside that folder.")
    return target


def _reason(exc: OSError, target: Path, folder: Path) -> str:
    """Why a file could not be written, in words (the temp file's name never shows)."""
    import errno
    import os

    code = exc.errno
    kept = f"{target} was not changed" if os.path.lexists(target) else "Nothing was written"
    if code == errno.ENOSPC:
        return f"the disk is full. {kept}; free some space and try again"
    if code == getattr(errno, "EDQUOT", None):
        return f"your disk quota is used up. {kept}; free some space and try again"
    if code == errno.EROFS:
        return f"the folder {folder} is on a read-only disk"
    if code in (errno.EACCES, errno.EPERM):
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"the folder {folder} is not writable by you"
        if os.path.lexists(target):
            return "it belongs to another user, and you may not replace it"
    if code == errno.ENAMETOOLONG:
        return "the name is too long"
    if code == errno.ENOTDIR:
        return f"{folder} is not a folder"
    return f"{exc.strerror or exc}"


def _stream_reason(exc: OSError, fifo: bool) -> str:
    """Why a device or a named pipe could not be written, in words."""
    import errno

    if exc.errno == errno.ENXIO and fifo:
        return "no program is reading from it (start the reader first)"
    if exc.errno == errno.EPIPE:
        return "the program reading from it stopped"
    if exc.errno == errno.ENOSPC:
        return "there is no space left on it"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "you may not write to it"
    if exc.errno in (errno.ENXIO, errno.ENODEV):
        return "there is no such device"
    return f"{exc.strerror or exc}"


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
