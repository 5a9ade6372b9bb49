"""Who follows which case or country."""

from __future__ import annotations

from datetime import datetime

from network_bot.clock import iso
from network_bot.store.db import Conn


async def follow_case(conn: Conn, *, user_id: str, case_id: int, now: datetime) -> bool:
    """True if this is a new follow."""
    return (
        await conn.execute_rowcount(
            "INSERT INTO follows (user_id, case_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (user_id, case_id, iso(now)),
        )
        == 1
    )


async def follow_country(conn: Conn, *, user_id: str, country: str, now: datetime) -> bool:
    return (
        await conn.execute_rowcount(
            "INSERT INTO follows (user_id, country, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (user_id, country, iso(now)),
        )
        == 1
    )


async def unfollow_case(conn: Conn, *, user_id: str, case_id: int) -> bool:
    return (
        await conn.execute_rowcount(
            "DELETE FROM follows WHERE user_id = ? AND case_id = ?", (user_id, case_id)
        )
        == 1
    )


async def unfollow_country(conn: Conn, *, user_id: str, country: str) -> bool:
    return (
        await conn.execute_rowcount(
            "DELETE FROM follows WHERE user_id = ? AND country = ?", (user_id, country)
        )
        == 1
    )


async def case_ids_of(conn: Conn, user_id: str) -> list[int]:
    rows = await conn.fetch_all(
        "SELECT case_id FROM follows WHERE user_id = ? AND case_id IS NOT NULL ORDER BY id DESC",
        (user_id,),
    )
    return [int(r[0]) for r in rows]


async def countries_of(conn: Conn, user_id: str) -> list[str]:
    rows = await conn.fetch_all(
        "SELECT country FROM follows WHERE user_id = ? AND country IS NOT NULL ORDER BY country",
        (user_id,),
    )
    return [str(r[0]) for r in rows]


async def follows_case(conn: Conn, *, user_id: str, case_id: int) -> bool:
    found = await conn.fetch_one(
        "SELECT 1 FROM follows WHERE user_id = ? AND case_id = ?", (user_id, case_id)
    )
    return found is not None


async def case_follower_count(conn: Conn, case_id: int) -> int:
    return int(await conn.fetch_value("SELECT count(*) FROM follows WHERE case_id = ?", (case_id,)))


async def followers_of(conn: Conn, *, case_id: int, country: str) -> list[str]:
    """Active members following the case or its country, each once."""
    rows = await conn.fetch_all(
        """
        SELECT DISTINCT f.user_id FROM follows f JOIN members m ON m.user_id = f.user_id
         WHERE m.is_active = 1 AND (f.case_id = ? OR f.country = ?)
         ORDER BY f.user_id
        """,
        (case_id, country),
    )
    return [str(r[0]) for r in rows]
