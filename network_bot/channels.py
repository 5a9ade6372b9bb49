"""What Slack says about channels, asked once and kept briefly.

Used by the alert form to warn about shared channels, and by the sender to refuse to post into a
channel shared with another organisation (Slack Connect) unless a coordinator chose it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient


@dataclass(frozen=True, kw_only=True)
class ChannelInfo:
    id: str
    name: str
    is_ext_shared: bool
    is_archived: bool
    is_member: bool


class ChannelLookupError(Exception):
    """Slack would not say anything about the channel (``channel_not_found``...)."""

    def __init__(self, channel_id: str, error: str) -> None:
        super().__init__(f"{channel_id}: {error}")
        self.channel_id = channel_id
        self.error = error


class ChannelDirectory:
    def __init__(self, *, client: AsyncWebClient, ttl: float = 300.0) -> None:
        self._client = client
        self._ttl = ttl
        self._cache: dict[str, tuple[float, ChannelInfo]] = {}

    async def info(self, channel_id: str) -> ChannelInfo:
        cached = self._cache.get(channel_id)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        try:
            response = await self._client.conversations_info(channel=channel_id)
        except SlackApiError as error:
            raise ChannelLookupError(channel_id, str(error.response.get("error"))) from None
        channel = response.get("channel") or {}
        found = ChannelInfo(
            id=channel_id,
            name=str(channel.get("name") or channel_id),
            # is_shared covers Slack Connect too; a private shared channel may only set that.
            is_ext_shared=bool(channel.get("is_ext_shared") or channel.get("is_shared")),
            is_archived=bool(channel.get("is_archived")),
            is_member=bool(channel.get("is_member", True)),
        )
        self._cache[channel_id] = (time.monotonic(), found)
        return found

    def forget(self, channel_id: str) -> None:
        self._cache.pop(channel_id, None)
