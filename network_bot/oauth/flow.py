"""bolt's OAuth flow and authorize, built from settings on the bot's own stores.

``GET /slack/install`` shows bolt's "Add to Slack" page (its authorize URL carries the client ID
and the app's bot scopes, and a state bound to the browser by a cookie); ``GET
/slack/oauth_redirect`` checks that state, exchanges the code with ``oauth.v2.access`` at
``SLACK_API_URL`` and saves the installation. Every request then gets its workspace's token from
bolt's ``AsyncInstallationStoreAuthorize`` on the same store, rotating it when due; both are
bolt's own, given our stores and our Web API client (so they talk to ``SLACK_API_URL``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urljoin

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.clock import Clock
from network_bot.oauth.clients import ROTATE_MINUTES, WorkspaceTokens
from network_bot.oauth.installation_store import NetworkInstallationStore
from network_bot.oauth.pages import CALLBACKS
from network_bot.oauth.scopes import BOT_SCOPES
from network_bot.oauth.state_store import NetworkStateStore
from network_bot.settings import Settings
from network_bot.store.db import Database
from network_bot.tokens import TokenCipher

STATE_SECONDS = 600  # an install link works for ten minutes, once
# bolt rotates a request's token when less than this is left; the bot's own job rotates earlier
# (ROTATE_MINUTES), so two rotations of one refresh token rarely race.
REQUEST_ROTATE_MINUTES = ROTATE_MINUTES // 2


@dataclass(frozen=True, kw_only=True)
class OAuthParts:
    settings: AsyncOAuthSettings
    authorize: AsyncInstallationStoreAuthorize
    store: NetworkInstallationStore
    tokens: WorkspaceTokens


def authorization_url(api_url: str) -> str:
    """Slack's authorize page beside its Web API (``https://slack.com/oauth/v2/authorize``)."""
    return urljoin(api_url, "../oauth/v2/authorize")


def oauth_parts(
    settings: Settings, *, db: Database, clock: Clock, client: AsyncWebClient
) -> OAuthParts:
    assert settings.slack_client_id and settings.slack_client_secret and settings.secret_key
    logger = logging.getLogger("network_bot.oauth")
    client_secret = settings.slack_client_secret.get_secret_value()
    store = NetworkInstallationStore(
        db=db,
        cipher=TokenCipher(key=settings.secret_key),
        client_id=settings.slack_client_id,
        clock=clock,
        home_workspace=settings.home_team,
        logger=logger,
    )
    authorize = AsyncInstallationStoreAuthorize(
        installation_store=store,
        client_id=settings.slack_client_id,
        client_secret=client_secret,
        token_rotation_expiration_minutes=REQUEST_ROTATE_MINUTES,
        bot_only=True,
        # auth.test once per token, not per request: a revoked token is refused by Slack on use,
        # and a workspace that uninstalled is refused by the network's own approval check.
        cache_enabled=True,
        client=client,
        logger=logging.getLogger("network_bot.bolt"),
    )
    oauth_settings = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        authorization_url=authorization_url(settings.slack_api_url),
        installation_store=store,
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=REQUEST_ROTATE_MINUTES,
        state_store=NetworkStateStore(db=db, expiration_seconds=STATE_SECONDS, logger=logger),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CALLBACKS,
        logger=logger,
    )
    tokens = WorkspaceTokens(
        db=db,
        store=store,
        rotator=AsyncTokenRotator(
            client_id=settings.slack_client_id, client_secret=client_secret, client=client
        ),
        home=settings.home_team,
        logger=logger,
    )
    return OAuthParts(settings=oauth_settings, authorize=authorize, store=store, tokens=tokens)
