"""The lobbying alert's draft is the coordinator's, in the coordinator's language: from the
roll-up's button to the compose form's prefilled fields, through the real endpoint."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from network_bot import bidi
from network_bot.blocks.lobbying import BODY_MAX, HEADLINE_MAX, lobbying_text
from network_bot.clock import ManualClock
from network_bot.i18n import Catalogue
from network_bot.services.campaign import LobbyingDraft
from network_bot.store.campaign import CountryDebt, StateAnswer
from network_bot.testing.harness import Harness
from network_bot.testing.reading import ENGLISH, button_value
from network_bot.testing.seeding import answer, seed_case
from network_bot.testing.workspace import CHIDI, PEOPLE

CATALOGUE = Catalogue()
LOCALES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ar": "ar"}
PAKISTAN = {"en": "Pakistan", "fr": "Pakistan", "es": "Pakistán", "ar": "باكستان"}
COLOMBIA = {"en": "Colombia", "fr": "Colombie", "es": "Colombia", "ar": "كولومبيا"}
HEADLINE = {  # two states, three killings
    "en": "2 states still owe UNESCO an answer on 3 killings",
    "fr": "2 États doivent encore une réponse à l\u2019UNESCO sur 3 assassinats",
    "es": "2 Estados aún deben a la UNESCO una respuesta sobre 3 asesinatos",
    "ar": "لم تردّ دولتان بعد على اليونسكو بشأن 3 حالات قتل",
}
ID = re.compile(r"\bNI-\d{4}-\d{4,}\b")


@pytest.fixture(params=sorted(LOCALES))
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def h(tmp_path: Path, language: str) -> AsyncIterator[Harness]:
    people = [dataclasses.replace(p, locale=LOCALES[language]) for p in PEOPLE]
    async with Harness(
        db_path=tmp_path / "bot.sqlite3",
        clock=ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC)),
        people=people,
    ) as harness:
        yield harness


async def test_the_lobbying_draft_is_prefilled_in_the_coordinator_s_language(
    h: Harness, language: str
) -> None:
    lang = CATALOGUE.get(language)
    pk = await seed_case(h, country="PK", incident=date(2009, 5, 1))
    await seed_case(h, country="PK", incident=date(2019, 5, 1), names="", withheld=True)
    co = await seed_case(h, country="CO", incident=date(2011, 5, 1))
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
    headline = blocks["headline"]["element"]["initial_value"]
    body = blocks["body"]["element"]["initial_value"]
    action = blocks["action_text"]["element"]["initial_value"]

    assert bidi.strip_controls(headline) == HEADLINE[language]
    plain = bidi.strip_controls(body)
    assert re.search(f"{PAKISTAN[language]}\u00a0?: ", plain), plain
    assert COLOMBIA[language] in plain
    assert pk.public_id in plain and co.public_id in plain
    assert lang.gettext("name withheld") in plain, "the withheld victim, in the language"
    assert action == lang.gettext(
        "Ask your government to answer UNESCO's request on the judicial status of these "
        "killings before the Director-General's report, and tell us when you have."
    )
    if language != "en":
        prose = ID.sub(" ", plain + " " + bidi.strip_controls(headline) + " " + action)
        prose = prose.replace("Arshad Mahmood", " ")
        assert not ENGLISH.search(prose), (language, prose)
    if language == "ar":
        for found in ID.finditer(plain):
            assert f"{bidi.FSI}{found[0]}{bidi.PDI}" in body, "a case ID kept whole in Arabic"
    assert len(headline) <= HEADLINE_MAX and len(body) <= BODY_MAX


@pytest.mark.parametrize("language", sorted(LOCALES))
@pytest.mark.parametrize("killings", [1, 2, 3, 11, 100])
def test_the_headline_takes_the_language_s_plural_form(language: str, killings: int) -> None:
    lang = CATALOGUE.get(language)
    one = LobbyingDraft(owing=(CountryDebt(country="PK", killings=killings, answered=0),), named={})
    text = lobbying_text(one, lang=lang)
    assert bidi.strip_controls(text.headline) == lang.ngettext(
        "{country} still owes UNESCO an answer on {n} killing of journalists",
        "{country} still owes UNESCO an answer on {n} killings of journalists",
        killings,
        country=lang.country("PK"),
    )
    want = {
        ("en", 1): "Pakistan still owes UNESCO an answer on 1 killing of journalists",
        ("en", 3): "Pakistan still owes UNESCO an answer on 3 killings of journalists",
        ("fr", 1): (
            "Pakistan doit encore une réponse à l\u2019UNESCO sur 1 assassinat de journaliste"
        ),
        (
            "es",
            100,
        ): "Pakistán aún debe a la UNESCO una respuesta sobre 100 asesinatos de periodistas",
        ("ar", 1): "لم تردّ باكستان بعد على اليونسكو بشأن حالة قتل صحفي واحدة",
        ("ar", 2): "لم تردّ باكستان بعد على اليونسكو بشأن حالتي قتل صحفيين",
        ("ar", 3): "لم تردّ باكستان بعد على اليونسكو بشأن 3 حالات قتل صحفيين",
        ("ar", 11): "لم تردّ باكستان بعد على اليونسكو بشأن 11 حالة قتل صحفيين",
    }.get((language, killings))
    if want:
        assert bidi.strip_controls(text.headline) == want
    # Unnamed killings are counted: "and 2 more" in the language's words.
    line = bidi.strip_controls(text.body.splitlines()[1])
    assert PAKISTAN[language] in line


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_a_long_draft_is_cut_between_lines_within_the_form_s_limit(language: str) -> None:
    lang = CATALOGUE.get(language)
    codes = sorted(lang.locale.territories, key=lambda c: -len(lang.country(c)))
    owing = tuple(
        CountryDebt(country=c, killings=40, answered=1)
        for c in codes
        if len(c) == 2 and c.isalpha()
    )[:60]
    text = lobbying_text(LobbyingDraft(owing=owing, named={}), lang=lang)
    assert len(text.body) <= BODY_MAX
    assert text.body.endswith(lang.gettext("…and more: `/cases unesco` lists them all."))
    assert len(text.headline) <= HEADLINE_MAX
