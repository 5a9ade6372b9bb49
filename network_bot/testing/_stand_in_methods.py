"""The Slack Web API methods the stand-in answers, with Slack's parameter and response shapes.

Each handler takes the decoded parameters (whatever the encoding) and returns the JSON body of
a success, or raises ``ApiError``. State changes live in ``Workspace``.
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Callable
from typing import Any

from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_workspace import Json, Workspace

Handler = Callable[[Json], Json]


def _flag(value: Any) -> bool:
    """Slack's booleans arrive as JSON booleans, ``true`` or ``1``."""
    return value is True or value == 1 or str(value).lower() in {"true", "1"}


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _limit(params: Json, default: int) -> int:
    try:
        limit = int(params.get("limit") or default)
    except (TypeError, ValueError):
        raise ApiError("invalid_limit") from None
    return min(limit, 1000) if limit > 0 else default


def _paginate(items: list[Json], *, cursor: Any, limit: int, kind: str) -> tuple[list[Json], str]:
    """Slack's cursor pagination: an opaque ``next_cursor`` naming the next item, "" at the end."""
    start = 0
    if cursor:
        try:
            decoded = base64.b64decode(str(cursor), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            raise ApiError("invalid_cursor") from None
        prefix, _, next_id = decoded.partition(":")
        ids = [str(item["id"]) for item in items]
        if prefix != kind or next_id not in ids:
            raise ApiError("invalid_cursor")
        start = ids.index(next_id)
    page = items[start : start + limit]
    following = items[start + limit : start + limit + 1]
    next_cursor = ""
    if following:
        next_cursor = base64.b64encode(f"{kind}:{following[0]['id']}".encode()).decode()
    return page, next_cursor


class WebApi:
    """The method table: ``handler("chat.postMessage")(params) -> body``."""

    def __init__(
        self,
        workspace: Workspace,
        *,
        upload_url: Callable[[str], str],
        socket_url: Callable[[], str],
    ) -> None:
        self._ws = workspace
        self._upload_url = upload_url
        self._socket_url = socket_url
        self._handlers: dict[str, Handler] = {
            "apps.connections.open": self._connections_open,
            "auth.test": self._auth_test,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "conversations.history": self._conversations_history,
            "conversations.info": self._conversations_info,
            "conversations.list": self._conversations_list,
            "conversations.open": self._conversations_open,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "views.open": self._views_open,
            "views.publish": self._views_publish,
            "views.push": self._views_push,
            "views.update": self._views_update,
        }

    @property
    def methods(self) -> frozenset[str]:
        return frozenset(self._handlers)

    def handler(self, method: str) -> Handler | None:
        return self._handlers.get(method)

    # --- identity -------------------------------------------------------------------------

    def _auth_test(self, params: Json) -> Json:
        ws = self._ws
        return {
            "ok": True,
            "url": f"https://{ws.team_domain}.slack.com/",
            "team": ws.team_name,
            "user": "network-bot",
            "team_id": ws.team_id,
            "user_id": ws.bot_user_id,
            "bot_id": ws.bot_id,
            "is_enterprise_install": False,
        }

    def _connections_open(self, params: Json) -> Json:
        return {"ok": True, "url": self._socket_url()}

    # --- people and conversations ---------------------------------------------------------

    def _users_info(self, params: Json) -> Json:
        user = self._ws.user_info(
            str(params.get("user") or ""), include_locale=_flag(params.get("include_locale"))
        )
        return {"ok": True, "user": user}

    def _users_list(self, params: Json) -> Json:
        members, next_cursor = _paginate(
            self._ws.user_list(include_locale=_flag(params.get("include_locale"))),
            cursor=params.get("cursor"),
            limit=_limit(params, 1000),
            kind="user",
        )
        return {
            "ok": True,
            "members": members,
            "cache_ts": int(time.time()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_info(self, params: Json) -> Json:
        channel = str(params.get("channel") or "")
        return {"ok": True, "channel": self._ws.conversation_info(channel)}

    def _conversations_history(self, params: Json) -> Json:
        """Newest first; message metadata only with ``include_all_metadata``, as Slack does."""
        channel = str(params.get("channel") or "")
        if not channel:
            raise ApiError("channel_not_found")
        found = self._ws.history(channel, metadata=_flag(params.get("include_all_metadata")))
        messages, next_cursor = _paginate(
            found, cursor=params.get("cursor"), limit=_limit(params, 100), kind="message"
        )
        for message in messages:
            message.pop("id", None)
        return {
            "ok": True,
            "messages": messages,
            "has_more": bool(next_cursor),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _conversations_list(self, params: Json) -> Json:
        types = _split(params.get("types")) or ["public_channel"]
        unknown = set(types) - {"public_channel", "private_channel", "mpim", "im"}
        if unknown:
            raise ApiError("invalid_types")
        found = self._ws.conversation_list(
            types, exclude_archived=_flag(params.get("exclude_archived"))
        )
        channels, next_cursor = _paginate(
            found, cursor=params.get("cursor"), limit=_limit(params, 100), kind="channel"
        )
        return {"ok": True, "channels": channels, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_open(self, params: Json) -> Json:
        if params.get("channel"):
            existing = self._ws.conversation_info(str(params["channel"]))
            return {"ok": True, "no_op": True, "already_open": True, "channel": existing}
        users = _split(params.get("users"))
        if not users:
            raise ApiError("users_list_not_supplied")
        channel_id, already = self._ws.open_conversation(users)
        channel: Json = {"id": channel_id}
        if _flag(params.get("return_im")):
            channel = self._ws.conversation_info(channel_id)
        return {"ok": True, "no_op": already, "already_open": already, "channel": channel}

    # --- messages -------------------------------------------------------------------------

    def _chat_post_message(self, params: Json) -> Json:
        thread_ts = params.get("thread_ts")
        message = self._ws.post_message(
            str(params.get("channel") or ""),
            text=params.get("text"),
            blocks=params.get("blocks"),
            attachments=params.get("attachments"),
            thread_ts=str(thread_ts) if thread_ts else None,
            metadata=params.get("metadata"),
        )
        return {
            "ok": True,
            "channel": message["channel"],
            "ts": message["ts"],
            "message": self._ws.public_message(message),
        }

    def _chat_update(self, params: Json) -> Json:
        message = self._ws.update_message(
            str(params.get("channel") or ""),
            str(params.get("ts") or ""),
            text=params.get("text"),
            blocks=params.get("blocks"),
            attachments=params.get("attachments"),
        )
        return {
            "ok": True,
            "channel": message["channel"],
            "ts": message["ts"],
            "text": message["text"],
            "message": self._ws.public_message(message),
        }

    def _chat_delete(self, params: Json) -> Json:
        message = self._ws.delete_message(
            str(params.get("channel") or ""), str(params.get("ts") or "")
        )
        return {"ok": True, "channel": message["channel"], "ts": message["ts"]}

    def _chat_post_ephemeral(self, params: Json) -> Json:
        thread_ts = params.get("thread_ts")
        record = self._ws.post_ephemeral(
            str(params.get("channel") or ""),
            str(params.get("user") or ""),
            text=params.get("text"),
            blocks=params.get("blocks"),
            attachments=params.get("attachments"),
            thread_ts=str(thread_ts) if thread_ts else None,
        )
        return {"ok": True, "message_ts": record["ts"]}

    def _chat_get_permalink(self, params: Json) -> Json:
        channel = str(params.get("channel") or "")
        link = self._ws.permalink(channel, str(params.get("message_ts") or ""))
        return {"ok": True, "channel": self._ws.conversation_key(channel), "permalink": link}

    # --- views ----------------------------------------------------------------------------

    def _views_open(self, params: Json) -> Json:
        return {
            "ok": True,
            "view": self._ws.view_store.open_view(params.get("trigger_id"), params.get("view")),
        }

    def _views_push(self, params: Json) -> Json:
        view = self._ws.view_store.push_view_with_trigger(
            params.get("trigger_id"), params.get("view")
        )
        return {"ok": True, "view": view}

    def _views_update(self, params: Json) -> Json:
        view = self._ws.view_store.update_view(
            params.get("view"),
            view_id=params.get("view_id"),
            external_id=params.get("external_id"),
            hash=params.get("hash"),
        )
        return {"ok": True, "view": view}

    def _views_publish(self, params: Json) -> Json:
        view = self._ws.view_store.publish_home(
            params.get("user_id"), params.get("view"), hash=params.get("hash")
        )
        return {"ok": True, "view": view}

    # --- files ----------------------------------------------------------------------------

    def _files_get_upload_url(self, params: Json) -> Json:
        file_id, token = self._ws.issue_upload(
            params.get("filename"), params.get("length"), alt_txt=params.get("alt_txt")
        )
        return {"ok": True, "upload_url": self._upload_url(token), "file_id": file_id}

    def _files_complete_upload(self, params: Json) -> Json:
        channels = _split(params.get("channels"))
        if params.get("channel_id"):
            channels.insert(0, str(params["channel_id"]))
        files = self._ws.complete_upload(
            params.get("files"),
            channels=channels,
            initial_comment=params.get("initial_comment"),
            thread_ts=params.get("thread_ts"),
        )
        return {"ok": True, "files": files}
