"""`neurotutor practice`: fill in a worksheet one step at a time, kept in the private journal.

A draft is saved as each step is answered, so q, Ctrl-C or the end of input (the session's one
`stoppable` handler) loses nothing: the message says how to finish it (`practice --resume ID`).
What an answer is, and how an entry changes, is `neurotutor.worksheets.filling` (pure); the
journal store keeps the entries. `practice breathe` is the breathing space, when it is there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import typer

if TYPE_CHECKING:
    from datetime import datetime

    from neurotutor.cli.session import Session
    from neurotutor.journal.model import Entry, Value
    from neurotutor.journal.store import Journal as Entries
    from neurotutor.worksheets.catalogue import WorksheetCatalogue
    from neurotutor.worksheets.loader import LoadedWorksheet
    from neurotutor.worksheets.model import Step, Worksheet

BREATHE = "breathe"
HELP_WORD = "?"
MENU_HELP = "What does this step mean?"
MENU_EMPTY = "Leave it empty"
KIND_HINTS = {"text": "in your own words", "feelings": "feelings, each with how strong it is (0-100)",
              "rating_100": "a number from 0 to 100", "rating_10": "a number from 0 to 10",
              "time": "a time of day, like 07:30", "choice": "", "yes_no": ""}


class Journal(Protocol):
    """What filling in a worksheet needs of the journal store (`neurotutor.journal.store.JournalStore`)."""

    notices: list[str]

    def load(self) -> Entries:
        """Every entry, by id."""

    def save_draft(self, entry: Entry, base: datetime | None = ...) -> None:
        """Save an entry as it is now: a draft, or finished; `base`: the `updated` of the version
        last saved here (None: not saved yet), checked against the journal's (JournalStore)."""


def run(
    ctx: typer.Context,
    worksheet_id: str | None = typer.Argument(None, metavar="[WORKSHEET]", show_default=False,
                                              help="The worksheet's id or number (e.g. thought-record), or breathe "
                                                   "for the breathing space; with --resume, the id of the draft. "
                                                   "Without it, pick one from a list."),
    resume: bool = typer.Option(False, "--resume", help="Finish a worksheet you started (a draft in your journal)."),
) -> None:
    """Fill in a worksheet (a thought record, a behavioural experiment, an exposure log, an
    activity plan) one step at a time, or do the breathing space (practice breathe).

    Type ? at a step for help with it. What you write is kept in your journal on this computer,
    for you alone, saved as you go: stop any time with q or Ctrl-C and finish it later with
    'neurotutor practice --resume'. Press ! at any prompt for urgent help.

    Breathing: 'practice breathe' is the 3-minute breathing space; 'practice breathe paced' is
    paced breathing, 6 breaths a minute for 3 minutes unless told otherwise with --pace N (3 to 10),
    --minutes M (1 to 30) and --split IN:OUT (how long in against out). Any key stops it.

    Example: neurotutor practice thought-record
    """
    from neurotutor.cli.session import session_of
    from neurotutor.errors import UsageError

    s = session_of(ctx)
    extra = list(ctx.args)
    if worksheet_id == BREATHE and not resume:
        breathe(s, extra)
        return
    if extra:
        raise UsageError(f"'practice' does not take {extra[0]!r}. Run '{s.command('practice', '--help')}' to see "
                         "what it takes.")
    catalogue = worksheets_of(s)
    journal = open_journal(s)
    drafts = drafts_of(entries_of(s, journal))
    if resume:
        s.greet(screen=True)
        found, loaded = pick_draft(s, catalogue, journal, drafts, worksheet_id)
        fill(s, loaded, journal, found)
    elif worksheet_id is None:
        s.greet(screen=True)
        with s.stoppable(lambda first: f"{first}. Nothing was written."):
            picked = choose_worksheet(s, catalogue, drafts)
        if picked is None:
            breathe(s, [])
        elif not isinstance(picked, str):
            fill(s, picked[0], journal, picked[1])
    else:
        named = catalogue.find(worksheet_id, s.command("practice"))
        s.greet(screen=True)
        entry = None
        mine = [e for e in drafts if e.worksheet == named.worksheet.id]
        if mine:
            with s.stoppable(lambda first: f"{first}. Nothing was written."):
                entry = offer_draft(s, named.worksheet, mine)
        fill(s, named, journal, entry)


# -- the parts a command is made of -------------------------------------------------------------------


