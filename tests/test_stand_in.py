"""The Slack stand-in and the driver, checked with slack_sdk's own clients and verifier.

If these hold, a test against the stand-in fails for the reasons a real Slack would fail the bot.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from network_bot.testing.driver import (
    SlackDriver,
    SlackRequestSigner,
    build_interaction_body,
    build_slash_command_body,
)
from network_bot.testing.stand_in import SlackStandIn

ALICE = "U0ALICE01"
BOB = "U0BOBBY02"
GONE = "U0GONE003"
GENERAL = "C0GENERAL"
SECRET = "0123456789abcdef0123456789abcdef"

Json = dict[str, Any]


def button(action_id: str, value: str, text: str = "Go") -> Json:
    return {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": text},
    }


def modal(title: str = "Report a case", *, blocks: list[Json] | None = None, **extra: Any) -> Json:
    view: Json = {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks if blocks is not None else [],
        **extra,
    }
    if any(b.get("type") == "input" for b in view["blocks"]):
        view.setdefault("submit", {"type": "plain_text", "text": "Save"})
    return view


def section(text: str) -> Json:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as stand_in:
        stand_in.add_user(
            ALICE,
            "alice",
            real_name="Alice Wanjiru",
            display_name="alice",
            tz="Africa/Nairobi",
            tz_offset=10800,
        )
        stand_in.add_user(BOB, "bob", real_name="Bilal Qureshi")
        stand_in.add_user(GONE, "gone", real_name="Former Member")
        stand_in.deactivate_user(GONE)
        stand_in.add_channel(GENERAL, "general")
        stand_in.add_channel("C0PARTNER", "partners-shared", is_ext_shared=True)
        stand_in.add_channel("C0REVIEW1", "case-review", is_private=True)
        stand_in.add_channel("C0OUTSIDE", "outside", bot_is_member=False)
        stand_in.add_channel("C0SECRET1", "secret", is_private=True, bot_is_member=False)
        stand_in.add_channel("C0OLD0001", "old", is_archived=True)
        yield stand_in


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])


async def error_of(call: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as caught:
        await call
    return caught.value


# --- messages and conversations -------------------------------------------------------------


async def test_post_message_is_stored_and_answered_like_slack(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    blocks = [section("*NI-2026-0042* verified")]
    response = await client.chat_postMessage(channel=GENERAL, text="verified", blocks=blocks)
    assert response["ok"] is True
    assert response["channel"] == GENERAL
    seconds, _, micros = response["ts"].partition(".")
    assert seconds.isdigit() and len(micros) == 6
    assert response["message"]["text"] == "verified"
    assert response["message"]["user"] == slack.bot_user_id
    [stored] = slack.messages(GENERAL)
    assert stored["ts"] == response["ts"]
    assert stored["blocks"][0]["text"]["text"] == "*NI-2026-0042* verified"
    assert stored["blocks"][0]["block_id"]  # Slack fills in block ids
    assert stored["deleted"] is False and stored["edits"] == []
    assert slack.calls_to("chat.postMessage")[0].encoding == "json"


async def test_message_ts_are_unique_and_increasing(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    stamps = [
        (await client.chat_postMessage(channel=GENERAL, text=str(i)))["ts"] for i in range(20)
    ]
    assert stamps == sorted(stamps, key=float)
    assert len(set(stamps)) == 20
    assert [m["text"] for m in slack.all_messages()] == [str(i) for i in range(20)]


async def test_dm_through_conversations_open_and_user_id(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    opened = await client.conversations_open(users=ALICE)
    im = opened["channel"]["id"]
    assert im.startswith("D") and im == slack.im_of(ALICE)
    assert opened["already_open"] is False
    again = await client.conversations_open(users=ALICE)
    assert again["channel"]["id"] == im and again["already_open"] is True
    await client.chat_postMessage(channel=im, text="via the IM id")
    by_user = await client.chat_postMessage(channel=ALICE, text="via the user id")
    assert by_user["channel"] == im
    assert [m["text"] for m in slack.dm(ALICE)] == ["via the IM id", "via the user id"]
    assert slack.calls_to("conversations.open")[0].encoding == "query"
    info = await client.conversations_info(channel=im)
    assert info["channel"]["is_im"] is True and info["channel"]["user"] == ALICE


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        ("C0NOWHERE", "channel_not_found"),
        ("C0OUTSIDE", "not_in_channel"),
        ("C0SECRET1", "channel_not_found"),
        ("C0OLD0001", "is_archived"),
        (GONE, "account_inactive"),
        ("UNETBOT", "cannot_dm_bot"),
    ],
)
async def test_post_message_refusals(client: AsyncWebClient, channel: str, error: str) -> None:
    refused = await error_of(client.chat_postMessage(channel=channel, text="hello"))
    assert refused.response.status_code == 200
    assert refused.response["error"] == error


async def test_message_content_rules(slack: SlackStandIn, client: AsyncWebClient) -> None:
    no_text = await error_of(client.api_call("chat.postMessage", json={"channel": GENERAL}))
    assert no_text.response["error"] == "no_text"
    too_many = await error_of(
        client.chat_postMessage(channel=GENERAL, text="x", blocks=[section("a")] * 51)
    )
    assert too_many.response["error"] == "invalid_blocks"
    assert too_many.response["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]
    long_section = await error_of(
        client.chat_postMessage(channel=GENERAL, text="x", blocks=[section("a" * 3001)])
    )
    assert (
        "[json-pointer:/blocks/0/text/text]"
        in long_section.response["response_metadata"]["messages"][0]
    )
    long_button = await error_of(
        client.chat_postMessage(
            channel=GENERAL,
            text="x",
            blocks=[{"type": "actions", "elements": [button("a", "v", "b" * 76)]}],
        )
    )
    assert long_button.response["error"] == "invalid_blocks"
    assert slack.messages(GENERAL) == []
    await client.chat_postMessage(channel=GENERAL, text="x", blocks=[section("a")] * 50)
    assert len(slack.messages(GENERAL)) == 1


async def test_update_delete_permalink_and_ephemeral(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel=GENERAL, text="draft")
    updated = await client.chat_update(channel=GENERAL, ts=posted["ts"], text="final")
    assert updated["ts"] == posted["ts"] and updated["text"] == "final"
    link = await client.chat_getPermalink(channel=GENERAL, message_ts=posted["ts"])
    assert link["permalink"].endswith(f"/archives/{GENERAL}/p{posted['ts'].replace('.', '')}")
    [message] = slack.messages(GENERAL)
    assert message["text"] == "final" and [e["text"] for e in message["edits"]] == ["draft"]
    await client.chat_delete(channel=GENERAL, ts=posted["ts"])
    assert slack.messages(GENERAL)[0]["deleted"] is True
    gone = await error_of(client.chat_delete(channel=GENERAL, ts=posted["ts"]))
    assert gone.response["error"] == "message_not_found"
    missing = await error_of(client.chat_update(channel=GENERAL, ts="1.000001", text="x"))
    assert missing.response["error"] == "message_not_found"

    answer = await client.chat_postEphemeral(channel=GENERAL, user=ALICE, text="only you")
    assert answer["message_ts"]
    [seen] = slack.ephemerals(ALICE)
    assert seen["text"] == "only you" and seen["source"] == "chat.postEphemeral"
    assert slack.ephemerals(BOB) == []
    stranger = await error_of(
        client.chat_postEphemeral(channel=GENERAL, user="U0NOBODY0", text="x")
    )
    assert stranger.response["error"] == "user_not_found"


async def test_users_and_conversations_info(slack: SlackStandIn, client: AsyncWebClient) -> None:
    alice = (await client.users_info(user=ALICE))["user"]
    assert alice["profile"]["real_name"] == "Alice Wanjiru"
    assert alice["profile"]["display_name"] == "alice"
    assert alice["tz"] == "Africa/Nairobi" and alice["tz_offset"] == 10800
    assert alice["deleted"] is False and alice["is_restricted"] is False
    assert alice["team_id"] == slack.team_id
    assert (await client.users_info(user=GONE))["user"]["deleted"] is True
    assert slack.calls_to("users.info")[0].encoding == "query"
    unknown = await error_of(client.users_info(user="U0NOBODY0"))
    assert unknown.response["error"] == "user_not_found"

    shared = (await client.conversations_info(channel="C0PARTNER"))["channel"]
    assert shared["is_ext_shared"] is True and shared["is_shared"] is True
    assert shared["is_org_shared"] is False and shared["is_member"] is True
    private = (await client.conversations_info(channel="C0REVIEW1"))["channel"]
    assert private["is_private"] is True and private["name"] == "case-review"
    for hidden in ("C0NOWHERE", "C0SECRET1"):
        refused = await error_of(client.conversations_info(channel=hidden))
        assert refused.response["error"] == "channel_not_found"
    deactivated = await error_of(client.conversations_open(users=GONE))
    assert deactivated.response["error"] == "user_disabled"


async def test_users_list_paginates_with_cursors(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    for i in range(7):
        slack.add_user(f"U0EXTRA{i:02d}", f"extra{i}")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await client.users_list(limit=3, cursor=cursor)
        pages += 1
        assert len(page["members"]) <= 3
        seen += [m["id"] for m in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert seen == list(slack.users)  # every account once, bot included, in order
    assert pages == 4  # 11 accounts
    bad = await error_of(client.users_list(cursor="not-a-cursor"))
    assert bad.response["error"] == "invalid_cursor"


async def test_conversations_list_filters_types_and_paginates(client: AsyncWebClient) -> None:
    public = await client.conversations_list()
    assert {c["id"] for c in public["channels"]} == {GENERAL, "C0PARTNER", "C0OUTSIDE", "C0OLD0001"}
    live = await client.conversations_list(
        types="public_channel,private_channel", exclude_archived=True
    )
    assert {c["id"] for c in live["channels"]} == {GENERAL, "C0PARTNER", "C0OUTSIDE", "C0REVIEW1"}
    first = await client.conversations_list(limit=2)
    second = await client.conversations_list(
        limit=2, cursor=first["response_metadata"]["next_cursor"]
    )
    assert len(first["channels"]) == 2 and len(second["channels"]) == 2
    assert second["response_metadata"]["next_cursor"] == ""
    bad = await error_of(client.conversations_list(types="everything"))
    assert bad.response["error"] == "invalid_types"


# --- auth and encodings ---------------------------------------------------------------------


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


# --- faults and rate limits -----------------------------------------------------------------


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


# --- triggers and views ---------------------------------------------------------------------


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


# --- response_url -----------------------------------------------------------------------------


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


# --- files --------------------------------------------------------------------------------------


async def test_file_upload_v2(slack: SlackStandIn, client: AsyncWebClient) -> None:
    content = b"case_id,country\nNI-2026-0042,KE\n"
    done = await client.files_upload_v2(
        channel=GENERAL,
        content=content,
        filename="cases.csv",
        title="Export",
        initial_comment="Here is the export",
    )
    assert done["file"]["name"] == "cases.csv" and done["file"]["title"] == "Export"
    [stored] = slack.files(GENERAL)
    assert stored["content"] == content and stored["channel"] == GENERAL
    assert slack.files("C0PARTNER") == []
    [shared] = slack.messages(GENERAL)
    assert shared["text"] == "Here is the export" and shared["files"][0]["id"] == stored["id"]
    methods = [c.method for c in slack.calls]
    assert methods == ["files.getUploadURLExternal", "file_upload", "files.completeUploadExternal"]
    refused = await error_of(
        client.files_upload_v2(channel="C0OUTSIDE", content=b"x", filename="x.txt")
    )
    assert refused.response["error"] == "not_in_channel"


# --- Socket Mode ----------------------------------------------------------------------------


async def test_socket_mode_round_trip_with_slack_sdk_client(slack: SlackStandIn) -> None:
    received: list[SocketModeRequest] = []

    async def listener(sm: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        answer = None
        if request.type == "slash_commands":
            answer = {"text": f"pong {request.payload['text']}"}
        await sm.send_socket_mode_response(SocketModeResponse(request.envelope_id, answer))

    web_client = AsyncWebClient(base_url=slack.api_url, retry_handlers=[])
    socket = SocketModeClient(app_token=slack.app_token, web_client=web_client, ping_interval=1)
    socket.socket_mode_request_listeners.append(listener)
    try:
        await socket.connect()  # type: ignore[no-untyped-call]
        await slack.wait_for_socket(5)
        assert slack.socket_connections == 1
        body = build_slash_command_body(
            stand_in=slack, user_id=ALICE, command="/network", text="help"
        )
        ack = await slack.socket_send("slash_commands", body)
        assert ack == {"text": "pong help"}
        assert received[0].accepts_response_payload is True
        assert received[0].payload["user_name"] == "alice"
        event = await slack.socket_send("events_api", {"type": "event_callback"})
        assert event == {}
        assert received[1].accepts_response_payload is False

        await slack.drop_sockets()
        assert slack.socket_connections == 0
        await slack.wait_for_socket(10)  # the client reconnects with a fresh URL
        again = await slack.socket_send("slash_commands", body)
        assert again == {"text": "pong help"}
        assert len(slack.calls_to("apps.connections.open")) == 2
    finally:
        await socket.close()  # type: ignore[no-untyped-call]


async def test_socket_hello_and_single_use_tickets(slack: SlackStandIn) -> None:
    client = AsyncWebClient(token=slack.app_token, base_url=slack.api_url, retry_handlers=[])
    url = (await client.apps_connections_open(app_token=slack.app_token))["url"]
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            hello = await ws.receive_json(timeout=5)
            assert hello["type"] == "hello"
            assert hello["num_connections"] == 1
            assert hello["connection_info"]["app_id"] == slack.app_id
            assert "debug_info" in hello
            no_ack = await slack.socket_send("interactive", {"type": "block_actions"}, timeout=0.2)
            assert no_ack is None
            envelope = await ws.receive_json(timeout=5)
            assert envelope["type"] == "interactive" and envelope["accepts_response_payload"]
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)
        assert refused.value.status == 401


# --- the driver ---------------------------------------------------------------------------------


@dataclass
class FakeBot:
    """A bot endpoint that records what the driver sent and answers as told."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[Json | None] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append((dict(request.headers), await request.read()))
        answer = self.answers.pop(0) if self.answers else None
        return web.json_response(answer) if answer is not None else web.Response()

    def payload(self, index: int = -1) -> Json:
        form = urllib.parse.parse_qs(self.requests[index][1].decode())
        return dict(json.loads(form["payload"][0]))


