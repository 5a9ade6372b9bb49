"""Importing CPJ's database: every messy shape of a real file, nothing silently lost, the same
file twice adds nothing, a corrected file updates what it changes (in the timeline), a dry run
writes nothing."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from network_bot.cli import main
from network_bot.testing.imports import counts, import_with_cli, rows

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
MESSY = FIXTURES / "cpj_messy.csv"


def case_named(db: Path, name: str, *, date: str | None = None) -> sqlite3.Row:
    sql = "SELECT * FROM cases WHERE victim_names = ?" + (" AND incident_date = ?" if date else "")
    found = rows(db, sql, (name, date) if date else (name,))
    assert len(found) == 1, (name, found)
    return found[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


def test_every_messy_shape(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert import_with_cli(db, MESSY) == 0
    out = capsys.readouterr().out
    assert "imported 14, updated 0, skipped 5 (unchanged 0)" in out
    # The summary ends with the counts and every skipped row, with its line and reason.
    tail = out[out.index("imported 14") :]
    assert 'line 9: Date: no date (the file says "Date unknown")' in tail
    assert 'line 10: Date: no date (the file says "Unknown")' in tail
    assert "line 11: Country_killed:" in tail and "covers two countries" in tail
    assert "--map-country" in tail
    assert "line 12: Country_killed: no country given" in tail
    assert "line 13: 3 fields where the header has 18" in tail
    # Values no table knows are named with what they became.
    assert 'Job -> other: "astrologer" (1)' in out
    assert 'Source_fire -> unknown: "space aliens" (1)' in out
    assert 'Sex -> unknown: "Nonbinary" (1)' in out
    assert 'Impunity_for_murder -> complete impunity (no conviction): "Maybe" (1)' in out

    arshad = case_named(db, "Arshad Mahmood")
    assert (arshad["country"], arshad["incident_date"], arshad["date_precision"]) == (
        "PK",
        "1998-02-09",
        "day",
    )
    assert arshad["status"] == "verified" and arshad["violation"] == "killing"
    assert (arshad["profession"], arshad["gender"], arshad["perpetrator"]) == (
        "journalist",
        "man",
        "armed_group",
    )
    assert arshad["justice_stage"] == "no_investigation"  # "Yes": complete impunity
    assert arshad["provenance"] == "CPJ database of journalists killed (Motive Confirmed)"
    assert "Daily Jang" in arshad["summary"] and "Threatened: Yes." in arshad["summary"]

    maria = case_named(db, "Мария Иванова")  # two spaces in the date; a field over two lines
    assert maria["incident_date"] == "2016-10-02" and maria["date_precision"] == "day"
    assert maria["justice_stage"] == "convicted_partial" and maria["gender"] == "woman"
    assert "Novaya Gazeta" in maria["summary"]

    ahmed = case_named(db, "أحمد حسن")  # "December, 1992", Yugoslavia, a media worker
    assert (ahmed["incident_date"], ahmed["date_end"], ahmed["date_precision"]) == (
        "1992-12-01",
        "1992-12-31",
        "month",
    )
    assert ahmed["country"] == "RS" and "Yugoslavia no longer exists" in ahmed["provenance_note"]
    assert ahmed["profession"] == "media_worker" and ahmed["perpetrator"] == "state"
    assert (
        "CPJ classifies impunity for murders only (this death: Crossfire)"
        in (ahmed["provenance_note"])
    )

    juan = case_named(db, "Juan Pérez")  # "June or July 1993"
    assert (juan["incident_date"], juan["date_end"], juan["date_precision"]) == (
        "1993-06-01",
        "1993-07-31",
        "month",
    )
    assert juan["date_approximate"] == 1 and juan["country"] == "CI"
    assert juan["justice_stage"] == "convicted_full"

    chea = case_named(db, "Chea Vichea", date="2012-05-02")  # "May 2 or 3, 2012"
    assert chea["date_end"] == "2012-05-03" and chea["date_approximate"] == 1
    assert chea["date_precision"] == "day" and chea["perpetrator"] == "organised_crime"
    assert case_named(db, "Chea Vichea", date="2004-01-22")["public_id"] != chea["public_id"]

    wang = case_named(db, "王小明")  # "October 2015 - June 2016", East Timor, an unknown job
    assert (wang["incident_date"], wang["date_end"], wang["date_precision"]) == (
        "2015-10-01",
        "2016-06-30",
        "range",
    )
    assert wang["country"] == "TL" and wang["profession"] == "other"

    by_name = {
        "Ελένη Παπαδοπούλου": "GB",
        "Ali Yusuf": "US",
        "Dragan Jovanović": "BA",
        "Jean-Baptiste Mbemba": "CG",
        "שרה כהן": "MX",
        "Kim Nguyễn": "BR",
    }
    for name, code in by_name.items():
        assert case_named(db, name)["country"] == code, name
    assert case_named(db, "שרה כהן")["date_precision"] == "year"
    assert case_named(db, "Jean-Baptiste Mbemba")["profession"] == "media_worker"
    unnamed = rows(db, "SELECT * FROM cases WHERE country = 'SY'")
    assert len(unnamed) == 1 and unnamed[0]["victim_names"] == ""
    # Every imported case is in the search index, names in every script included.
    assert rows(db, "SELECT rowid FROM cases_fts WHERE cases_fts MATCH '\"Иванова\"'")
    assert counts(db)["cases_fts"] == 14
    # IDs follow the incident's year.
    assert arshad["public_id"].startswith("NI-1998-")


def test_a_chosen_code_resolves_a_compound_country(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    choice = "Israel and the Occupied Palestinian Territory=PS"
    assert import_with_cli(db, MESSY, "--map-country", choice) == 0
    assert "imported 15, updated 0, skipped 4" in capsys.readouterr().out
    ram = case_named(db, "राम शर्मा")
    assert ram["country"] == "PS" and "as chosen" in ram["provenance_note"]
    assert import_with_cli(db, MESSY, "--map-country", "Nowhere=QQ") == 2
    assert "--map-country expects" in capsys.readouterr().err


def test_the_same_file_again_adds_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert import_with_cli(db, MESSY) == 0
    before = counts(db)
    capsys.readouterr()
    assert import_with_cli(db, MESSY) == 0
    out = capsys.readouterr().out
    assert "imported 0, updated 0, skipped 5 (unchanged 14)" in out
    assert "imported before" in out
    after = counts(db)
    assert {t: after[t] for t in ("cases", "cases_fts", "case_imports", "case_updates")} == {
        t: before[t] for t in ("cases", "cases_fts", "case_imports", "case_updates")
    }


def test_a_dry_run_writes_nothing_and_says_the_same(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_with_cli(db, MESSY, "--dry-run") == 2  # there is no database to compare with yet
    assert "a dry run compares the file with an existing one" in capsys.readouterr().err
    assert not db.exists()
    assert main(["migrate", "--db", str(db)]) == 0
    before = counts(db)
    capsys.readouterr()
    assert import_with_cli(db, MESSY, "--dry-run") == 0
    dry = capsys.readouterr().out
    assert counts(db) == before
    assert "dry run: nothing was written" in dry
    assert import_with_cli(db, MESSY) == 0
    real = capsys.readouterr().out

    def tail(text: str) -> str:
        return text[text.index("imported ") :].replace("would be", "were")

    assert tail(dry) == tail(real)


def corrected(tmp_path: Path, changes: dict[tuple[str, str], str]) -> Path:
    """The fixture with some cells changed: {(name, column): new value}."""
    with MESSY.open(newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    header = table[0]
    for row in table[1:]:
        for (name, column), value in changes.items():
            if len(row) == len(header) and row[2] == name:
                row[header.index(column)] = value
    path = tmp_path / "cpj_corrected.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    return path


def test_a_corrected_file_updates_what_it_changes_in_the_timeline(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_with_cli(db, MESSY) == 0
    arshad = case_named(db, "Arshad Mahmood")
    dragan = case_named(db, "Dragan Jovanović")
    ali = case_named(db, "Ali Yusuf")
    with sqlite3.connect(db) as conn:  # members follow; a coordinator moved one case on since
        now = "2026-11-25T09:00:00Z"
        conn.execute(
            "INSERT INTO members (user_id, display_name, created_at, updated_at) "
            "VALUES ('U0BOBBY02', 'bob', ?, ?)",
            (now, now),
        )
        conn.execute(
            "INSERT INTO follows (user_id, case_id, created_at) VALUES ('U0BOBBY02', ?, ?)",
            (arshad["id"], now),
        )
        conn.execute("UPDATE cases SET justice_stage = 'on_trial' WHERE id = ?", (dragan["id"],))
    fixed = corrected(
        tmp_path,
        {
            ("Arshad Mahmood", "Impunity_for_murder"): "Partial",
            ("Arshad Mahmood", "Date"): "February 10, 1998",
            ("Dragan Jovanović", "Impunity_for_murder"): "No",
            ("Ali Yusuf", "Job"): "Editor",
        },
    )
    capsys.readouterr()
    assert import_with_cli(db, fixed) == 0
    out = capsys.readouterr().out
    assert "imported 0, updated 3, skipped 5 (unchanged 11)" in out
    assert "Kept as a coordinator changed them since the last import" in out
    kept = "justice process: kept on trial (the file now says convicted (full))"
    assert f"({dragan['public_id']}): {kept}" in out

    after = case_named(db, "Arshad Mahmood")
    assert after["id"] == arshad["id"] and after["public_id"] == arshad["public_id"]
    assert after["justice_stage"] == "convicted_partial" and after["incident_date"] == "1998-02-10"
    timeline = rows(db, "SELECT * FROM case_updates WHERE case_id = ?", (arshad["id"],))
    assert len(timeline) == 1
    entry = timeline[0]
    assert entry["state"] == "approved" and entry["stage_to"] == "convicted_partial"
    assert entry["stage_from"] == "no_investigation"
    assert "date 1998-02-09 → 1998-02-10" in entry["body"] and "line 2" in entry["body"]
    owed = rows(db, "SELECT user_id FROM update_notifications WHERE update_id = ?", (entry["id"],))
    assert [r["user_id"] for r in owed] == ["U0BOBBY02"]
    assert case_named(db, "Dragan Jovanović")["justice_stage"] == "on_trial"
    assert "Editor" in case_named(db, "Ali Yusuf")["summary"]
    assert case_named(db, "Ali Yusuf")["id"] == ali["id"]
    capsys.readouterr()
    assert import_with_cli(db, fixed) == 0  # the corrected file again: nothing more
    assert "imported 0, updated 0, skipped 5 (unchanged 14)" in capsys.readouterr().out


def test_a_redacted_case_never_gets_its_name_back(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_with_cli(db, MESSY) == 0
    case = case_named(db, "Juan Pérez")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE cases SET victim_names = '[redacted]', victim_withheld = 1, "
            "redacted_at = '2026-11-20T00:00:00Z' WHERE id = ?",
            (case["id"],),
        )
    fixed = corrected(
        tmp_path, {("Juan Pérez", "Organization"): "Radio Juan Pérez", ("Juan Pérez", "Sex"): ""}
    )
    assert import_with_cli(db, fixed) == 0
    out = capsys.readouterr().out
    assert "the case was redacted, so it stays out" in out
    assert "Juan" not in out
    after = rows(db, "SELECT * FROM cases WHERE id = ?", (case["id"],))[0]
    assert after["victim_names"] == "[redacted]" and "Juan" not in after["summary"]
    assert after["gender"] == "unknown"  # what is not a name may still be corrected
    stored = rows(db, "SELECT fields FROM case_imports WHERE case_id = ?", (case["id"],))
    assert "Juan" not in json.loads(stored[0]["fields"]).get("summary", "")


def test_the_progress_line_shows_on_a_terminal_only(db: Path, tmp_path: Path) -> None:
    """Piped (as here), stderr stays empty; a pseudo-terminal gets rows/s and what is left."""
    import os
    import pty
    import subprocess
    import sys

    big = tmp_path / "big.csv"
    shutil.copy(MESSY, big)
    with big.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for n in range(6000):
            writer.writerow(
                ["Motive Confirmed", f"March {n % 28 + 1}, 2001", f"Person {n}", "Male", "Peru"]
                + [""] * 9
                + ["Yes", "", "", ""]
            )
    env = {**os.environ, "NETWORK_BOT_DB": str(db), "NETWORK_BOT_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "network_bot", "import", "--format", "cpj", str(big)]
    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == "" and "imported 6,014" in piped.stdout
    primary, secondary = pty.openpty()
    shown = subprocess.Popen(
        command,
        env={**env, "NETWORK_BOT_DB": str(tmp_path / "second.sqlite3")},
        stdout=subprocess.DEVNULL,
        stderr=secondary,
    )
    os.close(secondary)
    seen = b""
    try:  # read while it runs: a terminal's buffer does not outlive the program
        while chunk := os.read(primary, 65536):
            seen += chunk
    except OSError:  # the program closed the terminal
        pass
    os.close(primary)
    assert shown.wait(timeout=120) == 0
    assert b"rows/s" in seen and b"left" in seen, seen[-500:]
