"""A case's date as people should read it: to the precision it is known, never a made-up day.

A date known to the day is shown as ``2016-10-02`` (as every card does); "December 1992" for a
month, "1992" for a year, "October 2015 to June 2016" for a range, and ", approximate" when the
source gave alternatives ("June or July 1993" is shown as "June 1993, approximate").
"""

from __future__ import annotations

from datetime import date, timedelta

from network_bot.store.cases import PublicCase
from network_bot.vocabulary import DatePrecision

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_text(
    start: date, precision: DatePrecision, end: date | None = None, approximate: bool = False
) -> str:
    if precision is DatePrecision.MONTH:
        text = f"{MONTHS[start.month - 1]} {start.year}"
    elif precision is DatePrecision.YEAR:
        text = str(start.year)
    elif precision is DatePrecision.RANGE and end is not None:
        text = f"{_range_end(start, end, first=True)} to {_range_end(start, end, first=False)}"
    else:
        text = start.isoformat()
    return f"{text}, approximate" if approximate else text


def _range_end(start: date, end: date, *, first: bool) -> str:
    """One end of a range, as precise as the range: whole months are shown as months."""
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months:
        moment = start if first else end
        return f"{MONTHS[moment.month - 1]} {moment.year}"
    return (start if first else end).isoformat()


def case_date(case: PublicCase) -> str:
    """The case's date to the precision it is known ("June 1993, approximate")."""
    return date_text(case.incident_date, case.date_precision, case.date_end, case.date_approximate)
