"""Imported cases in Slack: members find them, open their cards (the date as precise as it is
known, the source named), follow them; their anniversaries stay off until a coordinator switches
a case or a country on, and members cannot switch them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from network_bot.clock import ManualClock
from network_bot.imports import ImportFormat, ImportRequest, run_import
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text
from network_bot.testing.workspace import CAMPAIGN_CHANNEL

MESSY = Path(__file__).parent / "fixtures" / "imports" / "cpj_messy.csv"


class Quiet:
    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None


@pytest.fixture
async def h(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Harness]:
    clock.set(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock) as harness:
        request = ImportRequest(path=MESSY, format=ImportFormat.CPJ, prefix="NI")
        summary = await run_import(
            harness.running.db,
            request,
            now=clock.now(),
            progress_out=Quiet(),  # type: ignore[arg-type]
        )
        summary.close()
        assert summary.imported == 14
        yield harness


async def public_id_of(h: Harness, name: str) -> str:
    row = await h.running.db.read.fetch_one(
        "SELECT public_id FROM cases WHERE victim_names = ? ORDER BY id LIMIT 1", (name,)
    )
    assert row is not None
    return str(row[0])


async def test_members_find_open_and_follow_imported_cases(h: Harness) -> None:
    found = await h.command("alice", "/cases Иванова")
    text = ephemeral_text(found.json)
    maria = await public_id_of(h, "Мария Иванова")
    assert maria in text
    juan = await public_id_of(h, "Juan Pérez")
    card = ephemeral_text((await h.command("alice", f"/case {juan}")).json)
    assert "June 1993, approximate" in card and "1993-06-01" not in card
    assert "Imported from CPJ database of journalists killed (Motive Confirmed)" in card
    assert "full justice" in card
    wang = await public_id_of(h, "王小明")
    assert "October 2015 to June 2016" in ephemeral_text(
        (await h.command("bob", f"/case {wang}")).json
    )
    followed = await h.command("bob", f"/follow {maria}")
    assert "follow" in ephemeral_text(followed.json).lower()
    assert (
        await h.running.following.follower_count(
            int(
                await h.running.db.read.fetch_value(
                    "SELECT id FROM cases WHERE public_id = ?", (maria,)
                )
            )
        )
        == 1
    )
    # The coordinator's view names no reporter: nobody reported it, it was imported.
    restricted = ephemeral_text((await h.command("chidi", f"/case {juan}")).json)
    assert "nobody: the record was imported" in restricted


def campaign_posts(h: Harness) -> str:
    return json.dumps([m["blocks"] for m in h.slack.messages(CAMPAIGN_CHANNEL)])


async def test_anniversaries_of_imported_cases_are_opt_in(h: Harness, clock: ManualClock) -> None:
    arshad = await public_id_of(h, "Arshad Mahmood")  # killed 9 February 1998, Pakistan
    clock.set(datetime(2027, 2, 9, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 0, "an import does not flood the campaign channel"

    # A member may not switch one on; nothing is written.
    refused = await h.command("alice", f"/case {arshad} anniversary on")
    assert "Only coordinators" in ephemeral_text(refused.json)
    refused = await h.command("alice", "/network anniversaries country:PK on")
    assert "Only coordinators" in ephemeral_text(refused.json)
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM anniversary_countries") == 0
    assert (
        await h.running.db.read.fetch_value(
            "SELECT anniversary FROM cases WHERE public_id = ?", (arshad,)
        )
        is None
    )

    answer = ephemeral_text((await h.command("chidi", f"/case {arshad} anniversary on")).json)
    assert "9 February" in answer
    clock.advance(minutes=10)
    assert await h.running.calendar.run() == 1
    await h.settle()
    assert arshad in campaign_posts(h) and "29 years" in campaign_posts(h)

    # A whole country: every imported case there, unless switched off one by one.
    dragan = await public_id_of(h, "Dragan Jovanović")  # 9 September 1995, Bosnia
    usage = ephemeral_text((await h.command("chidi", "/network anniversaries country:BA")).json)
    assert "Write `/network anniversaries country:PK on`" in usage
    bad = ephemeral_text((await h.command("chidi", "/network anniversaries country:QQ on")).json)
    assert "not a country code" in bad
    on = ephemeral_text((await h.command("chidi", "/network anniversaries country:BA on")).json)
    assert "1 imported case in" in on
    listed = ephemeral_text((await h.command("chidi", "/network anniversaries")).json)
    assert "Bosnia &amp; Herzegovina (BA) (1)" in listed
    clock.set(datetime(2027, 9, 9, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 1
    await h.settle()
    assert dragan in campaign_posts(h)
    await h.command("chidi", f"/case {dragan} anniversary off")
    clock.set(datetime(2028, 9, 9, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 0

    # A date known only approximately has no day to be remembered on.
    chea = await public_id_of(h, "Chea Vichea")  # "May 2 or 3, 2012"
    told = ephemeral_text((await h.command("chidi", f"/case {chea} anniversary on")).json)
    assert "there is no day to remember it on" in told
    clock.set(datetime(2028, 5, 2, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 0
    unknown = ephemeral_text((await h.command("chidi", "/case NI-2001-9999 anniversary on")).json)
    assert "I can't find a case NI-2001-9999" in unknown
    audit = await h.running.db.read.fetch_all(
        "SELECT action FROM audit_log WHERE action LIKE '%anniversar%' AND outcome = 'changed'"
    )
    assert len(audit) == 4


async def test_imported_killings_join_the_campaign_digest(h: Harness, clock: ManualClock) -> None:
    """A week before 2 November coordinators get the unresolved killings, imported ones too."""
    arshad = await public_id_of(h, "Arshad Mahmood")  # complete impunity
    juan = await public_id_of(h, "Juan Pérez")  # full justice: not unresolved
    clock.set(datetime(2027, 10, 26, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() >= 1
    await h.settle()
    digests = [m for m in h.slack.messages("C0REVIEW1") if "Campaign digest" in m["text"]]
    assert len(digests) == 1
    text = json.dumps(digests[0]["blocks"])
    assert arshad in text and juan not in text
