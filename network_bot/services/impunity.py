"""The impunity clock: days since the incident without a full conviction."""

from __future__ import annotations

from datetime import date

from network_bot.i18n import Messages
from network_bot.vocabulary import Impunity, Stage, impunity_of


def impunity_days(*, incident: date, stage: Stage, today: date) -> int | None:
    """Days the clock has run; ``None`` once everyone responsible has been convicted."""
    if impunity_of(stage) is Impunity.FULL_JUSTICE:
        return None
    return max(0, (today - incident).days)


def clock_text(*, incident: date, stage: Stage, today: date, lang: Messages) -> str:
    days = impunity_days(incident=incident, stage=stage, today=today)
    if days is None:
        return lang.gettext("Full justice: the clock has stopped.")
    text = lang.ngettext("{n} day without full justice", "{n} days without full justice", days)
    years = days // 365
    if years:
        text += " " + lang.ngettext("(over {n} year)", "(over {n} years)", years)
    return text
