"""The campaign desk's rules: emblematic cases, UNESCO's requests and the states' answers, the
roll-up of what each state owes, and the lobbying alert drafted from it.

Changes are for coordinators: every changing method takes the acting member and refuses anyone
below coordinator itself, whatever the caller checked before. Reads feed member-facing views,
so they only ever count or list verified cases, and hand out ``PublicCase`` records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from network_bot.clock import Clock
from network_bot.i18n import say
from network_bot.names import named_parts
from network_bot.refusal import Refusal
from network_bot.roles import Role, require
from network_bot.services.cases import normalise_id
from network_bot.store import audit, cases
from network_bot.store import campaign as store
from network_bot.store.audit import Outcome
from network_bot.store.campaign import CountryDebt, StateAnswer, UnescoEntry
from network_bot.store.cases import CaseRecord, PublicCase
from network_bot.store.db import Conn, Database
from network_bot.store.members import Member
from network_bot.visibility import not_found
from network_bot.vocabulary import Status, Violation

FIRST_CYCLE = 2008  # the Director-General's first report on the safety of journalists
CASES_NAMED_PER_COUNTRY = 3
MAX_ALERT_COUNTRIES = 60  # the alert form's country list takes up to 60


AHEAD = say("That date is ahead.")


class CampaignError(Refusal):
    """Something the person must fix or know; ``field`` names a modal input when there is one."""


@dataclass(frozen=True, kw_only=True)
class UnescoInput:
    cycle: int
    requested_on: date
    answer: StateAnswer
    answered_on: date | None = None
    source_url: str = ""


@dataclass(frozen=True, kw_only=True)
class CampaignFacts:
    """What a case card shows of the campaign: the badge and UNESCO's request, if any."""

    emblematic: bool
    unesco: tuple[UnescoEntry, ...] = ()


@dataclass(frozen=True, kw_only=True)
class LobbyingDraft:
    """What a lobbying alert is drafted from (nothing is sent here): the countries whose states
    owe UNESCO an answer, most owed first, and the oldest unanswered killings named in each.
    The renderer (``network_bot/blocks/lobbying.py``) writes it in the coordinator's words."""

    owing: tuple[CountryDebt, ...]
    named: Mapping[str, tuple[PublicCase, ...]]
    cycle: int | None = None

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(d.country for d in self.owing)

    @property
    def killings(self) -> int:
        return sum(d.unanswered for d in self.owing)


def _names_withheld_victim(record: CaseRecord, text: str) -> bool:
    """The same rule as the report form's: no part of a withheld name, any case or accents."""
    if not record.victim_withheld or not record.victim_names.strip():
        return False
    return bool(named_parts(text, record.victim_names))


