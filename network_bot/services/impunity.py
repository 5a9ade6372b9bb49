"""The impunity clock: days since the incident without a full conviction."""

from __future__ import annotations

from datetime import date

from network_bot.vocabulary import Impunity, Stage, impunity_of


def impunity_days(*, incident: date, stage: Stage, today: date) -> int | None:
    """Days the clock has run; ``None`` once everyone responsible has been convicted."""
    if impunity_of(stage) is Impunity.FULL_JUSTICE:
        return None
    return max(0, (today - incident).days)


def clock_text(*, incident: date, stage: Stage, today: date) -> str:
    days = impunity_days(incident=incident, stage=stage, today=today)
    if days is None:
        return "Full justice: the clock has stopped."
    years = days // 365
    span = f" (over {years} year{'s' if years != 1 else ''})" if years else ""
    return f"{days:,} days without full justice{span}"
