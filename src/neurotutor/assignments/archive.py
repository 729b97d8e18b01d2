"""Where an assignment comes from: one YAML file, a folder, or a single zip archive holding the
assignment and the therapist's own lesson files.

An archive is never extracted by its own paths. Each member is checked first (a plain file, a
relative path without `..`, at most MEMBER_BYTES, at most MEMBERS of them and TOTAL_BYTES in all),
and only then written into a fresh private temporary folder, which is removed afterwards. Problems
name places as the person knows them: `autumn.zip/assignment.yaml:3:5`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from neurotutor.errors import Problem

MEMBERS = 100
MEMBER_BYTES = 1 << 20  # like a lesson file
TOTAL_BYTES = 16 << 20
_LINK = 0o120000


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
    if path.is_dir():
        yield _find(path, path)
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


def _find(folder: Path, given: Path) -> Source:
    """The one assignment file in a folder (at any depth)."""
    from neurotutor.assignments.loader import looks_like_assignment

    found = sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                   and looks_like_assignment(p))
    if len(found) == 1:
        return Source(found[0], [])
    if not found:
        return Source(None, [Problem(str(given), 0, 0, "holds no assignment file (a .yaml file that starts "
                                     "with kind: assignment)")])
    names = ", ".join(str(p.relative_to(folder)) for p in found)
    return Source(None, [Problem(str(given), 0, 0, f"holds several assignment files ({names}); give one of them")])


def _unpack(archive: Path, into: Path) -> list[Problem]:
    """Check every member, then write the files into `into`; nothing is written if any is wrong."""
    import zipfile

    where = str(archive)
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
            problems = _check_members(members, where)
            if problems:
                return problems
            for info in members:
                with zf.open(info) as fh:
                    data = fh.read(MEMBER_BYTES + 1)
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
    for info in members:
        name: str = info.filename  # type: ignore[attr-defined]
        parts = PurePosixPath(name).parts
        if (not parts or name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]):
            problems.append(Problem(f"{where}/{name}", 0, 0, "has a path that points outside the archive; "
                                    "it was not read"))
        elif (info.external_attr >> 16) & 0o170000 == _LINK:  # type: ignore[attr-defined]
            problems.append(Problem(f"{where}/{name}", 0, 0, "is a link, not a file; it was not read"))
        elif info.file_size > MEMBER_BYTES:  # type: ignore[attr-defined]
            problems.append(Problem(f"{where}/{name}", 0, 0, "is over 1 MiB, too large for a lesson or assignment"))
        total += info.file_size  # type: ignore[attr-defined]
    if total > TOTAL_BYTES:
        problems.append(Problem(where, 0, 0, f"unpacks to over {TOTAL_BYTES >> 20} MiB; it was not read"))
    return problems


def pack(assignment: Path, bundled: list[Path]) -> bytes:
    """One zip archive of an assignment file and the lesson files it bundles (at the paths the
    assignment gives them)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(assignment.name, assignment.read_bytes())
        for lesson in bundled:
            zf.writestr(lesson.relative_to(assignment.parent).as_posix(), lesson.read_bytes())
    return buffer.getvalue()
