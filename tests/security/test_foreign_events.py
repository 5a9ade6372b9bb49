"""Slack's own events from a workspace other than the network's change nothing: a signed
``user_change`` from another team for a known member's user ID leaves the roster as it was, a
``tokens_revoked`` or ``app_uninstalled`` from another team does not pause deliveries. The same
events from the network's own workspace do act, so the refusals are not vacuous."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network_bot.store import outbox
from network_bot.store.outbox import Outgoing, Purpose, RefKind, State
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text
from tests.slack_samples import app_home_opened

ALICE, BOB = "U0ALICE01", "U0BOBBY02"
HOME = "T0NETWORK"
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with Harness(db_path=tmp_path / "bot.sqlite3") as harness:
        yield harness


def deactivation(user_id: str, *, user_team: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": user_id,
        "name": "renamed",
        "real_name": "Someone Else",
        "deleted": True,
        "tz": "Asia/Pyongyang",
        "tz_offset": 32400,
        "profile": {"display_name": "renamed", "real_name": "Someone Else"},
    }
    if user_team is not None:
        user["team_id"] = user_team
    return {"type": "user_change", "user": user}


async def roster(h: Harness) -> list[tuple[Any, ...]]:
    rows = await h.running.db.read.fetch_all(
        "SELECT user_id, display_name, real_name, tz, tz_offset, is_active, role, updated_at "
        "FROM members ORDER BY user_id"
    )
    return [tuple(r) for r in rows]


async def audit_count(h: Harness) -> int:
    return int(await h.running.db.read.fetch_value("SELECT count(*) FROM audit_log"))


team_ids = st.from_regex(r"\A[TE][A-Z0-9]{8,10}\Z", fullmatch=True).filter(lambda t: t != HOME)


@SETTINGS
@given(team=team_ids, user_team=st.one_of(st.none(), team_ids, st.just(HOME)))
async def test_a_user_change_from_another_workspace_leaves_the_roster_alone(
    h: Harness, team: str, user_team: str | None
) -> None:
    before, audited = await roster(h), await audit_count(h)
    answer = await h.drive.event(deactivation(ALICE, user_team=user_team), team_id=team)
    assert answer.status == 200
    await h.settle()
    assert await roster(h) == before
    assert await audit_count(h) == audited
    still = await h.command("alice", "/network me")
    assert "access to the network's bot has been removed" not in ephemeral_text(still.json)
    await h.settle()  # the profile refresh that a first command sets off


async def test_a_user_change_naming_a_guest_of_another_organisation_changes_nothing(
    h: Harness,
) -> None:
    """Our workspace's envelope, but the user object is another organisation's (Slack
    Connect): not a roster entry to touch."""
    before = await roster(h)
    answer = await h.drive.event(deactivation(ALICE, user_team="T0PARTNER1"), team_id=HOME)
    assert answer.status == 200
    await h.settle()
    assert await roster(h) == before


async def test_the_same_user_change_from_the_network_deactivates(h: Harness) -> None:
    answer = await h.drive.event(deactivation(ALICE, user_team=HOME), team_id=HOME)
    assert answer.status == 200
    refused = await h.command("alice", "/network me")
    assert "access to the network's bot has been removed" in ephemeral_text(refused.json)


async def queue_dm(h: Harness, user_id: str) -> int:
    bot = h.running
    key = f"test:{time.monotonic_ns()}"
    async with bot.db.transaction() as tx:
        await outbox.enqueue(
            tx,
            [
                Outgoing.dm(
                    purpose=Purpose.NOTIFICATION,
                    user_id=user_id,
                    payload={"text": "Still delivering"},
                    ref_kind=RefKind.UPDATE,
                    dedupe_key=key,
                )
            ],
            now=bot.clock.now(),
        )
        row_id = await outbox.id_for_key(tx, key)
    assert row_id is not None
    return row_id


async def state_after(h: Harness, row_id: int, seconds: float) -> State:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = await outbox.get(h.running.db.read, row_id)
        assert row is not None
        if row.state is State.SENT:
            return row.state
        await asyncio.sleep(0.02)
    row = await outbox.get(h.running.db.read, row_id)
    assert row is not None
    return row.state


REVOCATIONS = {
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"bot": ["UNETBOT"]}},
    "app_uninstalled": {"type": "app_uninstalled"},
}


@pytest.mark.parametrize("event", REVOCATIONS.values(), ids=REVOCATIONS.keys())
async def test_a_revocation_from_another_workspace_does_not_pause_deliveries(
    h: Harness, event: dict[str, Any]
) -> None:
    answer = await h.drive.event(event, team_id="T0ELSEWHERE")
    assert answer.status == 200
    row_id = await queue_dm(h, BOB)
    assert await state_after(h, row_id, 3.0) is State.SENT
    assert [m["text"] for m in h.slack.dm(BOB)] == ["Still delivering"]


@pytest.mark.parametrize("event", REVOCATIONS.values(), ids=REVOCATIONS.keys())
async def test_a_revocation_from_the_network_pauses_deliveries(
    h: Harness, event: dict[str, Any]
) -> None:
    answer = await h.drive.event(event, team_id=HOME)
    assert answer.status == 200
    row_id = await queue_dm(h, BOB)
    assert await state_after(h, row_id, 1.5) is not State.SENT
    assert not h.slack.dm(BOB)


async def test_a_team_join_from_another_workspace_adds_no_one(h: Harness) -> None:
    before = await roster(h)
    event = {"type": "team_join", "user": {"id": "U0STRANGER", "team_id": "T0ELSEWHERE"}}
    answer = await h.drive.event(event, team_id="T0ELSEWHERE")
    assert answer.status == 200
    await h.settle()
    assert await roster(h) == before


async def test_a_partner_in_a_shared_channel_is_not_taken_for_a_member(h: Harness) -> None:
    """In a Slack Connect channel the envelope is the network's and the person is another
    organisation's: bolt's ``actor_team_id`` (``event.user_team``) says so, and nobody is added
    to the roster. The same event from the network's own person adds them, so the refusal is
    not vacuous."""

    async def opened(user_id: str, user_team: str) -> None:
        event = {**app_home_opened(user_id), "user_team": user_team}
        body = h.drive.payloads.event_callback(event, team_id=HOME)
        body["is_ext_shared_channel"] = True
        answer = await h.drive.post(json.dumps(body).encode(), content_type="application/json")
        assert answer.status == 200
        await h.settle()

    await opened("U0PARTNR9", "T0PARTNER1")
    assert await h.running.roster.get("U0PARTNR9") is None
    await opened("U0NEWBIE9", HOME)
    assert await h.running.roster.get("U0NEWBIE9") is not None
