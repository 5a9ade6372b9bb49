"""Words that read right: counts agree with their nouns, errors are the bot's own and say what
to do, IDs are echoed as people type them, cards offer what fits the person looking."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from network_bot.clock import ManualClock
from network_bot.testing.flows import ALERT, GOOD, open_report, preview, report, send
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text

ALICE, BOB, CHIDI, DANA = "U0ALICE01", "U0BOBBY02", "U0CHIDI04", "U0DANA006"
REVIEW = "C0REVIEW1"


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    clock = ManualClock(datetime(2026, 11, 21, 9, 0, tzinfo=UTC))
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock) as harness:
        yield harness


async def said(h: Harness, user: str, line: str) -> str:
    return ephemeral_text((await h.command(user, line)).json)


def buttons(message: dict[str, object] | None) -> dict[str, str]:
    found = {}
    for block in (message or {}).get("blocks", []):  # type: ignore[attr-defined]
        elements = block.get("elements", []) if block.get("type") == "actions" else []
        for element in [*elements, block.get("accessory") or {}]:
            if element.get("type") == "button":
                found[element["text"]["text"]] = element["action_id"]
    return found


async def test_counts_agree_with_their_nouns(h: Harness) -> None:
    public_id = await report(h, "alice", incident_date="2026-11-20")
    await h.command("chidi", f"/case {public_id} verify")
    card = await said(h, "bob", f"/case {public_id}")
    assert "1 day without full justice" in card and "1 days" not in card
    # bob is the only member in Pakistan's region reached by country: one person.
    answer = await preview(h, {**ALERT, "audience": [], "countries": ["PK"]})
    text = block_text(answer["view"])
    assert "*1* person gets it now" in text and "people" not in text.split("now")[0][-20:]
    alert_id = await send(h, {**ALERT, "audience": [], "countries": ["PK"]})
    copy = next(m for m in h.slack.dm(BOB) if alert_id in json.dumps(m["blocks"]))
    answer = copy["blocks"][-1]["elements"][0]
    await h.drive.block_action(BOB, answer["action_id"], value=answer["value"], message=copy)
    await h.running.alerts.refresh_statuses()
    await h.settle()
    status = [m for m in h.slack.dm(CHIDI) if alert_id in m["text"]][-1]
    shown = block_text(status["blocks"])
    assert "sent to 1 person" in shown and "1 people" not in shown
    assert "Pakistan Journalists Forum: 1 person is in" in shown


async def test_search_limits_name_words_and_the_status_heading_reads_as_a_title(
    h: Harness,
) -> None:
    text = await said(h, "bob", "/cases " + " ".join("abcdefghijklm"))
    assert "at most 12 words" in text and "characters" not in text
    heading = await said(h, "chidi", "/cases status:verified")
    assert "*Cases: verified*" in heading and "*verified cases*" not in heading


async def test_alert_says_what_it_expects_and_ids_come_back_in_capitals(h: Harness) -> None:
    text = await said(h, "chidi", "/alert frobnicate")
    assert "I don't know `/alert frobnicate`" in text and "/alert status" in text
    missing = await said(h, "chidi", "/alert ni-2099-0001")
    assert "NI-2099-0001" in missing and "ni-2099-0001" not in missing
    follow = await said(h, "bob", "/follow ni-2099-0001")
    assert "NI-2099-0001" in follow and "ni-2099" not in follow


async def test_role_change_names_who_was_not_found(h: Harness) -> None:
    text = await said(h, "dana", "/network role @nobody member")
    assert "I can't find @nobody" in text and "nothing changed" in text


async def test_validation_messages_are_the_bots_own(h: Harness) -> None:
    view = await open_report(h, "alice")
    answer = await h.drive.submit_view(ALICE, view, {**GOOD, "summary": None})
    assert answer.json is not None
    errors = answer.json["errors"]
    assert errors == {"summary": "Please fill this in"}
    bad_link = await h.drive.submit_view(ALICE, view, {**GOOD, "sources": "example.org/x"})
    assert "full web addresses starting with https://" in bad_link.json["errors"]["sources"]  # type: ignore[index]
    for line in ("/cases since:soon", "/cases page:zero", "/network join lang:english"):
        text = await said(h, "bob", line)
        assert "Input should" not in text and "valid" not in text, text


async def test_text_longer_than_the_form_allows_is_given_back_whole(h: Harness) -> None:
    long = "Journalist detained. " + "word " * 700
    response = await h.command("alice", f"/report {long}")
    text = ephemeral_text(response.json)
    assert "at most 2,500 characters" in text and f"has {len(long.strip()):,}" in text
    await h.settle()
    assert not h.slack.views_for(ALICE), "no form opens with the text cut"
    shown = "".join(
        b["text"]["text"]
        for b in response.json["blocks"][1:]  # type: ignore[index]
    ).replace("```", "")
    assert shown.split() == long.split()


async def test_unfollowing_what_you_do_not_follow_is_said_once(h: Harness) -> None:
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    text = await said(h, "bob", f"/unfollow {public_id}")
    assert text.count(public_id) == 2  # the fallback text and the block, once each
    assert "You were not following" in text and "Stopped" not in text


async def test_victim_without_a_name_is_not_known_unless_withheld(h: Harness) -> None:
    blank = await report(h, "alice", victim_names="")
    withheld = await report(h, "alice", victim_names="Someone Hidden", victim_withheld=True)
    for public_id in (blank, withheld):
        await h.command("chidi", f"/case {public_id} verify")
    assert "not known" in await said(h, "bob", f"/case {blank}")
    hidden = await said(h, "bob", f"/case {withheld}")
    assert "name withheld" in hidden and "Someone Hidden" not in hidden
    coordinator = await said(h, "chidi", f"/case {withheld}")
    assert "Someone Hidden (withheld from the network)" in coordinator


async def test_cards_offer_what_fits_the_person_looking(h: Harness) -> None:
    public_id = await report(h, "alice")
    pending = (await h.command("chidi", f"/case {public_id}")).json
    assert {"Verify", "Reject…", "Mark duplicate of…"} <= set(buttons(pending))
    await h.command("chidi", f"/case {public_id} verify")
    assert "Follow" in buttons((await h.command("bob", f"/case {public_id}")).json)
    await h.command("bob", f"/follow {public_id}")
    card = (await h.command("bob", f"/case {public_id}")).json
    assert buttons(card).get("Stop following") == "follow.stop" and "Follow" not in buttons(card)
    assert "Verify" not in buttons((await h.command("chidi", f"/case {public_id}")).json)


async def test_a_report_set_aside_has_no_clock_and_nothing_to_follow(h: Harness) -> None:
    public_id = await report(h, "alice")
    await h.command("chidi", f'/case {public_id} reject "not a press-freedom case"')
    card = (await h.command("chidi", f"/case {public_id}")).json
    text = ephemeral_text(card)
    assert "rejected" in text
    assert "without" not in text and "Impunity" not in text, "no clock runs for it"
    assert buttons(card) == {}, "nothing to follow, update or decide"


async def test_review_card_shows_sources_and_points_coordinators_to_the_notes(h: Harness) -> None:
    public_id = await report(h, "alice")
    card = next(m for m in h.slack.messages(REVIEW) if public_id in m["text"])
    text = block_text(card["blocks"])
    assert "https://example.org/news/1" in text
    assert GOOD["restricted_notes"] not in json.dumps(card), (
        "notes never sit in the channel's history"
    )
    assert "restricted notes" in text and buttons(card)["Open the case"] == "cases.open"
    await h.drive.block_action(
        CHIDI, "cases.open", value=public_id, message=card, channel_id=REVIEW
    )
    await h.settle()
    assert GOOD["restricted_notes"] in ephemeral_text(h.slack.ephemerals(CHIDI)[-1])


async def test_me_shows_every_preference(h: Harness) -> None:
    await h.command("bob", "/network prefs digest")
    text = await said(h, "bob", "/network me")
    for words in ("Alerts", "one digest a day", "Language", "English", "Time zone"):
        assert words in text


async def test_a_member_whose_role_changes_is_told_in_a_dm(h: Harness) -> None:
    reply = await said(h, "dana", "/network role <@U0ALICE01|alice> coordinator")
    assert "told in a DM" in reply
    await h.settle()
    [dm] = h.slack.dm(ALICE)
    text = block_text(dm["blocks"])
    assert "now *coordinator* (it was member)" in text and "<@U0DANA006>" in text
    refused = await said(h, "dana", "/network role <@U0ALICE01|alice> coordinator")
    assert "already" in refused
    await h.settle()
    assert len(h.slack.dm(ALICE)) == 1, "nothing changed, nothing said"
