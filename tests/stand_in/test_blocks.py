"""The stand-in's Block Kit validator: one broken surface per rule, each refused as Slack would.

Every case starts from a surface that passes and breaks exactly one rule, so a case that stops
failing means a rule was lost. Rules and their sources are in docs/slack-rules.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from network_bot.testing._stand_in_surfaces import (
    Refusal,
    check_ack,
    check_message,
    check_response_url_body,
    check_view,
)
from network_bot.testing._stand_in_text import markup_problems, slack_length

Json = dict[str, Any]


def plain(text: str) -> Json:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> Json:
    return {"type": "mrkdwn", "text": text}


def button(action_id: str, text: str = "Go", **extra: Any) -> Json:
    return {"type": "button", "action_id": action_id, "text": plain(text), **extra}


def option(text: str, value: str) -> Json:
    return {"text": plain(text), "value": value}


def select(**extra: Any) -> Json:
    return {
        "type": "static_select",
        "action_id": "pick",
        "options": [option("One", "1"), option("Two", "2")],
        **extra,
    }


def input_block(element: Json, block_id: str = "field", **extra: Any) -> Json:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain("Label"),
        "element": element,
        **extra,
    }


def message(*blocks: Json, text: str = "fallback") -> Refusal | None:
    return check_message(text=text, blocks=list(blocks))


def modal(*blocks: Json, **extra: Any) -> Json:
    view: Json = {"type": "modal", "title": plain("Title"), "blocks": list(blocks)}
    if any(b.get("type") == "input" for b in blocks):
        view["submit"] = plain("Send")
    view.update(extra)
    return view


def confirm(**changes: Any) -> Json:
    dialog = {
        "title": plain("Sure?"),
        "text": plain("It cannot be undone."),
        "confirm": plain("Yes"),
        "deny": plain("No"),
    }
    dialog.update(changes)
    return {k: v for k, v in dialog.items() if v is not None}


def section(text: str = "Hello", **extra: Any) -> Json:
    return {"type": "section", "text": mrkdwn(text), **extra}


def actions(*elements: Json, **extra: Any) -> Json:
    return {"type": "actions", "elements": list(elements), **extra}


def in_message(block: Json) -> Callable[[], Refusal | None]:
    return lambda: message(block)


def in_modal(*blocks: Json, **extra: Any) -> Callable[[], Refusal | None]:
    return lambda: check_view(modal(*blocks, **extra), kind="modal")


# (rule, what to check, Slack's error, the pointer it names)
CASES: list[tuple[str, Callable[[], Refusal | None], str, str]] = [
    # block and element types and their fields
    ("unknown block type", in_message({"type": "banner"}), "invalid_blocks", "/blocks/0/type"),
    (
        "unknown block field",
        in_message(section(colour="red")),
        "invalid_blocks",
        "/blocks/0/colour",
    ),
    (
        "unknown element type",
        in_message(actions({"type": "slider"})),
        "invalid_blocks",
        "/blocks/0/elements/0/type",
    ),
    (
        "unknown element field",
        in_message(actions(button("a", emoji=True))),
        "invalid_blocks",
        "/blocks/0/elements/0/emoji",
    ),
    (
        "text input outside an input block",
        in_message(actions({"type": "plain_text_input", "action_id": "t"})),
        "invalid_blocks",
        "/blocks/0/elements/0/type",
    ),
    (
        "markdown block in a modal",
        in_modal({"type": "markdown", "text": "x"}),
        "invalid_arguments",
        "/view/blocks/0/type",
    ),
    (
        "unknown text object field",
        in_message({"type": "section", "text": {"type": "mrkdwn", "text": "x", "bold": True}}),
        "invalid_blocks",
        "/blocks/0/text/bold",
    ),
    (
        "emoji on mrkdwn",
        in_message({"type": "section", "text": {"type": "mrkdwn", "text": "x", "emoji": True}}),
        "invalid_blocks",
        "/blocks/0/text/emoji",
    ),
    ("empty text", in_message(section("")), "invalid_blocks", "/blocks/0/text/text"),
    (
        "section without text or fields",
        in_message({"type": "section"}),
        "invalid_blocks",
        "/blocks/0",
    ),
    (
        "button without text",
        in_message(actions({"type": "button", "action_id": "a"})),
        "invalid_blocks",
        "/blocks/0/elements/0",
    ),
    # block counts
    (
        "51 blocks in a message",
        lambda: message(*[section() for _ in range(51)]),
        "invalid_blocks",
        "/blocks",
    ),
    (
        "101 blocks in a modal",
        in_modal(*[section() for _ in range(101)]),
        "invalid_arguments",
        "/view/blocks",
    ),
    (
        "101 blocks on Home",
        lambda: check_view({"type": "home", "blocks": [section()] * 101}, kind="home"),
        "invalid_arguments",
        "/view/blocks",
    ),
    # ids
    (
        "duplicate block_id",
        lambda: message(section(block_id="b"), section(block_id="b")),
        "invalid_blocks",
        "/blocks/1/block_id",
    ),
    (
        "block_id over 255",
        in_message(section(block_id="b" * 256)),
        "invalid_blocks",
        "/blocks/0/block_id",
    ),
    (
        "duplicate action_id in a block",
        in_message(actions(button("same"), button("same"))),
        "invalid_blocks",
        "/blocks/0/elements/1/action_id",
    ),
    (
        "action_id over 255",
        in_message(actions(button("a" * 256))),
        "invalid_blocks",
        "/blocks/0/elements/0/action_id",
    ),
    # plain_text where required
    (
        "mrkdwn header",
        in_message({"type": "header", "text": mrkdwn("Title")}),
        "invalid_blocks",
        "/blocks/0/text/type",
    ),
    (
        "mrkdwn button text",
        in_message(actions({"type": "button", "action_id": "a", "text": mrkdwn("Go")})),
        "invalid_blocks",
        "/blocks/0/elements/0/text/type",
    ),
    (
        "mrkdwn option in a select",
        in_modal(input_block(select(options=[{"text": mrkdwn("One"), "value": "1"}]))),
        "invalid_arguments",
        "/view/blocks/0/element/options/0/text/type",
    ),
    (
        "mrkdwn option in an overflow",
        in_message(
            actions(
                {
                    "type": "overflow",
                    "action_id": "o",
                    "options": [{"text": mrkdwn("One"), "value": "1"}],
                }
            )
        ),
        "invalid_blocks",
        "/blocks/0/elements/0/options/0/text/type",
    ),
    (
        "mrkdwn modal title",
        lambda: check_view({"type": "modal", "title": mrkdwn("T"), "blocks": []}, kind="modal"),
        "invalid_arguments",
        "/view/title/type",
    ),
    (
        "mrkdwn modal submit",
        in_modal(section(), submit=mrkdwn("Send")),
        "invalid_arguments",
        "/view/submit/type",
    ),
    (
        "mrkdwn modal close",
        in_modal(section(), close=mrkdwn("Cancel")),
        "invalid_arguments",
        "/view/close/type",
    ),
    (
        "mrkdwn input label",
        in_modal({**input_block(select()), "label": mrkdwn("L")}),
        "invalid_arguments",
        "/view/blocks/0/label/type",
    ),
    (
        "mrkdwn input hint",
        in_modal(input_block(select(), hint=mrkdwn("H"))),
        "invalid_arguments",
        "/view/blocks/0/hint/type",
    ),
    (
        "mrkdwn confirm title",
        in_message(actions(button("a", confirm=confirm(title=mrkdwn("Sure?"))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/title/type",
    ),
    (
        "mrkdwn confirm text",
        in_message(actions(button("a", confirm=confirm(text=mrkdwn("Sure?"))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/text/type",
    ),
    (
        "mrkdwn confirm button",
        in_message(actions(button("a", confirm=confirm(confirm=mrkdwn("Yes"))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/confirm/type",
    ),
    (
        "mrkdwn deny button",
        in_message(actions(button("a", confirm=confirm(deny=mrkdwn("No"))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/deny/type",
    ),
    (
        "confirm without deny",
        in_message(actions(button("a", confirm=confirm(deny=None)))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm",
    ),
    (
        "mrkdwn placeholder",
        in_modal(input_block(select(placeholder=mrkdwn("Pick")))),
        "invalid_arguments",
        "/view/blocks/0/element/placeholder/type",
    ),
    # lengths
    (
        "section text over 3000",
        in_message(section("a" * 3001)),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "section text over 3000 in UTF-16",
        in_message(section("\U0001f4f0" * 1501)),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "11 section fields",
        in_message({"type": "section", "fields": [mrkdwn("f")] * 11}),
        "invalid_blocks",
        "/blocks/0/fields",
    ),
    (
        "field over 2000",
        in_message({"type": "section", "fields": [mrkdwn("f" * 2001)]}),
        "invalid_blocks",
        "/blocks/0/fields/0/text",
    ),
    (
        "header over 150",
        in_message({"type": "header", "text": plain("h" * 151)}),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "11 context elements",
        in_message({"type": "context", "elements": [mrkdwn("c")] * 11}),
        "invalid_blocks",
        "/blocks/0/elements",
    ),
    (
        "empty context",
        in_message({"type": "context", "elements": []}),
        "invalid_blocks",
        "/blocks/0/elements",
    ),
    (
        "26 actions elements",
        in_message(actions(*[button(f"b{i}") for i in range(26)])),
        "invalid_blocks",
        "/blocks/0/elements",
    ),
    (
        "button text over 75",
        in_message(actions(button("a", "b" * 76))),
        "invalid_blocks",
        "/blocks/0/elements/0/text/text",
    ),
    (
        "button value over 2000",
        in_message(actions(button("a", value="v" * 2001))),
        "invalid_blocks",
        "/blocks/0/elements/0/value",
    ),
    (
        "button url over 3000",
        in_message(actions(button("a", url="https://x.org/" + "p" * 2990))),
        "invalid_blocks",
        "/blocks/0/elements/0/url",
    ),
    (
        "button style",
        in_message(actions(button("a", style="green"))),
        "invalid_blocks",
        "/blocks/0/elements/0/style",
    ),
    (
        "confirm title over 100",
        in_message(actions(button("a", confirm=confirm(title=plain("t" * 101))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/title/text",
    ),
    (
        "confirm text over 300",
        in_message(actions(button("a", confirm=confirm(text=plain("t" * 301))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/text/text",
    ),
    (
        "confirm button over 30",
        in_message(actions(button("a", confirm=confirm(confirm=plain("y" * 31))))),
        "invalid_blocks",
        "/blocks/0/elements/0/confirm/confirm/text",
    ),
    (
        "input label over 2000",
        in_modal({**input_block(select()), "label": plain("l" * 2001)}),
        "invalid_arguments",
        "/view/blocks/0/label/text",
    ),
    (
        "input hint over 2000",
        in_modal(input_block(select(), hint=plain("h" * 2001))),
        "invalid_arguments",
        "/view/blocks/0/hint/text",
    ),
    (
        "placeholder over 150",
        in_modal(input_block(select(placeholder=plain("p" * 151)))),
        "invalid_arguments",
        "/view/blocks/0/element/placeholder/text",
    ),
    (
        "option text over 75",
        in_modal(input_block(select(options=[option("o" * 76, "1")]))),
        "invalid_arguments",
        "/view/blocks/0/element/options/0/text/text",
    ),
    (
        "option value over 150",
        in_modal(input_block(select(options=[option("One", "v" * 151)]))),
        "invalid_arguments",
        "/view/blocks/0/element/options/0/value",
    ),
    (
        "option description over 75",
        in_modal(
            input_block(
                {
                    "type": "checkboxes",
                    "action_id": "c",
                    "options": [{**option("One", "1"), "description": plain("d" * 76)}],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/options/0/description/text",
    ),
    (
        "option group label over 75",
        in_modal(
            input_block(
                {
                    "type": "static_select",
                    "action_id": "s",
                    "option_groups": [{"label": plain("g" * 76), "options": [option("One", "1")]}],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/option_groups/0/label/text",
    ),
    (
        "text input max_length over 3000",
        in_modal(input_block({"type": "plain_text_input", "action_id": "t", "max_length": 3001})),
        "invalid_arguments",
        "/view/blocks/0/element/max_length",
    ),
    (
        "text input min_length below 0",
        in_modal(input_block({"type": "plain_text_input", "action_id": "t", "min_length": -1})),
        "invalid_arguments",
        "/view/blocks/0/element/min_length",
    ),
    (
        "initial value longer than max_length",
        in_modal(
            input_block(
                {
                    "type": "plain_text_input",
                    "action_id": "t",
                    "max_length": 5,
                    "initial_value": "toolong",
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/initial_value",
    ),
    (
        "private_metadata over 3000",
        in_modal(section(), private_metadata="m" * 3001),
        "invalid_arguments",
        "/view/private_metadata",
    ),
    (
        "callback_id over 255",
        in_modal(section(), callback_id="c" * 256),
        "invalid_arguments",
        "/view/callback_id",
    ),
    (
        "modal title over 24",
        lambda: check_view({"type": "modal", "title": plain("t" * 25), "blocks": []}, kind="modal"),
        "invalid_arguments",
        "/view/title/text",
    ),
    (
        "modal submit over 24",
        in_modal(section(), submit=plain("s" * 25)),
        "invalid_arguments",
        "/view/submit/text",
    ),
    (
        "modal close over 24",
        in_modal(section(), close=plain("c" * 25)),
        "invalid_arguments",
        "/view/close/text",
    ),
    (
        "input blocks without submit",
        lambda: check_view(
            {"type": "modal", "title": plain("T"), "blocks": [input_block(select())]}, kind="modal"
        ),
        "invalid_arguments",
        "/view/submit",
    ),
    # option, option-group, checkbox, radio and overflow counts
    (
        "101 select options",
        in_modal(input_block(select(options=[option(str(i), str(i)) for i in range(101)]))),
        "invalid_arguments",
        "/view/blocks/0/element/options",
    ),
    (
        "101 option groups",
        in_modal(
            input_block(
                {
                    "type": "static_select",
                    "action_id": "s",
                    "option_groups": [
                        {"label": plain("g"), "options": [option(str(i), str(i))]}
                        for i in range(101)
                    ],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/option_groups",
    ),
    (
        "101 options in a group",
        in_modal(
            input_block(
                {
                    "type": "static_select",
                    "action_id": "s",
                    "option_groups": [
                        {
                            "label": plain("g"),
                            "options": [option(str(i), str(i)) for i in range(101)],
                        }
                    ],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/option_groups/0/options",
    ),
    (
        "options and option_groups",
        in_modal(
            input_block(
                select(option_groups=[{"label": plain("g"), "options": [option("One", "9")]}])
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element",
    ),
    (
        "11 checkboxes",
        in_modal(
            input_block(
                {
                    "type": "checkboxes",
                    "action_id": "c",
                    "options": [option(str(i), str(i)) for i in range(11)],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/options",
    ),
    (
        "11 radio buttons",
        in_modal(
            input_block(
                {
                    "type": "radio_buttons",
                    "action_id": "r",
                    "options": [option(str(i), str(i)) for i in range(11)],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/options",
    ),
    (
        "6 overflow options",
        in_message(
            actions(
                {
                    "type": "overflow",
                    "action_id": "o",
                    "options": [option(str(i), str(i)) for i in range(6)],
                }
            )
        ),
        "invalid_blocks",
        "/blocks/0/elements/0/options",
    ),
    (
        "duplicate option value",
        in_modal(input_block(select(options=[option("One", "1"), option("Uno", "1")]))),
        "invalid_arguments",
        "/view/blocks/0/element",
    ),
    (
        "url in a select option",
        in_modal(input_block(select(options=[{**option("One", "1"), "url": "https://x.org"}]))),
        "invalid_arguments",
        "/view/blocks/0/element/options/0/url",
    ),
    # initial options among the options
    (
        "initial_option not an option",
        in_modal(input_block(select(initial_option=option("Three", "3")))),
        "invalid_arguments",
        "/view/blocks/0/element/initial_option",
    ),
    (
        "initial_option with other text",
        in_modal(input_block(select(initial_option=option("Eins", "1")))),
        "invalid_arguments",
        "/view/blocks/0/element/initial_option",
    ),
    (
        "initial_options not options",
        in_modal(
            input_block(
                {
                    "type": "checkboxes",
                    "action_id": "c",
                    "options": [option("One", "1")],
                    "initial_options": [option("Two", "2")],
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/initial_options/0",
    ),
    (
        "radio initial_option not an option",
        in_modal(
            input_block(
                {
                    "type": "radio_buttons",
                    "action_id": "r",
                    "options": [option("One", "1")],
                    "initial_option": option("Two", "2"),
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/initial_option",
    ),
    (
        "datepicker initial_date",
        in_modal(
            input_block({"type": "datepicker", "action_id": "d", "initial_date": "02/11/2026"})
        ),
        "invalid_arguments",
        "/view/blocks/0/element/initial_date",
    ),
    (
        "conversation filter",
        in_modal(
            input_block(
                {
                    "type": "multi_conversations_select",
                    "action_id": "c",
                    "filter": {"include": ["everything"]},
                }
            )
        ),
        "invalid_arguments",
        "/view/blocks/0/element/filter/include/0",
    ),
    # the top-level text fallback, and mrkdwn that parses
    (
        "no text fallback with blocks",
        lambda: message(section(), text=""),
        "invalid_arguments",
        "/text",
    ),
    ("cut entity", in_message(section("Reporters &am")), "invalid_blocks", "/blocks/0/text/text"),
    (
        "entity Slack does not decode",
        in_message(section("it&#39;s")),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "unclosed link",
        in_message(section("See <https://example.org/case|the cas")),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "unescaped < in text",
        in_message(section("1 < 2 and <b>bold</b>")),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "unescaped > mid-line",
        in_message(section("then -> now")),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "cut entity in a link label",
        in_message(section("<https://x.org/?a=1|R &am>")),
        "invalid_blocks",
        "/blocks/0/text/text",
    ),
    (
        "cut entity in the fallback",
        lambda: message(section(), text="Reporters &am"),
        "invalid_arguments",
        "/text",
    ),
    (
        "cut entity in a context",
        in_message({"type": "context", "elements": [mrkdwn("a &l")]}),
        "invalid_blocks",
        "/blocks/0/elements/0/text",
    ),
]


@pytest.mark.parametrize(("rule", "check", "error", "pointer"), CASES, ids=[c[0] for c in CASES])
def test_each_rule_is_refused_with_slacks_error_and_pointer(
    rule: str, check: Callable[[], Refusal | None], error: str, pointer: str
) -> None:
    refused = check()
    assert refused is not None, f"{rule}: accepted"
    assert refused.error == error
    assert any(f"[json-pointer:{pointer}]" in m for m in refused.messages), refused.messages
    assert all(m.startswith("[ERROR] ") for m in refused.messages)


def test_the_surfaces_each_case_breaks_pass_unbroken() -> None:
    """The starting points are valid, so each case above fails for its one rule alone."""
    assert message(section(), actions(button("a"), button("b", confirm=confirm()))) is None
    assert message({"type": "header", "text": plain("h" * 150)}, section("a" * 3000)) is None
    full = modal(
        input_block(select(initial_option=option("Two", "2"), placeholder=plain("p" * 150))),
        input_block(
            {
                "type": "checkboxes",
                "action_id": "c",
                "options": [option("One", "1")],
                "initial_options": [option("One", "1")],
            },
            block_id="checks",
        ),
        input_block(
            {
                "type": "plain_text_input",
                "action_id": "t",
                "max_length": 3000,
                "initial_value": "x",
            },
            block_id="text",
        ),
        private_metadata="m" * 3000,
        callback_id="c" * 255,
        title=plain("t" * 24),
    )
    assert check_view(full, kind="modal") is None
    assert check_view({"type": "home", "blocks": [section()] * 100}, kind="home") is None
    assert message(*[section() for _ in range(50)]) is None


@pytest.mark.parametrize(
    "text",
    [
        "food & water",  # a lone & is shown as it is
        "R&amp;D &lt;b&gt; and 1 &gt; 0",
        "<@U0ALICE01> and <@U0ALICE01|alice>, <#C0GENERAL|general>, <!here>",
        "<!date^1392734382^{date_num}|2014-02-18>",
        "<https://example.org/?a=1&amp;b=2|the &amp; report>",
        "<mailto:desk@example.org|write> <example.org|schemeless> <desk@example.org>",
        "> a quote\n> on two lines",
        "emoji :newspaper: \U0001f4f0 and \u0627\u0644\u0635\u062d\u0627\u0641\u0629",
    ],
)
def test_well_formed_mrkdwn_is_accepted(text: str) -> None:
    assert markup_problems(text) == []
    assert message(section(text), text=text) is None


def test_lengths_are_counted_in_utf16_units() -> None:
    assert slack_length("a") == 1
    assert slack_length("\U0001f4f0") == 2  # outside the Basic Multilingual Plane
    assert slack_length("\u00e9") == 1


def test_response_url_bodies_are_checked_like_messages() -> None:
    assert check_response_url_body({"text": "ok", "response_type": "ephemeral"}) is None
    assert check_response_url_body({"delete_original": True}) is None
    wrong_type = check_response_url_body({"text": "ok", "response_type": "everyone"})
    assert wrong_type is not None and "/response_type" in wrong_type.messages[0]
    bad_blocks = check_response_url_body(
        {"text": "ok", "blocks": [actions(button("a"), button("a"))], "replace_original": True}
    )
    assert bad_blocks is not None and bad_blocks.error == "invalid_blocks"


def test_acks_are_checked_for_their_kind_of_request() -> None:
    view = modal(input_block(select(), block_id="country"))
    assert check_ack("view_submission", None, view=view) is None
    assert (
        check_ack(
            "view_submission",
            {"response_action": "errors", "errors": {"country": "Pick one."}},
            view=view,
        )
        is None
    )
    unknown = check_ack(
        "view_submission", {"response_action": "errors", "errors": {"nope": "x"}}, view=view
    )
    assert unknown is not None and "[json-pointer:/errors/nope]" in unknown.messages[0]
    bogus = check_ack("view_submission", {"response_action": "close"}, view=view)
    assert bogus is not None and "/response_action" in bogus.messages[0]
    broken = copy.deepcopy(view)
    broken["title"] = mrkdwn("T")
    update = check_ack("view_submission", {"response_action": "update", "view": broken}, view=view)
    assert update is not None and "[json-pointer:/view/title/type]" in update.messages[0]

    assert check_ack("block_suggestion", {"options": [option("One", "1")]}) is None
    many = check_ack("block_suggestion", {"options": [option(str(i), str(i)) for i in range(101)]})
    assert many is not None and "[json-pointer:/options]" in many.messages[0]
    styled = check_ack("block_suggestion", {"options": [{"text": mrkdwn("*One*"), "value": "1"}]})
    assert styled is not None and "/options/0/text/type" in styled.messages[0]
    neither = check_ack("block_suggestion", {})
    assert neither is not None

    assert check_ack("slash_command", None) is None
    command = check_ack("slash_command", {"text": "x", "blocks": [section("")]})
    assert command is not None and command.error == "invalid_blocks"
    kind = check_ack("slash_command", {"text": "x", "response_type": "loud"})
    assert kind is not None and "/response_type" in kind.messages[0]
    assert check_ack("block_actions", {"anything": True}) is None  # Slack reads only the status


# --- over HTTP: Slack's answers, and every refusal recorded as a violation ------------------


async def test_web_api_answers_invalid_blocks_like_slack_and_records_it(tmp_path: Any) -> None:
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    from network_bot.testing.stand_in import SlackStandIn

    async with SlackStandIn() as slack:
        slack.add_user("U0ALICE01", "alice")
        slack.add_channel("C0GENERAL", "general")
        client = AsyncWebClient(token=slack.bot_token, base_url=slack.api_url, retry_handlers=[])
        twins = [actions(button("alert.respond"), button("alert.respond"))]
        with pytest.raises(SlackApiError) as caught:
            await client.chat_postMessage(channel="C0GENERAL", text="x", blocks=twins)
        answer = caught.value.response
        assert answer["ok"] is False and answer["error"] == "invalid_blocks"
        pointer = "[json-pointer:/blocks/0/elements/1/action_id]"
        assert any(pointer in m for m in answer["response_metadata"]["messages"])
        assert any(pointer in e and not e.startswith("[ERROR]") for e in answer["errors"])
        posted = await client.chat_postMessage(channel="C0GENERAL", text="ok")
        with pytest.raises(SlackApiError):
            await client.chat_update(channel="C0GENERAL", ts=posted["ts"], text="x", blocks=twins)
        with pytest.raises(SlackApiError):
            await client.chat_postEphemeral(
                channel="C0GENERAL", user="U0ALICE01", text="x", blocks=twins
            )
        with pytest.raises(SlackApiError) as home:
            await client.views_publish(
                user_id="U0ALICE01", view={"type": "home", "blocks": [section("a &am")]}
            )
        assert home.value.response["error"] == "invalid_arguments"
        url = slack.new_response_url(channel_id="C0GENERAL", user_id="U0ALICE01")
        from slack_sdk.webhook.async_client import AsyncWebhookClient

        refused = await AsyncWebhookClient(url).send_dict({"text": "x", "blocks": twins})
        assert refused.status_code == 400 and refused.body == "invalid_blocks"
        where = [v.where for v in slack.violations]
        assert where == [
            "chat.postMessage",
            "chat.update",
            "chat.postEphemeral",
            "views.publish",
            "response_url",
        ]
        assert slack.messages("C0GENERAL")[0]["text"] == "ok"  # the refused update changed nothing


async def test_a_strict_harness_fails_when_slack_would_have_refused_something(
    tmp_path: Any,
) -> None:
    from slack_sdk.errors import SlackApiError

    from network_bot.testing.harness import Harness

    harness = Harness(db_path=tmp_path / "bot.sqlite3")
    await harness.start()
    with pytest.raises(SlackApiError):
        await harness.running.slack.chat_postMessage(
            channel="C0GENERAL", text="x", blocks=[{"type": "header", "text": mrkdwn("*no*")}]
        )
    with pytest.raises(AssertionError, match="Slack would have refused"):
        await harness.stop()


async def test_the_driver_holds_acks_to_slacks_rules(tmp_path: Any) -> None:
    """An ack Slack would refuse reaches the test as ``slack_error`` and is a violation."""
    from aiohttp import web

    from network_bot.testing.driver import SlackDriver
    from network_bot.testing.stand_in import SlackStandIn

    answers: list[Json] = [
        {"text": "fine"},
        {"text": "x", "blocks": [{"type": "header", "text": mrkdwn("*no*")}]},
    ]

    async def endpoint(request: web.Request) -> web.Response:
        return web.json_response(answers.pop(0))

    app = web.Application()
    app.router.add_post("/slack/events", endpoint)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with SlackStandIn() as slack:
            slack.add_user("U0ALICE01", "alice")
            slack.add_channel("C0GENERAL", "general")
            driver = SlackDriver(
                endpoint=f"http://127.0.0.1:{port}/slack/events",
                signing_secret="s" * 32,
                stand_in=slack,
            )
            async with driver:
                good = await driver.command("U0ALICE01", "/network", "help")
                bad = await driver.command("U0ALICE01", "/network", "help")
            assert good.slack_error is None
            assert bad.slack_error is not None and bad.slack_error.startswith("invalid_blocks")
            assert [v.where for v in slack.violations] == ["ack to slash_command"]
    finally:
        await runner.cleanup()
