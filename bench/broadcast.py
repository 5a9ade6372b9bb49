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
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import percentile

from network_bot.store import members
from network_bot.store.db import Database
from network_bot.testing.driver import SlackDriver
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import PEOPLE

COORDINATOR = "U0CHIDI04"
ALERT = {
    "headline": "Free the detained reporters",
    "body": "Three reporters were detained while covering the protests. Sign the joint letter.",
    "action": "sign_letter",
    "action_text": "Add your organisation to the joint letter",
    "link": "https://example.org/letter",
    "urgency": "high",
    "audience": ["all"],
}
OTHER_COMMANDS = ("/network help", "/cases", "/cases journalist", "/follow", "/network me")


async def seed(path: Path, count: int) -> list[str]:
    db = Database(path)
    await db.open()
    await db.migrate()
    now = datetime.now(UTC)
    ids = [f"U9{n:08d}" for n in range(count)]
    async with db.transaction() as tx:
        for p in PEOPLE:
            await members.add_if_new(
                tx, user_id=p.user_id, team_id="T0NETWORK", display_name=p.handle, now=now
            )
            await members.set_role(tx, user_id=p.user_id, role=p.role, now=now)
        for user_id in ids:
            await members.add_if_new(
                tx, user_id=user_id, team_id="T0NETWORK", display_name=user_id.lower(), now=now
            )
    await db.close()
    return [p.user_id for p in PEOPLE] + ids


async def send_alert(driver: SlackDriver, slack: SlackStandIn) -> tuple[str, float]:
    """Compose, preview and confirm as the coordinator; the confirm's ack time and alert ID."""
    opened = await driver.command(COORDINATOR, "/alert", "")
    if opened.status != 200:
        sys.exit(f"/alert failed: {opened.status} {opened.text[:300]}")
    for _ in range(200):
        if slack.views_for(COORDINATOR):
            break
        await asyncio.sleep(0.02)
    preview = await driver.submit_view(COORDINATOR, slack.views_for(COORDINATOR)[-1], ALERT)
    if not preview.json or preview.json.get("response_action") != "update":
        sys.exit(f"the preview was refused: {preview.text[:300]}")
    confirm = slack.views_for(COORDINATOR)[-1]
    started = time.perf_counter()
    done = await driver.submit_view(COORDINATOR, confirm, {})
    enqueue = time.perf_counter() - started
    words = json.dumps(done.json).replace("*", " ").split()
    public_id = next((w for w in words if w.startswith("AL-")), None)
    if public_id is None:
        sys.exit(f"the alert did not go: {done.text[:300]}")
    return public_id, enqueue


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


def delivered(path: Path, public_id: str) -> tuple[int, int]:
    """(sent, not yet final) rows of the alert, read from the bot's database."""
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT sum(o.state = 'sent'), sum(o.state IN ('pending', 'sending')) "
            "FROM outbox o JOIN alerts a ON a.id = o.ref_id "
            "WHERE o.ref_kind = 'alert' AND a.public_id = ?",
            (public_id,),
        ).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def is_alert(blocks: Any, public_id: str) -> bool:
    """The alert itself (with its answer buttons), not the coordinator's status message."""
    text = json.dumps(blocks)
    return public_id in text and "alert.respond" in text


def copies(slack: SlackStandIn, recipients: list[str], public_id: str) -> Counter[str]:
    """How many live copies of the alert each recipient holds in their DM."""
    found: Counter[str] = Counter()
    for user_id in recipients:
        for message in slack.dm(user_id):
            if not message["deleted"] and is_alert(message.get("blocks"), public_id):
                found[user_id] += 1
    return found


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--send-rate", type=float, default=50.0)
    parser.add_argument("--kill-at", type=int, default=0, help="kill -9 after this many posts")
    parser.add_argument("--busy-rate", type=float, default=10.0, help="other commands per second")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "broadcast.sqlite3"
        recipients = await seed(path, options.members)
        # The stand-in plays Slack's servers, which do not pause for this process's garbage
        # collector: collections over 10,000 users' worth of objects stall its event loop for
        # tens of ms, and the requests that queue meanwhile land in one window as a burst.
        gc.freeze()
        gc.disable()
        async with SlackStandIn(rate_limits={"chat.postMessage": options.send_rate}) as slack:
            for p in PEOPLE:
                slack.add_user(p.user_id, p.handle, real_name=p.real_name)
            for user_id in recipients[len(PEOPLE) :]:
                slack.add_user(user_id, user_id.lower())
            slack.add_channel("C0GENERAL", "general")
            bot = BotProcess(
                stand_in=slack,
                db_path=path,
                log_path=Path(tmp) / "bot.log",
                env={"NETWORK_BOT_WORKSPACE_RATE": str(options.send_rate)},
            )
            await bot.start()
            driver = SlackDriver(
                endpoint=bot.endpoint, signing_secret=SIGNING_SECRET, stand_in=slack
            )
            public_id, enqueue = await send_alert(driver, slack)
            stop = asyncio.Event()
            busy = asyncio.create_task(keep_busy(driver, stop, options.busy_rate))
            restart = await watch(slack, bot, path, public_id, options.kill_at)
            stop.set()
            latencies = await busy
            await driver.close()
            await bot.stop()
            report(slack, recipients, public_id, options, enqueue, latencies, restart)


async def watch(
    slack: SlackStandIn, bot: BotProcess, path: Path, public_id: str, kill_at: int
) -> float | None:
    """Wait for the broadcast to finish, killing and restarting the bot once if asked."""
    restart: float | None = None
    killed = False
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        if kill_at and not killed and ok_posts(slack) >= kill_at:
            await bot.kill()
            killed = True
            started = time.perf_counter()
            await bot.start()
            restart = time.perf_counter() - started
        _sent, waiting = await asyncio.to_thread(delivered, path, public_id)
        if waiting == 0:
            return restart
        await asyncio.sleep(0.25)
    raise TimeoutError("the broadcast did not finish within an hour")


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
    alert_posts = [c for c in posts if is_alert(c.params.get("blocks"), public_id)]
    span = alert_posts[-1].finished - alert_posts[0].started if len(alert_posts) > 1 else 0.0
    achieved = (len(alert_posts) - 1) / span if span else float("nan")
    held = copies(slack, recipients, public_id)
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
