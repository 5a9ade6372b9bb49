"""Token rotation: bolt's authorize refreshes a request's token when it is about to expire, the
sender refreshes the tokens it uses ahead of that, each refresh token works once, and what is
stored stays encrypted."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.store import outbox
from network_bot.store.outbox import Outgoing, TargetKind
from network_bot.testing.network import CLIENT_ID, CLIENT_SECRET, NetworkHarness
from network_bot.testing.reading import ephemeral_text

ALICE = "U0ALICE01"


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[NetworkHarness]:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3", token_rotation=True) as h:
        yield h


async def stored(h: NetworkHarness) -> tuple[str, str, int]:
    """The home bot's token, refresh token (decrypted) and expiry, as the store holds them."""
    store = h.running.oauth_store
    assert store is not None
    bot = await store.async_find_bot(enterprise_id=None, team_id=h.slack.team_id)
    assert bot is not None and bot.bot_refresh_token and bot.bot_token_expires_at
    return bot.bot_token, bot.bot_refresh_token, int(bot.bot_token_expires_at)


async def expires_in(h: NetworkHarness, seconds: float) -> None:
    """As if the token's lifetime had mostly passed (the stand-in's clock is wall time)."""
    async with h.running.db.transaction() as tx:
        for table in ("slack_bots", "slack_installations"):
            await tx.execute(
                f"UPDATE {table} SET bot_token_expires_at = ? WHERE team_id = ?",
                (int(time.time() + seconds), h.slack.team_id),
            )
    h.running.clients.tokens.forget()


def refreshes(h: NetworkHarness) -> list[str]:
    return [
        str(c.params.get("grant_type"))
        for c in h.slack.calls_to("oauth.v2.access")
        if c.params.get("grant_type") == "refresh_token" and c.ok
    ]


async def test_a_request_rotates_a_token_about_to_expire(network: NetworkHarness) -> None:
    h = network
    first, first_refresh, _ = await stored(h)
    assert first.startswith("xoxe.xoxb-") and first_refresh.startswith("xoxe-1-")
    await expires_in(h, 600)  # ten minutes left: bolt's authorize rotates before using it
    h.slack.clear_calls()
    answer = await h.command("alice", "/network me")
    assert "Your entry in the network" in ephemeral_text(answer.json)
    assert refreshes(h) == ["refresh_token"]
    second, second_refresh, expiry = await stored(h)
    assert second != first and second_refresh != first_refresh
    assert expiry > time.time() + 11 * 3600
    raw = await h.running.db.read.fetch_value(
        "SELECT bot_refresh_token FROM slack_bots WHERE team_id = ?", (h.slack.team_id,)
    )
    assert second_refresh not in str(raw) and str(raw).startswith("gAAAA")
    # The used refresh token is spent: Slack revokes it on exchange.
    anonymous = AsyncWebClient(base_url=h.slack.api_url, retry_handlers=[])
    with pytest.raises(SlackApiError) as spent:
        await anonymous.oauth_v2_access(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            grant_type="refresh_token",
            refresh_token=first_refresh,
        )
    assert spent.value.response["error"] == "invalid_refresh_token"
    h.slack.clear_calls()
    again = await h.command("alice", "/network me")
    assert again.status == 200 and refreshes(h) == [], "a fresh token is not rotated again"


async def test_the_sender_rotates_ahead_of_requests_and_delivers(network: NetworkHarness) -> None:
    h = network
    first, _, _ = await stored(h)
    await expires_in(h, 90 * 60)  # within the sender's two hours, outside bolt's hour
    h.slack.clear_calls()
    async with h.running.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            [
                Outgoing(
                    purpose="notification",
                    target_kind=TargetKind.USER,
                    target_id=ALICE,
                    payload={"text": "after a rotation"},
                )
            ],
            now=h.running.clock.now(),
        )
    await h.settle()
    assert refreshes(h) == ["refresh_token"]
    second, _, _ = await stored(h)
    assert second != first
    assert [m["text"] for m in h.slack.dm(ALICE)][-1] == "after a rotation"
    post = h.slack.calls_to("chat.postMessage")[-1]
    assert post.ok and post.team_id == h.slack.team_id
    h.slack.clear_calls()
    answer = await h.command("alice", "/network me")
    assert answer.status == 200 and refreshes(h) == [], "bolt finds the rotated token"
