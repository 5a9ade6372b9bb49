"""One network across workspaces: a partner's report verified at home, an alert reaching both
with each workspace's own token, the roster saying who uses which workspace, Slack Connect among
network workspaces, and an Enterprise Grid organisation installed org-wide."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from network_bot.roles import Role
from network_bot.store import outbox
from network_bot.store.members import Member
from network_bot.store.outbox import Outgoing, TargetKind
from network_bot.testing.flows import GOOD
from network_bot.testing.network import NetworkHarness
from network_bot.testing.reading import ephemeral_text
from network_bot.testing.workspace import Partner, Person

DANA, CHIDI, ALICE = "U0DANA006", "U0CHIDI04", "U0ALICE01"
PEDRO, LUCIA = "U0PEDRO07", "U0LUCIA08"
PARTNER = "T0PARTNER"
REVIEW = "C0REVIEW1"

GRID = Partner(
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


async def admin(h: NetworkHarness) -> Member:
    found = await h.running.roster.get(DANA)
    assert found is not None
    return found


async def join(h: NetworkHarness, team: str = PARTNER, user: str = "pedro") -> None:
    """``team`` installs the bot and an admin approves it."""
    outcome = await h.install(team, user)
    assert outcome.status == 200, outcome.page
    await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id=team)
    await h.settle()


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[NetworkHarness]:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        await join(h)
        yield h


def posts(h: NetworkHarness, channel: str) -> list[str | None]:
    """Whose token each chat.postMessage to ``channel`` came with."""
    return [
        c.team_id
        for c in h.slack.calls
        if c.method == "chat.postMessage" and c.params.get("channel") == channel and c.ok
    ]


async def test_a_partners_report_is_verified_at_home_and_the_reporter_told_at_theirs(
    network: NetworkHarness,
) -> None:
    h = network
    await h.command("pedro", "/report")
    await h.settle()
    partner = h.slack.team(PARTNER)
    view = partner.views_for(PEDRO)[-1]
    answer = await h.drive_in(PARTNER).submit_view(PEDRO, view, GOOD)
    assert answer.json is not None and answer.json.get("response_action") == "update"
    await h.settle()
    card = h.slack.messages(REVIEW)[0]
    assert "NI-2026-0001" in json.dumps(card) and posts(h, REVIEW) == [h.slack.team_id]
    await h.drive.block_action(
        CHIDI, "case.verify", value="NI-2026-0001", message=card, channel_id=REVIEW
    )
    await h.settle()
    told = [m["text"] for m in partner.dm(PEDRO)]
    assert any("NI-2026-0001" in t and "verified" in t for t in told)
    assert posts(h, PEDRO) == [PARTNER], "with the partner workspace's own token"
    looked = await h.command("pedro", "/case NI-2026-0001")
    assert "Arshad Mahmood" in ephemeral_text(looked.json)


async def test_an_alert_reaches_both_workspaces_each_with_its_own_token(
    network: NetworkHarness,
) -> None:
    h = network
    for user in ("pedro", "lucia"):
        await h.command(user, '/network join org:"Andes Press Network" country:PE')
    await h.command("chidi", "/alert")
    await h.settle()
    compose = h.slack.views_for(CHIDI)[-1]
    values = {
        "headline": "Free the detained reporters",
        "body": "Three reporters were detained while covering the protests. Sign the letter.",
        "action_kind": "sign_letter",
        "urgency": "high",
        "audience": ["all"],
    }
    preview = await h.drive.submit_view(CHIDI, compose, values)
    assert preview.json and preview.json.get("response_action") == "push", preview.text
    confirm = h.slack.views_for(CHIDI)[-1]
    done = await h.drive.submit_view(CHIDI, confirm, {})
    assert done.json == {"response_action": "clear"}, "form and preview close together"
    await h.settle()
    partner = h.slack.team(PARTNER)
    for user in (PEDRO, LUCIA):
        assert any("Free the detained" in m["text"] for m in partner.dm(user)), user
        assert posts(h, user) == [PARTNER]
    for user in (ALICE, DANA):
        assert any("Free the detained" in m["text"] for m in h.slack.dm(user)), user
        assert set(posts(h, user)) == {h.slack.team_id}
    assert not partner.dm(ALICE) and not h.slack.dm(PEDRO), "each copy in its own workspace"


async def test_the_roster_and_the_audit_say_which_workspace_a_member_uses(
    network: NetworkHarness,
) -> None:
    h = network
    await h.command("pedro", '/network join org:"Andes Press Network" country:PE')
    me = ephemeral_text((await h.command("pedro", "/network me")).json)
    assert "Workspace" in me and "Andes Press Network" in me
    await h.running.roster.change_role(actor=await admin(h), target_id=PEDRO, role=Role.COORDINATOR)
    listed = ephemeral_text((await h.command("chidi", "/network members")).json)
    pedro_line = next(line for line in listed.split("•") if PEDRO in line)
    assert "Andes Press Network" in pedro_line and "coordinator" in pedro_line
    home_line = next(line for line in listed.split("•") if ALICE in line)
    assert "Network" in home_line
    await h.command("pedro", "/network audit")  # refused: needs admin, audited
    trail = ephemeral_text((await h.command("dana", "/network audit all")).json)
    refused = next(line for line in trail.split("\n") if PEDRO in line and "refused" in line)
    assert "(Andes Press Network)" in refused
    # Roles are network-wide: the partner's coordinator reviews at home like any other.
    assert "Only coordinators" not in ephemeral_text(
        (await h.command("pedro", "/network members")).json
    )


async def test_slack_connect_among_network_workspaces_is_not_outside(
    network: NetworkHarness,
) -> None:
    h = network
    h.slack.add_channel("C0JOINT01", "network-joint")
    h.slack.connect_channel("C0JOINT01", host=h.slack.team_id, guests=[PARTNER])
    inside = await h.running.channels.info("C0JOINT01")
    assert inside.shared and not inside.is_ext_shared
    h.slack.add_team("T0OUTSIDE", "Not In The Network")
    h.slack.add_channel("C0MIXED01", "with-outsiders")
    h.slack.connect_channel("C0MIXED01", host=h.slack.team_id, guests=[PARTNER, "T0OUTSIDE"])
    mixed = await h.running.channels.info("C0MIXED01")
    assert mixed.is_ext_shared, "one outside workspace makes it shared with another organisation"
    # Removing the partner takes its channels back outside at once (no stale cache).
    await h.running.workspaces.remove(actor=await admin(h), by=DANA, workspace_id=PARTNER)
    again = await h.running.channels.info("C0JOINT01")
    assert again.is_ext_shared


async def test_an_enterprise_grid_organisation_installs_for_every_workspace(
    tmp_path: Path,
) -> None:
    async with NetworkHarness(db_path=tmp_path / "grid.sqlite3", partners=(GRID, GRID_B)) as h:
        outcome = await h.install("T0GRIDA", "wen", org_wide=True)
        assert outcome.status == 200 and "Global Media Union" in outcome.page
        listing = ephemeral_text((await h.command("dana", "/network workspaces")).json)
        assert "E0GRID" in listing and "whole organisation" in listing
        refused = await h.command("ama", "/network me")
        assert "not part of the network yet" in ephemeral_text(refused.json)
        await h.running.workspaces.approve(actor=await admin(h), by=DANA, workspace_id="E0GRID")
        answer = await h.command("ama", "/network me")
        assert "Your entry in the network" in ephemeral_text(answer.json)
        member = await h.running.roster.get("W0GRIDUSR2")
        assert member is not None and member.workspace_id == "E0GRID"
        assert member.team_id == "T0GRIDB" and member.enterprise_id == "E0GRID"
        # The org-wide token reaches the member in their own workspace of the organisation.
        async with h.running.db.transaction() as tx:
            await outbox.enqueue(
                tx,
                [
                    Outgoing(
                        purpose="notification",
                        target_kind=TargetKind.USER,
                        target_id="W0GRIDUSR2",
                        payload={"text": "from the network"},
                    )
                ],
                now=h.running.clock.now(),
            )
        await h.settle()
        assert [m["text"] for m in h.slack.team("T0GRIDB").dm("W0GRIDUSR2")] == ["from the network"]
        assert posts(h, "W0GRIDUSR2") == ["T0GRIDB"]
