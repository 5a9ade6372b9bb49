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
from datetime import date
from pathlib import Path

from _common import running_bot

from network_bot.blocks.updates import update_modal
from network_bot.i18n import Catalogue
from network_bot.testing import scenarios
from network_bot.testing.stand_in import SlackStandIn

COORDINATOR = "U0CHIDI04"


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
        ids = scenarios.member_ids(options.followers, prefix="U8")
        public_id, case = await scenarios.seed_followed_case(path, ids)
        async with SlackStandIn(rate_limits={"chat.postMessage": options.send_rate}) as slack:
            scenarios.add_to_workspace(slack, ids)
            quick = {
                "NETWORK_BOT_WORKSPACE_RATE": str(options.send_rate),
                "NETWORK_BOT_BATCH_MINUTES": "0",
            }
            log = Path(tmp) / "bot.log"
            async with running_bot(slack, path, env=quick, log_path=log) as (_, driver):
                view = {
                    **update_modal(
                        case=case, today=date.today(), coordinator=True, lang=Catalogue().source
                    ),
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
                while True:
                    sent = count(path, queued_sql + " AND state = 'sent'")
                    if sent >= options.followers or time.perf_counter() - started > 900:
                        break
                    await asyncio.sleep(0.2)
            followers = set(ids)
            posts = [
                c
                for c in slack.calls_to("chat.postMessage")
                if c.ok and c.params.get("channel") in followers
            ]
            throttled = len([c for c in slack.calls_to("chat.postMessage") if c.status == 429])
    # The stand-in's own timestamps: from the first notification it accepted to the last.
    span = posts[-1].finished - posts[0].started if len(posts) > 1 else float("nan")
    rate = (len(posts) - 1) / span
    print(f"update on {public_id} followed by {options.followers:,} members")
    print(f"  ack of the update form:        {acked * 1000:8.1f} ms")
    print(f"  time to enqueue every DM:      {enqueued:8.2f} s")
    print(
        f"  delivered {len(posts):,} in {span:.1f} s: {rate:.1f} msg/s = "
        f"{rate / options.send_rate:.2f} of the {options.send_rate:g}/s limit "
        f"({throttled} answered 429)"
    )


if __name__ == "__main__":
    asyncio.run(main())
