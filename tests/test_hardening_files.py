"""Files a person names (reports, exports, decks, schemas, lessons, hand-overs) and the tool's own
files: nothing written over the data folder, a device, a pipe or a link; modes that respect the
umask; no temp file left behind; a profile name, a lock file and a number that cannot sneak past
their checks (issue 16: 6, 7, 8, 15, 21 lock part, 22, 23)."""

from __future__ import annotations

import errno
import os
import socket
import stat
import sys
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from flows import cli

from neurotutor import files, paths
from neurotutor.cli.app import main
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root (as in CI)")



def answered(home: Path) -> ProgressStore:
    """A profile with one answer in its history."""
    store = ProgressStore(home / "progress.json", now=lambda: NOW)
    a = pm.new_attempt(lesson="les", question="q1", mode="lesson", run=1, answer=None, answer_text="mine",
                       correct=True, seconds=2, now=NOW, utc_offset=0)
    store.update(lambda p: pm.record_answer(p, a, [], ["q1"], a.at), (a,))
    return store


def inside(target: Path, home: Path) -> str:
    return (f"Cannot write {target}: it is inside neurotutor's data folder {home}, where it could replace "
            "your progress or answers. Choose a file outside that folder.\n")


# 6. Output files never land in the data folder -------------------------------------------------

def test_an_output_file_in_the_data_folder_is_refused_and_nothing_changes(capsys, neurotutor_home: Path,
                                                                          tmp_path: Path) -> None:
    answered(neurotutor_home)
    saved = {name: (neurotutor_home / name).read_bytes() for name in ("progress.json", "history.jsonl")}
    (tmp_path / "via").symlink_to(neurotutor_home)  # a folder link into the data folder
    (tmp_path / "out.json").symlink_to(neurotutor_home / "history.jsonl")  # a file link into it
    profile_dir = neurotutor_home / "profiles" / "sam"
    cases = [
        (("export",), neurotutor_home / "history.jsonl"),
        (("export",), neurotutor_home / "progress.json"),
        (("export",), tmp_path / "via" / "history.jsonl"),
        (("export",), tmp_path / "out.json"),
        (("export",), profile_dir / "progress.json"),
        (("schema", "lesson", "-o"), neurotutor_home / "history.jsonl"),
        (("export-deck", "--lessons", "cbt"), neurotutor_home / "deck.apkg"),
        (("caseload", str(EXAMPLES / "report.json"), "--format", "json", "-o"), neurotutor_home / "history.jsonl"),
        (("assign", "pack", str(EXAMPLES / "assignment.yaml"), "-o"), neurotutor_home / "a.zip"),
    ]
    for words, target in cases:
        code, out, err = cli(capsys, *words, str(target))
        assert (code, out, err) == (2, "", inside(target, neurotutor_home)), words
    for name, data in saved.items():
        assert (neurotutor_home / name).read_bytes() == data
    assert (tmp_path / "out.json").is_symlink()
    assert not (neurotutor_home / "deck.apkg").exists() and not (neurotutor_home / "a.zip").exists()
    assert sorted(os.listdir(neurotutor_home)) == ["cache", "history.jsonl", "progress.json", "progress.json.lock"]


def test_new_lesson_refuses_a_folder_in_the_data_folder_before_making_it(capsys, neurotutor_home: Path) -> None:
    neurotutor_home.mkdir(mode=0o700)
    folder = neurotutor_home / "lessons" / "mine"
    code, out, err = cli(capsys, "new", "lesson", "my-lesson", "--dir", str(folder))
    assert (code, out, err) == (2, "", inside(folder / "my-lesson.yaml", neurotutor_home))
    assert not (neurotutor_home / "lessons").exists()


def test_write_file_refuses_the_data_folder_for_every_command_that_uses_it(neurotutor_home: Path) -> None:
    from neurotutor.cli.context import write_file
    from neurotutor.errors import UsageError

    neurotutor_home.mkdir(mode=0o700)
    for target in (neurotutor_home, neurotutor_home / "report.md", neurotutor_home / "cache" / "x.html"):
        with pytest.raises(UsageError) as err:
            write_file(target, b"x")
        assert err.value.message + "\n" == inside(target, neurotutor_home)


def test_every_command_writes_named_files_through_write_file() -> None:
    """Any other way of writing a user-named file would skip the checks above."""
    import re

    writes = re.compile(r"write_bytes\(|write_text\(|atomic_write\(|mkdir\(|os\.replace\(|os\.rename\(|shutil\."
                        r"|open\([^)]*['\"][wax]b?\+?['\"]|O_CREAT|O_WRONLY|O_RDWR")
    commands = ROOT / "src" / "neurotutor" / "cli" / "commands"
    for module in commands.glob("*.py"):
        found = writes.findall(module.read_text())
        if module.name == "assignment.py":  # copies bundled lessons into the profile: the tool's own folder
            found = [f for f in found if f != "atomic_write("]
        assert found == [], module.name


