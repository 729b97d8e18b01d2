"""Opening the journal from the commands: a locked journal's passphrase is asked only when an
entry's answers must be read (show, edit, search, export, finishing a draft, sharing an entry in
a report); listing, counting practice and saving a worksheet never ask for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neurotutor.cli.session import Session
    from neurotutor.journal.lock import JournalKey
    from neurotutor.journal.store import JournalStore

TRIES = 3


def journal_store(s: Session, answers: bool = False) -> JournalStore:
    """The profile's journal; with `answers`, a locked journal is opened with its passphrase."""
    from neurotutor import paths
    from neurotutor.journal.store import JournalStore

    store = JournalStore(paths.journal_file(s.store.path))
    if answers and store.locked() is not None:
        store.key = ask_key(s, store)
    return store


def key_file_bytes(s: Session, store: JournalStore) -> bytes:
    """The locked journal's key file, as it is; a UsageError, in words, when it cannot be read."""
    from neurotutor import files
    from neurotutor.errors import UsageError

    where = store.key_path
    try:
        return files.read_regular(where, follow=False)
    except FileNotFoundError:
        raise UsageError(f"Your journal is locked, but its key file {where} is missing, so the answers in it cannot "
                         "be opened. If you have a copy of that file (a backup), put it back. The list of entries "
                         f"still works: {s.command('journal', 'list')}") from None
    except OSError as exc:
        raise UsageError(f"Your journal's key file {where} cannot be read ({exc.strerror or exc}).") from None


def ask_key(s: Session, store: JournalStore, message: str = "Your journal's passphrase") -> JournalKey:
    """The journal's key, opened with the passphrase the learner types (asked up to TRIES times)."""
    from neurotutor.errors import UsageError
    from neurotutor.journal.lock import WrongPassphrase, open_key

    raw = key_file_bytes(s, store)
    where = str(store.key_path)
    for attempt in range(1, TRIES + 1):
        with s.stoppable(lambda first: f"{first}. Your journal stays locked; nothing was changed."):
            try:
                passphrase = s.prompter.secret(message)
            except EOFError:
                raise UsageError("Your journal is locked: give its passphrase to read the answers in it "
                                 "(nothing was changed).") from None
        s.out.note("Opening it (a second or two)...")
        try:
            key = open_key(raw, passphrase, where)
        except WrongPassphrase as exc:
            if attempt == TRIES:
                raise UsageError(f"{exc.message} Nothing was changed. If it is forgotten, the answers cannot be "
                                 "opened by anyone; the list of entries and your practice counts still work.") from None
            s.out.warn(f"{exc.message} Try again ({TRIES - attempt} more tr{'ies' if TRIES - attempt != 1 else 'y'}).")
            continue
        if key.public != store.locked():
            raise UsageError(f"{where} is not the key of this journal (another key locked it), so it cannot open it. "
                             "Nothing was changed.")
        return key
    raise AssertionError("unreachable")
