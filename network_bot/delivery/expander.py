"""The worker that queues confirmed alerts' audiences (``network_bot.services.expansion``).

Woken when an alert is confirmed (and looking every few seconds besides), it takes the waiting
alerts oldest first and queues each a page per transaction, yielding between pages so requests
get the database in between. At start-up it resumes whatever a crash left half queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from network_bot.logs import describe_exception
from network_bot.services.expansion import Expansion
from network_bot.store.db import StorageError


class AudienceExpander:
    def __init__(
        self, *, expansion: Expansion, logger: logging.Logger, poll_interval: float = 5.0
    ) -> None:
        self._expansion = expansion
        self._log = logger
        self._poll = poll_interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._busy = False

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="expansion")

    async def stop(self, *, grace: float) -> None:
        """A page in flight rolls back; the next start resumes after the last committed one."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def is_idle(self) -> bool:
        return not self._busy and not await self._expansion.waiting()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                worked = await self._expand_all()
            except StorageError as error:
                self._log.warning("alert audiences could not be queued: %s", type(error).__name__)
                worked = False
            except Exception as error:
                self._log.error(
                    "queueing an alert's audience failed: %s", describe_exception(error)
                )
                worked = False
            if not worked:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self._poll)

    async def _expand_all(self) -> bool:
        waiting = await self._expansion.waiting()
        if not waiting:
            return False
        self._busy = True
        try:
            for alert_id in waiting:
                done = False
                while not done:
                    done = await self._expansion.step(alert_id)
                    await asyncio.sleep(0)  # let requests have the database between pages
        finally:
            self._busy = False
        return True
