"""What makes an alert draft sendable, checked before anything is saved: its channels may take
it, its audience names someone, and it never names a case's withheld victim, in any of its
translations either. Each refusal names the form field it is about."""

from __future__ import annotations

from network_bot.blocks import kit
from network_bot.channels import ChannelInfo
from network_bot.i18n import say
from network_bot.refusal import Refusal
from network_bot.services.withheld import naming
from network_bot.store.alerts import AlertDraft
from network_bot.store.cases import CaseRecord


class AlertError(Refusal):
    """Something about an alert that the person must fix or know; ``field`` names a form field."""


def check_draft(draft: AlertDraft, channels: list[ChannelInfo]) -> None:
    """The channels and the audience: a shared channel needs the tick, an archived one or one
    without the bot cannot take it, and the alert must reach someone."""
    for channel in channels:
        name = kit.escape(channel.name)
        if channel.is_ext_shared and not draft.audience.include_shared:
            raise AlertError(
                say(
                    "#{name} is shared with another organisation. Tick “Include channels "
                    "shared with other organisations” to post there, or remove it.",
                    name=name,
                ),
                field="channels",
            )
        if channel.is_archived:
            raise AlertError(say("#{name} is archived.", name=name), field="channels")
        if not channel.is_member:
            raise AlertError(
                say("Invite the bot to #{name} first, or remove it.", name=name),
                field="channels",
            )
    if draft.audience.case_followers and draft.case_id is None:
        raise AlertError(
            say("Followers of a case need a case: start with `/alert NI-2026-0042`."),
            field="audience",
        )
    if not draft.audience.reaches_people and not channels:
        raise AlertError(
            say("Choose who gets it: all members, countries, regions, followers or channels."),
            field="audience",
        )


def refuse_named_victim(draft: AlertDraft, record: CaseRecord) -> None:
    """An alert about a case whose victim's name is withheld may not name them either."""
    texts = {
        "headline": draft.headline,
        "body": draft.body,
        "action_text": draft.action_text,
        "link": draft.link,
    }
    for version in draft.translations:  # a translation is held to the same rule
        for name in ("headline", "body", "action_text"):
            texts[f"{name}_{version.language}"] = getattr(version, name)
    for field_id, found in naming(record, texts):
        shown = ", ".join(f"“{kit.escape(p)}”" for p in found[:3])
        raise AlertError(
            say(
                "The reporter asked to withhold the victim's name, and this names them "
                "({found}). Everyone the alert reaches reads it: describe the person without "
                "their name.",
                found=shown,
            ),
            field=field_id,
        )
