"""How the network's workspaces look in Slack (admins only): each with what can be done to it.

Each workspace is one section and, if anything can be done, one actions block of its own
(``block_id`` ``workspace:<id>``) holding at most an Approve and a Remove button: their
``action_id`` differs within the block, as Slack requires, and the value names the workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from network_bot.blocks import kit
from network_bot.i18n import Messages
from network_bot.store.workspaces import Approval, Workspace

APPROVE = "network.workspace.approve"
REMOVE = "network.workspace.remove"
PER_PAGE = 20  # two blocks each, within Slack's 50 per message


def _state(state: Approval, lang: Messages) -> str:
    return {
        Approval.PENDING: lang.gettext("waiting for approval"),
        Approval.APPROVED: lang.gettext("part of the network"),
        Approval.REMOVED: lang.gettext("removed"),
    }[state]


def _line(w: Workspace, *, members: int, home: bool, lang: Messages) -> str:
    name = kit.escape(w.name or lang.gettext("(name not known yet)"))
    parts = [f"*{name}* `{w.workspace_id}`"]
    if w.is_enterprise_install:
        parts.append(lang.gettext("whole organisation (Enterprise Grid)"))
    if home:
        parts.append(lang.gettext("the secretariat's home"))
    facts = [_state(w.state, lang)]
    facts.append(lang.gettext("installed") if w.installed else lang.gettext("*not installed*"))
    if w.installed_by:
        facts.append(lang.gettext("by {who}", who=kit.mention(w.installed_by)))
    if w.installed_at:
        facts.append(lang.date(w.installed_at.date()))
    facts.append(lang.ngettext("{n} active member", "{n} active members", members))
    text = " · ".join(parts) + "\n" + " · ".join(facts)
    if w.decided_at and w.decided_by:
        by = kit.mention(w.decided_by) if w.decided_by[:1] in "UW" else kit.escape(w.decided_by)
        text += "\n_" + lang.gettext(
            "{state} since {date} ({who})",
            state=_state(w.state, lang),
            date=lang.date(w.decided_at.date()),
            who=by,
        )
        text += "_"
    return text


def _buttons(w: Workspace, *, home: bool, members: int, lang: Messages) -> list[dict[str, Any]]:
    found = []
    if w.state is not Approval.APPROVED and w.installed:
        found.append(
            kit.button(
                lang.gettext("Approve"), action_id=APPROVE, value=w.workspace_id, style="primary"
            )
        )
    if w.state is not Approval.REMOVED and not home:
        found.append(
            kit.button(
                lang.gettext("Remove"),
                action_id=REMOVE,
                value=w.workspace_id,
                style="danger",
                confirm=kit.confirm_dialog(
                    lang.gettext("Remove this workspace?"),
                    lang.ngettext(
                        "{name} leaves the network: nothing more is sent there and its "
                        "{n} member loses access (kept on the roster, back if you approve "
                        "it again).",
                        "{name} leaves the network: nothing more is sent there and its "
                        "{n} members lose access (kept on the roster, back if you approve "
                        "it again).",
                        members,
                        name=(w.name or w.workspace_id)[:120],
                    ),
                    yes=lang.gettext("Remove"),
                    no=lang.gettext("Cancel"),
                ),
            )
        )
    return found


def workspaces_message(
    rows: Sequence[Workspace],
    *,
    members: dict[str, int],
    home: str | None,
    lang: Messages,
    page: int = 1,
    replace: bool = False,
) -> dict[str, Any]:
    if not rows:
        return kit.notice(
            lang.gettext(
                "No workspace has installed the bot yet. Member organisations install it from "
                "the bot's `/slack/install` page; each then waits here for your approval."
            )
        )
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    waiting = sum(1 for w in rows if w.state is Approval.PENDING)
    count = lang.ngettext("{n} workspace", "{n} workspaces", len(rows))
    blocks: list[dict[str, Any]] = [
        kit.section(
            "*"
            + count
            + "*, "
            + lang.ngettext("{n} waiting for approval.", "{n} waiting for approval.", waiting)
            + " "
            + lang.gettext(
                "Approving one makes it part of the network; removing one stops everything "
                "sent there."
            )
        )
    ]
    for w in shown:
        active = members.get(w.workspace_id, 0)
        is_home = w.workspace_id == home
        blocks.append(kit.section(_line(w, members=active, home=is_home, lang=lang)))
        buttons = _buttons(w, home=is_home, members=active, lang=lang)
        if buttons:
            blocks.append(kit.actions(*buttons, block_id=f"workspace:{w.workspace_id}"))
    if pages > 1:
        command = f"`/network workspaces page:{page + 1}`"
        more = " " + lang.gettext("Next: {command}", command=command) if page < pages else ""
        blocks.append(
            kit.context(lang.gettext("Page {page} of {pages}.", page=page, pages=pages) + more)
        )
    return kit.message(blocks, text=count, replace=replace)


def install_notice(w: Workspace, *, members: int, lang: Messages) -> dict[str, Any]:
    """What the network's admins get when a workspace installs the bot."""
    blocks: list[dict[str, Any]] = [
        kit.section(
            lang.gettext("A workspace installed the bot and waits for your approval:")
            + "\n"
            + _line(w, members=members, home=False, lang=lang)
        )
    ]
    buttons = _buttons(w, home=False, members=members, lang=lang)
    if buttons:
        blocks.append(kit.actions(*buttons, block_id=f"workspace:{w.workspace_id}"))
    blocks.append(kit.context(lang.gettext("See every workspace with `/network workspaces`.")))
    return kit.post(
        blocks,
        text=lang.gettext("{name} installed the bot", name=w.name or w.workspace_id),
    )
