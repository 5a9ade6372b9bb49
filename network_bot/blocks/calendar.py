"""Campaign calendar posts: anniversaries and the digests ahead of the campaign's days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import country_label, victim_label
from network_bot.i18n import Messages, Text
from network_bot.services.impunity import impunity_days
from network_bot.store.cases import CaseRecord, PublicCase
from network_bot.vocabulary import Impunity, impunity_of

ANNIVERSARY_LINES = 40


def _years(then: date, today: date) -> int:
    return today.year - then.year


def anniversaries(
    records: Sequence[CaseRecord],
    *,
    today: date,
    lang: Messages,
    emblematic: Collection[int] = (),
) -> dict[str, Any]:
    """One post for the day: each case with its years, and whether impunity still holds;
    emblematic cases (listed first by the caller) carry a star."""
    lines = []
    for record in records[:ANNIVERSARY_LINES]:
        case = PublicCase.of(record)
        years = _years(case.incident_date, today)
        span = lang.ngettext("{n} year", "{n} years", years)
        impunity = impunity_of(case.justice_stage)
        if impunity is Impunity.FULL_JUSTICE:
            tail = lang.gettext("those responsible were convicted.")
        elif impunity is Impunity.PARTIAL:
            tail = lang.gettext("some were convicted, not all (the masterminds walk free).")
        else:
            tail = lang.gettext("still no conviction.")
        star = ":star: " if record.id in emblematic else ""
        said = lang.gettext(
            "*{span}* since the {violation} of {victim} ({profession}, {country}), *{id}*:",
            span=span,
            violation=case.violation,
            victim=kit.safe(victim_label(case, lang), 120),
            profession=case.profession,
            country=country_label(case.country, lang),
            id=case.public_id,
        )
        lines.append(f"• {star}{said} {tail}")
    more = len(records) - ANNIVERSARY_LINES
    blocks = [
        kit.header(lang.gettext("Remembering, {day}", day=lang.day_month(today))),
        *kit.line_sections("", lines),
    ]
    if more > 0:
        blocks.append(
            kit.context(
                lang.ngettext(
                    "…and {n} more case. `/cases` finds them all.",
                    "…and {n} more cases. `/cases` finds them all.",
                    more,
                )
            )
        )
    blocks.append(
        kit.context(
            lang.gettext(
                "Impunity emboldens those who attack the press. Follow a case with "
                "`/follow NI-…` to hear when anything moves."
            )
        )
    )
    text = lang.ngettext(
        "Anniversaries today: {n} case", "Anniversaries today: {n} cases", len(records)
    )
    return kit.post(blocks, text=text)


def _clock(record: CaseRecord, today: date, lang: Messages) -> str:
    days = impunity_days(incident=record.incident_date, stage=record.justice_stage, today=today)
    return lang.ngettext("{n} day", "{n} days", days or 0)


def _by_country(records: Sequence[CaseRecord]) -> dict[str, list[CaseRecord]]:
    grouped: dict[str, list[CaseRecord]] = defaultdict(list)
    for record in records:
        grouped[record.country].append(record)
    return dict(sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def campaign_digest(
    records: Sequence[CaseRecord],
    *,
    day: date,
    name: Text,
    today: date,
    lang: Messages,
    lead: Sequence[kit.Block] = (),
    tail: Sequence[kit.Block] = (),
) -> dict[str, Any]:
    """For coordinators: unresolved killings by country with their clocks, ready to send."""
    heading = lang.ngettext(
        "{day}: {n} unresolved killing",
        "{day}: {n} unresolved killings",
        len(records),
        day=lang.day_month(day),
    )
    blocks: list[kit.Block] = [
        kit.header(heading),
        *lead,
        kit.section(
            lang.gettext(
                "On {day} the network marks {name}. These verified killings still have no "
                "full conviction:",
                day=lang.day_month(day),
                name=name,
            )
        ),
    ]
    for country, found in list(_by_country(records).items())[:40]:
        clocks = ", ".join(
            f"{lang.isolate(r.public_id)} ({_clock(r, today, lang)})" for r in found[:8]
        )
        more = f" +{lang.number(len(found) - 8)}" if len(found) > 8 else ""
        blocks.append(
            kit.section(
                f"*{country_label(country, lang)}*: {lang.number(len(found))} · {clocks}{more}"
            )
        )
    blocks.extend(tail)
    blocks.append(
        kit.actions(
            kit.button(
                lang.gettext("Send as an alert…"),
                action_id="campaign.alert",
                value=day.isoformat(),
                style="primary",
            )
        )
    )
    return kit.post(blocks, text=lang.gettext("Campaign digest ahead of {day}", day=lang.date(day)))


def campaign_alert_text(
    records: Sequence[CaseRecord], *, day: date, today: date, lang: Messages
) -> tuple[str, str]:
    grouped = _by_country(records)
    headline = lang.ngettext(
        "{n} killing of a journalist still unpunished",
        "{n} killings of journalists still unpunished",
        len(records),
    )
    countries = lang.ngettext("in {n} country", "in {n} countries", len(grouped))
    lines = [
        lang.ngettext(
            "Ahead of {day}, the network counts {n} verified killing {countries} "
            "with no full conviction:",
            "Ahead of {day}, the network counts {n} verified killings {countries} "
            "with no full conviction:",
            len(records),
            day=lang.day_month(day),
            countries=countries,
        )
    ]
    for country, found in list(grouped.items())[:20]:
        oldest = max(
            impunity_days(incident=r.incident_date, stage=r.justice_stage, today=today) or 0
            for r in found
        )
        oldest_text = lang.ngettext(
            "the oldest {n} day without justice", "the oldest {n} days without justice", oldest
        )
        lines.append(f"- {country_label(country, lang)}: {lang.number(len(found))} ({oldest_text})")
    return headline[:150], "\n".join(lines)[:2000]
