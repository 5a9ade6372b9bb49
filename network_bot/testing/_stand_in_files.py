"""The stand-in workspace's files: Slack's external upload in three steps (ask for an upload
URL, send the bytes, complete the upload to share it), with the refusals Slack documents."""

from __future__ import annotations

import mimetypes
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from network_bot.testing._stand_in_core import ApiError
from network_bot.testing._stand_in_messages import Messages
from network_bot.testing._stand_in_people import Json

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


class Files(Messages):
    """Uploaded files, and the messages that share them."""

    def __init__(self, **people: Any) -> None:
        super().__init__(**people)
        self._files: dict[str, _File] = {}
        self._uploads: dict[str, str] = {}  # upload token -> file id

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
