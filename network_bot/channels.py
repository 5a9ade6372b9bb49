"""What Slack says about channels: asked fresh by the sender, kept briefly for the alert form.

The sender refuses to post into a channel shared with another organisation (Slack Connect)
unless a coordinator chose it, so it asks Slack at the moment of sending (:meth:`lookup`) and
treats every answer that does not say "not shared" as a reason not to post. The alert form uses
:meth:`info`, cached for a few minutes, to warn the coordinator early; it never lets a post
through on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

# conversations.info's channel object says whether a channel is shared with another workspace
# (``is_shared``, ``is_ext_shared``) or about to be (``is_pending_ext_shared``,
# ``pending_connected_team_ids``: an invitation the partner has not accepted yet, after which
# they would read the history too). Reference: https://docs.slack.dev/reference/objects/
# conversation-object. A channel object without the first two is not an answer the sender can
# act on.
SHARED_FLAGS = ("is_ext_shared", "is_shared", "is_pending_ext_shared")
REQUIRED_FLAGS = ("is_ext_shared", "is_shared")


@dataclass(frozen=True, kw_only=True)
class ChannelInfo:
    id: str
    name: str
    is_ext_shared: bool
    is_archived: bool
    is_member: bool


class ChannelUnreadable(Exception):
    """Slack answered ``ok`` without saying whether the channel is shared."""


class ChannelLookupError(Exception):
    """Slack would not say anything about the channel (``channel_not_found``...)."""

    def __init__(self, channel_id: str, error: str) -> None:
        super().__init__(f"{channel_id}: {error}")
        self.channel_id = channel_id
        self.error = error


def channel_info(channel_id: str, answer: Any) -> ChannelInfo:
    """Read conversations.info's answer; raise :class:`ChannelUnreadable` when it cannot tell."""
    channel = answer.get("channel") if hasattr(answer, "get") else None
    if not isinstance(channel, dict) or not all(flag in channel for flag in REQUIRED_FLAGS):
        raise ChannelUnreadable(channel_id)
    pending = channel.get("pending_connected_team_ids") or channel.get("pending_shared")
    return ChannelInfo(
        id=channel_id,
        name=str(channel.get("name") or channel_id),
        is_ext_shared=any(
            channel.get(flag) is not False for flag in SHARED_FLAGS if flag in channel
        )
        or bool(pending),
        is_archived=bool(channel.get("is_archived")),
        is_member=bool(channel.get("is_member", True)),
    )


class ChannelDirectory:
    def __init__(self, *, client: AsyncWebClient, ttl: float = 300.0) -> None:
        self._client = client
        self._ttl = ttl
        self._cache: dict[str, tuple[float, ChannelInfo]] = {}

    async def lookup(self, channel_id: str) -> ChannelInfo:
        """Ask Slack now. Slack's errors, timeouts and dropped connections reach the caller,
        which decides whether to wait or give up; none of them means "not shared"."""
        response = await self._client.conversations_info(channel=channel_id)
        found = channel_info(channel_id, response)
        self._cache[channel_id] = (time.monotonic(), found)
        return found

    async def info(self, channel_id: str) -> ChannelInfo:
        """For the alert form: a recent answer, or a :class:`ChannelLookupError` to show."""
        cached = self._cache.get(channel_id)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        try:
            return await self.lookup(channel_id)
        except SlackApiError as error:
            raise ChannelLookupError(channel_id, str(error.response.get("error"))) from None
        except ChannelUnreadable:
            raise ChannelLookupError(channel_id, "Slack's answer did not say") from None
        except (aiohttp.ClientError, TimeoutError, OSError):
            raise ChannelLookupError(channel_id, "Slack did not answer in time") from None

    def forget(self, channel_id: str) -> None:
        self._cache.pop(channel_id, None)
