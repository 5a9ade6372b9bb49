"""Messages and conversations in the stand-in, through slack_sdk's own client: posting, DMs,
content rules, edits, ephemerals, users and conversations and their pagination."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.stand_in_samples import (
    ALICE,
    BOB,
    GENERAL,
    GONE,
    button,
    error_of,
    section,
)


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
