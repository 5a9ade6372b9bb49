"""Slack's side of installing an app with OAuth v2, as strict as Slack about it.

Slack's rules encoded here (docs.slack.dev/authentication/installing-with-oauth and
reference/methods/oauth.v2.access):
- The authorize URL (``/oauth/v2/authorize``) needs the app's ``client_id`` and a ``scope`` list
  of bot scopes the app declares; a ``redirect_uri``, if given, must match one of the app's
  Redirect URLs. Without one, Slack redirects to the app's first Redirect URL. ``state`` is
  passed back unchanged; a person who cancels comes back with ``error=access_denied``.
- The ``code`` Slack sends back is temporary (it expires after ten minutes) and used once.
- ``oauth.v2.access`` takes the client ID and secret by HTTP Basic auth (preferred) or as
  parameters: a wrong ID answers ``invalid_client_id``, a wrong secret ``bad_client_secret``; a
  bad or used code ``invalid_code``; a ``redirect_uri`` different from the authorize request's
  ``bad_redirect_uri``; an unknown ``grant_type`` ``invalid_grant_type``.
- An org-wide install (Enterprise Grid) answers ``is_enterprise_install: true``, the
  ``enterprise`` and ``team: null``.
- With token rotation, the answer carries ``expires_in`` and a ``refresh_token``; see
  ``_stand_in_tokens``.

The consent screen itself is played by the stand-in: the authorize URL takes ``stand_in_team``
(the workspace chosen), ``stand_in_user`` (who clicks Allow), ``stand_in_org`` (install for the
whole organisation) or ``stand_in_deny`` (Cancel), and answers the redirect Slack would send.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_tokens import ROTATION_SECONDS, TokenBook

CODE_TTL = 600.0

Json = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class OAuthApp:
    """The app's settings on api.slack.com: credentials, scopes, Redirect URLs, rotation."""

    client_id: str
    client_secret: str
    scopes: frozenset[str]
    redirect_urls: tuple[str, ...]
    token_rotation: bool = False
    token_lifetime: float = ROTATION_SECONDS


@dataclass(frozen=True, kw_only=True)
class TeamFacts:
    """What the consent screen knows about a workspace: its name, organisation, bot user."""

    team_id: str
    team_name: str
    enterprise_id: str | None
    enterprise_name: str | None
    bot_user_id: str
    users: frozenset[str]


@dataclass(kw_only=True)
class _Code:
    team: TeamFacts
    org_wide: bool
    user_id: str
    scopes: str
    redirect_uri: str | None
    issued: float
    used: bool = False


@dataclass(kw_only=True)
class InstallRecord:
    """An install the stand-in granted (tests read these back)."""

    team_id: str | None
    enterprise_id: str | None
    user_id: str
    token: str


