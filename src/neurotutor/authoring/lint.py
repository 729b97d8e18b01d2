"""`neurotutor lint`: warnings about how well a valid lesson teaches and tests, not whether it loads.

Each rule has an id, a one-line reason (RULES) and a section in docs/lint-rules.md. A warning can
be silenced where it does not apply, with the reason, in the item's `lint:` field
(`lint: {right-longest: "the long option is long because it names both studies"}`) on the lesson,
a section or a question. Rules look at one lesson at a time; they never change a file.

The answer-cue rules put numbers on what a test-wise guesser can exploit without knowing the
content (the option that is longest, the one without an absolute word, "false" every time),
following the item-writing guidelines of Haladyna, Downing & Rodriguez (2002).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neurotutor.errors import Problem
from neurotutor.lessons import model as m

RULES = {
    "readability": "Learner-level text should read at about age 12-14 (Flesch-Kincaid grade 9 or below).",
    "true-false-balance": "A lesson's true/false keys should differ by at most one, or answering one key every time pays.",
    "form-guessing": "A guesser who reads only the options' form (length, absolute words) should do no better than chance.",
    "right-longest": "The right option should not stand out as the longest (or the shortest) of its item.",
    "absolute-cue": "Absolute words (always, never, only, proven) should not mark the wrong options apart from the right one.",
    "duplicate-options": "Two options that say the same, or one inside the other, give the answer away or confuse.",
    "catch-all-option": "\"All of the above\" and \"none of the above\" reward partial knowledge and test-wiseness.",
    "prompt-too-long": "A question's prompt should fit an 80x24 terminal with its options below it: at most 600 characters.",
    "option-too-long": "An option (or an ordering or matching item) should fit in three lines of an 80-column terminal: "
                       "at most 200 characters.",
    "wrong-option-feedback": "Every wrong option (and every true/false item) should say why it is wrong when chosen.",
    "unsupported-section": "A section that states findings needs an evidence tag, claims or references.",
    "uncited-reference": "A reference no section, claim or question cites is either missing a citation or not needed.",
    "citation-not-listed": "An in-text citation (Author Year) should match a reference the lesson lists.",
    "content-note": "A lesson that touches trauma, abuse, self-harm or suicide needs a content note.",
    "unknown-lint-rule": "A `lint:` entry should name a rule that exists (see docs/lint-rules.md).",
    "misconception-sentence": "A misconception label should have a sentence under `misconceptions:`: stats, reports "
                              "and the caseload show that sentence, not the label.",
    "scaffold-text": "Example text from `neurotutor new lesson` should be replaced before learners see it.",
}
MAX_GRADE = 9.0  # Flesch-Kincaid grade; about reading age 14, the top of the 12-14 target
ABSOLUTE = re.compile(r"\b(always|never|only|proven|proves?|all|none|every|completely|entirely|certainly|"
                      r"definitely|guarantee[sd]?|impossible|nothing|cannot|must)\b", re.I)
FINDING = re.compile(r"\b(stud(y|ies)|trials?|research(ers)?|meta-analys[ie]s|experiments?|found|showed?n?|"
                     r"evidence|scans?)\b", re.I)
CITATION = re.compile(r"\(([A-Z][\w'\u00C0-\u017F-]+)(?:\s+(?:et al\.|(?:&|and)\s+[A-Z][\w'\u00C0-\u017F-]+))?,?\s+"
                      r"(\d{4})[a-z]?\)")
DISTRESSING = re.compile(r"\b(trauma\w*|ptsd|abuse\w*|self-harm\w*|suicid\w*|assault\w*)\b", re.I)
# What fits an 80x24 terminal. The quiz shows a heading, the prompt at 80 columns, "Choose one",
# each option indented by 6 (74 columns left), then "I don't know". Measured on an 80x24 pty: a
# 600-character prompt takes 8 lines and a 200-character option 3, so at both limits a question
# with four options takes 22 lines and still fits whole (only the heading may scroll away). The
# longest built-in ones: a prompt of 275 characters, an option of 162 (a matching item).
MAX_PROMPT = 600
MAX_OPTION = 200
CHANCE_MARGIN = 0.10  # a form-only guesser may beat chance by at most this much
MIN_ITEMS = 4  # lesson-level patterns need this many items of a type to mean anything


@dataclass(frozen=True)
class Finding:
    rule: str
    path: str
    line: int
    column: int
    item: str  # what it is about: the lesson, "section ID" or "question ID"
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.rule}: {self.message}"


@dataclass
class LessonFacts:
    """What the report on a lesson shows: question counts, keys, readability."""

    lesson_id: str
    level: str
    questions_by_type: dict[str, int] = field(default_factory=dict)
    true_false_keys: tuple[int, int] = (0, 0)  # (keyed true, keyed false)
    grades: dict[str, float] = field(default_factory=dict)  # section id -> Flesch-Kincaid grade
    form_guessing: dict[str, tuple[float, float]] = field(default_factory=dict)  # strategy -> (score, chance)


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_#>`|]", " ", text)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _choices(q: m.Question) -> tuple[m.Choice, ...]:
    return q.choices if isinstance(q, (m.SingleChoice, m.MultipleSelect)) else ()


class _Lint:
    def __init__(self, lesson: m.Lesson, path: Path, mark: Callable[[tuple[Any, ...]], tuple[int, int]],
                 text: str = "") -> None:
        self.lesson, self.path, self.mark, self.text = lesson, path, mark, text
        self.starts: list[int] | None = None  # where each line of the text starts, once needed
        self.findings: list[Finding] = []
        self.facts = LessonFacts(lesson.id, lesson.level)

    def warn(self, rule: str, where: tuple[Any, ...], item: str, message: str, silenced: dict[str, str],
             at: tuple[int, int] | None = None) -> None:
        if rule in silenced or rule in self.lesson.lint:
            return
        line, column = at or self.mark(where)
        self.findings.append(Finding(rule, str(self.path), line, column, item, message))

    def first_word(self, found: re.Pattern[str], where: tuple[Any, ...], value: str) -> tuple[tuple[int, int], str]:
        """Where the first match of `found` in a value stands in the file, and the word as written
        there; the value's own place when the file spells it otherwise (an escape in quotes)."""
        line, column = self.mark(where)
        words = {w.lower() for w in found.findall(value)}
        if self.starts is None:
            self.starts = _line_starts(self.text)
        starts = self.starts
        if 1 <= line <= len(starts):
            match = found.search(self.text, starts[line - 1] + column - 1)
            if match and match.group(0).lower() in words:
                at = match.start()
                row = bisect.bisect_right(starts, at)
                return (row, at - starts[row - 1] + 1), match.group(0)
        return (line, column), found.findall(value)[0]

    # -- the lesson ------------------------------------------------------------------------

    def run(self) -> None:
        lesson = self.lesson
        for where, silenced in [((), lesson.lint)] + [(("sections", i), s.lint) for i, s in enumerate(lesson.sections)] \
                + [(("questions", i), q.lint) for i, q in enumerate(lesson.questions)]:
            for rule in silenced:
                if rule not in RULES:
                    self.warn("unknown-lint-rule", (*where, "lint", rule), "lint",
                              f"there is no rule {rule!r}; rules: {', '.join(sorted(RULES))}", {})
        self.leftovers()
        self.sections()
        self.references()
        self.questions()
        self.cues()

    def leftovers(self) -> None:
        """Example text of the scaffold still in place (compared field by field, whitespace aside)."""
        example = _scaffold_texts()
        lesson = self.lesson
        places: list[tuple[tuple[Any, ...], str, str]] = [(("summary",), "lesson", lesson.summary),
                                                          (("content_note",), "lesson", lesson.content_note or "")]
        places += [(("tags", i), "lesson", t) for i, t in enumerate(lesson.tags)]
        for i, sec in enumerate(lesson.sections):
            places += [(("sections", i, "body"), f"section {sec.id}", sec.body)]
        for i, q in enumerate(lesson.questions):
            places += [(("questions", i, "prompt"), f"question {q.id}", q.prompt)]
        for where, item, text in places:
            if text and " ".join(text.split()) in example:
                field = where[-1] if isinstance(where[-1], str) else where[0]
                label = {"summary": "the summary", "content_note": "the content note", "tags": "a tag",
                         "body": "the body", "prompt": "the prompt"}[field]
                self.warn("scaffold-text", where, item, f"{label} is still the scaffold's example "
                          f"({_short(' '.join(text.split()))}): replace it with your own", {})

    def sections(self) -> None:
        lesson = self.lesson
        grade_of = _grader()
        if not lesson.content_note:
            self.content_note()
        for i, s in enumerate(lesson.sections):
            item = f"section {s.id}"
            if lesson.level == "learner" and grade_of is not None:
                text = _plain(s.body + " " + " ".join(s.key_points))
                grade = grade_of(text)
                self.facts.grades[s.id] = grade
                if grade > MAX_GRADE:
                    self.warn("readability", ("sections", i, "body"), item,
                              f"reads at Flesch-Kincaid grade {grade:.1f} (aim for {MAX_GRADE:.0f} or below); the words "
                              f"that cost most: {', '.join(_costly_words(text))}", s.lint)
            if not (s.evidence or s.claims or s.refs) and (finding := FINDING.search(s.body) or CITATION.search(s.body)):
                self.warn("unsupported-section", ("sections", i), item, "states findings (\"" + finding.group(0) +
                          "\") but has no evidence tag, claims or references", s.lint)

    def content_note(self) -> None:
        """A sensitive subject without a content note: the first word that names one, where it is."""
        lesson = self.lesson
        places: list[tuple[tuple[Any, ...], str]] = [(("title",), lesson.title), (("summary",), lesson.summary)]
        for i, s in enumerate(lesson.sections):
            places += [(("sections", i, "body"), s.body), (("sections", i, "deeper"), s.deeper or "")]
            places += [(("sections", i, "key_points", j), point) for j, point in enumerate(s.key_points)]
        for i, q in enumerate(lesson.questions):
            places += [(("questions", i, "prompt"), q.prompt), (("questions", i, "explanation"), q.explanation)]
        hits = [self.first_word(DISTRESSING, where, text) for where, text in places if DISTRESSING.search(text)]
        if not hits:
            return
        at, word = min(hits)
        others = sorted({w.lower() for _, text in places for w in DISTRESSING.findall(text)} - {word.lower()})
        self.warn("content-note", ("id",), "lesson", f"the lesson mentions {word!r} but has no content_note"
                  + (f" (it also mentions {', '.join(others)})" if others else ""), {}, at=at)

    def references(self) -> None:
        lesson = self.lesson
        cited = {r for s in lesson.sections for r in (*s.refs, *(x for c in s.claims for x in c.refs))}
        cited |= {r for q in lesson.questions for r in q.refs}
        for i, ref in enumerate(lesson.references):
            if ref.id not in cited:
                self.warn("uncited-reference", ("references", i, "id"), f"reference {ref.id}",
                          f"{ref.id} is listed but no section, claim or question cites it", {})
        listed = {(_surname(ref.authors), ref.year) for ref in lesson.references}
        places: list[tuple[tuple[Any, ...], str, str, dict[str, str]]] = []
        for i, s in enumerate(lesson.sections):
            places += [(("sections", i, "body"), f"section {s.id}", s.body, s.lint),
                       (("sections", i, "deeper"), f"section {s.id}", s.deeper or "", s.lint)]
        for i, q in enumerate(lesson.questions):
            places.append((("questions", i, "explanation"), f"question {q.id}", q.explanation, q.lint))
        for where, item, text, silenced in places:
            for name, year in CITATION.findall(text):
                if (_norm(name), int(year)) not in listed:
                    self.warn("citation-not-listed", where, item, f"({name} … {year}) matches no reference of the "
                              "lesson (first author's surname and year)", silenced)

    def questions(self) -> None:
        for i, q in enumerate(self.lesson.questions):
            item = f"question {q.id}"
            kind = m.question_type(q)
            self.lengths(i, q, item)
            self.facts.questions_by_type[kind] = self.facts.questions_by_type.get(kind, 0) + 1
            choices = _choices(q)
            for j, c in enumerate(choices):
                if re.search(r"\b(all|none|both|neither) of the (above|options|answers)\b", c.text, re.I):
                    self.warn("catch-all-option", ("questions", i, "choices", j), item,
                              f"option {j + 1} is a catch-all ({c.text!r})", q.lint)
                if not c.correct and not c.feedback:
                    self.warn("wrong-option-feedback", ("questions", i, "choices", j), item,
                              f"wrong option {j + 1} ({_short(c.text)}) has no feedback", q.lint)
            for j in range(len(choices)):
                for k in range(j + 1, len(choices)):
                    a, b = _norm(choices[j].text), _norm(choices[k].text)
                    if a == b or (min(len(a), len(b)) >= 12 and (a in b or b in a)):
                        self.warn("duplicate-options", ("questions", i, "choices", k), item,
                                  f"options {j + 1} and {k + 1} say the same, or one holds the other", q.lint)
            labelled: list[tuple[tuple[Any, ...], str | None]] = [
                (("questions", i, "choices", j, "misconception"), c.misconception) for j, c in enumerate(choices)]
            labelled += [(("questions", i, "misconception"), getattr(q, "misconception", None))]
            for where, label in labelled:
                if label and label not in self.lesson.misconceptions:
                    self.warn("misconception-sentence", where, item, f"the misconception {label!r} has no sentence "
                              "under `misconceptions:` (reports would show its label as words)", q.lint)
            if isinstance(q, m.TrueFalse) and not q.feedback:
                self.warn("wrong-option-feedback", ("questions", i), item,
                          "a true/false item needs feedback for a wrong answer", q.lint)
            if isinstance(q, m.SingleChoice) and len(choices) >= 3:
                lengths = [len(c.text) for c in choices]
                right = next(j for j, c in enumerate(choices) if c.correct)
                others = [n for j, n in enumerate(lengths) if j != right]
                if lengths[right] > 1.25 * max(others):
                    self.warn("right-longest", ("questions", i, "choices", right), item,
                              f"the right option is the longest by far ({lengths[right]} characters, the next "
                              f"{max(others)})", q.lint)
            if isinstance(q, (m.SingleChoice, m.MultipleSelect)) and len(choices) >= 3:
                right_abs = [bool(ABSOLUTE.search(c.text)) for c in choices if c.correct]
                wrong_abs = [bool(ABSOLUTE.search(c.text)) for c in choices if not c.correct]
                if len(wrong_abs) >= 2 and all(wrong_abs) and not any(right_abs):
                    self.warn("absolute-cue", ("questions", i), item, "every wrong option has an absolute word "
                              "(always, never, only...) and no right one does", q.lint)
                elif right_abs and all(right_abs) and not any(wrong_abs):
                    self.warn("absolute-cue", ("questions", i), item, "only the right option(s) have an absolute "
                              "word: the odd one out gives it away", q.lint)

    def lengths(self, i: int, q: m.Question, item: str) -> None:
        """A prompt or an option too long to fit the screen the quiz shows it on."""
        if len(q.prompt) > MAX_PROMPT:
            self.warn("prompt-too-long", ("questions", i, "prompt"), item,
                      f"the prompt is {len(q.prompt):,} characters; at most {MAX_PROMPT} fit an 80x24 terminal with "
                      "the options below it: move the background into a section, or split the question", q.lint)
        options: list[tuple[tuple[Any, ...], str, str]] = [
            (("questions", i, "choices", j, "text"), f"option {j + 1}", c.text) for j, c in enumerate(_choices(q))]
        if isinstance(q, m.Ordering):
            options += [(("questions", i, "items", j), f"item {j + 1}", t) for j, t in enumerate(q.items)]
        if isinstance(q, m.Matching):
            for j, pair in enumerate(q.pairs):
                options += [(("questions", i, "pairs", j, "left"), f"pair {j + 1} (left)", pair.left),
                            (("questions", i, "pairs", j, "right"), f"pair {j + 1} (right)", pair.right)]
        for where, name, text in options:
            if len(text) > MAX_OPTION:
                self.warn("option-too-long", where, item, f"{name} is {len(text):,} characters; at most {MAX_OPTION} "
                          "fit in three lines of an 80-column terminal: say it shorter, and put the detail in the "
                          "feedback or the explanation", q.lint)

    # -- answer cues across the lesson ------------------------------------------------------

    def cues(self) -> None:
        lesson = self.lesson
        tf = [q for q in lesson.questions if isinstance(q, m.TrueFalse)]
        true = sum(q.answer for q in tf)
        self.facts.true_false_keys = (true, len(tf) - true)
        if len(tf) >= 2:
            majority = max(true, len(tf) - true) / len(tf)
            if abs(2 * true - len(tf)) > 1:
                key = "true" if true > len(tf) - true else "false"
                first = next(i for i, q in enumerate(lesson.questions) if isinstance(q, m.TrueFalse))
                self.warn("true-false-balance", ("questions", first), "lesson",
                          f"{max(true, len(tf) - true)} of {len(tf)} true/false items are keyed {key}: answering "
                          f"{key} every time scores {majority:.0%}", {})
        for guess in form_guessers(lesson.questions):
            if guess.name.startswith("true/false"):
                continue  # true-false-balance says it in its own words
            self.facts.form_guessing[guess.name] = (guess.score, guess.chance)
            if guess.score > guess.chance + CHANCE_MARGIN:
                self.warn("form-guessing", ("questions",), "lesson", guess.words(), {})


