"""Which cases' anniversaries the campaign calendar posts, and the switches coordinators set.

Cases reported in the bot have an anniversary unless a coordinator switched it off. Imported
cases have none until a coordinator switches the case on, or its whole country: an import of
decades of history must not fill the campaign channel the next morning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from network_bot.clock import iso
from network_bot.store.cases import CaseRecord, _record
from network_bot.store.db import Conn
from network_bot.vocabulary import Violation


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


async def due(
    conn: Conn, *, month_day: str, before: date, violations: Sequence[Violation]
) -> list[CaseRecord]:
    """Verified cases whose incident fell on this month and day in an earlier year, and whose
    anniversary is on. Only dates known to the day (not approximately, not a month alone) have
    one."""
    marks = ",".join("?" for _ in violations)
    rows = await conn.fetch_all(
        f"""
        SELECT * FROM cases c
         WHERE status = 'verified' AND substr(incident_date, 6, 5) = ?
           AND incident_date < ? AND violation IN ({marks})
           AND date_precision = 'day' AND date_approximate = 0
           AND (anniversary = 'on'
                OR (anniversary IS NULL
                    AND (NOT EXISTS (SELECT 1 FROM case_imports i WHERE i.case_id = c.id)
                         OR country IN (SELECT country FROM anniversary_countries))))
         ORDER BY country, incident_date
        """,
        (month_day, before.isoformat(), *[v.value for v in violations]),
    )
    return [_record(r) for r in rows]


async def set_case(conn: Conn, *, case_id: int, switch: Switch, now: datetime) -> None:
    await conn.execute(
        "UPDATE cases SET anniversary = ?, updated_at = ? WHERE id = ?",
        (switch.value, iso(now), case_id),
    )


async def set_country(conn: Conn, *, country: str, switch: Switch, by: str, now: datetime) -> bool:
    """Switch a country's imported cases on or off; False if it already was."""
    if switch is Switch.ON:
        sql = (
            "INSERT INTO anniversary_countries (country, set_by, set_at) VALUES (?, ?, ?) "
            "ON CONFLICT (country) DO NOTHING"
        )
        return await conn.execute_rowcount(sql, (country, by, iso(now))) == 1
    return (
        await conn.execute_rowcount(
            "DELETE FROM anniversary_countries WHERE country = ?", (country,)
        )
        == 1
    )


async def countries_on(conn: Conn) -> list[str]:
    rows = await conn.fetch_all("SELECT country FROM anniversary_countries ORDER BY country")
    return [str(r[0]) for r in rows]


async def is_imported(conn: Conn, case_id: int) -> bool:
    found = await conn.fetch_value("SELECT 1 FROM case_imports WHERE case_id = ?", (case_id,))
    return found is not None


async def imported_count(conn: Conn, country: str) -> int:
    """Imported verified cases in the country (what a country switch affects)."""
    return int(
        await conn.fetch_value(
            "SELECT count(*) FROM cases c JOIN case_imports i ON i.case_id = c.id "
            "WHERE c.country = ? AND c.status = 'verified'",
            (country,),
        )
    )
