"""Jobs that run every so often (status refreshes, digests, the campaign calendar).

Each job must be safe to run twice: what it sends is queued in the outbox under a dedupe key
(per member and date, per case and anniversary...), so a restart or an overlap never posts twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from network_bot.logs import describe_exception


@dataclass
class Job:
    name: str
    interval: float
    run: Callable[[], Awaitable[Any]]
    has_work: Callable[[], bool] | None = None
    on_wake: bool = False
    woken: bool = False
    # Never run: due at start-up. (0.0 made a job wait out its interval whenever the host's
    # monotonic clock was younger than it, e.g. retention for the first hour after a boot.)
    last: float = float("-inf")


class Scheduler:
    def __init__(self, *, logger: logging.Logger, tick: float = 0.25) -> None:
        self._jobs: list[Job] = []
        self._logger = logger
        self._tick = tick
        self._task: asyncio.Task[None] | None = None
        self._running = False
        self._nudged = asyncio.Event()

    def every(
        self,
        seconds: float,
        name: str,
        run: Callable[[], Awaitable[Any]],
        *,
        has_work: Callable[[], bool] | None = None,
        on_wake: bool = False,
    ) -> None:
        """Run ``run`` every ``seconds`` (and at the next tick after :meth:`wake` if
        ``on_wake``); ``has_work`` lets a test harness wait for it."""
        self._jobs.append(Job(name, seconds, run, has_work, on_wake))

    def wake(self) -> None:
        """Something changed: run the jobs that asked for it now, not at their next turn."""
        woke = False
        for job in self._jobs:
            if job.on_wake:
                job.woken = woke = True
        if woke:
            self._nudged.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._loop(), name="scheduler")

    async def stop(self, *, grace: float) -> None:
        if self._task is None:
            return
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)
        self._task = None

    async def is_idle(self) -> bool:
        return not self._running and not any(
            j.woken or (j.has_work and j.has_work()) for j in self._jobs
        )

    async def run_due(self, *, force: bool = False) -> None:
        now = time.monotonic()
        for job in self._jobs:
            if not force and not job.woken and now - job.last < job.interval:
                continue
            job.last = now
            job.woken = False
            self._running = True
            try:
                await job.run()
            except Exception as error:
                self._logger.error("job %s failed: %s", job.name, describe_exception(error))
            finally:
                self._running = False

    async def _loop(self) -> None:
        while True:
            await self.run_due()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._nudged.wait(), self._tick)
            self._nudged.clear()
