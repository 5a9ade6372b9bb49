"""Redacting a case at a victim's or family's request (admins only).

Names and notes go from the database, from the search index and from the messages the bot
already delivered (edited in place through the outbox); the case itself, its dates, country and
justice record stay, marked as redacted, because the crime still counts in the impunity record.
Afterwards the search index is merged and the write-ahead log truncated, so the removed text
does not linger in free pages of the file (``secure_delete`` zeroes those).
"""

from __future__ import annotations

from dataclasses import dataclass

from network_bot.blocks import kit
from network_bot.clock import Clock
from network_bot.roles import Role, require
from network_bot.services.cases import CASE_ID, CaseError, normalise_id
from network_bot.store import audit, cases, outbox, redaction
from network_bot.store.audit import Outcome
from network_bot.store.db import Database
from network_bot.store.members import Member
from network_bot.store.outbox import Operation, Outgoing, TargetKind


@dataclass(frozen=True, kw_only=True)
class Redacted:
    public_id: str
    messages_edited: int


class Redactions:
    def __init__(self, *, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def redact(self, actor: Member, public_id: str, reason: str) -> Redacted:
        """Remove names and notes at a family's request (admins only)."""
        require(actor, Role.ADMIN)
        public_id = normalise_id(public_id)
        reason = reason.strip()
        if not CASE_ID.match(public_id):
            raise CaseError('Write it like `/case NI-2026-0042 redact "the family asked"`.')
        if len(reason) < 3:
            raise CaseError(
                "Please say why, without names: for example "
                '`/case NI-2026-0042 redact "the family asked"`. The reason goes in the audit log.'
            )
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await cases.get_by_public_id(tx, public_id)
            if record is None:
                raise CaseError(f"There is no case {public_id}.")
            if record.redacted_at is not None:
                raise CaseError(
                    f"{public_id} was already redacted on {record.redacted_at:%Y-%m-%d}."
                )
            plain = redaction.sensitive_texts(
                victim_names=record.victim_names, restricted_notes=record.restricted_notes
            )
            texts = sorted({*plain, *(kit.escape(t) for t in plain)}, key=len, reverse=True)
            delivered = await redaction.delivered_posts_quoting(tx, texts=texts)
            await redaction.redact_case(tx, case_id=record.id, texts=texts, now=now)
            await redaction.scrub_copies(tx, case_id=record.id, texts=texts)
            await cases.reindex(tx, record.id)
            edits = []
            for post_id in delivered:
                post = await outbox.get(tx, post_id)
                payload = await redaction.current_payload(tx, post_id)
                if post is None or payload is None:
                    continue
                edits.append(
                    Outgoing(
                        purpose="redaction",
                        operation=Operation.UPDATE,
                        target_kind=TargetKind(post.target_kind),
                        target_id=post.target_id,
                        payload=payload,
                        priority=10,
                        edits_id=post_id,
                        ref_kind="case",
                        ref_id=record.id,
                        dedupe_key=f"redact:{record.id}:{post_id}",
                    )
                )
            await outbox.enqueue(tx, edits, now=now)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="case.redacted",
                target=public_id,
                outcome=Outcome.CHANGED,
                detail=f"{_without(reason, texts)[:300]} ({len(edits)} sent message(s) edited)",
            )
        await self._db.erase_leftovers(redaction.compact_search_index)
        return Redacted(public_id=public_id, messages_edited=len(edits))


def _without(text: str, texts: list[str]) -> str:
    for sensitive in texts:
        text = text.replace(sensitive, redaction.MARK)
    return text
