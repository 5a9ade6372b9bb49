"""Boundary scenarios: every surface at its largest, full of characters that need escaping.

The harness is strict: it fails the test if the stand-in refused anything the bot sent (block
counts, lengths, ids, plain_text, broken entities or links). Each test also reads back what was
delivered for double escaping and lost content.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from network_bot.data import countries
from network_bot.store import follows
from network_bot.store.cases import NewCase
from network_bot.testing.flows import open_report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text
from network_bot.testing.scenarios import insert_case
from network_bot.vocabulary import Profession, Violation

ALICE, BOB, CHIDI = "U0ALICE01", "U0BOBBY02", "U0CHIDI04"
EVERY_COUNTRY = [c.code for region in countries.REGIONS for c in countries.by_region(region)]
NASTY = "R&D <b>*bold*</b> _it_ & > < 📰👩🏽‍⚖️ é "


def nasty(size: int) -> str:
    """``size`` characters (in Slack's UTF-16 count, at most) of what needs escaping."""
    text = (NASTY * (size // len(NASTY) + 1))[: size - 2]
    return text.encode("utf-16-le")[: (size - 2) * 2].decode("utf-16-le", "ignore")


def long_source(n: int) -> str:
    return f"https://example.org/news/{n}/" + "a-very-long-slug-" * 15 + f"?ref={n}&lang=en"


def assert_clean(h: Harness) -> str:
    """Everything delivered, checked for Slack's entities escaped twice."""
    shown = json.dumps([h.slack.all_messages(), [h.slack.ephemerals(p.user_id) for p in h.people]])
    for twice in ("&amp;amp;", "&amp;lt;", "&amp;gt;"):
        assert twice not in shown, twice
    return shown


async def test_a_case_with_every_field_at_its_maximum(h: Harness) -> None:
    view = await open_report(h, "alice")
    sources = [long_source(n) for n in range(10)]
    values = {
        "victim_names": nasty(300),
        "profession": "journalist",
        "violation": "detention",
        "incident_date": "2026-11-20",
        "country": "PK",
        "place": nasty(200),
        "perpetrator": "unknown",
        "urgency": "urgent",
        "summary": nasty(2500),
        "restricted_notes": nasty(3000),
        "sources": "\n".join(sources),
    }
    response = await h.drive.submit_view(ALICE, view, values)
    assert response.slack_error is None, response.slack_error
    assert response.json is not None and response.json.get("response_action") == "update", (
        response.text[:500]
    )
    await h.settle()
    text = json.dumps(response.json)
    public_id = next(w.strip('*.,"') for w in text.split() if w.strip('*.,"').startswith("NI-"))
    for user in ("chidi", "bob"):
        await h.command("chidi", f"/case {public_id} verify") if user == "chidi" else None
        card = await h.command(user, f"/case {public_id}")
        assert card.slack_error is None, card.slack_error
        shown = json.dumps(card.json)
        for source in sources:  # ten long sources, every one still a whole link
            assert source.replace("&", "&amp;") in shown
    await h.command("bob", f"/follow {public_id}")
    await h.command("bob", "/cases")
    await h.command("bob", f"/cases {public_id}")
    await h.settle()
    shown = assert_clean(h)
    assert "&amp;" in shown and "&lt;b&gt;" in shown  # escaped once, where mrkdwn shows it


async def _bulk(h: Harness, count: int, *, verified: bool) -> list[int]:
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    ids = []
    async with h.running.db.transaction() as tx:
        for n in range(count):
            ids.append(
                await insert_case(
                    tx,
                    NewCase(
                        reporter_id=ALICE,
                        victim_names=nasty(120),
                        profession=Profession.JOURNALIST,
                        violation=Violation.THREATS,
                        incident_date=date(2025, 1, 1 + n % 28),
                        country=EVERY_COUNTRY[n % len(EVERY_COUNTRY)],
                        summary=nasty(400),
                        sources=(long_source(n),),
                    ),
                    now=now,
                    verified_by=CHIDI if verified else None,
                )
            )
    return ids


async def test_a_member_following_hundreds_of_cases_and_every_country(h: Harness) -> None:
    case_ids = await _bulk(h, 300, verified=True)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    every = EVERY_COUNTRY
    async with h.running.db.transaction() as tx:
        for case_id in case_ids:
            await follows.follow_case(tx, user_id=BOB, case_id=case_id, now=now)
        for code in every:
            await follows.follow_country(tx, user_id=BOB, country=code, now=now)
    listing = await h.command("bob", "/follow")
    assert listing.slack_error is None, listing.slack_error
    assert "300" in ephemeral_text(listing.json) or len(ephemeral_text(listing.json)) > 100
    await h.drive.event({"type": "app_home_opened", "user": BOB, "tab": "home"})
    await h.settle()
    home = h.slack.home(BOB)
    assert home is not None and len(home["blocks"]) <= 100
    for _ in range(2):  # page on, with the Next button as Slack shows it
        home = h.slack.home(BOB)
        assert home is not None
        await h.drive.block_action(BOB, "home.page.next", view=home)
        await h.settle()
    assert "41 to 60 of 300" in json.dumps(h.slack.home(BOB))
    assert_clean(h)


async def test_a_coordinator_with_a_long_review_queue(h: Harness) -> None:
    await _bulk(h, 150, verified=False)
    await h.drive.event({"type": "app_home_opened", "user": CHIDI, "tab": "home"})
    await h.settle()
    home = h.slack.home(CHIDI)
    assert home is not None and len(home["blocks"]) <= 100
    assert "NI-2026-0001" in json.dumps(home["blocks"])  # the oldest report waits at the top
    await h.drive.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    await h.settle()
    found = await h.command("chidi", "/cases status:reported")
    assert found.slack_error is None
    assert_clean(h)


async def test_an_alert_to_every_audience(h: Harness) -> None:
    every = [c.code for c in countries.by_region(countries.REGIONS[0])]
    opened = await h.command("chidi", "/alert")
    assert opened.status == 200
    await h.settle()
    compose = h.slack.views_for(CHIDI)[-1]
    values: dict[str, Any] = {
        "headline": nasty(150),
        "body": nasty(2000),
        "action_kind": "custom",
        "action_text": nasty(500),
        "link": "https://example.org/letter?a=1&b=2",
        "deadline": "2026-12-01",
        "urgency": "urgent",
        "audience": ["all", "country_followers"],
        "countries": every[:50],
        "regions": list(countries.REGIONS),
        "channels": ["C0GENERAL", "C0ALERTS1", "C0PARTNER", "C0CAMPAIGN"],
        "shared": ["include_shared"],
    }
    preview = await h.drive.submit_view(CHIDI, compose, values)
    assert preview.slack_error is None, preview.slack_error
    assert preview.json is not None and preview.json["response_action"] == "push", preview.text
    confirm = h.slack.views_for(CHIDI)[-1]
    words = json.dumps(confirm["blocks"]).replace("*", " ").split()
    public_id = next(w.strip('",.') for w in words if w.startswith("AL-"))
    assert "alert.respond" not in json.dumps(confirm["blocks"]), "no live answer buttons"
    done = await h.drive.submit_view(CHIDI, confirm, {})
    assert done.slack_error is None, done.slack_error
    await h.settle()
    copies = [m for m in h.slack.dm(BOB) if "alert.respond.in" in json.dumps(m)]
    assert copies, "the alert reached a member"
    buttons = next(b for b in copies[0]["blocks"] if b["type"] == "actions")["elements"]
    answer = await h.drive.block_action(
        BOB, buttons[1]["action_id"], message=copies[0], channel_id=copies[0]["channel"]
    )
    assert answer.status == 200
    await h.settle()
    assert any("Thank you: recorded" in ephemeral_text(m) for m in h.slack.ephemerals(BOB))
    status = await h.command("chidi", f"/alert status {public_id}")
    assert status.slack_error is None
    assert_clean(h)
