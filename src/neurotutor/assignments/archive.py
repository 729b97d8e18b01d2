"""Where an assignment comes from: one YAML file, a folder, or a single zip archive holding the
assignment and the therapist's own lesson files.

A folder is read the way an archive is: walked without following links (a link, a device or a
pipe in it is refused, as a link member is), at most MEMBERS files and MEMBERS folders, at most
MAX_DEPTH folders deep, TOTAL_BYTES of .yaml files, hidden entries skipped. A folder beyond those
bounds is not an assignment folder and is refused without listing what is in it. Each .yaml file
is opened once as the walk meets it, relative to its folder's descriptor and without following a
link, checked to be the file the walk listed, and read (at most 1 MiB): those bytes
(`Source.files`) are what is sniffed, checked and kept, so a file swapped for a link or another
file after the walk looked is never read. Anything else named as the source must be a regular
file: a pipe or a device is refused before it is opened.

An archive is never extracted by its own paths. Each member is checked first (a plain file with a
name of its own, a relative path without `..`, at most MEMBER_BYTES, at most MEMBERS of them and
TOTAL_BYTES in all, no two names that a disk ignoring case would take for one), and only then
written into a fresh private temporary folder, which is removed afterwards. A member that cannot be unpacked (damaged, encrypted) stops it. Problems
name places as the person knows them: `autumn.zip/assignment.yaml:3:5`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from neurotutor.errors import Problem
from neurotutor.text import describe_char, excerpt, first_unsafe

if TYPE_CHECKING:
    from zipfile import ZipInfo

MEMBERS = 100
MEMBER_BYTES = 1 << 20  # like a lesson file
TOTAL_BYTES = 16 << 20
MAX_DEPTH = 8  # folders below the top, in a folder or an archive
_LINK = 0o120000
NOT_REGULAR = ("is not a regular file (a device or pipe?); give the assignment file, its .zip archive or "
               "the folder that holds them")
NOT_READ = "is not a regular file (a device or pipe?); it was not read"
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
NOT_AN_ASSIGNMENT_FOLDER = ("so it is not an assignment folder; give the assignment file itself, its .zip "
                            "archive, or a folder that holds only the assignment and its lesson files")


@dataclass(frozen=True)
class Source:
    """The assignment file to load (None when there is none), what is wrong, how to name a
    problem's place as the person knows it, and, for a folder or an archive, the bytes of each
    .yaml file in it as the walk read them (or why it could not): the loader reads nothing again."""

    assignment: Path | None
    problems: list[Problem]
    place: Callable[[str], str] = str  # a path as the person knows it
    files: Mapping[Path, bytes | Problem] | None = None

    def shown(self, problem: Problem) -> Problem:
        return replace(problem, path=self.place(problem.path))


def is_archive(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


@contextlib.contextmanager
def open_source(path: Path) -> Iterator[Source]:
    """The assignment in PATH (a file, a folder or a zip archive), ready for the loader while the
    block runs."""
    try:
        mode = path.stat().st_mode  # the person named it: a link they name is followed
    except OSError as exc:
        yield Source(None, [Problem(str(path), 0, 0, f"cannot be read: {exc.strerror or exc}")])
        return
    if stat.S_ISDIR(mode):
        yield _find(path, path)
    elif not stat.S_ISREG(mode):
        yield Source(None, [Problem(str(path), 0, 0, NOT_REGULAR)])
    elif is_archive(path):
        import tempfile

        from neurotutor import files

        with tempfile.TemporaryDirectory(prefix="neurotutor-assignment-") as tmp:
            folder = Path(tmp)
            folder.chmod(files.PRIVATE_DIR)
            problems = _unpack(path, folder)
            inside = str(folder)

            def place(where: str) -> str:
                return str(path) + where[len(inside):] if where.startswith(inside) else where

            found = Source(None, problems) if problems else _find(folder, path)
            yield Source(found.assignment, [replace(p, path=place(p.path)) for p in found.problems], place, found.files)
    else:
        yield Source(path, [])


FolderFiles = dict[Path, "bytes | Problem"]


def _walk(folder: Path) -> tuple[FolderFiles, list[Problem], str | None]:
    """The .yaml files in a folder, breadth first, each read once as the walk meets it:
    (files, problems, None), or why it is not an assignment folder at all (too many entries, too
    deep, too much to read), found without naming any file.

    Nothing is followed through a link: each folder is opened relative to the one above it and
    each file relative to its folder, never through a link (one swapped in after the folder was
    listed is refused as a link), and a file is read only if it is still the one listed."""
    from neurotutor.assignments.loader import AT

    walk = _Walk()
    with contextlib.ExitStack() as open_folders:
        try:
            top = os.open(folder, _DIRECTORY) if AT else None  # the folder the person named
        except OSError as exc:
            return {}, [_unread(folder, exc)], None
        if top is not None:
            open_folders.callback(os.close, top)
        level: list[tuple[Path, int | None]] = [(folder, top)]
        depth = 0
        while level:
            below: list[tuple[Path, int | None]] = []
            for here, fd in level:
                try:
                    with os.scandir(fd if fd is not None else here) as entries:
                        for entry in entries:  # counted as they come: a huge folder is never listed whole
                            if entry.name.startswith("."):
                                continue
                            sub = walk.take(here / entry.name, entry, fd, depth)
                            if walk.refused:
                                return {}, [], walk.refused
                            if sub is not None:
                                if sub[1] is not None:
                                    open_folders.callback(os.close, sub[1])
                                below.append(sub)
                except OSError as exc:
                    walk.problems.append(_unread(here, exc))
            level = below
            depth += 1
    return dict(sorted(walk.files.items())), sorted(walk.problems), None


class _Walk:
    """What a folder's walk has found so far."""

    def __init__(self) -> None:
        self.files: FolderFiles = {}
        self.problems: list[Problem] = []
        self.refused: str | None = None
        self.count = self.folders = self.total = 0

    def take(self, path: Path, entry: os.DirEntry[str], fd: int | None, depth: int) -> tuple[Path, int | None] | None:
        """Look at one entry once: read a .yaml file, open a folder (returned, to be walked)."""
        from neurotutor.assignments.loader import LESSON_SUFFIXES
        from neurotutor.lessons.loader import CHANGED, IS_A_LINK, LINK, MAX_BYTES, REPLACED, read_regular

        try:
            seen = entry.stat(follow_symlinks=False)  # one look: what changes after it is caught below
            if stat.S_ISLNK(seen.st_mode):
                self.problems.append(Problem(str(path), 0, 0, IS_A_LINK))
            elif stat.S_ISDIR(seen.st_mode):
                self.folders += 1
                if depth >= MAX_DEPTH:
                    self.refused = f"has folders more than {MAX_DEPTH} levels deep, {NOT_AN_ASSIGNMENT_FOLDER}"
                elif self.folders <= MEMBERS:
                    return self._folder(path, entry.name, fd, seen)
            elif stat.S_ISREG(seen.st_mode):
                self.count += 1
                if os.path.splitext(entry.name)[1].lower() in LESSON_SUFFIXES:  # nothing else is read
                    raw = read_regular(entry.name if fd is not None else path, follow=False, dir_fd=fd, seen=seen,
                                       limit=MAX_BYTES)
                    if isinstance(raw, bytes):
                        self.files[path] = raw
                        self.total += len(raw)
                    else:  # not the file listed any more
                        self.problems.append(Problem(str(path), 0, 0, IS_A_LINK if raw == LINK else
                                                     CHANGED if raw == REPLACED else NOT_READ))
            else:
                self.problems.append(Problem(str(path), 0, 0, NOT_READ))
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self.problems.append(_unread(path, exc))
            else:  # a file that cannot be read is a problem only if the assignment needs it
                self.files[path] = _unread(path, exc)
        if self.count > MEMBERS or self.folders > MEMBERS:
            self.refused = f"holds more than {MEMBERS} files or folders, {NOT_AN_ASSIGNMENT_FOLDER}"
        elif self.total > TOTAL_BYTES:
            self.refused = f"holds over {TOTAL_BYTES >> 20} MiB of .yaml files, {NOT_AN_ASSIGNMENT_FOLDER}"
        return None

    def _folder(self, path: Path, name: str, fd: int | None, seen: os.stat_result) -> tuple[Path, int | None] | None:
        from neurotutor.lessons.loader import CHANGED, IS_A_LINK, LINK, open_folder

        if fd is None:
            return path, None
        try:
            sub = open_folder(name, fd, seen)
        except OSError as exc:
            self.problems.append(_unread(path, exc))
            return None
        if isinstance(sub, str):
            self.problems.append(Problem(str(path), 0, 0, IS_A_LINK if sub == LINK else CHANGED))
            return None
        return path, sub


