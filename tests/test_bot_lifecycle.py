"""Start and stop are one stack: a step that fails undoes the steps before it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from network_bot.factory import build_bot
from network_bot.settings import Settings


class RecordingWorker:
    def __init__(self) -> None:
        self.started = self.stopped = False

    async def start(self) -> None:
        self.started = True

    async def stop(self, *, grace: float) -> None:
        self.stopped = True

    async def is_idle(self) -> bool:
        return True


class BrokenWorker:
    def __init__(self) -> None:
        self.stopped = False

    async def start(self) -> None:
        raise RuntimeError("cannot start")

    async def stop(self, *, grace: float) -> None:
        self.stopped = True

    async def is_idle(self) -> bool:
        return True


async def test_a_failed_start_undoes_what_had_started(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {
            "SLACK_BOT_TOKEN": SecretStr("xoxb-test"),
            "SLACK_SIGNING_SECRET": SecretStr("8f742231b10e8888abcd9901feed85a5"),
            "NETWORK_BOT_DB": tmp_path / "bot.sqlite3",
            "SLACK_API_URL": "http://127.0.0.1:9/api/",
        }
    )
    bot = build_bot(settings)
    recording, broken = RecordingWorker(), BrokenWorker()
    bot.workers += [recording, broken]
    with pytest.raises(RuntimeError, match="cannot start"):
        await bot.start()
    assert not bot.started
    assert not broken.stopped, "a worker that never started is not stopped"
    assert recording.started and recording.stopped, "what had started is stopped again"
    with pytest.raises(RuntimeError, match="not been awaited"):
        async with bot.db.transaction():
            pass  # the database was closed again
    assert all(client.session is None for client in bot.web_clients)
    # And a second start, after the cause is gone, works from scratch.
    bot.workers.remove(broken)
    await bot.start()
    assert bot.started
    await bot.stop()
    assert not bot.started
