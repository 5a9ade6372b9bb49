"""The message catalogue: complete in every language, the same placeholders everywhere, plural
forms from each language's own rule, terms, numbers, dates, country names and bidi isolates."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest
from babel import Locale

from network_bot import bidi
from network_bot.catalogues import check, placeholders, template
from network_bot.factory import build_bot
from network_bot.i18n import (
    LOCALE_DIR,
    Catalogue,
    CatalogueError,
    load_messages,
    read_catalog,
    say,
    say_n,
)
from network_bot.settings import Settings, SettingsError
from network_bot.terms import entries
from network_bot.vocabulary import Stage, Violation

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "fr", "es", "ar")
COUNTS = (0, 1, 2, 3, 11, 100)
CATALOGUE = Catalogue()


def test_the_bot_speaks_english_french_spanish_and_arabic() -> None:
    assert sorted(CATALOGUE.languages) == sorted(LANGUAGES)
    assert [m.language for m in CATALOGUE.choices()] == ["en", "ar", "es", "fr"]
    assert [m.name for m in CATALOGUE.choices()] == ["English", "العربية", "español", "français"]


def test_every_sentence_is_in_every_catalogue_with_the_same_placeholders() -> None:
    """Completeness and placeholder consistency: what ``python -m network_bot.catalogues check``
    reports (a missing, empty, fuzzy or stale entry, or a form that fills other fields)."""
    found = check()
    assert not found, "run `python -m network_bot.catalogues update` and translate:\n" + "\n".join(
        str(p) for p in found[:60]
    )


def test_the_extraction_sees_the_code_and_the_vocabulary() -> None:
    wanted = {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context) for m in template() if m.id}
    assert ("Close", None) in wanted
    assert ("{n} day", None) in wanted  # from an ngettext call
    for context, msgid in entries():
        assert (msgid, context) in wanted
    assert ("killing", "Violation") in wanted and ("other", "Profession") in wanted


def test_the_placeholder_check_catches_a_translation_that_drops_or_renames_a_field() -> None:
    assert placeholders("*{id}* is on its way to {reach}.") == {"id", "reach"}
    assert placeholders("{{literal}} {n:,}") == {"n"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_is_left_in_a_translation(language: str) -> None:
    """Outside names, codes and commands, a translated entry differs from its English, except
    for words that are the same in both languages (listed, so the list is reviewed)."""
    if language == "en":
        return
    same = {
        "fr": {
            "torture",
            "surveillance",
            "Europe",
            "type: {violation}",
            "URGENT: {headline}",
            "source",
            "Sources",
            "Date",
            "(page {page})",
            "Profession",
            "Type of violation",
            "Organisation",
            "Profession (code)",
            "Violation (code)",
        },
        "es": {"urgente", "Eurasia"},
        "ar": set(),
    }[language]
    catalog = read_catalog(language)
    untranslated = [
        m.id
        for m in catalog
        if m.id
        and not m.pluralizable
        and _words(str(m.string)) == _words(str(m.id))
        and _words(str(m.id))
        and str(m.id) not in same
    ]
    assert untranslated == []


def _words(text: str) -> list[str]:
    """The prose of a sentence: code spans, placeholders and markup left out."""
    prose = re.sub(r"`[^`]*`|\{[^}]*\}|<[^>]*>|[*_~]", " ", text)
    return re.findall(r"[^\W\d_]{3,}", prose)


# The form each language's CLDR rule picks for 0, 1, 2, 3, 11 and 100.
DAYS = {
    "en": ["0 days", "1 day", "2 days", "3 days", "11 days", "100 days"],
    "fr": ["0 jour", "1 jour", "2 jours", "3 jours", "11 jours", "100 jours"],
    "es": ["0 días", "1 día", "2 días", "3 días", "11 días", "100 días"],
    "ar": ["0 يوم", "يوم واحد", "يومان", "3 أيام", "11 يومًا", "100 يوم"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_for_0_1_2_3_11_and_100(language: str) -> None:
    lang = CATALOGUE.get(language)
    said = [lang.ngettext("{n} day", "{n} days", n) for n in COUNTS]
    assert said == DAYS[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_counted_sentence_takes_the_form_its_language_rule_names(language: str) -> None:
    """For each counted sentence and each count, the catalogue's form is the one CLDR's plural
    category for that count names (Arabic: zero, one, two, few, many, other)."""
    lang = CATALOGUE.get(language)
    catalog = read_catalog(language)
    locale = Locale.parse(language)
    order = {
        "en": ["one", "other"],
        "fr": ["one", "many", "other"],
        "es": ["one", "many", "other"],
        "ar": ["zero", "one", "two", "few", "many", "other"],
    }[language]
    assert catalog.num_plurals == len(order)
    counted = [m for m in catalog if m.id and m.pluralizable and all(m.string)]
    assert counted
    for message in counted:
        singular, plural = message.id
        for n in COUNTS:
            form = message.string[order.index(locale.plural_form(n))]
            if lang.rtl:  # as the catalogue compiles it for a right-to-left language
                form = str(bidi.isolate_code_spans(form))
            filled = {name: f"<{name}>" for name in placeholders(singular + plural) - {"n"}}
            expected = lang.ngettext(singular, plural, n, **filled)
            assert expected == lang._final(form.format(n=lang.number(n), **lang._filled(filled)))


def test_french_treats_zero_as_singular_and_millions_take_de() -> None:
    fr = CATALOGUE.get("fr")
    assert fr.ngettext("{n} day", "{n} days", 0) == "0 jour"
    assert fr.ngettext("{n} day", "{n} days", 2_000_000) == "2\u202f000\u202f000 de jours"
    assert fr.ngettext("{n} day", "{n} days", 1234) == "1\u202f234 jours"


def test_a_person_without_a_language_the_bot_speaks_reads_english() -> None:
    french_network = Catalogue(default="fr")
    assert french_network.default.language == "fr"
    for locale in (None, "", "de-DE", "xx", "../fr"):
        assert french_network.get(locale).language == "en"
    assert french_network.get("fr-CA").language == "fr"
    assert french_network.get("es_419").language == "es"
    assert french_network.resolve("ar") == "ar" and french_network.resolve("pt-BR") is None


def test_terms_are_the_networks_in_each_language() -> None:
    impunity = {
        lang: CATALOGUE.get(lang).pgettext("Impunity", "complete impunity") for lang in LANGUAGES
    }
    assert "impunité" in impunity["fr"]
    assert "impunidad" in impunity["es"]
    assert "الإفلات" in impunity["ar"] and "العقاب" in impunity["ar"]
    fr, es, ar = (CATALOGUE.get(x) for x in ("fr", "es", "ar"))
    assert fr.term(Violation.ENFORCED_DISAPPEARANCE) == "disparition forcée"
    assert es.term(Stage.ON_TRIAL) == "juicio en curso"
    assert ar.term(Violation.KILLING) == "قتل"
    assert fr.term(Violation.OTHER) == "autre"


def test_numbers_dates_and_countries_follow_the_language() -> None:
    en, fr, es, ar = (CATALOGUE.get(x) for x in LANGUAGES)
    assert en.number(12345) == "12,345" and fr.number(12345) == "12\u202f345"
    assert es.number(12345) == "12.345"
    assert en.date(date(2026, 11, 2)) == "2 Nov 2026"
    assert fr.date(date(2026, 11, 2)) == "2 nov. 2026"
    assert fr.day_month(date(2026, 11, 2)) == "2 novembre"
    assert ar.day_month(date(2026, 11, 2)) == "2 نوفمبر"
    assert fr.country("CI") == "Côte d\u2019Ivoire" and es.country("PK") == "Pakistán"
    assert ar.country("PK") == "باكستان" and en.country("XK") == "Kosovo"


def test_arabic_keeps_latin_ids_codes_and_links_in_one_piece() -> None:
    ar = CATALOGUE.get("ar")
    assert ar.rtl and not CATALOGUE.get("fr").rtl
    said = ar.gettext("I don't speak `{code}` yet.", code="de")
    # The code span is isolated as a whole; nothing invisible inside it, so it copies clean.
    assert f"{bidi.LRI}`de`{bidi.PDI}" in said
    filled = ar.gettext("You read the bot in {language}.", language="NI-2026-0042")
    assert f"{bidi.FSI}NI-2026-0042{bidi.PDI}" in filled
    assert bidi.isolate("*NI-2026-0042*") == f"*{bidi.FSI}NI-2026-0042{bidi.PDI}*"
    assert bidi.isolate("باكستان") == "باكستان"  # right-to-left already: left alone
    fr = CATALOGUE.get("fr")
    assert fr.gettext("You read the bot in {language}.", language="NI-1") == (
        "Vous lisez le bot en NI-1."
    )
    assert bidi.strip_controls(f"{bidi.FSI}NI-2026-0042{bidi.PDI}\u200f") == "NI-2026-0042"


def test_a_text_is_said_later_in_the_readers_language() -> None:
    later = say_n("{n} day", "{n} days", 2)
    assert str(later) == "2 days"
    assert CATALOGUE.get("es").render(later) == "2 días"
    nested = say("You read the bot in {language}.", language=say("Close"))
    assert CATALOGUE.get("fr").render(nested) == "Vous lisez le bot en Fermer."
    assert str(nested) == "You read the bot in Close."


def test_a_default_language_without_a_catalogue_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="'xx'"):
        Catalogue(default="xx")
    settings = Settings.model_validate(
        {"slack_bot_token": "xoxb-1", "language": "xx", "db": tmp_path / "x.sqlite3"}
    )
    with pytest.raises(SettingsError, match="NETWORK_BOT_LANGUAGE"):
        build_bot(settings)


def test_a_catalogue_that_does_not_parse_names_its_file(tmp_path: Path) -> None:
    where = tmp_path / "en" / "LC_MESSAGES"
    where.mkdir(parents=True)
    (where / "messages.po").write_text('a stray line\nmsgid "a"\nmsgstr "b"\n')
    with pytest.raises(CatalogueError, match=r"messages\.po"):
        load_messages("en", directory=tmp_path)


def test_catalogues_compile_when_the_bot_loads_them() -> None:
    """No compiled ``.mo`` is kept or needed: the ``.po`` files are the catalogue."""
    assert not list(LOCALE_DIR.rglob("*.mo"))
    assert load_messages("ar").ngettext("{n} day", "{n} days", 2) == "يومان"


# A count followed by "thing(s)", or a suffix chosen in code.
PLURAL_BY_HAND = re.compile(r"\}[^{}\"]*\w\(s\)|'s' if|\"s\" if|!= 1 else|== 1 else")


def test_no_member_facing_plural_is_made_by_hand() -> None:
    """Counts agree with their nouns through ngettext, never ``'s' if n != 1``."""
    offenders = []
    for package in ("network_bot/blocks", "network_bot/services", "commands"):
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text()
            tree = ast.parse(source)
            docstrings = {
                id(node.body[0].value)
                for node in ast.walk(tree)
                if isinstance(
                    node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
                )
                and node.body
                and isinstance(node.body[0], ast.Expr)
                and isinstance(node.body[0].value, ast.Constant)
            }
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr | ast.Constant) and id(node) not in docstrings:
                    if isinstance(node, ast.Constant) and not isinstance(node.value, str):
                        continue
                    if PLURAL_BY_HAND.search(ast.get_source_segment(source, node) or ""):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
