"""The App Home tab: kept inside Slack's 100-block limit by paging what a member follows."""

from __future__ import annotations

from datetime import date
from typing import Any

from network_bot.blocks import campaign, kit
from network_bot.blocks.alerts import respond_block
from network_bot.blocks.cases import country_label
from network_bot.blocks.updates import update_line
from network_bot.i18n import Messages
from network_bot.services.home import FOLLOWED_PER_PAGE, HomeData
from network_bot.services.impunity import clock_text

# Previous and Next sit in one actions block, so each has its own action_id (Button element:
# unique within the block); the value carries the offset.
PAGE_PREVIOUS = "home.page.previous"
PAGE_NEXT = "home.page.next"


def _open(case_id: str, lang: Messages) -> kit.Block:
    return kit.button(lang.gettext("Open"), action_id="cases.open", value=case_id)


def home_view(data: HomeData, *, today: date, lang: Messages) -> dict[str, Any]:
    member = data.member
    blocks: list[kit.Block] = [
        kit.header(lang.gettext("Your network desk")),
        kit.context(
            f"{kit.mention(member.user_id)} · {kit.escape(lang.term(member.role))}"
            + (f" · {kit.safe(member.organisation, 80)}" if member.organisation else "")
        ),
        *campaign.home_blocks(data.emblematic, lang=lang),
    ]
    followed = data.followed
    blocks.append(
        kit.section(lang.gettext("*Cases you follow* ({count})", count=followed.total_cases))
    )
    if not followed.cases:
        blocks.append(
            kit.context(
                lang.gettext(
                    "Follow a case with `/follow NI-2026-0042` or its Follow button; follow a "
                    "country with `/follow country:PK`."
                )
            )
        )
    for case in followed.cases:
        blocks.append(
            kit.section(
                f"*{lang.isolate(case.public_id)}* {kit.escape(lang.term(case.violation))}, "
                f"{country_label(case.country, lang)}\n"
                f"_{kit.escape(lang.term(case.justice_stage))}_ · "
                + clock_text(
                    violation=case.violation,
                    incident=case.incident_date,
                    stage=case.justice_stage,
                    today=today,
                    lang=lang,
                ),
                accessory=_open(case.public_id, lang),
            )
        )
    nav = []
    if data.offset > 0:
        nav.append(
            kit.button(
                lang.gettext("Previous"),
                action_id=PAGE_PREVIOUS,
                value=str(max(0, data.offset - FOLLOWED_PER_PAGE)),
            )
        )
    if data.offset + FOLLOWED_PER_PAGE < followed.total_cases:
        nav.append(
            kit.button(
                lang.gettext("Next"),
                action_id=PAGE_NEXT,
                value=str(data.offset + FOLLOWED_PER_PAGE),
            )
        )
    if nav:
        shown = lang.gettext(
            "{first} to {last} of {total}",
            first=data.offset + 1,
            last=min(data.offset + FOLLOWED_PER_PAGE, followed.total_cases),
            total=followed.total_cases,
        )
        blocks += [kit.context(shown), kit.actions(*nav)]
    if followed.countries:
        blocks.append(
            kit.context(
                lang.gettext(
                    "Countries you follow: {countries}",
                    countries=", ".join(country_label(c, lang) for c in followed.countries),
                )
            )
        )

    blocks += [kit.divider(), kit.section("*" + lang.gettext("Your reports") + "*")]
    reports = [
        f"• *{lang.isolate(c.public_id)}* {kit.escape(lang.term(c.violation))}, "
        f"{country_label(c.country, lang)}: _{kit.escape(lang.term(c.status))}_"
        for c in data.reports
    ]
    if reports:
        blocks += kit.line_sections("", reports)
    else:
        blocks.append(kit.context(lang.gettext("None yet: `/report`.")))

    blocks += [
        kit.divider(),
        kit.section("*" + lang.gettext("Calls to action waiting for your answer") + "*"),
    ]
    if not data.open_calls:
        blocks.append(kit.context(lang.gettext("Nothing waiting. Thank you!")))
    for alert in data.open_calls:
        shown_alert = alert.in_language(lang.language)
        blocks += [
            kit.section(f"*{kit.safe(shown_alert.headline, 150)}*"),
            respond_block(alert, lang=lang),
        ]

    if member.role.value != "member":
        blocks += _coordinator_blocks(data, lang)
    return kit.home(blocks)


def _coordinator_blocks(data: HomeData, lang: Messages) -> list[kit.Block]:
    queue = data.review_queue
    blocks: list[kit.Block] = [
        kit.divider(),
        kit.header(lang.gettext("Coordinators")),
        kit.section(
            lang.gettext("*Reports to review* ({count})", count=lang.number(data.review_waiting))
        ),
    ]
    for case in queue:
        blocks.append(
            kit.section(
                f"*{lang.isolate(case.public_id)}* {kit.escape(lang.term(case.urgency))} · "
                f"{kit.escape(lang.term(case.violation))}, {country_label(case.country, lang)}",
                accessory=_open(case.public_id, lang),
            )
        )
    if data.review_waiting > len(queue):
        blocks.append(
            kit.context(
                lang.ngettext(
                    "The oldest {shown} of {n} waiting report are shown here.",
                    "The oldest {shown} of {n} waiting reports are shown here.",
                    data.review_waiting,
                    shown=lang.number(len(queue)),
                )
            )
        )
    if data.proposals:
        blocks.append(
            kit.section(lang.gettext("*Proposed updates* ({count})", count=len(data.proposals)))
        )
    for public_id, update in data.proposals:
        blocks += [
            kit.section(
                lang.gettext(
                    "*{id}* by {who}: {update}",
                    id=public_id,
                    who=kit.mention(update.author_id),
                    update=update_line(update, lang),
                )
            ),
            kit.actions(
                kit.button(
                    lang.gettext("Approve"),
                    action_id="update.approve",
                    value=str(update.id),
                    style="primary",
                ),
                kit.button(lang.gettext("Reject"), action_id="update.reject", value=str(update.id)),
            ),
        ]
    if data.failures:
        lines = [
            lang.gettext(
                "• {purpose} to {who}: `{error}`",
                purpose=d.purpose,
                who=kit.mention(d.target_id),
                error=kit.escape(d.last_error or "?"),
            )
            for d in data.failures
        ]
        blocks += kit.line_sections("*" + lang.gettext("Recent delivery failures") + "*", lines)
    return blocks
