"""Reports and the caseload against what a client, a report file or another local user may send
(issue 16: 1, 3, 4, 6 caseload part, 9 report part, 14, 19, 20 report part): no code loaded from a
cache, no live Markdown, no control or bidirectional character in any output, a reader that
refuses what is not a report (too deep, a pipe, a device, too large, a field twice, numbers and
strings out of range) with a clear problem, an output that never replaces an input, and review
days counted only in the report's range. Round 2: no line break in a one-line field (F9), nothing
counted twice and each client once (F10), only dates that exist and none from the future (F11),
answers dated after the report counted nowhere in it (F12). Report format 2 (issue 20): the same
cases against the dates (`_on`) and the times (`_at`, only when the client chose them), a client
told apart by their key, never by their label."""

from __future__ import annotations

import json
import os
import pickle
import re
import signal
import stat
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from neurotutor.assignments import model as am
from neurotutor.errors import Problem
from neurotutor.lessons import model as m
from neurotutor.progress import model as pm
from neurotutor.reports import build as rb
from neurotutor.reports import render
from neurotutor.reports.caseload import Caseload, Item, Loaded, Row, build_caseload, load_report, who
from neurotutor.stats.tallies import empty_tally
from neurotutor.study import confidence as cbm
from neurotutor.text import safe_text

from flows import cli
from payloads import CLIENT_KEY, V1_EXAMPLE, example_json

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=timezone.utc)
ESC_TITLE = "\x1b]0;TITLE\x07"  # an OSC sequence: retitles the terminal it is printed in
RLO = "\u202e"  # right-to-left override: shows the text after it reversed
MD = MarkdownIt("commonmark", {"html": True}).enable("table")
ONE_FILE = "1 of 1 report file could not be read; nothing was summed up.\n"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example report (S.K., sk-autumn, written 2026-11-23T12:05:57.208589Z with the times of
    day), exactly as the tutor writes it."""
    path = tmp_path / "example.json"
    path.write_bytes(example_json())
    return path


def forged(folder: Path, name: str, change: Callable[[dict[str, Any]], None] | None = None, times: bool = True) -> Path:
    """The example report (with the times of day, or dates only), changed, with its digest made
    again (as a forger would)."""
    doc = json.loads(example_json(times))
    if change:
        change(doc)
    doc.pop("digest")
    doc["digest"] = render.digest_of(doc)
    path = folder / name
    path.write_text(json.dumps(doc, indent=2))
    return path


def loaded(path: Path) -> Loaded:
    """A report file read (it must be valid), for `build_caseload`."""
    report, problems, sealed = load_report(path)
    assert problems == [] and report is not None, problems
    return Loaded(str(path), report, sealed)


def caseload_json(capsys, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """`neurotutor caseload --format json ARGS`: it succeeds, says nothing on stderr; its document."""
    code, out, err = cli(capsys, "caseload", "--format", "json", *args)
    assert (code, err) == (0, ""), err
    return json.loads(out)  # type: ignore[no-any-return]


def norm(text: str) -> str:
    """What a viewer shows of a value: inert escapes for controls, one space for each run of spaces."""
    return " ".join(safe_text(text).split())


# 1. No compiled template from a folder another user could write -----------------------------------

class _Planted:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return open, (str(self.marker), "w")  # what unpickling it runs


def test_a_planted_template_cache_never_runs(capsys, neurotutor_home: Path, tmp_path: Path, example: Path) -> None:
    import jinja2
    from jinja2.bccache import bc_magic

    from neurotutor import paths

    marker = tmp_path / "ran-as-the-therapist"
    cache = neurotutor_home / "cache"
    cache.mkdir(parents=True)
    loader = jinja2.FileSystemLoader(paths.templates_dir())
    names = loader.list_templates()  # every template there is, planted
    assert {"caseload.html.j2", "report.html.j2"} <= set(names)
    keys = [jinja2.bccache.BytecodeCache().get_cache_key(n, loader.get_source(jinja2.Environment(), n)[1]) for n in names]
    for key in keys:
        (cache / f"jinja2-{key}.cache").write_bytes(bc_magic + pickle.dumps(_Planted(marker)))
    code, out, err = cli(capsys, "caseload", "--format", "html", "-o", str(tmp_path / "c.html"), str(example))
    assert (code, out, err) == (0, f"Wrote {tmp_path / 'c.html'} (readable only by you).\n", "")
    assert not marker.exists()
    assert sorted(p.name for p in cache.iterdir()) == sorted(f"jinja2-{k}.cache" for k in keys)  # nothing written either


def test_the_caseload_under_umask_000_makes_no_open_folder(capsys, neurotutor_home: Path, tmp_path: Path,
                                                           example: Path) -> None:
    old = os.umask(0)
    try:
        code, _, err = cli(capsys, "caseload", "--format", "html", "-o", str(tmp_path / "c.html"), str(example))
    finally:
        os.umask(old)
    assert (code, err) == (0, "")
    assert not neurotutor_home.exists() or stat.S_IMODE(neurotutor_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "c.html").stat().st_mode) == 0o600


# 3 and 4. Markdown: every value inert; controls neutralised in every format -------------------------

def a_report(v: dict[str, str]) -> rb.Report:
    """A report with the given free text in every field a person wrote (built directly, as from an
    assignment stored before assignments were checked for control characters)."""
    a = am.Assignment(kind="assignment", format=1, id="a-1", title=v["title"], therapist=am.Therapist(name=v["therapist"]),
                      client=v["client"], lessons=(am.AssignedLesson(lesson="les", due=date(2030, 12, 1)),))
    stored = pm.StoredAssignment(assignment=a, added=NOW, source="a.yaml")
    mc = rb.Misconception(v["label"], 2, "q1", v["question"], v["teaches"], (v["answer"],))
    lesson = rb.LessonReport(
        lesson_id="les", title=v["lesson"], due=date(2030, 12, 1), status="in_progress", overdue=False, finished=None,
        last_studied=NOW, scores=(0.5,), minutes=3.0, review_answers=1, review_days=1, misconceptions=(mc,),
        questions=(rb.QuestionResult("q2", v["missed"], 2, 0, False),))
    return rb.Report(generated=NOW, assignment=stored, verbatim=True, lessons=(lesson,), review_minutes=1.0,
                     review_days=1, review_goal_minutes=10, days_since_added=3, exams=(), exam_goal=None,
                     calibration=cbm.calibrate_counts({}), summary=(v["summary"],), client_key=CLIENT_KEY,
                     choices=rb.Choices(verbatim=True))


def a_caseload(v: dict[str, str]) -> Caseload:
    row = Row(client=v["client"], assignment_id="a-1", assignment=v["title"], therapist=v["therapist"], done=0,
              lessons=1, overdue=(v["lesson"],), best_scores=((v["lesson"], 0.5),), review_minutes=3.0,
              review_goal_minutes=10, last_activity=v["answer"], generated=v["summary"], source="r.json",
              client_key=CLIENT_KEY)
    item = Item(lesson=v["lesson"], lesson_id="les", question_id=v["teaches"], question=v["question"], clients=1,
                missed_first=1, dont_know_first=0, answers=1, right=0)
    return Caseload((row,), (item,), ((v["label"], 2, 1),), (v["missed"],))


FIELDS = ("title", "client", "therapist", "lesson", "label", "question", "teaches", "answer", "missed", "summary")
PLACEHOLDERS = {f: f"QQ{chr(ord('a') + i)}QQ" for i, f in enumerate(FIELDS)}
SNIPPETS = ["![x](http://host/pixel)", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "<script>",
            "&amp;", "&#60;", "[a]: /u", "`code`", "**b**", "_i_", "~~s~~", "| a |", "# h", "1. ", "- ", "> q",
            "---", "===", "```", "\\", "<http://x>", "www.x.example", ESC_TITLE, RLO, "\r\n", "\x9b31m"]
VALUE = (st.lists(st.one_of(st.characters(), st.sampled_from(list("\\`*_[]()!<>|#+-.=&~$:; 0123456789\t\n")),
                            st.sampled_from(SNIPPETS)), max_size=12)
         .map("".join).filter(lambda s: bool(norm(s))))


def shape(markdown: str) -> tuple[list[Any], list[str]]:
    """What a CommonMark viewer (HTML allowed, tables on) makes of a document: its structure (every
    token but plain text) and the text it shows, one entry per line of inline content."""
    structure: list[Any] = []
    shown = []
    for token in MD.parse(markdown):
        if token.type == "inline":
            structure.append([c.type for c in token.children or [] if c.type != "text"])
            shown.append("".join(c.content for c in token.children or [] if c.type == "text"))
        else:
            structure.append((token.type, token.tag))
    return structure, shown


def round_trips(render_with: Callable[[dict[str, str]], str], values: dict[str, str], lesson_markdown: frozenset[str],
                labels: bool = True) -> None:
    """Rendered with arbitrary values, a document has exactly the structure it has with plain ones
    (no tag, link, image, code, emphasis, list, heading or cell more), and shows every value as it
    is; the fields of `lesson_markdown` (a lesson's own Markdown) as the words they read as, and
    with `labels` a misconception's label in words."""
    plain_structure, plain_shown = shape(render_with(PLACEHOLDERS))
    structure, shown = shape(render_with(values))
    assert structure == plain_structure
    assert not {"html_inline", "html_block", "link_open", "image", "code_inline"} & {
        t for part in structure for t in (part if isinstance(part, list) else [part[0]])}

    def said(field: str, value: str) -> str:
        if field == "label" and labels:
            return norm(m.misconception_said(value, None))
        if field in lesson_markdown:
            return norm(render.lesson_text(value))
        return norm(value)

    expected = {PLACEHOLDERS[f]: said(f, values[f]) for f in FIELDS}
    assert [" ".join(line.split()) for line in shown] == [
        " ".join(re.sub("QQ[a-z]QQ", lambda found: expected[found.group()], line).split()) for line in plain_shown]


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({f: VALUE for f in FIELDS}))
def test_a_markdown_report_shows_any_text_as_text(values: dict[str, str]) -> None:
    round_trips(lambda v: render.to_markdown(a_report(v)), values, frozenset({"question", "teaches", "missed"}))


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries({f: VALUE for f in FIELDS}))
def test_a_markdown_caseload_shows_any_text_as_text(values: dict[str, str]) -> None:
    # (the caseload's misconceptions are the wrong ideas in words already)
    round_trips(lambda v: render.caseload_markdown(a_caseload(v), NOW), values, frozenset({"question"}), labels=False)


