"""The alert form and its preview: what a coordinator writes (with optional translations, one
set of fields per language the bot speaks) and exactly what each reader will get."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from network_bot.blocks import kit
from network_bot.blocks.alerts import ACTIONS, alert_message
from network_bot.blocks.report import SUMMARY_MAX, country_groups
from network_bot.data import countries
from network_bot.i18n import Messages
from network_bot.store.alerts import Alert, Response
from network_bot.vocabulary import Urgency

BODY_MAX = SUMMARY_MAX  # an alert about a case holds its whole summary

COMPOSE_CALLBACK = "alert.compose"
CONFIRM_CALLBACK = "alert.confirm"
TRANSLATED_FIELDS = ("headline", "body", "action_text")


def translation_block_id(field: str, language: str) -> str:
    """``headline_fr``: the input for one field of one language's translation."""
    return f"{field}_{language}"


def compose_modal(
    *,
    headline: str,
    body: str,
    case_public_id: str | None,
    has_case: bool,
    lang: Messages,
    translate_into: Iterable[Messages] = (),
    action_kind: str | None = None,
    action_text: str = "",
    country_codes: Sequence[str] = (),
) -> dict[str, Any]:
    """The form, optionally filled in (a digest, a lobbying draft): the coordinator still
    checks it, sees the preview and confirms. ``translate_into``: the languages the coordinator
    may add their own translation for (each member reads theirs, else the original)."""
    audience_options = [kit.option(lang.gettext("All members"), "all")]
    if has_case:
        audience_options.append(
            kit.option(lang.gettext("Followers of this case"), "case_followers")
        )
    audience_options.append(
        kit.option(lang.gettext("Followers of the chosen countries"), "country_followers")
    )
    actions = [kit.option(lang.render(label), key) for key, label in ACTIONS.items()]
    blocks = [
        kit.input_block(
            block_id="headline",
            label=lang.gettext("Headline"),
            element=kit.text_input(action_id="value", max_length=150, initial=headline or None),
        ),
        kit.input_block(
            block_id="body",
            label=lang.gettext("What happened"),
            element=kit.text_input(
                action_id="value", multiline=True, max_length=BODY_MAX, initial=body or None
            ),
            hint=lang.gettext("Goes to everyone in the audience. Never paste restricted notes."),
        ),
        kit.input_block(
            block_id="action_kind",
            label=lang.gettext("What we ask people to do"),
            element=kit.static_select(
                action_id="value",
                options=actions,
                initial=next((o for o in actions if o["value"] == action_kind), None),
            ),
        ),
        kit.input_block(
            block_id="action_text",
            label=lang.gettext("Details of the ask"),
            optional=True,
            element=kit.text_input(action_id="value", max_length=500, initial=action_text or None),
        ),
        kit.input_block(
            block_id="link",
            label=lang.gettext("Link"),
            optional=True,
            element=kit.text_input(action_id="value", max_length=500, placeholder="https://"),
        ),
        kit.input_block(
            block_id="deadline",
            label=lang.gettext("Deadline"),
            optional=True,
            element={"type": "datepicker", "action_id": "value"},
        ),
        kit.input_block(
            block_id="urgency",
            label=lang.gettext("Urgency"),
            element=kit.static_select(
                action_id="value",
                options=[kit.option(lang.term(u), u.value) for u in Urgency],
                initial=kit.option(lang.term(Urgency.ROUTINE), Urgency.ROUTINE.value),
            ),
        ),
        kit.input_block(
            block_id="audience",
            label=lang.gettext("Audience"),
            optional=True,
            element=kit.checkboxes(action_id="value", options=audience_options),
        ),
        kit.input_block(
            block_id="countries",
            label=lang.gettext("Members in these countries"),
            optional=True,
            element=country_select(country_codes, lang=lang),
        ),
        kit.input_block(
            block_id="regions",
            label=lang.gettext("Members in these regions"),
            optional=True,
            element=kit.static_select(
                action_id="value",
                multi=True,
                options=[kit.option(lang.region(r), r) for r in countries.REGIONS],
            ),
        ),
        kit.input_block(
            block_id="channels",
            label=lang.gettext("Also post in channels"),
            optional=True,
            element={
                "type": "multi_conversations_select",
                "action_id": "value",
                "filter": {"include": ["public", "private"], "exclude_bot_users": True},
            },
        ),
        kit.input_block(
            block_id="shared",
            label=lang.gettext("Shared channels"),
            optional=True,
            element=kit.checkboxes(
                action_id="value",
                options=[
                    kit.option(
                        lang.gettext("Include channels shared with other organisations"),
                        "include_shared",
                        description=lang.gettext("Partners outside the network will see it"),
                    )
                ],
            ),
        ),
        *translation_blocks(lang, translate_into),
    ]
    return kit.modal(
        title=lang.gettext("Alert the network"),
        callback_id=COMPOSE_CALLBACK,
        submit=lang.gettext("Preview"),
        close=lang.gettext("Cancel"),
        blocks=blocks,
        private_metadata=json.dumps({"case": case_public_id} if case_public_id else {}),
    )


