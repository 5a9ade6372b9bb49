"""``/alert``: coordinators rally the network; everyone answers with a button."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from commands.alert_form import case_headline, compose_form, offered, read_translations
from commands.alert_recall import alert_notice, recall
from network_bot.blocks import alert_form as render
from network_bot.blocks import alerts as alert_messages
from network_bot.blocks import kit
from network_bot.calls import ActionCall, Call, CommandCall, ViewCall
from network_bot.channels import ChannelInfo, ChannelLookupError
from network_bot.data import countries
from network_bot.i18n import say
from network_bot.refusal import Refusal
from network_bot.registry import (
    Action,
    Example,
    Registry,
    Reply,
    Request,
    SlashCommand,
    Subcommand,
    View,
)
from network_bot.roles import Role
from network_bot.services.alerts import AlertError
from network_bot.services.cases import CASE_ID
from network_bot.store.alerts import AlertDraft, Audience, Response
from network_bot.store.cases import PublicCase
from network_bot.validators import WebUrl
from network_bot.viewstate import field_errors, values_of
from network_bot.vocabulary import Urgency

log = logging.getLogger("network_bot.commands.alert")

MAX_CHANNELS = 10
USAGE = say(
    "Write `/alert` (or `/alert NI-2026-0042` about a verified case) to compose one, "
    "`/alert status [AL-2026-0001]` to see how it went, `/alert recall AL-2026-0001` to "
    "withdraw it (you are asked to confirm and for the reason)."
)


CHOOSE_ACTION = say("Choose what you ask people to do")
DEADLINE_PASSED = say("The deadline has already passed")
CHOOSE_COUNTRIES = say("Choose countries from the list")
CHOOSE_REGIONS = say("Choose regions from the list")
CHOOSE_CHANNELS = say("Choose channels from the list")


class AlertForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    headline: str = Field(min_length=3, max_length=150)
    body: str = Field(min_length=10, max_length=render.BODY_MAX)
    action_kind: str
    action_text: str = Field(default="", max_length=500)
    link: WebUrl | None = None
    deadline: date | None = None
    urgency: Urgency
    audience: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list, max_length=60)
    regions: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list, max_length=MAX_CHANNELS)
    shared: list[str] = Field(default_factory=list)

    @field_validator("action_kind")
    @classmethod
    def _action(cls, value: str) -> str:
        if value not in alert_messages.ACTIONS:
            raise ValueError(str(CHOOSE_ACTION))
        return value

    @field_validator("deadline")
    @classmethod
    def _deadline(cls, value: date | None, info: ValidationInfo) -> date | None:
        today = (info.context or {}).get("today")
        if value is not None and today is not None and value < today:
            raise ValueError(str(DEADLINE_PASSED))
        return value

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        if any(not countries.is_country(c) for c in value):
            raise ValueError(str(CHOOSE_COUNTRIES))
        return value

    @field_validator("regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        if any(r not in countries.REGIONS for r in value):
            raise ValueError(str(CHOOSE_REGIONS))
        return value

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: list[str]) -> list[str]:
        if any(not c or c[0] not in "CG" for c in value):
            raise ValueError(str(CHOOSE_CHANNELS))
        return value

    @field_validator("audience", "countries", "regions", "channels", "shared", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @field_validator("action_text", mode="before")
    @classmethod
    def _none_is_blank(cls, value: Any) -> Any:
        return "" if value is None else value

    def audience_of(self) -> Audience:
        return Audience(
            all_members="all" in self.audience,
            countries=tuple(self.countries),
            regions=tuple(self.regions),
            case_followers="case_followers" in self.audience,
            country_followers="country_followers" in self.audience,
            channels=tuple(dict.fromkeys(self.channels)),
            include_shared="include_shared" in self.shared,
        )


# The compose modal's input blocks, named as the form's fields (a test holds them together).
FIELDS = tuple(AlertForm.model_fields)


def read(text: str) -> Request:
    """``status [ID]``, ``recall ID``, ``help``, or compose (about a case, if one is named)."""
    words = text.split()
    verb = words[0].lower() if words else ""
    if verb in {"status", "recall"}:
        if len(words) > 2:
            raise Refusal(USAGE)
        return Request(verb=verb, args=words[1] if len(words) > 1 else None)
    if verb in {"help", "?"}:
        return Request(verb="help")
    if len(words) > 1 or (words and not CASE_ID.match(words[0].upper())):
        raise Refusal(
            say(
                "I don't know `/alert {what}`: it takes a case ID or nothing. {usage}",
                what=kit.escape(text.strip()[:40]),
                usage=USAGE,
            )
        )
    return Request(verb="", args=words[0].upper() if words else None)


async def usage(call: CommandCall) -> Reply:
    return kit.notice(call.lang.render(USAGE))


def _status_reply(call: Call, message: dict[str, object]) -> Reply:
    return kit.message(message["blocks"], text=call.lang.gettext("Alert status"))  # type: ignore[arg-type]


async def status(call: CommandCall) -> Reply:
    if call.args:
        report = await call.bot.alerts.status(call.member, await call.bot.alerts.find(call.args))
        return _status_reply(call, report.message(call.lang))
    return alert_messages.recent_alerts(await call.bot.alerts.recent(call.member), lang=call.lang)


async def compose(call: CommandCall) -> None:
    case: PublicCase | None = None
    if call.args:
        case = await call.bot.alerts.prefill(call.member, call.args)
    view = compose_form(
        call,
        headline=case_headline(case, call.lang) if case else "",
        body=case.summary if case else "",
        case_public_id=case.public_id if case else None,
        has_case=case is not None,
    )
    again = call.lang.gettext("Please run `/alert` again.")
    call.later(call.open_modal(view, again=again), name="alert.open")


async def _channel_info(call: ViewCall, channel_ids: list[str]) -> list[ChannelInfo]:
    found = []
    for channel_id in channel_ids:
        try:
            found.append(
                await call.bot.channels.info(
                    channel_id, workspace_id=call.member.workspace_id or ""
                )
            )
        except ChannelLookupError as error:
            raise AlertError(
                say(
                    "I can't see the channel {channel} ({error}).",
                    channel=kit.channel_link(channel_id),
                    error=kit.escape(error.error),
                ),
                field="channels",
            ) from None
    return found


async def compose_submitted(call: ViewCall) -> Reply | None:
    today = call.bot.clock.now().date()
    try:
        form = AlertForm.model_validate(values_of(call.values, FIELDS), context={"today": today})
    except ValidationError as error:
        return {
            "response_action": "errors",
            "errors": field_errors(error, known=FIELDS, lang=call.lang),
        }
    languages = offered(call.bot.catalogue.choices(), own=call.lang.language)
    translations, errors = read_translations(call, languages)
    if errors:
        return {"response_action": "errors", "errors": errors}
    case_public_id = json.loads(call.private_metadata or "{}").get("case")
    try:
        case_id = None
        if case_public_id:
            case = await call.bot.alerts.prefill(call.member, str(case_public_id))
            case_id, case_public_id = case.id, case.public_id
        channels = await _channel_info(call, form.channels)
        preview = await call.bot.alerts.draft(
            call.member,
            AlertDraft(
                created_by=call.member.user_id,
                case_id=case_id,
                headline=form.headline,
                body=form.body,
                action_kind=form.action_kind,
                action_text=form.action_text,
                link=form.link or "",
                deadline=form.deadline,
                urgency=form.urgency,
                audience=form.audience_of(),
                translations=tuple(translations),
            ),
            channels,
        )
    except AlertError as error:
        return {
            "response_action": "errors",
            "errors": {error.field or "headline": kit.truncate(error.text(call.lang), 300)},
        }
    # Pushed on top of the form, so "Back" returns to it with everything typed still there
    # (Slack: "the user will go back to the previous view after they complete or cancel the
    # pushed view", docs.slack.dev/reference/methods/views.push).
    return {
        "response_action": "push",
        "view": render.preview_modal(
            preview.alert,
            case_public_id=preview.case_public_id,
            recipients=preview.reach.now,
            digests=preview.reach.digest,
            muted=preview.reach.muted,
            channel_names=[(c.name, c.is_ext_shared) for c in preview.channels],
            lang=call.lang,
        ),
    }


async def confirm_submitted(call: ViewCall) -> Reply | None:
    try:
        alert_id = int(json.loads(call.private_metadata or "{}")["alert"])
    except (ValueError, KeyError, TypeError):
        expired = call.lang.gettext("That preview has expired.")
        return {"response_action": "update", "view": alert_notice(call, expired)}
    try:
        await call.bot.alerts.send(call.member, alert_id)
    except AlertError as error:
        return {"response_action": "update", "view": alert_notice(call, error.text(call.lang))}
    # The whole modal closes, form and preview alike, so nothing invites a second send; the
    # sender's DM from the bot shows at once who it is going to, then deliveries and answers.
    return {"response_action": "clear"}


async def respond_clicked(call: ActionCall) -> None:
    """One of the answer buttons; the button's action_id and its value must name one answer."""
    alert_id, _, answer = call.value.partition(":")
    try:
        if call.action_id != f"{alert_messages.RESPOND_PREFIX}{answer}":
            raise ValueError("the button and its value disagree")
        response = Response(answer)
        alert = await call.bot.alerts.respond(call.member, int(alert_id), response)
    except (ValueError, AlertError) as error:
        text = (
            error.text(call.lang)
            if isinstance(error, AlertError)
            else call.lang.gettext("That button is not valid.")
        )
        await call.tell(kit.notice(text))
        return
    await call.tell(
        kit.notice(
            call.lang.gettext(
                "Thank you: recorded “{answer}” for {id}. You can change your answer any time.",
                answer=response,
                id=alert.public_id,
            )
        )
    )


