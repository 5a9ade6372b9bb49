"""Redacting a case at a victim's or family's request (admins only).

Every part of every victim's name (three letters or more, in any letter case, with or without
accents) and the restricted notes go from the case, the reports merged into it as duplicates,
their updates, the alerts about them (ask text and links included), queued and delivered
message bodies, the audit trail and the search index; the messages already delivered in Slack
are edited in place through the outbox. The case keeps its ID, dates, country and justice
record, marked as redacted, because the crime still counts in the impunity record.

Rows tied to the case by reference are scrubbed in one transaction with the case itself, and so
is every message not yet sent. Rows elsewhere that quote it (a digest, a follower's batch of
updates, another case's update) are found by its IDs or a victim's full name and scrubbed
afterwards in short transactions, so the bot's other writes are never held up for long.
Finally the search index is merged and the write-ahead log truncated, so the removed text
lingers neither in old index segments nor in free pages (``secure_delete`` zeroes those).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

from network_bot.blocks import kit
from network_bot.clock import Clock
from network_bot.i18n import say
from network_bot.roles import Role, require
from network_bot.scrub import MARK, Scrubber
from network_bot.services.cases import CASE_ID, CaseError, normalise_id
from network_bot.store import audit, cases, outbox, redaction
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database
from network_bot.store.members import Member
from network_bot.store.outbox import Outgoing, Purpose, RefKind
from network_bot.store.redaction import Row

CHUNK_ROWS = 500  # rows scanned (and rewritten) per short transaction outside the redaction


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
            raise CaseError(say('Write it like `/case NI-2026-0042 redact "the family asked"`.'))
        if len(reason) < 3:
            raise CaseError(
                say(
                    "Please say why, without names: for example "
                    '`/case NI-2026-0042 redact "the family asked"`. The reason goes in the '
                    "audit log."
                )
            )
        now = self._clock.now()
        async with self._db.transaction() as tx:
            record = await cases.get_by_public_id(tx, public_id)
            if record is None:
                raise CaseError(say("There is no case {id}.", id=kit.escape(public_id[:30])))
            if record.redacted_at is not None:
                raise CaseError(
                    say(
                        "{id} was already redacted on {day}.",
                        id=public_id,
                        day=record.redacted_at.strftime("%Y-%m-%d"),
                    )
                )
            case_ids = await redaction.family(tx, record.id)
            alerts = await redaction.alert_ids(tx, case_ids)
            ids = [*await redaction.public_ids(tx, case_ids), *(p for _, p in alerts)]
            tied = await redaction.tied_rows(
                tx, case_ids=case_ids, alert_ids=[a for a, _ in alerts], public_ids=ids
            )
            scrub = _scrubber(tied, ids)
            family = set(case_ids)
            changed = await self._scrub_rows(tx, scrub, tied, family=family)
            tied_keys = {(r.table, r.key_values) for r in tied}
            unsent = [
                r
                for r in await redaction.unsent_rows(tx)
                if (r.table, r.key_values) not in tied_keys
            ]
            changed += await self._scrub_rows(tx, scrub, unsent, family=family, only=scrub)
            await redaction.mark_redacted(tx, case_ids, now=now)
            for case_id in case_ids:
                await cases.reindex(tx, case_id)
            edited = await self._edit_delivered(tx, record.id, changed)
            await audit.record(
                tx,
                at=now,
                actor_id=actor.user_id,
                action="case.redacted",
                target=public_id,
                outcome=Outcome.CHANGED,
                detail=f"{scrub.text(reason)[:300]} (sent messages edited: {edited})",
            )
        edited += await self._scrub_elsewhere(scrub, record.id, family, tied_keys)
        await self._db.erase_leftovers(redaction.compact_search_index)
        return Redacted(public_id=public_id, messages_edited=edited)

    async def _scrub_rows(
        self,
        tx: Conn,
        scrub: Scrubber,
        rows: list[Row],
        *,
        family: set[int],
        if_unchanged: bool = False,
        only: Scrubber | None = None,
    ) -> list[Row]:
        """Scrub each row (only those ``only.concerns``, when given); return the changed.
        ``family``: the redacted case and its duplicates, whose names and notes go whole."""
        changed = []
        for row in rows:
            if only is not None and not _concerns(only, row):
                continue
            whole = row.table == "cases" and row.key_values[0] in family
            changes = _changes(scrub, row, whole_case=whole)
            if await redaction.write(tx, row, changes, if_unchanged=if_unchanged):
                changed.append(row)
        return changed

    async def _edit_delivered(self, tx: Conn, case_id: int, changed: list[Row]) -> int:
        """Queue an edit of every message in Slack whose text just changed (one still on its
        way is edited once it lands)."""
        outbox_ids = [int(str(r.key_values[0])) for r in changed if r.table == "outbox"]
        edits = []
        for post_id in await redaction.delivered_posts(tx, outbox_ids):
            post = await outbox.get(tx, post_id)
            payload = await redaction.current_payload(tx, post_id)
            if post is None or payload is None:
                continue
            edits.append(
                Outgoing.edit_of(
                    post,
                    purpose=Purpose.REDACTION,
                    payload=payload,
                    priority=10,
                    ref_kind=RefKind.CASE,
                    ref_id=case_id,
                    dedupe_key=f"redact:{case_id}:{post_id}",
                )
            )
        return await outbox.enqueue(tx, edits, now=self._clock.now())

    async def _scrub_elsewhere(
        self,
        scrub: Scrubber,
        case_id: int,
        family: set[int],
        done: set[tuple[str, tuple[object, ...]]],
    ) -> int:
        """Rows that quote the case without pointing at it, a chunk per short transaction."""
        edited = 0
        for table in redaction.ELSEWHERE:
            after = 0
            while True:
                chunk = await redaction.chunk(self._db.read, table, after=after, limit=CHUNK_ROWS)
                if not chunk:
                    break
                after = int(str(chunk[-1].key_values[0]))
                hits = [
                    r
                    for r in chunk
                    if (r.table, r.key_values) not in done
                    and not (table == "cases" and r.key_values[0] in family)
                    and _concerns(scrub, r)
                ]
                if hits:
                    async with self._db.transaction() as tx:
                        changed = await self._scrub_rows(
                            tx, scrub, hits, family=family, if_unchanged=True
                        )
                        for row in changed:
                            if row.table == "cases":
                                await cases.reindex(tx, int(str(row.key_values[0])))
                        edited += await self._edit_delivered(tx, case_id, changed)
                await asyncio.sleep(0)  # let requests in between chunks
        return edited


def _scrubber(tied: list[Row], ids: list[str]) -> Scrubber:
    """What to take out: every name and note of the case and its duplicates."""
    family = [r for r in tied if r.table == "cases"]
    names = [r.values["victim_names"] for r in family]
    notes = [r.values["restricted_notes"] for r in family]
    notes += [kit.escape(n) for n in notes]
    return Scrubber(names=names, texts=notes, ids=ids)


def _concerns(scrub: Scrubber, row: Row) -> bool:
    for column, value in row.values.items():
        if column in redaction.PAYLOAD_COLUMNS.get(row.table, ()):
            if scrub.concerns_payload(value):
                return True
        elif scrub.concerns(value):
            return True
    return False


def _changes(scrub: Scrubber, row: Row, *, whole_case: bool) -> dict[str, str]:
    """The new value of each column of ``row`` that the scrubber changes."""
    changes = {}
    for column, value in row.values.items():
        if whole_case and column in ("victim_names", "restricted_notes"):
            new = MARK if value else value
        elif column == "victim_names":
            new = value  # another case's victim: that case is redacted on its own
        elif column == "sources":
            listed = json.loads(value or "[]")
            kept = scrub.urls(listed)
            new = json.dumps(kept) if kept != listed else value
        elif column in ("source_url", "link"):
            new = scrub.url(value)
        elif column in redaction.PAYLOAD_COLUMNS.get(row.table, ()):
            new = scrub.payload(value) if value else value
        else:
            new = scrub.text(value)
        if new != value:
            changes[column] = new
    return changes
