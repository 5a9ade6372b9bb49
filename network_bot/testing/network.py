"""A network of several workspaces on loopback: the home workspace and partner organisations'.

The bot runs with OAuth settings (no ``SLACK_BOT_TOKEN``): the home workspace installs it through
the real install pages when the harness starts (and is approved from the start), partners
install it when a test says so, and each workspace is driven by its own driver, so every request
carries that workspace's team and every reply goes out with that workspace's token.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet
from pydantic import SecretStr

from network_bot.oauth.scopes import BOT_SCOPES
from network_bot.settings import Settings
from network_bot.testing.driver import DriverResponse, SlackDriver
from network_bot.testing.harness import SIGNING_SECRET, Harness
from network_bot.testing.installs import InstallOutcome, install
from network_bot.testing.stand_in import OAuthApp, Team
from network_bot.testing.workspace import PARTNER, Partner, Person, add_person, add_room

CLIENT_ID = "4242424242.2424242424"
CLIENT_SECRET = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"


class NetworkHarness(Harness):
    def __init__(
        self,
        *,
        partners: Sequence[Partner] = (PARTNER,),
        token_rotation: bool = False,
        token_lifetime: float = 43200,
        **harness: Any,
    ) -> None:
        super().__init__(**harness)
        self.partners = tuple(partners)
        self.secret_key = Fernet.generate_key().decode()
        self._rotation = token_rotation
        self._lifetime = token_lifetime
        self._drivers: dict[str, SlackDriver] = {}
        self._home_installed = False

    def settings(self) -> Settings:
        values = super().settings().model_dump(by_alias=False)
        values.update(
            {
                "slack_bot_token": None,
                "slack_client_id": CLIENT_ID,
                "slack_client_secret": SecretStr(CLIENT_SECRET),
                "secret_key": SecretStr(self.secret_key),
                "home_team": self.slack.team_id,
                "slack_signing_secret": SecretStr(SIGNING_SECRET),
                "slack_app_token": None,
            }
        )
        values.update(self._overrides)
        return Settings.model_validate(values)

    @property
    def bot_url(self) -> str:
        return self.endpoint.removesuffix("/slack/events")

    async def start(self) -> None:
        for partner in self.partners:
            team = self.slack.add_team(
                partner.team_id,
                partner.name,
                enterprise_id=partner.enterprise_id,
                enterprise_name=partner.enterprise_name,
            )
            for person in partner.people:
                add_person(team, person)
            for room in partner.rooms:
                add_room(team, room)
        await super().start()

    async def start_bot(self) -> None:
        await super().start_bot()
        self._drivers.clear()
        self.slack.configure_oauth(
            OAuthApp(
                client_id=CLIENT_ID,
                client_secret=CLIENT_SECRET,
                scopes=frozenset(BOT_SCOPES),
                redirect_urls=(f"{self.bot_url}/slack/oauth_redirect",),
                token_rotation=self._rotation,
                token_lifetime=self._lifetime,
            )
        )
        if not self._home_installed:
            admin = next(p for p in self.people if p.role.value == "admin")
            outcome = await self.install(self.slack.team_id, admin.user_id)
            assert outcome.status == 200, outcome.page
            self._home_installed = True

    async def stop_bot(self) -> None:
        for driver in self._drivers.values():
            await driver.close()
        self._drivers.clear()
        await super().stop_bot()

    async def install(
        self, team_id: str, user: str, *, org_wide: bool = False, deny: bool = False
    ) -> InstallOutcome:
        """Someone in ``team_id`` adds the bot to it through the install pages."""
        return await install(
            self.slack,
            self.bot_url,
            team_id=team_id,
            user_id=self.user_id(user),
            org_wide=org_wide,
            deny=deny,
        )

    def drive_in(self, team_id: str) -> SlackDriver:
        """A driver sending what Slack sends from that workspace."""
        if team_id == self.slack.team_id:
            return self.drive
        if team_id not in self._drivers:
            self._drivers[team_id] = SlackDriver(
                endpoint=self.endpoint,
                signing_secret=SIGNING_SECRET,
                stand_in=self.slack.team(team_id),
                team_id=team_id,
            )
        return self._drivers[team_id]

    async def __aenter__(self) -> NetworkHarness:
        await self.start()
        return self

    def everyone(self) -> list[Person]:
        """The home workspace's people and every partner's."""
        return [*self.people, *(p for partner in self.partners for p in partner.people)]

    def team_of(self, user_id: str) -> Team:
        """The stand-in workspace someone uses."""
        for partner in self.partners:
            if any(p.user_id == user_id for p in partner.people):
                return self.slack.team(partner.team_id)
        return self.slack

    def person(self, user: str) -> tuple[str, Person]:
        """Which workspace someone uses, and who they are."""
        for p in self.people:
            if user.lstrip("@") in (p.handle, p.user_id):
                return self.slack.team_id, p
        for partner in self.partners:
            for p in partner.people:
                if user.lstrip("@") in (p.handle, p.user_id):
                    return partner.team_id, p
        raise KeyError(user)

    def user_id(self, user: str) -> str:
        try:
            return self.person(user)[1].user_id
        except KeyError:
            return user

    async def command(
        self, user: str, line: str, *, channel_id: str | None = None
    ) -> DriverResponse:
        """``await h.command("pedro", "/report")``: from the person's own workspace."""
        team_id, person = self.person(user)
        name, _, text = line.strip().partition(" ")
        channel = channel_id or self._general(team_id)
        return await self.drive_in(team_id).command(person.user_id, name, text, channel_id=channel)

    def general(self, team_id: str) -> str:
        """Where people of that workspace type commands (its first channel)."""
        return self._general(team_id)

    def _general(self, team_id: str) -> str:
        if team_id == self.slack.team_id:
            return "C0GENERAL"
        partner = next(p for p in self.partners if p.team_id == team_id)
        return partner.rooms[0].channel_id if partner.rooms else "C0GENERAL"

    def escape_mentions(self, text: str) -> str:
        """What Slack does for commands with should_escape: @name -> <@U...|name>."""

        def user(match: re.Match[str]) -> str:
            found = self._typed_user(match[1])
            return f"<@{found}|{match[1]}>" if found else match[0]

        def channel(match: re.Match[str]) -> str:
            for c in (c for team in self.slack.teams.values() for c in team.channels.values()):
                if c["name"] == match[1].lower():
                    return f"<#{c['id']}|{match[1]}>"
            return match[0]

        text = re.sub(r"(?<![\w<])@([A-Za-z][A-Za-z0-9_.-]*)", user, text)
        return re.sub(r"(?<![\w<])#([A-Za-z][A-Za-z0-9_-]*)", channel, text)

    def _typed_user(self, handle: str) -> str | None:
        wanted = handle.strip().lstrip("@").lower()
        return next(
            (p.user_id for p in self.everyone() if wanted in (p.handle, p.user_id.lower())), None
        )