def test_links_images_and_tags_in_a_report_stay_text(neurotutor_home: Path) -> None:
    values = dict(PLACEHOLDERS, title="![x](http://host/pixel)", client="[x](javascript:alert(1))",
                  lesson="<img src=x onerror=alert(1)>", label="1. `code`", summary="- **not bold** & &amp;")
    text = render.to_markdown(a_report(values))
    for escaped in ("\\!\\[x\\](http://host/pixel)", "\\[x\\](javascript:alert(1))", "\\<img src=x onerror=alert(1)\\>",
                    "\\`code\\`", "\\- \\*\\*not bold\\*\\* \\& \\&amp;"):
        assert escaped in text, escaped
    structure, shown = shape(text)
    assert not {"html_inline", "html_block", "link_open", "image", "code_inline"} & {
        t for part in structure for t in (part if isinstance(part, list) else [part[0]])}
    for value in ("![x](http://host/pixel)", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "1. `code`",
                  "- **not bold** & &amp;"):
        assert any(value in line for line in shown), value  # shown as the text it is


def test_a_forged_report_carries_no_markup_into_the_caseload(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["lessons"][0]["questions"][7]["id"] = "<img src=x onerror=alert(1)>"  # np-braille-vignette
        doc["client"]["label"] = "![x](http://host/pixel)"

    code, out, err = cli(capsys, "caseload", "--format", "md", str(forged(tmp_path, "r.json", change)))
    assert (code, err) == (0, "")
    assert "\\!\\[x\\](http://host/pixel)" in out and "\\<img src=x onerror=alert(1)\\>" in out
    structure, shown = shape(out)
    assert any("![x](http://host/pixel)" in line for line in shown)  # shown as text
    assert any("<img src=x onerror=alert(1)>" in line for line in shown)
    assert not {"html_inline", "html_block", "link_open", "image"} & {t for part in structure for t in part}


def test_every_renderer_neutralises_control_and_bidi_characters(capsys, tmp_path: Path) -> None:
    values = dict(PLACEHOLDERS, title=f"{ESC_TITLE}Plan", client=f"{RLO}K.S", lesson="Les\x9b2Json",
                  answer="a\x00b\u2066c", label="x\x7fy")
    report = a_report(values)
    outputs = {"md": render.to_markdown(report), "html": render.to_html(report, "9"),
               "json": render.to_json(report, "9").decode("utf-8")}
    written = tmp_path / "r.json"
    written.write_text(outputs["json"])
    read = loaded(written)  # what the tutor writes, the caseload reads
    assert read.report.assignment.title == "\\x1b]0;TITLE\\x07Plan" and read.report.client.label == "\\u202eK.S"
    caseload = build_caseload([read], NOW)
    outputs |= {"caseload md": render.caseload_markdown(caseload, NOW), "caseload html": render.caseload_html(caseload, NOW),
                "caseload json": render.caseload_json(caseload, "9", NOW).decode("utf-8")}
    code, outputs["caseload text"], err = cli(capsys, "--plain", "caseload", str(written))
    assert (code, err) == (0, "")
    for name, text in outputs.items():
        assert safe_text(text) == text, name  # not one raw control or bidi character
        # as a viewer shows it: Markdown rendered, JSON decoded (both escape the backslash itself)
        shown = "\n".join(shape(text)[1]) if name.endswith("md") else text.replace("\\\\", "\\")
        assert "\\x1b]0;TITLE\\x07Plan" in shown and "\\u202eK.S" in shown, name
    shown = "\n".join(shape(outputs["md"])[1])
    assert "Les\\x9b2Json" in shown and "a\\x00b\\u2066c" in shown and "x\\x7fy" in shown


def test_the_caseload_refuses_a_report_holding_control_characters(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["client"]["label"] = ESC_TITLE
        doc["lessons"][1]["title"] = f"{RLO}evil"

    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    assert err == (f"{path}:8:14: client.label: holds U+001B ESC, a character that could drive a terminal or "
                   "disguise text: ask for a new report\n"
                   f"{path}:277:16: lessons[2].title: holds U+202E right-to-left override, a character that could "
                   "drive a terminal or disguise text: ask for a new report\n" + ONE_FILE)


# 9, 14 and 19. The reader refuses what is not a report, clearly, at once --------------------------

def test_deeply_nested_json_is_a_clear_problem(capsys, tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text('{"format": "neurotutor-report", "version": 2, "lessons": ' + "[" * 5000 + "]" * 5000 + "}")
    nested = forged(tmp_path, "nested.json", lambda d: d["assignment"].update(title=json.loads("[" * 20 + "]" * 20)))
    code, out, err = cli(capsys, "caseload", str(deep), str(nested))
    assert (code, out) == (2, "")
    assert err == (f"{deep}:1:1: is not a neurotutor report (its JSON is nested too deeply to read; a report is "
                   "nested 6 levels deep at most)\n"
                   f"{nested}:13:14: assignment.title: Expected `str`, got `array`\n"
                   "2 of 2 report files could not be read; nothing was summed up.\n")


@pytest.fixture
def bounded_wait():  # type: ignore[no-untyped-def]
    """Turn a hang into a failure (not a timing check: a correct reader never waits)."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the caseload waited on a file instead of refusing it")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_fifo_a_device_and_a_huge_file_are_refused_unread(capsys, tmp_path: Path, bounded_wait, example: Path) -> None:
    fifo = tmp_path / "r.json"
    os.mkfifo(fifo)
    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:
        f.truncate(16 * 1024 * 1024 + 1)  # sparse: no disk used
    code, out, err = cli(capsys, "caseload", str(fifo), "/dev/zero", str(huge), str(example))
    assert (code, out) == (2, "")
    assert err == (f"{fifo}: is a pipe (FIFO), not a report file: give the .json file a client sent\n"
                   "/dev/zero: is a device, not a report file: give the .json file a client sent\n"
                   f"{huge}: is larger than 16 MiB, far more than any report: it is not one\n"
                   "3 of 4 report files could not be read; nothing was summed up.\n")


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["lessons"][0]["questions"][0].update(answers=10 ** 30),
     ":123:22: lessons[1].questions[1].answers: Expected `int` <= 1000000"),
    (lambda d: d["lessons"][0]["minutes"].update(reading=1e308),
     ":67:20: lessons[1].minutes.reading: Expected `float` <= 1000000.0"),
    (lambda d: d["review"].update(minutes=-0.5), ":"),
    (lambda d: d["lessons"][1].update(title="t" * 1_000_000),
     ":277:16: lessons[2].title: Expected `str` of length <= 10000"),
    (lambda d: d["client"].update(label="c" * 201), ":8:14: client.label: Expected `str` of length <= 200"),
    (lambda d: d["client"].update(key="S.K."), ":9:12: client.key: Expected a client key like c-abcdefgh23"),
    (lambda d: d["assignment"].update(therapist_key="age1 not a key"),
     ":15:22: assignment.therapist_key: Expected an age public key (age1 and 58 more characters)"),
    (lambda d: d["lessons"][0].update(last_studied_at="2026-11-23<img src=x>"),
     ":56:26: lessons[1].last_studied_at: Expected a time that exists, with its offset from UTC, like "
     "2026-11-23T10:00:20Z"),
    (lambda d: d["lessons"][0].update(due="2026-12-08<b>"), ":51:14: lessons[1].due: Expected a date that exists, like "
     "2026-11-23"),
    (lambda d: d["exams"].append({"id": "e1", "finished_on": "2026-11-23", "status": "submitted", "questions": 2,
                                  "right": 1, "score": 0.5, "minutes_used": -1}),
     ":462:23: exams[1].minutes_used: Expected `int` >= 0"),
], ids=["10^30 answers", "1e308 minutes", "negative minutes", "1 MB title", "long label", "client key", "therapist key",
        "time", "date", "exam minutes"])
def test_numbers_and_strings_out_of_range_are_refused(capsys, tmp_path: Path, change: Any, problem: str) -> None:
    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    first = err.splitlines()[0]
    assert first == f"{path}{problem}" if problem != ":" else re.match(
        rf"{re.escape(str(path))}:\d+:\d+: review.minutes: Expected `float` >= 0(\.0)?$", first)
    assert err.endswith("\n" + ONE_FILE)


def test_a_field_given_twice_is_refused(capsys, tmp_path: Path) -> None:
    path = forged(tmp_path, "r.json", lambda d: d["client"].update(label="Someone else"))
    text = path.read_text()
    path.write_text(text.replace('"label": "Someone else"', '"label": "S.K.", "label": "Someone else"'))
    code, out, err = cli(capsys, "caseload", str(path))  # the digest matches the last one, which msgspec keeps
    assert (code, out) == (2, "")
    assert err == f"{path}:8:14: client.label: is given more than once (a field may appear only once)\n" + ONE_FILE


def test_a_utf8_byte_order_mark_is_allowed(capsys, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_bytes(b"\xef\xbb\xbf" + example_json())
    report = loaded(path).report
    assert (report.client.label, report.client.key) == ("S.K.", CLIENT_KEY)
    doc = caseload_json(capsys, str(path))
    assert [(r["client"], r["assignment_id"]) for r in doc["rows"]] == [("S.K.", "sk-autumn")]


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=6)


def _places(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, at + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, at + (index,))
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_report_reader_gives_a_report_or_clear_problems_and_nothing_else(tmp_path: Path, data: st.DataObject) -> None:
    doc = json.loads(example_json(data.draw(st.booleans(), label="times")))
    for _ in range(data.draw(st.integers(0, 3), label="changes")):
        place = data.draw(st.sampled_from(_places(doc)[1:]), label="where")
        parent = doc
        for part in place[:-1]:
            parent = parent[part]
        action = data.draw(st.sampled_from(["replace", "remove", "add"]), label="how")
        if action == "replace":
            parent[place[-1]] = data.draw(JSON, label="value")
        elif action == "remove":
            del parent[place[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=6), label="field")] = data.draw(JSON, label="value")
    if data.draw(st.booleans(), label="digest made again"):
        doc.pop("digest", None)
        try:
            doc["digest"] = render.digest_of(doc)
        except (TypeError, OverflowError, ValueError):  # a value msgspec cannot encode: the old digest stays
            pass
    raw = json.dumps(doc, indent=data.draw(st.sampled_from([None, 2]))).encode("utf-8", "surrogatepass")
    if data.draw(st.booleans(), label="bytes changed"):
        at = data.draw(st.integers(0, len(raw)), label="at")
        raw = raw[:at] + data.draw(st.binary(max_size=6), label="bytes") + raw[at + data.draw(st.integers(0, 6)):]
    if data.draw(st.booleans(), label="byte order mark"):
        raw = b"\xef\xbb\xbf" + raw
    path = tmp_path / "r.json"
    path.write_bytes(raw)
    report, problems, sealed = load_report(path)
    assert (report is None) == bool(problems) and not sealed
    for p in problems:
        assert isinstance(p, Problem) and p.path == str(path) and p.message
        assert len(p.message) < 1000 and safe_text(p.message) == p.message  # short, and safe on any screen
    if report is not None:  # what is read can be summed up and shown in every format
        caseload = build_caseload([("r.json", report)], NOW)
        render.caseload_markdown(caseload, NOW), render.caseload_html(caseload, NOW), render.caseload_json(caseload, "9", NOW)


# 6. The caseload never replaces one of its reports, and asks before replacing a file ---------------

def test_the_caseload_never_replaces_one_of_its_reports(capsys, tmp_path: Path, example: Path) -> None:
    victim = tmp_path / "victim.json"
    victim.write_bytes(example.read_bytes())
    (tmp_path / "link.json").symlink_to(victim)
    os.link(victim, tmp_path / "hard.json")
    for given_as, output in [(victim, victim), (victim, tmp_path / "." / "victim.json"), (tmp_path / "link.json", victim),
                             (victim, tmp_path / "hard.json")]:
        code, out, err = cli(capsys, "caseload", str(example), str(given_as), "--format", "json", "--yes", "-o", str(output))
        assert (code, out) == (2, "")
        assert err == (f"{output} is one of the reports you gave, and writing the caseload would replace it: give "
                       "another file name with -o. Nothing was written.\n")
    assert victim.read_bytes() == example.read_bytes()
    folder = tmp_path / "reports"  # a report in a folder given, too
    folder.mkdir()
    (folder / "r.json").write_bytes(example.read_bytes())
    code, out, err = cli(capsys, "caseload", str(folder), "--format", "json", "--yes", "-o", str(folder / "r.json"))
    assert (code, out, err) == (2, "", f"{folder / 'r.json'} is one of the reports you gave, and writing the caseload "
                                       "would replace it: give another file name with -o. Nothing was written.\n")
    assert (folder / "r.json").read_bytes() == example.read_bytes()


class Answering:
    """A prompter that answers every yes/no question with `answer`, and keeps the questions."""

    def __init__(self, answer: bool) -> None:
        self.answer, self.asked = answer, []  # type: ignore[var-annotated]

    def confirm(self, message: str) -> bool:
        self.asked.append(message)
        return self.answer


def test_the_caseload_asks_before_replacing_a_file(capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   example: Path) -> None:
    from neurotutor.cli import prompters
    from neurotutor.cli.settings import Settings

    target = tmp_path / "c.md"
    target.write_text("my notes")
    monkeypatch.setattr(Settings, "interactive", property(lambda self: True))
    no = Answering(False)
    monkeypatch.setattr(prompters, "make_prompter", lambda interactive, out: no)
    code, out, err = cli(capsys, "caseload", str(example), "-o", str(target))
    assert (code, out, err, no.asked) == (0, "No caseload was written. Give another name with -o.\n", "",
                                          [f"{target} exists. Replace it?"])
    assert target.read_text() == "my notes"
    yes = Answering(True)
    monkeypatch.setattr(prompters, "make_prompter", lambda interactive, out: yes)
    code, out, _ = cli(capsys, "caseload", str(example), "-o", str(target))
    assert (code, out, len(yes.asked)) == (0, f"Wrote {target} (readable only by you).\n", 1)
    assert target.read_text() != "my notes" and "S.K." in target.read_text()
    target.write_text("my notes")
    asked = Answering(False)
    monkeypatch.setattr(prompters, "make_prompter", lambda interactive, out: asked)
    code, out, _ = cli(capsys, "caseload", str(example), "-o", str(target), "--yes")  # --yes: as `report --yes`
    assert (code, asked.asked) == (0, []) and "S.K." in target.read_text()


# 20. Review days only in the report's range; answers dated in the future are named -----------------

def test_review_days_count_only_the_reports_range_and_future_answers_are_named() -> None:
    def day(d: date) -> int:
        return d.toordinal() - date(1970, 1, 1).toordinal()

    a = am.Assignment(kind="assignment", format=1, id="a-1", title="Plan", therapist=am.Therapist(name="Dr A"),
                      client="S.K.", lessons=(am.AssignedLesson(lesson="les", due=date(2026, 12, 1)),),
                      goals=am.Goals(review=am.ReviewGoal(minutes_per_day=10)))
    stored = pm.StoredAssignment(assignment=a, added=datetime(2026, 11, 10, 9, tzinfo=timezone.utc), source="a.yaml")
    tally = empty_tally()
    answered = {date(2026, 11, 1): 3, date(2026, 11, 12): 2, date(2026, 11, 20): 1, date(2100, 1, 1): 4}
    tally.mode_days = {"review": {day(d): n for d, n in answered.items()}}
    tally.days = {day(d): [n, n] for d, n in answered.items()}
    tally.modes = {"review": 10}
    report = rb.build_report(stored, pm.Progress(), {"les": tally}, {}, {"les": "Lesson"}, NOW, date(2026, 11, 20), False,
                             client_key=CLIENT_KEY)
    assert (report.review_days, report.lessons[0].review_days, report.days_since_added) == (2, 2, 11)
    note = ("Some answers are dated after the day of this report (the latest 2100-01-01): the computer's clock was "
            "probably wrong when they were saved. They are not counted as days of review.")
    assert report.summary[-1] == note
    assert note in render.to_markdown(report)
    doc = json.loads(render.to_json(report, "9"))
    assert doc["review"] == {"minutes": 0.0, "days": 2, "goal_minutes_per_day": 10, "minutes_per_day": 0.0,
                             "days_since_added": 11}
    assert doc["lessons"][0]["review_days"] == 2 and doc["summary"][-1] == note
    honest = rb.build_report(stored, pm.Progress(), {"les": tally}, {}, {"les": "Lesson"},
                             datetime(2100, 1, 2, tzinfo=timezone.utc), date(2100, 1, 2), False)
    assert honest.review_days == 3 and honest.future is None and not any("dated after" in s for s in honest.summary)


# Round 2 (F9): a line break or a tab in a one-line field is refused, and never adds a row anywhere --

def test_a_line_break_in_a_one_line_field_is_refused_naming_the_field(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["client"]["label"] = "J.D.\nX.Y.    Fake"  # would add a row to the caseload's text view
        doc["lessons"][1]["title"] = "CBT\tnotes"
        doc["lessons"][0]["questions"][0]["id"] = "np-slogan-origin\u2028x"
        doc["lessons"][0]["misconceptions"][0]["label"] = "adult\nbrain"
        doc["lessons"][0]["misconceptions"][1]["text"] = "Only young brains\ncan change."
        doc["lessons"][0]["questions"][1]["question"] = "A question\non two lines"  # a question may have several

    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:8:14: client.label: holds a line break (U+000A), and it is shown on one line (it could add "
        "lines to the caseload): ask for a new report\n"
        f"{path}:75:20: lessons[1].misconceptions[1].label: holds a line break (U+000A), and it is shown on one line "
        "(it could add lines to the caseload): ask for a new report\n"
        f"{path}:87:19: lessons[1].misconceptions[2].text: holds a line break (U+000A), and it is shown on one line "
        "(it could add lines to the caseload): ask for a new report\n"
        f"{path}:121:17: lessons[1].questions[1].id: holds a line separator (U+2028), and it is shown on one line (it "
        "could add lines to the caseload): ask for a new report\n"
        f"{path}:277:16: lessons[2].title: holds a tab (U+0009), and it is shown on one line (it could add lines to "
        "the caseload): ask for a new report\n" + ONE_FILE)


def test_a_question_on_several_lines_is_read_and_shown_on_one(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["lessons"][0]["questions"][7]["question"] = "Maya reads\nBraille:\tWhat explains it?"

    path = forged(tmp_path, "r.json", change)
    for args in (("--plain", "caseload"), ("caseload", "--format", "md")):
        code, out, err = cli(capsys, *args, str(path))
        assert (code, err) == (0, "")
        assert "Maya reads Braille: What explains it?" in out and "Maya reads\n" not in out, args


def test_every_renderer_shows_a_one_line_value_on_one_line(capsys, monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    """Defence in depth: even a value the reader let through (its check switched off here) adds no
    row, line or cell in any view."""
    from neurotutor.reports import caseload as caseload_module

    monkeypatch.setattr(caseload_module, "_scan", lambda tree: [])

    def change(doc: dict[str, Any]) -> None:
        doc["client"]["label"] = "J.D.\nX.Y.    Fake\t|"
        doc["assignment"]["title"] = "Plan\n\nfor now"
        doc["lessons"][0]["title"] = "Neuro\u2028plasticity"
        doc["lessons"][0]["questions"][7]["id"] = "np\nbraille"

    path = forged(tmp_path, "r.json", change)

    def on_one_line(text: str) -> None:
        lines = text.splitlines()
        for part, whole in (("X.Y.", "J.D. X.Y. Fake"), ("for now", "Plan for now"), ("plasticity", "Neuro plasticity"),
                            ("braille", "np braille")):
            assert [line for line in lines if part in line] == [line for line in lines if whole in line], part
            assert any(whole in line for line in lines), whole

    code, text, err = cli(capsys, "--plain", "caseload", "--stale-after", "3650", str(path))
    assert (code, err) == (0, "")
    on_one_line(text)
    code, md, _ = cli(capsys, "caseload", "--format", "md", "--stale-after", "3650", str(path))
    on_one_line(md.replace("\\|", "|"))
    assert "J.D. X.Y. Fake \\|" in md  # the bar escaped: no cell more
    rows = [token for token in MD.parse(md) if token.type == "tr_open"]
    plain = forged(tmp_path, "plain.json")
    _, plain_md, _ = cli(capsys, "caseload", "--format", "md", "--stale-after", "3650", str(plain))
    assert len(rows) == len([token for token in MD.parse(plain_md) if token.type == "tr_open"])  # no row more
    target = tmp_path / "c.html"
    assert cli(capsys, "caseload", "--format", "html", "-o", str(target), str(path))[0] == 0
    page = target.read_text()
    assert "J.D. X.Y. Fake |" in page and "Plan for now" in page and "Neuro plasticity" in page and "np braille" in page


def test_a_title_on_several_lines_is_written_on_one_line_and_read_back() -> None:
    values = dict(PLACEHOLDERS, title="Plan\nfor\tnow ", client="S.\nK.", therapist="Dr\u2028A", lesson="Les\n son")
    written = json.loads(render.to_json(a_report(values), "9"))
    assert (written["assignment"]["title"], written["client"]["label"], written["assignment"]["therapist"],
            written["lessons"][0]["title"]) == ("Plan for now", "S. K.", "Dr A", "Les son")
    assert written["lessons"][0]["misconceptions"][0]["question"] == "QQfQQ"


# Round 2 (F10): nothing in one report is counted twice; each client counts once ---------------------

def test_a_report_that_would_count_something_twice_is_refused(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        lesson = doc["lessons"][0]
        lesson["questions"] += [dict(lesson["questions"][0]), dict(lesson["questions"][0])]
        lesson["misconceptions"].append(dict(lesson["misconceptions"][2]))
        doc["lessons"].append(json.loads(json.dumps(lesson)))
        exam = {"id": "e1", "finished_on": "2026-11-23", "status": "submitted", "questions": 2, "right": 1,
                "score": 0.5, "minutes_used": 1, "finished_at": "2026-11-23T12:00:00Z", "seconds_used": 60.0}
        doc["exams"] = [exam, exam]
        doc["confidence"] = {"rated": 2, "marks": 3, "verdict": None,
                             "levels": [{"level": 1, "answers": 1, "right": 1}, {"level": 1, "answers": 1, "right": 1}]}

    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    twice = "is given twice in this report (it would be counted twice): ask for a new report"
    assert err.splitlines() == [
        f"{path}:476:13: lessons[3].id: lesson 'neuroplasticity-types' {twice}",
        f"{path}:285:17: lessons[1].questions[18].id: question 'np-slogan-origin' {twice}",
        f"{path}:294:17: lessons[1].questions[19].id: question 'np-slogan-origin' {twice}",
        f"{path}:118:9: lessons[1].misconceptions[5]: misconception 'hebb-wrote-slogan' of question "
        f"'np-slogan-origin' {twice}",
        f"{path}:712:17: lessons[3].questions[18].id: question 'np-slogan-origin' {twice}",
        f"{path}:721:17: lessons[3].questions[19].id: question 'np-slogan-origin' {twice}",
        f"{path}:545:9: lessons[3].misconceptions[5]: misconception 'hebb-wrote-slogan' of question "
        f"'np-slogan-origin' {twice}",
        f"{path}:752:13: exams[2].id: exam 'e1' {twice}",
        f"{path}:775:18: confidence.levels[2].level: level 1 {twice}",
        ONE_FILE.strip()]


def test_fifty_copies_of_a_question_cannot_make_a_hundred_clients(capsys, tmp_path: Path) -> None:
    """The tester's case: one report, 50 copies of a question and a copy of the lesson."""
    def change(doc: dict[str, Any]) -> None:
        doc["lessons"][0]["questions"] = [doc["lessons"][0]["questions"][0]] * 50
        doc["lessons"].append(doc["lessons"][0])

    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0].endswith(": lessons[3].id: lesson 'neuroplasticity-types' is given twice in this report (it would "
                             "be counted twice): ask for a new report")
    assert lines[-2:] == [f"{path}: and more problems like these (the first 20 are shown)", ONE_FILE.strip()]


def test_a_client_counts_once_per_question_whatever_their_reports(capsys, tmp_path: Path, example: Path) -> None:
    other = forged(tmp_path, "other.json", lambda d: d["assignment"].update(id="sk-winter", title="Winter plan"))
    jd = forged(tmp_path, "jd.json", lambda d: d["client"].update(label="J.D.", key="c-jdjdjdjd23"))
    braille = ("neuroplasticity-types", "np-braille-vignette")
    fixed = "Only young brains can change, so the adult brain stays fixed."
    one = build_caseload([loaded(example), loaded(other)], NOW + timedelta(days=5))  # one client, two plans
    assert len(one.rows) == 2 and {r.client_key for r in one.rows} == {CLIENT_KEY}
    assert render.client_count(one) == 1
    assert [(i.clients, i.missed_first, i.answers, i.right) for i in one.items if (i.lesson_id, i.question_id) == braille] == [
        (1, 1, 1, 0)]
    assert (fixed, 2, 1) in one.misconceptions  # chosen twice (under two questions), by 1 client
    two = build_caseload([loaded(example), loaded(other), loaded(jd)], NOW + timedelta(days=5))
    assert render.client_count(two) == 2
    assert [(i.clients, i.missed_first, i.answers, i.right) for i in two.items if (i.lesson_id, i.question_id) == braille] == [
        (2, 2, 2, 0)]
    assert (fixed, 4, 2) in two.misconceptions
    doc = caseload_json(capsys, str(example), str(other), str(jd))  # and so the caseload says
    assert [(q["clients"], q["missed_first"]) for q in doc["questions_missed"]
            if (q["lesson_id"], q["question_id"]) == braille] == [(2, 2)]
    assert [(mc["times"], mc["clients"]) for mc in doc["misconceptions"] if fixed in mc.values()] == [(4, 2)]


# Round 2 (F11): every date is a real one; a report from the future never wins ---------------------

@pytest.mark.parametrize(("change", "times", "problem"), [
    (lambda d: d.update(generated_at="9999-99-99T99:99:99Z"), True, ":6:19: generated_at: TIME"),
    (lambda d: d.update(generated_on="2026-02-30"), False, ":5:19: generated_on: DAY"),
    (lambda d: d["lessons"][0].update(last_studied_at="2026-13-45T10:00:00Z"), True,
     ":56:26: lessons[1].last_studied_at: TIME"),
    (lambda d: d["lessons"][0].update(last_studied_on="2026-13-01"), False, ":54:26: lessons[1].last_studied_on: DAY"),
    (lambda d: d["lessons"][0].update(finished_at="2026-11-23T12:05:53"), True, ":58:22: lessons[1].finished_at: TIME"),
    (lambda d: d["lessons"][0].update(due="2026-02-30"), True, ":51:14: lessons[1].due: DAY"),
    (lambda d: d["assignment"].update(added_at="2026-02-28T00:00:00+99:99"), True, ":17:17: assignment.added_at: TIME"),
    (lambda d: d["assignment"].update(added_on="2026-11-23T12:05:51Z"), False, ":15:17: assignment.added_on: DAY"),
], ids=["month 99", "30 February", "month 13", "month 13 (date)", "no offset", "due 30 February", "offset +99:99",
        "a time for a date"])
def test_impossible_dates_are_refused_naming_the_field(capsys, tmp_path: Path, change: Any, times: bool,
                                                       problem: str) -> None:
    path = forged(tmp_path, "r.json", change, times)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    words = {"TIME": "Expected a time that exists, with its offset from UTC, like 2026-11-23T10:00:20Z",
             "DAY": "Expected a date that exists, like 2026-11-23"}
    where, word = problem.rsplit(" ", 1)
    assert err == f"{path}{where} {words[word]}\n" + ONE_FILE


def test_a_report_dated_in_the_future_never_displaces_the_genuine_one(capsys, tmp_path: Path, example: Path) -> None:
    future = forged(tmp_path, "future.json", lambda d: d.update(generated_on="9999-12-31",
                                                                generated_at="9999-12-31T23:59:59.999999Z"))
    ahead_day = forged(tmp_path, "ahead.json", lambda d: d.update(generated_on="9999-12-31"), times=False)
    said = "left out, dated in the future (9999-12-31); the computer's clock that wrote it may be wrong"
    code, out, err = cli(capsys, "--plain", "caseload", "--stale-after", "3650", str(example), str(future), str(ahead_day))
    assert (code, err) == (0, "")
    assert f"{future}: {said}" in out and f"{ahead_day}: {said}" in out
    doc = caseload_json(capsys, str(example), str(future), str(ahead_day))
    assert [(r["source"], r["report_date"]) for r in doc["rows"]] == [(str(example), "2026-11-23")]
    assert doc["set_aside"] == [f"{future}: {said}", f"{ahead_day}: {said}"]
    genuine = loaded(example)
    now = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)  # a day of clock skew is allowed
    assert [r.generated for r in build_caseload([genuine], now).rows] == ["2026-11-23"]
    assert build_caseload([("r.json", genuine.report)], datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)).set_aside == (
        "r.json: left out, dated in the future (2026-11-23); the computer's clock that wrote it may be wrong",)
    dates_only = loaded(forged(tmp_path, "dates.json", times=False))
    assert build_caseload([dates_only], datetime(2026, 11, 22, 0, 0, tzinfo=timezone.utc)).rows  # a day ahead: kept
    assert build_caseload([dates_only], datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc), date(2026, 11, 21)).set_aside


