"""The campaign chart at scale: 100,000 verified killings, UNESCO answers on about half.

Cases come from the ``bench/search.py`` generator, bulk-inserted as in ``bench/export.py``, all
made killings (the worst case: every case is counted in both panels) with justice stages at
random; 60% of them get a UNESCO request for the 2024 and/or 2026 cycle, answered or not. A
fresh child process then does what the chart uploader does for one chart: read the figures
from the database (``Charts.data``), draw the Slack-size and the social-media-size PNG, and
reports, per language (the words are put in the language's words and Arabic is shaped before
drawing), the time of each step, the Python heap's peak (``tracemalloc``) and its own peak
resident memory (``VmHWM``). The roll-up behind ``/cases unesco`` is timed too.

    python bench/chart.py [--cases 100000] [--languages en,ar]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import run_child
from export import create, grow

# The uploader's pool process: it gets the figures and the words pickled, imports only the
# drawing module, draws (after a warm-up, as a pool that has drawn before) and says its peak RSS.
DRAWER = """
import json, pickle, sys, time
from network_bot.charts import ChartSize, render_png

with open(sys.argv[1], "rb") as handed:
    data, words = pickle.load(handed)
render_png(data, words, ChartSize.SOCIAL)
started = time.perf_counter()
render_png(data, words, ChartSize.SLACK)
drawn = time.perf_counter() - started
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
print("DRAWER " + json.dumps({"pool_render_s": drawn, "pool_rss_mb": peak}))
"""

CHILD = """
import asyncio, json, pickle, subprocess, sys, tempfile, time, tracemalloc
from datetime import UTC, datetime
from network_bot import chart_words
from network_bot.charts import ChartSize, render_png
from network_bot.clock import ManualClock
from network_bot.i18n import Catalogue
from network_bot.services.campaign import Campaign
from network_bot.services.charting import Charts
from network_bot.store.db import Database

async def main(path, language):
    lang = Catalogue().get(language)
    clock = ManualClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    db = Database(path)
    await db.open()
    charts = Charts(db=db, clock=clock, campaign_channel=None)
    figures = {}
    warm = await charts.data(charts.spec("member", country="PK", since=2025, language=None))
    render_png(warm, chart_words.words(warm, lang, day=clock.now().date()))
    tracemalloc.start()
    started = time.perf_counter()
    data = await charts.data(charts.spec("digest", country=None, since=None, language=None))
    words = chart_words.words(data, lang, day=clock.now().date())
    figures["data_s"] = time.perf_counter() - started
    for size in ChartSize:
        started = time.perf_counter()
        png = render_png(data, words, size)
        figures[f"render_{size.name.lower()}_s"] = time.perf_counter() - started
        figures[f"png_{size.name.lower()}_kb"] = len(png) / 1024
    figures["heap_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    started = time.perf_counter()
    rollup = await Campaign(db=db, clock=clock).rollup()
    figures["rollup_s"] = time.perf_counter() - started
    figures["killings"] = data.total
    figures["countries"] = len(rollup)
    figures["answered"] = sum(d.answered for d in rollup)
    figures["alt_chars"] = len(chart_words.alt_text(data, lang))
    await db.close()
    with tempfile.NamedTemporaryFile(suffix=".pickle") as handed:
        pickle.dump((data, words), handed)
        handed.flush()
        drawer = subprocess.run(
            [sys.executable, "-c", sys.argv[3], handed.name],
            capture_output=True, text=True, check=True,
        )
    line = next(w for w in drawer.stdout.splitlines() if w.startswith("DRAWER "))
    figures.update(json.loads(line.removeprefix("DRAWER ")))
    print("FIGURES " + json.dumps(figures))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def killings_and_answers(path: Path, *, rng: random.Random) -> None:
    """Every case a verified killing; UNESCO requests on 60%, answered or not."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("UPDATE cases SET violation = 'killing', status = 'verified'")
    rows = []
    for (case_id,) in conn.execute("SELECT id FROM cases").fetchall():
        if rng.random() >= 0.6:
            continue
        for cycle in rng.sample([2024, 2026], rng.randint(1, 2)):
            answer = rng.choice(["none", "resolved", "ongoing"])
            answered_on = None if answer == "none" else f"{cycle - 1}-06-01"
            rows.append((case_id, cycle, f"{cycle - 1}-02-01", answer, answered_on, now))
    conn.executemany(
        "INSERT INTO unesco_requests (case_id, cycle, requested_on, answer, answered_on, "
        "recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, 'U0BENCH01', ?)",
        rows,
    )
    conn.execute("COMMIT")
    conn.close()


def measure(db: Path, language: str) -> dict[str, float]:
    run = run_child(CHILD, str(db), language, DRAWER, what="the chart child")
    figures = json.loads(run.line("FIGURES ").removeprefix("FIGURES "))
    return {**figures, "peak_rss_mb": run.peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--languages", default="en,ar", help="comma-separated, e.g. en,fr,ar")
    options = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite3"
        started = time.perf_counter()
        create(db)
        grow(db, start=0, stop=options.cases, rng=rng)
        killings_and_answers(db, rng=rng)
        print(f"seeded {options.cases:,} killings in {time.perf_counter() - started:.1f} s")
        measured = {language: measure(db, language) for language in options.languages.split(",")}
    for language, f in measured.items():
        print(f"-- chart in {language!r}")
        print(
            f"figures from the database: {f['data_s'] * 1000:.0f} ms "
            f"({f['killings']:,.0f} killings, {f['countries']:.0f} countries, "
            f"{f['answered']:,.0f} answered)"
        )
        print(
            f"draw 1600x1000: {f['render_slack_s'] * 1000:.0f} ms ({f['png_slack_kb']:.0f} KB); "
            f"1200x675: {f['render_social_s'] * 1000:.0f} ms ({f['png_social_kb']:.0f} KB)"
        )
        total = f["data_s"] + f["render_slack_s"]
        print(f"one chart, figures and drawing: {total:.2f} s")
        print(f"roll-up (/cases unesco): {f['rollup_s'] * 1000:.0f} ms")
        print(
            f"peak memory: Python heap {f['heap_peak_mb']:.1f} MB (tracemalloc), "
            f"process {f['peak_rss_mb']:.1f} MB (VmHWM); alt text {f['alt_chars']:.0f} chars"
        )
        print(
            f"the drawing pool's process alone: draw 1600x1000 {f['pool_render_s'] * 1000:.0f} ms, "
            f"peak RSS {f['pool_rss_mb']:.1f} MB (VmHWM; no catalogue, no database)"
        )


if __name__ == "__main__":
    main()
