"""What Slack's answers mean for a delivery: give up, wait for a new token, or try again."""

from __future__ import annotations

from typing import Any

# Errors that the same call would get again: the row fails at once.
PERMANENT = frozenset(
    {
        "channel_not_found",
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "cannot_dm_bot",
        "restricted_action",
        "message_not_found",
        "cant_update_message",
        "cant_delete_message",
        "edit_window_closed",
        "invalid_arguments",
        "too_many_attachments",
        "shared_channel_refused",
        "channel_is_archived",
    }
)
# Errors about the bot's token: every call would fail, so the worker pauses and fails nothing.
AUTH = frozenset(
    {
        "invalid_auth",
        "token_revoked",
        "not_authed",
        "token_expired",
        "account_inactive_bot",
        "team_access_not_granted",
        "missing_scope",
    }
)


def retry_after(headers: Any) -> float:
    """Seconds from a 429's ``Retry-After`` header (at least one; one when unreadable)."""
    value = None
    if headers is not None:
        value = headers.get("Retry-After") or headers.get("retry-after")
        if isinstance(value, list):
            value = value[0] if value else None
    try:
        return max(1.0, float(value)) if value is not None else 1.0
    except ValueError:
        return 1.0
