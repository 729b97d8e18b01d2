"""Files a person names (reports, exports, decks, schemas, lessons, hand-overs) and the tool's own
files: nothing written over the data folder, a device, a pipe or a link; modes that respect the
umask; no temp file left behind; a profile name, a lock file and a number that cannot sneak past
their checks (issue 16: 6, 7, 8, 15, 21 lock part, 22, 23)."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import sys
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from neurotutor import files, paths
from neurotutor.cli.app import main
from neurotutor.progress import model as pm
from neurotutor.progress.store import ProgressStore

from flows import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
EXAMPLE_REPORT = ROOT / "tests" / "data" / "reports" / "example.json"
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

    monkeypatch.setattr(files, "make_temp", read_only)  # where a named file's temp file is made
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
    from neurotutor.errors import UsageError

    with pytest.raises(UsageError):
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


# Second round: what the tester still broke ------------------------------------------------------

def _swap_after_check(monkeypatch, swap) -> None:  # type: ignore[no-untyped-def]
    """Run swap() right after write_file has checked where the file goes: the moment a racing user
    would change a link or a folder."""
    from neurotutor.cli import context

    real = context.check_outside_data

    def checked(*args, **kw):  # type: ignore[no-untyped-def]
        result = real(*args, **kw)
        if len(args) + len(kw) > 1:  # write_file's check of the place it found (not an earlier may_replace)
            swap()
        return result

    monkeypatch.setattr(context, "check_outside_data", checked)


def test_a_link_swapped_after_the_check_cannot_send_the_write_into_the_data_folder(capsys, monkeypatch,
                                                                                     neurotutor_home: Path,
                                                                                     tmp_path: Path) -> None:
    """F3: the path is found once and that very file written; a link changed meanwhile changes nothing."""
    store = answered(neurotutor_home)
    before = store.history_path.read_bytes()
    race = tmp_path / "race"
    race.mkdir()
    link = race / "out.json"
    link.symlink_to(race / "real.json")

    def swap() -> None:
        link.unlink()
        link.symlink_to(store.history_path)

    _swap_after_check(monkeypatch, swap)
    code, _, err = cli(capsys, "export", str(link))
    assert (code, err) == (0, "")
    assert store.history_path.read_bytes() == before
    assert json.loads((race / "real.json").read_text())["format"] == "neurotutor-export"
    assert os.readlink(link) == str(store.history_path)  # the link was swapped, and it did not matter


def test_a_folder_swapped_after_the_check_cannot_send_the_write_into_the_data_folder(capsys, monkeypatch,
                                                                                       neurotutor_home: Path,
                                                                                       tmp_path: Path) -> None:
    """F3: the folder found is held open, so a link put in its place leads nowhere."""
    store = answered(neurotutor_home)
    before = store.history_path.read_bytes()
    race = tmp_path / "race"
    race.mkdir()

    def swap() -> None:
        race.rename(tmp_path / "moved")
        race.symlink_to(neurotutor_home)

    _swap_after_check(monkeypatch, swap)
    code, _, err = cli(capsys, "caseload", str(EXAMPLES / "report.json"), "--format", "json", "-o",
                         str(race / "history.jsonl"))
    assert (code, err) == (0, "")
    assert store.history_path.read_bytes() == before
    assert json.loads((tmp_path / "moved" / "history.jsonl").read_text())["format"] == "neurotutor-caseload"


def link_of_another_user(link: Path) -> str:
    return f"Cannot write {link}: {link} is a link made by another user; it was not followed. Nothing was written.\n"


@AS_ROOT
def test_a_link_made_by_another_user_is_not_followed(capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    """F4: mallory's link in a folder she does not own leads nowhere (the kernel's protected_symlinks rule)."""
    answered(neurotutor_home)
    profile = tmp_path / "profile"
    profile.write_text("victim's own\n")
    profile.chmod(0o644)
    race = tmp_path / "race"
    race.mkdir(mode=0o777)
    race.chmod(0o1777)  # like /tmp: sticky, writable by all, owned by root
    link, deck, pack = race / "report.md", race / "deck.apkg", race / "pack.zip"
    for planted in (link, deck, pack):
        planted.symlink_to(profile)
        os.lchown(planted, 65534, 65534)
    for words, name in ((("export",), link), (("schema", "lesson", "-o"), link),
                        (("export-deck", "--lessons", "cbt"), deck),
                        (("caseload", str(EXAMPLES / "report.json"), "--format", "md", "-o"), link),
                        (("assign", "pack", str(EXAMPLES / "assignment.yaml"), "--force", "-o"), pack)):
        code, out, err = cli(capsys, *words, str(name))
        assert (code, out, err) == (2, "", link_of_another_user(name)), words
    folder_link = race / "docs"  # a link to a folder is no different
    folder_link.symlink_to(tmp_path)
    os.lchown(folder_link, 65534, 65534)
    code, out, err = cli(capsys, "export", str(folder_link / "profile"))
    assert (code, out, err) == (2, "", (f"Cannot write {folder_link / 'profile'}: {folder_link} is a link made by "
                                        "another user; it was not followed. Nothing was written.\n"))
    assert profile.read_text() == "victim's own\n" and stat.S_IMODE(profile.stat().st_mode) == 0o644
    os.lchown(link, 0, 0)  # the same link, made by the person writing: followed
    assert cli(capsys, "schema", "lesson", "-o", str(link))[0] == 0
    assert profile.read_text().startswith("{") and link.is_symlink()


@AS_ROOT
def test_a_link_of_the_folders_owner_is_not_followed_unless_that_is_root(capsys, tmp_path: Path) -> None:
    """F4, second re-test: mallory owns a world-writable folder and puts her link in it; unlike the
    kernel's protected_symlinks (which trusts the folder's owner), it is not followed. A link of
    root's (as /dev/stdout is) or of your own is."""
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o1777)
    os.chown(shared, 65534, 65534)
    (tmp_path / "target.json").write_text("old")
    link = shared / "out.json"
    link.symlink_to(tmp_path / "target.json")
    os.lchown(link, 65534, 65534)
    assert cli(capsys, "schema", "lesson", "-o", str(link)) == (
        2, "", f"Cannot write {link}: {link} is a link made by another user; it was not followed. Nothing was written.\n")
    assert (tmp_path / "target.json").read_text() == "old"
    os.lchown(link, 0, 0)  # root's own link (the tests run as root, as CI does)
    assert cli(capsys, "schema", "lesson", "-o", str(link)) == (0, f"Wrote {link}.\n", "")
    assert (tmp_path / "target.json").read_text().startswith("{")


