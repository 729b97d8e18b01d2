"""Check-ins (issue 21): the PHQ-8 and GAD-7 exactly as published (wording, scoring, every band
edge), the reliable change index with its cited numbers, the check-ins file (header, 0600, a torn
line set aside, a newer format refused), and the two commands in process: `checkin` (severe
totals show the crisis lines at once; stopping saves nothing) and `checkins` (the chart, and the
exact --json document)."""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import msgspec
import pytest

from neurotutor.checkins import measures as ms
from neurotutor.checkins import store
from neurotutor.checkins.chart import chart_lines
from neurotutor.checkins.model import CheckIn, new_checkin
from neurotutor.checkins.summary import series
from neurotutor.errors import ProgressError

from flows import cli, seed_profile

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[1]


# -- the published wording ------------------------------------------------------------------------

def test_the_phq8_wording_is_the_published_wording() -> None:
    assert ms.PHQ8.stem == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    assert ms.PHQ8.items == (
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself \u2014 or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite \u2014 being so fidgety "
        "or restless that you have been moving around a lot more than usual",
    )
    assert not any("better off dead" in item or "hurting yourself" in item for item in ms.PHQ8.items)  # no item 9


def test_the_gad7_wording_is_the_published_wording() -> None:
    assert ms.GAD7.stem == "Over the last 2 weeks, how often have you been bothered by the following problems?"
    assert ms.GAD7.items == (
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    )


def test_the_answers_and_the_copyright_line_are_as_published() -> None:
    for m in (ms.PHQ8, ms.GAD7):
        assert m.answers == ("Not at all", "Several days", "More than half the days", "Nearly every day")
        assert m.copyright == ("Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, "
                               "with an educational grant from Pfizer Inc. No permission required to reproduce, "
                               "translate, display or distribute.")
    assert (ms.PHQ8.max_total, ms.GAD7.max_total) == (24, 21)


# -- scoring and bands ----------------------------------------------------------------------------

def test_the_total_is_the_sum_of_the_answers_scored_0_to_3() -> None:
    assert ms.total(ms.PHQ8, [0, 1, 2, 3, 0, 1, 2, 3]) == 12
    assert ms.total(ms.PHQ8, [3] * 8) == 24 and ms.total(ms.GAD7, [3] * 7) == 21
    assert ms.total(ms.GAD7, [0] * 7) == 0
    for wrong in ([0] * 7, [0] * 9, [4, 0, 0, 0, 0, 0, 0, 0], [-1, 0, 0, 0, 0, 0, 0, 0], [True] * 8):
        with pytest.raises(ValueError):
            ms.total(ms.PHQ8, wrong)


@pytest.mark.parametrize(("score", "words", "severe"), [
    (0, "none-minimal", False), (4, "none-minimal", False), (5, "mild", False), (9, "mild", False),
    (10, "moderate", False), (14, "moderate", False), (15, "moderately severe", False),
    (19, "moderately severe", False), (20, "severe", True), (24, "severe", True),
])
def test_every_phq8_band_edge(score: int, words: str, severe: bool) -> None:
    b = ms.band(ms.PHQ8, score)
    assert (b.words, b.severe) == (words, severe)


@pytest.mark.parametrize(("score", "words", "severe"), [
    (0, "minimal", False), (4, "minimal", False), (5, "mild", False), (9, "mild", False), (10, "moderate", False),
    (14, "moderate", False), (15, "severe", True), (21, "severe", True),
])
def test_every_gad7_band_edge(score: int, words: str, severe: bool) -> None:
    b = ms.band(ms.GAD7, score)
    assert (b.words, b.severe) == (words, severe)


def test_a_total_outside_the_range_has_no_band() -> None:
    for m, score in ((ms.PHQ8, 25), (ms.GAD7, 22), (ms.GAD7, -1)):
        with pytest.raises(ValueError):
            ms.band(m, score)


