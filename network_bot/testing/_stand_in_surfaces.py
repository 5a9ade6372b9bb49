"""Whole surfaces as Slack checks them: messages, modals, Home tabs, response_url bodies, acks.

Each check returns a :class:`Refusal` (the ``error`` and ``response_metadata.messages`` Slack
answers with) or None. The Web API methods, the response_url endpoint, the driver (for the acks
the bot returns over HTTP) and the Socket Mode hub all use these, so every surface the bot sends is
held to the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from network_bot.testing._stand_in_blocks import check_blocks
from network_bot.testing._stand_in_elements import check_option
from network_bot.testing._stand_in_text import Problems, check_markup, check_text, slack_length

ViewKind = Literal["modal", "home"]

MESSAGE_TEXT = 40_000  # chat.postMessage: msg_too_long past 40,000 characters
MODAL_TITLE = 24  # Modal view: title, close and submit "max length of 24 characters"
PRIVATE_METADATA = 3000  # View object: private_metadata "Max length of 3000 characters"
CALLBACK_ID = 255  # View object: callback_id "Maximum length of 255 characters"
SUGGESTION_OPTIONS = 100  # External select options load: up to 100 options or option groups

_MODAL_FIELDS = frozenset(
    {
        "type",
        "title",
        "blocks",
        "close",
        "submit",
        "private_metadata",
        "callback_id",
        "clear_on_close",
        "notify_on_close",
        "external_id",
        "submit_disabled",
    }
)
_HOME_FIELDS = frozenset({"type", "blocks", "private_metadata", "callback_id", "external_id"})


@dataclass(frozen=True)
class Refusal:
    """What Slack answers instead of acting: ``ok: false`` with this error and these messages."""

    error: str
    messages: list[str] = field(default_factory=list)


def _refusal(error: str, problems: Problems) -> Refusal | None:
    return Refusal(error, list(problems.messages)) if problems else None


def check_message(
    *, text: Any, blocks: Any, attachments: Any = None, mrkdwn: Any = True
) -> Refusal | None:
    """A message body (chat.postMessage, chat.postEphemeral, chat.update, a response_url post or
    a slash command's ack). ``no_text`` and ``msg_too_long`` are Slack's own method errors."""
    if not text and not blocks and not attachments:
        return Refusal("no_text")
    if text is not None and not isinstance(text, str):
        return Refusal("invalid_arguments", ["[ERROR] must be a string [json-pointer:/text]"])
    if isinstance(text, str) and slack_length(text) > MESSAGE_TEXT:
        return Refusal("msg_too_long")
    if blocks is not None:
        if isinstance(blocks, str):
            return Refusal("invalid_blocks_format")
        problems = Problems()
        check_blocks(blocks, "/blocks", surface="message", problems=problems)
        if problems:
            return Refusal("invalid_blocks", problems.messages)
    problems = Problems()
    # chat.postMessage, "text": with blocks, text "is used as a fallback string to display in
    # notifications"; Slack accepts its absence with a warning, the stand-in refuses it.
    if blocks and not (isinstance(text, str) and text.strip()):
        problems.missing("text (the notification fallback when blocks are given)", "/text")
    # Top-level text is parsed as mrkdwn unless mrkdwn is false.
    if isinstance(text, str) and mrkdwn is not False:
        check_markup(problems, text, "/text")
    return _refusal("invalid_arguments", problems)


def check_view(view: Any, *, kind: ViewKind) -> Refusal | None:
    """A view for views.open/push/update/publish or a ``response_action`` ack."""
    problems = Problems()
    if not isinstance(view, dict):
        problems.missing("view", "/")
        return _refusal("invalid_arguments", problems)
    if view.get("type") != kind:
        problems.fail(f"must be {kind}", "/view/type")
    problems.only_fields(view, _MODAL_FIELDS if kind == "modal" else _HOME_FIELDS, "/view")
    if kind == "modal":
        check_text(problems, view.get("title"), "/view/title", limit=MODAL_TITLE, plain_only=True)
        for name in ("submit", "close"):
            check_text(
                problems,
                view.get(name),
                f"/view/{name}",
                limit=MODAL_TITLE,
                plain_only=True,
                required=False,
            )
        # Modal view: "submit is required when an input block is within the blocks array"
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        if has_input and view.get("submit") is None:
            problems.fail(
                "must provide a submit button when input blocks are present", "/view/submit"
            )
        for name in ("clear_on_close", "notify_on_close", "submit_disabled"):
            problems.boolean(view.get(name), f"/view/{name}")
    if view.get("blocks") is None:
        problems.missing("blocks", "/view")
    check_blocks(view.get("blocks"), "/view/blocks", surface=kind, problems=problems)
    problems.string(view.get("private_metadata"), "/view/private_metadata", limit=PRIVATE_METADATA)
    problems.string(view.get("callback_id"), "/view/callback_id", limit=CALLBACK_ID)
    problems.string(view.get("external_id"), "/view/external_id")
    return _refusal("invalid_arguments", problems)


def check_response_url_body(body: dict[str, Any]) -> Refusal | None:
    """A post to a response_url (Handling user interaction, "Message responses"):
    ``response_type`` ephemeral or in_channel; ``delete_original`` needs nothing else."""
    if body.get("delete_original"):
        return None
    problems = Problems()
    problems.choice(body.get("response_type"), "/response_type", ("ephemeral", "in_channel"))
    for name in ("replace_original", "delete_original"):
        problems.boolean(body.get(name), f"/{name}")
    if problems:
        return _refusal("invalid_arguments", problems)
    return check_message(
        text=body.get("text"),
        blocks=body.get("blocks"),
        attachments=body.get("attachments"),
        mrkdwn=body.get("mrkdwn", True),
    )


def _input_block_ids(view: dict[str, Any] | None) -> set[str]:
    blocks = (view or {}).get("blocks") or []
    return {
        str(b.get("block_id")) for b in blocks if isinstance(b, dict) and b.get("type") == "input"
    }


def check_submission_ack(body: dict[str, Any], *, view: dict[str, Any] | None) -> Refusal | None:
    """The ack to a view_submission (Modals, "Responding to view_submission"): empty closes the
    view; ``response_action`` is errors (keyed by input block_ids of that view), update, push (a
    modal each) or clear."""
    if not body:
        return None
    problems = Problems()
    action = body.get("response_action")
    problems.only_fields(body, frozenset({"response_action", "view", "errors"}), "")
    if action not in ("errors", "update", "push", "clear"):
        problems.fail("must be one of errors, update, push, clear", "/response_action")
    elif action == "errors":
        errors = body.get("errors")
        if not isinstance(errors, dict) or not errors:
            problems.fail("must be a non-empty object", "/errors")
        else:
            known = _input_block_ids(view)
            for block_id, message in errors.items():
                if block_id not in known:
                    problems.fail(f"no input block {block_id} in the view", f"/errors/{block_id}")
                problems.string(message, f"/errors/{block_id}", minimum=1)
    elif action in ("update", "push"):
        refused = check_view(body.get("view"), kind="modal")
        if refused is not None:
            return refused
    return _refusal("invalid_arguments", problems)


def check_suggestion_ack(body: dict[str, Any]) -> Refusal | None:
    """The ack to a block_suggestion (Select menu of external data source): ``options`` or
    ``option_groups``, at most 100, options in plain_text."""
    problems = Problems()
    has_options, has_groups = "options" in body, "option_groups" in body
    if has_options == has_groups:
        problems.fail("must provide exactly one of options or option_groups", "")
        return _refusal("invalid_arguments", problems)
    name = "options" if has_options else "option_groups"
    items = body[name]
    if problems.array(items, f"/{name}") and len(items) > SUGGESTION_OPTIONS:
        problems.too_many(SUGGESTION_OPTIONS, f"/{name}")
    pairs: list[tuple[Any, str]] = []
    if has_options and isinstance(items, list):
        pairs = [(option, f"/options/{i}") for i, option in enumerate(items)]
    elif isinstance(items, list):
        for g, group in enumerate(items):
            where = f"/option_groups/{g}"
            if problems.object(group, where):
                check_text(
                    problems, group.get("label"), f"{where}/label", limit=75, plain_only=True
                )
                pairs += [
                    (o, f"{where}/options/{i}") for i, o in enumerate(group.get("options") or [])
                ]
    for option, where in pairs:
        check_option(problems, option, where, mrkdwn_ok=False, url_ok=False)
    return _refusal("invalid_arguments", problems)


def check_ack(
    kind: str, body: dict[str, Any] | None, *, view: dict[str, Any] | None = None
) -> Refusal | None:
    """The HTTP (or Socket Mode) ack the bot returned for a request of this ``kind``."""
    body = body or {}
    if kind == "slash_command":
        if not body:
            return None
        problems = Problems()
        problems.choice(body.get("response_type"), "/response_type", ("ephemeral", "in_channel"))
        if problems:
            return _refusal("invalid_arguments", problems)
        return check_message(
            text=body.get("text"), blocks=body.get("blocks"), attachments=body.get("attachments")
        )
    if kind == "view_submission":
        return check_submission_ack(body, view=view)
    if kind == "block_suggestion":
        return check_suggestion_ack(body)
    return None  # block_actions, view_closed and events: Slack only reads the status