@dataclass(frozen=True)
class Guess:
    """How one form-only guesser does on a set of items, against chance."""

    name: str  # "single: the shortest option"
    score: float
    chance: float
    items: int
    unit: str  # what was scored: "single-choice items" or "multiple-select options"

    def words(self) -> str:
        kind, _, how = self.name.partition(": ")
        if kind == "true/false":
            return (f"answering {how.removeprefix('always ')} every time scores {self.score:.0%} on the {self.items} "
                    f"{self.unit} (chance: {self.chance:.0%})")
        if kind == "multiple":
            return (f"ticking {how} judges {self.score:.0%} of the {self.items} {self.unit} right (marking them all "
                    f"the more common way: {self.chance:.0%})")
        return f"picking {how} scores {self.score:.0%} on the {self.items} {self.unit} (chance: {self.chance:.0%})"


def form_guessers(questions: Iterable[m.Question], min_items: int = MIN_ITEMS) -> list[Guess]:
    """Form-only guessers on some questions (a lesson, or the whole bank): each one's score and
    the chance level it is compared with. True/false: the majority key; single choice: the
    longest, the shortest, any but the longest, the only option without an absolute word;
    multiple select (per option): shorter than the item's average, or no absolute word."""
    questions = list(questions)
    found = []
    tf = [q for q in questions if isinstance(q, m.TrueFalse)]
    if tf:
        true = sum(q.answer for q in tf)
        found += [Guess("true/false: always true", true / len(tf), 0.5, len(tf), "true/false items"),
                  Guess("true/false: always false", 1 - true / len(tf), 0.5, len(tf), "true/false items")]
    singles = [q for q in questions if isinstance(q, m.SingleChoice)]
    if len(singles) >= min_items:
        chance = sum(1 / len(q.choices) for q in singles) / len(singles)
        strategies: dict[str, Callable[[m.SingleChoice], float]] = {
            "the longest option": lambda q: _credit(q, max(range(len(q.choices)), key=lambda j: len(q.choices[j].text))),
            "the shortest option": lambda q: _credit(q, min(range(len(q.choices)), key=lambda j: len(q.choices[j].text))),
            "any option but the longest": _not_longest,
            "the option without an absolute word": lambda q: _credit(q, _odd_plain(q))}
        found += [Guess(f"single: {name}", sum(expected(q) for q in singles) / len(singles), chance, len(singles),
                        "single-choice items") for name, expected in strategies.items()]
    multis = [q for q in questions if isinstance(q, m.MultipleSelect)]
    options = [c for q in multis for c in q.choices]
    if len(options) >= 2 * min_items:
        base = max(sum(c.correct for c in options), sum(not c.correct for c in options)) / len(options)
        rules: dict[str, Callable[[m.Choice], bool]] = {
            "options shorter than their item's average": _shorter_rule(multis),
            "options without an absolute word": lambda c: not ABSOLUTE.search(c.text)}
        found += [Guess(f"multiple: {name}", sum(guess(c) == c.correct for c in options) / len(options), base,
                        len(options), "multiple-select options") for name, guess in rules.items()]
    return found


