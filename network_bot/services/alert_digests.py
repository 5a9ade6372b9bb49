"""The daily digest: members who asked for alerts once a day get them together, each in their
own language, once their local time passes ``DIGEST_HOUR``; a day's digest goes out once."""

from __future__ import annotations

from datetime import datetime, timedelta

from network_bot.blocks import alerts as render
from network_bot.i18n import Catalogue
from network_bot.store import alerts, members, outbox
from network_bot.store.db import Database
from network_bot.store.outbox import Outgoing, TargetKind

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
                message = render.digest_message(
                    waiting, local_day=local.date(), lang=catalogue.get(member.language)
                )
                await outbox.enqueue(
                    tx,
                    [
                        Outgoing(
                            purpose="digest",
                            target_kind=TargetKind.USER,
                            target_id=user_id,
                            payload=message,
                            ref_kind="digest",
                            dedupe_key=key,
                        )
                    ],
                    now=now,
                )
                sent += 1
            await alerts.mark_digest_sent(tx, user_id=user_id, local_date=local.date())
    return sent
