"""Private, durable file operations: the only code that creates the tutor's files and folders.

Every folder it creates is 0700 and every file 0600, whatever the umask, because the files hold a
learner's answers (a file or folder meant to be handed over may be more open, never more than the
umask allows). Replacing a file is atomic (temp file in the same folder, fsync, `os.replace`,
fsync of the folder); appending is one `O_APPEND` write followed by an fsync. A file the tool opens
by name to append to or to lock is never reached through a symbolic link. An existing device or
pipe is written into, never replaced. Ctrl-C is held off only while bytes are being written, never
while waiting for a lock.

A file a person names (`destination`) is found once, folder by folder, each folder held open while
the next is looked up, so a link swapped in afterwards cannot send the write elsewhere; a link
there is followed only when its owner is the person running the tool or the owner of the folder
holding it (the kernel's fs.protected_symlinks rule, made unconditional); a name for an open
stream (/dev/stdout, /dev/fd/N, /proc/self/fd/N) means that stream, which is written to and never
replaced. The tool's own files are read only when they are regular files (`read_regular`: a named
pipe is never waited on, a device never read), and a cache only when no one else could have
written it (`read_own`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)
IN_THE_WAY = (errno.ENOTDIR, errno.EEXIST)


def why_failed(exc: OSError) -> str:
    """Why a file operation failed, in the learner's words (the progress files', the journal's)."""
    if exc.errno in FULL:
        return f"the disk is full ({exc.strerror})"
    if exc.errno in NOT_WRITABLE:
        return f"the folder cannot be written to ({exc.strerror})"
    if exc.errno in IN_THE_WAY:
        return f"a file is where a folder should be ({exc.strerror})"
    return exc.strerror or str(exc)


PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
TEMP_SUFFIX = ".tmp"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@contextlib.contextmanager
def no_interrupt() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block ends, so a write is never cut in half."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    except (ValueError, OSError):  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def ensure_private_dir(folder: Path) -> None:
    """Create folder (and missing parents) as 0700; a folder that exists is left as it is."""
    ensure_dir(folder, PRIVATE_DIR)


def ensure_dir(folder: Path, mode: int) -> None:
    """Create folder (and missing parents) with exactly this mode; a folder that exists is left as it is.

    Each new folder is opened without following links before its mode is set, so a link put in
    its place in between is never chmod-ed."""
    if folder.is_dir():
        return
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            continue
        _chmod_folder(path, mode)  # mkdir's mode is filtered by the umask; chmod is not


def _chmod_folder(path: Path, mode: int) -> None:
    flags = getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    if not flags or os.chmod not in os.supports_fd:  # Windows: no fchmod, no links to fear here
        os.chmod(path, mode)
        return
    fd = os.open(path, os.O_RDONLY | flags | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fchmod(fd, mode)
    finally:
        os.close(fd)


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux /proc);
    elsewhere it is set to 077 for a moment, so nothing made meanwhile is more open."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o077)
    os.umask(old)
    return old


def shared_mode(mode: int) -> int:
    """The mode for a file or folder meant to be handed over: at most `mode`, less if the umask says so."""
    return mode & ~current_umask() & 0o777


def tighten(path: Path) -> bool:
    """Remove group and other permissions from a file or folder we own; True if it changed."""
    st = path.stat()
    if not stat.S_IMODE(st.st_mode) & 0o077:
        return False
    want = PRIVATE_DIR if stat.S_ISDIR(st.st_mode) else PRIVATE_FILE
    os.chmod(path, want)
    return True