def test_no_risk_label_anywhere_in_the_checkins() -> None:
    """Fact sheet 14.12: no "risk" labels. Nothing a learner can be shown says it."""
    texts = [ms.PHQ8.stem, ms.GAD7.stem, *ms.PHQ8.items, *ms.GAD7.items]
    texts += [b.words for m in (ms.PHQ8, ms.GAD7) for b in m.bands]
    from neurotutor.cli.commands import checkin

    texts += [checkin.NOT_MONITORED, checkin.NOBODY_REPLIES, checkin.NOTHING_SAVED, checkin.SEVERE]
    assert not [t for t in texts if "risk" in t.lower()]


# -- reliable change ------------------------------------------------------------------------------

def test_the_reliable_change_numbers_are_the_cited_ones() -> None:
    assert (ms.PHQ8.reliable.sd, ms.PHQ8.reliable.reliability) == (3.5, 0.84)  # Kocalevent 2013; Kroenke 2001
    assert (ms.GAD7.reliable.sd, ms.GAD7.reliable.reliability) == (3.5, 0.83)  # Löwe 2008; Spitzer 2006
    # S_diff = sqrt(2) * SD * sqrt(1 - r)
    assert ms.PHQ8.reliable.s_diff == pytest.approx(1.979899, abs=1e-6)  # sqrt(2) * 3.5 * 0.4
    assert ms.GAD7.reliable.s_diff == pytest.approx(2.040833, abs=1e-6)  # sqrt(2) * 3.5 * sqrt(0.17)
    assert ms.PHQ8.reliable.points == pytest.approx(3.880602, abs=1e-6)  # 1.96 * S_diff
    assert ms.GAD7.reliable.points == pytest.approx(4.000033, abs=1e-6)
    assert (ms.PHQ8.reliable.whole_points, ms.GAD7.reliable.whole_points) == (4, 5)


@pytest.mark.parametrize(("m", "before", "after", "rci", "reliable"), [
    (ms.PHQ8, 12, 8, -2.020305, True),  # -4 / 1.979899
    (ms.PHQ8, 12, 9, -1.515229, False),
    (ms.PHQ8, 8, 12, 2.020305, True),
    (ms.PHQ8, 5, 5, 0.0, False),
    (ms.GAD7, 10, 6, -1.959984, False),  # 4 points: just inside what measurement error allows
    (ms.GAD7, 10, 5, -2.449980, True),
    (ms.GAD7, 3, 8, 2.449980, True),
])
def test_the_reliable_change_index(m: ms.Measure, before: int, after: int, rci: float, reliable: bool) -> None:
    assert ms.rci(m, before, after) == pytest.approx(rci, abs=1e-6)
    c = ms.change(m, before, after)
    assert (c.points, c.reliable) == (after - before, reliable)


def test_a_change_in_words() -> None:
    assert ms.change_words(ms.change(ms.PHQ8, 12, 8), "2 Nov 2026") == (
        "Down 4 points (fewer symptoms reported) since 2 Nov 2026: more than measurement error allows, a reliable "
        "change.")
    assert ms.change_words(ms.change(ms.PHQ8, 12, 11), "2 Nov 2026") == (
        "Down 1 point (fewer symptoms reported) since 2 Nov 2026: a change within what measurement error allows.")
    assert ms.change_words(ms.change(ms.GAD7, 6, 10), "9 Nov 2026") == (
        "Up 4 points (more symptoms reported) since 9 Nov 2026: a change within what measurement error allows.")
    assert ms.change_words(ms.change(ms.GAD7, 6, 6), "9 Nov 2026") == "The same total as on 9 Nov 2026."


# -- the model ------------------------------------------------------------------------------------

def _line(**changes: object) -> bytes:
    good: dict[str, object] = {"id": "0123456789abcdef", "measure": "phq8", "answers": [0, 1, 2, 3, 0, 1, 2, 3],
                               "at": "2026-11-02T09:00:00Z", "utc_offset": 60}
    good.update(changes)
    return json.dumps({k: v for k, v in good.items() if v is not None}).encode()


