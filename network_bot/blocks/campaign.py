"""How the campaign desk looks: the emblematic badge, UNESCO's request on a card, the UNESCO
form, the roll-up of what states owe, the chart buttons, and the campaign's lines in digests
and App Home. Member-facing builders take ``PublicCase`` records and counts, nothing more."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import country_label
from network_bot.services.campaign import CampaignFacts
from network_bot.store.campaign import CountryDebt, StateAnswer, UnescoEntry
from network_bot.store.cases import PublicCase

UNESCO_CALLBACK = "case.unesco.submit"
LOBBY_ACTION = "campaign.lobby"
CHART_POST_ACTION = "campaign.chart.post"
CHART_SOCIAL_ACTION = "campaign.chart.social"
BADGE = ":star: *Emblematic case*: the campaign carries it all year."
ROLLUP_LINES = 40
ANSWERS = {
    StateAnswer.NONE: "no answer yet",
    StateAnswer.RESOLVED: "resolved",
    StateAnswer.ONGOING: "ongoing / unresolved",
}


def emblematic_badge() -> kit.Block:
    return kit.context(BADGE)


def unesco_line(entry: UnescoEntry) -> str:
    asked = f"UNESCO asked on {entry.requested_on.isoformat()} for the {entry.cycle} report"
    if entry.answer is StateAnswer.NONE:
        return f"{asked}; *the state has not answered*."
    answered = entry.answered_on.isoformat() if entry.answered_on else "?"
    source = f" ({kit.link(entry.source_url, 'source')})" if entry.source_url else ""
    return f"{asked}; the state answered on {answered}: *{ANSWERS[entry.answer]}*{source}."


def card_blocks(facts: CampaignFacts) -> list[kit.Block]:
    """What a case card adds: UNESCO's requests, latest cycle first."""
    if not facts.unesco:
        return []
    lines = [unesco_line(e) for e in facts.unesco[:3]]
    return [kit.section("*UNESCO and the state*\n" + "\n".join(f"• {line}" for line in lines))]


def case_lines(found: Sequence[PublicCase]) -> str:
    return "\n".join(
        f"• *{c.public_id}* {kit.escape(c.violation.label)} of {kit.safe(c.victim_label, 120)} "
        f"({kit.escape(c.profession.label)}), {country_label(c.country)}, "
        f"{c.incident_date.isoformat()}: _{kit.escape(c.justice_stage.label)}_"
        for c in found
    )


def emblematic_list(found: Sequence[PublicCase]) -> dict[str, Any]:
    """``/cases emblematic``: the cases the campaign carries all year."""
    if not found:
        return kit.notice(
            "No case is emblematic yet. Coordinators mark one with `/case NI-2026-0042 emblematic`."
        )
    blocks = [kit.section(f"*Emblematic cases* ({len(found)})")]
    for case in found:
        blocks.append(
            kit.section(
                case_lines([case]),
                accessory=kit.button("Open", action_id="cases.open", value=case.public_id),
            )
        )
    return kit.message(blocks, text=f"{len(found)} emblematic case(s)")


def home_blocks(found: Sequence[PublicCase]) -> list[kit.Block]:
    """App Home opens with the emblematic cases."""
    if not found:
        return []
    shown = found[:10]
    more = "\n…and more: `/cases emblematic`" if len(found) > len(shown) else ""
    return [
        kit.section(":star: *Emblematic cases the campaign carries*\n" + case_lines(shown) + more),
        kit.divider(),
    ]


def digest_lead(found: Sequence[PublicCase]) -> list[kit.Block]:
    """A campaign digest opens with the emblematic cases."""
    if not found:
        return []
    return [kit.section(":star: *Emblematic cases*\n" + case_lines(found[:15]))]


def unanswered_section(debts: Sequence[CountryDebt]) -> list[kit.Block]:
    """For the 2 November digest: per country, the killings with no state answer."""
    owing = [d for d in debts if d.unanswered]
    if not owing:
        return [kit.section("*UNESCO*: every state has answered on every killing on record.")]
    lines = [f"• {country_label(d.country)}: *{d.unanswered}* of {d.killings}" for d in owing[:25]]
    more = f"\n…and {len(owing) - 25} more countries" if len(owing) > 25 else ""
    return [
        kit.section("*Killings with no state answer to UNESCO yet*\n" + "\n".join(lines) + more)
    ]


