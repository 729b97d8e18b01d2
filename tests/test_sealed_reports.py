"""Reports sealed to the therapist's key with age (issue 20): `neurotutor report` seals a report when
the assignment carries `therapist: key:`; `neurotutor caseload` opens it with the key `neurotutor
therapist init` made, refuses it clearly under another therapist's key or none, and Debian's `age`
opens it too, giving the very JSON the caseload reads. Reports of another therapist's assignments
are named and left out unless asked for (--others), and --therapist NAME does the same by name."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from neurotutor.reports.caseload import load_report
from neurotutor.reports.render import digest_of

from flows import seed_profile

DATA = Path(__file__).parent / "data"
ASSIGNMENT = DATA / "assignments" / "good.yaml"
AGE = "/usr/bin/age"  # Debian's age (the package 'age'): sealed reports must open with the standard tool too
SEALED = "report-sam-autumn.json.age"
NOT_SUMMED = "1 of 1 report file could not be read; nothing was summed up.\n"


class Therapist:
    """A therapist with a data folder of their own (NEUROTUTOR_HOME) and the key `therapist init` made there."""

    def __init__(self, run_cli, home: Path) -> None:
        self.run_cli, self.home = run_cli, home
        made = run_cli("therapist", "init", env=self.env)
        assert made.returncode == 0, made.stderr
        self.key = made.stdout.split("Your public key: ")[1].split()[0]
        assert re.fullmatch(r"age1[02-9ac-hj-np-z]{58}", self.key)
        assert run_cli("therapist", "key", env=self.env).stdout == self.key + "\n"

    @property
    def env(self) -> dict[str, str]:
        return {"NEUROTUTOR_HOME": str(self.home)}

    @property
    def key_file(self) -> Path:
        return self.home / "therapist" / "key.txt"

    def caseload(self, *args: str) -> Any:
        return self.run_cli("caseload", *args, env=self.env)

    def rows(self, *args: str) -> list[dict[str, Any]]:
        """The rows of `caseload --format json ARGS` (it must succeed)."""
        done = self.caseload("--format", "json", *args)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return json.loads(done.stdout)["rows"]  # type: ignore[no-any-return]


def _assignment(folder: Path, key: str | None, therapist: str = "Dr A. Example") -> Path:
    """good.yaml, set by `therapist`, carrying `key` (None: no key), with its lesson file beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    text = ASSIGNMENT.read_text().replace("  name: Dr A. Example\n", f"  name: {therapist}\n"
                                          + (f"  key: {key}\n" if key else ""))
    (folder / "a.yaml").write_text(text)
    (folder / "my-own-lesson.yaml").write_text((DATA / "assignments" / "my-own-lesson.yaml").read_text())
    return folder / "a.yaml"


def _client(run_cli, home: Path, assignment: Path, profile: str = "default") -> None:
    """A client who added the assignment and took the quiz of its bundled lesson."""
    if profile == "default":
        seed_profile(home, notice_seen=True)
    who = ("--profile", profile)
    assert run_cli(*who, "assignment", "add", str(assignment)).returncode == 0
    run_cli(*who, "--plain", "quiz", "my-own-lesson", input=("" if profile == "default" else "\n")
            + "1\n\n2,3\n\nt\n\n3 2 1\n\n1b 2c 3a\n\nHebb\n\n2\n")


