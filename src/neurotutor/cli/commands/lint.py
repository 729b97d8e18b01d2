"""`neurotutor lint`: warnings about how well valid lessons teach and test (docs/lint-rules.md), and
how easy valid worksheets are to fill in (docs/worksheet-format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from neurotutor.authoring.lint import LintReport
    from neurotutor.cli.session import Session


def run(
    ctx: typer.Context,
    paths: list[Path] | None = typer.Argument(None, metavar="[PATH ...]",
                                                 help="Lesson or worksheet files, or folders (default: every lesson and worksheet "
                                                      "the tutor loads)."),
    json: bool = typer.Option(False, "--json", help="Print the warnings and each lesson's figures as JSON (docs/json.md)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when there is any warning."),
    rules: bool = typer.Option(False, "--rules", help="List every rule with why it matters, and stop."),
) -> None:
    """Check lessons for what makes them teach or test less well: readability, answer cues a
    guesser can use, options without feedback, findings without evidence, citations and
    references that do not match, a missing content note. Worksheets (kind: worksheet): readability,
    a safety note, prompts that fit the screen.

    Warnings only: the exit status is 0 unless --strict. A warning that does not apply is
    silenced in the item's lint: field, with the reason. Invalid files are reported as by
    'neurotutor validate' and not linted.

    Example: neurotutor lint my-lessons/sleep-and-memory.yaml
    """
    from neurotutor import paths as p
    from neurotutor.authoring.lint import RULES, lint_data, lint_paths
    from neurotutor.cli.session import session_of
    from neurotutor.errors import ExitCode

    s = session_of(ctx)
    settings, out = s.settings, s.out
    if rules:
        for rule, reason in RULES.items():
            out.line(f"{rule}: {reason}")
        from neurotutor.authoring.worksheets import WORKSHEET_RULES

        out.line("Worksheets (docs/worksheet-format.md):")
        for rule, reason in WORKSHEET_RULES.items():
            out.line(f"  {rule}: {reason}")
        out.note("Silence a rule that does not apply to an item with  lint: {RULE: \"why\"}  on the item "
                 "(the lesson, a section or a question).")
        return
    report = lint_paths(p.builtin_lessons_dir(), p.user_lesson_dirs(list(settings.lessons_dirs), settings.profile),
                        list(paths or []), cache_dir=p.cache_dir())
    if json:
        from neurotutor.envelope import encode_document

        out.json(encode_document("lint", s.now, lint_data(report)))
    else:
        show_report(s, report)
    if report.problems:
        raise typer.Exit(ExitCode.INVALID)
    if strict and report.findings:
        raise typer.Exit(1)


def show_report(s: Session, report: LintReport) -> None:
    """The warnings as lines, a count per rule, and what was not linted and why."""
    from neurotutor.authoring.lint import RULES, rules_used
    from neurotutor.cli import hints

    out, findings = s.out, report.findings
    for problem in report.problems:
        out.warn(str(problem))
    for path in report.assignments:
        out.note(f"{path} is an assignment, not a lesson: lint reads lessons (check it with '{hints.bare('validate')}').")
    for finding in findings:
        out.line(str(finding))
    n = report.lessons
    sheets = report.worksheets
    what = f"{n} lesson{'s' if n != 1 else ''}" if n or not sheets else ""
    if sheets:
        what += (" and " if what else "") + f"{sheets} worksheet{'s' if sheets != 1 else ''}"
    if findings:
        out.line(f"{len(findings)} warning{'s' if len(findings) != 1 else ''} in {what}: "
                 + ", ".join(f"{rule} {count}" for rule, count in rules_used(findings).items()) + ".")
        docs = "docs/lint-rules.md" + (", docs/worksheet-format.md" if sheets else "")
        out.note(f"Why each rule matters: neurotutor lint --rules (and {docs}). Silence one that does "
                 "not apply in the item's lint: field, with the reason.")
    elif n or sheets or not report.problems:
        from neurotutor.authoring.worksheets import WORKSHEET_RULES

        rules = len(RULES) if n or not sheets else len(WORKSHEET_RULES)
        out.good(f"{what} linted: no warnings ({rules} rules).")
    if report.problems:
        bad = len({problem.path for problem in report.problems})
        out.warn(f"{bad} file{'s' if bad != 1 else ''} not linted: fix the problems above first (they are what "
                 "'neurotutor validate' reports).")
    if report.linted > 1 and report.bank:
        worst = max(report.bank, key=lambda g: g.score - g.chance)
        out.note(f"Across the {report.linted} lessons, the best form-only guesser: {worst.words()}.")
    if not report.readability_checked:
        out.note("Readability was not checked: install the authoring extra (pip install 'neurotutor[authoring]').")
