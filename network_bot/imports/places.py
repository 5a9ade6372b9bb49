"""Country names as other databases write them, to the ISO 3166-1 codes the bot stores.

A name is looked up as a code, then as the bot's own English name, then in the tables below. A
historical country is recorded under the successor state that continues it, with a note on the
case; a name covering two countries is not guessed: the row is skipped, saying how to choose
(``--map-country "NAME=XX"``), unless the person importing already chose.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from network_bot.data import countries
from network_bot.i18n import CountryName, Text, say

# Other spellings of countries that exist today (CPJ's, and common English ones).
ALIASES: Mapping[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "northern ireland": "GB",
    "scotland": "GB",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "bosnia": "BA",
    "bosnia-herzegovina": "BA",
    "east timor": "TL",
    "republic of congo": "CG",
    "republic of the congo": "CG",
    "congo-brazzaville": "CG",
    "congo brazzaville": "CG",
    "democratic republic of the congo": "CD",
    "democratic republic of congo": "CD",
    "drc": "CD",
    "congo-kinshasa": "CD",
    "czech republic": "CZ",
    "macedonia": "MK",
    "burma": "MM",
    "the gambia": "GM",
    "turkey": "TR",
    "swaziland": "SZ",
    "cape verde": "CV",
    "vatican": "VA",
    "holy see": "VA",
    "palestinian territory": "PS",
    "occupied palestinian territory": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "korea, south": "KR",
    "republic of korea": "KR",
    "korea, north": "KP",
    "russian federation": "RU",
    "syrian arab republic": "SY",
    "viet nam": "VN",
    "lao pdr": "LA",
    "the philippines": "PH",
    "the bahamas": "BS",
    "the netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
}

# Countries that no longer exist: the successor state recorded, and why, for the case's note.
HISTORICAL: Mapping[str, tuple[str, str]] = {
    "yugoslavia": (
        "RS",
        "Yugoslavia no longer exists; recorded under Serbia (RS), the state that continued it. "
        "The place may now be in another successor state.",
    ),
    "federal republic of yugoslavia": (
        "RS",
        "Yugoslavia no longer exists; recorded under Serbia (RS), the state that continued it. "
        "The place may now be in another successor state.",
    ),
    "serbia and montenegro": (
        "RS",
        "Serbia and Montenegro split in 2006; recorded under Serbia (RS), the state that "
        "continued it. The place may now be in Montenegro.",
    ),
    "zaire": ("CD", "Zaire is now the Democratic Republic of the Congo (CD)."),
    "ussr": (
        "RU",
        "The USSR no longer exists; recorded under Russia (RU), the state that continued it. "
        "The place may now be in another successor state.",
    ),
    "soviet union": (
        "RU",
        "The USSR no longer exists; recorded under Russia (RU), the state that continued it. "
        "The place may now be in another successor state.",
    ),
    "czechoslovakia": (
        "CZ",
        "Czechoslovakia no longer exists; recorded under Czechia (CZ). The place may now be in "
        "Slovakia.",
    ),
}

# Names that cover more than one country today: the row is skipped unless the person importing
# chose a code for the name (``--map-country``).
COMPOUND: Mapping[str, tuple[str, ...]] = {
    "israel and the occupied palestinian territory": ("IL", "PS"),
    "israel and the occupied palestinian territories": ("IL", "PS"),
    "israel and occupied palestinian territory": ("IL", "PS"),
    "israel and palestine": ("IL", "PS"),
    "sudan and south sudan": ("SD", "SS"),
}


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    note: str = ""  # why this code, when the name was not plainly this country's


class CountryProblem(ValueError):
    """The name names no one country; ``text`` says why and how to fix it, in any language."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def key(name: str) -> str:
    """A name compared without case, accents, doubled spaces or a leading "the"."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = plain.replace("\u2019", "'").casefold()
    return " ".join(plain.replace(".", "").split())


def parse_choices(pairs: list[str]) -> dict[str, str]:
    """``--map-country "NAME=XX"`` values: each name's key to a known code."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, code = pair.rpartition("=")
        country = countries.by_code(code) if sep else None
        if not name.strip() or country is None:
            raise CountryProblem(
                say(
                    '--map-country expects "NAME=XX" with an ISO 3166-1 code, got {given}',
                    given=repr(pair[:60]),
                )
            )
        found[key(name)] = country.code
    return found


def resolve(name: str, *, chosen: Mapping[str, str]) -> Place:
    """The code for ``name``, with a note when the import had to decide something."""
    text = " ".join(name.split())
    if not text:
        raise CountryProblem(say("no country given"))
    wanted = key(text)
    if wanted in chosen:
        note = f'Country given as "{text[:80]}"; recorded as {_label(chosen[wanted])}, as chosen.'
        return Place(chosen[wanted], note=note)
    exact = countries.by_code(text) if len(text) == 2 else None
    code = exact.code if exact else _NAMES.get(wanted) or _NAMES.get(wanted.removeprefix("the "))
    if code is None:
        code = ALIASES.get(wanted)
    if code is not None:
        return Place(code)
    if wanted in HISTORICAL:
        code, why = HISTORICAL[wanted]
        return Place(code, note=f'Country given as "{text[:80]}". {why}')
    if wanted in COMPOUND:
        first, second = COMPOUND[wanted]
        codes = say("{first} and {second}", first=CountryName(first), second=CountryName(second))
        raise CountryProblem(
            say(
                '"{given}" covers two countries ({codes}); choose one with --map-country '
                '"{given}=XX" and import again',
                given=text[:80],
                codes=codes,
            )
        )
    raise CountryProblem(
        say(
            'unknown country "{given}"; use its English name or ISO code, or choose one with '
            '--map-country "{given}=XX"',
            given=text[:80],
        )
    )


def _label(code: str) -> str:
    found = countries.by_code(code)
    return f"{found.name} ({code})" if found else code


_NAMES: Mapping[str, str] = MappingProxyType({key(c.name): c.code for c in countries.COUNTRIES})