def _unread(path: Path, exc: OSError) -> Problem:
    if exc.errno == errno.ELOOP:  # it became a link since it was listed
        return Problem(str(path), 0, 0, "is a link, not a file; it was not read")
    return Problem(str(path), 0, 0, f"cannot be read: {exc.strerror or exc}")


def _find(folder: Path, given: Path) -> Source:
    """The one assignment file in a folder (at any depth within the bounds), with every .yaml
    file of the folder as the walk read it."""
    from neurotutor.assignments.loader import says_assignment

    files, problems, refused = _walk(folder)
    if refused:
        return Source(None, [Problem(str(given), 0, 0, refused)])
    if problems:
        return Source(None, problems)
    found = [p for p, data in files.items() if isinstance(data, bytes) and says_assignment(data)]
    if len(found) == 1:
        return Source(found[0], [], files=files)
    if not found:
        return Source(None, [Problem(str(given), 0, 0, "holds no assignment file (a .yaml file that starts "
                                     "with kind: assignment)")])
    names = ", ".join(str(p.relative_to(folder)) for p in found)
    return Source(None, [Problem(str(given), 0, 0, f"holds several assignment files ({names}); give one of them")])


def _damaged() -> tuple[type[BaseException], ...]:
    """What a decompressor raises for a damaged member (zlib, lzma; bz2 raises OSError)."""
    import zlib

    kinds: list[type[BaseException]] = [zlib.error, EOFError]
    with contextlib.suppress(ImportError):
        import lzma

        kinds.append(lzma.LZMAError)
    return tuple(kinds)


