"""`neurotutor journal [list|show|edit|delete|search|export|lock|unlock]`: the worksheets you filled in.

The journal is private: it lives beside your progress (journal.jsonl, readable only by you) and
nothing else reads it (stats, history, exports of progress, reports and the caseload never do).
An entry is named by its id, or by the first characters of it when no other id starts with them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from neurotutor.cli.output import Output
    from neurotutor.cli.prompters import Prompter
    from neurotutor.cli.session import Session
    from neurotutor.journal.model import Entry, Feeling, Value
    from neurotutor.journal.store import JournalStore, Listed

LAST = 20  # entries `journal list` shows unless told
HEADERS = ["date", "worksheet", "status", "id"]

journal_app = typer.Typer(
    help=("Your journal: the worksheets you filled in, kept on this computer only. With no command, lists the "
          "newest entries.\n\nExample: neurotutor journal show 3kq7za"),
    invoke_without_command=True, rich_markup_mode=None)


@journal_app.callback()
def journal(ctx: typer.Context) -> None:
    """With no command, list the newest entries."""
    if ctx.invoked_subcommand is None:
        list_entries(ctx, all_=False, last=LAST)


def _labels(s: Session) -> dict[str, dict[str, str]]:
    """The steps' short names of the worksheets there are (an entry of one not here: its ids in words)."""
    from neurotutor.cli.commands.practice import worksheets_of
    from neurotutor.worksheets.filling import labels_of

    return labels_of(w.worksheet for w in worksheets_of(s).worksheets)


def _store(s: Session, answers: bool = False) -> JournalStore:
    """The journal; with `answers`, a locked one opened with its passphrase (asked)."""
    from neurotutor.cli.journal_access import journal_store

    return journal_store(s, answers)


def _said(s: Session, store: JournalStore) -> None:
    """Say what the stores had to recover (once)."""
    s.show_notices()
    for notice in store.notices:
        s.out.warn(notice)
    store.notices.clear()


def _rows(shown: list[Listed] | list[Entry], every: list[str]) -> list[list[str]]:
    from neurotutor.journal.export import when
    from neurotutor.journal.store import short_ids

    short = short_ids(every, [e.id for e in shown])
    return [[when(e.created), e.title or e.worksheet, e.status, short[e.id]] for e in shown]


def _table(out: Output, rows: list[list[str]]) -> None:
    if len(rows) > 200:  # thousands of rows: plain columns, fast
        out.columns(HEADERS, rows)
    else:
        out.table(HEADERS, rows, never_cut=(3,))


@journal_app.command("list")
def list_entries(
    ctx: typer.Context,
    all_: bool = typer.Option(False, "--all", help="List every entry."),
    last: int = typer.Option(LAST, "-n", "--last", min=1, metavar="N", help="How many of the newest entries to list."),
) -> None:
    """List your journal's entries, oldest first and newest last: date, worksheet, draft or done, id.

    Example: neurotutor journal list --all
    """
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    store = _store(s)
    listed = store.listing()
    _said(s, store)
    s.greet()
    out = s.out
    if not listed:
        out.line("Your journal is empty.")
        out.command("Fill in a worksheet (it is kept here) with:", s.command("practice"))
        return
    import operator

    listed.sort(key=operator.attrgetter("created"))  # started in this order, unless the clock was changed
    shown = listed if all_ else listed[-last:]
    total = len(listed)

    def draw() -> None:
        _table(out, _rows(shown, [e.id for e in listed]))
        if len(shown) < total:
            out.command(f"The {len(shown)} newest of {total} entries. To list them all:",
                        s.command("journal", "list", "--all"))
        else:
            out.note(f"{total} entr{'ies' if total != 1 else 'y'}, kept in {store.path} (only you can read it).")
        out.command("To read one:", s.command("journal", "show", "ID"))

    _screen(s, draw)


def _screen(s: Session, draw: Callable[[], None]) -> None:
    """Draw: in a terminal, a screen at a time (as the history is shown); elsewhere all at once."""
    if not s.out.decorated:
        draw()
        return
    with s.out.captured() as lines:
        draw()
    with s.stoppable(lambda first: f"{first}."):
        s.prompter.page(lines, "done", wait=False)


