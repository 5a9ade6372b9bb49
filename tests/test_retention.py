"""Retention: old finished deliveries, audit entries and rejected reports go; the rest stays."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from network_bot.cli import main
from network_bot.clock import iso
from network_bot.settings import SettingsError, load_settings
from network_bot.store import audit
from network_bot.store import campaign as campaign_store
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database
from network_bot.store.retention import PruneReport, RetentionPolicy, prune
from network_bot.testing.seeding import MEMBER, add_case, add_member, open_db
from network_bot.vocabulary import Status

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
OLD, RECENT = NOW - timedelta(days=800), NOW - timedelta(days=10)
POLICY = RetentionPolicy(deliveries_days=90, audit_days=730, rejected_days=365)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await open_db(tmp_path / "bot.sqlite3")
    async with database.transaction() as tx:
        await add_member(tx, MEMBER)
    yield database
    await database.close()


async def delivery(
    tx: Conn, *, state: str, at: datetime, edits: int | None = None, op: str = "post"
) -> int:
    return await tx.execute(
        """
        INSERT INTO outbox (created_at, purpose, operation, target_kind, target_id, payload,
                            state, next_attempt_at, edits_id)
        VALUES (?, 'test', ?, 'user', 'U0MEMBER3', '{}', ?, ?, ?)
        """,
        (iso(at), op, state, iso(at), edits),
    )


async def alert(
    tx: Conn, *, status_outbox_id: int | None = None, case_id: int | None = None
) -> int:
    return await tx.execute(
        """
        INSERT INTO alerts (public_id, created_at, created_by, headline, body, action_kind,
                            urgency, audience, case_id, status_outbox_id)
        VALUES (?, ?, ?, 'Sign the letter', 'Body', 'letter', 'routine', '{}', ?, ?)
        """,
        (
            f"AL-2026-{status_outbox_id or 0:04d}{case_id or 0}",
            iso(OLD),
            MEMBER,
            case_id,
            status_outbox_id,
        ),
    )


async def ids(conn: Conn, sql: str) -> set[int]:
    return {int(r[0]) for r in await conn.fetch_all(sql)}


async def test_finished_old_deliveries_go_unless_something_points_at_them(db: Database) -> None:
    async with db.transaction() as tx:
        gone = [
            await delivery(tx, state="sent", at=OLD),
            await delivery(tx, state="failed", at=OLD),
            await delivery(tx, state="cancelled", at=OLD),
        ]
        post = await delivery(tx, state="sent", at=OLD)
        gone += [post, await delivery(tx, state="sent", at=OLD, edits=post, op="update")]
        kept = [
            await delivery(tx, state="pending", at=OLD),
            await delivery(tx, state="sending", at=OLD),
            await delivery(tx, state="sent", at=RECENT),
        ]
        card = await delivery(tx, state="sent", at=OLD)
        public_id = await add_case(tx)
        case_id = int(
            await tx.fetch_value("SELECT id FROM cases WHERE public_id = ?", (public_id,))
        )
        await tx.execute(
            "INSERT INTO case_reviews (case_id, outbox_id) VALUES (?, ?)", (case_id, card)
        )
        status = await delivery(tx, state="sent", at=OLD)
        await alert(tx, status_outbox_id=status)
        edited = await delivery(tx, state="sent", at=OLD)
        pending_edit = await delivery(tx, state="pending", at=RECENT, edits=edited, op="update")
        # A chain: a recent row edits an old update, which edits an old post: all three stay.
        root = await delivery(tx, state="sent", at=OLD)
        middle = await delivery(tx, state="sent", at=OLD, edits=root, op="update")
        recent_edit = await delivery(tx, state="sent", at=RECENT, edits=middle, op="update")
        kept += [card, status, edited, pending_edit, root, middle, recent_edit]

    dry = await prune(db, keep=POLICY, now=NOW, dry_run=True)
    assert dry == PruneReport(deliveries=len(gone), dry_run=True)
    assert await ids(db.read, "SELECT id FROM outbox") == set(gone + kept), (
        "a dry run deletes nothing"
    )
    report = await prune(db, keep=POLICY, now=NOW, batch=2)
    assert report.deliveries == len(gone) and report.rejected_cases == 0
    assert await ids(db.read, "SELECT id FROM outbox") == set(kept)
    assert await db.read.fetch_all("PRAGMA foreign_key_check") == []


async def test_audit_entries_past_the_limit_go_and_the_prune_is_recorded(db: Database) -> None:
    async with db.transaction() as tx:
        for at in (OLD, OLD, RECENT):
            await audit.record(tx, at=at, actor_id=MEMBER, action="case.read", outcome=Outcome.READ)
    report = await prune(db, keep=POLICY, now=NOW)
    assert report.audit_entries == 2
    left = await audit.search(db.read)
    assert [e.action for e in left] == ["retention.prune", "case.read"]
    assert left[0].actor_id == "retention" and "2 audit entries" in left[0].detail


async def test_old_rejected_reports_go_with_everything_hanging_off_them(db: Database) -> None:
    async def make(status: Status, *, rejected_at: datetime, word: str) -> int:
        async with db.transaction() as tx:
            public_id = await add_case(tx, status=status, summary=f"Report about {word} here.")
            case_id = int(
                await tx.fetch_value("SELECT id FROM cases WHERE public_id = ?", (public_id,))
            )
            await tx.execute(
                "UPDATE cases SET reviewed_at = ?, updated_at = ? WHERE id = ?",
                (iso(rejected_at), iso(rejected_at), case_id),
            )
            return case_id

    old = await make(Status.REJECTED, rejected_at=OLD, word="zanzibarite")
    recent = await make(Status.REJECTED, rejected_at=RECENT, word="recentword")
    verified = await make(Status.VERIFIED, rejected_at=OLD, word="verifiedword")
    duplicate = await make(Status.DUPLICATE, rejected_at=OLD, word="duplicateword")
    pointed_at = await make(Status.REJECTED, rejected_at=OLD, word="pointedword")
    alerted = await make(Status.REJECTED, rejected_at=OLD, word="alertedword")
    async with db.transaction() as tx:
        await tx.execute("UPDATE cases SET duplicate_of = ? WHERE id = ?", (pointed_at, duplicate))
        await alert(tx, case_id=alerted)
        card = await delivery(tx, state="sent", at=OLD)
        await tx.execute("INSERT INTO case_reviews (case_id, outbox_id) VALUES (?, ?)", (old, card))
        await tx.execute(
            "INSERT INTO follows (user_id, case_id, created_at) VALUES (?, ?, ?)",
            (MEMBER, old, iso(OLD)),
        )
        update = await tx.execute(
            """
            INSERT INTO case_updates (case_id, created_at, author_id, state, happened_on, body)
            VALUES (?, ?, ?, 'proposed', '2024-01-01', 'An update')
            """,
            (old, iso(OLD), MEMBER),
        )
        await tx.execute(
            "INSERT INTO update_notifications (user_id, update_id, queued_at) VALUES (?, ?, ?)",
            (MEMBER, update, iso(OLD)),
        )

    assert (await prune(db, keep=POLICY, now=NOW, dry_run=True)).rejected_cases == 1
    report = await prune(db, keep=POLICY, now=NOW)
    assert report.rejected_cases == 1
    assert report.deliveries == 1, "the review card's delivery went once the card did"
    assert await ids(db.read, "SELECT id FROM cases") == {
        recent,
        verified,
        duplicate,
        pointed_at,
        alerted,
    }
    found = await db.read.fetch_all(
        "SELECT rowid FROM cases_fts WHERE cases_fts MATCH 'zanzibarite'"
    )
    assert found == []
    assert await db.read.fetch_value("SELECT count(*) FROM cases_fts") == 5
    for table in ("case_reviews", "follows", "case_updates", "update_notifications"):
        assert await db.read.fetch_value(f"SELECT count(*) FROM {table}") == 0, table
    assert await db.read.fetch_all("PRAGMA foreign_key_check") == []


async def test_finished_chart_jobs_past_the_limit_go_pending_ones_stay(db: Database) -> None:
    spec = {"kind": "digest", "language": "en", "day": "2026-11-02"}

    async def chart(key: str, *, at: datetime, outcome: str | None) -> None:
        async with db.transaction() as tx:
            assert await campaign_store.queue_chart(
                tx, key=key, target_id="C0REVIEW1", spec=spec, now=at
            )
            if outcome is None:
                return
            job = await campaign_store.claim_chart(tx, now=at)
            assert job is not None
            await campaign_store.finish_chart(
                tx,
                job_id=job.id,
                now=at,
                file_id="F0CHART1" if outcome == "sent" else None,
                error=None if outcome == "sent" else "channel_not_found",
            )

    await chart("digest:2024-11-02:C0REVIEW1", at=OLD, outcome="sent")
    await chart("digest:2024-11-23:C0REVIEW1", at=OLD, outcome="failed")
    await chart("digest:2026-11-23:C0REVIEW1", at=RECENT, outcome="sent")
    await chart("chart:member:old-but-pending", at=OLD, outcome=None)  # still to try: stays
    assert await campaign_store.chart_states(db.read) == {"sent": 2, "failed": 1, "pending": 1}

    dry = await prune(db, keep=POLICY, now=NOW, dry_run=True)
    assert dry == PruneReport(charts=2, dry_run=True)
    assert await db.read.fetch_value("SELECT count(*) FROM campaign_charts") == 4
    report = await prune(db, keep=POLICY, now=NOW, batch=1)
    assert report.charts == 2 and report.deliveries == 0
    left = await db.read.fetch_all("SELECT dedupe_key, state FROM campaign_charts ORDER BY id")
    assert [(r[0], r[1]) for r in left] == [
        ("digest:2026-11-23:C0REVIEW1", "sent"),
        ("chart:member:old-but-pending", "pending"),
    ]
    [entry, *_] = await audit.search(db.read, actions=("retention.prune",))
    assert "2 charts" in entry.detail
    forever = RetentionPolicy(deliveries_days=0, audit_days=0, rejected_days=0)
    await chart("digest:2023-11-02:C0REVIEW1", at=OLD, outcome="sent")
    assert (await prune(db, keep=forever, now=NOW)).charts == 0


async def test_zero_days_keeps_forever(db: Database) -> None:
    async with db.transaction() as tx:
        await delivery(tx, state="sent", at=OLD)
        await audit.record(tx, at=OLD, actor_id=MEMBER, action="x", outcome=Outcome.READ)
    forever = RetentionPolicy(deliveries_days=0, audit_days=0, rejected_days=0)
    assert await prune(db, keep=forever, now=NOW) == PruneReport()
    assert await db.read.fetch_value("SELECT count(*) FROM outbox") == 1


def test_settings_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.sqlite3"
    now = datetime.now(UTC)

    async def seed() -> None:
        db = await open_db(path)
        async with db.transaction() as tx:
            await add_member(tx, MEMBER)
            await delivery(tx, state="sent", at=now - timedelta(days=40))
            await delivery(tx, state="sent", at=now - timedelta(days=5))
            await audit.record(
                tx, at=now - timedelta(days=40), actor_id=MEMBER, action="x", outcome=Outcome.READ
            )
        await db.close()

    asyncio.run(seed())
    monkeypatch.setenv("NETWORK_BOT_KEEP_DELIVERIES_DAYS", "30")
    monkeypatch.setenv("NETWORK_BOT_KEEP_AUDIT_DAYS", "0")
    assert RetentionPolicy.from_settings(load_settings()) == RetentionPolicy(
        deliveries_days=30, audit_days=0, rejected_days=365
    )
    assert main(["prune", "--dry-run", "--db", str(path)]) == 0
    said = capsys.readouterr().out
    assert "deliveries: would delete 1 (older than 30 days" in said
    assert "audit entries: would delete 0 (kept forever" in said
    assert main(["prune", "--db", str(path)]) == 0
    assert "deliveries: deleted 1 " in capsys.readouterr().out
    assert main(["prune", "--db", str(path)]) == 0
    assert "deliveries: deleted 0 " in capsys.readouterr().out

    monkeypatch.setenv("NETWORK_BOT_KEEP_REJECTED_DAYS", "-1")
    with pytest.raises(SettingsError, match="NETWORK_BOT_KEEP_REJECTED_DAYS"):
        load_settings()
