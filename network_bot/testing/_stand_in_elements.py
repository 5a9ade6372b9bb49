"""Block elements and composition objects as Slack's reference defines them.

Each element lists the fields it may have, the fields it must have, and the blocks it may sit in
(Block elements index, docs.slack.dev/reference/block-kit/block-elements: its "Blocks" column).
Limits come from each element's page and are cited where they are checked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from network_bot.testing._stand_in_text import Problems, check_text

SECTION, ACTIONS, INPUT, CONTEXT = "section", "actions", "input", "context"
_COMMON = frozenset({"type", "action_id"})
_FOCUS = frozenset({"focus_on_load"})
_CONFIRM = frozenset({"confirm"})
_PLACEHOLDER = frozenset({"placeholder"})
ACTION_ID_MAX = 255  # every interactive element: "Maximum length is 255 characters"
PLACEHOLDER_MAX = 150  # select menus, inputs, pickers: placeholder "maximum length … 150"


@dataclass(frozen=True)
class ElementSpec:
    fields: frozenset[str]
    required: frozenset[str]
    blocks: frozenset[str]


def _spec(fields: set[str], required: set[str], blocks: set[str]) -> ElementSpec:
    return ElementSpec(frozenset(fields) | _COMMON, frozenset(required), frozenset(blocks))


_SELECT = {"placeholder", "confirm", "focus_on_load"}
_ANY_BLOCK = {SECTION, ACTIONS, INPUT}
ELEMENTS: dict[str, ElementSpec] = {
    # Button element: text (plain_text, 75), url (3000), value (2000), style, confirm,
    # accessibility_label (75).
    "button": _spec(
        {"text", "url", "value", "style", "confirm", "accessibility_label"},
        {"text"},
        {SECTION, ACTIONS},
    ),
    # Checkboxes element: options (max 10), initial_options, confirm, focus_on_load.
    "checkboxes": _spec(
        {"options", "initial_options", "confirm", "focus_on_load"}, {"options"}, _ANY_BLOCK
    ),
    # Radio button group element: options (max 10), initial_option, confirm, focus_on_load.
    "radio_buttons": _spec(
        {"options", "initial_option", "confirm", "focus_on_load"}, {"options"}, _ANY_BLOCK
    ),
    # Overflow menu element: "An array of up to five option objects", confirm.
    "overflow": _spec({"options", "confirm"}, {"options"}, {SECTION, ACTIONS}),
    # Date picker element: initial_date YYYY-MM-DD, confirm, focus_on_load, placeholder.
    "datepicker": _spec({"initial_date", *_SELECT}, set(), _ANY_BLOCK),
    # Time picker element: initial_time HH:mm, timezone.
    "timepicker": _spec({"initial_time", "timezone", *_SELECT}, set(), _ANY_BLOCK),
    # Datetime picker element: initial_date_time (UNIX seconds); actions and input blocks only.
    "datetimepicker": _spec(
        {"initial_date_time", "confirm", "focus_on_load"}, set(), {ACTIONS, INPUT}
    ),
    # Plain-text input element: input blocks only; min_length 0..3000, max_length 1..3000.
    "plain_text_input": _spec(
        {
            "initial_value",
            "multiline",
            "min_length",
            "max_length",
            "dispatch_action_config",
            "focus_on_load",
            "placeholder",
        },
        set(),
        {INPUT},
    ),
    "email_text_input": _spec(
        {"initial_value", "dispatch_action_config", "focus_on_load", "placeholder"}, set(), {INPUT}
    ),
    "url_text_input": _spec(
        {"initial_value", "dispatch_action_config", "focus_on_load", "placeholder"}, set(), {INPUT}
    ),
    "number_input": _spec(
        {
            "is_decimal_allowed",
            "initial_value",
            "min_value",
            "max_value",
            "dispatch_action_config",
            "focus_on_load",
            "placeholder",
        },
        {"is_decimal_allowed"},
        {INPUT},
    ),
    "rich_text_input": _spec(
        {"initial_value", "dispatch_action_config", "focus_on_load", "placeholder"}, set(), {INPUT}
    ),
    "file_input": _spec({"filetypes", "max_files"}, set(), {INPUT}),
    # Select menu element (static): options (max 100) or option_groups (max 100), initial_option.
    "static_select": _spec(
        {"options", "option_groups", "initial_option", *_SELECT}, set(), _ANY_BLOCK
    ),
    "external_select": _spec({"initial_option", "min_query_length", *_SELECT}, set(), _ANY_BLOCK),
    "users_select": _spec({"initial_user", *_SELECT}, set(), _ANY_BLOCK),
    "conversations_select": _spec(
        {
            "initial_conversation",
            "default_to_current_conversation",
            "response_url_enabled",
            "filter",
            *_SELECT,
        },
        set(),
        _ANY_BLOCK,
    ),
    "channels_select": _spec(
        {"initial_channel", "response_url_enabled", *_SELECT}, set(), _ANY_BLOCK
    ),
    # Multi-select menu element: as the selects, with initial_options and max_selected_items (>= 1).
    "multi_static_select": _spec(
        {"options", "option_groups", "initial_options", "max_selected_items", *_SELECT},
        set(),
        _ANY_BLOCK,
    ),
    "multi_external_select": _spec(
        {"initial_options", "min_query_length", "max_selected_items", *_SELECT}, set(), _ANY_BLOCK
    ),
    "multi_users_select": _spec(
        {"initial_users", "max_selected_items", *_SELECT}, set(), _ANY_BLOCK
    ),
    "multi_conversations_select": _spec(
        {
            "initial_conversations",
            "default_to_current_conversation",
            "max_selected_items",
            "filter",
            *_SELECT,
        },
        set(),
        _ANY_BLOCK,
    ),
    "multi_channels_select": _spec(
        {"initial_channels", "max_selected_items", *_SELECT}, set(), _ANY_BLOCK
    ),
    # Image element: image_url or slack_file, alt_text; section accessories and context blocks.
    "image": ElementSpec(
        frozenset({"type", "image_url", "slack_file", "alt_text"}),
        frozenset({"alt_text"}),
        frozenset({SECTION, CONTEXT}),
    ),
    "workflow_button": _spec(
        {"text", "workflow", "style", "accessibility_label"},
        {"text", "workflow"},
        {SECTION, ACTIONS},
    ),
}
# element type -> (most options, fewest options, option text may be mrkdwn, options may have url)
OPTION_RULES: dict[str, tuple[int, int, bool, bool]] = {
    "static_select": (100, 1, False, False),  # Select menu: "Maximum number of options is 100"
    "multi_static_select": (100, 1, False, False),
    "checkboxes": (10, 1, True, False),  # Checkboxes: "A maximum of 10 options are allowed"
    "radio_buttons": (10, 1, True, False),  # Radio buttons: "A maximum of 10 options"
    "overflow": (5, 1, False, True),  # Overflow: "up to five option objects"; url only here
}
OPTION_GROUPS_MAX = 100  # Option group object: "maximum number of 100 option groups"
GROUP_OPTIONS_MAX = 100  # Option group object: options "Maximum of 100 items" (per group)


def check_confirm(problems: Problems, obj: Any, pointer: str) -> None:
    """Confirmation dialog object: title (100), text (300), confirm (30), deny (30), all
    required and all plain_text; style primary or danger."""
    if not problems.object(obj, pointer):
        return
    problems.only_fields(obj, frozenset({"title", "text", "confirm", "deny", "style"}), pointer)
    for name, limit in (("title", 100), ("text", 300), ("confirm", 30), ("deny", 30)):
        check_text(problems, obj.get(name), f"{pointer}/{name}", limit=limit, plain_only=True)
    problems.choice(obj.get("style"), f"{pointer}/style", ("primary", "danger"))


def check_option(
    problems: Problems, option: Any, pointer: str, *, mrkdwn_ok: bool, url_ok: bool
) -> None:
    """Option object: text (75; plain_text except in radio buttons and checkboxes), value
    (required, 150), description (75), url (overflow menus only, 3000)."""
    if not problems.object(option, pointer):
        return
    problems.only_fields(option, frozenset({"text", "value", "description", "url"}), pointer)
    check_text(problems, option.get("text"), f"{pointer}/text", limit=75, plain_only=not mrkdwn_ok)
    if option.get("value") is None:
        problems.missing("value", pointer)
    problems.string(option.get("value"), f"{pointer}/value", limit=150)
    check_text(
        problems,
        option.get("description"),
        f"{pointer}/description",
        limit=75,
        plain_only=not mrkdwn_ok,
        required=False,
    )
    if option.get("url") is not None and not url_ok:
        problems.fail("url is only available in overflow menus", f"{pointer}/url")
    problems.string(option.get("url"), f"{pointer}/url", limit=3000)


def _option_list(
    problems: Problems,
    options: Any,
    pointer: str,
    *,
    most: int,
    fewest: int,
    mrkdwn_ok: bool,
    url_ok: bool,
) -> list[dict[str, Any]]:
    if not problems.array(options, pointer):
        return []
    if len(options) > most:
        problems.too_many(most, pointer)
    if len(options) < fewest:
        problems.too_few(fewest, pointer)
    for i, option in enumerate(options):
        check_option(problems, option, f"{pointer}/{i}", mrkdwn_ok=mrkdwn_ok, url_ok=url_ok)
    return [o for o in options if isinstance(o, dict)]


def _same_option(a: dict[str, Any], b: dict[str, Any]) -> bool:
    text_a, text_b = a.get("text") or {}, b.get("text") or {}
    return (
        a.get("value") == b.get("value")
        and isinstance(text_a, dict)
        and isinstance(text_b, dict)
        and text_a.get("type") == text_b.get("type")
        and text_a.get("text") == text_b.get("text")
    )


def check_options(problems: Problems, element: dict[str, Any], pointer: str, kind: str) -> None:
    """Options, option groups, unique values, and initial options that are among them."""
    most, fewest, mrkdwn_ok, url_ok = OPTION_RULES[kind]
    options: list[dict[str, Any]] = []
    has_options, has_groups = "options" in element, "option_groups" in element
    # Select menu: "If option_groups is specified, this field should not be" (and one is needed)
    if kind in ("static_select", "multi_static_select") and has_options == has_groups:
        problems.fail("must provide exactly one of options or option_groups", pointer)
    if has_groups and kind in ("static_select", "multi_static_select"):
        groups = element["option_groups"]
        if problems.array(groups, f"{pointer}/option_groups"):
            if len(groups) > OPTION_GROUPS_MAX:
                problems.too_many(OPTION_GROUPS_MAX, f"{pointer}/option_groups")
            for g, group in enumerate(groups):
                where = f"{pointer}/option_groups/{g}"
                if not problems.object(group, where):
                    continue
                problems.only_fields(group, frozenset({"label", "options"}), where)
                # Option group object: label plain_text, 75
                check_text(
                    problems, group.get("label"), f"{where}/label", limit=75, plain_only=True
                )
                options += _option_list(
                    problems,
                    group.get("options"),
                    f"{where}/options",
                    most=GROUP_OPTIONS_MAX,
                    fewest=1,
                    mrkdwn_ok=False,
                    url_ok=False,
                )
    elif has_options or kind not in ("static_select", "multi_static_select"):
        options = _option_list(
            problems,
            element.get("options"),
            f"{pointer}/options",
            most=most,
            fewest=fewest,
            mrkdwn_ok=mrkdwn_ok,
            url_ok=url_ok,
        )
    # Option object: value is "A unique string value"
    seen: set[Any] = set()
    for option in options:
        if option.get("value") in seen:
            problems.fail(f"duplicate option value: {option.get('value')}", pointer)
        seen.add(option.get("value"))
    _initial_among(problems, element, pointer, options)


def _initial_among(
    problems: Problems, element: dict[str, Any], pointer: str, options: list[dict[str, Any]]
) -> None:
    """initial_option(s): "exactly matches one (or more) of the options" (select menus,
    checkboxes, radio buttons)."""
    initial = element.get("initial_option")
    if initial is not None and not (
        isinstance(initial, dict) and any(_same_option(initial, o) for o in options)
    ):
        problems.fail("initial_option must match one of the options", f"{pointer}/initial_option")
    initials = element.get("initial_options")
    if initials is None:
        return
    if not problems.array(initials, f"{pointer}/initial_options"):
        return
    for i, chosen in enumerate(initials):
        if not (isinstance(chosen, dict) and any(_same_option(chosen, o) for o in options)):
            problems.fail(
                "initial_options must match the options", f"{pointer}/initial_options/{i}"
            )


def _check_specifics(problems: Problems, element: dict[str, Any], pointer: str, kind: str) -> None:
    get = element.get
    if kind == "button":
        check_text(problems, get("text"), f"{pointer}/text", limit=75, plain_only=True)
        problems.string(get("value"), f"{pointer}/value", limit=2000)
        problems.string(get("url"), f"{pointer}/url", limit=3000)
        problems.string(get("accessibility_label"), f"{pointer}/accessibility_label", limit=75)
        problems.choice(get("style"), f"{pointer}/style", ("primary", "danger"))
    elif kind == "plain_text_input":
        problems.integer(get("min_length"), f"{pointer}/min_length", low=0, high=3000)
        problems.integer(get("max_length"), f"{pointer}/max_length", low=1, high=3000)
        problems.boolean(get("multiline"), f"{pointer}/multiline")
        problems.string(get("initial_value"), f"{pointer}/initial_value")
        _initial_fits(problems, element, pointer)
    elif kind == "datepicker" and get("initial_date") is not None:
        try:
            dt.date.fromisoformat(str(get("initial_date")))
        except ValueError:
            problems.fail("must be a date in the format YYYY-MM-DD", f"{pointer}/initial_date")
    elif kind == "image":
        if get("image_url") is None and get("slack_file") is None:
            problems.missing("image_url", pointer)
        problems.string(get("alt_text"), f"{pointer}/alt_text", limit=2000)
        problems.string(get("image_url"), f"{pointer}/image_url", limit=3000)
    if "max_selected_items" in element:
        problems.integer(get("max_selected_items"), f"{pointer}/max_selected_items", low=1)
    if kind in OPTION_RULES:
        check_options(problems, element, pointer, kind)
    if "filter" in element:
        _check_filter(problems, get("filter"), f"{pointer}/filter")


def _initial_fits(problems: Problems, element: dict[str, Any], pointer: str) -> None:
    """A prefilled value longer than max_length is one the person could never submit."""
    initial, most = element.get("initial_value"), element.get("max_length")
    if isinstance(initial, str) and isinstance(most, int) and len(initial) > most:
        problems.too_long(most, f"{pointer}/initial_value")


def _check_filter(problems: Problems, obj: Any, pointer: str) -> None:
    """Conversation filter object: include (im, mpim, private, public), two booleans."""
    if not problems.object(obj, pointer):
        return
    problems.only_fields(
        obj,
        frozenset({"include", "exclude_external_shared_channels", "exclude_bot_users"}),
        pointer,
    )
    include = obj.get("include")
    if include is not None and problems.array(include, f"{pointer}/include"):
        for i, kind in enumerate(include):
            problems.choice(kind, f"{pointer}/include/{i}", ("im", "mpim", "private", "public"))
    problems.boolean(
        obj.get("exclude_external_shared_channels"), f"{pointer}/exclude_external_shared_channels"
    )
    problems.boolean(obj.get("exclude_bot_users"), f"{pointer}/exclude_bot_users")


def check_element(problems: Problems, element: Any, pointer: str, *, block: str) -> str | None:
    """One element inside a ``block`` (section, actions, input, context); returns its action_id."""
    if not problems.object(element, pointer):
        return None
    kind = element.get("type")
    spec = ELEMENTS.get(str(kind))
    if spec is None:
        problems.fail(f"unsupported type: {kind}", f"{pointer}/type")
        return None
    if block not in spec.blocks:
        problems.fail(f"{kind} is not allowed in a {block} block", f"{pointer}/type")
    problems.only_fields(element, spec.fields, pointer)
    for name in sorted(spec.required - set(element)):
        problems.missing(name, pointer)
    action_id = element.get("action_id")
    problems.string(action_id, f"{pointer}/action_id", limit=ACTION_ID_MAX, minimum=1)
    if "placeholder" in spec.fields:
        check_text(
            problems,
            element.get("placeholder"),
            f"{pointer}/placeholder",
            limit=PLACEHOLDER_MAX,
            plain_only=True,
            required=False,
        )
    if element.get("confirm") is not None:
        check_confirm(problems, element["confirm"], f"{pointer}/confirm")
    problems.boolean(element.get("focus_on_load"), f"{pointer}/focus_on_load")
    _check_specifics(problems, element, pointer, str(kind))
    return action_id if isinstance(action_id, str) else None
