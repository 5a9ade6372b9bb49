"""Import at scale: CPJ-shaped files of 10,000 and 100,000 rows, each imported by
``network-bot import --format cpj FILE`` in a fresh child process into a fresh database, which
then reports its own peak resident memory (``VmHWM``). Times include the child's start-up and
the search index. The file mixes the shapes real files have: dates to the day, the month, a
range, "or"; historical and aliased countries; names in several scripts; multi-line fields;
a few rows that are skipped.

    python bench/import.py [--counts 10000,100000]
"""

from __future__ import annotations

import argparse
import calendar
import csv
import os
import random
import tempfile
from pathlib import Path

from _common import run_child

from network_bot.imports.cpj_vocabulary import COLUMNS

MONTHS = list(calendar.month_name)[1:]
COUNTRIES = [
    "Pakistan",
    "Mexico",
    "Philippines",
    "Colombia",
    "Iraq",
    "Syria",
    "India",
    "Brazil",
    "Somalia",
    "Russia",
    "USA",
    "UK",
    "Ivory Coast",
    "Bosnia",
    "East Timor",
    "Republic of Congo",
    "Yugoslavia",
    "Honduras",
    "Afghanistan",
    "Ukraine",
]
NAMES = [
    "Arshad Mahmood",
    "Мария Иванова",
    "أحمد حسن",
    "王小明",
    "राम शर्मा",
    "Ελένη Π.",
    "Juan Pérez",
    "Chea Vichea",
    "שרה כהן",
    "Kim Nguyễn",
]
JOBS = [
    "Print Reporter",
    "Broadcast Reporter",
    "Editor",
    "Camera Operator",
    "Photographer",
    "Columnist/Commentator",
    "Producer",
    "Internet Reporter",
    "Publisher/Owner",
    "",
]
FIRE = [
    "Political Group",
    "Military Officials",
    "Criminal Group",
    "Government Officials",
    "Unknown Fire",
    "Paramilitary Group",
    "Local Residents",
    "",
]


def messy_date(rng: random.Random) -> str:
    year = rng.randint(1992, 2025)
    month = rng.choice(MONTHS)
    roll = rng.random()
    if roll < 0.80:
        return f"{month} {rng.randint(1, 28)}, {year}"
    if roll < 0.88:
        return f"{month}, {year}"
    if roll < 0.93:
        return f"{month} {rng.randint(1, 27)} or {rng.randint(28, 28)}, {year}"
    if roll < 0.97:
        return f"{month} {year} - {rng.choice(MONTHS)} {year + 1}"
    return rng.choice(["Date unknown", f"{year}"])


def write_file(path: Path, count: int, rng: random.Random) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(count):
            impunity = rng.choice(["Yes", "Yes", "Yes", "Partial", "No", ""])
            writer.writerow(
                [
                    rng.choice(["Motive Confirmed", "Motive Unconfirmed", "Media Workers"]),
                    messy_date(rng),
                    f"{rng.choice(NAMES)} {n}",
                    rng.choice(["Male", "Male", "Female", ""]),
                    rng.choice(COUNTRIES),
                    rng.choice(["Daily News", "Radio Libre\nFM", "TV 5", ""]),
                    rng.choice(["Local", "Foreign", ""]),
                    rng.choice(["Print", "Radio", "Television", "Internet"]),
                    rng.choice(JOBS),
                    rng.choice(["Politics", "Crime, Corruption", "War", "Human Rights", ""]),
                    rng.choice(["Yes", "No"]),
                    rng.choice(["Local", "Foreign"]),
                    rng.choice(FIRE),
                    rng.choice(["Murder", "Murder", "Crossfire", "Dangerous Assignment"]),
                    impunity,
                    rng.choice(["Yes", "No", ""]),
                    rng.choice(["Yes", "No", ""]),
                    rng.choice(["Yes", "No", ""]),
                ]
            )


CHILD = """
import sys
from network_bot.cli import main
sys.exit(main(["import", "--format", "cpj", sys.argv[1]]))
"""


def run_import(db: Path, path: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS in MB, and the summary line of one import in a fresh process."""
    run = run_child(CHILD, str(path), what="import", env={"NETWORK_BOT_DB": str(db)})
    return run.seconds, run.peak_mb, run.line("imported ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", default="10000,100000")
    options = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'rows':>8} {'seconds':>8} {'rows/s':>8} {'peak RSS':>9} {'file':>8}  counts")
    with tempfile.TemporaryDirectory() as folder:
        for count in (int(c) for c in options.counts.split(",")):
            path = Path(folder) / f"cpj-{count}.csv"
            write_file(path, count, random.Random(count))
            db = Path(folder) / f"import-{count}.sqlite3"
            seconds, peak, summary = run_import(db, path)
            print(
                f"{count:>8,} {seconds:>8.2f} {count / seconds:>8,.0f} {peak:>6.1f} MB "
                f"{path.stat().st_size / 2**20:>5.1f} MB  {summary}"
            )
            again, _, summary = run_import(db, path)
            print(f"{'again':>8} {again:>8.2f} {count / again:>8,.0f} {'':>9} {'':>8}  {summary}")


if __name__ == "__main__":
    main()
