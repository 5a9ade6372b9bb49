"""The picture for the day: drawn from a known record, uploaded as Slack documents it, never
holding up an ack, never showing what members may not see."""

from __future__ import annotations

import asyncio
import io
import json
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from network_bot import chart_words
from network_bot.charts import (
    ChartData,
    ChartSize,
    CountryAnswers,
    YearCounts,
    read_metadata,
    render_png,
)
from network_bot.clock import ManualClock
from network_bot.i18n import Catalogue
from network_bot.refusal import NotAllowed
from network_bot.store import audit
from network_bot.store import campaign as campaign_store
from network_bot.store.campaign import StateAnswer
from network_bot.testing.harness import Harness
from network_bot.testing.reading import button_value, said
from network_bot.testing.seeding import NOTES, WITHHELD, answer, member, seed_case
from network_bot.testing.stand_in import SlackStandIn
from network_bot.testing.workspace import BOB, CAMPAIGN_CHANNEL, CHIDI, REVIEW_CHANNEL
from network_bot.vocabulary import Stage, Violation

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ENGLISH = Catalogue().source


async def known_record(h: Harness) -> dict[str, Any]:
    """Six killings in three countries with known stages and answers, and what must not show."""
    pk1 = await seed_case(h, country="PK", incident=date(2010, 4, 1))
    pk2 = await seed_case(h, country="PK", incident=date(2010, 9, 1), stage=Stage.CONVICTED_PARTIAL)
    await seed_case(h, country="PK", incident=date(2015, 1, 5), names=WITHHELD, withheld=True)
    mx = await seed_case(h, country="MX", incident=date(2015, 6, 1), stage=Stage.CONVICTED_FULL)
    await seed_case(h, country="MX", incident=date(2020, 2, 2))
    co = await seed_case(h, country="CO", incident=date(2020, 7, 7))
    await seed_case(h, country="CO", incident=date(2020, 8, 8), verified=False)
    await seed_case(h, country="CO", incident=date(2020, 8, 8), violation=Violation.THREATS)
    await answer(h, pk1, 2026, StateAnswer.ONGOING)
    await answer(h, pk2, 2026, StateAnswer.NONE)
    await answer(h, mx, 2024, StateAnswer.RESOLVED)
    await answer(h, co, 2026, StateAnswer.ONGOING)
    return {
        "years": [
            {"year": 2010, "complete": 1, "partial": 1, "full_justice": 0},
            {"year": 2015, "complete": 1, "partial": 0, "full_justice": 1},
            {"year": 2020, "complete": 2, "partial": 0, "full_justice": 0},
        ],
        "total": 6,
    }


