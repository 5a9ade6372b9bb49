"""The replay guard: a signed request is handled once, even across a restart.

Slack signs each request with its timestamp, and the signature check accepts a timestamp within
five minutes of now, so a captured request could be sent again during that window. Each valid
signature is recorded in the database (``seen_signatures``) until its window has passed, before
the request is handled; the same signature again is refused. When the database cannot record
it, the request is refused too: a guard that cannot decide does not let the request through.

Requests arriving together share one write transaction (a group commit), committed without
waiting for the disk to flush: each request waits until its signature is committed (so a
``kill -9`` and restart remembers it), but neither an fsync per request nor a transaction per
request stands between Slack and the ack. A power cut may forget the last few signatures.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from network_bot.store import replays
from network_bot.store.db import Database, StorageError

SIGNATURE_WINDOW_SECONDS = 300  # slack_sdk's SignatureVerifier accepts |now - timestamp| <= 300


class ReplayGuard:
    def __init__(
        self,
        *,
        db: Database,
        window: int = SIGNATURE_WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._window = window
        self._clock = clock
        self._waiting: dict[str, tuple[int, asyncio.Future[bool]]] = {}
        self._writer: asyncio.Task[None] | None = None

    async def first_time(self, *, signature: str, timestamp: str) -> bool:
        """True once a (valid) signature is recorded for the first time; raises
        ``StorageError`` when it cannot be recorded. The key is the signature as Slack spells
        it (``v0=`` and lowercase hex); any other spelling already failed the signature check."""
        key = signature.strip().lower()
        if key in self._waiting:
            return False  # the same request twice in one batch: the second is a replay
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting[key] = (int(timestamp) + self._window + 1, future)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.get_running_loop().create_task(
                self._write(), name="replay-guard"
            )
        return await future

    async def _write(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, {}
            try:
                async with self._db.transaction(synced=False) as tx:
                    new = await replays.record(
                        tx,
                        {key: expires for key, (expires, _) in batch.items()},
                        now=int(self._clock()),
                    )
            except Exception as error:  # every waiting request is answered, none hangs
                failure = error if isinstance(error, StorageError) else StorageError(str(error))
                for _, future in batch.values():
                    if not future.done():
                        future.set_exception(failure)
                continue
            for key, (_, future) in batch.items():
                if not future.done():
                    future.set_result(key in new)
