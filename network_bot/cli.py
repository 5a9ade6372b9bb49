"""``network-bot``: run the bot, try it in the playground, manage its database.

Every line it prints for a person comes from the message catalogue, in the network's language
(``NETWORK_BOT_LANGUAGE``); errors raised with :func:`~network_bot.i18n.say` are said in it too.
argparse's help and its usage errors stay English (they are the program's reference, written
once beside the options). Logs stay English.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from slack_sdk.errors import SlackApiError

from network_bot import cli_export, cli_import, cli_workspaces, logs, maintenance
from network_bot.bot import Bot
from network_bot.cli_db import Refused, open_existing
from network_bot.cli_parser import build_parser
from network_bot.exports import (
    ConsentRefused,
)
from network_bot.factory import build_bot
from network_bot.i18n import Catalogue, CatalogueError, Messages, Text, english, say
from network_bot.imports import CountryProblem, ImportRefused
from network_bot.maintenance import MaintenanceError
from network_bot.settings import Settings, SettingsError, load_settings
from network_bot.store import retention
from network_bot.store.db import Database, SchemaTooNew, StorageError
from network_bot.web import build_endpoint

ABOUT = say(
    "network-bot: the network's shared desk in Slack.\n"
    "\n"
    "No Slack credentials are set, so here is how to run it:\n"
    "  * HTTP mode   (needs a public HTTPS URL in front of it):\n"
    "      SLACK_BOT_TOKEN=xoxb-... SLACK_SIGNING_SECRET=... network-bot run --mode http "
    "--port 3000\n"
    "  * Socket Mode (no public URL; Slack connects over a websocket):\n"
    "      SLACK_BOT_TOKEN=xoxb-... SLACK_APP_TOKEN=xapp-... network-bot run --mode socket\n"
    "  * Playground  (no Slack at all: a pretend workspace in this terminal):\n"
    "      network-bot playground\n"
    "\n"
    "Create the Slack app from app_manifest.yaml; the README explains every setting.\n"
    "Starting the playground now.\n"
)


# What ``prune`` deleted, or in a dry run would delete, by kind.
PRUNED: dict[str, tuple[Text, Text]] = {
    "deliveries": (
        say("deliveries: deleted {count} ({rule}; {variable})"),
        say("deliveries: would delete {count} ({rule}; {variable})"),
    ),
    "charts": (
        say("chart jobs: deleted {count} ({rule}; {variable})"),
        say("chart jobs: would delete {count} ({rule}; {variable})"),
    ),
    "audit": (
        say("audit entries: deleted {count} ({rule}; {variable})"),
        say("audit entries: would delete {count} ({rule}; {variable})"),
    ),
    "rejected": (
        say("rejected reports: deleted {count} ({rule}; {variable})"),
        say("rejected reports: would delete {count} ({rule}; {variable})"),
    ),
}


class StartupError(Exception):
    """Start-up cannot go on; the message says why in one line."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        options = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a bad argument already explained on stderr
        return stop.code if isinstance(stop.code, int) else 2
    try:
        settings = load_settings(**({"db": options.db} if getattr(options, "db", None) else {}))
    except SettingsError as error:
        lang = messages(os.environ.get("NETWORK_BOT_LANGUAGE"))
        print(
            lang.gettext("network-bot: cannot start: {error}", error=words(error, lang)),
            file=sys.stderr,
        )
        return 2
    logs.configure(settings.log_level, secrets=settings.secrets())
    lang = messages(settings.language)
    command = options.command or "default"
    try:
        return int(asyncio.run(_COMMANDS[command](settings, options, lang)))
    except (StartupError, SettingsError, SchemaTooNew) as error:
        print(
            lang.gettext("network-bot: cannot start: {error}", error=words(error, lang)),
            file=sys.stderr,
        )
        return 2
    except (
        Refused,
        ConsentRefused,
        MaintenanceError,
        ImportRefused,
        CountryProblem,
        cli_workspaces.WorkspaceRefused,
    ) as error:
        print(f"network-bot {command}: {words(error, lang)}", file=sys.stderr)
        return 2
    except StorageError as error:
        print(
            lang.gettext(
                "network-bot: database {path}: {error}",
                path=str(settings.db),
                error=words(error, lang),
            ),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


def messages(language: str | None) -> Messages:
    """The command line's language: the network's, else English (also when it is unknown)."""
    try:
        catalogue = Catalogue()
    except CatalogueError:  # a broken catalogue must not hide what went wrong
        return english()
    return catalogue.get(language)


def words(error: BaseException, lang: Messages) -> str:
    """An error's message in ``lang`` when it was raised with :func:`say`, else as it is."""
    said = error.args[0] if len(error.args) == 1 else None
    return lang.render(said) if isinstance(said, Text) else str(error)


async def _default(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    if settings.has_socket_credentials:
        return await _serve_socket(settings)
    if settings.has_http_credentials:
        return await _serve_http(settings, host="0.0.0.0", port=3000)
    print(lang.render(ABOUT))
    options.db = None
    options.script = None
    return await _playground(settings, options, lang)


async def _run(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
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
            say(
                "SLACK_BOT_TOKEN: Slack refused it ({error})",
                error=str(error.response.get("error")),
            )
        ) from None
    except OSError as error:
        raise StartupError(
            say("SLACK_API_URL: cannot reach Slack ({error})", error=type(error).__name__)
        ) from None
    bot.logger.info(
        "connected to Slack workspace %s as %s", identity.get("team"), identity.get("user")
    )


async def _serve_http(settings: Settings, *, host: str, port: int) -> int:
    if not settings.has_http_credentials:
        raise StartupError(
            say(
                "HTTP mode needs SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (xoxb-...), or "
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for many workspaces"
            )
        )
    bot = build_bot(settings)
    if not settings.oauth:  # with OAuth each workspace's token comes from its install
        await _check_token(bot)
    runner = web.AppRunner(
        build_endpoint(bot), shutdown_timeout=settings.shutdown_grace, handle_signals=False
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
            say("Socket Mode needs SLACK_BOT_TOKEN (xoxb-...) and SLACK_APP_TOKEN (xapp-...)")
        )
    bot = build_bot(settings)
    await _check_token(bot)
    await bot.start()
    handler = AsyncSocketModeHandler(bot.app, settings.slack_app_token.get_secret_value())
    try:
        await handler.connect_async()
        bot.logger.info("connected over Socket Mode")
        await _wait_for_signal()
        bot.logger.info("stopping: finishing in-flight work")
    finally:
        await handler.close_async()
        await bot.stop()
    return 0


async def _migrate(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    db = Database(settings.db, busy_timeout_ms=settings.db_busy_ms)
    await db.open()
    try:
        applied = await db.migrate()
        version = await db.schema_version()
    finally:
        await db.close()
    for migration in applied:
        name = f"{migration.version:04d}_{migration.name}"
        print(lang.gettext("applied {migration}", migration=name))
    print(
        lang.gettext(
            "{path}: schema version {version}", path=str(settings.db), version=str(version)
        )
    )
    return 0


async def _backup(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    facts = await maintenance.backup(
        settings.db,
        options.path,
        force=options.force,
        busy_timeout_ms=settings.db_busy_ms,
    )
    print(lang.gettext("backup written: {facts}", facts=facts.describe()))
    return 0


async def _restore(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    report = await maintenance.restore(options.path, settings.db, now=datetime.now(UTC))
    print(
        lang.gettext(
            "restored from {path}: {facts}",
            path=str(options.path),
            facts=report.restored.describe(),
        )
    )
    if report.aside is not None:
        print(lang.gettext("the database it replaced is kept as {path}", path=str(report.aside)))
    return 0


async def _check(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    report = await maintenance.check(settings.db)
    print("\n".join(lang.render(line) for line in report.lines))
    return 0 if report.ok else 1


async def _prune(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    keep = retention.RetentionPolicy.from_settings(settings)
    db = await open_existing(settings)
    try:
        report = await retention.prune(
            db, keep=keep, now=datetime.now(UTC), dry_run=options.dry_run
        )
    finally:
        await db.close()
    for kind, count, days, variable in (
        (PRUNED["deliveries"], report.deliveries, keep.deliveries_days, "DELIVERIES"),
        (PRUNED["charts"], report.charts, keep.deliveries_days, "DELIVERIES"),
        (PRUNED["audit"], report.audit_entries, keep.audit_days, "AUDIT"),
        (PRUNED["rejected"], report.rejected_cases, keep.rejected_days, "REJECTED"),
    ):
        rule = (
            lang.ngettext("older than {n} day", "older than {n} days", days)
            if days
            else lang.gettext("kept forever")
        )
        setting = f"NETWORK_BOT_KEEP_{variable}_DAYS"
        sentence = (kind[1] if report.dry_run else kind[0]).message
        print(lang.gettext(sentence, count=count, rule=rule, variable=setting))
    return 0


async def _playground(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    from network_bot.playground import run_playground

    if settings.log_level == "INFO":  # keep the console readable; errors still show
        logs.configure("WARNING", secrets=settings.secrets())
    return await run_playground(settings, db=options.db, script=options.script)


async def _workspaces(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    return await cli_workspaces.run(settings, options, lang, open_db=open_existing)


_COMMANDS: dict[
    str, Callable[[Settings, argparse.Namespace, Messages], Coroutine[Any, Any, int]]
] = {
    "default": _default,
    "run": _run,
    "playground": _playground,
    "migrate": _migrate,
    "export": cli_export.run,
    "import": cli_import.run,
    "backup": _backup,
    "restore": _restore,
    "check": _check,
    "prune": _prune,
    "workspaces": _workspaces,
}