LINK_REFUSED = ("{name} is a symbolic link, and neurotutor does not follow links among its own files. "
                "Remove the link (or put the file itself in its place)")


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 whatever the umask; an existing file is tightened to 0600.

    A symbolic link in path's place is refused (an OSError whose strerror says so), never followed:
    a link planted there must not lead a write or a chmod to another file."""
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0), PRIVATE_FILE)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise OSError(exc.errno, LINK_REFUSED.format(name=path.name), str(path)) from None
        raise
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != PRIVATE_FILE:
            os.fchmod(fd, PRIVATE_FILE)
    except OSError:
        os.close(fd)
        raise
    return fd


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in folder durable (ignored where folders cannot be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def temp_prefix(path: Path) -> str:
    """The name prefix of the temp files that atomic_write makes for path."""
    return f".{path.name}."


def atomic_write(path: Path, data: bytes, durable: bool = True, mode: int = PRIVATE_FILE) -> None:
    """Replace path with data in one step (mode 0600 unless told); durable across a crash unless
    told not to. On any error (a full disk, a read-only folder) path is left as it was."""
    if not _can_walk():  # no folder handles (Windows): the same steps, by path
        replace_in(None, str(path), data, mode, durable)
        return
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    try:
        replace_in(folder, path.name, data, mode, durable)
    finally:
        os.close(folder)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_into(path: Path | str, data: bytes, dir_fd: int | None = None) -> bool:
    """Write data into an existing device or pipe (a terminal, /dev/null, a FIFO), never creating or
    replacing anything and never through a link; False, with nothing written, if path (a name in
    the folder dir_fd when given) turns out to be something else.

    A FIFO that no program reads fails at once (ENXIO) instead of waiting for a reader. Ctrl-C is
    not held off: a reader that never reads must not make the tutor impossible to stop."""
    flags = (os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_NOFOLLOW", 0))
    fd = os.open(path, flags, dir_fd=dir_fd)  # no O_CREAT, no O_TRUNC
    try:
        kind = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
            return False
        os.set_blocking(fd, True)
        _write_all(fd, data)
    finally:
        os.close(fd)
    return True


# -- a file a person names ---------------------------------------------------------------------

MAX_LINKS = 40  # as the kernel allows in one path


class LinkRefused(OSError):
    """A link on the way to a named file belongs to another user, so it was not followed;
    `filename` is the link."""

    def __init__(self, link: str) -> None:
        super().__init__(errno.EPERM, "a link made by another user", link)


@dataclass
class Destination:
    """Where a file a person named goes, found once: an open stream, or a name in an open folder.

    `path` is where that is, with no link in it (for checks and messages); `folder` is the open
    folder (None where the system cannot open folders for this) and `name` the file's name in it;
    `stream` is an already-open file descriptor the name stood for (/dev/stdout is 1)."""

    path: Path
    folder: int | None = None
    name: str = ""
    stream: int | None = None


_STREAMS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}


def stream_number(path: str) -> int | None:
    """The descriptor a path names, when it is one of this process's open streams: /dev/stdout,
    /dev/stderr, /dev/stdin, /dev/fd/N, /proc/self/fd/N (or the same under this process's id)."""
    import re

    if path in _STREAMS:
        return _STREAMS[path]
    found = re.fullmatch(r"/dev/fd/(\d+)|/proc/(self|thread-self|\d+(?:/task/\d+)?)/fd/(\d+)", path)
    if found is None:
        return None
    if found[1] is not None:
        return int(found[1])
    owner = found[2]
    if owner not in ("self", "thread-self") and owner.split("/")[0] != str(os.getpid()):
        return None  # another process's descriptor: an ordinary path
    return int(found[3])


_FOLDER_FLAGS = (getattr(os, "O_PATH", os.O_RDONLY) | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
                 | getattr(os, "O_CLOEXEC", 0))


def _can_walk() -> bool:
    return (os.open in os.supports_dir_fd and os.stat in os.supports_dir_fd and os.readlink in os.supports_dir_fd
            and hasattr(os, "O_NOFOLLOW") and hasattr(os, "geteuid"))


@contextlib.contextmanager
def destination(path: Path) -> Iterator[Destination]:
    """Find where a named file goes, once, holding its folder open for the block.

    Each folder on the way is opened (without following a link) before the next name is looked
    up in it, so nothing swapped in later changes where the file lands. A link on the way is
    followed only when it belongs to this user or to the owner of the folder that holds it
    (LinkRefused otherwise). A missing folder on the way raises FileNotFoundError naming it; a
    missing file is fine (it will be made)."""
    if not _can_walk():  # Windows: no folder descriptors; no links to fear from other users there
        real = Path(os.path.realpath(path))
        yield Destination(real, None, real.name, stream_number(str(real)))
        return
    if path.is_absolute():
        where, pending, start = [], list(path.parts[1:]), "/"
    else:
        where, pending, start = list(Path(os.getcwd()).parts[1:]), list(path.parts), "."
    fd = os.open(start, _FOLDER_FLAGS)
    found = _walk(fd, where, pending)  # the walk owns fd: it closes it, or hands it over as found.folder
    try:
        yield found
    finally:
        if found.folder is not None:
            os.close(found.folder)


def _walk(fd: int, where: list[str], pending: list[str]) -> Destination:
    """The walk behind `destination`; fd is the open folder at `where` (closed here when it is left)."""
    links = 0
    me = os.geteuid()

    def enter(name: str) -> None:
        nonlocal fd
        inner = os.open(name, _FOLDER_FLAGS, dir_fd=fd)
        os.close(fd)
        fd = inner

    try:
        while pending:
            part = pending.pop(0)
            if part in ("", "."):
                continue
            if part == "..":
                if where:
                    enter("..")
                    where.pop()
                continue
            here = "/" + "/".join([*where, part])
            if not pending and (number := stream_number(here)) is not None:
                os.close(fd)
                return Destination(Path(here), stream=number)
            try:
                st = os.stat(part, dir_fd=fd, follow_symlinks=False)
            except FileNotFoundError:
                if pending:
                    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), here) from None
                return Destination(Path(here), fd, part)
            if stat.S_ISLNK(st.st_mode):
                links += 1
                if links > MAX_LINKS:
                    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), here)
                if st.st_uid not in (me, 0):  # stricter than the kernel's rule, which trusts the folder's owner:
                    raise LinkRefused(here)     # in a 1777 folder of the attacker's, their link must not lead us
                try:
                    target = os.readlink(part, dir_fd=fd)
                    again = os.stat(part, dir_fd=fd, follow_symlinks=False)
                except OSError as exc:
                    if exc.errno not in (errno.ENOENT, errno.EINVAL):
                        raise
                    again = None  # removed, or replaced by a file, while being read
                if again is None or (again.st_dev, again.st_ino) != (st.st_dev, st.st_ino):  # changed: look again
                    pending.insert(0, part)
                    continue
                parts = list(Path(target).parts)
                if target.startswith("/"):
                    root = os.open("/", _FOLDER_FLAGS)
                    os.close(fd)
                    fd, where, parts = root, [], parts[1:]
                pending[:0] = parts
                continue
            if not pending:
                return Destination(Path(here), fd, part)
            try:
                enter(part)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, here) from None
            where.append(part)
        return Destination(Path("/" + "/".join(where)), fd, "")
    except BaseException:
        os.close(fd)
        raise


