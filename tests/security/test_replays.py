"""A signed request is handled once: replaying it is refused, also after the bot restarts
(a new bot on the same database file, or a new process after kill -9), whatever the spelling
of its headers. Seen signatures are forgotten once their five-minute window has passed."""

from __future__ import annotations

import asyncio
import sqlite3
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from network_bot.replays import ReplayGuard
from network_bot.store import replays
from network_bot.store.db import Database
from network_bot.testing.driver import SlackRequestSigner
from network_bot.testing.harness import SIGNING_SECRET, Harness
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn

# Not one of the demo people, whose details the harness seeds again at every start.
BOB = "U0NEWCOME1"


def join_body(org: str) -> bytes:
    fields = {
        "command": "/network",
        "text": f'join org:"{org}" country:KE',
        "user_id": BOB,
        "user_name": "bob",
        "team_id": "T0NETWORK",
        "channel_id": "C0GENERAL",
        "trigger_id": "1.2.3",
        "response_url": "",
    }
    return urllib.parse.urlencode(fields).encode()


def spellings(headers: dict[str, str]) -> list[dict[str, str]]:
    """The same captured headers as an attacker might resend them."""
    signature = headers["X-Slack-Signature"]
    return [
        headers,
        {k.lower(): v for k, v in headers.items()},
        {k.upper(): v for k, v in headers.items()},
        {**headers, "X-Slack-Signature": signature.upper()},
        {**headers, "X-Slack-Signature": f"  {signature} "},
        {**headers, "X-Slack-Request-Timestamp": " " + headers["X-Slack-Request-Timestamp"]},
    ]


async def organisation(db: Database) -> str:
    return str(
        await db.read.fetch_value("SELECT organisation FROM members WHERE user_id = ?", (BOB,))
    )


async def test_a_command_replayed_after_a_restart_is_refused(tmp_path: Path) -> None:
    async with Harness(db_path=tmp_path / "bot.sqlite3") as h:
        h.slack.add_user(BOB, "newcomer")
        signer = SlackRequestSigner(SIGNING_SECRET)
        captured = join_body("Replayed Desk")
        headers = signer.headers(captured)
        assert (await h.drive.post(captured, sign=False, headers=headers)).status == 200
        later = join_body("Kenya Press Freedom Desk")
        assert (await h.drive.post(later)).status == 200
        assert await organisation(h.running.db) == "Kenya Press Freedom Desk"

        await h.stop_bot()
        await h.start_bot()  # a new bot, a new process's memory: only the file remains
        for spelling in spellings(headers):
            again = await h.drive.post(captured, sign=False, headers=spelling)
            assert again.status == 401, (spelling, again.text)
            assert again.text in {"replayed request", "invalid signature"}
        await h.settle()
        assert await organisation(h.running.db) == "Kenya Press Freedom Desk"


async def test_a_replay_without_a_restart_and_a_timestamp_that_is_not_a_number(
    harness: Harness,
) -> None:
    harness.slack.add_user(BOB, "newcomer")
    body = join_body("Once Only Desk")
    headers = SlackRequestSigner(SIGNING_SECRET).headers(body)
    assert (await harness.drive.post(body, sign=False, headers=headers)).status == 200
    replay = await harness.drive.post(body, sign=False, headers=headers)
    assert (replay.status, replay.text) == (401, "replayed request")
    garbled = {**headers, "X-Slack-Request-Timestamp": "soon"}
    assert (await harness.drive.post(body, sign=False, headers=garbled)).status == 401


@pytest.fixture
async def stand_in() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        slack.add_user(BOB, "newcomer")
        yield slack


async def test_a_command_replayed_after_kill_9_is_refused(
    tmp_path: Path, stand_in: SlackStandIn
) -> None:
    db_path = tmp_path / "bot.sqlite3"
    captured = join_body("Replayed Desk")
    headers = {
        **SlackRequestSigner(SIGNING_SECRET).headers(captured),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    later = join_body("Kenya Press Freedom Desk")
    later_headers = {
        **SlackRequestSigner(SIGNING_SECRET).headers(later),
        "Content-Type": "application/x-www-form-urlencoded",
    }
    bots = [BotProcess(stand_in=stand_in, db_path=db_path) for _ in range(2)]
    try:
        await bots[0].start()
        async with aiohttp.ClientSession() as http:
            for body, sent in ((captured, headers), (later, later_headers)):
                async with http.post(bots[0].endpoint, data=body, headers=sent) as answer:
                    assert answer.status == 200
            await bots[0].kill()
            await bots[1].start()
            async with http.post(bots[1].endpoint, data=captured, headers=headers) as again:
                assert again.status == 401 and await again.text() == "replayed request"
        await bots[1].stop()
    finally:
        for bot in bots:
            await bot.kill()
    db = Database(db_path)
    await db.open()
    try:
        assert await organisation(db) == "Kenya Press Freedom Desk"
    finally:
        await db.close()


async def test_signatures_are_forgotten_once_their_window_has_passed(tmp_path: Path) -> None:
    db = Database(tmp_path / "bot.sqlite3")
    await db.open()
    await db.migrate()
    now = [1_800_000_000.0]
    guard = ReplayGuard(db=db, clock=lambda: now[0])
    stamp = str(int(now[0]))
    try:
        assert await guard.first_time(signature="v0=" + "a" * 64, timestamp=stamp)
        now[0] += 299
        assert not await guard.first_time(signature="v0=" + "a" * 64, timestamp=stamp)
        assert not await guard.first_time(signature="V0=" + "A" * 64, timestamp=stamp)
        now[0] += 3  # past timestamp + 300: the signature check refuses it anyway
        assert await guard.first_time(signature="v0=" + "b" * 64, timestamp=str(int(now[0])))
        assert await replays.count(db.read) == 1
    finally:
        await db.close()


async def test_the_same_request_sent_many_times_at_once_is_handled_once(harness: Harness) -> None:
    harness.slack.add_user(BOB, "newcomer")
    body = join_body("Sent Together Desk")
    headers = SlackRequestSigner(SIGNING_SECRET).headers(body)
    answers = await asyncio.gather(
        *(harness.drive.post(body, sign=False, headers=headers) for _ in range(20))
    )
    assert sorted(a.status for a in answers) == [200] + [401] * 19
    assert {a.text for a in answers if a.status == 401} == {"replayed request"}


async def test_a_locked_database_still_refuses_replays_and_records_them_after(
    tmp_path: Path,
) -> None:
    """The database cannot take the signature (locked by another process): the bot keeps it
    in memory (a replay is refused), the request itself writes nothing (it is told the
    database is busy), and the signature reaches the file with the next batch."""
    db_path = tmp_path / "bot.sqlite3"
    async with Harness(db_path=db_path, settings={"db_busy_ms": 100}) as h:
        h.slack.add_user(BOB, "newcomer")
        await h.settle()
        captured = join_body("Locked Out Desk")
        headers = SlackRequestSigner(SIGNING_SECRET).headers(captured)
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            first = await h.drive.post(captured, sign=False, headers=headers)
            replay = await h.drive.post(captured, sign=False, headers=headers)
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert first.status == 200 and "busy right now" in first.text
        assert (replay.status, replay.text) == (401, "replayed request")
        assert (await h.drive.post(join_body("Kenya Press Freedom Desk"))).status == 200
        assert await replays.count(h.running.db.read) >= 2
        await h.stop_bot()
        await h.start_bot()
        again = await h.drive.post(captured, sign=False, headers=headers)
        assert (again.status, again.text) == (401, "replayed request")
        assert await organisation(h.running.db) == "Kenya Press Freedom Desk"
