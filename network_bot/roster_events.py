"""Slack's own news about people: a deactivated account loses access at once."""

from __future__ import annotations

from network_bot.calls import EventCall
from network_bot.registry import Event, Registry
from network_bot.services.roster import Profile


async def user_change(call: EventCall) -> None:
    user = call.event.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return
    roster = call.bot.roster
    if await roster.get(user["id"]) is None:
        return
    await roster.apply_profile(user["id"], Profile.from_slack(user), source="user_change event")


def register(registry: Registry) -> None:
    registry.event(Event(event_type="user_change", handler=user_change))
