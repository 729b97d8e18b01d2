"""A check-in in a real pseudo-terminal (issue 21): a PHQ-8 answered with the arrow-key menus at
80x24 ends with the total and its band in sight; a severe GAD-7 total shows the crisis lines at
once, the total and why on the same first page; Ctrl-C part-way at 50 columns saves nothing; and
--plain reads numbered answers a screen reader can follow."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("pexpect")
pytest.importorskip("pyte")

from flows import seed_profile  # noqa: E402
from terminal import CTRL_C, ENTER  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def _joined(screen: str) -> str:
    return " ".join(screen.split())


def _answer(t, count: int, keys: list[str], first: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Answer each item's menu from `first` on with its number key (1-4), once the menu waits for keys."""
    for number, key in enumerate(keys, first):
        t.prompt(rf"{number} of {count}\. ", key, ENTER)


def test_a_phq8_at_80x24_ends_with_the_total_and_band_in_sight(neurotutor_home: Path, terminals) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "checkin", "phq8", columns=80, rows=24)
    screen = _joined(t.settle(r"1 of 8\. Little interest"))
    assert "Nobody sees these answers unless you choose to share them; this is not a diagnosis." in screen
    assert "press ! at any question to see crisis lines" in screen
    assert "Over the last 2 weeks, how often have you been bothered by any of the following problems?" in screen
    assert "» 1) Not at all" in screen and "4) Nearly every day" in screen
    t.keys("3", ENTER)
    _answer(t, 8, ["2", "3", "2", "1", "2", "4", "3"], first=2)  # 2+1+2+1+0+1+3+2 = 12
    t.expect(r"distribute\.")
    assert t.finish() == 0
    shown = t.display()
    assert "Your PHQ-8 total: 12 out of 24. Band: moderate (totals of 10 to 14)." in shown
    assert "Urgent help" not in t.shown()
    assert (neurotutor_home / "checkins.jsonl").stat().st_mode & 0o777 == 0o600


def test_a_severe_total_shows_the_crisis_lines_at_once(neurotutor_home: Path, terminals) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "checkin", "gad7", columns=80, rows=24)
    _answer(t, 7, ["4", "4", "4", "3", "3", "2", "2"])  # 3+3+3+2+2+1+1 = 15
    screen = t.settle(r"Enter: more")
    assert screen.splitlines()[0] == "Your GAD-7 total: 15 out of 21. Band: severe (totals of 15 to 21)."
    joined = _joined(screen)
    assert "This total is in the top band. It is not a diagnosis" in joined
    for number in ("112: the European Union", "999: UK", "911: US and Canada", "988 (call or text)",
                   "116 123: UK and Ireland, Samaritans"):
        assert number in joined
    t.keys("q")
    t.expect(r"distribute\.")
    assert t.finish() == 0
    assert "Your GAD-7 total: 15 out of 21. Band: severe (totals of 15 to 21)." in t.display()  # said again after


def test_a_severe_total_at_50_columns_keeps_the_crisis_lines_in_sight_after_q(neurotutor_home: Path,  # type: ignore[no-untyped-def]
                                                                             terminals) -> None:
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "checkin", "gad7", columns=50, rows=24)
    _answer(t, 7, ["4", "4", "4", "4", "3", "3", "3"])  # 18: severe
    t.settle(r"Enter: more")
    t.keys("q")  # the pages left at the first: the crisis lines are still in sight below the result
    t.expect(r"distribute\.")
    assert t.finish() == 0
    joined = _joined("\n".join(t.display()))
    assert "Your GAD-7 total: 18 out of 21. Band: severe" in joined
    for number in ("988 (US, call or text)", "116 123 (UK and Ireland, Samaritans)", "13 11 14 (Australia", "112 (EU)"):
        assert number in joined, joined
    assert all(len(line) <= 50 for line in t.display())


def test_ctrl_c_part_way_at_50_columns_saves_nothing(neurotutor_home: Path, terminals) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "checkin", columns=50, rows=24)
    t.prompt(r"Which check-in\?", "2", ENTER)
    _answer(t, 7, ["2", "3"])
    t.prompt(r"3 of 7\. ", CTRL_C)
    t.expect(r"Nothing was saved")
    assert t.finish() == 130
    assert "Stopped. Nothing was saved: a check-in is kept only when every question is answered." in _joined(t.shown())
    assert not (neurotutor_home / "checkins.jsonl").exists()


def test_plain_numbered_answers_at_50_columns(neurotutor_home: Path, terminals) -> None:  # type: ignore[no-untyped-def]
    seed_profile(neurotutor_home, notice_seen=True)
    t = terminals(neurotutor_home, "--plain", "checkin", "gad7", columns=50, rows=24)
    for number in range(1, 8):
        t.expect(rf"{number} of 7\. ")
        t.expect(r"Choose 1-4: ")
        t.keys("2" + ENTER)
    t.expect(r"distribute\.")
    assert t.finish() == 0
    assert "Your GAD-7 total: 7 out of 21. Band: mild (totals of 5 to 9)." in _joined(t.shown())
    assert "\x1b[?1049h" not in t.output  # nothing drawn: lines only
