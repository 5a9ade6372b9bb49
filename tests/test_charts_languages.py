"""The chart in the reader's language: every word drawn, the file's title, its comment and its
alt text come from the catalogue; Arabic is handed to matplotlib shaped and in display order,
and the font has a glyph for every letter (a missing glyph fails the test)."""

from __future__ import annotations

import dataclasses
import io
import pickle
import re
import warnings
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import arabic_reshaper
import pytest
from matplotlib.text import Text as DrawnText
from PIL import Image

from network_bot import bidi, chart_words
from network_bot.charts import (
    ALT_TEXT_MAX,
    ChartData,
    ChartSize,
    CountryAnswers,
    YearCounts,
    draw,
    read_metadata,
    render_png,
)
from network_bot.clock import ManualClock
from network_bot.i18n import Catalogue
from network_bot.store.campaign import StateAnswer
from network_bot.testing.harness import Harness
from network_bot.testing.reading import said
from network_bot.testing.seeding import answer, seed_case
from network_bot.testing.workspace import BOB, PEOPLE
from network_bot.testing.workspace import REVIEW_CHANNEL as REVIEW

CATALOGUE = Catalogue()
LANGUAGES = ("en", "fr", "es", "ar")
DAY = date(2026, 11, 23)
DATA = ChartData(
    years=(
        YearCounts(year=2009, complete=30, partial=2),
        YearCounts(year=2015, complete=3, full_justice=1),
        YearCounts(year=2020, complete=1),
    ),
    answers=(
        CountryAnswers(country="PH", killings=34, answered=3),
        CountryAnswers(country="MX", killings=2, answered=1),
        CountryAnswers(country="CO", killings=1, answered=1),
    ),
)
ARABIC_LETTER = re.compile("[\u0621-\u064a]")  # unjoined letters: what matplotlib must not get
PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
MISSING_GLYPH = r"Glyph \d+ .*missing from font"


