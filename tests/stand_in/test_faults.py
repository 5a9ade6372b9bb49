"""Faults injected into the stand-in (Retry-After, server errors, delays, drops) and its rate
limits, as slack_sdk's client meets them."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    ALICE,
    BOB,
    GENERAL,
    error_of,
)


async def test_fault_retry_after(slack: SlackStandIn, client: AsyncWebClient) -> None:
    slack.inject("chat.postMessage", retry_after=7)
    limited = await error_of(client.chat_postMessage(channel=GENERAL, text="x"))
    assert limited.response.status_code == 429
    assert limited.response.headers["Retry-After"] == "7"
    assert limited.response["error"] == "ratelimited"
    assert (await client.chat_postMessage(channel=GENERAL, text="x"))["ok"]
    first, second = slack.calls_to("chat.postMessage")
    assert first.injected and first.status == 429
    assert not second.injected and second.ok


async def test_fault_server_error(slack: SlackStandIn, client: AsyncWebClient) -> None:
    slack.inject("users.info", status=503)
    outage = await error_of(client.users_info(user=ALICE))
    assert outage.response.status_code == 503
    assert slack.calls_to("users.info")[0].response is None
    assert (await client.users_info(user=ALICE))["ok"]


async def test_fault_error_when_and_times(slack: SlackStandIn, client: AsyncWebClient) -> None:
    slack.inject(
        "chat.postMessage",
        error="channel_not_found",
        times=2,
        when=lambda params: params.get("channel") == "C0PARTNER",
    )
    assert (await client.chat_postMessage(channel=GENERAL, text="x"))["ok"]
    for _ in range(2):
        refused = await error_of(client.chat_postMessage(channel="C0PARTNER", text="x"))
        assert refused.response.status_code == 200
        assert refused.response["error"] == "channel_not_found"
    assert (await client.chat_postMessage(channel="C0PARTNER", text="x"))["ok"]
    assert [m["text"] for m in slack.messages("C0PARTNER")] == ["x"]


async def test_faults_forever_until_cleared_and_in_order(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.inject("auth.test", error="first", times=1)
    slack.inject("auth.test", error="always", times=None)
    errors = [(await error_of(client.auth_test())).response["error"] for _ in range(4)]
    assert errors == ["first", "always", "always", "always"]
    slack.clear_faults()
    assert (await client.auth_test())["ok"]
    with pytest.raises(ValueError, match="does not answer"):
        slack.inject("chat.frobnicate", error="x")


async def test_fault_delay(slack: SlackStandIn, client: AsyncWebClient) -> None:
    slack.inject("auth.test", delay=0.3)
    started = time.monotonic()
    assert (await client.auth_test())["ok"]
    assert time.monotonic() - started >= 0.3
    slack.inject("auth.test", delay=1.2)
    impatient = AsyncWebClient(
        token=slack.bot_token, base_url=slack.api_url, timeout=1, retry_handlers=[]
    )
    with pytest.raises(asyncio.TimeoutError):
        await impatient.auth_test()


async def test_fault_drop_closes_the_connection(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.inject("chat.postMessage", drop=True)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await client.chat_postMessage(channel=GENERAL, text="lost")
    assert slack.messages(GENERAL) == []
    [dropped] = slack.calls_to("chat.postMessage")
    assert dropped.status == 0 and dropped.injected
    assert (await client.chat_postMessage(channel=GENERAL, text="kept"))["ok"]


async def test_rate_limit_is_a_sliding_window(slack: SlackStandIn, client: AsyncWebClient) -> None:
    slack.set_rate_limit("users.info", 2)
    await client.users_info(user=ALICE)  # t=0
    await asyncio.sleep(0.6)
    await client.users_info(user=ALICE)  # t=0.6
    for _ in range(3):  # refused calls do not use up the budget
        limited = await error_of(client.users_info(user=ALICE))
        assert limited.response.status_code == 429
        assert limited.response.headers["Retry-After"] == "1"
    await asyncio.sleep(0.5)  # t=1.1: the first call left the window, the second has not
    assert (await client.users_info(user=ALICE))["ok"]
    assert (await error_of(client.users_info(user=ALICE))).response.status_code == 429
    assert (await client.auth_test())["ok"]  # other methods have their own budget
    slack.set_rate_limit("users.info", None)
    assert (await client.users_info(user=ALICE))["ok"]
    statuses = [c.status for c in slack.calls_to("users.info")]
    assert statuses == [200, 200, 429, 429, 429, 200, 429, 200]


async def test_rate_limits_from_the_constructor_and_per_channel() -> None:
    async with SlackStandIn(rate_limits={"chat.postMessage": 3}, channel_post_rate=1) as slack:
        slack.add_user(ALICE, "alice")
        slack.add_channel(GENERAL, "general")
        slack.add_channel("C0OTHER01", "other")
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
        assert (await client.chat_postMessage(channel=GENERAL, text="1"))["ok"]
        same = await error_of(client.chat_postMessage(channel=GENERAL, text="2"))
        assert same.response.status_code == 429
        assert (await client.chat_postMessage(channel="C0OTHER01", text="3"))["ok"]
        assert (await client.chat_postMessage(channel=ALICE, text="4"))["ok"]
        workspace = await error_of(client.chat_postMessage(channel=slack.im_of(BOB), text="5"))
        assert workspace.response.status_code == 429  # the workspace budget of 3 is spent
        assert [m["text"] for m in slack.all_messages()] == ["1", "3", "4"]
