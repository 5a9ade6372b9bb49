"""Files that go wrong (a wrong header, a short row, a bad encoding, a 10 MB field, a file that
breaks off, a process killed mid-import), the bot's own exports read back (export, import into
a fresh database, export again: the same rows), and the UNESCO layout of an imported record
against counts made here from the file itself."""

from __future__ import annotations

import csv
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from network_bot.cli import main
from network_bot.testing.imports import counts, import_with_cli, rows

MESSY = Path(__file__).parent / "fixtures" / "imports" / "cpj_messy.csv"

CPJ_HEADER = MESSY.read_text(encoding="utf-8").splitlines()[0]


def cpj_row(name: str, country: str = "Peru", *, impunity: str = "Yes", extra: str = "") -> str:
    cells = ["Motive Confirmed", '"March 3, 2001"', name, "Male", country, extra]
    return ",".join(cells + [""] * 8 + [impunity, "", "", ""]) + "\n"


def test_a_wrong_header_is_refused_with_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.sqlite3"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("Name,When,Where\nArshad,1998,Pakistan\n", encoding="utf-8")
    assert import_with_cli(db, wrong) == 2
    err = capsys.readouterr().err
    assert "the header has no Type, Date, Country_killed column" in err
    assert "Nothing was imported" in err
    assert counts(db)["cases"] == 0 and counts(db)["import_runs"] == 0
    own_export = tmp_path / "export.csv"
    own_export.write_text("case_id,country\nNI-2026-0001,PK\n", encoding="utf-8")
    assert import_with_cli(db, own_export) == 2
    assert "use --format csv" in capsys.readouterr().err
    assert import_with_cli(db, MESSY, fmt="csv") == 2
    assert "use --format cpj" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert import_with_cli(db, empty) == 2
    assert "no header line" in capsys.readouterr().err
    assert import_with_cli(db, tmp_path / "missing.csv") == 2
    assert "there is no file" in capsys.readouterr().err


def test_a_bad_encoding_is_refused_with_its_line_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.sqlite3"
    latin = tmp_path / "latin.csv"
    text = CPJ_HEADER + "\n" + cpj_row("Ana Ruiz") * 3 + cpj_row("José Núñez")
    latin.write_bytes(text.encode("cp1252"))
    assert import_with_cli(db, latin) == 2
    err = capsys.readouterr().err
    assert "line 5 (byte" in err and "is not valid utf-8-sig" in err and "--encoding" in err
    assert counts(db)["cases"] == 0 and counts(db)["import_runs"] == 0
    assert import_with_cli(db, latin, "--encoding", "cp1252") == 0
    assert rows(db, "SELECT 1 FROM cases WHERE victim_names = 'José Núñez'")
    assert import_with_cli(db, latin, "--encoding", "klingon") == 2
    assert "unknown encoding" in capsys.readouterr().err


def test_short_rows_and_a_10_mb_field_cost_their_row_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.sqlite3"
    messy = tmp_path / "messy.csv"
    huge = '"' + "x" * (10 * 1024 * 1024) + '"'
    with messy.open("w", encoding="utf-8", newline="") as handle:
        handle.write(CPJ_HEADER + "\n")
        handle.write(cpj_row("Before Huge"))
        handle.write(cpj_row("Huge Field", extra=huge))
        handle.write("Motive Confirmed,1999,Too Short\n")
        handle.write(cpj_row("After Huge"))
    assert import_with_cli(db, messy) == 0
    out = capsys.readouterr().out
    assert "imported 2, updated 0, skipped 2" in out
    assert "line 3: the Organization field is 10,485,760 characters long" in out
    assert "line 4: 3 fields where the header has 18" in out
    names = {r["victim_names"] for r in rows(db, "SELECT victim_names FROM cases")}
    assert names == {"Before Huge", "After Huge"}


