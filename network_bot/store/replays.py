"""Request signatures already seen: the replay guard's memory, kept in the database so that a
restart does not forget it."""

from __future__ import annotations

from collections.abc import Mapping

from network_bot.store.db import Conn

# Two parameters a row; SQLite allows at least 999 in one statement.
MAX_BATCH = 400


async def record(conn: Conn, signatures: Mapping[str, int], *, now: int) -> set[str]:
    """Record each signature until its expiry (unix seconds); return those seen for the first
    time. Signatures whose window has passed are forgotten on the way (the signature check
    refuses them anyway)."""
    await conn.execute("DELETE FROM seen_signatures WHERE expires_at < ?", (now,))
    items = list(signatures.items())
    new: set[str] = set()
    for start in range(0, len(items), MAX_BATCH):
        chunk = items[start : start + MAX_BATCH]
        rows = await conn.fetch_all(
            "INSERT INTO seen_signatures (signature, expires_at) VALUES "
            + ",".join("(?, ?)" for _ in chunk)
            + " ON CONFLICT (signature) DO NOTHING RETURNING signature",
            [value for pair in chunk for value in pair],
        )
        new.update(str(row[0]) for row in rows)
    return new


async def count(conn: Conn) -> int:
    return int(await conn.fetch_value("SELECT count(*) FROM seen_signatures"))
