"""Private, durable file operations: the only code that creates the tutor's files and folders.

Every folder it creates is 0700 and every file 0600, whatever the umask, because the files hold a
learner's answers. Replacing a file is atomic (temp file in the same folder, fsync, `os.replace`,
fsync of the folder); appending is one `O_APPEND` write followed by an fsync. Ctrl-C is held off
only while bytes are being written, never while waiting for a lock.
"""

from __future__ import annotations

import contextlib
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
    if folder.is_dir():
        return
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, PRIVATE_DIR)
        except FileExistsError:
            continue
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered by the umask; chmod is not


def tighten(path: Path) -> bool:
    """Remove group and other permissions from a file or folder we own; True if it changed."""
    st = path.stat()
    if not stat.S_IMODE(st.st_mode) & 0o077:
        return False
    want = PRIVATE_DIR if stat.S_ISDIR(st.st_mode) else PRIVATE_FILE
    os.chmod(path, want)
    return True


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 whatever the umask; an existing file is tightened to 0600."""
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), PRIVATE_FILE)
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


def atomic_write(path: Path, data: bytes, durable: bool = True) -> None:
    """Replace path with data in one step (mode 0600); durable across a crash unless told not to."""
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=temp_prefix(path), suffix=TEMP_SUFFIX)
    try:
        with no_interrupt():
            try:
                os.fchmod(fd, PRIVATE_FILE)
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