def _unpack(archive: Path, into: Path) -> list[Problem]:
    """Check every member, then write the files into `into`; nothing is written if any is wrong."""
    import zipfile

    where = str(archive)
    damaged = _damaged()
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
            problems = _check_members(members, where)
            if problems:
                return problems
            for info in members:
                try:
                    with zf.open(info) as fh:
                        data = fh.read(MEMBER_BYTES + 1)
                except damaged:
                    return [Problem(where, 0, 0, f"is not a readable zip archive (the file {excerpt(info.filename)} "
                                    "in it is damaged)")]
                except OSError as exc:
                    if exc.errno is not None:
                        raise
                    return [Problem(where, 0, 0, f"is not a readable zip archive (the file {excerpt(info.filename)} "
                                    "in it is damaged)")]  # bz2's way of saying so
                if len(data) > MEMBER_BYTES:
                    return [Problem(f"{where}/{info.filename}", 0, 0, "is larger than it says (over 1 MiB)")]
                target = into.joinpath(*PurePosixPath(info.filename).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    except zipfile.BadZipFile as exc:
        return [Problem(where, 0, 0, f"is not a readable zip archive ({exc})")]
    except (RuntimeError, NotImplementedError) as exc:  # encrypted, or a compression zipfile cannot read
        return [Problem(where, 0, 0, f"cannot be read ({exc}); make it again as a plain zip archive")]
    except OSError as exc:
        return [Problem(where, 0, 0, f"cannot be read: {exc.strerror or exc}")]
    return []


def _check_members(members: list[ZipInfo], where: str) -> list[Problem]:
    problems = []
    if len(members) > MEMBERS:
        problems.append(Problem(where, 0, 0, f"holds {len(members)} files; an assignment archive holds at most {MEMBERS}"))
    total = 0
    seen: dict[tuple[str, ...], str] = {}  # as a disk that ignores case sees a name -> the name
    folders: dict[tuple[str, ...], str] = {}
    for info in members:
        name = info.filename
        # As a disk that ignores case (or Unicode normalisation) sees the name: on one, two names
        # that differ only so are one file, and which one is kept depends on the unpacker.
        parts = tuple(unicodedata.normalize("NFC", part).casefold() for part in PurePosixPath(name).parts)
        unsafe = first_unsafe(name)
        if (not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]):
            problems.append(Problem(f"{where}/{name}", 0, 0, "has a path that points outside the archive; "
                                    "it was not read"))
        elif unsafe >= 0:
            problems.append(Problem(f"{where}/{name}", 0, 0, f"has {describe_char(name[unsafe])} in its name; "
                                    "it was not read"))
        elif (info.external_attr >> 16) & 0o170000 == _LINK:
            problems.append(Problem(f"{where}/{name}", 0, 0, "is a link, not a file; it was not read"))
        elif info.file_size > MEMBER_BYTES:
            problems.append(Problem(f"{where}/{name}", 0, 0, "is over 1 MiB, too large for a lesson or assignment"))
        elif seen.get(parts) == name:  # an unpacker keeps one of them, and which depends on the unpacker
            problems.append(Problem(f"{where}/{name}", 0, 0, "is in the archive more than once; it was not read"))
        elif parts in seen:
            problems.append(Problem(f"{where}/{name}", 0, 0, f"has the same name as {excerpt(seen[parts])} on a disk "
                                    "that does not tell capital letters apart; it was not read"))
        elif len(parts) - 1 > MAX_DEPTH:
            problems.append(Problem(f"{where}/{name}", 0, 0, f"is more than {MAX_DEPTH} folders deep; it was not read"))
        seen.setdefault(parts, name)
        folders.update((parts[:n], "/".join(PurePosixPath(name).parts[:n])) for n in range(1, len(parts)))
        total += info.file_size
    for parts in sorted(seen.keys() & folders.keys()):
        problems.append(Problem(f"{where}/{folders[parts]}", 0, 0, "is both a file and a folder in the archive; "
                                "it was not read"))
    if total > TOTAL_BYTES:
        problems.append(Problem(where, 0, 0, f"unpacks to over {TOTAL_BYTES >> 20} MiB; it was not read"))
    return problems


def pack(name: str, data: bytes, bundled: list[tuple[str, bytes]]) -> bytes:
    """One zip archive of an assignment (its file name and bytes) and the lesson files it bundles,
    each at the path the assignment gives it, with the bytes that were checked."""
    import io
    import time
    import zipfile

    from neurotutor import files

    when = files.zip_time(time.time())  # a zip holds 1980-2107 only: a clock outside gives the nearest end
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo(name, when), data, zipfile.ZIP_DEFLATED)
        for relative, content in bundled:
            zf.writestr(zipfile.ZipInfo(PurePosixPath(relative).as_posix(), when), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
