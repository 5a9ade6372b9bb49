"""``/cases``: search the record, with filters, ten at a time."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from slack_sdk.errors import SlackApiError

from commands import campaign
from network_bot import args
from network_bot.blocks import cases as render
from network_bot.blocks import kit
from network_bot.calls import ActionCall, Call, CommandCall
from network_bot.exports import ExportFilters, ExportFormat, ExportRequest
from network_bot.i18n import Messages, Text, say
from network_bot.logs import describe_exception
from network_bot.refusal import Refusal
from network_bot.registry import (
    Action,
    Example,
    Registry,
    Reply,
    Request,
    SlashCommand,
    Subcommand,
)
from network_bot.roles import Role
from network_bot.services.exporting import ExportError
from network_bot.validators import CountryCode
from network_bot.vocabulary import Status, Violation

log = logging.getLogger("network_bot.commands.cases")

PER_PAGE = 10
MAX_WORDS = 12
TOO_MANY_WORDS = say("Search with at most 12 words: a few distinctive ones find more")
WORD_TOO_LONG = say("A search word can be at most 40 characters long")
USAGE = say(
    "Try `/cases journalist country:PK status:verified type:killing since:2024-01-01 "
    "page:2`, or `/cases mine` for your own reports."
)
OPTIONS = ("country", "status", "type", "since", "page")


BAD_STATUS = say("Status should be one of reported, under_review, verified, rejected or duplicate")
BAD_TYPE = say(
    "Type should be a violation such as killing, abduction, detention, threats or online-harassment"
)


class CasesQuery(BaseModel):
    """What a search asks for. Also the value of the Next/Previous buttons, re-checked on click."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    words: tuple[str, ...] = ()
    country: CountryCode | None = None
    status: Status | None = None
    type: Violation | None = None
    since: date | None = None
    mine: bool = False
    page: int = Field(default=1, ge=1, le=1000)

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: Any) -> Any:
        if isinstance(value, str):
            found = Status.parse(value)
            if found is None:
                raise ValueError(str(BAD_STATUS))
            return found
        return value

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if isinstance(value, str):
            found = Violation.parse(value)
            if found is None:
                raise ValueError(str(BAD_TYPE))
            return found
        return value

    @field_validator("words")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # The sentences are catalogue entries: the error is explained in the reader's language.
        if len(value) > MAX_WORDS:
            raise ValueError(str(TOO_MANY_WORDS))
        if any(len(w) > 40 for w in value):
            raise ValueError(str(WORD_TOO_LONG))
        return value

    def title(self, lang: Messages) -> str:
        """What the search asked for, in the reader's language (plain text)."""
        if self.status:
            kind = lang.gettext("Cases: {status}", status=self.status)
        else:
            kind = lang.gettext("Your reports") if self.mine else lang.gettext("Verified cases")
        parts = [kind]
        if self.words:
            parts.append(lang.gettext("matching “{words}”", words=" ".join(self.words)))
        if self.type:
            parts.append(lang.gettext("type: {violation}", violation=self.type))
        if self.country:
            parts.append(lang.gettext("in {country}", country=lang.country(self.country)))
        if self.since:
            parts.append(lang.gettext("since {day}", day=lang.date(self.since)))
        return " ".join(parts)

    def button_value(self, page: int) -> str | None:
        value = self.model_copy(update={"page": page}).model_dump_json(exclude_defaults=True)
        return value if len(value) <= kit.BUTTON_VALUE else None


def parse_query(text: str) -> CasesQuery:
    parsed = args.parse(text)
    unknown = set(parsed.options) - set(OPTIONS)
    if unknown:
        raise args.ArgError(
            say("I don't know the filter `{name}:`.", name=kit.escape(sorted(unknown)[0][:20]))
        )
    words = [w for w in parsed.words if w.lower() != "mine"]
    data: dict[str, Any] = {
        **parsed.options,
        "words": tuple(words),
        "mine": len(words) != len(parsed.words),
    }
    try:
        return CasesQuery.model_validate(data)
    except ValidationError as error:
        raise args.ArgError(args.Invalid(error)) from None


async def run_query(call: Call, query: CasesQuery) -> Reply:
    today = call.bot.clock.now().date()
    if query.since and query.since > today:
        return kit.notice(
            call.lang.gettext("`since:` can't be in the future. {usage}", usage=USAGE)
        )
    page = await call.bot.cases.search(
        call.member,
        words=query.words,
        country=query.country,
        statuses=(query.status,) if query.status else (),
        violation=query.type,
        since=query.since,
        mine=query.mine,
        page=query.page,
        per_page=PER_PAGE,
    )
    return render.search_results(
        page.cases,
        today=today,
        lang=call.lang,
        title=query.title(call.lang),
        page=query.page,
        next_value=query.button_value(query.page + 1) if page.has_next else None,
        prev_value=query.button_value(query.page - 1) if query.page > 1 else None,
    )


EXPORT_USAGE = say(
    "Write it like `/cases export csv country:PK since:2024-01-01` (csv, json or xlsx; add "
    "`unesco` for killings by country and judicial status, `unverified` to include reports "
    "not yet verified). The file arrives in your DM from the bot."
)
EXPORT_WORDS = {"csv", "json", "xlsx", "unesco", "unverified"}