@pytest.mark.parametrize(("change", "times", "problem"), [
    (lambda d: d["lessons"][0].update(last_studied_at="2100-01-02T09:00:00Z"), True,
     ":56:26: lessons[1].last_studied_at: is later than the report itself (written 2026-11-23T12:05:57.208589Z)"),
    (lambda d: d["lessons"][0].update(last_studied_on="2100-01-02"), False,
     ":54:26: lessons[1].last_studied_on: is later than the report itself (written 2026-11-23)"),
    (lambda d: d["lessons"][0].update(finished_on="2026-11-24"), False,
     ":55:22: lessons[1].finished_on: is later than the report itself (written 2026-11-23)"),
], ids=["time", "date", "finished"])
def test_a_lesson_studied_after_its_own_report_was_written_is_refused(capsys, tmp_path: Path, change: Any, times: bool,
                                                                      problem: str) -> None:
    path = forged(tmp_path, "r.json", change, times)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    assert err == (f"{path}{problem}: the clock of the computer that wrote it was wrong; ask for a new report\n" + ONE_FILE)


def test_an_exam_finished_after_its_own_report_was_written_is_refused(capsys, tmp_path: Path) -> None:
    exam = {"id": "e1", "finished_on": "2026-11-24", "status": "submitted", "questions": 2, "right": 1, "score": 0.5,
            "minutes_used": 1}
    path = forged(tmp_path, "r.json", lambda d: d.update(exams=[exam]), times=False)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    assert err == (f"{path}:452:22: exams[1].finished_on: is later than the report itself (written 2026-11-23): the clock "
                   "of the computer that wrote it was wrong; ask for a new report\n" + ONE_FILE)