def test_a_checkin_line_is_strict() -> None:
    c = msgspec.json.decode(_line(), type=CheckIn)
    assert (c.total, c.local_date.isoformat()) == (12, "2026-11-02")
    for wrong in (_line(answers=[0] * 7), _line(answers=[4, 0, 0, 0, 0, 0, 0, 0]), _line(answers=[True] * 8),
                  _line(measure="phq9"), _line(at="2026-11-02T09:00:00"), _line(id="X"), _line(extra=1),
                  _line(utc_offset="60"), _line(measure="gad7")):
        with pytest.raises(msgspec.ValidationError):
            msgspec.json.decode(wrong, type=CheckIn)


def test_a_new_checkin_is_checked_as_strictly() -> None:
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    c = new_checkin("gad7", (1, 1, 1, 1, 1, 1, 1), at, -300, random.Random(7))
    assert (c.measure, c.total, c.at, c.utc_offset, len(c.id)) == ("gad7", 7, at, -300, 16)
    with pytest.raises(msgspec.ValidationError):
        new_checkin("gad7", (1, 1, 1), at, None, random.Random(7))
    with pytest.raises(msgspec.ValidationError):
        new_checkin("phq8", (1,) * 8, datetime(2026, 11, 2), None, random.Random(7))  # a time with no zone


# -- the file -------------------------------------------------------------------------------------

def _files(home: Path) -> tuple[Path, Path]:
    return home / "checkins.jsonl", home / "progress.json.lock"


def _add(home: Path, measure: str, answers: tuple[int, ...], day: int, month: int = 11, seed: int = 1) -> CheckIn:
    path, lock = _files(home)
    at = datetime(2026, month, day, 9, 30, tzinfo=UTC)
    checkin = new_checkin(measure, answers, at, 60, random.Random(seed))
    store.add(path, lock, checkin, at)
    return checkin


