"""Alerts: a coordinator composes, previews and sends; members answer; recall and status."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

from network_bot.clock import ManualClock
from network_bot.store import alerts as alert_store
from network_bot.testing.flows import ALERT, GOOD, compose, preview, recall_form, report, send
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text
from network_bot.testing.workspace import EVERYONE

ALICE, BOB, EMMA = "U0ALICE01", "U0BOBBY02", "U0EMMA003"
CHIDI, FARID, DANA = "U0CHIDI04", "U0FARID05", "U0DANA006"


def alert_dms(h: Harness, user_id: str, public_id: str) -> list[dict[str, Any]]:
    return [m for m in h.slack.dm(user_id) if public_id in json.dumps(m.get("blocks"))]


async def test_preview_shows_the_exact_message_and_count_before_anything_goes(h: Harness) -> None:
    answer = await preview(h, ALERT)
    view = answer["view"]
    text = block_text(view)
    assert "Free Aung now" in text and "6" in view["submit"]["text"]
    assert not h.slack.all_messages(), "nothing is sent before the confirmation"
    await h.settle()
    assert not any(c.method == "chat.postMessage" for c in h.slack.calls)


async def test_sending_reaches_everyone_and_the_sender_gets_a_live_status(h: Harness) -> None:
    public_id = await send(h, ALERT)
    for user in EVERYONE:
        dms = alert_dms(h, user, public_id)
        assert dms, user
    status = [m for m in h.slack.dm(CHIDI) if "delivered" in m["text"]]
    assert status
    await h.running.alerts.refresh_statuses()
    await h.settle()
    latest = [m for m in h.slack.dm(CHIDI) if "delivered" in m["text"]][-1]
    assert "6 delivered" in latest["text"]


async def test_bad_input_is_explained_on_the_form(h: Harness) -> None:
    answer = await preview(
        h, {**ALERT, "link": "example.org", "audience": [], "deadline": "2026-01-01"}
    )
    assert answer["response_action"] == "errors"
    assert "https://" in answer["errors"]["link"]
    assert "passed" in answer["errors"]["deadline"]
    nobody = await preview(h, {**ALERT, "audience": []})
    assert "Choose who gets it" in nobody["errors"]["audience"]
    assert await h.running.db.read.fetch_value("SELECT count(*) FROM alerts") == 0


async def test_alert_about_a_case_uses_only_its_broadcastable_summary(h: Harness) -> None:
    unverified = await report(h, "alice")
    refused = await h.command("chidi", f"/alert {unverified}")
    assert "Only verified cases" in ephemeral_text(refused.json)
    await h.command("chidi", f"/case {unverified} verify")
    view = await compose(h, "chidi", unverified)
    body = next(b for b in view["blocks"] if b.get("block_id") == "body")
    assert body["element"]["initial_value"] == GOOD["summary"]
    assert GOOD["restricted_notes"] not in json.dumps(view)


async def test_audience_by_country_region_followers_and_preferences(h: Harness) -> None:
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    await h.command("bob", f"/follow {public_id}")
    await h.command("farid", "/follow country:KE")
    await h.command("emma", "/network prefs mute")
    await h.command("dana", "/network prefs digest")
    view = await compose(h, "chidi", public_id)
    answer = await h.drive.submit_view(
        CHIDI,
        view,
        {
            **ALERT,
            "audience": ["case_followers", "country_followers"],
            "countries": ["KE"],
            "regions": ["Americas", "Asia-Pacific"],
        },
    )
    assert answer.json is not None
    text = block_text(answer.json["view"])
    # alice (KE), bob (follows the case), farid (follows KE): now; dana (KH): digest;
    # emma (CO) muted alerts.
    assert "*3* people get it now" in text
    assert "1 person gets it in their daily digest" in text and "1 person muted" in text
    urgent = await preview(
        h, {**ALERT, "urgency": "urgent", "regions": ["Americas"], "audience": []}
    )
    assert "*1* person gets it now" in block_text(urgent["view"]), "urgent reaches the muted"


async def test_shared_channel_needs_an_explicit_tick(h: Harness) -> None:
    refused = await preview(h, {**ALERT, "channels": ["C0PARTNER"]})
    assert refused["response_action"] == "errors"
    assert "shared with another organisation" in refused["errors"]["channels"]
    h.slack.close_view(CHIDI)
    public_id = await send(
        h,
        {
            **ALERT,
            "audience": [],
            "channels": ["C0PARTNER", "C0ALERTS1"],
            "shared": ["include_shared"],
        },
    )
    assert any(public_id in json.dumps(m) for m in h.slack.messages("C0PARTNER"))
    assert any(public_id in json.dumps(m) for m in h.slack.messages("C0ALERTS1"))


async def test_concurrent_answers_are_tallied_once_per_person(h: Harness) -> None:
    public_id = await send(h, ALERT)
    alert = await alert_store.get_by_public_id(h.running.db.read, public_id)
    assert alert is not None
    clicks = [
        (ALICE, "in"),
        (BOB, "done"),
        (EMMA, "cant"),
        (FARID, "in"),
        (ALICE, "done"),
        (DANA, "in"),
        (BOB, "done"),
        (CHIDI, "in"),
    ]
    await asyncio.gather(
        *(
            h.drive.block_action(
                user,
                f"alert.respond.{answer}",
                value=f"{alert.id}:{answer}",
                message=alert_dms(h, user, public_id)[0],
            )
            for user, answer in clicks
        )
    )
    await h.settle()
    tallies = await alert_store.tallies(h.running.db.read, alert.id)
    assert sum(tallies.values()) == 6
    by_org = await alert_store.tallies_by_organisation(h.running.db.read, alert.id)
    assert set(by_org) >= {"Network Secretariat", "Gulf Rights Monitor"}
    assert any("Thank you: recorded" in ephemeral_text(m) for m in h.slack.ephemerals(EMMA))
    tampered = await h.drive.block_action(BOB, "alert.respond.in", value="999999:in")
    assert tampered.status == 200
    await h.settle()
    assert sum((await alert_store.tallies(h.running.db.read, alert.id)).values()) == 6


async def test_recall_asks_first_and_for_a_reason_then_withdraws_every_copy(h: Harness) -> None:
    public_id = await send(h, {**ALERT, "channels": ["C0ALERTS1"]})
    form = await recall_form(h, f"/alert recall {public_id}")
    assert "7 delivered copies" in block_text(form["blocks"])

    def withdrawn_copies() -> int:
        return sum("was withdrawn" in json.dumps(m["blocks"]) for m in h.slack.all_messages())

    assert withdrawn_copies() == 0, "nothing is withdrawn before the confirmation"
    h.slack.close_view(CHIDI)  # "Keep it": nothing happens
    await h.settle()
    assert withdrawn_copies() == 0
    form = await recall_form(h, f"/alert recall {public_id}")
    blank = await h.drive.submit_view(CHIDI, form, {"reason": "  "})
    assert blank.json is not None and "reason" in blank.json["errors"]
    done = await h.drive.submit_view(CHIDI, form, {"reason": "The hearing date was wrong"})
    assert done.json is not None
    assert "Withdrawn: 7 delivered copies" in block_text(done.json["view"])
    await h.settle()
    for user in (ALICE, BOB):
        copy = alert_dms(h, user, public_id) or [m for m in h.slack.dm(user) if m.get("edits")]
        text = json.dumps(copy[0]["blocks"])
        assert "withdrawn" in text and "The hearing date was wrong" in text
    channel_copy = h.slack.messages("C0ALERTS1")[0]
    assert "withdrawn" in json.dumps(channel_copy["blocks"])
    assert withdrawn_copies() == 7
    await h.running.alerts.refresh_statuses()
    await h.settle()
    status = ephemeral_text((await h.command("chidi", f"/alert status {public_id}")).json)
    assert "*Withdrawn (copies replaced)*\n7" in status, status
    assert "The hearing date was wrong" in status
    alert = await alert_store.get_by_public_id(h.running.db.read, public_id)
    assert alert is not None
    late = await h.drive.block_action(ALICE, "alert.respond.in", value=f"{alert.id}:in")
    assert late.status == 200
    await h.settle()
    assert any("withdrawn" in ephemeral_text(m) for m in h.slack.ephemerals(ALICE))
    again = await h.command("chidi", f"/alert recall {public_id}")
    assert "already withdrawn" in ephemeral_text(again.json)


async def test_the_recall_button_opens_the_same_form(h: Harness) -> None:
    public_id = await send(h, ALERT)
    status = next(m for m in h.slack.dm(CHIDI) if "delivered" in m["text"])
    await h.drive.block_action(CHIDI, "alert.recall", value=public_id, message=status)
    await h.settle()
    form = h.slack.views_for(CHIDI)[-1]
    assert form["callback_id"] == "alert.recall.submit" and public_id in json.dumps(form)
    refused = await h.drive.submit_view(BOB, form, {"reason": "members cannot"})
    assert refused.status == 200
    record = await alert_store.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.state.value == "sent"


async def test_status_lists_failures_with_reasons(h: Harness) -> None:
    h.slack.deactivate_user(EMMA)
    public_id = await send(h, ALERT)
    status = ephemeral_text((await h.command("farid", f"/alert status {public_id}")).json)
    assert "5" in status and "<@U0EMMA003>" in status and "account_inactive" in status
    listing = ephemeral_text((await h.command("farid", "/alert status")).json)
    assert public_id in listing


async def test_members_cannot_send_alerts(h: Harness) -> None:
    refused = await h.command("bob", "/alert")
    assert "Only coordinators can do that" in ephemeral_text(refused.json)
    await h.settle()
    assert not h.slack.views_for(BOB)


async def test_digest_goes_out_once_at_nine_local_time(h: Harness) -> None:
    await h.command("alice", "/network prefs digest")  # Nairobi, UTC+3
    clock: ManualClock = h.clock  # type: ignore[assignment]
    clock.set(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))  # 07:00 in Nairobi
    public_id = await send(h, ALERT)
    assert not alert_dms(h, ALICE, public_id)
    assert await h.running.alerts.send_digests() == 0
    clock.set(datetime(2026, 11, 25, 6, 5, tzinfo=UTC))  # 09:05 in Nairobi
    assert await h.running.alerts.send_digests() == 1
    assert await h.running.alerts.send_digests() == 0
    await h.settle()
    digests = [m for m in h.slack.dm(ALICE) if "from the network today" in m["text"]]
    assert len(digests) == 1 and public_id in json.dumps(digests[0]["blocks"])


async def test_back_from_the_preview_returns_to_the_form_to_edit(h: Harness) -> None:
    view = await compose(h)
    answer = await h.drive.submit_view(CHIDI, view, ALERT)
    assert answer.json is not None and answer.json["response_action"] == "push"
    shown = h.slack.views_for(CHIDI)[-1]
    assert shown["close"]["text"] == "Back"
    await h.drive.view_closed(CHIDI, shown)
    [back] = h.slack.views_for(CHIDI)
    assert back["callback_id"] == "alert.compose"
    again = await h.drive.submit_view(CHIDI, back, {**ALERT, "headline": "Free Aung today"})
    assert again.json is not None and again.json["response_action"] == "push"
    assert "Free Aung today" in block_text(again.json["view"])
    assert not h.slack.all_messages(), "nothing is sent by going back and forth"


async def test_a_digest_of_many_alerts_comes_in_parts_with_every_alert(h: Harness) -> None:
    await h.command("alice", "/network prefs digest")  # Nairobi, UTC+3
    clock: ManualClock = h.clock  # type: ignore[assignment]
    clock.set(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    sent = [await send(h, {**ALERT, "headline": f"Alert number {i}"}) for i in range(9)]
    clock.set(datetime(2026, 11, 25, 6, 5, tzinfo=UTC))
    assert await h.running.alerts.send_digests() == 1
    await h.settle()
    parts = [m for m in h.slack.dm(ALICE) if "9 alerts from the network today" in m["text"]]
    assert len(parts) == 2
    bodies = [json.dumps(p["blocks"]) for p in parts]
    assert "(1 of 2)" in bodies[0] and "(2 of 2)" in bodies[1]
    for public_id in sent:
        assert sum(public_id in body for body in bodies) == 1, public_id
    assert not any("/alert status" in body for body in bodies), "members cannot use it"
    assert "Change it with" in bodies[1] and "Change it with" not in bodies[0]
