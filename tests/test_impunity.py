"""CPJ's impunity rule is about murders: killings get an impunity status and clock; every other
violation its justice-process stage and how long it has gone without a result."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from network_bot.clock import ManualClock
from network_bot.i18n import load_messages
from network_bot.services.impunity import clock_text, impunity_for
from network_bot.testing.flows import report, submit_update
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ephemeral_text
from network_bot.vocabulary import Impunity, Stage, Violation

EN = load_messages("en")
TODAY = date(2026, 11, 25)


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    clock = ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock) as harness:
        yield harness


def words(violation: Violation, stage: Stage, incident: date = date(2024, 11, 20)) -> str:
    return clock_text(violation=violation, incident=incident, stage=stage, today=TODAY, lang=EN)


def test_only_killings_are_classified_by_cpjs_rule() -> None:
    assert impunity_for(Violation.KILLING, Stage.NO_INVESTIGATION) is Impunity.COMPLETE
    assert impunity_for(Violation.KILLING, Stage.CONVICTED_PARTIAL) is Impunity.PARTIAL
    for violation in Violation:
        if violation is not Violation.KILLING:
            assert impunity_for(violation, Stage.NO_INVESTIGATION) is None, violation


def test_the_words_fit_the_violation() -> None:
    assert words(Violation.KILLING, Stage.CHARGED) == "735 days without full justice (over 2 years)"
    assert words(Violation.KILLING, Stage.CONVICTED_FULL) == "Full justice: the clock has stopped."
    assert words(Violation.THREATS, Stage.CHARGED) == "735 days without a result (over 2 years)"
    assert words(Violation.DETENTION, Stage.ACQUITTED) == (
        "The justice process reached a result: acquitted."
    )
    assert words(Violation.TORTURE, Stage.TIME_BARRED) == (
        "The justice process ended without a result: statute of limitations expired."
    )
    for stage in Stage:
        for violation in Violation:
            if violation is not Violation.KILLING:
                assert "justice" not in words(violation, stage).replace("justice process", "")


async def test_cards_claim_cpjs_classification_for_killings_only(h: Harness) -> None:
    killing = await report(h, "alice")
    threats = await report(h, "alice", violation="threats", victim_names="Another Person")
    for public_id in (killing, threats):
        await h.command("chidi", f"/case {public_id} verify")
    card = ephemeral_text((await h.command("bob", f"/case {killing}")).json)
    assert "complete impunity" in card and "days without full justice" in card
    other = ephemeral_text((await h.command("bob", f"/case {threats}")).json)
    assert "impunity" not in other.lower()
    assert "5 days without a result" in other and "no investigation" in other
    h.slack.close_view("U0CHIDI04")
    await submit_update(h, "chidi", threats, stage="investigation_opened")
    h.slack.close_view("U0CHIDI04")
    await submit_update(
        h,
        "chidi",
        threats,
        body="The court acquitted the accused.",
        stage="acquitted",
        skip_reason="Verdict reported before the charges were",
    )
    after = ephemeral_text((await h.command("bob", f"/case {threats}")).json)
    assert "reached a result: acquitted" in after and "impunity" not in after.lower()
    search = ephemeral_text((await h.command("bob", "/cases")).json)
    assert "reached a result: acquitted" in search and "days without full justice" in search


async def test_exports_leave_impunity_blank_for_other_violations(h: Harness) -> None:
    killing = await report(h, "alice")
    threats = await report(h, "alice", violation="threats", victim_names="Another Person")
    for public_id in (killing, threats):
        await h.command("chidi", f"/case {public_id} verify")
    from network_bot.exports import ExportFormat, ExportRequest, export

    out = h.db_path.parent / "cases.json"
    await export(h.running.db, ExportRequest(format=ExportFormat.JSON), out=out, today=TODAY)
    rows = {r["case_id"]: r for r in json.loads(out.read_text())}
    assert rows[killing]["impunity"] == "complete" and rows[killing]["impunity_days"] == 5
    assert rows[threats]["impunity"] is None and rows[threats]["impunity_days"] is None
    assert rows[threats]["justice_stage"] == "no_investigation"
