"""Broadcast: one alert to 10,000 members through the stand-in's workspace-wide rate limit.

The members are put in the database, the bot runs in its own process (so ``--kill-at`` can
``kill -9`` it), and a coordinator composes, previews and confirms the alert through the real
modals. While it goes out, other members keep using slash commands, and their acks are timed.

Prints: time to enqueue (the confirm's ack, which writes every row in one transaction), the
achieved send rate as a fraction of the permitted rate, messages lost and duplicated, and the
ack latency of the other commands during the broadcast.

    python bench/broadcast.py [--members 10000] [--send-rate 50] [--kill-at 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import percentile, running_bot

from network_bot.testing import scenarios
from network_bot.testing.driver import SlackDriver
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import PEOPLE

OTHER_COMMANDS = ("/network help", "/cases", "/cases journalist", "/follow", "/network me")


async def keep_busy(driver: SlackDriver, stop: asyncio.Event, rate: float) -> list[float]:
    """Other members' slash commands at ``rate`` per second; their ack times."""
    latencies: list[float] = []
    users = [p.user_id for p in PEOPLE]

    async def one(line: str, user: str) -> None:
        name, _, text = line.partition(" ")
        started = time.perf_counter()
        try:
            response = await driver.command(user, name, text)
        except Exception:
            return  # the bot is being killed and restarted; counted in the kill report
        if response.status == 200:
            latencies.append(time.perf_counter() - started)

    tasks: set[asyncio.Task[None]] = set()
    while not stop.is_set():
        task = asyncio.create_task(one(random.choice(OTHER_COMMANDS), random.choice(users)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    return latencies


def outstanding(path: Path, public_id: str) -> int:
    """The alert's messages not yet final, and whether its audience is still being queued,
    read from the bot's database: 0 once the broadcast is done."""
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT count(*) FROM outbox o JOIN alerts a ON a.id = o.ref_id "
            "WHERE o.ref_kind = 'alert' AND a.public_id = ? AND o.state IN ('pending', 'sending')",
            (public_id,),
        ).fetchone()
        expanding = db.execute(
            "SELECT count(*) FROM alerts WHERE public_id = ? AND expansion = 'pending'",
            (public_id,),
        ).fetchone()
    return int(row[0]) + int(expanding[0])


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--send-rate", type=float, default=50.0)
    parser.add_argument("--kill-at", type=int, default=0, help="kill -9 after this many posts")
    parser.add_argument("--busy-rate", type=float, default=10.0, help="other commands per second")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "broadcast.sqlite3"
        extra = scenarios.member_ids(options.members)
        recipients = await scenarios.seed_roster(path, extra)
        # The stand-in plays Slack's servers, which do not pause for this process's garbage
        # collector: collections over 10,000 users' worth of objects stall its event loop for
        # tens of ms, and the requests that queue meanwhile land in one window as a burst.
        gc.freeze()
        gc.disable()
        async with SlackStandIn(rate_limits={"chat.postMessage": options.send_rate}) as slack:
            scenarios.add_to_workspace(slack, extra)
            slack.add_channel("C0GENERAL", "general")
            env = {"NETWORK_BOT_WORKSPACE_RATE": str(options.send_rate)}
            log = Path(tmp) / "bot.log"
            async with running_bot(slack, path, env=env, log_path=log) as (bot, driver):
                public_id, enqueue = await scenarios.send_alert(driver, slack)
                stop = asyncio.Event()
                busy = asyncio.create_task(keep_busy(driver, stop, options.busy_rate))
                restart = await watch(slack, bot, path, public_id, options.kill_at)
                stop.set()
                latencies = await busy
            report(slack, recipients, public_id, options, enqueue, latencies, restart)


async def watch(
    slack: SlackStandIn,
    bot: BotProcess,
    path: Path,
    public_id: str,
    kill_at: int,
    timeout: float = 3600,
) -> float | None:
    """Wait until nothing of the alert is ``outstanding``, killing the bot with SIGKILL once
    ``kill_at`` posts went out and restarting it; the restart's seconds."""
    restart: float | None = None
    killed = False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kill_at and not killed and ok_posts(slack) >= kill_at:
            await bot.kill()
            killed = True
            started = time.perf_counter()
            await bot.start()
            restart = time.perf_counter() - started
        if not await asyncio.to_thread(outstanding, path, public_id):
            return restart
        await asyncio.sleep(0.25)
    raise TimeoutError(f"the broadcast did not finish within {timeout:.0f} s")


def ok_posts(slack: SlackStandIn) -> int:
    return sum(1 for c in slack.calls_to("chat.postMessage") if c.ok)


def report(
    slack: SlackStandIn,
    recipients: list[str],
    public_id: str,
    options: Any,
    enqueue: float,
    latencies: list[float],
    restart: float | None,
) -> None:
    posts = [c for c in slack.calls_to("chat.postMessage") if c.ok]
    alert_posts = [c for c in posts if scenarios.is_alert(c.params.get("blocks"), public_id)]
    span = alert_posts[-1].finished - alert_posts[0].started if len(alert_posts) > 1 else 0.0
    achieved = (len(alert_posts) - 1) / span if span else float("nan")
    held = scenarios.alert_copies(slack, recipients, public_id)
    lost = [u for u in recipients if held[u] == 0]
    doubled = sum(n - 1 for n in held.values() if n > 1)
    throttled = sum(1 for c in slack.calls_to("chat.postMessage") if c.status == 429)
    ms = [v * 1000 for v in latencies]
    print(f"alert {public_id} to {len(recipients):,} members at {options.send_rate:g} msg/s")
    print(f"  time to enqueue (confirm ack):   {enqueue * 1000:8.1f} ms")
    print(
        f"  delivered {len(alert_posts):,} in {span:.1f} s: {achieved:.2f} msg/s = "
        f"{achieved / options.send_rate:.3f} of the permitted rate ({throttled} answered 429)"
    )
    if restart is not None:
        print(f"  killed with SIGKILL at {options.kill_at:,} posts; restarted in {restart:.2f} s")
    print(f"  lost: {len(lost)}   duplicated: {doubled}")
    print(
        f"  other commands during it: {len(ms):,} acks, p50 {percentile(ms, 50):.1f} ms, "
        f"p99 {percentile(ms, 99):.1f} ms, max {max(ms, default=float('nan')):.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