class Campaign:
    def __init__(self, *, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # ------------------------------------------------------------------ emblematic cases

    async def set_emblematic(self, actor: Member, public_id: str, *, on: bool) -> CaseRecord:
        """Mark (or unmark) a verified case as one the campaign carries all year; audited."""
        require(actor, Role.COORDINATOR)
        public_id = normalise_id(public_id)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await self._verified(tx, public_id)
            changed = await store.set_emblematic(
                tx, case_id=record.id, on=on, by=actor.user_id, now=now
            )
            if not changed:
                raise CampaignError(
                    say("*{id}* is already emblematic. Nothing was changed.", id=record.public_id)
                    if on
                    else say("*{id}* is not emblematic. Nothing was changed.", id=record.public_id)
                )
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="case.emblematic" if on else "case.emblematic_off",
                target=record.public_id,
                outcome=Outcome.CHANGED,
            )
        return record

    async def emblematic(self, *, limit: int = 50) -> list[PublicCase]:
        return [PublicCase.of(r) for r in await store.emblematic_cases(self._db.read, limit=limit)]

    async def facts(self, case_id: int) -> CampaignFacts:
        """For the card of a case the viewer may already see (the caller checked)."""
        db = self._db.read
        record = await cases.get(db, case_id)
        if record is None or record.status is not Status.VERIFIED:
            return CampaignFacts(emblematic=False)
        return CampaignFacts(
            emblematic=await store.is_emblematic(db, case_id),
            unesco=tuple(await store.unesco_for_case(db, case_id)),
        )

    # ------------------------------------------------------------------ UNESCO requests

    async def unesco_case(
        self, actor: Member, public_id: str
    ) -> tuple[PublicCase, list[UnescoEntry]]:
        """The killing and what is on record for it, to fill in the form."""
        require(actor, Role.COORDINATOR)
        record = await self._verified(self._db.read, normalise_id(public_id))
        self._killing(record)
        return PublicCase.of(record), await store.unesco_for_case(self._db.read, record.id)

    async def record_unesco(self, actor: Member, public_id: str, given: UnescoInput) -> UnescoEntry:
        """Save UNESCO's request for a cycle and the state's answer (or that none came)."""
        require(actor, Role.COORDINATOR)
        today = self._clock.now().date()
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await self._verified(tx, normalise_id(public_id))
            self._killing(record)
            self._check(record, given, today=today)
            entry = UnescoEntry(
                case_id=record.id,
                cycle=given.cycle,
                requested_on=given.requested_on,
                answer=given.answer,
                answered_on=given.answered_on if given.answer is not StateAnswer.NONE else None,
                source_url=given.source_url,
                recorded_by=actor.user_id,
                recorded_at=now,
            )
            await store.save_unesco(tx, entry)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="case.unesco",
                target=record.public_id,
                outcome=Outcome.CHANGED,
                detail=f"cycle {given.cycle}: {given.answer.value}",
            )
        return entry

    def _check(self, record: CaseRecord, given: UnescoInput, *, today: date) -> None:
        if not FIRST_CYCLE <= given.cycle <= today.year + 2:
            raise CampaignError(
                say(
                    "The report cycle should be a year from {first} to {last}.",
                    first=str(FIRST_CYCLE),
                    last=str(today.year + 2),
                ),
                field="cycle",
            )
        if given.requested_on > today:
            raise CampaignError(AHEAD, field="requested_on")
        if given.requested_on < record.incident_date:
            raise CampaignError(
                say(
                    "UNESCO cannot have asked before the killing ({day}).",
                    day=record.incident_date.isoformat(),
                ),
                field="requested_on",
            )
        if given.answer is StateAnswer.NONE:
            if given.answered_on is not None:
                raise CampaignError(
                    say(
                        "Leave the answer date empty while the state has not answered, or choose "
                        "the status it gave."
                    ),
                    field="answered_on",
                )
        elif given.answered_on is None:
            raise CampaignError(say("When did the state answer?"), field="answered_on")
        elif given.answered_on > today:
            raise CampaignError(AHEAD, field="answered_on")
        elif given.answered_on < given.requested_on:
            raise CampaignError(
                say("The answer can't come before the request."), field="answered_on"
            )
        if given.source_url and _names_withheld_victim(record, given.source_url):
            raise CampaignError(
                say(
                    "This link names the victim, whose name is withheld. Use a link that does "
                    "not (or leave it empty)."
                ),
                field="source_url",
            )

    # ------------------------------------------------------------------ what states owe

    async def rollup(
        self, *, country: str | None = None, cycle: int | None = None, since: date | None = None
    ) -> list[CountryDebt]:
        """Per country, over verified killings only: see ``store.campaign.rollup``."""
        return await store.rollup(self._db.read, country=country, cycle=cycle, since=since)

    async def lobbying_draft(
        self, actor: Member, *, country: str | None = None, cycle: int | None = None
    ) -> LobbyingDraft:
        """An alert to members in the countries whose states have not answered, naming the
        oldest unanswered killings there and what is asked. The roll-up is read again here:
        a button carries filters, never figures."""
        require(actor, Role.COORDINATOR)
        owing = [d for d in await self.rollup(country=country, cycle=cycle) if d.unanswered]
        if not owing:
            raise CampaignError(
                say("Every state in this roll-up has answered UNESCO: there is nobody to lobby.")
            )
        owing = owing[:MAX_ALERT_COUNTRIES]
        named = await store.unanswered_killings(
            self._db.read,
            countries=[d.country for d in owing],
            cycle=cycle,
            per_country=CASES_NAMED_PER_COUNTRY,
        )
        by_country: dict[str, list[PublicCase]] = {}
        for record in named:
            by_country.setdefault(record.country, []).append(PublicCase.of(record))
        return LobbyingDraft(
            owing=tuple(owing),
            named={code: tuple(found) for code, found in by_country.items()},
            cycle=cycle,
        )

    # ------------------------------------------------------------------ helpers

    async def _verified(self, conn: Conn, public_id: str) -> CaseRecord:
        record = await cases.get_by_public_id(conn, public_id)
        if record is None:
            raise CampaignError(not_found(public_id))
        if record.status is not Status.VERIFIED:
            raise CampaignError(
                say(
                    "*{id}* is not verified yet: only verified cases belong to the campaign.",
                    id=record.public_id,
                )
            )
        return record

    @staticmethod
    def _killing(record: CaseRecord) -> None:
        if record.violation is not Violation.KILLING:
            raise CampaignError(
                say(
                    "*{id}* is a case of {violation}. UNESCO's requests to states are about "
                    "killings.",
                    id=record.public_id,
                    violation=record.violation,
                )
            )
