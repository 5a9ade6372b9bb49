"""Withdrawing a sent alert, in one transaction: mark it recalled, stop what is not yet sent,
replace every delivered copy by a note giving the reason, and count what that did.

An alert whose audience is still being queued (``network_bot.services.expansion``) stops there:
the members not yet queued never get it, and they are counted with the copies stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from network_bot.blocks import alerts as render
from network_bot.i18n import Catalogue, say
from network_bot.services.alert_digests import recall_delivered
from network_bot.services.alert_rules import AlertError
from network_bot.store import alerts, audiences, audit, outbox
from network_bot.store.alerts import Alert, AlertState
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn
from network_bot.store.outbox import Operation, RefKind, State

RECALLED = "the alert was recalled"


@dataclass(frozen=True, kw_only=True)
class Recalled:
    """What a recall did: copies stopped before Slack had them (``in_flight`` of them were
    being sent at that moment: any that Slack still posts is withdrawn as soon as it lands;
    ``never_queued`` of them were members the audience had not reached yet) and delivered
    copies being replaced by a withdrawn note."""

    stopped: int
    in_flight: int
    withdrawn: int
    never_queued: int = 0


async def recall_alert(
    tx: Conn, alert: Alert, *, actor_id: str, reason: str, now: datetime, catalogue: Catalogue
) -> Recalled:
    if not await alerts.mark_recalled(tx, alert_id=alert.id, by=actor_id, now=now):
        raise AlertError(say("{id} was already withdrawn.", id=alert.public_id))
    queued, in_flight = await outbox.cancel_unsent(
        tx, ref_kind=RefKind.ALERT, ref_id=alert.id, note=RECALLED
    )
    delivered = await outbox.for_ref(
        tx, ref_kind=RefKind.ALERT, ref_id=alert.id, states=(State.SENT,)
    )
    copies = [d for d in delivered if d.operation is Operation.POST]
    await recall_delivered(tx, copies, now=now, catalogue=catalogue, reason=reason)
    never = await never_queued(tx, alert)
    recalled = Recalled(
        stopped=queued + in_flight + never,
        in_flight=in_flight,
        withdrawn=len(delivered),
        never_queued=never,
    )
    await audit.record(
        tx,
        at=now,
        actor_id=actor_id,
        action="alert.recalled",
        target=alert.public_id,
        outcome=Outcome.CHANGED,
        detail=f"{reason[: render.RECALL_REASON_MAX]} ({recalled.stopped} stopped, "
        f"{in_flight} of them being sent, {never} never queued; {recalled.withdrawn} withdrawn)",
    )
    return recalled


async def never_queued(conn: Conn, alert: Alert) -> int:
    """Members the confirm counted whose DM the expansion had not queued when the alert was
    recalled (or has not yet, for one being recalled now): they never get it. An expansion
    that finished sets the count to the DMs it queued, so this is 0 for it."""
    dms, _ = await audiences.queued_counts(conn, alert.id)
    return max(0, alert.recipient_count - dms)


async def recall_reason(conn: Conn, alert: Alert) -> str:
    """Why it was withdrawn, as the coordinator gave it (kept in the audit log)."""
    if alert.state is not AlertState.RECALLED:
        return ""
    found = await audit.search(conn, target=alert.public_id, actions=("alert.recalled",), limit=1)
    # The detail is the reason, then what the recall did in brackets.
    return found[0].detail.rsplit(" (", 1)[0] if found else ""
