"""The tokens the stand-in honours, per workspace, with Slack's rules for each.

Slack's rules encoded here (docs.slack.dev):
- A call with a token Slack never issued answers ``invalid_auth``; with none, ``not_authed``; an
  app-level token where a bot token is needed, ``not_allowed_token_type``
  (reference/methods/apps.connections.open; authentication/tokens).
- Revoked tokens (an uninstall, ``auth.revoke``) answer ``token_revoked``; an expired rotating
  token answers ``token_expired`` (authentication/using-token-rotation).
- With token rotation an access token (``xoxe.xoxb-``) lives 12 hours (``expires_in`` 43200) and
  comes with a refresh token (``xoxe-1-``); exchanging the refresh token with
  ``oauth.v2.access`` (``grant_type=refresh_token``) returns a new pair and revokes the refresh
  token used, so a second use answers ``invalid_refresh_token``.
- An org-wide (Enterprise Grid) install's token serves every workspace of the organisation.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from network_bot.testing._stand_in_core import ApiError

ROTATION_SECONDS = 12 * 3600

Kind = Literal["bot", "app"]


@dataclass(kw_only=True)
class Grant:
    """What one token opens: a team, or (org-wide) every team of an organisation."""

    token: str
    kind: Kind
    team_id: str | None
    enterprise_id: str | None = None
    expires_at: float | None = None
    revoked: bool = False

    @property
    def org_wide(self) -> bool:
        return self.team_id is None


@dataclass(kw_only=True)
class _Refresh:
    token: str
    team_id: str | None
    enterprise_id: str | None
    used: bool = False


class TokenBook:
    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._grants: dict[str, Grant] = {}
        self._refresh: dict[str, _Refresh] = {}

    def add(self, grant: Grant) -> Grant:
        self._grants[grant.token] = grant
        return grant

    def check(self, token: str | None, *, wanted: Kind) -> Grant:
        if not token:
            raise ApiError("not_authed")
        grant = self._grants.get(token)
        if grant is None:
            raise ApiError("invalid_auth")
        if grant.kind != wanted:
            raise ApiError("not_allowed_token_type")
        if grant.revoked:
            raise ApiError("token_revoked")
        if grant.expires_at is not None and self._clock() >= grant.expires_at:
            raise ApiError("token_expired")
        return grant

    def issue_bot(
        self,
        *,
        team_id: str | None,
        enterprise_id: str | None,
        rotating: bool,
        lifetime: float = ROTATION_SECONDS,
    ) -> tuple[Grant, str | None]:
        """A new bot token (and its refresh token when the app rotates tokens)."""
        suffix = f"{team_id or enterprise_id}-{secrets.token_hex(12)}"
        if not rotating:
            grant = self.add(
                Grant(
                    token=f"xoxb-{suffix}", kind="bot", team_id=team_id, enterprise_id=enterprise_id
                )
            )
            return grant, None
        grant = self.add(
            Grant(
                token=f"xoxe.xoxb-1-{suffix}",
                kind="bot",
                team_id=team_id,
                enterprise_id=enterprise_id,
                expires_at=self._clock() + lifetime,
            )
        )
        refresh = f"xoxe-1-{secrets.token_hex(16)}"
        self._refresh[refresh] = _Refresh(
            token=refresh, team_id=team_id, enterprise_id=enterprise_id
        )
        return grant, refresh

    def refresh(
        self, refresh_token: str, *, lifetime: float = ROTATION_SECONDS
    ) -> tuple[Grant, str]:
        found = self._refresh.get(refresh_token)
        if found is None or found.used:
            raise ApiError("invalid_refresh_token")
        found.used = True
        grant, new_refresh = self.issue_bot(
            team_id=found.team_id,
            enterprise_id=found.enterprise_id,
            rotating=True,
            lifetime=lifetime,
        )
        assert new_refresh is not None
        return grant, new_refresh

    def expire(self, token: str) -> None:
        """Make a rotating token's 12 hours pass at once (tests of rotation)."""
        self._grants[token].expires_at = self._clock() - 1

    def revoke_install(self, *, team_id: str | None, enterprise_id: str | None) -> int:
        """An uninstall: every bot token and refresh token of that install stops working."""

        def same(found_team: str | None, found_enterprise: str | None) -> bool:
            if team_id is not None:
                return found_team == team_id
            return found_team is None and found_enterprise == enterprise_id

        count = 0
        for grant in self._grants.values():
            if (
                grant.kind == "bot"
                and not grant.revoked
                and same(grant.team_id, grant.enterprise_id)
            ):
                grant.revoked = True
                count += 1
        for refresh in self._refresh.values():
            if same(refresh.team_id, refresh.enterprise_id):
                refresh.used = True
        return count

    def live_bot_tokens(self, team_id: str) -> list[str]:
        return [
            g.token
            for g in self._grants.values()
            if g.kind == "bot" and g.team_id == team_id and not g.revoked
        ]