def parse_export(text: str) -> ExportRequest:
    parsed = args.parse(text)
    words = {w.lower() for w in parsed.words}
    unknown = sorted(words - EXPORT_WORDS) + sorted(set(parsed.options) - {"country", "since"})
    if unknown or parsed.users or parsed.channels:
        raise args.ArgError(
            say("I don't know `{word}` here.", word=kit.escape(unknown[0][:30]))
            if unknown
            else say("I don't know that here.")
        )
    formats = words & {"csv", "json", "xlsx"}
    if len(formats) > 1:
        raise args.ArgError(say("Choose one format: csv, json or xlsx."))
    try:
        return ExportRequest(
            format=ExportFormat(formats.pop() if formats else "csv"),
            unesco="unesco" in words,
            filters=ExportFilters(
                country=parsed.options.get("country"),
                since=parsed.options.get("since"),  # type: ignore[arg-type]
                include_unverified="unverified" in words,
            ),
        )
    except ValidationError as error:
        raise args.ArgError(args.Invalid(error)) from None


async def export_command(call: CommandCall) -> Reply:
    request: ExportRequest = call.args
    if request.filters.since and request.filters.since > call.bot.clock.now().date():
        return kit.notice(
            call.lang.gettext("`since:` can't be in the future. {usage}", usage=EXPORT_USAGE)
        )
    call.later(upload_export(call, request), name="cases.export")
    return kit.notice(
        call.lang.gettext("Preparing your export; it will arrive in your DM from the bot.")
    )


async def upload_export(call: CommandCall, request: ExportRequest) -> None:
    try:
        made = await call.bot.exports.for_slack(call.member, request)
        opened = await call.slack.conversations_open(users=call.member.user_id)
        await call.slack.files_upload_v2(
            channel=str(opened["channel"]["id"]),
            content=made.content,
            filename=made.filename,
            title=made.filename,
            initial_comment=call.lang.ngettext(
                "Your export: {n} row, broadcastable fields only. Restricted notes and "
                "reporters' identities are never in it. Please keep it in the network.",
                "Your export: {n} rows, broadcastable fields only. Restricted notes and "
                "reporters' identities are never in it. Please keep it in the network.",
                made.rows,
            ),
        )
    except ExportError as error:
        await call.tell(kit.notice(error.text(call.lang)))
    except (SlackApiError, OSError) as error:
        log.warning("export upload failed: %s", describe_exception(error))
        await call.tell(
            kit.notice(call.lang.gettext("Slack did not take the file just now. Please try again."))
        )


def read(text: str) -> Request:
    """``export …`` reads as an export request (coordinators); ``emblematic``, ``unesco …``
    and ``chart …`` as the campaign desk's views; anything else as a search."""
    first, _, rest = text.strip().partition(" ")
    if first.lower() == "export":
        try:
            return Request(verb="export", args=parse_export(rest))
        except args.ArgError as error:
            raise Refusal(with_usage(error, EXPORT_USAGE)) from None
    campaign_request = campaign.read_cases_words(first.lower(), rest)
    if campaign_request is not None:
        return campaign_request
    try:
        return Request(verb="", args=parse_query(text))
    except args.ArgError as error:
        raise Refusal(with_usage(error, USAGE)) from None


def with_usage(error: Refusal, usage: Text) -> Text:
    """What was wrong, then how to write it."""
    return say("{why} {usage}", why=error.message, usage=usage)


async def search_command(call: CommandCall) -> Reply:
    return await run_query(call, call.args)


async def page_clicked(call: ActionCall) -> None:
    """Next/Previous: the query comes from the button, the visibility from who clicked it."""
    try:
        query = CasesQuery.model_validate(json.loads(call.value))
    except (ValueError, ValidationError):
        await call.tell(
            kit.notice(call.lang.gettext("That button no longer works. {usage}", usage=USAGE))
        )
        return
    reply = await run_query(call, query)
    await call.tell({**reply, "replace_original": True})


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/cases",
            summary=say("Search the case record: words and filters, newest first."),
            usage_hint=(
                "[words] [country:XX] [status:S] [type:T] [since:YYYY-MM-DD] [mine] [page:N]"
                " | export [csv|json|xlsx] [unesco] | emblematic | unesco [country:XX]"
                " [cycle:YYYY] | chart [country:XX] [since:YYYY]"
            ),
            read=read,
            subcommands={
                "": Subcommand(handler=search_command),
                "export": Subcommand(handler=export_command, role=Role.COORDINATOR),
                "emblematic": Subcommand(handler=campaign.emblematic_list, role=Role.MEMBER),
                "unesco": Subcommand(handler=campaign.unesco_rollup, role=Role.MEMBER),
                "chart": Subcommand(handler=campaign.chart_command, role=Role.MEMBER),
            },
            examples=(
                Example(text="/cases", does=say("the latest verified cases")),
                Example(
                    text="/cases radio journalist country:PK",
                    does=say("words and a country filter"),
                ),
                Example(
                    text="/cases type:killing since:2024-01-01", does=say("killings since 2024")
                ),
                Example(text="/cases mine", does=say("your own reports, verified or not")),
                Example(
                    text="/cases emblematic", does=say("the cases the campaign carries all year")
                ),
                Example(
                    text="/cases unesco country:PK cycle:2026",
                    does=say("which states answered UNESCO on each killing, most owed first"),
                ),
                Example(
                    text="/cases chart since:2010",
                    does=say("killings by year and impunity, and states' answers, as a picture"),
                ),
                Example(
                    text="/cases export xlsx unesco",
                    does=say("killings by country and judicial status, as a file (coordinators)"),
                ),
            ),
        )
    )
    for action_id in (render.PAGE_PREVIOUS, render.PAGE_NEXT):
        registry.action(Action(action_id=action_id, handler=page_clicked))
