"""The App Home tab, published when a member opens it."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.blocks.home import PAGE_NEXT, PAGE_PREVIOUS, home_view
from network_bot.bot import Bot
from network_bot.calls import ActionCall, EventCall
from network_bot.i18n import Messages
from network_bot.registry import Action, Event, Registry
from network_bot.store.members import Member

log = logging.getLogger("network_bot.commands.home")


async def publish(
    bot: Bot, member: Member, *, lang: Messages, client: AsyncWebClient, offset: int = 0
) -> None:
    """App Home in the member's language (the request's, resolved by the route), published
    with the request's client (the member's own workspace)."""
    data = await bot.home.load(member, offset=offset)
    view = home_view(data, today=bot.clock.now().date(), lang=lang)
    try:
        await client.views_publish(user_id=member.user_id, view=view)
    except SlackApiError as error:
        log.warning("views.publish failed: %s", error.response.get("error"))


async def home_opened(call: EventCall) -> None:
    if call.event.get("tab", "home") != "home" or call.member is None:
        return
    if not call.member.is_active:
        return
    call.bot.background.spawn(
        publish(call.bot, call.member, lang=call.lang, client=call.slack), name="home.publish"
    )


async def page_clicked(call: ActionCall) -> None:
    try:
        offset = max(0, min(int(call.value), 100_000))
    except ValueError:
        offset = 0
    await publish(call.bot, call.member, lang=call.lang, client=call.slack, offset=offset)


def register(registry: Registry) -> None:
    registry.event(Event(event_type="app_home_opened", handler=home_opened))
    for action_id in (PAGE_PREVIOUS, PAGE_NEXT):
        registry.action(Action(action_id=action_id, handler=page_clicked))
