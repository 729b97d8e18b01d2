"""`neurotutor lint`: warnings about how well valid lessons teach and test (docs/lint-rules.md)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer


def run(
    ctx: typer.Context,
    paths: Optional[List[Path]] = typer.Argument(None, metavar="[PATH ...]",
                                                 help="Lesson files or folders (default: every lesson the tutor loads)."),
    json: bool = typer.Option(False, "--json", help="Print the warnings and each lesson's figures as JSON."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there is any warning."),
    rules: bool = typer.Option(False, "--rules", help="List every rule with why it matters, and stop."),
) -> None:
    """Check lessons for what makes them teach or test less well: readability, answer cues a
    guesser can use, options without feedback, findings without evidence, citations and
    references that do not match, a missing content note.

    Warnings only: the exit status is 0 unless --strict. A warning that does not apply is
    silenced in the item's lint: field, with the reason. Invalid files are reported as by
    'neurotutor validate' and not linted.

    Example: neurotutor lint my-lessons/sleep-and-memory.yaml
    """
    from neurotutor.cli.session import session_of
    from neurotutor import paths as p
    from neurotutor.authoring.lint import RULES, form_guessers, lint_lesson, readability_available, rules_used
    from neurotutor.cli import hints
    
    from neurotutor.errors import ExitCode
    from neurotutor.lessons.loader import parse_lesson, read_text, validate_files

    s = session_of(ctx)
    settings, out = s.settings, s.out
    if rules:
        for rule, reason in RULES.items():
            out.line(f"{rule}: {reason}")
        out.note("Silence a rule that does not apply to an item with  lint: {RULE: \"why\"}  on the item "
                 "(the lesson, a section or a question).")
        return
    named = set(paths or [])
    result = validate_files(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                            list(paths or []), cache_dir=p.cache_dir())
    for problem in result.problems:
        out.warn(str(problem))
    for path, _ in result.assignments:
        out.note(f"{path} is an assignment, not a lesson: lint reads lessons (check it with '{hints.bare('validate')}').")
    findings, facts, lessons = [], [], []
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
    if json:
        import msgspec

        out.json(msgspec.json.encode({
            "format": "neurotutor-lint", "version": 1, "readability_checked": readability_available(),
            "findings": [{"rule": f.rule, "path": f.path, "line": f.line, "column": f.column, "item": f.item,
                          "message": f.message} for f in findings],
            "lessons": [{"id": x.lesson_id, "level": x.level, "questions_by_type": x.questions_by_type,
                         "true_false": {"true": x.true_false_keys[0], "false": x.true_false_keys[1]},
                         "grades": {k: round(v, 1) for k, v in x.grades.items()},
                         "form_guessing": {k: {"score": round(a, 3), "chance": round(b, 3)}
                                           for k, (a, b) in x.form_guessing.items()}} for x in facts],
            "bank": [{"guesser": g.name, "score": round(g.score, 3), "chance": round(g.chance, 3), "items": g.items}
                     for g in bank]}))
    else:
        for finding in findings:
            out.line(str(finding))
        counts = rules_used(findings)
        n = len(result.lessons)
        if findings:
            out.line(f"{len(findings)} warning{'s' if len(findings) != 1 else ''} in {n} lesson{'s' if n != 1 else ''}: "
                     + ", ".join(f"{rule} {count}" for rule, count in counts.items()) + ".")
            out.note("Why each rule matters: neurotutor lint --rules (and docs/lint-rules.md). Silence one that does "
                     "not apply in the item's lint: field, with the reason.")
        elif n or not result.problems:
            out.good(f"{n} lesson{'s' if n != 1 else ''} linted: no warnings ({len(RULES)} rules).")
        if result.problems:
            bad = len({problem.path for problem in result.problems})
            out.warn(f"{bad} file{'s' if bad != 1 else ''} not linted: fix the problems above first (they are what "
                     "'neurotutor validate' reports).")
        if len(lessons) > 1 and bank:
            worst = max(bank, key=lambda g: g.score - g.chance)
            out.note(f"Across the {len(lessons)} lessons, the best form-only guesser: {worst.words()}.")
        if not readability_available():
            out.note("Readability was not checked: install the authoring extra (pip install 'neurotutor[authoring]').")
    if result.problems:
        raise typer.Exit(ExitCode.INVALID)
    if strict and findings:
        raise typer.Exit(1)
