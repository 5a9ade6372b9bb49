"""The campaign desk's records: emblematic cases, UNESCO requests and answers, digest charts.

Every read here that feeds something members see selects verified cases only, and returns
counts, IDs and records; callers turn records into ``PublicCase`` before rendering.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from network_bot.clock import iso
from network_bot.store.cases import CaseRecord, _record
from network_bot.store.db import Conn

KILLINGS = "c.status = 'verified' AND c.violation = 'killing'"
CHARTS = "campaign-charts"  # the after-commit topic: a chart was queued for the uploader


class StateAnswer(StrEnum):
    """What the state told UNESCO about a killing's judicial status (or that it told nothing)."""

    NONE = "none"
    RESOLVED = "resolved"
    ONGOING = "ongoing"


class UnescoEntry(BaseModel):
    """UNESCO's request about one killing for one report cycle, and the state's answer."""

    model_config = ConfigDict(frozen=True)

    case_id: int
    cycle: int
    requested_on: date
    answer: StateAnswer = StateAnswer.NONE
    answered_on: date | None = None
    source_url: str = ""
    recorded_by: str
    recorded_at: datetime


class CountryDebt(BaseModel):
    """One country's line of the roll-up: killings, how many the state answered, the oldest
    killing it has not answered about."""

    model_config = ConfigDict(frozen=True)

    country: str
    killings: int
    answered: int
    oldest_unanswered_id: str | None = None
    oldest_unanswered_date: date | None = None

    @property
    def unanswered(self) -> int:
        return self.killings - self.answered

    @property
    def share(self) -> float:
        """The share answered, 0 to 1."""
        return self.answered / self.killings if self.killings else 0.0


# ----------------------------------------------------------------------------- emblematic


async def set_emblematic(conn: Conn, *, case_id: int, on: bool, by: str, now: datetime) -> bool:
    """Mark or unmark; False if the case already was as asked (nothing changed)."""
    current = await conn.fetch_value(
        "SELECT emblematic FROM case_campaign WHERE case_id = ?", (case_id,)
    )
    if bool(current) == on:
        return False
    await conn.execute(
        "INSERT INTO case_campaign (case_id, emblematic, changed_by, changed_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET emblematic = excluded.emblematic,"
        " changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        (case_id, int(on), by, iso(now)),
    )
    return True


async def is_emblematic(conn: Conn, case_id: int) -> bool:
    return bool(
        await conn.fetch_value("SELECT emblematic FROM case_campaign WHERE case_id = ?", (case_id,))
    )


async def emblematic_cases(conn: Conn, *, limit: int = 50) -> list[CaseRecord]:
    """Verified emblematic cases, by country then date."""
    rows = await conn.fetch_all(
        "SELECT c.* FROM case_campaign e JOIN cases c ON c.id = e.case_id "
        "WHERE e.emblematic = 1 AND c.status = 'verified' "
        "ORDER BY c.country, c.incident_date, c.id LIMIT ?",
        (limit,),
    )
    return [_record(r) for r in rows]


async def emblematic_anniversaries(conn: Conn, *, month_day: str, before: date) -> list[CaseRecord]:
    """Verified emblematic cases whose incident fell on this day in an earlier year, whatever
    the violation and wherever the case came from: the campaign marks these every year.
    A date known only to the month or year, or approximate, has no anniversary."""
    rows = await conn.fetch_all(
        "SELECT c.* FROM case_campaign e JOIN cases c ON c.id = e.case_id "
        "WHERE e.emblematic = 1 AND c.status = 'verified' "
        "AND substr(c.incident_date, 6, 5) = ? AND c.incident_date < ? "
        # Only a date known to the day has an anniversary (a month's 1st is not one).
        "AND c.date_precision = 'day' AND c.date_approximate = 0 "
        "ORDER BY c.country, c.incident_date",
        (month_day, before.isoformat()),
    )
    return [_record(r) for r in rows]


# ----------------------------------------------------------------------------- UNESCO


def _entry(row: sqlite3.Row) -> UnescoEntry:
    return UnescoEntry.model_validate(dict(row))


