"""What a member's App Home shows: what they follow, their reports, calls they have not
answered; and for coordinators the review queue, proposals and delivery failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from network_bot.clock import Clock
from network_bot.roles import Role
from network_bot.services.following import Followed, Following
from network_bot.store import alerts, campaign, cases, outbox, updates
from network_bot.store.alerts import Alert
from network_bot.store.cases import PublicCase
from network_bot.store.db import Database
from network_bot.store.members import Member
from network_bot.store.outbox import Delivery
from network_bot.store.updates import CaseUpdate

FOLLOWED_PER_PAGE = 20
OPEN_CALLS_DAYS = 30
EMBLEMATIC = 11  # ten shown, and whether there are more


@dataclass(frozen=True, kw_only=True)
class HomeData:
    member: Member
    followed: Followed
    offset: int
    reports: list[PublicCase]
    open_calls: list[Alert]
    emblematic: list[PublicCase] = field(default_factory=list)
    review_queue: list[PublicCase] = field(default_factory=list)
    review_waiting: int = 0
    proposals: list[tuple[str, CaseUpdate]] = field(default_factory=list)
    failures: list[Delivery] = field(default_factory=list)


class Home:
    def __init__(self, *, db: Database, clock: Clock, following: Following) -> None:
        self._db = db
        self._clock = clock
        self._following = following

    async def load(self, member: Member, *, offset: int = 0) -> HomeData:
        db = self._db.read
        now = self._clock.now()
        data = HomeData(
            member=member,
            followed=await self._following.followed(member, offset=offset, limit=FOLLOWED_PER_PAGE),
            offset=offset,
            reports=[PublicCase.of(r) for r in await cases.by_reporter(db, member.user_id)],
            open_calls=await alerts.unanswered_for(
                db,
                user_id=member.user_id,
                today=now.date(),
                since=now - timedelta(days=OPEN_CALLS_DAYS),
            ),
            emblematic=[
                PublicCase.of(r) for r in await campaign.emblematic_cases(db, limit=EMBLEMATIC)
            ],
        )
        if not member.role.allows(Role.COORDINATOR):
            return data
        proposals = await updates.proposed(db)
        case_ids = {p.case_id for p in proposals}
        names = {r.id: r.public_id for r in await cases.get_many(db, list(case_ids))}
        return HomeData(
            member=data.member,
            followed=data.followed,
            offset=offset,
            reports=data.reports,
            open_calls=data.open_calls,
            emblematic=data.emblematic,
            review_queue=[PublicCase.of(r) for r in await cases.review_queue(db)],
            review_waiting=await cases.review_waiting(db),
            proposals=[(names.get(p.case_id, "?"), p) for p in proposals],
            failures=await outbox.recent_failures(db, limit=10),
        )
