"""Redaction: a case's names and notes taken out of every table that copied them.

At a victim's or family's request an admin redacts a case. The case keeps its ID, country,
dates and justice record (the fact of the crime still counts against impunity), but the names,
the restricted notes and any text quoting them are replaced wherever the bot stored them: the
case, its updates, alerts about it, queued and delivered message bodies, and the audit trail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime

from network_bot.clock import iso
from network_bot.store.db import Conn

MARK = "[redacted]"
MIN_LENGTH = 3  # shorter fragments would blank out ordinary words
_NAME_SEPARATORS = re.compile(r"[,;\n]|\band\b|&")


def sensitive_texts(*, victim_names: str, restricted_notes: str) -> list[str]:
    """What must disappear: each victim's name, all the names together, and the notes."""
    names = [part.strip() for part in _NAME_SEPARATORS.split(victim_names)]
    found = {victim_names.strip(), restricted_notes.strip(), *names}
    longest_first = sorted((t for t in found if len(t) >= MIN_LENGTH), key=len, reverse=True)
    return [t for t in longest_first if t != MARK]


async def redact_case(conn: Conn, *, case_id: int, texts: Sequence[str], now: datetime) -> None:
    """Replace the case's own fields; the caller rebuilds its search entry."""
    await conn.execute(
        """
        UPDATE cases
           SET victim_names = ?, victim_withheld = 1, restricted_notes = ?,
               redacted_at = ?, updated_at = ?
         WHERE id = ?
        """,
        (MARK, MARK, iso(now), iso(now), case_id),
    )
    for text in texts:
        await conn.execute(
            "UPDATE cases SET summary = replace(summary, ?, ?), "
            "status_reason = replace(status_reason, ?, ?), place = replace(place, ?, ?) "
            "WHERE id = ?",
            (text, MARK, text, MARK, text, MARK, case_id),
        )


async def scrub_copies(conn: Conn, *, case_id: int, texts: Sequence[str]) -> None:
    """Replace the texts wherever another table quoted them (plain text and JSON bodies)."""
    for text in texts:
        await conn.execute(
            "UPDATE case_updates SET body = replace(body, ?, ?), "
            "skip_reason = replace(skip_reason, ?, ?) WHERE case_id = ?",
            (text, MARK, text, MARK, case_id),
        )
        await conn.execute(
            "UPDATE alerts SET headline = replace(headline, ?, ?), body = replace(body, ?, ?) "
            "WHERE instr(headline, ?) > 0 OR instr(body, ?) > 0",
            (text, MARK, text, MARK, text, text),
        )
        await conn.execute(
            "UPDATE audit_log SET detail = replace(detail, ?, ?) WHERE instr(detail, ?) > 0",
            (text, MARK, text),
        )
        # Message bodies (and what an import last set) are stored as JSON with non-ASCII
        # escaped, so match them as stored.
        stored = json.dumps(text)[1:-1]
        await conn.execute(
            "UPDATE case_imports SET fields = replace(fields, ?, ?) WHERE case_id = ?",
            (stored, MARK, case_id),
        )
        await conn.execute(
            "UPDATE outbox SET payload = replace(payload, ?, ?) WHERE instr(payload, ?) > 0",
            (stored, MARK, stored),
        )


async def delivered_posts_quoting(conn: Conn, *, texts: Sequence[str]) -> list[int]:
    """Posts already in Slack whose body, or a later edit of it, held the texts (ask this
    before scrubbing: afterwards nothing matches)."""
    found: set[int] = set()
    for text in texts:
        stored = json.dumps(text)[1:-1]
        rows = await conn.fetch_all(
            """
            SELECT id FROM outbox
             WHERE state = 'sent' AND operation = 'post' AND ts IS NOT NULL
               AND instr(payload, ?) > 0
            UNION
            SELECT edits_id FROM outbox
             WHERE state = 'sent' AND operation = 'update' AND instr(payload, ?) > 0
            """,
            (stored, stored),
        )
        found.update(int(row[0]) for row in rows if row[0] is not None)
    return sorted(found)


async def current_payload(conn: Conn, post_id: int) -> dict[str, object] | None:
    """What the message shows now: its latest delivered edit, else the post itself."""
    row = await conn.fetch_one(
        """
        SELECT payload FROM outbox
         WHERE (id = ? AND state = 'sent')
            OR (edits_id = ? AND operation = 'update' AND state = 'sent')
         ORDER BY sent_at DESC, id DESC
         LIMIT 1
        """,
        (post_id, post_id),
    )
    return None if row is None else dict(json.loads(row["payload"]))


async def compact_search_index(conn: Conn) -> None:
    """Merge the full-text index so deleted tokens do not linger in older segments."""
    await conn.execute("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")
