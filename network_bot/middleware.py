"""The bolt middleware every request passes: read it, handle events once, know who is asking.

Whether they *may* is decided later, in :mod:`network_bot.routes`, on the handler the request
actually chose; this layer only establishes the payload and the member (and refuses other
workspaces and removed accounts).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from pydantic import ValidationError
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot.answers import json_response, polite
from network_bot.blocks import kit
from network_bot.bot import Bot
from network_bot.i18n import Text, say
from network_bot.logs import describe_exception
from network_bot.payloads import (
    BlockActionsPayload,
    BlockSuggestionPayload,
    EventCallbackPayload,
    Incoming,
    SlashCommandPayload,
    UnknownPayload,
    ViewSubmissionPayload,
    parse,
    problems,
    user_team_of,
)
from network_bot.services.roster import Profile
from network_bot.store import events
from network_bot.store.db import StorageError
from network_bot.store.members import Member

Next = Callable[[], Awaitable[BoltResponse]]
log = logging.getLogger("network_bot.middleware")

PAYLOAD = "network_bot_payload"
MEMBER = "network_bot_member"
WORKSPACE = "network_bot_workspace"  # the approved workspace a request came through (OAuth)

# Events about a user that come from Slack itself, not from that user asking for something.
SYSTEM_EVENTS = frozenset({"user_change", "team_join", "tokens_revoked", "app_uninstalled"})
FIRST_CONTACT_SECONDS = 1.0  # well inside Slack's 3 s to ack, with room for the reply itself


class ReadPayload(AsyncMiddleware):
    """Validate the body against the payload models; anything else is logged and answered."""

    def __init__(self, *, bot: Bot) -> None:
        self._bot = bot

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next
    ) -> BoltResponse | None:
        try:
            payload = parse(req.body)
        except ValidationError as error:
            log.warning("malformed %s payload; fields: %s", _kind(req.body), problems(error))
            sorry = self._bot.catalogue.source.gettext(
                "Slack sent me a request I could not read, so I did nothing. Please try again."
            )
            if "command" in req.body:
                return json_response(kit.notice(sorry))
            return BoltResponse(status=200, body="")
        except UnknownPayload as unknown:
            log.info("ignored a %s request the bot does not handle", unknown)
            return BoltResponse(status=200, body="")
        req.context[PAYLOAD] = payload
        return await next()


class HandleEventsOnce(AsyncMiddleware):
    """Slack retries an event it thinks we missed; its ``event_id`` makes the retry a no-op."""

    def __init__(self, *, bot: Bot) -> None:
        self._bot = bot

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next
    ) -> BoltResponse | None:
        payload = req.context.get(PAYLOAD)
        if not isinstance(payload, EventCallbackPayload):
            return await next()
        event_type = str(payload.event.get("type", ""))
        if not self._bot.registry.events(event_type):
            return BoltResponse(status=200, body="")
        try:
            async with self._bot.db.transaction() as tx:
                first = await events.claim(tx, event_id=payload.event_id, now=self._bot.clock.now())
        except StorageError as error:
            # Answer 500 so Slack retries the event later instead of losing it.
            log.warning("could not record event %s: %s", payload.event_id, type(error).__name__)
            return BoltResponse(status=500, body="")
        if not first:
            retry = req.headers.get("x-slack-retry-num", ["?"])[0]
            log.info("event %s already handled (retry %s)", payload.event_id, retry)
            return BoltResponse(status=200, body="")
        return await next()


class IdentifyMember(AsyncMiddleware):
    """Put the roster entry of whoever is asking on the context, adding first-time users.

    Refuses requests from another workspace and from deactivated accounts. The Slack profile
    (display name, time zone, locale) is refreshed from ``users.info`` after the ack, at most once
    per TTL; at a person's first contact it is asked for before the answer (for at most
    ``FIRST_CONTACT_SECONDS``), so even the first answer is in their language.
    """

    def __init__(self, *, bot: Bot) -> None:
        self._bot = bot
        self._refreshing: set[str] = set()

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next
    ) -> BoltResponse | None:
        payload: Incoming = req.context[PAYLOAD]
        context = req.context
        expected_team = self._bot.settings.team_id or _authorized_team(req)
        team = context.team_id
        person_team = person_team_of(context, payload)
        one_workspace = not self._bot.settings.oauth  # with OAuth, AdmitWorkspace decided
        if one_workspace and (
            not expected_team or any(t and t != expected_team for t in (team, person_team))
        ):
            # Fail closed: a workspace that is not the network's, or none we can be sure of.
            # Name the person's own workspace: in Slack Connect it differs from the request's.
            log.warning(
                "refused a request from another workspace (person's team %s, request's team %s)",
                person_team or team,
                team,
            )
            return self._refuse(
                context,
                say("This bot serves one network's workspace, and this request came from another."),
            )
        user_id = context.user_id
        if isinstance(payload, EventCallbackPayload) and (
            payload.event.get("type") in SYSTEM_EVENTS or user_id is None
        ):
            return await next()
        if user_id is None:
            return self._refuse(
                context,
                say("I could not tell who sent this, so I did nothing."),
            )
        try:
            member, first_contact = await self._bot.roster.identify(
                user_id=user_id,
                team_id=_own_team(team, person_team),
                name_hint=_name_hint(payload),
                workspace_id=context.get(WORKSPACE),
                enterprise_id=context.enterprise_id,
            )
        except StorageError as error:
            return self._refuse(context, error.user_message)
        if first_contact and user_id not in self._refreshing:
            member = await self._first_contact(req.context.client, user_id, member)
        if not member.is_active:
            await self._audit_refusal(user_id, _describe(payload), "deactivated account")
            return self._refuse(
                context,
                say("Your access to the network's bot has been removed."),
                language=member.language,
            )
        req.context[MEMBER] = member
        if self._bot.roster.profile_is_stale(member) and user_id not in self._refreshing:
            self._refreshing.add(user_id)
            self._bot.background.spawn(
                self._refresh(req.context.client, user_id), name=f"profile.{user_id}"
            )
        return await next()

    async def _first_contact(self, client: AsyncWebClient, user_id: str, member: Member) -> Member:
        """Ask Slack for a newcomer's profile and locale now, briefly; else after the ack."""
        self._refreshing.add(user_id)
        try:
            async with asyncio.timeout(FIRST_CONTACT_SECONDS):
                await self._refresh(client, user_id)
        except TimeoutError:
            log.info("users.info for a newcomer took too long; their language comes later")
            self._refreshing.discard(user_id)
        return await self._bot.roster.get(user_id) or member

    async def _refresh(self, client: AsyncWebClient, user_id: str) -> None:
        """``users.info`` with the request's own client: the person's workspace's token."""
        try:
            # Slack sends the locale only when asked (users.info, include_locale).
            response = await client.users_info(user=user_id, include_locale=True)
            user = response.get("user") or {}
            await self._bot.roster.apply_profile(
                user_id, Profile.from_slack(user), source="users.info"
            )
        except SlackApiError as error:
            log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
        except Exception as error:
            log.warning("profile refresh for %s failed: %s", user_id, describe_exception(error))
        finally:
            self._refreshing.discard(user_id)

    def _refuse(
        self, context: AsyncBoltContext, text: Text, *, language: str | None = None
    ) -> BoltResponse:
        """Say no in the person's language (English while the bot does not know them)."""
        lang = self._bot.catalogue.get(language)
        return polite(
            context[PAYLOAD],
            lang.render(text),
            lang=lang,
            background=self._bot.background,
            respond=context.respond,
        )

    async def _audit_refusal(self, user_id: str, what: str, why: str) -> None:
        try:
            await self._bot.roster.record_refusal(actor_id=user_id, action=what, detail=why)
        except StorageError:
            log.warning("could not audit a refusal of %s", what)


