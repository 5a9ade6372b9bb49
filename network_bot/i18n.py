"""The message catalogue: what the bot says, per language, with plural forms from the catalogue.

Each language is a gettext catalogue, ``network_bot/locale/<lang>/LC_MESSAGES/messages.po``,
read with Babel and compiled in memory when the bot starts (no compile step, nothing written to
disk). A :class:`Messages` object is one language: ``gettext`` for a sentence, ``ngettext`` for a
sentence with a count (the catalogue's plural rule picks the form: Arabic has six), ``term`` for
the network's vocabulary, and Babel's number, date and country-name formats. Sentences use
``{name}`` placeholders; in ``ngettext`` ``{n}`` is the count, formatted for the language.

Code that cannot know the reader's language yet (a service refusing, a value a renderer fills in
later) says :func:`say` or :func:`say_n`: a :class:`Text` that the renderer turns into words with
``lang.render``. The factory builds one :class:`Catalogue` per bot; code reaches it through the
bot, or has a ``Messages`` passed in (a request's call carries its asker's), never module state.

English is the source language: the ``msgid`` is the English sentence, so a member whose
language the bot does not speak reads English. ``docs/translating.md`` says how to add a sentence.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Protocol

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal, format_percent

from network_bot import bidi
from network_bot.blocks.kit import escape
from network_bot.data import countries

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
DEFAULT_LANGUAGE = SOURCE_LANGUAGE
# The functions whose first arguments are catalogue entries (for Babel's extraction).
KEYWORDS: dict[str, Any] = {
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "say": None,
    "say_n": (1, 2),
}


class CatalogueError(Exception):
    """A catalogue is missing or cannot be read; the message names the file."""


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence to say later, in the reader's language: what services and refusals hold."""

    message: str
    plural: str | None = None
    n: int = 0
    values: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        """The English sentence (logs, the command line), with CLDR's English plural rule."""
        chosen = self.message
        if self.plural is not None and Locale.parse(SOURCE_LANGUAGE).plural_form(self.n) != "one":
            chosen = self.plural
        filled = {k: str(v) for k, v in self.values}
        if self.plural is not None:
            filled["n"] = format_decimal(self.n, locale=SOURCE_LANGUAGE)
        return chosen.format(**filled) if filled else chosen


class Sayable(Protocol):
    """Words that only know how to say themselves given a language (a validation error's
    explanation, say); a :class:`Text` value or a refusal may be one."""

    def say_in(self, lang: Messages) -> str: ...


def say(message: str, /, **values: object) -> Text:
    """Mark ``message`` for the catalogue and say it later, in the reader's language."""
    return Text(message=message, values=tuple(values.items()))


def say_n(singular: str, plural: str, n: int, /, **values: object) -> Text:
    """A counted sentence to say later; the reader's plural rule picks the form."""
    return Text(message=singular, plural=plural, n=n, values=tuple(values.items()))


@dataclass(frozen=True, slots=True)
class CountryName:
    """A country, named with its flag in the reader's language when the sentence is said
    (escaped for mrkdwn: "Bosnia & Herzegovina")."""

    code: str

    def say_in(self, lang: Messages) -> str:
        found = countries.by_code(self.code)
        return f"{found.flag} {escape(lang.country(self.code))}" if found else escape(self.code)

    def __str__(self) -> str:
        found = countries.by_code(self.code)
        return f"{found.flag} {found.name}" if found else self.code


def term_key(item: Enum) -> tuple[str, str]:
    """An enum member's catalogue entry: its class names the context, its label is the msgid."""
    label = getattr(item, "label", None)
    return type(item).__name__, str(label if isinstance(label, str) else item.value)


