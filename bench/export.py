"""Exports at scale: 25k, 50k and 100k verified cases, each format in a fresh process.

Cases come from the same generator as ``bench/search.py`` (realistic text, 20% anonymous
reporters, 10% withheld names), loaded through the store's bulk insert (``store/bulk.py``).
Each export runs as
``network_bot.cli.main(["export", "--format", F, "--output", FILE])`` in a fresh child
process, which then reports its own peak resident memory (``VmHWM`` in ``/proc/self/status``:
the high-water mark of this process image only, unlike ``ru_maxrss``, which also counts the
parent's pages a forked child held before ``exec``). The target is flat memory: peak RSS at
100k close to peak RSS at 25k.

    python bench/export.py [--counts 25000,50000,100000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from _common import run_child
from search import REPORTER, generated_case

from network_bot.store import bulk, members
from network_bot.store.bulk import BulkCase
from network_bot.store.db import Database
from network_bot.vocabulary import Stage

FORMATS = ("csv", "json", "xlsx")


def create(path: Path) -> None:
    async def migrate() -> None:
        db = Database(path)
        await db.open()
        try:
            await db.migrate()
            async with db.transaction() as tx:
                await members.add_if_new(
                    tx,
                    user_id=REPORTER,
                    team_id=None,
                    display_name="reporter",
                    now=datetime.now(UTC),
                )
        finally:
            await db.close()

    asyncio.run(migrate())


def grow(path: Path, *, start: int, stop: int, rng: random.Random) -> None:
    """Add verified cases numbered ``start + 1`` to ``stop``, with their search-index rows,
    through the store's bulk insert (the import's path)."""
    stages = list(Stage)
    items = [
        BulkCase(
            case=generated_case(rng, datetime.now(UTC).date()),
            stage=rng.choice(stages),
            reviewed_by=REPORTER,
            public_id=f"NI-2026-{n:06d}",
        )
        for n in range(start + 1, stop + 1)
    ]

    async def insert() -> None:
        db = Database(path)
        await db.open()
        try:
            for first in range(0, len(items), 5000):
                async with db.transaction() as tx:
                    await bulk.insert_many(
                        tx, items[first : first + 5000], prefix="NI", now=datetime.now(UTC)
                    )
        finally:
            await db.close()

    asyncio.run(insert())


CHILD = """
import sys
from network_bot.cli import main
sys.exit(main(["export", "--format", sys.argv[1], "--output", sys.argv[2]]))
"""


def run_export(db: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB, and output bytes of one export in a fresh process."""
    run = run_child(CHILD, fmt, str(out), what=f"export {fmt}", env={"NETWORK_BOT_DB": str(db)})
    return run.seconds, run.peak_mb, out.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="25000,50000,100000")
    options = parser.parse_args()
    counts = sorted(int(c) for c in options.counts.split(","))
    rng = random.Random(42)
    peaks: dict[tuple[int, str], float] = {}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        create(db)
        have = 0
        print(
            f"{'cases':>8} {'format':>6} {'seconds':>8} {'rows/s':>8} {'peak RSS':>9} {'file':>9}"
        )
        for count in counts:
            grow(db, start=have, stop=count, rng=rng)
            have = count
            for fmt in FORMATS:
                out = Path(folder) / f"export.{fmt}"
                seconds, peak, size = run_export(db, fmt, out)
                peaks[(count, fmt)] = peak
                print(
                    f"{count:>8,} {fmt:>6} {seconds:>8.2f} {count / seconds:>8,.0f} "
                    f"{peak:>6.1f} MB {size / 2**20:>6.1f} MB"
                )
                out.unlink()
    low, high = counts[0], counts[-1]
    ratios = ", ".join(f"{fmt} {peaks[(high, fmt)] / peaks[(low, fmt)]:.2f}" for fmt in FORMATS)
    print(f"\npeak RSS {high:,} / {low:,} cases: {ratios} (target: close to 1.0)")


if __name__ == "__main__":
    main()
