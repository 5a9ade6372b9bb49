"""Soak: minutes of mixed traffic at a steady rate against the bot in its own process.

Reports (through the real modal submission), searches, case cards, follows, and one large alert
broadcast (composed, previewed and confirmed like a coordinator would) to every member, while
the stand-in enforces Slack's rate limit. Prints, per interval: requests, errors, p99 ack latency,
the bot's resident memory, and deliveries; at the end whether memory stayed flat and whether any
message was lost or sent twice.

    python bench/soak.py [--seconds 600] [--rate 20] [--members 2000]

Exits 1 if any request failed or any message was lost, so CI can run a short form of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

import psutil
from _common import percentile, running_bot

from network_bot.blocks.report import report_modal
from network_bot.i18n import Catalogue
from network_bot.testing import scenarios
from network_bot.testing.driver import DriverResponse, SlackDriver
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import PEOPLE, ROOMS

COORDINATOR = "U0CHIDI04"
REPORT = {
    "victim_names": "Soak Victim",
    "profession": "journalist",
    "violation": "threats",
    "incident_date": "2026-11-01",
    "country": "PK",
    "urgency": "routine",
    "summary": "Soak test report about threats against a radio journalist.",
}


class Traffic:
    def __init__(self, driver: SlackDriver, people: list[str]) -> None:
        self.driver = driver
        self.people = people
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.requests = 0
        self.case_ids: list[str] = []
        self.report_view = {
            **report_modal(
                summary="", channel_id="C0GENERAL", today=date.today(), lang=Catalogue().source
            ),
            "id": "V0SOAK",
        }

    def record(self, kind: str, response: DriverResponse) -> None:
        self.requests += 1
        self.latencies.append(response.elapsed)
        if response.status != 200:
            self.errors[f"{kind} http {response.status}"] += 1

    async def one(self) -> None:
        user = random.choice(self.people)
        roll = random.random()
        if roll < 0.25:
            response = await self.driver.submit_view(user, self.report_view, REPORT)
            self.record("report", response)
            text = json.dumps(response.json)
            found = [w.strip("*.,\"'") for w in text.split() if "NI-" in w]
            if found:
                self.case_ids.append(found[0])
            elif response.status == 200:
                self.errors["report without an ID"] += 1
        elif roll < 0.6:
            words = random.choice(["radio", "journalist", "threats", "country:PK", ""])
            self.record("search", await self.driver.command(user, "/cases", words))
        elif roll < 0.8 and self.case_ids:
            self.record(
                "card", await self.driver.command(user, "/case", random.choice(self.case_ids))
            )
        else:
            self.record("follow", await self.driver.command(user, "/follow", "country:PK"))


SOAK_ALERT = {
    "headline": "Soak alert",
    "body": "A long soak alert to every member of the network.",
    "action_kind": "share",
    "urgency": "routine",
    "audience": ["all"],
}


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--interval", type=int, default=60, help="seconds per report line")
    parser.add_argument(
        "--send-rate",
        type=float,
        default=50.0,
        help="chat.postMessage per second the stand-in allows",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "soak.sqlite3"
        member_ids = scenarios.member_ids(options.members)
        await scenarios.seed_roster(db_path, member_ids)
        async with SlackStandIn(rate_limits={"chat.postMessage": options.send_rate}) as slack:
            scenarios.add_to_workspace(slack, member_ids)
            for room in ROOMS:
                slack.add_channel(room.channel_id, room.name, is_ext_shared=room.is_ext_shared)
            env = {
                "NETWORK_BOT_WORKSPACE_RATE": str(options.send_rate),
                "NETWORK_BOT_REVIEW_CHANNEL": "C0REVIEW1",
            }
            log = Path(tmp) / "bot.log"
            async with running_bot(slack, db_path, env=env, log_path=log) as (bot, driver):
                process = psutil.Process(bot.pid)
                traffic = Traffic(driver, [p.user_id for p in PEOPLE] + member_ids[:200])
                print(
                    f"soak: {options.seconds} s at {options.rate}/s, {options.members} members, "
                    f"stand-in limit {options.send_rate} msg/s\n"
                )
                print(
                    f"{'t (s)':>6} {'requests':>9} {'errors':>7} {'p99 ack':>9} {'RSS':>9} "
                    f"{'DMs sent':>9}"
                )
                rss: list[float] = []
                started = time.monotonic()
                next_line = started + options.interval
                window_start = 0
                in_flight: set[asyncio.Task[None]] = set()
                broadcast_id = ""
                tick = 0
                while time.monotonic() - started < options.seconds:
                    if tick == int(options.rate * 2):
                        broadcast_id, _ = await scenarios.send_alert(
                            driver, slack, values=SOAK_ALERT
                        )
                    task = asyncio.create_task(traffic.one())
                    in_flight.add(task)
                    task.add_done_callback(in_flight.discard)
                    tick += 1
                    await asyncio.sleep(max(0.0, started + tick / options.rate - time.monotonic()))
                    if time.monotonic() >= next_line:
                        window = traffic.latencies[window_start:]
                        window_start = len(traffic.latencies)
                        rss.append(process.memory_info().rss / 2**20)
                        sent = len(
                            [c for c in slack.calls_to("chat.postMessage") if c.status == 200]
                        )
                        print(
                            f"{time.monotonic() - started:6.0f} {len(window):9d} "
                            f"{sum(traffic.errors.values()):7d} "
                            f"{percentile(window, 99) * 1000:7.1f}ms {rss[-1]:7.1f}MB {sent:9d}",
                            flush=True,
                        )
                        next_line += options.interval
                await asyncio.gather(*in_flight)
                # Wait for the broadcast to finish. Review cards may still be queued: they all go
                # to one channel, which Slack allows about one post a second, while the soak files
                # several reports a second; they are counted below, not waited for.
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    if not scenarios.alert_deliveries_waiting(db_path):
                        break
                    await asyncio.sleep(0.5)
                with sqlite3.connect(db_path) as db:
                    backlog = db.execute(
                        "SELECT purpose, count(*) FROM outbox "
                        "WHERE state IN ('pending', 'sending') GROUP BY purpose ORDER BY purpose"
                    ).fetchall()
                code = await bot.stop()
            with sqlite3.connect(db_path) as db:
                alert_rows = db.execute(
                    "SELECT id, state FROM outbox WHERE ref_kind = 'alert'"
                ).fetchall()
            delivered_ids = Counter(
                (m.get("metadata") or {}).get("event_payload", {}).get("outbox_id")
                for m in slack.all_messages()
                if m.get("metadata")
            )
            lost = sum(
                1
                for row_id, state in alert_rows
                if state != "sent" or delivered_ids.get(row_id, 0) == 0
            )
            doubled = sum(1 for row_id, _ in alert_rows if delivered_ids.get(row_id, 0) > 1)
    everything = traffic.latencies
    print(
        f"\nrequests {traffic.requests}, throughput {traffic.requests / options.seconds:.1f}/s,"
        f" p99 ack {percentile(everything, 99) * 1000:.1f} ms, errors "
        f"{sum(traffic.errors.values())} {dict(traffic.errors) or ''}"
    )
    print(
        f"broadcast: {len(alert_rows)} alert messages, lost {lost}, doubled {doubled} "
        f"({broadcast_id or 'NOT SENT'})"
    )
    if len(rss) >= 2:
        print(
            f"memory: first {rss[0]:.1f} MB, last {rss[-1]:.1f} MB, max {max(rss):.1f} MB, "
            f"growth {rss[-1] - rss[0]:+.1f} MB"
        )
    queued = ", ".join(f"{n} {purpose}" for purpose, n in backlog) or "nothing"
    print(f"still queued at the end (kept in the outbox, sent after): {queued}")
    print(f"bot exit code after SIGTERM: {code}")
    failed = sum(traffic.errors.values()) or lost or doubled or not broadcast_id
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
