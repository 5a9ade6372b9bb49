"""The record outside Slack: case exports for the CLI and for ``/cases export`` alike.

Typical use (consent first when the request needs it, then one call)::

    request = ExportRequest(format=ExportFormat.CSV, filters=ExportFilters(country="PK"))
    await authorise(db, consent_of=admin_id, request=request, destination="...", now=now)
    count = await export(db, request, out=Path("cases.csv"), today=now.date())

``out`` is a path (written atomically, mode 0600) or a binary file-like object (left open).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from network_bot.exports.labels import labelled_header
from network_bot.exports.rows import (
    ConsentRefused,
    ExportFilters,
    ExportFormat,
    ExportRequest,
    ExportRow,
    RestrictedExportRow,
    authorise,
    export_rows,
)
from network_bot.exports.unesco import JudicialStatus, UnescoRow, judicial_status, unesco_rows
from network_bot.exports.writers import atomic_file, write_rows
from network_bot.i18n import Messages
from network_bot.store.db import Database

__all__ = [
    "ConsentRefused",
    "ExportFilters",
    "ExportFormat",
    "ExportRequest",
    "ExportRow",
    "JudicialStatus",
    "RestrictedExportRow",
    "UnescoRow",
    "authorise",
    "export",
    "export_rows",
    "judicial_status",
    "unesco_rows",
    "write_rows",
]


async def export(
    db: Database,
    request: ExportRequest,
    *,
    out: BinaryIO | Path,
    today: date,
    lang: Messages | None = None,
) -> int:
    """Write the export ``request`` asks for to ``out``; return the number of rows. With
    ``lang``, the header row and the country's name are in that language; the codes stay.

    Does not check consent: call :func:`authorise` first when ``request.consent_role`` is set.
    """
    model: type[BaseModel]
    rows: AsyncIterator[BaseModel]
    if request.unesco:
        model, sheet = UnescoRow, "unesco"
        rows = unesco_rows(db, filters=request.filters)
    else:
        model = RestrictedExportRow if request.restricted else ExportRow
        sheet = "cases"
        rows = export_rows(db, filters=request.filters, today=today, restricted=request.restricted)
    header = None
    if lang is not None:
        header = labelled_header(model, lang)
        rows = _countries_named(rows, lang)
    if isinstance(out, Path):
        with atomic_file(out) as handle:
            return await write_rows(
                rows, model=model, format=request.format, out=handle, sheet=sheet, header=header
            )
    return await write_rows(
        rows, model=model, format=request.format, out=out, sheet=sheet, header=header
    )


async def _countries_named(rows: AsyncIterator[BaseModel], lang: Messages) -> AsyncIterator[Any]:
    """Each row with its country named in ``lang`` (the code beside it is unchanged)."""
    async for row in rows:
        code = getattr(row, "country", None)
        yield row.model_copy(update={"country_name": lang.country(code)}) if code else row
