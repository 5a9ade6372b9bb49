"""Yearly sequences for IDs people say aloud: NI-2026-0042, AL-2026-0007."""

from __future__ import annotations

from network_bot.store.db import Conn


async def next_public_id(conn: Conn, *, prefix: str, year: int) -> str:
    """The next ID of the year; inside the caller's transaction, so no gaps and no races."""
    last = await conn.fetch_value(
        """
        INSERT INTO case_counters (prefix, year, last) VALUES (?, ?, 1)
        ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1
        RETURNING last
        """,
        (prefix, year),
    )
    return f"{prefix}-{year}-{int(last):04d}"
