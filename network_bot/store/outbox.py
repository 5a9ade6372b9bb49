"""The outbox: deliveries waiting to go out, and what became of each (the words for them:
``network_bot.store.deliveries``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from network_bot.clock import iso
from network_bot.store.db import Conn
from network_bot.store.deliveries import (
    Delivery,
    Operation,
    Outgoing,
    Purpose,
    RefKind,
    State,
    TargetKind,
    delivery,
)

__all__ = [
    "OUTBOX",
    "Delivery",
    "Operation",
    "Outgoing",
    "Purpose",
    "RefKind",
    "State",
    "TargetKind",
]

OUTBOX = "outbox"  # the after-commit topic: something was queued for delivery


async def enqueue(conn: Conn, messages: Iterable[Outgoing], *, now: datetime) -> int:
    """Queue deliveries in the caller's transaction; return how many were new.

    The delivery worker is woken when the transaction commits (``OUTBOX``'s listeners).
    """
    conn.after_commit(OUTBOX)
    before = conn.raw.total_changes
    await conn.executemany(
        """
        INSERT INTO outbox (created_at, purpose, operation, target_kind, target_id, payload,
                            priority, next_attempt_at, edits_id, ref_kind, ref_id, dedupe_key,
                            shared_ok, workspace_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                coalesce(?, (SELECT workspace_id FROM outbox WHERE id = ?),
                         (SELECT workspace_id FROM members WHERE user_id = ?), ''))
        ON CONFLICT (dedupe_key) DO NOTHING
        """,
        (
            (
                iso(now),
                m.purpose.value,
                m.operation.value,
                m.target_kind.value,
                m.target_id,
                json.dumps(m.payload, separators=(",", ":")),
                m.priority,
                iso(now),
                m.edits_id,
                m.ref_kind,
                m.ref_id,
                m.dedupe_key,
                int(m.shared_ok),
                m.workspace_id,
                m.edits_id,
                m.target_id if m.target_kind is TargetKind.USER else None,
            )
            for m in messages
        ),
    )
    return int(conn.raw.total_changes - before)


async def id_for_key(conn: Conn, dedupe_key: str) -> int | None:
    value = await conn.fetch_value("SELECT id FROM outbox WHERE dedupe_key = ?", (dedupe_key,))
    return None if value is None else int(value)


async def get(conn: Conn, delivery_id: int) -> Delivery | None:
    row = await conn.fetch_one("SELECT * FROM outbox WHERE id = ?", (delivery_id,))
    return None if row is None else delivery(row)


async def for_ref(
    conn: Conn, *, ref_kind: RefKind, ref_id: int, states: tuple[State, ...] = ()
) -> list[Delivery]:
    wanted = [s.value for s in states] or [s.value for s in State]
    marks = ",".join("?" for _ in wanted)
    rows = await conn.fetch_all(
        f"SELECT * FROM outbox WHERE ref_kind = ? AND ref_id = ? AND state IN ({marks}) "
        "ORDER BY id",
        (ref_kind, ref_id, *wanted),
    )
    return [delivery(r) for r in rows]


async def counts_for_ref(
    conn: Conn, *, ref_kind: RefKind, ref_id: int, operation: Operation = Operation.POST
) -> dict[State, int]:
    rows = await conn.fetch_all(
        "SELECT state, count(*) FROM outbox WHERE ref_kind = ? AND ref_id = ? "
        "AND operation = ? GROUP BY state",
        (ref_kind, ref_id, operation.value),
    )
    counts = {state: 0 for state in State}
    for state, count in rows:
        counts[State(state)] = int(count)
    return counts


async def cancel_unsent(
    conn: Conn, *, ref_kind: RefKind, ref_id: int, note: str
) -> tuple[int, int]:
    """Stop every delivery that has not gone out (a recalled alert's): those still queued and those
    the sender has claimed. Return (queued, claimed) as they were; the sender re-checks a
    claimed delivery before its call and in every retry path, so neither is posted afterwards."""
    claimed = int(
        await conn.fetch_value(
            "SELECT count(*) FROM outbox WHERE ref_kind = ? AND ref_id = ? AND state = 'sending'",
            (ref_kind, ref_id),
        )
    )
    stopped = await conn.execute_rowcount(
        "UPDATE outbox SET state = 'cancelled', last_error = ?, sent_at = NULL "
        "WHERE ref_kind = ? AND ref_id = ? AND state IN ('pending', 'sending')",
        (note[:200], ref_kind, ref_id),
    )
    return stopped - claimed, claimed


async def state_of(conn: Conn, delivery_id: int) -> State | None:
    value = await conn.fetch_value("SELECT state FROM outbox WHERE id = ?", (delivery_id,))
    return None if value is None else State(value)


async def cancel_for_workspace(conn: Conn, *, workspace_id: str, why: str) -> int:
    """Stop everything not yet sent to a workspace that left the network: queued deliveries,
    and claimed ones (the sender re-checks a claimed one right before its call)."""
    return await conn.execute_rowcount(
        "UPDATE outbox SET state = 'cancelled', last_error = ? "
        "WHERE workspace_id = ? AND state IN ('pending', 'sending')",
        (why[:200], workspace_id),
    )


async def claim_due(
    conn: Conn, *, now: datetime, limit: int, workspace_id: str | None = None
) -> list[Delivery]:
    """Mark up to ``limit`` due deliveries as being sent, most urgent first, and return them: of one
    workspace (its lane, by the ``outbox_due_workspace`` index), or of any (``None``)."""
    lane = "" if workspace_id is None else "AND workspace_id = ?"
    params: tuple[Any, ...] = (iso(now), iso(now))
    if workspace_id is not None:
        params += (workspace_id,)
    rows = await conn.fetch_all(
        f"""
        UPDATE outbox SET state = 'sending', sending_at = ?, attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                       WHERE state = 'pending' AND next_attempt_at <= ? {lane}
                       ORDER BY priority DESC, next_attempt_at, id
                       LIMIT ?)
        RETURNING *
        """,
        (*params, limit),
    )
    found = [delivery(r) for r in rows]
    return sorted(found, key=lambda d: (-d.priority, d.next_attempt_at, d.id))


async def mark_sent(
    conn: Conn, *, delivery_id: int, channel_id: str | None, ts: str | None, now: datetime
) -> bool:
    """Record where a claimed delivery landed. One cancelled while its call was already on the
    wire (a recall) is recorded as sent too, so that it becomes a recall note like any other."""
    return (
        await conn.execute_rowcount(
            "UPDATE outbox SET state = 'sent', channel_id = ?, ts = ?, sent_at = ?, "
            "last_error = NULL WHERE id = ? AND state IN ('sending', 'cancelled')",
            (channel_id, ts, iso(now), delivery_id),
        )
        == 1
    )


async def mark_failed(conn: Conn, *, delivery_id: int, error: str, now: datetime) -> bool:
    """A claimed delivery gave up; False when it was no longer claimed (cancelled meanwhile)."""
    return (
        await conn.execute_rowcount(
            "UPDATE outbox SET state = 'failed', last_error = ?, sent_at = ? "
            "WHERE id = ? AND state = 'sending'",
            (error[:200], iso(now), delivery_id),
        )
        == 1
    )


async def cancel_claimed(conn: Conn, *, delivery_id: int, note: str) -> bool:
    """The sender drops a delivery it claimed (no longer wanted, or nothing to edit)."""
    return (
        await conn.execute_rowcount(
            "UPDATE outbox SET state = 'cancelled', last_error = ? "
            "WHERE id = ? AND state = 'sending'",
            (note[:200], delivery_id),
        )
        == 1
    )


async def cancel_if_pending(conn: Conn, *, delivery_id: int, note: str) -> bool:
    """Withdraw a message before it goes out; False when the sender has claimed it since."""
    return (
        await conn.execute_rowcount(
            "UPDATE outbox SET state = 'cancelled', last_error = ? "
            "WHERE id = ? AND state = 'pending'",
            (note[:200], delivery_id),
        )
        == 1
    )


async def reschedule(
    conn: Conn, *, delivery_id: int, at: datetime, error: str, counts_as_attempt: bool
) -> bool:
    """A claimed delivery goes back to pending until ``at``; a throttled call does not use up an
    attempt. False when it was no longer claimed (a recall cancelled it meanwhile)."""
    return (
        await conn.execute_rowcount(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ?, "
            "attempts = attempts - ? WHERE id = ? AND state = 'sending'",
            (iso(at), error[:200], 0 if counts_as_attempt else 1, delivery_id),
        )
        == 1
    )


async def in_state(conn: Conn, state: State) -> list[Delivery]:
    rows = await conn.fetch_all("SELECT * FROM outbox WHERE state = ? ORDER BY id", (state.value,))
    return [delivery(r) for r in rows]


async def replace_payload_if_pending(
    conn: Conn, *, delivery_id: int, payload: dict[str, Any]
) -> bool:
    """An edit of a message that has not gone out yet just changes what will go out."""
    return (
        await conn.execute_rowcount(
            "UPDATE outbox SET payload = ? WHERE id = ? AND state = 'pending'",
            (json.dumps(payload, separators=(",", ":")), delivery_id),
        )
        == 1
    )


async def replace_pending_update(
    conn: Conn,
    *,
    edits_id: int,
    payload: dict[str, Any],
    purpose: Purpose,
    ref_kind: RefKind,
    ref_id: int,
    now: datetime,
) -> None:
    """Queue an edit of a delivered message, folding it into an edit still waiting, so a live
    status message gets one ``chat.update`` per round, not one per change."""
    waiting = await conn.fetch_value(
        "SELECT id FROM outbox WHERE edits_id = ? AND operation = 'update' AND state = 'pending' "
        "ORDER BY id DESC LIMIT 1",
        (edits_id,),
    )
    if waiting is not None:
        await replace_payload_if_pending(conn, delivery_id=int(waiting), payload=payload)
        return
    target = await get(conn, edits_id)
    if target is None:
        return
    await enqueue(
        conn,
        [
            Outgoing.edit_of(
                target, purpose=purpose, payload=payload, ref_kind=ref_kind, ref_id=ref_id
            )
        ],
        now=now,
    )


async def recent_failures(conn: Conn, *, limit: int = 10) -> list[Delivery]:
    rows = await conn.fetch_all(
        "SELECT * FROM outbox WHERE state = 'failed' ORDER BY sent_at DESC, id DESC LIMIT ?",
        (limit,),
    )
    return [delivery(r) for r in rows]


async def due_workspaces(conn: Conn, *, now: datetime) -> set[str]:
    """Every workspace with a delivery due (each lane's are claimed on their own)."""
    rows = await conn.fetch_all(
        "SELECT DISTINCT workspace_id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?",
        (iso(now),),
    )
    return {str(r[0]) for r in rows}


async def due_count(conn: Conn, *, now: datetime) -> int:
    """Rows due now or claimed: a claim commits a moment before its send task exists."""
    return int(
        await conn.fetch_value(
            "SELECT count(*) FROM outbox "
            "WHERE (state = 'pending' AND next_attempt_at <= ?) OR state = 'sending'",
            (iso(now),),
        )
    )


async def waiting_count(conn: Conn) -> int:
    return int(
        await conn.fetch_value("SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')")
    )
