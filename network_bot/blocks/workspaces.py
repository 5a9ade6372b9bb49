"""How the network's workspaces look in Slack (admins only): each with what can be done to it.

Each workspace is one section and, if anything can be done, one actions block of its own
(``block_id`` ``workspace:<id>``) holding at most an Approve and a Remove button: their
``action_id`` differs within the block, as Slack requires, and the value names the workspace.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from network_bot.blocks import kit
from network_bot.store.workspaces import Approval, Workspace

APPROVE = "network.workspace.approve"
REMOVE = "network.workspace.remove"
PER_PAGE = 20  # two blocks each, within Slack's 50 per message

STATE_WORDS = {
    Approval.PENDING: "waiting for approval",
    Approval.APPROVED: "part of the network",
    Approval.REMOVED: "removed",
}


def _line(w: Workspace, *, members: int, home: bool) -> str:
    name = kit.escape(w.name or "(name not known yet)")
    kind = " · whole organisation (Enterprise Grid)" if w.is_enterprise_install else ""
    installed = "installed" if w.installed else "*not installed*"
    who = f" by {kit.mention(w.installed_by)}" if w.installed_by else ""
    when = f" on {w.installed_at:%Y-%m-%d}" if w.installed_at else ""
    decided = ""
    if w.decided_at and w.decided_by:
        by = kit.mention(w.decided_by) if w.decided_by[:1] in "UW" else kit.escape(w.decided_by)
        decided = f"\n_{STATE_WORDS[w.state]} since {w.decided_at:%Y-%m-%d} ({by})_"
    tag = " · the secretariat's home" if home else ""
    return (
        f"*{name}* `{w.workspace_id}`{kind}{tag}\n"
        f"{STATE_WORDS[w.state]} · {installed}{who}{when} · {members} active member(s)"
        f"{decided}"
    )


def _buttons(w: Workspace, *, home: bool, members: int) -> list[dict[str, Any]]:
    found = []
    if w.state is not Approval.APPROVED and w.installed:
        found.append(
            kit.button("Approve", action_id=APPROVE, value=w.workspace_id, style="primary")
        )
    if w.state is not Approval.REMOVED and not home:
        found.append(
            kit.button(
                "Remove",
                action_id=REMOVE,
                value=w.workspace_id,
                style="danger",
                confirm=kit.confirm_dialog(
                    "Remove this workspace?",
                    f"{(w.name or w.workspace_id)[:120]} leaves the network: nothing more is sent "
                    f"there and its {members} member(s) lose access (they stay on the roster, "
                    "and get it back if you approve it again).",
                    yes="Remove",
                ),
            )
        )
    return found


def workspaces_message(
    rows: Sequence[Workspace],
    *,
    members: dict[str, int],
    home: str | None,
    page: int = 1,
    replace: bool = False,
) -> dict[str, Any]:
    if not rows:
        return kit.notice(
            "No workspace has installed the bot yet. Member organisations install it from "
            "the bot's `/slack/install` page; each then waits here for your approval."
        )
    pages = max(1, -(-len(rows) // PER_PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    waiting = sum(1 for w in rows if w.state is Approval.PENDING)
    blocks: list[dict[str, Any]] = [
        kit.section(
            f"*{len(rows)} workspace(s)*, {waiting} waiting for approval. Approving one makes "
            "it part of the network; removing one stops everything sent there."
        )
    ]
    for w in shown:
        count = members.get(w.workspace_id, 0)
        is_home = w.workspace_id == home
        blocks.append(kit.section(_line(w, members=count, home=is_home)))
        buttons = _buttons(w, home=is_home, members=count)
        if buttons:
            blocks.append(kit.actions(*buttons, block_id=f"workspace:{w.workspace_id}"))
    if pages > 1:
        more = f" Next: `/network workspaces page:{page + 1}`" if page < pages else ""
        blocks.append(kit.context(f"Page {page} of {pages}.{more}"))
    return kit.message(blocks, text=f"{len(rows)} workspace(s)", replace=replace)


def install_notice(w: Workspace, *, members: int) -> dict[str, Any]:
    """What the network's admins get when a workspace installs the bot."""
    blocks: list[dict[str, Any]] = [
        kit.section(
            f"A workspace installed the bot and waits for your approval:\n"
            f"{_line(w, members=members, home=False)}"
        )
    ]
    buttons = _buttons(w, home=False, members=members)
    if buttons:
        blocks.append(kit.actions(*buttons, block_id=f"workspace:{w.workspace_id}"))
    blocks.append(kit.context("See every workspace with `/network workspaces`."))
    return kit.post(blocks, text=f"{w.name or w.workspace_id} installed the bot")
