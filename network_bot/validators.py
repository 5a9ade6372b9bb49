"""Pydantic field types shared by command arguments, modal inputs and records."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator

from network_bot.data import countries
from network_bot.i18n import say

# A validator raises the English sentence of a catalogue entry; the reader gets it in their
# language (args.explain_one looks the sentence up).
NOT_A_COUNTRY = say(
    "Country should be a two-letter ISO code like KE, PK or CO (or the country's English name)"
)
NOT_A_LINK = say("Links should be full web addresses starting with https://")


def _country(value: str) -> str:
    found = countries.find(value)
    if found is None:
        raise ValueError(str(NOT_A_COUNTRY))
    return found.code


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _web_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in value:
        raise ValueError(str(NOT_A_LINK))
    return value


CountryCode = Annotated[str, BeforeValidator(_strip), AfterValidator(_country)]
WebUrl = Annotated[str, BeforeValidator(_strip), AfterValidator(_web_url)]
Stripped = Annotated[str, BeforeValidator(_strip)]
