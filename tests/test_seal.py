"""The therapist's key and sealing (neurotutor.seal, `neurotutor therapist`): the key made once,
private, in age-keygen's format; sealed data opened only with the right key; every problem with a
key or a sealed file said in words (issue 20)."""

from __future__ import annotations

import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from neurotutor import seal
from neurotutor.errors import SealError, UsageError

from flows import cli

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)


def test_therapist_init_makes_a_private_key_once_and_keeps_it(capsys, neurotutor_home: Path) -> None:
    code, out, err = cli(capsys, "therapist", "init")
    key = neurotutor_home / "therapist" / "key.txt"
    assert (code, err) == (0, "")
    public = out.splitlines()[1].removeprefix("Your public key: ")
    assert out.splitlines()[0] == (f"Made your key. The secret key is in {key} (readable only by you); keep a copy "
                                   "somewhere safe, and never send it.")
    assert seal.recipient_problem(public) is None
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    lines = key.read_text().splitlines()
    assert lines[1] == f"# public key: {public}" and lines[3].startswith("AGE-SECRET-KEY-1") and len(lines) == 4
    before = key.read_bytes()
    assert cli(capsys, "therapist", "init") == (0, f"You have a key already ({key}); it was kept. Your public key: "
                                                   f"{public}\n", "")
    assert key.read_bytes() == before
    assert cli(capsys, "therapist", "key") == (0, public + "\n", "")


def test_a_key_others_can_read_a_damaged_key_and_no_key_are_each_said_in_words(capsys, neurotutor_home: Path) -> None:
    key = neurotutor_home / "therapist" / "key.txt"
    assert cli(capsys, "therapist", "key") == (2, "", f"You have no key yet ({key} does not exist). Make one with: "
                                                      "neurotutor therapist init\n")
    cli(capsys, "therapist", "init")
    key.chmod(0o644)
    assert cli(capsys, "therapist", "key")[2] == (f"{key}: your key file can be read by other users (or is not yours), "
                                                  f"so it is not used. Make it private with: chmod 600 {key}\n")
    key.chmod(0o600)
    key.write_text(key.read_text().replace("AGE-SECRET-KEY-1", "AGE-SECRET-KEY-1Q"))
    assert cli(capsys, "therapist", "key")[2] == (f"{key}: its secret key is damaged (a character is wrong), so it "
                                                  "cannot open reports.\n")
    key.write_text("# nothing here\n")
    assert cli(capsys, "therapist", "key")[2] == (f"{key}: is not a key file made by 'neurotutor therapist init' (it "
                                                  "should hold one line starting AGE-SECRET-KEY-1).\n")


def test_a_link_in_place_of_the_key_is_not_followed(capsys, neurotutor_home: Path, tmp_path: Path) -> None:
    cli(capsys, "therapist", "init")
    key = neurotutor_home / "therapist" / "key.txt"
    planted = tmp_path / "planted.txt"
    planted.write_bytes(key.read_bytes())
    planted.chmod(0o600)
    key.unlink()
    key.symlink_to(planted)
    code, out, err = cli(capsys, "therapist", "key")
    assert code == 2 and err.startswith(f"{key}: your key cannot be read (")


def test_sealed_data_opens_only_with_its_key(tmp_path: Path) -> None:
    mine, theirs = seal.make_key_file(tmp_path / "a" / "key.txt", NOW), seal.make_key_file(tmp_path / "b" / "key.txt", NOW)
    identity, public = seal.read_key_file(tmp_path / "a" / "key.txt")
    other, _ = seal.read_key_file(tmp_path / "b" / "key.txt")
    assert public == mine.public != theirs.public
    sealed = seal.seal(b'{"x": 1}', public)
    assert seal.is_sealed(sealed) and sealed.startswith(b"age-encryption.org/v1\n-> X25519 ")
    assert seal.open_sealed(sealed, identity, "r.age") == b'{"x": 1}'
    with pytest.raises(SealError) as found:
        seal.open_sealed(sealed, other, "r.age")
    assert found.value.message == ("r.age: was sealed to another therapist's key, not yours, so it cannot be opened "
                                   "here. Ask the client which assignment they reported on.")
    with pytest.raises(SealError) as found:
        seal.open_sealed(sealed[:-5], identity, "r.age")
    assert found.value.message.startswith("r.age: is a sealed report that is damaged or cut short (")


@pytest.mark.parametrize(("key", "problem"), [
    ("age1", "is not an age public key (it starts with age1 and has 62 characters; copy it from 'neurotutor therapist key')"),
    ("AGE-SECRET-KEY-1" + "Q" * 58, "is not an age public key (it starts with age1 and has 62 characters; copy it from "
     "'neurotutor therapist key')"),
    ("age1" + "q" * 58, "is not a valid age public key (a character is wrong: copy it again from 'neurotutor therapist "
     "key')"),
])
def test_a_public_key_that_is_not_one_is_named(key: str, problem: str) -> None:
    assert seal.recipient_problem(key) == problem
    with pytest.raises(UsageError):
        seal.seal(b"x", key)
