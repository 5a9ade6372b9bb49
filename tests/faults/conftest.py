"""Fault tests run the bot in child processes; none may outlive its test, pass or fail."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from network_bot.testing.process import BotProcess


@pytest.fixture
async def processes() -> AsyncIterator[list[BotProcess]]:
    """Append each ``BotProcess`` here; whatever still runs at the end is killed."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        await bot.kill()