def _age(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    assert os.access(AGE, os.X_OK), "Debian's age is needed (.ci/run installs the package 'age')"
    return subprocess.run([AGE, *args], input=input, capture_output=True, timeout=60)


def test_a_sealed_report_opens_only_with_its_therapists_key_and_with_age_too(run_cli, neurotutor_home: Path,
                                                                            tmp_path: Path) -> None:
    therapist = Therapist(run_cli, tmp_path / "therapist-home")
    assert oct(therapist.key_file.stat().st_mode & 0o777) == "0o600"
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "from-therapist", therapist.key))
    made = run_cli("report", "--yes", cwd=tmp_path)  # json and sealed, by default, when the assignment has a key
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Wrote {SEALED} (readable only by you), sealed: only Dr A. Example, who holds the key "
                                  "the assignment names, can open it. Send it as it is.\nIt contains: ")
    sealed = tmp_path / SEALED
    raw = sealed.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1\n") and b"S.K." not in raw and b"neurotutor-report" not in raw
    assert oct(sealed.stat().st_mode & 0o777) == "0o600"

    rows = therapist.rows(str(sealed))  # the caseload opens it with the therapist's key
    assert [(r["client"], r["assignment_id"], r["source"], r["sealed"]) for r in rows] == [
        ("S.K.", "sam-autumn", str(sealed), True)]

    opened = _age("-d", "-i", str(therapist.key_file), str(sealed))  # and so does Debian's age
    assert (opened.returncode, opened.stderr) == (0, b"")
    doc = json.loads(opened.stdout)
    assert (doc["format"], doc["version"], doc["assignment"]["therapist_key"]) == ("neurotutor-report", 2, therapist.key)
    assert digest_of(doc) == doc["digest"]  # the JSON inside is intact
    plain = tmp_path / "opened.json"
    plain.write_bytes(opened.stdout)
    from neurotutor import seal

    identity, public = seal.read_key_file(therapist.key_file)
    assert public == therapist.key
    read_sealed, problems, was_sealed = load_report(sealed, identity)
    read_plain, plain_problems, plain_sealed = load_report(plain)
    assert (problems, was_sealed, plain_problems, plain_sealed) == ([], True, [], False)
    assert read_sealed == read_plain  # exactly what the caseload reads

    other = Therapist(run_cli, tmp_path / "another-therapist")  # a second therapist, with a key of their own
    refused = other.caseload(str(sealed))
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (f"{sealed}: was sealed to another therapist's key, not yours, so it cannot be opened here. "
                              "Ask the client which assignment they reported on.\n" + NOT_SUMMED)
    assert _age("-d", "-i", str(other.key_file), str(sealed)).returncode != 0  # age agrees
    keyless = run_cli("caseload", str(sealed))  # the client's own data folder: no key at all
    assert (keyless.returncode, keyless.stdout) == (2, "")
    assert keyless.stderr == (f"{sealed}: is a sealed report, and you have no key on this computer to open it (make one "
                              "with 'neurotutor therapist init' before writing assignments, or use the computer that "
                              "holds your key)\n" + NOT_SUMMED)


def test_a_report_is_sealed_in_the_format_asked_for_or_not_at_all(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    therapist = Therapist(run_cli, tmp_path / "therapist-home")
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "from-therapist", therapist.key))
    md = run_cli("report", "--yes", "-o", str(tmp_path / "r.md.age"))  # the format from the name before .age
    assert md.returncode == 0, md.stderr
    opened = _age("-d", "-i", str(therapist.key_file), str(tmp_path / "r.md.age"))
    assert opened.returncode == 0 and opened.stdout.startswith(b"# Understanding how therapy works\n")
    unsealed = run_cli("report", "--yes", "--no-seal", "--format", "json", cwd=tmp_path)
    assert unsealed.returncode == 0, unsealed.stderr
    said = unsealed.stdout.splitlines()[0]
    assert said.startswith("Wrote report-sam-autumn.json (readable only by you). It is not sealed")
    assert "anyone who gets the file can read it" in said
    assert "carries no key" not in said  # it does carry one: the client chose --no-seal
    doc = json.loads((tmp_path / "report-sam-autumn.json").read_text())
    assert doc["assignment"]["therapist_key"] == therapist.key  # still the therapist's assignment
    assert [(r["source"], r["sealed"]) for r in therapist.rows(str(tmp_path / "report-sam-autumn.json"))] == [
        (str(tmp_path / "report-sam-autumn.json"), False)]


def test_a_report_sealed_by_age_itself_armored_or_not_is_read_and_a_damaged_one_is_refused(
        run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    therapist = Therapist(run_cli, tmp_path / "therapist-home")
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "from-therapist", therapist.key))
    assert run_cli("report", "--yes", "--no-seal", "-o", str(tmp_path / "plain.json")).returncode == 0
    for name, armor in (("binary.json.age", ()), ("armored.json.age", ("-a",))):
        made = _age("-r", therapist.key, *armor, "-o", str(tmp_path / name), str(tmp_path / "plain.json"))
        assert made.returncode == 0, made.stderr
    assert (tmp_path / "armored.json.age").read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    rows = therapist.rows(str(tmp_path / "binary.json.age"), str(tmp_path / "armored.json.age"))
    assert len(rows) == 1 and rows[0]["sealed"] is True  # one report, sent twice (the first by name is kept)
    cut = tmp_path / "cut.json.age"
    cut.write_bytes((tmp_path / "binary.json.age").read_bytes()[:-40])
    refused = therapist.caseload(str(cut))
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr.startswith(f"{cut}: is a sealed report that is damaged or cut short (")
    assert refused.stderr.endswith("); ask for it again.\n" + NOT_SUMMED)


