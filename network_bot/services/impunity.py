"""How long justice has waited: the impunity clock for killings, the wait for a result otherwise.

CPJ's impunity classification (complete impunity, partial impunity, full justice) is about
murders, so only a killing gets an impunity status and an impunity clock (days since the killing
without a full conviction). Every other violation is described by its justice-process stage and
by how long it has gone without a result (a conviction or an acquittal), in words that do not
borrow CPJ's.
"""

from __future__ import annotations

from datetime import date

from network_bot.i18n import Messages
from network_bot.vocabulary import Impunity, Stage, Violation, impunity_of

RESULTS = frozenset({Stage.CONVICTED_PARTIAL, Stage.CONVICTED_FULL, Stage.ACQUITTED})
ENDED_WITHOUT_RESULT = frozenset({Stage.CLOSED, Stage.TIME_BARRED})


def counts_impunity(violation: Violation) -> bool:
    """Whether CPJ's impunity rule applies: to killings only."""
    return violation is Violation.KILLING


def impunity_for(violation: Violation, stage: Stage) -> Impunity | None:
    """CPJ's classification of a killing at this stage; None for every other violation."""
    return impunity_of(stage) if counts_impunity(violation) else None


def impunity_days(*, incident: date, stage: Stage, today: date) -> int | None:
    """Days a killing's impunity clock has run; ``None`` once everyone responsible has been
    convicted. Callers apply it to killings only (see :func:`counts_impunity`)."""
    if impunity_of(stage) is Impunity.FULL_JUSTICE:
        return None
    return max(0, (today - incident).days)


def days_without_result(*, incident: date, stage: Stage, today: date) -> int | None:
    """Days since the incident while the justice process has no result; None once it has one
    or has ended without one."""
    if stage in RESULTS or stage in ENDED_WITHOUT_RESULT:
        return None
    return max(0, (today - incident).days)


def _years(days: int, lang: Messages) -> str:
    years = days // 365
    return " " + lang.ngettext("(over {n} year)", "(over {n} years)", years) if years else ""


def clock_text(
    *, violation: Violation, incident: date, stage: Stage, today: date, lang: Messages
) -> str:
    """One line on how long justice has waited, in the words that fit the violation."""
    if counts_impunity(violation):
        days = impunity_days(incident=incident, stage=stage, today=today)
        if days is None:
            return lang.gettext("Full justice: the clock has stopped.")
        text = lang.ngettext("{n} day without full justice", "{n} days without full justice", days)
        return text + _years(days, lang)
    waiting = days_without_result(incident=incident, stage=stage, today=today)
    if waiting is not None:
        text = lang.ngettext("{n} day without a result", "{n} days without a result", waiting)
        return text + _years(waiting, lang)
    if stage in RESULTS:
        return lang.gettext("The justice process reached a result: {stage}.", stage=stage)
    return lang.gettext("The justice process ended without a result: {stage}.", stage=stage)
