"""A passphrase for the journal (docs/journal-format.md, "A locked journal"), with age
(age-encryption.org/v1, through pyrage), so that Debian's `age` opens it too.

Locking makes a key pair for the journal. The public key goes in the journal's format line, and
every entry's answers are sealed to it (`sealed`, the age file in base64): so a worksheet can be
saved, a draft at every step, without the passphrase. The secret key is kept beside the journal
in `journal-key.age`, itself sealed with the passphrase (age's scrypt recipe, about a second to
open on purpose, which is what makes guessing slow). To read an entry, the passphrase opens the
key once, and the key opens each entry quickly.

What stays readable without the passphrase: which worksheet an entry is, its title, when it was
started and saved, draft or done (so the home screen can count practice and the list can be
shown). Every answer is unreadable. A forgotten passphrase cannot be recovered: nobody can open
the entries then, this program included. pyrage is imported only when a journal is locked.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import msgspec

from neurotutor.errors import UsageError
from neurotutor.journal.model import Value

MIN_PASSPHRASE = 8  # characters; the scrypt work factor is age's own (about a second)
MAX_KEY_FILE = 64 * 1024
_answers = msgspec.json.Decoder(dict[str, Value])


class WrongPassphrase(UsageError):
    """The passphrase given does not open the journal's key."""


@dataclass(frozen=True)
class JournalKey:
    """The journal's key, opened: the secret key (an age identity) and its public key."""

    identity: Any
    public: str


def passphrase_problem(passphrase: str) -> str | None:
    """What is wrong with a new passphrase, in words, or None."""
    if len(passphrase) < MIN_PASSPHRASE:
        return f"Use at least {MIN_PASSPHRASE} characters (a few words you will remember are good)."
    if passphrase != passphrase.strip():
        return "A passphrase cannot start or end with a space."
    return None


def new_key(passphrase: str) -> tuple[JournalKey, bytes]:
    """A new key for the journal, and its file: the secret key in `age-keygen`'s format, sealed
    with the passphrase (so `age -d journal-key.age` opens it with the passphrase)."""
    import pyrage

    identity = pyrage.x25519.Identity.generate()
    public = str(identity.to_public())
    text = (f"# public key: {public}\n# neurotutor: the key of your journal. Keep it private.\n{identity}\n")
    return JournalKey(identity, public), bytes(pyrage.passphrase.encrypt(text.encode(), passphrase))


def open_key(raw: bytes, passphrase: str, where: str) -> JournalKey:
    """The journal's key, opened with the passphrase; WrongPassphrase when it does not open it,
    a UsageError when the file is not a journal key."""
    import pyrage

    if len(raw) > MAX_KEY_FILE or not raw.startswith(b"age-encryption.org/v1\n"):
        raise UsageError(f"{where} is not the key of a locked journal (it is not an age file).")
    try:
        text = bytes(pyrage.passphrase.decrypt(raw, passphrase)).decode("utf-8", "replace")
    except (pyrage.DecryptError, ValueError) as exc:
        if "passphrase" in str(exc).lower() or "decrypt" in str(exc).lower() or "mac" in str(exc).lower():
            raise WrongPassphrase("That passphrase does not open your journal.") from None
        raise UsageError(f"{where} is damaged ({exc}), so your journal's key cannot be opened.") from None
    secrets = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("AGE-SECRET-KEY-1")]
    try:
        identity = pyrage.x25519.Identity.from_str(secrets[0]) if len(secrets) == 1 else None
    except (pyrage.IdentityError, ValueError):
        identity = None
    if identity is None:
        raise UsageError(f"{where} opened, but holds no key: it is damaged.")
    return JournalKey(identity, str(identity.to_public()))


def rekey(key: JournalKey, passphrase: str) -> bytes:
    """The key file again, sealed with a new passphrase (the entries are not touched)."""
    import pyrage

    text = f"# public key: {key.public}\n# neurotutor: the key of your journal. Keep it private.\n{key.identity}\n"
    return bytes(pyrage.passphrase.encrypt(text.encode(), passphrase))


def seal_answers(answers: dict[str, Any], public: str) -> str:
    """An entry's answers sealed to the journal's public key: an age file, in base64."""
    import pyrage

    data = msgspec.json.encode(answers)
    return base64.b64encode(bytes(pyrage.encrypt(data, [pyrage.x25519.Recipient.from_str(public)]))).decode("ascii")


def open_answers(sealed: str, key: JournalKey) -> dict[str, Value]:
    """An entry's answers, opened with the journal's key; ValueError when they cannot be."""
    import pyrage

    try:
        return _answers.decode(bytes(pyrage.decrypt(base64.b64decode(sealed, validate=True), [key.identity])))
    except (pyrage.DecryptError, msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        raise ValueError(f"its answers cannot be opened with your journal's key ({exc})") from None
