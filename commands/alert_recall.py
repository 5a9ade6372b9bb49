"""Withdrawing an alert: the form that asks first and for the reason every recipient reads (from
the Recall button or ``/alert recall ID``), and the counted notice of what was withdrawn."""

from __future__ import annotations

import json
from typing import Any

from network_bot.answers import notice_modal
from network_bot.blocks import alerts as alert_messages
from network_bot.blocks import kit
from network_bot.calls import ActionCall, Call, CommandCall, ViewCall
from network_bot.i18n import say
from network_bot.registry import Action, Registry, Reply, View
from network_bot.roles import Role
from network_bot.services.alerts import AlertError
from network_bot.services.withdrawal import Recalled
from network_bot.viewstate import values_of

USAGE = say("Write it like `/alert recall AL-2026-0001`.")


def alert_notice(call: Call, text: str) -> dict[str, Any]:
    """The alert modal's last word: what happened, and nothing more to do."""
    return notice_modal(text, lang=call.lang, title=call.lang.gettext("Alert"))


async def recall(call: CommandCall) -> Reply | None:
    """Asks first, and for the reason every recipient reads: a form opens."""
    if not call.args:
        return kit.notice(call.lang.gettext("Which alert? {usage}", usage=USAGE))
    view = await _recall_form(call, call.args)
    again = call.lang.gettext("Please run it again.")
    call.later(call.open_modal(view, again=again), name="alert.recall")
    return None


async def _recall_form(call: Call, public_id: str) -> dict[str, Any]:
    """The confirmation and the reason, asked before anything is withdrawn."""
    alert = await call.bot.alerts.find(public_id)
    if alert.state.value == "recalled":
        raise AlertError(say("{id} was already withdrawn.", id=alert.public_id))
    report = await call.bot.alerts.status(call.member, alert)
    return alert_messages.recall_modal(alert, delivered=report.counts.delivered, lang=call.lang)


async def recall_clicked(call: ActionCall) -> None:
    view = await _recall_form(call, call.value)
    await call.open_modal(view, again=call.lang.gettext("Please click Recall again."))


async def recall_submitted(call: ViewCall) -> Reply | None:
    try:
        public_id = str(json.loads(call.private_metadata or "{}")["alert"])
    except (ValueError, KeyError, TypeError):
        expired = call.lang.gettext("That form has expired.")
        return {"response_action": "update", "view": alert_notice(call, expired)}
    reason = str(values_of(call.values, ("reason",))["reason"] or "")
    # A reason too short, or someone recalled it first: the route shows the refusal under
    # the reason, the form's one field.
    recalled = await call.bot.alerts.recall(call.member, public_id, reason)
    return {"response_action": "update", "view": alert_notice(call, recall_notice(call, recalled))}


def recall_notice(call: Call, recalled: Recalled) -> str:
    replaced = call.lang.ngettext(
        "{n} delivered copy is being replaced by a withdrawn note",
        "{n} delivered copies are being replaced by a withdrawn note",
        recalled.withdrawn,
    )
    if not recalled.stopped:
        return call.lang.gettext("Withdrawn: {replaced}.", replaced=replaced)
    held = call.lang.ngettext(
        "{n} copy not yet sent was stopped",
        "{n} copies not yet sent were stopped",
        recalled.stopped,
    )
    text = call.lang.gettext("Withdrawn: {replaced}; {held}.", replaced=replaced, held=held)
    if recalled.in_flight:
        text += " " + call.lang.ngettext(
            "{n} of those was on its way to Slack at that moment: it is not retried, and if "
            "Slack still posts it, it is replaced by the withdrawn note at once.",
            "{n} of those were on their way to Slack at that moment: none is retried, and any "
            "that Slack still posts is replaced by the withdrawn note at once.",
            recalled.in_flight,
        )
    return text


def register(registry: Registry) -> None:
    registry.action(Action(action_id="alert.recall", handler=recall_clicked, role=Role.COORDINATOR))
    registry.view(
        View(
            callback_id=alert_messages.RECALL_CALLBACK,
            handler=recall_submitted,
            role=Role.COORDINATOR,
        )
    )