@contextmanager
def no_missing_glyph() -> Iterator[None]:
    """matplotlib warns and draws a box for a letter its font lacks: here that is a failure."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING_GLYPH)
        yield


def drawn_texts(data: ChartData, language: str, size: ChartSize) -> list[str]:
    lang = CATALOGUE.get(language)
    figure = draw(data, chart_words.words(data, lang, day=DAY), size)
    with no_missing_glyph():
        figure.canvas.draw()  # lays out every text, ticks and legend included
    return [t.get_text() for t in figure.findobj(DrawnText) if t.get_text().strip()]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", list(ChartSize))
def test_a_chart_in_each_language_is_a_png_of_its_size_with_the_figures(
    language: str, size: ChartSize
) -> None:
    lang = CATALOGUE.get(language)
    words = chart_words.words(DATA, lang, day=DAY)
    with no_missing_glyph():
        png = render_png(DATA, words, size)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.size == size.pixels
        assert bidi.strip_controls(image.text["Title"]) == bidi.strip_controls(words.title)  # type: ignore[attr-defined]
    shown = read_metadata(png)
    assert shown["total"] == DATA.total == 37
    assert shown["answers"] == [
        {"country": "PH", "killings": 34, "answered": 3},
        {"country": "MX", "killings": 2, "answered": 1},
        {"country": "CO", "killings": 1, "answered": 1},
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_drawn_is_the_catalogue_s_in_that_language(language: str) -> None:
    lang = CATALOGUE.get(language)
    words = chart_words.words(DATA, lang, day=DAY)
    texts = drawn_texts(DATA, language, ChartSize.SLACK)
    expected = {
        words.title,
        words.years_axis,
        words.killings_axis,
        *words.impunity.values(),
        words.answers_title,
        words.answered,
        words.unanswered,
        words.answers_axis,
        words.source,
        *(lang.country(c) for c in ("PH", "MX", "CO")),
    }
    for text in expected:
        assert words.drawn(text) in texts, (language, text)
    assert (
        lang.country("PH")
        == {
            "en": "Philippines",
            "fr": "Philippines",
            "es": "Filipinas",
            "ar": "الفلبين",
        }[language]
    )
    if language != "en":
        english = CATALOGUE.get("en")
        for key in ("Verified killings", "Full justice", "Did the state answer UNESCO?"):
            assert english.gettext(key) not in texts, (language, key)
    assert lang.date(DAY) in words.source


def test_arabic_is_handed_to_matplotlib_shaped_in_display_order_without_controls() -> None:
    lang = CATALOGUE.get("ar")
    words = chart_words.words(DATA, lang, day=DAY)
    assert words.rtl
    texts = drawn_texts(DATA, "ar", ChartSize.SOCIAL)
    arabic = [t for t in texts if PRESENTATION_FORM.search(t)]
    assert len(arabic) >= 12, texts  # title, axes, legend, panel title, countries, source
    for text in texts:
        assert not ARABIC_LETTER.search(text), f"unshaped Arabic handed to matplotlib: {text!r}"
        assert text == bidi.strip_controls(text), f"bidi controls drawn: {text!r}"
    # Display order: the first letter of the logical text is drawn last (rightmost).
    logical = bidi.strip_controls(words.years_axis)
    drawn = words.drawn(words.years_axis)

    assert drawn == arabic_reshaper.reshape(logical)[::-1]
    # Brackets are mirrored: the ")" that ends the legend's logical text is drawn first, as "(".
    legend = words.drawn(words.impunity["complete"])
    assert words.impunity["complete"].endswith(")") and legend.startswith("("), legend
    # Shaping joins letters: each lam-alef of "الإفلات" became one ligature glyph.
    assert len(re.findall("[\ufef5-\ufefc]", words.drawn("الإفلات"))) == 2


def test_a_missing_glyph_would_fail_the_chart_tests() -> None:
    """The guard above is real: a letter DejaVu Sans lacks (Chinese) raises, not just warns."""
    words = dataclasses.replace(
        chart_words.words(DATA, CATALOGUE.get("en"), day=DAY), years_axis="記者"
    )
    figure = draw(DATA, words, ChartSize.SLACK)
    with pytest.raises(UserWarning, match="missing from font"), no_missing_glyph():
        figure.canvas.draw()


def test_the_words_pickle_for_the_drawing_process() -> None:
    """The pool process gets plain strings, not the catalogue."""
    words = chart_words.words(DATA, CATALOGUE.get("ar"), day=DAY)
    again = pickle.loads(pickle.dumps(words))
    assert again == words and again.drawn(again.title) == words.drawn(words.title)


@pytest.mark.parametrize("language", LANGUAGES)
def test_alt_text_is_in_the_language_with_its_plural_forms_and_within_slack_s_limit(
    language: str,
) -> None:
    lang = CATALOGUE.get(language)
    text = chart_words.alt_text(DATA, lang)
    assert len(text) <= ALT_TEXT_MAX
    want = {
        "en": ["37 verified killings from 2009 to 2020", "Philippines (31 unanswered)"],
        "fr": ["37 assassinats vérifiés de 2009 à 2020", "Philippines (31 sans réponse)"],
        "es": ["37 asesinatos verificados de 2009 a 2020", "Filipinas (31 sin respuesta)"],
        "ar": ["37 حالة قتل", "الفلبين (31 حالة دون رد)"],
    }[language]
    plain = bidi.strip_controls(text)
    for piece in want:
        assert piece in plain, (language, piece, plain)
    one = ChartData(
        years=(YearCounts(year=2020, complete=1),),
        answers=(CountryAnswers(country="MX", killings=1, answered=0),),
    )
    single = bidi.strip_controls(chart_words.alt_text(one, lang))
    assert {
        "en": "1 verified killing from",
        "fr": "1 assassinat vérifié de",
        "es": "1 asesinato verificado de",
        "ar": "حالة قتل واحدة متحقق منها",
    }[language] in single
    empty = chart_words.alt_text(ChartData(years=(), answers=()), lang)
    assert lang.gettext("No verified killings on record") in empty


@pytest.mark.parametrize("language", LANGUAGES)
def test_alt_text_stays_within_slack_s_limit_at_its_longest(language: str) -> None:
    """Sixty countries with the longest names, a million killings a year: the alt text still
    fits Slack's 1,000 characters whole (it names the five states that owe most)."""
    lang = CATALOGUE.get(language)
    codes = sorted(lang.locale.territories, key=lambda c: -len(lang.country(c)))
    codes = [c for c in codes if len(c) == 2 and c.isalpha()][:60]
    data = ChartData(
        years=tuple(YearCounts(year=y, complete=10**6, partial=10**6) for y in range(1990, 2027)),
        answers=tuple(CountryAnswers(country=c, killings=10**6, answered=0) for c in codes),
        country=codes[0],
        since=1990,
    )
    text = chart_words.alt_text(data, lang)
    assert len(text) <= ALT_TEXT_MAX and not text.endswith("…"), len(text)
    assert lang.country(codes[4]) in text and lang.country(codes[5]) not in text


