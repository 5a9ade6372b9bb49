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
from network_bot.i18n import Messages, Text, say
from network_bot.services.impunity import clock_text, impunity_for
from network_bot.store.cases import VICTIM_UNKNOWN, VICTIM_WITHHELD, PublicCase
from network_bot.vocabulary import (
    Status,
    Urgency,
)

# Previous and Next share an actions block: one action_id each (Button element: unique within
# the block); the value carries the query of that page.
PAGE_PREVIOUS = "cases.page.previous"
PAGE_NEXT = "cases.page.next"
REJECT_CALLBACK = "case.reject.submit"
DUPLICATE_CALLBACK = "case.duplicate.submit"


# A case that looks like another, with the reasons it does (shared wording, dates, place...).
Similar = tuple[PublicCase, tuple[Text, ...]]

URGENCY_MARK = {
    Urgency.URGENT: ":rotating_light: ",
    Urgency.HIGH: ":warning: ",
    Urgency.ROUTINE: "",
}


@dataclass(frozen=True, kw_only=True)
class Restricted:
    """What only coordinators see; built only where the viewer's role was checked."""

    notes: str
    reporter_id: str
    reporter_anonymous: bool
    victim_names: str
    victim_withheld: bool = False


def country_label(code: str, lang: Messages) -> str:
    """The country's flag and its name in the reader's language."""
    found = countries.by_code(code)
    return f"{found.flag} {kit.escape(lang.country(code))}" if found else kit.escape(code)


def _headline(case: PublicCase, lang: Messages) -> str:
    return (
        f"*{lang.isolate(case.public_id)}*  {kit.escape(lang.term(case.violation))} · "
        f"{kit.escape(lang.term(case.profession))} · {country_label(case.country, lang)} · "
        f"{kit.escape(case_date(case, lang))}"
    )


def similar_reasons(why: Sequence[Text], lang: Messages) -> str:
    return kit.escape(", ".join(lang.render(reason) for reason in why))


def _source_blocks(sources: Sequence[str], lang: Messages) -> list[kit.Block]:
    """Every source as a link, over as many sections as ten long URLs need."""
    lines = [f"• {lang.isolate(kit.link(url, kit.truncate(url, 80)))}" for url in sources] or [
        "_" + lang.gettext("none given") + "_"
    ]
    return kit.line_sections("*" + lang.gettext("Sources") + "*", lines)


# A case with no name to show says why, in the reader's language.
_NO_NAME = {VICTIM_WITHHELD: say("name withheld"), VICTIM_UNKNOWN: say("not known")}


def victim_label(case: PublicCase, lang: Messages) -> str:
    """The victim's names, or "name withheld" / "not known" in the reader's language (not yet
    escaped)."""
    missing = _NO_NAME.get(case.victim_label)
    return lang.render(missing) if missing else case.victim_label


def victim_text(case: PublicCase, lang: Messages, limit: int = 300) -> str:
    """The victim as members may read it, escaped: the names, or "name withheld" / "not known"."""
    return kit.safe(victim_label(case, lang), limit)


def _victim(case: PublicCase, restricted: Restricted | None, lang: Messages) -> str:
    """The broadcastable label; a coordinator also sees a withheld name, marked as such."""
    if restricted is None or not restricted.victim_names or case.redacted:
        return victim_text(case, lang)
    shown = kit.safe(restricted.victim_names, 300)
    if restricted.victim_withheld:
        return lang.gettext("{name} (withheld from the network)", name=shown)
    return shown


def review_buttons(public_id: str, *, claim: bool, lang: Messages) -> list[kit.Block]:
    """A coordinator's decisions on a report waiting for one."""
    buttons = [
        kit.button(
            lang.gettext("Verify"), action_id="case.verify", value=public_id, style="primary"
        ),
        kit.button(
            lang.gettext("Reject…"), action_id="case.reject", value=public_id, style="danger"
        ),
        kit.button(lang.gettext("Mark duplicate of…"), action_id="case.duplicate", value=public_id),
    ]
    if claim:
        buttons.insert(
            0, kit.button(lang.gettext("I'm reviewing"), action_id="case.claim", value=public_id)
        )
    return buttons


