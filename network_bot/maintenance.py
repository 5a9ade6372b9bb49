"""Backup, restore and check of the bot's SQLite file, safe beside a running bot.

- :func:`backup` copies the live database with SQLite's online backup API. The copy holds one
  read snapshot from start to end, so it is consistent and never restarts when the bot writes;
  in WAL mode readers do not block writers, so the bot carries on meanwhile. The copy is written
  beside its final name and moved into place when complete (mode 0600: it holds everything).
- :func:`restore` puts a backup in place of the live database. **Stop the bot first**: a restore
  refuses when another connection holds the database open (it cannot take it out of WAL mode),
  which is how a running bot shows, but that is a best effort, not a lock. The current file (and
  its -wal/-shm) is kept aside as ``<db>.before-restore-<timestamp>``.
- :func:`check` reports integrity, foreign keys and the schema version against the migrations
  this code ships. Pending migrations are reported but are not a failure: the bot applies them
  at start.

The SQLite work runs in a thread, so these are safe to await from the bot's event loop too.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from network_bot.i18n import Text, say, say_n
from network_bot.store.db import bundled_migrations

STEP_PAGES = 1024
_COMPANIONS = ("-wal", "-shm", "-journal")


class MaintenanceError(Exception):
    """Refused before anything changed; the message says why in one line."""


@dataclass(frozen=True, kw_only=True)
class DatabaseFacts:
    path: Path
    size_bytes: int
    schema_version: int
    case_count: int | None  # None before the cases migration

    def describe(self) -> Text:
        """The file in one line, said in the reader's language."""
        values = dict(path=str(self.path), size=self.size_bytes, version=str(self.schema_version))
        if self.case_count is None:
            return say("{path}: {size} bytes, schema version {version}, no cases table", **values)
        return say_n(
            "{path}: {size} bytes, schema version {version}, {n} case",
            "{path}: {size} bytes, schema version {version}, {n} cases",
            self.case_count,
            **values,
        )


@dataclass(frozen=True, kw_only=True)
class RestoreReport:
    restored: DatabaseFacts
    aside: Path | None  # where the replaced database was kept


@dataclass(frozen=True, kw_only=True)
class CheckReport:
    ok: bool
    lines: list[Text] = field(default_factory=list)


def newest_version() -> int:
    return bundled_migrations()[-1].version


@functools.cache
def expected_tables(version: int) -> frozenset[str]:
    """The tables a database at ``version`` has: the bundled migrations, replayed in memory."""
    conn = sqlite3.connect(":memory:")
    try:
        for migration in bundled_migrations():
            if migration.version <= version:
                conn.executescript(migration.sql)
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        return frozenset(str(r[0]) for r in rows)
    finally:
        conn.close()


def _connect_ro(path: Path, *, busy_timeout_ms: int = 5000) -> sqlite3.Connection:
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro",
        uri=True,
        isolation_level=None,
        timeout=busy_timeout_ms / 1000,
    )
    return conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {str(r[0]) for r in rows}


def _case_count(conn: sqlite3.Connection) -> int | None:
    if "cases" not in _tables(conn):
        return None
    return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _partial(final: Path) -> Iterator[Path]:
    """An empty 0600 file beside ``final``, moved onto it when the block finishes cleanly."""
    partial = final.with_name(f".{final.name}.{os.getpid()}.partial")
    for suffix in ("", *_COMPANIONS):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        yield partial
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
        _fsync_dir(final.parent)
    finally:
        for suffix in ("", *_COMPANIONS):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------------------------- backup


async def backup(
    source: Path,
    dest: Path,
    *,
    force: bool = False,
    step_pages: int = STEP_PAGES,
    busy_timeout_ms: int = 5000,
) -> DatabaseFacts:
    """Copy the live database at ``source`` to ``dest``; return the copy's facts."""
    return await asyncio.to_thread(
        _backup, source, dest, force=force, step_pages=step_pages, busy_timeout_ms=busy_timeout_ms
    )


