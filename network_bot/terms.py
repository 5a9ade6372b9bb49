"""The network's vocabulary as catalogue entries: every term a person reads, in one list.

A term is an enum member (a violation, a justice-process stage, a profession, an answer to an
alert...). Its catalogue entry has the enum's name as context and its English label as msgid
(:func:`network_bot.i18n.term_key`), so "other" as a profession and "other" as a violation can
read differently. ``extract`` is a Babel extraction method (``babel.cfg`` maps it to this file):
it yields each term as ``pgettext(context, label)``, so ``pybabel extract`` and the catalogue
tool find the vocabulary without anyone writing it out twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import IO, Any

from network_bot.data import countries
from network_bot.i18n import term_key
from network_bot.roles import Role
from network_bot.store.alerts import Response
from network_bot.store.members import AlertPref
from network_bot.vocabulary import (
    Gender,
    Impunity,
    Perpetrator,
    Profession,
    Stage,
    Status,
    Urgency,
    Violation,
)

TERMS: tuple[type[Enum], ...] = (
    Profession,
    Gender,
    Violation,
    Perpetrator,
    Urgency,
    Status,
    Stage,
    Impunity,
    Response,
    Role,
    AlertPref,
)


def entries() -> Iterator[tuple[str, str]]:
    """``(context, msgid)`` for every term, and for each region the network groups countries by."""
    for enum in TERMS:
        for item in enum:
            yield term_key(item)
    for region in countries.REGIONS:
        yield "Region", region


def extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel's extraction interface: ``(lineno, funcname, messages, comments)`` per term."""
    for lineno, entry in enumerate(entries(), start=1):
        yield lineno, "pgettext", entry, []