def chart_buttons(*, country: str | None, since: int | None) -> kit.Block:
    """Two buttons, each with its own action_id; the value carries filters, never figures."""
    value = json.dumps({"country": country, "since": since}, separators=(",", ":"))
    return kit.actions(
        kit.button(
            "Post the chart to the campaign channel",
            action_id=CHART_POST_ACTION,
            value=value,
            confirm=kit.confirm_dialog(
                "Post the chart?",
                "It goes to the campaign channel for everyone there to see.",
                yes="Post",
            ),
        ),
        kit.button("Save the chart for social media", action_id=CHART_SOCIAL_ACTION, value=value),
    )


def rollup_message(
    debts: Sequence[CountryDebt],
    *,
    title: str,
    lobby_value: str | None,
) -> dict[str, Any]:
    """``/cases unesco``: what each state owes, most owed first."""
    killings = sum(d.killings for d in debts)
    answered = sum(d.answered for d in debts)
    share = f"{answered / killings:.0%}" if killings else "0%"
    blocks: list[kit.Block] = [
        kit.section(f"*{kit.escape(title)}*"),
        kit.context(
            f"{killings} verified killing(s) · the states answered on {answered} ({share}) · "
            f"{killings - answered} still owed"
        ),
    ]
    if not debts:
        blocks.append(kit.section("_No verified killings match._"))
    lines = []
    for d in debts[:ROLLUP_LINES]:
        oldest = (
            f" · oldest unanswered *{d.oldest_unanswered_id}* "
            f"({d.oldest_unanswered_date.isoformat()})"
            if d.oldest_unanswered_id and d.oldest_unanswered_date
            else ""
        )
        lines.append(
            f"• {country_label(d.country)}: {d.killings} killing(s), answered {d.answered} "
            f"({d.share:.0%}){oldest}"
        )
    for start in range(0, len(lines), 15):
        blocks.append(kit.section("\n".join(lines[start : start + 15])))
    if len(debts) > ROLLUP_LINES:
        blocks.append(kit.context(f"…and {len(debts) - ROLLUP_LINES} more countries."))
    if lobby_value is not None:
        blocks.append(
            kit.actions(
                kit.button(
                    "Draft a lobbying alert",
                    action_id=LOBBY_ACTION,
                    value=lobby_value,
                    style="primary",
                )
            )
        )
    return kit.message(blocks, text=title)


def _date_input(block_id: str, label: str, *, initial: date | None, optional: bool) -> kit.Block:
    element: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
    if initial:
        element["initial_date"] = initial.isoformat()
    return kit.input_block(block_id=block_id, label=label, element=element, optional=optional)


def unesco_modal(
    case: PublicCase, *, entries: Sequence[UnescoEntry], today: date
) -> dict[str, Any]:
    """``/case ID unesco``: UNESCO's request for one cycle and the state's answer."""
    latest = entries[0] if entries else None
    cycles = sorted({*(e.cycle for e in entries), *range(2008, today.year + 3, 2)}, reverse=True)
    initial_cycle = latest.cycle if latest else max(c for c in cycles if c <= today.year + 2)
    answer_options = [kit.option(label.capitalize(), a.value) for a, label in ANSWERS.items()]
    initial_answer = latest.answer if latest else StateAnswer.NONE
    blocks = [
        kit.section(
            f"*{case.public_id}* killing of {kit.safe(case.victim_label, 120)}, "
            f"{country_label(case.country)}, {case.incident_date.isoformat()}"
        ),
        *(
            [kit.context("On record: " + " ".join(unesco_line(e) for e in entries[:3]))]
            if entries
            else []
        ),
        kit.input_block(
            block_id="cycle",
            label="Report cycle (the year of the Director-General's report)",
            element=kit.static_select(
                action_id="value",
                options=[kit.option(str(c), str(c)) for c in cycles[:50]],
                initial=kit.option(str(initial_cycle), str(initial_cycle)),
            ),
        ),
        _date_input(
            "requested_on",
            "UNESCO's request was sent on",
            initial=latest.requested_on if latest else None,
            optional=False,
        ),
        kit.input_block(
            block_id="answer",
            label="The state's answer",
            element={
                "type": "radio_buttons",
                "action_id": "value",
                "options": answer_options,
                "initial_option": answer_options[list(ANSWERS).index(initial_answer)],
            },
        ),
        _date_input(
            "answered_on",
            "The state answered on",
            initial=latest.answered_on if latest else None,
            optional=True,
        ),
        kit.input_block(
            block_id="source_url",
            label="Source link for the answer",
            optional=True,
            element=kit.text_input(
                action_id="value",
                max_length=500,
                initial=latest.source_url if latest and latest.source_url else None,
                placeholder="https://",
            ),
        ),
    ]
    return kit.modal(
        title="UNESCO request",
        callback_id=UNESCO_CALLBACK,
        submit="Save",
        blocks=blocks,
        private_metadata=json.dumps({"case": case.public_id}),
    )
