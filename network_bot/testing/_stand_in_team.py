"""One workspace the stand-in serves, with what it needs beyond its state: where its response
URLs point, which organisation it belongs to, and whether the app is installed org-wide there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from network_bot.testing._stand_in_oauth import TeamFacts
from network_bot.testing._stand_in_surfaces import Refusal
from network_bot.testing._stand_in_workspace import Workspace

AckChecker = Callable[..., Refusal | None]


class Team(Workspace):
    def __init__(
        self,
        *,
        server_url: Callable[[], str],
        ack_checker: AckChecker | None = None,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        **workspace: Any,
    ) -> None:
        super().__init__(**workspace)
        self._server_url = server_url
        self._ack_checker = ack_checker
        self.enterprise_id = enterprise_id
        self.enterprise_name = enterprise_name
        self.org_install = False  # the app is installed for the whole organisation
        self.installed_token: str | None = None  # the newest bot token of its install, if any

    def new_response_url(
        self, *, channel_id: str, user_id: str, message_ts: str | None = None
    ) -> str:
        """A response_url like the one Slack puts in a command or a message's button click."""
        token = self.issue_response_url(
            channel_id=channel_id, user_id=user_id, message_ts=message_ts
        )
        return f"{self._server_url()}/actions/{self.team_id}/{token}"

    def check_ack(
        self, kind: str, body: dict[str, Any] | None, *, view: dict[str, Any] | None = None
    ) -> Refusal | None:
        """Validate an ack the bot returned to a request from this team (recorded centrally)."""
        assert self._ack_checker is not None, "a team is checked by the stand-in serving it"
        return self._ack_checker(kind, body, view=view)

    def facts(self) -> TeamFacts:
        return TeamFacts(
            team_id=self.team_id,
            team_name=self.team_name,
            enterprise_id=self.enterprise_id,
            enterprise_name=self.enterprise_name,
            bot_user_id=self.bot_user_id,
            users=frozenset(self.users),
        )

    def holds(self, params: dict[str, Any]) -> bool:
        """Whether a call's channel or user belongs here (an org token's call is routed so)."""
        for key in ("channel", "user", "users", "user_id"):
            value = str(params.get(key) or "").split(",")[0]
            if value and (value in self.users or self.conversation_key(value) in self.channels):
                return True
            if value and value.startswith("D") and any(self.im_of(u) == value for u in self.users):
                return True
        return False
