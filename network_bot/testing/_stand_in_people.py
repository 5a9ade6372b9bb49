"""The stand-in workspace's people and conversations: who is there, which channels and DMs
exist, and where the bot may post (with Slack's refusals for each kind of conversation).

Everything is plain dicts shaped like Slack's own objects, so what a test reads back is what the
bot would have seen from real Slack. Operations raise ``ApiError`` with Slack's error codes.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from network_bot.testing._stand_in_core import ApiError

Json = dict[str, Any]


def _tz_label(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


class People:
    """A workspace's identity, its members and its conversations (channels, DMs, group DMs)."""

    def __init__(
        self,
        *,
        team_id: str,
        team_name: str,
        bot_user_id: str,
        app_id: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = "".join(c for c in team_name.lower() if c.isalnum()) or "workspace"
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.app_id = app_id
        self._clock = clock
        self._ids = itertools.count(1)
        self._last_ts_micros = 0
        self._users: dict[str, Json] = {}
        self._channels: dict[str, Json] = {}
        self._ims: dict[str, Json] = {}  # IM id -> IM object

    # --- ids and time -------------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):09d}"

    def next_ts(self) -> str:
        """A message ts: wall-clock based like Slack's, unique and increasing."""
        micros = max(int(time.time() * 1_000_000), self._last_ts_micros + 1)
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

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

    def is_conversation(self, key: str) -> bool:
        """Whether ``key`` is a channel or DM of this workspace."""
        return key in self._channels or key in self._ims

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


def _shown(user: Json, *, include_locale: bool) -> Json:
    """A copy of a user object as Slack returns it. Slack's users.info and users.list reference:
    ``include_locale``, "Set this to true to receive the locale for this user. Defaults to
    false" (https://api.slack.com/methods/users.info): without it there is no ``locale`` key."""
    shown = copy.deepcopy(user)
    if not include_locale:
        shown.pop("locale", None)
    return shown
