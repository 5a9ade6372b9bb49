"""Shared fixtures: a whole bot on loopback against the Slack stand-in, on a temp SQLite file."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from network_bot.clock import ManualClock
from network_bot.testing.harness import Harness
from network_bot.testing.seeding import seed_varied_record


@pytest.fixture
def clock() -> ManualClock:
    """A clock tests move by hand, at 2026-11-25 09:00 UTC to start."""
    return ManualClock()


@pytest.fixture
async def h(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Harness]:
    """The whole bot on ``clock``, the way most tests meet it; a module needing other people,
    settings or a real clock defines its own ``h``."""
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock) as harness:
        yield harness


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """The real clock; tests about dates build their own Harness with a ``ManualClock``."""
    async with Harness(db_path=tmp_path / "bot.sqlite3") as h:
        yield h


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A database file holding a varied record (``seed_varied_record``), and its cases' IDs."""
    path = tmp_path / "bot.sqlite3"
    return path, asyncio.run(seed_varied_record(path))
