"""``network-bot``: run the bot, try it in the playground, manage its database."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import ValidationError
from slack_sdk.errors import SlackApiError

from network_bot import args, cli_import, cli_workspaces, logs, maintenance
from network_bot.app import build_app
from network_bot.bot import Bot
from network_bot.cli_parser import build_parser
from network_bot.exports import (
    ConsentRefused,
    ExportFilters,
    ExportFormat,
    ExportRequest,
    authorise,
    export,
)
from network_bot.i18n import Catalogue, Messages
from network_bot.imports import CountryProblem, ImportRefused
from network_bot.maintenance import MaintenanceError
from network_bot.settings import Settings, SettingsError, load_settings
from network_bot.slack_ids import USER_ID
from network_bot.store import retention
from network_bot.store.db import Database, SchemaTooNew, StorageError, bundled_migrations
from network_bot.web import build_web_app

ABOUT = """\
network-bot: the network's shared desk in Slack.

No Slack credentials are set, so here is how to run it:
  * HTTP mode   (needs a public HTTPS URL in front of it):
      SLACK_BOT_TOKEN=xoxb-... SLACK_SIGNING_SECRET=... network-bot run --mode http --port 3000
  * Socket Mode (no public URL; Slack connects over a websocket):
      SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-... network-bot run --mode socket
  * Playground  (no Slack at all: a pretend workspace in this terminal):
      network-bot playground

