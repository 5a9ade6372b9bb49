"""``network-bot import --format cpj|csv|json FILE [--dry-run]``: bring history in.

Kept beside ``cli.py`` (which registers it) so that file stays one screenful per job.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from network_bot.cli_db import too_old_or_new
from network_bot.i18n import Messages, say
from network_bot.imports import (
    ImportFormat,
    ImportRefused,
    ImportRequest,
    parse_choices,
    run_import,
)
from network_bot.settings import Settings
from network_bot.store.db import Database, bundled_migrations


def add_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "import",
        help="import CPJ's database of journalists killed, or the bot's own CSV/JSON export",
        description="Each row becomes a case; importing the same file again adds nothing, and a "
        "corrected file updates the rows it changes (recorded in each case's timeline). The "
        "summary lists every skipped row with its line and reason. CPJ rows become verified "
        "killings; anniversaries of imported cases stay off until a coordinator switches them "
        "on (/case ID anniversary on, /network anniversaries country:XX on).",
    )
    cmd.add_argument("file", type=Path, help="the file to import")
    cmd.add_argument(
        "--format",
        required=True,
        choices=[f.value for f in ImportFormat],
        help="cpj: CPJ's CSV layout; csv or json: a network-bot export",
    )
    cmd.add_argument("--dry-run", action="store_true", help="write nothing; print the summary")
    cmd.add_argument(
        "--encoding",
        default="utf-8-sig",
        help="the CSV file's text encoding (default UTF-8; e.g. cp1252 for older Excel files)",
    )
    cmd.add_argument(
        "--map-country",
        action="append",
        default=[],
        metavar='"NAME=XX"',
        help="record a country name as this ISO code (repeatable), e.g. "
        '"Israel and the Occupied Palestinian Territory=PS"',
    )
    cmd.add_argument("--db", help="SQLite file (default NETWORK_BOT_DB; created if missing)")


async def run(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    path: Path = options.file
    if not await asyncio.to_thread(path.is_file):
        raise ImportRefused(say("there is no file {path}", path=str(path)))
    request = ImportRequest(
        path=path,
        format=ImportFormat(options.format),
        prefix=settings.case_prefix,
        dry_run=options.dry_run,
        encoding=options.encoding,
        country_choices=parse_choices(options.map_country),
    )
    db = await _open(settings, dry_run=options.dry_run)
    try:
        summary = await run_import(
            db, request, now=datetime.now(UTC), progress_out=sys.stderr, lang=lang
        )
    finally:
        await db.close()
    try:
        print("\n".join(summary.lines()))
    finally:
        summary.close()
    return 1 if summary.stopped else 0


async def _open(settings: Settings, *, dry_run: bool) -> Database:
    """The database, fully migrated; a missing one is created (an import may be the first thing
    a new installation does), except for a dry run, which must write nothing."""
    path = settings.db
    db = Database(path, busy_timeout_ms=settings.db_busy_ms, readers=1)
    if not path.is_file():
        if dry_run:
            raise ImportRefused(
                say(
                    "there is no database at {path}; a dry run compares the file with an "
                    "existing one (set NETWORK_BOT_DB or pass --db)",
                    path=str(path),
                )
            )
        await db.open()
        await db.migrate()
        return db
    await db.open()
    version = await db.schema_version()
    newest = bundled_migrations()[-1].version
    if version != newest:
        await db.close()
        raise too_old_or_new(path, version=version, newest=newest, refused=ImportRefused)
    return db
