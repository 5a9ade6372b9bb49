"""Nothing about the network reaches a workspace its admins have not approved, attacked from the
edges: a Slack Connect guest whose workspace later leaves, events of every kind from outside,
a view or button of one workspace's member submitted from another, and a workspace removed while
a broadcast is being queued or sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import aiohttp
import pytest

from network_bot.blocks.workspaces import APPROVE, REMOVE
from network_bot.clock import ManualClock
from network_bot.delivery.charts import ChartUploader
from network_bot.delivery.expander import AudienceExpander
from network_bot.roles import Role
from network_bot.services.expansion import Expansion
from network_bot.services.roster import RosterError
from network_bot.store import alerts, workspaces
from network_bot.store.members import Member
from network_bot.store.workspaces import Approval
from network_bot.testing.flows import ALERT, GOOD, flush, report, submit_update
from network_bot.testing.installs import install, install_page
from network_bot.testing.network import NetworkHarness
from network_bot.testing.reading import block_text
from network_bot.testing.stand_in import OAUTH_ACCESS
from network_bot.testing.workspace import PARTNER as ANDES
from network_bot.testing.workspace import Partner, Person

DANA, CHIDI, ALICE = "U0DANA006", "U0CHIDI04", "U0ALICE01"
PEDRO, LUCIA = "U0PEDRO07", "U0LUCIA08"
PARTNER = "T0PARTNER"
JOINT = "C0JOINT01"


async def admin(h: NetworkHarness) -> Member:
    found = await h.running.roster.get(DANA)
    assert found is not None
    return found


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[NetworkHarness]:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        assert (await h.install(PARTNER, "pedro")).status == 200
        await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id=PARTNER)
        await h.settle()
        yield h


def guest_action(h: NetworkHarness, user: str, action_id: str, **fields: Any) -> dict[str, Any]:
    """A click by a partner's person in a home channel shared with the partner: Slack names the
    request's workspace (the host's) in ``team`` and the person's own in ``user.team_id``."""
    payload = h.drive.payloads.block_actions(user, action_id, channel_id=JOINT, **fields)
    payload["user"]["team_id"] = PARTNER
    return payload


async def verified_case(h: NetworkHarness) -> str:
    """A home member's report, verified by a home coordinator."""
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    return public_id


def notifications(h: NetworkHarness, user_id: str) -> list[dict[str, Any]]:
    return [m for m in h.slack.dm(user_id) if "on cases you follow" in m["text"]]


async def send_alert_to_all(h: NetworkHarness, headline: str, *, settle: bool = True) -> None:
    await h.command("chidi", "/alert")
    await h.settle()
    compose = h.slack.views_for(CHIDI)[-1]
    values = {
        "headline": headline,
        "body": "Three reporters were detained while covering the protests. Sign the letter.",
        "action_kind": "sign_letter",
        "urgency": "high",
        "audience": ["all"],
    }
    preview = await h.drive.submit_view(CHIDI, compose, values)
    assert preview.json and preview.json.get("response_action") == "push", preview.text
    done = await h.drive.submit_view(CHIDI, h.slack.views_for(CHIDI)[-1], {})
    assert done.json == {"response_action": "clear"}, "sent: form and preview close together"
    if settle:
        await h.settle()


def anything_to(h: NetworkHarness, user: str, headline: str) -> list[str]:
    """Every message with ``headline`` that reached ``user`` in any workspace, by any token."""
    found = []
    for team in h.slack.teams.values():
        found += [m["text"] for m in team.dm(user) if headline in json.dumps(m)]
    return found


