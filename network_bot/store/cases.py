"""Cases: the record, its ID sequence, its search index and its review cards."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from network_bot.clock import iso, parse_iso
from network_bot.data import countries
from network_bot.store.case_filter import case_filter
from network_bot.store.db import Conn
from network_bot.vocabulary import (
    DatePrecision,
    Gender,
    Perpetrator,
    Profession,
    Stage,
    Status,
    Urgency,
    Violation,
)

# The reporter of imported records: not a Slack user (the ID cannot be one), never active.
IMPORTER_ID = "network-bot-import"


class NewCase(BaseModel):
    """Everything a report provides; validated by the service before it gets here."""

    model_config = ConfigDict(frozen=True)

    reporter_id: str
    reporter_anonymous: bool = False
    victim_names: str = ""
    victim_withheld: bool = False
    profession: Profession
    gender: Gender = Gender.UNKNOWN
    violation: Violation
    incident_date: date
    country: str
    place: str = ""
    perpetrator: Perpetrator = Perpetrator.UNKNOWN
    urgency: Urgency = Urgency.ROUTINE
    summary: str
    sources: tuple[str, ...] = ()
    restricted_notes: str = ""
    # Imported history: how precise the date is (``incident_date`` is its first possible day,
    # ``date_end`` its last), and where the record came from ('' = reported in the bot).
    date_precision: DatePrecision = DatePrecision.DAY
    date_end: date | None = None
    date_approximate: bool = False
    provenance: str = ""
    provenance_note: str = ""


class CaseRecord(NewCase):
    """A stored case, restricted part included: only coordinators' views may hold one."""

    id: int
    public_id: str
    created_at: datetime
    updated_at: datetime
    status: Status = Status.REPORTED
    status_reason: str = ""
    duplicate_of: int | None = None
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    justice_stage: Stage = Stage.NO_INVESTIGATION
    justice_stage_date: date | None = None
    redacted_at: datetime | None = None
    anniversary: str | None = None  # a coordinator's 'on' / 'off'; None: the default


# What ``victim_label`` says when there is no name to show (renderers translate these).
VICTIM_WITHHELD, VICTIM_UNKNOWN = "name withheld", "not known"


class PublicCase(BaseModel):
    """The broadcastable part of a case: the only shape member-facing code may render.

    No restricted notes; no reporter when the reporter asked to stay anonymous; no victim names
    when they are withheld.
    """

    model_config = ConfigDict(frozen=True)

    id: int
    public_id: str
    status: Status
    victim_label: str  # the names, or "name withheld" (renderers say it in the reader's words)
    profession: Profession
    gender: Gender
    violation: Violation
    incident_date: date
    country: str
    place: str
    perpetrator: Perpetrator
    urgency: Urgency
    summary: str
    sources: tuple[str, ...]
    justice_stage: Stage
    justice_stage_date: date | None
    reporter_id: str | None
    created_at: datetime
    redacted: bool
    date_precision: DatePrecision = DatePrecision.DAY
    date_end: date | None = None
    date_approximate: bool = False
    provenance: str = ""
    provenance_note: str = ""
    victim_named: bool = True  # False: withheld or unknown, ``victim_label`` holds no name

    @classmethod
    def of(cls, record: CaseRecord) -> PublicCase:
        return cls(
            id=record.id,
            public_id=record.public_id,
            status=record.status,
            victim_label=(
                VICTIM_WITHHELD
                if record.victim_withheld or record.redacted_at is not None
                else record.victim_names or VICTIM_UNKNOWN
            ),
            victim_named=not record.victim_withheld and bool(record.victim_names),
            profession=record.profession,
            gender=record.gender,
            violation=record.violation,
            incident_date=record.incident_date,
            country=record.country,
            place=record.place,
            perpetrator=record.perpetrator,
            urgency=record.urgency,
            summary=record.summary,
            sources=record.sources,
            justice_stage=record.justice_stage,
            justice_stage_date=record.justice_stage_date,
            reporter_id=None if record.reporter_anonymous else record.reporter_id,
            created_at=record.created_at,
            redacted=record.redacted_at is not None,
            date_precision=record.date_precision,
            date_end=record.date_end,
            date_approximate=record.date_approximate,
            provenance=record.provenance,
            provenance_note=record.provenance_note,
        )


class SearchQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    words: tuple[str, ...] = ()
    country: str | None = None
    statuses: tuple[Status, ...] = (Status.VERIFIED,)
    violation: Violation | None = None
    since: date | None = None
    reporter_id: str | None = None
    limit: int = Field(default=10, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


def _record(row: sqlite3.Row) -> CaseRecord:
    data = dict(row)
    data["sources"] = tuple(json.loads(data["sources"] or "[]"))
    for key in ("created_at", "updated_at", "reviewed_at", "redacted_at"):
        data[key] = parse_iso(data[key]) if data[key] else None
    data["reporter_anonymous"] = bool(data["reporter_anonymous"])
    data["victim_withheld"] = bool(data["victim_withheld"])
    data["date_approximate"] = bool(data.get("date_approximate"))
    return CaseRecord.model_validate(data)


def insert_values(case: NewCase, *, public_id: str, now: datetime) -> tuple[Any, ...]:
    """The values of ``insert``'s columns, in order (bulk loaders reuse them)."""
    return (
        public_id,
        iso(now),
        iso(now),
        case.reporter_id,
        int(case.reporter_anonymous),
        case.victim_names,
        int(case.victim_withheld),
        case.profession.value,
        case.gender.value,
        case.violation.value,
        case.incident_date.isoformat(),
        case.country,
        case.place,
        case.perpetrator.value,
        case.urgency.value,
        case.summary,
        json.dumps(list(case.sources)),
        case.restricted_notes,
        case.date_precision.value,
        case.date_end.isoformat() if case.date_end else None,
        int(case.date_approximate),
        case.provenance,
        case.provenance_note,
    )


# The columns ``insert_values`` gives values for, in order.
INSERT_COLUMNS = (
    "public_id, created_at, updated_at, reporter_id, reporter_anonymous, victim_names, "
    "victim_withheld, profession, gender, violation, incident_date, country, place, perpetrator, "
    "urgency, summary, sources, restricted_notes, date_precision, date_end, date_approximate, "
    "provenance, provenance_note"
)
INSERT_MARKS = ", ".join("?" for _ in INSERT_COLUMNS.split(","))


async def insert(conn: Conn, case: NewCase, *, public_id: str, now: datetime) -> int:
    case_id = await conn.execute(
        f"INSERT INTO cases ({INSERT_COLUMNS}) VALUES ({INSERT_MARKS})",
        insert_values(case, public_id=public_id, now=now),
    )
    await reindex(conn, case_id)
    return case_id


async def reindex(conn: Conn, case_id: int) -> None:
    """Put the case's broadcastable text (and nothing else) into the search index."""
    await conn.execute("DELETE FROM cases_fts WHERE rowid = ?", (case_id,))
    row = await conn.fetch_one(
        "SELECT public_id, victim_names, victim_withheld, summary, place, country "
        "FROM cases WHERE id = ?",
        (case_id,),
    )
    if row is None:
        return
    country = countries.by_code(row["country"])
    await conn.execute(
        "INSERT INTO cases_fts (rowid, public_id, victim_names, summary, place, country_name) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            case_id,
            row["public_id"],
            "" if row["victim_withheld"] else row["victim_names"],
            row["summary"],
            row["place"],
            country.name if country else row["country"],
        ),
    )


async def get(conn: Conn, case_id: int) -> CaseRecord | None:
    row = await conn.fetch_one("SELECT * FROM cases WHERE id = ?", (case_id,))
    return None if row is None else _record(row)


async def get_by_public_id(conn: Conn, public_id: str) -> CaseRecord | None:
    row = await conn.fetch_one("SELECT * FROM cases WHERE public_id = ?", (public_id.upper(),))
    return None if row is None else _record(row)


async def get_many(conn: Conn, case_ids: Sequence[int]) -> list[CaseRecord]:
    if not case_ids:
        return []
    marks = ",".join("?" for _ in case_ids)
    rows = await conn.fetch_all(f"SELECT * FROM cases WHERE id IN ({marks})", tuple(case_ids))
    return [_record(r) for r in rows]


async def set_status(
    conn: Conn,
    *,
    case_id: int,
    expected: Sequence[Status],
    status: Status,
    reason: str,
    by: str,
    now: datetime,
    duplicate_of: int | None = None,
) -> bool:
    """Move to ``status`` only from one of ``expected``; False if someone got there first."""
    marks = ",".join("?" for _ in expected)
    changed = await conn.execute_rowcount(
        f"""
        UPDATE cases SET status = ?, status_reason = ?, duplicate_of = ?, reviewed_by = ?,
                         reviewed_at = ?, updated_at = ?
         WHERE id = ? AND status IN ({marks})
        """,
        (
            status.value,
            reason,
            duplicate_of,
            by,
            iso(now),
            iso(now),
            case_id,
            *[s.value for s in expected],
        ),
    )
    return changed == 1


def match_expression(words: Sequence[str]) -> str:
    """Each word as a quoted FTS5 string, ANDed: member text can never be FTS syntax.

    A case ID is matched as written; other words are stemmed by the index's tokenizer.
    """
    terms = []
    for word in words:
        cleaned = "".join(ch for ch in word if ch.isalnum() or ch in "-'")
        cleaned = cleaned.strip("-'")
        if cleaned:
            terms.append('"' + cleaned.replace('"', '""') + '"')
    return " AND ".join(terms)