def size_of(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


async def test_render_has_the_size_asked_and_carries_its_numbers() -> None:
    data = ChartData(
        years=(YearCounts(year=2009, complete=32), YearCounts(year=2010, partial=2)),
        answers=(CountryAnswers(country="PH", killings=34, answered=3),),
    )
    words = chart_words.words(data, ENGLISH, day=date(2026, 11, 23))
    for size in ChartSize:
        png = await asyncio.to_thread(render_png, data, words, size)
        assert png.startswith(PNG_SIGNATURE)
        assert size_of(png) == size.pixels
        shown = read_metadata(png)
        assert shown["total"] == 34
        assert shown["answers"] == [{"country": "PH", "killings": 34, "answered": 3}]
    text = chart_words.alt_text(data, ENGLISH)
    assert len(text) <= 1000 and "34 verified killings" in text and "Philippines (31" in text


async def test_chart_data_matches_the_rollup(h: Harness) -> None:
    want = await known_record(h)
    spec = h.running.charts.spec("member", country=None, since=None, language=None)
    data = await h.running.charts.data(spec)
    shown = json.loads(data.as_json())
    assert shown["years"] == want["years"] and shown["total"] == want["total"]
    rollup = await h.running.campaign.rollup()
    assert [(a.country, a.killings, a.answered) for a in data.answers] == [
        (d.country, d.killings, d.answered) for d in rollup
    ]
    assert [(a.country, a.killings, a.answered) for a in data.answers] == [
        ("PK", 3, 1),
        ("MX", 2, 1),
        ("CO", 1, 1),
    ]
    since = await h.running.charts.data(
        h.running.charts.spec("member", country="PK", since=2011, language=None)
    )
    assert [y.year for y in since.years] == [2015]
    assert [(a.country, a.killings) for a in since.answers] == [("PK", 1)]


async def test_cases_chart_arrives_in_the_dm_as_a_png_with_alt_text(h: Harness) -> None:
    want = await known_record(h)
    reply = await said(h, "bob", "/cases chart")
    assert "arrives in your DM" in reply
    assert "campaign.chart.post" not in reply, "members get the picture, not the buttons"
    [sent] = h.slack.files(BOB)
    png = sent["content"]
    assert png.startswith(PNG_SIGNATURE) and size_of(png) == ChartSize.SLACK.pixels
    shown = read_metadata(png)
    assert shown["years"] == want["years"] and shown["total"] == want["total"]
    rollup = await h.running.campaign.rollup()
    assert [(a["country"], a["killings"], a["answered"]) for a in shown["answers"]] == [
        (d.country, d.killings, d.answered) for d in rollup
    ]
    assert sent["alt_txt"] and "6 verified killings" in sent["alt_txt"]
    assert sent["name"].endswith(".png")
    [url_call] = h.slack.calls_to("files.getUploadURLExternal")
    assert int(url_call.params["length"]) == len(png)
    everything = png.decode("latin-1") + json.dumps(h.slack.dm(BOB)) + sent["alt_txt"]
    for secret in (WITHHELD, "Zoraida", NOTES, "0300-7654321"):
        assert secret not in everything


async def test_chart_filters_and_bad_input(h: Harness) -> None:
    await known_record(h)
    for line, says in (
        ("/cases chart since:2030", "future"),
        ("/cases chart since:twenty", "takes a year"),
        ("/cases chart country:ZZ", "Country should be"),
        ("/cases chart cycle:2026", "I don't know `cycle`"),
    ):
        assert says in await said(h, "bob", line), line
    assert not h.slack.files(BOB)
    await said(h, "bob", "/cases chart country:pk since:2011")
    [sent] = h.slack.files(BOB)
    shown = read_metadata(sent["content"])
    assert shown["total"] == 1 and "Pakistan" in sent["title"]


async def test_acks_never_wait_for_a_chart(h: Harness) -> None:
    await known_record(h)
    started = time.perf_counter()
    for _ in range(3):
        chart = await h.command("bob", "/cases chart")
        assert chart.slack_error is None
    slowest = 0.0
    while not h.slack.files(BOB) or len(h.slack.files(BOB)) < 3:
        ack = await h.command("chidi", "/network help")
        assert ack.status == 200
        slowest = max(slowest, ack.elapsed)
        await asyncio.sleep(0.05)
        assert time.perf_counter() - started < 60, "the charts never came"
    assert slowest < 1.0, f"an ack took {slowest:.2f} s while charts were drawn"


async def test_coordinators_post_to_the_campaign_channel_or_save_for_social_media(
    h: Harness,
) -> None:
    await known_record(h)
    response = await h.command("chidi", "/cases chart")
    value = button_value(response.json, "campaign.chart.post")
    assert button_value(response.json, "campaign.chart.social") == value
    await h.settle()
    await h.drive.block_action(CHIDI, "campaign.chart.post", value=value)
    await h.settle()
    [posted] = h.slack.files(CAMPAIGN_CHANNEL)
    assert size_of(posted["content"]) == ChartSize.SLACK.pixels and posted["alt_txt"]
    await h.drive.block_action(CHIDI, "campaign.chart.post", value=value)
    await h.settle()
    assert len(h.slack.files(CAMPAIGN_CHANNEL)) == 1, "one post per chart and day"
    told = json.dumps(h.slack.ephemerals(CHIDI))
    assert "already posted" in told

    await h.drive.block_action(CHIDI, "campaign.chart.social", value=value)
    await h.settle()
    social = [f for f in h.slack.files(CHIDI) if "social" in f["name"]]
    assert len(social) == 1 and size_of(social[0]["content"]) == ChartSize.SOCIAL.pixels
    assert "Alt text to paste" in (social[0]["initial_comment"] or "")
    logged = {e.action for e in await audit.search(h.running.db.read, actor_id=CHIDI)}
    assert {"chart.campaign", "chart.social"} <= logged


async def test_members_cannot_post_or_save_charts(h: Harness) -> None:
    await known_record(h)
    for action in ("campaign.chart.post", "campaign.chart.social"):
        refused = await h.drive.block_action(BOB, action, value="{}")
        assert refused.status == 200
    await h.settle()
    assert not h.slack.files(CAMPAIGN_CHANNEL) and not h.slack.files(BOB)
    bob = await member(h, BOB)
    with pytest.raises(NotAllowed, match="Only coordinators"):
        await h.running.charts.post_to_campaign(bob, country=None, since=None)
    with pytest.raises(NotAllowed, match="Only coordinators"):
        await h.running.charts.save_for_social(bob, country=None, since=None)
    states = await campaign_store.chart_states(h.running.db.read)
    assert states == {}, "nothing was queued"


async def test_a_chart_never_goes_to_a_channel_shared_outside(tmp_path: Path) -> None:
    async with Harness(
        db_path=tmp_path / "bot.sqlite3", settings={"campaign_channel": "C0PARTNER"}
    ) as h:
        await seed_case(h)
        await h.running.charts.post_to_campaign(await member(h, CHIDI), country=None, since=None)
        await h.settle()
        assert not h.slack.files("C0PARTNER")
        assert await campaign_store.chart_states(h.running.db.read) == {"failed": 1}
        assert not h.slack.calls_to("files.getUploadURLExternal")


async def test_digests_for_2_and_23_november_come_with_a_chart_once(
    h: Harness, clock: ManualClock
) -> None:
    await known_record(h)
    for day in (datetime(2026, 10, 26, 9, 0, tzinfo=UTC), datetime(2026, 11, 16, 9, 0, tzinfo=UTC)):
        clock.set(day)
        assert await h.running.calendar.run() == 1
        await h.settle()
    digests = [m for m in h.slack.messages(REVIEW_CHANNEL) if "Campaign digest" in m["text"]]
    assert len(digests) == 2
    first, second = (json.dumps(d["blocks"]) for d in digests)
    assert "no state answer to UNESCO" in first and "no state answer" not in second
    assert "Pakistan: *2* of 3" in first and "Mexico: *1* of 2" in first
    assert "campaign.chart.post" in first and "campaign.chart.social" in second
    charts = h.slack.files(REVIEW_CHANNEL)
    assert len(charts) == 2 and all(size_of(f["content"]) == (1600, 1000) for f in charts)
    await h.stop_bot()
    await h.start_bot()
    assert await h.running.calendar.run() == 0
    await h.settle()
    assert len(h.slack.files(REVIEW_CHANNEL)) == 2, "a restart does not upload again"


async def test_a_retried_chart_is_found_instead_of_uploaded_twice(h: Harness) -> None:
    await known_record(h)
    await said(h, "bob", "/cases chart")
    assert len(h.slack.files(BOB)) == 1
    # As if the bot died after Slack took the file and before it wrote that down.
    async with h.running.db.transaction() as tx:
        await tx.execute("UPDATE campaign_charts SET state = 'pending', file_id = NULL")
    await h.settle()
    assert len(h.slack.files(BOB)) == 1
    assert await campaign_store.chart_states(h.running.db.read) == {"sent": 1}


async def test_stand_in_upload_rules_as_slack_documents_them() -> None:
    async with SlackStandIn() as slack:
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url)
        slack.add_channel("C0ONE", "one")
        slack.add_channel("C0TWO", "two")
        with pytest.raises(SlackApiError) as too_long:
            await client.files_getUploadURLExternal(filename="a.png", length=10, alt_txt="x" * 1001)
        assert too_long.value.response["error"] == "alt_txt_too_large"
        with pytest.raises(SlackApiError) as empty:
            await client.files_getUploadURLExternal(filename="a.png", length=0)
        assert empty.value.response["error"] == "missing_argument"
        with pytest.raises(SlackApiError) as threaded:
            await client.files_upload_v2(
                content=b"png", filename="a.png", channels=["C0ONE", "C0TWO"], thread_ts="1.2"
            )
        assert threaded.value.response["error"] == "invalid_arguments"
        done = await client.files_upload_v2(
            content=b"png", filename="a.png", channel="C0ONE", alt_txt="A chart"
        )
        assert done["file"]["alt_txt"] == "A chart"