def person_team_of(context: AsyncBoltContext, payload: Incoming) -> str | None:
    """The asker's own workspace where it may differ from the request's (a Slack Connect guest):
    for events bolt's ``actor_team_id`` (from ``event.user_team`` in a shared channel, the
    request's team elsewhere); for buttons, modals and menus ``user.team_id``, which bolt does
    not read (its ``actor_team_id`` there is the request's team); none for a slash command."""
    if isinstance(payload, EventCallbackPayload):
        return context.actor_team_id
    return user_team_of(payload)


def _authorized_team(req: AsyncBoltRequest) -> str | None:
    result = req.context.authorize_result
    return None if result is None else result.team_id


def _name_hint(payload: Incoming) -> str:
    if isinstance(payload, SlashCommandPayload):
        return payload.user_name
    if isinstance(payload, EventCallbackPayload):
        return ""
    return payload.user.username or payload.user.name


def _describe(payload: Incoming) -> str:
    """What was asked, for logs and the audit trail: the command or ID, never the text."""
    if isinstance(payload, SlashCommandPayload):
        return f"command {payload.command}"  # its text may name someone: never recorded
    if isinstance(payload, BlockActionsPayload):
        return f"action {payload.actions[0].action_id[:60]}"
    if isinstance(payload, ViewSubmissionPayload):
        return f"{payload.type} {payload.view.callback_id[:60]}"
    if isinstance(payload, BlockSuggestionPayload):
        return f"options {payload.action_id[:60]}"
    return f"event {payload.event.get('type', '?')}"


def _kind(body: dict[str, object]) -> str:
    if "command" in body:
        return "slash command"
    return str(body.get("type", "unknown"))[:40]


def _own_team(team: str | None, person_team: str | None) -> str | None:
    """The workspace a person uses: a Slack Connect guest's own (``user.team_id``), else the
    request's (an Enterprise organisation's people are named there by their organisation)."""
    if person_team and person_team.startswith("T"):
        return person_team
    return team
