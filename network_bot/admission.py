"""Which workspaces the bot serves: only those the network's admins approved.

With one bot token the bot serves that token's workspace alone (``IdentifyMember`` refuses any
other). With OAuth any workspace may install the app, so before anyone is identified this
middleware asks whether the request's workspace (or, for an org-wide install, its organisation)
is approved, and for a Slack Connect guest whether their own workspace is too. Anyone else gets
one polite line and nothing else: no roster entry, no case, no member, no alert. Slack's own
news about an install (``app_uninstalled``, ``tokens_revoked``) passes, so the network learns
that a workspace left it; other events from outside the network are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from network_bot.answers import polite
from network_bot.bot import Bot
from network_bot.i18n import Text, say
from network_bot.middleware import PAYLOAD, WORKSPACE, person_team_of
from network_bot.payloads import EventCallbackPayload, Incoming, SlashCommandPayload
from network_bot.store.workspaces import Approval

Next = Callable[[], Awaitable[BoltResponse]]
log = logging.getLogger("network_bot.admission")

INSTALL_EVENTS = frozenset({"app_uninstalled", "tokens_revoked"})

NOT_YET = say(
    "This workspace is not part of the network yet, so the bot can't do anything here. "
    "The network's admins have to approve it first."
)
GONE = say(
    "This workspace is no longer part of the network, so the bot can't do anything here. "
    "Ask the network's admins if you think it should be."
)
WHO = say("I could not tell who sent this, so I did nothing.")
GUEST = say(
    "Your own workspace is not part of the network, so the bot can't do anything for you here."
)


class AdmitWorkspace(AsyncMiddleware):
    def __init__(self, *, bot: Bot) -> None:
        self._bot = bot

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next
    ) -> BoltResponse | None:
        if not self._bot.settings.oauth:
            return await next()
        payload: Incoming = req.context[PAYLOAD]
        context = req.context
        if isinstance(payload, EventCallbackPayload) and (
            payload.event.get("type") in INSTALL_EVENTS
        ):
            return await next()  # handled whatever the workspace's standing
        standing = await self._bot.workspaces.standing(
            team_id=context.team_id,
            enterprise_id=context.enterprise_id,
            org_wide=bool(context.is_enterprise_install),
        )
        if not standing.approved:
            log.info("refused a request from %s (not approved)", standing.workspace_id)
            return self._refuse(context, GONE if standing.state is Approval.REMOVED else NOT_YET)
        person_team = person_team_of(context, payload)
        if person_team is None and not isinstance(
            payload, SlashCommandPayload | EventCallbackPayload
        ):
            # Slack names the person's own workspace on every interaction (``user.team_id``);
            # without it a Slack Connect guest cannot be told from the host's own people.
            log.info("refused an interaction naming no workspace for its person")
            return self._refuse(context, WHO)
        if person_team and person_team not in (context.team_id, context.enterprise_id):
            # A Slack Connect guest: their own workspace must belong to the network as well,
            # and it is theirs that the roster records (their DMs go out with its token, and
            # its removal takes their access), not the host's the request came through. An
            # Enterprise organisation's people are named by their organisation (``E…``: the
            # block_suggestion payload reference), which must then be approved org-wide.
            from_organisation = person_team.startswith("E")
            guest = await self._bot.workspaces.standing(
                team_id=None if from_organisation else person_team,
                enterprise_id=person_team if from_organisation else None,
                org_wide=from_organisation,
            )
            if not guest.approved:
                log.info("refused a guest from %s in %s", person_team, standing.workspace_id)
                return self._refuse(context, GUEST)
            standing = guest
        context[WORKSPACE] = standing.workspace_id
        return await next()

    def _refuse(self, context: AsyncBoltContext, text: Text) -> BoltResponse:
        # Not a member, so no language of theirs is known: the source language.
        lang = self._bot.catalogue.get(None)
        return polite(
            context[PAYLOAD],
            lang.render(text),
            lang=lang,
            background=self._bot.background,
            respond=context.respond,
        )
