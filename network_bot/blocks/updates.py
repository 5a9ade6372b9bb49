"""How the timeline looks: the update form, proposals, followers' notifications."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import country_label
from network_bot.i18n import Messages, Text
from network_bot.store.cases import PublicCase
from network_bot.store.updates import CaseUpdate
from network_bot.vocabulary import Stage

UPDATE_CALLBACK = "case.update.submit"
NO_CHANGE = "no_change"


def update_line(update: CaseUpdate, lang: Messages) -> str:
    step = ""
    if update.stage_to is not None:
        skipped = (
            " ("
            + lang.gettext("skips a step: {reason}", reason=kit.safe(update.skip_reason, 200))
            + ")"
            if update.skip_reason
            else ""
        )
        step = f" *→ {kit.escape(lang.term(update.stage_to))}*{skipped}"
    source = (
        " " + lang.isolate(kit.link(update.source_url, lang.gettext("source")))
        if update.source_url
        else ""
    )
    return f"`{lang.date(update.happened_on)}`{step} {kit.safe(update.body, 600)}{source}"


def timeline_blocks(updates: Sequence[CaseUpdate], *, lang: Messages) -> list[kit.Block]:
    if not updates:
        return [kit.context(lang.gettext("No updates yet."))]
    lines = "\n".join(f"• {update_line(u, lang)}" for u in updates)
    return [kit.section("*" + lang.gettext("Latest updates") + "*\n" + lines)]


def update_modal(
    *, case: PublicCase, today: date, coordinator: bool, lang: Messages
) -> dict[str, Any]:
    stages = [kit.option(lang.gettext("No change in the justice process"), NO_CHANGE)] + [
        kit.option(lang.term(s), s.value) for s in Stage if s is not case.justice_stage
    ]
    intro = (
        lang.gettext(
            "Record what happened next in *{id}*. Followers are told once it is saved.",
            id=case.public_id,
        )
        if coordinator
        else lang.gettext(
            "Propose an update to *{id}*. A coordinator checks it before followers are told.",
            id=case.public_id,
        )
    )
    now = lang.gettext("Now: _{stage}_", stage=kit.escape(lang.term(case.justice_stage)))
    blocks = [
        kit.section(f"{intro}\n{now}"),
        kit.input_block(
            block_id="happened_on",
            label=lang.gettext("Date"),
            element={"type": "datepicker", "action_id": "value", "initial_date": today.isoformat()},
        ),
        kit.input_block(
            block_id="body",
            label=lang.gettext("What happened"),
            element=kit.text_input(action_id="value", multiline=True, max_length=2000),
            hint=lang.gettext("Shared with the case's followers: nothing restricted here."),
        ),
        kit.input_block(
            block_id="source_url",
            label=lang.gettext("Source link"),
            optional=True,
            element=kit.text_input(action_id="value", max_length=500, placeholder="https://"),
        ),
        kit.input_block(
            block_id="stage",
            label=lang.gettext("Justice process"),
            optional=True,
            element=kit.static_select(action_id="value", options=stages, initial=stages[0]),
        ),
        kit.input_block(
            block_id="skip_reason",
            label=lang.gettext("Reason, if this skips a step"),
            optional=True,
            element=kit.text_input(action_id="value", max_length=300),
            hint=lang.gettext("E.g. a conviction reported before the charges were."),
        ),
    ]
    return kit.modal(
        title=lang.gettext("Case update"),
        callback_id=UPDATE_CALLBACK,
        submit=lang.gettext("Save") if coordinator else lang.gettext("Propose"),
        close=lang.gettext("Cancel"),
        blocks=blocks,
        private_metadata=json.dumps({"case": case.public_id}),
    )


def proposal_card(case: PublicCase, update: CaseUpdate, *, lang: Messages) -> dict[str, Any]:
    """For the coordinators' review channel: the network's language."""
    title = lang.gettext(
        "*Proposed update for {id}* by {who}",
        id=case.public_id,
        who=kit.mention(update.author_id),
    )
    return kit.post(
        [
            kit.section(f":memo: {title}\n{update_line(update, lang)}"),
            kit.actions(
                kit.button(
                    lang.gettext("Approve"),
                    action_id="update.approve",
                    value=str(update.id),
                    style="primary",
                ),
                kit.button(
                    lang.gettext("Reject"),
                    action_id="update.reject",
                    value=str(update.id),
                    style="danger",
                ),
            ),
        ],
        text=lang.gettext("Proposed update for {id}", id=case.public_id),
    )


def proposal_outcome(
    case: PublicCase, update: CaseUpdate, *, outcome: Text, lang: Messages
) -> dict[str, Any]:
    said = lang.render(outcome)
    title = lang.gettext("*Update for {id}*", id=case.public_id)
    return kit.post(
        [kit.section(f"{title}\n{update_line(update, lang)}\n{said}")],
        text=lang.gettext("Update for {id}: {outcome}", id=case.public_id, outcome=said),
    )


PER_CASE = 5  # the newest, so a section stays well within Block Kit's 3,000 characters


def notification(
    items: Sequence[tuple[PublicCase, list[CaseUpdate]]], *, lang: Messages
) -> dict[str, Any]:
    """One DM for everything that happened in what a member follows, batched."""
    blocks: list[kit.Block] = []
    for case, updates in items[:15]:
        shown = updates[-PER_CASE:]
        lines = "\n".join(f"• {update_line(u, lang)}" for u in shown)
        if len(updates) > len(shown):
            earlier = len(updates) - len(shown)
            lines += "\n" + lang.ngettext(
                "…and {n} earlier update: `/case {id}` shows the whole timeline.",
                "…and {n} earlier updates: `/case {id}` shows the whole timeline.",
                earlier,
                id=case.public_id,
            )
        blocks.append(
            kit.section(
                f"*{lang.isolate(case.public_id)}* {kit.escape(lang.term(case.violation))}, "
                f"{country_label(case.country, lang)}\n{lines}",
                accessory=kit.button(
                    lang.gettext("Stop following"),
                    action_id="follow.stop",
                    value=f"case:{case.public_id}",
                ),
            )
        )
    if len(items) > 15:
        more = len(items) - 15
        blocks.append(
            kit.context(
                lang.ngettext(
                    "…and {n} more case. See it in the app's Home tab.",
                    "…and {n} more cases. See them in the app's Home tab.",
                    more,
                )
            )
        )
    count = sum(len(u) for _, u in items)
    text = lang.ngettext("{n} update on cases you follow", "{n} updates on cases you follow", count)
    return kit.post(blocks, text=text)


def proposal_decided(
    public_id: str, update: CaseUpdate, *, approved: bool, lang: Messages
) -> dict[str, Any]:
    """What the member who proposed an update is told, in their language."""
    said = (
        lang.gettext(
            "Your update to *{id}* was approved and shared with its followers.", id=public_id
        )
        if approved
        else lang.gettext("Your update to *{id}* was not approved.", id=public_id)
    )
    return kit.post([kit.section(f"{said}\n{update_line(update, lang)}")], text=said)
