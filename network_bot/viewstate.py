"""Reading a submitted modal: each input block's value, whatever element it used."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from network_bot.args import explain_one
from network_bot.i18n import Messages

Values = dict[str, dict[str, dict[str, Any]]]


def value(values: Values, block_id: str) -> Any:
    """The submitted value of one input block: text, option value(s), date, users..."""
    element = next(iter((values.get(block_id) or {}).values()), None)
    if not isinstance(element, dict):
        return None
    kind = element.get("type")
    if kind in {"static_select", "external_select", "radio_buttons"}:
        option = element.get("selected_option")
        return option.get("value") if isinstance(option, dict) else None
    if kind in {"multi_static_select", "multi_external_select", "checkboxes"}:
        return [
            o.get("value") for o in element.get("selected_options") or [] if isinstance(o, dict)
        ]
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "multi_users_select":
        return list(element.get("selected_users") or [])
    if kind == "multi_conversations_select":
        return list(element.get("selected_conversations") or [])
    if kind == "multi_channels_select":
        return list(element.get("selected_channels") or [])
    return element.get("value")


def values_of(values: Values, block_ids: tuple[str, ...]) -> dict[str, Any]:
    return {block_id: value(values, block_id) for block_id in block_ids}


def field_errors(
    error: ValidationError, *, known: tuple[str, ...], lang: Messages
) -> dict[str, str]:
    """Pydantic's errors as ``{block_id: message}`` for ``response_action: errors``, each in
    the reader's language and under its own field."""
    found: dict[str, str] = {}
    for item in error.errors(include_url=False):
        field = str(item["loc"][0]) if item["loc"] else ""
        block = field if field in known else known[0]
        if block not in found:
            found[block] = explain_one(item, lang, named=field not in known)
    return found
