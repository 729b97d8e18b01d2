"""Lesson cache: a small index for lists, full lessons one file each, and a key that makes every
change (the file, neurotutor, the validator's rules) mean a full check. A broken cache is never an
error, and an invalid lesson is never cached."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neurotutor import paths
from neurotutor.lessons import cache as lesson_cache
from neurotutor.lessons import loader, yaml_source
from neurotutor.lessons.catalogue import Catalogue, load_catalogue, validate_files
from neurotutor.lessons.loader import info_of, load_lesson_file

ROOT = Path(__file__).resolve().parents[1]
OK = Path(__file__).resolve().parent / "data" / "lessons-ok" / "test-mini.yaml"
OK_TEXT = OK.read_text(encoding="utf-8")
NO_BUILTIN = Path("/nonexistent/neurotutor-builtin-lessons")
BUILTIN = paths.builtin_lessons_dir()


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lesson ids (first `id:` line) of every text the YAML reader is asked to read."""
    seen: list[str] = []
    real = yaml_source.read_yaml

    def reading(text: str, *args: object) -> object:
        seen.append(next((line[4:] for line in text.splitlines() if line.startswith("id: ")), "?"))
        return real(text, *args)

    monkeypatch.setattr(yaml_source, "read_yaml", reading)
    return seen


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A user lesson folder with two valid lessons."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "a.yaml").write_text(OK_TEXT, encoding="utf-8")
    (lessons / "b.yaml").write_text(OK_TEXT.replace("id: test-mini", "id: test-other").replace("id: tm-", "id: to-"),
                                    encoding="utf-8")
    return lessons


def ids(catalogue: Catalogue) -> list[str]:
    return [e.info.id for e in catalogue.lessons]


