"""Where an assignment comes from: one YAML file, a folder, or a single zip archive holding the
assignment and the therapist's own lesson files.

A folder is read the way an archive is: walked without following links (a link, a device or a
pipe in it is refused, as a link member is), at most MEMBERS files and MEMBERS folders, at most
MAX_DEPTH folders deep, hidden entries skipped. A folder beyond those bounds is not an assignment
folder and is refused without listing what is in it. Only the first 64 KiB of a .yaml file are
read to see whether it is the assignment. Anything else named as the source must be a regular
file: a pipe or a device is refused before it is opened.

An archive is never extracted by its own paths. Each member is checked first (a plain file with a
name of its own, a relative path without `..`, at most MEMBER_BYTES, at most MEMBERS of them and
TOTAL_BYTES in all), and only then written into a fresh private temporary folder, which is
removed afterwards. A member that cannot be unpacked (damaged, encrypted) stops it. Problems
name places as the person knows them: `autumn.zip/assignment.yaml:3:5`.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from neurotutor.errors import Problem
from neurotutor.text import describe_char, excerpt, first_unsafe

MEMBERS = 100
MEMBER_BYTES = 1 << 20  # like a lesson file
TOTAL_BYTES = 16 << 20
MAX_DEPTH = 8  # folders below the top, in a folder or an archive
_LINK = 0o120000
NOT_REGULAR = ("is not a regular file (a device or pipe?); give the assignment file, its .zip archive or "
               "the folder that holds them")
NOT_AN_ASSIGNMENT_FOLDER = ("so it is not an assignment folder; give the assignment file itself, its .zip "
                            "archive, or a folder that holds only the assignment and its lesson files")


@dataclass(frozen=True)
class Source:
    """The assignment file to load (None when there is none), what is wrong, and how to name a
    problem's place as the person knows it."""

    assignment: Path | None
    problems: list[Problem]
    place: Callable[[str], str] = str  # a path as the person knows it

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
            yield Source(found.assignment, [replace(p, path=place(p.path)) for p in found.problems], place)
    else:
        yield Source(path, [])


def _walk(folder: Path) -> tuple[list[Path], list[Problem], str | None]:
    """The files in a folder, breadth first, never through a link: (files, problems, None), or
    why it is not an assignment folder at all (too many entries, too deep), found before reading
    any file and without naming any."""
    files: list[Path] = []
    problems: list[Problem] = []
    folders = 0
    level = [folder]
    depth = 0
    while level:
        below: list[Path] = []
        for here in level:
            try:
                with os.scandir(here) as entries:
                    for entry in entries:  # counted as they come: a huge folder is never listed whole
                        if entry.name.startswith("."):
                            continue
                        path = Path(entry.path)
                        if entry.is_symlink():
                            problems.append(Problem(str(path), 0, 0, "is a link, not a file; it was not read"))
                        elif entry.is_dir(follow_symlinks=False):
                            folders += 1
                            if depth >= MAX_DEPTH:
                                return [], [], f"has folders more than {MAX_DEPTH} levels deep, {NOT_AN_ASSIGNMENT_FOLDER}"
                            below.append(path)
                        elif entry.is_file(follow_symlinks=False):
                            files.append(path)
                        else:
                            problems.append(Problem(str(path), 0, 0, "is not a regular file (a device or pipe?); "
                                                    "it was not read"))
                        if len(files) > MEMBERS or folders > MEMBERS:
                            return [], [], f"holds more than {MEMBERS} files or folders, {NOT_AN_ASSIGNMENT_FOLDER}"
            except OSError as exc:
                problems.append(Problem(str(here), 0, 0, f"cannot be read: {exc.strerror or exc}"))
        level = below
        depth += 1
    return sorted(files), sorted(problems), None


def _find(folder: Path, given: Path) -> Source:
    """The one assignment file in a folder (at any depth within the bounds)."""
    from neurotutor.assignments.loader import looks_like_assignment

    files, problems, refused = _walk(folder)
    if refused:
        return Source(None, [Problem(str(given), 0, 0, refused)])
    if problems:
        return Source(None, problems)
    found = [p for p in files if p.suffix.lower() in (".yaml", ".yml") and looks_like_assignment(p)]
    if len(found) == 1:
        return Source(found[0], [])
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


def _check_members(members: list[object], where: str) -> list[Problem]:
    problems = []
    if len(members) > MEMBERS:
        problems.append(Problem(where, 0, 0, f"holds {len(members)} files; an assignment archive holds at most {MEMBERS}"))
    total = 0
    seen: set[tuple[str, ...]] = set()
    folders: set[tuple[str, ...]] = set()
    for info in members:
        name: str = info.filename  # type: ignore[attr-defined]
        parts = PurePosixPath(name).parts
        unsafe = first_unsafe(name)
        if (not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]):
            problems.append(Problem(f"{where}/{name}", 0, 0, "has a path that points outside the archive; "
                                    "it was not read"))
        elif unsafe >= 0:
            problems.append(Problem(f"{where}/{name}", 0, 0, f"has {describe_char(name[unsafe])} in its name; "
                                    "it was not read"))
        elif (info.external_attr >> 16) & 0o170000 == _LINK:  # type: ignore[attr-defined]
            problems.append(Problem(f"{where}/{name}", 0, 0, "is a link, not a file; it was not read"))
        elif info.file_size > MEMBER_BYTES:  # type: ignore[attr-defined]
            problems.append(Problem(f"{where}/{name}", 0, 0, "is over 1 MiB, too large for a lesson or assignment"))
        elif parts in seen:  # an unpacker keeps one of them, and which depends on the unpacker
            problems.append(Problem(f"{where}/{name}", 0, 0, "is in the archive more than once; it was not read"))
        elif len(parts) - 1 > MAX_DEPTH:
            problems.append(Problem(f"{where}/{name}", 0, 0, f"is more than {MAX_DEPTH} folders deep; it was not read"))
        seen.add(parts)
        folders.update(parts[:n] for n in range(1, len(parts)))
        total += info.file_size  # type: ignore[attr-defined]
    for parts in sorted(seen & folders):
        problems.append(Problem(f"{where}/{'/'.join(parts)}", 0, 0, "is both a file and a folder in the archive; "
                                "it was not read"))
    if total > TOTAL_BYTES:
        problems.append(Problem(where, 0, 0, f"unpacks to over {TOTAL_BYTES >> 20} MiB; it was not read"))
    return problems


def pack(name: str, data: bytes, bundled: list[tuple[str, bytes]]) -> bytes:
    """One zip archive of an assignment (its file name and bytes) and the lesson files it bundles,
    each at the path the assignment gives it, with the bytes that were checked."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
        for relative, content in bundled:
            zf.writestr(PurePosixPath(relative).as_posix(), content)
    return buffer.getvalue()
