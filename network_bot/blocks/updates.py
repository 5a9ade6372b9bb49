"""How the timeline looks: the update form, proposals, followers' notifications."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import country_label
from network_bot.i18n import Messages
from network_bot.store.cases import PublicCase
from network_bot.store.updates import CaseUpdate
from network_bot.vocabulary import Stage

UPDATE_CALLBACK = "case.update.submit"
NO_CHANGE = "no_change"


def update_line(update: CaseUpdate) -> str:
    step = ""
    if update.stage_to is not None:
        skipped = f" (skip: {kit.safe(update.skip_reason, 200)})" if update.skip_reason else ""
        step = f" *→ {kit.escape(update.stage_to.label)}*{skipped}"
    source = f" {kit.link(update.source_url, 'source')}" if update.source_url else ""
    return f"`{update.happened_on.isoformat()}`{step} {kit.safe(update.body, 600)}{source}"


def timeline_blocks(updates: Sequence[CaseUpdate]) -> list[kit.Block]:
    if not updates:
        return [kit.context("No updates yet.")]
    lines = "\n".join(f"• {update_line(u)}" for u in updates)
    return [kit.section("*Latest updates*\n" + lines)]


def update_modal(*, case: PublicCase, today: date, coordinator: bool) -> dict[str, Any]:
    stages = [kit.option("No change in the justice process", NO_CHANGE)] + [
        kit.option(s.label[:75], s.value) for s in Stage if s is not case.justice_stage
    ]
    intro = (
        f"Record what happened next in *{case.public_id}*. Followers are told once it is saved."
        if coordinator
        else f"Propose an update to *{case.public_id}*. A coordinator checks it before followers "
        "are told."
    )
    blocks = [
        kit.section(f"{intro}\nNow: _{kit.escape(case.justice_stage.label)}_"),
        kit.input_block(
            block_id="happened_on",
            label="Date",
            element={"type": "datepicker", "action_id": "value", "initial_date": today.isoformat()},
        ),
        kit.input_block(
            block_id="body",
            label="What happened",
            element=kit.text_input(action_id="value", multiline=True, max_length=2000),
            hint="Shared with the case's followers: nothing restricted here.",
        ),
        kit.input_block(
            block_id="source_url",
            label="Source link",
            optional=True,
            element=kit.text_input(action_id="value", max_length=500, placeholder="https://"),
        ),
        kit.input_block(
            block_id="stage",
            label="Justice process",
            optional=True,
            element=kit.static_select(action_id="value", options=stages, initial=stages[0]),
        ),
        kit.input_block(
            block_id="skip_reason",
            label="Reason, if this skips a step",
            optional=True,
            element=kit.text_input(action_id="value", max_length=300),
            hint="E.g. a conviction reported before the charges were.",
        ),
    ]
    return kit.modal(
        title="Case update",
        callback_id=UPDATE_CALLBACK,
        submit="Save" if coordinator else "Propose",
        blocks=blocks,
        private_metadata=json.dumps({"case": case.public_id}),
    )


def proposal_card(case: PublicCase, update: CaseUpdate) -> dict[str, Any]:
    return kit.post(
        [
            kit.section(
                f":memo: *Proposed update for {case.public_id}* by "
                f"{kit.mention(update.author_id)}\n{update_line(update)}"
            ),
            kit.actions(
                kit.button(
                    "Approve", action_id="update.approve", value=str(update.id), style="primary"
                ),
                kit.button(
                    "Reject", action_id="update.reject", value=str(update.id), style="danger"
                ),
            ),
        ],
        text=f"Proposed update for {case.public_id}",
    )


def proposal_outcome(case: PublicCase, update: CaseUpdate, *, outcome: str) -> dict[str, Any]:
    return kit.post(
        [kit.section(f"*Update for {case.public_id}*\n{update_line(update)}\n{outcome}")],
        text=f"Update for {case.public_id}: {outcome}",
    )


PER_CASE = 5  # the newest, so a section stays well within Block Kit's 3,000 characters


def notification(
    items: Sequence[tuple[PublicCase, list[CaseUpdate]]], *, lang: Messages
) -> dict[str, Any]:
    """One DM for everything that happened in what a member follows, batched."""
    blocks: list[kit.Block] = []
    for case, updates in items[:15]:
        shown = updates[-PER_CASE:]
        lines = "\n".join(f"• {update_line(u)}" for u in shown)
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
                f"*{case.public_id}* {kit.escape(case.violation.label)}, "
                f"{country_label(case.country)}\n{lines}",
                accessory=kit.button(
                    "Stop following", action_id="follow.stop", value=f"case:{case.public_id}"
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


def proposal_decided(public_id: str, update: CaseUpdate, *, approved: bool) -> dict[str, Any]:
    """What the member who proposed an update is told."""
    outcome = "approved and shared with its followers" if approved else "not approved"
    return kit.post(
        [kit.section(f"Your update to *{public_id}* was {outcome}.\n{update_line(update)}")],
        text=f"Your update to {public_id} was {'approved' if approved else 'not approved'}.",
    )
