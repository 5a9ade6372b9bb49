"""How roster entries look in Slack."""

from __future__ import annotations

from typing import Any

from network_bot.blocks import kit
from network_bot.data import countries
from network_bot.i18n import Messages
from network_bot.store.members import Member


def country_label(code: str | None) -> str:
    if not code:
        return "not set"
    found = countries.by_code(code)
    return f"{found.flag} {found.name} ({found.code})" if found else code


def me_message(member: Member, *, language: str) -> dict[str, Any]:
    """``language``: the name, in itself, of the language the bot writes to them in."""
    pairs = [
        ("Name", kit.escape(member.name)),
        ("Role", member.role.value),
        ("Organisation", kit.escape(member.organisation or "not set")),
        ("Country", kit.escape(country_label(member.country))),
        ("Language", kit.escape(language)),
        ("Time zone", kit.escape(member.tz or "from Slack, not yet known")),
    ]
    blocks = [
        kit.section(f"Your entry in the network's roster, {kit.mention(member.user_id)}:"),
        kit.fields(pairs),
    ]
    if not member.organisation or not member.country:
        blocks.append(
            kit.context(
                'Tell the network who you are: `/network join org:"Your organisation" country:KE`'
            )
        )
    return kit.message(blocks, text="Your roster entry")


def members_message(
    rows: list[Member],
    *,
    total: int,
    page: int,
    per_page: int,
    role_filter: str | None,
    lang: Messages,
) -> dict[str, Any]:
    title = _roster_title(total, role_filter, lang)
    lines = []
    for m in rows:
        org = f" · {kit.escape(m.organisation)}" if m.organisation else ""
        country = f" · {m.country}" if m.country else ""
        lines.append(f"• {kit.mention(m.user_id)} ({m.role.value}){org}{country}")
    blocks = [kit.section(f"*{title}*"), kit.section("\n".join(lines) or "_Nobody yet._")]
    pages = max(1, -(-total // per_page))
    if pages > 1:
        hint = f"`/network members {role_filter + ' ' if role_filter else ''}page:{page + 1}`"
        more = f" Next: {hint}" if page < pages else ""
        shown = lang.gettext(
            "Page {page} of {pages}.", page=lang.number(page), pages=lang.number(pages)
        )
        blocks.append(kit.context(shown + more))
    return kit.message(blocks, text=title)


def _roster_title(total: int, role: str | None, lang: Messages) -> str:
    if role == "member":
        return lang.ngettext(
            "{n} active member on the roster", "{n} active members on the roster", total
        )
    if role == "coordinator":
        return lang.ngettext(
            "{n} active coordinator on the roster", "{n} active coordinators on the roster", total
        )
    if role == "admin":
        return lang.ngettext(
            "{n} active admin on the roster", "{n} active admins on the roster", total
        )
    return lang.ngettext(
        "{n} active person on the roster", "{n} active people on the roster", total
    )
