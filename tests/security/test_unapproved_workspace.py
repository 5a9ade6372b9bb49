"""Nothing about the network reaches a workspace its admins have not approved, on any surface:
every slash command, action, view and menu from there gets one polite line and nothing else,
its events change nothing, the sender posts nothing there, and a Slack Connect guest from there
is refused in an approved workspace."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from network_bot.store import outbox
from network_bot.store.outbox import Outgoing, TargetKind
from network_bot.testing.network import NetworkHarness
from network_bot.testing.reading import ephemeral_text

PARTNER = "T0PARTNER"
PEDRO = "U0PEDRO07"
STATE_TABLES = ("members", "cases", "alerts", "follows", "alert_responses", "case_updates")


@pytest.fixture
async def network(tmp_path: Path) -> AsyncIterator[NetworkHarness]:
    async with NetworkHarness(db_path=tmp_path / "bot.sqlite3") as h:
        outcome = await h.install(PARTNER, "pedro")
        assert outcome.status == 200
        await h.settle()
        yield h


async def state(h: NetworkHarness) -> dict[str, int]:
    read = h.running.db.read
    return {t: int(await read.fetch_value(f"SELECT count(*) FROM {t}")) for t in STATE_TABLES}


def reached_partner(h: NetworkHarness) -> list[str]:
    """Web API calls made with the partner's token, bolt's own auth.test aside."""
    return [c.method for c in h.slack.calls if c.team_id == PARTNER and c.method != "auth.test"]


def partner_saw(h: NetworkHarness) -> str:
    team = h.slack.team(PARTNER)
    seen = [json.dumps(e) for e in team.ephemerals(PEDRO)]
    seen += [json.dumps(m) for m in team.all_messages()]
    return "\n".join(seen)


async def test_every_command_action_view_and_menu_gets_one_line(network: NetworkHarness) -> None:
    h = network
    before = await state(h)
    h.slack.clear_calls()
    driver = h.drive_in(PARTNER)
    registry = h.running.registry
    for name, command in registry.commands.items():
        for verb in command.subcommands:
            answer = await driver.command(PEDRO, name, verb, channel_id="C0ANDESGEN")
            assert answer.status == 200 and answer.slack_error is None
            assert "not part of the network yet" in ephemeral_text(answer.json), (name, verb)
    for action_id in registry.actions:
        answer = await driver.block_action(
            PEDRO, action_id, value="NI-2026-0001", channel_id="C0ANDESGEN"
        )
        assert answer.status == 200
    for callback_id in registry.views:
        view = {"id": "V0FORGED1", "type": "modal", "callback_id": callback_id, "blocks": []}
        answer = await driver.submit_view(PEDRO, view, {})
        assert answer.status == 200
        assert "not part of the network yet" in json.dumps(answer.json), callback_id
    menu = await driver.block_suggestion(PEDRO, "alert.countries", "ke")
    assert menu.json == {"options": []}
    await h.settle()
    assert await state(h) == before, "nothing written"
    assert set(reached_partner(h)) == set(), reached_partner(h)
    said = partner_saw(h)
    assert "NI-" not in said and "Network Secretariat" not in said and "AL-" not in said
    lines = [ephemeral_text(e) for e in h.slack.team(PARTNER).ephemerals(PEDRO)]
    assert lines and all("not part of the network yet" in line for line in lines)


async def test_its_events_change_nothing(network: NetworkHarness) -> None:
    h = network
    before = await state(h)
    h.slack.clear_calls()
    driver = h.drive_in(PARTNER)
    await driver.event({"type": "app_home_opened", "user": PEDRO, "tab": "home"})
    user = h.slack.team(PARTNER).user_info(PEDRO)
    await driver.event({"type": "user_change", "user": {**user, "deleted": True}})
    await h.settle()
    assert await state(h) == before
    assert reached_partner(h) == [] and h.slack.team(PARTNER).home(PEDRO) is None


async def test_the_sender_posts_nothing_there(network: NetworkHarness) -> None:
    h = network
    h.slack.clear_calls()
    async with h.running.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            [
                Outgoing(
                    purpose="notification",
                    target_kind=TargetKind.USER,
                    target_id=PEDRO,
                    payload={"text": "about a case"},
                    workspace_id=PARTNER,
                )
            ],
            now=h.running.clock.now(),
        )
    await h.settle()
    row = await h.running.db.read.fetch_one(
        "SELECT state, last_error FROM outbox WHERE target_id = ?", (PEDRO,)
    )
    assert row is not None and tuple(row) == ("cancelled", "workspace not part of the network")
    assert reached_partner(h) == [] and h.slack.team(PARTNER).dm(PEDRO) == []


async def test_a_guest_from_it_is_refused_in_an_approved_workspace(
    network: NetworkHarness,
) -> None:
    h = network
    h.slack.connect_channel("C0GENERAL", host=h.slack.team_id, guests=[PARTNER])
    before = await state(h)
    guest = h.drive.payloads.block_actions(
        PEDRO, "cases.page.next", value="{}", channel_id="C0GENERAL"
    )
    guest["user"]["team_id"] = PARTNER  # Slack names the guest's own workspace
    answer = await h.drive.interact(guest)
    assert answer.status == 200
    await h.settle()
    assert await state(h) == before
    shared = await h.running.channels.info("C0GENERAL")
    assert shared.is_ext_shared, "shared with a workspace outside the network"
