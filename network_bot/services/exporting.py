"""Exports asked for in Slack: the broadcastable record, as a file in the coordinator's DM.

The command line can add restricted notes with an admin's consent; Slack cannot, because a
file in a DM is one forwarded message away from anyone. Every export is in the audit log.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from network_bot.clock import Clock
from network_bot.exports import ExportRequest, export
from network_bot.i18n import say
from network_bot.refusal import Refusal
from network_bot.roles import Role, require
from network_bot.store import audit
from network_bot.store.audit import Outcome
from network_bot.store.db import Database
from network_bot.store.members import Member


class ExportError(Refusal):
    """An export that cannot happen here; the message is for the person who asked."""


@dataclass(frozen=True, kw_only=True)
class ExportFile:
    content: bytes
    filename: str
    rows: int


class Exports:
    def __init__(self, *, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def for_slack(self, actor: Member, request: ExportRequest) -> ExportFile:
        """An export of the broadcastable record for a coordinator's DM, audited."""
        require(actor, Role.COORDINATOR)
        if request.restricted:
            raise ExportError(
                say(
                    "Restricted notes are exported only from the command line, with an admin's "
                    "consent: `network-bot export --restricted --consent-of UADMIN`."
                )
            )
        now = self._clock.now()
        buffer = io.BytesIO()
        rows = await export(self._db, request, out=buffer, today=now.date())
        async with self._db.transaction() as tx:
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="export.slack",
                target="cases",
                outcome=Outcome.READ,
                detail=f"{request.describe()} ({rows} rows) to their DM",
            )
        kind = "unesco" if request.unesco else "cases"
        name = f"network-{kind}-{now:%Y-%m-%d}.{request.format.value}"
        return ExportFile(content=buffer.getvalue(), filename=name, rows=rows)
