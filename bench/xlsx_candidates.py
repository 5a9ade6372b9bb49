"""Which library writes the XLSX export fastest, with memory flat: the same 100,000 export rows
written by each candidate in a fresh child process (seconds for the rows and the file, and the
child's peak RSS), against CSV of the same rows.

Candidates: openpyxl's write-only mode (what the export used), XlsxWriter's constant-memory
mode, PyExcelerate (which keeps the whole sheet in memory before writing), and the bot's own
streaming sheet writer (``network_bot/exports/xlsx.py``).

    python bench/xlsx_candidates.py [--cases 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from pathlib import Path

from _common import run_child
from export import create, grow

CANDIDATES = ("csv", "openpyxl", "xlsxwriter", "pyexcelerate", "sheetwriter")

CHILD = """
import asyncio, csv, sys, time
from datetime import date
from network_bot.exports import ExportFilters, export_rows
from network_bot.exports.rows import ExportRow
from network_bot.exports.writers import cells, columns
from network_bot.store.db import Database

which, db_path, out = sys.argv[1], sys.argv[2], sys.argv[3]

async def rows():
    db = Database(db_path, readers=1)
    await db.open()
    found = [cells(r) async for r in export_rows(db, filters=ExportFilters(), today=date.today())]
    await db.close()
    return found

async def stream():
    db = Database(db_path, readers=1)
    await db.open()
    async for r in export_rows(db, filters=ExportFilters(), today=date.today()):
        yield cells(r)
    await db.close()

async def main():
    header = columns(ExportRow)
    started = time.perf_counter()
    if which == "csv":
        with open(out, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            async for row in stream():
                writer.writerow(row)
    elif which == "openpyxl":
        from openpyxl import Workbook
        book = Workbook(write_only=True)
        sheet = book.create_sheet("cases")
        sheet.append(header)
        async for row in stream():
            sheet.append(row)
        book.save(out)
    elif which == "xlsxwriter":
        import xlsxwriter
        book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                         "strings_to_urls": False, "strings_to_numbers": False})
        sheet = book.add_worksheet("cases")
        sheet.write_row(0, 0, header)
        n = 1
        async for row in stream():
            sheet.write_row(n, 0, row)
            n += 1
        book.close()
    elif which == "sheetwriter":
        from network_bot.exports.xlsx import SheetWriter
        width = len(header)
        with open(out, "wb") as handle, SheetWriter(handle, sheet="cases", columns=width) as sheet:
            sheet.row(header)
            async for row in stream():
                sheet.row(row)
    else:
        from pyexcelerate import Workbook
        data = [header] + await rows()
        book = Workbook()
        book.new_sheet("cases", data=data)
        book.save(out)
    return time.perf_counter() - started

print(f"RESULT {asyncio.run(main())}")
"""


def measure(which: str, db: Path, out: Path) -> tuple[float, float]:
    """Seconds the writing took (start-up aside) and peak RSS in MB, in a fresh process."""
    run = run_child(CHILD, which, str(db), str(out), what=which)
    return float(run.line("RESULT").split()[1]), run.peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        create(db)
        grow(db, start=0, stop=options.cases, rng=random.Random(42))
        base = None
        print(f"{'writer':>13} {'seconds':>8} {'x csv':>6} {'peak RSS':>9} {'file':>8}")
        for which in CANDIDATES:
            out = Path(folder) / f"out-{which}.{'csv' if which == 'csv' else 'xlsx'}"
            seconds, peak = measure(which, db, out)
            base = base or seconds
            size = out.stat().st_size / 2**20
            print(
                f"{which:>13} {seconds:>8.2f} {seconds / base:>6.2f} {peak:>6.1f} MB "
                f"{size:>5.1f} MB"
            )


if __name__ == "__main__":
    main()
