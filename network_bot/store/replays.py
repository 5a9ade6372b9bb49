"""Request signatures already seen: the replay guard's memory, kept in the database so that a
restart does not forget it."""

from __future__ import annotations

from network_bot.store.db import Conn


async def first_time(conn: Conn, *, signature: str, expires_at: int, now: int) -> bool:
    """Record ``signature`` until ``expires_at``; False if it was already recorded. Signatures
    whose window has passed are forgotten on the way (the signature check refuses them)."""
    await conn.execute("DELETE FROM seen_signatures WHERE expires_at < ?", (now,))
    added = await conn.execute_rowcount(
        "INSERT INTO seen_signatures (signature, expires_at) VALUES (?, ?) "
        "ON CONFLICT (signature) DO NOTHING",
        (signature, expires_at),
    )
    return added == 1


async def count(conn: Conn) -> int:
    return int(await conn.fetch_value("SELECT count(*) FROM seen_signatures"))