@pytest.fixture
async def bot() -> AsyncIterator[tuple[FakeBot, str]]:
    fake = FakeBot()
    app = web.Application()
    app.router.add_post("/slack/events", fake.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield fake, f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    await runner.cleanup()


@pytest.fixture
async def driver(slack: SlackStandIn, bot: tuple[FakeBot, str]) -> AsyncIterator[SlackDriver]:
    async with SlackDriver(endpoint=bot[1], signing_secret=SECRET, stand_in=slack) as d:
        yield d


def test_signer_matches_slack_sdk_verifier() -> None:
    body = b"token=x&command=%2Fnetwork"
    headers = SlackRequestSigner(SECRET).headers(body)
    assert headers["X-Slack-Signature"].startswith("v0=")
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)
    stale = SlackRequestSigner(SECRET).headers(body, timestamp=int(time.time()) - 600)
    assert not SignatureVerifier(SECRET).is_valid_request(body, stale)


async def test_driver_command_is_signed_and_shaped_like_slack(
    slack: SlackStandIn, client: AsyncWebClient, driver: SlackDriver, bot: tuple[FakeBot, str]
) -> None:
    fake, _ = bot
    fake.answers.append({"response_type": "ephemeral", "text": "help"})
    response = await driver.command(ALICE, "/network", "help", channel_id="C0REVIEW1")
    assert response.status == 200 and response.json == {
        "response_type": "ephemeral",
        "text": "help",
    }
    assert response.slack_error is None and response.elapsed > 0
    headers, body = fake.requests[0]
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    fields = dict(urllib.parse.parse_qsl(body.decode()))
    assert fields["command"] == "/network" and fields["text"] == "help"
    assert fields["user_id"] == ALICE and fields["user_name"] == "alice"
    assert fields["channel_id"] == "C0REVIEW1" and fields["channel_name"] == "case-review"
    assert fields["team_id"] == slack.team_id and fields["api_app_id"] == "A0NETWORK"
    assert fields["is_enterprise_install"] == "false"
    assert fields["response_url"].startswith(slack.base_url)
    opened = await client.views_open(trigger_id=fields["trigger_id"], view=modal())
    assert slack.views_for(ALICE)[0]["id"] == opened["view"]["id"]
    sent = await AsyncWebhookClient(fields["response_url"]).send_dict({"text": "later"})
    assert sent.status_code == 200
    assert slack.ephemerals(ALICE)[0]["channel"] == "C0REVIEW1"


