"""Each modal's inputs are its form model's fields: the field list is declared once, by the
model, and the blocks a modal is built from must name exactly those (or the form would read a
block that is not there, or drop one it shows)."""

from __future__ import annotations

from datetime import date
from typing import Any

from commands.alert import AlertForm
from commands.campaign import UnescoForm
from commands.case_updates import UpdateForm
from commands.report import ReportForm
from network_bot.blocks.alert_form import TRANSLATED_FIELDS
from network_bot.testing.flows import compose, open_report, report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import said
from network_bot.testing.seeding import seed_case


def inputs(view: dict[str, Any]) -> set[str]:
    return {b["block_id"] for b in view["blocks"] if b["type"] == "input"}


async def test_the_report_modal_shows_exactly_the_report_forms_fields(harness: Harness) -> None:
    view = await open_report(harness, "alice")
    assert inputs(view) == set(ReportForm.model_fields)


async def test_the_alert_modal_shows_the_alert_forms_fields_and_translations(
    harness: Harness,
) -> None:
    view = await compose(harness, "chidi")
    shown = inputs(view)
    assert set(AlertForm.model_fields) <= shown
    extra = shown - set(AlertForm.model_fields)
    assert all(any(name.startswith(f) for f in TRANSLATED_FIELDS) for name in extra), extra


async def test_the_update_and_unesco_modals_show_their_forms_fields(harness: Harness) -> None:
    h = harness
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    assert await said(h, "chidi", f"/case {public_id} update") == ""
    update = h.slack.views_for(h.user_id("chidi"))[-1]
    assert inputs(update) == set(UpdateForm.model_fields)
    killing = await seed_case(h, incident=date(2018, 6, 1))
    assert await said(h, "chidi", f"/case {killing.public_id} unesco") == ""
    unesco = h.slack.views_for(h.user_id("chidi"))[-1]
    assert inputs(unesco) == set(UnescoForm.model_fields)
