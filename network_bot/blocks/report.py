"""The report form and what a reporter is told when it arrives; the country picker (regions and
countries named in the reader's language) that the alert form shares."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import Similar, similar_reasons
from network_bot.data import countries
from network_bot.i18n import Messages
from network_bot.vocabulary import Gender, Perpetrator, Profession, Urgency, Violation

REPORT_CALLBACK = "report.submit"
SUMMARY_MAX = 2500
NOTES_MAX = 3000
VICTIMS_MAX = 300
PLACE_MAX = 200
SOURCES_MAX = 10


def report_received(
    public_id: str, *, similar: Sequence[Similar], lang: Messages
) -> dict[str, Any]:
    lines = [
        lang.gettext(
            "Thank you. Your report is *{id}*. Coordinators will review it; until they verify "
            "it, only you and they can see it.",
            id=public_id,
        )
    ]
    if similar:
        listed = ", ".join(
            f"*{lang.isolate(c.public_id)}* ({similar_reasons(why, lang)})" for c, why in similar
        )
        lines.append(
            lang.gettext(
                "It looks like {cases}, already on record: if it is the same case, a "
                "coordinator will merge them.",
                cases=listed,
            )
        )
    return kit.notice(" ".join(lines))


def report_received_view(
    public_id: str, *, similar: Sequence[Similar], lang: Messages
) -> dict[str, Any]:
    return kit.modal(
        title=lang.gettext("Report received"),
        callback_id="network.notice",
        submit=None,
        close=lang.gettext("Done"),
        blocks=report_received(public_id, similar=similar, lang=lang)["blocks"],
    )


def _choice(enum: Any, lang: Messages) -> list[dict[str, Any]]:
    return [kit.option(lang.term(item), item.value) for item in enum]


def _sort_key(text: str) -> str:
    """Names sorted as people expect in any Latin or Arabic script: accents aside."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()


def country_groups(lang: Messages) -> list[dict[str, Any]]:
    """Countries by region, each group and country named in the reader's language."""
    return [
        kit.option_group(
            lang.region(region),
            [
                kit.option(f"{lang.country(c.code)} ({c.code})", c.code)
                for c in sorted(
                    countries.by_region(region), key=lambda c: _sort_key(lang.country(c.code))
                )
            ],
        )
        for region in countries.REGIONS
    ]


def report_modal(*, summary: str, channel_id: str, today: date, lang: Messages) -> dict[str, Any]:
    blocks = [
        kit.section(
            lang.gettext(
                "Report what you know now; coordinators verify it before anything reaches the "
                "network. Share a place only as precisely as is safe."
            )
        ),
        kit.input_block(
            block_id="victim_names",
            label=lang.gettext("Victim name(s)"),
            optional=True,
            element=kit.text_input(action_id="value", max_length=VICTIMS_MAX),
            hint=lang.gettext("Separate several names with commas. Leave empty if unknown."),
        ),
        kit.input_block(
            block_id="victim_withheld",
            label=lang.gettext("Victim's name"),
            optional=True,
            element=kit.checkboxes(
                action_id="value",
                options=[
                    kit.option(lang.gettext("Withhold the name from the network"), "withhold")
                ],
            ),
        ),
        kit.input_block(
            block_id="profession",
            label=lang.gettext("Profession"),
            element=kit.static_select(action_id="value", options=_choice(Profession, lang)),
        ),
        kit.input_block(
            block_id="gender",
            label=lang.gettext("Gender"),
            optional=True,
            element=kit.static_select(action_id="value", options=_choice(Gender, lang)),
        ),
        kit.input_block(
            block_id="violation",
            label=lang.gettext("Type of violation"),
            element=kit.static_select(action_id="value", options=_choice(Violation, lang)),
        ),
        kit.input_block(
            block_id="incident_date",
            label=lang.gettext("Date of the incident"),
            element={"type": "datepicker", "action_id": "value", "initial_date": today.isoformat()},
        ),
        kit.input_block(
            block_id="country",
            label=lang.gettext("Country"),
            element=kit.static_select(
                action_id="value",
                option_groups=country_groups(lang),
                placeholder=lang.gettext("Choose a country"),
            ),
        ),
        kit.input_block(
            block_id="place",
            label=lang.gettext("Place"),
            optional=True,
            element=kit.text_input(action_id="value", max_length=PLACE_MAX),
            hint=lang.gettext("Town or region; only as precise as is safe to share."),
        ),
        kit.input_block(
            block_id="perpetrator",
            label=lang.gettext("Suspected perpetrator"),
            optional=True,
            element=kit.static_select(action_id="value", options=_choice(Perpetrator, lang)),
        ),
        kit.input_block(
            block_id="urgency",
            label=lang.gettext("Urgency"),
            element=kit.static_select(
                action_id="value",
                options=_choice(Urgency, lang),
                initial=kit.option(lang.term(Urgency.ROUTINE), Urgency.ROUTINE.value),
            ),
        ),
        kit.input_block(
            block_id="summary",
            label=lang.gettext("What happened (shared with the network once verified)"),
            element=kit.text_input(
                action_id="value", multiline=True, max_length=SUMMARY_MAX, initial=summary or None
            ),
        ),
        kit.input_block(
            block_id="restricted_notes",
            label=lang.gettext("Restricted notes (coordinators only)"),
            optional=True,
            element=kit.text_input(action_id="value", multiline=True, max_length=NOTES_MAX),
            hint=lang.gettext("Contacts, family wishes, anything unsafe to share widely."),
        ),
        kit.input_block(
            block_id="sources",
            label=lang.gettext("Source links"),
            optional=True,
            element=kit.text_input(action_id="value", multiline=True, max_length=SOURCES_MAX * 300),
            hint=lang.gettext("One link per line, starting with https://"),
        ),
        kit.input_block(
            block_id="reporter_anonymous",
            label=lang.gettext("Your identity"),
            optional=True,
            element=kit.checkboxes(
                action_id="value",
                options=[
                    kit.option(
                        lang.gettext("Keep my identity from the network"),
                        "anonymous",
                        description=lang.gettext("Coordinators still see who reported"),
                    )
                ],
            ),
        ),
    ]
    return kit.modal(
        title=lang.gettext("Report a case"),
        blocks=blocks,
        callback_id=REPORT_CALLBACK,
        submit=lang.gettext("Send report"),
        close=lang.gettext("Cancel"),
        private_metadata=json.dumps({"channel": channel_id}),
    )
