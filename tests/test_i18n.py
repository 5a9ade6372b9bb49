"""The message catalogue: counted sentences take their form from the catalogue, in any language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from network_bot.app import build_app
from network_bot.i18n import LOCALE_DIR, Catalogue, CatalogueError, load_messages
from network_bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"gettext": None, "ngettext": (1, 2)}
ENGLISH = LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"


def used_messages() -> dict[str | tuple[str, str], str]:
    """Every sentence the code hands to the catalogue, with where it is used."""
    found: dict[str | tuple[str, str], str] = {}
    for package in ("network_bot", "commands"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, keywords=KEYWORDS
        ):
            if filename in {"i18n.py"}:
                continue
            found[message] = f"{package}/{filename}:{lineno}"
    return found


def english() -> Catalog:
    with ENGLISH.open("rb") as source:
        return read_po(source, locale="en")


def test_every_sentence_the_code_uses_is_in_the_english_catalogue() -> None:
    catalog = english()
    missing = []
    for message, where in used_messages().items():
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        if entry is None or (isinstance(message, tuple) and entry.id != message):
            missing.append(f"{where}: {message!r}")
    assert not missing, "add these to messages.po:\n" + "\n".join(missing)


def test_the_english_catalogue_is_complete_and_has_nothing_stale() -> None:
    catalog = english()
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"
    used = {m[0] if isinstance(m, tuple) else m for m in used_messages()}
    for entry in catalog:
        if not entry.id:
            continue  # the header
        key = entry.id[0] if isinstance(entry.id, tuple) else entry.id
        assert key in used, f"no code uses {key!r}"
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(forms), f"{key!r} has an empty form"
        assert not entry.fuzzy, key


def _fake_language(tmp_path: Path) -> Path:
    """A catalogue whose plural rule differs from English: CLDR French has three forms (0 and 1
    are singular; exact millions take "de")."""
    catalog = Catalog(locale="fr", domain="messages", fuzzy=False)
    catalog.add(
        ("{n} day without full justice", "{n} days without full justice"),
        string=(
            "{n} jour sans justice complète",
            "{n} de jours sans justice complète",
            "{n} jours sans justice complète",
        ),
    )
    where = tmp_path / "fr" / "LC_MESSAGES"
    where.mkdir(parents=True)
    with (where / "messages.po").open("wb") as out:
        write_po(out, catalog)
    (tmp_path / "en" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "en" / "LC_MESSAGES" / "messages.po").write_bytes(ENGLISH.read_bytes())
    return tmp_path


def test_plural_forms_come_from_the_catalogue(tmp_path: Path) -> None:
    catalogue = Catalogue(directory=_fake_language(tmp_path))
    assert catalogue.languages == ("en", "fr")
    en, fr = catalogue.get("en"), catalogue.get("fr-CA")
    singular, plural = "{n} day without full justice", "{n} days without full justice"
    assert en.ngettext(singular, plural, 1) == "1 day without full justice"
    assert en.ngettext(singular, plural, 0) == "0 days without full justice"
    assert en.ngettext(singular, plural, 1234) == "1,234 days without full justice"
    # French treats 0 as singular: only the catalogue's rule can say so.
    assert fr.ngettext(singular, plural, 0) == "0 jour sans justice complète"
    assert fr.ngettext(singular, plural, 1234) == "1\u202f234 jours sans justice complète"
    assert fr.ngettext(singular, plural, 2_000_000).endswith(" de jours sans justice complète")
    assert catalogue.get("xx") is catalogue.default and catalogue.get(None).language == "en"


def test_numbers_and_dates_follow_the_language() -> None:
    en = load_messages("en")
    assert en.number(12345) == "12,345"
    from datetime import date

    assert en.date(date(2026, 11, 2)) == "Nov 2, 2026"


def test_a_default_language_without_a_catalogue_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="'xx'"):
        Catalogue(default="xx")
    settings = Settings.model_validate(
        {"slack_bot_token": "xoxb-1", "language": "xx", "db_path": tmp_path / "x.sqlite3"}
    )
    with pytest.raises(SettingsError, match="NETWORK_BOT_LANGUAGE"):
        build_app(settings)


def test_a_catalogue_that_does_not_parse_names_its_file(tmp_path: Path) -> None:
    where = tmp_path / "en" / "LC_MESSAGES"
    where.mkdir(parents=True)
    (where / "messages.po").write_text('a stray line\nmsgid "a"\nmsgstr "b"\n')
    with pytest.raises(CatalogueError, match=r"messages\.po"):
        load_messages("en", directory=tmp_path)


SCOPES = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
# A count followed by "thing(s)", or a suffix chosen in code.
PLURAL_BY_HAND = re.compile(r"\}[^{}\"]*\w\(s\)|'s' if|\"s\" if|!= 1 else|== 1 else")


def test_no_member_facing_plural_is_made_by_hand() -> None:
    """Counts agree with their nouns through ngettext, never ``'s' if n != 1``."""
    offenders = []
    for package in ("network_bot/blocks", "network_bot/services", "commands"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
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
                    source = ast.get_source_segment(path.read_text(), node) or ""
                    if isinstance(node, ast.Constant) and not isinstance(node.value, str):
                        continue
                    if PLURAL_BY_HAND.search(source):
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
