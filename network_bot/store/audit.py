"""The audit trail: reads of restricted data, role changes, refusals."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from network_bot.clock import iso, parse_iso
from network_bot.store.db import Conn


class Outcome(StrEnum):
    ALLOWED = "allowed"
    REFUSED = "refused"
    CHANGED = "changed"
    READ = "read"
    FAILED = "failed"


class AuditEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: datetime
    actor_id: str
    action: str
    target: str
    outcome: Outcome
    detail: str
    actor_workspace: str | None = None  # the workspace the actor used, as the roster knew then


async def record(
    conn: Conn,
    *,
    at: datetime,
    actor_id: str,
    action: str,
    outcome: Outcome,
    target: str = "",
    detail: str = "",
) -> None:
    await conn.execute(
        """
        INSERT INTO audit_log (at, actor_id, action, target, outcome, detail, actor_workspace)
        VALUES (?, ?, ?, ?, ?, ?, (SELECT workspace_id FROM members WHERE user_id = ?))
        """,
        (iso(at), actor_id, action, target, outcome.value, detail[:500], actor_id),
    )


SENSITIVE_ACTIONS = (
    "case.read_restricted",
    "role.change",
    "export.restricted",
    "export.unverified",
    "export.slack",
    "case.redacted",
    "member.deactivated",
    "workspace.approved",
    "workspace.removed",
)


async def search(
    conn: Conn,
    *,
    actor_id: str | None = None,
    person: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    actions: tuple[str, ...] = (),
    outcomes: tuple[Outcome, ...] = (),
    limit: int = 50,
) -> list[AuditEntry]:
    """Newest first; each filter is optional. ``person`` matches who acted or who was acted on."""
    outcome_values = [o.value for o in outcomes]
    outcome_marks = ",".join("?" for _ in outcome_values) or "NULL"
    action_marks = ",".join("?" for _ in actions) or "NULL"
    rows = await conn.fetch_all(
        f"""
        SELECT * FROM audit_log
         WHERE (? IS NULL OR actor_id = ?)
           AND (? IS NULL OR actor_id = ? OR target = ?)
           AND (? IS NULL OR target = ?)
           AND (? IS NULL OR at >= ?)
           AND (? = 0 OR action IN ({action_marks}))
           AND (? = 0 OR outcome IN ({outcome_marks}))
         ORDER BY id DESC
         LIMIT ?
        """,
        (
            actor_id,
            actor_id,
            person,
            person,
            person,
            target,
            target,
            since and iso(since),
            since and iso(since),
            len(actions),
            *actions,
            len(outcome_values),
            *outcome_values,
            limit,
        ),
    )
    return [AuditEntry.model_validate({**dict(row), "at": parse_iso(row["at"])}) for row in rows]
