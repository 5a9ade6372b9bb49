"""Shared fixtures: a whole bot on loopback against the Slack stand-in, on a temp SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from network_bot.clock import ManualClock
from network_bot.testing.harness import Harness


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    """The real clock; tests about dates build their own Harness with a ``ManualClock``."""
    async with Harness(db_path=tmp_path / "bot.sqlite3") as h:
        yield h


def ephemeral_text(body: dict[str, object] | None) -> str:
    """All the text of an ack body, blocks included, to assert on what a person saw."""
    if not body:
        return ""
    parts = [str(body.get("text", ""))]
    for block in body.get("blocks", []) or []:  # type: ignore[union-attr]
        parts.append(block_text(block))
    return "\n".join(parts)


def block_text(block: object) -> str:
    if isinstance(block, dict):
        return " ".join(block_text(v) for k, v in block.items() if k not in {"type", "action_id"})
    if isinstance(block, list):
        return " ".join(block_text(v) for v in block)
    return str(block) if isinstance(block, str) else ""
