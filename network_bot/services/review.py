"""Putting a report in front of the coordinators, and what they are told when someone got
there first: the review card and urgent DMs a report queues, and "already decided"."""

from __future__ import annotations

from datetime import datetime

from network_bot.blocks import cases as render
from network_bot.blocks import kit
from network_bot.i18n import Catalogue, Text, say
from network_bot.roles import Role
from network_bot.services.similarity import Likeness
from network_bot.store import cases, members, outbox
from network_bot.store.cases import CaseRecord, PublicCase
from network_bot.store.db import Conn
from network_bot.store.outbox import Outgoing, Purpose, RefKind
from network_bot.vocabulary import Status, Urgency


async def coordinator_ids(tx: Conn) -> list[str]:
    """Who hears about reports: coordinators, or the admins if there are none yet."""
    found = await members.ids_with_role(tx, Role.COORDINATOR)
    return found or await members.ids_with_role(tx, Role.ADMIN)


async def queue_review(
    tx: Conn,
    record: CaseRecord,
    similar: list[Likeness],
    *,
    catalogue: Catalogue,
    review_channel: str | None,
    now: datetime,
) -> None:
    """The review card (the review channel, in the network's language, or each coordinator's
    DM in theirs) and, for an urgent report, a DM to every coordinator."""
    public = PublicCase.of(record)
    looks_like = [(PublicCase.of(like.case), like.reasons) for like in similar]

    def card(language: str | None) -> dict[str, object]:
        return render.review_card(
            public,
            reporter_anonymous=record.reporter_anonymous,
            similar=looks_like,
            has_notes=bool(record.restricted_notes),
            lang=catalogue.get(language) if language else catalogue.default,
        )

    priority = record.urgency.priority
    coordinators = await coordinator_ids(tx)
    languages = {uid: m.language for uid, m in (await members.get_many(tx, coordinators)).items()}
    queued = []
    if review_channel:
        queued.append(
            Outgoing.to_channel(
                purpose=Purpose.REVIEW,
                channel_id=review_channel,
                payload=card(None),
                priority=priority,
                ref_kind=RefKind.CASE,
                ref_id=record.id,
                dedupe_key=f"review:{record.id}",
            )
        )
    else:
        queued += [
            Outgoing.dm(
                purpose=Purpose.REVIEW,
                user_id=uid,
                payload=card(languages.get(uid) or "en"),
                priority=priority,
                ref_kind=RefKind.CASE,
                ref_id=record.id,
                dedupe_key=f"review:{record.id}:{uid}",
            )
            for uid in coordinators
        ]
    if record.urgency is Urgency.URGENT:
        queued += [
            Outgoing.dm(
                purpose=Purpose.URGENT,
                user_id=uid,
                payload=render.urgent_dm(public, lang=catalogue.get(languages.get(uid))),
                priority=priority + 10,
                ref_kind=RefKind.CASE,
                ref_id=record.id,
                dedupe_key=f"urgent:{record.id}:{uid}",
            )
            for uid in coordinators
        ]
    await outbox.enqueue(tx, queued, now=now)
    if review_channel:
        card_id = await outbox.id_for_key(tx, f"review:{record.id}")
        if card_id is not None:
            await cases.record_review_card(tx, case_id=record.id, outbox_id=card_id)


def already_decided(record: CaseRecord) -> Text:
    who: Text | str = (
        kit.mention(record.reviewed_by) if record.reviewed_by else say("a coordinator")
    )
    if record.status is Status.UNDER_REVIEW:
        return say(
            "*{id}* is already being reviewed by {who}. Nothing was changed; you can still "
            "verify, reject or merge it.",
            id=record.public_id,
            who=who,
        )
    if record.reviewed_at is None:
        return say(
            "*{id}* was already marked *{status}* by {who}. Nothing was changed.",
            id=record.public_id,
            status=record.status,
            who=who,
        )
    return say(
        "*{id}* was already marked *{status}* by {who} ({when} UTC). Nothing was changed.",
        id=record.public_id,
        status=record.status,
        who=who,
        when=record.reviewed_at.strftime("%Y-%m-%d %H:%M"),
    )
