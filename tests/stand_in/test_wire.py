"""The stand-in's wire: tokens and auth.test, form-encoded JSON fields, raw requests refused."""

from __future__ import annotations

import json
import urllib.parse

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    GENERAL,
    Json,
    error_of,
    section,
)


async def test_auth(slack: SlackStandIn) -> None:
    nobody = AsyncWebClient(base_url=slack.api_url, retry_handlers=[])
    assert (await error_of(nobody.auth_test())).response["error"] == "not_authed"
    wrong = AsyncWebClient(token="xoxb-wrong", base_url=slack.api_url, retry_handlers=[])
    assert (await error_of(wrong.auth_test())).response["error"] == "invalid_auth"
    app = AsyncWebClient(token=slack.app_token, base_url=slack.api_url, retry_handlers=[])
    refused = await error_of(app.chat_postMessage(channel=GENERAL, text="x"))
    assert refused.response["error"] == "not_allowed_token_type"
    bot = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
    identity = await bot.auth_test()
    assert identity["user_id"] == slack.bot_user_id and identity["team_id"] == slack.team_id
    assert identity["bot_id"] and identity["url"].startswith("https://")
    with_bot = await error_of(bot.apps_connections_open(app_token=slack.bot_token))
    assert with_bot.response["error"] == "not_allowed_token_type"
    opened = await bot.apps_connections_open(app_token=slack.app_token)
    assert opened["url"].startswith("ws://127.0.0.1:")
    assert all(slack.bot_token not in json.dumps(c.params) for c in slack.calls)


async def test_form_encoded_json_fields_are_decoded(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    blocks = [section("form")]
    await client.api_call(
        "chat.postMessage", data={"channel": GENERAL, "text": "f", "blocks": json.dumps(blocks)}
    )
    [call] = slack.calls_to("chat.postMessage")
    assert call.encoding == "form"
    assert call.params["blocks"] == blocks
    assert slack.messages(GENERAL)[0]["blocks"][0]["text"]["text"] == "form"


async def raw_post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, Json]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.json(content_type=None)


async def test_raw_requests_slack_refuses(slack: SlackStandIn) -> None:
    url = slack.api_url + "chat.postMessage"
    bearer = {"Authorization": f"Bearer {slack.bot_token}"}
    text = await raw_post(
        url, b"channel=C0GENERAL&text=x", {**bearer, "Content-Type": "text/plain"}
    )
    assert text == (200, {"ok": False, "error": "invalid_form_data"})
    broken = await raw_post(url, b"{not json", {**bearer, "Content-Type": "application/json"})
    assert broken == (200, {"ok": False, "error": "invalid_json"})
    in_body = json.dumps({"token": slack.bot_token, "channel": GENERAL, "text": "x"}).encode()
    assert await raw_post(url, in_body, {"Content-Type": "application/json; charset=utf-8"}) == (
        200,
        {"ok": False, "error": "not_authed"},
    )
    form = urllib.parse.urlencode({"token": slack.bot_token, "channel": GENERAL, "text": "ok"})
    status, body = await raw_post(
        url, form.encode(), {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
    )
    assert status == 200 and body["ok"] is True
    assert [m["text"] for m in slack.messages(GENERAL)] == ["ok"]
    unknown = await raw_post(slack.api_url + "chat.frobnicate", b"", bearer)
    assert unknown == (404, {"ok": False, "error": "unknown_method"})