def _backup(
    source: Path, dest: Path, *, force: bool, step_pages: int, busy_timeout_ms: int
) -> DatabaseFacts:
    if not source.is_file():
        raise MaintenanceError(say("there is no database at {path}", path=str(source)))
    if dest.is_dir():
        raise MaintenanceError(say("{path} is a directory; name the backup file", path=str(dest)))
    if not dest.parent.is_dir():
        raise MaintenanceError(say("the folder {path} does not exist", path=str(dest.parent)))
    if dest.exists():
        if dest.resolve() == source.resolve():
            raise MaintenanceError(say("the backup cannot replace the database it copies"))
        if not force:
            raise MaintenanceError(
                say("{path} already exists; pass --force to replace it", path=str(dest))
            )
    src = _connect_ro(source, busy_timeout_ms=busy_timeout_ms)
    try:
        with _partial(dest) as partial:
            target = sqlite3.connect(partial, isolation_level=None)
            try:
                # One read snapshot for the facts and every step of the copy.
                src.execute("BEGIN")
                version = int(src.execute("PRAGMA user_version").fetchone()[0])
                cases = _case_count(src)
                src.backup(target, pages=step_pages)
                src.execute("COMMIT")
                # A self-contained file: no -wal beside the backup.
                target.execute("PRAGMA journal_mode = DELETE")
                if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise MaintenanceError(say("the copy failed its integrity check; nothing kept"))
            finally:
                target.close()
    except sqlite3.DatabaseError as error:
        raise MaintenanceError(
            say("cannot copy {path}: {error}", path=str(source), error=str(error))
        ) from error
    finally:
        src.close()
    return DatabaseFacts(
        path=dest, size_bytes=dest.stat().st_size, schema_version=version, case_count=cases
    )


# ---------------------------------------------------------------------------------- restore


def inspect(path: Path) -> DatabaseFacts:
    """The facts of a database file fit to restore, or :class:`MaintenanceError` saying why not:
    it must pass ``integrity_check``, carry a schema this code knows, and have its tables."""
    if not path.is_file():
        raise MaintenanceError(say("there is no file at {path}", path=str(path)))
    try:
        conn = _connect_ro(path)
    except sqlite3.Error as error:
        raise MaintenanceError(
            say("{path} cannot be opened: {error}", path=str(path), error=str(error))
        ) from error
    try:
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
        if problems != ["ok"]:
            raise MaintenanceError(
                say(
                    "{path} fails its integrity check: {problem}",
                    path=str(path),
                    problem=problems[0][:200],
                )
            )
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        newest = newest_version()
        if version == 0:
            raise MaintenanceError(
                say("{path} is not a network-bot database (schema version 0)", path=str(path))
            )
        if version > newest:
            raise MaintenanceError(
                say(
                    "{path} has schema version {version}, newer than this network-bot knows "
                    "({newest}); restore it with the network-bot that made it",
                    path=str(path),
                    version=str(version),
                    newest=str(newest),
                )
            )
        missing = expected_tables(version) - _tables(conn)
        if missing:
            raise MaintenanceError(
                say(
                    "{path} lacks tables a version-{version} database has: {tables}",
                    path=str(path),
                    version=str(version),
                    tables=", ".join(sorted(missing)),
                )
            )
        cases = _case_count(conn)
    except sqlite3.DatabaseError as error:
        raise MaintenanceError(
            say(
                "{path} is not a readable SQLite database: {error}",
                path=str(path),
                error=str(error),
            )
        ) from error
    finally:
        conn.close()
    return DatabaseFacts(
        path=path, size_bytes=path.stat().st_size, schema_version=version, case_count=cases
    )


async def restore(backup_file: Path, target: Path, *, now: datetime) -> RestoreReport:
    """Replace the database at ``target`` with ``backup_file`` (the bot must be stopped)."""
    return await asyncio.to_thread(_restore, backup_file, target, now=now)


def _restore(backup_file: Path, target: Path, *, now: datetime) -> RestoreReport:
    inspect(backup_file)
    if target.exists() and target.resolve() == backup_file.resolve():
        raise MaintenanceError(say("the backup is the database itself"))
    if not target.parent.is_dir():
        raise MaintenanceError(say("the folder {path} does not exist", path=str(target.parent)))
    if target.exists():
        _refuse_if_in_use(target)
    aside = None
    src = _connect_ro(backup_file)
    try:
        with _partial(target) as partial:
            copy = sqlite3.connect(partial, isolation_level=None)
            try:
                src.backup(copy, pages=STEP_PAGES)
                # Self-contained until the bot opens it, which puts it back in WAL mode.
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
            restored = inspect(partial)
            if target.exists():
                aside = _set_aside(target, now=now)
    finally:
        src.close()
    return RestoreReport(
        restored=DatabaseFacts(
            path=target,
            size_bytes=restored.size_bytes,
            schema_version=restored.schema_version,
            case_count=restored.case_count,
        ),
        aside=aside,
    )


