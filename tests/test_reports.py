"""Reports of an assignment: exact content, privacy (nothing from outside the assignment, answers in
words only when chosen, dates without times of day unless chosen, anything left out that the client
leaves out), private files, and the JSON document; the caseload of several clients' reports, told
apart by their client keys (report format 2, issue 20)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from neurotutor.reports.render import digest_of, markdown_text

from flows import seed_profile

DATA = Path(__file__).parent / "data"
ASSIGNMENT = DATA / "assignments" / "good.yaml"
OK = ("--lessons-dir", str(DATA / "lessons-ok"))
SECRET = "MY-PRIVATE-WORDS"
V1_REPORT = DATA / "reports" / "example.json"  # a report of format version 1
CLIENT_KEY = re.compile(r"c-[a-z2-7]{10}")
EXAMPLES = Path(__file__).parents[1] / "docs" / "examples"
TIME_OF_DAY = re.compile(rb"T\d\d:\d\d")


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


def _exam(run_cli) -> None:
    """A two-question exam on the assigned lesson: "I don't know", then one skipped; submitted."""
    done = run_cli("--plain", "exam", "--lessons", "my-own-lesson", "--questions", "2", "--seed", "99",
                   input="\n?\n\n\n\n4\n1\n")
    assert done.returncode == 0, done.stderr


def _report(run_cli, target: Path, *options: str, profile: str = "default") -> bytes:
    """`neurotutor report --yes OPTIONS -o TARGET`: it succeeds; the file's bytes."""
    made = run_cli("--profile", profile, "report", "--yes", *options, "-o", str(target))
    assert made.returncode == 0, made.stderr
    return target.read_bytes()