def folder_within(folder: int, ancestor: os.stat_result) -> bool:
    """Whether the open folder is the folder `ancestor` describes or lies anywhere inside it
    (found by walking up from the folder itself, whatever names lead to it)."""
    fd = os.dup(folder)
    try:
        for _ in range(4096):
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) == (ancestor.st_dev, ancestor.st_ino):
                return True
            up = os.open("..", _FOLDER_FLAGS, dir_fd=fd)
            above = os.fstat(up)
            os.close(fd)
            fd = up
            if (above.st_dev, above.st_ino) == (st.st_dev, st.st_ino):  # the root
                return False
        return False
    finally:
        os.close(fd)


def write_stream(fd: int, data: bytes) -> None:
    """Write data to a descriptor this process already has open (a shell's `>>` keeps appending),
    after what Python has buffered for stdout and stderr."""
    import select
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:  # a descriptor left non-blocking by another program: wait until it takes more
            select.select([], [fd], [])


def make_temp(folder: int | None, name: str) -> str:
    """Create a new, empty, private temp file beside `name` (in the open folder, or by path when
    folder is None); returns its name, in the same terms."""
    head, tail = os.path.split(name)
    for _ in range(100):
        temp = os.path.join(head, f".{tail}.{os.urandom(4).hex()}{TEMP_SUFFIX}")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, PRIVATE_FILE, dir_fd=folder)
        except FileExistsError:
            continue
        os.close(fd)
        return temp
    raise FileExistsError(errno.EEXIST, "no free temporary name", name)


