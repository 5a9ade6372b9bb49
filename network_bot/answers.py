"""How to say "no" (or "sorry") to any kind of request, in the shape Slack expects for it."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.response import BoltResponse

from network_bot.background import Background
from network_bot.blocks import kit
from network_bot.i18n import Messages
from network_bot.payloads import (
    BlockActionsPayload,
    BlockSuggestionPayload,
    EventCallbackPayload,
    Incoming,
    SlashCommandPayload,
    ViewSubmissionPayload,
)

log = logging.getLogger("network_bot.answers")


def json_response(body: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(body), headers={"content-type": "application/json"}
    )


def notice_modal(text: str, *, lang: Messages, title: str = "network-bot") -> dict[str, Any]:
    """A modal that only says something (the title defaults to the app's name)."""
    return kit.modal(
        title=title,
        callback_id="network.notice",
        submit=None,
        close=lang.gettext("Close"),
        blocks=[kit.section(text)],
    )


def view_errors(errors: dict[str, str]) -> dict[str, Any]:
    """``response_action: errors`` for a modal: each message appears under its field."""
    return {
        "response_action": "errors",
        "errors": {k: kit.truncate(v, 300) for k, v in errors.items()},
    }


def first_input_block(view_blocks: list[dict[str, Any]]) -> str | None:
    for block in view_blocks:
        if block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def polite(
    payload: Incoming | None,
    text: str,
    *,
    lang: Messages,
    background: Background,
    respond: AsyncRespond | None = None,
) -> BoltResponse:
    """Answer any request with ``text`` (already escaped) where its sender will see it.

    Slash commands get it in the ack; button clicks through their ``response_url`` after the ack
    (bolt's ``respond``);
    a modal submission keeps the modal open with the message under its first field, so nothing
    the person typed is lost; menus get no options; events just get their 200.
    """
    if isinstance(payload, SlashCommandPayload):
        return json_response(kit.notice(text))
    if isinstance(payload, BlockActionsPayload):
        if payload.response_url and respond is not None:
            background.spawn(_post(respond, kit.notice(text)), name="answer.response_url")
        return BoltResponse(status=200, body="")
    if isinstance(payload, ViewSubmissionPayload):
        if payload.type == "view_closed":
            return BoltResponse(status=200, body="")
        block_id = first_input_block(payload.view.blocks)
        if block_id:
            return json_response(view_errors({block_id: text}))
        return json_response({"response_action": "update", "view": notice_modal(text, lang=lang)})
    if isinstance(payload, BlockSuggestionPayload):
        return json_response({"options": []})
    if isinstance(payload, EventCallbackPayload) or payload is None:
        return BoltResponse(status=200, body="")
    return BoltResponse(status=200, body="")


async def _post(respond: AsyncRespond, body: dict[str, Any]) -> None:
    response = await respond({**body, "response_type": "ephemeral"})
    if response.status_code != 200:
        log.warning("response_url answered %s", response.status_code)
