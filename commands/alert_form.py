"""The alert form: opened in the coordinator's language with optional translations, one set
of fields per other language the bot speaks, read back into :class:`AlertTranslation` records.

A language's translation needs its headline and what happened (the details of the ask are
optional); a half-filled language is refused under the field that is missing, so nothing the
coordinator typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from network_bot.blocks import alert_form as render
from network_bot.blocks.alert_form import TRANSLATED_FIELDS, translation_block_id
from network_bot.calls import Call, ViewCall
from network_bot.i18n import Messages
from network_bot.store.alerts import AlertTranslation
from network_bot.store.cases import PublicCase
from network_bot.viewstate import field_errors, value


def offered(languages: Iterable[Messages], *, own: str) -> list[Messages]:
    """The languages a coordinator writing in ``own`` may add a translation for."""
    return [m for m in languages if m.language != own]


def read_translations(
    call: ViewCall, languages: Iterable[Messages]
) -> tuple[list[AlertTranslation], dict[str, str]]:
    """The translations filled in, and errors by block ID for those filled in by halves."""
    found: list[AlertTranslation] = []
    errors: dict[str, str] = {}
    lang = call.lang
    for other in languages:
        code = other.language
        texts = {
            name: str(value(call.values, translation_block_id(name, code)) or "").strip()
            for name in TRANSLATED_FIELDS
        }
        if not any(texts.values()):
            continue
        block = {name: translation_block_id(name, code) for name in TRANSLATED_FIELDS}
        missing = [name for name in ("headline", "body") if not texts[name]]
        if missing:
            for name in missing:
                errors[block[name]] = lang.gettext(
                    "Fill this in too, or leave every {language} field empty.",
                    language=other.name,
                )
            continue
        try:
            found.append(AlertTranslation(language=code, **texts))
        except ValidationError as error:
            known = tuple(block.values())
            for field, text in field_errors(
                error, known=tuple(TRANSLATED_FIELDS), lang=lang
            ).items():
                errors[block.get(field, known[0])] = text
    return found, errors


def case_headline(case: PublicCase, lang: Messages) -> str:
    """A first headline for an alert about a case, in the coordinator's language."""
    said = lang.gettext(
        "{violation} of a {profession} in {country}",
        violation=case.violation,
        profession=case.profession,
        country=lang.country(case.country),
    )
    return (said[:1].upper() + said[1:])[:150]


def compose_form(call: Call, **prefill: Any) -> dict[str, Any]:
    """The compose form in the coordinator's language, with a translation section for each
    other language the bot speaks."""
    return render.compose_modal(
        lang=call.lang,
        translate_into=offered(call.bot.catalogue.choices(), own=call.lang.language),
        **prefill,
    )