def replace_in(folder: int | None, name: str, data: bytes, mode: int = PRIVATE_FILE, durable: bool = True) -> None:
    """Replace the file `name` in the open folder (or the path `name` when folder is None) with data
    in one step, durably unless told not to (the temp file is made beside it, never through a link).
    On any error the file is left as it was."""
    temp = make_temp(folder, name)
    try:
        with no_interrupt():
            fd = os.open(temp, os.O_WRONLY | _NOFOLLOW | _CLOEXEC, dir_fd=folder)
            try:
                if hasattr(os, "fchmod"):
                    os.fchmod(fd, mode)
                _write_all(fd, data)
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise
    if durable and folder is None:
        fsync_dir(Path(name).parent)
    elif durable and folder is not None:
        with contextlib.suppress(OSError):
            os.fsync(folder)


# -- reading the tool's own files ----------------------------------------------------------------

def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def open_regular(path: Path, follow: bool = True) -> int:
    """Open a regular file for reading; anything else is refused with an OSError whose strerror
    says what it is ("it is a named pipe, not a file"), a folder as EISDIR. A named pipe is never
    waited on and a device never read (the open does not block, and nothing is read before the
    check); with follow=False a link is refused (ELOOP)."""
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
             | (0 if follow else getattr(os, "O_NOFOLLOW", 0)))
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"it is {_kind(mode)}, not a file", str(path))
    except BaseException:
        os.close(fd)
        raise
    return fd


class TooLarge(OSError):
    """A file is larger than the reader takes; `size` is what it holds (at least limit + 1)."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__(errno.EFBIG, os.strerror(errno.EFBIG), str(path))
        self.size = size


def read_regular(path: Path, limit: int | None = None, follow: bool = True) -> bytes:
    """The bytes of a regular file (see open_regular); with limit, at most that many are read and
    a larger file raises TooLarge."""
    fd = open_regular(path, follow)
    with os.fdopen(fd, "rb") as fh:
        if limit is None:
            return fh.read()
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise TooLarge(path, size)
        data = fh.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise TooLarge(path, len(data))
    return data


def _others_may_write(st: os.stat_result) -> bool:
    return bool(st.st_uid != os.geteuid() or stat.S_IMODE(st.st_mode) & 0o022)


def read_own(path: Path) -> bytes | None:
    """A cache file's bytes, only when no one else could have written it: the file and its folder
    are a regular file and a folder (not links), owned by this user and not writable by group or
    others. None otherwise (and when it is missing or cannot be read): the cache is rebuilt."""
    try:
        fd = open_regular(path, follow=False)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if hasattr(os, "geteuid"):
            try:
                folder = os.lstat(path.parent)
            except OSError:
                return None
            if (not stat.S_ISDIR(folder.st_mode) or _others_may_write(folder)
                    or _others_may_write(os.fstat(fh.fileno()))):
                return None
        try:
            return fh.read()
        except OSError:
            return None


def own_folder(folder: Path) -> bool:
    """Whether a cache may be written into folder: it is a folder (not a link) of this user, made
    private (0700) here if others could write it. A folder of someone else is left alone."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if not hasattr(os, "geteuid"):
        return True
    if st.st_uid != os.geteuid():
        return False
    if stat.S_IMODE(st.st_mode) & 0o077:
        try:
            _chmod_folder(folder, PRIVATE_DIR)
        except OSError:
            return False
    return True


def zip_time(seconds: float) -> tuple[int, int, int, int, int, int]:
    """The local date and time a zip member records for a moment, kept within what a zip file can
    hold (1980-01-01 to 2107-12-31): a clock outside that range gives the nearest end."""
    import time

    try:
        moment = time.localtime(seconds)[:6]
    except (OverflowError, OSError, ValueError):
        moment = (2107, 12, 31, 23, 59, 58) if seconds > 0 else (1980, 1, 1, 0, 0, 0)
    if moment[0] < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if moment[0] > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return moment


