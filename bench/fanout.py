"""Fan-out: one update on a case followed by 5,000 members, against the stand-in's rate limit.

The case and its followers are put in the database, the bot runs in its own process, and a
coordinator records the update through the real modal. Prints the time to enqueue every
follower's notification and the delivered rate as a fraction of the limit.

    python bench/fanout.py [--followers 5000] [--send-rate 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from network_bot.blocks.updates import update_modal
from network_bot.store import cases, counters, follows, members
from network_bot.store.cases import NewCase, PublicCase
from network_bot.store.db import Database
from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import PEOPLE
from network_bot.vocabulary import Profession, Status, Violation

COORDINATOR = "U0CHIDI04"


async def seed(path: Path, followers: int) -> tuple[str, list[str], PublicCase]:
    db = Database(path)
    await db.open()
    await db.migrate()
    now = datetime.now(UTC)
    ids = [f"U8{n:08d}" for n in range(followers)]
    async with db.transaction() as tx:
        for p in PEOPLE:
            await members.add_if_new(
                tx, user_id=p.user_id, team_id="T0NETWORK", display_name=p.handle, now=now
            )
            await members.set_role(tx, user_id=p.user_id, role=p.role, now=now)
        public_id = await counters.next_public_id(tx, prefix="NI", year=now.year)
        case_id = await cases.insert(
            tx,
            NewCase(
                reporter_id="U0ALICE01",
                profession=Profession.JOURNALIST,
                violation=Violation.KILLING,
                incident_date=date(2025, 3, 1),
                country="PH",
                summary="A radio broadcaster was shot dead in Mindanao.",
            ),
            public_id=public_id,
            now=now,
        )
        await cases.set_status(
            tx,
            case_id=case_id,
            expected=(Status.REPORTED,),
            status=Status.VERIFIED,
            reason="",
            by=COORDINATOR,
            now=now,
        )
        for user_id in ids:
            await members.add_if_new(
                tx, user_id=user_id, team_id="T0NETWORK", display_name=user_id.lower(), now=now
            )
            await follows.follow_case(tx, user_id=user_id, case_id=case_id, now=now)
        record = await cases.get(tx, case_id)
    await db.close()
    assert record is not None
    return public_id, ids, PublicCase.of(record)


def count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(sql).fetchone()[0])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument("--send-rate", type=float, default=50.0)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fanout.sqlite3"
        public_id, ids, case = await seed(path, options.followers)
        async with SlackStandIn(rate_limits={"chat.postMessage": options.send_rate}) as slack:
            for p in PEOPLE:
                slack.add_user(p.user_id, p.handle)
            for user_id in ids:
                slack.add_user(user_id, user_id.lower())
            bot = BotProcess(
                stand_in=slack,
                db_path=path,
                log_path=Path(tmp) / "bot.log",
                env={
                    "NETWORK_BOT_WORKSPACE_RATE": str(options.send_rate),
                    "NETWORK_BOT_BATCH_MINUTES": "0",
                },
            )
            await bot.start()
            driver = SlackDriver(
                endpoint=bot.endpoint, signing_secret=SIGNING_SECRET, stand_in=slack
            )
            view = {
                **update_modal(case=case, today=date.today(), coordinator=True),
                "id": "V0FANOUT",
            }
            started = time.perf_counter()
            answer = await driver.submit_view(
                COORDINATOR,
                view,
                {
                    "happened_on": date.today().isoformat(),
                    "stage": "investigation_opened",
                    "body": "The prosecutor opened an investigation into the killing.",
                },
            )
            acked = time.perf_counter() - started
            if "Saved" not in json.dumps(answer.json):
                sys.exit(f"the update was not saved: {answer.text[:300]}")
            queued_sql = "SELECT count(*) FROM outbox WHERE purpose = 'notification'"
            while True:  # polling another process's database: there is no event to wait on
                if count(path, queued_sql) >= options.followers:
                    break
                await asyncio.sleep(0.05)
            enqueued = time.perf_counter() - started
            first_sent = None
            while True:
                sent = count(path, queued_sql + " AND state = 'sent'")
                if sent and first_sent is None:
                    first_sent = time.perf_counter()
                if sent >= options.followers or time.perf_counter() - started > 900:
                    break
                await asyncio.sleep(0.2)
            finished = time.perf_counter()
            await driver.close()
            await bot.stop()
            throttled = len([c for c in slack.calls_to("chat.postMessage") if c.status == 429])
    assert first_sent is not None
    rate = sent / (finished - first_sent) if finished > first_sent else float("nan")
    print(f"update on {public_id} followed by {options.followers:,} members")
    print(f"  ack of the update form:        {acked * 1000:8.1f} ms")
    print(f"  time to enqueue every DM:      {enqueued:8.2f} s")
    print(
        f"  delivered {sent:,} in {finished - first_sent:.1f} s: {rate:.1f} msg/s = "
        f"{rate / options.send_rate:.2f} of the {options.send_rate:g}/s limit "
        f"({throttled} answered 429)"
    )


if __name__ == "__main__":
    asyncio.run(main())