def test_an_unclosed_quote_says_which_lines_it_took(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "bot.sqlite3"
    broken = tmp_path / "broken.csv"
    lost = cpj_row("Lost").replace('"March 3, 2001"', "2001")
    body = cpj_row("First") + cpj_row("Open Quote", extra='"Radio') + lost * 10
    broken.write_text(CPJ_HEADER + "\n" + body, encoding="utf-8")
    assert import_with_cli(db, broken) == 0
    out = capsys.readouterr().out
    assert "line 3: 6 fields where the header has 18" in out
    assert "runs on to line 13" in out and "none of them was imported" in out


def test_a_json_file_that_breaks_off_keeps_whole_batches_and_continues(
    seeded: tuple[Path, dict[str, str]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, _ = seeded
    export = tmp_path / "export.json"
    assert main(["export", "--db", str(source), "--format", "json", "--output", str(export)]) == 0
    whole = export.read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(whole[: whole.index("},", whole.index("},") + 2) + 30], encoding="utf-8")
    db = tmp_path / "fresh.sqlite3"
    capsys.readouterr()
    assert import_with_cli(db, cut, fmt="json") == 1
    out = capsys.readouterr().out
    assert "STOPPED: object 3: the file is not valid JSON past this point" in out
    assert "imported 2" in out and counts(db)["cases"] == 2
    assert import_with_cli(db, export, fmt="json") == 0
    out = capsys.readouterr().out
    assert "imported 2, updated 0, skipped 0 (unchanged 2)" in out


def test_killed_mid_import_leaves_whole_batches_and_running_again_continues(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as handle:
        handle.write(CPJ_HEADER + "\n")
        for n in range(40_000):
            handle.write(cpj_row(f"Person {n}"))
    db = tmp_path / "bot.sqlite3"
    env = {**os.environ, "NETWORK_BOT_DB": str(db), "NETWORK_BOT_LOG_LEVEL": "WARNING"}
    command = [sys.executable, "-m", "network_bot", "import", "--format", "cpj", str(big)]
    child = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    committed = 0
    while time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
        if not db.exists():
            continue
        try:  # read-only: never create the file under the importer's feet
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
                committed = conn.execute("SELECT coalesce(max(imported), 0) FROM import_runs")
                committed = committed.fetchone()[0]
        except sqlite3.Error:
            continue
        if committed >= 4000:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert 0 < committed < 40_000, "the import finished before it could be killed"
    state = counts(db)
    assert state["cases"] == state["case_imports"] == state["cases_fts"]
    assert state["cases"] % 2000 == 0, "only whole batches are committed"
    run = rows(db, "SELECT * FROM import_runs")[0]
    assert run["finished_at"] is None and run["imported"] == state["cases"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "stopped after line" in done.stdout and "continuing" in done.stdout
    assert f"imported {40_000 - state['cases']:,}, updated 0, skipped 0" in done.stdout
    final = counts(db)
    assert final["cases"] == final["case_imports"] == final["cases_fts"] == 40_000


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_export_gives_the_same_rows(
    seeded: tuple[Path, dict[str, str]],
    tmp_path: Path,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source, ids = seeded
    # A record with imported history too: dates known to the month or as a range, provenance.
    assert import_with_cli(source, MESSY) == 0
    with sqlite3.connect(source) as conn:  # an unverified report, exported with consent
        conn.execute(
            "UPDATE cases SET status = 'under_review' WHERE public_id = ?", (ids["mx_unverified"],)
        )
    first = tmp_path / f"first.{fmt}"
    second = tmp_path / f"second.{fmt}"
    export = ["export", "--format", fmt, "--include-unverified", "--consent-of", "U0COORD02"]
    assert main([*export, "--db", str(source), "--output", str(first)]) == 0
    fresh = tmp_path / "fresh.sqlite3"
    capsys.readouterr()
    assert import_with_cli(fresh, first, fmt=fmt) == 0
    out = capsys.readouterr().out
    exported = len(
        rows(source, "SELECT 1 FROM cases WHERE status IN ('verified', 'reported', 'under_review')")
    )
    assert f"imported {exported:,}, updated 0, skipped 0" in out
    with sqlite3.connect(fresh) as conn:  # the consenting coordinator, in the new installation
        conn.execute(
            "INSERT INTO members (user_id, role, created_at, updated_at) "
            "VALUES ('U0COORD02', 'coordinator', '2026-11-25T09:00:00Z', '2026-11-25T09:00:00Z')"
        )
    assert main([*export, "--db", str(fresh), "--output", str(second)]) == 0
    assert second.read_bytes() == first.read_bytes()
    # Withheld and redacted names stay withheld: not in the new database, nor in its index.
    for name in ("Secret Person", "Redacted Name"):
        assert not rows(fresh, "SELECT 1 FROM cases WHERE victim_names LIKE ?", (f"%{name}%",))
        assert not rows(fresh, "SELECT 1 FROM cases_fts WHERE cases_fts MATCH ?", (f'"{name}"',))
    assert (
        rows(fresh, "SELECT victim_withheld FROM cases WHERE public_id = ?", (ids["co_withheld"],))[
            0
        ][0]
        == 1
    )
    # Again: nothing added; into the database it came from: every ID is taken, nothing changed.
    assert import_with_cli(fresh, first, fmt=fmt) == 0
    assert "imported 0, updated 0, skipped 0" in capsys.readouterr().out
    before = counts(source)
    assert import_with_cli(source, first, fmt=fmt) == 0
    out = capsys.readouterr().out
    assert f"skipped {exported:,}" in out and "is already the ID of another case here" in out
    assert counts(source)["cases"] == before["cases"]
    # A new report in the fresh installation never reuses an imported ID.
    top = max(r[0] for r in rows(fresh, "SELECT last FROM case_counters WHERE year = 2026"))
    assert top >= 6


def test_the_unesco_layout_of_an_imported_record_matches_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """UNESCO's layout counts each country's killings by the states' recorded answers (none yet
    for an import: no information); the per-case export carries CPJ's impunity class. Both are
    checked against counts made here from the file with this test's own reading of it."""
    db = tmp_path / "bot.sqlite3"
    assert import_with_cli(db, MESSY) == 0
    out = tmp_path / "unesco.csv"
    assert main(["export", "--db", str(db), "--unesco", "--output", str(out)]) == 0
    got = {row["country"]: row for row in csv.DictReader(out.open(encoding="utf-8", newline=""))}
    cases_out = tmp_path / "cases.csv"
    assert main(["export", "--db", str(db), "--output", str(cases_out)]) == 0
    exported = list(csv.DictReader(cases_out.open(encoding="utf-8", newline="")))
    names = {
        "Pakistan": "PK", "Russia": "RU", "Yugoslavia": "RS", "Ivory Coast": "CI",
        "Cambodia": "KH", "East Timor": "TL", "UK": "GB", "USA": "US", "Bosnia": "BA",
        "Republic of Congo": "CG", "Mexico": "MX", "Syria": "SY", "Brazil": "BR",
    }  # fmt: skip
    killings: Counter[str] = Counter()
    impunity: Counter[tuple[str, str]] = Counter()
    for row in csv.DictReader(io.StringIO(MESSY.read_text(encoding="utf-8"))):
        code = names.get(row["Country_killed"] or "")
        if code is None or row["Date"] in ("Date unknown", "Unknown") or row["Tortured"] is None:
            continue  # the rows the import skips (no country it can name, no date, short)
        killings[code] += 1
        cpj = {"Partial": "partial", "No": "full_justice"}.get(row["Impunity_for_murder"])
        impunity[(code, cpj or "complete")] += 1
    assert set(got) == set(killings)
    for code, count in killings.items():
        line = got[code]
        assert int(line["killings"]) == count, code
        assert (int(line["resolved"]), int(line["ongoing"])) == (0, 0), code
        assert int(line["no_information"]) == count, code
    assert Counter((r["country"], r["impunity"]) for r in exported) == impunity
