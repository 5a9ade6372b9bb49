"""How the audit trail looks in Slack (admins only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from network_bot.blocks import kit
from network_bot.i18n import Messages, Text, say
from network_bot.store.audit import AuditEntry

ACTION_WORDS: dict[str, Text] = {
    "case.read_restricted": say("read the restricted part of"),
    "role.change": say("changed the role of"),
    "export.restricted": say("consented to a restricted export"),
    "export.unverified": say("consented to exporting unverified cases"),
    "export.slack": say("exported the case record"),
    "case.redacted": say("redacted"),
    "member.deactivated": say("lost access:"),
    "workspace.installed": say("installed the bot in"),
    "workspace.approved": say("approved the workspace"),
    "workspace.removed": say("removed the workspace"),
}


def _target(entry: AuditEntry) -> str:
    target = entry.target
    if target[:1] in {"U", "W"} and target[1:].isalnum():
        return kit.mention(target)
    return f"*{kit.escape(target)}*" if target else ""


def _where(entry: AuditEntry, workspaces: Mapping[str, str]) -> str:
    """Which organisation's workspace the actor used (only where the network has several)."""
    if not workspaces or not entry.actor_workspace:
        return ""
    name = workspaces.get(entry.actor_workspace) or entry.actor_workspace
    return f" ({kit.escape(name)})"


def audit_message(
    entries: Sequence[AuditEntry],
    *,
    scope: str,
    everything: bool,
    lang: Messages,
    workspaces: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``scope`` (who, which case, since when) is already in the reader's language;
    ``workspaces``: names by workspace ID, to say which workspace each actor used."""
    if not entries:
        return kit.notice(lang.gettext("Nothing in the audit log {scope}.", scope=scope))
    lines = []
    for entry in entries:
        known = ACTION_WORDS.get(entry.action)
        what = lang.render(known) if known else f"`{kit.escape(entry.action)}`"
        detail = f" ({kit.safe(entry.detail, 160)})" if entry.detail else ""
        outcome = "" if entry.outcome.value in {"read", "changed"} else f" [{entry.outcome.value}]"
        lines.append(
            f"{entry.at:%Y-%m-%d %H:%M} UTC · {kit.mention(entry.actor_id)}"
            f"{_where(entry, workspaces or {})} {what} "
            f"{lang.isolate(_target(entry))}{outcome}{detail}"
        )
    kind = (
        lang.gettext("Every audited action")
        if everything
        else lang.gettext("Restricted reads, roles and redactions")
    )
    blocks: list[dict[str, Any]] = [
        kit.section(lang.gettext("*{kind}* {scope}, newest first:", kind=kind, scope=scope))
    ]
    blocks += [kit.section("\n".join(chunk)) for chunk in _chunks(lines, 10)]
    blocks.append(
        kit.context(
            lang.gettext(
                "Narrow it: `/network audit @name`, `/network audit NI-2026-0042`, "
                "`since:2026-11-01`; add `all` for every action, refusals included."
            )
        )
    )
    return kit.message(blocks, text=lang.gettext("Audit log {scope}", scope=scope))


def _chunks(lines: list[str], size: int) -> list[list[str]]:
    return [lines[i : i + size] for i in range(0, len(lines), size)]