async def test_a_slack_connect_guest_is_recorded_with_their_own_workspace(
    network: NetworkHarness,
) -> None:
    """The guest's entry names the workspace they belong to, not the host's: otherwise their DMs
    would go out with the host's token and removing their workspace would not reach them."""
    h = network
    h.slack.add_channel(JOINT, "network-joint")
    h.slack.connect_channel(JOINT, host=h.slack.team_id, guests=[PARTNER])
    answer = await h.drive.interact(guest_action(h, PEDRO, "cases.page.next", value="{}"))
    assert answer.status == 200
    await h.settle()
    row = await h.running.db.read.fetch_one(
        "SELECT team_id, workspace_id, is_active FROM members WHERE user_id = ?", (PEDRO,)
    )
    assert row is not None and tuple(row) == (PARTNER, PARTNER, 1)

    await h.running.workspaces.remove(actor=await admin(h), by=DANA, workspace_id=PARTNER)
    assert (
        await h.running.db.read.fetch_value(
            "SELECT is_active FROM members WHERE user_id = ?", (PEDRO,)
        )
        == 0
    ), "removing the guest's workspace takes their access"
    await send_alert_to_all(h, "Free the detained reporters")
    assert anything_to(h, PEDRO, "Free the detained") == []
    assert anything_to(h, ALICE, "Free the detained"), "the home workspace still gets it"


async def test_a_partner_member_acting_as_a_guest_keeps_their_workspace(
    network: NetworkHarness,
) -> None:
    """A member who used the bot at home in their own workspace, then clicks in a shared channel,
    still gets their DMs through their own workspace."""
    h = network
    await h.command("pedro", '/network join org:"Andes Press Network" country:PE')
    h.slack.add_channel(JOINT, "network-joint")
    h.slack.connect_channel(JOINT, host=h.slack.team_id, guests=[PARTNER])
    await h.drive.interact(guest_action(h, PEDRO, "cases.page.next", value="{}"))
    row = await h.running.db.read.fetch_one(
        "SELECT team_id, workspace_id FROM members WHERE user_id = ?", (PEDRO,)
    )
    assert row is not None and tuple(row) == (PARTNER, PARTNER)
    await send_alert_to_all(h, "Free the detained reporters")
    partner = h.slack.team(PARTNER)
    assert any("Free the detained" in m["text"] for m in partner.dm(PEDRO))
    assert not any("Free the detained" in json.dumps(m) for m in h.slack.dm(PEDRO))


async def test_events_from_an_unapproved_workspace_change_nothing_and_send_nothing(
    tmp_path: Path,
) -> None:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        assert (await h.install(PARTNER, "pedro")).status == 200
        await h.settle()
        h.slack.clear_calls()
        before = await h.running.db.read.fetch_value("SELECT count(*) FROM members")
        driver = h.drive_in(PARTNER)
        for event in (
            {"type": "app_home_opened", "user": PEDRO, "tab": "home"},
            {"type": "app_home_opened", "user": PEDRO, "tab": "messages"},
            {"type": "member_joined_channel", "user": PEDRO, "channel": "C0ANDESGEN"},
            {"type": "message", "user": PEDRO, "channel": "C0ANDESGEN", "text": "/case NI-1"},
            {"type": "app_mention", "user": PEDRO, "channel": "C0ANDESGEN", "text": "<@UBOT>"},
            {"type": "team_join", "user": {"id": LUCIA, "team_id": PARTNER}},
        ):
            answer = await driver.event(event)
            assert answer.status == 200, event
        await h.settle()
        assert await h.running.db.read.fetch_value("SELECT count(*) FROM members") == before
        with_partner = [c.method for c in h.slack.calls if c.team_id == PARTNER]
        assert set(with_partner) <= {"auth.test"}, with_partner
        assert h.slack.team(PARTNER).home(PEDRO) is None


def partner_posts(h: NetworkHarness) -> list[str]:
    """Channels or people that a successful chat.postMessage with the partner's token reached."""
    return [
        str(c.params.get("channel"))
        for c in h.slack.calls_to("chat.postMessage")
        if c.team_id == PARTNER and c.ok
    ]


async def alert_rows(h: NetworkHarness, user: str) -> list[tuple[str, str]]:
    rows = await h.running.db.read.fetch_all(
        "SELECT state, coalesce(last_error, '') FROM outbox WHERE purpose = 'alert' "
        "AND target_id = ?",
        (user,),
    )
    return [(str(r[0]), str(r[1])) for r in rows]