async def link_clicked(call: ActionCall) -> None:
    """A link button opens in the browser; Slack still tells the bot, which has nothing to do."""


async def status_clicked(call: ActionCall) -> None:
    try:
        alert = await call.bot.alerts.find(call.value)
    except AlertError as error:
        await call.tell(kit.notice(error.text(call.lang)))
        return
    report = await call.bot.alerts.status(call.member, alert)
    await call.tell(_status_reply(call, report.message(call.lang)))


async def campaign_clicked(call: ActionCall) -> None:
    """ "Send as an alert" on a campaign digest: the compose form, filled in from the digest."""
    try:
        day = date.fromisoformat(call.value)
    except ValueError:
        await call.tell(kit.notice(call.lang.gettext("That button is not valid.")))
        return
    headline, body = await call.bot.calendar.digest_text(day)
    view = compose_form(call, headline=headline, body=body, case_public_id=None, has_case=False)
    await call.open_modal(view, again=call.lang.gettext("Please click again."))


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/alert",
            summary=say("Rally the network: compose, preview and send an alert (coordinators)."),
            usage_hint="[NI-2026-0042] | status [AL-2026-0001] | recall AL-2026-0001",
            read=read,
            subcommands={
                "": Subcommand(handler=compose, role=Role.COORDINATOR),
                "help": Subcommand(handler=usage, role=Role.COORDINATOR),
                "status": Subcommand(handler=status, role=Role.COORDINATOR),
                "recall": Subcommand(handler=recall, role=Role.COORDINATOR),
            },
            examples=(
                Example(
                    text="/alert", does=say("compose an alert; you see a preview before it goes")
                ),
                Example(text="/alert NI-2026-0042", does=say("an alert about a verified case")),
                Example(
                    text="/alert status AL-2026-0003",
                    does=say("delivered, pending, failed, answers"),
                ),
                Example(
                    text="/alert recall AL-2026-0003",
                    does=say("withdraw every copy, with the reason recipients read"),
                ),
            ),
        )
    )
    registry.view(
        View(callback_id=render.COMPOSE_CALLBACK, handler=compose_submitted, role=Role.COORDINATOR)
    )
    registry.view(
        View(callback_id=render.CONFIRM_CALLBACK, handler=confirm_submitted, role=Role.COORDINATOR)
    )
    for action_id in alert_messages.RESPOND_ACTIONS.values():
        registry.action(Action(action_id=action_id, handler=respond_clicked))
    registry.action(Action(action_id="alert.link", handler=link_clicked))
    registry.action(
        Action(action_id="campaign.alert", handler=campaign_clicked, role=Role.COORDINATOR)
    )
    registry.action(Action(action_id="alert.status", handler=status_clicked, role=Role.COORDINATOR))
