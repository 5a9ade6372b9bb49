"""Triggers and views in the stand-in: single-use trigger_ids that expire, invalid views refused
with Slack's messages, update, push, publish and close."""

from __future__ import annotations

import asyncio

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    ALICE,
    BOB,
    Json,
    error_of,
    modal,
    section,
)


async def test_trigger_ids_are_single_use_and_expire(slack: SlackStandIn) -> None:
    slack.trigger_ttl = 0.5
    client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
    trigger = slack.new_trigger_id(ALICE)
    opened = await client.views_open(trigger_id=trigger, view=modal())
    assert opened["view"]["id"].startswith("V")
    reused = await error_of(client.views_open(trigger_id=trigger, view=modal()))
    assert reused.response["error"] == "exchanged_trigger_id"
    late = slack.new_trigger_id(ALICE)
    await asyncio.sleep(0.6)
    expired = await error_of(client.views_open(trigger_id=late, view=modal()))
    assert expired.response["error"] == "expired_trigger_id"
    made_up = await error_of(client.views_open(trigger_id="1.2.3", view=modal()))
    assert made_up.response["error"] == "invalid_trigger_id"
    assert len(slack.views_for(ALICE)) == 1


@pytest.mark.parametrize(
    ("view", "pointer"),
    [
        (modal("A title longer than 24 chars"), "/view/title/text"),
        (modal(blocks=[{"type": "divider"}] * 101), "/view/blocks"),
        (modal(private_metadata="x" * 3001), "/view/private_metadata"),
        (
            modal(
                blocks=[
                    {
                        "type": "input",
                        "label": {"type": "plain_text", "text": "Name"},
                        "element": {"type": "plain_text_input"},
                    }
                ],
                submit=None,
            ),
            "/view/submit",
        ),
    ],
)
async def test_invalid_views_are_refused_with_slacks_messages(
    slack: SlackStandIn, client: AsyncWebClient, view: Json, pointer: str
) -> None:
    if view.get("submit") is None:
        view.pop("submit", None)
    refused = await error_of(client.views_open(trigger_id=slack.new_trigger_id(ALICE), view=view))
    assert refused.response["error"] == "invalid_arguments"
    messages = refused.response["response_metadata"]["messages"]
    assert any(f"[json-pointer:{pointer}]" in m for m in messages), messages
    assert slack.views_for(ALICE) == []


async def test_views_update_push_publish_and_close(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    opened = (
        await client.views_open(
            trigger_id=slack.new_trigger_id(ALICE),
            view=modal(callback_id="report", external_id="r-1", private_metadata="NI-2026-0042"),
        )
    )["view"]
    assert opened["callback_id"] == "report" and opened["private_metadata"] == "NI-2026-0042"
    assert opened["state"] == {"values": {}} and opened["hash"]
    by_id = (await client.views_update(view_id=opened["id"], view=modal("Step 2")))["view"]
    assert by_id["id"] == opened["id"] and by_id["hash"] != opened["hash"]
    stale = await error_of(
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("Step 3"))
    )
    assert stale.response["error"] == "hash_conflict"
    by_external = await client.views_update(
        external_id="r-1", view=modal("Step 3"), hash=by_id["hash"]
    )
    assert by_external["view"]["title"]["text"] == "Step 3"
    assert slack.view(opened["id"])["title"]["text"] == "Step 3"  # type: ignore[index]

    for title in ("Second", "Third"):
        await client.views_push(trigger_id=slack.new_trigger_id(ALICE), view=modal(title))
    fourth = await error_of(
        client.views_push(trigger_id=slack.new_trigger_id(ALICE), view=modal("Fourth"))
    )
    assert fourth.response["error"] == "push_limit_reached"
    stack = slack.views_for(ALICE)
    assert [v["title"]["text"] for v in stack] == ["Step 3", "Second", "Third"]
    assert stack[2]["previous_view_id"] == stack[1]["id"]
    assert stack[2]["root_view_id"] == stack[0]["id"]
    assert slack.close_view(ALICE) is not None
    assert len(slack.views_for(ALICE)) == 2

    home = {"type": "home", "blocks": [section("Your cases")]}
    published = (await client.views_publish(user_id=BOB, view=home))["view"]
    again = (await client.views_publish(user_id=BOB, view=home))["view"]
    assert again["id"] == published["id"]
    assert slack.home(BOB)["blocks"][0]["text"]["text"] == "Your cases"  # type: ignore[index]
    assert slack.home(ALICE) is None
    nobody = await error_of(client.views_publish(user_id="U0NOBODY0", view=home))
    assert nobody.response["error"] == "user_not_found"