@journal_app.command("show")
def show(ctx: typer.Context,
         entry_id: str = typer.Argument(..., metavar="ID", help="The entry's id, or its first characters.")) -> None:
    """Show one entry of your journal: every answer, as you wrote it.

    Example: neurotutor journal show 3kq7za
    """
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    store = _store(s, answers=True)
    journal = store.load()
    _said(s, store)
    entry = journal.find(entry_id)
    s.greet()
    _screen(s, lambda: _show_entry(s, entry))


def _show_entry(s: Session, entry: Entry) -> None:
    from neurotutor.journal.export import answer_lines, when

    out = s.out
    out.heading(f"{entry.title or entry.worksheet}, {when(entry.created)}")
    changed = f", last changed {when(entry.updated)}" if when(entry.updated) != when(entry.created) else ""
    out.note(f"{'Done' if entry.status == 'done' else 'Draft (not finished)'}{changed}. Id: {entry.id}")
    if not entry.answers:
        out.line("Nothing written yet.")
    for label, words in answer_lines(entry, _labels(s)):
        out.line()
        out.styled(label, "bold")
        out.line(words)
    out.line()
    if entry.status == "draft":
        out.command("To finish it:", s.command("practice", "--resume", entry.id))
    out.command("To change it:", s.command("journal", "edit", entry.id))


@journal_app.command("edit")
def edit(ctx: typer.Context,
         entry_id: str = typer.Argument(..., metavar="ID", help="The entry's id, or its first characters.")) -> None:
    """Change the answers of an entry; the earlier version is replaced, not kept.

    Each answer is asked again with what it says now; press Enter to keep it as it is. Nothing is
    saved until the last answer, and q or Ctrl-C stops with nothing changed.

    Example: neurotutor journal edit 3kq7za
    """
    import msgspec

    from neurotutor.cli.session import session_of
    from neurotutor.journal.export import step_label, when

    s = session_of(ctx)
    store = _store(s, answers=True)
    journal = store.load()
    _said(s, store)
    entry = journal.find(entry_id)
    out = s.out
    if not entry.answers:
        out.line("This entry has no answers yet, so there is nothing to change.")
        if entry.status == "draft":
            out.command("To go on filling it in:", s.command("practice", "--resume", entry.id))
        return
    out.heading(f"Changing: {entry.title or entry.worksheet}, {when(entry.created)}")
    out.note("Each answer is shown as it is now: type a new one, or press Enter to keep it. Nothing is saved until "
             "the last one; q or Ctrl-C stops and changes nothing.")
    total = len(entry.answers)
    labels = _labels(s)
    answers: dict[str, Value] = {}
    with s.stoppable(lambda first: f"{first}. Nothing was changed: the entry is as it was."):
        for number, (step, value) in enumerate(entry.answers.items(), 1):
            out.line()
            out.styled(f"{number} of {total}. {step_label(step, entry.worksheet, labels)}", "bold")
            answers[step] = ask_again(out, s.prompter, value)
    if answers == dict(entry.answers):
        out.line("Nothing changed: the entry is as it was.")
        return
    store.replace(msgspec.structs.replace(entry, answers=answers, updated=s.clock()))
    _said(s, store)
    out.line("Saved. The earlier version of this entry was replaced: it is not kept in your journal.")


TIME = r"([01]\d|2[0-3]):[0-5]\d"  # compiled when used (re caches it): start-up stays short
FEELING = r"(.*\S)\s+(\d{1,3})\s*%?"


def ask_again(out: Output, prompter: Prompter, value: Value) -> Value:
    """Ask for a new value of the same kind as `value` (shown first); Enter keeps it."""
    from neurotutor.journal.model import MAX_TEXT
    from neurotutor.journal.store import value_words

    out.line(f"Now: {value_words(value) or '(empty)'}")
    if isinstance(value, bool):
        picked = prompter.choose("Yes or no?", ["yes", "no"], default=0 if value else 1) == 0
        out.note(f"Your answer: {value_words(picked)}.")  # an arrow-key menu is erased once answered
        return picked
    if isinstance(value, int):
        typed = prompter.text("A new number from 0 to 100", check=_number_problem, optional=True, empty="keep it")
        return int(typed) if typed else value
    if isinstance(value, list):
        typed = prompter.text("New feelings, each a name and how strong it is, 0-100 (like: sad 70, tense 40)",
                              check=lambda t: read_feelings(t)[1], optional=True, empty="keep it")
        return read_feelings(typed)[0] if typed else value
    if re.fullmatch(TIME, value):
        typed = prompter.text("A new time of day, like 07:30", check=lambda t: None if re.fullmatch(TIME, t) else
                              "Type a time of day as hours and minutes, like 07:30.", optional=True, empty="keep it")
        return typed or value
    typed = prompter.text("A new answer", check=lambda t: None if len(t) <= MAX_TEXT else
                          f"That is longer than {MAX_TEXT:,} characters; please shorten it.", optional=True, empty="keep it")
    return typed or value


