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


def home_view(data: HomeData, *, today: date, lang: Messages) -> dict[str, Any]:
    member = data.member
    blocks: list[kit.Block] = [
        kit.header("Your network desk"),
        kit.context(
            f"{kit.mention(member.user_id)} · {member.role.value}"
            + (f" · {kit.safe(member.organisation, 80)}" if member.organisation else "")
        ),
        *campaign.home_blocks(data.emblematic),
    ]
    followed = data.followed
    blocks.append(kit.section(f"*Cases you follow* ({followed.total_cases})"))
    if not followed.cases:
        blocks.append(
            kit.context(
                "Follow a case with `/follow NI-2026-0042` or its Follow "
                "button; follow a country with `/follow country:PK`."
            )
        )
    for case in followed.cases:
        blocks.append(
            kit.section(
                f"*{case.public_id}* {kit.escape(case.violation.label)}, "
                f"{country_label(case.country)}\n_{kit.escape(case.justice_stage.label)}_ · "
                + clock_text(
                    incident=case.incident_date, stage=case.justice_stage, today=today, lang=lang
                ),
                accessory=kit.button("Open", action_id="cases.open", value=case.public_id),
            )
        )
    nav = []
    if data.offset > 0:
        nav.append(
            kit.button(
                "Previous",
                action_id=PAGE_PREVIOUS,
                value=str(max(0, data.offset - FOLLOWED_PER_PAGE)),
            )
        )
    if data.offset + FOLLOWED_PER_PAGE < followed.total_cases:
        nav.append(
            kit.button("Next", action_id=PAGE_NEXT, value=str(data.offset + FOLLOWED_PER_PAGE))
        )
    if nav:
        first = data.offset + 1
        last = min(data.offset + FOLLOWED_PER_PAGE, followed.total_cases)
        blocks += [kit.context(f"{first} to {last} of {followed.total_cases}"), kit.actions(*nav)]
    if followed.countries:
        blocks.append(
            kit.context(
                "Countries you follow: " + ", ".join(country_label(c) for c in followed.countries)
            )
        )

    blocks += [kit.divider(), kit.section("*Your reports*")]
    reports = "\n".join(
        f"• *{c.public_id}* {kit.escape(c.violation.label)}, "
        f"{country_label(c.country)}: _{kit.escape(c.status.label)}_"
        for c in data.reports
    )
    blocks.append(kit.section(reports) if reports else kit.context("None yet: `/report`."))

    blocks += [kit.divider(), kit.section("*Calls to action waiting for your answer*")]
    if not data.open_calls:
        blocks.append(kit.context("Nothing waiting. Thank you!"))
    for alert in data.open_calls:
        blocks += [kit.section(f"*{kit.safe(alert.headline, 150)}*"), respond_block(alert)]

    if member.role.value != "member":
        blocks += [kit.divider(), kit.header("Coordinators")]
        queue = data.review_queue
        blocks.append(kit.section(f"*Reports to review* ({len(queue)})"))
        for case in queue:
            blocks.append(
                kit.section(
                    f"*{case.public_id}* {kit.escape(case.urgency.label)} · "
                    f"{kit.escape(case.violation.label)}, {country_label(case.country)}",
                    accessory=kit.button("Open", action_id="cases.open", value=case.public_id),
                )
            )
        if data.proposals:
            blocks.append(kit.section(f"*Proposed updates* ({len(data.proposals)})"))
        for public_id, update in data.proposals:
            blocks += [
                kit.section(
                    f"*{public_id}* by {kit.mention(update.author_id)}: {update_line(update)}"
                ),
                kit.actions(
                    kit.button(
                        "Approve", action_id="update.approve", value=str(update.id), style="primary"
                    ),
                    kit.button("Reject", action_id="update.reject", value=str(update.id)),
                ),
            ]
        if data.failures:
            lines = "\n".join(
                f"• {d.purpose} to {kit.mention(d.target_id)}: `{kit.escape(d.last_error or '?')}`"
                for d in data.failures
            )
            blocks.append(kit.section(f"*Recent delivery failures*\n{lines}"))
    return kit.home(blocks)
