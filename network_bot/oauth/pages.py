"""The pages a person sees at the end of an install: what happened, and what to do next.

bolt's OAuth flow calls these (``AsyncCallbackOptions``) after it exchanged the code and stored
the installation, or when it could not: a cancelled install, a link opened twice or in another
browser, a code Slack would not confirm, or the database refusing the write. Nothing here is
shown from what the request carried except bolt's reason code, which is one of its own words.
"""

from __future__ import annotations

import html
import logging

from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.response import BoltResponse

log = logging.getLogger("network_bot.oauth")

REASONS = {
    "access_denied": (
        "The install was cancelled, so nothing was installed.",
        "If that was a mistake, start again.",
    ),
    "invalid_browser": (
        "This install was started in another browser (or its cookie was lost).",
        "Start again in this browser.",
    ),
    "invalid_state": (
        "This install link has expired or was already used.",
        "Start again: each link works once, for ten minutes.",
    ),
    "missing_code": (
        "Slack did not send back the install's confirmation.",
        "Start again from the install page.",
    ),
    "invalid_code": (
        "Slack did not confirm the install (the confirmation expired or was already used).",
        "Start again from the install page.",
    ),
    "storage_error": (
        "The install could not be saved on our side, so nothing was installed.",
        "Please try again in a moment; if it keeps happening, tell the network's admins.",
    ),
}
UNKNOWN = (
    "Slack reported a problem, so nothing was installed.",
    "Start again from the install page; if it keeps happening, tell the network's admins.",
)


def _page(title: str, lines: list[str], *, status: int, install_path: str | None) -> BoltResponse:
    again = (
        f'<p><a href="{html.escape(install_path)}">Start the install again</a></p>'
        if install_path
        else ""
    )
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>{body}{again}</body></html>"
    )
    return BoltResponse(
        status=status, body=document, headers={"Content-Type": "text/html; charset=utf-8"}
    )


async def installed(args: AsyncSuccessArgs) -> BoltResponse:
    where = args.installation.enterprise_name if args.installation.is_enterprise_install else None
    where = where or args.installation.team_name or "your workspace"
    return _page(
        "network-bot is installed",
        [
            f"network-bot is now installed in {where}.",
            "Before anyone there can use it, an admin of the network has to approve the "
            "workspace; the network's admins have been told. Until then, the bot answers "
            "with one line saying so.",
        ],
        status=200,
        install_path=None,
    )


async def failed(args: AsyncFailureArgs) -> BoltResponse:
    what, next_step = REASONS.get(args.reason, UNKNOWN)
    log.info("an install failed: %s", args.reason if args.reason in REASONS else "other")
    status = args.suggested_status_code if args.reason != "access_denied" else 200
    return _page(
        "network-bot was not installed",
        [what, next_step],
        status=status,
        install_path=args.settings.install_path,
    )


CALLBACKS = AsyncCallbackOptions(success=installed, failure=failed)
