"""Redaction in SQL: which rows hold a case's member-facing text, and writing them back.

At a victim's or family's request an admin redacts a case. The case keeps its ID, country,
dates and justice record (the fact of the crime still counts against impunity), but its names,
its restricted notes and any text quoting them are replaced wherever the bot stored them. The
matching itself is :class:`network_bot.scrub.Scrubber`'s; this module only finds and writes.

``TEXT_COLUMNS``, ``URL_COLUMNS`` and ``PAYLOAD_COLUMNS`` name every column that holds text a
person wrote or the bot sent; a test checks that every text column of the schema is either
listed here or in ``OTHER_COLUMNS``, so a new table cannot be forgotten by a redaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from network_bot.clock import iso
from network_bot.store.db import Conn

TEXT_COLUMNS = {
    "cases": (
        "victim_names",
        "summary",
        "place",
        "status_reason",
        "restricted_notes",
        "provenance",
        "provenance_note",
    ),
    "case_updates": ("body", "skip_reason"),
    "alerts": ("headline", "body", "action_text"),
    "alert_translations": ("headline", "body", "action_text"),
    "audit_log": ("detail",),
}
URL_COLUMNS = {
    "cases": ("sources",),  # a JSON list of URLs
    "case_updates": ("source_url",),
    "alerts": ("link",),
    "unesco_requests": ("source_url",),
}
# JSON: a message body as sent, or the values an import last set.
PAYLOAD_COLUMNS = {"outbox": ("payload",), "case_imports": ("fields",)}
KEYS = {
    "unesco_requests": ("case_id", "cycle"),
    "case_imports": ("case_id",),
    "alert_translations": ("alert_id", "language"),
}
# Text columns that never hold what a person wrote about a case: IDs, codes, states, times,
# the roster's own names and settings, error codes, JSON of filters and audiences.
OTHER_COLUMNS = {
    "members": (
        "user_id",
        "team_id",
        "display_name",
        "real_name",
        "role",
        "organisation",
        "country",
        "language",
        "tz",
        "profile_checked_at",
        "created_at",
        "updated_at",
        "alert_pref",
        "workspace_id",
        "enterprise_id",
        "suspended_with",
    ),
    "audit_log": ("at", "actor_id", "action", "target", "outcome", "actor_workspace"),
    "processed_events": ("event_id", "received_at"),
    "outbox": (
        "created_at",
        "purpose",
        "operation",
        "target_kind",
        "target_id",
        "state",
        "next_attempt_at",
        "sending_at",
        "last_error",
        "channel_id",
        "ts",
        "sent_at",
        "ref_kind",
        "dedupe_key",
        "workspace_id",
    ),
    "case_counters": ("prefix",),
    "cases": (
        "public_id",
        "created_at",
        "updated_at",
        "reporter_id",
        "profession",
        "gender",
        "violation",
        "incident_date",
        "country",
        "perpetrator",
        "urgency",
        "status",
        "reviewed_by",
        "reviewed_at",
        "justice_stage",
        "justice_stage_date",
        "redacted_at",
        "date_precision",
        "date_end",
        "anniversary",
    ),
    "case_reviews": ("channel_id", "ts"),
    "alerts": (
        "public_id",
        "created_at",
        "created_by",
        "state",
        "action_kind",
        "deadline",
        "urgency",
        "audience",
        "sent_at",
        "recalled_at",
        "recalled_by",
        "expansion",
        "expanded_through",
    ),
    "alert_responses": ("user_id", "response", "organisation", "at"),
    "alert_translations": ("language",),
    "follows": ("user_id", "country", "created_at"),
    "digest_items": ("user_id", "queued_at", "sent_on"),
    "case_updates": (
        "created_at",
        "author_id",
        "state",
        "happened_on",
        "stage_from",
        "stage_to",
        "reviewed_by",
        "reviewed_at",
        "edited_at",
    ),
    "update_notifications": ("user_id", "queued_at", "sent_at"),
    "seen_signatures": ("signature",),
    "schema_migrations": ("name",),
    "anniversary_countries": ("country", "set_by", "set_at"),
    "import_runs": ("format", "file_name", "file_sha256", "started_at", "finished_at"),
    "case_imports": ("source", "source_key", "row_hash", "imported_at", "updated_at"),
    "case_campaign": ("changed_by", "changed_at"),
    "unesco_requests": ("requested_on", "answer", "answered_on", "recorded_by", "recorded_at"),
    "campaign_charts": (
        "created_at",
        "dedupe_key",
        "target_id",
        "spec",
        "state",
        "next_attempt_at",
        "file_id",
        "last_error",
        "sent_at",
    ),
    # Workspaces (migration 0009): installs (tokens sealed), OAuth states, approvals.
    "slack_installations": (
        "app_id",
        "bot_id",
        "bot_refresh_token",
        "bot_scopes",
        "bot_token",
        "bot_user_id",
        "client_id",
        "enterprise_id",
        "enterprise_name",
        "enterprise_url",
        "incoming_webhook_channel",
        "incoming_webhook_channel_id",
        "incoming_webhook_configuration_url",
        "incoming_webhook_url",
        "team_id",
        "team_name",
        "token_type",
        "user_id",
        "user_refresh_token",
        "user_scopes",
        "user_token",
    ),
    "slack_bots": (
        "app_id",
        "bot_id",
        "bot_refresh_token",
        "bot_scopes",
        "bot_token",
        "bot_user_id",
        "client_id",
        "enterprise_id",
        "enterprise_name",
        "team_id",
        "team_name",
    ),
    "oauth_states": ("state",),
    "workspaces": (
        "workspace_id",
        "enterprise_id",
        "name",
        "state",
        "installed_by",
        "installed_at",
        "decided_by",
        "decided_at",
        "detail",
        "created_at",
        "updated_at",
    ),
}


@dataclass(frozen=True, kw_only=True)
class Row:
    """One row's text columns, by name, and how to find it again."""

    table: str
    key: tuple[str, ...]
    key_values: tuple[object, ...]
    values: dict[str, str]


