"""The stand-in workspace's response URLs: issued with a command or a click, each good for
a limited time and number of uses, posting ephemeral or in-channel or replacing the original."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_messages import Messages
from network_bot.testing._stand_in_people import Json
from network_bot.testing._stand_in_surfaces import check_response_url_body


@dataclass(kw_only=True)
class _ResponseUrl:
    channel_id: str
    user_id: str
    issued: float
    original: tuple[str, str] | None = None  # (channel, ts) that replace/delete_original act on
    uses: int = 0


class ResponseUrls(Messages):
    """The response URLs handed out, and what a post to each does."""

    def __init__(self, *, response_url_ttl: float, response_url_uses: int, **people: Any) -> None:
        super().__init__(**people)
        self.response_url_ttl = response_url_ttl
        self.response_url_uses = response_url_uses
        self._response_urls: dict[str, _ResponseUrl] = {}

    def issue_response_url(
        self, *, channel_id: str, user_id: str, message_ts: str | None = None
    ) -> str:
        """A response_url token; ``message_ts`` is the message a button click came from."""
        token = f"{next(self._ids)}/{secrets.token_urlsafe(18)}"
        original = (channel_id, message_ts) if message_ts else None
        self._response_urls[token] = _ResponseUrl(
            channel_id=channel_id,
            user_id=user_id,
            issued=self._clock(),
            original=original,
        )
        return token

    def use_response_url(self, token: str, body: Json) -> None:
        """A post to a response_url: ephemeral by default, ``in_channel``, replace or delete."""
        url = self._response_urls.get(token)
        if url is None:
            raise ApiError("invalid_url", status=404)
        if self._clock() - url.issued > self.response_url_ttl:
            raise ApiError("expired_url", status=404)
        if url.uses >= self.response_url_uses:
            raise ApiError("used_url", status=404)
        text, blocks = body.get("text"), body.get("blocks")
        deleting = bool(body.get("delete_original"))
        if not deleting:
            refused = check_response_url_body(body)
            if refused is not None:
                raise ApiError(refused.error, status=400, messages=refused.messages, block_kit=True)
        url.uses += 1
        original = self._original(url)
        if deleting:
            if original is not None:
                original["deleted"] = True
            return
        if body.get("replace_original") and original is not None:
            self._edit(original, text=text, blocks=blocks, ts=self.next_ts(), by=url.user_id)
            return
        if body.get("response_type") == "in_channel":
            posted = self._message(
                url.channel_id, text=text, blocks=blocks, extra={"thread_ts": body.get("thread_ts")}
            )
        else:
            posted = self._add_ephemeral(
                url.channel_id,
                url.user_id,
                text=text,
                blocks=blocks,
                source="response_url",
                thread_ts=body.get("thread_ts"),
            )
        if url.original is None:
            url.original = (str(posted["channel"]), str(posted["ts"]))

    def _original(self, url: _ResponseUrl) -> Json | None:
        if url.original is None:
            return None
        channel, ts = url.original
        candidates = self._messages.get(channel, []) + self._ephemerals
        for message in candidates:
            if message["ts"] == ts and message["channel"] == channel and not message["deleted"]:
                return message
        return None
