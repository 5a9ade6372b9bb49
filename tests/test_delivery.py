"""The delivery worker against the Slack stand-in: limits, retries, failures and edits.

Rows are queued straight into the outbox here (as every service does, inside a transaction) so
each test is about the sender alone; the alert and lifecycle tests cover what queues them.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from network_bot.store import outbox
from network_bot.store.db import Database
from network_bot.store.outbox import Delivery, Operation, Outgoing, Purpose, State, TargetKind
from network_bot.testing.harness import Harness

ALICE, BOB, EMMA = "U0ALICE01", "U0BOBBY02", "U0EMMA003"
FINAL = {State.SENT, State.FAILED, State.CANCELLED}


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    fast = {"retry_backoff": 0.1, "slack_timeout": 1}
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings=fast) as harness:
        yield harness


async def queue(
    h: Harness,
    targets: Sequence[str],
    *,
    kind: TargetKind = TargetKind.USER,
    operation: Operation = Operation.POST,
    edits_id: int | None = None,
    text: str = "Hello from the network",
    shared_ok: bool = False,
) -> list[int]:
    bot = h.running
    keys = [f"test:{time.monotonic_ns()}:{target}" for target in targets]
    async with bot.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            (
                Outgoing(
                    purpose=Purpose.NOTIFICATION,
                    target_kind=kind,
                    target_id=target,
                    payload={"text": text},
                    operation=operation,
                    edits_id=edits_id,
                    dedupe_key=key,
                    shared_ok=shared_ok,
                )
                for target, key in zip(targets, keys, strict=True)
            ),
            now=bot.clock.now(),
        )
        ids = [await outbox.id_for_key(tx, key) for key in keys]
    return [i for i in ids if i is not None]


async def final(h: Harness, ids: Sequence[int], *, timeout: float = 15.0) -> list[Delivery]:
    async with asyncio.timeout(timeout):
        while True:
            rows = [await outbox.get(h.running.db.read, i) for i in ids]
            if all(r is not None and r.state in FINAL for r in rows):
                return [r for r in rows if r is not None]
            await asyncio.sleep(0.02)


async def test_a_429_waits_the_retry_after_slack_gave_and_costs_no_attempt(h: Harness) -> None:
    h.slack.inject("chat.postMessage", retry_after=2)
    [row] = await final(h, await queue(h, [ALICE]))
    posts = h.slack.calls_to("chat.postMessage")
    assert [c.status for c in posts] == [429, 200]
    waited = posts[1].started - posts[0].finished
    assert 1.9 <= waited < 4.0, f"waited {waited:.2f} s for a Retry-After of 2 s"
    assert row.state is State.SENT and row.attempts == 1
    assert len(h.slack.dm(ALICE)) == 1


async def test_a_429_pauses_only_the_method_that_was_throttled(h: Harness) -> None:
    [sent] = await final(h, await queue(h, [ALICE]))
    h.slack.inject("chat.postMessage", retry_after=3)
    await queue(h, [BOB])
    await asyncio.sleep(0.3)  # the post is now waiting out its Retry-After
    started = time.monotonic()
    [edit] = await final(
        h,
        await queue(h, [ALICE], operation=Operation.UPDATE, edits_id=sent.id, text="Corrected"),
        timeout=2.5,
    )
    assert edit.state is State.SENT and time.monotonic() - started < 2.0
    assert h.slack.dm(ALICE)[-1]["text"] == "Corrected"
    assert not h.slack.dm(BOB), "the throttled post is still waiting"


async def test_server_errors_and_dropped_connections_are_retried_with_backoff(h: Harness) -> None:
    h.slack.inject("chat.postMessage", status=503)
    h.slack.inject("chat.postMessage", status=500)
    h.slack.inject("chat.postMessage", drop=True)
    [row] = await final(h, await queue(h, [ALICE]))
    statuses = [c.status for c in h.slack.calls_to("chat.postMessage")]
    assert statuses == [503, 500, 0, 200]
    assert row.state is State.SENT and row.attempts == 4
    assert len(h.slack.dm(ALICE)) == 1


async def test_a_timeout_is_retried(h: Harness) -> None:
    h.slack.inject("chat.postMessage", delay=1.5)  # longer than the 1 s client timeout
    [row] = await final(h, await queue(h, [ALICE]))
    assert row.state is State.SENT and row.attempts == 2


@pytest.mark.parametrize(
    "error", ["channel_not_found", "account_inactive", "not_in_channel", "is_archived"]
)
async def test_permanent_errors_fail_at_once_without_a_retry(h: Harness, error: str) -> None:
    h.slack.inject("chat.postMessage", error=error)
    [row] = await final(h, await queue(h, [ALICE]))
    assert row.state is State.FAILED and row.last_error == error
    assert len(h.slack.calls_to("chat.postMessage")) == 1


async def test_a_row_that_keeps_failing_gives_up_after_the_attempt_limit(tmp_path: Path) -> None:
    settings = {"retry_backoff": 0.05, "max_attempts": 3}
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings=settings) as h:
        h.slack.inject("chat.postMessage", status=502, times=None)
        [row] = await final(h, await queue(h, [ALICE]))
        assert row.state is State.FAILED
        assert row.last_error is not None and "gave up after 3 attempts" in row.last_error
        assert len(h.slack.calls_to("chat.postMessage")) == 3


async def test_a_revoked_token_pauses_delivery_without_failing_anything(h: Harness) -> None:
    h.slack.inject("chat.postMessage", error="token_revoked")
    [row_id] = await queue(h, [ALICE])
    await asyncio.sleep(0.5)
    row = await outbox.get(h.running.db.read, row_id)
    assert row is not None and row.state is State.PENDING and row.last_error == "token_revoked"
    assert row.attempts == 0
    assert not h.slack.dm(ALICE)


async def test_the_sender_keeps_within_the_workspace_rate(tmp_path: Path) -> None:
    """60 DMs at 20/s: about three seconds, and Slack never has to say 429."""
    rate = 20.0
    async with Harness(
        db_path=tmp_path / "bot.sqlite3",
        settings={"workspace_rate": rate},
        rate_limits={"chat.postMessage": rate},
    ) as h:
        people = [f"U0LOAD{i:04d}" for i in range(60)]
        for user in people:
            h.slack.add_user(user, user.lower())
        started = time.monotonic()
        rows = await final(h, await queue(h, people), timeout=20)
        elapsed = time.monotonic() - started
        posts = h.slack.calls_to("chat.postMessage")
        assert all(r.state is State.SENT for r in rows)
        assert [c.status for c in posts].count(429) == 0
        assert 2.5 <= elapsed <= 4.5, f"60 messages at {rate}/s took {elapsed:.2f} s"


async def test_posts_to_one_channel_keep_to_about_one_a_second(tmp_path: Path) -> None:
    async with Harness(
        db_path=tmp_path / "bot.sqlite3",
        settings={"channel_rate": 2.0},
        channel_post_rate=2.0,
    ) as h:
        rows = await final(h, await queue(h, ["C0GENERAL"] * 5, kind=TargetKind.CHANNEL))
        posts = h.slack.calls_to("chat.postMessage")
        assert all(r.state is State.SENT for r in rows)
        assert [c.status for c in posts].count(429) == 0
        assert posts[-1].started - posts[0].started >= 1.5


async def test_updates_and_deletes_change_what_was_delivered(h: Harness) -> None:
    [sent] = await final(h, await queue(h, [ALICE], text="First version"))
    await final(h, await queue(h, [ALICE], operation=Operation.UPDATE, edits_id=sent.id, text="v2"))
    assert [m["text"] for m in h.slack.dm(ALICE)] == ["v2"]
    await final(h, await queue(h, [ALICE], operation=Operation.DELETE, edits_id=sent.id))
    assert [m["deleted"] for m in h.slack.dm(ALICE)] == [True]


async def test_a_delete_queued_before_its_post_went_out_withdraws_it(tmp_path: Path) -> None:
    """Cancelled while still queued, or deleted just after it lands: never left standing."""
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings={"workspace_rate": 0.5}) as h:
        await final(h, await queue(h, [BOB]))  # takes the only token for the next two seconds
        [waiting] = await queue(h, [ALICE])
        [withdraw] = await queue(h, [ALICE], operation=Operation.DELETE, edits_id=waiting)
        post, delete = await final(h, [waiting, withdraw], timeout=10)
        assert delete.state is State.SENT
        assert post.state in {State.CANCELLED, State.SENT}
        assert all(m["deleted"] for m in h.slack.dm(ALICE))


async def test_a_channel_shared_with_another_organisation_is_refused_unless_chosen(
    h: Harness,
) -> None:
    [refused] = await final(h, await queue(h, ["C0PARTNER"], kind=TargetKind.CHANNEL))
    assert refused.state is State.FAILED and refused.last_error == "shared_channel_refused"
    assert not h.slack.messages("C0PARTNER")
    [chosen] = await final(
        h, await queue(h, ["C0PARTNER"], kind=TargetKind.CHANNEL, shared_ok=True)
    )
    assert chosen.state is State.SENT and len(h.slack.messages("C0PARTNER")) == 1


async def test_a_row_left_sending_by_a_crash_is_found_in_slack_not_sent_again(
    h: Harness,
) -> None:
    [row_id] = await queue(h, [ALICE])
    [sent] = await final(h, [row_id])
    [unsent] = await queue(h, [BOB])
    await final(h, [unsent])
    await h.stop_bot()
    # As a crash would leave them: one really posted, one never reached Slack.
    db = Database(h.db_path)
    await db.open()
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE outbox SET state = 'sending', ts = NULL, channel_id = NULL WHERE id = ?",
            (sent.id,),
        )
        await tx.execute("UPDATE outbox SET state = 'sending' WHERE id = ?", (unsent,))
    await db.close()
    h.slack.clear_calls()
    # Bob's message "never reached Slack": take it out of his DM before the restart.
    bob_dm = h.slack.conversation_key(BOB)
    h.slack.delete_message(bob_dm, h.slack.dm(BOB)[0]["ts"])

    await h.start_bot()
    rows = await final(h, [sent.id, unsent])
    assert [r.state for r in rows] == [State.SENT, State.SENT]
    assert rows[0].ts == sent.ts, "found by its metadata, with the ts Slack gave it"
    assert len([m for m in h.slack.dm(ALICE) if not m["deleted"]]) == 1
    assert len([m for m in h.slack.dm(BOB) if not m["deleted"]]) == 1
    assert len(h.slack.calls_to("chat.postMessage")) == 1, "only Bob's is posted again"


async def test_stopping_gives_back_rows_not_yet_started(tmp_path: Path) -> None:
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings={"workspace_rate": 2.0}) as h:
        people = [f"U0STOP{i:04d}" for i in range(20)]
        for user in people:
            h.slack.add_user(user, user.lower())
        ids = await queue(h, people)
        await asyncio.sleep(0.8)
        await h.stop_bot()
        db_rows = [await _row(h, i) for i in ids]
        states = {r.state for r in db_rows}
        assert State.SENDING not in states, "nothing is left half-claimed after a clean stop"
        delivered = sum(len(h.slack.dm(u)) for u in people)
        assert delivered == sum(r.state is State.SENT for r in db_rows)
        await h.start_bot()
        await final(h, ids, timeout=20)
        assert all(len(h.slack.dm(u)) == 1 for u in people)


async def _row(h: Harness, row_id: int) -> Delivery:
    with sqlite3.connect(h.db_path) as conn:
        conn.row_factory = sqlite3.Row
        found = conn.execute("SELECT * FROM outbox WHERE id = ?", (row_id,)).fetchone()
    return outbox.delivery(found)
