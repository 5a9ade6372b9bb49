"""Broadcasts under fire: the bot killed mid-delivery, and Slack throttling, failing and hanging
up; afterwards every member has the alert, and nobody has it twice (one at most per crash)."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from network_bot.testing import scenarios
from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET, Harness
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn

MEMBERS = 400
RATE = 150


async def until_delivered(path: Path, timeout: float = 60) -> None:
    async with asyncio.timeout(timeout):
        while True:  # another process's database: there is no event to wait on
            if not await asyncio.to_thread(scenarios.alert_deliveries_waiting, path):
                return
            await asyncio.sleep(0.1)


async def test_kill_9_in_the_middle_of_a_broadcast_loses_nothing(
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
        kill_at = random.randint(MEMBERS // 4, MEMBERS // 2)
        async with asyncio.timeout(30):
            while True:
                if sum(c.ok for c in slack.calls_to("chat.postMessage")) >= kill_at:
                    break
                await asyncio.sleep(0.005)
        await bot.kill()
        assert scenarios.alert_deliveries_waiting(path) > 0, (
            "the crash came before the broadcast finished"
        )
        await bot.start()
        await until_delivered(path)
        await driver.close()
        await bot.stop()
        held = scenarios.alert_copies(slack, recipients, public_id)
    assert [u for u in recipients if held[u] == 0] == [], "someone never got the alert"
    assert sum(n - 1 for n in held.values()) <= 1, "more than one duplicate for one crash"


async def test_429_storms_5xx_and_dropped_connections_during_a_broadcast(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    extra = scenarios.member_ids(120)
    recipients = await scenarios.seed_roster(path, extra)
    fast = {"retry_backoff": 0.05, "max_attempts": 10}
    async with Harness(db_path=path, settings=fast) as h:
        scenarios.add_to_workspace(h.slack, extra, people=False)
        # Taken in turn: eight throttled posts, six 503s, four connections dropped mid-request,
        # and the coordinator's live status failing three times.
        h.slack.inject("chat.postMessage", retry_after=1, times=8)
        h.slack.inject("chat.postMessage", status=503, times=6)
        h.slack.inject("chat.postMessage", drop=True, times=4)
        h.slack.inject("chat.update", status=500, times=3)
        public_id, _ = await scenarios.send_alert(h.drive, h.slack)
        await until_delivered(path, timeout=60)
        await h.settle(30)
        held = scenarios.alert_copies(h.slack, recipients, public_id)
        statuses = [c.status for c in h.slack.calls_to("chat.postMessage")]
    assert statuses.count(429) == 8 and statuses.count(503) == 6 and statuses.count(0) == 4
    assert [u for u in recipients if held[u] == 0] == []
    assert all(n == 1 for n in held.values()), "a retried post was delivered twice"