# Round 2 (F12): answers dated after the report count nowhere in it --------------------------------

REPORTED = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


def test_answers_dated_after_the_report_count_nowhere(capsys, monkeypatch: pytest.MonkeyPatch, neurotutor_home: Path,
                                                      tmp_path: Path) -> None:
    from neurotutor.progress.store import ProgressStore
    from neurotutor.quiz.answers import ChoiceAnswer

    from flows import seed_profile

    seed_profile(neurotutor_home, notice_seen=True)
    plan = tmp_path / "plan.yaml"
    plan.write_text((ROOT / "tests" / "data" / "assignments" / "good.yaml").read_text().replace(
        "  - lesson: my-own-lesson\n    due: 2030-12-08\n    file: my-own-lesson.yaml\n", ""))
    assert cli(capsys, "assignment", "add", str(plan))[0] == 0
    ids = [q["id"] for q in json.loads(V1_EXAMPLE.read_text())["lessons"][0]["questions"]]

    def answer(question: str, at: datetime, mode: str = "review") -> pm.Attempt:
        return pm.new_attempt(lesson="neuroplasticity-types", question=question, mode=mode,  # type: ignore[arg-type]
                              run=1 if mode == "lesson" else None, answer=ChoiceAnswer(frozenset({1})),
                              answer_text="x", correct=True, seconds=30.0, now=at, utc_offset=0)

    genuine = answer(ids[0], datetime(2026, 12, 1, 10, tzinfo=timezone.utc))
    ahead = datetime(2100, 1, 2, 9, tzinfo=timezone.utc)  # the clock set to 2100, then set back
    later = [answer(ids[1], ahead + timedelta(minutes=i)) for i in range(34)]
    passed = [answer(q, ahead, "lesson") for q in ids]  # a whole pass, finished "in 2100"

    def studied(p: pm.Progress) -> pm.Progress:
        p = pm.structs.replace(p, assignments={k: pm.structs.replace(v, added=datetime(2026, 11, 30, 12, tzinfo=timezone.utc))
                                               for k, v in p.assignments.items()})
        for a in (genuine, *later):
            p = pm.apply_attempt(p, a)
        for a in passed:
            p = pm.record_answer(p, a, [], ids, ahead)
        return p

    ProgressStore(neurotutor_home / "progress.json").update(studied, (genuine, *later, *passed))
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: REPORTED)  # the shell's one clock
    monkeypatch.setenv("TZ", "UTC")
    target = tmp_path / "r.json"
    code, out, err = cli(capsys, "report", "--yes", "--times", "-o", str(target))
    assert (code, err) == (0, "")
    doc = json.loads(target.read_text())
    lesson = doc["lessons"][0]
    assert ({k: lesson[k] for k in ("status", "finished_on", "finished_at", "last_studied_on", "last_studied_at",
                                    "pass_scores", "minutes", "review_answers", "review_days")}) == {
        "status": "in_progress", "finished_on": None, "finished_at": None, "last_studied_on": "2026-12-01",
        "last_studied_at": "2026-12-01T10:00:00Z", "pass_scores": [],
        "minutes": {"reading": 0.0, "answering": 0.0, "review": 0.5}, "review_answers": 1, "review_days": 1}
    assert [(q["answers"], q["right"], q["first_right"]) for q in lesson["questions"][:3]] == [
        (1, 1, True), (0, 0, None), (0, 0, None)]
    assert (doc["review"]["minutes"], doc["review"]["days"], doc["generated_on"], doc["generated_at"]) == (
        0.5, 1, "2026-12-07", "2026-12-07T12:00:00Z")
    assert doc["summary"][-1] == (
        "51 answers are dated after this report was written (the latest on 2100-01-02): the computer's clock was "
        "probably wrong when they were saved, so they are left out of everything here (time last studied, scores, "
        "minutes, review, exams).")
    doc = caseload_json(capsys, str(target))  # and the caseload reads it as it is
    assert [(r["last_activity"], r["report_date"]) for r in doc["rows"]] == [("2026-12-01", "2026-12-07")]