def test_report_contains_only_the_assignment_and_leaves_words_out_unless_chosen(run_cli, neurotutor_home: Path,
                                                                                tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    made = run_cli("--plain", "report", "--yes", "-o", str(tmp_path / "r.md"))
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Wrote {tmp_path / 'r.md'} (readable only by you). It is not sealed (the assignment "
                                  "carries no key of your therapist's): anyone who gets the file can read it, so send it "
                                  "by a safe route.\nIt contains: ")
    text = (tmp_path / "r.md").read_text()
    assert oct((tmp_path / "r.md").stat().st_mode & 0o777) == "0o600"
    assert text.startswith("# Understanding how therapy works\n") and "S.K." in text and "Dr A. Example" in text
    summary = ["Done: 1 of 2 lessons (A small test lesson).",
               "Not yet done: Neuroplasticity: how the brain changes with experience (due 2030-12-01).",
               # the author's sentence where the lesson gives one; the label as words where it does not
               "To talk about: 2 misconceptions chosen: \u201cbeta myth\u201d (once), \u201cExposure wipes out the old "
               "fear memory.\u201d (once) (each with its question below)."]
    for line in summary:
        assert markdown_text(line) in text, line
    for shown in ("A small test lesson", "Neuroplasticity: how the brain changes with experience", "2030-12-08",
                  "2030-12-01", "Which is right?", "Extinction erases the old memory.", "Alpha is right because the "
                  "test says so.", "Who proposed that links used together grow stronger?"):
        assert shown in text, shown
    assert "Beta" not in text and SECRET not in text and "test-mini" not in text  # no words; nothing from outside
    html = run_cli("report", "--yes", "--format", "html", "-o", str(tmp_path / "r.html"))  # without words too
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "r.html").read_text()
    assert "beta myth" in page and "Exposure wipes out the old fear memory." in page
    assert "Beta" not in page and SECRET not in page and "test-mini" not in page
    with_words = _report(run_cli, tmp_path / "w.md", "--verbatim").decode()
    assert "Beta" in with_words and f"{SECRET}-ASSIGNED" in with_words  # the answer chosen, the short answer typed
    assert f"{SECRET}-OTHER" not in with_words and f"{SECRET}-PROFILE" not in with_words
    # a second pass after the reports above (their cached totals are brought up to date)
    run_cli("--plain", "quiz", "my-own-lesson", input=f"1\n1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\n{SECRET}-AGAIN\n\n2\n")
    raw = _report(run_cli, tmp_path / "r.json", "--verbatim", "--format", "json").decode()
    doc = json.loads(raw)
    assert (doc["format"], doc["version"], doc["choices"]["answers_verbatim"]) == ("neurotutor-report", 2, True)
    assert CLIENT_KEY.fullmatch(doc["client"]["key"]) and doc["client"]["label"] == "S.K."
    assert [x["id"] for x in doc["lessons"]] == ["neuroplasticity-types", "my-own-lesson"]
    mine = doc["lessons"][1]
    assert mine["pass_scores"] == [0.5, 0.0]  # options are shuffled anew each pass
    assert (mine["sections"], mine["question_count"], mine["status"], mine["details"]) == (2, 6, "done", True)
    assert [(mc["label"], mc["text"], mc["times"], mc["answers"]) for mc in mine["misconceptions"]] == [
        ("exposure-erases-fear", "Exposure wipes out the old fear memory.", 2, ["True"]),
        ("beta-myth", "beta myth", 1, ["Beta"])]  # most often chosen first
    assert [(q["id"], q["answers"], q["right"], q["first_right"]) for q in mine["questions"]] == [
        ("tm-single", 2, 0, False), ("tm-multiple", 2, 1, True), ("tm-truefalse", 2, 0, False),
        ("tm-ordering", 2, 1, True), ("tm-matching", 2, 1, True), ("tm-short", 2, 0, False)]  # pass 1 right, pass 2 wrong
    assert [(q["id"], q["typed"]) for q in mine["questions"] if "typed" in q] == [
        ("tm-short", [f"{SECRET}-ASSIGNED", f"{SECRET}-AGAIN"])]  # the short answers typed, the latest last
    not_started = doc["lessons"][0]["questions"]  # every question of the lesson, none answered
    assert len(not_started) >= 12 and {(q["answers"], q["first_right"]) for q in not_started} == {(0, None)}
    assert f"{SECRET}-OTHER" not in raw and f"{SECRET}-PROFILE" not in raw  # never from outside the assignment
    plain = _report(run_cli, tmp_path / "plain.json", "--no-verbatim").decode()
    assert SECRET not in plain and '"typed"' not in plain and '"answers": [' not in plain  # without --verbatim: never
    assert json.loads(plain)["choices"]["answers_verbatim"] is False


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