@functools.lru_cache(maxsize=1)
def _scaffold_texts() -> frozenset[str]:
    """The scaffold's example texts (summary, content note, tag, bodies, prompts), whitespace-normalised."""
    import yaml

    from neurotutor.authoring.scaffold import scaffold

    data = yaml.safe_load(scaffold("example"))
    found = {data["summary"], data["content_note"], *data["tags"]}
    found |= {s["body"] for s in data["sections"]} | {q["prompt"] for q in data["questions"]}
    return frozenset(" ".join(str(t).split()) for t in found)


def _odd_plain(q: m.SingleChoice) -> int:
    """The only option without an absolute word, else the first option (no cue to follow)."""
    plain = [j for j, c in enumerate(q.choices) if not ABSOLUTE.search(c.text)]
    return plain[0] if len(plain) == 1 else -1


def _not_longest(q: m.SingleChoice) -> float:
    """The expected score of picking at random among the options other than the longest."""
    longest = max(range(len(q.choices)), key=lambda j: len(q.choices[j].text))
    return 0.0 if q.choices[longest].correct else 1 / (len(q.choices) - 1)


def _credit(q: m.SingleChoice, pick: int) -> float:
    if pick < 0:  # no cue: the guesser is left to chance
        return 1 / len(q.choices)
    return 1.0 if q.choices[pick].correct else 0.0


