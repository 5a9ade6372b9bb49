"""The campaign desk: emblematic cases, UNESCO requests and answers, what states owe, and the
lobbying alert drafted from it; each through the real endpoint, each refused below coordinator
at the endpoint and in the service."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

import pytest

from network_bot.blocks.lobbying import lobbying_text
from network_bot.clock import ManualClock
from network_bot.refusal import NotAllowed
from network_bot.services.campaign import CampaignError, UnescoInput
from network_bot.store import audit
from network_bot.store import campaign as campaign_store
from network_bot.store.campaign import StateAnswer
from network_bot.store.cases import CaseRecord
from network_bot.testing.harness import Harness
from network_bot.testing.reading import button_value, said
from network_bot.testing.seeding import NOTES, WITHHELD, answer, member, seed_case
from network_bot.vocabulary import Violation

ALICE, BOB, EMMA = "U0ALICE01", "U0BOBBY02", "U0EMMA003"
CHIDI, FARID, DANA = "U0CHIDI04", "U0FARID05", "U0DANA006"
REVIEW, CAMPAIGN = "C0REVIEW1", "C0CAMPAIGN"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


# ----------------------------------------------------------------------------- emblematic


async def test_only_coordinators_mark_emblematic_at_the_endpoint_and_in_the_service(
    h: Harness,
) -> None:
    case = await seed_case(h)
    refused = await said(h, "bob", f"/case {case.public_id} emblematic")
    assert "Only coordinators" in refused
    with pytest.raises(NotAllowed, match="Only coordinators"):
        await h.running.campaign.set_emblematic(await member(h, BOB), case.public_id, on=True)
    assert not await campaign_store.is_emblematic(h.running.db.read, case.id)
    refusals = await audit.search(h.running.db.read, actor_id=BOB)
    assert any("emblematic" in e.action or "needs coordinator" in e.detail for e in refusals)


@pytest.mark.parametrize(
    "verb", ["EMBLEMATIC", "Emblematic off", "emblematic on", "unesco", "UNESCO"]
)
async def test_a_member_cannot_reach_the_campaign_verbs_however_they_are_written(
    h: Harness, verb: str
) -> None:
    case = await seed_case(h)
    assert "Only coordinators" in await said(h, "bob", f"/case {case.public_id} {verb}")
    assert not await campaign_store.is_emblematic(h.running.db.read, case.id)
    assert not h.slack.views_for(BOB)


async def test_emblematic_badge_audit_list_home_and_undo(h: Harness) -> None:
    plain = await seed_case(h, country="CO", names="Orlando Sierra")
    marked = await seed_case(h, country="KH", names="Chea Vichea", incident=date(2004, 1, 22))
    unverified = await seed_case(h, verified=False)

    done = await said(h, "chidi", f"/case {marked.public_id} emblematic")
    assert "is emblematic" in done
    again = await said(h, "chidi", f"/case {marked.public_id} emblematic")
    assert "already emblematic" in again
    not_yet = await said(h, "chidi", f"/case {unverified.public_id} emblematic")
    assert "not verified" in not_yet
    entries = await audit.search(h.running.db.read, actor_id=CHIDI)
    assert [e.target for e in entries if e.action == "case.emblematic"] == [marked.public_id]

    card = await said(h, "bob", f"/case {marked.public_id}")
    assert "Emblematic case" in card
    assert "Emblematic case" not in await said(h, "bob", f"/case {plain.public_id}")
    listed = await said(h, "bob", "/cases emblematic")
    assert marked.public_id in listed and plain.public_id not in listed

    await h.drive.event({"type": "app_home_opened", "user": BOB, "tab": "home"})
    await h.settle()
    home = json.dumps(h.slack.home(BOB))
    assert marked.public_id in home
    assert home.index("Emblematic cases") < home.index("Cases you follow"), "it leads App Home"

    undone = await said(h, "chidi", f"/case {marked.public_id} emblematic off")
    assert "no longer emblematic" in undone
    assert "Emblematic case" not in await said(h, "bob", f"/case {marked.public_id}")
    entries = await audit.search(h.running.db.read, actor_id=CHIDI)
    assert [e.action for e in entries if e.action.startswith("case.emblematic")] == [
        "case.emblematic_off",
        "case.emblematic",
    ], "newest first"
    assert "No case is emblematic" in await said(h, "bob", "/cases emblematic")


async def test_an_emblematic_anniversary_always_posts_and_leads(
    h: Harness, clock: ManualClock
) -> None:
    killing = await seed_case(h, incident=date(2012, 1, 22), names="Ordinary Killing")
    detention = await seed_case(
        h, violation=Violation.DETENTION, incident=date(2016, 1, 22), names="Long Detention"
    )
    quiet = await seed_case(
        h, violation=Violation.DETENTION, incident=date(2017, 1, 22), names="Not Emblematic"
    )
    await h.running.campaign.set_emblematic(await member(h, CHIDI), detention.public_id, on=True)
    clock.set(datetime(2027, 1, 22, 9, 0, tzinfo=UTC))
    assert await h.running.calendar.run() == 1
    await h.settle()
    [post] = h.slack.messages(CAMPAIGN)
    text = json.dumps(post["blocks"])
    assert detention.public_id in text and killing.public_id in text
    assert quiet.public_id not in text, "detentions post only when emblematic"
    assert text.index(detention.public_id) < text.index(killing.public_id)
    assert ":star:" in text


async def test_an_emblematic_case_known_only_to_the_month_has_no_anniversary(
    h: Harness, clock: ManualClock
) -> None:
    """An imported "June 1993" is stored as the 1st: that is not the day it happened."""
    month_only = await seed_case(h, incident=date(1993, 6, 1), names="Month Only")
    async with h.running.db.transaction() as tx:
        await tx.execute("UPDATE cases SET date_precision = 'month' WHERE id = ?", (month_only.id,))
    await h.running.campaign.set_emblematic(await member(h, CHIDI), month_only.public_id, on=True)
    clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    await h.running.calendar.run()
    await h.settle()
    assert month_only.public_id not in json.dumps(h.slack.messages(CAMPAIGN))


# ----------------------------------------------------------------------------- UNESCO


async def open_unesco(h: Harness, user: str, public_id: str) -> dict[str, Any]:
    reply = await said(h, user, f"/case {public_id} unesco")
    assert reply == "", reply
    view = h.slack.views_for(h.user_id(user))[-1]
    assert view["callback_id"] == "case.unesco.submit"
    return view


async def test_recording_a_request_and_the_states_answer(h: Harness) -> None:
    case = await seed_case(h, incident=date(2018, 6, 1))
    view = await open_unesco(h, "chidi", case.public_id)
    request = {"cycle": "2026", "requested_on": "2025-03-01", "answer": "none"}
    saved = await h.drive.submit_view(CHIDI, view, request)
    assert saved.json and saved.json["response_action"] == "update", saved.text
    card = await said(h, "bob", f"/case {case.public_id}")
    assert "UNESCO asked on 1 Mar 2025 for the 2026 report" in card
    assert "has not answered" in card

    view = await open_unesco(h, "chidi", case.public_id)
    answered = {
        **request,
        "answer": "ongoing",
        "answered_on": "2025-06-10",
        "source_url": "https://example.org/unesco/observatory",
    }
    saved = await h.drive.submit_view(CHIDI, view, answered)
    assert saved.json and saved.json["response_action"] == "update", saved.text
    [entry] = await campaign_store.unesco_for_case(h.running.db.read, case.id)
    assert (entry.cycle, entry.answer, entry.answered_on) == (
        2026,
        StateAnswer.ONGOING,
        date(2025, 6, 10),
    )
    card = await said(h, "bob", f"/case {case.public_id}")
    assert "the state answered on 10 Jun 2025" in card and "Ongoing" in card
    assert "example.org/unesco/observatory" in card
    logged = await audit.search(h.running.db.read, actor_id=CHIDI)
    assert [e.detail for e in logged if e.action == "case.unesco"] == [
        "cycle 2026: ongoing",
        "cycle 2026: none",
    ], "newest first"


async def test_bad_unesco_input_is_explained_and_writes_nothing(h: Harness) -> None:
    case = await seed_case(h, incident=date(2018, 6, 1), names=WITHHELD, withheld=True)
    good = {"cycle": "2026", "requested_on": "2025-03-01", "answer": "none"}
    for values, field, says in (
        ({"answer": "resolved"}, "answered_on", "When did the state answer"),
        (
            {"answer": "resolved", "answered_on": "2025-01-01"},
            "answered_on",
            "before the request",
        ),
        ({"answered_on": "2025-05-01"}, "answered_on", "Leave the answer date empty"),
        ({"requested_on": "2027-01-01"}, "requested_on", "ahead"),
        ({"requested_on": "2017-01-01"}, "requested_on", "before the killing"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "https://"),
        (
            {"source_url": "https://news.example.org/zoraida-quintanilla-killed"},
            "source_url",
            "names the victim",
        ),
    ):
        view = await open_unesco(h, "chidi", case.public_id)
        answer_ = await h.drive.submit_view(CHIDI, view, {**good, **values})
        assert answer_.slack_error is None, answer_.slack_error
        assert answer_.json and answer_.json["response_action"] == "errors", (values, answer_.text)
        assert says in answer_.json["errors"][field], (values, answer_.json)
    assert await campaign_store.unesco_for_case(h.running.db.read, case.id) == []

    threat = await seed_case(h, violation=Violation.THREATS)
    assert "about killings" in await said(h, "chidi", f"/case {threat.public_id} unesco")
    reported = await seed_case(h, verified=False)
    assert "not verified" in await said(h, "chidi", f"/case {reported.public_id} unesco")


async def test_members_cannot_record_unesco_answers_anywhere(h: Harness) -> None:
    case = await seed_case(h)
    assert "Only coordinators" in await said(h, "bob", f"/case {case.public_id} unesco")
    assert not h.slack.views_for(BOB)
    # A member replays a coordinator's form as their own submission: refused by role.
    view = await open_unesco(h, "chidi", case.public_id)
    forged = await h.drive.submit_view(
        BOB, view, {"cycle": "2026", "requested_on": "2025-03-01", "answer": "resolved"}
    )
    assert "resolved" not in json.dumps(forged.json or {})
    given = UnescoInput(cycle=2026, requested_on=date(2025, 3, 1), answer=StateAnswer.RESOLVED)
    with pytest.raises(NotAllowed, match="Only coordinators"):
        await h.running.campaign.record_unesco(await member(h, BOB), case.public_id, given)
    assert await campaign_store.unesco_for_case(h.running.db.read, case.id) == []


# ----------------------------------------------------------------------------- the roll-up


async def seed_record(h: Harness, seed: int = 7) -> list[tuple[CaseRecord, dict[int, str]]]:
    """Killings in five countries, answers over two cycles at random, plus noise that must
    never count: a threat, an unverified killing."""
    rng = random.Random(seed)
    made = []
    for n in range(40):
        country = rng.choice(["PK", "MX", "PH", "CO", "BH"])
        record = await seed_case(
            h, country=country, incident=date(2008 + n % 17, 1 + n % 12, 1 + n % 27)
        )
        answers: dict[int, str] = {}
        for cycle in (2024, 2026):
            pick = rng.choice(["skip", "none", "resolved", "ongoing"])
            if pick != "skip":
                await answer(h, record, cycle, StateAnswer(pick))
                answers[cycle] = pick
        made.append((record, answers))
    await seed_case(h, country="PK", violation=Violation.THREATS)
    await seed_case(h, country="PK", verified=False)
    return made


def expected(
    made: list[tuple[CaseRecord, dict[int, str]]], *, cycle: int | None, country: str | None
) -> dict[str, tuple[int, int, str | None]]:
    """Killings, answered and the oldest unanswered per country, counted here by hand."""
    rows: dict[str, list[tuple[date, str, bool]]] = defaultdict(list)
    for record, answers in made:
        if country and record.country != country:
            continue
        if cycle is not None and cycle not in answers:
            continue
        relevant = [answers[cycle]] if cycle is not None else list(answers.values())
        rows[record.country].append(
            (record.incident_date, record.public_id, any(a != "none" for a in relevant))
        )
    result = {}
    for code, found in rows.items():
        open_ = sorted((d, p) for d, p, ok in found if not ok)
        result[code] = (len(found), sum(ok for *_, ok in found), open_[0][1] if open_ else None)
    return result


@pytest.mark.parametrize(
    ("cycle", "country"), [(None, None), (2026, None), (2024, None), (None, "PK")]
)
async def test_rollup_figures_match_counts_made_here(
    h: Harness, cycle: int | None, country: str | None
) -> None:
    made = await seed_record(h)
    want = expected(made, cycle=cycle, country=country)
    got = await h.running.campaign.rollup(country=country, cycle=cycle)
    assert {d.country: (d.killings, d.answered, d.oldest_unanswered_id) for d in got} == want
    owed = [d.unanswered for d in got]
    assert owed == sorted(owed, reverse=True), "most owed first"

    line = (
        "/cases unesco"
        + (f" cycle:{cycle}" if cycle else "")
        + (f" country:{country}" if country else "")
    )
    text = await said(h, "bob", line)
    for code, (killings, answered_, oldest) in want.items():
        share = f"{answered_ / killings:.0%}"
        noun = "killing" if killings == 1 else "killings"
        assert f"{killings} {noun}, answered {answered_} ({share})" in text, (code, text)
        if oldest:
            assert oldest in text
    assert "Draft a lobbying alert" not in text, "members get the figures, not the button"


async def test_rollup_input_errors(h: Harness) -> None:
    for line, says in (
        ("/cases unesco country:XX", "Country should be"),
        ("/cases unesco cycle:soon", "takes a year"),
        ("/cases unesco cycle:1990", "cycle"),
        ("/cases unesco pakistan", "I don't know `pakistan`"),
        ("/cases unesco since:2020", "I don't know `since`"),
    ):
        assert says in await said(h, "bob", line), line


async def test_only_what_members_may_see_reaches_rollup_and_draft(h: Harness) -> None:
    hidden = await seed_case(h, country="MX", names=WITHHELD, withheld=True)
    shown = await seed_case(h, country="MX", names="Javier Valdez")
    unverified = await seed_case(h, country="MX", names="Pending Report", verified=False)
    text = await said(h, "chidi", "/cases unesco")
    assert "2 killings, answered 0" in text, "the unverified killing is not counted"
    for secret in (WITHHELD, NOTES, unverified.public_id, "Pending Report"):
        assert secret not in text
    draft = await h.running.campaign.lobbying_draft(await member(h, CHIDI))
    for language in ("en", "fr", "ar"):
        text = lobbying_text(draft, lang=h.running.catalogue.get(language))
        for secret in (WITHHELD, "Zoraida", NOTES, unverified.public_id, "Pending Report"):
            assert secret not in text.body + text.headline + text.action_text
    text = lobbying_text(draft, lang=h.running.catalogue.source)
    assert hidden.public_id in text.body and "name withheld" in text.body
    assert shown.public_id in text.body and "Javier Valdez" in text.body


# ----------------------------------------------------------------------------- lobbying


async def test_lobbying_draft_goes_to_members_where_states_have_not_answered(h: Harness) -> None:
    pk_old = await seed_case(h, country="PK", incident=date(2009, 5, 1))
    await seed_case(h, country="PK", incident=date(2019, 5, 1))
    co = await seed_case(h, country="CO", incident=date(2011, 5, 1))
    answered = await seed_case(h, country="KE", incident=date(2014, 5, 1))
    await answer(h, answered, 2026, StateAnswer.RESOLVED)
    await answer(h, co, 2026, StateAnswer.NONE)

    response = await h.command("chidi", "/cases unesco")
    assert response.json is not None
    await h.drive.block_action(
        CHIDI, "campaign.lobby", value=button_value(response.json, "campaign.lobby")
    )
    await h.settle()
    compose = h.slack.views_for(CHIDI)[-1]
    assert compose["callback_id"] == "alert.compose"
    blocks = {b["block_id"]: b for b in compose["blocks"] if b.get("block_id")}
    chosen = [o["value"] for o in blocks["countries"]["element"]["initial_options"]]
    assert sorted(chosen) == ["CO", "PK"], "only where the state has not answered"
    assert blocks["action_kind"]["element"]["initial_option"]["value"] == "lobby_unesco"
    body = blocks["body"]["element"]["initial_value"]
    headline = blocks["headline"]["element"]["initial_value"]
    assert headline == "2 states still owe UNESCO an answer on 3 killings"
    assert "Pakistan: 2 of 2 unanswered" in body and "Colombia: 1 of 1 unanswered" in body
    assert pk_old.public_id in body and co.public_id in body
    assert answered.public_id not in body and "Kenya" not in body
    assert "judicial status" in blocks["action_text"]["element"]["initial_value"]

    preview = await h.drive.submit_view(CHIDI, compose, {})
    assert preview.json and preview.json["response_action"] == "push", preview.text
    assert "*2* people get it now" in json.dumps(preview.json), "bob (PK) and emma (CO)"
    confirm = h.slack.views_for(CHIDI)[-1]
    sent = await h.drive.submit_view(CHIDI, confirm, {})
    assert sent.json == {"response_action": "clear"}, sent.text
    await h.settle()
    for user, gets in ((BOB, True), (EMMA, True), (ALICE, False), (FARID, False)):
        got = any("owe UNESCO" in m.get("text", "") for m in h.slack.dm(user))
        assert got is gets, user


async def test_members_cannot_draft_a_lobbying_alert(h: Harness) -> None:
    await seed_case(h, country="PK")
    coordinator_view = await h.command("chidi", "/cases unesco")
    assert coordinator_view.json is not None
    value = button_value(coordinator_view.json, "campaign.lobby")
    forged = await h.drive.block_action(BOB, "campaign.lobby", value=value)
    assert forged.status == 200
    await h.settle()
    assert not h.slack.views_for(BOB)
    assert any("Only coordinators" in json.dumps(m) for m in h.slack.ephemerals(BOB)) or (
        "Only coordinators" in json.dumps(forged.json or {})
    )
    with pytest.raises(NotAllowed, match="Only coordinators"):
        await h.running.campaign.lobbying_draft(await member(h, BOB))
    # a tampered button value is refused politely, not trusted
    tampered = await h.drive.block_action(CHIDI, "campaign.lobby", value='{"country":"<!channel>"}')
    assert tampered.status == 200
    await h.settle()
    assert len(h.slack.views_for(CHIDI)) == 0


async def test_no_lobbying_when_every_state_answered(h: Harness) -> None:
    done = await seed_case(h, country="PK")
    await answer(h, done, 2026, StateAnswer.RESOLVED)
    text = await said(h, "chidi", "/cases unesco")
    assert "answered 1 (100%)" in text and "Draft a lobbying alert" not in text
    with pytest.raises(CampaignError, match="nobody to lobby"):
        await h.running.campaign.lobbying_draft(await member(h, CHIDI))
