"""The replay guard: a signed request is handled once, even across a restart.

Slack signs each request with its timestamp, and the signature check accepts a timestamp within
five minutes of now, so a captured request could be sent again during that window. Each valid
signature is recorded in the database (``seen_signatures``) until its window has passed; the
same signature again is refused. When the database cannot record it, the request is refused
too: a guard that cannot decide does not let the request through.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from network_bot.store import replays
from network_bot.store.db import Database

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

    async def first_time(self, *, signature: str, timestamp: str) -> bool:
        """True the first time a (valid) signature is seen; raises ``StorageError`` when it
        cannot be recorded. The key is the signature as Slack spells it (``v0=`` and
        lowercase hex); any other spelling already failed the signature check."""
        expires_at = int(timestamp) + self._window + 1
        async with self._db.transaction() as tx:
            return await replays.first_time(
                tx,
                signature=signature.strip().lower(),
                expires_at=expires_at,
                now=int(self._clock()),
            )