async def test_a_channel_shared_with_a_workspace_waiting_for_approval_stays_outside(
    network: NetworkHarness,
) -> None:
    """Through the alert form: a channel shared only with approved workspaces gets the alert
    without the coordinator's say-so; one also shared with a workspace that installed the bot
    but is not approved is shared outside and gets nothing unless chosen."""
    h = network
    pending = h.slack.add_team("T0PENDING", "Waiting Press")
    pending.add_user("U0WAITER1", "waiter")
    assert (
        await install(h.slack, h.bot_url, team_id="T0PENDING", user_id="U0WAITER1")
    ).status == 200
    h.slack.add_channel(JOINT, "network-joint")
    h.slack.connect_channel(JOINT, host=h.slack.team_id, guests=[PARTNER])
    h.slack.add_channel("C0MIXED01", "with-a-waiting-one")
    h.slack.connect_channel("C0MIXED01", host=h.slack.team_id, guests=[PARTNER, "T0PENDING"])
    await h.settle()

    sent = await alert_send(h, {**ALERT, "audience": [], "channels": [JOINT]})
    assert sent.startswith("AL-")
    await h.settle()
    assert [m for m in h.slack.messages(JOINT) if ALERT["headline"] in json.dumps(m)]

    refused = await alert_preview(h, {**ALERT, "audience": [], "channels": ["C0MIXED01"]})
    assert refused.get("response_action") == "errors", refused
    assert "is shared with another organisation" in json.dumps(refused["errors"])
    await h.settle()
    assert not [m for m in h.slack.messages("C0MIXED01") if ALERT["headline"] in json.dumps(m)]
    assert not [c for c in h.slack.calls if c.team_id == "T0PENDING" and c.method != "auth.test"]


async def test_a_workspace_removed_mid_expansion_gets_no_one_queued_after(
    network: NetworkHarness,
) -> None:
    """The audience is queued page by page after the confirm; the partner is removed (with its
    button) between two pages: the pages after it queue none of its members and nothing queued
    before it goes out."""
    h = network
    for user in ("pedro", "lucia"):
        await h.command(user, '/network join org:"Andes Press Network" country:PE')
    expander = next(w for w in h.running.workers if isinstance(w, AudienceExpander))
    await expander.stop(grace=0)
    await h.settle()
    await send_alert_to_all(h, ALERT["headline"], settle=False)
    alert_id = int(await h.running.db.read.fetch_value("SELECT max(id) FROM alerts"))
    small = Expansion(db=h.running.db, clock=h.running.clock, alerts=h.running.alerts, page=1)
    while not await alert_rows(h, LUCIA):  # members by user ID: LUCIA08 comes before PEDRO07
        assert not await small.step(alert_id)
    assert await alert_rows(h, PEDRO) == []
    h.slack.set_rate_limit("chat.postMessage", 0.001, team_id=PARTNER)  # hold what is queued

    removed = await h.drive.block_action(
        DANA, REMOVE, value=PARTNER, block_id=f"workspace:{PARTNER}"
    )
    assert removed.status == 200
    trail = await h.running.db.read.fetch_all(
        "SELECT actor_id, target FROM audit_log WHERE action = 'workspace.removed'"
    )
    assert [tuple(r) for r in trail] == [(DANA, PARTNER)], "the button's removal is audited"
    h.slack.set_rate_limit("chat.postMessage", None, team_id=PARTNER)
    before = len(partner_posts(h))
    await expander.start()
    await h.settle()
    assert await alert_rows(h, PEDRO) == [], "no one of a removed workspace is queued"
    assert [s for s, _ in await alert_rows(h, LUCIA)] in (["cancelled"], ["sent"])
    assert partner_posts(h)[before:] == [], "nothing went out there after the removal"
    for user in (ALICE, DANA):
        assert any(ALERT["headline"] in m["text"] for m in h.slack.dm(user)), user


