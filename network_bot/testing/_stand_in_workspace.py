"""The in-memory workspace behind the Slack stand-in: people, channels, messages, views, files.

Everything here is plain dicts shaped like Slack's own objects, so what a test reads back is
what the bot would have seen from real Slack. Operations raise ``ApiError`` with Slack's error
codes; the HTTP layer in ``stand_in.py`` only decodes requests and encodes answers.
"""

from __future__ import annotations

import copy
import itertools
import json
import mimetypes
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from network_bot.testing._stand_in_blocks import with_ids
from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_surfaces import check_message, check_response_url_body
from network_bot.testing._stand_in_views import ViewStore

Json = dict[str, Any]


@dataclass(kw_only=True)
class _ResponseUrl:
    channel_id: str
    user_id: str
    issued: float
    original: tuple[str, str] | None = None  # (channel, ts) that replace/delete_original act on
    uses: int = 0


ALT_TXT_MAX = 1000
"""files.getUploadURLExternal refuses longer alt text (``alt_txt_too_large``)."""


@dataclass(kw_only=True)
class _File:
    id: str
    name: str
    length: int
    alt_txt: str | None = None
    content: bytes | None = None
    title: str | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    created: int = 0


def _tz_label(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


class Workspace:
    """One Slack workspace's state, with the rules Slack applies when the bot changes it."""

    def __init__(
        self,
        *,
        team_id: str,
        team_name: str,
        bot_user_id: str,
        app_id: str,
        trigger_ttl: float,
        response_url_ttl: float,
        response_url_uses: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = "".join(c for c in team_name.lower() if c.isalnum()) or "workspace"
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.app_id = app_id
        self.response_url_ttl = response_url_ttl
        self.response_url_uses = response_url_uses
        self._clock = clock
        self._ids = itertools.count(1)
        self._last_ts_micros = 0
        self._users: dict[str, Json] = {}
        self._channels: dict[str, Json] = {}
        self._ims: dict[str, Json] = {}  # IM id -> IM object
        self._messages: dict[str, list[Json]] = {}
        self._ephemerals: list[Json] = []
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._files: dict[str, _File] = {}
        self._uploads: dict[str, str] = {}  # upload token -> file id
        self.view_store = ViewStore(
            team_id=team_id,
            app_id=app_id,
            bot_id=self.bot_id,
            trigger_ttl=trigger_ttl,
            user_exists=self._users.__contains__,
            clock=clock,
        )
        self.add_user(bot_user_id, "network-bot", real_name="Network Bot", is_bot=True)

    # --- ids and time -------------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):09d}"

    def next_ts(self) -> str:
        """A message ts: wall-clock based like Slack's, unique and increasing."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # --- people and conversations ------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "Europe/London",
        tz_offset: int = 0,
        deleted: bool = False,
        is_bot: bool = False,
        team_id: str | None = None,
        locale: str = "en-US",
    ) -> Json:
        """Add (or replace) a member; Slack leaves ``display_name`` empty until people set one.

        ``locale`` is the person's Slack language (``fr-FR``, ``es-ES``, ``ar``...); like Slack,
        ``users.info`` and ``users.list`` show it only when asked with ``include_locale``.
        """
        real = real_name if real_name is not None else name
        display = display_name if display_name is not None else ""
        team = team_id or self.team_id
        profile: Json = {
            "real_name": real,
            "real_name_normalized": real,
            "display_name": display,
            "display_name_normalized": display,
            "title": "",
            "phone": "",
            "status_text": "",
            "status_emoji": "",
            "avatar_hash": "g0000000000",
            "team": team,
            "image_48": f"https://avatars.stand-in.invalid/{user_id}_48.png",
        }
        if is_bot:
            profile["bot_id"] = self.bot_id if user_id == self.bot_user_id else "B" + user_id[1:]
        user: Json = {
            "id": user_id,
            "team_id": team,
            "name": name,
            "deleted": deleted,
            "color": "9f69e7",
            "real_name": real,
            "tz": tz,
            "tz_label": _tz_label(tz_offset),
            "tz_offset": tz_offset,
            "profile": profile,
            "is_admin": False,
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "updated": int(time.time()),
            "is_email_confirmed": True,
            "locale": locale,
        }
        self._users[user_id] = user
        return copy.deepcopy(user)

    def add_channel(
        self,
        channel_id: str,
        name: str,
        *,
        is_ext_shared: bool = False,
        is_private: bool = False,
        is_archived: bool = False,
        bot_is_member: bool = True,
    ) -> Json:
        """Add (or replace) a channel, flagged private or Slack Connect as Slack does."""
        channel: Json = {
            "id": channel_id,
            "name": name,
            "name_normalized": name,
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "created": int(time.time()),
            "is_archived": is_archived,
            "is_general": name == "general",
            "is_shared": is_ext_shared,
            "is_ext_shared": is_ext_shared,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "pending_connected_team_ids": [],
            "is_member": bot_is_member,
            "context_team_id": self.team_id,
            "creator": "",
            "unlinked": 0,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
        }
        self._channels[channel_id] = channel
        self._messages.setdefault(channel_id, [])
        return copy.deepcopy(channel)

    def deactivate_user(self, user_id: str) -> None:
        """What an admin deactivating someone does: the account stays, marked ``deleted``."""
        self._user(user_id)["deleted"] = True
        for im in self._ims.values():
            if im["user"] == user_id:
                im["is_user_deleted"] = True

    def archive_channel(self, channel_id: str) -> None:
        self._channel(channel_id)["is_archived"] = True

    def share_channel(self, channel_id: str, *, pending: bool = False) -> None:
        """Share a channel with another organisation (Slack Connect), as an admin would; with
        ``pending`` the invitation is sent but not accepted yet. conversations.info then says
        so: https://docs.slack.dev/reference/objects/conversation-object"""
        channel = self._channel(channel_id)
        if pending:
            channel["is_pending_ext_shared"] = True
            channel["pending_connected_team_ids"] = ["T0PARTNER1"]
        else:
            channel.update(is_shared=True, is_ext_shared=True, is_pending_ext_shared=False)
            channel["pending_connected_team_ids"] = []

    def set_bot_member(self, channel_id: str, is_member: bool) -> None:
        """Invite the bot to (or remove it from) a channel."""
        self._channel(channel_id)["is_member"] = is_member

    @property
    def users(self) -> Mapping[str, Json]:
        """Every account by id, read-only (use ``add_user``/``deactivate_user`` to change)."""
        return MappingProxyType(self._users)

    @property
    def channels(self) -> Mapping[str, Json]:
        """Every channel by id (DMs excluded), read-only."""
        return MappingProxyType(self._channels)

    def _user(self, user_id: str) -> Json:
        if user_id not in self._users:
            raise KeyError(f"no user {user_id} in the stand-in workspace")
        return self._users[user_id]

    def _channel(self, channel_id: str) -> Json:
        if channel_id not in self._channels:
            raise KeyError(f"no channel {channel_id} in the stand-in workspace")
        return self._channels[channel_id]

    def user_info(self, user_id: str, *, include_locale: bool = False) -> Json:
        if user_id not in self._users:
            raise ApiError("user_not_found")
        return _shown(self._users[user_id], include_locale=include_locale)

    def user_list(self, *, include_locale: bool = False) -> list[Json]:
        return [_shown(u, include_locale=include_locale) for u in self._users.values()]

    def im_of(self, user_id: str) -> str:
        """The stable id of the bot's DM with this person (``D`` + the user id's suffix)."""
        return "D" + user_id[1:]

    def _ensure_im(self, user_id: str) -> str:
        im_id = self.im_of(user_id)
        if im_id not in self._ims:
            user = self._user(user_id)
            self._ims[im_id] = {
                "id": im_id,
                "created": int(time.time()),
                "is_im": True,
                "is_org_shared": False,
                "user": user_id,
                "is_user_deleted": bool(user["deleted"]),
                "priority": 0,
                "is_open": True,
                "context_team_id": self.team_id,
            }
            self._messages.setdefault(im_id, [])
        return im_id

    def open_conversation(self, user_ids: list[str]) -> tuple[str, bool]:
        """``conversations.open``: the IM (or group DM) id, and whether it was already open."""
        for user_id in user_ids:
            if user_id not in self._users:
                raise ApiError("user_not_found")
            if self._users[user_id]["deleted"]:
                raise ApiError("user_disabled")
        others = [u for u in dict.fromkeys(user_ids) if u != self.bot_user_id]
        if not others:
            raise ApiError("users_list_not_supplied")
        if len(others) == 1:
            already = self.im_of(others[0]) in self._ims
            return self._ensure_im(others[0]), already
        return self._ensure_mpim(others)

    def _ensure_mpim(self, user_ids: list[str]) -> tuple[str, bool]:
        members = sorted(user_ids)
        name = "mpdm-" + "--".join(self._users[u]["name"] for u in members) + "-1"
        for channel in self._channels.values():
            if channel["is_mpim"] and channel["name"] == name:
                return str(channel["id"]), True
        channel = self.add_channel(self._next_id("G"), name, is_private=True)
        self._channels[channel["id"]].update({"is_mpim": True, "is_channel": False})
        return str(channel["id"]), False

    def conversation_key(self, channel: str) -> str:
        """Where a post to ``channel`` lands (user ids and names resolved), without side effects."""
        if channel in self._users:
            return self.im_of(channel)
        named = channel.removeprefix("#")
        for candidate in self._channels.values():
            if candidate["name"] == named and not candidate["is_mpim"]:
                return str(candidate["id"])
        return channel

    def conversation_info(self, channel_id: str) -> Json:
        """``conversations.info``: private channels the bot is not in do not exist for it."""
        if channel_id in self._ims:
            return copy.deepcopy(self._ims[channel_id])
        channel = self._channels.get(channel_id)
        if channel is None or (channel["is_private"] and not channel["is_member"]):
            raise ApiError("channel_not_found")
        return copy.deepcopy(channel)

    def conversation_list(self, types: Iterable[str], *, exclude_archived: bool) -> list[Json]:
        wanted = set(types)
        found: list[Json] = []
        for channel in self._channels.values():
            if channel["is_mpim"]:
                kind = "mpim"
            else:
                kind = "private_channel" if channel["is_private"] else "public_channel"
            if kind not in wanted or (exclude_archived and channel["is_archived"]):
                continue
            if channel["is_private"] and not channel["is_member"]:
                continue
            found.append(copy.deepcopy(channel))
        if "im" in wanted:
            found.extend(copy.deepcopy(im) for im in self._ims.values())
        return found

    def _postable(self, channel: str) -> str:
        """Resolve where the bot posts and apply Slack's refusals for that conversation."""
        key = self.conversation_key(channel)
        if channel in self._users:
            key = self._ensure_im(channel)
        if key in self._ims:
            user = self._users[self._ims[key]["user"]]
            if user["deleted"]:
                raise ApiError("account_inactive")
            if user["is_bot"]:
                raise ApiError("cannot_dm_bot")
            return key
        target = self._channels.get(key)
        if target is None:
            raise ApiError("channel_not_found")
        if not target["is_member"]:
            raise ApiError("channel_not_found" if target["is_private"] else "not_in_channel")
        if target["is_archived"]:
            raise ApiError("is_archived")
        return key

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

    # --- files -----------------------------------------------------------------------------

    def issue_upload(self, filename: Any, length: Any, *, alt_txt: Any = None) -> tuple[str, str]:
        """``files.getUploadURLExternal``: a file id and the token of its upload URL."""
        if not filename:
            raise ApiError(
                "invalid_arguments", messages=["[ERROR] missing required field: filename"]
            )
        try:
            size = int(length)
        except (TypeError, ValueError):
            raise ApiError(
                "invalid_arguments", messages=["[ERROR] missing required field: length"]
            ) from None
        # files.getUploadURLExternal, errors: "missing_argument: ... Typically only occurs when
        # the length provided is 0", and "alt_txt_too_large: Description for the image is
        # longer than the limit of 1000 character".
        if size <= 0:
            raise ApiError("missing_argument")
        if alt_txt is not None and len(str(alt_txt)) > ALT_TXT_MAX:
            raise ApiError("alt_txt_too_large")
        file = _File(
            id=self._next_id("F"),
            name=str(filename),
            length=size,
            alt_txt=str(alt_txt) if alt_txt else None,
            created=int(time.time()),
        )
        self._files[file.id] = file
        token = secrets.token_urlsafe(18)
        self._uploads[token] = file.id
        return file.id, token

    def store_upload(self, token: str, content: bytes) -> str:
        file_id = self._uploads.pop(token, None)
        if file_id is None:
            raise ApiError("invalid_upload_url", status=404)
        self._files[file_id].content = content
        return file_id

    def complete_upload(
        self,
        files: Any,
        *,
        channels: list[str],
        initial_comment: Any = None,
        thread_ts: Any = None,
    ) -> list[Json]:
        """``files.completeUploadExternal``: share uploaded files, as one message per call."""
        if not isinstance(files, list) or not files:
            raise ApiError("invalid_arguments", messages=["[ERROR] missing required field: files"])
        # files.completeUploadExternal, thread_ts: "make sure to provide only one channel when
        # using 'thread_ts'".
        if thread_ts and len(channels) != 1:
            raise ApiError(
                "invalid_arguments", messages=["[ERROR] thread_ts needs exactly one channel"]
            )
        targets = [self._postable(c) for c in channels]
        done: list[_File] = []
        for item in files:
            file = self._files.get(str(item.get("id"))) if isinstance(item, dict) else None
            if file is None or file.content is None:
                raise ApiError("file_not_found")
            file.title = str(item.get("title") or file.name)
            file.channels.extend(targets)
            file.initial_comment = str(initial_comment) if initial_comment else None
            file.thread_ts = str(thread_ts) if thread_ts else None
            done.append(file)
        for target in targets:
            self._message(
                target,
                text=initial_comment or "",
                blocks=None,
                extra={
                    "files": [self._file_object(f) for f in done],
                    "upload": True,
                    "thread_ts": thread_ts,
                },
            )
        return [self._file_object(f) for f in done]

    def _file_object(self, file: _File) -> Json:
        return {
            "id": file.id,
            "created": file.created,
            "timestamp": file.created,
            "name": file.name,
            "title": file.title or file.name,
            "mimetype": mimetypes.guess_type(file.name)[0] or "application/octet-stream",
            "user": self.bot_user_id,
            "size": len(file.content or b""),
            "channels": list(file.channels),
            "alt_txt": file.alt_txt,
            "permalink": f"https://{self.team_domain}.slack.com/files/{self.bot_user_id}/{file.id}",
        }

    def files(self, channel_id: str | None = None) -> list[Json]:
        """Uploaded files (shared to ``channel_id`` if given), with their bytes as ``content``."""
        key = self.conversation_key(channel_id) if channel_id else None
        found: list[Json] = []
        for file in self._files.values():
            if file.content is None or (key is not None and key not in file.channels):
                continue
            found.append(
                {
                    "id": file.id,
                    "name": file.name,
                    "title": file.title,
                    "content": file.content,
                    "channel": file.channels[0] if file.channels else None,
                    "channels": list(file.channels),
                    "initial_comment": file.initial_comment,
                    "thread_ts": file.thread_ts,
                    "size": len(file.content),
                    "alt_txt": file.alt_txt,
                    "length": file.length,
                }
            )
        return found


def _shown(user: Json, *, include_locale: bool) -> Json:
    """A copy of a user object as Slack returns it. Slack's users.info and users.list reference:
    ``include_locale``, "Set this to true to receive the locale for this user. Defaults to
    false" (https://api.slack.com/methods/users.info): without it there is no ``locale`` key."""
    shown = copy.deepcopy(user)
    if not include_locale:
        shown.pop("locale", None)
    return shown
