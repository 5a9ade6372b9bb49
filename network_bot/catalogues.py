"""Keeping the catalogues in step with the code: extract the sentences, update every ``.po``.

``python -m network_bot.catalogues update`` extracts every sentence the code hands to the
catalogue (Babel's extraction with ``babel.cfg`` and the keywords in :mod:`network_bot.i18n`),
adds new ones to each language's ``.po`` (empty, for a translator; English is filled from the
source), drops the ones no code uses any more, and keeps every translation. ``check`` says what
is missing or stale without writing (a test runs the same check). Both work from a checkout:
the extraction map lives at the repository's root.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import write_po

from network_bot.i18n import DOMAIN, KEYWORDS, LOCALE_DIR, SOURCE_LANGUAGE, read_catalog

ROOT = Path(__file__).resolve().parents[1]
MAPPING = ROOT / "babel.cfg"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
Key = tuple[str, str | None]  # (msgid, context)


@dataclass(frozen=True, kw_only=True)
class Problem:
    language: str
    key: Key
    what: str

    def __str__(self) -> str:
        context = f" [{self.key[1]}]" if self.key[1] else ""
        return f"{self.language}: {self.key[0]!r}{context}: {self.what}"


def template(root: Path = ROOT) -> Catalog:
    """Every sentence the code uses, as a catalogue template (like ``pybabel extract``)."""
    if not MAPPING.is_file():
        raise SystemExit(f"{MAPPING} not found: run this from a checkout of network-bot")
    with MAPPING.open(encoding="utf-8") as mapping:
        method_map, options_map = parse_mapping_cfg(  # type: ignore[no-untyped-call]
            mapping, filename=str(MAPPING)
        )
    found = Catalog(domain=DOMAIN, project="network-bot", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        root, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        found.add(message, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return found


def key_of(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return str(msgid), message.context


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields a sentence fills (``{{`` and ``}}`` are literal braces)."""
    return set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def problems(language: str, catalog: Catalog, wanted: Catalog) -> Iterator[Problem]:
    """What is missing, empty, stale, fuzzy or filled differently in one language's catalogue."""
    have = {key_of(m): m for m in catalog if m.id}
    need = {key_of(m): m for m in wanted if m.id}
    for key, source in need.items():
        entry = have.get(key)
        if entry is None:
            yield Problem(language=language, key=key, what="missing")
            continue
        if entry.id != source.id:
            yield Problem(language=language, key=key, what="singular/plural pair differs")
            continue
        forms = tuple(
            str(f or "")
            for f in (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        )
        if not all(forms) or len(forms) != (catalog.num_plurals if entry.pluralizable else 1):
            yield Problem(language=language, key=key, what="not translated (every form)")
            continue
        if entry.fuzzy:
            yield Problem(language=language, key=key, what="fuzzy")
        yield from _placeholder_problems(language, key, source, forms)
    for key in have.keys() - need.keys():
        yield Problem(language=language, key=key, what="stale: no code uses it")


def _placeholder_problems(
    language: str, key: Key, source: Message, forms: Sequence[str]
) -> Iterator[Problem]:
    """Every form fills the source's fields; a counted sentence may leave ``{n}`` out of a form
    other than the last (Arabic says "one day" and "two days" without the digit)."""
    ids = source.id if isinstance(source.id, tuple) else (source.id,)
    expected = set().union(*(placeholders(str(i)) for i in ids))
    for index, form in enumerate(forms):
        got = placeholders(form)
        allowed_missing = {"n"} if source.pluralizable and index < len(forms) - 1 else set()
        if got - expected or (expected - got) - allowed_missing:
            yield Problem(
                language=language,
                key=key,
                what=f"form {index} fills {sorted(got)}, the source {sorted(expected)}",
            )


def languages(directory: Path = LOCALE_DIR) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if (p / "LC_MESSAGES").is_dir())


def check(directory: Path = LOCALE_DIR) -> list[Problem]:
    wanted = template()
    found: list[Problem] = []
    for language in languages(directory):
        found += problems(language, read_catalog(language, directory=directory), wanted)
    return found


def update(directory: Path = LOCALE_DIR) -> None:
    """Bring every language's ``.po`` in line with the code, keeping what is translated."""
    wanted = template()
    for language in languages(directory):
        catalog = read_catalog(language, directory=directory)
        created = catalog.creation_date
        # Babel's update inserts the template's own entries: give each language its copy.
        catalog.update(copy.deepcopy(wanted), no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        catalog.creation_date = created
        if language == SOURCE_LANGUAGE:
            for message in catalog:
                if message.id:
                    message.string = message.id
        path = directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        with path.open("wb") as out:
            # Sorted by sentence, with files but no line numbers: a change elsewhere in the
            # code leaves the catalogues alone, so branches that add sentences merge cleanly.
            write_po(
                out, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False
            )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m network_bot.catalogues", description=__doc__)
    parser.add_argument("action", choices=("update", "check"))
    chosen = parser.parse_args(argv)
    if chosen.action == "update":
        update()
    found = check()
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