async def family(conn: Conn, case_id: int) -> list[int]:
    """The case and every report merged into it as a duplicate (at any depth)."""
    rows = await conn.fetch_all(
        """
        WITH RECURSIVE family(id) AS (
            SELECT ?
            UNION
            SELECT c.id FROM cases c JOIN family f ON c.duplicate_of = f.id
        )
        SELECT id FROM family ORDER BY id
        """,
        (case_id,),
    )
    return [int(r[0]) for r in rows]


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" for _ in values) or "NULL"


async def rows(conn: Conn, table: str, *, where: str, params: Sequence[object]) -> list[Row]:
    """The redactable columns of ``table``'s rows that match ``where``."""
    columns = TEXT_COLUMNS.get(table, ()) + URL_COLUMNS.get(table, ())
    columns += PAYLOAD_COLUMNS.get(table, ())
    key = KEYS.get(table, ("id",))
    found = await conn.fetch_all(
        f"SELECT {', '.join(key + columns)} FROM {table} WHERE {where}", tuple(params)
    )
    return [
        Row(
            table=table,
            key=key,
            key_values=tuple(r[k] for k in key),
            values={c: str(r[c] or "") for c in columns},
        )
        for r in found
    ]


async def tied_rows(
    conn: Conn, *, case_ids: Sequence[int], alert_ids: Sequence[int], public_ids: Sequence[str]
) -> list[Row]:
    """Every row that belongs to the cases (and their alerts and updates) by reference."""
    cases_in, alerts_in = _marks(case_ids), _marks(alert_ids)
    found = await rows(conn, "cases", where=f"id IN ({cases_in})", params=case_ids)
    found += await rows(conn, "case_updates", where=f"case_id IN ({cases_in})", params=case_ids)
    found += await rows(conn, "alerts", where=f"id IN ({alerts_in})", params=alert_ids)
    found += await rows(
        conn, "alert_translations", where=f"alert_id IN ({alerts_in})", params=alert_ids
    )
    for table in ("unesco_requests", "case_imports"):
        found += await rows(conn, table, where=f"case_id IN ({cases_in})", params=case_ids)
    found += await rows(
        conn, "audit_log", where=f"target IN ({_marks(public_ids)})", params=public_ids
    )
    update_ids = [
        int(r[0])
        for r in await conn.fetch_all(
            f"SELECT id FROM case_updates WHERE case_id IN ({cases_in})", tuple(case_ids)
        )
    ]
    updates_in = _marks(update_ids)
    found += await rows(
        conn,
        "outbox",
        where=(
            f"(ref_kind = 'case' AND ref_id IN ({cases_in})) "
            "OR (ref_kind IN ('alert', 'alert-status', 'alert-recall') "
            f"AND ref_id IN ({alerts_in})) "
            f"OR (ref_kind = 'update' AND ref_id IN ({updates_in}))"
        ),
        params=[*case_ids, *alert_ids, *update_ids],
    )
    return found


