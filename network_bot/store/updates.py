"""Case updates (the timeline) and the notifications they owe followers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from network_bot.clock import iso, parse_iso
from network_bot.store.db import Conn
from network_bot.vocabulary import Stage

FOLLOWERS_OWED = "followers-owed"  # the after-commit topic: followers are owed an update


class UpdateState(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REJECTED = "rejected"


class CaseUpdate(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    case_id: int
    created_at: datetime
    author_id: str
    state: UpdateState
    happened_on: date
    body: str
    source_url: str
    stage_from: Stage | None
    stage_to: Stage | None
    skip_reason: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    edited_at: datetime | None


def _update(row: sqlite3.Row | Mapping[str, Any]) -> CaseUpdate:
    data = dict(row)
    for key in ("created_at", "reviewed_at", "edited_at"):
        data[key] = parse_iso(data[key]) if data[key] else None
    return CaseUpdate.model_validate(data)


async def insert(
    conn: Conn,
    *,
    case_id: int,
    author_id: str,
    state: UpdateState,
    happened_on: date,
    body: str,
    source_url: str,
    stage_from: Stage | None,
    stage_to: Stage | None,
    skip_reason: str,
    now: datetime,
) -> int:
    reviewed = state is UpdateState.APPROVED
    return await conn.execute(
        """
        INSERT INTO case_updates (case_id, created_at, author_id, state, happened_on, body,
                                  source_url, stage_from, stage_to, skip_reason, reviewed_by,
                                  reviewed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            case_id,
            iso(now),
            author_id,
            state.value,
            happened_on.isoformat(),
            body,
            source_url,
            stage_from and stage_from.value,
            stage_to and stage_to.value,
            skip_reason,
            author_id if reviewed else None,
            iso(now) if reviewed else None,
        ),
    )


async def get(conn: Conn, update_id: int) -> CaseUpdate | None:
    row = await conn.fetch_one("SELECT * FROM case_updates WHERE id = ?", (update_id,))
    return None if row is None else _update(row)


async def for_case(
    conn: Conn,
    case_id: int,
    *,
    states: Sequence[UpdateState] = (UpdateState.APPROVED,),
    limit: int = 10,
) -> list[CaseUpdate]:
    """Newest first by the date things happened."""
    marks = ",".join("?" for _ in states)
    rows = await conn.fetch_all(
        f"SELECT * FROM case_updates WHERE case_id = ? AND state IN ({marks}) "
        "ORDER BY happened_on DESC, id DESC LIMIT ?",
        (case_id, *[s.value for s in states], limit),
    )
    return [_update(r) for r in rows]


async def proposed(conn: Conn, *, limit: int = 10) -> list[CaseUpdate]:
    rows = await conn.fetch_all(
        "SELECT * FROM case_updates WHERE state = 'proposed' ORDER BY id LIMIT ?", (limit,)
    )
    return [_update(r) for r in rows]


async def decide(
    conn: Conn,
    *,
    update_id: int,
    state: UpdateState,
    by: str,
    now: datetime,
    stage_from: Stage | None = None,
) -> bool:
    """Approve or reject a proposal once; False if someone decided first."""
    return (
        await conn.execute_rowcount(
            "UPDATE case_updates SET state = ?, reviewed_by = ?, reviewed_at = ?, "
            "stage_from = coalesce(?, stage_from) WHERE id = ? AND state = 'proposed'",
            (state.value, by, iso(now), stage_from and stage_from.value, update_id),
        )
        == 1
    )


async def edit(conn: Conn, *, update_id: int, body: str, source_url: str, now: datetime) -> bool:
    return (
        await conn.execute_rowcount(
            "UPDATE case_updates SET body = ?, source_url = ?, edited_at = ? WHERE id = ?",
            (body, source_url, iso(now), update_id),
        )
        == 1
    )


async def queue_notifications(
    conn: Conn, *, update_id: int, user_ids: Iterable[str], now: datetime
) -> None:
    """Owe each follower this update once: queueing it again (an edit, a retry) adds nothing.

    Whoever sends the notifications is woken once the transaction commits (``FOLLOWERS_OWED``),
    so a follower told nothing lately hears at once."""
    conn.after_commit(FOLLOWERS_OWED)
    await conn.executemany(
        "INSERT INTO update_notifications (user_id, update_id, queued_at) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        ((user_id, update_id, iso(now)) for user_id in user_ids),
    )


async def users_with_due_batches(conn: Conn, *, window_start: datetime) -> list[str]:
    """Followers with updates waiting who may be told now: nobody told them anything since
    ``window_start`` (so a first update goes at once), or their oldest waiting update has
    waited out the window."""
    start = iso(window_start)
    rows = await conn.fetch_all(
        """
        SELECT n.user_id FROM update_notifications n
         WHERE n.sent_at IS NULL
         GROUP BY n.user_id
        HAVING min(n.queued_at) <= ?
            OR NOT EXISTS (SELECT 1 FROM update_notifications s
                            WHERE s.user_id = n.user_id AND s.sent_at > ?)
         ORDER BY n.user_id
        """,
        (start, start),
    )
    return [str(r[0]) for r in rows]


async def waiting_for_each(conn: Conn, user_ids: Sequence[str]) -> dict[str, list[CaseUpdate]]:
    """Each follower's updates not yet notified, oldest first, in one query (a case may have
    thousands of followers)."""
    marks = ",".join("?" for _ in user_ids)
    rows = await conn.fetch_all(
        f"""
        SELECT n.user_id AS follower, u.* FROM update_notifications n
          JOIN case_updates u ON u.id = n.update_id
         WHERE n.user_id IN ({marks}) AND n.sent_at IS NULL
         ORDER BY n.user_id, u.id
        """,
        tuple(user_ids),
    )
    found: dict[str, list[CaseUpdate]] = {}
    for row in rows:
        data = dict(row)
        follower = str(data.pop("follower"))
        found.setdefault(follower, []).append(_update(data))
    return found


async def mark_notified_each(
    conn: Conn, *, waiting: dict[str, list[CaseUpdate]], now: datetime
) -> None:
    await conn.executemany(
        "UPDATE update_notifications SET sent_at = ? WHERE user_id = ? AND update_id = ?",
        [(iso(now), user_id, u.id) for user_id, ups in waiting.items() for u in ups],
    )


async def waiting_count(conn: Conn) -> int:
    """Follower notifications not yet sent (the playground shows them waiting for the window)."""
    return int(
        await conn.fetch_value("SELECT count(*) FROM update_notifications WHERE sent_at IS NULL")
    )
