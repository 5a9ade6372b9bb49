"""How alerts look: the message itself (in each reader's language, with the coordinator's
translation when there is one), the answer buttons, the sender's live status, the digest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from network_bot.blocks import kit
from network_bot.i18n import Messages, Text, say
from network_bot.store.alerts import Alert, Response
from network_bot.vocabulary import Urgency

DIGEST_ALERTS = 7  # six blocks each: a digest stays inside a message's 50 blocks
RESPOND_PREFIX = "alert.respond."
RESPOND_ACTIONS = {r: f"{RESPOND_PREFIX}{r.value}" for r in Response}
"""One action_id per answer: Slack refuses a block whose buttons share an action_id (Button
element: "unique among all other action_ids in the containing block"). The value carries the
alert and the answer; the handler checks that both agree."""

ACTIONS: dict[str, Text] = {
    "sign_letter": say("Sign the joint letter"),
    "publish_statement": say("Publish a statement"),
    "contact_embassy": say("Contact the embassy"),
    "share": say("Share on social media"),
    "lobby_unesco": say("Lobby the state to answer UNESCO"),
    "custom": say("Take action"),
}
MARK = {Urgency.URGENT: ":rotating_light: ", Urgency.HIGH: ":warning: ", Urgency.ROUTINE: ""}


RECALL_CALLBACK = "alert.recall.submit"
RECALL_REASON_MAX = 300


def recall_note(lang: Messages, *, reason: str = "") -> dict[str, Any]:
    """What every delivered copy of a recalled alert becomes, in its reader's language, with the
    reason the coordinator gave (as they wrote it)."""
    text = (
        ":no_entry_sign: _"
        + lang.gettext(
            "This alert was withdrawn by the network's secretariat. Please do not act "
            "on it or share it."
        )
        + "_"
    )
    if reason:
        text += " " + lang.gettext(
            "The reason: {reason}.", reason=kit.safe(reason, RECALL_REASON_MAX)
        )
    return {"text": lang.gettext("This alert was withdrawn."), "blocks": [kit.section(text)]}


@dataclass(frozen=True, kw_only=True)
class StatusCounts:
    delivered: int = 0
    pending: int = 0
    failed: int = 0
    cancelled: int = 0
    withdrawn: int = 0  # delivered copies replaced by the withdrawn note
    withdrawing: int = 0  # replacements still on their way


def recall_modal(alert: Alert, *, delivered: int, lang: Messages) -> dict[str, Any]:
    """Recall asks first, and for the reason every recipient will read."""
    copies = lang.ngettext(
        "The {n} delivered copy is replaced by a note saying it was withdrawn, with your reason",
        "The {n} delivered copies are replaced by a note saying it was withdrawn, with your reason",
        delivered,
    )
    question = lang.gettext(
        "Recall *{id}* “{headline}”? {copies}; nothing more goes out. This cannot be undone.",
        id=alert.public_id,
        headline=kit.safe(alert.headline, 150),
        copies=copies,
    )
    return kit.modal(
        title=lang.gettext("Recall alert"),
        callback_id=RECALL_CALLBACK,
        submit=lang.gettext("Recall"),
        close=lang.gettext("Keep it"),
        private_metadata=json.dumps({"alert": alert.public_id}),
        blocks=[
            kit.section(question),
            kit.input_block(
                block_id="reason",
                label=lang.gettext("Why it is withdrawn"),
                element=kit.text_input(
                    action_id="value",
                    max_length=RECALL_REASON_MAX,
                    placeholder=lang.gettext("e.g. The date of the hearing was wrong"),
                ),
                hint=lang.gettext("Everyone who got the alert reads this."),
            ),
        ],
    )


def alert_message(alert: Alert, *, case_public_id: str | None, lang: Messages) -> dict[str, Any]:
    """The alert as a reader of ``lang`` sees it (the preview shows exactly this): the
    coordinator's words in that language if they wrote them, else as written; the bot's own
    framing always in ``lang``."""
    words = alert.in_language(lang.language)
    ask = lang.render(ACTIONS.get(words.action_kind, ACTIONS["custom"]))
    detail = f": {kit.safe(words.action_text, 500)}" if words.action_text else ""
    ask_block = kit.section(
        lang.gettext("*What we ask:* {ask}", ask=ask) + detail,
        accessory=kit.button(
            lang.gettext("Open the link"),
            action_id="alert.link",
            url=words.link,
            value=str(words.id),
        )
        if words.link
        else None,
    )
    facts = [lang.gettext("Alert {id} from the network's secretariat", id=words.public_id)]
    if words.deadline:
        facts.insert(0, lang.gettext("*Deadline:* {day}", day=lang.date(words.deadline)))
    if case_public_id:
        facts.append(lang.gettext("Case {id}", id=case_public_id))
    headline = (
        lang.gettext("URGENT: {headline}", headline=words.headline)
        if words.urgency is Urgency.URGENT
        else words.headline
    )
    blocks = [
        kit.header(headline),
        kit.section(kit.safe(words.body, kit.SECTION_TEXT)),
        ask_block,
        kit.context(" · ".join(facts)),
        respond_block(words, lang=lang),
    ]
    return kit.post(blocks, text=f"{MARK[words.urgency]}{words.headline}")


def respond_block(alert: Alert, *, lang: Messages) -> kit.Block:
    """The answer buttons under an alert (its DM, the digest, App Home)."""
    return kit.actions(
        *(
            kit.button(
                lang.term(r),
                action_id=RESPOND_ACTIONS[r],
                value=f"{alert.id}:{r.value}",
                style="primary" if r is Response.IN else None,
            )
            for r in Response
        ),
        block_id=f"respond:{alert.id}",
    )


def _reach(alert: Alert, lang: Messages) -> str:
    reach = lang.ngettext("{n} person", "{n} people", alert.recipient_count)
    if alert.digest_count:
        reach += " " + lang.ngettext(
            "(and {n} by digest)", "(and {n} by digest)", alert.digest_count
        )
    if alert.channel_count:
        reach += " " + lang.ngettext("and {n} channel", "and {n} channels", alert.channel_count)
    return reach


def status_message(
    alert: Alert,
    *,
    counts: StatusCounts,
    tallies: dict[Response, int],
    by_organisation: dict[str, dict[Response, int]],
    lang: Messages,
    failures: Sequence[tuple[str, str]] = (),
    recall_reason: str = "",
) -> dict[str, Any]:
    """The sender's live status, in the sender's language."""
    values = {"id": alert.public_id, "headline": kit.safe(alert.headline, 150)}
    if alert.state.value == "recalled":
        title = lang.gettext(
            "*{id}* “{headline}”: withdrawn (it had gone to {reach})",
            reach=_reach(alert, lang),
            **values,
        )
    else:
        title = lang.gettext(
            "*{id}* “{headline}”: sent to {reach}", reach=_reach(alert, lang), **values
        )
    if recall_reason:
        title += "\n" + lang.gettext("Reason: {reason}", reason=kit.safe(recall_reason, 300))
    withdrawn = lang.number(counts.withdrawn)
    if counts.withdrawing:
        withdrawn += " " + lang.ngettext("({n} on the way)", "({n} on the way)", counts.withdrawing)
    facts = [
        (lang.gettext("Delivered"), lang.number(counts.delivered)),
        (lang.gettext("Pending"), lang.number(counts.pending)),
        (lang.gettext("Failed"), lang.number(counts.failed)),
    ]
    if alert.state.value == "recalled":
        facts += [
            (lang.gettext("Withdrawn (copies replaced)"), withdrawn),
            (lang.gettext("Stopped before sending"), lang.number(counts.cancelled)),
        ]
    blocks: list[kit.Block] = [
        kit.section(title),
        kit.fields([*facts, *((lang.term(r), lang.number(tallies.get(r, 0))) for r in Response)]),
    ]
    if by_organisation:
        lines = [
            f"{kit.safe(org, 80)}: "
            + ", ".join(answer_count(r, n, lang) for r, n in answers.items() if n)
            for org, answers in list(by_organisation.items())[:15]
        ]
        blocks += kit.line_sections("*" + lang.gettext("Answers by organisation") + "*", lines)
    if failures:
        listed = [
            f"• {kit.mention(target)}: `{kit.escape(error)}`" for target, error in failures[:20]
        ]
        if len(failures) > 20:
            listed.append(lang.ngettext("…and {n} more", "…and {n} more", len(failures) - 20))
        blocks += kit.line_sections("*" + lang.gettext("Not delivered") + "*", listed)
    if alert.state.value == "sent":
        blocks.append(
            kit.actions(
                kit.button(
                    lang.gettext("Refresh"), action_id="alert.status", value=alert.public_id
                ),
                # The button opens a form that asks to confirm, and for the reason.
                kit.button(
                    lang.gettext("Recall…"),
                    action_id="alert.recall",
                    value=alert.public_id,
                    style="danger",
                ),
            )
        )
    text = lang.gettext(
        "{id}: {delivered} delivered, {failed} failed",
        id=alert.public_id,
        delivered=counts.delivered,
        failed=counts.failed,
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
        return kit.notice(lang.gettext("No alerts have been sent yet. Start one with `/alert`."))
    lines = []
    for a in alerts:
        reach = lang.ngettext("{n} person", "{n} people", a.recipient_count)
        state = (
            lang.gettext("withdrawn, {reach}", reach=reach)
            if a.state.value == "recalled"
            else lang.gettext("sent, {reach}", reach=reach)
        )
        lines.append(f"• *{lang.isolate(a.public_id)}* {kit.safe(a.headline, 120)} ({state})")
    return kit.message(
        [
            *kit.line_sections("*" + lang.gettext("Recent alerts") + "*", lines),
            kit.context(lang.gettext("Details: `/alert status {id}`", id=alerts[0].public_id)),
        ],
        text=lang.gettext("Recent alerts"),
    )


def digest_messages(
    alerts: Sequence[Alert], *, local_day: date, lang: Messages
) -> list[dict[str, Any]]:
    """A day's digest, in as many messages as its alerts need: a message holds
    ``DIGEST_ALERTS`` of them within Slack's 50 blocks, and a member who asked for a digest
    gets every alert of the day, not a pointer to a command only coordinators may use."""
    parts = [alerts[i : i + DIGEST_ALERTS] for i in range(0, len(alerts), DIGEST_ALERTS)]
    text = lang.ngettext(
        "{n} alert from the network today", "{n} alerts from the network today", len(alerts)
    )
    day = lang.date(local_day)
    posts = []
    for number, shown in enumerate(parts, start=1):
        heading = (
            lang.gettext("Your alerts digest for {day}", day=day)
            if len(parts) == 1
            else lang.gettext(
                "Your alerts digest for {day} ({part} of {parts})",
                day=day,
                part=lang.number(number),
                parts=lang.number(len(parts)),
            )
        )
        blocks: list[kit.Block] = [kit.header(heading)]
        for alert in shown:
            body = alert_message(alert, case_public_id=None, lang=lang)["blocks"][1:]
            headline = alert.in_language(lang.language).headline
            blocks += [kit.divider(), kit.section(f"*{kit.safe(headline, 150)}*"), *body]
        if number == len(parts):
            footer = lang.gettext(
                "You asked for alerts once a day. Change it with `/network prefs`."
            )
            blocks.append(kit.context(footer))
        posts.append(kit.post(blocks, text=text))
    return posts
