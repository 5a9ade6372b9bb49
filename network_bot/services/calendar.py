"""The campaign calendar: anniversaries of cases, and digests ahead of the campaign's days.

Runs from the scheduler every few minutes and is safe to run any number of times: each post is
queued under a key naming its date, so a restart on the day never posts twice.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from network_bot.blocks import calendar as render
from network_bot.blocks import campaign as campaign_render
from network_bot.clock import Clock
from network_bot.i18n import Catalogue, Text, say
from network_bot.roles import Role
from network_bot.services.campaign import Campaign
from network_bot.services.charting import Charts
from network_bot.store import anniversaries, cases, members, outbox
from network_bot.store import campaign as campaign_store
from network_bot.store.db import Database
from network_bot.store.outbox import Outgoing, Purpose, RefKind, TargetKind
from network_bot.vocabulary import Violation

# The days the whole campaign works towards, and how many days ahead coordinators get a digest.
CAMPAIGN_DAYS: tuple[tuple[int, int, Text], ...] = (
    (11, 2, say("the International Day to End Impunity for Crimes against Journalists")),
    (11, 23, say("the anniversary of the Ampatuan (Maguindanao) massacre of 2009")),
)
DIGEST_DAYS_AHEAD = 7
ANNIVERSARY_VIOLATIONS = (Violation.KILLING, Violation.ENFORCED_DISAPPEARANCE, Violation.ABDUCTION)


class Calendar:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        campaign_channel: str | None,
        review_channel: str | None,
        catalogue: Catalogue,
        post_hour: int = 8,
        campaign: Campaign | None = None,
        charts: Charts | None = None,
    ) -> None:
        self._campaign = campaign
        self._charts = charts
        self._db = db
        self._clock = clock
        self._campaign_channel = campaign_channel
        self._review_channel = review_channel
        self._post_hour = post_hour
        self._lang = catalogue.default  # campaign posts go to channels: the network's language

    async def run(self) -> int:
        """Queue whatever today calls for and has not been queued yet; return how many."""
        now = self._clock.now()
        if now.hour < self._post_hour:
            return 0
        today = now.date()
        queued = 0
        if self._campaign_channel:
            queued += await self._anniversaries(today)
        for month, day, name in CAMPAIGN_DAYS:
            target = date(today.year, month, day)
            if today == target - timedelta(days=DIGEST_DAYS_AHEAD):
                queued += await self._campaign_digest(target, name)
        return queued

    async def _anniversaries(self, today: date) -> int:
        found = await anniversaries.due(
            self._db.read,
            month_day=today.strftime("%m-%d"),
            before=today,
            violations=ANNIVERSARY_VIOLATIONS,
        )
        # Emblematic cases always post (whatever the violation, wherever the case came from),
        # and lead the post.
        emblematic = await campaign_store.emblematic_anniversaries(
            self._db.read, month_day=today.strftime("%m-%d"), before=today
        )
        marked = {r.id for r in emblematic}
        found = [*emblematic, *(r for r in found if r.id not in marked)]
        if not found or self._campaign_channel is None:
            return 0
        message = render.anniversaries(found, today=today, lang=self._lang, emblematic=marked)
        return await self._queue(
            TargetKind.CHANNEL,
            [self._campaign_channel],
            message,
            key=f"anniversaries:{today.isoformat()}",
            purpose=Purpose.CALENDAR,
        )

    async def _campaign_digest(self, target: date, name: Text) -> int:
        unresolved = await cases.unresolved_killings(self._db.read)
        lead, tail = await self._campaign_blocks(target)
        message = render.campaign_digest(
            unresolved,
            day=target,
            name=name,
            today=self._clock.now().date(),
            lang=self._lang,
            lead=lead,
            tail=tail,
        )
        if self._review_channel:
            return await self._queue(
                TargetKind.CHANNEL,
                [self._review_channel],
                message,
                key=f"campaign-digest:{target.isoformat()}",
                purpose=Purpose.CAMPAIGN_DIGEST,
                chart_for=target,
            )
        coordinators = await members.ids_with_role(self._db.read, Role.COORDINATOR)
        return await self._queue(
            TargetKind.USER,
            coordinators,
            message,
            key=f"campaign-digest:{target.isoformat()}",
            purpose=Purpose.CAMPAIGN_DIGEST,
            chart_for=target,
        )

    async def _campaign_blocks(self, target: date) -> tuple[list[Any], list[Any]]:
        """Emblematic cases first; for 2 November, the killings no state has answered about;
        the chart's buttons last."""
        if self._campaign is None:
            return [], []
        lead = campaign_render.digest_lead(await self._campaign.emblematic(), lang=self._lang)
        tail = []
        if (target.month, target.day) == (11, 2):
            tail += campaign_render.unanswered_section(
                await self._campaign.rollup(), lang=self._lang
            )
        if self._charts is not None:
            tail.append(campaign_render.chart_buttons(country=None, since=None, lang=self._lang))
        return lead, tail

    async def _queue(
        self,
        kind: TargetKind,
        targets: list[str],
        message: dict[str, Any],
        *,
        key: str,
        purpose: Purpose,
        chart_for: date | None = None,
    ) -> int:
        async with self._db.transaction() as tx:
            if chart_for is not None and self._charts is not None:
                await self._charts.queue_digest(
                    tx, day=chart_for, targets=targets, now=self._clock.now()
                )
            return await outbox.enqueue(
                tx,
                [
                    Outgoing.to(
                        kind,
                        target,
                        purpose=purpose,
                        payload=message,
                        ref_kind=RefKind.CALENDAR,
                        dedupe_key=f"{key}:{target}",
                    )
                    for target in targets
                ],
                now=self._clock.now(),
            )

    async def digest_text(self, target: date) -> tuple[str, str]:
        """Headline and body for an alert built from the campaign digest."""
        unresolved = await cases.unresolved_killings(self._db.read)
        return render.campaign_alert_text(
            unresolved, day=target, today=self._clock.now().date(), lang=self._lang
        )
