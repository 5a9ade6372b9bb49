"""``network-bot export``: the case record as CSV, JSON or XLSX, its refusals in the network's
language (the columns in ``--language``'s, when asked)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from pydantic import ValidationError

from network_bot import args
from network_bot.cli_db import Refused, open_existing
from network_bot.exports import (
    ExportFilters,
    ExportFormat,
    ExportRequest,
    authorise,
    export,
)
from network_bot.i18n import Catalogue, Messages, say
from network_bot.settings import Settings
from network_bot.slack_ids import USER_ID


def _export_request(options: argparse.Namespace) -> ExportRequest:
    try:
        since = date.fromisoformat(options.since) if options.since else None
    except ValueError:
        raise Refused(
            say(
                "--since: expected a date as YYYY-MM-DD, got {given}",
                given=repr(options.since[:20]),
            )
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
        raise Refused(
            say(
                "--language: expected one of {spoken}, got {given}",
                spoken=spoken,
                given=repr(language[:20]),
            )
        )
    return catalogue.get(code)


def _consenting(options: argparse.Namespace, request: ExportRequest) -> str | None:
    if request.consent_role is None:
        return None
    flag = "--restricted" if request.restricted else "--include-unverified"
    if not options.consent_of:
        raise Refused(
            say(
                "{flag} needs --consent-of USER_ID naming a {role}",
                flag=flag,
                role=request.consent_role,
            )
        )
    token = options.consent_of.strip()
    user_id = args.user_id(token) or (token if USER_ID.match(token) else None)
    if user_id is None:
        raise Refused(
            say(
                "--consent-of: expected a Slack user ID like U0123ABCD, got {given}",
                given=repr(token[:20]),
            )
        )
    return user_id


def _check_output(request: ExportRequest, output: Path | None) -> None:
    if output is None:
        if request.format is ExportFormat.XLSX:
            raise Refused(say("--format xlsx needs --output PATH (a workbook is not text)"))
        return
    if output.is_dir():
        raise Refused(say("--output: {path} is a directory; name a file", path=str(output)))
    if not output.parent.is_dir():
        raise Refused(say("--output: the folder {path} does not exist", path=str(output.parent)))


async def run(settings: Settings, options: argparse.Namespace, lang: Messages) -> int:
    request = _export_request(options)
    consent_of = _consenting(options, request)
    _check_output(request, options.output)
    labels = _export_language(options.language)
    now = datetime.now(UTC)
    db = await open_existing(settings)
    try:
        if consent_of is not None:
            destination = str(options.output.resolve()) if options.output else "stdout"
            await authorise(
                db, consent_of=consent_of, request=request, destination=destination, now=now
            )
        if options.output is not None:
            count = await export(db, request, out=options.output, today=now.date(), lang=labels)
            print(
                lang.ngettext(
                    "{n} row written to {path}",
                    "{n} rows written to {path}",
                    count,
                    path=str(options.output),
                )
            )
            return 0
        sys.stdout.flush()
        await export(db, request, out=sys.stdout.buffer, today=now.date(), lang=labels)
        sys.stdout.buffer.flush()
        return 0
    finally:
        await db.close()