def case_card(
    case: PublicCase,
    *,
    today: date,
    lang: Messages,
    followers: int,
    restricted: Restricted | None = None,
    can_update: bool = False,
    following: bool = False,
    extra: Sequence[kit.Block] = (),
    badges: Sequence[kit.Block] = (),
) -> dict[str, Any]:
    """``/case ID``: the whole record a viewer may see, with Follow or Stop following, Add
    update, and for a coordinator looking at a report still waiting, the review decisions;
    ``badges`` go right under the header."""
    clock = clock_text(
        violation=case.violation,
        incident=case.incident_date,
        stage=case.justice_stage,
        today=today,
        lang=lang,
    )
    impunity = impunity_for(case.violation, case.justice_stage)
    if case.status.is_set_aside:  # not a case of the record: no clock runs for it
        waiting = []
    elif impunity is not None:  # CPJ's rule is about killings
        waiting = [
            (lang.gettext("Impunity"), kit.escape(lang.term(impunity))),
            (lang.gettext("Impunity clock"), clock),
        ]
    else:
        waiting = [(lang.gettext("Since the incident"), clock)]
    title = lang.gettext(
        "{id}: {violation} in {country}",
        id=case.public_id,
        violation=case.violation,
        country=lang.country(case.country),
    )
    blocks: list[kit.Block] = [
        kit.header(title),
        *badges,
        kit.section(kit.safe(case.summary)),
        kit.fields(
            [
                (
                    lang.gettext("Victim"),
                    _victim(case, restricted, lang)
                    + f" ({kit.escape(lang.term(case.profession))})",
                ),
                (lang.gettext("Date"), kit.escape(case_date(case, lang))),
                (lang.gettext("Country"), country_label(case.country, lang)),
                (
                    lang.gettext("Place"),
                    kit.safe(case.place, 300) if case.place else lang.gettext("not given"),
                ),
                (lang.gettext("Suspected perpetrator"), kit.escape(lang.term(case.perpetrator))),
                (lang.gettext("Verification"), kit.escape(lang.term(case.status))),
                (lang.gettext("Justice process"), kit.escape(lang.term(case.justice_stage))),
                *waiting,
                (lang.gettext("Followers"), lang.number(followers)),
            ]
        ),
        *_source_blocks(case.sources, lang),
    ]
    blocks += record_notes(case, lang)
    if restricted is not None:
        who = reporter_for_coordinators(
            restricted.reporter_id, anonymous=restricted.reporter_anonymous, lang=lang
        )
        blocks += [
            kit.divider(),
            kit.section(
                ":lock: *"
                + lang.gettext("Restricted: coordinators only. This view is in the audit log.")
                + "*"
            ),
            kit.section(
                lang.gettext("*Reported by* {who}", who=who)
                + "\n*"
                + lang.gettext("Restricted notes")
                + "*\n"
                + (kit.safe(restricted.notes, 2800) if restricted.notes else lang.gettext("none"))
            ),
        ]
    elif case.reporter_id:
        blocks.append(
            kit.context(lang.gettext("Reported by {who}", who=kit.mention(case.reporter_id)))
        )
    blocks.extend(extra)
    if case.status.is_set_aside:
        buttons = []  # nothing to follow or add to a report set aside
    elif following:
        buttons = [
            kit.button(
                lang.gettext("Stop following"),
                action_id="follow.stop",
                value=f"case:{case.public_id}",
            )
        ]
    else:
        buttons = [
            kit.button(lang.gettext("Follow"), action_id="case.follow", value=case.public_id)
        ]
    if can_update and not case.status.is_set_aside:
        buttons.append(
            kit.button(lang.gettext("Add update"), action_id="case.update", value=case.public_id)
        )
    if restricted is not None and case.status.is_open:
        buttons += review_buttons(case.public_id, claim=case.status is Status.REPORTED, lang=lang)
    if buttons:
        blocks.append(kit.actions(*buttons))
    return kit.message(blocks, text=title)


