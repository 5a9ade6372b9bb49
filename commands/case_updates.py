"""``/case ID update`` and its form: what happened next in a case, recorded by a coordinator or
proposed by a member; the coordinators' Approve and Reject buttons on a proposal."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from network_bot.answers import notice_modal
from network_bot.blocks import kit
from network_bot.blocks import updates as updates_render
from network_bot.calls import ActionCall, Call, CommandCall, ViewCall
from network_bot.i18n import say
from network_bot.refusal import Refusal
from network_bot.registry import Action, Registry, Reply, View
from network_bot.roles import Role
from network_bot.services.cases import normalise_id
from network_bot.services.timeline import TimelineError, UpdateInput, date_problem
from network_bot.store.cases import PublicCase
from network_bot.validators import WebUrl
from network_bot.viewstate import field_errors, values_of
from network_bot.vocabulary import Stage

CHOOSE_STEP = say("Choose a step from the list")


async def update(call: CommandCall) -> None:
    view = await _update_modal(call, call.args.public_id)
    call.later(call.open_modal(view), name="case.update.open")


async def _update_modal(call: Call, public_id: str) -> dict[str, Any]:
    record = await call.bot.timeline.case_for(call.member, public_id)
    return updates_render.update_modal(
        case=PublicCase.of(record),
        today=call.bot.clock.now().date(),
        coordinator=call.member.role.allows(Role.COORDINATOR),
        lang=call.lang,
    )


async def update_clicked(call: ActionCall) -> None:
    try:
        view = await _update_modal(call, call.value)
    except TimelineError as error:
        await call.tell(kit.notice(error.text(call.lang)))
        return
    await call.open_modal(view)


CHOOSE_STEP = say("Choose a step from the list")


class UpdateForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    happened_on: date
    body: str = Field(min_length=5, max_length=2000)
    source_url: WebUrl | None = None
    stage: str | None = None
    skip_reason: str = Field(default="", max_length=300)

    @field_validator("skip_reason", mode="before")
    @classmethod
    def _blank(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str | None) -> str | None:
        if value in (None, updates_render.NO_CHANGE):
            return None
        if value not in {s.value for s in Stage}:
            raise ValueError(str(CHOOSE_STEP))
        return value


UPDATE_FIELDS = tuple(UpdateForm.model_fields)  # the modal's input blocks (a test holds them)


async def update_submitted(call: ViewCall) -> Reply | None:
    typed = values_of(call.values, UPDATE_FIELDS)
    try:
        form = UpdateForm.model_validate(typed)
    except ValidationError as error:
        errors = field_errors(error, known=UPDATE_FIELDS, lang=call.lang)
        if "happened_on" not in errors:  # every field in error at once, the date's too
            wrong = await _wrong_date(call, typed.get("happened_on"))
            errors.update({"happened_on": wrong} if wrong else {})
        return {"response_action": "errors", "errors": errors}
    if form.happened_on > call.bot.clock.now().date():
        return {
            "response_action": "errors",
            "errors": {"happened_on": call.lang.gettext("That date is ahead.")},
        }
    try:
        update = await call.bot.timeline.submit(
            call.member,
            _case_of(call),
            UpdateInput(
                happened_on=form.happened_on,
                body=form.body,
                source_url=form.source_url or "",
                stage=Stage(form.stage) if form.stage else None,
                skip_reason=form.skip_reason,
            ),
        )
    except TimelineError as error:
        field = error.field or ("stage" if form.stage else "body")
        return {
            "response_action": "errors",
            "errors": {field: kit.truncate(error.text(call.lang), 300)},
        }
    recorded = update.state.value == "approved"
    return {
        "response_action": "update",
        "view": notice_modal(
            when_followers_hear(call)
            if recorded
            else call.lang.gettext(
                "Thank you: a coordinator will check your update before followers are told."
            ),
            title=call.lang.gettext("Case update"),
            lang=call.lang,
        ),
    }


def when_followers_hear(call: Call) -> str:
    """When the DM goes out: at once, unless a follower was told something moments ago."""
    minutes = math.ceil(call.bot.settings.batch_minutes)
    if minutes == 0:
        return call.lang.gettext("Saved. Followers hear of it now.")
    return call.lang.ngettext(
        "Saved. Followers hear of it now; anyone who already had news of what they follow in "
        "the last {n} minute gets this with their next message, within {n} minute.",
        "Saved. Followers hear of it now; anyone who already had news of what they follow in "
        "the last {n} minutes gets this with their next message, within {n} minutes.",
        minutes,
    )


async def decide_update(call: ActionCall, *, approve: bool) -> None:
    try:
        update = await call.bot.timeline.decide(call.member, int(call.value), approve=approve)
    except (ValueError, TimelineError) as error:
        text = (
            error.text(call.lang)
            if isinstance(error, TimelineError)
            else call.lang.gettext("That button is not valid.")
        )
        await call.tell(kit.notice(text))
        return
    line = updates_render.update_line(update, call.lang)
    said = (
        call.lang.gettext("Update approved: {update}", update=line)
        if approve
        else call.lang.gettext("Update not approved: {update}", update=line)
    )
    await call.tell(kit.notice(said))


async def approve_clicked(call: ActionCall) -> None:
    await decide_update(call, approve=True)


async def reject_update_clicked(call: ActionCall) -> None:
    await decide_update(call, approve=False)


async def _wrong_date(call: ViewCall, typed: object) -> str | None:
    """The date's problem, checked with the rest of a form that has others (``submit`` checks
    it again when the form is otherwise right)."""
    try:
        happened_on = date.fromisoformat(str(typed))
        record = await call.bot.timeline.case_for(call.member, _case_of(call))
    except (ValueError, Refusal):
        return None  # unreadable, or no case to compare with: the submit will say which
    if happened_on > call.bot.clock.now().date():
        return call.lang.gettext("That date is ahead.")
    problem = date_problem(record, happened_on)
    return call.lang.render(problem) if problem else None


def _case_of(call: ViewCall) -> str:
    try:
        return normalise_id(str(json.loads(call.private_metadata).get("case", "")))
    except (ValueError, AttributeError):
        return ""


def register(registry: Registry) -> None:
    registry.action(Action(action_id="case.update", handler=update_clicked))
    registry.view(View(callback_id=updates_render.UPDATE_CALLBACK, handler=update_submitted))
    registry.action(
        Action(action_id="update.approve", handler=approve_clicked, role=Role.COORDINATOR)
    )
    registry.action(
        Action(action_id="update.reject", handler=reject_update_clicked, role=Role.COORDINATOR)
    )