def test_the_file_opens_with_a_header_and_is_private(neurotutor_home: Path) -> None:
    first = _add(neurotutor_home, "phq8", (1, 1, 1, 1, 1, 1, 1, 1), 2)
    second = _add(neurotutor_home, "gad7", (0, 0, 1, 1, 2, 2, 3), 3, seed=2)
    path, _ = _files(neurotutor_home)
    assert path.read_bytes().splitlines() == [
        b'{"format":"neurotutor-checkins","version":1}',
        b'{"id":"%s","measure":"phq8","answers":[1,1,1,1,1,1,1,1],"at":"2026-11-02T09:30:00Z","utc_offset":60}'
        % first.id.encode(),
        b'{"id":"%s","measure":"gad7","answers":[0,0,1,1,2,2,3],"at":"2026-11-03T09:30:00Z","utc_offset":60}'
        % second.id.encode(),
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(neurotutor_home.stat().st_mode) == 0o700
    assert store.read(path).checkins == [first, second] and store.read(path).problems == []


def test_a_torn_last_line_is_skipped_by_readers_and_set_aside_by_the_next_save(neurotutor_home: Path) -> None:
    first = _add(neurotutor_home, "phq8", (1,) * 8, 2)
    path, _ = _files(neurotutor_home)
    with open(path, "ab") as fh:
        fh.write(b'{"id":"aaaaaaaaaaaaaaaa","measure":"ph')  # a save cut off by a crash
    torn = path.read_bytes()
    found = store.read(path)
    assert found.checkins == [first]
    assert found.problems == [f"{path}, line 3: skipped, the line is incomplete (a save was cut off)"]
    assert path.read_bytes() == torn  # reading writes nothing
    later = new_checkin("phq8", (2,) * 8, datetime(2026, 11, 9, 9, 30, tzinfo=UTC), 60, random.Random(3))
    notices = store.add(path, neurotutor_home / "progress.json.lock", later, datetime(2026, 11, 9, 9, 30, tzinfo=UTC))
    aside = path.with_name("checkins.jsonl.torn-20261109T093000Z")
    assert notices == [f"The last line of your check-ins was cut off by an earlier crash. It was moved to {aside} "
                       "(38 bytes); every earlier check-in is kept."]
    assert aside.read_bytes() == b'{"id":"aaaaaaaaaaaaaaaa","measure":"ph'
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert store.read(path).checkins == [first, later] and store.read(path).problems == []


def test_a_line_that_cannot_be_read_is_named_and_skipped(neurotutor_home: Path) -> None:
    first = _add(neurotutor_home, "phq8", (1,) * 8, 2)
    path, _ = _files(neurotutor_home)
    with open(path, "ab") as fh:
        fh.write(_line(answers=[9] * 8) + b"\n")
    second = _add(neurotutor_home, "phq8", (0,) * 8, 9, seed=4)
    found = store.read(path)
    assert found.checkins == [first, second]
    assert len(found.problems) == 1 and found.problems[0].startswith(f"{path}, line 3: skipped, not a valid check-in (")


def test_a_file_from_a_newer_neurotutor_is_neither_read_nor_written(neurotutor_home: Path) -> None:
    path, lock = _files(neurotutor_home)
    neurotutor_home.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"format":"neurotutor-checkins","version":2,"more":true}\n{"anything":1}\n')
    before = path.read_bytes()
    message = (f"Your check-ins file {path} was written by a newer version of neurotutor (format version 2; this one "
               "knows version 1). Update neurotutor to use it. Nothing was changed.")
    with pytest.raises(ProgressError) as read_error:
        store.read(path)
    assert read_error.value.message == message
    at = datetime(2026, 11, 2, tzinfo=UTC)
    with pytest.raises(ProgressError) as write_error:
        store.add(path, lock, new_checkin("phq8", (0,) * 8, at, 0, random.Random(1)), at)
    assert write_error.value.message == message
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_checkins_file_is_not_appended_to(neurotutor_home: Path) -> None:
    path, lock = _files(neurotutor_home)
    neurotutor_home.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'{"format":"neurotutor-journal","version":1}\n')
    at = datetime(2026, 11, 2, tzinfo=UTC)
    with pytest.raises(ProgressError, match="is not a neurotutor check-ins file"):
        store.add(path, lock, new_checkin("phq8", (0,) * 8, at, 0, random.Random(1)), at)
    assert path.read_bytes() == b'{"format":"neurotutor-journal","version":1}\n'


# -- the chart ------------------------------------------------------------------------------------

def _history(home: Path) -> None:
    """Five PHQ-8 check-ins and two GAD-7 ones, a week apart."""
    for day, answers in ((2, (2, 2, 2, 2, 1, 1, 1, 1)), (9, (2, 2, 1, 1, 1, 1, 1, 1)), (16, (1, 1, 1, 1, 1, 1, 0, 0)),
                         (23, (1, 1, 1, 1, 1, 1, 1, 0)), (30, (1, 0, 0, 1, 1, 0, 0, 0))):
        _add(home, "phq8", answers, day, seed=day)
    _add(home, "gad7", (2, 2, 2, 1, 1, 1, 1), 2, seed=100)
    _add(home, "gad7", (1, 1, 1, 1, 0, 0, 0), 30, seed=101)


