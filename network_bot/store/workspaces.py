"""The workspaces that installed the bot, and what the network's admins decided about each."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from network_bot.clock import iso, parse_iso
from network_bot.store.db import Conn


class Approval(StrEnum):
    PENDING = "pending"  # installed, not part of the network yet
    APPROVED = "approved"
    REMOVED = "removed"  # removed by an admin, or uninstalled / tokens revoked


class Workspace(BaseModel):
    """One approval unit: a workspace (``T…``), or a whole organisation (``E…``) that installed
    the app org-wide."""

    model_config = ConfigDict(frozen=True)

    workspace_id: str
    enterprise_id: str | None
    is_enterprise_install: bool
    name: str
    state: Approval
    installed: bool
    installed_by: str | None
    installed_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    detail: str
    created_at: datetime
    updated_at: datetime

    @property
    def label(self) -> str:
        """How people see it: its name and ID."""
        return f"{self.name} ({self.workspace_id})" if self.name else self.workspace_id


def _workspace(row: sqlite3.Row) -> Workspace:
    data = dict(row)
    for key in ("installed_at", "decided_at", "created_at", "updated_at"):
        data[key] = parse_iso(data[key]) if data[key] else None
    data["is_enterprise_install"] = bool(data["is_enterprise_install"])
    data["installed"] = bool(data["installed"])
    return Workspace.model_validate(data)


async def get(conn: Conn, workspace_id: str) -> Workspace | None:
    row = await conn.fetch_one("SELECT * FROM workspaces WHERE workspace_id = ?", (workspace_id,))
    return None if row is None else _workspace(row)


async def list_all(conn: Conn) -> list[Workspace]:
    rows = await conn.fetch_all(
        """
        SELECT * FROM workspaces
         ORDER BY CASE state WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 ELSE 2 END,
                  lower(name), workspace_id
        """
    )
    return [_workspace(r) for r in rows]


async def record_install(
    conn: Conn,
    *,
    workspace_id: str,
    enterprise_id: str | None,
    is_enterprise_install: bool,
    name: str,
    installed_by: str | None,
    now: datetime,
) -> tuple[Approval | None, Approval]:
    """A (re)install: the workspace is known and installed; a removed one waits for approval
    again. Returns the state before (None if new) and after."""
    before = await get(conn, workspace_id)
    state = Approval.PENDING
    if before is not None and before.state is Approval.APPROVED:
        state = Approval.APPROVED
    await conn.execute(
        """
        INSERT INTO workspaces (workspace_id, enterprise_id, is_enterprise_install, name, state,
                                installed, installed_by, installed_at, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
        ON CONFLICT (workspace_id) DO UPDATE SET
            enterprise_id = excluded.enterprise_id,
            is_enterprise_install = excluded.is_enterprise_install,
            name = CASE WHEN excluded.name != '' THEN excluded.name ELSE workspaces.name END,
            state = excluded.state, installed = 1, installed_by = excluded.installed_by,
            installed_at = excluded.installed_at, updated_at = excluded.updated_at
        """,
        (
            workspace_id,
            enterprise_id,
            int(is_enterprise_install),
            name[:120],
            state.value,
            installed_by,
            iso(now),
            iso(now),
            iso(now),
        ),
    )
    return (None if before is None else before.state), state


async def add_known(conn: Conn, *, workspace_id: str, now: datetime) -> bool:
    """A workspace the network names before it installs (its home); True if it was new."""
    return (
        await conn.execute_rowcount(
            "INSERT INTO workspaces (workspace_id, state, created_at, updated_at) "
            "VALUES (?, 'pending', ?, ?) ON CONFLICT (workspace_id) DO NOTHING",
            (workspace_id, iso(now), iso(now)),
        )
        == 1
    )


async def decide(
    conn: Conn,
    *,
    workspace_id: str,
    state: Approval,
    by: str,
    now: datetime,
    detail: str = "",
) -> None:
    await conn.execute(
        "UPDATE workspaces SET state = ?, decided_by = ?, decided_at = ?, detail = ?, "
        "updated_at = ? WHERE workspace_id = ?",
        (state.value, by, iso(now), detail[:200], iso(now), workspace_id),
    )


async def mark_uninstalled(conn: Conn, *, workspace_id: str, now: datetime, why: str) -> None:
    """Slack took the bot's token away: the workspace leaves the network until approved again."""
    await conn.execute(
        "UPDATE workspaces SET installed = 0, state = 'removed', decided_by = 'slack', "
        "decided_at = ?, detail = ?, updated_at = ? WHERE workspace_id = ?",
        (iso(now), why[:200], iso(now), workspace_id),
    )


async def approved(conn: Conn) -> list[Workspace]:
    rows = await conn.fetch_all("SELECT * FROM workspaces WHERE state = 'approved'")
    return [_workspace(r) for r in rows]
