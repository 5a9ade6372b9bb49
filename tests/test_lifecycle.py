"""After the report: updates, the justice process, following, notifications, Home, calendar."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from network_bot.clock import ManualClock
from network_bot.services import justice
from network_bot.store import cases, follows
from network_bot.testing.flows import flush, report, submit_update
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text
from network_bot.vocabulary import Stage

ALICE, BOB, EMMA = "U0ALICE01", "U0BOBBY02", "U0EMMA003"
CHIDI, FARID, DANA = "U0CHIDI04", "U0FARID05", "U0DANA006"
REVIEW, CAMPAIGN = "C0REVIEW1", "C0CAMPAIGN"


async def verified_case(h: Harness, **changes: Any) -> str:
    public_id = await report(h, "alice", **changes)
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    return public_id


def notifications(h: Harness, user_id: str) -> list[dict[str, Any]]:
    return [m for m in h.slack.dm(user_id) if "on cases you follow" in m["text"]]


def test_transition_rules() -> None:
    assert (
        justice.check(Stage.NO_INVESTIGATION, Stage.INVESTIGATION_OPENED, skip_reason="") is False
    )
    assert justice.check(Stage.ON_TRIAL, Stage.CONVICTED_PARTIAL, skip_reason="") is False
    with pytest.raises(justice.TransitionError, match="give the reason"):
        justice.check(Stage.NO_INVESTIGATION, Stage.CONVICTED_FULL, skip_reason="")
    assert (
        justice.check(
            Stage.NO_INVESTIGATION,
            Stage.CONVICTED_FULL,
            skip_reason="Verdict reported late by the court",
        )
        is True
    )
    with pytest.raises(justice.TransitionError, match="already at"):
        justice.check(Stage.CHARGED, Stage.CHARGED, skip_reason="x" * 10)
    for stage, following in justice.NEXT.items():
        assert stage not in following


async def test_coordinator_update_moves_the_stage_and_shows_on_the_card(
    h: Harness, clock: ManualClock
) -> None:
    public_id = await verified_case(h)
    answer = await submit_update(
        h, "chidi", public_id, stage="investigation_opened", source_url="https://example.org/police"
    )
    assert answer["response_action"] == "update"
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.justice_stage is Stage.INVESTIGATION_OPENED
    card = ephemeral_text((await h.command("bob", f"/case {public_id}")).json)
    assert "Police opened an investigation." in card and "investigation opened" in card
    assert "complete impunity" in card and "days without full justice" in card


async def test_invalid_and_skipped_steps(h: Harness) -> None:
    public_id = await verified_case(h)
    skip = await submit_update(h, "chidi", public_id, stage="convicted_full")
    assert skip["response_action"] == "errors"
    assert "reason for the skip" in skip["errors"]["skip_reason"]
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.justice_stage is Stage.NO_INVESTIGATION
    h.slack.close_view(CHIDI)
    ok = await submit_update(
        h,
        "chidi",
        public_id,
        stage="convicted_full",
        skip_reason="The court's verdict was published late",
    )
    assert ok["response_action"] == "update"
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.justice_stage is Stage.CONVICTED_FULL
    card = ephemeral_text((await h.command("bob", f"/case {public_id}")).json)
    assert "full justice" in card and "clock has stopped" in card


async def test_a_date_before_the_incident_is_said_with_the_other_errors(h: Harness) -> None:
    public_id = await verified_case(h)  # the incident: 2026-11-20
    both = await submit_update(
        h, "bob", public_id, happened_on="2026-11-01", source_url="not a link"
    )
    assert both["response_action"] == "errors"
    assert "before the incident itself (2026-11-20)" in both["errors"]["happened_on"]
    assert "https://" in both["errors"]["source_url"], "both at once: one round, not two"
    h.slack.close_view(BOB)
    alone = await submit_update(h, "bob", public_id, happened_on="2026-11-01")
    assert "before the incident itself" in alone["errors"]["happened_on"]


async def test_member_proposal_needs_a_coordinator(h: Harness, clock: ManualClock) -> None:
    public_id = await verified_case(h)
    await h.command("emma", f"/follow {public_id}")
    answer = await submit_update(h, "bob", public_id, stage="investigation_opened")
    assert "a coordinator will check" in block_text(answer["view"])
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.justice_stage is Stage.NO_INVESTIGATION
    await flush(h, clock)
    assert not notifications(h, EMMA), "followers hear nothing until it is approved"
    card = next(m for m in h.slack.messages(REVIEW) if "Proposed update" in m["text"])
    update_id = next(
        e["value"]
        for b in card["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "update.approve"
    )
    refused = await h.drive.block_action(
        BOB, "update.approve", value=update_id, message=card, channel_id=REVIEW
    )
    assert refused.status == 200
    await h.drive.block_action(
        CHIDI, "update.approve", value=update_id, message=card, channel_id=REVIEW
    )
    await h.drive.block_action(
        FARID, "update.approve", value=update_id, message=card, channel_id=REVIEW
    )
    await h.settle()
    assert any(
        "already approved by <@U0CHIDI04>" in ephemeral_text(m) for m in h.slack.ephemerals(FARID)
    )
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.justice_stage is Stage.INVESTIGATION_OPENED
    assert any("approved" in m["text"] for m in h.slack.dm(BOB))
    await flush(h, clock)
    assert len(notifications(h, EMMA)) == 1


async def test_follow_and_unfollow_cases_and_countries(h: Harness) -> None:
    public_id = await verified_case(h)
    unverified = await report(h, "alice", victim_names="Someone Else", country="MX")
    followed = await h.command("bob", f"/follow {public_id}")
    assert f"You follow *{public_id}*" in ephemeral_text(followed.json)
    hidden = await h.command("bob", f"/follow {unverified}")
    assert "can't find a case" in ephemeral_text(hidden.json)
    await h.command("bob", "/follow country:pk")
    bad = await h.command("bob", "/follow country:XX")
    assert "not a country" in ephemeral_text(bad.json)
    listing = ephemeral_text((await h.command("bob", "/follow")).json)
    assert public_id in listing and "Pakistan" in listing
    gone = await h.command("bob", f"/unfollow {public_id} country:PK")
    assert "You no longer follow" in ephemeral_text(gone.json)
    assert await follows.case_ids_of(h.running.db.read, BOB) == []
    assert "don't follow anything" in ephemeral_text((await h.command("bob", "/follow")).json)


async def test_first_update_at_once_then_one_batched_dm_and_no_duplicates(
    h: Harness, clock: ManualClock
) -> None:
    public_id = await verified_case(h)
    await h.command("bob", f"/follow {public_id}")
    await h.command("bob", "/follow country:PK")  # the same case reaches bob twice over
    await h.command("emma", f"/follow {public_id}")
    saved = await submit_update(h, "chidi", public_id, stage="investigation_opened")
    assert "Followers hear of it now" in block_text(saved["view"])
    await h.settle()
    for user in (BOB, EMMA):
        [first] = notifications(h, user)  # at once: nothing was sent to them lately
        assert "investigation" in json.dumps(first["blocks"]), user
    h.slack.close_view(CHIDI)
    await submit_update(
        h, "chidi", public_id, body="A suspect was named by the police.", stage="suspect_identified"
    )
    await submit_update(h, "chidi", public_id, body="The suspect was arrested.", stage="charged")
    await h.settle()
    assert len(notifications(h, BOB)) == 1, "what follows within the window waits"
    await flush(h, clock)
    for user in (BOB, EMMA):
        sent = notifications(h, user)
        assert len(sent) == 2, user
        text = json.dumps(sent[1]["blocks"])
        assert "suspect was named" in text and "was arrested" in text, "one DM for the batch"
        assert "follow.stop" in text
    assert not notifications(h, CHIDI), "the author is not told of their own update"
    await flush(h, clock)
    assert len(notifications(h, BOB)) == 2, "flushing again sends nothing more"
    update = (
        await h.running.timeline.latest(
            (await cases.get_by_public_id(h.running.db.read, public_id)).id
        )
    )[0]  # type: ignore[union-attr]
    await h.running.timeline.edit(
        (await h.running.roster.get(CHIDI)),
        update.id,  # type: ignore[arg-type]
        body="A suspect was named (corrected).",
        source_url="",
    )
    await flush(h, clock)
    assert len(notifications(h, BOB)) == 2, "an edit is not a new notification"
    stop = next(
        e for b in notifications(h, BOB)[0]["blocks"] if "accessory" in b for e in [b["accessory"]]
    )
    await h.drive.block_action(BOB, "follow.stop", value=stop["value"])
    await h.settle()
    assert "no longer follow" in ephemeral_text(h.slack.ephemerals(BOB)[-1])


async def test_home_tab_for_a_member_following_500_cases(h: Harness) -> None:
    public_id = await verified_case(h)
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None
    now = h.running.clock.now()
    async with h.running.db.transaction() as tx:
        for n in range(500):
            clone = record.model_copy(update={"summary": f"Case {n}"})
            new_id = await cases.insert(tx, clone, public_id=f"NI-2025-{n + 1:04d}", now=now)
            await tx.execute("UPDATE cases SET status = 'verified' WHERE id = ?", (new_id,))
            await follows.follow_case(tx, user_id=BOB, case_id=new_id, now=now)
    await h.drive.event({"type": "app_home_opened", "user": BOB, "tab": "home"})
    await h.settle()
    home = h.slack.home(BOB)
    assert home is not None
    assert len(home["blocks"]) <= 100
    text = json.dumps(home["blocks"])
    assert "Cases you follow* (500)" in text and "1 to 20 of 500" in text
    await h.drive.block_action(BOB, "home.page.next", value="20", view=home)
    await h.settle()
    page_two = json.dumps(h.slack.home(BOB)["blocks"])  # type: ignore[index]
    assert "21 to 40 of 500" in page_two
    coordinator_home = None
    await h.drive.event({"type": "app_home_opened", "user": CHIDI, "tab": "home"})
    await h.settle()
    coordinator_home = json.dumps(h.slack.home(CHIDI))
    assert "Reports to review" in coordinator_home


async def test_home_counts_every_waiting_report_beyond_the_ten_it_lists(h: Harness) -> None:
    for n in range(12):
        await report(h, "alice", victim_names=f"Reporter number {n}", place=f"Town {n}")
    await h.drive.event({"type": "app_home_opened", "user": CHIDI, "tab": "home"})
    await h.settle()
    home = json.dumps(h.slack.home(CHIDI))
    assert "Reports to review* (12)" in home
    assert "The oldest 10 of 12 waiting reports are shown here." in home


async def test_calendar_posts_once_on_the_anniversary_across_a_restart(
    h: Harness, clock: ManualClock
) -> None:
    public_id = await verified_case(h, incident_date="2009-11-23", victim_names="Ampatuan victims")
    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 0, "nothing before the posting hour"
    clock.set(datetime(2026, 11, 23, 8, 30, tzinfo=UTC))
    assert await h.running.calendar.run() == 1
    await h.settle()
    await h.stop_bot()
    await h.start_bot()
    assert await h.running.calendar.run() == 0, "the restarted bot does not post again"
    await h.settle()
    posts = [m for m in h.slack.messages(CAMPAIGN) if public_id in json.dumps(m["blocks"])]
    assert len(posts) == 1
    text = json.dumps(posts[0]["blocks"])
    assert "17 years" in text and "still no conviction" in text


async def test_campaign_digest_ahead_of_2_november(h: Harness, clock: ManualClock) -> None:
    public_id = await verified_case(h)
    clock.set(datetime(2026, 10, 26, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 1
    assert await h.running.calendar.run() == 0
    await h.settle()
    digest = next(m for m in h.slack.messages(REVIEW) if "Campaign digest" in m["text"])
    text = json.dumps(digest["blocks"])
    assert public_id in text and "International Day to End Impunity" in text
    assert "campaign.alert" in text
    assert date(2026, 11, 2) - timedelta(days=7) == date(2026, 10, 26)
