"""Broadcasts across workspaces: the confirm's ack whatever the audience, and the delivered rate
when every workspace sends under its own limits.

A roster of ``--members`` (100,000) is written straight into the database, spread over
``--workspaces`` (5) workspaces: the secretariat's and partners', each served by the stand-in with
its own people and its own ``chat.postMessage`` limit (``--rate`` a second). The bot runs with
OAuth settings in its own process; each workspace installs it through the real install pages
and the partners are approved. Then:

1. ``--confirms`` alerts to *every* member are composed, previewed and confirmed through the
   real modals, each recalled at once (the audience is queued after the confirm, so recalling
   keeps the bench from delivering 100,000 messages each); the confirm's ack is timed.
2. One alert to ``--deliver`` members (a country that many hold, spread over the workspaces) is
   confirmed and delivered while other members keep using slash commands; ``--kill-at N`` kills
   the bot with SIGKILL after N posts and restarts it. Measured from the stand-in's own
   timestamps: each workspace's delivered rate over its permitted one, lost and duplicated copies.

    python bench/workspaces.py [--members 100000] [--workspaces 5] [--deliver 20000]
                               [--rate 20] [--confirms 20] [--kill-at 0]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import cpu_seconds, percentile, running_bot
from broadcast import keep_busy, watch
from cryptography.fernet import Fernet

from network_bot.clock import SystemClock
from network_bot.oauth.scopes import BOT_SCOPES
from network_bot.roles import Role
from network_bot.services.workspaces import Workspaces
from network_bot.store.db import Database
from network_bot.testing import scenarios
from network_bot.testing.driver import SlackDriver
from network_bot.testing.installs import install
from network_bot.testing.network import CLIENT_ID, CLIENT_SECRET
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import OAuthApp, SlackStandIn
from network_bot.testing.workspace import PEOPLE

HOME = "T0NETWORK"
DELIVER_COUNTRY = "GH"


def team_of(index: int, teams: list[str]) -> str:
    return teams[index % len(teams)]


async def seed(path: Path, *, members: int, deliver: int, teams: list[str]) -> list[str]:
    """Demo people at home plus ``members`` spread over the teams; the first ``deliver`` of
    them in DELIVER_COUNTRY. Returns the extra members' IDs."""
    db = Database(path)
    await db.open()
    await db.migrate()
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    extra = scenarios.member_ids(members)
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO members (user_id, team_id, workspace_id, display_name, role, "
            "organisation, country, language, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'en', ?, ?)",
            [
                (p.user_id, HOME, HOME, p.handle, p.role.value, p.organisation, p.country, now, now)
                for p in PEOPLE
            ]
            + [
                (
                    uid,
                    team_of(n, teams),
                    team_of(n, teams),
                    uid.lower(),
                    Role.MEMBER.value,
                    f"Org {n % scenarios.ORGANISATIONS}",
                    DELIVER_COUNTRY if n < deliver else scenarios.COUNTRIES[n % 6],
                    now,
                    now,
                )
                for n, uid in enumerate(extra)
            ],
        )
    await db.close()
    return extra


async def approve(path: Path, teams: list[str]) -> None:
    db = Database(path)
    await db.open()
    try:
        service = Workspaces(db=db, clock=SystemClock(), home=HOME)
        admin = next(p for p in PEOPLE if p.role is Role.ADMIN)

        class Admin:
            role = Role.ADMIN
            is_active = True

        for team in teams[1:]:
            await service.approve(actor=Admin(), by=admin.user_id, workspace_id=team)
    finally:
        await db.close()


