"""Many cases at once: one statement per table for a whole batch, search index included.

Imports and the benchmarks load cases through here; ``cases.insert`` stays the path for a single
report. Call it inside a write transaction (which holds SQLite's write lock), so the IDs it
hands out cannot race another writer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from network_bot.clock import iso
from network_bot.data import countries
from network_bot.store.cases import INSERT_COLUMNS, INSERT_MARKS, NewCase, insert_values
from network_bot.store.db import Conn
from network_bot.vocabulary import Stage, Status

_PUBLIC_ID = re.compile(r"^([A-Z]{1,6})-(\d{4})-(\d{4,})$")


@dataclass(frozen=True, kw_only=True)
class BulkCase:
    """A case to insert with the state it already has elsewhere (verified, a justice stage)."""

    case: NewCase
    status: Status = Status.VERIFIED
    stage: Stage = Stage.NO_INVESTIGATION
    reviewed_by: str | None = None
    public_id: str | None = None  # kept as given (another installation's ID), else the next one
    id_year: int | None = None  # the year in a new ID; default: the incident's year


async def insert_many(
    conn: Conn, items: Sequence[BulkCase], *, prefix: str, now: datetime
) -> list[tuple[int, str]]:
    """Insert every item; return each one's row ID and public ID, in order."""
    if not items:
        return []
    first_id = int(await conn.fetch_value("SELECT coalesce(max(id), 0) FROM cases")) + 1
    public_ids = await _public_ids(conn, items, prefix=prefix)
    stamp = iso(now)
    rows = []
    index_rows = []
    for offset, (item, public_id) in enumerate(zip(items, public_ids, strict=True)):
        case_id = first_id + offset
        reviewed = item.status is not Status.REPORTED
        rows.append(
            (
                case_id,
                *insert_values(item.case, public_id=public_id, now=now),
                item.status.value,
                item.stage.value,
                item.reviewed_by if reviewed else None,
                stamp if reviewed else None,
            )
        )
        index_rows.append(index_row(case_id, public_id, item.case))
    await conn.executemany(
        f"INSERT INTO cases (id, {INSERT_COLUMNS}, status, justice_stage, reviewed_by, "
        f"reviewed_at) VALUES (?, {INSERT_MARKS}, ?, ?, ?, ?)",
        rows,
    )
    await conn.executemany(
        "INSERT INTO cases_fts (rowid, public_id, victim_names, summary, place, country_name) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        index_rows,
    )
    return [(first_id + n, public_id) for n, public_id in enumerate(public_ids)]


def index_row(case_id: int, public_id: str, case: NewCase) -> tuple[object, ...]:
    """The case's search entry: its broadcastable text only (never a withheld name)."""
    country = countries.by_code(case.country)
    return (
        case_id,
        public_id,
        "" if case.victim_withheld else case.victim_names,
        case.summary,
        case.place,
        country.name if country else case.country,
    )


async def _public_ids(conn: Conn, items: Sequence[BulkCase], *, prefix: str) -> list[str]:
    """Given IDs kept, with their year's counter moved past them first so that neither the new
    IDs drawn here nor later reports reuse one; new IDs drawn a year's block at a time."""
    highest: dict[tuple[str, int], int] = {}
    for item in items:
        match = _PUBLIC_ID.match(item.public_id or "")
        if match:
            key = (match[1], int(match[2]))
            highest[key] = max(highest.get(key, 0), int(match[3]))
    for (given_prefix, year), number in sorted(highest.items()):
        await conn.execute(
            "INSERT INTO case_counters (prefix, year, last) VALUES (?, ?, ?) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = max(last, excluded.last)",
            (given_prefix, year, number),
        )
    wanted = Counter(
        item.id_year or item.case.incident_date.year for item in items if item.public_id is None
    )
    next_number: dict[int, int] = {}
    for year, count in sorted(wanted.items()):
        last = await conn.fetch_value(
            "INSERT INTO case_counters (prefix, year, last) VALUES (?, ?, ?) "
            "ON CONFLICT (prefix, year) DO UPDATE SET last = last + excluded.last RETURNING last",
            (prefix, year, count),
        )
        next_number[year] = int(last) - count + 1
    found: list[str] = []
    for item in items:
        if item.public_id is not None:
            found.append(item.public_id)
            continue
        year = item.id_year or item.case.incident_date.year
        found.append(f"{prefix}-{year}-{next_number[year]:04d}")
        next_number[year] += 1
    return found
