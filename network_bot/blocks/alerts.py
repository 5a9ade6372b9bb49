"""How alerts look: the compose form, the preview, the message itself, the sender's live status."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.cases import country_groups
from network_bot.data import countries
from network_bot.i18n import Messages
from network_bot.store.alerts import Alert, Response
from network_bot.vocabulary import Urgency

DIGEST_ALERTS = 7  # six blocks each: a digest stays inside a message's 50 blocks
COMPOSE_CALLBACK = "alert.compose"
CONFIRM_CALLBACK = "alert.confirm"
RESPOND_PREFIX = "alert.respond."
RESPOND_ACTIONS = {r: f"{RESPOND_PREFIX}{r.value}" for r in Response}
"""One action_id per answer: Slack refuses a block whose buttons share an action_id (Button
element: "unique among all other action_ids in the containing block"). The value carries the
alert and the answer; the handler checks that both agree."""

ACTIONS = {
    "sign_letter": "Sign the joint letter",
    "publish_statement": "Publish a statement",
    "contact_embassy": "Contact the embassy",
    "share": "Share on social media",
    "lobby_unesco": "Lobby the state to answer UNESCO",
    "custom": "Take action",
}
MARK = {Urgency.URGENT: ":rotating_light: ", Urgency.HIGH: ":warning: ", Urgency.ROUTINE: ""}
WITHDRAWN = {
    "text": "This alert was withdrawn.",
    "blocks": [
        kit.section(
            ":no_entry_sign: _This alert was withdrawn by the network's "
            "secretariat. Please do not act on it or share it._"
        )
    ],
}


@dataclass(frozen=True, kw_only=True)
class StatusCounts:
    delivered: int
    pending: int
    failed: int
    cancelled: int


def alert_message(alert: Alert, *, case_public_id: str | None) -> dict[str, Any]:
    """The alert as every recipient sees it; the preview shows exactly this."""
    ask = ACTIONS.get(alert.action_kind, ACTIONS["custom"])
    detail = f": {kit.safe(alert.action_text, 500)}" if alert.action_text else ""
    ask_block = kit.section(
        f"*What we ask:* {ask}{detail}",
        accessory=kit.button(
            "Open the link", action_id="alert.link", url=alert.link, value=str(alert.id)
        )
        if alert.link
        else None,
    )
    facts = [f"Alert {alert.public_id} from the network's secretariat"]
    if alert.deadline:
        facts.insert(0, f"*Deadline:* {alert.deadline.isoformat()}")
    if case_public_id:
        facts.append(f"Case {case_public_id}")
    blocks = [
        kit.header(f"{'URGENT: ' if alert.urgency is Urgency.URGENT else ''}{alert.headline}"),
        kit.section(kit.safe(alert.body, 2000)),
        ask_block,
        kit.context(" · ".join(facts)),
        respond_block(alert),
    ]
    return kit.post(blocks, text=f"{MARK[alert.urgency]}{alert.headline}")


def respond_block(alert: Alert) -> kit.Block:
    """The answer buttons under an alert (its DM, the digest, App Home)."""
    return kit.actions(
        *(
            kit.button(
                r.label,
                action_id=RESPOND_ACTIONS[r],
                value=f"{alert.id}:{r.value}",
                style="primary" if r is Response.IN else None,
            )
            for r in Response
        ),
        block_id=f"respond:{alert.id}",
    )


def compose_modal(
    *,
    headline: str,
    body: str,
    case_public_id: str | None,
    has_case: bool,
    action: str | None = None,
    action_text: str = "",
    country_codes: Sequence[str] = (),
) -> dict[str, Any]:
    """The form, optionally filled in (a digest, a lobbying draft): the coordinator still
    checks it, sees the preview and confirms."""
    chosen_countries = country_select(country_codes)
    audience_options = [kit.option("All members", "all")]
    if has_case:
        audience_options.append(kit.option("Followers of this case", "case_followers"))
    audience_options.append(kit.option("Followers of the chosen countries", "country_followers"))
    blocks = [
        kit.input_block(
            block_id="headline",
            label="Headline",
            element=kit.text_input(action_id="value", max_length=150, initial=headline or None),
        ),
        kit.input_block(
            block_id="body",
            label="What happened",
            element=kit.text_input(
                action_id="value", multiline=True, max_length=2000, initial=body or None
            ),
            hint="Goes to everyone in the audience. Never paste restricted notes.",
        ),
        kit.input_block(
            block_id="action",
            label="What we ask people to do",
            element=kit.static_select(
                action_id="value",
                options=[kit.option(label, key) for key, label in ACTIONS.items()],
                initial=kit.option(ACTIONS[action], action) if action in ACTIONS else None,
            ),
        ),
        kit.input_block(
            block_id="action_text",
            label="Details of the ask",
            optional=True,
            element=kit.text_input(action_id="value", max_length=500, initial=action_text or None),
        ),
        kit.input_block(
            block_id="link",
            label="Link",
            optional=True,
            element=kit.text_input(action_id="value", max_length=500, placeholder="https://"),
        ),
        kit.input_block(
            block_id="deadline",
            label="Deadline",
            optional=True,
            element={"type": "datepicker", "action_id": "value"},
        ),
        kit.input_block(
            block_id="urgency",
            label="Urgency",
            element=kit.static_select(
                action_id="value",
                options=[kit.option(u.label, u.value) for u in Urgency],
                initial=kit.option(Urgency.ROUTINE.label, Urgency.ROUTINE.value),
            ),
        ),
        kit.input_block(
            block_id="audience",
            label="Audience",
            optional=True,
            element={"type": "checkboxes", "action_id": "value", "options": audience_options},
        ),
        kit.input_block(
            block_id="countries",
            label="Members in these countries",
            optional=True,
            element=chosen_countries,
        ),
        kit.input_block(
            block_id="regions",
            label="Members in these regions",
            optional=True,
            element=kit.static_select(
                action_id="value", multi=True, options=[kit.option(r, r) for r in countries.REGIONS]
            ),
        ),
        kit.input_block(
            block_id="channels",
            label="Also post in channels",
            optional=True,
            element={
                "type": "multi_conversations_select",
                "action_id": "value",
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            },
        ),
        kit.input_block(
            block_id="shared",
            label="Shared channels",
            optional=True,
            element={
                "type": "checkboxes",
                "action_id": "value",
                "options": [
                    kit.option(
                        "Include channels shared with other organisations",
                        "include_shared",
                        description="Partners outside the network will see it",
                    )
                ],
            },
        ),
    ]
    return kit.modal(
        title="Alert the network",
        callback_id=COMPOSE_CALLBACK,
        submit="Preview",
        blocks=blocks,
        private_metadata=json.dumps({"case": case_public_id} if case_public_id else {}),
    )


def country_select(chosen: Sequence[str]) -> dict[str, Any]:
    """The countries menu, with ``chosen`` (known country codes) already ticked."""
    element = kit.static_select(action_id="value", option_groups=country_groups(), multi=True)
    initial = [
        option
        for group in element["option_groups"]
        for option in group["options"]
        if option["value"] in set(chosen)
    ]
    if initial:
        element["initial_options"] = initial
    return element


def preview_modal(
    alert: Alert,
    *,
    case_public_id: str | None,
    recipients: int,
    digests: int,
    muted: int,
    channel_names: Sequence[tuple[str, bool]],
    lang: Messages,
) -> dict[str, Any]:
    message = alert_message(alert, case_public_id=case_public_id)
    reach = [
        lang.ngettext(
            "*{n}* person gets it now as a DM", "*{n}* people get it now as a DM", recipients
        )
    ]
    if digests:
        reach.append(
            lang.ngettext(
                "{n} person gets it in their daily digest",
                "{n} people get it in their daily digest",
                digests,
            )
        )
    if muted:
        reach.append(
            lang.ngettext(
                "{n} person muted alerts and won't get it",
                "{n} people muted alerts and won't get it",
                muted,
            )
        )
    if channel_names:
        listed = ", ".join(
            f"#{kit.escape(name)}{' (shared)' if shared else ''}" for name, shared in channel_names
        )
        reach.append(f"posted in {listed}")
    # The preview shows the answer buttons as text: live buttons in a draft would record answers
    # to an alert nobody has received yet.
    shown = [b for b in message["blocks"] if b.get("block_id") != f"respond:{alert.id}"]
    answers = " · ".join(f"[{r.label}]" for r in Response)
    blocks: list[kit.Block] = [
        kit.context("Preview: this is exactly what will be sent. Nothing has gone out yet."),
        kit.divider(),
        *shown,
        kit.context(f"Recipients answer with the buttons {kit.escape(answers)}"),
        kit.divider(),
        kit.section(" · ".join(reach)),
    ]
    if any(shared for _, shared in channel_names):
        blocks.append(
            kit.section(
                ":warning: *A channel here is shared with another "
                "organisation.* People outside the network will see this "
                "alert there."
            )
        )
    total = recipients + len(channel_names)
    return kit.modal(
        title="Check and send",
        callback_id=CONFIRM_CALLBACK,
        submit=lang.gettext("Send ({total})", total=lang.number(total))
        if total < 100_000
        else lang.gettext("Send"),
        close="Back",
        blocks=blocks,
        private_metadata=json.dumps({"alert": alert.id}),
    )


def status_message(
    alert: Alert,
    *,
    counts: StatusCounts,
    tallies: dict[Response, int],
    by_organisation: dict[str, dict[Response, int]],
    lang: Messages,
    failures: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    reach = lang.ngettext("{n} person", "{n} people", alert.recipient_count)
    if alert.digest_count:
        reach += " " + lang.ngettext(
            "(and {n} by digest)", "(and {n} by digest)", alert.digest_count
        )
    if alert.channel_count:
        reach += " " + lang.ngettext("and {n} channel", "and {n} channels", alert.channel_count)
    headline = kit.safe(alert.headline, 150)
    if alert.state.value == "recalled":
        title = lang.gettext(
            "*{id}* “{headline}”: withdrawn (it had gone to {reach})",
            id=alert.public_id,
            headline=headline,
            reach=reach,
        )
    else:
        title = lang.gettext(
            "*{id}* “{headline}”: sent to {reach}",
            id=alert.public_id,
            headline=headline,
            reach=reach,
        )
    blocks: list[kit.Block] = [
        kit.section(title),
        kit.fields(
            [
                ("Delivered", str(counts.delivered)),
                ("Pending", str(counts.pending)),
                ("Failed", str(counts.failed)),
                ("Withdrawn / stopped", str(counts.cancelled)),
                *((r.label, str(tallies.get(r, 0))) for r in Response),
            ]
        ),
    ]
    if by_organisation:
        lines = [
            f"{kit.safe(org, 80)}: "
            + ", ".join(answer_count(r, n, lang) for r, n in answers.items() if n)
            for org, answers in list(by_organisation.items())[:15]
        ]
        blocks.append(kit.section("*Answers by organisation*\n" + "\n".join(lines)))
    if failures:
        listed = "\n".join(
            f"• {kit.mention(target)}: `{kit.escape(error)}`" for target, error in failures[:20]
        )
        more = (
            "\n" + lang.ngettext("…and {n} more", "…and {n} more", len(failures) - 20)
            if len(failures) > 20
            else ""
        )
        blocks.append(kit.section(f"*Not delivered*\n{listed}{more}"))
    if alert.state.value == "sent":
        blocks.append(
            kit.actions(
                kit.button("Refresh", action_id="alert.status", value=alert.public_id),
                kit.button(
                    "Recall…",
                    action_id="alert.recall",
                    value=alert.public_id,
                    style="danger",
                    confirm=kit.confirm_dialog(
                        "Recall this alert?",
                        "Every delivered copy is replaced by a withdrawn note and nothing "
                        "more goes out.",
                        yes="Recall",
                    ),
                ),
            )
        )
    text = lang.gettext(
        "{id}: {delivered} delivered, {failed} failed",
        id=alert.public_id,
        delivered=lang.number(counts.delivered),
        failed=lang.number(counts.failed),
    )
    return kit.post(blocks, text=text)


def answer_count(response: Response, n: int, lang: Messages) -> str:
    """How many gave this answer, as a phrase whose noun agrees with the count."""
    if response is Response.IN:
        return lang.ngettext("{n} person is in", "{n} people are in", n)
    if response is Response.DONE:
        return lang.ngettext("{n} person has done it", "{n} people have done it", n)
    return lang.ngettext("{n} person can't this time", "{n} people can't this time", n)


def recent_alerts(alerts: Sequence[Alert], *, lang: Messages) -> dict[str, Any]:
    if not alerts:
        return kit.notice("No alerts have been sent yet. Start one with `/alert`.")
    state_words = {"sent": "sent", "recalled": "withdrawn", "draft": "draft"}
    lines = [
        f"• *{a.public_id}* {kit.safe(a.headline, 120)} ({state_words[a.state.value]}, "
        + lang.ngettext("{n} person", "{n} people", a.recipient_count)
        + ")"
        for a in alerts
    ]
    return kit.message(
        [
            kit.section("*Recent alerts*\n" + "\n".join(lines)),
            kit.context("Details: `/alert status AL-2026-0001`"),
        ],
        text="Recent alerts",
    )


def digest_message(alerts: Sequence[Alert], *, local_day: date, lang: Messages) -> dict[str, Any]:
    shown = alerts[:DIGEST_ALERTS]
    blocks: list[kit.Block] = [kit.header(f"Your alerts digest for {local_day.isoformat()}")]
    for alert in shown:
        body = alert_message(alert, case_public_id=None)["blocks"][1:]
        blocks += [kit.divider(), kit.section(f"*{kit.safe(alert.headline, 150)}*"), *body]
    if len(alerts) > len(shown):
        more = len(alerts) - len(shown)
        blocks.append(
            kit.context(
                lang.ngettext(
                    "…and {n} more: `/alert status`", "…and {n} more: `/alert status`", more
                )
            )
        )
    blocks.append(kit.context("You asked for alerts once a day. Change it with `/network prefs`."))
    text = lang.ngettext(
        "{n} alert from the network today", "{n} alerts from the network today", len(alerts)
    )
    return kit.post(blocks, text=text)