def _number_problem(text: str) -> str | None:
    if text.isascii() and text.isdigit() and 0 <= int(text) <= 100:
        return None
    return "Type a number from 0 to 100."


def read_feelings(text: str) -> tuple[list[Feeling], str | None]:
    """Feelings typed as "name number" pairs between commas, and what is wrong with them (or None)."""
    from neurotutor.journal.model import Feeling

    feelings: list[Feeling] = []
    for part in text.split(","):
        found = re.fullmatch(FEELING, part.strip())
        if not part.strip():
            continue
        if found is None or int(found[2]) > 100 or len(found[1].strip()) > 100:
            return [], ("Write each feeling as a name and a number from 0 to 100, with commas between them, "
                        "like: sad 70, tense 40.")
        feelings.append(Feeling(name=found[1].strip(), intensity=int(found[2])))
    if not feelings:
        return [], "Write at least one feeling, like: sad 70."
    return feelings, None


@journal_app.command("delete")
def delete(ctx: typer.Context,
           entry_id: str = typer.Argument(..., metavar="ID", help="The entry's id, or its first characters."),
           yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Delete an entry for good: it is removed from your journal file, not hidden.

    Example: neurotutor journal delete 3kq7za
    """
    from neurotutor.cli.session import session_of
    from neurotutor.errors import Interrupted, Stopped, UsageError
    from neurotutor.journal.export import when

    s = session_of(ctx)
    store = _store(s)
    journal = store.load()
    _said(s, store)
    entry = journal.find(entry_id)
    out = s.out
    what = f"{entry.title or entry.worksheet} of {when(entry.created)} ({entry.status}, id {entry.id})"
    if not yes:
        try:
            sure = s.prompter.confirm(f"Delete {what} for good? It cannot be brought back.")
        except EOFError:
            raise UsageError("\nNothing was deleted: no answer was given. To delete without being asked: "
                             + s.command("journal", "delete", entry.id, "--yes")) from None
        except KeyboardInterrupt:
            raise Interrupted("\nStopped. Nothing was deleted.") from None
        except Stopped:
            raise Stopped("Stopped. Nothing was deleted.") from None
        if not sure:
            out.line("Nothing was deleted.")
            return
    store.delete(entry.id)
    _said(s, store)
    out.line(f"Deleted {what}. It is gone from your journal file, not hidden, and cannot be brought back.")
    out.note("Copies made before, such as a journal export or a backup of your computer, are not changed.")


@journal_app.command("search")
def search(ctx: typer.Context, text: str = typer.Argument(..., metavar="TEXT", help="What to look for.")) -> None:
    """List the entries whose title or answers hold TEXT (capitals or not).

    Example: neurotutor journal search "work"
    """
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError
    from neurotutor.journal.store import matches

    s = session_of(ctx)
    if not text.strip():
        raise UsageError(f"Give some words to look for, for example: {s.command('journal', 'search', 'work')}")
    store = _store(s, answers=True)
    journal = store.load()
    _said(s, store)
    found = [e for e in journal.entries.values() if matches(e, text)]
    out = s.out
    if not found:
        out.line(f"No entry in your journal holds \u201c{text}\u201d.")
        return
    def draw() -> None:
        _table(out, _rows(found, list(journal.entries)))
        n = len(found)
        out.note(f"{n} entr{'ies hold' if n != 1 else 'y holds'} \u201c{text}\u201d.")
        out.command("To read one:", s.command("journal", "show", "ID"))

    _screen(s, draw)


@journal_app.command("export")
def export(
    ctx: typer.Context,
    output: Path | None = typer.Option(None, "-o", "--output", metavar="FILE", dir_okay=False,
                                       help="Where to write it, a .md file (default: print it)."),
    yes: bool = typer.Option(False, "--yes", help="Replace FILE without asking when it exists."),
) -> None:
    """Write your whole journal as one Markdown file (readable only by you).

    Example: neurotutor journal export -o ~/journal.md
    """
    from neurotutor.cli.context import may_replace, write_file
    from neurotutor.cli.session import session_of
    from neurotutor.journal.export import to_markdown

    s = session_of(ctx)
    store = _store(s, answers=True)
    journal = store.load()
    _said(s, store)
    out = s.out
    document = to_markdown(list(journal.entries.values()), s.now, _labels(s))
    if output is None or str(output) == "-":
        out.show_lines(document.rstrip("\n").split("\n"))  # every value in it is escaped already
        return
    if not may_replace(s, output, "export", yes):
        return
    written = write_file(output, document.encode("utf-8"))
    if written.stdout:
        return
    n = len(journal.entries)
    out.line(f"Exported {n} journal entr{'ies' if n != 1 else 'y'} to {written.path}"
             + (" (only you can read it)." if written.private else "."))


@journal_app.command("lock")
def lock(ctx: typer.Context) -> None:
    """Protect your journal with a passphrase: its answers can then be read only with it.

    Saving a worksheet does not ask for the passphrase; reading, changing, searching or exporting
    the answers does. The list (which worksheet, when) stays readable. If you forget the
    passphrase, nobody can open the answers, neurotutor included. Run it again to change the
    passphrase.

    Example: neurotutor journal lock
    """
    from neurotutor.cli.journal_access import ask_key
    from neurotutor.cli.session import session_of
    from neurotutor.journal.lock import new_key, rekey

    s = session_of(ctx)
    store = _store(s)
    out = s.out
    if store.locked() is not None:
        s.out.line("Your journal is locked already: this changes its passphrase.")
        key = ask_key(s, store, "Your current passphrase")
        with s.stoppable(lambda first: f"{first}. Your passphrase was not changed."):
            passphrase = _new_passphrase(s)
        store.save_key(rekey(key, passphrase))
        out.line("Your journal's passphrase was changed. The entries were not touched.")
        return
    out.line("A passphrase keeps the answers in your journal unreadable to anyone who gets the file. Saving a "
             "worksheet will not ask for it; reading an entry will.")
    out.warn("If you forget it, nobody can open the answers, neurotutor included. Keep it somewhere safe.")
    with s.stoppable(lambda first: f"{first}. Your journal was not locked."):
        passphrase = _new_passphrase(s)
    out.line("Locking (a second or two)...")
    key, raw = new_key(passphrase)
    count = store.lock(key, raw)
    _said(s, store)
    out.line(f"Your journal is locked: the answers of its {count} entr{'ies' if count != 1 else 'y'} can be read only "
             f"with your passphrase. Its key is {store.key_path}, sealed with the passphrase.")
    out.command("To take the passphrase away again:", s.command("journal", "unlock"))


@journal_app.command("unlock")
def unlock(ctx: typer.Context) -> None:
    """Take the passphrase away: the answers are kept as plain text again, readable only by you.

    Example: neurotutor journal unlock
    """
    from neurotutor.cli.journal_access import ask_key
    from neurotutor.cli.session import session_of

    s = session_of(ctx)
    store = _store(s)
    if store.locked() is None:
        s.out.line("Your journal is not locked, so there is nothing to unlock.")
        return
    key = ask_key(s, store)
    count = store.unlock(key)
    _said(s, store)
    s.out.line(f"Your journal is unlocked: the answers of its {count} entr{'ies' if count != 1 else 'y'} are plain text "
               "again, in a file only you can read.")


def _new_passphrase(s: Session) -> str:
    """A new passphrase, typed twice (asked again until both match and it is long enough)."""
    from neurotutor.journal.lock import passphrase_problem

    while True:
        first = s.prompter.secret("A new passphrase")
        problem = passphrase_problem(first)
        if problem:
            s.out.warn(problem)
            continue
        if s.prompter.secret("The same passphrase again") == first:
            return first
        s.out.warn("The two were not the same. Please type it again.")
