"""Withheld means withheld: no form, hint, search, card or notice confirms a withheld name."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network_bot.store import cases
from network_bot.store.cases import NewCase
from network_bot.testing.flows import GOOD, open_report, report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text, ephemeral_text, seen_by
from network_bot.vocabulary import Profession, Violation

ALICE, BOB, EMMA = "U0ALICE01", "U0BOBBY02", "U0EMMA003"
REVIEW = "C0REVIEW1"
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


async def case_count(h: Harness) -> int:
    return int(await h.running.db.read.fetch_value("SELECT count(*) FROM cases"))


async def test_the_duplicate_hint_never_confirms_a_withheld_name(h: Harness) -> None:
    withheld = await report(
        h, "alice", victim_names="Ahmed Raza", victim_withheld=True, summary=GOOD["summary"]
    )
    await h.command("chidi", f"/case {withheld} verify")
    await h.settle()
    # A member guesses the name, in another month and with nothing else in common.
    view = await open_report(h, "bob")
    response = await h.drive.submit_view(
        BOB,
        view,
        {
            **GOOD,
            "victim_names": "AHMED RAZA",
            "incident_date": "2026-06-02",
            "violation": "threats",
            "place": "Quetta",
            "summary": "Threatening calls received after a broadcast about water shortages.",
        },
    )
    assert response.json is not None and response.json.get("response_action") == "update"
    await h.settle()
    told_bob = block_text(response.json["view"]) + seen_by(h, BOB)
    assert withheld not in told_bob
    assert withheld not in json.dumps(h.slack.messages(REVIEW)[-1]), "nor to coordinators"


async def test_a_hint_needs_real_overlap_and_says_why(h: Harness) -> None:
    first = await report(h, "alice", violation="physical_attack", place="Lahore")
    await h.command("chidi", f"/case {first} verify")
    # Same country, two days apart, but another violation, place and wording: not a hint.
    view = await open_report(h, "bob")
    unrelated = {
        **GOOD,
        "victim_names": "Someone Else",
        "incident_date": "2026-11-22",
        "violation": "detention",
        "place": "Peshawar",
        "summary": "Editor held without charge at an airport for questioning about sources.",
    }
    response = await h.drive.submit_view(BOB, view, unrelated)
    assert response.json is not None
    assert first not in block_text(response.json["view"])
    # The same victim's name (not withheld) is a hint, with the reason.
    view = await open_report(h, "emma")
    response = await h.drive.submit_view(
        EMMA, view, {**unrelated, "victim_names": "arshad MAHMOOD", "incident_date": "2026-10-01"}
    )
    assert response.json is not None
    said = block_text(response.json["view"])
    assert first in said and "the same victim name" in said


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", "Blogger Ahmed Raza abducted in Lahore by men in plain clothes."),
        ("summary", "RAZA had written about the disappearances for two years."),
        ("summary", "Rázá was taken from his home at night by armed men."),
        ("place", "Near the Raza family home, Lahore"),
        ("sources", "https://example.org/ahmed-raza-abducted"),
    ],
)
async def test_a_withheld_name_written_elsewhere_is_refused_on_its_field(
    h: Harness, field: str, value: str
) -> None:
    view = await open_report(h, "alice")
    values = {
        **GOOD,
        "victim_names": "Ahmed Raza",
        "victim_withheld": True,
        "summary": "A blogger was abducted in Lahore by men in plain clothes.",
        field: value,
    }
    response = await h.drive.submit_view(ALICE, view, values)
    assert response.json is not None and response.json.get("response_action") == "errors"
    errors = response.json["errors"]
    assert set(errors) == {field}
    assert "withhold" in errors[field]
    assert await case_count(h) == 0


NAME = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=3, max_size=10)


@SETTINGS
@given(first=NAME, last=NAME, variant=st.sampled_from(["upper", "lower", "title", "swap"]))
async def test_any_casing_of_a_withheld_name_part_is_refused(
    h: Harness, first: str, last: str, variant: str
) -> None:
    named = {"upper": last.upper(), "lower": last.lower(), "title": last.title()}.get(
        variant, first.swapcase()
    )
    view = await open_report(h, "alice")
    values = {
        **GOOD,
        "victim_names": f"{first} {last}",
        "victim_withheld": True,
        "summary": f"Threats against {named} after a broadcast on land grabs in the region.",
    }
    before = await case_count(h)
    response = await h.drive.submit_view(ALICE, view, values)
    assert response.json is not None
    if named.casefold() in {first.casefold(), last.casefold()} or len(named) < 3:
        assert response.json.get("response_action") == "errors"
        assert "summary" in response.json["errors"]
        assert await case_count(h) == before
    h.slack.clear_calls()


async def test_a_coordinator_cannot_verify_a_case_whose_text_names_a_withheld_victim(
    h: Harness,
) -> None:
    """Older records (before the form refused it) are caught at verification instead."""
    now = h.running.clock.now()
    async with h.running.db.transaction() as tx:
        case_id = await cases.insert(
            tx,
            NewCase(
                reporter_id=ALICE,
                victim_names="Ahmed Raza",
                victim_withheld=True,
                profession=Profession.BLOGGER,
                violation=Violation.ABDUCTION,
                incident_date=now.date(),
                country="PK",
                summary="Blogger Ahmed Raza abducted in Lahore.",
            ),
            public_id="NI-2026-0900",
            now=now,
        )
    response = await h.command("chidi", "/case NI-2026-0900 verify")
    said = ephemeral_text(response.json)
    assert "name is withheld" in said and "redact" in said
    record = await cases.get(h.running.db.read, case_id)
    assert record is not None and record.status.value == "reported"
    assert "NI-2026-0900" not in ephemeral_text((await h.command("bob", "/cases Raza")).json)


async def test_a_merge_notice_does_not_name_an_unverified_report(h: Harness) -> None:
    original = await report(h, "emma", victim_names="Someone Else")
    merged = await report(h, "alice")
    await h.command("chidi", f"/case {merged} duplicate-of {original}")
    await h.settle()
    told_alice = seen_by(h, ALICE)
    assert merged in told_alice and "combined" in told_alice
    assert original not in told_alice
    # Once the original is verified, a later merge may name it.
    await h.command("chidi", f"/case {original} verify")
    again = await report(h, "bob")
    await h.command("chidi", f"/case {again} duplicate-of {original}")
    await h.settle()
    assert original in seen_by(h, BOB)


def test_letters_that_decompose_into_punctuation_stay_whole() -> None:
    """Found by hypothesis: Ŀ decomposes into L and a middle dot, which split the name."""
    from network_bot.names import fold, named_parts

    assert fold("AĿA") == "ala"
    assert named_parts("Threats against aĿa after a broadcast", "AAA AĿA") == ["ala"]
