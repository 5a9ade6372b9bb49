"""The case rules: reporting, review decisions, who may see what, and search.

Safety rules live here, in one place: members only ever get a ``PublicCase``; unverified cases are
visible to their reporter and coordinators alone; each coordinator read of the restricted part is
audited; every message a decision causes is queued in the outbox in the same transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from network_bot.bidi import strip_controls
from network_bot.blocks import cases as render
from network_bot.blocks import kit
from network_bot.clock import Clock
from network_bot.i18n import Catalogue, Text, say
from network_bot.refusal import Refusal
from network_bot.roles import Role, require
from network_bot.services.review import already_decided, queue_review
from network_bot.services.similarity import Likeness, similar_to
from network_bot.services.withheld import refuse_named_victim, verify_warning
from network_bot.store import audit, cases, counters, members, outbox
from network_bot.store.audit import Outcome
from network_bot.store.cases import CaseRecord, NewCase, PublicCase, SearchQuery
from network_bot.store.db import Conn, Database
from network_bot.store.members import Member
from network_bot.store.outbox import Delivery, Outgoing, Purpose, RefKind
from network_bot.visibility import can_see, not_found, visible_or_refuse
from network_bot.vocabulary import Status, Violation

CASE_ID = re.compile(r"^[A-Z]{1,6}-\d{4}-\d{4,}$")


class CaseError(Refusal):
    """A case action that cannot happen; the message is for the person who asked."""


@dataclass(frozen=True, kw_only=True)
class Reported:
    case: CaseRecord
    similar: list[Likeness]

    def similar_for_reporter(self) -> list[render.Similar]:
        """Only verified look-alikes: unverified ones must not leave the coordinators."""
        return [
            (PublicCase.of(like.case), like.reasons)
            for like in self.similar
            if like.case.status is Status.VERIFIED
        ]


@dataclass(frozen=True, kw_only=True)
class CaseView:
    case: PublicCase
    restricted: render.Restricted | None


@dataclass(frozen=True, kw_only=True)
class Page:
    cases: list[PublicCase]
    has_next: bool


def normalise_id(text: str) -> str:
    """A case ID as typed or pasted (bidi marks copied out of right-to-left text dropped)."""
    return strip_controls(text).strip().upper()


class Cases:
    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        prefix: str,
        review_channel: str | None,
        catalogue: Catalogue,
    ) -> None:
        self._db = db
        self._clock = clock
        self._prefix = prefix
        self._review_channel = review_channel
        self._catalogue = catalogue  # a queued message is said in its reader's language

    # ------------------------------------------------------------------ reporting

    async def report(self, reporter: Member, new: NewCase) -> Reported:
        """Save a report with its next ID, and queue the review card and urgent DMs with it."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            refuse_named_victim(new)
            similar = await similar_to(tx, new)
            public_id = await counters.next_public_id(tx, prefix=self._prefix, year=now.year)
            case_id = await cases.insert(tx, new, public_id=public_id, now=now)
            record = await cases.get(tx, case_id)
            assert record is not None
            await queue_review(
                tx,
                record,
                similar,
                catalogue=self._catalogue,
                review_channel=self._review_channel,
                now=self._clock.now(),
            )
            await audit.record(
                tx,
                at=now,
                actor_id=reporter.user_id,
                action="case.reported",
                target=public_id,
                outcome=Outcome.CHANGED,
                detail=f"urgency {new.urgency.value}",
            )
        return Reported(case=record, similar=similar)

    # ------------------------------------------------------------------ review decisions

    async def verify(self, actor: Member, public_id: str) -> CaseRecord:
        require(actor, Role.COORDINATOR)
        record = await cases.get_by_public_id(self._db.read, normalise_id(public_id))
        warning = verify_warning(record, public_id=record.public_id) if record is not None else None
        if warning is not None:
            raise CaseError(warning)
        return await self._decide(
            actor,
            public_id,
            status=Status.VERIFIED,
            reason="",
            outcome=say(":white_check_mark: Verified by {who}", who=kit.mention(actor.user_id)),
            tell_reporter=say(
                "your report was verified and is now visible to the network. Thank you."
            ),
        )

    async def reject(self, actor: Member, public_id: str, reason: str) -> CaseRecord:
        require(actor, Role.COORDINATOR)
        reason = reason.strip()
        if not reason:
            raise CaseError(say("Please give a reason: the reporter will be told it."))
        return await self._decide(
            actor,
            public_id,
            status=Status.REJECTED,
            reason=reason,
            outcome=say(
                ":x: Rejected by {who}: {reason}",
                who=kit.mention(actor.user_id),
                reason=kit.safe(reason, 500),
            ),
            tell_reporter=say(
                "your report was not accepted. The coordinator's reason: {reason}",
                reason=kit.safe(reason, 500),
            ),
        )

    async def mark_duplicate(self, actor: Member, public_id: str, original_id: str) -> CaseRecord:
        require(actor, Role.COORDINATOR)
        original_id = normalise_id(original_id)
        if not CASE_ID.match(original_id):
            raise CaseError(
                say(
                    "`{text}` is not a case ID. Case IDs look like NI-2026-0042.",
                    text=kit.escape(original_id[:30]),
                )
            )
        if original_id == normalise_id(public_id):
            raise CaseError(say("A case can't be a duplicate of itself."))
        original = await cases.get_by_public_id(self._db.read, original_id)
        if original is None or original.status in (Status.REJECTED, Status.DUPLICATE):
            raise CaseError(say("There is no open case {id} to merge into.", id=original_id))
        return await self._decide(
            actor,
            public_id,
            status=Status.DUPLICATE,
            reason=f"duplicate of {original_id}",
            duplicate_of=original.id,
            outcome=say(
                ":link: Merged into *{id}* by {who}", id=original_id, who=kit.mention(actor.user_id)
            ),
            tell_reporter=await self._merge_notice(public_id, original),
        )

    async def _merge_notice(self, public_id: str, original: CaseRecord) -> Text:
        """What the reporter of a merged report hears: the case's ID only if they may see it."""
        merged = await cases.get_by_public_id(self._db.read, normalise_id(public_id))
        reporter = await members.get(self._db.read, merged.reporter_id) if merged else None
        if reporter is not None and can_see(reporter, original):
            return say(
                "your report describes a case already on record, *{id}*; it was merged into "
                "it. Thank you.",
                id=original.public_id,
            )
        return say(
            "your report describes events the network already has on record, so it was "
            "combined with that record; coordinators keep it under review. Thank you."
        )

    async def _decide(
        self,
        actor: Member,
        public_id: str,
        *,
        status: Status,
        reason: str,
        outcome: Text,
        tell_reporter: Text,
        duplicate_of: int | None = None,
    ) -> CaseRecord:
        require(actor, Role.COORDINATOR)
        public_id = normalise_id(public_id)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await cases.get_by_public_id(tx, public_id)
            if record is None:
                raise CaseError(not_found(public_id))
            changed = await cases.set_status(
                tx,
                case_id=record.id,
                expected=(Status.REPORTED, Status.UNDER_REVIEW),
                status=status,
                reason=reason,
                by=actor.user_id,
                now=now,
                duplicate_of=duplicate_of,
            )
            if not changed:
                raise CaseError(already_decided(record))
            updated = await cases.get(tx, record.id)
            assert updated is not None
            public = PublicCase.of(updated)
            reporter = await members.get(tx, updated.reporter_id)
            queued = [
                Outgoing.dm(
                    purpose=Purpose.REVIEW_OUTCOME,
                    user_id=updated.reporter_id,
                    payload=render.reporter_notice(
                        public_id,
                        tell_reporter,
                        lang=self._catalogue.get(reporter.language if reporter else None),
                    ),
                    ref_kind=RefKind.CASE,
                    ref_id=updated.id,
                    dedupe_key=f"decision:{updated.id}",
                )
            ]
            card = await self._review_card(tx, updated.id)
            if card is not None:
                queued.append(
                    Outgoing.edit_of(
                        card,
                        purpose=Purpose.REVIEW_OUTCOME,
                        payload=render.review_outcome(
                            public, outcome=outcome, lang=self._catalogue.default
                        ),
                        ref_kind=RefKind.CASE,
                        ref_id=updated.id,
                        dedupe_key=f"review-card:{updated.id}",
                        priority=0,
                    )
                )
            await outbox.enqueue(tx, queued, now=now)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action=f"case.{status.value}",
                target=public_id,
                outcome=Outcome.CHANGED,
                detail=reason[:200],
            )
        return updated

    async def _review_card(self, tx: Conn, case_id: int) -> Delivery | None:
        """The review channel's card of a case, to edit (none when reviews go by DM)."""
        card_id = await cases.review_card_outbox_id(tx, case_id)
        if card_id is None or not self._review_channel:
            return None
        return await outbox.get(tx, card_id)

    async def claim(self, actor: Member, public_id: str) -> CaseRecord:
        """A coordinator takes a report for review, so others can see someone is on it."""
        require(actor, Role.COORDINATOR)
        public_id = normalise_id(public_id)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await cases.get_by_public_id(tx, public_id)
            if record is None:
                raise CaseError(not_found(public_id))
            if not await cases.set_status(
                tx,
                case_id=record.id,
                expected=(Status.REPORTED,),
                status=Status.UNDER_REVIEW,
                reason="",
                by=actor.user_id,
                now=now,
            ):
                raise CaseError(already_decided(record))
            claimed = await cases.get(tx, record.id)
            assert claimed is not None
            card = await self._review_card(tx, record.id)
            if card is not None:
                await outbox.enqueue(
                    tx,
                    [
                        Outgoing.edit_of(
                            card,
                            purpose=Purpose.REVIEW,
                            payload=render.review_card(
                                PublicCase.of(claimed),
                                reporter_anonymous=claimed.reporter_anonymous,
                                similar=[],
                                has_notes=bool(claimed.restricted_notes),
                                reviewer=actor.user_id,
                                lang=self._catalogue.default,
                            ),
                            ref_kind=RefKind.CASE,
                            ref_id=record.id,
                            dedupe_key=f"review-claim:{record.id}",
                            priority=0,
                        )
                    ],
                    now=now,
                )
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="case.under_review",
                target=public_id,
                outcome=Outcome.CHANGED,
            )
        return claimed

    async def ensure_open(self, public_id: str) -> CaseRecord:
        """The case, if it still waits for a decision; else say who decided it."""
        record = await cases.get_by_public_id(self._db.read, normalise_id(public_id))
        if record is None:
            raise CaseError(not_found(public_id))
        if not record.status.is_open:
            raise CaseError(already_decided(record))
        return record

    # ------------------------------------------------------------------ reading

    async def view(self, viewer: Member, public_id: str) -> CaseView:
        """What ``viewer`` may see; a coordinator's read of the restricted part is audited."""
        public_id = normalise_id(public_id)
        record = visible_or_refuse(
            viewer, await cases.get_by_public_id(self._db.read, public_id), public_id
        )
        if not viewer.role.allows(Role.COORDINATOR):
            return CaseView(case=PublicCase.of(record), restricted=None)
        async with self._db.transaction() as tx:
            await audit.record(
                tx,
                at=self._clock.now(),
                actor_id=viewer.user_id,
                action="case.read_restricted",
                target=record.public_id,
                outcome=Outcome.READ,
            )
        return CaseView(
            case=PublicCase.of(record),
            restricted=render.Restricted(
                notes=record.restricted_notes,
                reporter_id=record.reporter_id,
                reporter_anonymous=record.reporter_anonymous,
                victim_names=record.victim_names,
                victim_withheld=record.victim_withheld,
            ),
        )

    async def search(
        self,
        viewer: Member,
        *,
        words: tuple[str, ...] = (),
        country: str | None = None,
        statuses: tuple[Status, ...] = (),
        violation: Violation | None = None,
        since: date | None = None,
        mine: bool = False,
        page: int = 1,
        per_page: int = 10,
    ) -> Page:
        """Members search verified cases (and, with ``mine``, their own reports of any status)."""
        coordinator = viewer.role.allows(Role.COORDINATOR)
        if statuses and statuses != (Status.VERIFIED,) and not coordinator and not mine:
            raise CaseError(
                say(
                    "Only coordinators can search reports that are not verified yet. "
                    "Add `mine` to see your own reports."
                )
            )
        everything = tuple(Status) if mine else (Status.VERIFIED,)
        wanted = statuses or everything
        query = SearchQuery(
            words=words,
            country=country,
            statuses=wanted,
            violation=violation,
            since=since,
            reporter_id=viewer.user_id if mine else None,
            limit=per_page + 1,
            offset=(page - 1) * per_page,
        )
        found = await cases.search(self._db.read, query)
        return Page(
            cases=[PublicCase.of(c) for c in found[:per_page]], has_next=len(found) > per_page
        )
