"""The database misbehaving under a member's feet: locked, read-only, out of space."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from network_bot.clock import ManualClock
from network_bot.testing.flows import GOOD, open_report
from network_bot.testing.harness import Harness

ALICE = "U0ALICE01"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    clock = ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with Harness(
        db_path=tmp_path / "bot.sqlite3", clock=clock, settings={"db_busy_ms": 150}
    ) as harness:
        yield harness


async def rows(h: Harness) -> tuple[int, int, int]:
    db = h.running.db.read
    return (
        int(await db.fetch_value("SELECT count(*) FROM cases")),
        int(await db.fetch_value("SELECT count(*) FROM outbox")),
        int(await db.fetch_value("SELECT count(*) FROM case_counters")),
    )


async def test_locked_database_keeps_the_form_open_and_writes_nothing(
    h: Harness, tmp_path: Path
) -> None:
    view = await open_report(h, "alice")
    before = await rows(h)
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        response = await h.drive.submit_view(ALICE, view, GOOD)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.json is not None and response.json["response_action"] == "errors"
    assert "busy right now, so nothing was saved" in str(response.json["errors"])
    assert await rows(h) == before
    assert h.slack.views_for(ALICE), "the person's input is still on screen"
    again = await h.drive.submit_view(ALICE, view, GOOD)
    assert again.json is not None and again.json["response_action"] == "update"
    assert (await rows(h))[0] == before[0] + 1


async def test_full_disk_is_reported_and_nothing_is_half_written(h: Harness) -> None:
    view = await open_report(h, "alice")
    writer = h.running.db._writer  # the fault is injected on the bot's own connection
    assert writer is not None
    pages = (await (await writer.execute("PRAGMA page_count")).fetchone())[0]  # type: ignore[index]
    await writer.execute(f"PRAGMA max_page_count = {pages + 2}")
    refused = None
    for attempt in range(40):  # fill the little room left, then one more
        before = await rows(h)
        response = await h.drive.submit_view(
            ALICE, view, {**GOOD, "summary": f"{attempt} " + "long text " * 240}
        )
        assert response.json is not None
        if response.json["response_action"] == "errors":
            refused = response.json
            assert await rows(h) == before, "a refused report leaves no trace"
            break
        h.slack.clear_views(ALICE)
        view = await open_report(h, "alice")
    assert refused is not None, "the disk never filled"
    assert "out of space" in str(refused["errors"])
    await writer.execute("PRAGMA max_page_count = 1073741823")
    again = await h.drive.submit_view(ALICE, view, GOOD)
    assert again.json is not None and again.json["response_action"] == "update"


async def test_read_only_database_is_explained(h: Harness) -> None:
    before = await rows(h)
    writer = h.running.db._writer
    assert writer is not None
    await writer.execute("PRAGMA query_only = 1")
    try:
        response = await h.command("alice", '/network join org:"Somewhere" country:KE')
        view = await open_report(h, "bob")
        submitted = await h.drive.submit_view("U0BOBBY02", view, GOOD)
    finally:
        await writer.execute("PRAGMA query_only = 0")
    assert "read-only" in str(response.json)
    assert submitted.json is not None and "read-only" in str(submitted.json["errors"])
    assert await rows(h) == before