async def test_driver_block_action_on_a_message(
    slack: SlackStandIn, client: AsyncWebClient, driver: SlackDriver, bot: tuple[FakeBot, str]
) -> None:
    fake, _ = bot
    blocks = [
        section("Sign the joint letter?"),
        {
            "type": "actions",
            "block_id": "alert",
            "elements": [button("alert.sign", "NI-2026-0042", "Sign")],
        },
    ]
    await client.chat_postMessage(channel=GENERAL, text="Alert", blocks=blocks)
    [message] = slack.messages(GENERAL)
    response = await driver.block_action(BOB, "alert.sign", message=message)
    assert response.status == 200
    payload = fake.payload()
    headers, body = fake.requests[0]
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert payload["type"] == "block_actions"
    assert payload["user"] == {
        "id": BOB,
        "username": "bob",
        "name": "bob",
        "team_id": slack.team_id,
    }
    assert payload["container"] == {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": GENERAL,
        "is_ephemeral": False,
    }
    assert payload["message"]["ts"] == message["ts"] and "deleted" not in payload["message"]
    [action] = payload["actions"]
    assert action["block_id"] == "alert" and action["value"] == "NI-2026-0042"
    assert action["type"] == "button" and action["text"]["text"] == "Sign"
    hook = AsyncWebhookClient(payload["response_url"])
    await hook.send_dict({"replace_original": True, "text": "Signed by Bilal"})
    assert slack.messages(GENERAL)[0]["text"] == "Signed by Bilal"

    await driver.block_action(ALICE, "no.such.action", value="1", channel_id=GENERAL)
    loose = fake.payload()
    assert loose["actions"][0]["value"] == "1" and loose["response_url"]
    assert loose["channel"] == {"id": GENERAL, "name": "general"}