def _shorter_rule(items: list[m.MultipleSelect]) -> Callable[[m.Choice], bool]:
    average = {id(c): sum(len(x.text) for x in q.choices) / len(q.choices) for q in items for c in q.choices}
    return lambda c: len(c.text) < average[id(c)]


def _surname(authors: str) -> str:
    first = re.split(r"[,;&]| and ", authors)[0].strip()
    return _norm(first.split()[0] if first else "")


def _line_starts(text: str) -> list[int]:
    """Where each line of a file starts, with YAML's line breaks (a position is counted as YAML counts it)."""
    return [0] + [found.end() for found in re.finditer("\r\n|[\r\n\x85\u2028\u2029]", text)]


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _grader() -> Callable[[str], float] | None:
    try:
        import textstat
    except ImportError:
        return None
    grade: Callable[[str], float] = textstat.flesch_kincaid_grade  # textstat has no type information
    return grade


def _costly_words(text: str, most: int = 5) -> list[str]:
    """The words that raise the grade most: the longest in syllables, each once."""
    try:
        import textstat
    except ImportError:
        return []
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", text)}
    return sorted(words, key=lambda w: (-textstat.syllable_count(w), w))[:most]


def lint_lesson(lesson: m.Lesson, path: Path, text: str) -> tuple[list[Finding], LessonFacts]:
    """Every warning about one valid lesson (its file's text gives the positions), and its facts."""
    from neurotutor.lessons.yaml_source import read_yaml

    doc = read_yaml(text)
    run = _Lint(lesson, path, doc.mark, text)
    run.run()
    return sorted(run.findings, key=lambda f: (f.line, f.column, f.rule)), run.facts


