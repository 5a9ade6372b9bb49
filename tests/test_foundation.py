"""The foundation, driven the way Slack drives it: signed HTTP into the real endpoint."""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from pathlib import Path

import aiohttp
import pytest

from network_bot.roles import Role
from network_bot.store import audit, members
from network_bot.testing.harness import SIGNING_SECRET, Harness
from network_bot.testing.reading import ephemeral_text

ALICE = "U0ALICE01"
CHIDI = "U0CHIDI04"
DANA = "U0DANA006"


async def counts(h: Harness) -> tuple[int, int, int]:
    db = h.running.db.read
    return (
        int(await db.fetch_value("SELECT count(*) FROM members")),
        int(await db.fetch_value("SELECT count(*) FROM audit_log")),
        int(await db.fetch_value("SELECT coalesce(sum(length(organisation)), 0) FROM members")),
    )


async def test_help_lists_every_registered_command(harness: Harness) -> None:
    response = await harness.command("alice", "/network help")
    assert response.status == 200
    assert response.json is not None
    assert response.json["response_type"] == "ephemeral"
    text = ephemeral_text(response.json)
    for name, command in harness.running.registry.commands.items():
        assert name in text
        for example in command.examples:
            assert example.text.replace('"', "&quot;")[:10] in text or example.text[:10] in text


async def test_bare_network_command_shows_help(harness: Harness) -> None:
    response = await harness.command("alice", "/network")
    assert "/network" in ephemeral_text(response.json)


async def test_first_use_adds_member_and_fetches_profile_after_ack(harness: Harness) -> None:
    harness.slack.add_user(
        "U0NEWBIE7", "newbie", real_name="Nia Newbie", tz="Africa/Lagos", tz_offset=3600
    )
    response = await harness.drive.command("U0NEWBIE7", "/network", "me")
    assert response.status == 200
    assert "member" in ephemeral_text(response.json)
    await harness.settle()
    member = await members.get(harness.running.db.read, "U0NEWBIE7")
    assert member is not None
    assert member.role is Role.MEMBER
    assert member.real_name == "Nia Newbie"
    assert member.tz == "Africa/Lagos"
    assert [c.params.get("user") for c in harness.slack.calls_to("users.info")].count(
        "U0NEWBIE7"
    ) == 1
    # the profile is cached: a second request does not ask Slack again
    await harness.drive.command("U0NEWBIE7", "/network", "me")
    await harness.settle()
    assert [c.params.get("user") for c in harness.slack.calls_to("users.info")].count(
        "U0NEWBIE7"
    ) == 1


async def test_configured_admins_are_seeded(harness: Harness) -> None:
    dana = await members.get(harness.running.db.read, DANA)
    assert dana is not None and dana.role is Role.ADMIN


async def test_join_validates_and_saves(harness: Harness) -> None:
    before = await counts(harness)
    bad = await harness.command("alice", '/network join org:"Kenya Desk" country:XQ')
    assert "two-letter ISO code" in ephemeral_text(bad.json)
    assert await counts(harness) == before
    unclosed = await harness.command("alice", '/network join org:"Kenya Desk country:KE')
    assert "quotation mark is not closed" in ephemeral_text(unclosed.json)
    good = await harness.command("alice", '/network join org:"Nairobi Media Watch" country:ke')
    assert "Nairobi Media Watch" in ephemeral_text(good.json)
    alice = await members.get(harness.running.db.read, ALICE)
    assert alice is not None and alice.organisation == "Nairobi Media Watch"
    assert alice.country == "KE"


async def test_role_change_by_admin_is_audited(harness: Harness) -> None:
    response = await harness.command("dana", f"/network role <@{ALICE}|alice> coordinator")
    assert "now *coordinator*" in ephemeral_text(response.json)
    alice = await members.get(harness.running.db.read, ALICE)
    assert alice is not None and alice.role is Role.COORDINATOR
    entries = await audit.search(harness.running.db.read, target=ALICE)
    assert entries[0].action == "role.change"
    assert entries[0].actor_id == DANA
    assert entries[0].detail == "member -> coordinator"


