"""The Web API call a delivery makes: post, edit or delete, exactly as the delivery says."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from network_bot.store.outbox import Delivery, Operation

# Every post carries its delivery ID in message metadata, so that after a crash (or a call
# whose outcome is unknown) the bot can find out from the conversation whether it landed.
METADATA_EVENT = "network_bot_delivery"


async def call_slack(client: AsyncWebClient, delivery: Delivery, edited: Delivery | None) -> Any:
    """``edited`` is the delivered post an update or delete changes (None for a post)."""
    payload = delivery.payload
    if delivery.operation is Operation.POST:
        return await client.chat_postMessage(
            channel=delivery.target_id,
            text=payload.get("text", ""),
            blocks=payload.get("blocks"),
            unfurl_links=False,
            unfurl_media=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"outbox_id": delivery.id}},
        )
    assert edited is not None
    if delivery.operation is Operation.UPDATE:
        return await client.chat_update(
            channel=edited.channel_id or edited.target_id,
            ts=edited.ts or "",
            text=payload.get("text", ""),
            blocks=payload.get("blocks") or [],
        )
    return await client.chat_delete(
        channel=edited.channel_id or edited.target_id, ts=edited.ts or ""
    )