@pytest.fixture
def log(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A log a shell opened with >> (O_APPEND) on a descriptor of this process; closed afterwards."""
    path = tmp_path / "log"
    path.write_text("KEEP\n")
    path.chmod(0o644)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    yield path, fd
    os.close(fd)


def test_a_name_for_an_open_descriptor_is_appended_to_never_replaced(capsys, neurotutor_home: Path, tmp_path: Path,
                                                                     log) -> None:
    """F5: /dev/fd/N and /proc/self/fd/N (and a link to one) are the open descriptor: a shell's >>
    keeps appending and the file keeps its content, its mode and its inode."""
    path, fd = log
    inode = path.stat().st_ino
    (tmp_path / "mine").symlink_to(f"/dev/fd/{fd}")
    names = [f"/dev/fd/{fd}", f"/proc/self/fd/{fd}", str(tmp_path / "mine")]
    for name in names:
        code, out, err = cli(capsys, "export", name)
        assert (code, out, err) == (0, f"Exported your progress in 0 lessons and 0 answers to {name}\n", "")
    code, out, err = cli(capsys, "caseload", str(EXAMPLES / "report.json"), "--format", "json", "-o", f"/dev/fd/{fd}")
    assert (code, out, err) == (0, f"Wrote /dev/fd/{fd}.\n", "")
    text = path.read_text()
    assert text.startswith("KEEP\n{\n") and text.count('"format":"neurotutor-export"') == 3
    assert text.rstrip().endswith("}") and '"format": "neurotutor-caseload"' in text
    assert (path.stat().st_ino, stat.S_IMODE(path.stat().st_mode)) == (inode, 0o644)
    assert sorted(os.listdir(tmp_path)) == ["home", "log", "mine"]


def test_dev_stdout_is_this_commands_standard_output(capsys, neurotutor_home: Path, log) -> None:
    """F5: `export /dev/stdout >> log` appends the document alone, as `export >> log` does."""
    path, fd = log
    saved = os.dup(1)
    try:
        os.dup2(fd, 1)
        export = cli(capsys, "export", "/dev/stdout")
        caseload = cli(capsys, "caseload", str(EXAMPLES / "report.json"), "--format", "json", "-o", "/dev/stdout")
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    assert export == (0, "", "") and caseload == (0, "", "")
    text = path.read_text()
    assert text.startswith("KEEP\n{\n") and '"format": "neurotutor-caseload"' in text
    assert json.loads(text[len("KEEP\n"):text.index("\n}\n") + 3])["format"] == "neurotutor-export"  # whole
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_nothing_written_into_a_pipe_or_a_device_is_called_readable_only_by_you(capsys, neurotutor_home: Path,
                                                                                tmp_path: Path) -> None:
    """F5: who reads a pipe or a device is not the tutor's to promise."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        code, out, err = cli(capsys, "export", str(fifo))
        assert (code, out, err) == (0, f"Exported your progress in 0 lessons and 0 answers to {fifo}\n", "")
        assert os.read(reader, 65536).startswith(b"{\n")
    finally:
        os.close(reader)
    assert cli(capsys, "export", "/dev/null") == (0, "Exported your progress in 0 lessons and 0 answers to /dev/null\n", "")
    assert cli(capsys, "caseload", str(EXAMPLES / "report.json"), "--format", "md", "-o", "/dev/null") == (
        0, "Wrote /dev/null.\n", "")
    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    plan = tmp_path / "plan.yaml"
    plan.write_text((ROOT / "tests" / "data" / "assignments" / "good.yaml").read_text().replace(
        "  - lesson: my-own-lesson\n    due: 2030-12-08\n    file: my-own-lesson.yaml\n", ""))
    assert cli(capsys, "assignment", "add", str(plan))[0] == 0
    code, out, err = cli(capsys, "report", "--yes", "-o", "/dev/null")
    assert (code, err) == (0, "") and out.startswith("Wrote /dev/null. It is not sealed")
    code, out, err = cli(capsys, "report", "--yes", "-o", str(tmp_path / "r.md"))
    assert (code, err) == (0, "") and out.startswith(f"Wrote {tmp_path / 'r.md'} (readable only by you). It is not sealed")


# F6. An import is a regular file of bounded size -------------------------------------------------

def test_import_refuses_devices_pipes_and_files_over_the_bound(capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    from neurotutor.progress.transfer import MAX_IMPORT_BYTES

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # no writer: a blocking open would wait for ever
    zero = tmp_path / "zero.json"
    zero.symlink_to("/dev/zero")
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as fh:
        fh.truncate(MAX_IMPORT_BYTES + 1)  # sparse: costs no disk
    too_large = "it is larger than 64 MiB, the most an import may be (an export of 60,000 answers is about 18 MB). "
    for path, why in (("/dev/zero", "it is a device, not a file. Nothing was imported."),
                      (zero, "it is a device, not a file. Nothing was imported."),
                      (fifo, ("it is a named pipe, not a file. Nothing was imported. To read from a pipe, give - and "
                              "send it to standard input.")),
                      (huge, too_large + "Nothing was imported.")):
        code, out, err = cli(capsys, "import", str(path))
        assert (code, out, err) == (2, "", f"Cannot import {path}: {why}\n")
    assert not neurotutor_home.exists()  # refused before anything was opened for writing


def test_import_from_standard_input_has_the_same_bound(capsys, monkeypatch, neurotutor_home: Path) -> None:
    import io

    from neurotutor.progress import transfer

    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 1 << 20)
    document = transfer.build_export(pm.Progress(), [], NOW)
    for extra, want in ((0, 0), (1, 2)):
        padded = document + b" " * ((1 << 20) - len(document) + extra)
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(padded)))
        try:
            main(["import", "-"])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        _, err = capsys.readouterr()
        assert code == want, err
    assert err == ("Cannot import standard input: it is larger than 1 MiB, the most an import may be (an export of "
                   "60,000 answers is about 18 MB). Nothing was imported.\n")


