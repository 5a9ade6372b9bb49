"""The same day at the network's desk, once per language: a member reports, is refused and
corrected, a coordinator verifies, a member searches and follows, an update reaches the
follower, an alert goes out, App Home opens. Everyone's Slack locale is that language.

Every text the bot wrote is checked to be in that language (no English sentence left, the
language's own sentences present, Latin IDs isolated in Arabic) and to fit Slack's limits (the
stand-in is strict; no title or button had to be cut: French and Spanish run longer).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from network_bot import bidi
from network_bot.clock import ManualClock
from network_bot.i18n import Catalogue, Messages
from network_bot.store.alerts import Response
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ENGLISH, block_text, ephemeral_text
from network_bot.testing.workspace import PEOPLE
from network_bot.vocabulary import Stage, Violation

ALICE, BOB, CHIDI = "U0ALICE01", "U0BOBBY02", "U0CHIDI04"
CATALOGUE = Catalogue()
LOCALES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ar": "ar"}

# What people type, in their own language (the bot never translates what people write).
WRITTEN = {
    "en": {
        "summary": "Radio journalist shot dead outside his home after reporting on land grabs.",
        "update": "Police opened an investigation into the killing.",
        "headline": "Justice for the radio journalist",
        "body": "A radio journalist was shot dead. Ask the authorities for a real investigation.",
        "word": "radio",
    },
    "fr": {
        "summary": "Un journaliste de radio abattu devant chez lui après ses enquêtes foncières.",
        "update": "La police a ouvert une enquête sur le meurtre.",
        "headline": "Justice pour le journaliste de radio",
        "body": "Un journaliste de radio a été abattu. Demandez une véritable enquête.",
        "word": "radio",
    },
    "es": {
        "summary": "Un periodista de radio asesinado frente a su casa tras investigar despojos.",
        "update": "La policía abrió una investigación sobre el asesinato.",
        "headline": "Justicia para el periodista de radio",
        "body": "Un periodista de radio fue asesinado. Pide una investigación de verdad.",
        "word": "radio",
    },
    "ar": {
        "summary": "قُتل صحفي إذاعي بالرصاص أمام منزله بعد تحقيقاته في الاستيلاء على الأراضي.",
        "update": "فتحت الشرطة تحقيقًا في عملية القتل.",
        "headline": "العدالة للصحفي الإذاعي",
        "body": "قُتل صحفي إذاعي بالرصاص. اطلبوا من السلطات تحقيقًا حقيقيًا.",
        "word": "إذاعي",
    },
}
REPORT = {
    "victim_names": "Arshad Mahmood",
    "profession": "journalist",
    "violation": "killing",
    "incident_date": "2026-11-20",
    "country": "PK",
    "place": "Karachi",
    "perpetrator": "unknown",
    "urgency": "routine",
    "sources": "https://example.org/news/1",
}
ID = re.compile(r"\b(?:NI|AL)-\d{4}-\d{4,}\b")


@pytest.fixture(params=sorted(LOCALES))
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def h(tmp_path: Path, language: str) -> AsyncIterator[Harness]:
    clock = ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    people = [dataclasses.replace(p, locale=LOCALES[language]) for p in PEOPLE]
    async with Harness(db_path=tmp_path / "bot.sqlite3", clock=clock, people=people) as harness:
        yield harness


def plain_texts(node: Any) -> Iterator[tuple[str, str]]:
    """Every (kind, text) of the bot's own words in a surface: plain_text and mrkdwn alike."""
    if isinstance(node, dict):
        if node.get("type") in {"plain_text", "mrkdwn"} and isinstance(node.get("text"), str):
            yield str(node["type"]), node["text"]
        for key, value in node.items():
            if key in {"initial_value", "value", "action_id", "block_id", "callback_id", "url"}:
                continue
            yield from plain_texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from plain_texts(item)


def prose(text: str, written: dict[str, str]) -> str:
    """The bot's own words: code spans, links, mentions, emoji codes, IDs, bidi controls and
    what people typed taken out."""
    for typed in written.values():
        text = text.replace(typed, " ")
    for typed in (*REPORT.values(), "Arshad Mahmood"):
        text = text.replace(str(typed), " ")
    text = bidi.strip_controls(text)
    text = re.sub(r"`[^`]*`|<[^>]*>|:[a-z_]+:|https?://\S+", " ", text)
    return ID.sub(" ", text)


