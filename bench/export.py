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
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import REPORTER, generated_case

from network_bot.store import bulk, members
from network_bot.store.bulk import BulkCase
from network_bot.store.db import Database
from network_bot.vocabulary import Stage

ROOT = Path(__file__).resolve().parents[1]
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
import resource, sys
from network_bot.cli import main
code = main(["export", "--format", sys.argv[1], "--output", sys.argv[2]])
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except OSError:
    pass
print(f"PEAK_KB {peak_kb}")
sys.exit(code)
"""


def run_export(db: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    """Seconds, peak RSS in MB, and output bytes of one export in a fresh process."""
    env = {**os.environ, "NETWORK_BOT_DB": str(db), "NETWORK_BOT_LOG_LEVEL": "WARNING"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, fmt, str(out)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"export {fmt} failed ({done.returncode}): {done.stderr[-2000:]}")
    peak_kb = next(int(w.split()[1]) for w in done.stdout.splitlines() if w.startswith("PEAK_KB"))
    return elapsed, peak_kb / 1024, out.stat().st_size


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
