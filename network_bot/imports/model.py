"""What a reader hands the writer: a case ready to store, or a row it could not take and why."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from network_bot.i18n import Text
from network_bot.store.cases import IMPORTER_ID, NewCase
from network_bot.vocabulary import Stage, Status

__all__ = ["IMPORTER_ID"]  # the reporter of imported cases and author of their corrections
MAX_CELL = 10_000  # characters: a longer cell is not a field of a case record
MAX_NAMES = 300


class Source(StrEnum):
    CPJ = "cpj"
    EXPORT = "export"


class ImportRefused(Exception):
    """The file cannot be imported at all; nothing was written. The message says why."""


class ImportStopped(Exception):
    """The file broke off part-way (``line``); batches before it were committed, and running
    the import again continues from where it stopped."""

    def __init__(self, message: Text, *, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, kw_only=True)
class Incoming:
    """One row as a case. ``identity`` names the row in its source; the writer turns it (with
    how often it came before in this file) into the stable key, and ``digest`` tells whether
    the row changed since it was last imported."""

    line: int
    identity: str
    digest: str
    case: NewCase
    status: Status
    stage: Stage
    public_id: str | None = None
    decisions: tuple[str, ...] = ()  # what the mapping decided, for the summary's tally


@dataclass(frozen=True, kw_only=True)
class Skip:
    line: int
    reason: Text  # said in the summary's language


Item = Incoming | Skip


def digest(values: Iterable[str]) -> str:
    """A row's fingerprint: any change to any cell changes it."""
    return hashlib.sha256("\x1f".join(values).encode("utf-8", "surrogatepass")).hexdigest()


def plain(text: str) -> str:
    """A cell as one line: line breaks and runs of spaces inside a field become one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def identity_text(*parts: str) -> str:
    """Parts of a row that name it, compared without case or spacing differences."""
    return "|".join(plain(p).casefold() for p in parts)
