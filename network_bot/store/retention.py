"""Retention: forget what the network no longer needs, in small batches, in plain SQL.

Three limits in days (0 keeps forever):

- **deliveries**: outbox rows that are finished (``sent``, ``failed``, ``cancelled``) and older
  than the limit. Never ``pending`` or ``sending`` rows, and never a row something still points
  at: a review card (``case_reviews.outbox_id``), an alert's live status message
  (``alerts.status_outbox_id``), or the post that a kept update/delete row edits
  (``outbox.edits_id``, followed to the end of the chain). Those stay so the bot can still edit
  them. Trade-off: once an alert's deliveries are pruned, ``/alert status`` counts only those
  still on record and a recall cannot edit the pruned ones into recall notes (the alert row
  keeps its counts), and a pruned row's dedupe key can be used again (the keys name one-off
  events).
- **charts**: chart jobs (``campaign_charts``) that are finished (``sent`` or ``failed``) and
  older than the deliveries' limit: they are deliveries too. A pending one never goes. The PNG
  itself is not kept (it was drawn for the upload and lives in Slack); the row holds filters,
  the file's ID and the last error. As with deliveries, a pruned job's dedupe key (a day's
  digest chart, a day's campaign post) can be used again.
- **audit entries** older than the limit.
- **rejected reports** rejected longer ago than the limit, with everything that hangs off them:
  their search-index row, review card, follows, updates and those updates' notifications.
  Verified and duplicate cases are never pruned, nor a rejected one that an alert or a
  duplicate still points at.

Each batch is its own short write transaction, so the running bot's writes wait at most one
batch. Rejected reports go first, since deleting their review cards frees outbox rows.
Afterwards the search index is merged and the write-ahead log truncated, so that no deleted
text stays in the file (``secure_delete`` zeroes freed pages).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from network_bot.clock import iso
from network_bot.store import audit
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database
from network_bot.store.redaction import compact_search_index

BATCH_ROWS = 1000


class _RetentionSettings(Protocol):
    @property
    def keep_deliveries_days(self) -> int: ...

    @property
    def keep_audit_days(self) -> int: ...

    @property
    def keep_rejected_days(self) -> int: ...


class RetentionPolicy(BaseModel):
    """How many days to keep each kind; 0 keeps it forever."""

    model_config = ConfigDict(frozen=True)

    deliveries_days: int = Field(default=90, ge=0)
    audit_days: int = Field(default=730, ge=0)
    rejected_days: int = Field(default=365, ge=0)

    @classmethod
    def from_settings(cls, settings: _RetentionSettings) -> RetentionPolicy:
        return cls(
            deliveries_days=settings.keep_deliveries_days,
            audit_days=settings.keep_audit_days,
            rejected_days=settings.keep_rejected_days,
        )


class PruneReport(BaseModel):
    """How many rows went (or, in a dry run, would go), by kind."""

    model_config = ConfigDict(frozen=True)

    deliveries: int = 0
    charts: int = 0
    audit_entries: int = 0
    rejected_cases: int = 0
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.deliveries + self.charts + self.audit_entries + self.rejected_cases


# Outbox rows that must stay: referenced by a review card, an alert's status message, or edited
# by a row that stays (pending, recent, or itself held), transitively along edits_id.
_HELD_DELIVERIES = """
    WITH RECURSIVE held(id) AS (
        SELECT outbox_id FROM case_reviews WHERE outbox_id IS NOT NULL
        UNION
        SELECT status_outbox_id FROM alerts WHERE status_outbox_id IS NOT NULL
        UNION
        SELECT edits_id FROM outbox
         WHERE edits_id IS NOT NULL
           AND (state NOT IN ('sent', 'failed', 'cancelled') OR created_at >= :cutoff)
        UNION
        SELECT o.edits_id FROM outbox o JOIN held ON o.id = held.id
         WHERE o.edits_id IS NOT NULL
    )
"""
_PRUNABLE_DELIVERIES = """
    SELECT id FROM outbox
     WHERE state IN ('sent', 'failed', 'cancelled') AND created_at < :cutoff
       AND id NOT IN (SELECT id FROM held WHERE id IS NOT NULL)
"""
_PRUNABLE_REJECTED = """
    SELECT c.id FROM cases c
     WHERE c.status = 'rejected' AND coalesce(c.reviewed_at, c.updated_at) < :cutoff
       AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = c.id)
       AND NOT EXISTS (SELECT 1 FROM cases d WHERE d.duplicate_of = c.id)
"""
_PRUNABLE_AUDIT = "SELECT id FROM audit_log WHERE at < :cutoff"
_PRUNABLE_CHARTS = """
    SELECT id FROM campaign_charts
     WHERE state IN ('sent', 'failed') AND coalesce(sent_at, created_at) < :cutoff