# F7. A clock Python cannot read; zip dates out of range -----------------------------------------

def test_a_clock_python_cannot_read_stops_every_command_with_one_message(capsys, monkeypatch,
                                                                         neurotutor_home: Path) -> None:
    import time

    def past_2262() -> float:
        raise OverflowError("timestamp out of range for platform time_t")

    monkeypatch.setattr(time, "time", past_2262)
    message = ("The computer's clock says a date neurotutor cannot work with (it is past the year 2262 or otherwise "
               "out of range). Please set the right date and time, then run the command again. Your progress is safe.\n")
    for words in (("review",), ("progress",), ("export",)):
        assert cli(capsys, *words) == (1, "", message), words
    assert not neurotutor_home.exists()


@pytest.mark.parametrize("moment, kept", [
    (datetime(1975, 6, 1, 12, tzinfo=timezone.utc), (1980, 1, 1, 0, 0, 0)),
    (datetime(2150, 1, 1, 12, tzinfo=timezone.utc), (2107, 12, 31, 23, 59, 58)),
])
def test_zip_files_are_written_under_a_clock_before_1980_or_after_2107(capsys, monkeypatch, tmp_path: Path,
                                                                        moment: datetime, kept: tuple) -> None:
    import time

    monkeypatch.setattr(time, "time", lambda: moment.timestamp())
    monkeypatch.setattr(time, "localtime", lambda seconds=None: time.gmtime(seconds))  # the moment, in any zone
    pack, deck = tmp_path / "p.zip", tmp_path / "d.apkg"
    code, _, err = cli(capsys, "assign", "pack", str(EXAMPLES / "assignment.yaml"), "-o", str(pack))
    assert (code, err) == (0, "")
    code, _, err = cli(capsys, "export-deck", str(deck), "--lessons", "cbt")
    assert (code, err) == (0, "")
    for made in (pack, deck):
        with zipfile.ZipFile(made) as zf:
            assert zf.testzip() is None and {i.date_time for i in zf.infolist()} == {kept}, made
    assert files.zip_time(datetime(2030, 5, 6, 7, 8, 9, tzinfo=timezone.utc).timestamp()) == (2030, 5, 6, 7, 8, 9)


