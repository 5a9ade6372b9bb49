"""Killings by country and judicial status: the sheet the network takes to states before the
UNESCO Director-General's report on the safety of journalists and the danger of impunity.

UNESCO's observatory classes each killing's judicial status as *resolved*, *ongoing/unresolved*
or *no information received*, from what the state answered to UNESCO's request. The layout uses
the answers coordinators recorded (``/case ID unesco``), each killing's latest answer by report
cycle:

========================  =================================================================
judicial status           when
========================  =================================================================
``resolved``              the state answered that the case is resolved
``ongoing``               the state answered that it is ongoing / unresolved
``no_information``        no answer is on record: the state has told UNESCO nothing, which is
                          what the network's lobbying asks it to change
========================  =================================================================

The network's own view of each case (its justice stage, CPJ's impunity class) is in the
per-case export, not here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from network_bot.data import countries
from network_bot.exports.rows import CHUNK_ROWS, ExportFilters
from network_bot.store.db import Database
from network_bot.vocabulary import Violation


class JudicialStatus(StrEnum):
    RESOLVED = "resolved"
    ONGOING = "ongoing"
    NO_INFORMATION = "no_information"


def judicial_status(answer: str | None) -> JudicialStatus:
    """UNESCO's class for a killing, from the state's latest recorded answer (if any)."""
    if answer == "resolved":
        return JudicialStatus.RESOLVED
    if answer == "ongoing":
        return JudicialStatus.ONGOING
    return JudicialStatus.NO_INFORMATION


class UnescoRow(BaseModel):
    """One country: how many killings, how many in each judicial status, and which cases."""

    model_config = ConfigDict(frozen=True)

    country: str
    country_name: str
    killings: int
    resolved: int
    ongoing: int
    no_information: int
    resolved_cases: tuple[str, ...]
    ongoing_cases: tuple[str, ...]
    no_information_cases: tuple[str, ...]


async def unesco_rows(
    db: Database, *, filters: ExportFilters, chunk: int = CHUNK_ROWS
) -> AsyncIterator[UnescoRow]:
    """One row per country with a killing matching ``filters``, by country code. Cases are read
    ``chunk`` at a time (keyset on country, id); only one country's IDs are held at once."""
    where, base = filters.where(violation=Violation.KILLING)
    where.append("(c.country, c.id) > (?, ?)")
    sql = (
        "SELECT c.id, c.public_id, c.country, (SELECT u.answer FROM unesco_requests u "
        "WHERE u.case_id = c.id AND u.answer != 'none' ORDER BY u.cycle DESC LIMIT 1) "
        f"AS answer FROM cases c WHERE {' AND '.join(where)} ORDER BY c.country, c.id LIMIT ?"
    )
    current: str | None = None
    ids: dict[JudicialStatus, list[str]] = {s: [] for s in JudicialStatus}
    after: tuple[str, int] = ("", 0)
    while True:
        rows = await db.read.fetch_all(sql, [*base, *after, chunk])
        for row in rows:
            if row["country"] != current:
                if current is not None:
                    yield _row(current, ids)
                current = row["country"]
                ids = {s: [] for s in JudicialStatus}
            ids[judicial_status(row["answer"])].append(row["public_id"])
        if len(rows) < chunk:
            break
        after = (rows[-1]["country"], int(rows[-1]["id"]))
    if current is not None:
        yield _row(current, ids)


def _row(code: str, ids: dict[JudicialStatus, list[str]]) -> UnescoRow:
    country = countries.by_code(code)
    return UnescoRow(
        country=code,
        country_name=country.name if country else code,
        killings=sum(len(v) for v in ids.values()),
        resolved=len(ids[JudicialStatus.RESOLVED]),
        ongoing=len(ids[JudicialStatus.ONGOING]),
        no_information=len(ids[JudicialStatus.NO_INFORMATION]),
        resolved_cases=tuple(ids[JudicialStatus.RESOLVED]),
        ongoing_cases=tuple(ids[JudicialStatus.ONGOING]),
        no_information_cases=tuple(ids[JudicialStatus.NO_INFORMATION]),
    )
