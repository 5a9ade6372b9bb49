"""The single SQLite writer's budget: how many of the bot's own write transactions it commits a
second, and how fast a broadcast's audience is queued, on this machine.

1. ``mark_sent``-sized transactions (one row updated, as each delivered message costs), one
   after another through the bot's ``Database`` (``synchronous=FULL``, WAL).
2. The audience of one alert to ``--members`` members queued by the expansion service, page by
   page, as after a confirm: rows a second, and how long each page holds the writer.

    python bench/writer.py [--members 100000] [--transactions 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import percentile

from network_bot.clock import SystemClock
from network_bot.i18n import Catalogue
from network_bot.services.alerts import Alerts
from network_bot.services.expansion import PAGE, Expansion
from network_bot.store import alerts, audiences, outbox
from network_bot.store.alerts import AlertDraft, Audience
from network_bot.store.db import Database
from network_bot.store.outbox import Outgoing, Purpose, TargetKind
from network_bot.testing import scenarios


async def commits(db: Database, count: int) -> float:
    now = datetime.now(UTC)
    async with db.transaction() as tx:
        await outbox.enqueue(
            tx,
            [
                Outgoing(
                    purpose=Purpose.NOTIFICATION,
                    target_kind=TargetKind.USER,
                    target_id=f"U8{n:08d}",
                    payload={"text": "x"},
                )
                for n in range(count)
            ],
            now=now,
        )
    ids = [int(r[0]) for r in await db.read.fetch_all("SELECT id FROM outbox ORDER BY id")]
    started = time.perf_counter()
    for delivery_id in ids:
        async with db.transaction() as tx:
            await outbox.mark_sent(tx, delivery_id=delivery_id, channel_id="D1", ts="1.1", now=now)
    return count / (time.perf_counter() - started)


async def expansion(db: Database, members: int) -> tuple[float, list[float]]:
    now = datetime.now(UTC)
    async with db.transaction() as tx:
        alert_id = await alerts.insert_draft(
            tx,
            AlertDraft(
                created_by=scenarios.COORDINATOR,
                headline="Free the detained reporters",
                body="Three reporters were detained while covering the protests.",
                action_kind="sign_letter",
                audience=Audience(all_members=True),
            ),
            public_id="AL-2026-9999",
            now=now,
        )
        await alerts.mark_sent(
            tx,
            alert_id=alert_id,
            recipients=members,
            digests=0,
            channels=0,
            status_outbox_id=None,
            now=now,
            expand=True,
        )
    alerts_service = Alerts(db=db, clock=SystemClock(), catalogue=Catalogue())
    service = Expansion(db=db, clock=SystemClock(), alerts=alerts_service)
    pages: list[float] = []
    started = time.perf_counter()
    done = False
    while not done:
        began = time.perf_counter()
        done = await service.step(alert_id)
        pages.append(time.perf_counter() - began)
    queued, _ = await audiences.queued_counts(db.read, alert_id)
    return queued / (time.perf_counter() - started), pages


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=2000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "writer.sqlite3"
        await scenarios.seed_roster(path, scenarios.member_ids(options.members))
        db = Database(path)
        await db.open()
        try:
            rate = await commits(db, options.transactions)
            print(f"one-row write transactions (as each delivered message costs): {rate:,.0f}/s")
            rows, pages = await expansion(db, options.members)
            ms = [p * 1000 for p in pages]
            print(
                f"queueing an audience of {options.members:,}: {rows:,.0f} members/s "
                f"({len(pages)} pages of {PAGE}; each holds the writer p50 "
                f"{percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms)"
            )
        finally:
            await db.close()


if __name__ == "__main__":
    asyncio.run(main())
