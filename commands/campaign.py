"""The campaign desk: ``/case ID emblematic [off]``, ``/case ID unesco``, ``/cases emblematic``,
``/cases unesco``, ``/cases chart``, and their buttons and form.

``/case`` and ``/cases`` declare these subcommands with their roles and hand them here (``/cases``
reads their words with :func:`read_cases_words`); this module registers the buttons and the
form, each with its role.
"""

from __future__ import annotations

import json
import logging
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from commands.alert_form import compose_form
from network_bot import args
from network_bot.blocks import campaign as render
from network_bot.blocks import kit
from network_bot.blocks.lobbying import lobbying_text
from network_bot.calls import ActionCall, CommandCall, ViewCall
from network_bot.i18n import Messages, Text, say
from network_bot.refusal import Refusal
from network_bot.registry import Action, Registry, Reply, Request, View
from network_bot.roles import Role
from network_bot.services.campaign import CampaignError, UnescoInput
from network_bot.store.campaign import StateAnswer
from network_bot.validators import CountryCode, WebUrl
from network_bot.viewstate import field_errors, values_of

log = logging.getLogger("network_bot.commands.campaign")

UNESCO_USAGE = say(
    "Write it like `/cases unesco`, `/cases unesco country:PK` or `/cases unesco cycle:2026`."
)
CHART_USAGE = say(
    "Write it like `/cases chart`, `/cases chart country:PK` or `/cases chart since:2010`."
)


