"""Cases: a member reports, a coordinator verifies, another member searches; safety rules."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from network_bot.store import audit, cases
from network_bot.testing.flows import GOOD, open_report, report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text, seen_by

ALICE, BOB, EMMA = "U0ALICE01", "U0BOBBY02", "U0EMMA003"
CHIDI, FARID, DANA = "U0CHIDI04", "U0FARID05", "U0DANA006"
REVIEW = "C0REVIEW1"


async def count_rows(h: Harness) -> tuple[int, int]:
    db = h.running.db.read
    return (
        int(await db.fetch_value("SELECT count(*) FROM cases")),
        int(await db.fetch_value("SELECT count(*) FROM outbox")),
    )


async def test_report_opens_a_prefilled_modal(h: Harness) -> None:
    view = await open_report(h, "alice", "Journalist detained at the border")
    assert view["callback_id"] == "report.submit"
    summary = next(b for b in view["blocks"] if b.get("block_id") == "summary")
    assert summary["element"]["initial_value"] == "Journalist detained at the border"
    country = next(b for b in view["blocks"] if b.get("block_id") == "country")
    groups = country["element"]["option_groups"]
    assert all(len(g["options"]) <= 100 for g in groups)
    assert sum(len(g["options"]) for g in groups) >= 249
    assert len(view["blocks"]) <= 100


async def test_each_bad_field_is_explained_and_nothing_is_written(h: Harness) -> None:
    view = await open_report(h, "alice")
    before = await count_rows(h)
    bad = {
        **GOOD,
        "incident_date": "2026-12-31",
        "sources": "not a link\nftp://x",
        "summary": "short",
    }
    response = await h.drive.submit_view(ALICE, view, bad)
    assert response.json is not None
    assert response.json["response_action"] == "errors"
    errors = response.json["errors"]
    assert "future" in errors["incident_date"]
    assert "https://" in errors["sources"]
    assert "too short" in errors["summary"].lower()
    assert await count_rows(h) == before
    assert h.slack.views_for(ALICE), "the modal stays open with the person's input"
    missing = {k: v for k, v in GOOD.items() if k not in {"profession", "country"}}
    response = await h.drive.submit_view(ALICE, view, missing)
    assert response.json is not None
    assert set(response.json["errors"]) >= {"profession", "country"}
    assert await count_rows(h) == before


async def test_only_the_required_fields_are_needed(h: Harness) -> None:
    """Optional inputs left empty arrive as null from Slack; a report without links is fine."""
    required = (
        "victim_names",
        "profession",
        "violation",
        "incident_date",
        "country",
        "urgency",
        "summary",
    )
    public_id = await report(h, "alice", **{k: None for k in GOOD if k not in required})
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.sources == () and record.restricted_notes == ""


async def test_report_gets_an_id_a_confirmation_and_a_review_card(h: Harness) -> None:
    public_id = await report(h, "alice")
    assert public_id == "NI-2026-0001"
    said = " ".join(ephemeral_text(m) for m in h.slack.ephemerals(ALICE))
    assert "NI-2026-0001" in said
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.status.value == "reported"
    assert record.sources == ("https://example.org/news/1", "https://example.org/news/2")
    cards = h.slack.messages(REVIEW)
    assert len(cards) == 1
    card = json.dumps(cards[0])
    assert "NI-2026-0001" in card and "case.verify" in card
    assert "0300-1234567" not in card, "restricted notes never leave /case"


async def test_urgent_report_dms_every_coordinator(h: Harness) -> None:
    public_id = await report(h, "bob", urgency="urgent")
    for coordinator in (CHIDI, FARID):
        dms = h.slack.dm(coordinator)
        assert any(public_id in json.dumps(m) and "Urgent" in m["text"] for m in dms)
    assert not any(public_id in json.dumps(m) for m in h.slack.dm(EMMA))


async def test_concurrent_reports_get_distinct_ids_without_gaps(h: Harness) -> None:
    views = []
    for _ in range(12):
        views.append(await open_report(h, "alice"))
        h.slack.close_view(ALICE)
    responses = await asyncio.gather(
        *(
            h.drive.submit_view(ALICE, v, {**GOOD, "summary": f"Case number {i} of a series"})
            for i, v in enumerate(views)
        )
    )
    ids = sorted(block_text(r.json["view"]).split("*")[1] for r in responses if r.json)
    assert ids == [f"NI-2026-{n:04d}" for n in range(1, 13)]


async def test_verify_from_the_card_and_a_second_click_says_who(h: Harness) -> None:
    public_id = await report(h, "alice")
    card = h.slack.messages(REVIEW)[0]
    await h.drive.block_action(
        CHIDI, "case.verify", value=public_id, message=card, channel_id=REVIEW
    )
    await h.settle()
    late = await h.drive.block_action(
        FARID, "case.verify", value=public_id, message=card, channel_id=REVIEW
    )
    assert late.status == 200
    await h.settle()
    farid_saw = " ".join(m.get("text", "") + block_text(m) for m in h.slack.ephemerals(FARID))
    assert "already marked *verified* by <@U0CHIDI04>" in farid_saw
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.reviewed_by == CHIDI
    assert any("verified" in m["text"] for m in h.slack.dm(ALICE))
    updated = h.slack.messages(REVIEW)[0]
    assert "case.verify" not in json.dumps(updated["blocks"]), "buttons gone after a decision"
    assert "Verified by" in json.dumps(updated["blocks"])


async def test_reject_through_its_modal_tells_the_reporter_why(h: Harness) -> None:
    public_id = await report(h, "emma")
    card = h.slack.messages(REVIEW)[0]
    await h.drive.block_action(
        FARID, "case.reject", value=public_id, message=card, channel_id=REVIEW
    )
    await h.settle()
    modal = h.slack.views_for(FARID)[-1]
    empty = await h.drive.submit_view(FARID, modal, {"reason": ""})
    assert empty.json is not None and "reason" in empty.json["errors"]
    await h.drive.submit_view(FARID, modal, {"reason": "Not within the network's mandate."})
    await h.settle()
    told = " ".join(m["text"] + block_text(m) for m in h.slack.dm(EMMA))
    assert "Not within the network's mandate." in told
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.status.value == "rejected"


async def test_duplicate_of_through_the_command(h: Harness) -> None:
    first = await report(h, "alice")
    await h.command("chidi", f"/case {first} verify")
    second = await report(h, "bob")
    bad = await h.command("chidi", f"/case {second} duplicate-of NI-2026-9999")
    assert "no open case NI-2026-9999" in ephemeral_text(bad.json)
    ok = await h.command("chidi", f"/case {second} duplicate-of {first.lower()}")
    assert f"merged into *{first}*" in ephemeral_text(ok.json)
    record = await cases.get_by_public_id(h.running.db.read, second)
    assert record is not None and record.status.value == "duplicate"


async def test_members_cannot_decide(h: Harness) -> None:
    public_id = await report(h, "alice")
    response = await h.command("bob", f"/case {public_id} verify")
    assert "Only coordinators can do that" in ephemeral_text(response.json)
    clicked = await h.drive.block_action(BOB, "case.verify", value=public_id, channel_id=REVIEW)
    assert clicked.status == 200
    await h.settle()
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.status.value == "reported"
    refusals = await audit.search(
        h.running.db.read, actor_id=BOB, outcomes=(audit.Outcome.REFUSED,)
    )
    assert {e.action for e in refusals} >= {"command /case verify", "action case.verify"}


async def test_who_sees_an_unverified_case(h: Harness) -> None:
    public_id = await report(h, "alice")
    mine = await h.command("alice", f"/case {public_id}")
    assert "Radio journalist shot dead" in ephemeral_text(mine.json)
    assert "0300-1234567" not in ephemeral_text(mine.json)
    other = await h.command("bob", f"/case {public_id}")
    assert "can't find a case" in ephemeral_text(other.json)
    assert "Radio journalist" not in ephemeral_text(other.json)
    coordinator = await h.command("chidi", f"/case {public_id}")
    text = ephemeral_text(coordinator.json)
    assert "0300-1234567" in text and "<@U0ALICE01>" in text
    reads = await audit.search(h.running.db.read, actor_id=CHIDI, target=public_id)
    assert [e.action for e in reads] == ["case.read_restricted"]


async def test_anonymous_reporter_and_withheld_names_stay_hidden(
    h: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    public_id = await report(h, "alice", reporter_anonymous=True, victim_withheld=True)
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    card = await h.command("bob", f"/case {public_id}")
    search = await h.command("bob", "/cases radio journalist")
    by_name = await h.command("bob", "/cases Arshad")
    assert public_id in ephemeral_text(card.json)
    assert public_id in ephemeral_text(search.json)
    assert public_id not in ephemeral_text(by_name.json), "withheld names are not searchable"
    member_view = "\n".join(
        [ephemeral_text(card.json), ephemeral_text(search.json), seen_by(h, BOB), seen_by(h, EMMA)]
    )
    for secret in (ALICE, "alice", "Alice Wanjiru", "Arshad", "0300-1234567"):
        assert secret not in member_view
    review_card = json.dumps(h.slack.messages(REVIEW))
    assert ALICE not in review_card and "anonymous to the network" in review_card
    coordinator = ephemeral_text((await h.command("farid", f"/case {public_id}")).json)
    assert "<@U0ALICE01>" in coordinator and "never show or forward" in coordinator
    for record in caplog.records:
        line = record.getMessage()
        assert "Alice Wanjiru" not in line and "Arshad" not in line
        assert not (public_id in line and ALICE in line)


async def test_duplicates_are_pointed_out_to_reviewer_and_reporter(h: Harness) -> None:
    verified = await report(h, "alice")
    await h.command("chidi", f"/case {verified} verify")
    unverified = await report(h, "emma", victim_names="Someone Else", incident_date="2026-11-03")
    await h.settle()
    h.slack.clear_calls()
    view = await open_report(h, "bob")
    response = await h.drive.submit_view(
        BOB, view, {**GOOD, "victim_names": "A. Mahmood", "incident_date": "2026-11-01"}
    )
    await h.settle()
    told_bob = block_text(response.json["view"]) if response.json else ""
    assert verified in told_bob
    assert unverified not in told_bob, "unverified look-alikes stay with coordinators"
    newest_card = json.dumps(h.slack.messages(REVIEW)[-1])
    assert verified in newest_card and unverified in newest_card


async def test_search_filters_pages_and_bad_syntax(h: Harness) -> None:
    ids = []
    for i in range(12):
        ids.append(
            await report(
                h,
                "alice",
                summary=f"Radio reporter number {i} was detained",
                violation="detention" if i % 2 else "threats",
                country="CO" if i < 6 else "PK",
            )
        )
    for public_id in ids:
        await h.command("chidi", f"/case {public_id} verify")
    first = await h.command("bob", "/cases radio")
    text = ephemeral_text(first.json)
    assert ids[-1] in text and ids[2] in text and ids[1] not in text
    assert "cases.page" in json.dumps(first.json)
    next_value = next(
        e["value"]
        for b in first.json["blocks"]
        if b["type"] == "actions"  # type: ignore[index]
        for e in b["elements"]
        if e["action_id"] == "cases.page.next"
    )
    await h.drive.block_action(BOB, "cases.page.next", value=next_value)
    await h.settle()
    page_two = ephemeral_text(h.slack.ephemerals(BOB)[-1])
    assert ids[0] in page_two and ids[-1] not in page_two
    filtered = ephemeral_text((await h.command("bob", "/cases country:co type:detention")).json)
    assert sum(i in filtered for i in ids) == 3
    for bad in (
        "country:XX",
        "since:yesterday",
        "page:zero",
        "status:maybe",
        "colour:red",
        'radio "unclosed',
    ):
        reply = ephemeral_text((await h.command("bob", f"/cases {bad}")).json)
        assert "Try `/cases" in reply, bad
        assert "fts5" not in reply.lower()
    hostile = ephemeral_text((await h.command("bob", '/cases NEAR( "x* OR -y AND')).json)
    assert "fts5" not in hostile.lower() and "syntax error" not in hostile.lower()
    refused = ephemeral_text((await h.command("bob", "/cases status:reported")).json)
    assert "Only coordinators" in refused


async def test_cases_mine_shows_own_unverified_reports(h: Harness) -> None:
    public_id = await report(h, "emma")
    mine = ephemeral_text((await h.command("emma", "/cases mine")).json)
    assert public_id in mine
    latest = ephemeral_text((await h.command("emma", "/cases")).json)
    assert public_id not in latest


async def test_a_coordinator_can_take_a_report_for_review(h: Harness) -> None:
    public_id = await report(h, "alice")
    await h.drive.block_action(CHIDI, "case.claim", value=public_id, channel_id=REVIEW)
    await h.drive.block_action(FARID, "case.claim", value=public_id, channel_id=REVIEW)
    await h.settle()
    record = await cases.get_by_public_id(h.running.db.read, public_id)
    assert record is not None and record.status.value == "under_review"
    said = " ".join(ephemeral_text(m) for m in h.slack.ephemerals(FARID))
    assert "already being reviewed by <@U0CHIDI04>" in said
    verified = await h.command("farid", f"/case {public_id} verify")
    assert "is verified" in ephemeral_text(verified.json)


async def test_a_look_alike_needs_real_overlap_and_says_why(h: Harness) -> None:
    detention = await report(
        h,
        "alice",
        victim_names="Grace Wanjiru",
        violation="detention",
        incident_date="2026-11-18",
        country="KE",
        place="Kisumu",
        summary="A television reporter was held for two days at a police station in Kisumu.",
    )
    await h.command("chidi", f"/case {detention} verify")
    base = {**GOOD, "country": "KE", "incident_date": "2026-11-20"}
    view = await open_report(h, "bob")
    unlike = await h.drive.submit_view(
        BOB,
        view,
        {
            **base,
            "victim_names": "Otieno Okello",
            "violation": "physical_attack",
            "place": "Mombasa",
            "summary": "A photographer was beaten by a crowd while covering a market fire.",
        },
    )
    await h.settle()
    assert unlike.json is not None
    assert detention not in block_text(unlike.json["view"]), "same country and week: not enough"
    view = await open_report(h, "emma")
    alike = await h.drive.submit_view(
        EMMA,
        view,
        {
            **base,
            "victim_names": "",
            "violation": "detention",
            "place": "Kisumu",
            "summary": "Television reporter held at Kisumu police station for two days.",
        },
    )
    await h.settle()
    assert alike.json is not None
    said = block_text(alike.json["view"])
    assert detention in said
    assert "dates within a week" in said and "the same place" in said, said
