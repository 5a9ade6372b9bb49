"""What a person typed into a view, in Slack's ``state.values`` shape.

Tests say ``{"victim": "A. Reporter", "country": "KE", "urgent": True}``; Slack sends
``{"victim": {"victim_input": {"type": "plain_text_input", "value": "A. Reporter"}}, ...}``.
The element type in the view decides the shape, so the test cannot get it wrong.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

Json = dict[str, Any]

TEXT_KINDS = frozenset({"plain_text_input", "email_text_input", "url_text_input", "number_input"})
SINGLE_OPTION_KINDS = frozenset({"static_select", "external_select", "radio_buttons", "overflow"})
MULTI_OPTION_KINDS = frozenset({"multi_static_select", "multi_external_select", "checkboxes"})
# element type -> (state key, initial_* key, is a list)
PICKS: dict[str, tuple[str, str, bool]] = {
    "users_select": ("selected_user", "initial_user", False),
    "multi_users_select": ("selected_users", "initial_users", True),
    "conversations_select": ("selected_conversation", "initial_conversation", False),
    "multi_conversations_select": ("selected_conversations", "initial_conversations", True),
    "channels_select": ("selected_channel", "initial_channel", False),
    "multi_channels_select": ("selected_channels", "initial_channels", True),
}
STATEFUL_KINDS = (
    TEXT_KINDS
    | SINGLE_OPTION_KINDS
    | MULTI_OPTION_KINDS
    | frozenset(PICKS)
    | frozenset({"datepicker", "timepicker", "datetimepicker", "rich_text_input", "file_input"})
) - {"overflow"}

_UNSET: Any = object()
# Markup Slack itself puts in typed text: mentions, channels, special mentions (with a label).
_MARKUP = re.compile(r"(<[@#!][^<>]*>)")


def slack_escaped(text: str) -> str:
    """Typed text as Slack sends it (Formatting message text, "Escaping text"): ``&``, ``<`` and
    ``>`` as ``&amp;``, ``&lt;``, ``&gt;``, except the markup of a mention or channel Slack made
    itself (``<@U0123ABCD|name>``, ``<#C0123ABCD|name>``, ``<!here>``), which stays as it is."""
    parts = _MARKUP.split(text)
    return "".join(
        part if i % 2 else part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        for i, part in enumerate(parts)
    )


def options_of(element: Json) -> list[Json]:
    found = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        found.extend(group.get("options") or [])
    return found


def option_for(element: Json, value: Any) -> Json:
    """The option object a person picked, found by its value (or given whole)."""
    if isinstance(value, dict):
        return value
    for option in options_of(element):
        if option.get("value") == str(value):
            return option
    if element.get("type") in {"external_select", "multi_external_select"}:
        return {"text": {"type": "plain_text", "text": str(value)}, "value": str(value)}
    known = [o.get("value") for o in options_of(element)]
    raise ValueError(f"{value!r} is not an option of {element.get('action_id')!r}: {known}")


def _initial_state(element: Json) -> Json:
    """What Slack sends for an element the person did not touch: its initial value, if any."""
    kind = str(element.get("type"))
    if kind in TEXT_KINDS:
        initial = element.get("initial_value")
        return {"value": slack_escaped(initial) if isinstance(initial, str) else initial}
    if kind in SINGLE_OPTION_KINDS:
        return {"selected_option": element.get("initial_option")}
    if kind in MULTI_OPTION_KINDS:
        return {"selected_options": list(element.get("initial_options") or [])}
    if kind in PICKS:
        key, initial, many = PICKS[kind]
        return {key: list(element.get(initial) or []) if many else element.get(initial)}
    if kind == "datepicker":
        return {"selected_date": element.get("initial_date")}
    if kind == "timepicker":
        return {"selected_time": element.get("initial_time")}
    if kind == "datetimepicker":
        return {"selected_date_time": element.get("initial_date_time")}
    if kind == "rich_text_input":
        return {"rich_text_value": element.get("initial_value")}
    return {"files": []}


def _rich_text(value: str) -> Json:
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": value}]}
    return {"type": "rich_text", "elements": [section]}


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    dt.date.fromisoformat(str(value))  # Slack's date picker only produces valid dates
    return str(value)


def _time(value: Any) -> str:
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    dt.time.fromisoformat(str(value))
    return str(value)


def _chosen_state(element: Json, value: Any) -> Json:
    kind = str(element.get("type"))
    if kind in TEXT_KINDS:
        return {"value": slack_escaped(str(value))}
    if kind in SINGLE_OPTION_KINDS:
        return {"selected_option": option_for(element, value)}
    if kind in MULTI_OPTION_KINDS:
        if isinstance(value, bool):
            return {"selected_options": options_of(element)[:1] if value else []}
        values = [value] if isinstance(value, str | dict) else list(value)
        return {"selected_options": [option_for(element, v) for v in values]}
    if kind in PICKS:
        key, _, many = PICKS[kind]
        if many:
            return {key: [value] if isinstance(value, str) else [str(v) for v in value]}
        return {key: str(value)}
    if kind == "datepicker":
        return {"selected_date": _date(value)}
    if kind == "timepicker":
        return {"selected_time": _time(value)}
    if kind == "datetimepicker":
        stamp = value.timestamp() if isinstance(value, dt.datetime) else value
        return {"selected_date_time": int(stamp)}
    if kind == "rich_text_input":
        return {"rich_text_value": _rich_text(value) if isinstance(value, str) else value}
    raise ValueError(f"the driver cannot fill in a {kind} element")


def element_state(element: Json, value: Any = _UNSET) -> Json:
    """One element's state entry; ``value`` omitted means untouched, None means cleared."""
    if value is _UNSET:
        state = _initial_state(element)
    elif value is None:
        state = {k: [] if isinstance(v, list) else None for k, v in _initial_state(element).items()}
    else:
        state = _chosen_state(element, value)
    return {"type": element.get("type"), **state}


def stateful_elements(block: Json) -> list[Json]:
    """The elements of a block whose values Slack reports in ``state.values``."""
    kind = block.get("type")
    if kind == "input":
        candidates = [block.get("element")]
    elif kind == "actions":
        candidates = list(block.get("elements") or [])
    elif kind == "section":
        candidates = [block.get("accessory")]
    else:
        candidates = []
    return [e for e in candidates if isinstance(e, dict) and e.get("type") in STATEFUL_KINDS]


def state_values(blocks: list[Json], values: Mapping[str, Any]) -> Json:
    """``state.values`` for these blocks after a person entered ``values`` (by block_id).

    A block with several stateful elements takes a mapping of action_id to value.
    """
    by_block = {str(b.get("block_id")): stateful_elements(b) for b in blocks if isinstance(b, dict)}
    by_block = {block_id: elements for block_id, elements in by_block.items() if elements}
    unknown = sorted(set(values) - set(by_block))
    if unknown:
        raise ValueError(
            f"no block with a value to fill for {unknown}; fillable: {sorted(by_block)}"
        )
    state: Json = {}
    for block_id, elements in by_block.items():
        given = values.get(block_id, _UNSET)
        if len(elements) == 1:
            per_element = {elements[0].get("action_id"): given}
        elif given is _UNSET:
            per_element = {}
        elif isinstance(given, Mapping):
            per_element = dict(given)
        else:
            names = [e.get("action_id") for e in elements]
            raise ValueError(f"block {block_id!r} has several elements {names}: give a mapping")
        state[block_id] = {
            str(e.get("action_id")): element_state(e, per_element.get(e.get("action_id"), _UNSET))
            for e in elements
        }
    return state


def input_block_ids(blocks: list[Json]) -> set[str]:
    return {
        str(b.get("block_id")) for b in blocks if isinstance(b, dict) and b.get("type") == "input"
    }
