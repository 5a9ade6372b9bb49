"""The stand-in workspace's messages: posting, editing and deleting as the bot, ephemeral
messages, history and permalinks, each checked against Slack's rules for message content."""

from __future__ import annotations

import copy
import json
from typing import Any

from network_bot.testing._stand_in_blocks import with_ids
from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_people import Json, People
from network_bot.testing._stand_in_surfaces import check_message


class Messages(People):
    """What was said in each conversation, and what only one person saw."""

    def __init__(self, **people: Any) -> None:
        super().__init__(**people)
        self._messages: dict[str, list[Json]] = {}  # conversation id -> messages, oldest first
        self._ephemerals: list[Json] = []

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
        if key not in self._messages and not self.is_conversation(key):
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
        if not self.is_conversation(key):
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
