"""Dates as people write them in spreadsheets, to a first day, a last day and a precision.

"February 9, 1998" is a day; "December, 1992" a month; "1992" a year; "June or July 1993" a
month, approximate (June to July); "May 2 or 3, 2012" a day, approximate (2 to 3 May);
"October 2015 - June 2016" a range. No day is invented: a month is stored as its first and last
day with precision ``month``, and shown as "December 1992". "Date unknown" and other text are
refused with the reason.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from network_bot.i18n import Text, say
from network_bot.vocabulary import DatePrecision

MONTH_NAMES = (
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
MONTHS = {
    **{name.lower(): n for n, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}

UNKNOWN = frozenset({"", "unknown", "date unknown", "unknown date", "n/a", "na", "-", "?"})
HEDGES = ("approximately ", "approx ", "about ", "around ", "circa ", "c ", "ca ")
EARLIEST_YEAR = 1800

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DAY = re.compile(r"^(?P<month>[a-z]+) (?P<day>\d{1,2})(?: or (?P<day2>\d{1,2}))? (?P<year>\d{4})$")
_DAY_FIRST = re.compile(r"^(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})$")
_DAYS = re.compile(
    r"^(?P<month>[a-z]+) (?P<day>\d{1,2}) ?(?:-|\u2013|\u2014| to ) ?(?P<day2>\d{1,2}) "
    r"(?P<year>\d{4})$"
)
_MONTH = re.compile(r"^(?P<month>[a-z]+)(?: or (?P<month2>[a-z]+))? (?P<year>\d{4})$")
_YEAR = re.compile(r"^(?P<year>\d{4})(?: or (?P<year2>\d{4}))?$")
_RANGE = re.compile(r"\s+(?:-|\u2013|\u2014|to|until)\s+|\s*[\u2013\u2014]\s*")


class DateProblem(ValueError):
    """The text is not a date the bot can record; ``text`` says why, in any language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    start: date
    end: date
    precision: DatePrecision
    approximate: bool = False


def parse(text: str, *, today: date) -> FuzzyDate:
    """The date ``text`` gives, or :class:`DateProblem` saying why there is none."""
    plain = " ".join(text.replace(",", " ").replace(".", " ").split()).lower()
    if plain in UNKNOWN:
        if not text.strip():
            raise DateProblem(
                say("no date (the file says nothing); the record needs at least a year")
            )
        raise DateProblem(
            say(
                'no date (the file says "{given}"); the record needs at least a year',
                given=text.strip()[:40],
            )
        )
    approximate = False
    for hedge in HEDGES:
        if plain.startswith(hedge):
            plain, approximate = plain.removeprefix(hedge), True
    found = _single(plain)
    if found is None:
        found = _range(plain)
    if found is None:
        raise DateProblem(say('cannot read the date "{given}"', given=text.strip()[:60]))
    if approximate and not found.approximate:
        found = FuzzyDate(found.start, found.end, found.precision, approximate=True)
    if found.start.year < EARLIEST_YEAR:
        raise DateProblem(
            say(
                'the date "{given}" is before {year}',
                given=text.strip()[:60],
                year=str(EARLIEST_YEAR),
            )
        )
    if found.start > today:
        raise DateProblem(say('the date "{given}" is in the future', given=text.strip()[:60]))
    if found.end > today:
        found = FuzzyDate(found.start, today, found.precision, found.approximate)
    return found


def _single(plain: str) -> FuzzyDate | None:
    iso = _ISO.match(plain)
    if iso:
        day = _day(int(iso[1]), int(iso[2]), int(iso[3]))
        return FuzzyDate(day, day, DatePrecision.DAY)
    match = _DAY.match(plain) or _DAY_FIRST.match(plain)
    if match and match["month"] in MONTHS:
        year, month = int(match["year"]), MONTHS[match["month"]]
        first = _day(year, month, int(match["day"]))
        second = match.groupdict().get("day2")
        last = _day(year, month, int(second)) if second else first
        if last < first:
            raise DateProblem(say('"{given}": the second day is before the first', given=plain))
        return FuzzyDate(first, last, DatePrecision.DAY, approximate=bool(second))
    match = _DAYS.match(plain)
    if match and match["month"] in MONTHS:
        year, month = int(match["year"]), MONTHS[match["month"]]
        first, last = _day(year, month, int(match["day"])), _day(year, month, int(match["day2"]))
        if last < first:
            raise DateProblem(say('"{given}": the range ends before it starts', given=plain))
        return FuzzyDate(first, last, DatePrecision.RANGE)
    match = _MONTH.match(plain)
    if match and match["month"] in MONTHS:
        year = int(match["year"])
        other = match["month2"]
        if other is not None and other not in MONTHS:
            return None
        first = date(year, MONTHS[match["month"]], 1)
        last = _month_end(year, MONTHS[other or match["month"]])
        if last < first:
            raise DateProblem(say('"{given}": the second month is before the first', given=plain))
        return FuzzyDate(first, last, DatePrecision.MONTH, approximate=other is not None)
    match = _YEAR.match(plain)
    if match:
        first_year = int(match["year"])
        last_year = int(match["year2"] or first_year)
        if last_year < first_year:
            raise DateProblem(say('"{given}": the second year is before the first', given=plain))
        return FuzzyDate(
            date(first_year, 1, 1),
            date(last_year, 12, 31),
            DatePrecision.YEAR,
            approximate=match["year2"] is not None,
        )
    return None


def _range(plain: str) -> FuzzyDate | None:
    """ "October 2015 - June 2016", "March 3 to March 5 2014", "March 2014 - 2015"."""
    parts = _RANGE.split(plain)
    if len(parts) != 2 or not all(parts):
        return None
    left, right = (_single(p) for p in parts)
    if right is None:
        return None
    if left is None:  # "March 3 - 5 2014": the left side borrows the right one's year
        year = str(right.start.year)
        left = _single(f"{parts[0]} {year}")
        if left is None:
            return None
    if right.end < left.start:
        raise DateProblem(say('"{given}": the range ends before it starts', given=plain))
    return FuzzyDate(left.start, right.end, DatePrecision.RANGE)


def _day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        month_name = MONTH_NAMES[month - 1] if 1 <= month <= 12 else f"month {month}"
        raise DateProblem(
            say(
                "there is no day {day} in {month} {year}",
                day=str(day),
                month=month_name,
                year=str(year),
            )
        ) from None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