# Round 3 (B): labels that look the same are one client; a question belongs to one lesson ----------

def test_an_invisible_character_or_a_space_at_either_end_of_a_one_line_field_is_refused(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["client"]["label"] = "S.K. "  # would look like "S.K."
        doc["assignment"]["therapist"] = "Dr\u2060A"  # U+2060 WORD JOINER, invisible
        doc["assignment"]["title"] = "\u00a0How therapy changes the brain"
        doc["lessons"][0]["id"] = "neuroplasticity-types\u200b"
        doc["lessons"][0]["misconceptions"][0]["label"] = "\ufeffadult-brain-fixed"
        doc["lessons"][1]["title"] = "CBT\b"  # an escape \b, once let through unwalked
        doc["lessons"][0]["questions"][0]["question"] = "A question with a joiner \u200d and a space at the end "

    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    look = "and it is shown on one line (two different values could look the same): ask for a new report"
    assert err.splitlines() == [
        f"{path}:8:14: client.label: ends with U+0020 SPACE, {look}",
        f"{path}:13:14: assignment.title: starts with U+00A0 NO-BREAK SPACE, {look}",
        f"{path}:14:18: assignment.therapist: holds U+2060 WORD JOINER, an invisible character, {look}",
        f"{path}:49:13: lessons[1].id: holds U+200B ZERO WIDTH SPACE, an invisible character, {look}",
        f"{path}:75:20: lessons[1].misconceptions[1].label: holds U+FEFF ZERO WIDTH NO-BREAK SPACE, an invisible "
        f"character, {look}",
        f"{path}:277:16: lessons[2].title: holds U+0008 backspace, a character that could drive a terminal or disguise "
        "text: ask for a new report",
        ONE_FILE.strip()]


def test_a_client_is_told_apart_by_their_key_never_by_their_label(capsys, tmp_path: Path) -> None:
    """Version 1 told clients apart by their label, so labels that only looked different (a
    full-width S, two spaces) had to be one client. Version 2 carries a client key: reports with the
    same key are one client whatever their labels say, and two keys are two clients even under one
    label (two people handed the same assignment file)."""
    def plan(client: str, name: str, key: str = CLIENT_KEY) -> Path:
        return forged(tmp_path, f"{name}.json",
                      lambda d: (d["client"].update(label=client, key=key), d["assignment"].update(id=name, title=f"Plan {name}")))

    reports = [plan("S.K.", "a"), plan("\uff33.\uff2b.", "b"), plan("S.\u00a0\u00a0K.", "c"), plan("S.  K.", "d")]
    same = build_caseload([loaded(p) for p in reports], datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert len(same.rows) == 4 and {row.client_key for row in same.rows} == {CLIENT_KEY} and render.client_count(same) == 1
    braille = [i for i in same.items if i.question_id == "np-braille-vignette"]
    assert [(i.clients, i.missed_first, i.answers) for i in braille] == [(1, 1, 1)]  # once, from the newest report
    assert ("Only young brains can change, so the adult brain stays fixed.", 2, 1) in same.misconceptions  # newest only
    others = [plan("S.K.", "e", "c-another234"), plan("S.K.", "f", "c-athird2345")]
    apart = build_caseload([loaded(reports[0]), *map(loaded, others)], datetime(2026, 12, 1, tzinfo=timezone.utc))
    assert render.client_count(apart) == 3 and [(i.clients, i.missed_first) for i in apart.items
                                                if i.question_id == "np-braille-vignette"] == [(3, 3)]
    doc = caseload_json(capsys, *map(str, [reports[0], *others]))
    assert sorted((r["client"], r["client_key"]) for r in doc["rows"]) == [
        ("S.K.", "c-another234"), ("S.K.", "c-athird2345"), ("S.K.", CLIENT_KEY)]
    assert who("\uff33.\u200b\uff2b.") == who("S.K.")  # (a therapist's name is still compared as it looks: --therapist)


def test_a_question_in_two_lessons_of_one_report_is_refused(capsys, tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        fake = json.loads(json.dumps(doc["lessons"][0]))
        fake.update(id="fake-lesson", questions=fake["questions"][7:8], misconceptions=[])
        doc["lessons"].append(fake)

    path = forged(tmp_path, "r.json", change)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    assert err == (f"{path}:474:17: lessons[3].questions[1].id: question 'np-braille-vignette' is a question of lesson "
                   "'neuroplasticity-types' too (a question belongs to one lesson; it would be counted twice): ask for "
                   "a new report\n" + ONE_FILE)


# Round 3 (C): an assignment added after its report; two reports of the same time ------------------

@pytest.mark.parametrize(("change", "times", "problem"), [
    (lambda d: d["assignment"].update(added_at="2026-12-31T00:00:00Z"), True,
     ":17:17: assignment.added_at: is later than the report itself (written 2026-11-23T12:05:57.208589Z)"),
    (lambda d: d["assignment"].update(added_on="2026-12-31"), False,
     ":15:17: assignment.added_on: is later than the report itself (written 2026-11-23)"),
], ids=["time", "date"])
def test_an_assignment_added_after_its_own_report_was_written_is_refused(capsys, tmp_path: Path, change: Any,
                                                                         times: bool, problem: str) -> None:
    path = forged(tmp_path, "r.json", change, times)
    code, out, err = cli(capsys, "caseload", str(path))
    assert (code, out) == (2, "")
    assert err == (f"{path}{problem}: the clock of the computer that wrote it was wrong; ask for a new report\n" + ONE_FILE)


def test_of_two_reports_of_the_same_time_one_is_kept_whatever_their_order(capsys, tmp_path: Path) -> None:
    def more(doc: dict[str, Any]) -> None:
        doc["lessons"][1]["questions"][0].update(answers=1, right=1, first_right=True)

    fuller = forged(tmp_path, "b-fuller.json", more)
    twin = forged(tmp_path, "a-twin.json")
    example = forged(tmp_path, "c-example.json")  # beside the others, so "first by name" is the same in any checkout
    of = f"of S.K. ({CLIENT_KEY}) for 'sk-autumn'"
    for order in ([example, fuller], [fuller, example]):
        kept = build_caseload([loaded(p) for p in order], NOW + timedelta(days=5))
        assert [r.source for r in kept.rows] == [str(fuller)]
        assert kept.set_aside == (f"{example}: left out, a report of the same time (2026-11-23T12:05:57.208589Z) {of} as "
                                  f"{fuller}, which holds more answers",)
    for order in ([example, twin], [twin, example]):
        kept = build_caseload([loaded(p) for p in order], NOW + timedelta(days=5))
        assert [r.source for r in kept.rows] == [str(twin)]
        assert kept.set_aside == (f"{example}: left out, a report of the same time (2026-11-23T12:05:57.208589Z) {of} as "
                                  f"{twin}, which holds as many answers and comes first by name",)
    code, out, err = cli(capsys, "--plain", "caseload", str(example), str(fuller))
    assert (code, err) == (0, "") and kept.set_aside[0].replace(str(twin), str(fuller)).replace(
        "as many answers and comes first by name", "more answers") in out
    day_a, day_b = forged(tmp_path, "d-day.json", times=False), forged(tmp_path, "e-day.json", more, times=False)
    kept = build_caseload([loaded(day_b), loaded(day_a)], NOW + timedelta(days=5))  # dates only: of the same day
    assert [r.source for r in kept.rows] == [str(day_b)] and kept.set_aside == (
        f"{day_a}: left out, a report of the same day (2026-11-23) {of} as {day_b}, which holds more answers",)


def test_a_report_leaves_invisible_characters_out_of_one_line_fields_and_the_caseload_reads_it(tmp_path: Path) -> None:
    values = dict(PLACEHOLDERS, title="Plan\u200b", client="S.\u2060K.", therapist="Dr\ufeffA", lesson="Les\u00adson")
    written = render.to_json(a_report(values), "9")
    doc = json.loads(written)
    assert (doc["assignment"]["title"], doc["client"]["label"], doc["assignment"]["therapist"],
            doc["lessons"][0]["title"]) == ("Plan", "S.K.", "DrA", "Lesson")
    (tmp_path / "r.json").write_bytes(written)
    assert loaded(tmp_path / "r.json").report.client.label == "S.K."


def test_joiners_and_direction_marks_a_script_needs_are_kept_and_read(tmp_path: Path) -> None:
    """Persian needs the zero-width non-joiner, emoji the joiner, right-to-left labels the marks:
    they are written and read as they are."""
    persian, hebrew = "\u0645\u06cc\u200c\u0631\u0648\u062f", "\u05e9.\u05db.\u200f"
    written = render.to_json(a_report(dict(PLACEHOLDERS, title=persian, client=hebrew)), "9")
    doc = json.loads(written)
    assert (doc["assignment"]["title"], doc["client"]["label"]) == (persian, hebrew)
    (tmp_path / "r.json").write_bytes(written)
    report = loaded(tmp_path / "r.json").report
    assert (report.assignment.title, report.client.label) == (persian, hebrew)


def test_overdue_and_the_age_of_a_report_are_worked_out_on_the_day_the_caseload_is_read(example: Path) -> None:
    """Written on 23 Nov (cbt due 8 Dec, not done; nothing overdue then): read on 9 Dec, cbt is
    overdue and the report is 16 days old, whatever the report said the day it was written."""
    report = loaded(example)
    assert [x.overdue for x in report.report.lessons] == [False, False]  # as the report said
    now = datetime(2026, 12, 9, 9, 0, tzinfo=timezone.utc)
    row = build_caseload([report], now, date(2026, 12, 9)).rows[0]
    assert (row.overdue, row.age_days, row.stale) == (("CBT: thoughts, actions and what the evidence shows",), 16, True)
    early = build_caseload([report], now, date(2026, 11, 30)).rows[0]
    assert (early.overdue, early.age_days, early.stale) == ((), 7, False)  # a week old: not yet marked
    assert build_caseload([report], now, date(2026, 11, 30), stale_days=6).rows[0].stale
    doc = json.loads(render.caseload_file(build_caseload([report], now, date(2026, 12, 9)), "json", "0.1.0", now))
    assert {k: doc["rows"][0][k] for k in ("overdue", "report_date", "report_age_days", "stale")} == {
        "overdue": ["CBT: thoughts, actions and what the evidence shows"], "report_date": "2026-11-23",
        "report_age_days": 16, "stale": True}
