"""Slack's own news: a deactivated account loses access at once; a revoked token or an
uninstall stops deliveries instead of letting every send fail.

These events come from Slack, not from a person asking, so the request pipeline cannot check a
requester's workspace for them. Each handler checks it here before it changes anything: an
event whose workspace (or whose user's workspace) is not the network's changes nothing, and
when the network's workspace cannot be learnt the event is answered with an error so that Slack
delivers it again later.
"""

from __future__ import annotations

import logging

from network_bot.calls import EventCall
from network_bot.registry import Event, Registry
from network_bot.services.roster import Profile

log = logging.getLogger("network_bot.roster_events")

# How long deliveries wait after Slack says the token is gone (they try again after it, and a
# token that still fails pauses them again).
REVOKED_PAUSE_SECONDS = 300.0


async def from_the_network(call: EventCall, *team_ids: object) -> bool:
    """True when the event's workspace and every other workspace it names are the network's."""
    if await call.bot.network_team.all_ours(call.payload.team_id, *team_ids):
        return True
    log.warning(
        "ignored a %s event from another workspace (%s)",
        str(call.event.get("type"))[:40],
        call.payload.team_id,
    )
    return False


async def user_change(call: EventCall) -> None:
    user = call.event.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return
    # A user object names its own workspace; a Slack Connect guest's is their organisation's.
    if not await from_the_network(call, user.get("team_id", call.payload.team_id)):
        return
    roster = call.bot.roster
    if await roster.get(user["id"]) is None:
        return
    await roster.apply_profile(user["id"], Profile.from_slack(user), source="user_change event")


async def tokens_revoked(call: EventCall) -> None:
    """https://docs.slack.dev/reference/events/tokens_revoked: ``tokens.bot`` lists the bot
    users whose tokens were revoked (IDs, never the tokens). With OAuth, ``workspace_events``
    takes that one workspace out instead of pausing every delivery."""
    if call.bot.settings.oauth or not await from_the_network(call):
        return
    tokens = call.event.get("tokens")
    bots = tokens.get("bot") if isinstance(tokens, dict) else None
    if not bots:
        return
    log.error("Slack revoked the bot token; deliveries paused until a new token is set")
    call.bot.pause_deliveries(REVOKED_PAUSE_SECONDS)


async def app_uninstalled(call: EventCall) -> None:
    """https://docs.slack.dev/reference/events/app_uninstalled (with OAuth: see
    ``workspace_events``)"""
    if call.bot.settings.oauth or not await from_the_network(call):
        return
    log.error("the app was uninstalled from the network's workspace; deliveries paused")
    call.bot.pause_deliveries(REVOKED_PAUSE_SECONDS)


def register(registry: Registry) -> None:
    registry.event(Event(event_type="user_change", handler=user_change))
    registry.event(Event(event_type="tokens_revoked", handler=tokens_revoked))
    registry.event(Event(event_type="app_uninstalled", handler=app_uninstalled))
