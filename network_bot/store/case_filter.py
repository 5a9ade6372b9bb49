"""The one WHERE clause for choosing cases by what people filter on (search, exports, the UNESCO
layout): which statuses are visible, then country, violation, incident date and reporter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from network_bot.vocabulary import Status, Violation


def case_filter(
    *,
    statuses: Sequence[Status],
    country: str | None = None,
    violation: Violation | None = None,
    since: date | None = None,
    reporter_id: str | None = None,
) -> tuple[list[str], list[object]]:
    """The conditions on ``cases`` read as ``c`` (to be ANDed), and their parameters in order.

    The visibility rule comes first and always: no statuses means no case (never every case),
    so a caller that forgets to say what may be seen sees nothing.
    """
    visible = [s.value for s in statuses]
    where = [f"c.status IN ({','.join('?' for _ in visible)})" if visible else "0"]
    params: list[object] = list(visible)
    for sql, value in (
        ("country = ?", country),
        ("violation = ?", violation.value if violation else None),
        ("incident_date >= ?", since.isoformat() if since else None),
        ("reporter_id = ?", reporter_id),
    ):
        if value:
            where.append(f"c.{sql}")
            params.append(value)
    return where, params