async def test_driver_block_action_in_a_view_picks_an_option(
    slack: SlackStandIn, client: AsyncWebClient, driver: SlackDriver, bot: tuple[FakeBot, str]
) -> None:
    fake, _ = bot
    select = {
        "type": "static_select",
        "action_id": "pick",
        "options": [
            {"text": {"type": "plain_text", "text": "Kenya"}, "value": "KE"},
            {"text": {"type": "plain_text", "text": "Pakistan"}, "value": "PK"},
        ],
    }
    view = (
        await client.views_open(
            trigger_id=slack.new_trigger_id(ALICE),
            view=modal(blocks=[{"type": "actions", "block_id": "where", "elements": [select]}]),
        )
    )["view"]
    await driver.block_action(ALICE, "pick", view=view, selected_option="PK")
    payload = fake.payload()
    assert payload["container"] == {"type": "view", "view_id": view["id"]}
    assert "response_url" not in payload
    [action] = payload["actions"]
    assert action["type"] == "static_select" and action["block_id"] == "where"
    assert action["selected_option"]["text"]["text"] == "Pakistan"


def report_view() -> Json:
    def field(block_id: str, element: Json, **extra: Any) -> Json:
        return {
            "type": "input",
            "block_id": block_id,
            "element": element,
            "label": {"type": "plain_text", "text": block_id},
            **extra,
        }

    def option(value: str) -> Json:
        return {"text": {"type": "plain_text", "text": value.title()}, "value": value}

    return modal(
        callback_id="report",
        blocks=[
            field("victim", {"type": "plain_text_input", "action_id": "v"}),
            field("email", {"type": "email_text_input", "action_id": "e"}),
            field("age", {"type": "number_input", "action_id": "n", "is_decimal_allowed": False}),
            field(
                "country",
                {
                    "type": "static_select",
                    "action_id": "c",
                    "option_groups": [
                        {
                            "label": {"type": "plain_text", "text": "Africa"},
                            "options": [option("ke"), option("gm")],
                        }
                    ],
                },
            ),
            field(
                "urgency",
                {
                    "type": "radio_buttons",
                    "action_id": "u",
                    "options": [option("urgent"), option("routine")],
                },
            ),
            field(
                "types",
                {
                    "type": "multi_static_select",
                    "action_id": "t",
                    "options": [option("killing"), option("threats")],
                },
            ),
            field(
                "anonymous", {"type": "checkboxes", "action_id": "a", "options": [option("yes")]}
            ),
            field("date", {"type": "datepicker", "action_id": "d"}),
            field("time", {"type": "timepicker", "action_id": "tm"}),
            field("reporter", {"type": "users_select", "action_id": "r"}),
            field("watchers", {"type": "multi_users_select", "action_id": "w"}),
            field("channel", {"type": "conversations_select", "action_id": "ch"}),
            field("channels", {"type": "multi_channels_select", "action_id": "chs"}),
            field(
                "source",
                {
                    "type": "url_text_input",
                    "action_id": "s",
                    "initial_value": "https://example.org",
                },
                optional=True,
            ),
            field("place", {"type": "external_select", "action_id": "p"}, optional=True),
        ],
    )


