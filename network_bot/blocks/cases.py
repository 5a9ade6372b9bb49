"""How cases look in Slack. Member-facing renderers take a ``PublicCase`` and nothing more;
the restricted part is passed separately, and only by coordinator-only code paths."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.dates import case_date
from network_bot.blocks.provenance import record_notes, reporter_for_coordinators
from network_bot.data import countries
from network_bot.i18n import Messages
from network_bot.services.impunity import clock_text
from network_bot.store.cases import PublicCase
from network_bot.vocabulary import (
    Gender,
    Perpetrator,
    Profession,
    Status,
    Urgency,
    Violation,
    impunity_of,
)

REPORT_CALLBACK = "report.submit"
# Previous and Next share an actions block: one action_id each (Button element: unique within
# the block); the value carries the query of that page.
PAGE_PREVIOUS = "cases.page.previous"
PAGE_NEXT = "cases.page.next"
REJECT_CALLBACK = "case.reject.submit"
DUPLICATE_CALLBACK = "case.duplicate.submit"

SUMMARY_MAX = 2500
NOTES_MAX = 3000
VICTIMS_MAX = 300
PLACE_MAX = 200
SOURCES_MAX = 10

# A case that looks like another, with the reasons it does (shared wording, dates, place...).
Similar = tuple[PublicCase, tuple[str, ...]]

URGENCY_MARK = {
    Urgency.URGENT: ":rotating_light: URGENT",
    Urgency.HIGH: ":warning: high",
    Urgency.ROUTINE: "routine",
}


@dataclass(frozen=True, kw_only=True)
class Restricted:
    """What only coordinators see; built only where the viewer's role was checked."""

    notes: str
    reporter_id: str
    reporter_anonymous: bool
    victim_names: str


def country_label(code: str) -> str:
    found = countries.by_code(code)
    return f"{found.flag} {found.name}" if found else code


def _headline(case: PublicCase) -> str:
    return (
        f"*{case.public_id}*  {kit.escape(case.violation.label)} · "
        f"{kit.escape(case.profession.label)} · {country_label(case.country)} · "
        f"{kit.escape(case_date(case))}"
    )


def _source_blocks(sources: Sequence[str]) -> list[kit.Block]:
    """Every source as a link, over as many sections as ten long URLs need."""
    lines = [f"• {kit.link(url, kit.truncate(url, 80))}" for url in sources] or ["_none given_"]
    return kit.line_sections("*Sources*", lines)


def case_card(
    case: PublicCase,
    *,
    today: date,
    lang: Messages,
    followers: int,
    restricted: Restricted | None = None,
    can_update: bool = False,
    extra: Sequence[kit.Block] = (),
    badges: Sequence[kit.Block] = (),
) -> dict[str, Any]:
    """``/case ID``: the whole record a viewer may see, with Follow (and Add update) buttons;
    ``badges`` go right under the header."""
    impunity = impunity_of(case.justice_stage)
    victim = (
        restricted.victim_names if restricted and restricted.victim_names else case.victim_label
    )
    blocks: list[kit.Block] = [
        kit.header(f"{case.public_id}: {case.violation.label} in {country_label(case.country)}"),
        *badges,
        kit.section(kit.safe(case.summary)),
        kit.fields(
            [
                ("Victim", kit.safe(victim, 300) + f" ({kit.escape(case.profession.label)})"),
                ("Date", kit.escape(case_date(case))),
                ("Country", country_label(case.country)),
                ("Place", kit.safe(case.place or "not given", 300)),
                ("Suspected perpetrator", kit.escape(case.perpetrator.label)),
                ("Verification", kit.escape(case.status.label)),
                ("Justice process", kit.escape(case.justice_stage.label)),
                ("Impunity", kit.escape(impunity.label)),
                (
                    "Impunity clock",
                    clock_text(
                        incident=case.incident_date,
                        stage=case.justice_stage,
                        today=today,
                        lang=lang,
                    ),
                ),
                ("Followers", str(followers)),
            ]
        ),
        *_source_blocks(case.sources),
    ]
    blocks += record_notes(case)
    if restricted is not None:
        who = reporter_for_coordinators(
            restricted.reporter_id, anonymous=restricted.reporter_anonymous
        )
        blocks += [
            kit.divider(),
            kit.section(":lock: *Restricted: coordinators only. This view is in the audit log.*"),
            kit.section(
                f"*Reported by* {who}\n*Restricted notes*\n"
                + kit.safe(restricted.notes or "none", 2800)
            ),
        ]
    elif case.reporter_id:
        blocks.append(kit.context(f"Reported by {kit.mention(case.reporter_id)}"))
    blocks.extend(extra)
    buttons = [kit.button("Follow", action_id="case.follow", value=case.public_id)]
    if can_update:
        buttons.append(kit.button("Add update", action_id="case.update", value=case.public_id))
    blocks.append(kit.actions(*buttons))
    return kit.message(blocks, text=f"{case.public_id}: {case.violation.label}")


