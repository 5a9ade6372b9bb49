"""A recalled alert is never posted afterwards: not the copy Slack was slow to answer, not the
one waiting for its turn, whichever way its call failed (429, 5xx, ok:false, a revoked token,
a timeout, a dropped connection), and the recall reply counts what it stopped.

Through the real endpoint: a coordinator sends an alert to everyone, the stand-in holds Bob's
copy (slow, then an error), the coordinator recalls it while Bob's copy is in flight.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from network_bot.store import outbox
from network_bot.store.outbox import Delivery, State
from network_bot.testing.flows import ALERT, compose
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text

BOB, CHIDI = "U0BOBBY02", "U0CHIDI04"
HEADLINE = ALERT["headline"]
FINAL = {State.SENT, State.FAILED, State.CANCELLED}


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    settings = {"retry_backoff": 0.1, "slack_timeout": 2}
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings=settings) as harness:
        yield harness


async def confirm_alert(h: Harness) -> str:
    """Preview and confirm an alert to all members; its copies are queued, not awaited."""
    view = await compose(h, "chidi")
    answer = await h.drive.submit_view(CHIDI, view, ALERT)
    assert answer.json is not None and answer.json.get("response_action") == "push"
    confirm = h.slack.views_for(CHIDI)[-1]
    text = block_text(confirm["blocks"])  # the preview names the alert
    done = await h.drive.submit_view(CHIDI, confirm, {})
    assert done.json == {"response_action": "clear"}, done.text
    return next(w.strip("*") for w in text.split() if w.strip("*").startswith("AL-"))


async def recall(h: Harness, public_id: str, reason: str = "The hearing date was wrong") -> str:
    """``/alert recall`` opens the form that asks first and for the reason; send it, and
    return what the coordinator reads. Waits for the form only, not for deliveries in flight."""
    response = await h.command("chidi", f"/alert recall {public_id}")
    assert response.status == 200

    async def form_open() -> bool:
        views = h.slack.views_for(CHIDI)
        return bool(views) and views[-1]["callback_id"] == "alert.recall.submit"

    await until(form_open)
    done = await h.drive.submit_view(CHIDI, h.slack.views_for(CHIDI)[-1], {"reason": reason})
    assert done.json is not None and done.json.get("response_action") == "update", done.text
    return block_text(done.json["view"])


async def copies(h: Harness) -> list[Delivery]:
    rows = await h.running.db.read.fetch_all(
        "SELECT id FROM outbox WHERE purpose = 'alert' ORDER BY id"
    )
    found = [await outbox.get(h.running.db.read, int(r[0])) for r in rows]
    return [row for row in found if row is not None]


async def until(check: Any, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            if await check():
                return
            await asyncio.sleep(0.02)


def live_copies(h: Harness, user_id: str) -> list[dict[str, Any]]:
    """Copies of the alert (with its answer buttons) as the person sees them now; withdrawn
    notes and the sender's status message do not count."""
    return [
        m
        for m in h.slack.dm(user_id)
        if not m["deleted"] and "alert.respond" in json.dumps(m.get("blocks"))
    ]


SLOW_THEN = {
    "429": {"retry_after": 1},
    "503": {"status": 503},
    "ok false internal_error": {"error": "internal_error"},
    "revoked token": {"error": "token_revoked"},
    "dropped connection": {"drop": True},
}


@pytest.mark.parametrize("fault", SLOW_THEN.values(), ids=SLOW_THEN.keys())
async def test_a_copy_in_flight_when_the_alert_is_recalled_is_not_posted_after(
    h: Harness, fault: dict[str, Any]
) -> None:
    h.slack.inject("chat.postMessage", delay=1.5, when=lambda p: p.get("channel") == BOB, **fault)
    public_id = await confirm_alert(h)

    async def only_bob_left() -> bool:
        rows = await copies(h)
        bob = [r for r in rows if r.target_id == BOB]
        others = [r for r in rows if r.target_id != BOB]
        return (
            bool(bob)
            and bob[0].state is State.SENDING
            and all(r.state is State.SENT for r in others)
        )

    await until(only_bob_left)
    await asyncio.sleep(0.3)  # Bob's call is at Slack, which takes its time
    recalled_at = time.monotonic()
    reply = await recall(h, public_id)
    assert "5 delivered copies" in reply and "1 copy not yet sent was stopped" in reply, reply
    assert "1 of those was on its way" in reply, reply

    [bob] = [r for r in await copies(h) if r.target_id == BOB]

    async def bob_final() -> bool:
        row = await outbox.get(h.running.db.read, bob.id)
        return row is not None and row.state in FINAL

    await until(bob_final)
    await asyncio.sleep(2.5)  # longer than the Retry-After and the backoff
    await h.settle()
    row = await outbox.get(h.running.db.read, bob.id)
    assert row is not None and row.state is State.CANCELLED, row
    posts = [c for c in h.slack.calls_to("chat.postMessage") if c.params.get("channel") == BOB]
    assert [c.injected for c in posts] == [True], "Bob's copy was tried once, before the recall"
    assert all(c.started < recalled_at for c in posts)
    assert not live_copies(h, BOB)


async def test_a_copy_slack_posts_after_the_bot_timed_out_is_withdrawn(h: Harness) -> None:
    """Slack answers after the bot gave up (longer than its 2 s timeout) but posts the copy
    all the same: the bot cannot know, so it looks, finds it and withdraws it."""
    h.slack.inject("chat.postMessage", delay=3.0, when=lambda p: p.get("channel") == BOB)
    public_id = await confirm_alert(h)

    async def bob_in_flight() -> bool:
        rows = [r for r in await copies(h) if r.target_id == BOB]
        return bool(rows) and rows[0].state is State.SENDING

    await until(bob_in_flight)
    await asyncio.sleep(0.3)
    reply = await recall(h, public_id)
    assert "1 copy not yet sent was stopped" in reply, reply

    async def withdrawn() -> bool:
        return bool(h.slack.dm(BOB)) and not live_copies(h, BOB)

    await until(withdrawn, timeout=15)
    [message] = h.slack.dm(BOB)
    assert "withdrawn" in message["text"]
    assert (
        len([c for c in h.slack.calls_to("chat.postMessage") if c.params.get("channel") == BOB])
        == 1
    )


async def test_copies_waiting_for_their_turn_are_not_sent_after_a_recall(tmp_path: Path) -> None:
    """At one message a second, most copies are claimed and waiting on the pacer when the
    recall comes: each is checked at the moment of sending and dropped."""
    settings = {"workspace_rate": 1.0, "retry_backoff": 0.1}
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings=settings) as h:
        public_id = await confirm_alert(h)

        async def one_sent() -> bool:
            return any(r.state is State.SENT for r in await copies(h))

        await until(one_sent)
        recalled_at = time.monotonic()
        reply = await recall(h, public_id)
        rows = await copies(h)
        delivered = sum(r.state is State.SENT for r in rows)
        said = {
            f"{delivered} delivered cop",  # "copy is" or "copies are": the count agrees
            f"{6 - delivered} cop",
        }
        assert all(part in reply for part in said), reply
        await h.settle(timeout=20)
        await asyncio.sleep(1.5)
        late = [
            c
            for c in h.slack.calls_to("chat.postMessage")
            if c.started > recalled_at and HEADLINE in json.dumps(c.params)
        ]
        assert not late, "an alert copy was posted after its recall"
        for row in await copies(h):
            assert row.state in {State.SENT, State.CANCELLED}
        for user in ("U0ALICE01", BOB, "U0EMMA003", CHIDI, "U0FARID05", "U0DANA006"):
            assert not live_copies(h, user), user
