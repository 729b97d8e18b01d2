"""Writing the files a person names (reports, exports, schemas, assignments): where they may go,
asking before one is replaced, and saying in words why one could not be written."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from neurotutor import files, paths

if TYPE_CHECKING:
    from neurotutor.cli.session import Session


@dataclass(frozen=True)
class Written:
    """Where write_file put the bytes: `private` when it made or replaced a file that only you can
    read; `stdout` when the name stood for this command's own standard output."""

    path: Path
    private: bool = False
    stdout: bool = False


STDOUT = "-"  # a file name that means standard output


def write_file(path: Path, data: bytes, shared: bool = False) -> Written:
    """Write a file the user named (a report, an export, a schema...), atomically and readable only
    by them, or by others too when it is meant to be handed over (shared: 0644 at most, less if
    the umask says so).

    Where it goes is found once (files.destination) and written there: a link swapped in
    meanwhile changes nothing. Refused, with nothing written: a path inside the data folder (it
    could replace the progress or the answers), a link made by another user, a folder that does
    not exist, a disk device or a socket. A name for an open stream (/dev/stdout, /dev/fd/N) is
    written to that stream as it is open (a shell's >> keeps appending); an existing terminal,
    device or FIFO is written into, never replaced; a link of yours to a file is kept and the
    file it points to written. Every failure is a UsageError that says why."""
    import errno
    import os
    import stat

    from neurotutor.errors import UsageError

    if str(path) == STDOUT:  # "-": standard output, as every command that writes a file takes it
        import sys

        try:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        except OSError as exc:
            raise UsageError(f"Cannot write to standard output: {_stream_reason(exc, False)}.") from None
        return Written(path, stdout=True)
    target = path.expanduser()
    try:
        with files.destination(target) as dest:
            check_outside_data(target, dest.path)
            if dest.stream is not None:
                try:
                    files.write_stream(dest.stream, data)
                except OSError as exc:
                    raise UsageError(f"Cannot write {target}: {_stream_reason(exc, False)}.") from None
                return Written(target, stdout=dest.stream == 1)
            folder = dest.path.parent if os.path.islink(target) else target.parent  # as the user knows it
            if dest.folder is not None and _inside_data_fd(dest.folder):  # however the folder was reached
                raise UsageError(_inside_message(target))
            try:
                kind = (os.stat(dest.name, dir_fd=dest.folder, follow_symlinks=False).st_mode if dest.name
                        else stat.S_IFDIR)  # "/" itself
            except FileNotFoundError:
                kind = None
            except OSError as exc:
                raise UsageError(f"Cannot write {target}: {_reason(exc, target, folder)}.") from None
            if kind is not None and stat.S_ISLNK(kind):
                raise UsageError(f"Cannot write {target}: it became a link just as it was to be written (is another "
                                 "program changing it?). Nothing was written.")
            if kind is not None and not stat.S_ISREG(kind):
                if stat.S_ISDIR(kind):
                    raise UsageError(f"Cannot write {target}: it is a folder.")
                if stat.S_ISBLK(kind):
                    raise UsageError(f"Cannot write {target}: it is a disk device, not a file.")
                if stat.S_ISSOCK(kind):
                    raise UsageError(f"Cannot write {target}: it is a socket, not a file.")
                if stat.S_ISCHR(kind) or stat.S_ISFIFO(kind):
                    try:
                        if files.write_into(dest.name, data, dir_fd=dest.folder):
                            return Written(target)
                    except OSError as exc:
                        why = _stream_reason(exc, stat.S_ISFIFO(kind))
                        raise UsageError(f"Cannot write {target}: {why}.") from None
                raise UsageError(f"Cannot write {target}: it is not a file.")
            mode = files.shared_mode(0o644) if shared else files.PRIVATE_FILE
            try:
                if dest.folder is None:
                    files.atomic_write(dest.path, data, mode=mode)
                else:
                    files.replace_in(dest.folder, dest.name, data, mode)
            except OSError as exc:
                raise UsageError(f"Cannot write {target}: {_reason(exc, target, folder)}.") from None
            return Written(target, private=not shared)
    except files.LinkRefused as exc:
        raise UsageError(_link_message(target, exc)) from None
    except OSError as exc:  # finding where it goes: a folder on the way is missing, not a folder, unreadable
        check_outside_data(target)  # the data folder is named first, even in a folder not made yet
        if exc.errno == errno.ENOENT:
            missing = _realpath(target).parent if os.path.islink(target) else target.parent
            raise UsageError(f"Cannot write {target}: the folder {missing} does not exist.") from None
        where = Path(exc.filename) if exc.filename else target.parent
        raise UsageError(f"Cannot write {target}: {_reason(exc, target, where)}.") from None


