"""Which Web API client acts in each workspace, for work done outside a request.

A request already carries its workspace's client (bolt's authorize put the token on it). The
sender, the channel directory and the scheduled jobs ask here instead: with one bot token
(``SLACK_BOT_TOKEN``) every workspace key is that token's; with OAuth each workspace's own bot
token comes from the installation store, rotated when it is due (slack_sdk's token rotator, the
same one bolt's authorize uses), one rotation at a time per workspace. ``''`` is the home
workspace. A workspace without a usable install raises :class:`WorkspaceUnavailable`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.oauth.installation_store import NetworkInstallationStore
from network_bot.store import workspaces
from network_bot.store.db import Database, StorageError

ROTATE_MINUTES = 120  # rotate when a token has less than this left (bolt's own default)


class WorkspaceUnavailable(Exception):
    """No usable bot token for the workspace (not installed, uninstalled, or unreadable)."""

    def __init__(self, workspace_id: str, why: str) -> None:
        super().__init__(f"{workspace_id or 'home'}: {why}")
        self.workspace_id = workspace_id
        self.why = why


@dataclass(frozen=True, kw_only=True)
class _Cached:
    token: str
    expires_at: float | None


class WorkspaceTokens:
    """Each workspace's bot token (cached until it is due for rotation)."""

    def __init__(
        self,
        *,
        db: Database | None = None,
        store: NetworkInstallationStore | None = None,
        rotator: AsyncTokenRotator | None = None,
        fixed: str | None = None,
        home: str | None = None,
        rotate_minutes: int = ROTATE_MINUTES,
        logger: logging.Logger | None = None,
    ) -> None:
        if fixed is None and (store is None or db is None):
            raise ValueError("either one fixed token or an installation store")
        self._db = db
        self._store = store
        self._rotator = rotator
        self._fixed = fixed
        self.home = home
        self._rotate_seconds = rotate_minutes * 60
        self._cache: dict[str, _Cached] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._log = logger or logging.getLogger("network_bot.oauth")

    @property
    def many(self) -> bool:
        return self._fixed is None

    def key(self, workspace_id: str) -> str:
        """'' and the home team's ID name the same workspace."""
        return workspace_id or (self.home or "")

    def forget(self, workspace_id: str | None = None) -> None:
        """Drop a cached token (after a refusal, an uninstall or a new install)."""
        if workspace_id is None:
            self._cache.clear()
        else:
            self._cache.pop(self.key(workspace_id), None)

    async def token(self, workspace_id: str) -> str:
        if self._fixed is not None:
            return self._fixed
        key = self.key(workspace_id)
        cached = self._cache.get(key)
        if cached is not None and not self._due(cached.expires_at):
            return cached.token
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            cached = self._cache.get(key)
            if cached is not None and not self._due(cached.expires_at):
                return cached.token
            bot = await self._bot(key)
            self._cache[key] = _Cached(token=bot.bot_token, expires_at=bot.bot_token_expires_at)
            return bot.bot_token

    def _due(self, expires_at: float | None) -> bool:
        return expires_at is not None and expires_at - time.time() < self._rotate_seconds

    async def _bot(self, key: str) -> Bot:
        assert self._store is not None and self._db is not None
        if not key:
            raise WorkspaceUnavailable(key, "no home workspace is configured")
        try:
            entry = await workspaces.get(self._db.read, key)
        except StorageError as error:
            raise WorkspaceUnavailable(key, type(error).__name__) from None
        org_wide = bool(entry and entry.is_enterprise_install)
        bot = await self._store.async_find_bot(
            enterprise_id=(entry.enterprise_id if entry else None) if org_wide else None,
            team_id=None if org_wide else key,
            is_enterprise_install=org_wide,
        )
        if bot is None and entry is not None and entry.enterprise_id and not org_wide:
            bot = await self._store.async_find_bot(enterprise_id=entry.enterprise_id, team_id=key)
        if bot is None:
            raise WorkspaceUnavailable(key, "the bot is not installed there")
        if bot.bot_refresh_token is not None and self._due(bot.bot_token_expires_at):
            bot = await self._rotate(key, bot)
        return bot

    async def _rotate(self, key: str, bot: Bot) -> Bot:
        if self._rotator is None or self._store is None:
            raise WorkspaceUnavailable(key, "its token expires and no rotator is configured")
        try:
            refreshed = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=self._rotate_seconds // 60
            )
        except (SlackTokenRotationError, SlackApiError) as error:
            self._log.error("token rotation for %s failed: %s", key, type(error).__name__)
            raise WorkspaceUnavailable(key, "its token could not be rotated") from None
        if refreshed is None:
            return bot
        await self._store.async_save_bot(refreshed)
        self._log.info("rotated the bot token of %s", key)
        return refreshed

    def current(self) -> set[str]:
        """The tokens in use now."""
        return {c.token for c in self._cache.values()}

    async def rotate_due(self) -> int:
        """Rotate every cached token that is due (a periodic job, so requests rarely must)."""
        count = 0
        for key, cached in list(self._cache.items()):
            if self._due(cached.expires_at):
                self._cache.pop(key, None)
                try:
                    await self.token(key)
                    count += 1
                except WorkspaceUnavailable as error:
                    self._log.warning("could not refresh the token of %s: %s", key, error.why)
        return count


class WorkspaceClients:
    """One ``AsyncWebClient`` per token, shaped like ``template`` (base URL, timeout, retries,
    and the bot's pooled HTTP session)."""

    def __init__(
        self,
        *,
        tokens: WorkspaceTokens,
        template: AsyncWebClient,
    ) -> None:
        self.tokens = tokens
        self._template = template
        self._clients: dict[str, AsyncWebClient] = {}

    @property
    def timeout(self) -> float:
        """Seconds a call may take (the template's)."""
        return float(self._template.timeout)

    async def client(self, workspace_id: str) -> AsyncWebClient:
        token = await self.tokens.token(workspace_id)
        found = self._clients.get(token)
        if found is None:
            if not self.tokens.many:
                found = self._template
            else:
                t = self._template
                found = AsyncWebClient(
                    token=token,
                    base_url=t.base_url,
                    timeout=t.timeout,
                    retry_handlers=list(t.retry_handlers),
                    logger=t.logger,
                    session=t.session,
                )
            live = self.tokens.current() | {token}  # a rotated-out token's client goes
            self._clients = {k: v for k, v in self._clients.items() if k in live}
            self._clients[token] = found
        if found.session is None and self._template.session is not None:
            found.session = self._template.session
        return found
