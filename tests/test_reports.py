"""Reports of an assignment: exact content, privacy (nothing from outside the assignment, answers in
words only when chosen), private files, and the JSON document."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flows import seed_profile

DATA = Path(__file__).parent / "data"
ASSIGNMENT = DATA / "assignments" / "good.yaml"
OK = ("--lessons-dir", str(DATA / "lessons-ok"))
SECRET = "MY-PRIVATE-WORDS"


def _setup(run_cli, home: Path) -> None:
    seed_profile(home, notice_seen=True)
    assert run_cli("assignment", "add", str(ASSIGNMENT)).returncode == 0
    # the assigned, bundled lesson: a pass with a wrong short answer in the learner's own words
    # (Beta and True carry misconception labels; the short answer carries none)
    run_cli("--plain", "quiz", "my-own-lesson", input=f"1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\n{SECRET}-ASSIGNED\n\n2\n")
    # a lesson outside the assignment, and another profile: neither may appear
    run_cli(*OK, "--plain", "quiz", "test-mini", input=f"1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\n{SECRET}-OTHER\n\n2\n")
    run_cli("--profile", "other", "assignment", "add", str(ASSIGNMENT))
    run_cli("--profile", "other", "--plain", "quiz", "my-own-lesson", input=f"{SECRET}-PROFILE\n")


def test_report_contains_only_the_assignment_and_leaves_words_out_unless_chosen(run_cli, neurotutor_home: Path,
                                                                                tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    made = run_cli("--plain", "report", "--yes", "-o", str(tmp_path / "r.md"))
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "r.md").read_text()
    assert oct((tmp_path / "r.md").stat().st_mode & 0o777) == "0o600"
    assert text.startswith("# Understanding how therapy works\n\nReport for S.K., from neurotutor, ")
    assert "| A small test lesson | 2030-12-08 | done |" in text
    assert "| Neuroplasticity: how the brain changes with experience | 2030-12-01 | not started" in text
    assert "- Done: 1 of 2 lessons (A small test lesson)." in text
    # the author's sentence where the lesson gives one; the label as words where it does not
    assert ("- To talk about: 2 misconceptions chosen: \u201cbeta myth\u201d, \u201cExposure wipes out the old fear "
            "memory.\u201d (each with its question below).") in text
    assert "- **beta myth** (1x, A small test lesson): Which is right?\n  - The lesson teaches: " in text
    assert ("- **Exposure wipes out the old fear memory.** (1x, A small test lesson): Extinction erases the old "
            "memory.\n") in text
    assert "Answered:" not in text
    assert ("## Questions missed at the first try\n\n- Which is right? (A small test lesson): 0 of 1 answer right so "
            "far\n- Extinction erases the old memory. (A small test lesson): 0 of 1 answer right so far\n") in text
    assert ("0 minutes of review on 0 days since the assignment was added today: 0.0 minutes a day on average, "
            "against a goal of 10 minutes a day (0% of the goal).") in text
    assert "It leaves out:\n\n- their answers in their own words\n- every lesson that is not part of this assignment" in text
    assert SECRET not in text and "test-mini" not in text
    html = run_cli("report", "--yes", "--format", "html", "-o", str(tmp_path / "r.html"))  # without words too
    assert html.returncode == 0, html.stderr
    assert "Answered:" not in (tmp_path / "r.html").read_text() and "beta myth" in (tmp_path / "r.html").read_text()
    assert "<li><strong>Exposure wipes out the old fear memory.</strong> (1&times;" in (tmp_path / "r.html").read_text()
    with_words = run_cli("report", "--yes", "--verbatim", "-o", str(tmp_path / "w.md"))
    assert with_words.returncode == 0
    assert "  - Answered: Beta\n" in (tmp_path / "w.md").read_text()
    # a second pass after the reports above (their cached totals are brought up to date)
    run_cli("--plain", "quiz", "my-own-lesson", input=f"1\n1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\n{SECRET}-AGAIN\n\n2\n")
    words = run_cli("report", "--yes", "--verbatim", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert words.returncode == 0, words.stderr
    raw = (tmp_path / "r.json").read_text()
    doc = json.loads(raw)
    assert (doc["format"], doc["version"], doc["answers_verbatim"]) == ("neurotutor-report", 1, True)
    assert [x["id"] for x in doc["lessons"]] == ["neuroplasticity-types", "my-own-lesson"]
    assert doc["lessons"][1]["pass_scores"] == [0.5, 0.0]  # options are shuffled anew each pass
    assert [(mc["label"], mc["times"]) for mc in doc["lessons"][1]["misconceptions"]] == [
        ("exposure-erases-fear", 2), ("beta-myth", 1)]  # most often chosen first
    assert [mc["answers"] for mc in doc["lessons"][1]["misconceptions"]] == [["True"], ["Beta"]]
    assert [(q["id"], q["answers"], q["right"], q["first_right"]) for q in doc["lessons"][1]["questions"]] == [
        ("tm-single", 2, 0, False), ("tm-multiple", 2, 1, True), ("tm-truefalse", 2, 0, False),
        ("tm-ordering", 2, 1, True), ("tm-matching", 2, 1, True), ("tm-short", 2, 0, False)]  # pass 1 right, pass 2 wrong
    not_started = doc["lessons"][0]["questions"]  # every question of the lesson, none answered
    assert len(not_started) >= 12 and {(q["answers"], q["first_right"]) for q in not_started} == {(0, None)}
    assert SECRET not in raw  # words only for the misconceptions chosen, never from outside the assignment


def test_report_needs_an_assignment_and_says_which(run_cli, neurotutor_home: Path) -> None:
    none = run_cli("report", "--yes")
    assert none.returncode == 2 and "You have no assignments, so there is nothing to report." in none.stderr
    run_cli("assignment", "add", str(ASSIGNMENT))
    wrong = run_cli("report", "--assignment", "nope", "--yes")
    assert wrong.returncode == 2 and "There is no assignment with the id 'nope'." in wrong.stderr
    bad_format = run_cli("report", "--format", "pdf", "--yes")
    assert bad_format.returncode == 2 and "--format must be one of: md, html, json." in bad_format.stderr
    mismatch = run_cli("report", "--format", "md", "-o", "r.json", "--yes")
    assert mismatch.returncode == 2
    assert mismatch.stderr.strip() == "r.json ends in .json but --format is md: give a name that ends in .md, or --format json."


def _chromium(tmp_path: Path) -> list[str]:
    """Headless Chromium with a profile of its own in the test's folder (tests may run side by side)."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed (.ci/run installs the Debian package 'chromium')"
    return [found, f"--user-data-dir={tmp_path / 'chromium-profile'}"]


