"""A coordinator's own translations of an alert: each member gets the version in their language
when there is one, otherwise the alert as written, always framed in their language."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from network_bot import bidi
from network_bot.clock import ManualClock
from network_bot.i18n import Catalogue
from network_bot.testing.flows import report
from network_bot.testing.harness import Harness
from network_bot.testing.reading import block_text
from network_bot.testing.workspace import PEOPLE

ALICE, BOB, EMMA, CHIDI = "U0ALICE01", "U0BOBBY02", "U0EMMA003", "U0CHIDI04"
LOCALES = {ALICE: "fr-FR", BOB: "es-ES", EMMA: "ar", CHIDI: "en-GB"}
CATALOGUE = Catalogue()
ALERT = {
    "headline": "Free the detained reporters",
    "body": "Three reporters were detained while covering the protests. Sign the joint letter.",
    "action_kind": "sign_letter",
    "action_text": "Add your organisation to the joint letter",
    "urgency": "high",
    "audience": ["all"],
}
FRENCH = {
    "headline_fr": "Libérez les reporters détenus",
    "body_fr": "Trois reporters ont été arrêtés en couvrant les manifestations. Signez la lettre.",
    "action_text_fr": "Ajoutez votre organisation à la lettre commune",
}


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Harness]:
    clock = ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    people = [dataclasses.replace(p, locale=LOCALES.get(p.user_id, "en-GB")) for p in PEOPLE]
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock, people=people) as harness:
        yield harness


async def compose(h: Harness) -> dict[str, Any]:
    assert (await h.command("chidi", "/alert")).status == 200
    await h.settle()
    return h.slack.views_for(CHIDI)[-1]


async def send(h: Harness, values: dict[str, Any]) -> str:
    preview = await h.drive.submit_view(CHIDI, await compose(h), values)
    assert preview.json is not None and preview.json["response_action"] == "push", preview.text
    confirm = h.slack.views_for(CHIDI)[-1]
    found = re.search(r"AL-\d{4}-\d{4}", bidi.strip_controls(block_text(confirm["blocks"])))
    done = await h.drive.submit_view(CHIDI, confirm, {})
    assert done.json == {"response_action": "clear"}, done.text
    await h.settle()
    assert found, confirm
    return found[0]


def copy_of(h: Harness, user_id: str, public_id: str) -> str:
    for message in h.slack.dm(user_id):
        said = json.dumps(message, ensure_ascii=False)
        if public_id in bidi.strip_controls(said) and "alert.respond" in said:
            return said
    raise AssertionError(f"no copy of {public_id} for {user_id}")


async def test_the_form_offers_each_other_language_and_the_preview_names_them(h: Harness) -> None:
    view = await compose(h)
    blocks = {b.get("block_id") for b in view["blocks"]}
    for code in ("fr", "es", "ar"):
        assert {f"headline_{code}", f"body_{code}", f"action_text_{code}"} <= blocks
    assert "headline_en" not in blocks  # the coordinator writes in English already
    preview = await h.drive.submit_view(CHIDI, view, {**ALERT, **FRENCH})
    assert preview.json is not None
    assert "With your translations in: fr." in block_text(preview.json["view"])


async def test_each_member_reads_their_version_framed_in_their_language(h: Harness) -> None:
    public_id = await send(h, {**ALERT, **FRENCH})
    french = copy_of(h, ALICE, public_id)
    assert FRENCH["headline_fr"] in french and FRENCH["body_fr"] in french
    assert FRENCH["action_text_fr"] in french and ALERT["headline"] not in french
    fr = CATALOGUE.get("fr")
    assert fr.gettext("*What we ask:* {ask}", ask=fr.gettext("Sign the joint letter")) in french
    spanish = copy_of(h, BOB, public_id)  # no Spanish version: the original, framed in Spanish
    assert ALERT["headline"] in spanish and FRENCH["headline_fr"] not in spanish
    es = CATALOGUE.get("es")
    assert es.gettext("*What we ask:* {ask}", ask=es.gettext("Sign the joint letter")) in spanish
    arabic = copy_of(h, EMMA, public_id)
    assert ALERT["headline"] in arabic and "ما نطلبه" in arabic
    english = copy_of(h, "U0FARID05", public_id)
    assert ALERT["headline"] in english and "*What we ask:*" in english

    # App Home shows the member's version of a call to action waiting for them.
    await h.drive.event({"type": "app_home_opened", "user": ALICE, "tab": "home"})
    await h.settle()
    assert FRENCH["headline_fr"] in json.dumps(h.slack.home(ALICE), ensure_ascii=False)

    # Recalled (the form asks first, and why): every copy becomes a withdrawn note in its
    # reader's language, with the reason.
    await h.command("chidi", f"/alert recall {public_id}")
    await h.settle()
    form = h.slack.views_for(CHIDI)[-1]
    assert form["callback_id"] == "alert.recall.submit"
    await h.drive.submit_view(CHIDI, form, {"reason": "The hearing was moved"})
    await h.settle()
    notes = {uid: json.dumps(h.slack.dm(uid), ensure_ascii=False) for uid in (ALICE, BOB, EMMA)}
    assert CATALOGUE.get("fr").gettext("This alert was withdrawn.") in notes[ALICE]
    assert CATALOGUE.get("es").gettext("This alert was withdrawn.") in notes[BOB]
    assert CATALOGUE.get("ar").gettext("This alert was withdrawn.") in notes[EMMA]
    assert "The hearing was moved" in notes[ALICE]


async def test_a_half_filled_translation_is_refused_under_the_missing_field(h: Harness) -> None:
    refused = await h.drive.submit_view(
        CHIDI, await compose(h), {**ALERT, "headline_es": "Liberen a los reporteros"}
    )
    assert refused.json is not None and refused.json["response_action"] == "errors"
    assert set(refused.json["errors"]) == {"body_es"}
    assert "español" in refused.json["errors"]["body_es"]
    too_short = await h.drive.submit_view(
        CHIDI, await compose(h), {**ALERT, "headline_ar": "حر", "body_ar": "أطلقوا سراحهم الآن"}
    )
    assert too_short.json is not None and "headline_ar" in too_short.json["errors"]
    for uid in (ALICE, BOB, EMMA):
        assert all("alert.respond" not in json.dumps(m) for m in h.slack.dm(uid))


async def test_a_translation_may_not_name_a_withheld_victim(h: Harness) -> None:
    public_id = await report(h, "alice", victim_withheld=["withhold"])
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    assert (await h.command("chidi", f"/alert {public_id}")).status == 200
    await h.settle()
    view = h.slack.views_for(CHIDI)[-1]
    refused = await h.drive.submit_view(
        CHIDI,
        view,
        {
            **ALERT,
            "audience": ["case_followers"],
            "headline_fr": "Justice pour Arshad Mahmood",
            "body_fr": "Le journaliste a été tué devant chez lui. Signez la lettre commune.",
        },
    )
    assert refused.json is not None and refused.json["response_action"] == "errors"
    assert set(refused.json["errors"]) == {"headline_fr"}
    assert "arshad" in refused.json["errors"]["headline_fr"]


async def test_redacting_the_case_scrubs_its_alerts_translations(h: Harness) -> None:
    public_id = await report(h, "alice")
    await h.command("chidi", f"/case {public_id} verify")
    await h.settle()
    assert (await h.command("chidi", f"/alert {public_id}")).status == 200
    await h.settle()
    preview = await h.drive.submit_view(
        CHIDI,
        h.slack.views_for(CHIDI)[-1],
        {
            **ALERT,
            "audience": ["case_followers"],
            "headline_fr": "Justice pour Arshad Mahmood",
            "body_fr": "Arshad Mahmood a été tué devant chez lui. Signez la lettre commune.",
        },
    )
    assert preview.json is not None and preview.json["response_action"] == "push", preview.text
    done = await h.command("dana", f'/case {public_id} redact "the family asked"')
    assert "is redacted" in block_text(done.json or {}), done.text
    await h.settle()
    rows = await h.running.db.read.fetch_all("SELECT headline, body FROM alert_translations")
    assert rows and all("Arshad" not in r[0] and "Mahmood" not in r[1] for r in rows)
