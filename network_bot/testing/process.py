"""The bot as a separate process (``network-bot run --mode http``) pointed at a stand-in:
for tests that kill it with SIGKILL, and for benchmarks that measure it from outside."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import aiohttp

from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.stand_in import SlackStandIn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_command(port: int) -> list[str]:
    """The arguments after ``python`` that serve the bot over HTTP on loopback ``port``."""
    return [
        "-m",
        "network_bot",
        "run",
        "--mode",
        "http",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


def bot_environment(
    stand_in: SlackStandIn, db_path: Path, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a bot (or a bare bolt app) pointed at ``stand_in``, logging warnings."""
    return {
        **os.environ,
        "SLACK_BOT_TOKEN": stand_in.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": stand_in.api_url,
        "SLACK_APP_TOKEN": "",
        "NETWORK_BOT_DB": str(db_path),
        "NETWORK_BOT_LOG_LEVEL": "WARNING",
        **(extra or {}),
    }


class BotProcess:
    def __init__(
        self,
        *,
        stand_in: SlackStandIn,
        db_path: Path,
        env: Mapping[str, str] | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.stand_in = stand_in
        self.db_path = db_path
        self.port = free_port()
        self.log_path = log_path
        self._env = dict(env or {})
        self.process: asyncio.subprocess.Process | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def environment(self) -> dict[str, str]:
        return bot_environment(self.stand_in, self.db_path, self._env)

    async def start(self, *, timeout: float = 30.0) -> None:
        log = await asyncio.to_thread(self._log_file)
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            *bot_command(self.port),
            env=self.environment(),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        process = self.process
        deadline = time.monotonic() + timeout
        url = f"http://127.0.0.1:{self.port}/healthz"
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if process.returncode is not None:
                    raise RuntimeError(f"the bot exited with {process.returncode}")
                try:
                    async with session.get(url) as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
        raise TimeoutError("the bot did not become healthy")

    def _log_file(self) -> int | IO[bytes]:
        if self.log_path is None:
            return subprocess.DEVNULL
        return open(self.log_path, "ab")

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut or an OOM kill."""
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self, *, timeout: float = 20.0) -> int:
        """SIGTERM and wait for the graceful shutdown; its exit code."""
        if self.process is None:
            return 0
        if self.process.returncode is None:
            self.process.terminate()
            try:
                async with asyncio.timeout(timeout):
                    await self.process.wait()
            except TimeoutError:
                await self.kill()
        return int(self.process.returncode or 0)
