"""Response URLs in the stand-in: five uses, expiry, in_channel, replace and delete."""

from __future__ import annotations

import asyncio

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    ALICE,
    GENERAL,
)


async def test_response_url_allows_five_uses(slack: SlackStandIn) -> None:
    url = slack.new_response_url(channel_id=GENERAL, user_id=ALICE)
    hook = AsyncWebhookClient(url)
    for i in range(5):
        sent = await hook.send_dict({"text": f"reply {i}"})
        assert sent.status_code == 200
    sixth = await hook.send_dict({"text": "one too many"})
    assert (sixth.status_code, sixth.body) == (404, "used_url")
    replies = slack.ephemerals(ALICE)
    assert [r["text"] for r in replies] == [f"reply {i}" for i in range(5)]
    assert {r["source"] for r in replies} == {"response_url"}
    assert [c.status for c in slack.calls_to("response_url")] == [200] * 5 + [404]


async def test_response_url_expires() -> None:
    async with SlackStandIn(response_url_ttl=0.2) as slack:
        url = slack.new_response_url(channel_id=GENERAL, user_id=ALICE)
        await asyncio.sleep(0.3)
        late = await AsyncWebhookClient(url).send_dict({"text": "too late"})
        assert (late.status_code, late.body) == (404, "expired_url")
        assert slack.ephemerals(ALICE) == []


async def test_response_url_in_channel_replace_and_delete(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel=GENERAL, text="Alert: sign the letter")
    url = slack.new_response_url(channel_id=GENERAL, user_id=ALICE, message_ts=posted["ts"])
    hook = AsyncWebhookClient(url)
    await hook.send_dict({"text": "Alice signed", "response_type": "in_channel"})
    await hook.send_dict({"text": "Alert: 12 signatures", "replace_original": True})
    texts = [m["text"] for m in slack.messages(GENERAL)]
    assert texts == ["Alert: 12 signatures", "Alice signed"]
    assert slack.messages(GENERAL)[0]["edits"][0]["text"] == "Alert: sign the letter"
    await hook.send_dict({"delete_original": True})
    assert slack.messages(GENERAL)[0]["deleted"] is True
    empty = await hook.send_dict({"response_type": "ephemeral"})
    assert (empty.status_code, empty.body) == (400, "no_text")
    slack.inject("response_url", status=500)
    assert (await hook.send_dict({"text": "x"})).status_code == 500