CHART_80 = [
    "PHQ-8 (depression symptoms): totals 0 to 24; lower means fewer symptoms.",
    "Bands: 0-4 none-minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe,",
    "20-24 severe.",
    "  2026-11-02  12   moderate           ############",
    "  2026-11-09  10   moderate           ##########",
    "  2026-11-16   6*  mild               ######",
    "  2026-11-23   7   mild               #######",
    "  2026-11-30   3*  none-minimal       ###",
    "Latest: 3 on 30 Nov 2026 (none-minimal). Down 4 points (fewer symptoms",
    "reported) since 23 Nov 2026: more than measurement error allows, a reliable",
    "change.",
    "Overall, down 9 points (fewer symptoms reported) since 2 Nov 2026 (the first:",
    "12): more than measurement error allows, a reliable change.",
    "* more than measurement error allows since the check-in before: a change of 4",
    "points or more on the PHQ-8.",
]


def test_the_chart_in_plain_text(neurotutor_home: Path) -> None:
    _history(neurotutor_home)
    phq, gad = series(store.read(_files(neurotutor_home)[0]).checkins)
    assert chart_lines(phq, 80, ascii=True) == CHART_80
    assert chart_lines(gad, 80, ascii=True) == [
        "GAD-7 (anxiety symptoms): totals 0 to 21; lower means fewer symptoms.",
        "Bands: 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.",
        "  2026-11-02  10   moderate  ##########",
        "  2026-11-30   4*  minimal   ####",
        "Latest: 4 on 30 Nov 2026 (minimal). Down 6 points (fewer symptoms reported)",
        "since 2 Nov 2026: more than measurement error allows, a reliable change.",
        "* more than measurement error allows since the check-in before: a change of 5",
        "points or more on the GAD-7.",
    ]


def test_the_chart_fits_50_columns_with_a_cell_a_point(neurotutor_home: Path) -> None:
    _history(neurotutor_home)
    phq, gad = series(store.read(_files(neurotutor_home)[0]).checkins)
    lines = chart_lines(phq, 50)
    assert max(len(line) for line in lines) <= 49
    assert [line for line in lines if line.startswith("  2026")] == [  # the legend above says the bands
        "  2026-11-02  12   " + "\u2588" * 12 + "\u00b7" * 12,
        "  2026-11-09  10   " + "\u2588" * 10 + "\u00b7" * 14,
        "  2026-11-16   6*  " + "\u2588" * 6 + "\u00b7" * 18,
        "  2026-11-23   7   " + "\u2588" * 7 + "\u00b7" * 17,
        "  2026-11-30   3*  " + "\u2588" * 3 + "\u00b7" * 21,
    ]
    assert lines[2:4] == ["Bands: 0-4 none-minimal, 5-9 mild, 10-14", "moderate, 15-19 moderately severe, 20-24 severe."]
    gad_lines = chart_lines(gad, 50)
    assert max(len(line) for line in gad_lines) <= 49
    assert "  2026-11-02  10   " + "\u2588" * 10 + "\u00b7" * 11 in gad_lines
    assert all(len(line) <= 39 for line in chart_lines(phq, 40))


# -- the commands, in process ---------------------------------------------------------------------

def _answers(*keys: int) -> str:
    """Menu numbers (1-4) for answers scored 0-3."""
    return "".join(f"{k + 1}\n" for k in keys)


