"""Private, durable file operations: the only code that creates the tutor's files and folders.

Every folder it creates is 0700 and every file 0600, whatever the umask, because the files hold a
learner's answers (a file or folder meant to be handed over may be more open, never more than the
umask allows). Replacing a file is atomic (temp file in the same folder, fsync, `os.replace`,
fsync of the folder); appending is one `O_APPEND` write followed by an fsync. A file the tool opens
by name to append to or to lock is never reached through a symbolic link. An existing device or
pipe is written into, never replaced. Ctrl-C is held off only while bytes are being written, never
while waiting for a lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
from pathlib import Path
from typing import Iterator

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
TEMP_SUFFIX = ".tmp"


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
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
    try:
        with no_interrupt():
            try:
                os.fchmod(fd, mode)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                if durable:
                    os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def write_into(path: Path, data: bytes) -> bool:
    """Write data into an existing device or pipe (a terminal, /dev/null, a FIFO), never creating or
    replacing anything; False, with nothing written, if path turns out to be something else.

    A FIFO that no program reads fails at once (ENXIO) instead of waiting for a reader. Ctrl-C is
    not held off: a reader that never reads must not make the tutor impossible to stop."""
    flags = os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)  # no O_CREAT, no O_TRUNC
    try:
        kind = os.fstat(fd).st_mode
        if not (stat.S_ISCHR(kind) or stat.S_ISFIFO(kind)):
            return False
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return True


def append_durably(path: Path, data: bytes) -> None:
    """Append data to path in one O_APPEND write, then fsync (creates the file 0600)."""
    fd = open_private(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    created = os.fstat(fd).st_size == 0
    try:
        with no_interrupt():
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
    finally:
        os.close(fd)
    if created:
        fsync_dir(path.parent)


def remove_leftover_temps(path: Path, names: list[str] | None = None) -> list[Path]:
    """Delete temp files that a killed writer left beside path; call only while holding its lock.

    `names` is the folder's listing when the caller has one already."""
    removed = []
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
        _acquire(fcntl, fd, timeout)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


class _TimerFired(Exception):
    pass


def _acquire(fcntl: object, fd: int, timeout: float) -> None:
    flock, LOCK_EX, LOCK_NB = fcntl.flock, fcntl.LOCK_EX, fcntl.LOCK_NB  # type: ignore[attr-defined]
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
