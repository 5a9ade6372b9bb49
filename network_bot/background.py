"""Work that runs after the ack, tracked so a graceful shutdown can wait for it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any


class Background:
    """A set of tasks the app owns; failures are logged, never lost silently."""

    def __init__(self, *, logger: logging.Logger) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._logger = logger
        self._closing = False

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any] | None:
        if self._closing:
            work.close()
            self._logger.warning("shutting down; dropped background work %s", name)
            return None
        task = asyncio.get_running_loop().create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            self._logger.error(
                "background work %s failed: %s",
                task.get_name(),
                type(error).__name__,
                exc_info=error,
            )

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def settle(self) -> None:
        """Wait until nothing is running (tests use this to observe the effects of a request)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def drain(self, *, grace: float) -> int:
        """Stop taking work, wait up to ``grace`` seconds, cancel the rest; return how many."""
        self._closing = True
        if not self._tasks:
            return 0
        _done, still = await asyncio.wait(list(self._tasks), timeout=grace)
        for task in still:
            task.cancel()
        if still:
            await asyncio.gather(*still, return_exceptions=True)
        return len(still)