async def test_a_workspace_removed_while_its_copies_wait_to_be_sent_gets_none(
    network: NetworkHarness,
) -> None:
    """The partner's copies are claimed and held by Slack's Retry-After when the partner is
    removed: none of them is sent afterwards, whatever state each was in."""
    h = network
    for user in ("pedro", "lucia"):
        await h.command(user, '/network join org:"Andes Press Network" country:PE')
    await h.settle()
    h.slack.inject(
        "chat.postMessage",
        times=2,
        retry_after=3,
        when=lambda params: params.get("channel") in {PEDRO, LUCIA},
    )
    await h.command("chidi", "/alert")
    await h.settle()
    values = {**ALERT, "audience": ["all"]}
    preview = await h.drive.submit_view(CHIDI, h.slack.views_for(CHIDI)[-1], values)
    assert preview.json and preview.json.get("response_action") == "push"
    await h.drive.submit_view(CHIDI, h.slack.views_for(CHIDI)[-1], {})
    async with asyncio.timeout(10):
        while True:  # the partner's first copy was answered 429: its lane now waits
            answered = [c.status for c in h.slack.calls_to("chat.postMessage")]
            if answered.count(429) == 2:
                break
            await asyncio.sleep(0.02)
    removed = await h.drive.block_action(
        DANA, REMOVE, value=PARTNER, block_id=f"workspace:{PARTNER}"
    )
    assert removed.status == 200
    await h.settle()
    assert partner_posts(h) == []
    for user in (PEDRO, LUCIA):
        assert {s for s, _ in await alert_rows(h, user)} == {"cancelled"}, user
    assert h.slack.team(PARTNER).dm(PEDRO) == [] and h.slack.team(PARTNER).dm(LUCIA) == []
    assert any(ALERT["headline"] in m["text"] for m in h.slack.dm(ALICE))


async def alert_preview(h: NetworkHarness, values: dict[str, Any]) -> dict[str, Any]:
    await h.command("chidi", "/alert")
    await h.settle()
    answer = await h.drive.submit_view(CHIDI, h.slack.views_for(CHIDI)[-1], values)
    assert answer.json is not None, answer.text
    return answer.json


async def alert_send(h: NetworkHarness, values: dict[str, Any]) -> str:
    """Preview and send an alert as chidi; the public ID of the alert sent."""
    answer = await alert_preview(h, values)
    assert answer.get("response_action") == "push", answer
    confirm = h.slack.views_for(CHIDI)[-1]
    done = await h.drive.submit_view(CHIDI, confirm, {})
    assert done.json == {"response_action": "clear"}, done.text
    alert = await alerts.get(h.running.db.read, json.loads(confirm["private_metadata"])["alert"])
    assert alert is not None and alert.state.value == "sent"
    return alert.public_id


async def test_an_interaction_that_does_not_name_its_persons_workspace_is_refused(
    network: NetworkHarness,
) -> None:
    """Slack names the clicker's own workspace in ``user.team_id``; without it a guest cannot be
    told from the host's people, so the bot does nothing."""
    h = network
    h.slack.add_team("T0OUTSIDE", "Not In The Network")
    h.slack.add_channel(JOINT, "network-joint")
    h.slack.connect_channel(JOINT, host=h.slack.team_id, guests=[PARTNER, "T0OUTSIDE"])
    before = await h.running.db.read.fetch_value("SELECT count(*) FROM members")
    click = h.drive.payloads.block_actions(
        "U0STRANGER", "cases.page.next", value="{}", channel_id=JOINT
    )
    del click["user"]["team_id"]
    answer = await h.drive.interact(click)
    assert answer.status == 200
    await h.settle()
    said = [block_text(e) for e in h.slack.ephemerals("U0STRANGER")]
    assert said and all("could not tell who sent this" in s for s in said), said
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM members") == before


GRID_A = Partner(
    team_id="T0GRIDA",
    name="Grid Desk A",
    enterprise_id="E0GRID",
    enterprise_name="Global Media Union",
    people=(Person(user_id="W0GRIDUSR1", handle="wen", real_name="Wen Li", country="HK"),),
)
GRID_B = Partner(
    team_id="T0GRIDB",
    name="Grid Desk B",
    enterprise_id="E0GRID",
    enterprise_name="Global Media Union",
    people=(Person(user_id="W0GRIDUSR2", handle="ama", real_name="Ama Owusu", country="GH"),),
)