def test_a_key_file_others_can_read_is_not_used(run_cli, neurotutor_home: Path, tmp_path: Path) -> None:
    therapist = Therapist(run_cli, tmp_path / "therapist-home")
    report = tmp_path / "r.json"
    report.write_text("{}")
    therapist.key_file.chmod(0o644)
    refused = therapist.caseload(str(report))
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (f"{therapist.key_file}: your key file can be read by other users (or is not yours), so it "
                              f"is not used. Make it private with: chmod 600 {therapist.key_file}\n")
    therapist.key_file.chmod(0o600)
    again = run_cli("therapist", "init", env=therapist.env)  # a key is never replaced
    assert again.stdout == (f"You have a key already ({therapist.key_file}); it was kept. Your public key: "
                            f"{therapist.key}\n")


def test_another_therapists_reports_are_named_and_left_out_unless_asked_for(run_cli, neurotutor_home: Path,
                                                                            tmp_path: Path) -> None:
    mine, theirs = Therapist(run_cli, tmp_path / "me"), Therapist(run_cli, tmp_path / "colleague")
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "a", mine.key))
    assert run_cli("report", "--yes", "--no-seal", "-o", str(tmp_path / "mine.json")).returncode == 0
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "b", theirs.key, "Dr B. Colleague"), profile="other")
    made = run_cli("--profile", "other", "report", "--yes", "--no-seal", "-o", str(tmp_path / "theirs.json"))
    assert made.returncode == 0, made.stderr
    names = (str(tmp_path / "mine.json"), str(tmp_path / "theirs.json"))
    why = (f"{names[1]}: left out, its assignment (sam-autumn) carries another therapist's key, not yours (give --others "
           "to include it)")
    done = mine.caseload("--format", "json", *names)
    assert (done.returncode, done.stderr) == (0, "")
    doc = json.loads(done.stdout)
    assert [r["source"] for r in doc["rows"]] == [names[0]] and doc["others"] == [why]
    shown = mine.caseload("--plain", *names)  # named on screen too
    assert shown.returncode == 0 and names[1] in shown.stdout and "--others" in shown.stdout
    with_others = json.loads(mine.caseload("--format", "json", "--others", *names).stdout)
    assert sorted((r["source"], r["other"]) for r in with_others["rows"]) == [
        (names[0], None), (names[1], "its assignment (sam-autumn) carries another therapist's key, not yours")]
    assert with_others["others"] == []
    marked = mine.caseload("--plain", "--others", *names)
    assert marked.returncode == 0 and "Dr B. Colleague" in marked.stdout
    for kind in ("md", "html"):
        page = mine.caseload("--format", kind, "--others", "-o", str(tmp_path / f"c.{kind}"), *names)
        assert page.returncode == 0, page.stderr
        assert "another therapist" in (tmp_path / f"c.{kind}").read_text(), kind  # marked in every format


def test_without_a_key_therapist_name_keeps_only_that_therapists_reports(run_cli, neurotutor_home: Path,
                                                                           tmp_path: Path) -> None:
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "a", None))
    assert run_cli("report", "--yes", "-o", str(tmp_path / "a.json")).returncode == 0
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "b", None, "Dr B. Colleague"), profile="other")
    assert run_cli("--profile", "other", "report", "--yes", "-o", str(tmp_path / "b.json")).returncode == 0
    names = (str(tmp_path / "a.json"), str(tmp_path / "b.json"))
    therapist_home = {"NEUROTUTOR_HOME": str(tmp_path / "no-key")}  # a therapist without a key
    both = run_cli("caseload", "--format", "json", *names, env=therapist_home)
    assert both.returncode == 0 and len(json.loads(both.stdout)["rows"]) == 2
    assert both.stderr == ("These reports are of assignments set by 2 therapists (Dr A. Example, Dr B. Colleague): give "
                           "--therapist NAME to see only yours.\n")
    only = run_cli("caseload", "--format", "json", "--therapist", "dr a.  example", *names, env=therapist_home)
    assert (only.returncode, only.stderr) == (0, "")
    doc = json.loads(only.stdout)
    assert [r["source"] for r in doc["rows"]] == [names[0]]
    assert doc["others"] == [f"{names[1]}: left out, its assignment (sam-autumn) was set by Dr B. Colleague, not dr a.  "
                             "example (give --others to include it)"]
    everyone = json.loads(run_cli("caseload", "--format", "json", "--therapist", "Dr A. Example", "--others", *names,
                                  env=therapist_home).stdout)
    assert len(everyone["rows"]) == 2


