"""Hostile HTTP: bad, replayed and edge-of-window signatures, odd bodies and content types."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network_bot.testing.driver import SlackRequestSigner
from network_bot.testing.harness import SIGNING_SECRET, Harness

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with Harness(db_path=tmp_path / "bot.sqlite3") as harness:
        yield harness


def command_body(text: str = "help", **fields: str) -> bytes:
    base = {
        "command": "/network",
        "text": text,
        "user_id": "U0ALICE01",
        "user_name": "alice",
        "team_id": "T0NETWORK",
        "channel_id": "C0GENERAL",
    }
    return urllib.parse.urlencode({**base, **fields}).encode()


async def nothing_written(h: Harness) -> tuple[int, ...]:
    db = h.running.db.read
    tables = ("members", "audit_log", "cases", "outbox", "alerts", "follows")
    return tuple([int(await db.fetch_value(f"SELECT count(*) FROM {t}")) for t in tables])


async def test_timestamps_at_the_window_edges(h: Harness) -> None:
    now = int(time.time())
    assert (await h.drive.post(command_body(), timestamp=now - 290)).status == 200
    assert (await h.drive.post(command_body("me"), timestamp=now - 310)).status == 401
    assert (await h.drive.post(command_body("me"), timestamp=now + 310)).status == 401


@SETTINGS
@given(
    body=st.binary(max_size=2000),
    signature=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80),
)
async def test_random_signatures_are_refused(h: Harness, body: bytes, signature: str) -> None:
    before = await nothing_written(h)
    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": signature}
    response = await h.drive.post(body, sign=False, headers=headers)
    assert response.status == 401
    assert await nothing_written(h) == before


async def test_signature_of_another_body_is_refused(h: Harness) -> None:
    signer = SlackRequestSigner(SIGNING_SECRET)
    stamp = int(time.time())
    original = command_body("me")
    headers = signer.headers(original, timestamp=stamp)
    truncated = original[:-3]
    assert (await h.drive.post(truncated, sign=False, headers=headers)).status == 401
    padded = original + b"&text=role+%3C%40U0ALICE01%3E+admin"
    assert (await h.drive.post(padded, sign=False, headers=headers)).status == 401
    wrong_secret = SlackRequestSigner("0" * 32).headers(original, timestamp=stamp)
    assert (await h.drive.post(original, sign=False, headers=wrong_secret)).status == 401


@SETTINGS
@given(
    content_type=st.sampled_from(
        [
            "text/plain",
            "application/xml",
            "multipart/form-data",
            "application/octet-stream",
            "text/html",
        ]
    )
)
async def test_wrong_content_types(h: Harness, content_type: str) -> None:
    response = await h.drive.post(command_body(), content_type=content_type)
    assert response.status == 415


@SETTINGS
@given(body=st.binary(max_size=3000))
async def test_signed_garbage_never_crashes_and_writes_nothing(h: Harness, body: bytes) -> None:
    before = await nothing_written(h)
    form = await h.drive.post(body)
    as_json = await h.drive.post(body, content_type="application/json")
    for response in (form, as_json):
        # 401 only where the bytes cannot be signed text, or hypothesis sent the same body
        # twice in one second (a replay, refused as such).
        assert response.status in {200, 400, 401}
        if response.status == 401:
            assert response.text in {"replayed request", "invalid signature"}
    assert await nothing_written(h) == before


async def test_oversized_and_truncated_json(h: Harness) -> None:
    big = b'{"type":"event_callback","event":{"type":"x","text":"' + b"a" * 1_100_000 + b'"}}'
    assert (await h.drive.post(big, content_type="application/json")).status == 413
    truncated = b'{"type":"event_callback","event":{"type":'
    assert (await h.drive.post(truncated, content_type="application/json")).status == 400


@SETTINGS
@given(text=st.text(max_size=5000))
async def test_any_command_text_gets_a_polite_answer(h: Harness, text: str) -> None:
    for command in ("/network", "/cases", "/case", "/follow", "/unfollow"):
        response = await h.drive.command("U0BOBBY02", command, text)
        assert response.status == 200
        assert response.text == "" or response.json is not None


async def test_payload_from_another_workspace_writes_nothing(h: Harness) -> None:
    before = await nothing_written(h)
    for team in ("T0ELSEWHERE", "E0GRIDORG1"):
        body = command_body("join org:Spy country:KE", team_id=team, user_id="U0SPY00001")
        response = await h.drive.post(body)
        assert "one network's workspace" in response.text
        event = await h.drive.event({"type": "app_home_opened", "user": "U0SPY00001"}, team_id=team)
        assert event.status == 200
    await h.settle()
    assert await nothing_written(h) == before
    assert h.slack.home("U0SPY00001") is None


async def test_signed_json_that_is_not_an_object_is_refused(h: Harness) -> None:
    for body in (b"0", b"[]", b'"text"', b"null", b"true"):
        response = await h.drive.post(body, content_type="application/json")
        assert response.status == 400, (body, response.status)