def breathe(s: Session, args: list[str]) -> None:
    """The breathing space (`neurotutor.cli.breathe_screen`), when this version has it."""
    from neurotutor.errors import UsageError

    if not breathe_available():
        raise UsageError("The breathing space is not available in this version yet.")
    from neurotutor.cli import breathe_screen

    breathe_screen.run(s, args)


def breathe_available() -> bool:
    """Whether this version has the breathing space (it is built apart from the worksheets)."""
    import importlib.util

    return importlib.util.find_spec("neurotutor.cli.breathe_screen") is not None


def worksheets_of(s: Session) -> WorksheetCatalogue:
    """The built-in worksheets and those in the learner's folders; broken files named once on stderr."""
    from neurotutor import paths
    from neurotutor.worksheets.catalogue import load_worksheets

    settings = s.settings
    catalogue = load_worksheets(paths.builtin_worksheets_dir(),
                                paths.user_lesson_dirs(list(settings.lessons_dirs), settings.profile))
    if catalogue.problems:
        first: dict[str, str] = {}
        for problem in catalogue.problems:
            first.setdefault(problem.path, str(problem))
        s.out.warn(f"Some worksheets could not be loaded ({len(first)} file{'s' if len(first) != 1 else ''}); "
                   "the others work as usual:")
        for line in first.values():
            s.out.warn(f"  {line}")
        s.out.warn(f"Run '{s.command('validate', *first)}' to see every problem.")
    return catalogue


def open_journal(s: Session) -> Journal:
    """The journal of the session's profile."""
    from neurotutor import paths
    from neurotutor.journal.store import JournalStore

    store: Journal = JournalStore(paths.journal_file(s.store.path))
    return store


def entries_of(s: Session, journal: Journal) -> Entries:
    """The journal's entries; what the store had to recover is said once."""
    entries = journal.load()
    for notice in journal.notices:
        s.out.warn(notice)
    journal.notices.clear()
    return entries


def drafts_of(entries: Entries) -> list[Entry]:
    """The drafts in the journal, the most recently changed first."""
    return sorted((e for e in entries.entries.values() if e.status == "draft"), key=lambda e: e.updated, reverse=True)


def draft_words(entry: Entry, worksheet: Worksheet | None) -> str:
    """A draft as a menu shows it: its title, when it was started, how far it got."""
    from neurotutor.dates import local
    from neurotutor.worksheets.filling import steps_answered

    when = local(entry.created).strftime("%d %b %Y, %H:%M").lstrip("0")
    if entry.sealed is not None:  # a locked journal: how far it got is not known without the passphrase
        done = ", locked"
    else:
        done = f", {steps_answered(worksheet, entry)} of {len(worksheet.steps)} steps" if worksheet else ""
    return f"{entry.title}, started {when}{done}"


def offer_draft(s: Session, worksheet: Worksheet, drafts: list[Entry]) -> Entry | None:
    """Go on with a draft of this worksheet, or start a new one (None)."""
    options = [f"Finish the one started {draft_words(e, worksheet).split(', started ', 1)[1]}" for e in drafts]
    pick = s.prompter.choose(f"You have started this worksheet before. Finish {'it' if len(drafts) == 1 else 'one'}, "
                             "or start a new one?", [*options, "Start a new one"])
    return drafts[pick] if pick < len(drafts) else None


BACK = "back"


def choose_worksheet(s: Session, catalogue: WorksheetCatalogue, drafts: list[Entry],
                     back: bool = False) -> tuple[LoadedWorksheet, Entry | None] | str | None:
    """The menu of worksheets (and the breathing space, and the drafts); None: the breathing space;
    with `back` (from another menu), a last entry that goes back to it (BACK)."""
    from neurotutor.errors import UsageError

    if not catalogue.worksheets:
        raise UsageError("There are no worksheets to fill in: the built-in ones are missing from this installation.")
    options = [w.worksheet.title for w in catalogue.worksheets]
    known = [d for d in drafts if catalogue.get(d.worksheet) is not None]
    if breathe_available():
        options.append("Breathing space (a few calm minutes)")
    if known:
        options.append(f"Finish one you started ({len(known)})")
    if back:
        options.append("Back")
    pick = s.prompter.choose("Which would you like to do?", options)
    if pick < len(catalogue.worksheets):
        return catalogue.worksheets[pick], None
    if options[pick].startswith("Breathing space"):
        return None
    if back and pick == len(options) - 1:
        return BACK
    entry = known[s.prompter.choose("Which one?", [draft_words(d, _worksheet(catalogue, d)) for d in known])]
    return _loaded(catalogue, entry), entry