async def test_an_org_wide_install_removed_or_uninstalled_reaches_none_of_its_workspaces(
    tmp_path: Path,
) -> None:
    """An organisation installed org-wide and approved, then removed with its button: every
    workspace of it loses the bot at once (members kept, suspended, their queue cancelled);
    approved again, they are back; uninstalled org-wide by Slack, out again."""
    async with NetworkHarness(db_path=tmp_path / "grid.sqlite3", partners=(GRID_A, GRID_B)) as h:
        assert (await h.install("T0GRIDA", "wen", org_wide=True)).status == 200
        await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id="E0GRID")
        for user in ("wen", "ama"):
            assert (await h.command(user, "/network join country:GH")).status == 200
        await h.settle()
        db = h.running.db.read
        rows = await db.fetch_all(
            "SELECT user_id, team_id, workspace_id, enterprise_id, is_active FROM members "
            "WHERE user_id LIKE 'W0GRID%' ORDER BY user_id"
        )
        assert [tuple(r) for r in rows] == [
            ("W0GRIDUSR1", "T0GRIDA", "E0GRID", "E0GRID", 1),
            ("W0GRIDUSR2", "T0GRIDB", "E0GRID", "E0GRID", 1),
        ]

        removed = await h.drive.block_action(
            DANA, REMOVE, value="E0GRID", block_id="workspace:E0GRID"
        )
        assert removed.status == 200
        await h.settle()
        assert [
            r[0]
            for r in await db.fetch_all(
                "SELECT is_active FROM members WHERE workspace_id = 'E0GRID'"
            )
        ] == [0, 0]
        for user in ("wen", "ama"):
            refused = await h.command(user, "/network me")
            assert "no longer part of the network" in json.dumps(refused.json), user
        await send_alert_to_all(h, "Free the detained reporters")
        for user in ("W0GRIDUSR1", "W0GRIDUSR2"):
            assert anything_to(h, user, "Free the detained") == [], user
        grid_calls = [
            c.method for c in h.slack.calls_to("chat.postMessage") if c.team_id in GRID_TEAMS
        ]
        assert grid_calls == []

        await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id="E0GRID")
        back = await h.command("ama", "/network me")
        assert "Your entry in the network" in json.dumps(back.json)

        h.slack.uninstall("T0GRIDA")
        gone = await h.drive_in("T0GRIDA").event({"type": "app_uninstalled"})
        assert gone.status == 200
        entry = await workspaces.get(db, "E0GRID")
        assert entry is not None and entry.state is Approval.REMOVED and not entry.installed
        assert (
            await db.fetch_value(
                "SELECT count(*) FROM members WHERE workspace_id = 'E0GRID' AND is_active = 1"
            )
            == 0
        )
        refused = await h.command("ama", "/network me")
        assert "Your entry in the network" not in json.dumps(refused.json)


GRID_TEAMS = {"T0GRIDA", "T0GRIDB"}


async def test_what_the_bot_sends_on_its_own_reaches_no_removed_workspace(
    tmp_path: Path,
) -> None:
    """Follower notifications, a digest queued before the removal, a role change: the partner's
    people followed, subscribed and were queued for while it was in the network; after its
    removal none of it reaches them, while the home workspace's people still get theirs."""
    clock = ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3", clock=clock) as h:
        assert (await h.install(PARTNER, "pedro")).status == 200
        await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id=PARTNER)
        public_id = await verified_case(h)
        for user in ("pedro", "bob"):
            await h.command(user, f"/follow {public_id}")
        await h.command("pedro", "/network prefs digest")
        await send_alert_to_all(h, "Free the detained reporters")
        assert await h.running.db.read.fetch_value(
            "SELECT count(*) FROM digest_items WHERE user_id = ? AND sent_on IS NULL", (PEDRO,)
        ), "pedro's copy waits for his digest"
        await h.settle()
        await h.running.workspaces.remove(actor=await admin(h), by=DANA, workspace_id=PARTNER)
        before = len(partner_posts(h))
        with_partner = len([c for c in h.slack.calls if c.team_id == PARTNER])

        await submit_update(h, "chidi", public_id, stage="investigation_opened")
        await flush(h, clock)
        assert notifications(h, "U0BOBBY02"), "the home follower is told"
        clock.set(datetime(2026, 11, 25, 14, 5, tzinfo=UTC))  # 09:05 in Lima
        await h.running.alerts.send_digests()
        with pytest.raises(RosterError):  # refused: their access was taken with the workspace
            await h.running.roster.change_role(
                actor=await admin(h), target_id=PEDRO, role=Role.COORDINATOR
            )
        await h.settle()
        assert partner_posts(h)[before:] == []
        after = [c.method for c in h.slack.calls if c.team_id == PARTNER][with_partner:]
        assert after == [], "no call at all with the partner's token"
        assert not [m for m in h.slack.team(PARTNER).dm(PEDRO) if public_id in json.dumps(m)]