async def confirms(driver: SlackDriver, slack: SlackStandIn, count: int) -> list[float]:
    """Alerts to everyone, each recalled right after its confirm; the confirms' ack times."""
    acks = []
    for _ in range(count):
        slack.clear_views(scenarios.COORDINATOR)  # the last one's "on its way" closed
        public_id, ack = await scenarios.send_alert(driver, slack)
        acks.append(ack)
        await driver.command(scenarios.COORDINATOR, "/alert", f"recall {public_id}")
    return acks


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--workspaces", type=int, default=5)
    parser.add_argument("--deliver", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=20.0, help="chat.postMessage/s per workspace")
    parser.add_argument(
        "--slack-rate", type=float, default=None, help="the stand-in's limit (default --rate)"
    )
    parser.add_argument("--confirms", type=int, default=20)
    parser.add_argument("--kill-at", type=int, default=0)
    parser.add_argument("--busy-rate", type=float, default=5.0)
    options = parser.parse_args()
    teams = [HOME] + [f"T0PART{n:03d}" for n in range(1, options.workspaces)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "workspaces.sqlite3"
        started = time.perf_counter()
        extra = await seed(path, members=options.members, deliver=options.deliver, teams=teams)
        print(
            f"seeded {options.members:,} members over {len(teams)} workspaces "
            f"in {time.perf_counter() - started:.1f} s"
        )
        gc.freeze()
        gc.disable()
        limit = options.slack_rate or options.rate
        async with SlackStandIn(rate_limits={"chat.postMessage": limit}) as slack:
            await run(slack, path, Path(tmp), teams, extra, options)


async def run(
    slack: SlackStandIn,
    path: Path,
    tmp: Path,
    teams: list[str],
    extra: list[str],
    options: Any,
) -> None:
    for p in PEOPLE:
        slack.add_user(p.user_id, p.handle, real_name=p.real_name)
    slack.add_channel("C0GENERAL", "general")
    for team in teams[1:]:
        slack.add_team(team, f"Partner {team[-3:]}").add_user(f"U0INST{team[-3:]}", "installer")
    recipients = extra[: options.deliver]
    for n, uid in enumerate(recipients):
        target = slack if team_of(n, teams) == HOME else slack.team(team_of(n, teams))
        target.add_user(uid, uid.lower())
    env = {
        "SLACK_BOT_TOKEN": "",
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "NETWORK_BOT_HOME_TEAM": HOME,
        "NETWORK_BOT_SECRET_KEY": Fernet.generate_key().decode(),
        "NETWORK_BOT_WORKSPACE_RATE": str(options.rate),
    }
    async with running_bot(slack, path, env=env, log_path=tmp / "bot.log") as (bot, driver):
        await measure(slack, bot, driver, path, teams, recipients, options)


async def measure(
    slack: SlackStandIn,
    bot: BotProcess,
    driver: SlackDriver,
    path: Path,
    teams: list[str],
    recipients: list[str],
    options: Any,
) -> None:
    bot_url = bot.endpoint.removesuffix("/slack/events")
    slack.configure_oauth(
        OAuthApp(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            scopes=frozenset(BOT_SCOPES),
            redirect_urls=(f"{bot_url}/slack/oauth_redirect",),
        )
    )
    admin = next(p for p in PEOPLE if p.role is Role.ADMIN)
    for team in teams:
        user = admin.user_id if team == HOME else f"U0INST{team[-3:]}"
        outcome = await install(slack, bot_url, team_id=team, user_id=user)
        assert outcome.status == 200, outcome.page[:300]
    await approve(path, teams)
    await asyncio.sleep(2.5)  # the running bot reads approvals again within two seconds

    acks = await confirms(driver, slack, options.confirms)
    ms = [a * 1000 for a in acks]
    print(
        f"confirm ack, alert to all {options.members:,} members ({options.confirms} alerts): "
        f"p50 {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
        f"max {max(ms):.1f} ms"
    )

    slack.clear_calls()
    slack.clear_views(scenarios.COORDINATOR)
    values = {**scenarios.ALERT, "audience": [], "countries": [DELIVER_COUNTRY]}
    cpu_before = cpu_seconds(bot.pid)
    public_id, ack = await scenarios.send_alert(driver, slack, values=values)
    stop = asyncio.Event()
    busy = asyncio.create_task(keep_busy(driver, stop, options.busy_rate))
    restart = await watch(slack, bot, path, public_id, options.kill_at, timeout=7200)
    # With a kill the work is split over two processes: no one process's figure to give.
    cpu = cpu_seconds(bot.pid) - cpu_before if restart is None else None
    stop.set()
    latencies = await busy
    report(slack, teams, recipients, public_id, options, ack, latencies, restart)
    if cpu is not None:
        print(
            f"  bot process CPU during the broadcast: {cpu:.1f} s "
            f"({cpu / len(recipients) * 1000:.2f} ms per message, audience queueing included)"
        )


def report(
    slack: SlackStandIn,
    teams: list[str],
    recipients: list[str],
    public_id: str,
    options: Any,
    ack: float,
    latencies: list[float],
    restart: float | None,
) -> None:
    posts = [
        c
        for c in slack.calls_to("chat.postMessage")
        if c.ok and scenarios.is_alert(c.params.get("blocks"), public_id)
    ]
    by_team: dict[str, list[Any]] = {}
    for call in posts:
        by_team.setdefault(call.team_id or "?", []).append(call)
    print(
        f"alert {public_id} to {len(recipients):,} members over {len(teams)} workspaces, "
        f"each allowed {options.rate:g} msg/s (confirm ack {ack * 1000:.1f} ms)"
    )
    total_rate = 0.0
    for team in teams:
        calls = by_team.get(team, [])
        span = calls[-1].finished - calls[0].started if len(calls) > 1 else 0.0
        rate = (len(calls) - 1) / span if span else 0.0
        total_rate += rate
        print(
            f"  {team}: {len(calls):,} delivered, {rate:.2f} msg/s = "
            f"{rate / options.rate:.3f} of its rate"
        )
    permitted = options.rate * len(teams)
    print(
        f"  sum of the workspaces' rates: {total_rate:.2f} msg/s = "
        f"{total_rate / permitted:.3f} of the sum permitted ({permitted:g})"
    )
    if len(posts) > 1:
        span = posts[-1].finished - posts[0].started
        print(
            f"  whole broadcast: {len(posts):,} in {span:.1f} s = "
            f"{(len(posts) - 1) / span:.2f} msg/s"
        )
    throttled = sum(1 for c in slack.calls_to("chat.postMessage") if c.status == 429)
    where = Counter(c.team_id or "?" for c in slack.calls if c.status == 429)
    held: Counter[str] = Counter()
    for n, uid in enumerate(recipients):
        team = slack if team_of(n, teams) == HOME else slack.team(team_of(n, teams))
        held[uid] = sum(
            1
            for m in team.dm(uid)
            if not m["deleted"] and scenarios.is_alert(m.get("blocks"), public_id)
        )
    lost = sum(1 for uid in recipients if held[uid] == 0)
    doubled = sum(n - 1 for n in held.values() if n > 1)
    home_of = {uid: team_of(n, teams) for n, uid in enumerate(recipients)}
    wrong = sum(1 for c in posts if c.team_id != home_of.get(str(c.params.get("channel"))))
    if restart is not None:
        print(f"  killed with SIGKILL at {options.kill_at:,} posts; restarted in {restart:.2f} s")
    print(
        f"  lost: {lost}   duplicated: {doubled}   sent with another workspace's token: "
        f"{wrong}   answered 429: {throttled} {dict(where) if where else ''}"
    )
    ms = [v * 1000 for v in latencies]
    print(
        f"  other commands during it: {len(ms):,} acks, p50 {percentile(ms, 50):.1f} ms, "
        f"p99 {percentile(ms, 99):.1f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main())
