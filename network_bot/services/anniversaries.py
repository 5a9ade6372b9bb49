"""Coordinators choose which anniversaries the campaign calendar posts.

Cases reported in the bot are remembered by default; imported history is not, until a
coordinator switches a case on (``/case ID anniversary on``) or a whole country
(``/network anniversaries country:XX on``), so an import of decades never floods the campaign
channel. Every switch is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from network_bot.blocks import kit
from network_bot.blocks.dates import FuzzyDay
from network_bot.clock import Clock
from network_bot.data import countries
from network_bot.i18n import CountryName, Messages, Text, english, say, say_n
from network_bot.refusal import Refusal
from network_bot.roles import Role, require
from network_bot.services.cases import normalise_id
from network_bot.store import anniversaries, audit, cases
from network_bot.store.anniversaries import Switch
from network_bot.store.audit import Outcome
from network_bot.store.db import Database
from network_bot.store.members import Member
from network_bot.visibility import not_found
from network_bot.vocabulary import DatePrecision


@dataclass(frozen=True, kw_only=True)
class CountrySwitches:
    countries_on: list[str]
    imported_on: dict[str, int]


class Anniversaries:
    def __init__(self, *, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def switch_case(self, actor: Member, public_id: str, switch: Switch) -> Text:
        """Set the case's anniversary; the sentence to answer with."""
        require(actor, Role.COORDINATOR)
        public_id = normalise_id(public_id)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await cases.get_by_public_id(tx, public_id)
            if record is None:
                raise Refusal(not_found(public_id))
            await anniversaries.set_case(tx, case_id=record.id, switch=switch, now=now)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action=f"case.anniversary_{switch.value}",
                target=public_id,
                outcome=Outcome.CHANGED,
            )
        when = FuzzyDay(
            record.incident_date, record.date_precision, record.date_end, record.date_approximate
        )
        if switch is Switch.OFF:
            return say(
                "*{id}*: its anniversary is not posted to the campaign channel any more.",
                id=public_id,
            )
        if record.date_precision is not DatePrecision.DAY or record.date_approximate:
            return say(
                "*{id}*: switched on, but its date is known only as {day}, so there is no day "
                "to remember it on; the calendar will not post it.",
                id=public_id,
                day=when,
            )
        return say(
            "*{id}*: its anniversary ({day}) is posted to the campaign channel each year.",
            id=public_id,
            day=DayOfYear(record.incident_date),
        )

    async def switch_country(self, actor: Member, code: str, switch: Switch) -> Text:
        require(actor, Role.COORDINATOR)
        country = countries.by_code(code)
        if country is None:
            raise Refusal(
                say(
                    "`{code}` is not a country code. Use ISO codes like `PK`.",
                    code=kit.escape(code[:10]),
                )
            )
        now = self._clock.now()
        async with self._db.transaction() as tx:
            changed = await anniversaries.set_country(
                tx, country=country.code, switch=switch, by=actor.user_id, now=now
            )
            if changed:
                await audit.record(
                    tx,
                    at=now,
                    actor_id=actor.user_id,
                    action=f"country.anniversaries_{switch.value}",
                    target=country.code,
                    outcome=Outcome.CHANGED,
                )
        count = await anniversaries.imported_count(self._db.read, country.code)
        name = CountryName(country.code)
        if switch is Switch.ON:
            if not changed:
                return say_n(
                    "Anniversaries of the {n} imported case in {country} were already posted; "
                    "a case switched off stays off.",
                    "Anniversaries of the {n} imported cases in {country} were already posted; "
                    "a case switched off stays off.",
                    count,
                    country=name,
                )
            return say_n(
                "Anniversaries of the {n} imported case in {country} are posted from now on; "
                "a case switched off stays off.",
                "Anniversaries of the {n} imported cases in {country} are posted from now on; "
                "a case switched off stays off.",
                count,
                country=name,
            )
        if not changed:
            return say(
                "Anniversaries of imported cases in {country} were not posted; cases switched "
                "on one by one still are.",
                country=name,
            )
        return say(
            "Anniversaries of imported cases in {country} are not posted any more; cases "
            "switched on one by one still are.",
            country=name,
        )

    async def country_switches(self, actor: Member) -> CountrySwitches:
        require(actor, Role.COORDINATOR)
        on = await anniversaries.countries_on(self._db.read)
        return CountrySwitches(
            countries_on=on,
            imported_on={c: await anniversaries.imported_count(self._db.read, c) for c in on},
        )


@dataclass(frozen=True, slots=True)
class DayOfYear:
    """The day and month a case is remembered on, in the reader's words (``2 November``)."""

    day: date

    def say_in(self, lang: Messages) -> str:
        return lang.day_month(self.day)

    def __str__(self) -> str:
        return self.say_in(english())