async def save_unesco(conn: Conn, entry: UnescoEntry) -> None:
    """One row per killing and cycle: recording the same cycle again replaces it."""
    await conn.execute(
        """
        INSERT INTO unesco_requests (case_id, cycle, requested_on, answer, answered_on,
                                     source_url, recorded_by, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (case_id, cycle) DO UPDATE SET
            requested_on = excluded.requested_on, answer = excluded.answer,
            answered_on = excluded.answered_on, source_url = excluded.source_url,
            recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
        """,
        (
            entry.case_id,
            entry.cycle,
            entry.requested_on.isoformat(),
            entry.answer.value,
            entry.answered_on.isoformat() if entry.answered_on else None,
            entry.source_url,
            entry.recorded_by,
            iso(entry.recorded_at),
        ),
    )


async def unesco_for_case(conn: Conn, case_id: int) -> list[UnescoEntry]:
    """Every cycle on record for a killing, the latest first."""
    rows = await conn.fetch_all(
        "SELECT * FROM unesco_requests WHERE case_id = ? ORDER BY cycle DESC", (case_id,)
    )
    return [_entry(r) for r in rows]


def _population(
    *, country: str | None, cycle: int | None, since: date | None
) -> tuple[str, list[Any]]:
    """The killings a roll-up counts and, for each, whether the state answered.

    Without a cycle: every verified killing; answered if the state answered in any cycle.
    With a cycle: the killings UNESCO asked about in that cycle; answered if it answered then.
    """
    where = [KILLINGS]
    params: list[Any] = []
    answered = "u.case_id = c.id AND u.answer != 'none'"
    answered_params: list[Any] = []
    if cycle is not None:
        answered += " AND u.cycle = ?"
        answered_params.append(cycle)
        where.append(
            "EXISTS (SELECT 1 FROM unesco_requests r WHERE r.case_id = c.id AND r.cycle = ?)"
        )
        params.append(cycle)
    if country:
        where.append("c.country = ?")
        params.append(country)
    if since:
        where.append("c.incident_date >= ?")
        params.append(since.isoformat())
    sql = (
        "SELECT c.id, c.public_id, c.country, c.incident_date, "
        f"EXISTS (SELECT 1 FROM unesco_requests u WHERE {answered}) AS answered "
        f"FROM cases c WHERE {' AND '.join(where)}"
    )
    return sql, [*answered_params, *params]


async def rollup(
    conn: Conn, *, country: str | None = None, cycle: int | None = None, since: date | None = None
) -> list[CountryDebt]:
    """Per country: killings, answered, the oldest unanswered; most owed first."""
    population, params = _population(country=country, cycle=cycle, since=since)
    totals = await conn.fetch_all(
        f"WITH k AS ({population}) SELECT country, count(*) AS killings, "
        "sum(answered) AS answered FROM k GROUP BY country",
        params,
    )
    # SQLite takes the bare columns from the row that holds the min().
    oldest = await conn.fetch_all(
        f"WITH k AS ({population}) SELECT country, public_id, min(incident_date) AS since "
        "FROM k WHERE NOT answered GROUP BY country",
        params,
    )
    first = {
        str(r["country"]): (str(r["public_id"]), date.fromisoformat(r["since"])) for r in oldest
    }
    found = [
        CountryDebt(
            country=str(r["country"]),
            killings=int(r["killings"]),
            answered=int(r["answered"] or 0),
            oldest_unanswered_id=first.get(str(r["country"]), (None, None))[0],
            oldest_unanswered_date=first.get(str(r["country"]), (None, None))[1],
        )
        for r in totals
    ]
    return sorted(
        found,
        key=lambda d: (-d.unanswered, d.oldest_unanswered_date or date.max, d.country),
    )


async def unanswered_killings(
    conn: Conn, *, countries: Sequence[str], cycle: int | None, per_country: int
) -> list[CaseRecord]:
    """The oldest ``per_country`` killings in each country that the state has not answered."""
    if not countries:
        return []
    population, params = _population(country=None, cycle=cycle, since=None)
    marks = ",".join("?" for _ in countries)
    rows = await conn.fetch_all(
        f"WITH k AS ({population}), ranked AS (SELECT id, row_number() OVER "
        "(PARTITION BY country ORDER BY incident_date, id) AS n FROM k "
        f"WHERE NOT answered AND country IN ({marks})) "
        "SELECT c.* FROM ranked JOIN cases c ON c.id = ranked.id WHERE ranked.n <= ? "
        "ORDER BY c.country, c.incident_date, c.id",
        [*params, *countries, per_country],
    )
    return [_record(r) for r in rows]


