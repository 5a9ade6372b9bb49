"""Reading a CSV file for import: its encoding checked first, then rows with their line numbers.

Before anything is written the whole file is read once as bytes: its SHA-256 (to recognise a
file imported before) and its encoding (a byte that is not valid in it is reported with its
line, and nothing is imported). Rows then stream one at a time, each with the line it starts
on (a quoted field may span lines), and the byte offset for progress.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from network_bot.i18n import Text, say, say_n
from network_bot.imports.model import ImportRefused, ImportStopped

CHUNK = 1 << 20
# The longest field the CSV reader accepts at all. A longer one is almost always a quote that is
# never closed, swallowing the rest of the file; a field under it but over a cell's limit only
# costs its row (see model.MAX_CELL).
MAX_FIELD = 16 << 20


@dataclass(frozen=True, slots=True)
class Fingerprint:
    sha256: str
    size: int


def fingerprint(path: Path, *, encoding: str) -> Fingerprint:
    """The file's hash and size; :class:`ImportRefused` if a byte is not valid ``encoding``."""
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    except LookupError:
        raise ImportRefused(
            say("--encoding: unknown encoding {given}", given=repr(encoding[:30]))
        ) from None
    digest = hashlib.sha256()
    offset = 0
    lines = 1
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    bad = offset + error.start
                    line = lines + chunk[: error.start].count(b"\n")
                    raise ImportRefused(
                        say(
                            "line {line} (byte {byte}) is not valid {encoding}: {bytes}. Save "
                            "the file as UTF-8, or name its encoding with --encoding (e.g. "
                            "--encoding cp1252). Nothing was imported.",
                            line=line,
                            byte=bad,
                            encoding=encoding,
                            bytes=repr(chunk[error.start : error.start + 4]),
                        )
                    ) from None
                lines += chunk.count(b"\n")
                offset += len(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportRefused(
            say(
                "the file ends in the middle of a {encoding} character. Nothing was imported.",
                encoding=encoding,
            )
        ) from None
    except OSError as error:
        raise ImportRefused(
            say("cannot read {path}: {error}", path=str(path), error=str(error.strerror or error))
        ) from None
    return Fingerprint(sha256=digest.hexdigest(), size=offset)


@dataclass(frozen=True, slots=True)
class Row:
    line: int  # where the row starts
    end_line: int  # where it ends (a quoted field may hold line breaks)
    fields: list[str]


class CsvRows:
    """``with CsvRows(path, encoding=...) as rows:``; ``rows.header``, then iterate; ``offset``
    is how far into the file (in bytes) reading has got."""

    def __init__(self, path: Path, *, encoding: str) -> None:
        self._path = path
        self._encoding = encoding
        self._stack = contextlib.ExitStack()
        self._binary: BinaryIO | None = None
        self._reader: Iterator[list[str]] | None = None
        self._line_num = 0
        self.header: list[str] = []

    def __enter__(self) -> CsvRows:
        self._stack.enter_context(_field_limit(MAX_FIELD))
        self._binary = self._stack.enter_context(self._path.open("rb"))
        text = io.TextIOWrapper(self._binary, encoding=self._encoding, newline="")
        reader = csv.reader(text)
        self._reader = reader
        self._csv = reader
        self.header = [h.strip().lstrip("\ufeff") for h in self._next_fields()]
        while self.header and not self.header[-1]:  # trailing commas a spreadsheet added
            self.header.pop()
        if not self.header:
            raise ImportRefused(
                say("the file is empty: it has no header line. Nothing was imported.")
            )
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @property
    def offset(self) -> int:
        return self._binary.tell() if self._binary is not None else 0

    def _next_fields(self) -> list[str]:
        assert self._reader is not None
        try:
            return next(self._reader, [])
        except csv.Error as error:
            line = self._csv.line_num
            raise ImportStopped(
                say(
                    "line {line}: the file cannot be read as CSV past this point ({error}); a "
                    "field over 16 MB usually means a quote that is never closed",
                    line=line,
                    error=str(error),
                ),
                line=line,
            ) from None

    def __iter__(self) -> Iterator[Row]:
        while True:
            start = self._csv.line_num + 1
            fields = self._next_fields()
            if not fields:
                if self._csv.line_num < start:  # the end of the file
                    return
                continue  # a blank line holds nothing
            yield Row(line=start, end_line=self._csv.line_num, fields=fields)


def fit(row: Row, header: list[str]) -> list[str] | Text:
    """The row's fields lined up with the header, or why they cannot be (a short or long row;
    empty cells a spreadsheet added at the end are dropped)."""
    fields = row.fields
    if len(fields) > len(header) and not any(f.strip() for f in fields[len(header) :]):
        fields = fields[: len(header)]
    if len(fields) == len(header):
        return fields
    if row.end_line - row.line > 5:
        return say_n(
            "{n} field where the header has {header} (a missing or extra comma, or a quote "
            "not closed); it runs on to line {end}, so a quote that is never closed took in "
            "the {taken} lines after it, and none of them was imported",
            "{n} fields where the header has {header} (a missing or extra comma, or a quote "
            "not closed); it runs on to line {end}, so a quote that is never closed took in "
            "the {taken} lines after it, and none of them was imported",
            len(fields),
            header=len(header),
            end=row.end_line,
            taken=row.end_line - row.line,
        )
    return say_n(
        "{n} field where the header has {header} (a missing or extra comma, or a quote not closed)",
        "{n} fields where the header has {header} (a missing or extra comma, or a quote not "
        "closed)",
        len(fields),
        header=len(header),
    )


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    """The csv module's field limit is process-wide: raise it for this read, then put it back."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)