def test_a_bad_item_to_leave_out_is_a_usage_error(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    assert run_cli("assignment", "add", str(ASSIGNMENT)).returncode == 0
    for item in ("lesson:nope", "lesson:test-mini", "exam", "misconception:", "lessons", ""):
        bad = run_cli("report", "--yes", "--leave-out", "exams", "--leave-out", item, "-o", str(tmp_path / "r.json"))
        assert (bad.returncode, bad.stdout) == (2, ""), item
        assert bad.stderr == (f"--leave-out {item!r} is not something a report holds: give exams, misconceptions, "
                              "misconception:LABEL, or lesson:ID with a lesson of this assignment (my-own-lesson, "
                              "neuroplasticity-types).\n"), item
    assert not (tmp_path / "r.json").exists()


def _formats(run_cli, folder: Path, *options: str) -> dict[str, str]:
    """The report in every format, with the same options (answers in words included)."""
    folder.mkdir()
    return {fmt: _report(run_cli, folder / f"r.{fmt}", "--verbatim", *options).decode() for fmt in ("json", "md", "html")}


def test_each_item_left_out_is_left_out_of_every_format_and_nothing_else(run_cli, neurotutor_home: Path,
                                                                          tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    _exam(run_cli)
    full = _formats(run_cli, tmp_path / "full")
    exam = json.loads(full["json"])["exams"][0]
    exam_words = f"0 of {exam['questions']} right"
    beta = ("beta myth", "Beta")  # the misconception beta-myth, and the answer that chose it
    exposure = "Exposure wipes out the old fear memory."
    even = "Who proposed that links used together grow stronger?"  # missed, and no misconception: only a detail
    for fmt, text in full.items():  # everything is there to begin with
        for shown in (*beta, exposure, even, exam["id"] if fmt == "json" else exam_words):
            assert shown in text, (fmt, shown)

    no_exams = _formats(run_cli, tmp_path / "exams", "--leave-out", "exams")
    doc = json.loads(no_exams["json"])
    assert (doc["exams"], doc["exam_goal_percent"], doc["choices"]["exams"]) == (None, None, False)
    assert "exam results" in doc["leaves_out"] and "exams drawn only from the assigned lessons" not in doc["contains"]
    for fmt, text in no_exams.items():
        assert exam["id"] not in text and exam_words not in text, fmt
        assert all(shown in text for shown in (*beta, exposure, even)), fmt

    no_ideas = _formats(run_cli, tmp_path / "ideas", "--leave-out", "misconceptions")
    doc = json.loads(no_ideas["json"])
    assert [x["misconceptions"] for x in doc["lessons"]] == [[], []] and doc["choices"]["misconceptions"] is False
    assert not any(line.startswith("To talk about") for line in doc["summary"])
    for fmt, text in no_ideas.items():
        assert not [s for s in (*beta, exposure, "beta-myth", "exposure-erases-fear") if s in text], fmt
        assert even in text and (exam["id"] if fmt == "json" else exam_words) in text, fmt

    no_lesson = _formats(run_cli, tmp_path / "lesson", "--leave-out", "lesson:my-own-lesson")
    doc = json.loads(no_lesson["json"])
    assert doc["lessons"][1] == {"id": "my-own-lesson", "title": "A small test lesson", "due": "2030-12-08",
                                 "status": "done", "overdue": False, "details": False}
    assert doc["lessons"][0] == json.loads(full["json"])["lessons"][0]  # the other lesson as it was
    assert (doc["choices"]["details_left_out"], doc["choices"]["misconceptions_left_out"]) == (["my-own-lesson"], 0)
    for fmt, text in no_lesson.items():
        assert not [s for s in (*beta, exposure, even, "tm-single", SECRET) if s in text], fmt
        assert "A small test lesson" in text, fmt  # its status stays

    no_beta = _formats(run_cli, tmp_path / "beta", "--leave-out", "misconception:beta-myth")
    doc = json.loads(no_beta["json"])
    assert [mc["label"] for mc in doc["lessons"][1]["misconceptions"]] == ["exposure-erases-fear"]
    assert (doc["choices"]["details_left_out"], doc["choices"]["misconceptions_left_out"]) == ([], 1)  # how many, not which
    for fmt, text in no_beta.items():
        assert "beta" not in text.lower(), fmt  # neither the idea, nor the answer, nor its label
        assert exposure in text and even in text, fmt


def test_a_report_holds_dates_only_unless_the_client_chooses_the_times(run_cli, neurotutor_home: Path,
                                                                       tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    _exam(run_cli)
    raw = _report(run_cli, tmp_path / "r.json")
    assert not TIME_OF_DAY.search(raw)  # no time of day anywhere in the file
    doc = json.loads(raw)
    assert doc["choices"]["times_of_day"] is False and "the time of day of anything (dates only)" in doc["leaves_out"]
    day = doc["generated_on"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", day) and (doc["assignment"]["added_on"], doc["lessons"][1]["finished_on"],
                                                      doc["lessons"][1]["last_studied_on"]) == (day, day, day)
    exam = doc["exams"][0]
    assert exam["finished_on"] == day and "seconds_used" not in exam
    minutes_used = exam["minutes_used"]
    assert not [k for k in re.findall(r'"(\w+)":', raw.decode()) if k.endswith("_at") or k == "seconds_used"]
    for fmt in ("md", "html"):
        assert not TIME_OF_DAY.search(_report(run_cli, tmp_path / f"r.{fmt}")), fmt
        assert not re.search(rb"\d\d:\d\d", _report(run_cli, tmp_path / f"r.{fmt}")), fmt
    timed = json.loads(_report(run_cli, tmp_path / "t.json", "--times"))
    assert timed["choices"]["times_of_day"] is True and "the time of day of each date" in timed["contains"]
    mine, exam = timed["lessons"][1], timed["exams"][0]
    for moment in (timed["generated_at"], timed["assignment"]["added_at"], mine["finished_at"], mine["last_studied_at"],
                   exam["finished_at"]):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", moment), moment
    assert isinstance(exam["seconds_used"], float) and 0 <= exam["seconds_used"] < 60
    assert exam["minutes_used"] == minutes_used == math.ceil(exam["seconds_used"] / 60)  # whole minutes, rounded up
    assert timed["lessons"][0]["last_studied_at"] is None  # not started: no time to give
    assert (timed["generated_on"], mine["finished_on"]) == (day, day)


def _chromium(tmp_path: Path) -> list[str]:
    """Headless Chromium with a profile of its own in the test's folder (tests may run side by side)."""
    import shutil

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "headless Chromium is needed (.ci/run installs the Debian package 'chromium')"
    return [found, f"--user-data-dir={tmp_path / 'chromium-profile'}"]


def _headings_in_order(dom: str) -> None:
    """One h1 first, and no heading level skipped (h2 after h1, h3 after h2...)."""
    levels = [int(level) for level in re.findall(r"<h([1-6])", dom)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


def test_html_report_renders_in_chromium_with_everything_escaped(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    import subprocess

    folder = tmp_path / "therapist"
    folder.mkdir()
    (folder / "a.yaml").write_text(ASSIGNMENT.read_text().replace(
        "title: Understanding how therapy works", 'title: "<script>alert(1)</script> & how therapy works"'))
    (folder / "my-own-lesson.yaml").write_text((DATA / "assignments" / "my-own-lesson.yaml").read_text())
    seed_profile(neurotutor_home, notice_seen=True)
    assert run_cli("assignment", "add", str(folder / "a.yaml")).returncode == 0
    run_cli("--plain", "quiz", "my-own-lesson", input="1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\n<img src=x onerror=alert(2)>\n\n2\n")
    html = _report(run_cli, tmp_path / "r.html", "--verbatim", "--format", "html").decode()
    assert "<script" not in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing external
    assert "&lt;img src=x onerror=alert(2)&gt;" in html  # the short answer typed, as text
    rendered = subprocess.run([*_chromium(tmp_path), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                               (tmp_path / "r.html").as_uri()], capture_output=True, text=True, timeout=120)
    dom = rendered.stdout
    assert '<html lang="en">' in dom
    assert "<script" not in dom.lower() and "<img" not in dom.lower()  # shown as text, never run
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; how therapy works</h1>" in dom
    _headings_in_order(dom)
    assert "A small test lesson" in dom and "Neuroplasticity: how the brain changes with experience" in dom
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
    _report(run_cli, tmp_path / "jd.json", profile="jd")  # json from the name
    return tmp_path / "jd.json"


def test_caseload_puts_who_is_behind_first_and_finds_the_questions_most_clients_miss(
        run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    _report(run_cli, tmp_path / "sk-old.json", "--format", "json", "--times")  # the times tell the newer apart
    _report(run_cli, tmp_path / "sk.json", "--format", "json", "--times")
    jd = _second_client(run_cli, tmp_path)
    names = [str(tmp_path / "sk-old.json"), str(tmp_path / "sk.json"), str(jd)]
    table = run_cli("--plain", "caseload", *names)
    assert (table.returncode, table.stderr) == (0, "")
    assert 0 <= table.stdout.index("J.D.") < table.stdout.index("S.K.")  # the client who is behind comes first
    assert "Which is right?" in table.stdout and "exposure" in table.stdout.lower()
    assert f"{tmp_path / 'sk-old.json'}: left out, an older report" in table.stdout
    twice = run_cli("--plain", "caseload", names[1], names[1])
    assert twice.returncode == 0 and twice.stderr == f"{names[1]}: given twice; read once.\n"
    doc = json.loads(run_cli("caseload", "--format", "json", *names).stdout)
    assert doc["format"] == "neurotutor-caseload"
    assert [(r["client"], r["done"], r["overdue"], r["source"]) for r in doc["rows"]] == [
        ("J.D.", 1, ["Neuroplasticity: how the brain changes with experience"], str(jd)),
        ("S.K.", 1, [], names[1])]
    assert len({r["client_key"] for r in doc["rows"]}) == 2  # two profiles: two client keys
    assert [(q["question_id"], q["clients"], q["missed_first"], q["answers"], q["right"])
            for q in doc["questions_missed"]] == [  # most clients first, then most answers wrong
        ("tm-short", 2, 2, 2, 0), ("tm-single", 2, 2, 2, 0), ("tm-truefalse", 2, 2, 2, 0),
        ("tm-matching", 2, 1, 2, 1), ("tm-multiple", 2, 1, 2, 1), ("tm-ordering", 2, 1, 2, 1)]
    assert [(mc["times"], mc["clients"]) for mc in doc["misconceptions"]] == [(2, 2), (1, 1)]
    assert "Exposure wipes out the old fear memory." in doc["misconceptions"][0].values()
    assert doc["set_aside"][0].startswith(f"{names[0]}: left out, an older report")
    md = run_cli("caseload", "-o", str(tmp_path / "c.md"), *names)  # Markdown from the file's name
    assert md.returncode == 0 and oct((tmp_path / "c.md").stat().st_mode & 0o777) == "0o600"
    written = (tmp_path / "c.md").read_text()
    assert written.startswith("# ") and 0 <= written.index("J.D.") < written.index("S.K.")
    text_to_file = run_cli("caseload", "-o", str(tmp_path / "c.txt"), *names)
    assert text_to_file.returncode == 2 and "give --format, or a file name ending in .md" in text_to_file.stderr


def test_two_clients_given_the_same_assignment_file_are_two_rows(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    """Two people handed one assignment file (the same id, the same label "S.K." even) have two
    profiles and so two client keys: two rows, and a newer report of one never replaces the other's."""
    _setup(run_cli, neurotutor_home)
    first = tmp_path / "first.json"
    _report(run_cli, first)
    twin = ("--profile", "twin")
    assert run_cli(*twin, "assignment", "add", str(ASSIGNMENT)).returncode == 0
    _report(run_cli, tmp_path / "twin-old.json", profile="twin")
    run_cli(*twin, "--plain", "quiz", "my-own-lesson", input="\n" + "?\n\n" * 6 + "2\n")
    twin_new = tmp_path / "twin-new.json"
    _report(run_cli, twin_new, profile="twin")  # the newest report of all
    docs = [json.loads(p.read_text()) for p in (first, tmp_path / "twin-old.json", twin_new)]
    assert {d["client"]["label"] for d in docs} == {"S.K."} and {d["assignment"]["id"] for d in docs} == {"sam-autumn"}
    assert docs[0]["client"]["key"] != docs[1]["client"]["key"] == docs[2]["client"]["key"]
    for order in ([first, tmp_path / "twin-old.json", twin_new], [twin_new, tmp_path / "twin-old.json", first]):
        doc = json.loads(run_cli("caseload", "--format", "json", *map(str, order)).stdout)
        assert sorted((r["client"], r["client_key"], r["source"]) for r in doc["rows"]) == sorted([
            ("S.K.", docs[0]["client"]["key"], str(first)), ("S.K.", docs[2]["client"]["key"], str(twin_new))])
        assert [s.split(": ")[0] for s in doc["set_aside"]] == [str(tmp_path / "twin-old.json")]
        assert {q["question_id"]: q["clients"] for q in doc["questions_missed"]}["tm-single"] == 2  # both missed it
    md = run_cli("caseload", "--format", "md", str(first), str(twin_new)).stdout
    assert md.count("S.K.") >= 2  # a row each


def test_caseload_html_renders_in_chromium(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    import subprocess

    _setup(run_cli, neurotutor_home)
    _report(run_cli, tmp_path / "sk.json")
    names = [str(tmp_path / "sk.json"), str(_second_client(run_cli, tmp_path))]
    made = run_cli("caseload", "--format", "html", *names, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "Wrote caseload.html (readable only by you)."
    page = tmp_path / "caseload.html"
    rendered = subprocess.run([*_chromium(tmp_path), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                              capture_output=True, text=True, timeout=120)
    dom = rendered.stdout
    assert '<html lang="en">' in dom and "<script" not in dom.lower()
    _headings_in_order(dom)
    assert 0 <= dom.index("J.D.") < dom.index("S.K.")
    assert "Which is right?" in dom and "Understanding how therapy works" in dom


def test_caseload_refuses_bad_and_changed_reports_whole(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    _report(run_cli, tmp_path / "sk.json", "--format", "json")
    good = json.loads((tmp_path / "sk.json").read_text())
    (tmp_path / "edited.json").write_text(json.dumps(dict(good, review=dict(good["review"], minutes="lots")), indent=2))
    (tmp_path / "newer.json").write_text('{"format": "neurotutor-report", "version": 3}')
    (tmp_path / "export.json").write_text('{"format": "neurotutor-export", "version": 1}')
    (tmp_path / "cut.json").write_text((tmp_path / "sk.json").read_text()[:200])
    changed = dict(good, client=dict(good["client"], label="Someone else"))
    (tmp_path / "changed.json").write_text(json.dumps(changed, indent=2))
    lessons = [dict(good["lessons"][1], pass_scores=[1.5])]
    (tmp_path / "range.json").write_text(json.dumps(dict(good, lessons=lessons), indent=2))
    (tmp_path / "old.json").write_bytes(V1_REPORT.read_bytes())
    names = ("sk.json", "edited.json", "newer.json", "export.json", "cut.json", "changed.json", "range.json", "old.json")
    bad = run_cli("caseload", *(str(tmp_path / n) for n in names))
    assert bad.returncode == 2 and bad.stdout == ""
    lines = bad.stderr.strip().splitlines()
    assert re.match(rf"{re.escape(str(tmp_path / 'edited.json'))}:\d+:\d+: review.minutes: Expected `float`, got `str`$",
                    lines[0])
    assert lines[1] == (f"{tmp_path / 'newer.json'}:1:1: is a report of version 3, and this neurotutor reads version 2: "
                        "upgrade neurotutor to read it")
    assert lines[2] == f"{tmp_path / 'export.json'}:1:1: is not a neurotutor report (its format is 'neurotutor-export')"
    assert lines[3].startswith(f"{tmp_path / 'cut.json'}:") and "not a neurotutor report (not valid JSON" in lines[3]
    assert re.match(rf"{re.escape(str(tmp_path / 'changed.json'))}:\d+:\d+: was changed after neurotutor wrote it "
                    r"\(its content no longer matches its digest\): ask for a new report$", lines[4])
    assert re.match(rf"{re.escape(str(tmp_path / 'range.json'))}:\d+:\d+: lessons\[1\].pass_scores\[1\]: "
                    r"Expected `float` <= 1(\.0)?$", lines[5])
    assert lines[6] == (f"{tmp_path / 'old.json'}:1:1: is a report of version 1, and this neurotutor reads version 2: it "
                        "was written by an older neurotutor; ask the client to update neurotutor and write the report "
                        "again")
    assert lines[7] == "7 of 8 report files could not be read; nothing was summed up."


def test_the_caseload_names_a_readable_report_and_reads_a_folder_of_reports(run_cli, neurotutor_home: Path,
                                                                              tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    folder = tmp_path / "from-clients"
    folder.mkdir()
    for fmt in ("json", "md", "html"):
        _report(run_cli, folder / f"sk.{fmt}")
    (folder / "sk.htm").write_bytes((folder / "sk.html").read_bytes())
    (folder / "notes.txt").write_text("not a report, not a readable report: neither read nor named")
    (folder / ".hidden.json").write_text("{")
    for name, kind in (("sk.md", "Markdown"), ("sk.html", "HTML"), ("sk.htm", "HTML")):
        given = run_cli("caseload", str(folder / name))
        assert (given.returncode, given.stdout) == (2, "")
        assert given.stderr == (f"{folder / name}: is the readable ({kind}) report, for people; the caseload reads the "
                                "report's .json file: ask the client for it ('neurotutor report --format json')\n"
                                "1 of 1 report file could not be read; nothing was summed up.\n"), name
    renamed = tmp_path / "report.txt"  # the Markdown under another name is known by its content
    renamed.write_bytes((folder / "sk.md").read_bytes())
    assert "is the readable (Markdown) report" in run_cli("caseload", str(renamed)).stderr
    read = run_cli("caseload", "--format", "json", str(folder))
    assert read.returncode == 0
    assert read.stderr == "".join(f"{folder / name}: skipped, the readable report; the caseload reads the .json (or "
                                  "sealed .json.age) file\n" for name in ("sk.htm", "sk.html", "sk.md"))
    assert [r["source"] for r in json.loads(read.stdout)["rows"]] == [str(folder / "sk.json")]
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "sk.md").write_text("# A report\n")
    nothing = run_cli("caseload", str(empty))
    assert (nothing.returncode, nothing.stdout) == (2, "")
    assert nothing.stderr.endswith(f"{empty}: the folder holds no report files (.json, or sealed .json.age).\n")


def test_the_examples_in_the_docs_are_still_valid(run_cli) -> None:
    from neurotutor.reports.caseload import load_report

    assert run_cli("validate", str(EXAMPLES / "assignment.yaml")).returncode == 0
    report, problems, sealed = load_report(EXAMPLES / "report.json")  # the current format, digest intact
    assert problems == [] and report is not None and not sealed
    assert (report.client.label, report.assignment.id, report.version) == ("S.K.", "sk-autumn", 2)
    doc: dict[str, Any] = json.loads((EXAMPLES / "report.json").read_text())
    assert digest_of(doc) == doc["digest"]
    shown = run_cli("--plain", "caseload", str(EXAMPLES / "report.json"))
    assert shown.returncode == 0 and "S.K." in shown.stdout


def test_a_file_named_in_a_folder_that_does_not_exist_is_a_clear_error(run_cli, neurotutor_home: Path,
                                                                        tmp_path: Path) -> None:
    _setup(run_cli, neurotutor_home)
    missing = tmp_path / "no-such-folder"
    for words, name in [(("report", "--yes"), "r.md"), (("caseload", str(EXAMPLES / "report.json")), "c.md"),
                        (("export-deck",), "deck.apkg"), (("schema", "lesson"), "s.json"),
                        (("assign", "pack", str(EXAMPLES / "assignment.yaml")), "a.zip")]:
        target = missing / name
        args = (*words, target) if words[0] == "export-deck" else (*words, "-o", target)
        done = run_cli(*map(str, args))
        assert (done.returncode, done.stderr) == (2, f"Cannot write {target}: the folder {missing} does not exist.\n"), words
    assert not missing.exists()
    blocked = tmp_path / "a-file"
    blocked.write_text("x")
    made = run_cli("new", "lesson", "x-y", "--dir", str(blocked / "sub"))
    assert made.returncode == 2 and made.stderr.startswith(f"Cannot make the folder {blocked / 'sub'}: ")
