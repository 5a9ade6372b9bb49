"""A case's date as people should read it: to the precision it is known, never a made-up day.

A date known to the day is shown in the reader's date format (Babel's); a month as "December
1992" (``décembre 1992``, ``ديسمبر 1992``), a year as "1992", a range as "October 2015 to June
2016", and ", approximate" when the source gave alternatives ("June or July 1993" is shown as
"June 1993, approximate").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_skeleton

from network_bot.i18n import Messages, english
from network_bot.store.cases import PublicCase
from network_bot.vocabulary import DatePrecision


def _month(moment: date, lang: Messages) -> str:
    return str(format_skeleton("yMMMM", moment, locale=lang.locale))


def date_text(
    start: date,
    precision: DatePrecision,
    end: date | None = None,
    approximate: bool = False,
    *,
    lang: Messages,
) -> str:
    if precision is DatePrecision.MONTH:
        text = _month(start, lang)
    elif precision is DatePrecision.YEAR:
        text = str(start.year)
    elif precision is DatePrecision.RANGE and end is not None:
        text = lang.gettext(
            "{start} to {end}",
            start=_range_end(start, end, first=True, lang=lang),
            end=_range_end(start, end, first=False, lang=lang),
        )
    else:
        text = lang.date(start)
    return lang.gettext("{day}, approximate", day=text) if approximate else text


def _range_end(start: date, end: date, *, first: bool, lang: Messages) -> str:
    """One end of a range, as precise as the range: whole months are shown as months."""
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    moment = start if first else end
    return _month(moment, lang) if whole_months else lang.date(moment)


@dataclass(frozen=True, slots=True)
class FuzzyDay:
    """A date to the precision it is known, said in the reader's language when the sentence
    holding it is said (a service's answer carries it)."""

    start: date
    precision: DatePrecision
    end: date | None = None
    approximate: bool = False

    def say_in(self, lang: Messages) -> str:
        return date_text(self.start, self.precision, self.end, self.approximate, lang=lang)

    def __str__(self) -> str:
        return self.say_in(english())


def case_date(case: PublicCase, lang: Messages) -> str:
    """The case's date to the precision it is known ("June 1993, approximate")."""
    return date_text(
        case.incident_date,
        case.date_precision,
        case.date_end,
        case.date_approximate,
        lang=lang,
    )
