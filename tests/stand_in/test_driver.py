"""The driver: requests signed and shaped like Slack's (commands, clicks, submissions, events),
and the response actions it applies as Slack would."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from network_bot.testing.driver import (
    SlackDriver,
    SlackRequestSigner,
    build_interaction_body,
)
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    ALICE,
    BOB,
    GENERAL,
    SECRET,
    Json,
    button,
    modal,
    section,
)


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