# ----------------------------------------------------------------------------- through Slack


@pytest.fixture
async def arabic(tmp_path: Path) -> AsyncIterator[Harness]:
    """Everyone's Slack is in Arabic; the network's language is French."""
    people = [dataclasses.replace(p, locale="ar") for p in PEOPLE]
    async with Harness(
        db_path=tmp_path / "bot.sqlite3",
        clock=ManualClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC)),
        people=people,
        settings={"language": "fr"},
    ) as harness:
        yield harness


async def test_cases_chart_reaches_an_arabic_reader_in_arabic(arabic: Harness) -> None:
    h = arabic
    pk = await seed_case(h, country="PK", incident=date(2010, 4, 1))
    await seed_case(h, country="MX", incident=date(2015, 6, 1))
    await answer(h, pk, 2026, StateAnswer.NONE)
    await said(h, "bob", "/cases chart country:PK")
    [sent] = h.slack.files(BOB)
    ar = CATALOGUE.get("ar")
    assert bidi.strip_controls(sent["title"]) == bidi.strip_controls(
        ar.gettext(
            "Killings of journalists in {country} and the danger of impunity",
            country=ar.country("PK"),
        )
    )
    assert "باكستان" in sent["title"]
    assert sent["alt_txt"] and len(sent["alt_txt"]) <= ALT_TEXT_MAX
    assert "حالة قتل واحدة" in sent["alt_txt"] and "باكستان" in sent["alt_txt"]
    assert sent["initial_comment"] == ar.gettext(
        "The picture of the record: verified killings by year and impunity, and whether "
        "states answered UNESCO. Counts only; fine to share."
    )
    for english in ("Killings", "verified", "UNESCO on the judicial"):
        assert english not in sent["alt_txt"] + sent["title"] + sent["initial_comment"]
    with Image.open(io.BytesIO(sent["content"])) as image:
        assert image.size == ChartSize.SLACK.pixels
    assert read_metadata(sent["content"])["total"] == 1


async def test_the_campaign_digest_s_chart_is_in_the_network_s_language(
    arabic: Harness,
) -> None:
    h = arabic
    await seed_case(h, country="PK", incident=date(2010, 4, 1))
    h.clock.set(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))  # a week before 23 November
    assert await h.running.calendar.run() == 1
    await h.settle()
    [chart] = h.slack.files(REVIEW)
    fr = CATALOGUE.get("fr")
    assert chart["title"] == fr.gettext("Killings of journalists and the danger of impunity")
    assert "1 assassinat vérifié de 2010 à 2010" in chart["alt_txt"]
    assert chart["initial_comment"].startswith("Le tableau du jour")
