"""Installing the bot into a stand-in workspace the way a person does, through the real pages.

A browser opens the bot's ``GET /slack/install`` (bolt's "Add to Slack" page, which sets the
state cookie), follows its authorize link to the stand-in's consent screen, is sent back to the
bot's ``GET /slack/oauth_redirect`` with the code and state, and shows the page it answers. The
cookie is carried as a browser would carry it back to the same site.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

import aiohttp

from network_bot.testing.stand_in import SlackStandIn

_LINK = re.compile(r'href="([^"]+/oauth/v2/authorize[^"]*)"')


@dataclass(frozen=True, kw_only=True)
class InstallOutcome:
    status: int  # of the page the person ends on
    page: str
    authorize_url: str
    token: str | None  # the bot token the stand-in issued, if the install went through


async def install_page(session: aiohttp.ClientSession, bot_url: str) -> tuple[str, str]:
    """The "Add to Slack" page's authorize link and the state cookie it set."""
    async with session.get(f"{bot_url}/slack/install") as response:
        page = await response.text()
        cookies = SimpleCookie()
        for header in response.headers.getall("Set-Cookie", []):
            cookies.load(header)
    found = _LINK.search(page)
    if found is None:
        raise AssertionError(f"no authorize link on the install page: {page[:200]}")
    cookie = "; ".join(f"{k}={v.value}" for k, v in cookies.items())
    return html.unescape(found.group(1)), cookie


async def install(
    stand_in: SlackStandIn,
    bot_url: str,
    *,
    team_id: str,
    user_id: str,
    org_wide: bool = False,
    deny: bool = False,
    cookie: str | None = None,
) -> InstallOutcome:
    """Run one install; ``cookie`` overrides the browser's (a link opened elsewhere)."""
    before = len(stand_in.installs)
    async with aiohttp.ClientSession() as session:
        authorize_url, state_cookie = await install_page(session, bot_url)
        parts = urlsplit(authorize_url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        query.update({"stand_in_team": team_id, "stand_in_user": user_id})
        if org_wide:
            query["stand_in_org"] = "1"
        if deny:
            query["stand_in_deny"] = "1"
        consent = parts._replace(query=urlencode(query)).geturl()
        async with session.get(consent, allow_redirects=False) as response:
            location = response.headers.get("Location")
            if response.status != 302 or location is None:
                return InstallOutcome(
                    status=response.status,
                    page=await response.text(),
                    authorize_url=authorize_url,
                    token=None,
                )
        headers = {"Cookie": state_cookie if cookie is None else cookie}
        async with session.get(location, headers=headers, allow_redirects=False) as response:
            page = await response.text()
            status = response.status
    granted = stand_in.installs[before:]
    return InstallOutcome(
        status=status,
        page=page,
        authorize_url=authorize_url,
        token=granted[-1].token if granted else None,
    )
