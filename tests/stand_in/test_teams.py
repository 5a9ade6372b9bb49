"""The stand-in serves several workspaces as strictly as Slack: each its own people, channels,
tokens and limits; installs through OAuth v2; token rotation; uninstalls; org-wide tokens."""

from __future__ import annotations

import urllib.parse
from collections.abc import AsyncIterator

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.testing.stand_in import OAuthApp, SlackStandIn

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "abcdef0123456789abcdef0123456789"
REDIRECT = "https://network-bot.example.org/slack/oauth_redirect"
SCOPES = frozenset({"commands", "chat:write", "im:write", "users:read"})


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as stand_in:
        stand_in.add_team("T0PARTNER", "Partner Desk", bot_token="xoxb-partner")
        stand_in.team("T0PARTNER").add_user("U0PART01", "pat")
        stand_in.team("T0PARTNER").add_channel("C0PARTGEN", "partner-general")
        stand_in.add_user("U0HOME01", "hana")
        stand_in.add_channel("C0GENERAL", "general")
        yield stand_in


def client(slack: SlackStandIn, token: str | None) -> AsyncWebClient:
    return AsyncWebClient(token=token, base_url=slack.api_url, retry_handlers=[])


async def error_of(call: object) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call  # type: ignore[misc]
    return str(raised.value.response.get("error"))


async def test_each_token_sees_its_own_workspace(slack: SlackStandIn) -> None:
    home, partner = client(slack, slack.bot_token), client(slack, "xoxb-partner")
    assert (await home.auth_test())["team_id"] == "T0NETWORK"
    identity = await partner.auth_test()
    assert identity["team_id"] == "T0PARTNER" and identity["team"] == "Partner Desk"
    assert identity["user_id"] == slack.team("T0PARTNER").bot_user_id
    assert (await partner.users_info(user="U0PART01"))["user"]["team_id"] == "T0PARTNER"
    assert await error_of(partner.users_info(user="U0HOME01")) == "user_not_found"
    assert await error_of(home.chat_postMessage(channel="C0PARTGEN", text="x")) == (
        "channel_not_found"
    )
    await partner.chat_postMessage(channel="U0PART01", text="hello partner")
    assert [m["text"] for m in slack.team("T0PARTNER").dm("U0PART01")] == ["hello partner"]
    assert slack.calls_to("chat.postMessage")[-1].team_id == "T0PARTNER"
    assert await error_of(client(slack, "xoxb-made-up").auth_test()) == "invalid_auth"


async def test_rate_limits_are_per_workspace(slack: SlackStandIn) -> None:
    slack.set_rate_limit("chat.postMessage", 1, team_id="T0PARTNER")
    partner = client(slack, "xoxb-partner")
    await partner.chat_postMessage(channel="U0PART01", text="one")
    assert await error_of(partner.chat_postMessage(channel="U0PART01", text="two")) == (
        "ratelimited"
    )
    await client(slack, slack.bot_token).chat_postMessage(channel="U0HOME01", text="home is free")


def configure(slack: SlackStandIn, *, rotation: bool = False, lifetime: float = 43200) -> None:
    slack.configure_oauth(
        OAuthApp(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            scopes=SCOPES,
            redirect_urls=(REDIRECT,),
            token_rotation=rotation,
            token_lifetime=lifetime,
        )
    )


