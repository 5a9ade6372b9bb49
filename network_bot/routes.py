"""The one request route per kind: read once, choose the handler, check the role on it, run it.

The endpoint has already checked the signature (``network_bot/web.py``), and bolt's middleware
has read the payload into its model and put the asking member on the context. For each kind of
request (command, action, view, event) one route here then does, in
this order and nowhere else:

1. read what was asked (a slash command's text becomes a :class:`Request`, once);
2. choose the handler from that reading (a subcommand, an action ID, a view's callback ID);
3. check the member's role against *that handler's* declared role, auditing a refusal;
4. build the call, with the asker's language resolved here once, and run the handler; a
   :class:`Refusal` it raises is rendered for its kind, in that language.

Because the role is decided from the same value that chooses the handler, no text can be
authorized as one thing and run as another. The services check the role again on the member.

bolt tries listeners in turn and runs each matcher through its keyword injection (about 45 µs a
try), so there is one bolt listener per kind, routing by name from the registry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext

from network_bot import bidi
from network_bot.answers import first_input_block, notice_modal, view_errors
from network_bot.blocks import kit
from network_bot.bot import Bot
from network_bot.calls import ActionCall, CommandCall, EventCall, ViewCall
from network_bot.i18n import Messages, say
from network_bot.logs import describe_exception
from network_bot.middleware import MEMBER, PAYLOAD
from network_bot.refusal import Refusal
from network_bot.registry import Action, Event, Request, SlashCommand, View
from network_bot.roles import Role, refused
from network_bot.store import events
from network_bot.store.db import StorageError
from network_bot.store.members import Member

log = logging.getLogger("network_bot.routes")

Listener = Callable[..., Awaitable[None]]

SORRY = say(
    "Sorry, something went wrong on our side and nothing was changed. "
    "Please try again; if it keeps happening, tell a coordinator."
)
UNKNOWN = say("I don't know that one. Type `/network help` to see what I can do.")
NOTICE_CALLBACK = "network.notice"

ANY = re.compile(r".+")


def wire(app: AsyncApp, bot: Bot) -> None:
    """One bolt listener per kind of request, each routing by name from the registry."""
    registry = bot.registry
    commands = dict(registry.commands)
    actions = dict(registry.actions)
    views = dict(registry.views)

    async def on_command(ack: AsyncAck, context: AsyncBoltContext, body: dict[str, Any]) -> None:
        spec = commands.get(str(body.get("command") or ""))
        await _ack(ack, await _run_command(bot, spec, context))

    async def on_action(ack: AsyncAck, context: AsyncBoltContext) -> None:
        payload = context[PAYLOAD]
        spec = actions.get(payload.actions[0].action_id)
        await ack()
        await _run_action(bot, spec, context)

    async def on_submission(ack: AsyncAck, context: AsyncBoltContext) -> None:
        payload = context[PAYLOAD]
        spec = views.get(payload.view.callback_id)
        await _ack(ack, await _run_view(bot, spec, context))

    async def on_closed(ack: AsyncAck) -> None:
        await ack()  # nothing the bot keeps depends on a modal being closed

    async def on_options(ack: AsyncAck) -> None:
        await ack({"options": []})  # the bot declares no external menus

    app.command(ANY)(on_command)
    app.action(ANY)(on_action)
    app.view_submission(ANY)(on_submission)
    app.view_closed(ANY)(on_closed)
    app.options(ANY)(on_options)
    for event_type in registry.event_types():
        app.event(event_type)(_event(bot, registry.events(event_type)))


async def _allowed(bot: Bot, member: Member, needed: Role, what: str) -> bool:
    """Step 3: the role check on the chosen handler, a refusal audited."""
    if member.role.allows(needed):
        return True
    try:
        await bot.roster.record_refusal(
            actor_id=member.user_id,
            action=what,
            detail=f"needs {needed.value}, has {member.role.value}",
        )
    except StorageError:
        log.warning("could not audit a refusal of %s", what)
    return False


def _refused(needed: Role, lang: Messages) -> str:
    return lang.render(refused(needed))


async def _run_command(
    bot: Bot, spec: SlashCommand | None, context: AsyncBoltContext
) -> dict[str, Any] | None:
    payload, member = context[PAYLOAD], context[MEMBER]
    lang = bot.catalogue.get(member.language)
    if spec is None:
        return kit.notice(lang.render(UNKNOWN))
    try:
        request: Request = spec.read(bidi.strip_controls(payload.text))
    except Refusal as refusal:
        return kit.notice(refusal.text(lang))
    chosen = spec.subcommands.get(request.verb)
    if chosen is None:
        # The word is what the member typed (a name, a number): it is shown back, never logged.
        log.info("unknown subcommand of %s", spec.name)
        return kit.notice(lang.render(spec.unknown_verb(kit.escape(request.verb[:30]))))
    what = f"command {spec.name} {request.verb}".strip()  # a registered verb, not free text
    if not await _allowed(bot, member, chosen.role, kit.escape(what)):
        return kit.notice(_refused(chosen.role, lang))
    call = CommandCall(
        bot=bot,
        member=member,
        lang=lang,
        payload=payload,
        verb=request.verb,
        args=request.args,
        client=context.client,
        respond=context.respond,
    )
    try:
        return await chosen.handler(call)
    except Refusal as refusal:
        return kit.notice(refusal.text(lang))
    except Exception as error:
        return kit.notice(kit.escape(_failure_text(error, what, lang)))


async def _run_action(bot: Bot, spec: Action | None, context: AsyncBoltContext) -> None:
    payload, member = context[PAYLOAD], context[MEMBER]
    lang = bot.catalogue.get(member.language)
    call = ActionCall(
        bot=bot,
        member=member,
        lang=lang,
        payload=payload,
        client=context.client,
        respond=context.respond,
    )
    if spec is None:
        log.info("unknown action %s", payload.actions[0].action_id[:60])
        call.later(call.tell(kit.notice(lang.render(UNKNOWN))), name="action.unknown")
        return
    what = f"action {spec.action_id}"
    if not await _allowed(bot, member, spec.role, what):
        call.later(call.tell(kit.notice(_refused(spec.role, lang))), name="action.refused")
        return
    try:
        await spec.handler(call)
    except Refusal as refusal:
        call.later(call.tell(kit.notice(refusal.text(lang))), name="action.refusal")
    except Exception as error:
        text = kit.escape(_failure_text(error, what, lang))
        call.later(call.tell(kit.notice(text)), name="action.failure")


async def _run_view(
    bot: Bot, spec: View | None, context: AsyncBoltContext
) -> dict[str, Any] | None:
    payload, member = context[PAYLOAD], context[MEMBER]
    lang = bot.catalogue.get(member.language)
    blocks = payload.view.blocks
    if spec is None:
        if payload.view.callback_id == NOTICE_CALLBACK:
            return None  # the Close of a notice modal
        log.info("unknown view %s", payload.view.callback_id[:60])
        return _view_answer(blocks, lang.render(UNKNOWN), field=None, lang=lang)
    what = f"view {spec.callback_id}"
    if not await _allowed(bot, member, spec.role, what):
        return _view_answer(blocks, _refused(spec.role, lang), field=None, lang=lang)
    call = ViewCall(
        bot=bot,
        member=member,
        lang=lang,
        payload=payload,
        client=context.client,
        respond=context.respond,
    )
    try:
        return await spec.handler(call)
    except Refusal as refusal:
        return _view_answer(blocks, refusal.text(lang), field=refusal.field, lang=lang)
    except Exception as error:
        text = kit.escape(_failure_text(error, what, lang))
        return _view_answer(blocks, text, field=None, lang=lang)


def _view_answer(
    blocks: list[dict[str, Any]], text: str, *, field: str | None, lang: Messages
) -> dict[str, Any]:
    """A refusal in a modal: under its field (or the first one), so nothing typed is lost."""
    block_id = field or first_input_block(blocks)
    if block_id:
        return view_errors({block_id: text})
    return {"response_action": "update", "view": notice_modal(text, lang=lang)}


def _failure_text(error: Exception, what: str, lang: Messages) -> str:
    if isinstance(error, StorageError):
        log.warning("%s: storage %s", what, type(error).__name__)
        return lang.render(error.user_message)
    log.error("%s failed: %s", what, describe_exception(error))
    return lang.render(SORRY)


class EventNotHandled(Exception):
    """Answered with HTTP 500 so that Slack retries the event later."""


def _event(bot: Bot, specs: list[Event]) -> Listener:
    async def listener(ack: AsyncAck, context: AsyncBoltContext) -> None:
        member = context.get(MEMBER)
        lang = bot.catalogue.get(member.language if member else None)
        call = EventCall(
            bot=bot,
            payload=context[PAYLOAD],
            lang=lang,
            member=member,
            client=context.client,
            team_id=context.team_id,
            enterprise_id=context.enterprise_id,
            org_wide=bool(context.is_enterprise_install),
        )
        failed = False
        for spec in specs:
            try:
                await spec.handler(call)
            except Exception as error:
                _failure_text(error, f"event {spec.event_type}", lang)
                failed = True
        if failed:
            try:
                async with bot.db.transaction() as tx:
                    await events.release(tx, event_id=call.payload.event_id)
            except StorageError:
                log.warning("could not release event %s for retry", call.payload.event_id)
            raise EventNotHandled(call.payload.event_id)
        await ack()

    listener.__name__ = f"event_{specs[0].event_type}"
    return listener


async def _ack(ack: AsyncAck, reply: dict[str, Any] | None) -> None:
    if reply:
        await ack(reply)
    else:
        await ack()