async def test_role_change_by_non_admin_is_refused_and_audited(harness: Harness) -> None:
    for who in ("alice", "chidi"):
        response = await harness.command(who, f"/network role <@{ALICE}|alice> admin")
        assert response.status == 200
        assert "Only admins can do that" in ephemeral_text(response.json)
    alice = await members.get(harness.running.db.read, ALICE)
    assert alice is not None and alice.role is Role.MEMBER
    refusals = await audit.search(
        harness.running.db.read, outcomes=(audit.Outcome.REFUSED,), actor_id=CHIDI
    )
    assert refusals and refusals[0].action == "command /network role"


async def test_the_last_admin_cannot_be_demoted(harness: Harness) -> None:
    await harness.command("dana", f"/network role <@{CHIDI}|chidi> admin")
    response = await harness.command("chidi", f"/network role <@{DANA}|dana> member")
    assert "now *member*" in ephemeral_text(response.json)
    last = await harness.command("chidi", f"/network role <@{CHIDI}|chidi> member")
    assert "can't lower your own role" in ephemeral_text(last.json)
    dana_back = await harness.command("chidi", f"/network role <@{DANA}|dana> admin")
    assert "now *admin*" in ephemeral_text(dana_back.json)
    refused = await harness.command("dana", f"/network role {CHIDI} member")
    assert "now *member*" in ephemeral_text(refused.json)
    only = await harness.command("chidi", f"/network role {DANA} member")
    assert "Only admins" in ephemeral_text(only.json)


async def test_members_list_is_for_coordinators(harness: Harness) -> None:
    refused = await harness.command("alice", "/network members")
    assert "Only coordinators" in ephemeral_text(refused.json)
    listed = await harness.command("chidi", "/network members coordinators")
    text = ephemeral_text(listed.json)
    assert "2 active coordinators" in text
    assert "<@U0CHIDI04>" in text and "<@U0FARID05>" in text


async def test_unknown_command_and_subcommand_are_answered_politely(harness: Harness) -> None:
    unknown = await harness.drive.command(ALICE, "/unheard-of", "x")
    assert unknown.status == 200
    assert "/network help" in ephemeral_text(unknown.json)
    sub = await harness.command("alice", "/network frobnicate")
    assert "I don't know `/network frobnicate`" in ephemeral_text(sub.json)


async def test_unknown_action_is_answered_through_response_url(harness: Harness) -> None:
    response = await harness.drive.block_action(
        ALICE, "no.such.action", value="1", channel_id="C0GENERAL"
    )
    assert response.status == 200
    await harness.settle()
    said = [m.get("text", "") for m in harness.slack.ephemerals(ALICE)]
    assert any("/network help" in text for text in said)


async def test_over_long_text_is_refused_politely(harness: Harness) -> None:
    before = await counts(harness)
    response = await harness.drive.command(ALICE, "/network", "join org:" + "x" * 5000)
    assert response.status == 200
    assert "could not read" in ephemeral_text(response.json)
    assert await counts(harness) == before


async def raw_command_body(user_id: str = ALICE, text: str = "help") -> bytes:
    return urllib.parse.urlencode(
        {
            "command": "/network",
            "text": text,
            "user_id": user_id,
            "user_name": "alice",
            "team_id": "T0NETWORK",
            "channel_id": "C0GENERAL",
            "response_url": "",
            "trigger_id": "1.2.3",
        }
    ).encode()


async def test_bad_requests_get_the_right_status_and_change_nothing(harness: Harness) -> None:
    before = await counts(harness)
    body = await raw_command_body()
    drive = harness.drive
    assert (await drive.post(body, sign=False)).status == 401  # no signature headers
    stale = int(time.time()) - 301
    assert (await drive.post(body, timestamp=stale)).status == 401  # stale
    forged = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=00"}
    assert (await drive.post(body, sign=False, headers=forged)).status == 401
    assert (await drive.post(b"<xml/>", content_type="application/xml")).status == 415
    assert (
        await drive.post(b"payload=%7Bnot-json", content_type="application/x-www-form-urlencoded")
    ).status == 400
    assert (await drive.post(b"x" * (2 * 1024 * 1024))).status == 413
    assert (await drive.post(body)).status == 200
    assert await counts(harness) == before