async def latest_answers(conn: Conn) -> dict[int, StateAnswer]:
    """Each killing's latest recorded answer (by cycle), for killings the state answered."""
    rows = await conn.fetch_all(
        "SELECT case_id, answer FROM unesco_requests u WHERE answer != 'none' AND cycle = "
        "(SELECT max(cycle) FROM unesco_requests v WHERE v.case_id = u.case_id "
        "AND v.answer != 'none')"
    )
    return {int(r["case_id"]): StateAnswer(r["answer"]) for r in rows}


# ----------------------------------------------------------------------------- charts


async def killings_by_year(
    conn: Conn, *, country: str | None, since: int | None
) -> list[tuple[int, str, int]]:
    """(year, justice stage, count) for verified killings: the chart's first panel."""
    where = [KILLINGS]
    params: list[Any] = []
    if country:
        where.append("c.country = ?")
        params.append(country)
    if since:
        where.append("c.incident_date >= ?")
        params.append(f"{since:04d}-01-01")
    rows = await conn.fetch_all(
        "SELECT CAST(substr(c.incident_date, 1, 4) AS INTEGER) AS year, c.justice_stage, "
        f"count(*) FROM cases c WHERE {' AND '.join(where)} GROUP BY year, c.justice_stage "
        "ORDER BY year",
        params,
    )
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


class ChartJob(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    target_id: str
    spec: dict[str, Any]
    attempts: int


async def queue_chart(
    conn: Conn, *, key: str, target_id: str, spec: dict[str, Any], now: datetime
) -> bool:
    """A chart to draw and upload after this transaction; queued once per key."""
    conn.after_commit(CHARTS)
    return (
        await conn.execute_rowcount(
            "INSERT INTO campaign_charts (created_at, dedupe_key, target_id, spec, "
            "next_attempt_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
            (iso(now), key, target_id, json.dumps(spec, separators=(",", ":")), iso(now)),
        )
        == 1
    )


async def claim_chart(conn: Conn, *, now: datetime) -> ChartJob | None:
    """The oldest chart due, its attempt counted before it is tried."""
    row = await conn.fetch_one(
        "UPDATE campaign_charts SET attempts = attempts + 1 WHERE id = "
        "(SELECT id FROM campaign_charts WHERE state = 'pending' AND next_attempt_at <= ? "
        "ORDER BY next_attempt_at, id LIMIT 1) RETURNING id, target_id, spec, attempts",
        (iso(now),),
    )
    if row is None:
        return None
    return ChartJob(
        id=int(row["id"]),
        target_id=str(row["target_id"]),
        spec=json.loads(row["spec"]),
        attempts=int(row["attempts"]),
    )


async def finish_chart(
    conn: Conn,
    *,
    job_id: int,
    now: datetime,
    file_id: str | None = None,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Sent (with its file id), to be tried again at ``retry_at``, or failed for good."""
    state = "sent" if file_id else ("pending" if retry_at else "failed")
    await conn.execute(
        "UPDATE campaign_charts SET state = ?, file_id = ?, last_error = ?, sent_at = ?, "
        "next_attempt_at = coalesce(?, next_attempt_at) WHERE id = ?",
        (
            state,
            file_id,
            (error or "")[:200] or None,
            None if retry_at else iso(now),
            iso(retry_at) if retry_at else None,
            job_id,
        ),
    )


async def due_charts(conn: Conn, *, now: datetime) -> int:
    return int(
        await conn.fetch_value(
            "SELECT count(*) FROM campaign_charts WHERE state = 'pending' AND next_attempt_at <= ?",
            (iso(now),),
        )
    )


async def chart_states(conn: Conn) -> dict[str, int]:
    rows = await conn.fetch_all("SELECT state, count(*) FROM campaign_charts GROUP BY state")
    return {str(r[0]): int(r[1]) for r in rows}
