"""A one-sheet XLSX workbook written as rows come: the sheet's XML streamed into the zip.

The libraries measured (``bench/xlsx_candidates.py``: openpyxl's write-only mode, XlsxWriter's
constant-memory mode, PyExcelerate) took 2.3 to 3.5 times as long as CSV for the same rows, or
held the whole sheet in memory; a workbook of one plain sheet is small enough to write directly
(ECMA-376 SpreadsheetML: a content-types part, two relationship parts, the workbook, the
sheet). Text cells are inline strings (``t="inlineStr"``), which a spreadsheet never reads as a
formula; numbers are numbers; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from typing import IO, BinaryIO
from xml.sax.saxutils import escape

Cell = str | int | float | None

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

_CONTENT_TYPES = (
    _XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


_TEXT_OPEN = '<c t="inlineStr"><is><t xml:space="preserve">'
_TEXT_CLOSE = "</t></is></c>"
# One pass over each text: XML's three special characters escaped, the control characters XML
# 1.0 cannot hold at all dropped.
_TEXT = {
    ord("&"): "&amp;",
    ord("<"): "&lt;",
    ord(">"): "&gt;",
    **{c: None for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF)},
}


class SheetWriter:
    """``with SheetWriter(out, sheet="cases", columns=n) as sheet: sheet.row([...])``."""

    def __init__(self, out: BinaryIO, *, sheet: str, columns: int) -> None:
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._sheet = escape(sheet[:31])
        self._columns = columns
        self._part: IO[bytes] | None = None
        self._buffer: list[str] = []

    def __enter__(self) -> SheetWriter:
        self._part = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._write(_XML + f'<worksheet xmlns="{_MAIN}"><sheetData>')
        return self

    def row(self, cells: Sequence[Cell]) -> None:
        """One row; cells carry no reference (the format allows it: each cell is the next
        column, each row the next row), which keeps the sheet small and quick to write."""
        parts = ["<row>"]
        for value in cells[: self._columns]:
            if value is None or value == "":  # present but empty: every row has every column
                parts.append("<c/>")
            elif isinstance(value, bool):
                parts.append(f'<c t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float):
                parts.append(f"<c><v>{value}</v></c>")
            else:
                parts.append(_TEXT_OPEN + value.translate(_TEXT) + _TEXT_CLOSE)
        parts.append("</row>")
        self._buffer.append("".join(parts))
        if len(self._buffer) >= 500:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._write("".join(self._buffer))
            self._buffer = []

    def _write(self, text: str) -> None:
        assert self._part is not None
        self._part.write(text.encode("utf-8"))

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            if kind is None:
                self._flush()
                self._write("</sheetData></worksheet>")
            if self._part is not None:
                self._part.close()
            if kind is None:
                self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
                self._zip.writestr("_rels/.rels", _ROOT_RELS)
                self._zip.writestr(
                    "xl/workbook.xml",
                    _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
                    f'<sheet name="{self._sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
                )
                self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        finally:
            self._zip.close()
