"""Sealing reports to a therapist with age (age-encryption.org/v1, through pyrage).

A therapist makes a key pair once (`neurotutor therapist init`): the secret key stays in their own
data folder (0600), in the file format `age-keygen` writes, so Debian's `age -d -i FILE` opens a
sealed report too. The public key (`age1...`) travels in the assignment; the client's tutor seals
the report to it, so only the holder of the secret key can open what is sent by e-mail or a portal.

Sealing hides the report and proves it was not changed in transit (age is authenticated), but not
who wrote it: anyone who has the public key can seal a file to it. The report's digest inside
catches accidental change only. No clock here (`now` is given); pyrage is imported only when a
key is used.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from neurotutor.errors import SealError, UsageError

MAGIC = b"age-encryption.org/v1\n"
ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")  # bech32, as age-keygen prints it
MAX_KEY_FILE = 64 * 1024


def is_sealed(raw: bytes) -> bool:
    """Whether bytes are an age file (binary or armored)."""
    return raw.startswith(MAGIC) or raw.lstrip().startswith(ARMOR)


def recipient_problem(text: str) -> str | None:
    """What is wrong with a public key given in an assignment, or None."""
    if not RECIPIENT.fullmatch(text):
        return ("is not an age public key (it starts with age1 and has 62 characters; copy it from "
                "'neurotutor therapist key')")
    import pyrage

    try:
        pyrage.x25519.Recipient.from_str(text)
    except (pyrage.RecipientError, ValueError):
        return "is not a valid age public key (a character is wrong: copy it again from 'neurotutor therapist key')"
    return None


@dataclass(frozen=True)
class KeyPair:
    """A therapist's key pair: the file's text (secret) and the public key."""

    text: str
    public: str


def new_key_pair(now: datetime) -> KeyPair:
    """A new key pair, as the file `age-keygen` writes (two comment lines, then the secret key)."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    stamp = now.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    text = (f"# created: {stamp}\n# public key: {public}\n"
            "# neurotutor: the secret key that opens your clients' sealed reports. Keep it private; never send it.\n"
            f"{identity}\n")
    return KeyPair(text, public)


def make_key_file(path: Path, now: datetime) -> KeyPair:
    """Make a new key pair and keep it in `path` (0600, in private folders). A UsageError when it
    cannot be written (nothing is left half-made: the file is written in one step)."""
    from neurotutor import files

    pair = new_key_pair(now)
    try:
        files.ensure_private_dir(path.parent)
        files.atomic_write(path, pair.text.encode("utf-8"))  # 0600
    except OSError as exc:
        raise UsageError(f"Cannot write your key to {path}: {exc.strerror or exc}. Nothing was made.") from None
    return pair


def read_key_file(path: Path) -> tuple[Any, str]:
    """The identity and public key in a key file. A SealError, in words, when it is missing, a
    link, readable by others, or not a key file."""
    from neurotutor.files import open_regular

    try:
        fd = open_regular(path, follow=False)
    except FileNotFoundError:
        raise SealError(f"You have no key yet ({path} does not exist). Make one with: neurotutor therapist init") from None
    except OSError as exc:
        raise SealError(f"{path}: your key cannot be read ({exc.strerror or exc}).") from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or stat.S_IMODE(st.st_mode) & 0o077):
            raise SealError(f"{path}: your key file can be read by other users (or is not yours), so it is not "
                            "used. Make it private with: chmod 600 " + str(path))
        raw = fh.read(MAX_KEY_FILE + 1)
    if len(raw) > MAX_KEY_FILE:
        raise SealError(f"{path}: is not a key file (it is far too large).")
    import pyrage

    lines = [ln.strip() for ln in raw.decode("utf-8", "replace").splitlines()]
    secrets = [ln for ln in lines if ln.startswith("AGE-SECRET-KEY-1")]
    if len(secrets) != 1:
        raise SealError(f"{path}: is not a key file made by 'neurotutor therapist init' (it should hold one line "
                        "starting AGE-SECRET-KEY-1).")
    try:
        identity = pyrage.x25519.Identity.from_str(secrets[0])
    except (pyrage.IdentityError, ValueError):
        raise SealError(f"{path}: its secret key is damaged (a character is wrong), so it cannot open reports.") from None
    return identity, str(identity.to_public())


def seal(data: bytes, recipient: str) -> bytes:
    """Data sealed to one public key (binary age format)."""
    import pyrage

    problem = recipient_problem(recipient)
    if problem:
        raise UsageError(f"The therapist's key in the assignment {problem}.")
    return bytes(pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(recipient)]))


def open_sealed(raw: bytes, identity: Any, where: str) -> bytes:
    """A sealed file opened with the therapist's identity; a SealError in words when it was sealed
    to someone else, or is damaged."""
    import pyrage

    if raw.lstrip().startswith(ARMOR):
        import base64

        body = b"".join(ln.strip() for ln in raw.strip().splitlines()[1:-1])
        try:
            raw = base64.b64decode(body, validate=True)
        except ValueError:
            raise SealError(f"{where}: is a damaged sealed file (its armor cannot be read).") from None
    try:
        return bytes(pyrage.decrypt(raw, [identity]))
    except (pyrage.DecryptError, ValueError) as exc:
        if "no matching keys" in str(exc).lower():
            raise SealError(f"{where}: was sealed to another therapist's key, not yours, so it cannot be opened "
                            "here. Ask the client which assignment they reported on.") from None
        raise SealError(f"{where}: is a sealed report that is damaged or cut short ({exc}); ask for it again.") from None
