"""Exports at scale: 25k, 50k and 100k verified cases, each format in a fresh process.

Cases come from the same generator as ``bench/search.py`` (realistic text, 20% anonymous
reporters, 10% withheld names), bulk-inserted with ``executemany``. Each export runs as
``network_bot.cli.main(["export", "--format", F, "--output", FILE])`` in a fresh child
process, which then reports its own peak resident memory (``VmHWM`` in ``/proc/self/status``:
the high-water mark of this process image only, unlike ``ru_maxrss``, which also counts the
parent's pages a forked child held before ``exec``). The target is flat memory: peak RSS at
100k close to peak RSS at 25k.

    python bench/export.py [--counts 25000,50000,100000]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import REPORTER, generated_case

from network_bot.data import countries
from network_bot.store import cases
from network_bot.store.db import bundled_migrations
from network_bot.vocabulary import Stage

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ("csv", "json", "xlsx")


def create(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    for migration in bundled_migrations():
        conn.executescript(
            f"BEGIN;\n{migration.sql}\n;PRAGMA user_version = {migration.version};\nCOMMIT;"
        )
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn.execute(
        "INSERT INTO members (user_id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
        (REPORTER, "reporter", now, now),
    )
    conn.close()


def grow(path: Path, *, start: int, stop: int, rng: random.Random) -> None:
    """Add verified cases numbered ``start + 1`` to ``stop``, with their search-index rows."""
    now = datetime.now(UTC)
    stages = list(Stage)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    rows, fts = [], []
    for n in range(start + 1, stop + 1):
        case = generated_case(rng, now.date())
        values = cases.insert_values(case, public_id=f"NI-2026-{n:06d}", now=now)
        rows.append((n, *values, "verified", rng.choice(stages).value))
        country = countries.by_code(case.country)
        fts.append(
            (
                n,
                f"NI-2026-{n:06d}",
                "" if case.victim_withheld else case.victim_names,
                case.summary,
                case.place,
                country.name if country else case.country,
            )
        )
    conn.executemany(
        """
        INSERT INTO cases (id, public_id, created_at, updated_at, reporter_id, reporter_anonymous,
                           victim_names, victim_withheld, profession, gender, violation,
                           incident_date, country, place, perpetrator, urgency, summary, sources,
                           restricted_notes, status, justice_stage)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        rows,
    )
    conn.executemany(
        "INSERT INTO cases_fts (rowid, public_id, victim_names, summary, place, country_name) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        fts,
    )
    conn.execute("COMMIT")
    conn.close()


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