def test_a_phq8_check_in_says_plainly_that_nobody_monitors_it_then_shows_the_total(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    code, out, err = cli(capsys, "checkin", "phq8", stdin=_answers(1, 0, 2, 1, 0, 1, 0, 1))
    assert (code, err) == (0, "")
    first_item = out.index("1 of 8. Little interest or pleasure in doing things")
    assert out.index("Nobody sees these answers unless you choose to share them; this is not a diagnosis.") < first_item
    assert out.index("press ! at any question to see crisis lines") < first_item
    assert out.index("Over the last 2 weeks, how often have you been bothered by any of the following problems?") < first_item
    result = out[out.index("Your result."):]
    assert result.splitlines()[:4] == [
        "Your result.",
        "Your PHQ-8 total: 6 out of 24. Band: mild (totals of 5 to 9).",
        "This is your first PHQ-8 check-in here: the next one will show how it changed.",
        "A total is a screening score, not a diagnosis; a doctor or therapist can tell you what it means for you.",
    ]
    assert "Urgent help" not in out and "116 123" not in out
    assert result.rstrip().endswith(ms.COPYRIGHT)
    [saved] = store.read(neurotutor_home / "checkins.jsonl").checkins
    assert (saved.measure, saved.answers) == ("phq8", (1, 0, 2, 1, 0, 1, 0, 1))


def test_a_severe_total_shows_the_crisis_lines_at_once(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    code, out, err = cli(capsys, "checkin", "gad7", stdin=_answers(3, 3, 2, 2, 2, 2, 1))
    assert (code, err) == (0, "")
    result = out[out.index("Your result."):]
    lines = result.splitlines()
    assert lines[1] == "Your GAD-7 total: 15 out of 21. Band: severe (totals of 15 to 21)."
    crisis = result.index("116 123: UK and Ireland, Samaritans")
    assert result.index("This total is in the top band.") < result.index("Urgent help") < crisis
    assert "988 (call or text): US, Suicide & Crisis Lifeline" in result
    assert crisis < result.index("This is your first GAD-7 check-in here")  # before anything else is said


def test_the_change_since_the_last_check_in_is_marked_reliable_only_past_the_index(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    _add(neurotutor_home, "phq8", (2, 2, 2, 2, 1, 1, 1, 1), 2)  # 12
    code, out, _ = cli(capsys, "checkin", "phq8", stdin=_answers(1, 1, 1, 1, 1, 1, 1, 1))  # 8
    assert code == 0
    assert ("Down 4 points (fewer symptoms reported) since 2 Nov 2026 (your last PHQ-8: 12): more than "
            "measurement error allows, a reliable change.") in out
    code, out, _ = cli(capsys, "checkin", "phq8", stdin=_answers(1, 1, 1, 1, 1, 1, 1, 0))  # 7
    assert "Down 1 point (fewer symptoms reported) since " in out
    assert " (your last PHQ-8: 8): a change within what measurement error allows." in out
    code, out, _ = cli(capsys, "checkin", "phq8", stdin=_answers(1, 1, 1, 1, 1, 1, 1, 0))  # 7 again
    assert " (your last PHQ-8: 7)." in out and "The same total as on " in out


def test_no_argument_offers_a_menu(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    code, out, _ = cli(capsys, "checkin", stdin="2\n" + _answers(0, 0, 0, 0, 0, 0, 0))
    assert code == 0
    assert out.startswith("Which check-in?\n  1. PHQ-8: depression symptoms (8 questions)\n"
                          "  2. GAD-7: anxiety symptoms (7 questions)\n")
    assert "Your GAD-7 total: 0 out of 21. Band: minimal (totals of 0 to 4)." in out


@pytest.mark.parametrize(("stdin", "code", "said"), [
    (_answers(1, 2) + "q\n", 0, "Stopped. Nothing was saved: a check-in is kept only when every question is answered."),
    (_answers(1, 2), 4, "Input ended. Nothing was saved: a check-in is kept only when every question is answered."),
])
def test_stopping_part_way_saves_nothing(capsys, neurotutor_home, stdin: str, code: int, said: str) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    got, out, err = cli(capsys, "checkin", "phq8", stdin=stdin)
    assert got == code
    assert said in out + err
    assert not (neurotutor_home / "checkins.jsonl").exists()


def test_ctrl_c_saves_nothing(capsys, neurotutor_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    from neurotutor.cli import prompters

    calls = iter([1, 2, KeyboardInterrupt()])

    def choose(self, message, options, disabled=None, default=None):  # type: ignore[no-untyped-def]
        reply = next(calls)
        if isinstance(reply, BaseException):
            raise reply
        return reply

    monkeypatch.setattr(prompters.PlainPrompter, "choose", choose)
    code, out, err = cli(capsys, "checkin", "phq8")
    assert code == 130
    assert err == "\nStopped. Nothing was saved: a check-in is kept only when every question is answered.\n"
    assert not (neurotutor_home / "checkins.jsonl").exists()


def test_a_file_that_cannot_be_used_is_said_before_any_question(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    (neurotutor_home / "checkins.jsonl").write_bytes(b'{"format":"neurotutor-checkins","version":7}\n')
    code, out, err = cli(capsys, "checkin", "phq8", stdin=_answers(*[1] * 8))
    assert (code, out) == (3, "")
    assert err.startswith(f"Your check-ins file {neurotutor_home / 'checkins.jsonl'} was written by a newer version")


def test_a_save_that_fails_still_shows_the_result_then_says_why(capsys, neurotutor_home, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)

    def full(*args: object) -> list[str]:
        raise ProgressError("Cannot save your check-in in X: No space left on device. It was not saved.")

    monkeypatch.setattr(store, "add", full)
    code, out, err = cli(capsys, "checkin", "gad7", stdin=_answers(3, 3, 3, 3, 3, 3, 3))
    assert code == 3
    assert "Your GAD-7 total: 21 out of 21. Band: severe (totals of 15 to 21)." in out
    assert "116 123: UK and Ireland, Samaritans" in out and "Saved on" not in out
    assert err == "Cannot save your check-in in X: No space left on device. It was not saved.\n"


def test_an_unknown_measure_is_a_usage_error(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(capsys, "checkin", "phq9")
    assert (code, out) == (2, "")
    assert err == ("Which check-in? Give phq8 (the PHQ-8, depression symptoms) or gad7 (the GAD-7, anxiety symptoms), "
                   "not 'phq9'.\n")


def test_checkins_with_none_says_how_to_do_one(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli(capsys, "checkins")
    assert (code, out, err) == (0, "No check-ins yet. To do one, run:\n  neurotutor checkin\n", "")


def test_checkins_draws_the_chart(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    _history(neurotutor_home)
    code, out, err = cli(capsys, "checkins")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:len(CHART_80)] == CHART_80
    assert lines[len(CHART_80)] == "" and lines[len(CHART_80) + 1].startswith("GAD-7 (anxiety symptoms)")
    tail = " ".join(lines[lines.index("", len(CHART_80) + 1) + 1:])
    assert tail == (f"Kept in {neurotutor_home / 'checkins.jsonl'}, readable only by you. Not a diagnosis: a "
                    "screening score over time.")


def test_checkins_json_is_the_exact_document(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    a = _add(neurotutor_home, "phq8", (2, 2, 2, 2, 1, 1, 1, 1), 2)
    b = _add(neurotutor_home, "phq8", (1, 1, 1, 1, 1, 1, 1, 1), 9, seed=2)
    g = _add(neurotutor_home, "gad7", (0, 0, 1, 1, 2, 2, 3), 3, seed=3)
    code, out, err = cli(capsys, "checkins", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc)[:4] == ["format", "version", "tutor_version", "generated_at"]
    del doc["generated_at"], doc["tutor_version"]
    phq_source = ("SD 3.5: the PHQ-9 in 5,018 adults of the German general population (Kocalevent, Hinz & Brähler "
                  "2013); reliability 0.84: the PHQ-9 given twice within 48 hours (Kroenke, Spitzer & Williams 2001)")
    gad_source = ("SD 3.5: 5,030 adults of the German general population, the larger of the SDs reported for women "
                  "(3.5) and men (3.2) (Löwe et al. 2008); reliability 0.83: test-retest intraclass correlation "
                  "(Spitzer, Kroenke, Williams & Löwe 2006)")
    assert doc == {
        "format": "neurotutor-checkins", "version": 1,
        "measures": [
            {"measure": "phq8", "name": "PHQ-8", "about": "depression symptoms", "max_total": 24,
             "bands": ["0-4 none-minimal", "5-9 mild", "10-14 moderate", "15-19 moderately severe", "20-24 severe"],
             "reliable_change": {"sd": 3.5, "reliability": 0.84, "points": 3.88, "whole_points": 4,
                                 "source": phq_source},
             "checkins": [
                 {"id": a.id, "at": "2026-11-02T09:30:00Z", "date": "2026-11-02", "answers": [2, 2, 2, 2, 1, 1, 1, 1],
                  "total": 12, "band": "moderate", "severe": False, "change": None},
                 {"id": b.id, "at": "2026-11-09T09:30:00Z", "date": "2026-11-09", "answers": [1] * 8,
                  "total": 8, "band": "mild", "severe": False,
                  "change": {"since": "2026-11-02", "points": -4, "rci": -2.02, "reliable": True}},
             ],
             "since_first": {"since": "2026-11-02", "points": -4, "rci": -2.02, "reliable": True}},
            {"measure": "gad7", "name": "GAD-7", "about": "anxiety symptoms", "max_total": 21,
             "bands": ["0-4 minimal", "5-9 mild", "10-14 moderate", "15-21 severe"],
             "reliable_change": {"sd": 3.5, "reliability": 0.83, "points": 4.0, "whole_points": 5,
                                 "source": gad_source},
             "checkins": [
                 {"id": g.id, "at": "2026-11-03T09:30:00Z", "date": "2026-11-03", "answers": [0, 0, 1, 1, 2, 2, 3],
                  "total": 9, "band": "mild", "severe": False, "change": None},
             ],
             "since_first": None},
        ],
    }


def test_checkins_json_is_valid_against_its_schema(capsys, neurotutor_home) -> None:  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    _history(neurotutor_home)
    code, out, _ = cli(capsys, "checkins", "--json")
    code, schema, _ = cli(capsys, "schema", "checkins-json")
    assert code == 0
    jsonschema.Draft202012Validator(json.loads(schema)).validate(json.loads(out))


def test_the_checkins_core_loads_no_terminal_library() -> None:
    code = ("import sys; import neurotutor.checkins.measures, neurotutor.checkins.model, neurotutor.checkins.summary, "
            "neurotutor.checkins.chart, neurotutor.checkins.store, neurotutor.practice.breathe; "
            "print(sorted(m for m in ('typer', 'rich', 'questionary', 'prompt_toolkit', 'click') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.stdout.strip() == "[]"


def test_a_full_disk_takes_the_check_in_back_and_says_what_to_do(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    from neurotutor import files

    path = tmp_path / "checkins.jsonl"
    first = new_checkin("phq8", (1,) * 8, datetime(2026, 12, 7, 9, tzinfo=timezone.utc), 0, random.Random(1))
    store.add(path, tmp_path / "lock", first, first.at)
    before = path.read_bytes()

    def full(target: Path, data: bytes) -> None:
        with open(target, "ab") as fh:  # part of it written, then the disk is full
            fh.write(data[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "append_durably", full)
    second = new_checkin("gad7", (2,) * 7, datetime(2026, 12, 14, 9, tzinfo=timezone.utc), 0, random.Random(2))
    with pytest.raises(ProgressError) as err:
        store.add(path, tmp_path / "lock", second, second.at)
    assert err.value.message == (
        f"Could not save your check-in in {path}: the disk is full (No space left on device). It was not saved; your "
        "earlier check-ins are unchanged. Free some space on that disk (empty the trash, or move large files "
        "elsewhere), then run the command again; every answer saved so far is kept.")
    assert path.read_bytes() == before  # the part written was taken back: no torn line


def test_the_short_crisis_lines_name_every_number_of_the_full_text() -> None:
    import re

    from neurotutor import safety

    numbers = set(re.findall(r"\b(?:\d[\d -]*\d|\d{3})\b|findahelpline\.com", safety.FULL_TEXT.split("neurotutor teaches")[0]))
    assert numbers and all(n in safety.COMPACT for n in numbers), numbers
