"""The running bot: its services, and starting and stopping them in the right order."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.background import Background
from network_bot.channels import ChannelDirectory
from network_bot.clock import Clock
from network_bot.i18n import Catalogue
from network_bot.network_team import NetworkTeam
from network_bot.oauth.clients import WorkspaceClients
from network_bot.oauth.installation_store import NetworkInstallationStore
from network_bot.registry import Registry
from network_bot.services.alerts import Alerts
from network_bot.services.anniversaries import Anniversaries
from network_bot.services.calendar import Calendar
from network_bot.services.campaign import Campaign
from network_bot.services.cases import Cases
from network_bot.services.charting import Charts
from network_bot.services.exporting import Exports
from network_bot.services.following import Following
from network_bot.services.home import Home
from network_bot.services.redaction import Redactions
from network_bot.services.roster import Roster
from network_bot.services.timeline import Timeline
from network_bot.services.workspaces import Workspaces
from network_bot.settings import Settings
from network_bot.store.db import Database

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp


class Worker(Protocol):
    """A long-running loop the bot starts after migrations and stops before closing the DB."""

    async def start(self) -> None: ...

    async def stop(self, *, grace: float) -> None: ...

    async def is_idle(self) -> bool:
        """Nothing due is left undone (tests and benches wait for this)."""
        ...


@dataclass(kw_only=True)
class Bot:
    settings: Settings
    clock: Clock
    catalogue: Catalogue
    db: Database
    slack: AsyncWebClient
    background: Background
    registry: Registry
    roster: Roster
    cases: Cases
    alerts: Alerts
    following: Following
    timeline: Timeline
    home: Home
    calendar: Calendar
    campaign: Campaign
    charts: Charts
    redactions: Redactions
    exports: Exports
    anniversaries: Anniversaries
    channels: ChannelDirectory
    network_team: NetworkTeam
    workspaces: Workspaces
    clients: WorkspaceClients  # each workspace's client, for work outside a request
    oauth_store: NetworkInstallationStore | None  # None with one bot token
    logger: logging.Logger
    workers: list[Worker] = field(default_factory=list)
    web_clients: list[AsyncWebClient] = field(default_factory=list)
    app: AsyncApp = field(init=False)  # bolt's: the one thing called "app" here
    _running: AsyncExitStack | None = field(default=None, init=False)

    def pause_deliveries(self, seconds: float) -> None:
        """Slack said the bot's token no longer works: send nothing for a while."""
        for worker in self.workers:
            pause = getattr(worker, "pause", None)
            if pause is not None:
                pause(seconds)

    async def start(self) -> None:
        """Open and migrate the database, seed admins, open the HTTP pool, start the workers.

        Each step registers its own undoing on one stack, so a step that fails undoes the
        ones before it, and :meth:`stop` undoes them all in reverse order.
        """
        if self._running is not None:
            return
        async with AsyncExitStack() as stack:
            await self.db.open()
            stack.push_async_callback(self.db.close)
            for migration in await self.db.migrate():
                self.logger.info("applied migration %04d_%s", migration.version, migration.name)
            promoted = await self.roster.seed_admins(self.settings.admins)
            if promoted:
                self.logger.info("made %d configured user(s) admin", len(promoted))
            if await self.workspaces.ensure_home():
                self.logger.info("approved the home workspace %s", self.workspaces.home)
            await stack.enter_async_context(self._web_session())
            grace = self.settings.shutdown_grace
            for worker in self.workers:
                await worker.start()
                stack.push_async_callback(worker.stop, grace=grace)
            stack.push_async_callback(self._drain_background, grace)
            self._running = stack.pop_all()

    async def stop(self) -> None:
        """Finish in-flight work (up to the grace period), stop workers, close the database."""
        running, self._running = self._running, None
        if running is not None:
            await running.aclose()

    @property
    def started(self) -> bool:
        return self._running is not None

    @asynccontextmanager
    async def _web_session(self) -> AsyncIterator[None]:
        """One pooled session for every Web API call: slack_sdk otherwise opens a new
        connection per call, which costs time and makes the sender's pace uneven."""
        timeout = aiohttp.ClientTimeout(total=self.settings.slack_timeout)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for client in self.web_clients:
                client.session = session
            try:
                yield
            finally:
                for client in self.web_clients:
                    client.session = None

    async def _drain_background(self, grace: float) -> None:
        cancelled = await self.background.drain(grace=grace)
        if cancelled:
            self.logger.warning("cancelled %d background task(s) at shutdown", cancelled)