async def test_a_replayed_install_redirect_installs_nothing_again(network: NetworkHarness) -> None:
    """The partner's install went through and an admin then removed it; the redirect (its code
    and state) replayed from the same browser is refused: the state was used, so the workspace
    stays removed and the admins are not asked about it again."""
    h = network
    async with aiohttp.ClientSession() as session:
        authorize_url, cookie = await install_page(session, h.bot_url)
        parts = urlsplit(authorize_url)
        query = dict(parse_qsl(parts.query))
        query.update({"stand_in_team": PARTNER, "stand_in_user": LUCIA})
        consent = parts._replace(query=urlencode(query)).geturl()
        async with session.get(consent, allow_redirects=False) as response:
            redirect = response.headers["Location"]
        async with session.get(redirect, headers={"Cookie": cookie}) as first:
            assert first.status == 200 and "network-bot is installed" in await first.text()
        await h.running.workspaces.remove(actor=await admin(h), by=DANA, workspace_id=PARTNER)
        await h.settle()
        notices = len(h.slack.dm(DANA))
        installs = len(h.slack.installs)
        async with session.get(redirect, headers={"Cookie": cookie}) as again:
            page = await again.text()
            assert again.status in (400, 401) and "expired or was already used" in page
            assert "Traceback" not in page
    entry = await workspaces.get(h.running.db.read, PARTNER)
    assert entry is not None and entry.state is Approval.REMOVED
    assert len(h.slack.installs) == installs, "the code was not exchanged again"
    await h.settle()
    assert len(h.slack.dm(DANA)) == notices


async def test_an_install_whose_exchange_fails_shows_a_clear_page_and_stores_nothing(
    tmp_path: Path,
) -> None:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        h.slack.inject(OAUTH_ACCESS, status=503, times=None)
        outcome = await h.install(PARTNER, "pedro")
        assert outcome.status >= 400 and "Traceback" not in outcome.page
        assert "/slack/install" in outcome.page, "it says how to try again"
        assert await workspaces.get(h.running.db.read, PARTNER) is None
        assert (
            await h.running.db.read.fetch_value(
                "SELECT count(*) FROM slack_bots WHERE team_id = ?", (PARTNER,)
            )
            == 0
        )


async def test_a_chart_asked_for_before_the_removal_is_not_uploaded_after_it(
    network: NetworkHarness,
) -> None:
    h = network
    await h.command("pedro", '/network join org:"Andes Press Network" country:PE')
    uploader = next(w for w in h.running.workers if isinstance(w, ChartUploader))
    await uploader.stop(grace=0)
    reply = await h.command("pedro", "/cases chart")
    assert "arrives in your DM" in json.dumps(reply.json)
    await h.running.workspaces.remove(actor=await admin(h), by=DANA, workspace_id=PARTNER)
    h.slack.clear_calls()
    await uploader.start()
    await uploader.upload_due()
    await h.settle()
    assert [c.method for c in h.slack.calls if c.team_id == PARTNER] == []
    assert h.slack.team(PARTNER).files(PEDRO) == [] and h.slack.files(PEDRO) == []
    job = await h.running.db.read.fetch_one(
        "SELECT state, last_error FROM campaign_charts WHERE target_id = ?", (PEDRO,)
    )
    assert job is not None and tuple(job)[1] == "workspace not part of the network"