def translation_blocks(lang: Messages, languages: Iterable[Messages]) -> list[kit.Block]:
    """Optional fields per language: the coordinator's own translation of the alert."""
    blocks: list[kit.Block] = []
    for other in languages:
        name = other.name
        blocks += [
            kit.divider(),
            kit.section(
                lang.gettext(
                    "*In {language} (optional)*: members who read the bot in {language} get "
                    "this instead; leave it empty and they get the alert as written above.",
                    language=name,
                )
            ),
            kit.input_block(
                block_id=translation_block_id("headline", other.language),
                label=lang.gettext("Headline in {language}", language=name),
                optional=True,
                element=kit.text_input(action_id="value", max_length=150),
            ),
            kit.input_block(
                block_id=translation_block_id("body", other.language),
                label=lang.gettext("What happened, in {language}", language=name),
                optional=True,
                element=kit.text_input(action_id="value", multiline=True, max_length=BODY_MAX),
            ),
            kit.input_block(
                block_id=translation_block_id("action_text", other.language),
                label=lang.gettext("Details of the ask, in {language}", language=name),
                optional=True,
                element=kit.text_input(action_id="value", max_length=500),
            ),
        ]
    return blocks


def country_select(chosen: Sequence[str], *, lang: Messages) -> dict[str, Any]:
    """The countries menu, with ``chosen`` (known country codes) already ticked."""
    element = kit.static_select(action_id="value", option_groups=country_groups(lang), multi=True)
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
    """The alert as the coordinator's own language gets it, what reaches whom, and which
    translations it carries."""
    message = alert_message(alert, case_public_id=case_public_id, lang=lang)
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
        shared = " " + lang.gettext("(shared)")
        listed = ", ".join(
            f"#{kit.escape(name)}{shared if is_shared else ''}" for name, is_shared in channel_names
        )
        reach.append(lang.gettext("posted in {channels}", channels=listed))
    # The preview shows the answer buttons as text: live buttons in a draft would record answers
    # to an alert nobody has received yet.
    shown = [b for b in message["blocks"] if b.get("block_id") != f"respond:{alert.id}"]
    answers = " · ".join(f"[{lang.term(r)}]" for r in Response)
    blocks: list[kit.Block] = [
        kit.context(
            lang.gettext("Preview: this is exactly what will be sent. Nothing has gone out yet.")
        ),
        kit.divider(),
        *shown,
        kit.context(
            lang.gettext(
                "Recipients answer with the buttons {answers}", answers=kit.escape(answers)
            )
        ),
        kit.divider(),
        kit.section(" · ".join(reach)),
    ]
    if alert.translations:
        blocks.append(
            kit.context(
                lang.gettext(
                    "With your translations in: {languages}. Everyone else gets it as written.",
                    languages=", ".join(t.language for t in alert.translations),
                )
            )
        )
    if any(is_shared for _, is_shared in channel_names):
        blocks.append(
            kit.section(
                ":warning: "
                + lang.gettext(
                    "*A channel here is shared with another organisation.* People outside the "
                    "network will see this alert there."
                )
            )
        )
    total = recipients + len(channel_names)
    return kit.modal(
        title=lang.gettext("Check and send"),
        callback_id=CONFIRM_CALLBACK,
        submit=lang.gettext("Send ({total})", total=total)
        if total < 100_000
        else lang.gettext("Send"),
        close=lang.gettext("Back"),
        blocks=blocks,
        private_metadata=json.dumps({"alert": alert.id}),
    )
