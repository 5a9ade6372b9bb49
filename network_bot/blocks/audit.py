"""How the audit trail looks in Slack (admins only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from network_bot.blocks import kit
from network_bot.store.audit import AuditEntry

ACTION_WORDS = {
    "case.read_restricted": "read the restricted part of",
    "role.change": "changed the role of",
    "export.restricted": "consented to a restricted export",
    "export.unverified": "consented to exporting unverified cases",
    "export.slack": "exported the case record",
    "case.redacted": "redacted",
    "member.deactivated": "lost access:",
}


def _target(entry: AuditEntry) -> str:
    target = entry.target
    if target[:1] in {"U", "W"} and target[1:].isalnum():
        return kit.mention(target)
    return f"*{kit.escape(target)}*" if target else ""


def audit_message(entries: Sequence[AuditEntry], *, scope: str, everything: bool) -> dict[str, Any]:
    if not entries:
        return kit.notice(f"Nothing in the audit log {scope}.")
    lines = []
    for entry in entries:
        what = ACTION_WORDS.get(entry.action, f"`{kit.escape(entry.action)}`")
        detail = f" ({kit.safe(entry.detail, 160)})" if entry.detail else ""
        outcome = "" if entry.outcome.value in {"read", "changed"} else f" [{entry.outcome.value}]"
        lines.append(
            f"{entry.at:%Y-%m-%d %H:%M} UTC · {kit.mention(entry.actor_id)} {what} "
            f"{_target(entry)}{outcome}{detail}"
        )
    kind = "Every audited action" if everything else "Restricted reads, roles and redactions"
    blocks: list[dict[str, Any]] = [kit.section(f"*{kind}* {scope}, newest first:")]
    blocks += [kit.section("\n".join(chunk)) for chunk in _chunks(lines, 10)]
    blocks.append(
        kit.context(
            "Narrow it: `/network audit @name`, `/network audit NI-2026-0042`, "
            "`since:2026-11-01`; add `all` for every action, refusals included."
        )
    )
    return kit.message(blocks, text=f"Audit log {scope}")


def _chunks(lines: list[str], size: int) -> list[list[str]]:
    return [lines[i : i + size] for i in range(0, len(lines), size)]
