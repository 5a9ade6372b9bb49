"""The bot scopes the app asks for when a workspace installs it (and app_manifest.yaml names).

Why each is needed is in the README ("The scopes it asks for, and why"); a test keeps this list
and the manifest's the same.
"""

from __future__ import annotations

BOT_SCOPES: tuple[str, ...] = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "channels:read",
    "groups:read",
    "im:history",
    "channels:history",
    "groups:history",
    "files:write",
)
