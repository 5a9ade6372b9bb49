"""One WHERE clause for search, exports and the UNESCO layout: they choose the same cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from network_bot.exports import ExportFilters, export_rows
from network_bot.exports.unesco import unesco_rows
from network_bot.store import cases
from network_bot.store.cases import SearchQuery
from network_bot.testing.seeding import MEMBER, open_db
from network_bot.vocabulary import Status, Violation

TODAY = datetime(2026, 11, 25, tzinfo=UTC).date()


async def test_search_and_both_exports_choose_the_same_cases(
    seeded: tuple[Path, dict[str, str]],
) -> None:
    path, ids = seeded
    db = await open_db(path)
    try:
        for country, since, violation in [
            (None, None, None),
            ("PK", None, None),
            ("CO", date(2025, 1, 1), None),
            (None, None, Violation.KILLING),
            ("PK", date(2024, 1, 1), Violation.KILLING),
        ]:
            query = SearchQuery(country=country, since=since, violation=violation, limit=100)
            searched = {r.public_id for r in await cases.search(db.read, query)}
            filters = ExportFilters(country=country, since=since, violation=violation)
            exported = {r.case_id async for r in export_rows(db, filters=filters, today=TODAY)}
            assert searched == exported, (country, since, violation)
            if violation in (None, Violation.KILLING):
                killings = {
                    r.public_id
                    for r in await cases.search(
                        db.read, query.model_copy(update={"violation": Violation.KILLING})
                    )
                }
                by_country = [
                    case_id
                    async for row in unesco_rows(db, filters=filters)
                    for case_id in (
                        *row.resolved_cases,
                        *row.ongoing_cases,
                        *row.no_information_cases,
                    )
                ]
                assert sorted(by_country) == sorted(killings), (country, since)
        assert ids["mx_unverified"] not in exported and ids["pk_rejected"] not in exported
    finally:
        await db.close()


async def test_the_visibility_rule_always_applies(seeded: tuple[Path, dict[str, str]]) -> None:
    """Verified only unless asked; no statuses means no case, never every case."""
    path, ids = seeded
    db = await open_db(path)
    try:
        nothing = await cases.search(db.read, SearchQuery(statuses=(), limit=100))
        assert nothing == []
        own = await cases.search(
            db.read,
            SearchQuery(statuses=(Status.REPORTED,), reporter_id=MEMBER, limit=100),
        )
        assert [r.public_id for r in own] == [ids["mx_unverified"]]
        everything = ExportFilters(include_unverified=True)
        listed = {r.case_id async for r in export_rows(db, filters=everything, today=TODAY)}
        assert ids["mx_unverified"] in listed and ids["pk_rejected"] not in listed
    finally:
        await db.close()
