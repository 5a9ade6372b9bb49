"""What a handler receives: who is asking, what they sent, and the bot's services."""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.blocks import kit
from network_bot.i18n import Messages
from network_bot.payloads import (
    BlockActionsPayload,
    EventCallbackPayload,
    SlashCommandPayload,
    ViewSubmissionPayload,
)
from network_bot.store.members import Member

if TYPE_CHECKING:
    from network_bot.bot import Bot

log = logging.getLogger("network_bot.calls")


@dataclass(kw_only=True)
class Call:
    """``lang`` is the asker's language, resolved once by the request route."""

    bot: Bot
    member: Member
    lang: Messages
    client: AsyncWebClient | None = None  # bolt's client for this request, with its token
    respond: AsyncRespond | None = None  # bolt's, on this request's ``response_url``

    @property
    def slack(self) -> AsyncWebClient:
        """The Web API as the request's own workspace (bolt authorized its token)."""
        return self.client or self.bot.slack

    def later(self, work: Coroutine[Any, Any, Any], *, name: str) -> None:
        """Run ``work`` after the ack; the HTTP answer to Slack does not wait for it."""
        self.bot.background.spawn(work, name=name)

    async def tell(self, message: dict[str, Any], *, channel_id: str | None = None) -> None:
        """An ephemeral reply to this person after the ack (bolt's ``respond`` on the request's
        ``response_url``, else a DM)."""
        if self.response_url and self.respond is not None:
            try:
                response = await self.respond({**message, "response_type": "ephemeral"})
                if response.status_code == 200:
                    return
                log.warning("response_url answered %s", response.status_code)
            except Exception as error:  # the DM below is the fallback for any failure
                log.warning("response_url failed: %s", type(error).__name__)
        target = channel_id or self.member.user_id
        try:
            if channel_id:
                await self.slack.chat_postEphemeral(
                    channel=target,
                    user=self.member.user_id,
                    text=message.get("text", ""),
                    blocks=message.get("blocks"),
                )
            else:
                await self.slack.chat_postMessage(
                    channel=target, text=message.get("text", ""), blocks=message.get("blocks")
                )
        except SlackApiError as error:
            log.warning("could not tell %s: %s", self.member.user_id, error.response.get("error"))

    @property
    def response_url(self) -> str | None:
        return None

    @property
    def trigger_id(self) -> str:
        return ""

    async def open_modal(self, view: dict[str, Any], *, again: str | None = None) -> bool:
        """Open a modal with this request's trigger; if Slack refuses (a trigger lives 3 s),
        say so to the person instead of leaving them waiting."""
        try:
            await self.slack.views_open(trigger_id=self.trigger_id, view=view)
        except SlackApiError as error:
            log.warning("views.open failed: %s", error.response.get("error"))
            await self.tell(
                kit.notice(
                    self.lang.gettext(
                        "Slack could not open the form in time, so nothing was saved. {again}",
                        again=again or self.lang.gettext("Please try again."),
                    )
                )
            )
            return False
        return True


@dataclass(kw_only=True)
class CommandCall(Call):
    """A slash command, read once: ``verb`` chose the handler, ``args`` is what it acts on."""

    payload: SlashCommandPayload
    verb: str = ""
    args: Any = None

    @property
    def channel_id(self) -> str:
        return self.payload.channel_id

    @property
    def trigger_id(self) -> str:
        return self.payload.trigger_id

    @property
    def response_url(self) -> str | None:
        return self.payload.response_url or None


@dataclass(kw_only=True)
class ActionCall(Call):
    payload: BlockActionsPayload

    @property
    def action_id(self) -> str:
        return self.payload.actions[0].action_id

    @property
    def value(self) -> str:
        action = self.payload.actions[0]
        if action.value is not None:
            return action.value
        if action.selected_option:
            return str(action.selected_option.get("value", ""))
        return ""

    @property
    def trigger_id(self) -> str:
        return self.payload.trigger_id

    @property
    def channel_id(self) -> str | None:
        return self.payload.channel.id if self.payload.channel else None

    @property
    def message_ts(self) -> str | None:
        ts = (self.payload.message or {}).get("ts")
        return str(ts) if ts else None

    @property
    def response_url(self) -> str | None:
        return self.payload.response_url


@dataclass(kw_only=True)
class ViewCall(Call):
    payload: ViewSubmissionPayload

    @property
    def values(self) -> dict[str, dict[str, dict[str, Any]]]:
        return self.payload.view.state.values

    @property
    def private_metadata(self) -> str:
        return self.payload.view.private_metadata

    @property
    def view_id(self) -> str:
        return self.payload.view.id


@dataclass(kw_only=True)
class EventCall:
    """``team_id``, ``enterprise_id`` and ``org_wide`` are bolt's reading of the installation
    the event came to (its context: ``authorizations`` first, then the envelope)."""

    bot: Bot
    payload: EventCallbackPayload
    lang: Messages
    member: Member | None = None
    client: AsyncWebClient | None = None
    team_id: str | None = None
    enterprise_id: str | None = None
    org_wide: bool = False

    @property
    def slack(self) -> AsyncWebClient:
        return self.client or self.bot.slack

    @property
    def event(self) -> dict[str, Any]:
        return self.payload.event
