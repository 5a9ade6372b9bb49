"""What an export may contain: one row per case, cut from the broadcastable part.

This is the one place that decides what leaves the bot in a file, so the CLI
(``network-bot export``) and the Slack side (``/cases export``) cannot drift apart:

- no reporter column, ever (anonymous or not);
- no victim names when they are withheld or the case was redacted;
- verified cases only, unless a coordinator consents to unverified ones;
- restricted notes only with an admin's consent, recorded in the audit log first, and even then
  scrubbed of an anonymous reporter's identity (ID, names, organisation) should a note name them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from network_bot.data import countries
from network_bot.i18n import say
from network_bot.roles import Role
from network_bot.services.impunity import counts_impunity, impunity_days, impunity_for
from network_bot.store import audit, members
from network_bot.store.audit import Outcome
from network_bot.store.case_filter import case_filter
from network_bot.store.db import Conn, Database
from network_bot.vocabulary import (
    DatePrecision,
    Impunity,
    Profession,
    Stage,
    Status,
    Violation,
)

CHUNK_ROWS = 1000
WITHHELD = "name withheld"
SCRUBBED = "[reporter withheld]"

UNVERIFIED = (Status.REPORTED, Status.UNDER_REVIEW)


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    XLSX = "xlsx"


class ExportFilters(BaseModel):
    """Which cases: every filter is optional; rejected and duplicate reports are never exported."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str | None = None
    since: date | None = Field(default=None, description="incident on or after this date")
    violation: Violation | None = None
    include_unverified: bool = False

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        found = countries.by_code(value)
        if found is None:
            raise ValueError(f"unknown country code {value[:10]!r} (expected ISO 3166-1, e.g. PK)")
        return found.code

    @property
    def statuses(self) -> tuple[Status, ...]:
        return (Status.VERIFIED, *UNVERIFIED) if self.include_unverified else (Status.VERIFIED,)

    def where(self, *, violation: Violation | None = None) -> tuple[list[str], list[object]]:
        """These filters as conditions on ``cases c`` (``violation`` narrows further)."""
        return case_filter(
            statuses=self.statuses,
            country=self.country,
            violation=violation or self.violation,
            since=self.since,
        )


class ExportRequest(BaseModel):
    """One export as asked: the format, the filters, and the extras that need consent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: ExportFormat
    filters: ExportFilters = ExportFilters()
    restricted: bool = False
    unesco: bool = False

    @model_validator(mode="after")
    def _compatible(self) -> ExportRequest:
        if self.unesco and self.restricted:
            raise ValueError("the UNESCO layout counts cases; it has no restricted notes to add")
        if self.unesco and self.filters.violation not in (None, Violation.KILLING):
            raise ValueError("the UNESCO layout covers killings only")
        return self

    @property
    def consent_role(self) -> Role | None:
        """Who must consent: an admin for restricted notes, a coordinator for unverified cases."""
        if self.restricted:
            return Role.ADMIN
        if self.filters.include_unverified:
            return Role.COORDINATOR
        return None

    def describe(self) -> str:
        """The export in one line, for the audit log."""
        return json.dumps(
            {
                "format": self.format.value,
                "unesco": self.unesco,
                "restricted": self.restricted,
                "filters": self.filters.model_dump(mode="json", exclude_defaults=True),
            },
            separators=(",", ":"),
        )


class ExportRow(BaseModel):
    """A case as exported: the broadcastable part only. Field order is column order."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    country: str
    country_name: str
    victim_names: str
    profession: Profession
    violation: Violation
    incident_date: date
    date_precision: DatePrecision  # how much of the date is known: incident_date is its first day
    date_end: date | None  # the last day it can be, when the date is a month, a year or a range
    date_approximate: bool
    justice_stage: Stage
    impunity: Impunity | None  # killings only: CPJ's rule is about murders
    impunity_days: int | None
    verification: Status
    sources: tuple[str, ...]
    provenance: str  # where an imported record came from; empty for cases reported in the bot


class RestrictedExportRow(ExportRow):
    """An admin-consented export: the broadcastable part plus the restricted notes."""

    restricted_notes: str


class ConsentRefused(Exception):
    """The person named to consent may not: the message says why in one line."""


