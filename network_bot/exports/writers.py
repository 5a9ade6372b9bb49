"""Rows to bytes, as they come: CSV, a streamed JSON array, or a write-only XLSX workbook.

Nothing is collected in memory: each row is written as it arrives, the workbook's sheet
streamed straight into its zip (``xlsx.py``). Files are written beside their final path and moved
into place only when complete (readable by the owner only), so a failed export leaves nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import AsyncIterable, Iterator, Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import BaseModel

from network_bot.exports.rows import ExportFormat
from network_bot.exports.xlsx import SheetWriter

Cell = str | int | float | None

# A spreadsheet runs a cell that starts with one of these as a formula: member text must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns(model: type[BaseModel]) -> list[str]:
    """The header: the model's fields, in declaration order."""
    return list(model.model_fields)


def cells(row: BaseModel) -> list[Cell]:
    """A row flattened for a sheet: lists joined by spaces (URLs and IDs hold none), enums and
    dates as their text."""
    return [_cell(getattr(row, name)) for name in type(row).model_fields]


def _cell(value: Any) -> Cell:
    if isinstance(value, tuple | list):
        return " ".join(str(_cell(v)) for v in value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):
        return value
    return str(value)


def _csv_safe(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


async def write_rows(
    rows: AsyncIterable[BaseModel],
    *,
    model: type[BaseModel],
    format: ExportFormat,
    out: BinaryIO,
    sheet: str = "cases",
    header: Sequence[str] | None = None,
) -> int:
    """Write every row to ``out`` (left open) and return how many there were. ``header``
    labels the columns of a CSV or workbook (default: the field names); JSON keeps its keys."""
    names = list(header) if header is not None else columns(model)
    if format is ExportFormat.CSV:
        return await _write_csv(rows, header=names, out=out)
    if format is ExportFormat.JSON:
        return await _write_json(rows, out=out)
    return await _write_xlsx(rows, header=names, out=out, sheet=sheet)


async def _write_csv(rows: AsyncIterable[BaseModel], *, header: list[str], out: BinaryIO) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow([_csv_safe(label) for label in header])
        count = 0
        async for row in rows:
            writer.writerow([_csv_safe(c) for c in cells(row)])
            count += 1
        text.flush()
        return count
    finally:
        text.detach()


async def _write_json(rows: AsyncIterable[BaseModel], *, out: BinaryIO) -> int:
    out.write(b"[")
    count = 0
    async for row in rows:
        line = json.dumps(row.model_dump(mode="json"), ensure_ascii=False)
        out.write((b",\n" if count else b"\n") + line.encode("utf-8"))
        count += 1
    out.write(b"\n]\n" if count else b"]\n")
    return count


async def _write_xlsx(
    rows: AsyncIterable[BaseModel], *, header: list[str], out: BinaryIO, sheet: str
) -> int:
    count = 0
    with SheetWriter(out, sheet=sheet, columns=len(header)) as book:
        book.row(header)
        async for row in rows:
            book.row(cells(row))
            count += 1
    return count


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file that appears at ``path`` (mode 0600) only once the block finishes without error."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
