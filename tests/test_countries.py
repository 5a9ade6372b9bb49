"""The country list matches ISO 3166-1 and fits Slack's option-group limits."""

from __future__ import annotations

import pycountry

from network_bot.data import countries


def test_codes_are_iso_3166_plus_kosovo() -> None:
    iso = {c.alpha_2 for c in pycountry.countries}
    assert {c.code for c in countries.COUNTRIES} == iso | {"XK"}


def test_regions_fit_option_groups() -> None:
    for region in countries.REGIONS:
        members = countries.by_region(region)
        assert 1 <= len(members) <= 100
    assert {c.region for c in countries.COUNTRIES} == set(countries.REGIONS)


def test_lookups() -> None:
    assert countries.by_code(" pk ") == countries.by_code("PK")
    assert countries.find("colombia") is not None and countries.find("colombia").code == "CO"  # type: ignore[union-attr]
    assert countries.find("The Gambia") is None or countries.find("The Gambia").code == "GM"  # type: ignore[union-attr]
    assert countries.find("Gambia").code == "GM"  # type: ignore[union-attr]
    assert not countries.is_country("XX")
    assert countries.by_code("PK").flag == "\U0001f1f5\U0001f1f0"  # type: ignore[union-attr]


def test_names_are_unique() -> None:
    names = [c.name for c in countries.COUNTRIES]
    assert len(names) == len(set(names))


def test_known_placements() -> None:
    expected = {
        "PK": "Asia-Pacific",
        "GM": "Africa",
        "CO": "Americas",
        "KH": "Asia-Pacific",
        "BH": "Middle East & North Africa",
        "PH": "Asia-Pacific",
        "UA": "Eurasia",
        "FR": "Europe",
        "EG": "Middle East & North Africa",
        "AQ": "Antarctica & territories",
    }
    for code, region in expected.items():
        assert countries.region_of(code) == region