async def test_driver_submit_view_builds_slacks_state_and_closes(
    slack: SlackStandIn, client: AsyncWebClient, driver: SlackDriver, bot: tuple[FakeBot, str]
) -> None:
    fake, _ = bot
    view = (await client.views_open(trigger_id=slack.new_trigger_id(ALICE), view=report_view()))[
        "view"
    ]
    response = await driver.submit_view(
        ALICE,
        view,
        {
            "victim": "A. Reporter",
            "email": "a@example.org",
            "age": 34,
            "country": "gm",
            "urgency": "urgent",
            "types": ["killing", "threats"],
            "anonymous": True,
            "date": "2026-11-02",
            "time": "09:30",
            "reporter": ALICE,
            "watchers": [ALICE, BOB],
            "channel": GENERAL,
            "channels": [GENERAL],
        },
    )
    assert response.status == 200 and response.slack_error is None
    payload = fake.payload()
    assert payload["type"] == "view_submission" and payload["view"]["id"] == view["id"]
    values = payload["view"]["state"]["values"]
    assert values["victim"]["v"] == {"type": "plain_text_input", "value": "A. Reporter"}
    assert values["email"]["e"]["value"] == "a@example.org"
    assert values["age"]["n"] == {"type": "number_input", "value": "34"}
    assert values["country"]["c"]["selected_option"]["value"] == "gm"
    assert values["urgency"]["u"]["selected_option"]["text"]["text"] == "Urgent"
    assert [o["value"] for o in values["types"]["t"]["selected_options"]] == ["killing", "threats"]
    assert values["anonymous"]["a"]["selected_options"][0]["value"] == "yes"
    assert values["date"]["d"] == {"type": "datepicker", "selected_date": "2026-11-02"}
    assert values["time"]["tm"]["selected_time"] == "09:30"
    assert values["reporter"]["r"]["selected_user"] == ALICE
    assert values["watchers"]["w"]["selected_users"] == [ALICE, BOB]
    assert values["channel"]["ch"]["selected_conversation"] == GENERAL
    assert values["channels"]["chs"]["selected_channels"] == [GENERAL]
    assert values["source"]["s"]["value"] == "https://example.org"  # untouched: initial value
    assert values["place"]["p"] == {"type": "external_select", "selected_option": None}
    assert slack.views_for(ALICE) == []  # an empty ack closes the modal

    with pytest.raises(ValueError, match="nowhere"):
        await driver.submit_view(ALICE, view, {"nowhere": "x"})
    with pytest.raises(ValueError, match="not an option"):
        await driver.submit_view(ALICE, view, {"country": "xx"})


