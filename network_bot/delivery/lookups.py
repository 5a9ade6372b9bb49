"""What the delivery worker asks before it acts: is a claimed delivery still wanted, whose channel
must it ask about, and (after a crash) did a post already land in Slack."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from network_bot.store import outbox
from network_bot.store.db import Conn
from network_bot.store.deliveries import TAKES_INFORMATION_OUT
from network_bot.store.outbox import Delivery, Operation, State, TargetKind

# A guard says why a claimed delivery must not go out any more (None: it may).
Guard = Callable[[Delivery], Awaitable[str | None]]


async def unwanted(conn: Conn, delivery: Delivery, guards: list[Guard]) -> str | None:
    """Why a claimed delivery must not be sent or re-queued: it is no longer claimed (a recall
    cancelled it), or a guard refuses it; None when it may go."""
    state = await outbox.state_of(conn, delivery.id)
    if state is not State.SENDING:
        return f"{state.value if state else 'deleted'} while waiting to be sent"
    for guard in guards:
        reason = await guard(delivery)
        if reason is not None:
            return reason
    return None


def channel_to_check(delivery: Delivery, edited: Delivery | None) -> str | None:
    """The channel whose sharing must be asked about right before this call, if any: posts
    into a channel and edits of a channel post, unless a coordinator chose a shared channel
    for it or the edit only takes information out. Deletes never need asking."""
    if edited is None:
        if delivery.target_kind is not TargetKind.CHANNEL or delivery.shared_ok:
            return None
        return delivery.target_id
    if delivery.operation is Operation.DELETE or edited.target_kind is not TargetKind.CHANNEL:
        return None
    if edited.shared_ok or delivery.purpose in TAKES_INFORMATION_OUT:
        return None
    return edited.channel_id or edited.target_id


async def find_posted(
    client: AsyncWebClient, delivery: Delivery, *, event_type: str
) -> tuple[str, str] | None:
    """Where a post carrying this delivery's metadata landed, from the conversation's history."""
    channel = delivery.channel_id or delivery.target_id
    if delivery.target_kind is TargetKind.USER and not delivery.channel_id:
        opened = await client.conversations_open(users=delivery.target_id)
        channel = str((opened.get("channel") or {}).get("id") or channel)
    history = await client.conversations_history(
        channel=channel, limit=200, include_all_metadata=True
    )
    for message in history.get("messages") or []:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == event_type and payload.get("outbox_id") == delivery.id:
            return channel, str(message.get("ts"))
    return None