def pick_draft(s: Session, catalogue: WorksheetCatalogue, journal: Journal, drafts: list[Entry],
               entry_id: str | None) -> tuple[Entry, LoadedWorksheet]:
    """The draft to finish: the one with this id (or the start of it), the only one, or one
    picked from a menu."""
    from neurotutor.errors import UsageError
    from neurotutor.journal.store import find_id

    if entry_id is not None:
        entries = journal.load().entries
        entry = entries[find_id(list(entries), entry_id)]
        if entry.status != "draft":
            raise UsageError(f"That {entry.title} is finished already: read it with "
                             f"'{s.command('journal', 'show', entry.id)}'.")
    elif not drafts:
        raise UsageError(f"You have no worksheet to finish. Start one with '{s.command('practice')}'.")
    elif len(drafts) == 1:
        entry = drafts[0]
    else:
        with s.stoppable(lambda first: f"{first}. Nothing was written."):
            entry = drafts[s.prompter.choose("Which one would you like to finish?",
                                             [draft_words(d, _worksheet(catalogue, d)) for d in drafts])]
    return entry, _loaded(catalogue, entry)


def _opened(s: Session, journal: Journal, entry: Entry) -> Entry:
    """A draft of a locked journal with its answers, opened with the passphrase (asked)."""
    from neurotutor.cli.journal_access import ask_key
    from neurotutor.errors import UsageError
    from neurotutor.journal.store import JournalStore

    if not isinstance(journal, JournalStore):
        raise UsageError("This draft is locked, and this journal cannot be opened with a passphrase.")
    s.out.line("Your journal is locked: its passphrase opens the answers of this draft.")
    journal.key = ask_key(s, journal)
    opened = journal.load().entries.get(entry.id)
    if opened is None:
        raise UsageError(f"The draft {entry.id} is no longer in your journal (was it deleted in another window?).")
    if opened.sealed is not None:
        raise UsageError(f"The draft {entry.id} could not be opened with your journal's key; it is kept as it is.")
    return opened


def _worksheet(catalogue: WorksheetCatalogue, entry: Entry) -> Worksheet | None:
    found = catalogue.get(entry.worksheet)
    return found.worksheet if found else None


def _loaded(catalogue: WorksheetCatalogue, entry: Entry) -> LoadedWorksheet:
    from neurotutor.errors import UsageError

    found = catalogue.get(entry.worksheet)
    if found is None:
        raise UsageError(f"The draft {entry.id!r} is of the worksheet {entry.worksheet!r}, which is not here any more "
                         "(was it in a folder given with --lessons-dir?).")
    return found


# -- filling in --------------------------------------------------------------------------------------


class _Run:
    """Where a worksheet being filled in is: the entry as last saved, and whether it is in the journal."""

    def __init__(self, entry: Entry, saved: bool) -> None:
        self.entry = entry
        self.saved = saved


