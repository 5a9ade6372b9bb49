"""How the campaign desk looks: the emblematic badge, UNESCO's request on a card, the UNESCO
form, the roll-up of what states owe, the chart buttons, and the campaign's lines in digests
and App Home. Member-facing builders take ``PublicCase`` records and counts, nothing more."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import country_label, victim_label
from network_bot.i18n import Messages, Text, say
from network_bot.services.campaign import CampaignFacts
from network_bot.store.campaign import CountryDebt, StateAnswer, UnescoEntry
from network_bot.store.cases import PublicCase

UNESCO_CALLBACK = "case.unesco.submit"
LOBBY_ACTION = "campaign.lobby"
CHART_POST_ACTION = "campaign.chart.post"
CHART_SOCIAL_ACTION = "campaign.chart.social"
ROLLUP_LINES = 40
ANSWERS: dict[StateAnswer, Text] = {
    StateAnswer.NONE: say("No answer yet"),
    StateAnswer.RESOLVED: say("Resolved"),
    StateAnswer.ONGOING: say("Ongoing / unresolved"),
}


def emblematic_badge(*, lang: Messages) -> kit.Block:
    return kit.context(
        ":star: " + lang.gettext("*Emblematic case*: the campaign carries it all year.")
    )


def unesco_line(entry: UnescoEntry, lang: Messages) -> str:
    asked = lang.gettext(
        "UNESCO asked on {day} for the {cycle} report",
        day=lang.date(entry.requested_on),
        cycle=str(entry.cycle),
    )
    if entry.answer is StateAnswer.NONE:
        return lang.gettext("{asked}; *the state has not answered*.", asked=asked)
    source = (
        " (" + lang.isolate(kit.link(entry.source_url, lang.gettext("source"))) + ")"
        if entry.source_url
        else ""
    )
    return lang.gettext(
        "{asked}; the state answered on {day}: *{answer}*{source}.",
        asked=asked,
        day=lang.date(entry.answered_on) if entry.answered_on else "?",
        answer=lang.render(ANSWERS[entry.answer]),
        source=source,
    )


def card_blocks(facts: CampaignFacts, *, lang: Messages) -> list[kit.Block]:
    """What a case card adds: UNESCO's requests, latest cycle first."""
    if not facts.unesco:
        return []
    lines = [f"• {unesco_line(e, lang)}" for e in facts.unesco[:3]]
    return kit.line_sections("*" + lang.gettext("UNESCO and the state") + "*", lines)


def case_line(c: PublicCase, lang: Messages) -> str:
    return "• " + lang.gettext(
        "*{id}* {violation} of {victim} ({profession}), {country}, {day}: _{stage}_",
        id=c.public_id,
        violation=c.violation,
        victim=kit.safe(victim_label(c, lang), 120),
        profession=c.profession,
        country=country_label(c.country, lang),
        day=lang.date(c.incident_date),
        stage=c.justice_stage,
    )


def emblematic_list(found: Sequence[PublicCase], *, lang: Messages) -> dict[str, Any]:
    """``/cases emblematic``: the cases the campaign carries all year."""
    if not found:
        return kit.notice(
            lang.gettext(
                "No case is emblematic yet. Coordinators mark one with "
                "`/case NI-2026-0042 emblematic`."
            )
        )
    title = lang.ngettext("{n} emblematic case", "{n} emblematic cases", len(found))
    blocks = [kit.section(f"*{title}*")]
    for case in found:
        blocks.append(
            kit.section(
                case_line(case, lang),
                accessory=kit.button(
                    lang.gettext("Open"), action_id="cases.open", value=case.public_id
                ),
            )
        )
    return kit.message(blocks, text=title)


def home_blocks(found: Sequence[PublicCase], *, lang: Messages) -> list[kit.Block]:
    """App Home opens with the emblematic cases."""
    if not found:
        return []
    shown = found[:10]
    lines = [case_line(c, lang) for c in shown]
    if len(found) > len(shown):
        lines.append(lang.gettext("…and more: `/cases emblematic`"))
    title = ":star: *" + lang.gettext("Emblematic cases the campaign carries") + "*"
    return [*kit.line_sections(title, lines), kit.divider()]


def digest_lead(found: Sequence[PublicCase], *, lang: Messages) -> list[kit.Block]:
    """A campaign digest opens with the emblematic cases."""
    if not found:
        return []
    title = ":star: *" + lang.gettext("Emblematic cases") + "*"
    return kit.line_sections(title, [case_line(c, lang) for c in found[:15]])


def unanswered_section(debts: Sequence[CountryDebt], *, lang: Messages) -> list[kit.Block]:
    """For the 2 November digest: per country, the killings with no state answer."""
    owing = [d for d in debts if d.unanswered]
    if not owing:
        return [
            kit.section(
                lang.gettext("*UNESCO*: every state has answered on every killing on record.")
            )
        ]
    lines = [
        "• "
        + lang.gettext(
            "{country}: *{unanswered}* of {killings}",
            country=country_label(d.country, lang),
            unanswered=d.unanswered,
            killings=d.killings,
        )
        for d in owing[:25]
    ]
    if len(owing) > 25:
        lines.append(
            lang.ngettext("…and {n} more country", "…and {n} more countries", len(owing) - 25)
        )
    title = "*" + lang.gettext("Killings with no state answer to UNESCO yet") + "*"
    return kit.line_sections(title, lines)


