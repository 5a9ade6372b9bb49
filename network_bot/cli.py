"""``network-bot``: run the bot, try it in the playground, manage its database."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web
from slack_sdk.errors import SlackApiError

from network_bot import logs
from network_bot.app import build_app
from network_bot.bot import Bot
from network_bot.settings import Settings, SettingsError, load_settings
from network_bot.store.db import Database, SchemaTooNew, StorageError
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    options = parser.parse_args(argv)
    try:
        settings = load_settings(
            **({"db_path": options.db} if getattr(options, "db", None) else {})
        )
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
    except StorageError as error:
        print(f"network-bot: database {settings.db_path}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="network-bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run the bot against Slack")
    run.add_argument(
        "--mode",
        choices=("http", "socket"),
        default=None,
        help="http serves POST /slack/events; socket uses Socket Mode",
    )
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--host", default="0.0.0.0")
    play = sub.add_parser("playground", help="try the bot in this terminal, no Slack needed")
    play.add_argument("--db", help="SQLite file for the playground (default: a fresh temp file)")
    play.add_argument("--script", type=Path, help="read console lines from a file instead")
    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.add_argument("--db", help="SQLite file (default NETWORK_BOT_DB)")
    return parser


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
        raise StartupError("HTTP mode needs SLACK_BOT_TOKEN (xoxb-...) and SLACK_SIGNING_SECRET")
    bot = build_app(settings)
    await _check_token(bot)
    runner = web.AppRunner(
        build_web_app(bot), shutdown_timeout=settings.shutdown_grace_seconds, handle_signals=False
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bot.logger.info("serving POST /slack/events and GET /healthz on %s:%d", host, port)
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
    db = Database(settings.db_path, busy_timeout_ms=settings.db_busy_timeout_ms)
    await db.open()
    try:
        applied = await db.migrate()
        version = await db.schema_version()
    finally:
        await db.close()
    for migration in applied:
        print(f"applied {migration.version:04d}_{migration.name}")
    print(f"{settings.db_path}: schema version {version}")
    return 0


async def _playground(settings: Settings, options: argparse.Namespace) -> int:
    from network_bot.playground import run_playground

    if settings.log_level == "INFO":  # keep the console readable; errors still show
        logs.configure("WARNING", secrets=settings.secrets())
    return await run_playground(settings, db=options.db, script=options.script)


_COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "default": _default,
    "run": _run,
    "playground": _playground,
    "migrate": _migrate,
}
