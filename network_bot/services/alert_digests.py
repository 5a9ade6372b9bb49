"""What goes to each member after an alert, in their own language: the daily digest (for those
who asked for alerts once a day, once their local time passes ``DIGEST_HOUR``; a day's digest
goes out once) and, when an alert is recalled, the recall note each of its sent deliveries
becomes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from network_bot.blocks import alerts as render
from network_bot.i18n import Catalogue
from network_bot.store import alerts, members, outbox
from network_bot.store.db import Conn, Database
from network_bot.store.outbox import Delivery, Outgoing, Purpose, RefKind, TargetKind

DIGEST_HOUR = 9  # local time of day a member's digest goes out


async def send_digests(db: Database, *, now: datetime, catalogue: Catalogue) -> int:
    """Queue each due digest; return how many were queued."""
    sent = 0
    for user_id in await alerts.digest_waiting(db.read):
        member = await members.get(db.read, user_id)
        if member is None or not member.is_active:
            continue
        local = now + timedelta(seconds=member.tz_offset or 0)
        if local.hour < DIGEST_HOUR:
            continue
        key = f"digest:{user_id}:{local.date().isoformat()}"
        async with db.transaction() as tx:
            if await outbox.id_for_key(tx, key) is not None:
                continue  # today's digest went out; newer alerts wait for tomorrow's
            waiting = await alerts.digest_alerts(tx, user_id)
            if waiting:
                messages = render.digest_messages(
                    waiting, local_day=local.date(), lang=catalogue.get(member.language)
                )
                await outbox.enqueue(
                    tx,
                    [
                        Outgoing.dm(
                            purpose=Purpose.DIGEST,
                            user_id=user_id,
                            payload=message,
                            ref_kind=RefKind.DIGEST,
                            dedupe_key=key if part == 0 else f"{key}:{part}",
                        )
                        for part, message in enumerate(messages)
                    ],
                    now=now,
                )
                sent += 1
            await alerts.mark_digest_sent(tx, user_id=user_id, local_date=local.date())
    return sent


async def recall_delivered(
    tx: Conn, delivered: list[Delivery], *, now: datetime, catalogue: Catalogue, reason: str = ""
) -> None:
    """Each sent delivery of a recalled alert becomes a recall note in its reader's language,
    with the reason the coordinator gave."""
    readers: dict[str, str | None] = {}
    people = [d.target_id for d in delivered if d.target_kind is TargetKind.USER]
    for start in range(0, len(people), 500):
        found = await members.get_many(tx, people[start : start + 500])
        readers.update({uid: m.language for uid, m in found.items()})
    notes = {
        code: render.recall_note(catalogue.get(code), reason=reason) for code in catalogue.languages
    }
    default = render.recall_note(catalogue.default, reason=reason)

    def note(d: Delivery) -> dict[str, Any]:
        if d.target_kind is not TargetKind.USER:
            return default
        return notes[catalogue.get(readers.get(d.target_id)).language]

    await outbox.enqueue(
        tx,
        [
            Outgoing.edit_of(
                d,
                purpose=Purpose.RECALL,
                payload=note(d),
                priority=30,
                ref_kind=RefKind.RECALL,
                ref_id=d.ref_id,
                dedupe_key=f"recall:{d.id}",
            )
            for d in delivered
        ],
        now=now,
    )