def result_line(case: PublicCase, *, today: date, lang: Messages) -> str:
    status = "" if case.status is Status.VERIFIED else f" · _{case.status.label}_"
    clock = clock_text(
        incident=case.incident_date, stage=case.justice_stage, today=today, lang=lang
    )
    return (
        f"{_headline(case)}{status}\n{kit.safe(case.victim_label, 120)} · "
        f"{kit.safe(kit.truncate(case.summary, 180), 400)}\n_{clock}_"
    )


def search_results(
    cases: Sequence[PublicCase],
    *,
    today: date,
    lang: Messages,
    title: str,
    page: int,
    next_value: str | None,
    prev_value: str | None,
) -> dict[str, Any]:
    blocks: list[kit.Block] = [kit.section(f"*{kit.escape(title)}*  (page {page})")]
    if not cases:
        blocks.append(
            kit.section(
                "_No cases match._ Try fewer words, or `/cases` alone for the "
                "latest verified cases."
            )
        )
    for case in cases:
        blocks.append(
            kit.section(
                result_line(case, today=today, lang=lang),
                accessory=kit.button("Open", action_id="cases.open", value=case.public_id),
            )
        )
    nav = []
    if prev_value:
        nav.append(kit.button("Previous", action_id=PAGE_PREVIOUS, value=prev_value))
    if next_value:
        nav.append(kit.button("Next", action_id=PAGE_NEXT, value=next_value))
    if nav:
        blocks.append(kit.actions(*nav))
    return kit.message(blocks, text=title)


def review_card(
    case: PublicCase,
    *,
    reporter_anonymous: bool,
    similar: Sequence[Similar],
    reviewer: str | None = None,
) -> dict[str, Any]:
    """The card coordinators act on. Broadcastable part only: restricted notes stay in ``/case``."""
    reporter = (
        "anonymous to the network (see `/case " + case.public_id + "`)"
        if reporter_anonymous
        else kit.mention(case.reporter_id or "")
    )
    blocks: list[kit.Block] = [
        kit.section(f"{URGENCY_MARK[case.urgency]} *New report to review*\n{_headline(case)}"),
        kit.section(kit.safe(case.summary, 1500)),
        kit.context(
            f"Victim: {kit.safe(case.victim_label, 200)}",
            f"Reporter: {reporter}",
            f"Place: {kit.safe(case.place or 'not given', 200)}",
        ),
    ]
    if similar:
        listed = "\n".join(
            f"• *{c.public_id}* ({kit.escape(c.status.label)}): {kit.escape(', '.join(why))}"
            for c, why in similar
        )
        blocks.append(kit.section(f":mag: Looks like:\n{listed}"))
    if reviewer:
        blocks.append(kit.context(f":eyes: Being reviewed by {kit.mention(reviewer)}"))
    claim = (
        ()
        if reviewer
        else (kit.button("I'm reviewing", action_id="case.claim", value=case.public_id),)
    )
    blocks.append(
        kit.actions(
            *claim,
            kit.button("Verify", action_id="case.verify", value=case.public_id, style="primary"),
            kit.button("Reject…", action_id="case.reject", value=case.public_id, style="danger"),
            kit.button("Mark duplicate of…", action_id="case.duplicate", value=case.public_id),
            block_id=f"review:{case.public_id}",
        )
    )
    return kit.post(blocks, text=f"New report to review: {case.public_id}")


def review_outcome(case: PublicCase, *, outcome: str) -> dict[str, Any]:
    """What the review card becomes once a coordinator acted: no buttons left to press."""
    return kit.post(
        [kit.section(f"{_headline(case)}\n{outcome}")], text=f"{case.public_id}: {outcome}"
    )


def urgent_dm(case: PublicCase) -> dict[str, Any]:
    text = (
        f":rotating_light: *Urgent report {case.public_id}*: someone's life may be at risk "
        f"now.\n{_headline(case)}\n{kit.safe(case.summary, 1200)}"
    )
    return kit.post(
        [
            kit.section(text),
            kit.actions(kit.button("Open the case", action_id="cases.open", value=case.public_id)),
        ],
        text=f"Urgent report {case.public_id}",
    )


def reporter_notice(public_id: str, text: str) -> dict[str, Any]:
    return kit.post([kit.section(f"*{public_id}*: {text}")], text=f"{public_id}: {text}")


def report_received(public_id: str, *, similar: Sequence[Similar]) -> dict[str, Any]:
    lines = [
        f"Thank you. Your report is *{public_id}*. Coordinators will review it; until they "
        "verify it, only you and they can see it."
    ]
    if similar:
        listed = ", ".join(f"*{c.public_id}* ({kit.escape(', '.join(why))})" for c, why in similar)
        lines.append(
            f"It looks like {listed}, already on record: if it is the same case, "
            "a coordinator will merge them."
        )
    return kit.notice(" ".join(lines))


def report_received_view(public_id: str, *, similar: Sequence[Similar]) -> dict[str, Any]:
    return kit.modal(
        title="Report received",
        callback_id="network.notice",
        submit=None,
        close="Done",
        blocks=report_received(public_id, similar=similar)["blocks"],
    )