def readability_available() -> bool:
    return _grader() is not None


def rules_used(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.rule] = counts.get(f.rule, 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class LintReport:
    """What `lint_paths` found: the warnings, each lesson's facts, the bank-wide guessers, and the
    files it could not lint (invalid ones, with their problems; assignments, which are not lessons)."""

    findings: tuple[Finding, ...]
    facts: tuple[LessonFacts, ...]
    bank: tuple[Guess, ...]
    lessons: int  # valid lesson files
    linted: int  # lessons linted (a file that changed since it was checked is left out)
    problems: tuple[Problem, ...]
    assignments: tuple[Path, ...]
    readability_checked: bool
    worksheets: int = 0  # valid worksheet files linted (their warnings are among the findings)


def lint_paths(builtin_dir: Path, user_dirs: list[Path], paths: Sequence[Path],
               cache_dir: Path | None = None) -> LintReport:
    """Lint the lessons and worksheets in the given files and folders (none: every lesson and
    worksheet the tutor loads). Each file is checked as `neurotutor validate` checks it first;
    only valid ones are linted, and the form-only guessers are then run across all the lessons
    together."""
    from neurotutor import paths as p
    from neurotutor.authoring.worksheets import check_worksheets, lint_worksheets, worksheet_files
    from neurotutor.lessons.catalogue import validate_files
    from neurotutor.lessons.loader import parse_lesson, read_text

    named = set(paths)
    result = validate_files(builtin_dir, user_dirs, list(paths), cache_dir=cache_dir)
    findings: list[Finding] = []
    facts: list[LessonFacts] = []
    lessons: list[m.Lesson] = []
    for entry in result.lessons:
        # read once more, as validate read it (a link in a folder is not followed), and linted as read
        text, _ = read_text(entry.path, follow=not named or entry.path in named)
        loaded = parse_lesson(text, str(entry.path), False, entry.path)[0] if text is not None else None
        if loaded is None or text is None:
            continue
        found, fact = lint_lesson(loaded.lesson, entry.path, text)
        findings += found
        facts.append(fact)
        lessons.append(loaded.lesson)
    bank = form_guessers(q for lesson in lessons for q in lesson.questions)  # every item linted, together
    sheets = check_worksheets(worksheet_files(list(paths), p.builtin_worksheets_dir(), user_dirs),
                              p.builtin_worksheets_dir(), user_dirs)
    findings += lint_worksheets(sheets)
    return LintReport(tuple(findings), tuple(facts), tuple(bank), len(result.lessons), len(lessons),
                      tuple(sorted(set(result.problems) | set(sheets.problems))),
                      tuple(path for path, _ in result.assignments), readability_available(), len(sheets.valid))


def lint_data(report: LintReport) -> dict[str, Any]:
    """The data of the "lint" JSON document (`neurotutor.envelope`)."""
    return {
        "readability_checked": report.readability_checked,
        "findings": [{"rule": f.rule, "path": f.path, "line": f.line, "column": f.column, "item": f.item,
                      "message": f.message} for f in report.findings],
        "lessons": [{"id": x.lesson_id, "level": x.level, "questions_by_type": x.questions_by_type,
                     "true_false": {"true": x.true_false_keys[0], "false": x.true_false_keys[1]},
                     "grades": {k: round(v, 1) for k, v in x.grades.items()},
                     "form_guessing": {k: {"score": round(a, 3), "chance": round(b, 3)}
                                       for k, (a, b) in x.form_guessing.items()}} for x in report.facts],
        "bank": [{"guesser": g.name, "score": round(g.score, 3), "chance": round(g.chance, 3), "items": g.items}
                 for g in report.bank],
        "problems": list(report.problems),
        "assignments": [str(path) for path in report.assignments],
    }
