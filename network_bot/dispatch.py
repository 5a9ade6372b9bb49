"""Wire the registry into bolt: one listener per entry, each acking with what its handler returns.

The app runs bolt with ``process_before_response``, so the HTTP answer is sent when the listener
returns. Handlers therefore return their reply at once and hand anything slow (Slack calls,
fan-out) to ``call.later``; a failure becomes a polite message, never a 500 or a stack trace.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext

from network_bot.answers import first_input_block, notice_modal, view_errors
from network_bot.blocks import kit
from network_bot.bot import Bot
from network_bot.calls import ActionCall, CommandCall, EventCall, OptionsCall, ViewCall
from network_bot.logs import describe_exception
from network_bot.middleware import MEMBER, PAYLOAD
from network_bot.registry import Action, Event, Options, SlashCommand, View
from network_bot.store import events
from network_bot.store.db import StorageError

log = logging.getLogger("network_bot.dispatch")

Listener = Callable[..., Awaitable[None]]

SORRY = (
    "Sorry, something went wrong on our side and nothing was changed. "
    "Please try again; if it keeps happening, tell a coordinator."
)


ANY = re.compile(r".+")


def wire(app: AsyncApp, bot: Bot) -> None:
    """One bolt listener per kind of request, routing by name from the registry.

    bolt tries its listeners in turn and runs each one's matcher through its keyword
    injection (about 45 µs a try); one listener per command and action meant some forty tries
    for a click on the last one registered. The middleware has already refused names the
    registry does not know, so a miss here is only acknowledged.
    """
    registry = bot.registry
    commands = {name: _command(bot, spec) for name, spec in registry.commands.items()}
    actions = {action_id: _action(bot, spec) for action_id, spec in registry.actions.items()}
    views = {cid: _view(bot, spec, closing=False) for cid, spec in registry.views.items()}
    closings = {
        cid: _view(bot, spec, closing=True)
        for cid, spec in registry.views.items()
        if spec.on_close is not None
    }
    menus = {action_id: _options(bot, spec) for action_id, spec in registry.option_menus.items()}
    app.command(ANY)(_route(commands, lambda body: body.get("command")))
    app.action(ANY)(_route(actions, _action_id))
    app.view_submission(ANY)(_route(views, _callback_id))
    app.view_closed(ANY)(_route(closings, _callback_id))
    app.options(ANY)(_route(menus, lambda body: body.get("action_id")))
    for event_type in registry.event_types():
        app.event(event_type)(_event(bot, registry.events(event_type)))


def _route(listeners: dict[str, Listener], name_of: Callable[[dict[str, Any]], Any]) -> Listener:
    async def listener(ack: AsyncAck, context: AsyncBoltContext, body: dict[str, Any]) -> None:
        chosen = listeners.get(str(name_of(body) or ""))
        if chosen is None:
            await ack()  # e.g. closing a notice, which needs no answer
            return
        await chosen(ack, context)

    return listener


def _action_id(body: dict[str, Any]) -> Any:
    actions = body.get("actions") or [{}]
    return actions[0].get("action_id") if isinstance(actions[0], dict) else None


def _callback_id(body: dict[str, Any]) -> Any:
    view = body.get("view") or {}
    return view.get("callback_id") if isinstance(view, dict) else None


def _failure_text(error: Exception, what: str) -> str:
    if isinstance(error, StorageError):
        log.warning("%s: storage %s", what, type(error).__name__)
        return error.user_message
    log.error("%s failed: %s", what, describe_exception(error))
    return SORRY


def _command(bot: Bot, spec: SlashCommand) -> Listener:
    async def listener(ack: AsyncAck, context: AsyncBoltContext) -> None:
        call = CommandCall(bot=bot, member=context[MEMBER], payload=context[PAYLOAD])
        try:
            reply = await spec.handler(call)
        except Exception as error:
            reply = kit.notice(kit.escape(_failure_text(error, f"command {spec.name}")))
        await _ack(ack, reply)

    listener.__name__ = f"command_{spec.name.strip('/')}"
    return listener


def _action(bot: Bot, spec: Action) -> Listener:
    async def listener(ack: AsyncAck, context: AsyncBoltContext) -> None:
        call = ActionCall(bot=bot, member=context[MEMBER], payload=context[PAYLOAD])
        await ack()
        try:
            await spec.handler(call)
        except Exception as error:
            text = _failure_text(error, f"action {spec.action_id}")
            call.later(call.tell(kit.notice(kit.escape(text))), name="action.failure")

    listener.__name__ = f"action_{spec.action_id}"
    return listener


def _view(bot: Bot, spec: View, *, closing: bool) -> Listener:
    handler = spec.on_close if closing and spec.on_close else spec.handler

    async def listener(ack: AsyncAck, context: AsyncBoltContext) -> None:
        call = ViewCall(bot=bot, member=context[MEMBER], payload=context[PAYLOAD])
        try:
            reply = await handler(call)
        except Exception as error:
            text = _failure_text(error, f"view {spec.callback_id}")
            block_id = first_input_block(call.payload.view.blocks)
            reply = (
                view_errors({block_id: text})
                if block_id and not closing
                else {"response_action": "update", "view": notice_modal(kit.escape(text))}
            )
        await _ack(ack, None if closing else reply)

    listener.__name__ = f"view_{spec.callback_id}"
    return listener


def _options(bot: Bot, spec: Options) -> Listener:
    async def listener(ack: AsyncAck, context: AsyncBoltContext) -> None:
        call = OptionsCall(bot=bot, member=context[MEMBER], payload=context[PAYLOAD])
        try:
            reply = await spec.handler(call)
        except Exception as error:
            _failure_text(error, f"options {spec.action_id}")
            reply = {"options": []}
        await _ack(ack, reply)

    listener.__name__ = f"options_{spec.action_id}"
    return listener


class EventNotHandled(Exception):
    """Answered with HTTP 500 so that Slack retries the event later."""


def _event(bot: Bot, specs: list[Event]) -> Listener:
    async def listener(ack: AsyncAck, context: AsyncBoltContext) -> None:
        call = EventCall(bot=bot, payload=context[PAYLOAD], member=context.get(MEMBER))
        failed = False
        for spec in specs:
            try:
                await spec.handler(call)
            except Exception as error:
                _failure_text(error, f"event {spec.event_type}")
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
