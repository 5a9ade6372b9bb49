"""The Slack Connect guard fails closed: nothing reaches a channel shared with another
organisation unless a coordinator chose it, whatever conversations.info answers (or doesn't).

Everything goes through the real endpoint: a member files a report (its review card goes to
the review channel), a coordinator sends an alert to a channel; the stand-in plays Slack,
answering conversations.info with 429s, 5xx pages, timeouts and ``ok: false``.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from network_bot.channels import ChannelUnreadable, channel_info
from network_bot.store import outbox
from network_bot.store.outbox import Delivery, State
from network_bot.testing.flows import ALERT, GOOD, compose, open_report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text
from network_bot.testing.seeding import member, seed_case
from network_bot.testing.workspace import CAMPAIGN_CHANNEL, CHIDI

REVIEW = "C0REVIEW1"
GENERAL = "C0GENERAL"
FINAL = {State.SENT, State.FAILED, State.CANCELLED}
FAST = {"retry_backoff": 0.1, "slack_timeout": 1}


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    async with Harness(db_path=tmp_path / "bot.sqlite3", settings=FAST) as harness:
        yield harness


async def file_report(h: Harness, user: str = "alice", **changes: Any) -> str:
    """A member files a report through the modal; the review card is queued, not awaited."""
    view = await open_report(h, user)
    response = await h.drive.submit_view(h.user_id(user), view, {**GOOD, **changes})
    assert response.json is not None and response.json.get("response_action") == "update"
    text = block_text(response.json["view"])
    return next(w.strip("*.,") for w in text.split() if w.strip("*.,").startswith("NI-"))


async def review_card(h: Harness, public_id: str) -> Delivery:
    """The outbox row of a report's review card, once the report has queued it."""
    db = h.running.db.read
    async with asyncio.timeout(5):
        while True:
            for found in await db.fetch_all(
                "SELECT id FROM outbox WHERE purpose = 'review' AND instr(payload, ?) > 0",
                (public_id,),
            ):
                row = await outbox.get(db, int(found[0]))
                if row is not None:
                    return row
            await asyncio.sleep(0.02)


async def final(h: Harness, row_id: int, timeout: float = 15.0) -> Delivery:
    async with asyncio.timeout(timeout):
        while True:
            row = await outbox.get(h.running.db.read, row_id)
            if row is not None and row.state in FINAL:
                return row
            await asyncio.sleep(0.02)


def posts_to(h: Harness, channel: str) -> list[Any]:
    return [
        c
        for c in h.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == channel and c.status == 200
    ]


