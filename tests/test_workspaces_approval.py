"""Approval: a partner's install waits; admins approve or remove it from Slack (audited); before
approval, and after removal or an uninstall, nothing about the network reaches that workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from network_bot.blocks.workspaces import APPROVE, REMOVE
from network_bot.store import outbox, workspaces
from network_bot.store.outbox import Outgoing, State, TargetKind
from network_bot.store.workspaces import Approval
from network_bot.testing.network import NetworkHarness
from network_bot.testing.reading import ephemeral_text

DANA = "U0DANA006"  # admin, home workspace
CHIDI = "U0CHIDI04"  # coordinator, home
PEDRO = "U0PEDRO07"  # partner workspace
PARTNER = "T0PARTNER"


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[NetworkHarness]:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        yield h


def partner_texts(h: NetworkHarness, user: str = PEDRO) -> list[str]:
    team = h.slack.team(PARTNER)
    return [m["text"] for m in team.dm(user)] + [e["text"] for e in team.ephemerals(user)]


async def approve_from_the_notice(h: NetworkHarness) -> dict[str, Any]:
    await h.settle()
    notice = next(m for m in h.slack.dm(DANA) if "waits for your approval" in ephemeral_text(m))
    answer = await h.drive.block_action(
        DANA, APPROVE, message=notice, block_id=f"workspace:{PARTNER}"
    )
    assert answer.status == 200
    await h.settle()
    return notice


async def test_admins_are_told_of_an_install_and_approve_it_with_a_button(
    network: NetworkHarness,
) -> None:
    h = network
    await h.install(PARTNER, "pedro")
    refused = await h.command("pedro", "/report")
    assert "not part of the network yet" in ephemeral_text(refused.json)
    assert h.slack.team(PARTNER).views_for(PEDRO) == [], "no form opened"

    await approve_from_the_notice(h)
    entry = await workspaces.get(h.running.db.read, PARTNER)
    assert entry is not None and entry.state is Approval.APPROVED and entry.decided_by == DANA
    said = " ".join(ephemeral_text(e) for e in h.slack.ephemerals(DANA))
    assert "is now part of the network" in said and "audit log" in said
    trail = await h.running.db.read.fetch_all(
        "SELECT actor_id, action, target, actor_workspace FROM audit_log "
        "WHERE action = 'workspace.approved' AND target = ?",
        (PARTNER,),
    )
    assert [tuple(r)[:3] for r in trail] == [(DANA, "workspace.approved", PARTNER)]

    answer = await h.command("pedro", "/network me")
    assert "Your entry in the network" in ephemeral_text(answer.json)
    member = await h.running.db.read.fetch_one(
        "SELECT team_id, workspace_id FROM members WHERE user_id = ?", (PEDRO,)
    )
    assert member is not None and tuple(member) == (PARTNER, PARTNER)


async def test_only_admins_see_and_use_the_workspace_list(network: NetworkHarness) -> None:
    h = network
    await h.install(PARTNER, "pedro")
    refused = await h.command("chidi", "/network workspaces")
    assert "Only admins can do that" in ephemeral_text(refused.json)
    listing = await h.command("dana", "/network workspaces")
    text = ephemeral_text(listing.json)
    assert "Andes Press Network" in text and "waiting for approval" in text
    assert "the secretariat's home" in text
    blocks = (listing.json or {}).get("blocks") or []
    rows = [b for b in blocks if b.get("type") == "actions"]
    assert [b["block_id"] for b in rows] == [f"workspace:{PARTNER}"]
    assert [e["action_id"] for e in rows[0]["elements"]] == [APPROVE, REMOVE]

    # A coordinator's click on a (forwarded or tampered) button changes nothing.
    forged = await h.drive.block_action(CHIDI, APPROVE, value=PARTNER)
    assert forged.status == 200
    await h.settle()
    entry = await workspaces.get(h.running.db.read, PARTNER)
    assert entry is not None and entry.state is Approval.PENDING
    refusals = await h.running.db.read.fetch_all(
        "SELECT action FROM audit_log WHERE actor_id = ? AND outcome = 'refused'", (CHIDI,)
    )
    assert [r[0] for r in refusals] == ["command /network workspaces", f"action {APPROVE}"]
    for value in ("T0NOBODY", "not an id", "T0NETWORK"):
        await h.drive.block_action(DANA, REMOVE, value=value)
    await h.settle()
    home = await workspaces.get(h.running.db.read, h.slack.team_id)
    assert home is not None and home.state is Approval.APPROVED, "home cannot be removed"
    said = " ".join(ephemeral_text(e) for e in h.slack.ephemerals(DANA))
    assert "No workspace T0NOBODY" in said and "no longer works" in said
    assert "home workspace" in said


async def queue_for(h: NetworkHarness, user: str) -> None:
    async with h.running.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            [
                Outgoing(
                    purpose="notification",
                    target_kind=TargetKind.USER,
                    target_id=user,
                    payload={"text": "queued for the partner"},
                )
            ],
            now=h.running.clock.now(),
        )
        await tx.execute(
            "UPDATE outbox SET workspace_id = ?, next_attempt_at = '2999-01-01T00:00:00Z' "
            "WHERE target_id = ?",
            (PARTNER, user),
        )


async def test_removing_a_workspace_cancels_its_queue_and_suspends_its_members(
    network: NetworkHarness,
) -> None:
    h = network
    await h.install(PARTNER, "pedro")
    await approve_from_the_notice(h)
    await h.command("pedro", '/network join org:"Andes Press Network" country:PE')
    await queue_for(h, PEDRO)
    listing = await h.command("dana", "/network workspaces")
    assert "Remove" in ephemeral_text(listing.json)
    removed = await h.drive.block_action(
        DANA, REMOVE, value=PARTNER, block_id=f"workspace:{PARTNER}"
    )
    assert removed.status == 200
    await h.settle()
    states = await h.running.db.read.fetch_all(
        "SELECT state, last_error FROM outbox WHERE workspace_id = ?", (PARTNER,)
    )
    assert [tuple(r) for r in states] == [(State.CANCELLED.value, "workspace removed by an admin")]
    member = await h.running.db.read.fetch_one(
        "SELECT is_active, suspended_with, organisation FROM members WHERE user_id = ?", (PEDRO,)
    )
    assert member is not None and tuple(member) == (0, PARTNER, "Andes Press Network")
    refused = await h.command("pedro", "/network me")
    assert "no longer part of the network" in ephemeral_text(refused.json)

    again = await h.command("dana", "/network workspaces")
    assert "Approve" in ephemeral_text(again.json)
    await h.drive.block_action(DANA, APPROVE, value=PARTNER, block_id=f"workspace:{PARTNER}")
    await h.settle()
    back = await h.command("pedro", "/network me")
    assert "Andes Press Network" in ephemeral_text(back.json), "restored with their entry"


async def test_an_uninstall_or_revoked_token_takes_the_workspace_out(
    network: NetworkHarness,
) -> None:
    h = network
    await h.install(PARTNER, "pedro")
    await approve_from_the_notice(h)
    await h.command("pedro", "/network me")
    await queue_for(h, PEDRO)
    h.slack.uninstall(PARTNER)
    partner = h.drive_in(PARTNER)
    revoked = await partner.event({"type": "tokens_revoked", "tokens": {"bot": ["UBOT0PARTN"]}})
    uninstalled = await partner.event({"type": "app_uninstalled"})
    assert revoked.status == 200 and uninstalled.status == 200
    entry = await workspaces.get(h.running.db.read, PARTNER)
    assert entry is not None and entry.state is Approval.REMOVED and not entry.installed
    db = h.running.db.read
    assert (
        await db.fetch_value("SELECT count(*) FROM slack_bots WHERE team_id = ?", (PARTNER,)) == 0
    )
    assert (
        await db.fetch_value(
            "SELECT count(*) FROM outbox WHERE workspace_id = ? AND state = 'pending'", (PARTNER,)
        )
        == 0
    )
    assert await db.fetch_value("SELECT is_active FROM members WHERE user_id = ?", (PEDRO,)) == 0
    removed = await db.fetch_all(
        "SELECT actor_id, detail FROM audit_log WHERE action = 'workspace.removed'"
    )
    assert [r[0] for r in removed] == ["slack"] and "bot token revoked" in removed[0][1]

    # Only that workspace left: the home workspace's messages keep going out, unpaused.
    async with h.running.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            [
                Outgoing(
                    purpose="notification",
                    target_kind=TargetKind.USER,
                    target_id=CHIDI,
                    payload={"text": "still sent at home"},
                )
            ],
            now=h.running.clock.now(),
        )
    await h.settle()
    assert any(m["text"] == "still sent at home" for m in h.slack.dm(CHIDI))

    # It installs again: it waits for approval like any new install.
    await h.install(PARTNER, "pedro")
    entry = await workspaces.get(h.running.db.read, PARTNER)
    assert entry is not None and entry.state is Approval.PENDING and entry.installed


async def test_one_token_mode_has_no_workspaces_to_approve(tmp_path: Path) -> None:
    from network_bot.testing.harness import Harness

    async with Harness(db_path=tmp_path / "one.sqlite3") as h:
        answer = await h.command("dana", "/network workspaces")
        assert "runs in one workspace" in ephemeral_text(answer.json)
        uninstalled = await h.drive.event({"type": "app_uninstalled"})
        assert uninstalled.status == 200
        assert (await h.command("alice", "/network me")).status == 200


async def test_a_partner_member_whose_role_changes_is_told_in_their_own_workspace(
    network: NetworkHarness,
) -> None:
    h = network
    await h.install(PARTNER, "pedro")
    await approve_from_the_notice(h)
    await h.command("pedro", "/network me")  # pedro is on the roster, in his workspace
    reply = await h.command("dana", "/network role <@U0PEDRO07|pedro> coordinator")
    assert "told in a DM" in ephemeral_text(reply.json)
    await h.settle()
    [dm] = h.slack.team(PARTNER).dm(PEDRO)
    assert "now *coordinator* (it was member)" in ephemeral_text(dm)
    assert h.slack.dm(PEDRO) == [], "nothing for pedro in the home workspace"
    row = await h.running.db.read.fetch_one(
        "SELECT workspace_id, state FROM outbox WHERE purpose = 'role-change' AND target_id = ?",
        (PEDRO,),
    )
    assert row is not None and tuple(row) == (PARTNER, "sent")
