"""Charts of the record: what they are drawn from, and who asked for one where.

A chart is never drawn in a request: asking queues a job (``campaign_charts``) and the chart
uploader (``network_bot/delivery/charts.py``) draws it in a separate process and uploads it.
Jobs hold filters and the reader's language, not figures: the numbers are read from verified
killings when it is drawn, and the uploader puts them into words (``network_bot/chart_words.py``).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from network_bot.charts import ChartData, CountryAnswers, YearCounts
from network_bot.clock import Clock
from network_bot.i18n import say
from network_bot.roles import Role, require
from network_bot.services.campaign import CampaignError
from network_bot.store import audit
from network_bot.store import campaign as store
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database
from network_bot.store.members import Member
from network_bot.vocabulary import Impunity, Stage, impunity_of

CHART_CAMPAIGN = "chart.campaign"
CHART_SOCIAL = "chart.social"
Kind = Literal["member", "digest", "campaign", "social"]


class ChartSpec(BaseModel):
    """What one upload draws and says: filters, language, size; never a figure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    country: str | None = Field(default=None, min_length=2, max_length=2)
    since: int | None = Field(default=None, ge=1900, le=2100)
    language: str = Field(default="en", max_length=8)
    size: Literal["slack", "social"] = "slack"
    day: date

    def filename(self, job_id: int) -> str:
        """Unique per job: after a crash the uploader finds a file by this name."""
        where = f"-{self.country.lower()}" if self.country else ""
        size = "-social" if self.size == "social" else ""
        return f"impunity-chart{where}-{self.day.isoformat()}{size}-{job_id}.png"


class Charts:
    """Queues charts; ``language`` is the network's (``NETWORK_BOT_LANGUAGE``), for the charts
    posted to channels; a person's chart is in their own language."""

    def __init__(
        self, *, db: Database, clock: Clock, campaign_channel: str | None, language: str = "en"
    ) -> None:
        self._db = db
        self._clock = clock
        self._campaign_channel = campaign_channel
        self._language = language

    async def data(self, spec: ChartSpec) -> ChartData:
        """The figures for ``spec``, from verified killings only (no names, no notes, no words)."""
        db = self._db.read
        by_year: dict[int, dict[Impunity, int]] = {}
        for year, stage, count in await store.killings_by_year(
            db, country=spec.country, since=spec.since
        ):
            bucket = by_year.setdefault(year, dict.fromkeys(Impunity, 0))
            bucket[impunity_of(Stage(stage))] += count
        since = date(spec.since, 1, 1) if spec.since else None
        debts = await store.rollup(db, country=spec.country, since=since)
        return ChartData(
            years=tuple(
                YearCounts(
                    year=year,
                    complete=counts[Impunity.COMPLETE],
                    partial=counts[Impunity.PARTIAL],
                    full_justice=counts[Impunity.FULL_JUSTICE],
                )
                for year, counts in sorted(by_year.items())
            ),
            answers=tuple(
                CountryAnswers(country=d.country, killings=d.killings, answered=d.answered)
                for d in debts
            ),
            country=spec.country,
            since=spec.since,
        )

    def spec(
        self,
        kind: Kind,
        *,
        country: str | None,
        since: int | None,
        language: str | None,
        size: Literal["slack", "social"] = "slack",
    ) -> ChartSpec:
        return ChartSpec(
            kind=kind,
            country=country,
            since=since,
            language=language or self._language,
            size=size,
            day=self._clock.now().date(),
        )

    # ------------------------------------------------------------------ who asked for one

    async def for_member(self, member: Member, *, country: str | None, since: int | None) -> None:
        """``/cases chart``: anyone may have the picture of the public record in their DM."""
        spec = self.spec("member", country=country, since=since, language=member.language)
        async with self._db.transaction() as tx:
            await self._queue(tx, spec, target=member.user_id, key=secrets.token_hex(8))

    async def post_to_campaign(
        self, actor: Member, *, country: str | None, since: int | None
    ) -> str:
        """Coordinators post the chart in the campaign channel; once a day per filter."""
        require(actor, Role.COORDINATOR)
        if not self._campaign_channel:
            raise CampaignError(
                say(
                    "No campaign channel is set (`NETWORK_BOT_CAMPAIGN_CHANNEL`), so there is "
                    "nowhere to post it. Use “Save the chart for social media” to get the file."
                )
            )
        spec = self.spec("campaign", country=country, since=since, language=self._language)
        key = f"campaign:{spec.day.isoformat()}:{country or '*'}:{since or '*'}"
        async with self._db.transaction() as tx:
            if not await self._queue(tx, spec, target=self._campaign_channel, key=key):
                raise CampaignError(
                    say(
                        "This chart is already posted (or on its way) in the campaign channel "
                        "today. Nothing more was sent."
                    )
                )
            await self._audit(tx, actor, CHART_CAMPAIGN, spec)
        return self._campaign_channel

    async def save_for_social(
        self, actor: Member, *, country: str | None, since: int | None
    ) -> None:
        """Coordinators get a 16:9 picture for social media in their DM, with its alt text."""
        require(actor, Role.COORDINATOR)
        spec = self.spec(
            "social", country=country, since=since, language=actor.language, size="social"
        )
        async with self._db.transaction() as tx:
            await self._queue(tx, spec, target=actor.user_id, key=secrets.token_hex(8))
            await self._audit(tx, actor, CHART_SOCIAL, spec)

    async def queue_digest(self, tx: Conn, *, day: date, targets: list[str], now: datetime) -> int:
        """A campaign digest's chart, beside the digest, in the digest's own transaction."""
        spec = ChartSpec(kind="digest", language=self._language, day=now.date())
        queued = 0
        for target in targets:
            key = f"digest:{day.isoformat()}:{target}"
            queued += await store.queue_chart(
                tx, key=key, target_id=target, spec=spec.model_dump(mode="json"), now=now
            )
        return queued

    async def _queue(self, tx: Conn, spec: ChartSpec, *, target: str, key: str) -> bool:
        return await store.queue_chart(
            tx,
            key=f"chart:{spec.kind}:{key}",
            target_id=target,
            spec=spec.model_dump(mode="json"),
            now=self._clock.now(),
        )

    async def _audit(self, tx: Conn, actor: Member, action: str, spec: ChartSpec) -> None:
        await audit.record(
            tx,
            at=self._clock.now(),
            actor_id=actor.user_id,
            action=action,
            target="chart",
            outcome=Outcome.CHANGED,
            detail=f"country {spec.country or 'all'}, since {spec.since or 'all years'}",
        )