def test_the_index_holds_only_what_lists_need(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    catalogue = load_catalogue(BUILTIN, [], cache_dir)
    index = (cache_dir / "catalogue.msgpack").read_bytes()
    assert len(catalogue.lessons) == 18
    assert len(index) < 18 * 2000  # about 1.5 kB a lesson (each full lesson is about 40 kB)
    assert b"Bliss" not in index and b"long-term potentiation" not in index  # no references, no bodies
    assert not (cache_dir / "lessons").exists()  # listing decodes and writes no full lesson
    decoded = msgspec.msgpack.decode(index, type=lesson_cache.Index)
    full = [load_lesson_file(e.path)[0] for e in catalogue.lessons]
    assert [e.info for e in decoded.entries] == [info_of(x.lesson) for x in full if x is not None]


def test_a_full_lesson_is_cached_when_opened_and_read_from_the_cache_next_time(tmp_path: Path, parsed: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    load_catalogue(BUILTIN, [], cache_dir).find("neuroplasticity-types")
    # Listing keeps no full lesson (a thousand would be a thousand files to write), so the first
    # opening reads its file once more.
    assert len(parsed) == 19 and parsed[-1] == "neuroplasticity-types"  # 18 listed, then the one opened
    assert len(list((cache_dir / "lessons").iterdir())) == 1
    again = load_catalogue(BUILTIN, [], cache_dir)
    opened = again.find("neuroplasticity-types")
    assert len(parsed) == 19  # neither the index nor the opened lesson needed the YAML again
    assert opened.lesson == load_lesson_file(opened.path)[0].lesson  # type: ignore[union-attr]
    assert opened.positions == load_lesson_file(opened.path)[0].positions  # type: ignore[union-attr]


def test_unchanged_files_are_not_read_again(folder: Path, tmp_path: Path, parsed: list[str]) -> None:
    first = load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache")
    assert parsed == ["test-mini", "test-other"]
    second = load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache")
    assert parsed == ["test-mini", "test-other"]
    assert [e.info for e in second.lessons] == [e.info for e in first.lessons]
    assert [e.positions for e in second.lessons] == [e.positions for e in first.lessons]


def test_a_new_validator_version_checks_every_file_again(folder: Path, tmp_path: Path, parsed: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache").find("test-mini")
    monkeypatch.setattr(loader, "VALIDATOR_VERSION", loader.VALIDATOR_VERSION + 1)
    catalogue = load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache")
    assert parsed == ["test-mini", "test-other", "test-mini", "test-mini", "test-other"]
    catalogue.find("test-mini")  # the full copy was written by the old validator: read the file
    assert parsed[5:] == ["test-mini"]
    load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache").find("test-mini")
    assert len(parsed) == 6


def test_a_new_neurotutor_version_checks_every_file_again(folder: Path, tmp_path: Path, parsed: list[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache")
    monkeypatch.setattr(lesson_cache, "__version__", "999.0")
    load_catalogue(NO_BUILTIN, [folder], tmp_path / "cache")
    assert parsed == ["test-mini", "test-other"] * 2


def test_a_changed_file_is_checked_again(folder: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-mini")
    st_a = (folder / "a.yaml").stat()
    os.utime(folder / "a.yaml", ns=(st_a.st_atime_ns, st_a.st_mtime_ns + 1_000_000))  # touched, same size
    load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-mini")
    assert parsed == ["test-mini", "test-other", "test-mini", "test-mini", "test-mini"]
    (folder / "a.yaml").write_text(OK_TEXT.replace("title: A small test lesson", "title: A changed title"))
    catalogue = load_catalogue(NO_BUILTIN, [folder], cache_dir)
    assert catalogue.lessons[0].info.title == "A changed title"
    assert catalogue.find("test-mini").lesson.title == "A changed title"


def test_a_file_that_became_invalid_is_reported_and_dropped_from_the_cache(folder: Path, tmp_path: Path,
                                                                             parsed: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-mini")
    (folder / "a.yaml").write_text(OK_TEXT.replace("minutes: 3", "minutes: three"))
    for _ in range(2):  # reported every time: an invalid file is never cached
        catalogue = load_catalogue(NO_BUILTIN, [folder], cache_dir)
        assert ids(catalogue) == ["test-other"]
        assert [str(p) for p in catalogue.problems] == [
            f"{folder / 'a.yaml'}:7:10: minutes: expected a whole number, got text"]
    assert parsed == ["test-mini", "test-other", "test-mini", "test-mini", "test-mini"]
    index = msgspec.msgpack.decode((cache_dir / "catalogue.msgpack").read_bytes(), type=lesson_cache.Index)
    assert [Path(e.path).name for e in index.entries] == ["b.yaml"]
    assert not list((cache_dir / "lessons").iterdir())  # its full copy went with it


@pytest.mark.parametrize("garbage", [b"", b"\x00garbage", b"\x93\xa3abc\x01\x90",
                                     msgspec.msgpack.encode({"version": 1, "entries": "x"})])
def test_a_corrupt_index_means_a_full_check_not_an_error(folder: Path, tmp_path: Path, parsed: list[str],
                                                          garbage: bytes) -> None:
    cache_dir = tmp_path / "cache"
    first = load_catalogue(NO_BUILTIN, [folder], cache_dir)
    (cache_dir / "catalogue.msgpack").write_bytes(garbage)
    again = load_catalogue(NO_BUILTIN, [folder], cache_dir)
    assert [e.info for e in again.lessons] == [e.info for e in first.lessons] and again.problems == ()
    assert parsed == ["test-mini", "test-other"] * 2
    load_catalogue(NO_BUILTIN, [folder], cache_dir)  # and the index was written afresh
    assert len(parsed) == 4


def test_a_corrupt_full_lesson_is_read_from_its_file(folder: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache_dir = tmp_path / "cache"
    expected = load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-mini").lesson
    (full,) = (cache_dir / "lessons").iterdir()
    full.write_bytes(b"\x95garbage")
    assert load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-mini").lesson == expected
    assert parsed == ["test-mini", "test-other", "test-mini", "test-mini"]


def test_a_full_lesson_of_another_file_is_not_used(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    catalogue = load_catalogue(NO_BUILTIN, [folder], cache_dir)
    catalogue.find("test-mini")
    catalogue.find("test-other")
    a, b = sorted((cache_dir / "lessons").iterdir())
    a_bytes = a.read_bytes()
    a.write_bytes(b.read_bytes())
    b.write_bytes(a_bytes)  # swapped: each names the other file's path, so neither is trusted
    again = load_catalogue(NO_BUILTIN, [folder], cache_dir)
    assert again.find("test-mini").lesson.id == "test-mini"
    assert again.find("test-other").lesson.id == "test-other"


def test_an_unusable_cache_folder_is_no_error(folder: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    catalogue = load_catalogue(NO_BUILTIN, [folder], blocked)
    assert ids(catalogue) == ["test-mini", "test-other"] and catalogue.problems == ()
    assert catalogue.find("test-mini").lesson.id == "test-mini"
    assert validate_files(NO_BUILTIN, [], [folder], blocked).problems == ()


def test_entries_of_deleted_files_are_dropped(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-other")
    (folder / "b.yaml").unlink()
    (folder / "c.yaml").write_text(OK_TEXT.replace("id: test-mini", "id: test-third").replace("id: tm-", "id: tt-"))
    load_catalogue(NO_BUILTIN, [folder], cache_dir)
    index = msgspec.msgpack.decode((cache_dir / "catalogue.msgpack").read_bytes(), type=lesson_cache.Index)
    assert sorted(Path(e.path).name for e in index.entries) == ["a.yaml", "c.yaml"]
    assert not list((cache_dir / "lessons").iterdir())


def test_cache_files_are_private(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    old = os.umask(0o022)
    try:
        load_catalogue(NO_BUILTIN, [folder], cache_dir).find("test-mini")
    finally:
        os.umask(old)
    for path in [cache_dir, cache_dir / "lessons"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in [cache_dir / "catalogue.msgpack", *(cache_dir / "lessons").iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_validate_reuses_the_cache_and_still_checks_across_files(folder: Path, tmp_path: Path,
                                                                  parsed: list[str]) -> None:
    # Each file is valid on its own (so both are cached), but together they clash.
    shutil.copy(folder / "a.yaml", folder / "c.yaml")
    cache_dir = tmp_path / "cache"
    expected = [f"{folder / 'c.yaml'}:2:5: lesson id 'test-mini' is already used by {folder / 'a.yaml'}"]
    first = validate_files(NO_BUILTIN, [], [folder], cache_dir)
    assert [str(p) for p in first.problems] == expected
    assert parsed == ["test-mini", "test-other", "test-mini"]
    second = validate_files(NO_BUILTIN, [], [folder], cache_dir)
    assert [str(p) for p in second.problems] == expected
    assert [e.info.id for e in second.lessons] == ["test-mini", "test-other"]
    assert len(parsed) == 3  # nothing was parsed again
    catalogue = load_catalogue(NO_BUILTIN, [folder], cache_dir)  # the catalogue shares the cache
    assert ids(catalogue) == ["test-mini", "test-other"] and [str(p) for p in catalogue.problems] == expected
    assert len(parsed) == 3


def test_validate_and_the_catalogue_check_again_after_a_new_validator_version(folder: Path, tmp_path: Path,
                                                                               parsed: list[str],
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    validate_files(NO_BUILTIN, [], [folder], tmp_path / "cache")
    monkeypatch.setattr(loader, "VALIDATOR_VERSION", loader.VALIDATOR_VERSION + 1)
    validate_files(NO_BUILTIN, [], [folder], tmp_path / "cache")
    assert parsed == ["test-mini", "test-other"] * 2


_NEVER_CRASH = settings(max_examples=100, deadline=None, database=None,
                        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@_NEVER_CRASH
@given(garbage=st.binary(max_size=300) | st.builds(
    lambda xs: msgspec.msgpack.encode(xs), st.recursive(
        st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
        max_leaves=12)))
def test_any_bytes_in_the_cache_are_no_error(tmp_path_factory: pytest.TempPathFactory, garbage: bytes) -> None:
    work = tmp_path_factory.mktemp("garbage")
    lessons, cache_dir = work / "lessons", work / "cache"
    lessons.mkdir()
    (lessons / "a.yaml").write_text(OK_TEXT, encoding="utf-8")
    catalogue = load_catalogue(NO_BUILTIN, [lessons], cache_dir)
    catalogue.find("test-mini")
    (cache_dir / "catalogue.msgpack").write_bytes(garbage)
    for full in (cache_dir / "lessons").iterdir():
        full.write_bytes(garbage)
    again = load_catalogue(NO_BUILTIN, [lessons], cache_dir)
    assert ids(again) == ["test-mini"] and again.problems == ()
    assert again.find("test-mini").lesson == catalogue.find("test-mini").lesson


# --- Commands that list lessons decode no full lesson ----------------------------------------------


@pytest.mark.parametrize("command", [["lessons"], ["progress"], ["lessons", "--json"]])
def test_listing_commands_decode_no_full_lesson(command: list[str], neurotutor_home: Path) -> None:
    def run() -> subprocess.CompletedProcess[str]:
        from flows import run_in_process

        return run_in_process(*command, cwd=ROOT)

    for _ in range(2):  # cold, then from the index
        result = run()
        assert result.returncode == 0, result.stderr
        assert (neurotutor_home / "cache" / "catalogue.msgpack").is_file()
        assert not (neurotutor_home / "cache" / "lessons").exists()
