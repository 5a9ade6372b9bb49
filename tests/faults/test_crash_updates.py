"""A bot process killed with SIGKILL while coordinators record updates on a followed case:
every acknowledged update is kept once, and every follower is told of each exactly once (one
duplicate at most for the crash)."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from collections import Counter
from datetime import date
from pathlib import Path

from network_bot.blocks.updates import update_modal
from network_bot.i18n import Catalogue
from network_bot.testing import scenarios
from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn

FOLLOWERS = 60
UPDATES = 5  # one batched DM shows up to five updates per case in full


def outstanding(path: Path) -> int:
    with sqlite3.connect(path) as db:
        queued = db.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]
        unsent = db.execute(
            "SELECT count(*) FROM update_notifications WHERE sent_at IS NULL"
        ).fetchone()[0]
    return int(queued) + int(unsent)


async def test_kill_9_while_updates_are_recorded(
    tmp_path: Path, processes: list[BotProcess]
) -> None:
    path = tmp_path / "bot.sqlite3"
    followers = scenarios.member_ids(FOLLOWERS, prefix="U7")
    public_id, case = await scenarios.seed_followed_case(path, followers)
    async with SlackStandIn() as slack:
        scenarios.add_to_workspace(slack, followers)
        bot = BotProcess(
            stand_in=slack,
            db_path=path,
            log_path=tmp_path / "bot.log",
            env={"NETWORK_BOT_BATCH_MINUTES": "0", "NETWORK_BOT_WORKSPACE_RATE": "300"},
        )
        processes.append(bot)
        await bot.start()
        driver = SlackDriver(endpoint=bot.endpoint, signing_secret=SIGNING_SECRET, stand_in=slack)
        view = {
            **update_modal(
                case=case, today=date.today(), coordinator=True, lang=Catalogue().source
            ),
            "id": "V0CRASHUPD",
        }

        async def submit(i: int) -> tuple[str, bool]:
            body = f"Hearing number {i:02d} was adjourned again by the court"
            await asyncio.sleep(i * 0.06)
            try:
                answer = await driver.submit_view(
                    scenarios.COORDINATOR,
                    view,
                    {"happened_on": date.today().isoformat(), "body": body},
                )
            except Exception:
                return body, False
            return body, "Saved" in json.dumps(answer.json)

        tasks = [asyncio.create_task(submit(i)) for i in range(UPDATES)]
        await asyncio.sleep(random.uniform(0.1, 0.3))
        await bot.kill()
        results = await asyncio.gather(*tasks)
        acked = [body for body, saved in results if saved]
        await bot.start()
        async with asyncio.timeout(60):
            while True:  # another process's database: there is no event to wait on
                if not await asyncio.to_thread(outstanding, path):
                    break
                await asyncio.sleep(0.1)
        await driver.close()
        await bot.stop()
        told = Counter()
        for user_id in followers:
            for message in slack.dm(user_id):
                text = json.dumps(message.get("blocks"))
                for i in range(UPDATES):
                    if f"Hearing number {i:02d}" in text:
                        told[(user_id, i)] += 1

    with sqlite3.connect(path) as db:
        stored = Counter(body for (body,) in db.execute("SELECT body FROM case_updates"))
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert all(stored[body] == 1 for body in acked), "an acknowledged update was lost"
    assert all(n == 1 for n in stored.values()), "an update was stored twice"
    kept = [int(body.split()[2]) for body in stored]
    for user_id in followers:
        for i in kept:
            assert told[(user_id, i)] >= 1, f"{user_id} was never told of update {i}"
    assert sum(n - 1 for n in told.values()) <= 1, "followers were told twice"
    assert public_id.startswith("NI-")