"""


def _cutoff(now: datetime, days: int) -> str | None:
    return None if days <= 0 else iso(now - timedelta(days=days))


async def prune(
    db: Database,
    *,
    keep: RetentionPolicy,
    now: datetime,
    dry_run: bool = False,
    batch: int = BATCH_ROWS,
) -> PruneReport:
    """Delete what the policy no longer keeps; with ``dry_run`` only count it.

    Records one audit entry (actor ``retention``) when anything was deleted.
    """
    rejected = _cutoff(now, keep.rejected_days)
    deliveries = _cutoff(now, keep.deliveries_days)
    audit_cutoff = _cutoff(now, keep.audit_days)
    if dry_run:
        conn = db.read
        return PruneReport(
            rejected_cases=await _count(conn, _PRUNABLE_REJECTED, rejected),
            deliveries=await _count(conn, _HELD_DELIVERIES + _PRUNABLE_DELIVERIES, deliveries),
            charts=await _count(conn, _PRUNABLE_CHARTS, deliveries),
            audit_entries=await _count(conn, _PRUNABLE_AUDIT, audit_cutoff),
            dry_run=True,
        )
    report = PruneReport(
        rejected_cases=await _batches(db, _delete_rejected, rejected, batch),
        deliveries=await _batches(db, _delete_deliveries, deliveries, batch),
        charts=await _batches(db, _delete_charts, deliveries, batch),
        audit_entries=await _batches(db, _delete_audit, audit_cutoff, batch),
    )
    if report.total:
        async with db.transaction() as tx:
            await audit.record(
                tx,
                at=now,
                actor_id="retention",
                action="retention.prune",
                target="database",
                outcome=Outcome.CHANGED,
                detail=(
                    f"{report.deliveries} deliveries, {report.charts} charts, "
                    f"{report.audit_entries} audit entries, "
                    f"{report.rejected_cases} rejected reports"
                ),
            )
        # What went must not stay readable: merge the search index (deleted reports leave
        # tokens in older segments) and fold the write-ahead log into the file, truncated;
        # secure_delete has zeroed the freed pages.
        await db.erase_leftovers(compact_search_index)
    return report


async def _count(conn: Conn, select: str, cutoff: str | None) -> int:
    if cutoff is None:
        return 0
    return int(await conn.fetch_value(f"SELECT count(*) FROM ({select})", {"cutoff": cutoff}))


class _Deleter(Protocol):
    async def __call__(self, tx: Conn, *, cutoff: str, limit: int) -> int: ...


async def _batches(db: Database, delete: _Deleter, cutoff: str | None, batch: int) -> int:
    """Run ``delete`` one transaction at a time until a batch finds nothing left."""
    if cutoff is None:
        return 0
    total = 0
    while True:
        async with db.transaction() as tx:
            deleted = await delete(tx, cutoff=cutoff, limit=batch)
        if deleted <= 0:
            return total
        total += deleted


async def _delete_deliveries(tx: Conn, *, cutoff: str, limit: int) -> int:
    # Newest first: an update row always comes after the post it edits, so the two go in the
    # same batch or the update goes first, and no batch leaves a dangling edits_id.
    # The WITH goes inside: Python's sqlite3 reports no rowcount for a statement starting so.
    return await tx.execute_rowcount(
        f"""
        DELETE FROM outbox WHERE id IN (
            {_HELD_DELIVERIES}
            SELECT id FROM ({_PRUNABLE_DELIVERIES}) ORDER BY id DESC LIMIT :limit
        )
        """,
        {"cutoff": cutoff, "limit": limit},
    )


async def _delete_charts(tx: Conn, *, cutoff: str, limit: int) -> int:
    return await tx.execute_rowcount(
        f"DELETE FROM campaign_charts WHERE id IN ({_PRUNABLE_CHARTS} ORDER BY id LIMIT :limit)",
        {"cutoff": cutoff, "limit": limit},
    )


async def _delete_audit(tx: Conn, *, cutoff: str, limit: int) -> int:
    return await tx.execute_rowcount(
        f"DELETE FROM audit_log WHERE id IN ({_PRUNABLE_AUDIT} ORDER BY id LIMIT :limit)",
        {"cutoff": cutoff, "limit": limit},
    )


async def _delete_rejected(tx: Conn, *, cutoff: str, limit: int) -> int:
    rows = await tx.fetch_all(
        f"{_PRUNABLE_REJECTED} ORDER BY c.id LIMIT :limit", {"cutoff": cutoff, "limit": limit}
    )
    ids = [int(r[0]) for r in rows]
    if not ids:
        return 0
    marks = ",".join("?" for _ in ids)
    await tx.execute(
        "DELETE FROM update_notifications WHERE update_id IN "
        f"(SELECT id FROM case_updates WHERE case_id IN ({marks}))",
        ids,
    )
    for table in ("case_updates", "follows", "case_reviews"):
        await tx.execute(f"DELETE FROM {table} WHERE case_id IN ({marks})", ids)
    await tx.execute(f"DELETE FROM cases_fts WHERE rowid IN ({marks})", ids)
    return await tx.execute_rowcount(f"DELETE FROM cases WHERE id IN ({marks})", ids)