def fill(s: Session, loaded: LoadedWorksheet, journal: Journal, entry: Entry | None = None,
         token: Callable[[int], bytes] | None = None) -> Entry:
    """Ask each step in turn (from where a draft stopped), saving a draft after each answer, then
    keep the entry as done and show it. Returns the entry as kept."""
    import os

    import msgspec

    from neurotutor import safety
    from neurotutor.cli import hints
    from neurotutor.errors import Stopped
    from neurotutor.worksheets import filling

    worksheet = loaded.worksheet
    out, prompter = s.out, s.prompter
    if entry is not None and entry.sealed is not None:  # a draft in a locked journal: its answers opened first
        entry = _opened(s, journal, entry)
    resumed = entry is not None
    run = _Run(entry if entry is not None else
               filling.start(worksheet, filling.new_entry_id((token or os.urandom)(8)), s.now), saved=resumed)
    total = len(worksheet.steps)
    first = filling.resume_at(worksheet, run.entry) if resumed else 0

    def said(how: str) -> str:
        if run.saved:
            return f"{how}. Your worksheet is saved as a draft in your journal."
        return f"{how}. Nothing was written."

    def save(new: Entry) -> None:
        """Save this version (checked against the one last saved here: another window's is never overwritten)."""
        import msgspec

        from neurotutor.journal.store import Changed

        try:
            journal.save_draft(new, run.entry.updated if run.saved else None)
        except Changed:  # saved in another window meanwhile: this one's answers are kept apart, nothing is lost
            new = msgspec.structs.replace(new, id=filling.new_entry_id((token or os.urandom)(8)))
            journal.save_draft(new, None)
            out.warn(f"This worksheet was also saved in another window since you opened it here. So that nothing is "
                     f"lost, what you write here is kept as a separate entry ({new.id}).")
        run.entry, run.saved = new, True

    def at_step(index: int) -> str | None:
        return worksheet.steps[index + 1].id if index + 1 < total else None

    def then() -> list[tuple[str, str]]:
        return [("To finish it, run:", s.command("practice", "--resume", run.entry.id))] if run.saved else []

    out.clear()
    out.heading(worksheet.title)
    if resumed:
        out.line(f"Welcome back: going on at step {min(first, total - 1) + 1} of {total}.")
        answered = [(name, words) for name, words in filling.filled_lines(worksheet, run.entry)
                    if words != filling.answer_words(None)]
        if answered:
            out.note("So far:")
            _show_answers(s, answered)
    else:
        out.markdown(worksheet.purpose)
        if worksheet.safety_note:
            out.line()
            out.styled(worksheet.safety_note, "yellow")
        out.line()
        out.note(f"{total} step{'s' if total != 1 else ''}. Type ? at a step for help with it. Stop any time with q "
                 "or Ctrl-C: what you wrote is kept as a draft. Press ! at any prompt for urgent help.")
    with s.stoppable(said, then=then):
        if not resumed:
            prompter.pause("Press Enter to begin.")
        asked = 0
        order = list(range(first, total))
        for index in order + [i for i in range(first) if worksheet.steps[i] in filling.missing(worksheet, run.entry)]:
            step = worksheet.steps[index]
            if not filling.applies(step, run.entry):  # its asked_if step was left empty, or answered no
                continue
            if step.later and asked and prompter.choose(
                    "The next steps are usually filled in later, after you have done what you planned. Go on now?",
                    ["Go on now", "Stop here and finish it later"]) == 1:
                if run.saved:  # finishing it later starts here
                    save(msgspec.structs.replace(run.entry, next_step=step.id, updated=s.clock()))
                raise Stopped

            def keep(value: Value, step_id: str = step.id) -> None:  # a step stopped part-way: what was noted
                save(msgspec.structs.replace(filling.answered(run.entry, step_id, value, s.clock()), next_step=step_id))

            value = ask_step(s, step, index + 1, total, keep, filling.recalled(worksheet, step, run.entry))
            asked += 1
            if value is None and step.id not in run.entry.answers:
                if run.saved:  # left empty on purpose: finishing it later goes on after it
                    save(msgspec.structs.replace(run.entry, next_step=at_step(index), updated=s.clock()))
                continue
            save(msgspec.structs.replace(filling.answered(run.entry, step.id, value, s.clock()),
                                         next_step=at_step(index)))
        done = filling.finished(run.entry, s.clock())
        save(done)  # the journal keeps it as done, with no earlier draft of it left
        done = run.entry
    out.line()
    out.heading(f"{worksheet.title}: done")
    _show_answers(s, filling.filled_lines(worksheet, done))
    out.line()
    out.line("Kept in your journal, on this computer only. No one else sees it unless you choose to share it.")
    out.command("To read it again:", s.command("journal", "show", done.id))
    out.note(safety.footer(hints.bare("safety")))
    return done


def _show_answers(s: Session, lines: list[tuple[str, str]]) -> None:
    """Each step's short name and answer, the answer indented under it."""
    import textwrap

    width = max(s.out.width - 1, 20) if s.out.decorated else 0
    for name, words in lines:
        s.out.styled(name, "bold")
        for line in words.split("\n"):
            for part in textwrap.wrap(line, width, initial_indent="  ", subsequent_indent="  ",
                                      break_on_hyphens=False) if width and line else [f"  {line}"]:
                s.out.line(part)  # a long answer keeps its indent on every line it takes


def step_line(step: Step, number: int, total: int) -> str:
    """The line above a step: where it is, what it asks for, and its keys."""
    from neurotutor.worksheets.model import step_kind

    kind = step_kind(step)
    parts = [f"Step {number} of {total}"]
    if KIND_HINTS[kind]:
        parts.append(KIND_HINTS[kind])
    if step.optional and kind not in ("choice", "yes_no"):
        parts.append("Enter alone to leave it empty")
    if step.help and kind not in ("choice", "yes_no"):
        parts.append("? for help")
    return " · ".join(parts)