async def consent(slack: SlackStandIn, **query: str) -> tuple[int, str]:
    """Open the authorize URL as a browser would; (status, Location or page)."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(slack.authorize_url, params=query, allow_redirects=False) as response,
    ):
        return response.status, response.headers.get("Location") or await response.text()


def query_of(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


async def test_install_through_oauth_v2(slack: SlackStandIn) -> None:
    configure(slack)
    base = {"client_id": CLIENT_ID, "scope": "commands,chat:write", "state": "s-123"}
    assert (await consent(slack, **{**base, "client_id": "9.9"}))[0] == 400
    assert (await consent(slack, **{**base, "scope": "admin"}))[1].endswith("invalid_scope")
    wrong = await consent(slack, **base, redirect_uri="https://evil.example/cb")
    assert wrong == (400, "Slack could not start the install: bad_redirect_uri")
    cancelled = await consent(slack, **base, stand_in_team="T0PARTNER", stand_in_deny="1")
    assert cancelled[0] == 302
    assert query_of(cancelled[1]) == {"error": "access_denied", "state": "s-123"}

    status, location = await consent(
        slack, **base, stand_in_team="T0PARTNER", stand_in_user="U0PART01"
    )
    assert status == 302 and location.startswith(REDIRECT)
    back = query_of(location)
    assert back["state"] == "s-123"
    anonymous = client(slack, None)
    assert (
        await error_of(
            anonymous.oauth_v2_access(
                client_id=CLIENT_ID, client_secret="0" * 32, code=back["code"]
            )
        )
        == "bad_client_secret"
    )
    answer = await anonymous.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=back["code"]
    )
    assert answer["team"] == {"id": "T0PARTNER", "name": "Partner Desk"}
    assert answer["authed_user"]["id"] == "U0PART01" and answer["token_type"] == "bot"
    assert answer["is_enterprise_install"] is False and answer["enterprise"] is None
    assert "refresh_token" not in answer
    token = answer["access_token"]
    assert (await client(slack, token).auth_test())["team_id"] == "T0PARTNER"
    assert slack.team("T0PARTNER").installed_token == token
    again = anonymous.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=back["code"]
    )
    assert await error_of(again) == "invalid_code", "a code is used once"
    recorded = slack.calls_to("oauth.v2.access")
    assert all("code" not in c.params and "client_secret" not in c.params for c in recorded)


async def test_token_rotation_exchanges_each_refresh_token_once(slack: SlackStandIn) -> None:
    configure(slack, rotation=True)
    _, location = await consent(
        slack,
        client_id=CLIENT_ID,
        scope="commands",
        stand_in_team="T0PARTNER",
        stand_in_user="U0PART01",
    )
    anonymous = client(slack, None)
    first = await anonymous.oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=query_of(location)["code"]
    )
    assert first["access_token"].startswith("xoxe.xoxb-") and first["expires_in"] == 43200
    refreshed = await anonymous.oauth_v2_access(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert refreshed["access_token"] != first["access_token"]
    assert refreshed["refresh_token"] != first["refresh_token"]
    reused = anonymous.oauth_v2_access(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        grant_type="refresh_token",
        refresh_token=first["refresh_token"],
    )
    assert await error_of(reused) == "invalid_refresh_token"
    slack.expire_token(refreshed["access_token"])
    assert await error_of(client(slack, refreshed["access_token"]).auth_test()) == "token_expired"


async def test_an_uninstall_revokes_the_workspaces_tokens(slack: SlackStandIn) -> None:
    partner = client(slack, "xoxb-partner")
    assert slack.uninstall("T0PARTNER") == 1
    assert await error_of(partner.auth_test()) == "token_revoked"
    assert (await client(slack, slack.bot_token).auth_test())["ok"]


async def test_an_org_wide_install_serves_every_workspace_of_the_organisation(
    slack: SlackStandIn,
) -> None:
    configure(slack)
    for team_id, name in (("T0GRIDA", "Grid A"), ("T0GRIDB", "Grid B")):
        team = slack.add_team(team_id, name, enterprise_id="E0GRID", enterprise_name="Grid Org")
        team.add_user(f"W0{team_id[-1]}USER1", f"user-{team_id[-1].lower()}")
    _, location = await consent(
        slack,
        client_id=CLIENT_ID,
        scope="commands,chat:write",
        stand_in_team="T0GRIDA",
        stand_in_user="W0AUSER1",
        stand_in_org="1",
    )
    answer = await client(slack, None).oauth_v2_access(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=query_of(location)["code"]
    )
    assert answer["is_enterprise_install"] is True and answer["team"] is None
    assert answer["enterprise"] == {"id": "E0GRID", "name": "Grid Org"}
    org = client(slack, answer["access_token"])
    identity = await org.auth_test()
    assert identity["is_enterprise_install"] and identity["enterprise_id"] == "E0GRID"
    await org.chat_postMessage(channel="W0BUSER1", text="to grid b")
    assert slack.team("T0GRIDB").dm("W0BUSER1")[0]["text"] == "to grid b"
    assert slack.calls_to("chat.postMessage")[-1].team_id == "T0GRIDB"
    assert slack.team("T0GRIDA").org_install and slack.team("T0GRIDB").org_install
    assert await error_of(org.users_info(user="U0HOME01", team_id="T0NETWORK")) == (
        "team_access_not_granted"
    )


async def test_a_connected_channel_is_one_channel_seen_from_each_team(slack: SlackStandIn) -> None:
    slack.connect_channel("C0GENERAL", host="T0NETWORK", guests=["T0PARTNER"])
    partner = client(slack, "xoxb-partner")
    info = (await partner.conversations_info(channel="C0GENERAL"))["channel"]
    assert info["is_ext_shared"] and info["shared_team_ids"] == ["T0NETWORK", "T0PARTNER"]
    await partner.chat_postMessage(channel="C0GENERAL", text="from the partner")
    assert [m["text"] for m in slack.messages("C0GENERAL")] == ["from the partner"]
