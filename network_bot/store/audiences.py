"""Who a broadcast reaches, and how far its audience is queued (``services.expansion``).

A confirmed alert is committed with ``expansion = 'pending'``; its audience is then read a page
at a time by user ID and ``expanded_through`` moves with each page, in the page's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from network_bot.store.alerts import Audience
from network_bot.store.db import Conn
from network_bot.store.members import AlertPref


def _audience_filter(
    audience: Audience, *, region_countries: Sequence[str], case_id: int | None
) -> tuple[str, tuple[object, ...]]:
    """The WHERE clause naming the active members an audience reaches, and its parameters."""
    countries = sorted(set(audience.countries) | set(region_countries))
    marks = ",".join("?" for _ in countries) or "NULL"
    followed = sorted(set(audience.countries))
    followed_marks = ",".join("?" for _ in followed) or "NULL"
    where = f"""
        is_active = 1 AND (
               ? = 1
            OR country IN ({marks})
            OR (? = 1 AND user_id IN (SELECT user_id FROM follows WHERE case_id = ?))
            OR (? = 1 AND user_id IN (SELECT user_id FROM follows
                                       WHERE country IN ({followed_marks})))
        )"""
    params = (
        int(audience.all_members),
        *countries,
        int(audience.case_followers),
        case_id,
        int(audience.country_followers),
        *followed,
    )
    return where, params


async def audience_members(
    conn: Conn,
    *,
    audience: Audience,
    region_countries: Sequence[str],
    case_id: int | None,
    after: str | None = None,
    limit: int = -1,
) -> list[tuple[str, AlertPref, str | None]]:
    """Active members the audience names, each once, with how they want alerts and the
    language they read the bot in, by user ID: those after ``after``, at most ``limit`` (a
    broadcast is queued a page at a time)."""
    where, params = _audience_filter(audience, region_countries=region_countries, case_id=case_id)
    rows = await conn.fetch_all(
        f"SELECT user_id, alert_pref, language FROM members m WHERE {where} AND user_id > ? "
        "ORDER BY user_id LIMIT ?",
        (*params, after or "", limit),
    )
    return [(str(r[0]), AlertPref(r[1]), r[2]) for r in rows]


async def audience_prefs(
    conn: Conn, *, audience: Audience, region_countries: Sequence[str], case_id: int | None
) -> dict[AlertPref, int]:
    """How many of the audience want each kind of delivery (for the preview, counted in SQL)."""
    where, params = _audience_filter(audience, region_countries=region_countries, case_id=case_id)
    rows = await conn.fetch_all(
        f"SELECT alert_pref, count(*) FROM members m WHERE {where} GROUP BY alert_pref", params
    )
    counts = {pref: 0 for pref in AlertPref}
    for pref, count in rows:
        counts[AlertPref(pref)] = int(count)
    return counts


async def set_counts(conn: Conn, *, alert_id: int, recipients: int, digests: int) -> None:
    await conn.execute(
        "UPDATE alerts SET recipient_count = ?, digest_count = ? WHERE id = ?",
        (recipients, digests, alert_id),
    )


async def expanding(conn: Conn) -> list[int]:
    """Sent alerts whose audience is still being queued, oldest first."""
    rows = await conn.fetch_all("SELECT id FROM alerts WHERE expansion = 'pending' ORDER BY id")
    return [int(r[0]) for r in rows]


async def expansion_of(conn: Conn, alert_id: int) -> tuple[str, str | None]:
    row = await conn.fetch_one(
        "SELECT expansion, expanded_through FROM alerts WHERE id = ?", (alert_id,)
    )
    return ("done", None) if row is None else (str(row[0]), row[1])


async def expanded(conn: Conn, *, alert_id: int, through: str | None, done: bool) -> None:
    """Record how far the audience is queued, in the transaction that queued it."""
    await conn.execute(
        "UPDATE alerts SET expanded_through = coalesce(?, expanded_through), expansion = ? "
        "WHERE id = ?",
        (through, "done" if done else "pending", alert_id),
    )


async def queued_counts(conn: Conn, alert_id: int) -> tuple[int, int]:
    """DMs queued and digest entries for an alert (its final counts once queued)."""
    dms = await conn.fetch_value(
        "SELECT count(*) FROM outbox WHERE ref_kind = 'alert' AND ref_id = ? "
        "AND operation = 'post' AND target_kind = 'user'",
        (alert_id,),
    )
    digests = await conn.fetch_value(
        "SELECT count(*) FROM digest_items WHERE alert_id = ?", (alert_id,)
    )
    return int(dms or 0), int(digests or 0)