def test_html_report_renders_in_chromium_with_everything_escaped(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    import re
    import subprocess

    folder = tmp_path / "therapist"
    folder.mkdir()
    (folder / "a.yaml").write_text(ASSIGNMENT.read_text().replace(
        "title: Understanding how therapy works", 'title: "<script>alert(1)</script> & how therapy works"'))
    (folder / "my-own-lesson.yaml").write_text((DATA / "assignments" / "my-own-lesson.yaml").read_text())
    seed_profile(neurotutor_home, notice_seen=True)
    assert run_cli("assignment", "add", str(folder / "a.yaml")).returncode == 0
    run_cli("--plain", "quiz", "my-own-lesson", input="1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\n<img src=x onerror=alert(2)>\n\n2\n")
    made = run_cli("report", "--yes", "--verbatim", "--format", "html", "-o", str(tmp_path / "r.html"))
    assert made.returncode == 0, made.stderr
    html = (tmp_path / "r.html").read_text()
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing external
    rendered = subprocess.run([*_chromium(tmp_path), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                               (tmp_path / "r.html").as_uri()], capture_output=True, text=True, timeout=120)
    dom = rendered.stdout
    assert '<html lang="en">' in dom
    assert "<script" not in dom.lower() and "<img" not in dom.lower()  # shown as text, never run
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; how therapy works</h1>" in dom
    headings = re.findall(r"<h([1-6])", dom)
    assert headings[0] == "1" and set(headings[1:]) == {"2"}  # in order, none skipped
    assert dom.count('<th scope="col">') == 7
    assert "<title id=\"chart-title\">Best score of each assigned lesson</title>" in dom
    assert "It leaves out:" in dom
    shot = tmp_path / "r.png"
    subprocess.run([*_chromium(tmp_path), "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                    "--window-size=800,1200", (tmp_path / "r.html").as_uri()], capture_output=True, timeout=120)
    assert shot.stat().st_size > 10_000  # the page was drawn


def _second_client(run_cli, tmp_path: Path) -> Path:
    """J.D., in a profile of their own (the safety notice first), with the first lesson long overdue: the
    myth chosen in the true/false question, "I don't know" to the rest."""
    folder = tmp_path / "jd"
    folder.mkdir()
    (folder / "a.yaml").write_text(ASSIGNMENT.read_text().replace("client: S.K.", "client: J.D.")
                                   .replace("due: 2030-12-01", "due: 2026-01-10"))
    (folder / "my-own-lesson.yaml").write_text((DATA / "assignments" / "my-own-lesson.yaml").read_text())
    jd = ("--profile", "jd")
    assert run_cli(*jd, "assignment", "add", str(folder / "a.yaml")).returncode == 0
    run_cli(*jd, "--plain", "quiz", "my-own-lesson", input="\n" + "?\n\n" * 2 + "t\n\n" + "?\n\n" * 3 + "2\n")
    assert run_cli(*jd, "report", "--yes", "-o", str(tmp_path / "jd.json")).returncode == 0  # json from the name
    return tmp_path / "jd.json"


def test_caseload_puts_who_is_behind_first_and_finds_the_questions_most_clients_miss(
        run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    assert run_cli("report", "--yes", "--format", "json", "-o", str(tmp_path / "sk-old.json")).returncode == 0
    assert run_cli("report", "--yes", "--format", "json", "-o", str(tmp_path / "sk.json")).returncode == 0
    jd = _second_client(run_cli, tmp_path)
    names = [str(tmp_path / "sk-old.json"), str(tmp_path / "sk.json"), str(jd)]
    table = run_cli("--plain", "caseload", *names)
    assert table.returncode == 0, table.stderr
    rows = table.stdout.splitlines()
    assert rows[0].split() == ["client", "assignment", "done", "overdue", "review", "last", "studied", "report", "of"]
    assert rows[1].startswith("J.D.") and "Neuroplasticity: how the brain changes with experience" in rows[1]
    assert rows[2].startswith("S.K.")  # the client who is behind comes first
    assert "Questions most often missed at the first try:\n" in table.stdout
    assert ("  - Which is right? (A small test lesson, tm-single): missed at the first try by 2 of 2 clients "
            "(1 said \"I don't know\"); "
            "0 of 2 answers right\n") in table.stdout
    assert ("Misconceptions chosen most:\n  - exposure erases fear: chosen 2x by 2 clients\n"
            "  - beta myth: chosen 1x by 1 client\n") in table.stdout
    assert (f"Reports left out:\n  - {tmp_path / 'sk-old.json'}: left out, an older report") in table.stdout
    twice = run_cli("--plain", "caseload", names[1], names[1])
    assert twice.returncode == 0 and twice.stderr == f"{names[1]}: given twice; read once.\n"
    assert len(twice.stdout.split("Questions most")[0].strip().splitlines()) == 2  # header and one row
    doc = json.loads(run_cli("caseload", "--format", "json", *names).stdout)
    assert (doc["format"], doc["version"]) == ("neurotutor-caseload", 1)
    assert [(r["client"], r["done"], r["overdue"]) for r in doc["rows"]] == [
        ("J.D.", 1, ["Neuroplasticity: how the brain changes with experience"]), ("S.K.", 1, [])]
    assert [(q["question_id"], q["clients"], q["missed_first"], q["answers"], q["right"])
            for q in doc["questions_missed"]] == [  # most clients first, then most answers wrong
        ("tm-short", 2, 2, 2, 0), ("tm-single", 2, 2, 2, 0), ("tm-truefalse", 2, 2, 2, 0),
        ("tm-matching", 2, 1, 2, 1), ("tm-multiple", 2, 1, 2, 1), ("tm-ordering", 2, 1, 2, 1)]
    md = run_cli("caseload", "-o", str(tmp_path / "c.md"), *names)  # Markdown from the file's name
    assert md.returncode == 0 and oct((tmp_path / "c.md").stat().st_mode & 0o777) == "0o600"
    assert (tmp_path / "c.md").read_text().startswith("# Caseload\n\nFrom the reports of 2 clients, ")
    text_to_file = run_cli("caseload", "-o", str(tmp_path / "c.txt"), *names)
    assert text_to_file.returncode == 2 and "give --format, or a file name ending in .md" in text_to_file.stderr


def test_caseload_html_renders_in_chromium(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    import subprocess

    _setup(run_cli, neurotutor_home)
    assert run_cli("report", "--yes", "-o", str(tmp_path / "sk.json")).returncode == 0
    names = [str(tmp_path / "sk.json"), str(_second_client(run_cli, tmp_path))]
    made = run_cli("caseload", "--format", "html", *names, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Wrote caseload.html (readable only by you)."
    page = tmp_path / "caseload.html"
    rendered = subprocess.run([*_chromium(tmp_path), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    dom = rendered.stdout
    assert '<html lang="en">' in dom and "<script" not in dom.lower()
    assert dom.count('<th scope="col">') == 8
    assert re.findall(r"<h([1-6])", dom) == ["1", "2", "2", "2"]
    assert '<td data-label="Client">J.D.</td>' in dom
    assert "Which is right? (A small test lesson, tm-single): missed at the first try by 2 of 2 clients" in dom


def test_caseload_refuses_bad_and_changed_reports_whole(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    assert run_cli("report", "--yes", "--format", "json", "-o", str(tmp_path / "sk.json")).returncode == 0
    good = json.loads((tmp_path / "sk.json").read_text())
    (tmp_path / "edited.json").write_text(json.dumps(dict(good, review=dict(good["review"], minutes="lots")), indent=2))
    (tmp_path / "newer.json").write_text('{"format": "neurotutor-report", "version": 2}')
    (tmp_path / "export.json").write_text('{"format": "neurotutor-export", "version": 1}')
    (tmp_path / "cut.json").write_text((tmp_path / "sk.json").read_text()[:200])
    changed = dict(good, assignment=dict(good["assignment"], client="Someone else"))
    (tmp_path / "changed.json").write_text(json.dumps(changed, indent=2))
    lessons = [dict(good["lessons"][1], pass_scores=[1.5])]
    (tmp_path / "range.json").write_text(json.dumps(dict(good, lessons=lessons), indent=2))
    names = ("sk.json", "edited.json", "newer.json", "export.json", "cut.json", "changed.json", "range.json")
    bad = run_cli("caseload", *(str(tmp_path / n) for n in names))
    assert bad.returncode == 2 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert re.match(rf"{re.escape(str(tmp_path / 'edited.json'))}:\d+:\d+: review.minutes: Expected `float`, got `str`$",
                    lines[0])
    assert lines[1] == (f"{tmp_path / 'newer.json'}:1:1: is a report of version 2, and this neurotutor reads version 1: "
                        "upgrade neurotutor to read it")
    assert lines[2] == f"{tmp_path / 'export.json'}:1:1: is not a neurotutor report (its format is 'neurotutor-export')"
    assert lines[3].startswith(f"{tmp_path / 'cut.json'}:") and "not a neurotutor report (not valid JSON" in lines[3]
    assert re.match(rf"{re.escape(str(tmp_path / 'changed.json'))}:\d+:\d+: was changed after neurotutor wrote it "
                    r"\(its content no longer matches its digest\): ask for a new report$", lines[4])
    assert re.match(rf"{re.escape(str(tmp_path / 'range.json'))}:\d+:\d+: lessons\[1\].pass_scores\[1\]: "
                    r"Expected `float` <= 1(\.0)?$", lines[5])
    assert lines[6] == "6 of 7 report files could not be read; nothing was summed up."


def test_the_examples_in_the_docs_are_still_valid(run_cli) -> None:
    from neurotutor.reports.caseload import load_report

    examples = Path(__file__).parents[1] / "docs" / "examples"
    assert run_cli("validate", str(examples / "assignment.yaml")).returncode == 0
    report, problems = load_report(examples / "report.json")  # the current format, digest intact
    assert problems == [] and report is not None and report.assignment.client == "S.K."
    shown = run_cli("--plain", "caseload", str(examples / "report.json"))
    assert shown.returncode == 0 and shown.stdout.startswith("client")


def test_a_file_named_in_a_folder_that_does_not_exist_is_a_clear_error(run_cli, neurotutor_home: Path,
                                                                        tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    missing = tmp_path / "no-such-folder"
    examples = Path(__file__).parents[1] / "docs" / "examples"
    for words, name in [(("report", "--yes"), "r.md"), (("caseload", str(examples / "report.json")), "c.md"),
                        (("export-deck",), "deck.apkg"), (("schema", "lesson"), "s.json"),
                        (("assign", "pack", str(examples / "assignment.yaml")), "a.zip")]:
        target = missing / name
        args = (*words, target) if words[0] == "export-deck" else (*words, "-o", target)
        done = run_cli(*map(str, args))
        assert (done.returncode, done.stderr) == (2, f"Cannot write {target}: the folder {missing} does not exist.\n"), words
    assert not missing.exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    made = run_cli("new", "lesson", "x-y", "--dir", str(blocked / "sub"))
    assert made.returncode == 2 and made.stderr.startswith(f"Cannot make the folder {blocked / 'sub'}: ")