# 7. Numbers must be finite -------------------------------------------------------------------

@pytest.mark.parametrize("value", ["nan", "NaN", "-nan", "inf", "-inf"])
def test_settings_refuses_a_retention_that_is_not_a_number(capsys, neurotutor_home: Path, value: str) -> None:
    code, out, err = cli(capsys, "settings", "--retention", value)
    assert code == 2 and out == ""
    shown = str(float(value))  # nan, inf or -inf, as click shows them
    assert err.endswith(f"Error: Invalid value for '--retention': {shown} is not in the range 0.7<=x<=0.97.\n")
    assert not (neurotutor_home / "progress.json").exists()
    code, out, err = cli(capsys, "settings", "--retention", "0.85")
    assert code == 0 and out.startswith("Saved.\n"), err
    assert b'"desired_retention": 0.85' in (neurotutor_home / "progress.json").read_bytes()


def test_lesson_and_assignment_files_cannot_carry_nan_or_infinity() -> None:
    from neurotutor.assignments.loader import parse_assignment
    from neurotutor.authoring.scaffold import scaffold
    from neurotutor.lessons.loader import parse_lesson

    lesson = scaffold("a-b", None)
    for number, shown in ((".nan", "nan"), (".NaN", "nan"), (".inf", "inf"), ("-.inf", "-inf")):
        loaded, problems, _ = parse_lesson(lesson.replace("minutes: 10", f"minutes: {number}", 1), "x.yaml")
        assert loaded is None
        assert [p.message for p in problems] == [f"minutes: expected a whole number, got a number ({shown})"]
    assignment = (EXAMPLES / "assignment.yaml").read_text()
    for field in ("minutes_per_day: 10", "min_score: 70"):
        loaded, problems = parse_assignment(assignment.replace(field, field.split(":")[0] + ": .nan"), "a.yaml")
        assert loaded is None and problems[0].message.endswith("expected a whole number, got a number (nan)")


# 8. Devices, pipes and links are written into, never replaced ---------------------------------

@AS_ROOT
def test_export_into_a_full_device_leaves_the_device_and_says_it_is_full(capsys, tmp_path: Path) -> None:
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # the same device as /dev/full
    code, out, err = cli(capsys, "export", str(full))
    assert (code, out, err) == (2, "", f"Cannot write {full}: there is no space left on it.\n")
    assert stat.S_ISCHR(full.stat().st_mode)


@AS_ROOT
def test_export_into_a_null_device_and_a_link_to_it_keeps_both(capsys, tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    (tmp_path / "stdout").symlink_to(null)
    for target in (null, tmp_path / "stdout"):
        code, out, err = cli(capsys, "export", str(target))
        assert code == 0 and out.startswith("Exported your progress in 0 lessons and 0 answers to "), err
    assert stat.S_ISCHR(null.lstat().st_mode) and (tmp_path / "stdout").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["home", "null", "stdout"]  # no temp file left


@AS_ROOT
def test_a_block_device_is_refused(capsys, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 250))
    code, out, err = cli(capsys, "schema", "lesson", "-o", str(disk))
    assert (code, out, err) == (2, "", f"Cannot write {disk}: it is a disk device, not a file.\n")
    assert stat.S_ISBLK(disk.lstat().st_mode)