async def test_a_request_claiming_an_approved_organisation_for_another_team_is_refused(
    tmp_path: Path,
) -> None:
    """The partner installed on its own (no organisation); an organisation is installed
    org-wide and approved. A request from the partner that claims to come through that
    organisation's install disagrees with what the network knows of the partner: refused, and
    the partner's member stays recorded with the partner's workspace."""
    async with NetworkHarness(
        db_path=tmp_path / "bot.sqlite3", partners=(ANDES, GRID_A, GRID_B)
    ) as h:
        for team, user in ((PARTNER, "pedro"), ("T0GRIDA", "wen")):
            assert (await h.install(team, user, org_wide=team == "T0GRIDA")).status == 200
        for unit in (PARTNER, "E0GRID"):
            await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id=unit)
        await h.command("pedro", '/network join org:"Andes Press Network" country:PE')
        forged = h.drive_in(PARTNER).payloads.block_actions(
            PEDRO, "cases.page.next", value="{}", channel_id="C0ANDESGEN"
        )
        forged["enterprise"] = {"id": "E0GRID", "name": "Global Media Union"}
        forged["is_enterprise_install"] = True
        forged["user"]["team_id"] = PARTNER
        h.slack.clear_calls()
        answer = await h.drive_in(PARTNER).interact(forged)
        assert answer.status == 200
        await h.settle()
        # bolt's authorize checks the organisation's token against the team (auth.test), and
        # Slack answers team_access_not_granted for a team outside the organisation.
        checks = [c for c in h.slack.calls if c.method == "auth.test"]
        assert checks and not any(c.ok for c in checks)
        assert [c.method for c in h.slack.calls if c.ok] == ["response_url"], "only bolt's line"
        # Were it to pass, the network's own record disagrees and refuses it too.
        standing = await h.running.workspaces.standing(
            team_id=PARTNER, enterprise_id="E0GRID", org_wide=True
        )
        assert not standing.approved
        inside = await h.running.workspaces.standing(
            team_id="T0GRIDB", enterprise_id="E0GRID", org_wide=True
        )
        assert inside.approved
        row = await h.running.db.read.fetch_one(
            "SELECT team_id, workspace_id, enterprise_id FROM members WHERE user_id = ?", (PEDRO,)
        )
        assert row is not None and tuple(row) == (PARTNER, PARTNER, None)
        # The organisation's own people still come through its install.
        me = await h.command("ama", "/network me")
        assert "Your entry in the network" in json.dumps(me.json)


async def test_an_organisations_people_click_and_submit_like_anyone_else(tmp_path: Path) -> None:
    """Slack names an Enterprise organisation's person by the organisation (``user.team_id`` is
    ``E…``), not by their workspace: that is not a guest from elsewhere. A person of another,
    unapproved organisation clicking in a channel shared with it still is."""
    async with NetworkHarness(db_path=tmp_path / "grid.sqlite3", partners=(GRID_A, GRID_B)) as h:
        assert (await h.install("T0GRIDA", "wen", org_wide=True)).status == 200
        await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id="E0GRID")
        grid = h.drive_in("T0GRIDB")
        click = grid.payloads.block_actions(
            "W0GRIDUSR2", "cases.page.next", value="{}", channel_id="C0GENERAL"
        )
        assert click["user"]["team_id"] == "E0GRID"
        assert (await grid.interact(click)).status == 200
        await h.command("ama", "/report")
        await h.settle()
        view = h.slack.team("T0GRIDB").views_for("W0GRIDUSR2")[-1]
        answer = await grid.submit_view("W0GRIDUSR2", view, GOOD)
        assert answer.json is not None and answer.json.get("response_action") == "update"
        said = " ".join(block_text(e) for e in h.slack.team("T0GRIDB").ephemerals("W0GRIDUSR2"))
        assert "not part of the network" not in said and "Verified cases" in said
        row = await h.running.db.read.fetch_one(
            "SELECT team_id, workspace_id, enterprise_id FROM members WHERE user_id = ?",
            ("W0GRIDUSR2",),
        )
        assert row is not None and tuple(row) == ("T0GRIDB", "E0GRID", "E0GRID")

        # A person of an organisation that is not in the network, in a home channel shared
        # with it: refused, nothing written.
        h.slack.add_team("T0OTHERX", "Other Union", enterprise_id="E0OTHER")
        h.slack.add_channel(JOINT, "network-joint")
        h.slack.connect_channel(JOINT, host=h.slack.team_id, guests=["T0OTHERX"])
        outsider = h.drive.payloads.block_actions(
            "W0OUTSIDE", "cases.page.next", value="{}", channel_id=JOINT
        )
        outsider["user"]["team_id"] = "E0OTHER"
        assert (await h.drive.interact(outsider)).status == 200
        await h.settle()
        refused = [block_text(e) for e in h.slack.ephemerals("W0OUTSIDE")]
        assert refused and "Your own workspace is not part of the network" in refused[-1]
        assert await h.running.roster.get("W0OUTSIDE") is None


