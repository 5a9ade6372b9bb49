"""Event IDs already handled, so Slack's retries of one event are handled once."""

from __future__ import annotations

from datetime import datetime

from network_bot.clock import iso
from network_bot.store.db import Conn


async def claim(conn: Conn, *, event_id: str, now: datetime) -> bool:
    """True the first time an event ID is seen, False for every retry after it."""
    return (
        await conn.execute_rowcount(
            "INSERT INTO processed_events (event_id, received_at) VALUES (?, ?) "
            "ON CONFLICT (event_id) DO NOTHING",
            (event_id, iso(now)),
        )
        == 1
    )


async def prune(conn: Conn, *, before: datetime) -> int:
    return await conn.execute_rowcount(
        "DELETE FROM processed_events WHERE received_at < ?", (iso(before),)
    )


async def release(conn: Conn, *, event_id: str) -> None:
    """Forget an event whose handling failed, so Slack's next retry runs it again."""
    await conn.execute("DELETE FROM processed_events WHERE event_id = ?", (event_id,))
