"""The SQLite layer: pragmas, migrations, transactions, and the errors members get told about."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from network_bot.store.db import (
    Database,
    Migration,
    SchemaTooNew,
    StorageBusy,
    StorageReadOnly,
    bundled_migrations,
)


async def open_db(path: Path, **kwargs: int) -> Database:
    db = Database(path, **kwargs)
    await db.open()
    return db


async def test_fresh_database_is_migrated_in_wal_mode(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "bot.sqlite3")
    try:
        applied = await db.migrate()
        assert [m.version for m in applied] == [m.version for m in bundled_migrations()]
        assert await db.schema_version() == bundled_migrations()[-1].version
        assert await db.read.fetch_value("PRAGMA journal_mode") == "wal"
        assert await db.read.fetch_value("PRAGMA foreign_keys") == 1
        assert await db.read.fetch_value("PRAGMA busy_timeout") == 5000
        assert await db.migrate() == []  # idempotent
        health = await db.health()
        assert health["ok"] is True
    finally:
        await db.close()


async def test_newer_schema_refuses_to_start(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA user_version = 999")
    db = await open_db(path)
    try:
        with pytest.raises(SchemaTooNew, match="schema version 999"):
            await db.migrate()
    finally:
        await db.close()


async def test_failed_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "bot.sqlite3")
    try:
        good = Migration(1, "good", "CREATE TABLE a (x INTEGER);")
        bad = Migration(2, "bad", "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")
        with pytest.raises(RuntimeError, match="0002_bad failed"):
            await db.migrate([good, bad])
        assert await db.schema_version() == 1
        tables = {r[0] for r in await db.read.fetch_all("SELECT name FROM sqlite_master")}
        assert "a" in tables and "b" not in tables
    finally:
        await db.close()


async def test_a_migration_that_lands_after_a_higher_number_is_still_applied(
    tmp_path: Path,
) -> None:
    """Numbers are reserved per piece of work, so 0003 may land after 0004 already ran."""
    db = await open_db(tmp_path / "bot.sqlite3")
    first = Migration(1, "first", "CREATE TABLE a (x INTEGER);")
    late = Migration(3, "late", "CREATE TABLE c (z INTEGER);")
    early = Migration(4, "early", "CREATE TABLE d (w INTEGER);")
    try:
        assert [m.version for m in await db.migrate([first, early])] == [1, 4]
        assert [m.version for m in await db.migrate([first, late, early])] == [3]
        assert await db.migrate([first, late, early]) == []
        tables = {r[0] for r in await db.read.fetch_all("SELECT name FROM sqlite_master")}
        assert {"a", "c", "d"} <= tables
        assert await db.schema_version() == 4
        with pytest.raises(SchemaTooNew):
            await db.migrate([first, early])  # a build without 0003 must not run on this file
    finally:
        await db.close()


async def test_a_file_from_before_the_record_counts_every_migration_up_to_its_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.executescript("CREATE TABLE a (x INTEGER); PRAGMA user_version = 1;")
    db = await open_db(path)
    try:
        first = Migration(1, "first", "CREATE TABLE a (x INTEGER);")
        second = Migration(2, "second", "CREATE TABLE b (y INTEGER);")
        assert [m.version for m in await db.migrate([first, second])] == [2]
    finally:
        await db.close()


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "bot.sqlite3")
    try:
        await db.migrate()
        with pytest.raises(ZeroDivisionError):
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO processed_events (event_id, received_at) VALUES ('E1', 'x')"
                )
                raise ZeroDivisionError
        assert await db.read.fetch_value("SELECT count(*) FROM processed_events") == 0
    finally:
        await db.close()


async def test_locked_database_is_reported_as_busy(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_db(path, busy_timeout_ms=100)
    try:
        await db.migrate()
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StorageBusy) as raised:
                async with db.transaction() as tx:
                    await tx.execute(
                        "INSERT INTO processed_events (event_id, received_at) VALUES ('E1', 'x')"
                    )
            assert "busy" in str(raised.value.user_message)
        finally:
            other.execute("ROLLBACK")
            other.close()
        # readers in WAL mode keep working while a writer holds the lock
        assert await db.read.fetch_value("SELECT count(*) FROM processed_events") == 0
    finally:
        await db.close()


async def test_read_only_database_is_reported(tmp_path: Path) -> None:
    db = await open_db(tmp_path / "bot.sqlite3")
    try:
        await db.migrate()
        await db._writer.execute("PRAGMA query_only = 1")  # type: ignore[union-attr]
        with pytest.raises(StorageReadOnly) as raised:
            async with db.transaction() as tx:
                await tx.execute(
                    "INSERT INTO processed_events (event_id, received_at) VALUES ('E1', 'x')"
                )
        assert "read-only" in str(raised.value.user_message)
    finally:
        await db.close()


async def test_a_read_never_sees_an_older_snapshot_than_the_last_commit(tmp_path: Path) -> None:
    """A reader runs one statement at a time: a read made while other reads are still
    fetching on the same connection sees every commit before it (a row claimed a moment ago
    does not look pending still)."""
    db = Database(tmp_path / "bot.sqlite3", readers=1)
    await db.open()
    try:
        async with db.transaction() as tx:
            await tx.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, state TEXT)")
            await tx.executemany("INSERT INTO t (state) VALUES (?)", [("pending",)] * 500)
        stale: list[int] = []
        done = asyncio.Event()

        async def readers() -> None:
            while not done.is_set():
                await asyncio.gather(*(db.read.fetch_one("SELECT * FROM t") for _ in range(8)))

        async def claims() -> None:
            for n in range(300):
                async with db.transaction() as tx:
                    await tx.execute("UPDATE t SET state = ? WHERE id = 1", (f"claim {n}",))
                if await db.read.fetch_value("SELECT state FROM t WHERE id = 1") != f"claim {n}":
                    stale.append(n)
            done.set()

        await asyncio.gather(readers(), readers(), claims())
        assert stale == []
    finally:
        await db.close()
