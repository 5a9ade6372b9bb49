"""How roster entries look in Slack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from network_bot.blocks import kit
from network_bot.data import countries
from network_bot.i18n import Messages, say
from network_bot.roles import Role
from network_bot.store.members import Member


def country_label(code: str | None, lang: Messages) -> str:
    if not code:
        return lang.gettext("not set")
    found = countries.by_code(code)
    return (
        f"{found.flag} {kit.escape(lang.country(code))} ({found.code})"
        if found
        else kit.escape(code)
    )


def me_message(
    member: Member,
    *,
    language: str,
    alerts: str,
    lang: Messages,
    workspace: str | None = None,
) -> dict[str, Any]:
    """Everything the roster holds about the member, every preference included. ``language``:
    the name, in itself, of the language the bot writes to them in; ``alerts``: how they get
    alerts, already said; ``workspace``: the name of the workspace they use (where the network
    has several)."""
    not_set = lang.gettext("not set")
    pairs = [
        (lang.gettext("Name"), kit.escape(member.name)),
        (lang.gettext("Role"), kit.escape(lang.term(member.role))),
        (lang.gettext("Organisation"), kit.escape(member.organisation or not_set)),
        (lang.gettext("Country"), country_label(member.country, lang)),
        (lang.gettext("Language"), kit.escape(language)),
        (
            lang.gettext("Time zone"),
            kit.escape(member.tz or lang.gettext("from Slack, not yet known")),
        ),
        (lang.gettext("Alerts"), kit.escape(alerts)),
    ]
    if workspace:
        pairs.append((lang.gettext("Workspace"), kit.escape(workspace)))
    blocks = [
        kit.section(
            lang.gettext(
                "Your entry in the network's roster, {who}:", who=kit.mention(member.user_id)
            )
        ),
        kit.fields(pairs),
    ]
    if not member.organisation or not member.country:
        blocks.append(
            kit.context(
                lang.gettext(
                    "Tell the network who you are: "
                    '`/network join org:"Your organisation" country:KE`'
                )
            )
        )
    blocks.append(
        kit.context(
            lang.gettext(
                "Change them: `/network language`, `/network prefs all|digest|mute`; "
                "`/follow` shows what you follow."
            )
        )
    )
    return kit.message(blocks, text=lang.gettext("Your roster entry"))


def members_message(
    rows: list[Member],
    *,
    total: int,
    page: int,
    per_page: int,
    role_filter: str | None,
    lang: Messages,
    workspaces: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``workspaces``: names by workspace ID, to say where each member uses the bot from."""
    title = _roster_title(total, role_filter, lang)
    lines = []
    for m in rows:
        org = f" · {kit.escape(m.organisation)}" if m.organisation else ""
        country = f" · {m.country}" if m.country else ""
        where = ""
        if workspaces:
            name = workspaces.get(m.workspace_id or "") or m.workspace_id or ""
            where = f" · _{kit.escape(name)}_" if name else ""
        lines.append(
            f"• {kit.mention(m.user_id)} ({kit.escape(lang.term(m.role))}){org}{country}{where}"
        )
    blocks = [kit.section(f"*{title}*")]
    blocks += (
        kit.line_sections("", lines)
        if lines
        else [kit.section("_" + lang.gettext("Nobody yet.") + "_")]
    )
    pages = max(1, -(-total // per_page))
    if pages > 1:
        shown = lang.gettext("Page {page} of {pages}.", page=page, pages=pages)
        if page < pages:
            hint = f"/network members {role_filter + ' ' if role_filter else ''}page:{page + 1}"
            shown += " " + lang.gettext("Next: `{command}`", command=hint)
        blocks.append(kit.context(shown))
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


ROLE_CAN = {
    Role.MEMBER: say("You can report cases, follow them and answer calls to action."),
    Role.COORDINATOR: say("You can also verify reports, keep case records and send alerts."),
    Role.ADMIN: say("You can also change roles, see the audit log and redact cases."),
}


def role_changed_dm(*, was: Role, now: Role, by: str, lang: Messages) -> dict[str, Any]:
    """What a person is told, in their language, when an admin changes their role."""
    text = " ".join(
        (
            lang.gettext(
                "Your role in the network's desk is now *{role}* (it was {was}), changed by {who}.",
                role=kit.escape(lang.term(now)),
                was=kit.escape(lang.term(was)),
                who=kit.mention(by),
            ),
            lang.render(ROLE_CAN[now]),
            lang.gettext("`/network help` shows what you can do."),
        )
    )
    fallback = lang.gettext("Your role is now {role}", role=lang.term(now))
    return kit.post([kit.section(text)], text=fallback)
