"""bolt's OAuth state store on the bot's SQLite file.

A state is issued when the install page is shown (and set in the installer's browser cookie by
bolt) and consumed once by the redirect, within its lifetime; a redirect with an unknown, used
or expired state is refused by bolt's flow.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from network_bot.store import installations
from network_bot.store.db import Database, StorageError


class NetworkStateStore(AsyncOAuthStateStore):
    """States of installs in progress, kept beside the installations."""

    def __init__(
        self, *, db: Database, expiration_seconds: int, logger: logging.Logger | None = None
    ) -> None:
        self._db = db
        self.expiration_seconds = expiration_seconds
        self._logger = logger or logging.getLogger("network_bot.oauth")

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        async with self._db.transaction() as tx:
            await installations.add_state(
                tx, state=state, expire_at=time.time() + self.expiration_seconds
            )
        return state

    async def async_consume(self, state: str) -> bool:
        if not state or len(state) > 200:
            return False
        try:
            async with self._db.transaction() as tx:
                return await installations.consume_state(tx, state=state, now=time.time())
        except StorageError as error:
            self._logger.warning("could not check an OAuth state: %s", type(error).__name__)
            return False
