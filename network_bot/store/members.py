"""The roster: one row per Slack user who has used the bot."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from network_bot.clock import iso, parse_iso
from network_bot.roles import Role
from network_bot.store.db import Conn


class AlertPref(StrEnum):
    """How a member wants alerts: each at once, in a daily digest, or not at all (urgent ones
    always come at once)."""

    ALL = "all"
    DIGEST = "digest"
    MUTE = "mute"


class Member(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    team_id: str | None = None
    workspace_id: str | None = None  # the approval unit they use the bot from (None: home)
    enterprise_id: str | None = None
    display_name: str = ""
    real_name: str = ""
    role: Role = Role.MEMBER
    organisation: str | None = None
    country: str | None = None
    language: str | None = None
    language_chosen: bool = False
    tz: str | None = None
    tz_offset: int | None = None
    is_active: bool = True
    alert_pref: AlertPref = AlertPref.ALL
    profile_checked_at: datetime | None = None
    created_at: datetime
    updated_at: datetime

    @property
    def name(self) -> str:
        """What other people see: the Slack display name, else the real name, else the ID."""
        return self.display_name or self.real_name or self.user_id


def _member(row: sqlite3.Row) -> Member:
    data = dict(row)
    data["is_active"] = bool(data["is_active"])
    data["language_chosen"] = bool(data.get("language_chosen"))
    for key in ("profile_checked_at", "created_at", "updated_at"):
        data[key] = parse_iso(data[key]) if data[key] else None
    return Member.model_validate(data)


async def get(conn: Conn, user_id: str) -> Member | None:
    row = await conn.fetch_one("SELECT * FROM members WHERE user_id = ?", (user_id,))
    return None if row is None else _member(row)


async def get_many(conn: Conn, user_ids: Sequence[str]) -> dict[str, Member]:
    if not user_ids:
        return {}
    marks = ",".join("?" for _ in user_ids)
    rows = await conn.fetch_all(
        f"SELECT * FROM members WHERE user_id IN ({marks})", tuple(user_ids)
    )
    return {str(row["user_id"]): _member(row) for row in rows}


async def add_if_new(
    conn: Conn,
    *,
    user_id: str,
    team_id: str | None,
    display_name: str,
    now: datetime,
    workspace_id: str | None = None,
    enterprise_id: str | None = None,
) -> bool:
    """Put a first-time user on the roster as a member; True if they were new."""
    return (
        await conn.execute_rowcount(
            """
            INSERT INTO members (user_id, team_id, workspace_id, enterprise_id, display_name,
                                 created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO NOTHING
            """,
            (user_id, team_id, workspace_id, enterprise_id, display_name, iso(now), iso(now)),
        )
        == 1
    )


async def set_workspace(
    conn: Conn,
    *,
    user_id: str,
    team_id: str | None,
    workspace_id: str,
    enterprise_id: str | None,
    now: datetime,
) -> None:
    """Where someone uses the bot from now (an Enterprise Grid user may use several of their
    organisation's workspaces): their DMs go out through it."""
    await conn.execute(
        "UPDATE members SET team_id = ?, workspace_id = ?, enterprise_id = ?, updated_at = ? "
        "WHERE user_id = ?",
        (team_id, workspace_id, enterprise_id, iso(now), user_id),
    )


async def update_profile(
    conn: Conn,
    *,
    user_id: str,
    display_name: str,
    real_name: str,
    tz: str | None,
    tz_offset: int | None,
    is_active: bool,
    now: datetime,
) -> None:
    """Store what ``users.info`` said, and when, so the cache knows when to ask again."""
    await conn.execute(
        """
        UPDATE members
           SET display_name = ?, real_name = ?, tz = ?, tz_offset = ?, is_active = ?,
               profile_checked_at = ?, updated_at = ?
         WHERE user_id = ?
        """,
        (display_name, real_name, tz, tz_offset, int(is_active), iso(now), iso(now), user_id),
    )


async def set_language(
    conn: Conn, *, user_id: str, language: str, chosen: bool, now: datetime
) -> None:
    """The member's language: ``chosen`` by them, or taken from Slack (never over a choice)."""
    await conn.execute(
        """
        UPDATE members SET language = ?, language_chosen = ?, updated_at = ?
         WHERE user_id = ? AND (? OR language_chosen = 0)
        """,
        (language, int(chosen), iso(now), user_id, int(chosen)),
    )


async def set_role(conn: Conn, *, user_id: str, role: Role, now: datetime) -> None:
    await conn.execute(
        "UPDATE members SET role = ?, updated_at = ? WHERE user_id = ?",
        (role.value, iso(now), user_id),
    )


async def set_details(
    conn: Conn,
    *,
    user_id: str,
    organisation: str | None,
    country: str | None,
    language: str | None,
    now: datetime,
) -> None:
    await conn.execute(
        """
        UPDATE members SET organisation = ?, country = ?, language = ?, updated_at = ?
         WHERE user_id = ?
        """,
        (organisation, country, language, iso(now), user_id),
    )


async def list_active(
    conn: Conn, *, role: Role | None = None, limit: int = 50, offset: int = 0
) -> list[Member]:
    rows = await conn.fetch_all(
        """
        SELECT * FROM members
         WHERE is_active = 1 AND (? IS NULL OR role = ?)
         ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'coordinator' THEN 1 ELSE 2 END,
                  lower(display_name), user_id
         LIMIT ? OFFSET ?
        """,
        (role, role, limit, offset),
    )
    return [_member(row) for row in rows]


async def count_active(conn: Conn, *, role: Role | None = None) -> int:
    return int(
        await conn.fetch_value(
            "SELECT count(*) FROM members WHERE is_active = 1 AND (? IS NULL OR role = ?)",
            (role, role),
        )
    )


async def ids_with_role(conn: Conn, role: Role) -> list[str]:
    rows = await conn.fetch_all(
        "SELECT user_id FROM members WHERE is_active = 1 AND role = ? ORDER BY user_id",
        (role.value,),
    )
    return [row[0] for row in rows]


async def set_alert_pref(conn: Conn, *, user_id: str, pref: AlertPref, now: datetime) -> None:
    await conn.execute(
        "UPDATE members SET alert_pref = ?, updated_at = ? WHERE user_id = ?",
        (pref.value, iso(now), user_id),
    )


async def suspend_workspace(conn: Conn, *, workspace_id: str, now: datetime) -> int:
    """Take access from everyone active in a removed workspace, remembering why, so approving
    it again gives back exactly what the removal took (not access Slack itself removed)."""
    return await conn.execute_rowcount(
        "UPDATE members SET is_active = 0, suspended_with = ?, updated_at = ? "
        "WHERE workspace_id = ? AND is_active = 1",
        (workspace_id, iso(now), workspace_id),
    )


async def restore_workspace(conn: Conn, *, workspace_id: str, now: datetime) -> int:
    return await conn.execute_rowcount(
        "UPDATE members SET is_active = 1, suspended_with = NULL, updated_at = ? "
        "WHERE suspended_with = ?",
        (iso(now), workspace_id),
    )


async def count_in_workspace(conn: Conn, workspace_id: str) -> tuple[int, int]:
    """Active members and members whose access the workspace's removal suspended."""
    row = await conn.fetch_one(
        "SELECT coalesce(sum(is_active), 0), coalesce(sum(suspended_with IS NOT NULL), 0) "
        "FROM members WHERE workspace_id = ?",
        (workspace_id,),
    )
    assert row is not None
    return int(row[0]), int(row[1])


async def active_by_workspace(conn: Conn) -> dict[str, int]:
    """How many active members use the bot from each workspace ('' the home one)."""
    rows = await conn.fetch_all(
        "SELECT coalesce(workspace_id, ''), count(*) FROM members WHERE is_active = 1 GROUP BY 1"
    )
    return {str(r[0]): int(r[1]) for r in rows}