async def test_driver_applies_response_actions(
    slack: SlackStandIn, client: AsyncWebClient, driver: SlackDriver, bot: tuple[FakeBot, str]
) -> None:
    fake, _ = bot
    view = (await client.views_open(trigger_id=slack.new_trigger_id(ALICE), view=report_view()))[
        "view"
    ]
    fake.answers.append({"response_action": "errors", "errors": {"victim": "Name required"}})
    kept = await driver.submit_view(ALICE, view, {"victim": ""})
    assert kept.slack_error is None and len(slack.views_for(ALICE)) == 1
    fake.answers.append({"response_action": "errors", "errors": {"nope": "x"}})
    wrong = await driver.submit_view(ALICE, view, {})
    assert wrong.slack_error is not None and "nope" in wrong.slack_error
    fake.answers.append({"response_action": "update", "view": modal("Thanks")})
    await driver.submit_view(ALICE, view, {})
    [updated] = slack.views_for(ALICE)
    assert updated["id"] == view["id"] and updated["title"]["text"] == "Thanks"
    fake.answers.append({"response_action": "update", "view": modal("x" * 30)})
    refused = await driver.submit_view(ALICE, updated, {})
    assert refused.slack_error is not None and "invalid_arguments" in refused.slack_error
    fake.answers.append({"response_action": "push", "view": modal("Pushed")})
    await driver.submit_view(ALICE, updated, {})
    assert [v["title"]["text"] for v in slack.views_for(ALICE)] == ["Thanks", "Pushed"]
    fake.answers.append({"response_action": "clear"})
    await driver.submit_view(ALICE, slack.views_for(ALICE)[-1], {})
    assert slack.views_for(ALICE) == []


