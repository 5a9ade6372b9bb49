"""Exports: the columns, the safety rules in every format, consent, filters, the UNESCO layout."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from network_bot.cli import main
from network_bot.exports import ExportFilters, export_rows
from network_bot.store import audit, campaign, cases
from network_bot.store.campaign import StateAnswer, UnescoEntry
from network_bot.store.db import Database
from network_bot.testing.flows import report
from network_bot.testing.harness import Harness
from network_bot.testing.seeding import (
    ADMIN,
    ANON,
    ANON_NAME,
    ANON_ORG,
    ANON_REAL,
    COORDINATOR,
    MEMBER,
    add_case,
    add_member,
    open_db,
)
from network_bot.testing.workspace import PEOPLE, Person
from network_bot.vocabulary import Stage, Status, Violation

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
COLUMNS = [
    "case_id",
    "country",
    "country_name",
    "victim_names",
    "profession",
    "violation",
    "incident_date",
    "date_precision",
    "date_end",
    "date_approximate",
    "justice_stage",
    "impunity",
    "impunity_days",
    "verification",
    "sources",
    "provenance",
]


# ----------------------------------------------------------------------------- test data


def run(db: Path, *argv: str) -> int:
    return main(["export", "--db", str(db), *argv])


def read_back(path: Path, fmt: str) -> list[dict[str, Any]]:
    if fmt == "csv":
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    if fmt == "json":
        return list(json.loads(path.read_text(encoding="utf-8")))
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def header_of(path: Path, fmt: str) -> list[str]:
    if fmt == "csv":
        return next(csv.reader(path.open(newline="", encoding="utf-8")))
    if fmt == "json":
        return list(json.loads(path.read_text(encoding="utf-8"))[0])
    book = openpyxl.load_workbook(path, read_only=True)
    return [str(c) for c in next(book.worksheets[0].iter_rows(values_only=True))]


def all_text(path: Path) -> str:
    """Every byte of an export as text; an XLSX is a zip, so each member is unpacked."""
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data.decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_columns_and_content(seeded: tuple[Path, dict[str, str]], tmp_path: Path, fmt: str) -> None:
    db, ids = seeded
    out = tmp_path / f"cases.{fmt}"
    assert run(db, "--format", fmt, "--output", str(out)) == 0
    assert header_of(out, fmt) == COLUMNS
    rows = read_back(out, fmt)
    assert [r["case_id"] for r in rows] == [
        ids["pk_killing"],
        ids["co_withheld"],
        ids["ph_redacted"],
        ids["pk_anonymous"],
    ], "verified only, in ID order"
    first = rows[0]
    days = (datetime.now(UTC).date() - date(2020, 1, 22)).days
    assert first["country"] == "PK" and first["country_name"] == "Pakistan"
    assert first["victim_names"] == "Arshad Mahmood"
    assert first["profession"] == "journalist" and first["violation"] == "killing"
    assert first["incident_date"] == "2020-01-22"
    assert first["justice_stage"] == "no_investigation" and first["impunity"] == "complete"
    assert int(first["impunity_days"]) == days
    assert first["verification"] == "verified"
    sources = ["https://example.org/a", "https://example.org/b"]
    assert (first["sources"] if fmt == "json" else first["sources"].split(" ")) == sources
    detention = rows[1]
    assert detention["violation"] == "detention" and detention["justice_stage"] == "convicted_full"
    assert detention["impunity"] in (None, ""), "CPJ's impunity rule is for killings only"
    assert detention["impunity_days"] in (None, "")
    assert rows[3]["impunity"] == "partial"
    text = all_text(out)
    for secret in ("0300-1234567", "restricted", "Nope", "Pending Person", MEMBER, "Bilal"):
        assert secret not in text


def test_withheld_and_redacted_cases_export_without_names(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, ids = seeded
    out = tmp_path / "cases.json"
    assert run(db, "--format", "json", "--output", str(out)) == 0
    by_id = {r["case_id"]: r for r in read_back(out, "json")}
    assert by_id[ids["co_withheld"]]["victim_names"] == "name withheld"
    assert by_id[ids["ph_redacted"]]["victim_names"] == "name withheld"
    text = all_text(out)
    assert "Secret Person" not in text and "Redacted Name" not in text


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_anonymous_reporter_is_never_exported(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path, fmt: str
) -> None:
    db, ids = seeded
    plain, restricted = tmp_path / f"plain.{fmt}", tmp_path / f"restricted.{fmt}"
    assert run(db, "--format", fmt, "--output", str(plain)) == 0
    assert (
        run(db, "--format", fmt, "--restricted", "--consent-of", ADMIN, "--output", str(restricted))
        == 0
    )
    for path in (plain, restricted):
        text = all_text(path)
        assert ids["pk_anonymous"] in text
        for secret in (ANON, ANON_NAME, ANON_REAL, ANON_ORG, "Quillfeather", "reporter_id"):
            assert secret.lower() not in text.lower(), (path.name, secret)
    assert "0300-7654321" in all_text(restricted), "the rest of the notes is there"
    assert "[reporter withheld]" in all_text(restricted)


async def test_anonymous_report_through_slack_stays_out_of_every_export(tmp_path: Path) -> None:
    """End to end: a member reports anonymously through the real endpoint; the coordinator
    verifies; admin-consented restricted exports in every format never carry who reported."""
    anon = Person(
        user_id=ANON, handle=ANON_NAME, real_name=ANON_REAL, organisation=ANON_ORG, country="PK"
    )
    db = tmp_path / "bot.sqlite3"
    async with Harness(db_path=db, people=(*PEOPLE, anon)) as h:
        public_id = await report(
            h, ANON, reporter_anonymous=True, restricted_notes=f"Ask {ANON_REAL} for the file."
        )
        await h.command("chidi", f"/case {public_id} verify")
        await h.settle()
        for fmt in ("csv", "json", "xlsx"):
            out = tmp_path / f"slack.{fmt}"
            argv = ["--format", fmt, "--restricted", "--consent-of", "U0DANA006"]
            assert await asyncio.to_thread(run, db, *argv, "--output", str(out)) == 0
            text = all_text(out)
            assert public_id in text and "for the file" in text
            for secret in (ANON, ANON_NAME, ANON_REAL, ANON_ORG):
                assert secret.lower() not in text.lower(), (fmt, secret)


def test_restricted_notes_need_an_admins_consent_which_is_audited(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = seeded
    out = tmp_path / "cases.csv"
    assert run(db, "--output", str(out)) == 0
    assert "0300-1234567" not in out.read_text() and "restricted_notes" not in out.read_text()
    out.unlink()
    capsys.readouterr()
    for refused in (
        [],
        ["--consent-of", COORDINATOR],
        ["--consent-of", MEMBER],
        ["--consent-of", "U0NOBODY9"],
    ):
        assert run(db, "--restricted", *refused, "--output", str(out)) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "admin" in err
        assert not out.exists()
    assert (
        run(db, "--restricted", "--consent-of", ADMIN, "--country", "PK", "--output", str(out)) == 0
    )
    rows = read_back(out, "csv")
    assert list(rows[0]) == [*COLUMNS, "restricted_notes"]
    assert rows[0]["restricted_notes"] == "restricted: family contact 0300-1234567"

    async def entries() -> list[audit.AuditEntry]:
        database = Database(db)
        await database.open()
        try:
            return await audit.search(database.read, target="cases")
        finally:
            await database.close()

    log = asyncio.run(entries())
    granted = [e for e in log if e.outcome is audit.Outcome.READ]
    assert len(granted) == 1 and granted[0].actor_id == ADMIN
    assert granted[0].action == "export.restricted"
    assert '"country":"PK"' in granted[0].detail and str(out.resolve()) in granted[0].detail
    refused_by = {e.actor_id for e in log if e.outcome is audit.Outcome.REFUSED}
    assert refused_by == {COORDINATOR, MEMBER, "U0NOBODY9"}


def test_filters(seeded: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    db, ids = seeded
    out = tmp_path / "cases.json"

    def exported(*argv: str) -> list[str]:
        assert run(db, "--format", "json", "--output", str(out), *argv) == 0
        return [r["case_id"] for r in read_back(out, "json")]

    assert exported("--country", "pk") == [ids["pk_killing"], ids["pk_anonymous"]]
    assert exported("--since", "2024-01-01") == [ids["co_withheld"], ids["pk_anonymous"]]
    assert exported("--verified-only", "--country", "MX") == []
    assert run(db, "--include-unverified", "--output", str(out)) == 2, "needs consent"
    assert exported("--include-unverified", "--consent-of", COORDINATOR, "--country", "MX") == [
        ids["mx_unverified"]
    ]
    everything = exported("--include-unverified", "--consent-of", ADMIN)
    assert ids["pk_rejected"] not in everything and len(everything) == 5


def test_csv_to_stdout(
    seeded: tuple[Path, dict[str, str]], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    db, ids = seeded
    assert run(db, "--country", "CO") == 0
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8"))))
    assert [r["case_id"] for r in rows] == [ids["co_withheld"]]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--country", "XX"], "--country"),
        (["--since", "2026-02-30"], "--since"),
        (["--since", "last year"], "--since"),
        (["--format", "pdf"], "--format"),
        (["--format", "xlsx"], "--output"),
        (["--restricted", "--consent-of", COORDINATOR], "admin"),
        (["--restricted", "--consent-of", "not-an-id"], "--consent-of"),
        (["--unesco", "--restricted", "--consent-of", ADMIN], "UNESCO"),
        (["--output", "/nonexistent/dir/x.csv"], "does not exist"),
    ],
)
def test_bad_input_says_one_line_exits_2_and_writes_nothing(
    seeded: tuple[Path, dict[str, str]],
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    argv: list[str],
    says: str,
) -> None:
    db, _ = seeded
    capsysbinary.readouterr()
    before = sorted(p.name for p in tmp_path.iterdir())
    assert run(db, *argv) == 2
    captured = capsysbinary.readouterr()
    err = captured.err.decode()
    assert captured.out == b""
    assert len(err.strip().splitlines()) == 1 and says in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_missing_database_is_refused(tmp_path: Path) -> None:
    assert run(tmp_path / "nothing.sqlite3") == 2
    assert not (tmp_path / "nothing.sqlite3").exists(), "an export never creates a database"


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_unesco_layout(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "bot.sqlite3"

    async def seed() -> dict[str, list[str]]:
        """Killings with the states' answers as coordinators recorded them; the justice stage
        plays no part (a full conviction with no answer on record is still no information)."""
        db = await open_db(path)
        made: dict[str, list[str]] = {"CO": [], "PK": []}
        async with db.transaction() as tx:
            await add_member(tx, MEMBER)
            for country, stage, answers in [
                ("PK", Stage.ON_TRIAL, [(2024, StateAnswer.RESOLVED)]),
                # the latest answer counts: ongoing in 2024, resolved in 2026
                (
                    "PK",
                    Stage.NO_INVESTIGATION,
                    [(2024, StateAnswer.ONGOING), (2026, StateAnswer.RESOLVED)],
                ),
                ("PK", Stage.CONVICTED_FULL, [(2026, StateAnswer.ONGOING)]),
                # asked, never answered
                ("PK", Stage.CONVICTED_FULL, [(2026, StateAnswer.NONE)]),
                (
                    "CO",
                    Stage.NO_INVESTIGATION,
                    [(2024, StateAnswer.ONGOING), (2026, StateAnswer.NONE)],
                ),
                ("CO", Stage.TIME_BARRED, []),
            ]:
                public_id = await add_case(tx, country=country, stage=stage)
                made[country].append(public_id)
                record = await cases.get_by_public_id(tx, public_id)
                assert record is not None
                for cycle, answer in answers:
                    await campaign.save_unesco(
                        tx,
                        UnescoEntry(
                            case_id=record.id,
                            cycle=cycle,
                            requested_on=date(cycle - 1, 3, 1),
                            answer=answer,
                            answered_on=None
                            if answer is StateAnswer.NONE
                            else date(cycle - 1, 6, 1),
                            recorded_by=MEMBER,
                            recorded_at=NOW,
                        ),
                    )
            await add_case(tx, country="CO", violation=Violation.THREATS)
            await add_case(tx, country="CO", status=Status.REPORTED)
        await db.close()
        return made

    made = asyncio.run(seed())
    out = tmp_path / f"unesco.{fmt}"
    assert (
        main(["export", "--db", str(path), "--unesco", "--format", fmt, "--output", str(out)]) == 0
    )
    rows = read_back(out, fmt)
    assert [r["country"] for r in rows] == ["CO", "PK"]
    co, pk = rows

    def ids(value: Any) -> list[str]:
        return list(value) if isinstance(value, list) else (value or "").split()

    assert int(pk["killings"]) == 4
    assert (int(pk["resolved"]), int(pk["ongoing"]), int(pk["no_information"])) == (2, 1, 1)
    assert ids(pk["resolved_cases"]) == made["PK"][:2]
    assert ids(pk["ongoing_cases"]) == [made["PK"][2]]
    assert ids(pk["no_information_cases"]) == [made["PK"][3]]
    assert ids(co["ongoing_cases"]) == [made["CO"][0]], "an earlier cycle's answer still counts"
    assert (int(co["killings"]), int(co["ongoing"]), int(co["no_information"])) == (2, 1, 1)
    assert co["country_name"] == "Colombia"


def test_spreadsheet_formulas_in_member_text_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    evil = '=HYPERLINK("https://evil.example","click")'

    async def seed() -> None:
        db = await open_db(path)
        async with db.transaction() as tx:
            await add_member(tx, MEMBER)
            await add_case(tx, victim_names=evil)
        await db.close()

    asyncio.run(seed())
    csv_out, xlsx_out = tmp_path / "x.csv", tmp_path / "x.xlsx"
    assert run(path, "--output", str(csv_out)) == 0
    assert read_back(csv_out, "csv")[0]["victim_names"] == "'" + evil
    assert run(path, "--format", "xlsx", "--output", str(xlsx_out)) == 0
    sheet = openpyxl.load_workbook(xlsx_out).worksheets[0]
    cell = sheet.cell(row=2, column=COLUMNS.index("victim_names") + 1)
    assert cell.value == evil and cell.data_type == "s"


async def test_rows_come_in_keyset_chunks(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "bot.sqlite3")
    try:
        made: list[str] = []
        async with db.transaction() as tx:
            await add_member(tx, MEMBER)
            for i in range(10):
                made.append(await add_case(tx, country="PK" if i % 3 else "CO"))
        got: Sequence[str] = [
            r.case_id
            async for r in export_rows(
                db, filters=ExportFilters(country="PK"), today=NOW.date(), chunk=2
            )
        ]
        assert got == [m for i, m in enumerate(made) if i % 3]
    finally:
        await db.close()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_labels_in_a_chosen_language_keep_the_codes(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path, fmt: str
) -> None:
    """``--language fr``: the header row and the country's name in French; every code stays."""
    db, ids = seeded
    plain, french = tmp_path / f"plain.{fmt}", tmp_path / f"french.{fmt}"
    assert run(db, "--format", fmt, "--output", str(plain)) == 0
    assert run(db, "--format", fmt, "--output", str(french), "--language", "fr") == 0
    header = header_of(french, fmt)
    assert len(header) == len(COLUMNS)
    assert header[:3] == ["Identifiant de l\u2019affaire", "Code du pays", "Pays"]
    assert "Violation (code)" in header and "Parcours judiciaire (code)" in header
    by_code = dict(zip(COLUMNS, header, strict=True))
    before = {r["case_id"]: r for r in read_back(plain, fmt)}
    after = {r[by_code["case_id"]]: r for r in read_back(french, fmt)}
    assert after.keys() == before.keys()
    for case_id, row in before.items():
        again = after[case_id]
        for column in COLUMNS:
            if column != "country_name":
                assert again[by_code[column]] == row[column], column  # codes unchanged
    killing = after[ids["pk_killing"]]
    assert killing[by_code["violation"]] == "killing"
    assert killing[by_code["country_name"]] == "Pakistan"
    assert after[ids["co_withheld"]][by_code["country_name"]] == "Colombie"


def test_json_keeps_its_keys_in_any_language(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    db, _ = seeded
    out = tmp_path / "cases.json"
    assert run(db, "--format", "json", "--output", str(out), "--language", "ar") == 0
    rows = read_back(out, "json")
    assert list(rows[0]) == COLUMNS
    assert {r["country"]: r["country_name"] for r in rows}["PK"] == "باكستان"


def test_a_language_the_bot_does_not_speak_is_refused(
    seeded: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = seeded
    out = tmp_path / "cases.csv"
    assert run(db, "--output", str(out), "--language", "de") != 0
    assert "--language: expected one of ar, en, es, fr" in capsys.readouterr().err
    assert not out.exists()