class Filters(BaseModel):
    """The filters of a roll-up or a chart; also the value of their buttons, re-checked."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    country: CountryCode | None = None
    cycle: int | None = Field(default=None, ge=2008, le=2100)
    since: int | None = Field(default=None, ge=1900, le=2100)


def read_cases_words(first: str, rest: str) -> Request | None:
    """``/cases emblematic``, ``/cases unesco …``, ``/cases chart …`` read once into their
    filters (a :class:`Refusal` says what is wrong); None for any other first word."""
    if first == "emblematic" and not rest.strip():
        return Request(verb="emblematic")
    readers = {
        "unesco": (("country", "cycle"), UNESCO_USAGE),
        "chart": (("country", "since"), CHART_USAGE),
    }
    if first not in readers:
        return None
    allowed, usage = readers[first]
    try:
        return Request(verb=first, args=_filters(rest, allowed, usage))
    except args.ArgError as error:
        raise Refusal(error.message) from None


def _filters(text: str, allowed: tuple[str, ...], usage: Text) -> Filters:
    parsed = args.parse(text)
    unknown = [w for w in parsed.words] + sorted(set(parsed.options) - set(allowed))
    if unknown or parsed.users or parsed.channels:
        word = unknown[0] if unknown else "that"
        raise args.ArgError(
            say("I don't know `{word}` here. {usage}", word=kit.escape(word[:30]), usage=usage)
        )
    for key in ("cycle", "since"):
        value = parsed.options.get(key)
        if value is not None and not (value.isdigit() and len(value) == 4):
            raise args.ArgError(
                say("`{key}:` takes a year, like {key}:2026. {usage}", key=key, usage=usage)
            )
    try:
        return Filters.model_validate(parsed.options)
    except ValidationError as error:
        raise args.ArgError(say("{why} {usage}", why=args.Invalid(error), usage=usage)) from None


def _button_filters(call: ActionCall) -> Filters | None:
    try:
        return Filters.model_validate(json.loads(call.value))
    except (ValueError, ValidationError):
        return None


# ----------------------------------------------------------------------------- /case ID ...


async def emblematic_verb(call: CommandCall) -> Reply:
    """``/case ID emblematic`` or ``/case ID emblematic off`` (coordinators)."""
    public_id, rest = call.args.public_id, call.args.rest
    if rest.lower() not in {"", "on", "off"}:
        return kit.notice(
            call.lang.gettext(
                "Write `/case {id} emblematic` to mark it, or `/case {id} emblematic off` to undo.",
                id=public_id,
            )
        )
    on = rest.lower() != "off"
    await call.bot.campaign.set_emblematic(call.member, public_id, on=on)
    if on:
        return kit.notice(
            call.lang.gettext(
                "*{id}* is emblematic: it leads App Home, the campaign digests and "
                "`/cases emblematic`, and its anniversary always posts.",
                id=public_id,
            )
        )
    return kit.notice(call.lang.gettext("*{id}* is no longer emblematic.", id=public_id))


async def unesco_verb(call: CommandCall) -> Reply | None:
    """``/case ID unesco`` (coordinators): the form, opened after the ack."""
    public_id = call.args.public_id
    if call.args.rest:
        return kit.notice(
            call.lang.gettext(
                "Write `/case {id} unesco`: the form asks for the rest.", id=public_id
            )
        )
    case, entries = await call.bot.campaign.unesco_case(call.member, public_id)
    view = render.unesco_modal(
        case, entries=entries, today=call.bot.clock.now().date(), lang=call.lang
    )
    call.later(call.open_modal(view), name="case.unesco.open")
    return None


class UnescoForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    cycle: int = Field(ge=2008, le=2100)
    requested_on: date
    answer: StateAnswer
    answered_on: date | None = None
    source_url: WebUrl | None = None

    @field_validator("source_url", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return None if value in (None, "") else value


UNESCO_FIELDS = tuple(UnescoForm.model_fields)  # the modal's input blocks (a test holds them)


async def unesco_submitted(call: ViewCall) -> Reply | None:
    try:
        form = UnescoForm.model_validate(values_of(call.values, UNESCO_FIELDS))
    except ValidationError as error:
        return {
            "response_action": "errors",
            "errors": field_errors(error, known=UNESCO_FIELDS, lang=call.lang),
        }
    try:
        public_id = str(json.loads(call.private_metadata or "{}").get("case", ""))
    except (ValueError, AttributeError):
        public_id = ""
    try:
        entry = await call.bot.campaign.record_unesco(
            call.member,
            public_id,
            UnescoInput(
                cycle=form.cycle,
                requested_on=form.requested_on,
                answer=form.answer,
                answered_on=form.answered_on,
                source_url=form.source_url or "",
            ),
        )
    except CampaignError as error:
        block = error.field if error.field in UNESCO_FIELDS else "cycle"
        return {
            "response_action": "errors",
            "errors": {block: kit.truncate(error.text(call.lang), 300)},
        }
    saved = call.lang.gettext(
        "Saved for *{id}*: {line}",
        id=kit.escape(public_id),
        line=render.unesco_line(entry, call.lang),
    )
    return {
        "response_action": "update",
        "view": kit.modal(
            title=call.lang.gettext("UNESCO request"),
            callback_id="network.notice",
            submit=None,
            close=call.lang.gettext("Done"),
            blocks=[kit.section(saved)],
        ),
    }


# ----------------------------------------------------------------------------- /cases ...


async def emblematic_list(call: CommandCall) -> Reply:
    """``/cases emblematic``: anyone may see which verified cases the campaign carries."""
    return render.emblematic_list(await call.bot.campaign.emblematic(), lang=call.lang)


def _rollup_title(filters: Filters, lang: Messages) -> str:
    parts = [lang.gettext("What states owe UNESCO")]
    if filters.country:
        parts.append(lang.gettext("in {country}", country=lang.country(filters.country)))
    if filters.cycle:
        parts.append(lang.gettext("for the {cycle} report", cycle=str(filters.cycle)))
    return " ".join(parts)


async def unesco_rollup(call: CommandCall) -> Reply:
    """``/cases unesco [country:XX] [cycle:YYYY]``: killings, answered, share, oldest owed."""
    filters: Filters = call.args
    debts = await call.bot.campaign.rollup(country=filters.country, cycle=filters.cycle)
    lobby = None
    if call.member.role.allows(Role.COORDINATOR) and any(d.unanswered for d in debts):
        lobby = filters.model_dump_json(exclude_none=True, exclude={"since"})
    return render.rollup_message(
        debts, title=_rollup_title(filters, call.lang), lobby_value=lobby, lang=call.lang
    )


async def chart_command(call: CommandCall) -> Reply:
    """``/cases chart [country:XX] [since:YYYY]``: drawn after the ack, sent to the DM."""
    filters: Filters = call.args
    if filters.since and filters.since > call.bot.clock.now().year:
        return kit.notice(
            call.lang.gettext("`since:` can't be in the future. {usage}", usage=CHART_USAGE)
        )
    await call.bot.charts.for_member(call.member, country=filters.country, since=filters.since)
    blocks = [
        kit.section(
            call.lang.gettext("Drawing the chart; it arrives in your DM from the bot in a moment.")
        )
    ]
    if call.member.role.allows(Role.COORDINATOR):
        blocks.append(
            render.chart_buttons(country=filters.country, since=filters.since, lang=call.lang)
        )
    return kit.message(blocks, text=call.lang.gettext("Drawing the chart"))


# ----------------------------------------------------------------------------- buttons


async def lobby_clicked(call: ActionCall) -> None:
    """ "Draft a lobbying alert": the compose form, filled in from the roll-up as it is now."""
    filters = _button_filters(call)
    if filters is None:
        await call.tell(
            kit.notice(
                call.lang.gettext("That button no longer works. {usage}", usage=UNESCO_USAGE)
            )
        )
        return
    draft = await call.bot.campaign.lobbying_draft(
        call.member, country=filters.country, cycle=filters.cycle
    )
    text = lobbying_text(draft, lang=call.lang)  # the coordinator's draft, in their language
    view = compose_form(
        call,
        headline=text.headline,
        body=text.body,
        case_public_id=None,
        has_case=False,
        action_kind="lobby_unesco",
        action_text=text.action_text,
        country_codes=draft.countries,
    )
    await call.open_modal(view, again=call.lang.gettext("Please click again."))


async def _chart_clicked(call: ActionCall, *, social: bool) -> None:
    filters = _button_filters(call)
    if filters is None:
        await call.tell(
            kit.notice(call.lang.gettext("That button no longer works. {usage}", usage=CHART_USAGE))
        )
        return
    if social:
        await call.bot.charts.save_for_social(
            call.member, country=filters.country, since=filters.since
        )
        said = call.lang.gettext(
            "A social-media-sized chart is on its way to your DM, with its alt text."
        )
    else:
        channel = await call.bot.charts.post_to_campaign(
            call.member, country=filters.country, since=filters.since
        )
        said = call.lang.gettext(
            "The chart is on its way to {channel}.", channel=kit.channel_link(channel)
        )
    await call.tell(kit.notice(said))


async def chart_post_clicked(call: ActionCall) -> None:
    await _chart_clicked(call, social=False)


async def chart_social_clicked(call: ActionCall) -> None:
    await _chart_clicked(call, social=True)


def register(registry: Registry) -> None:
    registry.view(
        View(callback_id=render.UNESCO_CALLBACK, handler=unesco_submitted, role=Role.COORDINATOR)
    )
    registry.action(
        Action(action_id=render.LOBBY_ACTION, handler=lobby_clicked, role=Role.COORDINATOR)
    )
    registry.action(
        Action(
            action_id=render.CHART_POST_ACTION, handler=chart_post_clicked, role=Role.COORDINATOR
        )
    )
    registry.action(
        Action(
            action_id=render.CHART_SOCIAL_ACTION,
            handler=chart_social_clicked,
            role=Role.COORDINATOR,
        )
    )