async def test_members_restored_by_an_approval_have_access_whatever_the_bot_remembered(
    network: NetworkHarness,
) -> None:
    """The partner is removed; the bot restarts and, asked about pedro at home, learns him as
    suspended. Approving the partner again restores him in the database, and the bot must not
    keep answering from what it learnt before."""
    h = network
    await h.command("pedro", '/network join org:"Andes Press Network" country:PE')
    await h.running.workspaces.remove(actor=await admin(h), by=DANA, workspace_id=PARTNER)
    await h.stop_bot()
    await h.start_bot()
    refused = await h.command("dana", f"/network role <@{PEDRO}> coordinator")
    assert refused.status == 200
    assert (await h.running.roster.get(PEDRO)) is not None
    approved = await h.drive.block_action(
        DANA, APPROVE, value=PARTNER, block_id=f"workspace:{PARTNER}"
    )
    assert approved.status == 200
    await h.settle()
    back = await h.command("pedro", "/network me")
    assert "Your entry in the network" in json.dumps(back.json), back.json


def mrkdwn_of(body: Any) -> list[str]:
    """Every text Slack reads as mrkdwn: a message's ``text`` and ``mrkdwn`` text objects
    (``plain_text`` is shown as typed, so it is left as it is)."""
    found: list[str] = []
    if isinstance(body, dict):
        if body.get("type") == "mrkdwn" or (
            "text" in body
            and isinstance(body["text"], str)
            and body.get("type") in (None, "message")
        ):
            found.append(str(body.get("text")))
        for value in body.values():
            found += mrkdwn_of(value) if isinstance(value, dict | list) else []
    elif isinstance(body, list):
        for item in body:
            found += mrkdwn_of(item)
    return found


async def test_a_workspaces_own_name_is_shown_as_words_to_the_admins(
    network: NetworkHarness,
) -> None:
    """A workspace's name is chosen by its own admins, outside the network: in the notice, the
    list and every answer about it, it is words, never a link or a mention."""
    h = network
    crafted = "<https://evil.example|Approve here> <!channel>"
    team = h.slack.add_team("T0CRAFTED", crafted)
    team.add_user("U0CRAFTER", "crafter")
    assert (await install(h.slack, h.bot_url, team_id="T0CRAFTED", user_id="U0CRAFTER")).status
    await h.settle()
    await h.drive.block_action(DANA, APPROVE, value="T0CRAFTED", block_id="workspace:T0CRAFTED")
    await h.drive.block_action(DANA, APPROVE, value="T0CRAFTED", block_id="workspace:T0CRAFTED")
    await h.settle()
    listing = await h.command("dana", "/network workspaces")
    seen = [*h.slack.dm(DANA), *h.slack.ephemerals(DANA), listing.json]
    texts = [t for body in seen for t in mrkdwn_of(body)]
    assert any("already part of the network" in t for t in texts)
    assert any("&lt;https://evil.example|Approve here&gt;" in t for t in texts)
    assert not [t for t in texts if "<https://evil" in t or "<!channel>" in t]