def _set_aside(target: Path, *, now: datetime) -> Path:
    """Move the database and its companions to ``<db>.before-restore-<timestamp>``: a stale
    -wal must never be replayed onto the restored file."""
    aside = target.with_name(f"{target.name}.before-restore-{now:%Y%m%dT%H%M%SZ}")
    if aside.exists():
        raise MaintenanceError(
            say("{path} already exists; wait a second and try again", path=str(aside))
        )
    for suffix in _COMPANIONS:
        companion = Path(f"{target}{suffix}")
        if companion.exists():
            os.replace(companion, f"{aside}{suffix}")
    os.replace(target, aside)
    return aside


def _refuse_if_in_use(target: Path) -> None:
    """Leaving WAL mode needs the only connection; a running bot holds two or more."""
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=0)
    except sqlite3.Error:
        return  # unreadable: it is kept aside as it is
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise MaintenanceError(
                say(
                    "{path} is in use (is the bot running?); stop it, then restore",
                    path=str(target),
                )
            ) from error
    except sqlite3.DatabaseError:
        pass  # damaged: that may be why it is being restored; it is kept aside as it is
    finally:
        conn.close()


# ---------------------------------------------------------------------------------- check


async def check(path: Path) -> CheckReport:
    """Integrity, foreign keys, schema version and pending migrations, read-only."""
    return await asyncio.to_thread(_check, path)


def _check(path: Path) -> CheckReport:
    if not path.is_file():
        return CheckReport(
            ok=False, lines=[say("{path}: there is no database here", path=str(path))]
        )
    lines = [say("database: {path} ({size} bytes)", path=str(path), size=path.stat().st_size)]
    ok = True
    try:
        conn = _connect_ro(path)
        try:
            problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if problems == ["ok"]:
                lines.append(say("integrity: ok"))
            else:
                ok = False
                lines.append(
                    say_n(
                        "integrity: {n} problem, first: {first}",
                        "integrity: {n} problems, first: {first}",
                        len(problems),
                        first=problems[0][:200],
                    )
                )
            broken: dict[str, int] = {}
            for row in conn.execute("PRAGMA foreign_key_check").fetchall():
                broken[str(row[0])] = broken.get(str(row[0]), 0) + 1
            if broken:
                ok = False
                listed = ", ".join(f"{t}: {n}" for t, n in sorted(broken.items()))
                lines.append(
                    say_n(
                        "foreign keys: {n} broken reference ({listed})",
                        "foreign keys: {n} broken references ({listed})",
                        sum(broken.values()),
                        listed=listed,
                    )
                )
            else:
                lines.append(say("foreign keys: ok"))
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            ok = _check_schema(conn, version, lines) and ok
            cases = _case_count(conn)
            if cases is not None:
                lines.append(say("cases: {count}", count=cases))
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        ok = False
        lines.append(say("unreadable: {error}", error=str(error)))
    lines.append(say("result: ok") if ok else say("result: PROBLEMS FOUND"))
    return CheckReport(ok=ok, lines=lines)


def _check_schema(conn: sqlite3.Connection, version: int, lines: list[Text]) -> bool:
    migrations = bundled_migrations()
    newest = migrations[-1].version
    if version > newest:
        lines.append(
            say(
                "schema: version {version}, newer than this network-bot knows ({newest})",
                version=str(version),
                newest=str(newest),
            )
        )
        return False
    if version == 0:
        lines.append(say("schema: version 0: not a network-bot database (or never migrated)"))
        return False
    pending = [f"{m.version:04d}_{m.name}" for m in migrations if m.version > version]
    if pending:
        lines.append(
            say(
                "schema: version {version} of {newest}; pending migrations: {pending} "
                "(applied at the next start, or run network-bot migrate)",
                version=str(version),
                newest=str(newest),
                pending=", ".join(pending),
            )
        )
    else:
        lines.append(say("schema: version {version} (current)", version=str(version)))
    missing = expected_tables(version) - _tables(conn)
    if missing:
        lines.append(
            say(
                "tables missing for version {version}: {tables}",
                version=str(version),
                tables=", ".join(sorted(missing)),
            )
        )
        return False
    return True