def _choice(enum: Any) -> list[dict[str, Any]]:
    return [kit.option(item.label, item.value) for item in enum]


def country_groups() -> list[dict[str, Any]]:
    return [
        kit.option_group(
            region,
            [kit.option(f"{c.name} ({c.code})", c.code) for c in countries.by_region(region)],
        )
        for region in countries.REGIONS
    ]


def report_modal(*, summary: str, channel_id: str, today: date) -> dict[str, Any]:
    blocks = [
        kit.section(
            "Report what you know now; coordinators verify it before anything reaches "
            "the network. Share a place only as precisely as is safe."
        ),
        kit.input_block(
            block_id="victims",
            label="Victim name(s)",
            optional=True,
            element=kit.text_input(action_id="value", max_length=VICTIMS_MAX),
            hint="Separate several names with commas. Leave empty if unknown.",
        ),
        kit.input_block(
            block_id="withhold",
            label="Victim's name",
            optional=True,
            element={
                "type": "checkboxes",
                "action_id": "value",
                "options": [kit.option("Withhold the name from the network", "withhold")],
            },
        ),
        kit.input_block(
            block_id="profession",
            label="Profession",
            element=kit.static_select(action_id="value", options=_choice(Profession)),
        ),
        kit.input_block(
            block_id="gender",
            label="Gender",
            optional=True,
            element=kit.static_select(action_id="value", options=_choice(Gender)),
        ),
        kit.input_block(
            block_id="violation",
            label="Type of violation",
            element=kit.static_select(action_id="value", options=_choice(Violation)),
        ),
        kit.input_block(
            block_id="date",
            label="Date of the incident",
            element={"type": "datepicker", "action_id": "value", "initial_date": today.isoformat()},
        ),
        kit.input_block(
            block_id="country",
            label="Country",
            element=kit.static_select(
                action_id="value", option_groups=country_groups(), placeholder="Choose a country"
            ),
        ),
        kit.input_block(
            block_id="place",
            label="Place",
            optional=True,
            element=kit.text_input(action_id="value", max_length=PLACE_MAX),
            hint="Town or region; only as precise as is safe to share.",
        ),
        kit.input_block(
            block_id="perpetrator",
            label="Suspected perpetrator",
            optional=True,
            element=kit.static_select(action_id="value", options=_choice(Perpetrator)),
        ),
        kit.input_block(
            block_id="urgency",
            label="Urgency",
            element=kit.static_select(
                action_id="value",
                options=_choice(Urgency),
                initial=kit.option(Urgency.ROUTINE.label, Urgency.ROUTINE.value),
            ),
        ),
        kit.input_block(
            block_id="summary",
            label="What happened (shared with the network once verified)",
            element=kit.text_input(
                action_id="value", multiline=True, max_length=SUMMARY_MAX, initial=summary or None
            ),
        ),
        kit.input_block(
            block_id="notes",
            label="Restricted notes (coordinators only)",
            optional=True,
            element=kit.text_input(action_id="value", multiline=True, max_length=NOTES_MAX),
            hint="Contacts, family wishes, anything unsafe to share widely.",
        ),
        kit.input_block(
            block_id="sources",
            label="Source links",
            optional=True,
            element=kit.text_input(action_id="value", multiline=True, max_length=SOURCES_MAX * 300),
            hint="One link per line, starting with https://",
        ),
        kit.input_block(
            block_id="anonymous",
            label="Your identity",
            optional=True,
            element={
                "type": "checkboxes",
                "action_id": "value",
                "options": [
                    kit.option(
                        "Keep my identity from the network",
                        "anonymous",
                        description="Coordinators still see who reported",
                    )
                ],
            },
        ),
    ]
    return kit.modal(
        title="Report a case",
        blocks=blocks,
        callback_id=REPORT_CALLBACK,
        submit="Send report",
        private_metadata=json.dumps({"channel": channel_id}),
    )


def reason_modal(*, public_id: str) -> dict[str, Any]:
    return kit.modal(
        title="Reject report",
        callback_id=REJECT_CALLBACK,
        submit="Reject",
        private_metadata=json.dumps({"case": public_id}),
        blocks=[
            kit.section(f"Reject *{public_id}*. The reporter gets your reason."),
            kit.input_block(
                block_id="reason",
                label="Reason",
                element=kit.text_input(action_id="value", multiline=True, max_length=500),
            ),
        ],
    )


def duplicate_modal(*, public_id: str) -> dict[str, Any]:
    return kit.modal(
        title="Mark duplicate",
        callback_id=DUPLICATE_CALLBACK,
        submit="Merge",
        private_metadata=json.dumps({"case": public_id}),
        blocks=[
            kit.section(f"*{public_id}* is the same case as:"),
            kit.input_block(
                block_id="original",
                label="Case ID",
                element=kit.text_input(
                    action_id="value", max_length=30, placeholder="NI-2026-0042"
                ),
            ),
        ],
    )