def _link_message(target: Path, exc: OSError) -> str:
    return (f"Cannot write {target}: {exc.filename} is a link made by another user; it was not followed. "
            "Nothing was written.")


def may_replace(session: Session, target: Path, what: str, yes: bool = False) -> bool:
    """Whether to write a user-named output file: one inside the data folder, or behind another
    user's link, is refused at once (before anything is asked), and an existing file is replaced
    only if the person says so in a terminal (--yes, or no terminal, replaces it). When not, says
    that nothing was written. A device, a pipe or an open stream is written into without asking."""
    import os

    if str(target) == STDOUT:
        return True
    check_outside_data(target)
    if not os.path.isfile(target.expanduser()) or not session.settings.interactive or yes:
        return True
    with session.stoppable(lambda first: f"{first}. No {what} was written."):
        replace = session.prompter.confirm(f"{target} exists. Replace it?")
    if not replace:
        session.out.line(f"No {what} was written. Give another name with -o.")
    return replace


def check_outside_data(path: Path, real: Path | None = None) -> Path:
    """The path the user gave (with ~ expanded), if writing it cannot touch the data folder (links
    followed, the same folder reached by another name included) and needs no link made by another
    user; else a UsageError that says why. `real` is where the path leads, when already found."""
    import os

    from neurotutor.errors import UsageError

    if str(path) == STDOUT:
        return path
    target = path.expanduser()
    if real is None:
        try:
            with files.destination(target) as dest:
                real = dest.path
        except files.LinkRefused as exc:
            raise UsageError(_link_message(target, exc)) from None
        except OSError:  # a folder on the way is missing: the write will say so
            real = _realpath(target)
    home = paths.home().expanduser()
    real_home = _realpath(home)
    inside = real == real_home or real_home in real.parents
    if not inside:
        try:
            home_id = os.stat(real_home)
        except OSError:
            home_id = None
        home_key = (home_id.st_dev, home_id.st_ino) if home_id else None
        for folder in (real, *real.parents) if home_key else ():
            try:
                st = os.stat(folder)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == home_key:
                inside = True
                break
    if inside:
        raise UsageError(_inside_message(target))
    return target


def _realpath(path: Path) -> Path:
    """os.path.realpath, which can fail when a link on the way is removed while it reads it; then
    the path as it is spelled (only a check uses it: the write itself never follows it)."""
    import os

    try:
        return Path(os.path.realpath(path))
    except OSError:
        return Path(os.path.abspath(path))


def _inside_message(target: Path) -> str:
    return (f"Cannot write {target}: it is inside neurotutor's data folder {paths.home().expanduser()}, where it "
            "could replace your progress or answers. Choose a file outside that folder.")


def _inside_data_fd(folder: int) -> bool:
    """Whether an open folder is the data folder or inside it, however it was reached."""
    import os

    try:
        home = os.stat(paths.home().expanduser())
    except OSError:
        return False  # no data folder yet: nothing in it to replace
    try:
        return files.folder_within(folder, home)
    except OSError:
        return False


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
        if code == errno.EPERM:  # a rename refused in a sticky folder such as /tmp
            return "a file of another user took its place, and you may not replace it"
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
    if exc.errno == errno.EBADF:
        return "it is not open for writing here"
    if exc.errno in (errno.ENXIO, errno.ENODEV):
        return "there is no such device"
    return f"{exc.strerror or exc}"