# F8. A cache someone else could have written is not used ---------------------------------------

def _poison_catalogue(index: Path) -> None:
    import msgspec

    data = msgspec.msgpack.decode(index.read_bytes())
    for entry in data["entries"]:
        if entry[3]["id"] == "cbt":
            entry[3]["title"] = "POISONED by mallory"
    index.write_bytes(msgspec.msgpack.encode(data))


def test_a_lesson_cache_that_someone_else_could_have_written_is_ignored_and_rebuilt(capsys, neurotutor_home: Path,
                                                                                     tmp_path: Path) -> None:
    assert cli(capsys, "lessons")[0] == 0
    cache = neurotutor_home / "cache"
    index = cache / "catalogue.msgpack"
    _poison_catalogue(index)
    assert "POISONED by mallory" in cli(capsys, "lessons")[1]  # the poison works when the cache is trusted
    planted = tmp_path / "planted.msgpack"
    planted.write_bytes(index.read_bytes())
    tamper = [lambda: os.chmod(index, 0o666), lambda: os.chmod(cache, 0o777)]
    if os.geteuid() == 0:
        tamper.append(lambda: os.chown(index, 65534, 65534))
    tamper.append(lambda: (index.unlink(), index.symlink_to(planted)))
    for change in tamper:
        _poison_catalogue(index) if not index.is_symlink() else None
        change()
        code, out, err = cli(capsys, "lessons")
        assert code == 0 and "POISONED" not in out and "cbt" in out, err
        st = index.lstat()  # rebuilt: a file of ours, private, in a private folder
        assert (stat.S_ISREG(st.st_mode), st.st_uid, stat.S_IMODE(st.st_mode)) == (True, os.geteuid(), 0o600)
        assert stat.S_IMODE(cache.stat().st_mode) == 0o700
        assert "POISONED" not in cli(capsys, "lessons")[1]
    assert planted.read_bytes().count(b"POISONED") == 1  # a link's target is never written


