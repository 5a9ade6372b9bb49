"""What Slack's answers mean for a delivery: give up, wait for a new token, or try again."""

from __future__ import annotations

# Errors that the same call would get again: the delivery fails at once.
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
