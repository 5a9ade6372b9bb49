"""The running bot: its services, and starting and stopping them in the right order."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.background import Background
from network_bot.channels import ChannelDirectory
from network_bot.clock import Clock
from network_bot.registry import Registry
from network_bot.services.alerts import Alerts
from network_bot.services.calendar import Calendar
from network_bot.services.cases import Cases
from network_bot.services.exporting import Exports
from network_bot.services.following import Following
from network_bot.services.home import Home
from network_bot.services.redaction import Redactions
from network_bot.services.roster import Roster
from network_bot.services.timeline import Timeline
from network_bot.settings import Settings
from network_bot.store.db import Database

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp


class Worker(Protocol):
    """A long-running loop the bot starts after migrations and stops before closing the DB."""

    async def start(self) -> None: ...

    async def stop(self, *, grace: float) -> None: ...


@dataclass(kw_only=True)
class Bot:
    settings: Settings
    clock: Clock
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
    redactions: Redactions
    exports: Exports
    channels: ChannelDirectory
    logger: logging.Logger
    workers: list[Worker] = field(default_factory=list)
    web_clients: list[AsyncWebClient] = field(default_factory=list)
    bolt: AsyncApp = field(init=False)
    started: bool = field(default=False, init=False)
    _session: aiohttp.ClientSession | None = field(default=None, init=False)

    def outbox_changed(self) -> None:
        """Something was queued: let the delivery worker look now rather than at its next poll."""
        for worker in self.workers:
            wake = getattr(worker, "wake", None)
            if wake is not None:
                wake()

    async def start(self) -> None:
        """Open and migrate the database, seed admins, then start the workers."""
        if self.started:
            return
        await self.db.open()
        applied = await self.db.migrate()
        for migration in applied:
            self.logger.info("applied migration %04d_%s", migration.version, migration.name)
        promoted = await self.roster.seed_admins(self.settings.admins)
        if promoted:
            self.logger.info("made %d configured user(s) admin", len(promoted))
        # One pooled session for every Web API call: slack_sdk otherwise opens a new
        # connection per call, which costs time and makes the sender's pace uneven.
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.settings.slack_timeout_seconds)
        )
        for client in self.web_clients:
            client.session = self._session
        for worker in self.workers:
            await worker.start()
        self.started = True

    async def stop(self) -> None:
        """Finish in-flight work (up to the grace period), stop workers, close the database."""
        grace = self.settings.shutdown_grace_seconds
        cancelled = await self.background.drain(grace=grace)
        if cancelled:
            self.logger.warning("cancelled %d background task(s) at shutdown", cancelled)
        for worker in reversed(self.workers):
            await worker.stop(grace=grace)
        if self._session is not None:
            for client in self.web_clients:
                client.session = None
            await self._session.close()
            self._session = None
        await self.db.close()
        self.started = False
