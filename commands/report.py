"""``/report``: a member reports an emerging case through a modal."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator
from slack_sdk.errors import SlackApiError

from network_bot.blocks import kit
from network_bot.blocks import report as render
from network_bot.calls import CommandCall, ViewCall
from network_bot.i18n import say
from network_bot.registry import Example, Registry, Reply, SlashCommand, Subcommand, View
from network_bot.store.cases import NewCase
from network_bot.validators import CountryCode, WebUrl
from network_bot.viewstate import field_errors, values_of
from network_bot.vocabulary import Gender, Perpetrator, Profession, Urgency, Violation

log = logging.getLogger("network_bot.commands.report")


FUTURE = say("The date can't be in the future")
CHECK_YEAR = say("Please check the year")


class ReportForm(BaseModel):
    """The report modal's fields, validated before anything is written; named as the record's
    (``NewCase``), so the modal's block IDs, the form and the record speak of one thing."""

    model_config = ConfigDict(str_strip_whitespace=True)

    victim_names: str = Field(default="", max_length=render.VICTIMS_MAX)
    victim_withheld: bool = False
    profession: Profession
    gender: Gender = Gender.UNKNOWN
    violation: Violation
    incident_date: date
    country: CountryCode
    place: str = Field(default="", max_length=render.PLACE_MAX)
    perpetrator: Perpetrator = Perpetrator.UNKNOWN
    urgency: Urgency
    summary: str = Field(min_length=10, max_length=render.SUMMARY_MAX)
    restricted_notes: str = Field(default="", max_length=render.NOTES_MAX)
    sources: list[WebUrl] = Field(default_factory=list, max_length=render.SOURCES_MAX)
    reporter_anonymous: bool = False

    @field_validator("incident_date")
    @classmethod
    def _not_in_future(cls, value: date, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today")
        if today is not None and value > today:
            raise ValueError(str(FUTURE))
        if value.year < 1900:
            raise ValueError(str(CHECK_YEAR))
        return value

    @field_validator("sources", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        if value is None:  # Slack sends null for an input left empty
            return []
        if isinstance(value, str):
            return [line.strip() for line in value.splitlines() if line.strip()]
        return value

    @field_validator("victim_withheld", "reporter_anonymous", mode="before")
    @classmethod
    def _ticked(cls, value: Any) -> bool:
        return bool(value)

    @field_validator(
        "gender", "perpetrator", "victim_names", "place", "restricted_notes", mode="before"
    )
    @classmethod
    def _empty_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None:
            defaults = {"gender": Gender.UNKNOWN, "perpetrator": Perpetrator.UNKNOWN}
            return defaults.get(str(info.field_name), "")
        return value

    def to_case(self, reporter_id: str) -> NewCase:
        """The record to write: the form's fields are the record's, by name."""
        return NewCase(reporter_id=reporter_id, **self.model_dump())


# The modal's input blocks, named as the form's fields (a test holds the two together).
FIELDS = tuple(ReportForm.model_fields)


async def open_report(call: CommandCall) -> Reply | None:
    if len(call.args) > render.SUMMARY_MAX:
        return too_long_to_prefill(call, call.args)
    view = render.report_modal(
        summary=call.args,
        channel_id=call.channel_id,
        today=call.bot.clock.now().date(),
        lang=call.lang,
    )
    again = call.lang.gettext("Please run `/report` again.")
    if call.args:
        again += " " + call.lang.gettext("What you typed: {text}", text=kit.safe(call.args, 1500))
    call.later(call.open_modal(view, again=again), name="report.open")
    return None


async def submit_report(call: ViewCall) -> Reply | None:
    raw = values_of(call.values, FIELDS)
    today = call.bot.clock.now().date()
    try:
        form = ReportForm.model_validate(raw, context={"today": today})
    except ValidationError as error:
        return {
            "response_action": "errors",
            "errors": field_errors(error, known=FIELDS, lang=call.lang),
        }
    result = await call.bot.cases.report(call.member, form.to_case(call.member.user_id))
    similar = result.similar_for_reporter()
    channel_id = _channel_from(call.private_metadata)
    call.later(
        _confirm(
            call,
            channel_id,
            render.report_received(result.case.public_id, similar=similar, lang=call.lang),
        ),
        name="report.confirm",
    )
    return {
        "response_action": "update",
        "view": render.report_received_view(result.case.public_id, similar=similar, lang=call.lang),
    }


def too_long_to_prefill(call: CommandCall, text: str) -> Reply:
    """Refused whole rather than cut: the limit, and everything typed given back to copy."""
    lang = call.lang
    intro = kit.section(
        lang.gettext(
            "“What happened” can hold at most {limit} characters and your text has {length}, "
            "so no form opened and nothing was saved. Here it is, to shorten and send again "
            "with `/report`:",
            limit=lang.number(render.SUMMARY_MAX),
            length=lang.number(len(text)),
        )
    )
    return kit.message(
        [intro, *kit.quoted_sections(text)],
        text=lang.gettext("Your text is too long for a report"),
    )


def _channel_from(metadata: str) -> str | None:
    try:
        channel = json.loads(metadata or "{}").get("channel")
    except (ValueError, AttributeError):
        return None
    return channel if isinstance(channel, str) and channel[:1] in {"C", "G", "D"} else None


async def _confirm(call: ViewCall, channel_id: str | None, message: dict[str, Any]) -> None:
    """The ephemeral confirmation where /report was typed; a DM if the bot can't post there."""
    if channel_id is not None:
        try:
            await call.slack.chat_postEphemeral(
                channel=channel_id,
                user=call.member.user_id,
                text=message["text"],
                blocks=message["blocks"],
            )
            return
        except SlackApiError as error:
            log.info(
                "ephemeral confirmation failed (%s); sending a DM", error.response.get("error")
            )
    await call.tell(message)


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/report",
            summary=say("Report an emerging case: a form opens; coordinators verify it."),
            usage_hint="[what happened, to prefill the form]",
            subcommands={"": Subcommand(handler=open_report)},
            examples=(
                Example(text="/report", does=say("open the report form")),
                Example(
                    text="/report Journalist detained at the border this morning",
                    does=say("open it with the summary filled in"),
                ),
            ),
        )
    )
    registry.view(View(callback_id=render.REPORT_CALLBACK, handler=submit_report))
