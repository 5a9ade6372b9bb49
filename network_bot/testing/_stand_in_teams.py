"""The workspaces one stand-in serves, and which of them a call's token opens.

Each team has its own people, channels, bot user, method table and rate limits (Slack's limits
are per app per workspace: docs.slack.dev/apis/web-api/rate-limits), and each token opens one
team, or every team of an organisation for an org-wide install. A Slack Connect channel is the
same channel object (and message list) in every team it connects, with ``is_ext_shared`` and
the connected teams in ``shared_team_ids`` and ``connected_team_ids``, as ``conversations.info``
reports them (docs.slack.dev/apis/slack-connect).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from network_bot.testing._stand_in_core import ApiError, RateLimiter
from network_bot.testing._stand_in_methods import WebApi
from network_bot.testing._stand_in_oauth import OAuthServer, TeamFacts
from network_bot.testing._stand_in_team import Team
from network_bot.testing._stand_in_tokens import Grant, Kind, TokenBook

Json = dict[str, Any]


class TeamDirectory:
    def __init__(
        self,
        *,
        home: Team,
        app_id: str,
        rate_limits: Mapping[str, float] | None,
        channel_post_rate: float | None,
        upload_url: Callable[[str, str], str],
        socket_url: Callable[[], str],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.home = home
        self._rate_limits = dict(rate_limits or {})
        self._channel_post_rate = channel_post_rate
        self._upload_url = upload_url
        self._socket_url = socket_url
        self._teams: dict[str, Team] = {}
        self._apis: dict[str, WebApi] = {}
        self._limiters: dict[str, RateLimiter] = {}
        self.tokens = TokenBook(clock=clock)
        self.oauth = OAuthServer(tokens=self.tokens, team=self._facts, app_id=app_id, clock=clock)
        self.add(home)

    def add(self, team: Team) -> Team:
        self._teams[team.team_id] = team
        team_id = team.team_id
        self._apis[team_id] = WebApi(
            team,
            upload_url=lambda token: self._upload_url(team_id, token),
            socket_url=self._socket_url,
        )
        self._limiters[team_id] = RateLimiter(self._rate_limits, self._channel_post_rate)
        return team

    def _facts(self, team_id: str) -> TeamFacts | None:
        team = self._teams.get(team_id)
        return None if team is None else team.facts()

    @property
    def teams(self) -> Mapping[str, Team]:
        return dict(self._teams)

    def team(self, team_id: str) -> Team:
        if team_id not in self._teams:
            raise KeyError(f"the stand-in serves no team {team_id}")
        return self._teams[team_id]

    def api(self, team: Team) -> WebApi:
        return self._apis[team.team_id]

    def limiter(self, team: Team) -> RateLimiter:
        return self._limiters[team.team_id]

    def limiters(self, team_id: str | None) -> list[RateLimiter]:
        """One team's limiter, or every team's (``None``)."""
        if team_id is None:
            return list(self._limiters.values())
        return [self._limiters[self.team(team_id).team_id]]

    # ------------------------------------------------------------------ tokens

    def grant_bot(self, team: Team, token: str) -> None:
        """A token the app already holds for ``team`` (an install done before the test)."""
        self.tokens.add(Grant(token=token, kind="bot", team_id=team.team_id))
        team.installed_token = token

    def grant_app(self, token: str) -> None:
        self.tokens.add(Grant(token=token, kind="app", team_id=self.home.team_id))

    def authenticate(self, token: str | None, *, wanted: Kind, params: Json) -> tuple[Grant, Team]:
        grant = self.tokens.check(token, wanted=wanted)
        if grant.team_id is not None:
            return grant, self._teams[grant.team_id]
        return grant, self._org_team(grant, params)

    def _org_team(self, grant: Grant, params: Json) -> Team:
        """An org-wide token's call acts in the workspace it names or is about."""
        members = [t for t in self._teams.values() if t.enterprise_id == grant.enterprise_id]
        if not members:
            raise ApiError("invalid_auth")
        named = str(params.get("team_id") or "")
        if named:
            for team in members:
                if team.team_id == named:
                    return team
            raise ApiError("team_access_not_granted")
        for team in members:
            if team.holds(params):
                return team
        return members[0]

    def auth_test(self, grant: Grant, team: Team) -> Json:
        """``auth.test`` for this token: its team (for an org token, the organisation)."""
        org_wide = grant.org_wide
        answer: Json = {
            "ok": True,
            "url": f"https://{team.team_domain}.slack.com/",
            "team": (team.enterprise_name or team.team_name) if org_wide else team.team_name,
            "user": "network-bot",
            "team_id": grant.enterprise_id if org_wide else team.team_id,
            "user_id": team.bot_user_id,
            "bot_id": team.bot_id,
            "is_enterprise_install": org_wide,
        }
        if team.enterprise_id is not None:
            answer["enterprise_id"] = team.enterprise_id
        return answer

    def after_install(self) -> None:
        """Note the newest install on each team (tests read ``team.installed_token``)."""
        for record in self.oauth.installs:
            if record.team_id is not None:
                self._teams[record.team_id].installed_token = record.token
            else:
                for team in self._teams.values():
                    if team.enterprise_id == record.enterprise_id:
                        team.org_install = True
                        team.installed_token = record.token

    def uninstall(self, team_id: str) -> int:
        """The workspace (or, for ``E...``, the organisation) removes the app: its tokens die."""
        if team_id.startswith("E"):
            count = self.tokens.revoke_install(team_id=None, enterprise_id=team_id)
            for team in self._teams.values():
                if team.enterprise_id == team_id:
                    team.org_install = False
                    team.installed_token = None
            return count
        team = self.team(team_id)
        team.installed_token = None
        return self.tokens.revoke_install(team_id=team_id, enterprise_id=None)

    # ------------------------------------------------------------------ Slack Connect

    def connect_channel(self, channel_id: str, *, host: str, guests: list[str]) -> None:
        """Share ``host``'s channel with other teams: one channel, seen from each of them."""
        origin = self.team(host)
        channel = origin._channel(channel_id)
        teams = [host, *guests]
        channel.update(
            {
                "is_shared": True,
                "is_ext_shared": True,
                "shared_team_ids": list(teams),
                "connected_team_ids": list(teams),
                "conversation_host_id": host,
            }
        )
        messages = origin._messages.setdefault(channel_id, [])
        for guest in guests:
            team = self.team(guest)
            team._channels[channel_id] = channel
            team._messages[channel_id] = messages