def chart_buttons(*, country: str | None, since: int | None, lang: Messages) -> kit.Block:
    """Two buttons, each with its own action_id; the value carries filters, never figures."""
    value = json.dumps({"country": country, "since": since}, separators=(",", ":"))
    return kit.actions(
        kit.button(
            lang.gettext("Post the chart to the campaign channel"),
            action_id=CHART_POST_ACTION,
            value=value,
            confirm=kit.confirm_dialog(
                lang.gettext("Post the chart?"),
                lang.gettext("It goes to the campaign channel for everyone there to see."),
                yes=lang.gettext("Post"),
                no=lang.gettext("Cancel"),
            ),
        ),
        kit.button(
            lang.gettext("Save the chart for social media"),
            action_id=CHART_SOCIAL_ACTION,
            value=value,
        ),
    )


def _share(part: int, whole: int, lang: Messages) -> str:
    return str(lang.percent(part / whole if whole else 0))


def rollup_message(
    debts: Sequence[CountryDebt],
    *,
    title: str,
    lobby_value: str | None,
    lang: Messages,
) -> dict[str, Any]:
    """``/cases unesco``: what each state owes, most owed first (``title`` already in the
    reader's language)."""
    killings = sum(d.killings for d in debts)
    answered = sum(d.answered for d in debts)
    blocks: list[kit.Block] = [
        kit.section(f"*{kit.escape(title)}*"),
        kit.context(
            lang.ngettext(
                "{n} verified killing · the states answered on {answered} ({share}) · "
                "{owed} still owed",
                "{n} verified killings · the states answered on {answered} ({share}) · "
                "{owed} still owed",
                killings,
                answered=answered,
                share=_share(answered, killings, lang),
                owed=killings - answered,
            )
        ),
    ]
    if not debts:
        blocks.append(kit.section("_" + lang.gettext("No verified killings match.") + "_"))
    lines = []
    for d in debts[:ROLLUP_LINES]:
        line = lang.ngettext(
            "{country}: {n} killing, answered {answered} ({share})",
            "{country}: {n} killings, answered {answered} ({share})",
            d.killings,
            country=country_label(d.country, lang),
            answered=d.answered,
            share=lang.percent(d.share),
        )
        if d.oldest_unanswered_id and d.oldest_unanswered_date:
            line += " · " + lang.gettext(
                "oldest unanswered *{id}* ({day})",
                id=d.oldest_unanswered_id,
                day=lang.date(d.oldest_unanswered_date),
            )
        lines.append(f"• {line}")
    for start in range(0, len(lines), 15):
        blocks.append(kit.section("\n".join(lines[start : start + 15])))
    if len(debts) > ROLLUP_LINES:
        blocks.append(
            kit.context(
                lang.ngettext(
                    "…and {n} more country.", "…and {n} more countries.", len(debts) - ROLLUP_LINES
                )
            )
        )
    if lobby_value is not None:
        blocks.append(
            kit.actions(
                kit.button(
                    lang.gettext("Draft a lobbying alert"),
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
    case: PublicCase, *, entries: Sequence[UnescoEntry], today: date, lang: Messages
) -> dict[str, Any]:
    """``/case ID unesco``: UNESCO's request for one cycle and the state's answer."""
    latest = entries[0] if entries else None
    cycles = sorted({*(e.cycle for e in entries), *range(2008, today.year + 3, 2)}, reverse=True)
    initial_cycle = latest.cycle if latest else max(c for c in cycles if c <= today.year + 2)
    answer_options = [kit.option(lang.render(label), a.value) for a, label in ANSWERS.items()]
    initial_answer = latest.answer if latest else StateAnswer.NONE
    heading = lang.gettext(
        "*{id}* killing of {victim}, {country}, {day}",
        id=case.public_id,
        victim=kit.safe(victim_label(case, lang), 120),
        country=country_label(case.country, lang),
        day=lang.date(case.incident_date),
    )
    blocks = [
        kit.section(heading),
        *(
            [
                kit.context(
                    lang.gettext(
                        "On record: {lines}",
                        lines=" ".join(unesco_line(e, lang) for e in entries[:3]),
                    )
                )
            ]
            if entries
            else []
        ),
        kit.input_block(
            block_id="cycle",
            label=lang.gettext("Report cycle (the year of the Director-General's report)"),
            element=kit.static_select(
                action_id="value",
                options=[kit.option(str(c), str(c)) for c in cycles[:50]],
                initial=kit.option(str(initial_cycle), str(initial_cycle)),
            ),
        ),
        _date_input(
            "requested_on",
            lang.gettext("UNESCO's request was sent on"),
            initial=latest.requested_on if latest else None,
            optional=False,
        ),
        kit.input_block(
            block_id="answer",
            label=lang.gettext("The state's answer"),
            element={
                "type": "radio_buttons",
                "action_id": "value",
                "options": answer_options,
                "initial_option": answer_options[list(ANSWERS).index(initial_answer)],
            },
        ),
        _date_input(
            "answered_on",
            lang.gettext("The state answered on"),
            initial=latest.answered_on if latest else None,
            optional=True,
        ),
        kit.input_block(
            block_id="source_url",
            label=lang.gettext("Source link for the answer"),
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
        title=lang.gettext("UNESCO request"),
        callback_id=UNESCO_CALLBACK,
        submit=lang.gettext("Save"),
        close=lang.gettext("Cancel"),
        blocks=blocks,
        private_metadata=json.dumps({"case": case.public_id}),
    )
