"""OAuth mode: bolt's install flow on the bot's stores, through the real pages and the stand-in's
consent screen; each request then gets its own workspace's token through bolt's authorize."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from network_bot.oauth.scopes import BOT_SCOPES
from network_bot.store import workspaces
from network_bot.store.workspaces import Approval
from network_bot.testing.installs import install, install_page
from network_bot.testing.network import CLIENT_ID, NetworkHarness
from network_bot.testing.reading import ephemeral_text


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[NetworkHarness]:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        yield h


async def test_the_install_page_asks_for_the_apps_client_id_and_scopes(
    network: NetworkHarness,
) -> None:
    async with aiohttp.ClientSession() as session:
        link, cookie = await install_page(session, network.bot_url)
    assert link.startswith(network.slack.authorize_url)
    query = parse_qs(urlsplit(link).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(BOT_SCOPES)
    assert query["state"][0] and "slack-app-oauth-state=" in cookie
    assert query["state"][0] in cookie, "the state is bound to this browser"


async def test_the_home_workspace_is_installed_approved_and_served_with_its_token(
    network: NetworkHarness,
) -> None:
    home = await workspaces.get(network.running.db.read, network.slack.team_id)
    assert home is not None and home.state is Approval.APPROVED and home.installed
    network.slack.clear_calls()
    answer = await network.command("alice", "/network me")
    assert answer.status == 200 and "Your entry in the network" in ephemeral_text(answer.json)
    assert all(c.team_id == network.slack.team_id for c in network.slack.calls if c.team_id)
    stored = await network.running.db.read.fetch_value("SELECT bot_token FROM slack_bots")
    assert network.slack.team_id not in str(stored) and str(stored).startswith("gAAAA")


async def test_a_partner_installs_and_waits_for_approval(network: NetworkHarness) -> None:
    outcome = await network.install("T0PARTNER", "pedro")
    assert outcome.status == 200 and "network-bot is installed" in outcome.page
    assert "admin of the network has to approve" in outcome.page
    network.slack.clear_calls()
    partner = await workspaces.get(network.running.db.read, "T0PARTNER")
    assert partner is not None and partner.state is Approval.PENDING
    assert partner.installed_by == "U0PEDRO07" and partner.name == "Andes Press Network"

    network.slack.clear_calls()
    answer = await network.command("pedro", "/network me")
    assert answer.status == 200 and answer.slack_error is None
    assert "not part of the network yet" in ephemeral_text(answer.json)
    db = network.running.db.read
    assert await db.fetch_value("SELECT count(*) FROM members WHERE user_id = 'U0PEDRO07'") == 0
    to_partner = [c.method for c in network.slack.calls if c.team_id == "T0PARTNER"]
    assert set(to_partner) <= {"auth.test"}, "nothing else reaches the partner"
    await network.settle()
    told = [m["text"] for m in network.slack.dm("U0DANA006")]
    assert told == ["Andes Press Network installed the bot"], "the admins are told"


async def test_a_cancelled_install_shows_a_clear_page_and_stores_nothing(
    network: NetworkHarness,
) -> None:
    outcome = await network.install("T0PARTNER", "pedro", deny=True)
    assert outcome.status == 200 and "The install was cancelled" in outcome.page
    assert "/slack/install" in outcome.page and outcome.token is None
    assert await workspaces.get(network.running.db.read, "T0PARTNER") is None


async def test_a_link_opened_in_another_browser_or_twice_is_refused(
    network: NetworkHarness,
) -> None:
    elsewhere = await install(
        network.slack,
        network.bot_url,
        team_id="T0PARTNER",
        user_id="U0PEDRO07",
        cookie="slack-app-oauth-state=someone-elses",
    )
    assert elsewhere.status == 400 and "another browser" in elsewhere.page
    assert await workspaces.get(network.running.db.read, "T0PARTNER") is None
    assert elsewhere.token is None, "the code was never exchanged"

    async with aiohttp.ClientSession() as session:
        link, cookie = await install_page(session, network.bot_url)
        state = parse_qs(urlsplit(link).query)["state"][0]
        replay = f"{network.bot_url}/slack/oauth_redirect?code=made-up&state={state}"
        async with session.get(replay, headers={"Cookie": cookie}) as first:
            assert first.status == 401 and "did not confirm the install" in await first.text()
        async with session.get(replay, headers={"Cookie": cookie}) as again:
            assert again.status == 401 and "expired or was already used" in await again.text()
        async with session.get(f"{network.bot_url}/slack/oauth_redirect") as bare:
            assert bare.status == 400 and "Traceback" not in await bare.text()


async def test_single_token_mode_serves_no_install_pages(tmp_path: Path) -> None:
    from network_bot.testing.harness import Harness

    async with (
        Harness(db_path=tmp_path / "one.sqlite3") as h,
        aiohttp.ClientSession() as session,
    ):
        base = h.endpoint.removesuffix("/slack/events")
        for path in ("/slack/install", "/slack/oauth_redirect"):
            async with session.get(base + path) as response:
                assert response.status == 404
        assert (await h.command("alice", "/network me")).status == 200


async def test_a_backup_holds_no_usable_token(network: NetworkHarness, tmp_path: Path) -> None:
    from network_bot import maintenance

    await network.install("T0PARTNER", "pedro")
    tokens = [record.token.encode() for record in network.slack.installs]
    assert len(tokens) == 2
    copy = tmp_path / "backup.sqlite3"
    await maintenance.backup(network.db_path, copy)
    raw = await asyncio.to_thread(copy.read_bytes)
    assert raw.count(b"gAAAA") >= 2, "the tokens are there, as ciphertext"
    assert not [t for t in tokens if t in raw]
    files = [Path(f"{network.db_path}{suffix}") for suffix in ("", "-wal")]
    live = b""
    for path in files:
        if path.exists():
            live += await asyncio.to_thread(path.read_bytes)
    assert not [t for t in tokens if t in live], "nor in the live file or its WAL"
