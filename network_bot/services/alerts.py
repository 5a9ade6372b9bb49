"""The alert rules: who an alert reaches, the shared-channel guard, sending, answers, recall.

An alert is drafted (and previewed) first, then sent on confirmation: the confirm commits the
alert, its channel posts and the sender's status message and returns at once; its audience is
then queued a page at a time (``network_bot.services.expansion``), and the delivery worker does
the rest. Members who asked for a digest get non-urgent alerts once a day; muted members
get only urgent ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from network_bot.blocks import alerts as render
from network_bot.blocks import kit
from network_bot.channels import ChannelInfo
from network_bot.clock import Clock
from network_bot.data import countries
from network_bot.i18n import Catalogue, Messages, say
from network_bot.roles import Role, require
from network_bot.services.alert_digests import recall_delivered, send_digests
from network_bot.services.alert_rules import AlertError, check_draft, refuse_named_victim
from network_bot.services.cases import normalise_id
from network_bot.services.withdrawal import (
    RECALLED,
    Recalled,
    never_queued,
    recall_alert,
    recall_reason,
)
from network_bot.store import alerts, audiences, audit, cases, counters, members, outbox
from network_bot.store.alerts import Alert, AlertDraft, AlertState, Response
from network_bot.store.audit import Outcome
from network_bot.store.cases import PublicCase
from network_bot.store.db import Conn, Database
from network_bot.store.members import AlertPref, Member
from network_bot.store.outbox import Delivery, Operation, Outgoing, Purpose, RefKind, State
from network_bot.vocabulary import Status, Urgency

EXPANSION = "alert-expansion"  # the after-commit topic: a confirmed alert's audience to queue


@dataclass(frozen=True, kw_only=True)
class Reach:
    """How many the audience reaches at once, by digest, and not at all (muted)."""

    now: int
    digest: int
    muted: int


def region_codes(alert: Alert) -> list[str]:
    return [c.code for r in alert.audience.regions for c in countries.by_region(r)]


@dataclass(frozen=True, kw_only=True)
class Preview:
    alert: Alert
    case_public_id: str | None
    reach: Reach
    channels: list[ChannelInfo]


@dataclass(frozen=True, kw_only=True)
class StatusReport:
    alert: Alert
    counts: render.StatusCounts
    tallies: dict[Response, int]
    by_organisation: dict[str, dict[Response, int]]
    failures: list[tuple[str, str]] = field(default_factory=list)
    recall_reason: str = ""

    def message(self, lang: Messages) -> dict[str, object]:
        return render.status_message(
            self.alert,
            counts=self.counts,
            recall_reason=self.recall_reason,
            tallies=self.tallies,
            by_organisation=self.by_organisation,
            failures=self.failures,
            lang=lang,
        )


class Alerts:
    def __init__(
        self, *, db: Database, clock: Clock, catalogue: Catalogue, prefix: str = "AL"
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalogue = catalogue
        self._prefix = prefix
        self._dirty: set[int] = set()

    # ------------------------------------------------------------------ composing

    async def prefill(self, actor: Member, case_public_id: str) -> PublicCase:
        """The verified case an alert is about (the form is filled in from it)."""
        require(actor, Role.COORDINATOR)
        record = await cases.get_by_public_id(self._db.read, normalise_id(case_public_id))
        if record is None or record.status is not Status.VERIFIED:
            raise AlertError(
                say(
                    "There is no verified case {id}. Only verified cases can be the subject of "
                    "an alert.",
                    id=kit.escape(normalise_id(case_public_id)[:30]),
                )
            )
        return PublicCase.of(record)

    async def draft(self, actor: Member, draft: AlertDraft, channels: list[ChannelInfo]) -> Preview:
        """Check the audience and save a draft to preview; nothing is sent yet."""
        require(actor, Role.COORDINATOR)
        check_draft(draft, channels)
        record = await cases.get(self._db.read, draft.case_id) if draft.case_id else None
        if record is not None:
            refuse_named_victim(draft, record)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            public_id = await counters.next_public_id(tx, prefix=self._prefix, year=now.year)
            alert_id = await alerts.insert_draft(tx, draft, public_id=public_id, now=now)
            stored = await alerts.get(tx, alert_id)
            assert stored is not None
            reach = await self._reach(tx, stored)
            # The preview's counts stay with the draft: the confirm's reply uses them at once,
            # and the queued audience sets the final ones.
            await audiences.set_counts(
                tx, alert_id=alert_id, recipients=reach.now, digests=reach.digest
            )
            stored = await alerts.get(tx, alert_id)
            assert stored is not None
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="alert.drafted",
                target=public_id,
                outcome=Outcome.CHANGED,
            )
            case_public_id = await self._case_public_id(tx, stored.case_id)
        return Preview(alert=stored, case_public_id=case_public_id, reach=reach, channels=channels)

    async def _case_public_id(self, conn: Conn, case_id: int | None) -> str | None:
        if case_id is None:
            return None
        record = await cases.get(conn, case_id)
        return None if record is None else record.public_id

    async def _reach(self, conn: Conn, alert: Alert) -> Reach:
        prefs = await audiences.audience_prefs(
            conn,
            audience=alert.audience,
            region_countries=region_codes(alert),
            case_id=alert.case_id,
        )
        total = sum(prefs.values())
        if alert.urgency is Urgency.URGENT:  # urgent alerts reach everyone at once
            return Reach(now=total, digest=0, muted=0)
        return Reach(
            now=prefs[AlertPref.ALL],
            digest=prefs[AlertPref.DIGEST],
            muted=prefs[AlertPref.MUTE],
        )

    # ------------------------------------------------------------------ sending

    async def send(self, actor: Member, alert_id: int) -> Alert:
        """Commit the alert as sent, with its channel posts and status message; its audience is
        queued after the reply, a page at a time, so the confirm costs the same for any size."""
        require(actor, Role.COORDINATOR)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            alert = await alerts.get(tx, alert_id)
            if alert is None or alert.created_by != actor.user_id:
                raise AlertError(
                    say("That preview is not yours to send. Start again with `/alert`.")
                )
            if alert.state is not AlertState.DRAFT:
                raise AlertError(say("{id} was already sent.", id=alert.public_id))
            case_public_id = await self._case_public_id(tx, alert.case_id)
            # One rendering per language: each reader gets the framing in their language and
            # the coordinator's translation for it, if any.
            rendered: dict[str, dict[str, Any]] = {}

            def message_for(lang: Messages) -> dict[str, Any]:
                if lang.language not in rendered:
                    rendered[lang.language] = render.alert_message(
                        alert, case_public_id=case_public_id, lang=lang
                    )
                return rendered[lang.language]

            message = message_for(self._catalogue.default)  # for channels
            priority = alert.urgency.priority
            queued = [
                Outgoing.to_channel(
                    purpose=Purpose.ALERT,
                    channel_id=cid,
                    payload=message,
                    priority=priority,
                    ref_kind=RefKind.ALERT,
                    ref_id=alert.id,
                    dedupe_key=f"alert:{alert.id}:{cid}",
                    # The coordinator chose these channels in their own workspace; one who
                    # ticked "include shared channels" chose them knowing they may be shared.
                    workspace_id=actor.workspace_id or "",
                    shared_ok=alert.audience.include_shared,
                )
                for cid in alert.audience.channels
            ]
            sending = alert.model_copy(
                update={"state": AlertState.SENT, "channel_count": len(alert.audience.channels)}
            )
            waiting = alert.recipient_count + len(queued)
            status = render.status_message(
                sending,
                counts=render.StatusCounts(pending=waiting),
                tallies={},
                by_organisation={},
                lang=self._catalogue.get(actor.language),
            )
            queued.append(
                Outgoing.dm(
                    purpose=Purpose.ALERT_STATUS,
                    user_id=actor.user_id,
                    payload=status,
                    priority=priority + 5,
                    ref_kind=RefKind.ALERT_STATUS,
                    ref_id=alert.id,
                    dedupe_key=f"alert-status:{alert.id}",
                )
            )
            await outbox.enqueue(tx, queued, now=now)
            status_id = await outbox.id_for_key(tx, f"alert-status:{alert.id}")
            await alerts.mark_sent(
                tx,
                alert_id=alert.id,
                recipients=alert.recipient_count,
                digests=alert.digest_count,
                channels=len(alert.audience.channels),
                status_outbox_id=status_id,
                now=now,
                expand=alert.audience.reaches_people,
            )
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="alert.sent",
                target=alert.public_id,
                outcome=Outcome.CHANGED,
                detail=f"{alert.recipient_count} DMs, {alert.digest_count} digest (as "
                f"previewed; queued after the confirm), {len(alert.audience.channels)} channels",
            )
            tx.after_commit(EXPANSION)
            sent = await alerts.get(tx, alert.id)
        assert sent is not None
        return sent

    @property
    def catalogue(self) -> Catalogue:
        return self._catalogue

    def changed(self, alert_id: int) -> None:
        """Its status message should be brought up to date (more of it was queued)."""
        self._dirty.add(alert_id)

    # ------------------------------------------------------------------ answers and status

    async def respond(self, member: Member, alert_id: int, response: Response) -> Alert:
        alert = await alerts.get(self._db.read, alert_id)
        if alert is None or alert.state is AlertState.DRAFT:
            raise AlertError(
                say("That is only a preview: the buttons work once the alert is sent.")
            )
        if alert.state is AlertState.RECALLED:
            raise AlertError(say("This alert was withdrawn, so there is nothing to do. Thank you."))
        if not alert.audience.channels and not await alerts.reached(
            self._db.read, alert_id=alert_id, user_id=member.user_id
        ):
            # Answers count in the coordinators' tally: only from people the alert reached.
            raise AlertError(say("That button is not valid."))
        async with self._db.transaction() as tx:
            await alerts.record_response(
                tx,
                alert_id=alert_id,
                user_id=member.user_id,
                response=response,
                organisation=member.organisation or "",
                now=self._clock.now(),
            )
        self._dirty.add(alert_id)
        return alert

    async def find(self, public_id: str) -> Alert:
        public_id = public_id.strip().upper()
        alert = await alerts.get_by_public_id(self._db.read, public_id)
        if alert is None or alert.state is AlertState.DRAFT:
            raise AlertError(
                say(
                    "There is no alert {id}. See the recent ones with `/alert status`.",
                    id=kit.escape(public_id[:30]),
                )
            )
        return alert

    async def recent(self, actor: Member) -> list[Alert]:
        require(actor, Role.COORDINATOR)
        return await alerts.recent(self._db.read)

    async def status(self, actor: Member, alert: Alert) -> StatusReport:
        """Who got an alert and what they answered: for coordinators."""
        require(actor, Role.COORDINATOR)
        return await self._report(alert)

    async def _report(self, alert: Alert) -> StatusReport:
        db = self._db.read
        counts = await outbox.counts_for_ref(db, ref_kind=RefKind.ALERT, ref_id=alert.id)
        failed = await outbox.for_ref(
            db, ref_kind=RefKind.ALERT, ref_id=alert.id, states=(State.FAILED,)
        )
        notes = await outbox.counts_for_ref(
            db, ref_kind=RefKind.RECALL, ref_id=alert.id, operation=Operation.UPDATE
        )
        never = await never_queued(db, alert) if alert.state is AlertState.RECALLED else 0
        return StatusReport(
            alert=alert,
            counts=render.StatusCounts(
                delivered=counts[State.SENT],
                pending=counts[State.PENDING] + counts[State.SENDING],
                failed=counts[State.FAILED],
                cancelled=counts[State.CANCELLED] + never,
                withdrawn=notes[State.SENT],
                withdrawing=notes[State.PENDING] + notes[State.SENDING],
            ),
            recall_reason=await self.recall_reason(alert),
            tallies=await alerts.tallies(db, alert.id),
            by_organisation=await alerts.tallies_by_organisation(db, alert.id),
            failures=[(d.target_id, d.last_error or "unknown") for d in failed],
        )

    async def recall_reason(self, alert: Alert) -> str:
        return await recall_reason(self._db.read, alert)

    async def recall(self, actor: Member, public_id: str, reason: str) -> Recalled:
        """Stop every copy not yet delivered (queued, being sent or not yet queued) and replace
        every delivered one by a note giving the reason, in one transaction with marking the
        alert recalled."""
        require(actor, Role.COORDINATOR)
        reason = " ".join(reason.split())
        if len(reason) < 3:
            raise AlertError(
                say("Please give the reason: it is shown in the withdrawn note."), field="reason"
            )
        alert = await self.find(public_id)
        async with self._db.transaction() as tx:
            recalled = await recall_alert(
                tx,
                alert,
                actor_id=actor.user_id,
                reason=reason,
                now=self._clock.now(),
                catalogue=self._catalogue,
            )
        self._dirty.add(alert.id)
        return recalled

    async def still_wanted(self, delivery: Delivery) -> str | None:
        """The sender's guard, asked right before each call and before any retry: a copy of a
        recalled alert never goes out, whichever way it came back to the queue."""
        if delivery.ref_kind is not RefKind.ALERT or delivery.ref_id is None:
            return None
        alert = await alerts.get(self._db.read, delivery.ref_id)
        if alert is None or alert.state is AlertState.RECALLED:
            return RECALLED
        return None

    async def _recall_delivered(
        self, tx: Conn, delivered: list[Delivery], now: datetime, *, reason: str
    ) -> None:
        await recall_delivered(tx, delivered, now=now, catalogue=self._catalogue, reason=reason)

    async def delivery_finished(self, delivery: Delivery) -> None:
        """The worker's news: keep the status message current; recall late deliveries of a
        recalled alert (one that was already on its way when the recall came)."""
        if delivery.ref_kind is not RefKind.ALERT or delivery.ref_id is None:
            return
        self._dirty.add(delivery.ref_id)
        if delivery.state is not State.SENT or delivery.operation is not Operation.POST:
            return
        alert = await alerts.get(self._db.read, delivery.ref_id)
        if alert is not None and alert.state is AlertState.RECALLED:
            reason = await self.recall_reason(alert)
            async with self._db.transaction() as tx:
                await self._recall_delivered(tx, [delivery], self._clock.now(), reason=reason)

    async def refresh_statuses(self) -> int:
        """Bring each changed alert's status message up to date; return how many changed."""
        dirty, self._dirty = self._dirty, set()
        for alert_id in sorted(dirty):
            alert = await alerts.get(self._db.read, alert_id)
            if alert is None or alert.status_outbox_id is None:
                continue
            report = await self._report(alert)
            sender = await members.get(self._db.read, alert.created_by)
            lang = self._catalogue.get(sender.language if sender else None)
            async with self._db.transaction() as tx:
                await outbox.replace_pending_update(
                    tx,
                    edits_id=alert.status_outbox_id,
                    payload=report.message(lang),
                    purpose=Purpose.ALERT_STATUS,
                    ref_kind=RefKind.ALERT_STATUS,
                    ref_id=alert.id,
                    now=self._clock.now(),
                )
        return len(dirty)

    @property
    def has_changes(self) -> bool:
        return bool(self._dirty)

    # ------------------------------------------------------------------ digests

    async def send_digests(self) -> int:
        """Send each waiting member their digest once their local time passes DIGEST_HOUR."""
        return await send_digests(self._db, now=self._clock.now(), catalogue=self._catalogue)
