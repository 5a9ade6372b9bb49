"""A whole bot on loopback: the Slack stand-in, the bot's real HTTP endpoint, and a driver.

Tests, benchmarks and the playground all use this, so they exercise the same code path Slack
would: signed HTTP into ``/slack/events``, and the bot's real slack_sdk calls out to the stand-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from network_bot.bot import Bot
from network_bot.clock import Clock
from network_bot.factory import build_bot
from network_bot.roles import Role
from network_bot.settings import Settings
from network_bot.store import members
from network_bot.testing.driver import DriverResponse, SlackDriver
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import (
    CAMPAIGN_CHANNEL,
    PEOPLE,
    REVIEW_CHANNEL,
    ROOMS,
    Person,
    Room,
    add_person,
    add_room,
)
from network_bot.web import build_endpoint

SIGNING_SECRET = "8f742231b10e8888abcd9901feed85a5"


class Harness:
    """Start with ``async with Harness(db_path=...) as h:``; every part is reachable on it."""

    def __init__(
        self,
        *,
        db_path: Path,
        clock: Clock | None = None,
        people: Sequence[Person] = PEOPLE,
        rooms: Sequence[Room] = ROOMS,
        settings: dict[str, Any] | None = None,
        rate_limits: dict[str, float] | None = None,
        channel_post_rate: float | None = None,
        strict: bool = True,
    ) -> None:
        """``strict``: stopping raises if the stand-in refused anything the bot sent for breaking
        Slack's Block Kit rules (``slack.violations``), so no test passes on a surface that real
        Slack would refuse. Tests that provoke a refusal on purpose clear ``slack.violations``."""
        self.db_path = db_path
        self.strict = strict
        self.clock = clock
        self.people = tuple(people)
        self.rooms = tuple(rooms)
        self._overrides = dict(settings or {})
        unknown = sorted(set(self._overrides) - set(Settings.model_fields))
        if unknown:  # Settings ignores names it does not know; a test must not
            raise TypeError(f"not settings: {', '.join(unknown)}")
        self.slack = SlackStandIn(rate_limits=rate_limits, channel_post_rate=channel_post_rate)
        self._runner: web.AppRunner | None = None
        self.bot: Bot | None = None
        self.driver: SlackDriver | None = None
        self.endpoint = ""

    async def __aenter__(self) -> Harness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def settings(self) -> Settings:
        admins = tuple(p.user_id for p in self.people if p.role is Role.ADMIN)
        values: dict[str, Any] = {
            "slack_bot_token": SecretStr(self.slack.bot_token),
            "slack_signing_secret": SecretStr(SIGNING_SECRET),
            "slack_app_token": SecretStr(self.slack.app_token),
            "slack_api_url": self.slack.api_url,
            "db": self.db_path,
            "admins": admins,
            "review_channel": REVIEW_CHANNEL,
            "campaign_channel": CAMPAIGN_CHANNEL,
            "shutdown_grace": 5.0,
            # Tests are not about pacing: let the sender go as fast as the stand-in allows.
            # Tests of rate limits set these (and the stand-in's limits) themselves.
            "workspace_rate": 500.0,
            "channel_rate": 100.0,
        }
        values.update(self._overrides)
        return Settings.model_validate(values)

    async def start(self) -> None:
        await self.slack.start()
        for person in self.people:
            add_person(self.slack, person)
        for room in self.rooms:
            add_room(self.slack, room)
        await self.start_bot()

    async def start_bot(self) -> None:
        """Build and serve a bot on the same database (again, after ``stop_bot``)."""
        self.bot = build_bot(self.settings(), clock=self.clock)
        self._runner = web.AppRunner(build_endpoint(self.bot), shutdown_timeout=5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.endpoint = f"http://127.0.0.1:{port}/slack/events"
        await self._seed_roles()
        self.driver = SlackDriver(
            endpoint=self.endpoint,
            signing_secret=SIGNING_SECRET,
            stand_in=self.slack,
            team_id=self.slack.team_id,
        )

    async def _seed_roles(self) -> None:
        """Put the demo people on the roster with their roles, as an admin would have: once.

        People already seeded (on the roster with their details) keep the role and details they
        have now, so a database kept between runs (the playground's ``--db``) keeps every change
        made in it.
        """
        assert self.bot is not None
        now = self.bot.clock.now()
        async with self.bot.db.transaction() as tx:
            for p in self.people:
                new = await members.add_if_new(
                    tx,
                    user_id=p.user_id,
                    team_id=self.slack.team_id,
                    display_name=p.handle,
                    now=now,
                )
                current = await members.get(tx, p.user_id)
                seeded = current is not None and (current.organisation or current.country)
                if not new and seeded:
                    continue  # on the roster from an earlier run: keep what it is now
                await members.set_role(tx, user_id=p.user_id, role=p.role, now=now)
                await members.set_details(
                    tx,
                    user_id=p.user_id,
                    organisation=p.organisation,
                    country=p.country,
                    language=p.locale.split("-")[0],  # as Slack's locale had told the bot
                    now=now,
                )
        self.bot.roster.forget_all()

    async def stop_bot(self) -> None:
        if self.driver is not None:
            await self.driver.close()
            self.driver = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.bot = None

    async def stop(self) -> None:
        await self.stop_bot()
        await self.slack.close()
        if self.strict and self.slack.violations:
            listed = "\n".join(f"- {v}" for v in self.slack.violations[:20])
            raise AssertionError(f"Slack would have refused what the bot sent:\n{listed}")

    @property
    def running(self) -> Bot:
        assert self.bot is not None, "the bot is not running"
        return self.bot

    @property
    def drive(self) -> SlackDriver:
        assert self.driver is not None, "the bot is not running"
        return self.driver

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until the bot has finished everything a request set off (after the ack)."""
        bot = self.running
        async with asyncio.timeout(timeout):
            while True:
                await bot.background.settle()
                idle = True
                for worker in bot.workers:
                    if not await worker.is_idle():
                        idle = False
                if idle and bot.background.pending == 0:
                    return
                await asyncio.sleep(0.01)

    async def command(
        self, user: str, line: str, *, channel_id: str = "C0GENERAL"
    ) -> DriverResponse:
        """``await h.command("alice", "/network join country:KE")``."""
        name, _, text = line.strip().partition(" ")
        return await self.drive.command(self.user_id(user), name, text, channel_id=channel_id)

    def user_id(self, user: str) -> str:
        for p in self.people:
            if user.lstrip("@") in (p.handle, p.user_id):
                return p.user_id
        return user