async def test_replayed_signature_is_refused(harness: Harness) -> None:
    body = await raw_command_body()
    now = int(time.time())
    first = await harness.drive.post(body, timestamp=now)
    again = await harness.drive.post(body, timestamp=now)
    assert first.status == 200
    assert again.status == 401


async def test_malformed_but_signed_payload_is_answered(harness: Harness) -> None:
    body = urllib.parse.urlencode(
        {
            "command": "/network",
            "text": "help",
            "user_id": "not-a-user",
            "team_id": "T0NETWORK",
            "channel_id": "C0GENERAL",
        }
    ).encode()
    response = await harness.drive.post(body)
    assert response.status == 200
    assert "could not read" in ephemeral_text(response.json)
    odd = await harness.drive.post(
        urllib.parse.urlencode({"payload": json.dumps({"type": "shortcut"})}).encode()
    )
    assert odd.status == 200


async def test_request_from_another_workspace_is_refused(harness: Harness) -> None:
    before = await counts(harness)
    body = urllib.parse.urlencode(
        {
            "command": "/network",
            "text": "me",
            "user_id": "U0STRANGER",
            "user_name": "x",
            "team_id": "T0ELSEWHERE",
            "channel_id": "C0GENERAL",
        }
    ).encode()
    response = await harness.drive.post(body)
    assert "one network's workspace" in ephemeral_text(response.json)
    assert await counts(harness) == before


async def test_deactivated_user_loses_access_at_once_and_retries_count_once(
    harness: Harness,
) -> None:
    assert "member" in ephemeral_text((await harness.command("alice", "/network me")).json)
    event = {
        "type": "user_change",
        "user": {
            "id": ALICE,
            "name": "alice",
            "deleted": True,
            "profile": {"display_name": "alice"},
        },
    }
    first = await harness.drive.event(event, event_id="Ev0DEACT1")
    assert first.status == 200
    retry = await harness.drive.event(
        event, event_id="Ev0DEACT1", retry_num=1, retry_reason="http_timeout"
    )
    assert retry.status == 200
    refused = await harness.command("alice", "/network help")
    assert "access to the network's bot has been removed" in ephemeral_text(refused.json)
    entries = await audit.search(harness.running.db.read, target=ALICE)
    assert [e.action for e in entries].count("member.deactivated") == 1
    restored = {**event, "user": {**event["user"], "deleted": False}}  # type: ignore[dict-item]
    await harness.drive.event(restored, event_id="Ev0REACT1")
    assert "/network" in ephemeral_text((await harness.command("alice", "/network help")).json)


async def test_unhandled_event_types_are_acknowledged(harness: Harness) -> None:
    response = await harness.drive.event(
        {"type": "reaction_added", "user": ALICE}, event_id="Ev0IGNORE"
    )
    assert response.status == 200


async def test_healthz_reports_db_and_schema(harness: Harness) -> None:
    url = harness.endpoint.replace("/slack/events", "/healthz")
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        body = await response.json()
    assert response.status == 200
    assert body["ok"] is True
    assert body["db"]["schema_version"] == body["db"]["schema_expected"] >= 2


async def test_locked_database_gives_a_busy_message_and_writes_nothing(
    tmp_path: Path,
) -> None:
    import sqlite3

    async with Harness(db_path=tmp_path / "bot.sqlite3", settings={"db_busy_ms": 100}) as h:
        await h.settle()  # the start-up jobs (retention) are done with the database
        before = await counts(h)
        other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            response = await h.command("alice", '/network join org:"Somewhere Else" country:KE')
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert response.status == 200
        assert "busy right now, so nothing was saved" in ephemeral_text(response.json)
        assert await counts(h) == before


async def test_logs_never_hold_secrets(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await harness.command("alice", "/network help")
    await harness.drive.post(b"x=1", sign=False)
    await harness.command("dana", f"/network role <@{ALICE}|alice> coordinator")
    await harness.settle()
    everything = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert harness.slack.bot_token not in everything
    assert SIGNING_SECRET not in everything


async def test_graceful_stop_finishes_background_work(harness: Harness) -> None:
    import asyncio

    finished: list[str] = []

    async def slow() -> None:
        await asyncio.sleep(0.3)
        finished.append("done")

    harness.running.background.spawn(slow(), name="slow")
    await harness.stop_bot()
    assert finished == ["done"]
