"""Slack's news about an install: the app was uninstalled, or its tokens were revoked.

Either way the bot can no longer act in that workspace (or organisation): the install is
deleted from the store, the workspace leaves the network, what was queued for it is cancelled
and its members lose access until it installs again and an admin approves it. Slack sends the
two events in either order, or both; the second finds nothing left to do. In one-token mode the
bot's own workspace cannot leave (there is nothing to approve): ``roster_events`` pauses the
deliveries instead.
(docs.slack.dev/reference/events/app_uninstalled, .../tokens_revoked)
"""

from __future__ import annotations

import logging

from network_bot.calls import EventCall
from network_bot.registry import Event, Registry
from network_bot.store.db import Conn

log = logging.getLogger("network_bot.workspace_events")


async def _lose(call: EventCall, why: str) -> None:
    bot = call.bot
    if not bot.settings.oauth or bot.oauth_store is None:
        return  # one token: roster_events pauses deliveries
    store = bot.oauth_store
    # The install the event is about, as bolt read it from the event's authorizations.
    enterprise, org_wide = call.enterprise_id, call.org_wide
    team = call.team_id or call.payload.team_id  # an org-wide install names no team

    async def forget(tx: Conn) -> None:
        await store.delete_all_in(tx, enterprise_id=enterprise, team_id=None if org_wide else team)

    change = await bot.workspaces.lost(
        enterprise_id=enterprise, team_id=team, org_wide=org_wide, why=why, forget_install=forget
    )
    bot.clients.tokens.forget(enterprise if org_wide else (team or ""))
    if change is not None:
        log.info(
            "%s left the network (%s): %d member(s) suspended, %d message(s) cancelled",
            change.workspace.workspace_id,
            why,
            change.members,
            change.cancelled,
        )


async def app_uninstalled(call: EventCall) -> None:
    await _lose(call, "uninstalled")


async def tokens_revoked(call: EventCall) -> None:
    tokens = call.event.get("tokens") or {}
    if isinstance(tokens, dict) and tokens.get("bot"):
        await _lose(call, "bot token revoked")


def register(registry: Registry) -> None:
    registry.event(Event(event_type="app_uninstalled", handler=app_uninstalled))
    registry.event(Event(event_type="tokens_revoked", handler=tokens_revoked))
