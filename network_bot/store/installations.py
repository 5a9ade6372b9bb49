"""bolt's installations, bots and OAuth states, as plain SQL (see migration 0009).

Rows are stored as given: the caller (``network_bot.oauth.installation_store``) encrypts every
credential before it reaches here and decrypts after. Lookups follow slack_sdk's own SQL stores:
``''`` stands for "no enterprise" and "no team" (an org-wide install), the newest row wins, and
saving a row with the same workspace and ``installed_at`` (a token rotation) updates it in place.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from network_bot.store.db import Conn

INSTALLATION_COLUMNS = (
    "client_id",
    "app_id",
    "enterprise_id",
    "enterprise_name",
    "enterprise_url",
    "team_id",
    "team_name",
    "bot_token",
    "bot_id",
    "bot_user_id",
    "bot_scopes",
    "bot_refresh_token",
    "bot_token_expires_at",
    "user_id",
    "user_token",
    "user_scopes",
    "user_refresh_token",
    "user_token_expires_at",
    "incoming_webhook_url",
    "incoming_webhook_channel",
    "incoming_webhook_channel_id",
    "incoming_webhook_configuration_url",
    "is_enterprise_install",
    "token_type",
    "installed_at",
)
BOT_COLUMNS = (
    "client_id",
    "app_id",
    "enterprise_id",
    "enterprise_name",
    "team_id",
    "team_name",
    "bot_token",
    "bot_id",
    "bot_user_id",
    "bot_scopes",
    "bot_refresh_token",
    "bot_token_expires_at",
    "is_enterprise_install",
    "installed_at",
)

Row = dict[str, Any]


async def _upsert(conn: Conn, table: str, columns: tuple[str, ...], row: Row) -> bool:
    """Insert, or update the row of the same workspace and ``installed_at``; True if new."""
    existing = await conn.fetch_value(
        f"SELECT id FROM {table} WHERE client_id = ? AND enterprise_id = ? AND team_id = ? "
        "AND installed_at = ? ORDER BY id DESC LIMIT 1",
        (row["client_id"], row["enterprise_id"], row["team_id"], row["installed_at"]),
    )
    values = tuple(row[c] for c in columns)
    if existing is None:
        marks = ", ".join("?" for _ in columns)
        await conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
        return True
    assignments = ", ".join(f"{c} = ?" for c in columns)
    await conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values, existing))
    return False


async def save_installation(conn: Conn, row: Row) -> bool:
    return await _upsert(conn, "slack_installations", INSTALLATION_COLUMNS, row)


async def save_bot(conn: Conn, row: Row) -> bool:
    return await _upsert(conn, "slack_bots", BOT_COLUMNS, row)


def _row(found: sqlite3.Row | None) -> Row | None:
    return None if found is None else dict(found)


async def find_bot(conn: Conn, *, client_id: str, enterprise_id: str, team_id: str) -> Row | None:
    """The newest bot of a workspace (or of an organisation, with ``team_id`` '')."""
    return _row(
        await conn.fetch_one(
            "SELECT * FROM slack_bots WHERE client_id = ? AND enterprise_id = ? AND team_id = ? "
            "ORDER BY installed_at DESC, id DESC LIMIT 1",
            (client_id, enterprise_id, team_id),
        )
    )


async def find_installation(
    conn: Conn, *, client_id: str, enterprise_id: str, team_id: str, user_id: str | None
) -> Row | None:
    """The newest installation of a workspace, or of one installer in it."""
    by_user = "" if user_id is None else " AND user_id = ?"
    params: tuple[Any, ...] = (client_id, enterprise_id, team_id)
    return _row(
        await conn.fetch_one(
            "SELECT * FROM slack_installations WHERE client_id = ? AND enterprise_id = ? "
            f"AND team_id = ?{by_user} ORDER BY installed_at DESC, id DESC LIMIT 1",
            params if user_id is None else (*params, user_id),
        )
    )


async def latest_bot_token_row(
    conn: Conn, *, client_id: str, enterprise_id: str, team_id: str
) -> Row | None:
    """The newest installation of the workspace that has a bot token (see bolt-python#664)."""
    return _row(
        await conn.fetch_one(
            "SELECT * FROM slack_installations WHERE client_id = ? AND enterprise_id = ? "
            "AND team_id = ? AND bot_token IS NOT NULL ORDER BY installed_at DESC, id DESC LIMIT 1",
            (client_id, enterprise_id, team_id),
        )
    )


async def delete_bot(conn: Conn, *, client_id: str, enterprise_id: str, team_id: str) -> int:
    return await conn.execute_rowcount(
        "DELETE FROM slack_bots WHERE client_id = ? AND enterprise_id = ? AND team_id = ?",
        (client_id, enterprise_id, team_id),
    )


async def delete_installation(
    conn: Conn, *, client_id: str, enterprise_id: str, team_id: str, user_id: str | None
) -> int:
    by_user = "" if user_id is None else " AND user_id = ?"
    params: tuple[Any, ...] = (client_id, enterprise_id, team_id)
    return await conn.execute_rowcount(
        "DELETE FROM slack_installations WHERE client_id = ? AND enterprise_id = ? "
        f"AND team_id = ?{by_user}",
        params if user_id is None else (*params, user_id),
    )


async def add_state(conn: Conn, *, state: str, expire_at: float) -> None:
    await conn.execute(
        "INSERT INTO oauth_states (state, expire_at) VALUES (?, ?)", (state, expire_at)
    )


async def consume_state(conn: Conn, *, state: str, now: float) -> bool:
    """True once for a state issued and not yet expired; expired ones are cleared too."""
    await conn.execute("DELETE FROM oauth_states WHERE expire_at <= ?", (now,))
    return await conn.execute_rowcount("DELETE FROM oauth_states WHERE state = ?", (state,)) == 1
