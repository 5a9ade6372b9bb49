"""What happens after a report: updates, justice-process steps, proposals, notifications.

Coordinators record updates directly; members propose them and a coordinator approves. Each
approved update is owed once to every follower of the case or its country (a row per follower
and update, so an edit or a retried event adds nothing). A follower hears of the first update at
once; what follows within the batching window goes out together, as one DM, when it has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from network_bot.bidi import strip_controls
from network_bot.blocks import kit
from network_bot.blocks import updates as render
from network_bot.clock import Clock
from network_bot.i18n import Catalogue, Messages, Text, say
from network_bot.refusal import Refusal
from network_bot.roles import Role, require
from network_bot.services import justice
from network_bot.services.withheld import refuse_named_in_update
from network_bot.store import audit, cases, follows, members, outbox, updates
from network_bot.store.audit import Outcome
from network_bot.store.cases import CaseRecord, PublicCase
from network_bot.store.db import Conn, Database
from network_bot.store.members import Member
from network_bot.store.outbox import Operation, Outgoing, Purpose, RefKind, TargetKind
from network_bot.store.updates import CaseUpdate, UpdateState
from network_bot.visibility import visible_or_refuse
from network_bot.vocabulary import Stage, Status

FLUSH_CHUNK = 250


class TimelineError(Refusal):
    """An update that cannot be recorded as asked; the message says what to do, and ``field``
    names the form field to fix when there is one."""


@dataclass(frozen=True, kw_only=True)
class UpdateInput:
    happened_on: date
    body: str
    source_url: str = ""
    stage: Stage | None = None
    skip_reason: str = ""


class Timeline:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        review_channel: str | None,
        batch_window: timedelta,
        catalogue: Catalogue,
    ) -> None:
        self._db = db
        self._clock = clock
        self._catalogue = catalogue
        self._review_channel = review_channel
        self._batch_window = batch_window

    async def case_for(self, member: Member, public_id: str) -> CaseRecord:
        record = await cases.get_by_public_id(
            self._db.read, strip_controls(public_id).strip().upper()
        )
        return visible_or_refuse(member, record, public_id)

    async def submit(self, actor: Member, public_id: str, wanted: UpdateInput) -> CaseUpdate:
        """A coordinator's update is recorded at once; a member's is proposed for review."""
        record = await self.case_for(actor, public_id)
        refuse_named_in_update(record, body=wanted.body, source_url=wanted.source_url)
        coordinator = actor.role.allows(Role.COORDINATOR)
        wrong_date = date_problem(record, wanted.happened_on)
        if wrong_date is not None:
            raise TimelineError(wrong_date, field="happened_on")
        if wanted.stage is not None:
            try:
                justice.check(record.justice_stage, wanted.stage, skip_reason=wanted.skip_reason)
            except justice.SkipNeedsReason as error:
                raise TimelineError(error.text, field="skip_reason") from None
            except justice.TransitionError as error:
                raise TimelineError(error.text, field="stage") from None
        now = self._clock.now()
        state = UpdateState.APPROVED if coordinator else UpdateState.PROPOSED
        async with self._db.transaction() as tx:
            update_id = await updates.insert(
                tx,
                case_id=record.id,
                author_id=actor.user_id,
                state=state,
                happened_on=wanted.happened_on,
                body=wanted.body,
                source_url=wanted.source_url,
                stage_from=record.justice_stage if wanted.stage else None,
                stage_to=wanted.stage,
                skip_reason=wanted.skip_reason if wanted.stage else "",
                now=now,
            )
            update = await updates.get(tx, update_id)
            assert update is not None
            if coordinator:
                await self._apply(tx, record, update)
            else:
                await self._queue_proposal(tx, record, update)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="update.recorded" if coordinator else "update.proposed",
                target=record.public_id,
                outcome=Outcome.CHANGED,
                detail=f"stage {wanted.stage.value}" if wanted.stage else "",
            )
        return update

    async def _apply(self, tx: Conn, record: CaseRecord, update: CaseUpdate) -> None:
        """Make an approved update count: move the stage, owe it to the followers."""
        if update.stage_to is not None:
            await cases.set_stage(
                tx,
                case_id=record.id,
                stage=update.stage_to,
                stage_date=update.happened_on,
                now=self._clock.now(),
            )
        if record.status is not Status.VERIFIED:
            return  # nothing about an unverified case leaves the coordinators
        followers = await follows.followers_of(tx, case_id=record.id, country=record.country)
        await updates.queue_notifications(
            tx,
            update_id=update.id,
            user_ids=[u for u in followers if u != update.author_id],
            now=self._clock.now(),
        )

    async def _queue_proposal(self, tx: Conn, record: CaseRecord, update: CaseUpdate) -> None:
        public = PublicCase.of(record)
        if self._review_channel:
            card = render.proposal_card(public, update, lang=self._catalogue.default)
            targets = [(TargetKind.CHANNEL, self._review_channel, card)]
        else:
            ids = await members.ids_with_role(tx, Role.COORDINATOR)
            people = await members.get_many(tx, ids)
            targets = [
                (
                    TargetKind.USER,
                    uid,
                    render.proposal_card(
                        public,
                        update,
                        lang=self._catalogue.get(people[uid].language if uid in people else None),
                    ),
                )
                for uid in ids
            ]
        await outbox.enqueue(
            tx,
            [
                Outgoing.to(
                    kind,
                    target,
                    purpose=Purpose.UPDATE_REVIEW,
                    payload=card,
                    ref_kind=RefKind.UPDATE,
                    ref_id=update.id,
                    dedupe_key=f"update-review:{update.id}:{target}",
                )
                for kind, target, card in targets
            ],
            now=self._clock.now(),
        )

    async def decide(self, actor: Member, update_id: int, *, approve: bool) -> CaseUpdate:
        """Approve or reject a proposal; the second coordinator to click is told who did."""
        require(actor, Role.COORDINATOR)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            update = await updates.get(tx, update_id)
            if update is None:
                raise TimelineError(say("That proposal no longer exists."))
            record = await cases.get(tx, update.case_id)
            assert record is not None
            if update.state is not UpdateState.PROPOSED:
                who: Text | str = (
                    kit.mention(update.reviewed_by) if update.reviewed_by else say("a coordinator")
                )
                raise TimelineError(
                    say("That update was already approved by {who}. Nothing was changed.", who=who)
                    if update.state is UpdateState.APPROVED
                    else say(
                        "That update was already rejected by {who}. Nothing was changed.", who=who
                    )
                )
            if approve:
                try:
                    refuse_named_in_update(record, body=update.body, source_url=update.source_url)
                except Refusal:
                    raise TimelineError(
                        say(
                            "This proposal names the victim, whose name is withheld, so it can't "
                            "be approved. Reject it, and record the news without the name."
                        )
                    ) from None
            if approve and update.stage_to is not None:
                try:
                    justice.check(
                        record.justice_stage, update.stage_to, skip_reason=update.skip_reason
                    )
                except justice.TransitionError as error:
                    raise TimelineError(
                        say(
                            "The case has moved on since this was proposed: {why}",
                            why=error.text,
                        )
                    ) from None
            state = UpdateState.APPROVED if approve else UpdateState.REJECTED
            await updates.decide(
                tx,
                update_id=update_id,
                state=state,
                by=actor.user_id,
                now=now,
                stage_from=record.justice_stage if update.stage_to else None,
            )
            decided = await updates.get(tx, update_id)
            assert decided is not None
            if approve:
                await self._apply(tx, record, decided)
            who = kit.mention(actor.user_id)
            outcome = (
                say("Approved by {who}", who=who)
                if approve
                else say("Not approved by {who}", who=who)
            )
            public = PublicCase.of(record)
            await self._close_proposal_cards(tx, public, decided, outcome)
            await outbox.enqueue(
                tx,
                [
                    Outgoing.dm(
                        purpose=Purpose.UPDATE_OUTCOME,
                        user_id=update.author_id,
                        payload=render.proposal_decided(
                            record.public_id,
                            decided,
                            approved=approve,
                            lang=self._catalogue.get(await self._language_of(tx, update.author_id)),
                        ),
                        ref_kind=RefKind.UPDATE,
                        ref_id=update_id,
                        dedupe_key=f"update-outcome:{update_id}",
                    )
                ],
                now=now,
            )
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="update.approved" if approve else "update.rejected",
                target=record.public_id,
                outcome=Outcome.CHANGED,
            )
        return decided

    async def _close_proposal_cards(
        self, tx: Conn, case: PublicCase, update: CaseUpdate, outcome: Text
    ) -> None:
        cards = await outbox.for_ref(tx, ref_kind=RefKind.UPDATE, ref_id=update.id)
        readers = await members.get_many(
            tx, [c.target_id for c in cards if c.target_kind is TargetKind.USER]
        )

        def lang_for(kind: TargetKind, target: str) -> Messages:
            if kind is TargetKind.CHANNEL or target not in readers:
                return self._catalogue.default
            return self._catalogue.get(readers[target].language)

        await outbox.enqueue(
            tx,
            [
                Outgoing.edit_of(
                    card,
                    purpose=Purpose.UPDATE_REVIEW,
                    payload=render.proposal_outcome(
                        case,
                        update,
                        outcome=outcome,
                        lang=lang_for(card.target_kind, card.target_id),
                    ),
                    ref_kind=RefKind.UPDATE,
                    ref_id=update.id,
                    dedupe_key=f"update-review-done:{card.id}",
                    priority=0,
                )
                for card in cards
                if card.purpose is Purpose.UPDATE_REVIEW and card.operation is Operation.POST
            ],
            now=self._clock.now(),
        )

    async def edit(self, actor: Member, update_id: int, *, body: str, source_url: str) -> None:
        """Correct an update's text; followers already owed it are not told twice."""
        require(actor, Role.COORDINATOR)
        async with self._db.transaction() as tx:
            if not await updates.edit(
                tx, update_id=update_id, body=body, source_url=source_url, now=self._clock.now()
            ):
                raise TimelineError(say("That update no longer exists."))
            await audit.record(
                tx,
                at=self._clock.now(),
                actor_id=actor.user_id,
                action="update.edited",
                target=str(update_id),
                outcome=Outcome.CHANGED,
            )

    async def _language_of(self, tx: Conn, user_id: str) -> str | None:
        member = await members.get(tx, user_id)
        return member.language if member else None

    async def latest(self, case_id: int, *, limit: int = 5) -> list[CaseUpdate]:
        return await updates.for_case(self._db.read, case_id, limit=limit)

    async def flush_notifications(self) -> int:
        """One DM to each follower who may be told now: at once when nothing was sent to them
        within the batching window, else once the window has passed, with all that waits."""
        now = self._clock.now()
        sent = 0
        due = await updates.users_with_due_batches(
            self._db.read, window_start=now - self._batch_window
        )
        # A few hundred followers per transaction: one commit (and fsync) per follower made a
        # case with 5,000 followers take 13 s to queue; one huge transaction would hold the
        # writer for too long.
        for start in range(0, len(due), FLUSH_CHUNK):
            async with self._db.transaction() as tx:
                sent += await self._flush_chunk(tx, due[start : start + FLUSH_CHUNK], now)
        return sent

    async def _flush_chunk(self, tx: Conn, user_ids: list[str], now: datetime) -> int:
        """Queue these followers' batches with a handful of queries, not a dozen per follower;
        followers waiting for the same updates share one rendered message."""
        waiting = await updates.waiting_for_each(tx, user_ids)
        people = await members.get_many(tx, list(waiting))
        case_ids = sorted({u.case_id for ups in waiting.values() for u in ups})
        records = {r.id: r for r in await cases.get_many(tx, case_ids)}
        rendered: dict[tuple[str | int, ...], dict[str, Any] | None] = {}
        queued: list[Outgoing] = []
        for user_id, ups in waiting.items():
            member = people.get(user_id)
            if member is None or not member.is_active:
                continue  # marked below all the same: nobody to tell any more
            lang = self._catalogue.get(member.language)
            key: tuple[str | int, ...] = (lang.language, *(u.id for u in ups))
            if key not in rendered:
                rendered[key] = _batch_message(ups, records, lang)
            payload = rendered[key]
            if payload is None:
                continue  # nothing they may see (the case was rejected since)
            queued.append(
                Outgoing.dm(
                    purpose=Purpose.NOTIFICATION,
                    user_id=user_id,
                    payload=payload,
                    ref_kind=RefKind.UPDATE,
                    dedupe_key=f"updates:{user_id}:{ups[0].id}",
                )
            )
        await outbox.enqueue(tx, queued, now=now)
        await updates.mark_notified_each(tx, waiting=waiting, now=now)
        return len(queued)

    async def notifications_waiting(self) -> int:
        """How many follower notifications wait for their batching window."""
        return await updates.waiting_count(self._db.read)


def date_problem(record: CaseRecord, happened_on: date) -> Text | None:
    """What is wrong with an update's date for this case, if anything: an update cannot come
    before the incident itself."""
    if happened_on < record.incident_date:
        return say(
            "The date is before the incident itself ({date}).",
            date=record.incident_date.isoformat(),
        )
    return None


def _batch_message(
    waiting: list[CaseUpdate], records: dict[int, CaseRecord], lang: Messages
) -> dict[str, Any] | None:
    by_case: dict[int, list[CaseUpdate]] = {}
    for update in waiting:
        by_case.setdefault(update.case_id, []).append(update)
    items = [
        (PublicCase.of(records[cid]), ups)
        for cid, ups in by_case.items()
        if cid in records and records[cid].status is Status.VERIFIED
    ]
    return render.notification(items, lang=lang) if items else None