def result_line(case: PublicCase, *, today: date, lang: Messages) -> str:
    status = "" if case.status is Status.VERIFIED else f" · _{kit.escape(lang.term(case.status))}_"
    clock = clock_text(
        violation=case.violation,
        incident=case.incident_date,
        stage=case.justice_stage,
        today=today,
        lang=lang,
    )
    return (
        f"{_headline(case, lang)}{status}\n{victim_text(case, lang, 120)} · "
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
    """``title`` is already in the reader's language (escaped here)."""
    blocks: list[kit.Block] = [
        kit.section(f"*{kit.escape(title)}*  " + lang.gettext("(page {page})", page=page))
    ]
    if not cases:
        blocks.append(
            kit.section(
                lang.gettext(
                    "_No cases match._ Try fewer words, or `/cases` alone for the latest "
                    "verified cases."
                )
            )
        )
    for case in cases:
        blocks.append(
            kit.section(
                result_line(case, today=today, lang=lang),
                accessory=kit.button(
                    lang.gettext("Open"), action_id="cases.open", value=case.public_id
                ),
            )
        )
    nav = []
    if prev_value:
        nav.append(kit.button(lang.gettext("Previous"), action_id=PAGE_PREVIOUS, value=prev_value))
    if next_value:
        nav.append(kit.button(lang.gettext("Next"), action_id=PAGE_NEXT, value=next_value))
    if nav:
        blocks.append(kit.actions(*nav))
    return kit.message(blocks, text=title)


def review_card(
    case: PublicCase,
    *,
    reporter_anonymous: bool,
    similar: Sequence[Similar],
    lang: Messages,
    has_notes: bool = False,
    reviewer: str | None = None,
) -> dict[str, Any]:
    """The card coordinators act on. Broadcastable part only: restricted notes stay in ``/case``
    (its Open the case button), where each read is audited. It goes to the review channel, so
    ``lang`` is the network's language."""
    reporter = (
        lang.gettext("anonymous to the network (see `/case {id}`)", id=case.public_id)
        if reporter_anonymous
        else kit.mention(case.reporter_id or "")
    )
    heading = (
        lang.gettext("*URGENT: new report to review*")
        if case.urgency is Urgency.URGENT
        else lang.gettext("*New report to review*")
    )
    place = kit.safe(case.place, 200) if case.place else lang.gettext("not given")
    blocks: list[kit.Block] = [
        kit.section(f"{URGENCY_MARK[case.urgency]}{heading}\n{_headline(case, lang)}"),
        kit.section(kit.safe(case.summary, 1500)),
        kit.context(
            lang.gettext("Victim: {victim}", victim=victim_text(case, lang, 200)),
            lang.gettext("Reporter: {reporter}", reporter=reporter),
            lang.gettext("Place: {place}", place=place),
            lang.gettext("Urgency: {urgency}", urgency=case.urgency),
        ),
        *_source_blocks(case.sources, lang),
    ]
    if has_notes:
        # The notes themselves stay out of the channel's history: opening the case shows them
        # to the coordinator who asks, and the read is in the audit log.
        blocks.append(
            kit.context(
                ":lock: "
                + lang.gettext(
                    "The reporter left restricted notes: *Open the case* to read them "
                    "(coordinators only; each read is audited)."
                )
            )
        )
    if similar:
        listed = [
            f"• *{lang.isolate(c.public_id)}* ({kit.escape(lang.term(c.status))}): "
            + similar_reasons(why, lang)
            for c, why in similar
        ]
        blocks += kit.line_sections(":mag: " + lang.gettext("Looks like:"), listed)
    if reviewer:
        blocks.append(
            kit.context(
                ":eyes: " + lang.gettext("Being reviewed by {who}", who=kit.mention(reviewer))
            )
        )
    blocks.append(
        kit.actions(
            *review_buttons(case.public_id, claim=not reviewer, lang=lang),
            kit.button(lang.gettext("Open the case"), action_id="cases.open", value=case.public_id),
            block_id=f"review:{case.public_id}",
        )
    )
    return kit.post(blocks, text=lang.gettext("New report to review: {id}", id=case.public_id))


def review_outcome(case: PublicCase, *, outcome: Text, lang: Messages) -> dict[str, Any]:
    """What the review card becomes once a coordinator acted: no buttons left to press."""
    said = lang.render(outcome)
    return kit.post(
        [kit.section(f"{_headline(case, lang)}\n{said}")],
        text=lang.gettext("{id}: {outcome}", id=case.public_id, outcome=said),
    )


def urgent_dm(case: PublicCase, *, lang: Messages) -> dict[str, Any]:
    text = (
        ":rotating_light: "
        + lang.gettext(
            "*Urgent report {id}*: someone's life may be at risk now.", id=case.public_id
        )
        + f"\n{_headline(case, lang)}\n{kit.safe(case.summary, 1200)}"
    )
    return kit.post(
        [
            kit.section(text),
            kit.actions(
                kit.button(
                    lang.gettext("Open the case"), action_id="cases.open", value=case.public_id
                )
            ),
        ],
        text=lang.gettext("Urgent report {id}", id=case.public_id),
    )


def reporter_notice(public_id: str, text: Text, *, lang: Messages) -> dict[str, Any]:
    """A decision on their report, told to the reporter in their language."""
    said = lang.gettext("*{id}*: {news}", id=public_id, news=lang.render(text))
    return kit.post([kit.section(said)], text=said)


def reason_modal(*, public_id: str, lang: Messages) -> dict[str, Any]:
    return kit.modal(
        title=lang.gettext("Reject report"),
        callback_id=REJECT_CALLBACK,
        submit=lang.gettext("Reject"),
        close=lang.gettext("Cancel"),
        private_metadata=json.dumps({"case": public_id}),
        blocks=[
            kit.section(
                lang.gettext("Reject *{id}*. The reporter gets your reason.", id=public_id)
            ),
            kit.input_block(
                block_id="reason",
                label=lang.gettext("Reason"),
                element=kit.text_input(action_id="value", multiline=True, max_length=500),
            ),
        ],
    )


def duplicate_modal(*, public_id: str, lang: Messages) -> dict[str, Any]:
    return kit.modal(
        title=lang.gettext("Mark duplicate"),
        callback_id=DUPLICATE_CALLBACK,
        submit=lang.gettext("Merge"),
        close=lang.gettext("Cancel"),
        private_metadata=json.dumps({"case": public_id}),
        blocks=[
            kit.section(lang.gettext("*{id}* is the same case as:", id=public_id)),
            kit.input_block(
                block_id="original",
                label=lang.gettext("Case ID"),
                element=kit.text_input(
                    action_id="value", max_length=30, placeholder="NI-2026-0042"
                ),
            ),
        ],
    )