class Messages:
    """One language's sentences, counted sentences, terms, numbers, dates and country names."""

    def __init__(self, *, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        # The network writes British English ("organisation"): its dates read "2 Nov 2026".
        self.locale = Locale.parse("en_GB" if language == SOURCE_LANGUAGE else language)
        self.rtl = self.locale.text_direction == "rtl"
        self._translations = translations

    def __repr__(self) -> str:
        return f"Messages({self.language!r})"

    @property
    def name(self) -> str:
        """The language's name in itself: Français, Español, العربية."""
        own = Locale.parse(self.language)
        return str(own.get_display_name(own))

    def gettext(self, message: str, /, **values: object) -> str:
        """The sentence in this language, with ``{name}`` placeholders filled from ``values``."""
        text = self._translations.gettext(message)
        return self._final(text.format(**self._filled(values)) if values else text)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a counted sentence the catalogue's plural rule picks for ``n``."""
        text = self._translations.ngettext(singular, plural, n)
        return self._final(text.format(n=self.number(n), **self._filled(values)))

    def pgettext(self, context: str, message: str, /) -> str:
        return self._translations.pgettext(context, message)

    def render(self, text: Text | str | Sayable) -> str:
        """A :class:`Text` in this language (a plain ``str`` is already words: kept as is)."""
        if isinstance(text, str):
            return text
        if not isinstance(text, Text):
            return text.say_in(self)
        values = dict(text.values)
        if text.plural is None:
            return self.gettext(text.message, **values)
        return self.ngettext(text.message, text.plural, text.n, **values)

    def term(self, item: Enum) -> str:
        """A term of the network's vocabulary (a violation, a stage, a profession...)."""
        return self.pgettext(*term_key(item))

    def region(self, region: str) -> str:
        return self.pgettext("Region", region)

    def country(self, code: str) -> str:
        """The country's name in this language (CLDR's, through Babel), else its English name."""
        name = self.locale.territories.get(code)
        if name:
            return str(name)
        found = countries.by_code(code)
        return found.name if found else code

    def number(self, value: float) -> str:
        return str(format_decimal(value, locale=self.locale))

    def percent(self, share: float) -> str:
        """``0.42`` as ``42%``, ``42 %``, ``٤٢٪``: Babel's percent format for the language."""
        return str(format_percent(share, locale=self.locale))

    def date(self, value: dt.date, *, style: str = "medium") -> str:
        return str(format_date(value, format=style, locale=self.locale))

    def day_month(self, value: dt.date) -> str:
        """``2 November``, ``2 novembre``, ``2 نوفمبر``: a campaign day without its year."""
        return str(format_skeleton("MMMMd", value, locale=self.locale))

    def isolate(self, text: str) -> str:
        """Left-to-right text (an ID, a code, a link, a name in Latin script) kept in one piece
        inside right-to-left text; unchanged in a left-to-right language."""
        return bidi.isolate(text) if self.rtl else text

    def _final(self, text: str) -> str:
        return bidi.clean_code_spans(text) if self.rtl else text

    def _filled(self, values: Mapping[str, object]) -> dict[str, object]:
        return {key: self._value(value) for key, value in values.items()}

    def _value(self, value: object) -> object:
        if isinstance(value, Text) or hasattr(value, "say_in"):
            return self.render(value)
        if isinstance(value, Enum):
            return self.term(value)
        if isinstance(value, tuple):  # a list of terms or sentences, in the reader's words
            return ", ".join(str(self._value(item)) for item in value)
        if isinstance(value, int) and not isinstance(value, bool):
            return self.number(value)
        if isinstance(value, str) and self.rtl:
            return bidi.isolate(value)
        return value


def english() -> Messages:
    """English straight from the source sentences, without a catalogue: for text that is data
    (an import's own notes) or for logs."""
    return Messages(language=SOURCE_LANGUAGE, translations=gettext.NullTranslations())


def read_catalog(language: str, *, directory: Path = LOCALE_DIR) -> Catalog:
    """One language's ``.po`` file as Babel reads it."""
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with path.open("rb") as source:
            return read_po(source, locale=language, domain=DOMAIN, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogueError(f"no catalogue for {language!r} at {path}") from None
    except (PoFileError, ValueError, UnknownLocaleError) as error:
        raise CatalogueError(f"{path}: {error}") from None


def load_messages(language: str, *, directory: Path = LOCALE_DIR) -> Messages:
    """Read one language's ``.po`` file and compile it in memory."""
    catalog = read_catalog(language, directory=directory)
    if Locale.parse(language).text_direction == "rtl":
        for message in catalog:
            if message.id and message.string:
                forms = message.string
                message.string = bidi.isolate_code_spans(
                    forms if isinstance(forms, str) else tuple(forms)
                )
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Messages(language=language, translations=gettext.GNUTranslations(compiled))


_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


class Catalogue:
    """Every language the bot has a catalogue for, each read and compiled once, at start-up.

    ``get`` is for a person (their language, else English, the source language); ``default`` is
    the network's language (``NETWORK_BOT_LANGUAGE``), for posts in channels.
    """

    def __init__(self, *, default: str = DEFAULT_LANGUAGE, directory: Path = LOCALE_DIR) -> None:
        found = sorted(
            entry.name
            for entry in directory.iterdir()
            if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
        )
        self.languages: tuple[str, ...] = tuple(found)
        if SOURCE_LANGUAGE not in self.languages:
            raise CatalogueError(f"no catalogue for the source language {SOURCE_LANGUAGE!r}")
        if default not in self.languages:
            have = ", ".join(self.languages)
            raise CatalogueError(f"no catalogue for the default language {default!r} (have {have})")
        self._loaded = {code: load_messages(code, directory=directory) for code in found}
        self.default = self._loaded[default]
        self.source = self._loaded[SOURCE_LANGUAGE]

    def resolve(self, locale: str | None) -> str | None:
        """The language the bot speaks for a Slack locale (``fr-FR``, ``es_419``, ``ar``)."""
        wanted = (locale or "").replace("_", "-").split("-")[0].strip().lower()
        return wanted if _LANGUAGE.match(wanted) and wanted in self._loaded else None

    def get(self, language: str | None) -> Messages:
        """A person's language (``fr``, ``fr-CA``, ``fr_CA``), else English."""
        code = self.resolve(language)
        return self._loaded[code] if code else self.source

    def choices(self) -> Iterable[Messages]:
        """Every language, English first, then the others by code."""
        yield self.source
        yield from (m for code, m in self._loaded.items() if code != SOURCE_LANGUAGE)