@pytest.mark.parametrize("times", [False, True])
def test_a_sealed_report_holds_exactly_what_the_unsealed_one_would(run_cli, neurotutor_home: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch, times: bool) -> None:
    """The same moment, sealed and not: age gives back byte for byte the file written unsealed."""
    from datetime import datetime, timezone

    therapist = Therapist(run_cli, tmp_path / "therapist-home")
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "from-therapist", therapist.key))
    monkeypatch.setattr("neurotutor.cli.session.utc_now", lambda: datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    extra = ("--times",) if times else ()
    assert run_cli("report", "--yes", *extra, "-o", str(tmp_path / "r.json.age")).returncode == 0
    assert run_cli("report", "--yes", "--no-seal", *extra, "-o", str(tmp_path / "r.json")).returncode == 0
    opened = _age("-d", "-i", str(therapist.key_file), str(tmp_path / "r.json.age"))
    assert opened.returncode == 0 and opened.stdout == (tmp_path / "r.json").read_bytes()


def test_a_sealed_readable_report_is_opened_by_therapist_open_and_skipped_in_a_folder(run_cli, neurotutor_home: Path,
                                                                                     tmp_path: Path) -> None:
    therapist = Therapist(run_cli, tmp_path / "therapist-home")
    _client(run_cli, neurotutor_home, _assignment(tmp_path / "from-therapist", therapist.key))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    assert run_cli("report", "--yes", "--format", "html", "-o", str(inbox / "r.html")).returncode == 0  # sealed: .age
    assert run_cli("report", "--yes", "-o", str(inbox / "r.json")).returncode == 0
    assert sorted(p.name for p in inbox.iterdir()) == ["r.html.age", "r.json.age"]
    opened = run_cli("therapist", "open", str(inbox / "r.html.age"), "-o", str(tmp_path / "r.html"), env=therapist.env)
    assert (opened.returncode, opened.stderr) == (0, "")
    assert opened.stdout == f"Opened {inbox / 'r.html.age'} into {tmp_path / 'r.html'} (readable only by you).\n"
    assert (tmp_path / "r.html").read_text().startswith("<!DOCTYPE html>")
    assert oct((tmp_path / "r.html").stat().st_mode & 0o777) == "0o600"
    done = therapist.caseload("--format", "json", str(inbox))
    assert (done.returncode, done.stderr) == (0, "")
    doc = json.loads(done.stdout)
    assert [r["source"] for r in doc["rows"]] == [str(inbox / "r.json.age")]
    assert doc["set_aside"] == [f"{inbox / 'r.html.age'}: left out, a sealed readable report (open it with "
                                f"'neurotutor therapist open {inbox / 'r.html.age'}'); the caseload reads the .json.age file"]
    named = therapist.caseload(str(inbox / "r.html.age"))  # named on its own, it is a mistake to say
    assert named.returncode == 2 and "is the readable (HTML) report, for people" in named.stderr
    other = Therapist(run_cli, tmp_path / "other-home")
    refused = run_cli("therapist", "open", str(inbox / "r.html.age"), env=other.env)
    assert refused.returncode == 2 and refused.stderr == (
        f"{inbox / 'r.html.age'}: was sealed to another therapist's key, not yours, so it cannot be opened here. Ask the "
        "client which assignment they reported on.\n")
    plain = run_cli("therapist", "open", str(tmp_path / "r.html"), env=therapist.env)
    assert (plain.returncode, plain.stderr) == (2, f"{tmp_path / 'r.html'} is not sealed: it can be read as it is.\n")
