"""What Slack says about channels: asked fresh by the sender, kept briefly for the alert form.

The sender refuses to post into a channel shared with another organisation (Slack Connect)
unless a coordinator chose it, so it asks Slack at the moment of sending (:meth:`lookup`) and
treats every answer that does not say "not shared" as a reason not to post. The alert form uses
:meth:`info`, cached for a few minutes, to warn the coordinator early; it never lets a post
through on its own. Each channel is asked about with its own workspace's token.

"Shared with another organisation" means shared with any workspace outside the network: a Slack
Connect channel whose every workspace (``shared_team_ids`` / ``connected_team_ids``, as
``conversations.info`` reports them: docs.slack.dev/apis/slack-connect) is an approved network
workspace is not; one that names any other, is pending a share, or that Slack shares without
naming its workspaces, is. Decided on each call against the network as it is now.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from network_bot.oauth.clients import WorkspaceClients, WorkspaceUnavailable

# conversations.info's channel object says whether a channel is shared with another workspace
# (``is_shared``, ``is_ext_shared``) or about to be (``is_pending_ext_shared``,
# ``pending_connected_team_ids``: an invitation the partner has not accepted yet, after which
# they would read the history too). Reference: https://docs.slack.dev/reference/objects/
# conversation-object. A channel object without the first two is not an answer the sender can
# act on.
SHARED_FLAGS = ("is_ext_shared", "is_shared", "is_pending_ext_shared")
REQUIRED_FLAGS = ("is_ext_shared", "is_shared")

Network = Callable[[], Awaitable[frozenset[str]]]


@dataclass(frozen=True, kw_only=True)
class ChannelInfo:
    id: str
    name: str
    is_ext_shared: bool  # shared with a workspace outside the network (see above)
    is_archived: bool
    is_member: bool
    # Slack Connect: every workspace the channel is shared with (its host included), as
    # conversations.info reports them; empty when Slack does not say.
    team_ids: frozenset[str] = frozenset()
    shared: bool = False  # Slack's own flags: shared (or about to be) with another workspace
    pending: bool = False  # a share invitation not yet accepted


class ChannelUnreadable(Exception):
    """Slack answered ``ok`` without saying whether the channel is shared."""


class ChannelLookupError(Exception):
    """Slack would not say anything about the channel (``channel_not_found``...)."""

    def __init__(self, channel_id: str, error: str) -> None:
        super().__init__(f"{channel_id}: {error}")
        self.channel_id = channel_id
        self.error = error


def channel_info(channel_id: str, answer: Any) -> ChannelInfo:
    """Read conversations.info's answer; raise :class:`ChannelUnreadable` when it cannot tell.
    ``is_ext_shared`` here is Slack's own flags; :meth:`ChannelDirectory.lookup` judges it
    against the network."""
    channel = answer.get("channel") if hasattr(answer, "get") else None
    if not isinstance(channel, dict) or not all(flag in channel for flag in REQUIRED_FLAGS):
        raise ChannelUnreadable(channel_id)
    pending = bool(channel.get("pending_connected_team_ids") or channel.get("pending_shared"))
    shared = any(channel.get(flag) is not False for flag in SHARED_FLAGS if flag in channel)
    return ChannelInfo(
        id=channel_id,
        name=str(channel.get("name") or channel_id),
        is_ext_shared=shared or pending,
        is_archived=bool(channel.get("is_archived")),
        is_member=bool(channel.get("is_member", True)),
        team_ids=frozenset(
            str(t)
            for t in [
                *(channel.get("shared_team_ids") or ()),
                *(channel.get("connected_team_ids") or ()),
            ]
            if isinstance(t, str)
        ),
        shared=shared or pending,
        pending=pending or bool(channel.get("is_pending_ext_shared")),
    )


class ChannelDirectory:
    def __init__(
        self, *, clients: WorkspaceClients, network: Network | None = None, ttl: float = 300.0
    ) -> None:
        self._clients = clients
        self._network = network
        self._ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, ChannelInfo]] = {}

    async def lookup(self, channel_id: str, *, workspace_id: str = "") -> ChannelInfo:
        """Ask Slack now. Slack's errors, timeouts and dropped connections reach the caller,
        which decides whether to wait or give up; none of them means "not shared". A workspace
        without a usable install raises :class:`~network_bot.oauth.clients.WorkspaceUnavailable`."""
        client = await self._clients.client(workspace_id)
        response = await client.conversations_info(channel=channel_id)
        found = channel_info(channel_id, response)
        self._cache[(self._clients.tokens.key(workspace_id), channel_id)] = (
            time.monotonic(),
            found,
        )
        return await self._judged(found)

    async def info(self, channel_id: str, *, workspace_id: str = "") -> ChannelInfo:
        """For the alert form: a recent answer, or a :class:`ChannelLookupError` to show."""
        cached = self._cache.get((self._clients.tokens.key(workspace_id), channel_id))
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return await self._judged(cached[1])
        try:
            return await self.lookup(channel_id, workspace_id=workspace_id)
        except WorkspaceUnavailable:
            raise ChannelLookupError(channel_id, "workspace_unavailable") from None
        except SlackApiError as error:
            raise ChannelLookupError(channel_id, str(error.response.get("error"))) from None
        except ChannelUnreadable:
            raise ChannelLookupError(channel_id, "Slack's answer did not say") from None
        except (aiohttp.ClientError, TimeoutError, OSError):
            raise ChannelLookupError(channel_id, "Slack did not answer in time") from None

    async def _judged(self, found: ChannelInfo) -> ChannelInfo:
        """Shared outside the network? Only a channel naming network workspaces alone (and no
        share pending) is not."""
        if not found.shared:
            return replace(found, is_ext_shared=False)
        network = await self._network() if self._network is not None else frozenset()
        inside = not found.pending and bool(found.team_ids) and found.team_ids <= network
        return replace(found, is_ext_shared=not inside)
