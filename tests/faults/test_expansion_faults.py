"""kill -9 while a confirmed alert's audience is being queued: the restart resumes the queueing
after the last committed page, and every member gets the alert exactly once."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from network_bot.testing import scenarios
from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn

MEMBERS = 3000
RATE = 300


def expansion(path: Path) -> tuple[str, int]:
    with sqlite3.connect(path) as db:
        state, _ = db.execute(
            "SELECT expansion, expanded_through FROM alerts ORDER BY id DESC LIMIT 1"
        ).fetchone()
        queued = db.execute(
            "SELECT count(*) FROM outbox WHERE ref_kind = 'alert' AND target_kind = 'user'"
        ).fetchone()[0]
    return str(state), int(queued)


async def test_kill_9_while_the_audience_is_queued_resumes_without_loss_or_duplicates(
    tmp_path: Path, processes: list[BotProcess]
) -> None:
    path = tmp_path / "bot.sqlite3"
    extra = scenarios.member_ids(MEMBERS)
    recipients = await scenarios.seed_roster(path, extra)
    async with SlackStandIn(rate_limits={"chat.postMessage": RATE}) as slack:
        scenarios.add_to_workspace(slack, extra)
        bot = BotProcess(
            stand_in=slack,
            db_path=path,
            log_path=tmp_path / "bot.log",
            env={"NETWORK_BOT_WORKSPACE_RATE": str(RATE)},
        )
        processes.append(bot)
        await bot.start()
        driver = SlackDriver(endpoint=bot.endpoint, signing_secret=SIGNING_SECRET, stand_in=slack)
        public_id, _ = await scenarios.send_alert(driver, slack)
        async with asyncio.timeout(30):
            while True:  # kill once the first pages are in, before the last
                state, queued = await asyncio.to_thread(expansion, path)
                if queued >= 500 or state == "done":
                    break
                await asyncio.sleep(0.002)
        await bot.kill()
        state, queued = await asyncio.to_thread(expansion, path)
        assert state == "pending" and 0 < queued < len(recipients), (state, queued)
        await bot.start()
        async with asyncio.timeout(90):
            while True:  # another process's database: there is no event to wait on
                if not await asyncio.to_thread(scenarios.alert_deliveries_waiting, path):
                    break
                await asyncio.sleep(0.1)
        await driver.close()
        await bot.stop()
        held = scenarios.alert_copies(slack, recipients, public_id)
    assert [u for u in recipients if held[u] == 0] == [], "someone never got the alert"
    assert sum(n - 1 for n in held.values()) <= 1, "more than one duplicate for one crash"
    assert expansion(path) == ("done", len(recipients))
