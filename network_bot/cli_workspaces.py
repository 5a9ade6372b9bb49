"""``network-bot workspaces list|approve TEAM|remove TEAM``: which workspaces are the network.

Safe while the bot runs: it notices the change within a few seconds (see
``network_bot.services.workspaces``). Each decision is in the audit log under ``cli:<login>``.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from network_bot.clock import SystemClock
from network_bot.i18n import Messages, say
from network_bot.roles import Role
from network_bot.services.workspaces import Change, WorkspaceError, Workspaces
from network_bot.settings import Settings
from network_bot.slack_ids import TEAM_ID
from network_bot.store import members
from network_bot.store.db import Database
from network_bot.store.workspaces import Workspace

Opener = Callable[[Settings], Awaitable[Database]]


class WorkspaceRefused(Exception):
    """The command refused its input or the change; the message says why in one line."""


@dataclass(frozen=True)
class Operator:
    """Whoever runs the command line: they hold the database, so they act as an admin."""

    role: Role = Role.ADMIN
    is_active: bool = True


def add_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "workspaces",
        help="list the workspaces that installed the bot; approve or remove one",
        description="A workspace that installs the bot is not part of the network until an "
        "admin approves it. Removing one stops everything queued for it and takes access "
        "from its members (kept on the roster, restored if it is approved again).",
    )
    actions = cmd.add_subparsers(
        dest="workspaces_action", required=True, metavar="ACTION", help="list, approve or remove"
    )
    listing = actions.add_parser("list", help="every workspace, its state and who decided")
    approve = actions.add_parser("approve", help="make a workspace part of the network")
    approve.add_argument("team", help="its team ID (T...) or, org-wide, organisation ID (E...)")
    remove = actions.add_parser("remove", help="take a workspace out of the network")
    remove.add_argument("team", help="its team ID (T...) or organisation ID (E...)")
    for each in (listing, approve, remove):
        each.add_argument("--db", help="SQLite file (default NETWORK_BOT_DB)")


def _table(rows: list[Workspace], counts: dict[str, tuple[int, int]], lang: Messages) -> str:
    """One line per workspace; the state and the installed flag stay the codes the commands
    take (``approved``, ``pending``, ``removed``), the rest is in the network's language."""
    if not rows:
        return lang.gettext("No workspace has installed the bot yet.")
    header = (
        lang.gettext("workspace"),
        lang.gettext("state"),
        lang.gettext("installed"),
        lang.gettext("members"),
        lang.gettext("name, decided"),
    )
    lines = [f"{header[0]:<14} {header[1]:<9} {header[2]:<9} {header[3]:>7}  {header[4]}"]
    yes, no = lang.gettext("yes"), lang.gettext("no")
    for w in rows:
        active, suspended = counts.get(w.workspace_id, (0, 0))
        who = (
            f"{w.decided_by} {w.decided_at:%Y-%m-%d %H:%M}"
            if w.decided_at
            else lang.gettext("not yet")
        )
        kind = " " + lang.gettext("(org-wide)") if w.is_enterprise_install else ""
        held = (
            " " + lang.ngettext("+{n} suspended", "+{n} suspended", suspended) if suspended else ""
        )
        lines.append(
            f"{w.workspace_id:<14} {w.state.value:<9} {yes if w.installed else no:<9} "
            f"{lang.number(active):>7}  {w.name or '?'}{kind}, {who}{held}"
        )
    return "\n".join(lines)


def _summary(verb: str, change: Change, lang: Messages) -> str:
    label = change.workspace.label
    if verb == "approve":
        return lang.ngettext(
            "{workspace} is part of the network; {n} member has access again.",
            "{workspace} is part of the network; {n} members have access again.",
            change.members,
            workspace=label,
        )
    return lang.gettext(
        "{workspace} is removed: {cancelled}, {members} (kept on the roster).",
        workspace=label,
        cancelled=lang.ngettext(
            "{n} pending message cancelled", "{n} pending messages cancelled", change.cancelled
        ),
        members=lang.ngettext("{n} member lost access", "{n} members lost access", change.members),
    )


async def run(
    settings: Settings, options: argparse.Namespace, lang: Messages, *, open_db: Opener
) -> int:
    action = options.workspaces_action
    team = str(getattr(options, "team", "") or "").strip().upper()
    if action != "list" and not TEAM_ID.match(team):
        raise WorkspaceRefused(
            say(
                "expected a team ID like T0123ABCD or an organisation ID like E0123ABCD, "
                "got {given}",
                given=repr(team[:20]),
            )
        )
    db = await open_db(settings)
    try:
        service = Workspaces(db=db, clock=SystemClock(), home=settings.home_team)
        operator = Operator()
        if action == "list":
            rows = await service.list(operator)
            counts = {
                w.workspace_id: await members.count_in_workspace(db.read, w.workspace_id)
                for w in rows
            }
            print(_table(rows, counts, lang))
            return 0
        by = f"cli:{getpass.getuser()}"
        try:
            if action == "approve":
                change = await service.approve(actor=operator, by=by, workspace_id=team)
            else:
                change = await service.remove(actor=operator, by=by, workspace_id=team)
        except WorkspaceError as error:
            raise WorkspaceRefused(error.text(lang).replace("`", "")) from None
        print(_summary(action, change, lang))
        return 0
    finally:
        await db.close()
