"""Search at scale: 100,000 generated cases, then ``/cases`` queries end to end and in the DB.

Loads the cases through the store's bulk insert (the import's path: the same rows and search
index entries as one report at a time, one statement per table per batch),
starts ``network-bot run --mode http`` on that file in its own process, and fires signed
``/cases`` commands of three kinds (words, filters, both). Also times the same queries against
the database directly, and prints the file's size.

    python bench/search.py [--cases 100000] [--queries 300]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from _common import percentile, running_bot, summary_ms

from network_bot.data import countries
from network_bot.store import bulk, cases, members
from network_bot.store.bulk import BulkCase
from network_bot.store.cases import NewCase, SearchQuery
from network_bot.store.db import Database
from network_bot.testing.driver import SlackDriver
from network_bot.testing.stand_in import SlackStandIn
from network_bot.vocabulary import Perpetrator, Profession, Status, Urgency, Violation

MEMBER = "U0SEARCH01"
REPORTER = "U0REPORT01"
WORDS = [
    "radio",
    "television",
    "newspaper",
    "editor",
    "reporter",
    "photographer",
    "blogger",
    "cartoonist",
    "columnist",
    "shot",
    "killed",
    "abducted",
    "detained",
    "arrested",
    "beaten",
    "threatened",
    "harassed",
    "tortured",
    "disappeared",
    "investigation",
    "corruption",
    "election",
    "protest",
    "border",
    "mining",
    "land",
    "police",
    "army",
    "militia",
    "cartel",
    "court",
    "trial",
    "prosecutor",
    "judge",
    "police",
    "station",
    "prison",
    "hospital",
    "village",
    "capital",
    "province",
    "family",
    "colleagues",
    "union",
    "statement",
    "video",
    "footage",
    "motorcycle",
    "gunmen",
    "night",
    "morning",
    "office",
    "website",
    "podcast",
    "documentary",
    "broadcast",
    "coverage",
    "story",
    "sources",
    "witness",
    "lawyer",
    "defender",
    "artist",
    "musician",
    "poet",
    "satire",
    "community",
    "indigenous",
    "environmental",
    "water",
    "forest",
    "drugs",
    "smuggling",
    "contract",
    "fraud",
    "minister",
    "mayor",
    "governor",
    "senator",
    "general",
    "commander",
]
FIRST = [
    "Arshad",
    "Maria",
    "Juan",
    "Ahmed",
    "Fatima",
    "Chea",
    "Deyda",
    "Javier",
    "Anna",
    "Lasantha",
    "Gauri",
    "Daphne",
]
LAST = [
    "Mahmood",
    "Ressa",
    "Valdez",
    "Hydara",
    "Vichea",
    "Politkovskaya",
    "Wickrematunge",
    "Lankesh",
    "Caruana",
]
QUERIES = {
    "words": [
        "/cases radio",
        "/cases journalist shot",
        "/cases border police",
        "/cases corruption mayor",
        "/cases podcast",
    ],
    "filters": [
        "/cases country:PK",
        "/cases type:killing since:2020-01-01",
        "/cases country:MX type:abduction",
        "/cases since:2025-06-01",
    ],
    "both": [
        "/cases radio country:PK",
        "/cases election type:detention",
        "/cases cartel country:MX since:2015-01-01",
        "/cases land type:killing",
    ],
}


def generated_case(rng: random.Random, today: date) -> NewCase:
    codes = ["PK", "MX", "PH", "CO", "IN", "BR", "HN", "SY", "UA", "BD", "NG", "GM", "KH", "BH"]
    country = rng.choice(codes) if rng.random() < 0.7 else rng.choice(countries.COUNTRIES).code
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
    return NewCase(
        reporter_id=REPORTER,
        reporter_anonymous=rng.random() < 0.2,
        victim_names=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        victim_withheld=rng.random() < 0.1,
        profession=rng.choice(list(Profession)),
        violation=rng.choice(list(Violation)),
        incident_date=today - timedelta(days=rng.randint(0, 365 * 26)),
        country=country,
        place=rng.choice(WORDS).title(),
        perpetrator=rng.choice(list(Perpetrator)),
        urgency=rng.choice(list(Urgency)),
        summary=f"A {rng.choice(WORDS)} journalist was {rng.choice(WORDS)}. {words}.",
        sources=(f"https://example.org/{rng.randint(1, 10**6)}",),
        restricted_notes="restricted " + " ".join(rng.choice(WORDS) for _ in range(8)),
    )


async def load(path: Path, count: int) -> float:
    db = Database(path)
    await db.open()
    await db.migrate()
    rng = random.Random(42)
    now = datetime.now(UTC)
    started = time.perf_counter()
    async with db.transaction() as tx:
        for user_id in (MEMBER, REPORTER):
            await members.add_if_new(
                tx, user_id=user_id, team_id="T0NETWORK", display_name=user_id.lower(), now=now
            )
    batch = 2000
    for start in range(0, count, batch):
        items = []
        for _ in range(min(batch, count - start)):
            new = generated_case(rng, now.date())
            verified = rng.random() < 0.8
            items.append(
                BulkCase(
                    case=new,
                    status=Status.VERIFIED if verified else Status.REPORTED,
                    reviewed_by=REPORTER if verified else None,
                    id_year=now.year,
                )
            )
        async with db.transaction() as tx:  # the import's bulk path: one statement per table
            await bulk.insert_many(tx, items, prefix="NI", now=now)
    async with db.transaction() as tx:
        await tx.execute("INSERT INTO cases_fts (cases_fts) VALUES ('optimize')")
    await db.close()
    return time.perf_counter() - started


def file_size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("search.sqlite3*")) / 2**20


async def db_query_times(path: Path, rounds: int) -> dict[str, list[float]]:
    """The same searches straight against the store, as a member would run them."""
    db = Database(path)
    await db.open()
    since = date(2020, 1, 1)
    shapes = {
        "words": SearchQuery(words=("radio",), limit=11),
        "filters": SearchQuery(country="PK", violation=Violation.KILLING, since=since, limit=11),
        "both": SearchQuery(words=("cartel",), country="MX", since=date(2015, 1, 1), limit=11),
    }
    times: dict[str, list[float]] = {k: [] for k in shapes}
    for _ in range(rounds):
        for kind, query in shapes.items():
            started = time.perf_counter()
            await cases.search(db.read, query)
            times[kind].append(time.perf_counter() - started)
    await db.close()
    return times


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300, help="per kind")
    parser.add_argument("--concurrency", type=int, default=4)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.sqlite3"
        print(f"loading {options.cases:,} cases ...", flush=True)
        loaded = await load(path, options.cases)
        size = await asyncio.to_thread(file_size_mb, Path(tmp))
        print(f"loaded in {loaded:.1f} s; database file {size:.1f} MB\n")

        direct = await db_query_times(path, options.queries)
        print("database query alone (target p99 < 20 ms):")
        for kind, values in direct.items():
            print(f"  {kind:<8} {summary_ms(values)}")

        async with SlackStandIn() as stand_in:
            stand_in.add_user(MEMBER, "searcher")
            stand_in.add_channel("C0GENERAL", "general")
            async with running_bot(stand_in, path) as (_, driver):
                print(
                    f"\n/cases end to end through the endpoint, {options.concurrency} "
                    "concurrent (target p99 < 50 ms):"
                )
                everything: list[float] = []
                for kind, lines in QUERIES.items():
                    latencies = await fire(driver, lines, options.queries, options.concurrency)
                    everything += latencies
                    print(f"  {kind:<8} {summary_ms(latencies)}")
                print(f"  {'all':<8} {summary_ms(everything)}")
        worst = max(percentile(v, 99) for v in direct.values()) * 1000
        print(
            f"\nworst database p99 {worst:.2f} ms; database file {size:.1f} MB "
            f"for {options.cases:,} cases"
        )


async def fire(driver: SlackDriver, lines: list[str], count: int, concurrency: int) -> list[float]:
    latencies: list[float] = []
    errors = 0
    queue = [lines[i % len(lines)] for i in range(count)]

    async def worker() -> None:
        nonlocal errors
        while queue:
            line = queue.pop()
            name, _, text = line.partition(" ")
            started = time.perf_counter()
            response = await driver.command(MEMBER, name, text)
            latencies.append(time.perf_counter() - started)
            if response.status != 200 or "NI-" not in response.text:
                errors += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    if errors:
        print(f"  ({errors} answers without results)")
    return latencies


if __name__ == "__main__":
    asyncio.run(main())
