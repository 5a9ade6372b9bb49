"""A bot process killed with SIGKILL in the middle of a burst of reports loses none it
acknowledged, doubles none, and leaves no gap in the case IDs."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from datetime import date
from pathlib import Path

from network_bot.blocks.report import report_modal
from network_bot.i18n import Catalogue
from network_bot.testing.driver import SlackDriver
from network_bot.testing.flows import GOOD
from network_bot.testing.harness import SIGNING_SECRET
from network_bot.testing.process import BotProcess
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import PEOPLE

SUBMISSIONS = 40


async def test_kill_9_during_a_burst_of_reports(
    tmp_path: Path, processes: list[BotProcess]
) -> None:
    async with SlackStandIn() as slack:
        for p in PEOPLE:
            slack.add_user(p.user_id, p.handle, real_name=p.real_name)
        slack.add_channel("C0GENERAL", "general")
        bot = BotProcess(
            stand_in=slack, db_path=tmp_path / "bot.sqlite3", log_path=tmp_path / "bot.log"
        )
        processes.append(bot)
        await bot.start()
        view = {
            **report_modal(
                summary="",
                channel_id="C0GENERAL",
                today=date(2026, 11, 25),
                lang=Catalogue().source,
            ),
            "id": "V0CRASH",
        }
        driver = SlackDriver(endpoint=bot.endpoint, signing_secret=SIGNING_SECRET, stand_in=slack)

        async def submit(i: int) -> tuple[str, str | None]:
            summary = f"Crash test report number {i:03d} from the field"
            try:
                response = await driver.submit_view(
                    "U0ALICE01", view, {**GOOD, "incident_date": "2026-11-20", "summary": summary}
                )
            except Exception:
                return summary, None
            text = str(response.json)
            found = [w.strip("*.,'\"") for w in text.split() if "NI-" in w]
            return summary, found[0] if found else None

        tasks = [asyncio.create_task(submit(i)) for i in range(SUBMISSIONS)]
        await asyncio.sleep(random.uniform(0.05, 0.25))
        await bot.kill()
        results = await asyncio.gather(*tasks)
        await driver.close()
        acked = {summary: case_id for summary, case_id in results if case_id}

        await bot.start()  # the same database, after the crash
        await bot.stop()

    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        stored = db.execute("SELECT public_id, summary FROM cases ORDER BY id").fetchall()
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    by_summary: dict[str, list[str]] = {}
    for public_id, summary in stored:
        by_summary.setdefault(summary, []).append(public_id)
    for summary, case_id in acked.items():
        assert by_summary.get(summary) == [case_id], "an acknowledged report was lost or moved"
    assert all(len(ids) == 1 for ids in by_summary.values()), "a report was stored twice"
    numbers = sorted(int(public_id.rsplit("-", 1)[1]) for public_id, _ in stored)
    assert numbers == list(range(1, len(numbers) + 1)), "case IDs have a gap"
    assert len(acked) < SUBMISSIONS or len(stored) == SUBMISSIONS