class OAuthServer:
    def __init__(
        self,
        *,
        tokens: TokenBook,
        team: Callable[[str], TeamFacts | None],
        app_id: str,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._tokens = tokens
        self._team = team
        self._app_id = app_id
        self._clock = clock
        self.app: OAuthApp | None = None
        self._codes: dict[str, _Code] = {}
        self.installs: list[InstallRecord] = []

    # ------------------------------------------------------------------ the consent screen

    def authorize(self, query: Mapping[str, str]) -> tuple[int, str]:
        """(302, redirect URL) as Slack would answer, or (400, error page text)."""
        app = self.app
        if app is None or query.get("client_id") != app.client_id:
            return 400, "invalid_client_id"
        asked = [s for s in (query.get("scope") or "").split(",") if s]
        if not asked or any(s not in app.scopes for s in asked):
            return 400, "invalid_scope"
        redirect_uri = query.get("redirect_uri")
        if redirect_uri is not None and redirect_uri not in app.redirect_urls:
            return 400, "bad_redirect_uri"
        if not app.redirect_urls:
            return 400, "no_redirect_url"
        target = redirect_uri or app.redirect_urls[0]
        state = query.get("state")
        if query.get("stand_in_deny"):
            return 302, _with_query(target, {"error": "access_denied", "state": state})
        team = self._team(query.get("stand_in_team") or query.get("team") or "")
        if team is None:
            return 400, "team_not_found"
        user = query.get("stand_in_user") or ""
        if user not in team.users:
            return 400, "user_not_found"
        code = f"{team.team_id}.{secrets.token_hex(16)}"
        self._codes[code] = _Code(
            team=team,
            org_wide=bool(query.get("stand_in_org")),
            user_id=user,
            scopes=",".join(asked),
            redirect_uri=redirect_uri,
            issued=self._clock(),
        )
        return 302, _with_query(target, {"code": code, "state": state})

    # ------------------------------------------------------------------ oauth.v2.access

    def access(self, params: Mapping[str, Any], authorization: str | None) -> Json:
        app = self.app
        client_id, client_secret = _basic(authorization) or (
            str(params.get("client_id") or ""),
            str(params.get("client_secret") or ""),
        )
        if app is None or client_id != app.client_id:
            raise ApiError("invalid_client_id")
        if client_secret != app.client_secret:
            raise ApiError("bad_client_secret")
        grant_type = params.get("grant_type") or "authorization_code"
        if grant_type == "refresh_token":
            return self._refresh(app, str(params.get("refresh_token") or ""))
        if grant_type != "authorization_code":
            raise ApiError("invalid_grant_type")
        found = self._codes.get(str(params.get("code") or ""))
        if found is None or found.used or self._clock() - found.issued > CODE_TTL:
            raise ApiError("invalid_code")
        if params.get("redirect_uri") != found.redirect_uri and found.redirect_uri is not None:
            raise ApiError("bad_redirect_uri")
        found.used = True
        team = found.team
        if found.org_wide and team.enterprise_id is None:
            raise ApiError("invalid_code")  # only an organisation can install org-wide
        grant, refresh = self._tokens.issue_bot(
            team_id=None if found.org_wide else team.team_id,
            enterprise_id=team.enterprise_id,
            rotating=app.token_rotation,
            lifetime=app.token_lifetime,
        )
        self.installs.append(
            InstallRecord(
                team_id=grant.team_id,
                enterprise_id=team.enterprise_id,
                user_id=found.user_id,
                token=grant.token,
            )
        )
        answer = self._identity(team, org_wide=found.org_wide, scopes=found.scopes)
        answer.update(
            {
                "access_token": grant.token,
                "authed_user": {"id": found.user_id},
            }
        )
        if refresh is not None:
            answer.update({"refresh_token": refresh, "expires_in": int(app.token_lifetime)})
        return answer

    def _refresh(self, app: OAuthApp, refresh_token: str) -> Json:
        grant, refresh = self._tokens.refresh(refresh_token, lifetime=app.token_lifetime)
        team = self._team(grant.team_id or "") if grant.team_id else None
        answer: Json = {
            "ok": True,
            "app_id": self._app_id,
            "access_token": grant.token,
            "refresh_token": refresh,
            "expires_in": int(app.token_lifetime),
            "token_type": "bot",
            "scope": ",".join(sorted(app.scopes)),
            "is_enterprise_install": grant.org_wide,
            "team": None if team is None else {"id": team.team_id, "name": team.team_name},
            "enterprise": None if grant.enterprise_id is None else {"id": grant.enterprise_id},
        }
        if team is not None:
            answer["bot_user_id"] = team.bot_user_id
        return answer

    def _identity(self, team: TeamFacts, *, org_wide: bool, scopes: str) -> Json:
        enterprise = (
            None
            if team.enterprise_id is None
            else {"id": team.enterprise_id, "name": team.enterprise_name or team.enterprise_id}
        )
        return {
            "ok": True,
            "app_id": self._app_id,
            "token_type": "bot",
            "scope": scopes,
            "bot_user_id": team.bot_user_id,
            "team": None if org_wide else {"id": team.team_id, "name": team.team_name},
            "enterprise": enterprise,
            "is_enterprise_install": org_wide,
        }


def _basic(header: str | None) -> tuple[str, str] | None:
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError("invalid_client_id") from None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret


def _with_query(url: str, values: Mapping[str, str | None]) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, v) for k, v in values.items() if v is not None]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