async def alert_ids(conn: Conn, case_ids: Sequence[int]) -> list[tuple[int, str]]:
    found = await conn.fetch_all(
        f"SELECT id, public_id FROM alerts WHERE case_id IN ({_marks(case_ids)}) ORDER BY id",
        tuple(case_ids),
    )
    return [(int(r[0]), str(r[1])) for r in found]


async def public_ids(conn: Conn, case_ids: Sequence[int]) -> list[str]:
    found = await conn.fetch_all(
        f"SELECT public_id FROM cases WHERE id IN ({_marks(case_ids)}) ORDER BY id",
        tuple(case_ids),
    )
    return [str(r[0]) for r in found]


async def unsent_rows(conn: Conn) -> list[Row]:
    """Messages not delivered yet: whatever a redaction changes in them must change before
    they go."""
    return await rows(conn, "outbox", where="state IN ('pending', 'sending')", params=())


# Tables whose rows may quote a case without pointing at it (a digest, a notification,
# another case's update): scanned in chunks after the redaction itself has committed.
ELSEWHERE = ("cases", "case_updates", "alerts", "audit_log", "outbox")


async def chunk(conn: Conn, table: str, *, after: int, limit: int) -> list[Row]:
    return await rows(conn, table, where="id > ? ORDER BY id LIMIT ?", params=(after, limit))


async def write(conn: Conn, row: Row, changes: dict[str, str], *, if_unchanged: bool) -> bool:
    """Write the changed columns of ``row``; with ``if_unchanged`` only if they still hold
    what was read (the rows scanned outside the redaction's own transaction)."""
    if not changes:
        return False
    sets = ", ".join(f"{c} = ?" for c in changes)
    where = " AND ".join(f"{k} = ?" for k in row.key)
    params: list[object] = [*changes.values(), *row.key_values]
    if if_unchanged:
        where += "".join(f" AND {c} = ?" for c in changes)
        params += [row.values[c] for c in changes]
    count = await conn.execute_rowcount(
        f"UPDATE {row.table} SET {sets} WHERE {where}", tuple(params)
    )
    return count == 1


async def mark_redacted(conn: Conn, case_ids: Iterable[int], *, now: datetime) -> None:
    ids = list(case_ids)
    await conn.execute(
        f"UPDATE cases SET victim_withheld = 1, redacted_at = coalesce(redacted_at, ?), "
        f"updated_at = ? WHERE id IN ({_marks(ids)})",
        (iso(now), iso(now), *ids),
    )


async def delivered_posts(conn: Conn, outbox_ids: Sequence[int]) -> list[int]:
    """The posts in Slack (sent, or on their way) that these outbox rows are or edit."""
    if not outbox_ids:
        return []
    marks = _marks(outbox_ids)
    found = await conn.fetch_all(
        f"""
        SELECT id FROM outbox
         WHERE id IN ({marks}) AND operation = 'post' AND state IN ('sent', 'sending')
        UNION
        SELECT edits_id FROM outbox
         WHERE id IN ({marks}) AND operation = 'update' AND state = 'sent'
           AND edits_id IS NOT NULL
        """,
        (*outbox_ids, *outbox_ids),
    )
    return sorted(int(r[0]) for r in found if r[0] is not None)


async def current_payload(conn: Conn, post_id: int) -> dict[str, object] | None:
    """What the message shows now (or will once it lands): its latest delivered edit, else
    the post itself."""
    row = await conn.fetch_one(
        """
        SELECT payload FROM outbox
         WHERE (id = ? AND state IN ('sent', 'sending'))
            OR (edits_id = ? AND operation = 'update' AND state = 'sent')
         ORDER BY (id = ?), sent_at DESC, id DESC
         LIMIT 1
        """,
        (post_id, post_id, post_id),
    )
    return None if row is None else dict(json.loads(row["payload"]))


async def compact_search_index(conn: Conn) -> None:
    """Merge the full-text index so deleted tokens do not linger in older segments."""
    await conn.execute("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")