async def authorise(
    db: Database, *, consent_of: str, request: ExportRequest, destination: str, now: datetime
) -> None:
    """Check that ``consent_of`` may consent to ``request`` and record it before anything is
    written; a refusal is recorded too. Exports that need no consent pass untouched."""
    needed = request.consent_role
    if needed is None:
        return
    member = await members.get(db.read, consent_of)
    allowed = member is not None and member.is_active and member.role.allows(needed)
    detail = f"{request.describe()} to {destination}"
    async with db.transaction() as tx:
        await audit.record(
            tx,
            at=now,
            actor_id=consent_of[:40],
            action="export.restricted" if request.restricted else "export.unverified",
            target="cases",
            outcome=Outcome.READ if allowed else Outcome.REFUSED,
            detail=detail,
        )
    if not allowed:
        raise ConsentRefused(
            say(
                "{user} is not a current {role} in the members table, so cannot consent to "
                "exporting restricted notes",
                user=consent_of[:40],
                role=needed,
            )
            if request.restricted
            else say(
                "{user} is not a current {role} in the members table, so cannot consent to "
                "exporting unverified cases",
                user=consent_of[:40],
                role=needed,
            )
        )


async def export_rows(
    db: Database,
    *,
    filters: ExportFilters,
    today: date,
    restricted: bool = False,
    chunk: int = CHUNK_ROWS,
) -> AsyncIterator[ExportRow]:
    """Every matching case in ID order, read ``chunk`` rows at a time (keyset on ``id``), so
    memory stays flat however many cases there are. ``restricted`` adds the notes: call
    :func:`authorise` first."""
    last_id = 0
    while True:
        rows = await _chunk(db.read, filters=filters, after=last_id, limit=chunk, notes=restricted)
        for row in rows:
            yield _shape(row, today=today, restricted=restricted)
        if len(rows) < chunk:
            return
        last_id = int(rows[-1]["id"])


async def _chunk(
    conn: Conn, *, filters: ExportFilters, after: int, limit: int, notes: bool
) -> list[sqlite3.Row]:
    where, params = filters.where()
    where.append("c.id > ?")
    params.append(after)
    # The reporter is read only to scrub an anonymous one out of the notes; it is never a column.
    extra = (
        ", c.restricted_notes, c.reporter_anonymous, c.reporter_id, "
        "m.display_name AS reporter_display, m.real_name AS reporter_real, "
        "m.organisation AS reporter_org"
        if notes
        else ""
    )
    join = "LEFT JOIN members m ON m.user_id = c.reporter_id" if notes else ""
    sql = f"""
        SELECT c.id, c.public_id, c.country, c.victim_names, c.victim_withheld, c.redacted_at,
               c.profession, c.violation, c.incident_date, c.justice_stage, c.status,
               c.sources, c.date_precision, c.date_end, c.date_approximate, c.provenance{extra}
          FROM cases c {join}
         WHERE {" AND ".join(where)}
         ORDER BY c.id
         LIMIT ?
    """
    params.append(limit)
    return await conn.fetch_all(sql, params)


def _shape(row: sqlite3.Row, *, today: date, restricted: bool) -> ExportRow:
    stage = Stage(row["justice_stage"])
    violation = Violation(row["violation"])
    incident = date.fromisoformat(row["incident_date"])
    country = countries.by_code(row["country"])
    hidden = bool(row["victim_withheld"]) or row["redacted_at"] is not None
    values = {
        "case_id": row["public_id"],
        "country": row["country"],
        "country_name": country.name if country else row["country"],
        "victim_names": WITHHELD if hidden else row["victim_names"],
        "profession": row["profession"],
        "violation": row["violation"],
        "incident_date": incident,
        "date_precision": row["date_precision"],
        "date_end": row["date_end"],
        "date_approximate": bool(row["date_approximate"]),
        "justice_stage": stage,
        "impunity": impunity_for(violation, stage),
        "impunity_days": (
            impunity_days(incident=incident, stage=stage, today=today)
            if counts_impunity(violation)
            else None
        ),
        "verification": row["status"],
        "sources": tuple(json.loads(row["sources"] or "[]")),
        "provenance": row["provenance"],
    }
    if not restricted:
        return ExportRow.model_validate(values)
    notes = str(row["restricted_notes"])
    if row["reporter_anonymous"]:
        notes = scrub(
            notes,
            [
                row["reporter_id"],
                row["reporter_display"],
                row["reporter_real"],
                row["reporter_org"],
            ],
        )
    return RestrictedExportRow.model_validate({**values, "restricted_notes": notes})


def scrub(text: str, identities: list[str | None]) -> str:
    """Replace each identity (whole words, any case) with a placeholder. Too-short names are
    skipped, as they would mangle ordinary words; the user ID always goes."""
    for identity in sorted(
        {i.strip() for i in identities if i and i.strip()}, key=len, reverse=True
    ):
        if len(identity) < 3:
            continue
        text = re.sub(rf"(?<!\w){re.escape(identity)}(?!\w)", SCRUBBED, text, flags=re.I)
    return text
