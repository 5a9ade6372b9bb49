"""Running an import from the command line and reading the database file it wrote."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from network_bot.cli import main

TABLES = ("cases", "cases_fts", "case_imports", "import_runs", "case_updates", "audit_log")


def import_with_cli(db: Path, path: Path, *extra: str, fmt: str = "cpj") -> int:
    """``network-bot import`` as an operator types it; the exit status."""
    return main(["import", "--format", fmt, str(path), "--db", str(db), *extra])


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    """Read the file directly, the way an operator's sqlite3 would."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute(sql, params))


def counts(db: Path) -> dict[str, int]:
    """How many rows each table an import writes holds (so a test can see what was added)."""
    return {t: rows(db, f"SELECT count(*) AS n FROM {t}")[0]["n"] for t in TABLES}
