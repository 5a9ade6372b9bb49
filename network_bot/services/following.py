"""Following cases and countries: who gets told when something happens."""

from __future__ import annotations

from dataclasses import dataclass

from network_bot.blocks import kit
from network_bot.clock import Clock
from network_bot.data import countries
from network_bot.i18n import say
from network_bot.refusal import Refusal
from network_bot.store import cases, follows
from network_bot.store.cases import CaseRecord, PublicCase
from network_bot.store.db import Database
from network_bot.store.members import Member
from network_bot.visibility import can_see, visible_or_refuse


class FollowError(Refusal):
    """Cannot follow or unfollow that; the message says why."""


@dataclass(frozen=True, kw_only=True)
class Followed:
    cases: list[PublicCase]
    countries: list[str]
    total_cases: int


class Following:
    def __init__(self, *, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def _case(self, member: Member, public_id: str) -> CaseRecord:
        record = await cases.get_by_public_id(self._db.read, public_id.strip().upper())
        return visible_or_refuse(member, record, public_id)

    @staticmethod
    def _country(code: str) -> str:
        found = countries.find(code)
        if found is None:
            raise FollowError(
                say(
                    "`{code}` is not a country. Use a two-letter code like `country:PK`.",
                    code=kit.escape(code[:30]),
                )
            )
        return found.code

    async def follow_case(self, member: Member, public_id: str) -> tuple[CaseRecord, bool]:
        record = await self._case(member, public_id)
        async with self._db.transaction() as tx:
            new = await follows.follow_case(
                tx, user_id=member.user_id, case_id=record.id, now=self._clock.now()
            )
        return record, new

    async def follow_country(self, member: Member, code: str) -> tuple[str, bool]:
        country = self._country(code)
        async with self._db.transaction() as tx:
            new = await follows.follow_country(
                tx, user_id=member.user_id, country=country, now=self._clock.now()
            )
        return country, new

    async def unfollow_case(self, member: Member, public_id: str) -> tuple[str, bool]:
        """Stop following a case; one the member may not see is answered as a missing one
        (saying "you were not following it" would confirm that an unverified report exists)."""
        record = await self._case(member, public_id)
        async with self._db.transaction() as tx:
            gone = await follows.unfollow_case(tx, user_id=member.user_id, case_id=record.id)
        return record.public_id, gone

    async def unfollow_country(self, member: Member, code: str) -> tuple[str, bool]:
        country = self._country(code)
        async with self._db.transaction() as tx:
            gone = await follows.unfollow_country(tx, user_id=member.user_id, country=country)
        return country, gone

    async def followed(self, member: Member, *, offset: int = 0, limit: int = 20) -> Followed:
        """What a member follows; cases they can no longer see are left out."""
        ids = await follows.case_ids_of(self._db.read, member.user_id)
        records = {r.id: r for r in await cases.get_many(self._db.read, ids)}
        visible = [records[i] for i in ids if i in records and can_see(member, records[i])]
        return Followed(
            cases=[PublicCase.of(r) for r in visible[offset : offset + limit]],
            countries=await follows.countries_of(self._db.read, member.user_id),
            total_cases=len(visible),
        )

    async def is_following(self, member: Member, case_id: int) -> bool:
        return await follows.follows_case(self._db.read, user_id=member.user_id, case_id=case_id)

    async def follower_count(self, case_id: int) -> int:
        return await follows.case_follower_count(self._db.read, case_id)
