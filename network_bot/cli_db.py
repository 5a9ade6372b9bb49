"""What every ``network-bot`` command that reads the database shares: opening it, and the one
way to say that its schema is not this code's. Kept apart so each command's module can use it."""

from __future__ import annotations

from pathlib import Path

from network_bot.i18n import say
from network_bot.settings import Settings
from network_bot.store.db import Database, SchemaTooNew, bundled_migrations


class Refused(Exception):
    """A command refused its input before doing anything; the message says why in one line."""


async def open_existing(settings: Settings) -> Database:
    """The database, which must exist and be fully migrated (nothing is created or changed)."""
    path = settings.db
    if not path.is_file():
        raise Refused(
            say("there is no database at {path} (set NETWORK_BOT_DB or pass --db)", path=str(path))
        )
    db = Database(path, busy_timeout_ms=settings.db_busy_ms, readers=1)
    await db.open()
    version = await db.schema_version()
    newest = bundled_migrations()[-1].version
    if version != newest:
        await db.close()
        raise too_old_or_new(path, version=version, newest=newest, refused=Refused)
    return db


def too_old_or_new(path: Path, *, version: int, newest: int, refused: type[Exception]) -> Exception:
    """The error for a database whose schema is not this code's (newer, or to be migrated)."""
    if version > newest:
        return SchemaTooNew(
            say(
                "{path} has schema version {version}; this code knows {newest}",
                path=str(path),
                version=str(version),
                newest=str(newest),
            )
        )
    return refused(
        say(
            "{path} has schema version {version} of {newest}: run network-bot migrate first",
            path=str(path),
            version=str(version),
            newest=str(newest),
        )
    )