async def test_driver_view_closed_suggestion_and_events(
    slack: SlackStandIn, client: AsyncWebClient, driver: SlackDriver, bot: tuple[FakeBot, str]
) -> None:
    fake, _ = bot
    view = (await client.views_open(trigger_id=slack.new_trigger_id(ALICE), view=report_view()))[
        "view"
    ]
    fake.answers.append(
        {"options": [{"text": {"type": "plain_text", "text": "Nairobi"}, "value": "nbo"}]}
    )
    options = await driver.block_suggestion(ALICE, "p", "Nai", view=view)
    assert options.json is not None and options.json["options"][0]["value"] == "nbo"
    suggestion = fake.payload()
    assert suggestion["type"] == "block_suggestion" and suggestion["block_id"] == "place"
    assert suggestion["value"] == "Nai"
    await driver.view_closed(ALICE, view)
    assert fake.payload()["type"] == "view_closed" and slack.views_for(ALICE) == []

    await driver.event(
        {"type": "app_home_opened", "user": ALICE, "tab": "home"},
        event_id="Ev0TEST01",
        retry_num=1,
        retry_reason="http_timeout",
    )
    headers, body = fake.requests[-1]
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Slack-Retry-Num"] == "1"
    assert headers["X-Slack-Retry-Reason"] == "http_timeout"
    envelope = json.loads(body)
    assert envelope["type"] == "event_callback" and envelope["event_id"] == "Ev0TEST01"
    assert envelope["event"]["user"] == ALICE and envelope["event"]["event_ts"]
    assert envelope["authorizations"][0]["user_id"] == slack.bot_user_id
    plain = await driver.event({"type": "reaction_added", "user": ALICE})
    assert plain.status == 200
    assert "X-Slack-Retry-Num" not in fake.requests[-1][0]


async def test_driver_post_raw(driver: SlackDriver, bot: tuple[FakeBot, str]) -> None:
    fake, _ = bot
    unsigned = await driver.post(b"x=1", sign=False)
    assert unsigned.status == 200
    assert "X-Slack-Signature" not in fake.requests[-1][0]
    old = int(time.time()) - 400
    await driver.post(b"x=2", timestamp=old)
    headers, body = fake.requests[-1]
    assert headers["X-Slack-Request-Timestamp"] == str(old)
    assert not SignatureVerifier(SECRET).is_valid_request(body, headers)  # too old for Slack
    interaction = build_interaction_body({"type": "shortcut"})
    assert urllib.parse.parse_qs(interaction.decode())["payload"] == ['{"type": "shortcut"}']
