"""Backup while the bot writes, restore with its checks, and ``network-bot check``."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from network_bot import maintenance
from network_bot.cli import main
from network_bot.maintenance import MaintenanceError
from network_bot.store.db import Database
from network_bot.testing.seeding import MEMBER, add_case, add_member, open_db

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def make_db(path: Path, cases: int) -> None:
    db = await open_db(path)
    try:
        async with db.transaction() as tx:
            await add_member(tx, MEMBER)
            for _ in range(cases):
                await add_case(tx, summary="A radio journalist was detained. " * 20)
    finally:
        await db.close()


def count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM cases").fetchone()[0])
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def corrupt(path: Path) -> None:
    """Scribble over pages in the middle of the file (the cases table and its indexes)."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(b"\xa5" * (size // 3))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "bot.sqlite3"
    asyncio.run(make_db(path, 300))
    return path


async def test_backup_while_another_task_writes_is_consistent(tmp_path: Path) -> None:
    path, copy = tmp_path / "bot.sqlite3", tmp_path / "backup.sqlite3"
    await make_db(path, 400)
    db = Database(path)
    await db.open()
    written = 0
    stop, started = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        nonlocal written
        while not stop.is_set():
            async with db.transaction() as tx:
                await add_case(tx, summary="Written while the backup runs. " * 10)
            written += 1
            if written == 5:
                started.set()
            await asyncio.sleep(0)

    task = asyncio.create_task(writer())
    try:
        await started.wait()
        before = written
        facts = await maintenance.backup(path, copy, step_pages=1)
        during = written - before
    finally:
        stop.set()
        await task
        await db.close()
    assert during > 0, "the bot kept writing while the backup ran"
    assert integrity(copy) == "ok"
    assert facts.case_count == count(copy), "the count is of the same snapshot as the copy"
    assert 400 < facts.case_count < 400 + written
    assert facts.schema_version == maintenance.newest_version()
    assert files(tmp_path) == ["backup.sqlite3", "bot.sqlite3"], "one self-contained file"
    assert copy.stat().st_mode & 0o777 == 0o600
    target = tmp_path / "restored.sqlite3"
    report = await maintenance.restore(copy, target, now=NOW)
    assert report.aside is None and report.restored.case_count == facts.case_count
    assert integrity(target) == "ok" and count(target) == facts.case_count


def test_backup_and_restore_through_the_cli(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "backup.sqlite3"
    assert main(["backup", str(copy), "--db", str(db_path)]) == 0
    said = capsys.readouterr().out
    newest = maintenance.newest_version()
    assert str(copy) in said and f"schema version {newest}" in said and "300 cases" in said
    assert "bytes" in said
    assert main(["backup", str(copy), "--db", str(db_path)]) == 2, "no silent overwrite"
    assert "--force" in capsys.readouterr().err
    assert main(["backup", str(copy), "--force", "--db", str(db_path)]) == 0

    asyncio.run(make_more(db_path))
    assert count(db_path) == 310
    assert main(["restore", str(copy), "--db", str(db_path)]) == 0
    said = capsys.readouterr().out
    assert "300 cases" in said and "before-restore-" in said
    assert count(db_path) == 300 and integrity(db_path) == "ok"
    asides = list(tmp_path.glob("bot.sqlite3.before-restore-*"))
    assert len(asides) == 1 and count(asides[0]) == 310
    assert not Path(f"{db_path}-wal").exists()
    assert main(["check", "--db", str(db_path)]) == 0


async def make_more(path: Path) -> None:
    db = Database(path)
    await db.open()
    async with db.transaction() as tx:
        for _ in range(10):
            await add_case(tx)
    await db.close()


def test_restore_refuses_a_corrupt_file(db_path: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite3"
    assert main(["backup", str(broken), "--db", str(db_path)]) == 0
    corrupt(broken)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    for bad in (broken, garbage, tmp_path / "missing.sqlite3"):
        assert main(["restore", str(bad), "--db", str(db_path)]) == 2
    assert count(db_path) == 300 and integrity(db_path) == "ok"
    assert not list(tmp_path.glob("*.before-restore-*")), "nothing was touched"


def test_restore_refuses_a_newer_schema_and_a_foreign_database(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = tmp_path / "newer.sqlite3"
    assert main(["backup", str(newer), "--db", str(db_path)]) == 0
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    capsys.readouterr()
    assert main(["restore", str(newer), "--db", str(db_path)]) == 2
    assert "schema version 99" in capsys.readouterr().err
    foreign = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    assert main(["restore", str(foreign), "--db", str(db_path)]) == 2
    lacking = tmp_path / "lacking.sqlite3"
    assert main(["backup", str(lacking), "--db", str(db_path)]) == 0
    conn = sqlite3.connect(lacking)
    conn.execute("DROP TABLE follows")
    conn.close()
    capsys.readouterr()
    assert main(["restore", str(lacking), "--db", str(db_path)]) == 2
    assert "follows" in capsys.readouterr().err
    assert count(db_path) == 300


async def test_restore_refuses_while_the_database_is_open(db_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "backup.sqlite3"
    await maintenance.backup(db_path, copy)
    db = Database(db_path)
    await db.open()
    try:
        with pytest.raises(MaintenanceError, match="in use"):
            await maintenance.restore(copy, db_path, now=NOW)
    finally:
        await db.close()
    assert not any("before-restore" in name for name in files(tmp_path))


def test_check_reports_ok_pending_and_problems(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--db", str(db_path)]) == 0
    said = capsys.readouterr().out
    current = f"schema: version {maintenance.newest_version()} (current)"
    for line in ("integrity: ok", "foreign keys: ok", current, "cases: 300"):
        assert line in said

    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    for migration in maintenance.bundled_migrations()[:3]:
        conn.executescript(migration.sql)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    assert main(["check", "--db", str(old)]) == 0, "pending migrations run at the next start"
    assert "pending migrations: 0004_alerts, 0005_lifecycle" in capsys.readouterr().out

    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO follows (user_id, case_id, created_at) VALUES ('U0GHOST01', 1, 'x')")
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(db_path)]) == 1
    assert "foreign keys: 1 broken reference (follows: 1)" in capsys.readouterr().out

    broken = tmp_path / "broken.sqlite3"
    assert main(["backup", str(broken), "--db", str(db_path)]) == 0
    corrupt(broken)
    capsys.readouterr()
    assert main(["check", "--db", str(broken)]) == 1
    assert "PROBLEMS FOUND" in capsys.readouterr().out
    assert main(["check", "--db", str(tmp_path / "missing.sqlite3")]) == 1
