"""One SQLite file in WAL mode: a writer connection behind a lock and a reader beside it.

Writes go through :meth:`Database.transaction` (``BEGIN IMMEDIATE``, one at a time, so coroutines
never interleave statements of different transactions). Reads use a second connection, which in
WAL mode sees only committed data and is never blocked by a write in progress.

SQLite keeps a connection's read snapshot while any of its statements is unfinished, so a read
run between another's ``execute`` and its last fetch would see that older snapshot (a row
claimed a moment ago would still look pending). Reads therefore run to completion in one step
of the connection's thread (``execute_fetchall``): no statement is left open between steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from network_bot.i18n import Text, say

Params = Sequence[Any] | dict[str, Any]

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class StorageError(Exception):
    """A storage failure a member can be told about in plain words."""

    user_message: Text = say(
        "The case database had a problem, so nothing was saved. Please try again."
    )


class StorageBusy(StorageError):
    user_message = say(
        "The case database is busy right now, so nothing was saved. Please try again in a moment."
    )


class StorageReadOnly(StorageError):
    user_message = say(
        "The case database is read-only at the moment (maintenance or a restore), so nothing "
        "was saved. Please try again later or tell an admin."
    )


class StorageFull(StorageError):
    user_message = say(
        "The case database is out of space, so nothing was saved. Please tell an admin."
    )


class SchemaTooNew(Exception):
    """The database was migrated by a newer network-bot than this one."""


def classify(error: sqlite3.Error) -> StorageError:
    """Map SQLite's errors onto the few that deserve their own message."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return StorageBusy(str(error))
    if "readonly" in text or "read-only" in text:
        return StorageReadOnly(str(error))
    if "full" in text or "disk i/o" in text:
        return StorageFull(str(error))
    return StorageError(str(error))


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered ``.sql`` files shipped in ``network_bot/store/migrations``."""
    found = []
    folder = resources.files("network_bot.store") / "migrations"
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError("two migrations share a number")
    # Numbers are reserved per piece of work and may land out of order, so a gap is allowed:
    # ``migrate`` records what it applied and applies a late-landing lower number too.
    return found


class Conn:
    """The statements a store module may run, on either connection."""

    def __init__(self, raw: aiosqlite.Connection, *, effects: set[str] | None = None) -> None:
        self.raw = raw
        self._effects = effects

    def after_commit(self, topic: str) -> None:
        """Have the database tell ``topic``'s listeners once this transaction has committed.

        A store module that queues work (the outbox) calls this, so whoever does the work
        hears of it exactly when it becomes visible, and never for a rolled-back write.
        """
        if self._effects is None:
            raise RuntimeError("after_commit() needs a write transaction")
        self._effects.add(topic)

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the last inserted rowid (or 0)."""
        try:
            cursor = await self.raw.execute(sql, params)
            rowid = cursor.lastrowid or 0
            await cursor.close()
            return rowid
        except sqlite3.Error as error:
            raise classify(error) from error

    async def execute_rowcount(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return how many rows it changed."""
        try:
            cursor = await self.raw.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return count
        except sqlite3.Error as error:
            raise classify(error) from error

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        try:
            await self.raw.executemany(sql, rows)
        except sqlite3.Error as error:
            raise classify(error) from error

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        try:
            return list(await self.raw.execute_fetchall(sql, params))
        except sqlite3.Error as error:
            raise classify(error) from error

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row (every caller's statement names one row, or limits itself to one)."""
        try:
            rows = list(await self.raw.execute_fetchall(sql, params))
            return rows[0] if rows else None
        except sqlite3.Error as error:
            raise classify(error) from error

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


async def _pragma(raw: aiosqlite.Connection, statement: str) -> Any:
    """Run a PRAGMA and finish its statement, so it holds no lock afterwards."""
    async with raw.execute(f"PRAGMA {statement}") as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


async def _checkpoint(raw: aiosqlite.Connection) -> bool:
    """Fold the WAL into the file and truncate it; True if readers kept it from finishing."""
    async with raw.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
        row = await cursor.fetchone()
    return bool(row and row[0])


class Database:
    """The bot's one SQLite file."""

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = 5000, readers: int = 2) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._listeners: dict[str, list[Callable[[], None]]] = {}
        self._reader_count = max(1, readers)
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._next_reader = 0
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        """Open both connections and set the pragmas every connection needs."""
        if self._writer is not None:
            return
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._writer = await self._connect()
            await _pragma(self._writer, "journal_mode = WAL")
            for _ in range(self._reader_count):
                self._readers.append(await self._connect())
        except sqlite3.Error as error:
            await self.close()
            raise classify(error) from error

    async def _connect(self) -> aiosqlite.Connection:
        raw = await aiosqlite.connect(self.path, isolation_level=None)
        raw.row_factory = sqlite3.Row
        await _pragma(raw, f"busy_timeout = {int(self.busy_timeout_ms)}")
        await _pragma(raw, "foreign_keys = ON")
        await _pragma(raw, "synchronous = FULL")
        # Deleted and overwritten content is zeroed, not left in free pages: a seized laptop
        # or a copied file must not give back a redacted name or a pruned message.
        await _pragma(raw, "secure_delete = ON")
        return raw

    async def close(self) -> None:
        for raw in [*self._readers, self._writer]:
            if raw is not None:
                await raw.close()
        self._readers = []
        self._writer = None

    @property
    def read(self) -> Conn:
        """A connection for reads outside any transaction (a few, used in turn, so that
        concurrent searches run side by side in SQLite's threads)."""
        if not self._readers:
            raise RuntimeError("Database.open() has not been awaited")
        self._next_reader = (self._next_reader + 1) % len(self._readers)
        return Conn(self._readers[self._next_reader])

    def on_commit(self, topic: str, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each commit of a transaction that named ``topic``."""
        self._listeners.setdefault(topic, []).append(listener)

    @asynccontextmanager
    async def transaction(self, *, synced: bool = True) -> AsyncIterator[Conn]:
        """One write transaction at a time; rolled back if the block raises.

        Effects the transaction asked for (:meth:`Conn.after_commit`) run after the commit,
        outside the write lock; a rolled-back transaction has none.

        ``synced=False`` commits without waiting for the disk (``synchronous = NORMAL``): the
        commit survives the process being killed, not a power cut. Only for bookkeeping that
        is cheap to lose that way (the replay guard's signatures), never for records.
        """
        if self._writer is None:
            raise RuntimeError("Database.open() has not been awaited")
        effects: set[str] = set()
        async with self._write_lock:
            writer = self._writer
            if not synced:
                await _pragma(writer, "synchronous = NORMAL")
            try:
                conn = Conn(writer, effects=effects)
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    await self._rollback()
                    raise
                try:
                    await writer.execute("COMMIT")
                except sqlite3.Error as error:
                    await self._rollback()
                    raise classify(error) from error
            finally:
                if not synced:
                    await _pragma(writer, "synchronous = FULL")
        for topic in sorted(effects):
            for listener in self._listeners.get(topic, ()):
                listener()

    async def _rollback(self) -> None:
        """Roll back if a transaction is still open: SQLite ends some itself (a full disk),
        and a failing ROLLBACK must not hide the error that caused it."""
        if self._writer is None or not self._writer.in_transaction:
            return
        with contextlib.suppress(sqlite3.Error):
            await self._writer.execute("ROLLBACK")

    async def erase_leftovers(self, tidy: Callable[[Conn], Awaitable[None]]) -> None:
        """After erasing something: run ``tidy`` (e.g. merge the search index) in its own
        transaction, then fold the write-ahead log back into the file and truncate it, so the
        old text survives in neither."""
        async with self.transaction() as tx:
            await tidy(tx)
        async with self._write_lock:
            writer = self._writer
            assert writer is not None
            # A checkpoint waits for readers; never hold every writer up for the full busy
            # timeout. A try that cannot finish is retried; the file is still consistent.
            await _pragma(writer, "busy_timeout = 200")
            try:
                for attempt in range(5):
                    busy = await _checkpoint(writer)
                    if not busy:
                        break
                    await asyncio.sleep(0.05 * (attempt + 1))
            except sqlite3.Error as error:
                raise classify(error) from error
            finally:
                await _pragma(writer, f"busy_timeout = {int(self.busy_timeout_ms)}")

    async def schema_version(self) -> int:
        return int(await self.read.fetch_value("PRAGMA user_version"))

    async def migrate(self, migrations: list[Migration] | None = None) -> list[Migration]:
        """Apply what is missing, each migration in its own transaction; return what ran."""
        migrations = bundled_migrations() if migrations is None else migrations
        known = migrations[-1].version if migrations else 0
        if self._writer is None:
            raise RuntimeError("Database.open() has not been awaited")
        async with self._write_lock:
            current = int(await _pragma(self._writer, "user_version") or 0)
            done = await self._applied_versions(current, migrations)
            unknown = done - {m.version for m in migrations}
            if current > known or unknown:
                raise SchemaTooNew(
                    f"The database {self.path} has schema version {current}, but this network-bot "
                    f"knows only up to {known}. Upgrade network-bot, or restore a backup made "
                    "for this version."
                )
            applied = []
            for migration in migrations:
                if migration.version in done:
                    continue
                current = max(current, migration.version)
                script = (
                    "BEGIN IMMEDIATE;\n"
                    f"{migration.sql}\n;"
                    "INSERT INTO schema_migrations (version, name) "
                    f"VALUES ({migration.version}, '{migration.name}');\n"
                    f"PRAGMA user_version = {current};\n"
                    "COMMIT;"
                )
                try:
                    await self._writer.executescript(script)
                except sqlite3.Error as error:
                    if self._writer.in_transaction:
                        await self._writer.execute("ROLLBACK")
                    raise RuntimeError(
                        f"migration {migration.version:04d}_{migration.name} failed: {error}"
                    ) from error
                applied.append(migration)
            return applied

    async def _applied_versions(self, current: int, migrations: list[Migration]) -> set[int]:
        """The migrations this file has had. Before the record existed they ran in order, so a
        file without one has had every migration up to its ``user_version``."""
        assert self._writer is not None
        await self._writer.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
        )
        async with self._writer.execute("SELECT version FROM schema_migrations") as cursor:
            recorded = {int(row[0]) for row in await cursor.fetchall()}
        if recorded or current == 0:
            return recorded
        legacy = [(m.version, m.name) for m in migrations if m.version <= current]
        await self._writer.executemany(
            "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", legacy
        )
        return {version for version, _ in legacy}

    async def health(self) -> dict[str, Any]:
        """What ``/healthz`` reports: can we read, and which schema is this."""
        try:
            version = await self.schema_version()
            await self.read.fetch_value("SELECT 1")
        except (StorageError, RuntimeError, sqlite3.Error) as error:
            return {"ok": False, "error": type(error).__name__}
        known = bundled_migrations()[-1].version
        return {"ok": version == known, "schema_version": version, "schema_expected": known}
