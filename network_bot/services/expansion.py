"""Queueing a confirmed alert's audience after the confirm, a page at a time, resumably.

The confirm commits the alert as sent with ``expansion = 'pending'``. Each step here, in one
transaction, reads the next page of its audience (members by user ID after the last one queued),
writes their DMs (or digest entries) and moves ``expanded_through`` to the page's last member:
a crash loses at most the step in flight, which rolls back, and the next start resumes after
the last committed page, so no one is missed and no one queued twice (each DM also has its
dedupe key). A recall stops the expansion at its next step; the recall itself cancels what was
queued and not yet sent.
"""

from __future__ import annotations

from typing import Any

from network_bot.blocks import alerts as render
from network_bot.clock import Clock
from network_bot.services.alerts import Alerts, region_codes
from network_bot.store import alerts, audiences, cases, outbox
from network_bot.store.alerts import Alert, AlertState
from network_bot.store.db import Conn, Database
from network_bot.store.members import AlertPref
from network_bot.store.outbox import Outgoing, Purpose, RefKind
from network_bot.vocabulary import Urgency

PAGE = 500  # members per step: a short write transaction (~40 ms), so requests never wait long


class Expansion:
    def __init__(self, *, db: Database, clock: Clock, alerts: Alerts, page: int = PAGE) -> None:
        self._db = db
        self._clock = clock
        self._alerts = alerts
        self._page = page

    async def waiting(self) -> list[int]:
        """Alerts whose audience is not fully queued yet, oldest first."""
        return await audiences.expanding(self._db.read)

    async def step(self, alert_id: int) -> bool:
        """Queue the next page of one alert's audience; True once it is all queued."""
        async with self._db.transaction() as tx:
            state, through = await audiences.expansion_of(tx, alert_id)
            alert = await alerts.get(tx, alert_id)
            if alert is None or state == "done":
                return True
            if alert.state is not AlertState.SENT:  # recalled: nothing more goes out
                await audiences.expanded(tx, alert_id=alert_id, through=None, done=True)
                return True
            page = await audiences.audience_members(
                tx,
                audience=alert.audience,
                region_countries=region_codes(alert),
                case_id=alert.case_id,
                after=through,
                limit=self._page,
            )
            await self._queue(tx, alert, page)
            done = len(page) < self._page
            last = page[-1][0] if page else None
            await audiences.expanded(tx, alert_id=alert_id, through=last, done=done)
            if done:
                dms, digests = await audiences.queued_counts(tx, alert_id)
                await audiences.set_counts(tx, alert_id=alert_id, recipients=dms, digests=digests)
        self._alerts.changed(alert_id)
        return done

    async def _queue(
        self, tx: Conn, alert: Alert, page: list[tuple[str, AlertPref, str | None]]
    ) -> None:
        urgent = alert.urgency is Urgency.URGENT
        now_ids = [(uid, lang) for uid, pref, lang in page if urgent or pref is AlertPref.ALL]
        digest_ids = [uid for uid, pref, _ in page if not urgent and pref is AlertPref.DIGEST]
        now = self._clock.now()
        if now_ids:
            record = await cases.get(tx, alert.case_id) if alert.case_id else None
            public_id = record.public_id if record else None
            catalogue = self._alerts.catalogue
            # One rendering per language: each reader gets the framing in their language and
            # the coordinator's translation for it, if any.
            rendered: dict[str, dict[str, Any]] = {}

            def message_for(language: str | None) -> dict[str, Any]:
                lang = catalogue.get(language)
                if lang.language not in rendered:
                    rendered[lang.language] = render.alert_message(
                        alert, case_public_id=public_id, lang=lang
                    )
                return rendered[lang.language]

            await outbox.enqueue(
                tx,
                (
                    Outgoing.dm(
                        purpose=Purpose.ALERT,
                        user_id=uid,
                        payload=message_for(language),
                        priority=alert.urgency.priority,
                        ref_kind=RefKind.ALERT,
                        ref_id=alert.id,
                        dedupe_key=f"alert:{alert.id}:{uid}",
                    )
                    for uid, language in now_ids
                ),
                now=now,
            )
        if digest_ids:
            await alerts.queue_digest(tx, alert_id=alert.id, user_ids=digest_ids, now=now)
