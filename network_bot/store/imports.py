"""Imported cases' keys in their sources, and the runs of ``network-bot import``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from network_bot.clock import iso
from network_bot.store.db import Conn


@dataclass(frozen=True, kw_only=True)
class KeyRow:
    case_id: int
    source_key: str
    row_hash: str
    fields: dict[str, Any]
    line: int


@dataclass(frozen=True, kw_only=True)
class Run:
    id: int
    started_at: str
    finished_at: str | None
    last_line: int


async def find(conn: Conn, *, source: str, keys: Sequence[str]) -> dict[str, sqlite3.Row]:
    """The imported cases with these keys: each key's import row joined with its case."""
    if not keys:
        return {}
    marks = ",".join("?" for _ in keys)
    rows = await conn.fetch_all(
        f"""
        SELECT i.source_key, i.row_hash, i.fields, i.line AS import_line, c.*
          FROM case_imports i JOIN cases c ON c.id = i.case_id
         WHERE i.source = ? AND i.source_key IN ({marks})
        """,
        (source, *keys),
    )
    return {str(r["source_key"]): r for r in rows}


async def taken_public_ids(conn: Conn, public_ids: Sequence[str]) -> set[str]:
    if not public_ids:
        return set()
    marks = ",".join("?" for _ in public_ids)
    rows = await conn.fetch_all(
        f"SELECT public_id FROM cases WHERE public_id IN ({marks})", tuple(public_ids)
    )
    return {str(r[0]) for r in rows}


async def add_keys(
    conn: Conn,
    rows: Sequence[tuple[int, str, str, dict[str, Any], int]],
    *,
    source: str,
    run_id: int | None,
    now: datetime,
) -> None:
    """``rows``: (case ID, key, row hash, the values imported, line)."""
    stamp = iso(now)
    await conn.executemany(
        "INSERT INTO case_imports (case_id, source, source_key, row_hash, fields, run_id, line, "
        "imported_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (case_id, source, key, row_hash, json.dumps(fields), run_id, line, stamp, stamp)
            for case_id, key, row_hash, fields, line in rows
        ],
    )


async def refresh_key(
    conn: Conn,
    *,
    case_id: int,
    row_hash: str,
    fields: dict[str, Any],
    run_id: int | None,
    line: int,
    now: datetime,
) -> None:
    await conn.execute(
        "UPDATE case_imports SET row_hash = ?, fields = ?, run_id = ?, line = ?, updated_at = ? "
        "WHERE case_id = ?",
        (row_hash, json.dumps(fields), run_id, line, iso(now), case_id),
    )


async def ensure_importer(conn: Conn, *, user_id: str, now: datetime) -> None:
    """The inactive roster entry that authors an import's timeline entries."""
    await conn.execute(
        "INSERT INTO members (user_id, display_name, real_name, role, is_active, created_at, "
        "updated_at) VALUES (?, 'network-bot import', 'Imported records', 'member', 0, ?, ?) "
        "ON CONFLICT (user_id) DO NOTHING",
        (user_id, iso(now), iso(now)),
    )


async def case_followers(conn: Conn, case_id: int) -> list[str]:
    rows = await conn.fetch_all(
        "SELECT f.user_id FROM follows f JOIN members m ON m.user_id = f.user_id "
        "WHERE f.case_id = ? AND m.is_active = 1 ORDER BY f.user_id",
        (case_id,),
    )
    return [str(r[0]) for r in rows]


async def start_run(conn: Conn, *, format: str, file_name: str, sha256: str, now: datetime) -> int:
    return await conn.execute(
        "INSERT INTO import_runs (format, file_name, file_sha256, started_at) VALUES (?, ?, ?, ?)",
        (format, file_name[:300], sha256, iso(now)),
    )


async def previous_run(conn: Conn, *, sha256: str) -> Run | None:
    """The latest earlier run of the same file, finished or not."""
    row = await conn.fetch_one(
        "SELECT id, started_at, finished_at, last_line FROM import_runs "
        "WHERE file_sha256 = ? ORDER BY id DESC LIMIT 1",
        (sha256,),
    )
    if row is None:
        return None
    return Run(
        id=int(row["id"]),
        started_at=str(row["started_at"]),
        finished_at=row["finished_at"],
        last_line=int(row["last_line"]),
    )


async def record_batch(
    conn: Conn,
    *,
    run_id: int,
    last_line: int,
    imported: int,
    updated: int,
    unchanged: int,
    skipped: int,
) -> None:
    """A committed batch's progress, in the batch's own transaction."""
    await conn.execute(
        "UPDATE import_runs SET last_line = ?, imported = imported + ?, updated = updated + ?, "
        "unchanged = unchanged + ?, skipped = skipped + ? WHERE id = ?",
        (last_line, imported, updated, unchanged, skipped, run_id),
    )


async def finish_run(conn: Conn, *, run_id: int, now: datetime) -> None:
    await conn.execute("UPDATE import_runs SET finished_at = ? WHERE id = ?", (iso(now), run_id))