def test_a_fifo_is_written_into_when_someone_reads_it_and_refused_when_not(capsys, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, out, err = cli(capsys, "schema", "lesson", "-o", str(fifo))
    assert (code, out, err) == (2, "", f"Cannot write {fifo}: no program is reading from it (start the reader first).\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, out, err = cli(capsys, "schema", "assignment", "-o", str(fifo))
        assert (code, out, err) == (0, f"Wrote {fifo}.\n", "")
        got = b""
        while chunk := os.read(reader, 65536):
            got += chunk
    finally:
        os.close(reader)
    from neurotutor.authoring.schema import schema_json

    assert got == schema_json("assignment") and stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_socket_is_refused(capsys, tmp_path: Path) -> None:
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        code, out, err = cli(capsys, "schema", "lesson", "-o", str(path))
    assert (code, out, err) == (2, "", f"Cannot write {path}: it is a socket, not a file.\n")
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_a_link_to_a_file_is_kept_and_its_target_written(capsys, tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "target.json").write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real / "target.json")
    code, out, err = cli(capsys, "schema", "lesson", "-o", str(link))
    assert (code, out, err) == (0, f"Wrote {link}.\n", "")
    assert link.is_symlink() and (real / "target.json").read_text().startswith("{")
    assert sorted(os.listdir(real)) == ["target.json"]


def test_assign_new_refuses_a_pipe_it_would_have_to_read_back(capsys, tmp_path: Path) -> None:
    fifo = tmp_path / "sk.yaml"
    os.mkfifo(fifo)
    code, out, err = cli(capsys, "assign", "new", "-o", str(fifo), "--force", "--id", "sk", "--title", "T",
                         "--therapist", "Dr A", "--client", "S.K.", "--lesson", "cbt:2030-01-01")
    assert (code, out, err) == (2, "", f"Cannot write {fifo}: it is not a file (an assignment is read back to "
                                       "check it).\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _as_nobody(argv: list[str]) -> tuple[int, str]:
    """Run main(argv) in a forked child that dropped root for `nobody`: (exit code, stderr)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.close(read)
            os.dup2(write, 2)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
            sys.stderr = open(2, "w", closefd=False)
            sys.stdout = open(1, "w", closefd=False)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        err = fh.read().decode()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err


@AS_ROOT
def test_a_folder_another_user_owns_gives_the_real_reason(capsys, tmp_path: Path) -> None:
    from neurotutor.cli.context import write_file

    shared = Path(tempfile.mkdtemp(prefix="neurotutor-test-"))  # reachable by nobody, unlike tmp_path
    try:
        shared.chmod(0o755)
        write_file(shared / "warm.json", b"{}")  # load what a write needs while root can read it
        assert cli(capsys, "schema", "lesson", "-o", str(shared / "warm.json"))[0] == 0
        code, err = _as_nobody(["schema", "lesson", "-o", str(shared / "s.json")])
        assert (code, err) == (2, f"Cannot write {shared / 's.json'}: the folder {shared} is not writable by you.\n")
        assert sorted(os.listdir(shared)) == ["warm.json"]
    finally:
        for name in os.listdir(shared):
            os.unlink(shared / name)
        shared.rmdir()


def test_a_full_disk_leaves_the_old_file_and_says_so(capsys, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "s.json"
    target.write_text("old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, out, err = cli(capsys, "schema", "lesson", "-o", str(target))
    assert (code, out, err) == (2, "", f"Cannot write {target}: the disk is full. {target} was not changed; "
                                       "free some space and try again.\n")
    assert target.read_text() == "old" and sorted(os.listdir(tmp_path)) == ["s.json"]
    code, out, err = cli(capsys, "schema", "lesson", "-o", str(tmp_path / "new.json"))
    assert (code, out, err) == (2, "", f"Cannot write {tmp_path / 'new.json'}: the disk is full. Nothing was written; "
                                       "free some space and try again.\n")
    assert sorted(os.listdir(tmp_path)) == ["s.json"]


def test_a_read_only_disk_is_named(capsys, tmp_path: Path, monkeypatch) -> None:
    def read_only(*args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    code, out, err = cli(capsys, "schema", "lesson", "-o", str(tmp_path / "s.json"))
    assert (code, out, err) == (2, "", f"Cannot write {tmp_path / 's.json'}: the folder {tmp_path} is on a "
                                       "read-only disk.\n")


# 15. Profile names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["sam\n", "sam\r\n", "\nsam"])
def test_a_profile_name_with_a_newline_is_refused_from_the_option_and_the_environment(
        capsys, neurotutor_home: Path, monkeypatch, name: str) -> None:
    message = (f"Profile name {name!r} is not allowed: use 1-40 lowercase letters, digits, '-' or '_', "
               "starting with a letter or digit (for example: --profile sam).\n")
    assert cli(capsys, "--profile", name, "settings") == (2, "", message)
    monkeypatch.setenv("NEUROTUTOR_PROFILE", name)
    assert cli(capsys, "settings") == (2, "", message)
    assert not neurotutor_home.exists()
    with pytest.raises(Exception):
        paths.progress_file(name)


def test_an_id_with_a_trailing_newline_is_refused_for_a_new_lesson_and_in_a_lesson_file(capsys,
                                                                                       tmp_path: Path) -> None:
    from neurotutor.authoring.scaffold import scaffold
    from neurotutor.lessons.loader import parse_lesson

    code, out, err = cli(capsys, "new", "lesson", "my-lesson\n", "--dir", str(tmp_path))
    assert (code, out, err) == (2, "", "'my-lesson\\n' cannot be a lesson id: use lowercase letters, digits and "
                                       "single hyphens, like sleep-and-memory.\n")
    assert os.listdir(tmp_path) == []
    loaded, problems, _ = parse_lesson(scaffold("a-b", None).replace("id: a-b", 'id: "a-b\\n"', 1), "x.yaml")
    assert loaded is None and [str(p) for p in problems] == [
        "x.yaml:7:5: id: 'a-b\\n' must be a lowercase id: letters a-z, digits and single hyphens, like 'my-lesson'"]


# 21. Lock files are never followed -----------------------------------------------------------

def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(capsys, neurotutor_home: Path,
                                                                   tmp_path: Path) -> None:
    neurotutor_home.mkdir(mode=0o700)
    victim = tmp_path / "victim"
    victim.write_text("someone else's")
    victim.chmod(0o644)
    lock = neurotutor_home / "progress.json.lock"
    lock.symlink_to(victim)
    code, out, err = cli(capsys, "settings", "--retention", "0.8")
    assert (code, out) == (3, "")
    assert err == (f"Cannot lock {lock}: progress.json.lock is a symbolic link, and neurotutor does not follow "
                   "links among its own files. Remove the link (or put the file itself in its place).\n")
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644 and victim.read_text() == "someone else's"


def test_appending_never_follows_a_link(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("kept\n")
    victim.chmod(0o644)
    history = tmp_path / "history.jsonl"
    history.symlink_to(victim)
    with pytest.raises(OSError) as err:
        files.append_durably(history, b"answer\n")
    assert err.value.strerror == ("history.jsonl is a symbolic link, and neurotutor does not follow links among "
                                  "its own files. Remove the link (or put the file itself in its place)")
    assert victim.read_text() == "kept\n" and stat.S_IMODE(victim.stat().st_mode) == 0o644


# 22. Hand-over files and folders respect the umask ---------------------------------------------

@pytest.fixture
def umask():  # type: ignore[no-untyped-def]
    """Set the umask for the test; the old one comes back afterwards."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def test_hand_over_files_respect_a_stricter_umask(capsys, tmp_path: Path, umask) -> None:
    for mask, want in ((0o077, 0o600), (0o027, 0o640), (0o022, 0o644), (0o000, 0o644)):
        umask(mask)
        schema = tmp_path / f"s{mask:o}.json"
        assert cli(capsys, "schema", "lesson", "-o", str(schema))[0] == 0
        pack = tmp_path / f"a{mask:o}.zip"
        assert cli(capsys, "assign", "pack", str(EXAMPLES / "assignment.yaml"), "-o", str(pack))[0] == 0
        made = tmp_path / f"n{mask:o}.yaml"
        code, out, err = cli(capsys, "assign", "new", "-o", str(made), "--id", "sk", "--title", "T", "--therapist",
                             "Dr A", "--contact", "a@example.org", "--client", "S.K.", "--lesson", "cbt:2030-01-01")
        assert code == 0, err
        assert [oct(stat.S_IMODE(f.stat().st_mode)) for f in (schema, pack, made)] == [oct(want)] * 3, oct(mask)


def test_reading_the_umask_leaves_it_as_it_was(umask) -> None:
    umask(0o027)
    assert files.current_umask() == 0o027
    assert os.umask(0o027) == 0o027


def test_new_lesson_folders_are_never_writable_by_others(capsys, tmp_path: Path, umask) -> None:
    for mask, want in ((0o000, 0o755), (0o077, 0o700), (0o022, 0o755)):
        umask(mask)
        top = tmp_path / f"m{mask:o}"
        code, out, err = cli(capsys, "new", "lesson", "my-lesson", "--dir", str(top / "lessons"))
        assert code == 0, err
        for folder in (top, top / "lessons"):
            assert oct(stat.S_IMODE(folder.stat().st_mode)) == oct(want), (mask, folder)
        assert oct(stat.S_IMODE((top / "lessons" / "my-lesson.yaml").stat().st_mode)) == oct(want & 0o644)


# 23. export-deck leaves nothing in TMPDIR ------------------------------------------------------

def test_export_deck_leaves_no_temporary_file(capsys, tmp_path: Path, monkeypatch) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", None)  # forget the folder found before
    deck = tmp_path / "d.apkg"
    code, out, err = cli(capsys, "export-deck", str(deck), "--lessons", "cbt")
    assert code == 0, err
    assert os.listdir(scratch) == []
    with zipfile.ZipFile(deck) as zf:
        assert sorted(zf.namelist()) == ["collection.anki2", "media"]
        assert zf.read("media") == b"{}"
