"""The stand-in's workspaces beyond the first, and installing the app into them."""

from __future__ import annotations

from aiohttp import web

from network_bot.testing._stand_in_oauth import InstallRecord, OAuthApp
from network_bot.testing._stand_in_surfaces import Refusal
from network_bot.testing._stand_in_team import Team
from network_bot.testing._stand_in_teams import TeamDirectory
from network_bot.testing._stand_in_workspace import Json


class ManyTeams:
    """What tests call to serve more workspaces; ``SlackStandIn`` mixes it in."""

    _teams: TeamDirectory
    _trigger_ttl: float
    _response_url_ttl: float
    _response_url_uses: int
    app_id: str

    @property
    def base_url(self) -> str:
        raise NotImplementedError

    def check_ack(
        self, kind: str, body: Json | None, *, view: Json | None = None
    ) -> Refusal | None:
        raise NotImplementedError

    @property
    def authorize_url(self) -> str:
        """Where an "Add to Slack" button sends people (``/oauth/v2/authorize``)."""
        return f"{self.base_url}/oauth/v2/authorize"

    # --- more workspaces and installing into them -------------------------------------------

    def add_team(
        self,
        team_id: str,
        team_name: str,
        *,
        bot_user_id: str | None = None,
        bot_token: str | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
    ) -> Team:
        """Serve another workspace. With ``bot_token`` the app is installed there already;
        otherwise it gets a token by being installed (``configure_oauth``)."""
        team = Team(
            server_url=lambda: self.base_url,
            ack_checker=self.check_ack,
            enterprise_id=enterprise_id,
            enterprise_name=enterprise_name,
            team_id=team_id,
            team_name=team_name,
            bot_user_id=bot_user_id or f"UBOT{team_id[1:]}"[:11],
            app_id=self.app_id,
            trigger_ttl=self._trigger_ttl,
            response_url_ttl=self._response_url_ttl,
            response_url_uses=self._response_url_uses,
        )
        self._teams.add(team)
        if bot_token is not None:
            self._teams.grant_bot(team, bot_token)
        return team

    def team(self, team_id: str) -> Team:
        return self._teams.team(team_id)

    @property
    def teams(self) -> dict[str, Team]:
        return dict(self._teams.teams)

    def configure_oauth(self, app: OAuthApp) -> None:
        """The app's OAuth settings (client credentials, scopes, Redirect URLs, rotation)."""
        self._teams.oauth.app = app

    @property
    def installs(self) -> list[InstallRecord]:
        """Every install granted through ``oauth.v2.access``, oldest first."""
        return list(self._teams.oauth.installs)

    def uninstall(self, team_id: str) -> int:
        """The workspace (``T...``) or organisation (``E...``) removes the app: every token of
        that install is revoked at once; send the ``app_uninstalled`` event yourself."""
        return self._teams.uninstall(team_id)

    def expire_token(self, token: str) -> None:
        """Let a rotating token's lifetime pass now."""
        self._teams.tokens.expire(token)

    def connect_channel(self, channel_id: str, *, host: str, guests: list[str]) -> None:
        """Slack Connect: share ``host``'s channel with the ``guests`` teams."""
        self._teams.connect_channel(channel_id, host=host, guests=guests)

    async def _handle_authorize(self, request: web.Request) -> web.StreamResponse:
        """The consent screen: redirect back as Slack does, or show its error page."""
        status, target = self._teams.oauth.authorize(dict(request.query))
        if status == 302:
            raise web.HTTPFound(target)
        return web.Response(status=status, text=f"Slack could not start the install: {target}")