async def search(conn: Conn, query: SearchQuery) -> list[CaseRecord]:
    """Newest reported first; ``limit`` rows from ``offset``."""
    where, params = case_filter(
        statuses=query.statuses,
        country=query.country,
        violation=query.violation,
        since=query.since,
        reporter_id=query.reporter_id,
    )
    match = match_expression(query.words)
    if match:
        sql = (
            "SELECT c.* FROM cases_fts JOIN cases c ON c.id = cases_fts.rowid "
            f"WHERE cases_fts MATCH ? AND {' AND '.join(where)} "
            "ORDER BY cases_fts.rowid DESC LIMIT ? OFFSET ?"
        )
        params.insert(0, match)
    else:
        sql = (
            f"SELECT c.* FROM cases c WHERE {' AND '.join(where)} "
            "ORDER BY c.id DESC LIMIT ? OFFSET ?"
        )
    params.extend([query.limit, query.offset])
    return [_record(r) for r in await conn.fetch_all(sql, params)]


async def duplicate_candidates(
    conn: Conn,
    *,
    country: str,
    around: date,
    name_patterns: Sequence[str],
    days: int = 30,
    exclude_id: int | None = None,
    limit: int = 50,
) -> list[CaseRecord]:
    """Open cases in ``country`` near ``around``, or whose *shared* names match a pattern.

    Names are matched only where they are neither withheld nor redacted, so the result can
    never confirm a withheld name. The caller decides what counts as similar.
    """
    start = (around - timedelta(days=days)).isoformat()
    end = (around + timedelta(days=days)).isoformat()
    name_match = " OR ".join("victim_names LIKE ? ESCAPE '\\'" for _ in name_patterns) or "0"
    patterns = ["%" + _like_escape(t) + "%" for t in name_patterns]
    rows = await conn.fetch_all(
        f"""
        SELECT * FROM cases
         WHERE country = ? AND status NOT IN ('rejected', 'duplicate')
           AND (? IS NULL OR id != ?)
           AND ((incident_date BETWEEN ? AND ?)
                OR (victim_withheld = 0 AND redacted_at IS NULL AND ({name_match})))
         ORDER BY id DESC
         LIMIT ?
        """,
        (country, exclude_id, exclude_id, start, end, *patterns, limit),
    )
    return [_record(r) for r in rows]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def record_review_card(conn: Conn, *, case_id: int, outbox_id: int) -> None:
    await conn.execute(
        "INSERT INTO case_reviews (case_id, outbox_id) VALUES (?, ?) "
        "ON CONFLICT (case_id) DO UPDATE SET outbox_id = excluded.outbox_id",
        (case_id, outbox_id),
    )


async def review_card_outbox_id(conn: Conn, case_id: int) -> int | None:
    value = await conn.fetch_value(
        "SELECT outbox_id FROM case_reviews WHERE case_id = ?", (case_id,)
    )
    return None if value is None else int(value)


async def set_stage(
    conn: Conn, *, case_id: int, stage: Stage, stage_date: date, now: datetime
) -> None:
    await conn.execute(
        "UPDATE cases SET justice_stage = ?, justice_stage_date = ?, updated_at = ? WHERE id = ?",
        (stage.value, stage_date.isoformat(), iso(now), case_id),
    )


async def review_queue(conn: Conn, *, limit: int = 10) -> list[CaseRecord]:
    """Reports waiting for a coordinator, oldest first."""
    rows = await conn.fetch_all(
        "SELECT * FROM cases WHERE status IN ('reported', 'under_review') ORDER BY id LIMIT ?",
        (limit,),
    )
    return [_record(r) for r in rows]


async def review_waiting(conn: Conn) -> int:
    """How many reports wait for a coordinator, however many a page shows."""
    sql = "SELECT count(*) FROM cases WHERE status IN ('reported', 'under_review')"
    return int(await conn.fetch_value(sql) or 0)


async def by_reporter(conn: Conn, reporter_id: str, *, limit: int = 10) -> list[CaseRecord]:
    rows = await conn.fetch_all(
        "SELECT * FROM cases WHERE reporter_id = ? ORDER BY id DESC LIMIT ?", (reporter_id, limit)
    )
    return [_record(r) for r in rows]


async def unresolved_killings(conn: Conn, *, limit: int = 500) -> list[CaseRecord]:
    """Verified killings without a full conviction: the campaign's core list."""
    rows = await conn.fetch_all(
        """
        SELECT * FROM cases
         WHERE status = 'verified' AND violation = 'killing'
           AND justice_stage != 'convicted_full'
         ORDER BY country, incident_date
         LIMIT ?
        """,
        (limit,),
    )
    return [_record(r) for r in rows]
