"""The command line's shape: ``network-bot``'s commands, their options, help and version."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import NoReturn

from network_bot import cli_import, cli_workspaces
from network_bot.exports import ExportFormat


class _Parser(argparse.ArgumentParser):
    """Subcommands explain bad arguments in one line (and exit 2) instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


class _Help(argparse.RawDescriptionHelpFormatter):
    """Every option's help ends with its default, when it has one worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        quiet = action.default in (None, False, argparse.SUPPRESS) or not action.option_strings
        return text if quiet or "%(default)" in text else text + " (default: %(default)s)"


DESCRIPTION = """\
network-bot: the shared desk of a press-freedom network in Slack.

Run it against Slack (run), try it in this terminal with no Slack at all (playground),
or look after its database (migrate, backup, restore, check, prune, export).
With no command and no Slack credentials it starts the playground.
Settings come from the environment or a .env file; docs/operating.md lists them all."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="network-bot", description=DESCRIPTION, formatter_class=_Help)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_version()}", help="show the version"
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    def command(name: str, summary: str, description: str | None = None) -> argparse.ArgumentParser:
        made: argparse.ArgumentParser = sub.add_parser(
            name, help=summary, description=description or summary, formatter_class=_Help
        )
        return made

    run = command("run", "run the bot against Slack (HTTP or Socket Mode)")
    run.add_argument(
        "--mode",
        choices=("http", "socket"),
        default=None,
        help="http serves POST /slack/events; socket uses Socket Mode "
        "(default: socket when SLACK_APP_TOKEN is set, else http)",
    )
    run.add_argument("--port", type=int, default=3000, help="HTTP mode: the port to listen on")
    run.add_argument("--host", default="0.0.0.0", help="HTTP mode: the address to listen on")
    play = command("playground", "try the bot in this terminal, no Slack needed")
    play.add_argument(
        "--db", help="SQLite file to keep between sessions (default: a fresh temporary file)"
    )
    play.add_argument(
        "--script", type=Path, help="read the console lines from this file instead of typing them"
    )
    migrate = command("migrate", "apply database migrations and exit")
    _db_option(migrate)
    _export_parser(command)
    cli_import.add_parser(sub)
    cli_workspaces.add_parser(sub)
    sub.choices["import"].formatter_class = _Help  # its help says each default, like the others
    _maintenance_parsers(command)
    return parser


def _version() -> str:
    try:
        return metadata.version("network-bot")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def _db_option(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument("--db", help="SQLite file (default: NETWORK_BOT_DB, ./network-bot.sqlite3)")


Command = Callable[..., argparse.ArgumentParser]


def _export_parser(command: Command) -> None:
    cmd = command(
        "export",
        "export cases (broadcastable part, verified only by default) as CSV, JSON or XLSX",
        "One row per case: ID, country, victim (unless withheld or redacted), "
        "profession, violation, date, justice stage, for killings the impunity status and its "
        "clock, verification, "
        "sources. Never a reporter; restricted notes only with an admin's recorded consent.",
    )
    _db_option(cmd)
    cmd.add_argument(
        "--format", choices=[f.value for f in ExportFormat], default="csv", help="file format"
    )
    cmd.add_argument("--country", help="only this country: ISO 3166-1 alpha-2 code, e.g. PK")
    cmd.add_argument("--since", help="only incidents on or after this date (YYYY-MM-DD)")
    which = cmd.add_mutually_exclusive_group()
    which.add_argument(
        "--verified-only", action="store_true", help="verified cases only (the default)"
    )
    which.add_argument(
        "--include-unverified",
        action="store_true",
        help="also reports not yet verified (needs --consent-of a coordinator or admin)",
    )
    cmd.add_argument(
        "--unesco",
        action="store_true",
        help="killings by country and judicial status (resolved / ongoing / no information)",
    )
    cmd.add_argument(
        "--restricted",
        action="store_true",
        help="add restricted notes (needs --consent-of an admin; recorded in the audit log)",
    )
    cmd.add_argument(
        "--consent-of",
        metavar="USER_ID",
        help="the Slack ID of the coordinator or admin who consents (recorded in the audit log)",
    )
    cmd.add_argument(
        "--output", type=Path, help="file to write (default: stdout; xlsx needs a file)"
    )
    cmd.add_argument(
        "--language",
        metavar="LANG",
        help="label the columns (and name the countries) in this language: en, fr, es or ar; "
        "the cells keep their codes (default: the field names)",
    )


def _maintenance_parsers(command: Command) -> None:
    backup = command("backup", "copy the live database safely (the bot may run)")
    backup.add_argument("path", type=Path, help="the backup file to write")
    backup.add_argument("--force", action="store_true", help="replace an existing file")
    _db_option(backup)
    restore = command(
        "restore",
        "replace the database with a backup (stop the bot first)",
        "Checks the backup, keeps the current database aside as "
        "<db>.before-restore-<timestamp>, then copies the backup in. Stop the bot first.",
    )
    restore.add_argument("path", type=Path, help="the backup file to restore")
    _db_option(restore)
    check = command("check", "integrity, foreign keys and schema version")
    _db_option(check)
    prune = command(
        "prune", "delete old deliveries, audit entries and rejected reports (NETWORK_BOT_KEEP_*)"
    )
    prune.add_argument("--dry-run", action="store_true", help="only count what would go")
    _db_option(prune)
