"""One import from start to end: check the file, stream its rows in batches, one transaction per
batch, and say what happened.

Nothing is written before the file's encoding and header are known to be good. Each batch of
rows is planned and applied in one transaction, with the run's progress recorded in it: a run
that stops (a crash, Ctrl-C, a file that breaks off) leaves whole batches only, and running the
same import again continues, because rows already imported are recognised by their keys. A dry
run plans each batch against the database and writes nothing.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, TextIO

from network_bot.i18n import Messages, say
from network_bot.imports import cpj, exported
from network_bot.imports.csvfile import CsvRows, fingerprint
from network_bot.imports.keys import Occurrences
from network_bot.imports.model import ImportStopped, Incoming, Item, Skip, Source
from network_bot.imports.progress import Progress
from network_bot.imports.summary import ImportSummary
from network_bot.imports.writer import BatchWriter, Plan
from network_bot.store import audit, imports
from network_bot.store.audit import Outcome
from network_bot.store.db import Conn, Database

BATCH_ROWS = 2000
ACTOR = "network-bot import"


class ImportFormat(StrEnum):
    CPJ = "cpj"
    CSV = "csv"
    JSON = "json"

    @property
    def source(self) -> Source:
        return Source.CPJ if self is ImportFormat.CPJ else Source.EXPORT


@dataclass(frozen=True, kw_only=True)
class ImportRequest:
    path: Path
    format: ImportFormat
    prefix: str
    dry_run: bool = False
    encoding: str = "utf-8-sig"
    country_choices: Mapping[str, str] = field(default_factory=dict)
    batch_rows: int = BATCH_ROWS


class _Reading:
    """The open file and its rows, whichever the format; ``offset`` for progress."""

    def __init__(self, request: ImportRequest, summary: ImportSummary, now: datetime) -> None:
        self._request = request
        self._summary = summary
        self._now = now
        self._stack = contextlib.ExitStack()
        self._csv: CsvRows | None = None
        self._binary: BinaryIO | None = None

    def __enter__(self) -> Iterator[Item]:
        request, today = self._request, self._now.date()
        if request.format is ImportFormat.JSON:
            self._binary = self._stack.enter_context(request.path.open("rb"))
            return exported.read_json(self._binary, today=today)
        self._csv = self._stack.enter_context(CsvRows(request.path, encoding=request.encoding))
        if request.format is ImportFormat.CPJ:
            return cpj.read(
                self._csv, tally=self._summary.tally, chosen=request.country_choices, today=today
            )
        return exported.read_csv(self._csv, today=today)

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @property
    def offset(self) -> int:
        if self._csv is not None:
            return self._csv.offset
        return self._binary.tell() if self._binary is not None else 0


async def run_import(
    db: Database,
    request: ImportRequest,
    *,
    now: datetime,
    progress_out: TextIO,
    lang: Messages | None = None,
) -> ImportSummary:
    """Import ``request.path``; :class:`ImportRefused` before anything is written if it cannot
    be. The summary says what was done (``stopped`` if the file broke off part-way)."""
    encoding = "utf-8" if request.format is ImportFormat.JSON else request.encoding
    print_ = fingerprint(request.path, encoding=encoding)
    summary = ImportSummary(file_name=request.path.name, dry_run=request.dry_run, lang=lang)
    previous = await imports.previous_run(db.read, sha256=print_.sha256)
    if previous is not None:
        summary.resumed = (
            say(
                "This file was imported before ({started}); rows already imported are "
                "recognised and left as they are.",
                started=str(previous.started_at),
            )
            if previous.finished_at
            else say(
                "An import of this file started {started} stopped after line {line}; "
                "continuing (the rows it committed are recognised).",
                started=str(previous.started_at),
                line=previous.last_line,
            )
        )
    run = _Run(request=request, sha256=print_.sha256, now=now)
    progress = Progress(total_bytes=print_.size, out=progress_out, label=request.path.name)
    started = time.perf_counter()
    reader = _Reading(request, summary, now)
    with Occurrences() as seen, reader as items:
        writer = BatchWriter(
            source=request.format.source,
            prefix=request.prefix,
            seen=seen,
            now=now,
        )
        batch = _Batch()
        try:
            for item in items:
                summary.rows += 1
                if isinstance(item, Skip):
                    summary.skip(item.line, item.reason)
                    batch.skipped += 1
                    batch.last_line = item.line
                    continue
                for decision in item.decisions:
                    summary.tally.decided(decision)
                batch.add(item)
                if len(batch.items) >= request.batch_rows:
                    await _flush(db, writer, batch, summary, run=run)
                    progress.update(offset=reader.offset, rows=summary.rows)
                    batch = _Batch()
        except ImportStopped as stop:
            summary.stopped = say(
                "{why}. The rows before it are in (whole batches, one transaction each); "
                "fix the file and run the same import again to continue",
                why=stop.message,
            )
        await _flush(db, writer, batch, summary, run=run)
        progress.close()
    summary.elapsed = time.perf_counter() - started
    if run.id is not None:
        async with db.transaction() as tx:
            if summary.stopped is None:
                await imports.finish_run(tx, run_id=run.id, now=now)
            await audit.record(
                tx,
                at=now,
                actor_id=ACTOR,
                action=f"import.{request.format.value}",
                target=request.path.name[:200],
                outcome=Outcome.CHANGED,
                detail=f"imported {summary.imported}, updated {summary.updated}, "
                f"unchanged {summary.unchanged}, skipped {summary.skipped}"
                + (" (stopped part-way)" if summary.stopped else ""),
            )
    return summary


@dataclass(kw_only=True)
class _Run:
    """The run's row, written with the first batch: a file refused before any (a wrong header,
    say) leaves nothing behind, not even a run."""

    request: ImportRequest
    sha256: str
    now: datetime
    id: int | None = None

    async def ensure(self, tx: Conn) -> int:
        if self.id is None:
            self.id = await imports.start_run(
                tx,
                format=self.request.format.value,
                file_name=self.request.path.name,
                sha256=self.sha256,
                now=self.now,
            )
        return self.id


@dataclass(kw_only=True)
class _Batch:
    items: list[Incoming] = field(default_factory=list)
    skipped: int = 0
    last_line: int = 0

    def add(self, item: Incoming) -> None:
        self.items.append(item)
        self.last_line = item.line


async def _flush(
    db: Database,
    writer: BatchWriter,
    batch: _Batch,
    summary: ImportSummary,
    *,
    run: _Run,
) -> None:
    if not batch.items and not batch.skipped:
        return
    plan: Plan
    if run.request.dry_run:  # plan against what is committed, write nothing
        plan = await writer.plan(db.read, batch.items)
    else:
        async with db.transaction() as tx:
            run_id = await run.ensure(tx)
            plan = await writer.plan(tx, batch.items)
            await writer.apply(tx, plan, today=run.now.date(), run_id=run_id)
            await imports.record_batch(
                tx,
                run_id=run_id,
                last_line=batch.last_line,
                imported=len(plan.new),
                updated=plan.updated,
                unchanged=plan.unchanged_total,
                skipped=batch.skipped + len(plan.skips),
            )
    summary.imported += len(plan.new)
    summary.updated += plan.updated
    summary.unchanged += plan.unchanged_total
    for skip in plan.skips:
        summary.skip(skip.line, skip.reason)
    for change in plan.changes:
        for what in change.kept:
            summary.keep(change.item.line, change.public_id, what)
