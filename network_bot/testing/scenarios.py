"""Whole-network scenarios the benchmarks and the fault tests share.

A roster of thousands is written straight into the database before the bot starts (joining one
by one through Slack would only time the roster); everything after that goes through the bot's
endpoint exactly as Slack would send it.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from network_bot.store import cases, counters, follows, members
from network_bot.store.cases import NewCase, PublicCase
from network_bot.store.db import Conn, Database
from network_bot.testing.driver import SlackDriver
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import PEOPLE
from network_bot.vocabulary import Profession, Status, Violation

COORDINATOR = "U0CHIDI04"
ORGANISATIONS = 40
COUNTRIES = ("PK", "KE", "CO", "PH", "MX", "UA")

ALERT = {
    "headline": "Free the detained reporters",
    "body": "Three reporters were detained while covering the protests. Sign the joint letter.",
    "action_kind": "sign_letter",
    "action_text": "Add your organisation to the joint letter",
    "link": "https://example.org/letter",
    "urgency": "high",
    "audience": ["all"],
}


def member_ids(count: int, *, prefix: str = "U9") -> list[str]:
    return [f"{prefix}{n:08d}" for n in range(count)]


async def seed_roster(path: Path, extra: Sequence[str]) -> list[str]:
    """The demo people with their roles, plus ``extra`` members spread over organisations and
    countries; returns every member's ID, demo people first."""
    db = Database(path)
    await db.open()
    await db.migrate()
    now = datetime.now(UTC)
    async with db.transaction() as tx:
        for p in PEOPLE:
            await members.add_if_new(
                tx, user_id=p.user_id, team_id="T0NETWORK", display_name=p.handle, now=now
            )
            await members.set_role(tx, user_id=p.user_id, role=p.role, now=now)
        for n, user_id in enumerate(extra):
            await members.add_if_new(
                tx, user_id=user_id, team_id="T0NETWORK", display_name=user_id.lower(), now=now
            )
            await members.set_details(
                tx,
                user_id=user_id,
                organisation=f"Org {n % ORGANISATIONS}",
                country=COUNTRIES[n % len(COUNTRIES)],
                language="en",
                now=now,
            )
    await db.close()
    return [p.user_id for p in PEOPLE] + list(extra)


async def seed_followed_case(path: Path, followers: Sequence[str]) -> tuple[str, PublicCase]:
    """The roster plus one verified killing that every one of ``followers`` follows."""
    await seed_roster(path, followers)
    db = Database(path)
    await db.open()
    now = datetime.now(UTC)
    async with db.transaction() as tx:
        case_id = await insert_case(
            tx,
            NewCase(
                reporter_id="U0ALICE01",
                profession=Profession.JOURNALIST,
                violation=Violation.KILLING,
                incident_date=date(2025, 3, 1),
                country="PH",
                summary="A radio broadcaster was shot dead in Mindanao.",
            ),
            now=now,
            verified_by=COORDINATOR,
        )
        for user_id in followers:
            await follows.follow_case(tx, user_id=user_id, case_id=case_id, now=now)
        record = await cases.get(tx, case_id)
    await db.close()
    assert record is not None
    return record.public_id, PublicCase.of(record)


async def insert_case(
    tx: Conn, new: NewCase, *, now: datetime, verified_by: str | None, prefix: str = "NI"
) -> int:
    """A case with the next ID, verified by ``verified_by`` unless that is None."""
    public_id = await counters.next_public_id(tx, prefix=prefix, year=now.year)
    case_id = await cases.insert(tx, new, public_id=public_id, now=now)
    if verified_by is not None:
        await cases.set_status(
            tx,
            case_id=case_id,
            expected=(Status.REPORTED,),
            status=Status.VERIFIED,
            reason="",
            by=verified_by,
            now=now,
        )
    return case_id


def add_to_workspace(slack: SlackStandIn, extra: Sequence[str], *, people: bool = True) -> None:
    """The same people as Slack users, so DMs to them land (``people``: the demo people too;
    a ``Harness`` adds those itself)."""
    for p in PEOPLE if people else ():
        slack.add_user(p.user_id, p.handle, real_name=p.real_name)
    for user_id in extra:
        slack.add_user(user_id, user_id.lower())


async def send_alert(
    driver: SlackDriver,
    slack: SlackStandIn,
    *,
    values: dict[str, Any] | None = None,
    coordinator: str = COORDINATOR,
) -> tuple[str, float]:
    """Compose, preview and confirm as a coordinator; the alert's ID and the confirm's ack
    time (the confirm writes every recipient's row in one transaction)."""
    opened = await driver.command(coordinator, "/alert", "")
    if opened.status != 200:
        raise RuntimeError(f"/alert failed: {opened.status} {opened.text[:300]}")
    async with asyncio.timeout(10):
        while True:  # the modal opens after the ack; the stand-in has no event to wait on
            if slack.views_for(coordinator):
                break
            await asyncio.sleep(0.02)
    compose = slack.views_for(coordinator)[-1]
    preview = await driver.submit_view(coordinator, compose, values or ALERT)
    if not preview.json or preview.json.get("response_action") != "push":
        raise RuntimeError(f"the preview was refused: {preview.text[:300]}")
    confirm = slack.views_for(coordinator)[-1]
    words = json.dumps(confirm["blocks"]).replace("*", " ").split()
    public_id = next((w for w in words if w.startswith("AL-")), None)  # the preview names it
    started = time.perf_counter()
    done = await driver.submit_view(coordinator, confirm, {})
    enqueue = time.perf_counter() - started
    if public_id is None or done.json != {"response_action": "clear"}:
        raise RuntimeError(f"the alert did not go: {done.text[:300]}")
    return public_id, enqueue


def alert_deliveries_waiting(path: Path) -> int:
    """Alert copies not yet delivered, read from a bot's database (in another process); an
    alert whose audience is still being queued counts as one more."""
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT (SELECT count(*) FROM outbox WHERE ref_kind = 'alert' "
            "AND state IN ('pending', 'sending')) "
            "+ (SELECT count(*) FROM alerts WHERE expansion = 'pending')"
        ).fetchone()
    return int(row[0])


def is_alert(blocks: Any, public_id: str) -> bool:
    """The alert itself (with its answer buttons), not the coordinator's status message."""
    text = json.dumps(blocks)
    return public_id in text and "alert.respond" in text


def alert_copies(slack: SlackStandIn, recipients: Sequence[str], public_id: str) -> Counter[str]:
    """How many live copies of the alert each recipient holds in their DM."""
    found: Counter[str] = Counter()
    for user_id in recipients:
        for message in slack.dm(user_id):
            if not message["deleted"] and is_alert(message.get("blocks"), public_id):
                found[user_id] += 1
    return found
