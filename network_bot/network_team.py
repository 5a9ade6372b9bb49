"""Which Slack workspace is the network's: ``NETWORK_BOT_TEAM_ID``, or else the workspace the
bot's token belongs to (``auth.test``, asked once and remembered).

The request pipeline refuses requests from other workspaces; services that act on Slack's own
events (a profile changed, a token revoked) ask here again before they change anything, so an
event from another workspace changes nothing even if it got that far.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("network_bot.network_team")


class TeamUnknown(Exception):
    """Slack would not say which workspace the bot's token belongs to (try again later)."""


class NetworkTeam:
    """With many workspaces (``network``: the approved teams, see ``services/workspaces``), a
    team is the network's when the network approved it; with one bot token, when it is that
    token's team."""

    def __init__(
        self,
        *,
        configured: str | None,
        client: AsyncWebClient,
        network: Callable[[], Awaitable[frozenset[str]]] | None = None,
    ) -> None:
        self._team_id = configured
        self._client = client
        self._network = network

    async def team_id(self) -> str:
        if self._team_id is None:
            try:
                answer = await self._client.auth_test()
            except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as error:
                raise TeamUnknown(type(error).__name__) from None
            team = answer.get("team_id")
            if not isinstance(team, str) or not team:
                raise TeamUnknown("auth.test named no team")
            self._team_id = team
        return self._team_id

    async def all_ours(self, *team_ids: object) -> bool:
        """True when every team ID given is the network's; a missing or odd one is not.
        Raises :class:`TeamUnknown` when the network's own team cannot be learnt."""
        if self._network is not None:
            ours = await self._network()
            return bool(team_ids) and all(team in ours for team in team_ids)
        expected = await self.team_id()
        return bool(team_ids) and all(team == expected for team in team_ids)