Create the Slack app from app_manifest.yaml; the README explains every setting.
Starting the playground now.
"""


class StartupError(Exception):
    """Start-up cannot go on; the message says why in one line."""


class Refused(Exception):
    """A command refused its input before doing anything; the message says why in one line."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a bad argument already explained on stderr
        return stop.code if isinstance(stop.code, int) else 2
    try:
        settings = load_settings(**({"db": options.db} if getattr(options, "db", None) else {}))
    except SettingsError as error:
        print(f"network-bot: cannot start: {error}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, secrets=settings.secrets())
    command = options.command or "default"
    try:
        return int(asyncio.run(_COMMANDS[command](settings, options)))
    except (StartupError, SettingsError, SchemaTooNew) as error:
        print(f"network-bot: cannot start: {error}", file=sys.stderr)
        return 2
    except (
        Refused,
        ConsentRefused,
        MaintenanceError,
        ImportRefused,
        CountryProblem,
        cli_workspaces.WorkspaceRefused,
    ) as error:
        print(f"network-bot {command}: {error}", file=sys.stderr)
        return 2
    except StorageError as error:
        print(f"network-bot: database {settings.db}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


async def _default(settings: Settings, options: argparse.Namespace) -> int:
    if settings.has_socket_credentials:
        return await _serve_socket(settings)
    if settings.has_http_credentials:
        return await _serve_http(settings, host="0.0.0.0", port=3000)
    print(ABOUT)
    options.db = None
    options.script = None
    return await _playground(settings, options)


async def _run(settings: Settings, options: argparse.Namespace) -> int:
    mode = options.mode or ("socket" if settings.slack_app_token else "http")
    if mode == "socket":
        return await _serve_socket(settings)
    return await _serve_http(settings, host=options.host, port=options.port)


async def _wait_for_signal() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def _check_token(bot: Bot) -> None:
    try:
        identity = await bot.slack.auth_test()
    except SlackApiError as error:
        raise StartupError(
            f"SLACK_BOT_TOKEN: Slack refused it ({error.response.get('error')})"
        ) from None
    except OSError as error:
        raise StartupError(f"SLACK_API_URL: cannot reach Slack ({type(error).__name__})") from None
    bot.logger.info(
        "connected to Slack workspace %s as %s", identity.get("team"), identity.get("user")
    )


async def _serve_http(settings: Settings, *, host: str, port: int) -> int:
    if not settings.has_http_credentials:
        raise StartupError(
            "HTTP mode needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (xoxb-...), or "
            "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces"
        )
    bot = build_app(settings)
    if not settings.oauth:  # with OAuth each workspace's token comes from its install
        await _check_token(bot)
    runner = web.AppRunner(
        build_web_app(bot), shutdown_timeout=settings.shutdown_grace, handle_signals=False
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bot.logger.info("serving POST /slack/events and GET /healthz on %s:%d", host, port)
    if settings.oauth:
        bot.logger.info("workspaces install the bot from GET /slack/install")
    try:
        await _wait_for_signal()
        bot.logger.info("stopping: finishing in-flight requests")
    finally:
        await runner.cleanup()
    return 0


async def _serve_socket(settings: Settings) -> int:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    if not settings.has_socket_credentials or settings.slack_app_token is None:
        raise StartupError(
            "Socket Mode needs SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-...)"
        )
    bot = build_app(settings)
    await _check_token(bot)
    await bot.start()
    handler = AsyncSocketModeHandler(bot.bolt, settings.slack_app_token.get_secret_value())
    try:
        await handler.connect_async()
        bot.logger.info("connected over Socket Mode")
        await _wait_for_signal()
        bot.logger.info("stopping: finishing in-flight work")
    finally:
        await handler.close_async()
        await bot.stop()
    return 0


async def _migrate(settings: Settings, options: argparse.Namespace) -> int:
    db = Database(settings.db, busy_timeout_ms=settings.db_busy_ms)
    await db.open()
    try:
        applied = await db.migrate()
        version = await db.schema_version()
    finally:
        await db.close()
    for migration in applied:
        print(f"applied {migration.version:04d}_{migration.name}")
    print(f"{settings.db}: schema version {version}")
    return 0


async def _open_existing(settings: Settings) -> Database:
    """The database, which must exist and be fully migrated (nothing is created or changed)."""
    path = settings.db
    if not path.is_file():
        raise Refused(f"there is no database at {path} (set NETWORK_BOT_DB or pass --db)")
    db = Database(path, busy_timeout_ms=settings.db_busy_ms, readers=1)
    await db.open()
    version = await db.schema_version()
    newest = bundled_migrations()[-1].version
    if version != newest:
        await db.close()
        if version > newest:
            raise SchemaTooNew(f"{path} has schema version {version}; this code knows {newest}")
        raise Refused(
            f"{path} has schema version {version} of {newest}: run network-bot migrate first"
        )
    return db


def _export_request(options: argparse.Namespace) -> ExportRequest:
    try:
        since = date.fromisoformat(options.since) if options.since else None
    except ValueError:
        raise Refused(
            f"--since: expected a date as YYYY-MM-DD, got {options.since[:20]!r}"
        ) from None
    try:
        return ExportRequest(
            format=ExportFormat(options.format),
            filters=ExportFilters(
                country=options.country,
                since=since,
                include_unverified=options.include_unverified,
            ),
            restricted=options.restricted,
            unesco=options.unesco,
        )
    except ValidationError as error:
        first = error.errors(include_url=False, include_input=False)[0]
        where = "--" + str(first["loc"][-1]).replace("_", "-") if first["loc"] else "export"
        raise Refused(f"{where}: {str(first['msg']).removeprefix('Value error, ')}") from None


def _export_language(language: str | None) -> Messages | None:
    """The language to label an export's columns in, if one was asked for and is spoken."""
    if language is None:
        return None
    catalogue = Catalogue()
    code = catalogue.resolve(language)
    if code is None:
        spoken = ", ".join(catalogue.languages)
        raise Refused(f"--language: expected one of {spoken}, got {language[:20]!r}")
    return catalogue.get(code)


def _consenting(options: argparse.Namespace, request: ExportRequest) -> str | None:
    if request.consent_role is None:
        return None
    flag = "--restricted" if request.restricted else "--include-unverified"
    if not options.consent_of:
        raise Refused(f"{flag} needs --consent-of USER_ID naming a {request.consent_role.value}")
    token = options.consent_of.strip()
    user_id = args.user_id(token) or (token if USER_ID.match(token) else None)
    if user_id is None:
        raise Refused(f"--consent-of: expected a Slack user ID like U0123ABCD, got {token[:20]!r}")
    return user_id


def _check_output(request: ExportRequest, output: Path | None) -> None:
    if output is None:
        if request.format is ExportFormat.XLSX:
            raise Refused("--format xlsx needs --output PATH (a workbook is not text)")
        return
    if output.is_dir():
        raise Refused(f"--output: {output} is a directory; name a file")
    if not output.parent.is_dir():
        raise Refused(f"--output: the folder {output.parent} does not exist")


async def _export(settings: Settings, options: argparse.Namespace) -> int:
    request = _export_request(options)
    consent_of = _consenting(options, request)
    _check_output(request, options.output)
    lang = _export_language(options.language)
    now = datetime.now(UTC)
    db = await _open_existing(settings)
    try:
        if consent_of is not None:
            destination = str(options.output.resolve()) if options.output else "stdout"
            await authorise(
                db, consent_of=consent_of, request=request, destination=destination, now=now
            )
        if options.output is not None:
            count = await export(db, request, out=options.output, today=now.date(), lang=lang)
            print(f"{count:,} rows written to {options.output}")
            return 0
        sys.stdout.flush()
        await export(db, request, out=sys.stdout.buffer, today=now.date(), lang=lang)
        sys.stdout.buffer.flush()
        return 0
    finally:
        await db.close()


async def _backup(settings: Settings, options: argparse.Namespace) -> int:
    facts = await maintenance.backup(
        settings.db,
        options.path,
        force=options.force,
        busy_timeout_ms=settings.db_busy_ms,
    )
    print(f"backup written: {facts.describe()}")
    return 0


async def _restore(settings: Settings, options: argparse.Namespace) -> int:
    report = await maintenance.restore(options.path, settings.db, now=datetime.now(UTC))
    print(f"restored from {options.path}: {report.restored.describe()}")
    if report.aside is not None:
        print(f"the database it replaced is kept as {report.aside}")
    return 0


async def _check(settings: Settings, options: argparse.Namespace) -> int:
    report = await maintenance.check(settings.db)
    print("\n".join(report.lines))
    return 0 if report.ok else 1


async def _prune(settings: Settings, options: argparse.Namespace) -> int:
    keep = retention.RetentionPolicy.from_settings(settings)
    db = await _open_existing(settings)
    try:
        report = await retention.prune(
            db, keep=keep, now=datetime.now(UTC), dry_run=options.dry_run
        )
    finally:
        await db.close()
    verb = "would delete" if report.dry_run else "deleted"
    for label, count, days, variable in (
        ("deliveries", report.deliveries, keep.deliveries_days, "DELIVERIES"),
        ("chart jobs", report.charts, keep.deliveries_days, "DELIVERIES"),
        ("audit entries", report.audit_entries, keep.audit_days, "AUDIT"),
        ("rejected reports", report.rejected_cases, keep.rejected_days, "REJECTED"),
    ):
        rule = f"older than {days} days" if days else "kept forever"
        print(f"{label}: {verb} {count:,} ({rule}; NETWORK_BOT_KEEP_{variable}_DAYS)")
    return 0


async def _playground(settings: Settings, options: argparse.Namespace) -> int:
    from network_bot.playground import run_playground

    if settings.log_level == "INFO":  # keep the console readable; errors still show
        logs.configure("WARNING", secrets=settings.secrets())
    return await run_playground(settings, db=options.db, script=options.script)


async def _workspaces(settings: Settings, options: argparse.Namespace) -> int:
    return await cli_workspaces.run(settings, options, open_db=_open_existing)


_COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "default": _default,
    "run": _run,
    "playground": _playground,
    "migrate": _migrate,
    "export": _export,
    "import": cli_import.run,
    "backup": _backup,
    "restore": _restore,
    "check": _check,
    "prune": _prune,
    "workspaces": _workspaces,
}