def assert_in_language(lang: Messages, surfaces: list[Any], written: dict[str, str]) -> None:
    said = [text for surface in surfaces for _, text in plain_texts(surface)]
    assert said, "nothing to check"
    if lang.language == "en":
        return
    english = sorted(
        {m[0].lower() for text in said for m in ENGLISH.finditer(prose(text, written))}
    )
    assert not english, f"English words in {lang.language}: {english}\n" + "\n".join(
        t for t in said if ENGLISH.search(prose(t, written))
    )
    if lang.rtl:
        joined = "\n".join(said)
        assert re.search("[\u0600-\u06ff]", joined), "no Arabic script"
        outside = re.sub(r"`[^`]*`", " ", joined)  # a code span is left-to-right already
        for found in ID.finditer(bidi.strip_controls(outside)):
            assert f"{bidi.FSI}{found[0]}" in outside, found[0]


def assert_fits(view_or_message: Any) -> None:
    """Titles, buttons and options fit whole: nothing had to be cut to Slack's limits."""

    def walk(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            for k, v in node.items():
                if isinstance(v, dict) and v.get("type") == "plain_text":
                    yield k, str(v.get("text", ""))
                yield from walk(v, k)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, key)

    limits = {"title": 24, "submit": 24, "close": 24}
    for key, text in walk(view_or_message):
        assert not text.endswith("…") or key in {"label", "hint"}, (key, text)
        if key in limits:
            assert len(text) <= limits[key], (key, text)


def id_in(text: str, prefix: str) -> str:
    found = [m[0] for m in ID.finditer(bidi.strip_controls(text)) if m[0].startswith(prefix)]
    assert found, text
    return found[0]


async def report(h: Harness, written: dict[str, str], **changes: Any) -> dict[str, Any]:
    assert (await h.command("alice", "/report")).status == 200
    await h.settle()
    view = h.slack.views_for(ALICE)[-1]
    values = {**REPORT, "summary": written["summary"], **changes}
    response = await h.drive.submit_view(ALICE, view, values)
    assert response.json is not None, response.text
    return {"view": view, "answer": response.json}


