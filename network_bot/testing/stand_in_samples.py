"""A small workspace and Block Kit samples for the stand-in's own tests, which check it with
slack_sdk's clients: if they hold, a test against the stand-in fails for the reasons a real
Slack would fail the bot."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import SlackStandIn

Json = dict[str, Any]

ALICE = "U0ALICE01"
BOB = "U0BOBBY02"
GONE = "U0GONE003"  # deactivated
GENERAL = "C0GENERAL"
SECRET = "0123456789abcdef0123456789abcdef"


def populate(stand_in: SlackStandIn) -> None:
    """Three people (one deactivated) and a channel of each kind the bot meets."""
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


def sdk_client(stand_in: SlackStandIn) -> AsyncWebClient:
    """slack_sdk's own client on the stand-in, without retries (a test sees every answer)."""
    return AsyncWebClient(token=stand_in.bot_token, base_url=stand_in.api_url, retry_handlers=[])


async def error_of(call: Awaitable[Any]) -> SlackApiError:
    """The error a call that Slack would refuse raises."""
    try:
        await call
    except SlackApiError as error:
        return error
    raise AssertionError("the call succeeded; Slack would have refused it")


def button(action_id: str, value: str, text: str = "Go") -> Json:
    return {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": text},
    }


def modal(title: str = "Report a case", *, blocks: list[Json] | None = None, **extra: Any) -> Json:
    """A modal; one with inputs gets the submit button Slack requires of it."""
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