FAULTS = {
    "429": {"retry_after": 1},
    "503 page": {"status": 503},
    "500 page": {"status": 500},
    "timeout": {"delay": 1.6},
    "dropped connection": {"drop": True},
    "ok false internal_error": {"error": "internal_error"},
    "ok false fatal_error": {"error": "fatal_error"},
    "ok false unknown code": {"error": "something_new"},
    "ok false ratelimited": {"error": "ratelimited"},
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
async def test_a_shared_review_channel_gets_no_card_while_slack_cannot_say(
    h: Harness, fault: dict[str, Any]
) -> None:
    h.slack.share_channel(REVIEW)
    h.slack.inject("conversations.info", times=None, **fault)
    public_id = await file_report(h)
    card = await review_card(h, public_id)
    await asyncio.sleep(2.5)  # a few tries of conversations.info, all failing
    assert h.slack.calls_to("conversations.info"), "the guard asked Slack"
    assert not posts_to(h, REVIEW), "an unverified report reached a shared channel"
    row = await outbox.get(h.running.db.read, card.id)
    assert row is not None and row.state is not State.SENT
    # Slack answers again: the channel is shared, so the card is refused, never posted.
    h.slack.clear_faults()
    done = await final(h, card.id)
    assert done.state is State.FAILED
    assert done.last_error is not None and (
        done.last_error == "shared_channel_refused" or "gave up" in done.last_error
    )
    assert not posts_to(h, REVIEW) and not h.slack.messages(REVIEW)


async def test_a_rate_limited_check_waits_without_using_up_attempts(h: Harness) -> None:
    h.slack.inject("conversations.info", times=None, retry_after=1)
    public_id = await file_report(h)
    card = await review_card(h, public_id)
    await asyncio.sleep(2.5)
    row = await outbox.get(h.running.db.read, card.id)
    assert row is not None and row.state in {State.PENDING, State.SENDING} and row.attempts <= 1
    h.slack.clear_faults()
    assert (await final(h, card.id)).state is State.SENT, "an unshared channel gets its card"
    assert len(posts_to(h, REVIEW)) == 1


async def test_a_channel_shared_after_the_bot_last_looked_is_refused(h: Harness) -> None:
    first = await review_card(h, await file_report(h))
    assert (await final(h, first.id)).state is State.SENT
    h.slack.share_channel(REVIEW)  # an admin connects a partner organisation
    second = await review_card(h, await file_report(h, summary=GOOD["summary"] + " Again."))
    refused = await final(h, second.id)
    assert refused.state is State.FAILED and refused.last_error == "shared_channel_refused"
    assert len(posts_to(h, REVIEW)) == 1, "only the card from before the channel was shared"


async def test_a_pending_slack_connect_invitation_counts_as_shared(h: Harness) -> None:
    h.slack.share_channel(REVIEW, pending=True)
    card = await review_card(h, await file_report(h))
    refused = await final(h, card.id)
    assert refused.state is State.FAILED and refused.last_error == "shared_channel_refused"
    assert not posts_to(h, REVIEW)


async def test_an_alert_channel_shared_between_preview_and_send_gets_nothing(
    h: Harness,
) -> None:
    """The form looked (and remembered) that #general was not shared; by the time the
    coordinator confirms, it is: the sender asks again and refuses."""
    view = await compose(h, "chidi")
    values = {**ALERT, "audience": [], "channels": [GENERAL]}
    answer = await h.drive.submit_view(h.user_id("chidi"), view, values)
    assert answer.json is not None and answer.json.get("response_action") == "push"
    h.slack.share_channel(GENERAL)
    confirm = h.slack.views_for(h.user_id("chidi"))[-1]
    done = await h.drive.submit_view(h.user_id("chidi"), confirm, {})
    assert done.json == {"response_action": "clear"}, done.text
    await h.settle()
    rows = await h.running.db.read.fetch_all(
        "SELECT id FROM outbox WHERE purpose = 'alert' AND target_id = ?", (GENERAL,)
    )
    [row] = [await final(h, int(r[0])) for r in rows]
    assert row.state is State.FAILED and row.last_error == "shared_channel_refused"
    assert not posts_to(h, GENERAL)


async def test_edits_into_a_channel_shared_since_add_nothing_but_withdrawals_go(
    h: Harness,
) -> None:
    """A review card posted before the channel was shared: the verification that would add
    to it is refused, the redaction that takes names out of it goes through."""
    public_id = await file_report(h)
    card = await final(h, (await review_card(h, public_id)).id)
    assert card.state is State.SENT
    h.slack.share_channel(REVIEW)
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    db = h.running.db.read
    outcome = await db.fetch_all(
        "SELECT state, last_error FROM outbox WHERE edits_id = ? AND purpose = 'review-outcome'",
        (card.id,),
    )
    assert [tuple(r) for r in outcome] == [("failed", "shared_channel_refused")]
    await h.command("dana", f'/case {public_id} redact "the family asked"')
    await h.settle()
    redaction = await db.fetch_all(
        "SELECT state FROM outbox WHERE edits_id = ? AND purpose = 'redaction'", (card.id,)
    )
    assert [r[0] for r in redaction] == ["sent"]
    [message] = h.slack.messages(REVIEW)
    assert GOOD["victim_names"] not in json.dumps(
        {k: v for k, v in message.items() if k != "edits"}
    )


@pytest.mark.parametrize(
    "answer",
    [
        {"ok": True},
        {"ok": True, "channel": None},
        {"ok": True, "channel": {"id": "C1", "name": "x"}},
        {"ok": True, "channel": {"id": "C1", "is_shared": False}},
    ],
)
def test_an_answer_that_does_not_say_whether_a_channel_is_shared_cannot_pass(
    answer: dict[str, Any],
) -> None:
    with pytest.raises(ChannelUnreadable):
        channel_info("C1", answer)


@pytest.mark.parametrize(
    ("flags", "shared"),
    [
        ({"is_shared": False, "is_ext_shared": False}, False),
        ({"is_shared": True, "is_ext_shared": False}, True),
        ({"is_shared": False, "is_ext_shared": True}, True),
        ({"is_shared": False, "is_ext_shared": None}, True),
        ({"is_shared": False, "is_ext_shared": "false"}, True),
        ({"is_shared": False, "is_ext_shared": False, "is_pending_ext_shared": True}, True),
        ({"is_shared": False, "is_ext_shared": False, "pending_shared": ["T2"]}, True),
    ],
)
def test_only_an_explicit_false_means_not_shared(flags: dict[str, Any], shared: bool) -> None:
    info = channel_info("C1", {"ok": True, "channel": {"id": "C1", "name": "x", **flags}})
    assert info.is_ext_shared is shared


async def test_a_chart_is_not_uploaded_to_a_campaign_channel_shared_since_the_last_one(
    h: Harness,
) -> None:
    """The chart uploader asks Slack afresh too: the first chart goes, then the campaign
    channel is connected to a partner, and the next chart is refused."""
    from network_bot.store import campaign as campaign_store

    await seed_case(h)
    coordinator = await member(h, CHIDI)
    await h.running.charts.post_to_campaign(coordinator, country=None, since=None)
    await h.settle()
    assert len(h.slack.files(CAMPAIGN_CHANNEL)) == 1
    h.slack.share_channel(CAMPAIGN_CHANNEL)
    h.slack.inject("conversations.info", times=1, retry_after=1)  # and Slack is busy at first
    await h.running.charts.post_to_campaign(coordinator, country="PK", since=None)
    async with asyncio.timeout(20):
        while True:
            states = await campaign_store.chart_states(h.running.db.read)
            if states.get("failed", 0) >= 1:
                break
            await asyncio.sleep(0.05)
    assert len(h.slack.files(CAMPAIGN_CHANNEL)) == 1, "no chart reached the shared channel"
