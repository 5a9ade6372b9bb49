"""``/case ID``: where a case stands, and the coordinators' review decisions."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from commands import campaign
from commands.case_updates import update
from network_bot.blocks import campaign as campaign_render
from network_bot.blocks import cases as render
from network_bot.blocks import kit
from network_bot.blocks import updates as updates_render
from network_bot.calls import ActionCall, Call, CommandCall, ViewCall
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
from network_bot.services.cases import CASE_ID, normalise_id
from network_bot.store.anniversaries import Switch
from network_bot.viewstate import value

log = logging.getLogger("network_bot.commands.case")

USAGE = say(
    "Write it like `/case NI-2026-0042` to see a case. Coordinators: "
    '`/case NI-2026-0042 verify`, `/case NI-2026-0042 reject "reason"`, '
    "`/case NI-2026-0042 duplicate-of NI-2026-0007`. Admins: "
    '`/case NI-2026-0042 redact "the family asked"`. Anyone: `/case NI-2026-0042 update` to '
    "record (or propose) what happened next. Campaign (coordinators): "
    "`/case NI-2026-0042 emblematic [off]`, `/case NI-2026-0042 unesco`."
)


@dataclass(frozen=True, kw_only=True)
class CaseArgs:
    """``/case ID [verb] [rest]``: the rest is prose (a reason) or a case ID, not shell syntax."""

    public_id: str
    rest: str = ""


def read(text: str) -> Request:
    parts = text.strip().split(maxsplit=2)
    public_id = normalise_id(parts[0]) if parts else ""
    if not CASE_ID.match(public_id):
        raise Refusal(USAGE)
    verb = parts[1].lower() if len(parts) > 1 else ""
    rest = _unquote(parts[2]) if len(parts) > 2 else ""
    return Request(verb=verb, args=CaseArgs(public_id=public_id, rest=rest))


async def show(call: CommandCall) -> Reply:
    return await card(call, call.args.public_id)


async def verify(call: CommandCall) -> Reply:
    public_id = call.args.public_id
    await call.bot.cases.verify(call.member, public_id)
    return kit.notice(VERIFIED(call, public_id))


async def reject(call: CommandCall) -> Reply:
    public_id = call.args.public_id
    await call.bot.cases.reject(call.member, public_id, call.args.rest)
    return kit.notice(
        call.lang.gettext("*{id}* is rejected. The reporter gets your reason.", id=public_id)
    )


async def duplicate_of(call: CommandCall) -> Reply:
    public_id, original = call.args.public_id, call.args.rest
    await call.bot.cases.mark_duplicate(call.member, public_id, original)
    return kit.notice(
        call.lang.gettext(
            "*{id}* is merged into *{original}*.", id=public_id, original=normalise_id(original)
        )
    )


async def redact(call: CommandCall) -> Reply:
    done = await call.bot.redactions.redact(call.member, call.args.public_id, call.args.rest)
    return kit.notice(
        call.lang.ngettext(
            "*{id}* is redacted: names and notes are gone from the record, from "
            "search and from {n} message already sent. The case, its dates and its "
            "justice record stay.",
            "*{id}* is redacted: names and notes are gone from the record, from "
            "search and from {n} messages already sent. The case, its dates and its "
            "justice record stay.",
            done.messages_edited,
            id=done.public_id,
        )
    )


async def anniversary(call: CommandCall) -> Reply:
    choice = call.args.rest.strip().lower()
    if choice not in ("on", "off"):
        return kit.notice(
            call.lang.gettext(
                "Write `/case {id} anniversary on` to post this case's anniversary to the "
                "campaign channel each year, or `off` to stop it.",
                id=call.args.public_id,
            )
        )
    answer = await call.bot.anniversaries.switch_case(
        call.member, call.args.public_id, Switch(choice)
    )
    return kit.notice(call.lang.render(answer))


def _unquote(text: str) -> str:
    text = text.strip()
    quotes = "\"'\u201c\u201d\u2018\u2019"
    if len(text) >= 2 and text[0] in quotes and text[-1] in quotes:
        text = text[1:-1]
    return text.strip()


async def card(call: Call, public_id: str) -> Reply:
    seen = await call.bot.cases.view(call.member, public_id)
    latest = await call.bot.timeline.latest(seen.case.id)
    facts = await call.bot.campaign.facts(seen.case.id)
    return render.case_card(
        seen.case,
        today=call.bot.clock.now().date(),
        lang=call.lang,
        followers=await call.bot.following.follower_count(seen.case.id),
        restricted=seen.restricted,
        can_update=call.member.role.allows(Role.COORDINATOR),
        following=await call.bot.following.is_following(call.member, seen.case.id),
        badges=[campaign_render.emblematic_badge(lang=call.lang)] if facts.emblematic else [],
        extra=[
            *campaign_render.card_blocks(facts, lang=call.lang),
            *updates_render.timeline_blocks(latest, lang=call.lang),
        ],
    )


def VERIFIED(call: Call, public_id: str) -> str:
    return call.lang.gettext("*{id}* is verified. The reporter has been told.", id=public_id)


async def open_case(call: ActionCall) -> None:
    """The "Open" button beside a search result or an urgent DM."""
    await call.tell(await card(call, call.value))


async def verify_clicked(call: ActionCall) -> None:
    await call.bot.cases.verify(call.member, call.value)
    await call.tell(kit.notice(VERIFIED(call, kit.escape(normalise_id(call.value)))))


async def claim_clicked(call: ActionCall) -> None:
    await call.bot.cases.claim(call.member, call.value)
    await call.tell(
        kit.notice(
            call.lang.gettext(
                "You are reviewing *{id}*; the card shows it to the other coordinators.",
                id=kit.escape(normalise_id(call.value)),
            )
        )
    )


async def reject_clicked(call: ActionCall) -> None:
    await _open_decision_modal(
        call, render.reason_modal(public_id=normalise_id(call.value), lang=call.lang)
    )


async def duplicate_clicked(call: ActionCall) -> None:
    await _open_decision_modal(
        call, render.duplicate_modal(public_id=normalise_id(call.value), lang=call.lang)
    )


async def _open_decision_modal(call: ActionCall, view: dict[str, Any]) -> None:
    """Ask for a reason first, unless someone already decided (then say who, change nothing)."""
    await call.bot.cases.ensure_open(normalise_id(call.value))
    await call.open_modal(view, again=call.lang.gettext("Please click again."))


def _case_of(call: ViewCall) -> str:
    try:
        return normalise_id(str(json.loads(call.private_metadata).get("case", "")))
    except (ValueError, AttributeError):
        return ""


async def reject_submitted(call: ViewCall) -> Reply | None:
    public_id = _case_of(call)
    reason = str(value(call.values, "reason") or "").strip()
    if len(reason) < 3:
        return {
            "response_action": "errors",
            "errors": {"reason": call.lang.gettext("Please give the reporter a reason.")},
        }
    await call.bot.cases.reject(call.member, public_id, reason[:500])
    return None


async def duplicate_submitted(call: ViewCall) -> Reply | None:
    public_id = _case_of(call)
    original = str(value(call.values, "original") or "")
    await call.bot.cases.mark_duplicate(call.member, public_id, original)
    return None


def register(registry: Registry) -> None:
    registry.command(
        SlashCommand(
            name="/case",
            summary=say("Where a case stands; coordinators verify, reject or merge reports."),
            usage_hint=(
                'NI-2026-0042 [update | verify | reject "reason" | duplicate-of NI-2026-0007 | '
                'redact "reason" | emblematic [off] | unesco |'
                " anniversary on|off]"
            ),
            read=read,
            subcommands={
                "": Subcommand(handler=show),
                "update": Subcommand(handler=update),
                "verify": Subcommand(handler=verify, role=Role.COORDINATOR),
                "reject": Subcommand(handler=reject, role=Role.COORDINATOR),
                "duplicate-of": Subcommand(handler=duplicate_of, role=Role.COORDINATOR),
                "redact": Subcommand(handler=redact, role=Role.ADMIN),
                "emblematic": Subcommand(handler=campaign.emblematic_verb, role=Role.COORDINATOR),
                "unesco": Subcommand(handler=campaign.unesco_verb, role=Role.COORDINATOR),
                "anniversary": Subcommand(handler=anniversary, role=Role.COORDINATOR),
            },
            unknown=say("I don't know `{verb}` for a case. {usage}", usage=USAGE),
            examples=(
                Example(
                    text="/case NI-2026-0042", does=say("the case card: status, justice, clock")
                ),
                Example(
                    text="/case NI-2026-0042 update",
                    does=say("record what happened next (members propose, coordinators save)"),
                ),
                Example(
                    text="/case NI-2026-0042 verify", does=say("verify a report (coordinators)")
                ),
                Example(
                    text='/case NI-2026-0042 reject "not a press-freedom case"',
                    does=say("reject it; the reporter is told why (coordinators)"),
                ),
                Example(
                    text="/case NI-2026-0042 duplicate-of NI-2026-0007",
                    does=say("merge a duplicate (coordinators)"),
                ),
                Example(
                    text="/case NI-2026-0042 emblematic",
                    does=say(
                        "a case the campaign carries all year; `emblematic off` undoes it "
                        "(coordinators)"
                    ),
                ),
                Example(
                    text="/case NI-2026-0042 unesco",
                    does=say("record UNESCO's request and the state's answer (coordinators)"),
                ),
                Example(
                    text='/case NI-2026-0042 redact "the family asked"',
                    does=say("remove names and notes at the family's request (admins)"),
                ),
                Example(
                    text="/case NI-1998-0012 anniversary on",
                    does=say(
                        "post an imported case's anniversary each year, or `off` (coordinators)"
                    ),
                ),
            ),
        )
    )
    registry.action(Action(action_id="cases.open", handler=open_case))
    registry.action(Action(action_id="case.verify", handler=verify_clicked, role=Role.COORDINATOR))
    registry.action(Action(action_id="case.claim", handler=claim_clicked, role=Role.COORDINATOR))
    registry.action(Action(action_id="case.reject", handler=reject_clicked, role=Role.COORDINATOR))
    registry.action(
        Action(action_id="case.duplicate", handler=duplicate_clicked, role=Role.COORDINATOR)
    )
    registry.view(
        View(callback_id=render.REJECT_CALLBACK, handler=reject_submitted, role=Role.COORDINATOR)
    )
    registry.view(
        View(
            callback_id=render.DUPLICATE_CALLBACK,
            handler=duplicate_submitted,
            role=Role.COORDINATOR,
        )
    )