def test_a_full_lesson_cache_file_of_someone_else_is_not_used(capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    import msgspec

    from neurotutor.lessons.cache import LessonCache
    from neurotutor.lessons.loader import VALIDATOR_VERSION

    cache_dir = neurotutor_home / "cache"
    assert cli(capsys, "--plain", "learn", "cbt", stdin="q\n")[0] in (0, 1)  # opening a lesson caches it whole
    full = list((cache_dir / "lessons").glob("*.msgpack"))
    assert full, "the opened lesson was cached"
    data = msgspec.msgpack.decode(full[0].read_bytes())
    lesson_file = Path(data[2])
    data[5]["title"] = "POISONED"
    full[0].write_bytes(msgspec.msgpack.encode(data))
    assert LessonCache(cache_dir, VALIDATOR_VERSION).lesson(lesson_file).title == "POISONED"
    full[0].chmod(0o644 | 0o022)
    assert LessonCache(cache_dir, VALIDATOR_VERSION).lesson(lesson_file) is None


def test_a_stats_cache_that_someone_else_could_have_written_is_rebuilt(capsys, neurotutor_home: Path) -> None:
    answered(neurotutor_home)
    assert json.loads(cli(capsys, "stats", "--json")[1])["answers"] == 1
    cache = paths.stats_cache_file(neurotutor_home / "progress.json")
    poisoned = json.loads(cache.read_text())
    for tally in poisoned["lessons"].values():
        tally["days"] = {day: [999, 999] for day in tally["days"]}
        tally["modes"] = {mode: 999 for mode in tally["modes"]}
    cache.write_text(json.dumps(poisoned))
    assert json.loads(cli(capsys, "stats", "--json")[1])["answers"] == 999  # the poison works when trusted
    cache.write_text(json.dumps(poisoned))
    cache.chmod(0o666)
    assert json.loads(cli(capsys, "stats", "--json")[1])["answers"] == 1
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600 and b"999" not in cache.read_bytes()


# The tester's smaller note: a pipe or a device in place of the progress or the history ---------

def test_a_pipe_or_a_device_in_place_of_the_progress_or_history_is_refused_not_read(capsys, neurotutor_home: Path,
                                                                                   tmp_path: Path) -> None:
    store = answered(neurotutor_home)
    store.path.unlink()
    os.mkfifo(store.path)  # no writer: reading it would wait for ever
    code, out, err = cli(capsys, "progress")
    assert (code, out, err) == (3, "", f"Cannot read your progress file {store.path}: it is a named pipe, not a file.\n")
    store.path.unlink()
    store.path.symlink_to("/dev/zero")  # reading it would fill the memory
    code, out, err = cli(capsys, "progress")
    assert (code, out, err) == (3, "", f"Cannot read your progress file {store.path}: it is a device, not a file.\n")
    store.path.unlink()
    store.history_path.unlink()
    store.history_path.symlink_to("/dev/zero")
    for words in (("history",), ("stats",), ("export",)):
        code, out, err = cli(capsys, *words)
        assert (code, out, err) == (3, "", (f"Cannot read your answer history {store.history_path}: it is a device, "
                                            "not a file.\n")), words
    store.history_path.unlink()
    os.mkfifo(store.history_path)
    code, out, err = cli(capsys, "--plain", "quiz", "cbt", stdin="\n1\n2\n\n")  # notice, content note, answer
    assert code == 3 and err.endswith(f"Cannot read your answer history {store.history_path}: it is a named pipe, "
                                      "not a file.\n")
    assert stat.S_ISFIFO(store.history_path.lstat().st_mode)


def _as_another_user(home: Path, *words: str) -> tuple[int, str]:
    """Run main(words) in a forked child as uid 65533 with its own data folder `home` (made here;
    everything the command needs imported here first,
    since the interpreter's own files may not be readable by that user): (exit code, stderr)."""
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        code = 99
        try:
            os.dup2(write, 2)
            home.mkdir(exist_ok=True)
            os.chown(home, 65533, 65533)
            os.environ["NEUROTUTOR_HOME"] = str(home)
            os.setgid(65533)
            os.setuid(65533)
            sys.stderr = os.fdopen(2, "w", closefd=False)
            try:
                main(list(words))
                code = 0
            except SystemExit as exc:
                code = int(exc.code or 0)
            sys.stderr.flush()
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        err = pipe.read()
    return os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]), err


@AS_ROOT
def test_an_output_you_cannot_read_is_not_a_usage_error(capsys, tmp_path: Path) -> None:
    """Second re-test: `-o F`, F another user's 0600 file, was click's "File 'F' is not readable"
    (an output is never read); now the real reason is given, as `export` did."""
    import shutil

    shared = Path(tempfile.mkdtemp())  # where the other user can reach it (pytest's folders are root's 0700)
    shared.chmod(0o1777)
    request_cleanup = lambda: shutil.rmtree(shared, ignore_errors=True)  # noqa: E731
    try:
        _try_outputs(capsys, tmp_path, shared)
    finally:
        request_cleanup()


def _try_outputs(capsys, tmp_path: Path, shared: Path) -> None:  # type: ignore[no-untyped-def]
    for words in (("schema", "lesson", "-o"), ("export-deck",), ("caseload", str(EXAMPLES / "report.json"), "-o")):
        name = "x.xml" if words[0] == "export-deck" else "x.json"
        assert cli(capsys, *words, str(tmp_path / name))[0] == 0  # as root first: every module imported
        theirs = shared / name
        theirs.write_text("x")
        theirs.chmod(0o600)
        os.chown(theirs, 65534, 65534)
        assert _as_another_user(shared / "home", *words, str(theirs)) == (
            2, f"Cannot write {theirs}: it belongs to another user, and you may not replace it.\n")
        assert theirs.read_text() == "x"
        theirs.unlink()