async def test_a_day_at_the_desk_in_each_language(h: Harness, language: str) -> None:
    lang = CATALOGUE.get(language)
    written = WRITTEN[language]
    seen: list[Any] = []

    # A member reports; the form and the answer are in their language.
    refused = await report(h, written, incident_date="2030-01-01")
    assert refused["answer"]["response_action"] == "errors"
    assert refused["answer"]["errors"]["incident_date"] == lang.gettext(
        "The date can't be in the future"
    )
    form = refused["view"]
    assert form["title"]["text"] == lang.gettext("Report a case")
    options = json.dumps(form, ensure_ascii=False)
    assert lang.country("PK") in options and lang.region("Asia-Pacific") in options
    done = await report(h, written)
    assert done["answer"]["response_action"] == "update", done["answer"]
    received = done["answer"]["view"]
    assert received["title"]["text"] == lang.gettext("Report received")
    public_id = id_in(block_text(received), "NI-")
    seen += [form, received]
    await h.settle()

    # A member may not verify; the refusal is in their language.
    no = await h.command("bob", f"/case {public_id} verify")
    assert ephemeral_text(no.json).startswith(
        lang.gettext(
            "Only coordinators can do that. If you think you should, ask an admin of the network."
        )
    )
    # A coordinator verifies; the reporter's DM says so in the reporter's language.
    yes = await h.command("chidi", f"/case {public_id} verify")
    verified = lang.gettext("*{id}* is verified. The reporter has been told.", id=public_id)
    assert ephemeral_text(yes.json).startswith(verified)
    await h.settle()
    told = h.slack.dm(ALICE)[-1]
    news = lang.gettext("your report was verified and is now visible to the network. Thank you.")
    assert news in json.dumps(told, ensure_ascii=False)
    seen += [no.json, yes.json, told]

    # A member searches and follows.
    found = await h.command("bob", f"/cases {written['word']}")
    shown = ephemeral_text(found.json)
    assert lang.gettext("Verified cases") in shown and lang.term(Violation.KILLING) in shown
    followed = await h.command("bob", f"/follow {public_id}")
    assert ephemeral_text(followed.json).startswith(
        lang.gettext(
            "You follow {what}. Each new step comes to you as a DM (several close together "
            "arrive as one).",
            what=f"*{lang.isolate(public_id)}*",
        )
    )
    seen += [found.json, followed.json]

    # A coordinator records an update; the follower hears of it in their language.
    assert (await h.command("chidi", f"/case {public_id} update")).status == 200
    await h.settle()
    update_form = h.slack.views_for(CHIDI)[-1]
    assert update_form["title"]["text"] == lang.gettext("Case update")
    saved = await h.drive.submit_view(
        CHIDI,
        update_form,
        {"happened_on": "2026-11-24", "body": written["update"], "stage": "investigation_opened"},
    )
    assert saved.json is not None and saved.json["response_action"] == "update", saved.text
    h.clock.advance(minutes=4)  # type: ignore[union-attr]
    await h.running.timeline.flush_notifications()
    await h.settle()
    notified = h.slack.dm(BOB)[-1]
    assert notified["text"] == lang.ngettext(
        "{n} update on cases you follow", "{n} updates on cases you follow", 1
    )
    assert lang.term(Stage.INVESTIGATION_OPENED) in json.dumps(notified, ensure_ascii=False)
    seen += [update_form, saved.json["view"], notified]

    # A coordinator alerts the network; the member's DM frames it in their language.
    assert (await h.command("chidi", "/alert")).status == 200
    await h.settle()
    compose = h.slack.views_for(CHIDI)[-1]
    assert compose["title"]["text"] == lang.gettext("Alert the network")
    others = [m for m in CATALOGUE.choices() if m.language != language]
    for other in others:  # a translation section for every other language
        assert f"headline_{other.language}" in json.dumps(compose)
    preview = await h.drive.submit_view(
        CHIDI,
        compose,
        {
            "headline": written["headline"],
            "body": written["body"],
            "action_kind": "sign_letter",
            "urgency": "high",
            "audience": ["all"],
        },
    )
    assert preview.json is not None and preview.json["response_action"] == "push", preview.text
    confirm = h.slack.views_for(CHIDI)[-1]
    assert confirm["title"]["text"] == lang.gettext("Check and send")
    alert_id = id_in(block_text(confirm["blocks"]), "AL-")  # the preview names the alert
    sent = await h.drive.submit_view(CHIDI, confirm, {})
    assert sent.json == {"response_action": "clear"}, sent.text
    await h.settle()
    alert = next(m for m in h.slack.dm(BOB) if alert_id in bidi.strip_controls(json.dumps(m)))
    said = json.dumps(alert, ensure_ascii=False)
    assert lang.gettext("*What we ask:* {ask}", ask=lang.gettext("Sign the joint letter")) in said
    assert lang.term(Response.IN) in said
    seen += [compose, preview.json["view"], confirm, alert]

    # App Home, and a word the bot does not know.
    await h.drive.event({"type": "app_home_opened", "user": BOB, "tab": "home"})
    await h.settle()
    home = h.slack.home(BOB)
    assert home is not None and lang.gettext("Your network desk") in json.dumps(
        home, ensure_ascii=False
    )
    unknown = await h.command("bob", "/network frobnicate")
    assert ephemeral_text(unknown.json).startswith(
        lang.gettext(
            "I don't know `/network {verb}`. Type `/network help` to see every command with "
            "examples.",
            verb="frobnicate",
        )
    )
    helped = await h.command("bob", "/network help")
    seen += [home, unknown.json, helped.json]

    assert_in_language(lang, seen, written)
    for surface in (form, received, update_form, compose, preview.json["view"], confirm, home):
        assert_fits(surface)
    assert h.slack.violations == []


async def test_arabic_keeps_ids_and_commands_whole(tmp_path: Path) -> None:
    """In Arabic the case ID sits in an isolate and the commands in left-to-right spans."""
    people = [dataclasses.replace(p, locale="ar") for p in PEOPLE]
    async with Harness(db_path=tmp_path / "bot.sqlite3", people=people) as h:
        answer = await h.command("bob", "/case NI-2026-9999")
        said = ephemeral_text(answer.json)
        assert f"{bidi.FSI}NI-2026-9999{bidi.PDI}" in said
        assert f"{bidi.LRI}`/cases`{bidi.PDI}" in said
        # What a person copies from a code span carries no invisible characters.
        for span in re.findall(r"`[^`]*`", said):
            assert bidi.strip_controls(span) == span