def ask_step(s: Session, step: Step, number: int, total: int,
             keep: Callable[[Value], None] | None = None, recall: tuple[str, str] | None = None) -> Value | None:
    """Ask one step until it is answered (or left empty, when it may be); ? shows its help. A step
    of several answers (feelings) stopped part-way gives what was noted to `keep` first."""
    from neurotutor.worksheets import filling
    from neurotutor.worksheets.model import ChoiceStep, step_kind

    out, prompter = s.out, s.prompter
    kind = step_kind(step)
    out.line()
    out.styled(step_line(step, number, total), "dim")
    if recall is not None:  # the earlier answer this step is about
        out.line(f"{recall[0]}: {recall[1]}")

    def show_help() -> None:
        if step.help:
            out.note(step.help)
        else:
            out.note("  This step has no more help. Write what fits for you.")

    if kind in ("choice", "yes_no"):
        options = list(step.options) if isinstance(step, ChoiceStep) else ["Yes", "No"]
        given = len(options)
        if step.optional:
            options.append(MENU_EMPTY)
        if step.help:
            options.append(MENU_HELP)
        while True:
            pick = prompter.choose(step.prompt, options)
            if options[pick] == MENU_HELP and pick >= given:
                show_help()
                continue
            if pick >= given:
                out.note("Left empty.")
                return None
            out.note(f"{step.prompt} {options[pick]}")  # an arrow-key menu is erased once answered
            return (pick == 0) if kind == "yes_no" else options[pick]
    if kind == "feelings":
        return ask_feelings(s, step, show_help, keep)

    def check(text: str) -> str | None:
        if text == HELP_WORD:
            return None
        if kind in ("rating_100", "rating_10"):
            got = filling.read_rating(text, 100 if kind == "rating_100" else 10)
            return got if isinstance(got, str) else None
        if kind == "time":
            try:
                filling.read_time(text)
            except ValueError as exc:
                return str(exc)
            return None
        return filling.text_problem(text)

    out.line(step.prompt)
    message = {"rating_100": "Your rating", "rating_10": "Your rating", "time": "The time"}.get(kind, "Your answer")
    while True:
        typed = prompter.text(message, check, optional=step.optional)
        if typed == HELP_WORD:
            show_help()
            continue
        if not typed:
            return None
        if kind in ("rating_100", "rating_10"):
            return int(filling.read_rating(typed, 100 if kind == "rating_100" else 10))
        if kind == "time":
            return filling.read_time(typed)
        return typed


def ask_feelings(s: Session, step: Step, show_help: Callable[[], None],
                 keep: Callable[[Value], None] | None = None) -> Value | None:
    """Feelings one at a time, each with how strong it is (typed with it, "sad 70", or asked next);
    stopped part-way, the feelings noted so far are given to `keep` (then the stop goes on)."""
    from neurotutor.errors import Stopped

    pairs: list[tuple[str, int]] = []
    try:
        return _feelings(s, step, show_help, pairs)
    except (Stopped, KeyboardInterrupt, EOFError):
        if pairs and keep is not None:
            from neurotutor.worksheets import filling

            keep(filling.feelings(pairs))
        raise


def _feelings(s: Session, step: Step, show_help: Callable[[], None], pairs: list[tuple[str, int]]) -> Value | None:
    from neurotutor.worksheets import filling

    out, prompter = s.out, s.prompter
    out.line(step.prompt)

    def check(text: str) -> str | None:
        if text == HELP_WORD:
            return None
        got = filling.read_feeling(text)
        if isinstance(got, str):
            return got
        if any(name.casefold() == got[0].casefold() for name, _ in pairs):
            return f"You have noted {got[0]} already. Give another feeling, or press Enter to go on."
        return None

    def strength(text: str) -> str | None:
        if text == HELP_WORD:
            return None
        got = filling.read_rating(text, 100)
        return got if isinstance(got, str) else None

    while len(pairs) < filling.MAX_FEELINGS:
        message = "A feeling, and how strong it is (like: sad 70)" if not pairs else "Another feeling, if there is one"
        typed = prompter.text(message, check, optional=step.optional or bool(pairs))
        if typed == HELP_WORD:
            show_help()
            continue
        if not typed:
            break
        got = filling.read_feeling(typed)
        assert not isinstance(got, str)  # the check said so
        name, intensity = got
        while intensity is None:
            answer = prompter.text(f"How strong is {name}, from 0 to 100?", strength)
            if answer == HELP_WORD:
                show_help()
                continue
            intensity = int(filling.read_rating(answer, 100))
        pairs.append((name, intensity))
        out.note(f"  Noted: {name} {intensity}")
    return filling.feelings(pairs) or None
