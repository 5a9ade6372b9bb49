"""The replay guard: a signed request is handled once, even across a restart.

Slack signs each request with its timestamp, and the signature check accepts a timestamp within
five minutes of now, so a captured request could be sent again during that window. Each valid
signature is recorded in the database (``seen_signatures``) until its window has passed, before
the request is handled; the same signature again is refused. When the database cannot record
it (busy, read-only, full), the process keeps it in memory, so a replay is still refused, and
writes it with the next batch that succeeds; meanwhile the request's own writes fail the same
way, so it can change nothing (reads still work during maintenance).

Requests arriving together share one write transaction (a group commit), committed without
waiting for the disk to flush: each request waits until its signature is committed (so a
``kill -9`` and restart remembers it), but neither an fsync per request nor a transaction per
request stands between Slack and the ack. A power cut may forget the last few signatures.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from network_bot.store import replays
from network_bot.store.db import Database

log = logging.getLogger("network_bot.replays")

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
        # Signatures the database could not take (busy, read-only, full): kept here, so a
        # replay is still refused, and written with the next batch that succeeds.
        self._unrecorded: dict[str, int] = {}
        self._writer: asyncio.Task[None] | None = None

    async def first_time(self, *, signature: str, timestamp: str) -> bool:
        """True the first time a (valid) signature is seen. The key is the signature as Slack
        spells it (``v0=`` and lowercase hex); any other spelling failed the signature check."""
        key = signature.strip().lower()
        if key in self._waiting or key in self._unrecorded:
            return False  # the same request twice in one batch, or kept in memory: a replay
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
            now = int(self._clock())
            self._unrecorded = {k: e for k, e in self._unrecorded.items() if e >= now}
            pending = {**self._unrecorded, **{key: e for key, (e, _) in batch.items()}}
            try:
                async with self._db.transaction(synced=False) as tx:
                    new = await replays.record(tx, pending, now=now)
            except Exception as error:  # the database cannot take them: remember them here
                log.warning("replay guard: signatures kept in memory (%s)", type(error).__name__)
                for key, (expires, future) in batch.items():
                    self._unrecorded[key] = expires
                    if not future.done():
                        future.set_result(True)
                continue
            for key in list(self._unrecorded):
                self._unrecorded.pop(key, None)
            for key, (_, future) in batch.items():
                if not future.done():
                    future.set_result(key in new)
