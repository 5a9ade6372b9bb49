"""A batch of incoming rows to the database: new cases added, corrected ones updated, the same
ones left alone. One call to :meth:`BatchWriter.plan` (reads only: a dry run stops there) and one
to :meth:`BatchWriter.apply`, both inside the batch's own transaction.

A correction changes a field only where the case still holds what the last import put there:
a value a coordinator has changed since is kept, and the summary says so. A redacted case never
gets its names (or text that could quote them) back. Each corrected case gets a timeline entry
saying what changed, and its followers are told as for any update.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from network_bot.clock import iso
from network_bot.i18n import Text, say
from network_bot.imports.keys import Occurrences, stable_key
from network_bot.imports.model import IMPORTER_ID, Incoming, Skip, Source
from network_bot.store import bulk, cases, imports, updates
from network_bot.store.bulk import BulkCase
from network_bot.store.db import Conn
from network_bot.store.updates import UpdateState
from network_bot.vocabulary import Stage, Status

# The fields an import sets, and how a timeline entry names each when a correction changes it.
LABELS = {
    "victim_names": "the victim's name",
    "victim_withheld": "whether the name is withheld",
    "profession": "profession",
    "gender": "gender",
    "violation": "violation",
    "incident_date": "date",
    "date_precision": "how precise the date is",
    "date_end": "latest possible date",
    "date_approximate": "whether the date is approximate",
    "country": "country",
    "perpetrator": "suspected perpetrator",
    "summary": "the details",
    "sources": "sources",
    "provenance": "source",
    "provenance_note": "the import notes",
    "status": "verification",
    "justice_stage": "justice process",
}
# Shown as "changed" without the values (long text, or names).
QUIET = frozenset({"victim_names", "summary", "sources", "provenance_note"})
# What redaction took out stays out.
REDACTED_KEEP = frozenset({"victim_names", "victim_withheld", "summary", "provenance_note"})
SOURCE_NAMES = {Source.CPJ: "CPJ's database", Source.EXPORT: "the export"}


def imported_fields(item: Incoming) -> dict[str, Any]:
    case = item.case
    return {
        "victim_names": case.victim_names,
        "victim_withheld": case.victim_withheld,
        "profession": case.profession.value,
        "gender": case.gender.value,
        "violation": case.violation.value,
        "incident_date": case.incident_date.isoformat(),
        "date_precision": case.date_precision.value,
        "date_end": case.date_end.isoformat() if case.date_end else None,
        "date_approximate": case.date_approximate,
        "country": case.country,
        "perpetrator": case.perpetrator.value,
        "summary": case.summary,
        "sources": list(case.sources),
        "provenance": case.provenance,
        "provenance_note": case.provenance_note,
        "status": item.status.value,
        "justice_stage": item.stage.value,
    }


def current_fields(row: sqlite3.Row) -> dict[str, Any]:
    found = {name: row[name] for name in LABELS}
    found["victim_withheld"] = bool(found["victim_withheld"])
    found["date_approximate"] = bool(found["date_approximate"])
    found["sources"] = json.loads(found["sources"] or "[]")
    return found


@dataclass(kw_only=True)
class Change:
    item: Incoming
    case_id: int
    public_id: str
    fields: dict[str, Any]
    updates: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    kept: list[Text] = field(default_factory=list)


@dataclass(kw_only=True)
class Plan:
    new: list[tuple[Incoming, str]] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    skips: list[Skip] = field(default_factory=list)

    @property
    def updated(self) -> int:
        return sum(1 for c in self.changes if c.updates)

    @property
    def unchanged_total(self) -> int:
        return self.unchanged + sum(1 for c in self.changes if not c.updates)


class BatchWriter:
    def __init__(
        self,
        *,
        source: Source,
        prefix: str,
        seen: Occurrences,
        now: datetime,
    ) -> None:
        self._source = source
        self._prefix = prefix
        self._seen = seen
        self._now = now
        self._importer_ready = False

    async def plan(self, conn: Conn, batch: Sequence[Incoming]) -> Plan:
        """What the batch would do; reads only."""
        plan = Plan()
        occurrences = self._seen.count([item.identity for item in batch])
        keyed: list[tuple[Incoming, str]] = []
        for item, n in zip(batch, occurrences, strict=True):
            if n and self._source is Source.EXPORT:
                plan.skips.append(
                    Skip(
                        line=item.line,
                        reason=say("{id} appears earlier in this file", id=item.public_id),
                    )
                )
                continue
            keyed.append((item, stable_key(item.identity, n)))
        existing = await imports.find(conn, source=self._source.value, keys=[k for _, k in keyed])
        wanted_ids = [i.public_id for i, k in keyed if k not in existing and i.public_id]
        taken = await imports.taken_public_ids(conn, wanted_ids)
        for item, key in keyed:
            row = existing.get(key)
            if row is None:
                if item.public_id in taken:
                    plan.skips.append(
                        Skip(
                            line=item.line,
                            reason=say(
                                "{id} is already the ID of another case here (one not "
                                "imported from an export); nothing was changed",
                                id=item.public_id,
                            ),
                        )
                    )
                    continue
                plan.new.append((item, key))
            elif row["row_hash"] == item.digest:
                plan.unchanged += 1
            else:
                plan.changes.append(self._diff(item, row))
        return plan

    def _diff(self, item: Incoming, row: sqlite3.Row) -> Change:
        wanted = imported_fields(item)
        before = json.loads(row["fields"])
        now = current_fields(row)
        change = Change(
            item=item, case_id=int(row["id"]), public_id=row["public_id"], fields=wanted
        )
        for name, value in wanted.items():
            if value == before.get(name) or value == now[name]:
                continue
            if row["redacted_at"] and name in REDACTED_KEEP:
                change.kept.append(
                    say("{field}: the case was redacted, so it stays out", field=LABELS[name])
                )
                change.fields[name] = now[name]  # nor is it kept in the import's own record
            elif now[name] != before.get(name):
                change.kept.append(
                    say(
                        "{field}: kept {kept} (the file now says {given})",
                        field=LABELS[name],
                        kept=_shown(name, now[name]),
                        given=_shown(name, value),
                    )
                )
            else:
                change.updates[name] = value
                change.before[name] = now[name]
        return change

    async def apply(self, tx: Conn, plan: Plan, *, today: date, run_id: int) -> None:
        if not self._importer_ready and (plan.new or plan.changes):
            await imports.ensure_importer(tx, user_id=IMPORTER_ID, now=self._now)
            self._importer_ready = True
        if plan.new:
            added = await bulk.insert_many(
                tx,
                [
                    BulkCase(
                        case=item.case,
                        status=item.status,
                        stage=item.stage,
                        reviewed_by=IMPORTER_ID,
                        public_id=item.public_id,
                    )
                    for item, _ in plan.new
                ],
                prefix=self._prefix,
                now=self._now,
            )
            await imports.add_keys(
                tx,
                [
                    (case_id, key, item.digest, imported_fields(item), item.line)
                    for (item, key), (case_id, _) in zip(plan.new, added, strict=True)
                ],
                source=self._source.value,
                run_id=run_id,
                now=self._now,
            )
        for change in plan.changes:
            if change.updates:
                await self._correct(tx, change, today=today)
            await imports.refresh_key(
                tx,
                case_id=change.case_id,
                row_hash=change.item.digest,
                fields=change.fields,
                run_id=run_id,
                line=change.item.line,
                now=self._now,
            )

    async def _correct(self, tx: Conn, change: Change, *, today: date) -> None:
        values = change.updates
        columns = [f"{name} = ?" for name in values]
        params: list[Any] = [_column(name, value) for name, value in values.items()]
        if "justice_stage" in values:
            columns.append("justice_stage_date = ?")
            params.append(today.isoformat())
        await tx.execute(
            f"UPDATE cases SET {', '.join(columns)}, updated_at = ? WHERE id = ?",
            (*params, iso(self._now), change.case_id),
        )
        await cases.reindex(tx, change.case_id)
        stage_to = Stage(values["justice_stage"]) if "justice_stage" in values else None
        stage_from = Stage(change.before["justice_stage"]) if stage_to else None
        update_id = await updates.insert(
            tx,
            case_id=change.case_id,
            author_id=IMPORTER_ID,
            state=UpdateState.APPROVED,
            happened_on=today,
            body=self._describe(change),
            source_url="",
            stage_from=stage_from,
            stage_to=stage_to,
            skip_reason=f"as corrected in {SOURCE_NAMES[self._source]}" if stage_to else "",
            now=self._now,
        )
        status = values.get("status", change.fields["status"])
        if status == Status.VERIFIED.value:
            followers = await imports.case_followers(tx, change.case_id)
            await updates.queue_notifications(
                tx, update_id=update_id, user_ids=followers, now=self._now
            )

    def _describe(self, change: Change) -> str:
        parts = []
        for name, value in change.updates.items():
            if name in QUIET:
                parts.append(f"{LABELS[name]} corrected")
            else:
                before = _shown(name, change.before[name])
                parts.append(f"{LABELS[name]} {before} → {_shown(name, value)}")
        where = SOURCE_NAMES[self._source]
        return f"Corrected in {where} (line {change.item.line:,}): " + "; ".join(parts) + "."


def _column(name: str, value: Any) -> Any:
    if name == "sources":
        return json.dumps(list(value))
    if isinstance(value, bool):
        return int(value)
    return value


def _shown(name: str, value: Any) -> str:
    if name in QUIET:
        return "the earlier text"
    if value is None or value == "":
        return "none"
    if name == "justice_stage":
        return Stage(value).label
    return str(value).replace("_", " ")