def cut_tail(path: Path, start: int, fragment: bytes, kept: Path) -> None:
    """Set a torn last line aside: `fragment` (the file's bytes from `start`) is written to `kept`
    first, then the file is cut at `start`, so the line is never lost; when the cut fails, the copy
    is taken back and the error raised (a link in the file's place is not followed)."""
    atomic_write(kept, fragment)
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | _CLOEXEC)
        try:
            with no_interrupt():
                os.ftruncate(fd, start)
                os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        with contextlib.suppress(OSError):
            kept.unlink()
        raise


def append_durably(path: Path, data: bytes) -> None:
    """Append data to path in one O_APPEND write, then fsync (creates the file 0600)."""
    fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    created = os.fstat(fd).st_size == 0
    try:
        with no_interrupt():
            _write_all(fd, data)
            os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)


def remove_leftover_temps(path: Path, names: list[str] | None = None) -> list[Path]:
    """Delete temp files that a killed writer left beside path; call only while holding its lock.

    `names` is the folder's listing when the caller has one already."""
    removed: list[Path] = []
    prefix = temp_prefix(path)
    if names is None:
        try:
            names = os.listdir(path.parent)
        except OSError:
            return removed
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            leftover = path.parent / name
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
    return removed


class LockTimeout(Exception):
    """The lock was not free within the time allowed."""


@contextlib.contextmanager
def locked(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on path (created 0600) for the block.

    Waiting queues in the kernel (a blocking flock, woken the moment the holder lets go) rather
    than polling, so many writers take turns without sleeping through free moments. A wait is
    bounded by `timeout` seconds (a timer signal in the main thread; short polls elsewhere).
    """
    try:
        import fcntl
    except ImportError:  # Windows: no flock; filelock does the same job there
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(path), timeout=timeout):
                yield
        except Timeout:
            raise LockTimeout(str(path)) from None
        return
    fd = open_private(path, os.O_RDWR | os.O_CREAT)
    try:
        _acquire(fd, timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class _TimerFired(Exception):
    pass


def _acquire(fd: int, timeout: float) -> None:
    import fcntl  # imported already: only `locked` calls this, where it imported

    flock, LOCK_EX, LOCK_NB = fcntl.flock, fcntl.LOCK_EX, fcntl.LOCK_NB
    try:
        flock(fd, LOCK_EX | LOCK_NB)
        return
    except BlockingIOError:
        pass
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        import time

        deadline, pause = time.monotonic() + timeout, 0.002
        while True:
            try:
                flock(fd, LOCK_EX | LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(str(fd)) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)

    def fire(signum: int, frame: object) -> None:
        raise _TimerFired

    previous = signal.signal(signal.SIGALRM, fire)
    try:
        signal.setitimer(signal.ITIMER_REAL, max(timeout, 0.001))
        try:
            flock(fd, LOCK_EX)  # waits in the kernel's queue; the timer interrupts it
        except _TimerFired:
            try:  # the timer may have fired just as the lock was granted
                flock(fd, LOCK_EX | LOCK_NB)
            except BlockingIOError:
                raise LockTimeout(str(fd)) from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimerFired:  # fired between the grant and the timer being stopped: we hold the lock
        pass
    finally:
        signal.signal(signal.SIGALRM, previous)


def secure_folders(folders: list[Path]) -> list[str]:
    """Make existing data folders private (0700); returns what the learner should be told."""
    notices = []
    for folder in folders:
        try:
            if not folder.is_dir() or not tighten(folder):
                continue
        except OSError as exc:
            notices.append(
                f"Your neurotutor folder {folder} can be read by other users of this computer, and it could "
                f"not be made private ({exc.strerror or exc}). Ask its owner to run: chmod 700 '{folder}'")
            continue
        notices.append(f"Your neurotutor folder {folder} could be read by other users of this computer; "
                       "it is now private (only you can open it).")
    return notices
