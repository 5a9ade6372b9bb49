"""The message catalogue: what the bot says, per language, with plural forms from the catalogue.

Each language is a gettext catalogue, ``network_bot/locale/<lang>/LC_MESSAGES/messages.po``,
read with Babel and compiled in memory when the bot starts (no compile step, nothing written to
disk). A :class:`Messages` object is one language: ``gettext`` for a sentence, ``ngettext`` for a
sentence with a count (the catalogue's plural rule picks the form, so "1 day" and "2 days" read
right in every language), and Babel's number and date formats. Sentences use ``{name}``
placeholders; in ``ngettext`` ``{n}`` is the count, formatted for the language.

The factory builds one :class:`Catalogue` per bot; code reaches it through the bot (or has a
``Messages`` passed in), never through module state.

To add or change a counted sentence: write it as ``lang.ngettext("{n} thing", "{n} things", n)``,
then add the entry to every catalogue (``pybabel extract`` finds them; a test checks that each
sentence the code uses is in the English catalogue).
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from pathlib import Path

from babel import Locale
from babel.core import UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"


class CatalogueError(Exception):
    """A catalogue is missing or cannot be read; the message names the file."""


class Messages:
    """One language's sentences, counted sentences, numbers and dates."""

    def __init__(self, *, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self._translations = translations

    def gettext(self, message: str, /, **values: object) -> str:
        """The sentence in this language, with ``{name}`` placeholders filled from ``values``."""
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The form of a counted sentence the catalogue's plural rule picks for ``n``."""
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=self.locale)

    def date(self, value: date, *, style: str = "medium") -> str:
        return format_date(value, format=style, locale=self.locale)


def load_messages(language: str, *, directory: Path = LOCALE_DIR) -> Messages:
    """Read one language's ``.po`` file and compile it in memory."""
    path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with path.open("rb") as source:
            catalog = read_po(source, locale=language, domain=DOMAIN, abort_invalid=True)
    except FileNotFoundError:
        raise CatalogueError(f"no catalogue for {language!r} at {path}") from None
    except (PoFileError, ValueError, UnknownLocaleError) as error:
        raise CatalogueError(f"{path}: {error}") from None
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Messages(language=language, translations=gettext.GNUTranslations(compiled))


class Catalogue:
    """Every language the bot has a catalogue for; each is loaded once, on first use."""

    def __init__(self, *, default: str = DEFAULT_LANGUAGE, directory: Path = LOCALE_DIR) -> None:
        self._directory = directory
        self.languages = tuple(
            sorted(
                entry.name
                for entry in directory.iterdir()
                if (entry / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
            )
        )
        if default not in self.languages:
            have = ", ".join(self.languages) or "none"
            raise CatalogueError(f"no catalogue for the default language {default!r} (have {have})")
        self._loaded: dict[str, Messages] = {}
        self.default = self.get(default)

    def get(self, language: str | None) -> Messages:
        """The language asked for (``fr``, ``fr-CA``, ``fr_CA``), else the default."""
        wanted = (language or "").replace("_", "-").split("-")[0].lower()
        if wanted not in self.languages:
            return self.default
        if wanted not in self._loaded:
            self._loaded[wanted] = load_messages(wanted, directory=self._directory)
        return self._loaded[wanted]
