"""The stand-in workspace's messages, ephemeral replies, response URLs and views, with Slack's
rules for each (the checks live in ``_stand_in_surfaces``)."""

from __future__ import annotations

import copy
import json
import secrets
from typing import Any

from network_bot.testing._stand_in_blocks import with_ids
from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_people import Json, People, _ResponseUrl
from network_bot.testing._stand_in_surfaces import check_message, check_response_url_body


class Conversations(People):
    """What is said in a workspace's conversations and shown in its views."""

    # --- messages ------------------------------------------------------------------------

    @staticmethod
    def _check_content(text: Any, blocks: Any, attachments: Any, mrkdwn: Any = True) -> None:
        refused = check_message(text=text, blocks=blocks, attachments=attachments, mrkdwn=mrkdwn)
        if refused is not None:
            raise ApiError(refused.error, messages=refused.messages, block_kit=True)

    def _message(self, channel: str, *, text: Any, blocks: Any, extra: Json) -> Json:
        message: Json = {
            "type": "message",
            "ts": self.next_ts(),
            "channel": channel,
            "text": text if isinstance(text, str) else "",
            "blocks": with_ids(blocks),
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "thread_ts": None,
            "deleted": False,
            "edits": [],
        }
        message.update({k: v for k, v in extra.items() if v is not None})
        self._messages.setdefault(channel, []).append(message)
        return message

    @staticmethod
    def public_message(message: Json) -> Json:
        """The message as Slack returns it (without the stand-in's bookkeeping)."""
        hidden = {"channel", "deleted", "edits"}
        public = {k: copy.deepcopy(v) for k, v in message.items() if k not in hidden}
        if public.get("thread_ts") is None:
            public.pop("thread_ts", None)
        return public

    def post_message(
        self,
        channel: str,
        *,
        text: Any,
        blocks: Any = None,
        attachments: Any = None,
        thread_ts: str | None = None,
        metadata: Any = None,
    ) -> Json:
        """``chat.postMessage``; returns the stored message (use ``public_message`` to answer)."""
        if not channel:
            raise ApiError("channel_not_found")
        target = self._postable(channel)
        self._check_content(text, blocks, attachments)
        return self._message(
            target,
            text=text,
            blocks=blocks,
            extra={"thread_ts": thread_ts, "attachments": attachments, "metadata": metadata},
        )

    def _find_message(self, channel: str, ts: str) -> Json:
        key = self.conversation_key(channel)
        if key not in self._messages:
            raise ApiError("channel_not_found")
        for message in self._messages[key]:
            if message["ts"] == ts and not message["deleted"]:
                return message
        raise ApiError("message_not_found")

    @staticmethod
    def _edit(message: Json, *, text: Any, blocks: Any, ts: str, by: str) -> None:
        message["edits"].append({"ts": ts, "text": message["text"], "blocks": message["blocks"]})
        message["text"] = text if isinstance(text, str) else ""
        message["blocks"] = with_ids(blocks)
        message["edited"] = {"user": by, "ts": ts}

    def update_message(
        self,
        channel: str,
        ts: str,
        *,
        text: Any,
        blocks: Any = None,
        attachments: Any = None,
    ) -> Json:
        """``chat.update``: keeps the old text and blocks in ``edits``."""
        message = self._find_message(channel, ts)
        self._check_content(text, blocks, attachments)
        self._edit(message, text=text, blocks=blocks, ts=self.next_ts(), by=self.bot_user_id)
        if attachments is not None:
            message["attachments"] = attachments
        return message

    def delete_message(self, channel: str, ts: str) -> Json:
        message = self._find_message(channel, ts)
        message["deleted"] = True
        return message

    def permalink(self, channel: str, ts: str) -> str:
        message = self._find_message(channel, ts)
        link = (
            f"https://{self.team_domain}.slack.com/archives/{message['channel']}"
            f"/p{ts.replace('.', '')}"
        )
        thread = message.get("thread_ts")
        if thread and thread != ts:
            link += f"?thread_ts={thread}&cid={message['channel']}"
        return link

    def post_ephemeral(
        self,
        channel: str,
        user_id: str,
        *,
        text: Any,
        blocks: Any = None,
        attachments: Any = None,
        thread_ts: str | None = None,
        source: str = "chat.postEphemeral",
    ) -> Json:
        """``chat.postEphemeral``: only that person sees it, and only while they are active."""
        if not user_id or user_id not in self._users or self._users[user_id]["deleted"]:
            raise ApiError("user_not_found")
        target = self._postable(channel)
        self._check_content(text, blocks, attachments)
        return self._add_ephemeral(
            target, user_id, text=text, blocks=blocks, source=source, thread_ts=thread_ts
        )

    def _add_ephemeral(
        self,
        channel: str,
        user_id: str,
        *,
        text: Any,
        blocks: Any,
        source: str,
        thread_ts: str | None = None,
    ) -> Json:
        record: Json = {
            "ts": self.next_ts(),
            "channel": channel,
            "user": user_id,
            "text": text if isinstance(text, str) else "",
            "blocks": with_ids(blocks),
            "source": source,
            "thread_ts": thread_ts,
            "deleted": False,
            "edits": [],
        }
        self._ephemerals.append(record)
        return record

    def messages(self, channel_id: str) -> list[Json]:
        """Everything the bot posted in a conversation, oldest first (deleted ones flagged)."""
        return copy.deepcopy(self._messages.get(self.conversation_key(channel_id), []))

    def history(self, channel: str, *, metadata: bool) -> list[Json]:
        """``conversations.history``: live messages newest first, each with an ``id`` to page by."""
        key = self.conversation_key(channel)
        if key not in self._ims and key not in self._channels:
            raise ApiError("channel_not_found")
        found: list[Json] = []
        for message in reversed(self._messages.get(key, [])):
            if message["deleted"]:
                continue
            public = self.public_message(message)
            if not metadata:
                public.pop("metadata", None)
            elif isinstance(public.get("metadata"), str):
                public["metadata"] = json.loads(public["metadata"])
            found.append({**public, "id": public["ts"]})
        return found

    def dm(self, user_id: str) -> list[Json]:
        """What the bot said to this person in their DM."""
        return copy.deepcopy(self._messages.get(self.im_of(user_id), []))

    def all_messages(self) -> list[Json]:
        every = [m for messages in self._messages.values() for m in messages]
        return copy.deepcopy(sorted(every, key=lambda m: str(m["ts"])))

    def ephemerals(self, user_id: str) -> list[Json]:
        """What only this person saw: ``chat.postEphemeral`` and ephemeral response_url posts."""
        return copy.deepcopy([e for e in self._ephemerals if e["user"] == user_id])

    # --- response_url --------------------------------------------------------------------

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

    # --- triggers and views (kept by ``self.view_store``) ----------------------------------

    @property
    def trigger_ttl(self) -> float:
        """Seconds a trigger_id stays usable (Slack: 3)."""
        return self.view_store.trigger_ttl

    @trigger_ttl.setter
    def trigger_ttl(self, seconds: float) -> None:
        self.view_store.trigger_ttl = seconds

    def new_trigger_id(self, user_id: str) -> str:
        """A trigger_id as Slack issues per interaction: single use, valid ``trigger_ttl`` s."""
        return self.view_store.new_trigger_id(user_id)

    def views_for(self, user_id: str) -> list[Json]:
        """The person's open modal stack, root first."""
        return self.view_store.views_for(user_id)

    def view(self, view_id: str) -> Json | None:
        return self.view_store.view(view_id)

    def home(self, user_id: str) -> Json | None:
        """The person's Home tab as last published."""
        return self.view_store.home(user_id)

    def close_view(self, user_id: str) -> Json | None:
        """Close the top view of the person's modal (what an empty submission ack does)."""
        return self.view_store.close_view(user_id)

    def clear_views(self, user_id: str) -> None:
        """Close the whole modal (``response_action: clear``)."""
        self.view_store.clear_views(user_id)

    def replace_view(self, view_id: str, view: Any) -> Json:
        """A submission answered with ``response_action: update``."""
        return self.view_store.update_view(view, view_id=view_id)

    def push_view(self, user_id: str, view: Any) -> Json:
        """A submission answered with ``response_action: push``."""
        return self.view_store.push_view(user_id, view)
