"""Block Kit builders: the only code that knows Slack's size limits and how to escape text.

Every string a member typed passes through :func:`escape` (here, once) before it reaches mrkdwn,
so nobody can make the bot ping ``<!channel>`` or forge a mention or a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import regex

from network_bot.slack_ids import MENTIONABLE_ID

Block = dict[str, Any]

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100  # modals and the Home tab
SECTION_TEXT = 3000
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
MODAL_TITLE = 24
MODAL_BUTTON = 24
PRIVATE_METADATA = 3000
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS = 100
ACTIONS_ELEMENTS = 25
INPUT_LABEL = 2000
PLACEHOLDER = 150
MESSAGE_TEXT = 40_000

_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITY_TEXT = {"amp": "&", "lt": "<", "gt": ">"}
# What truncation never splits: one of Slack's three entities, a whole <…> (link, mention,
# channel), or one user-perceived character (an extended grapheme cluster: an emoji with its
# modifiers and joiners, a letter with its combining marks).
_ATOM = regex.compile(r"&(?:amp|lt|gt);|<[^<>]*>|\X")
ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` once, in one pass (so a typed ``&amp;lt;``
    becomes ``&lt;``, not ``<``). Only these three entities: Slack encodes nothing else."""
    return _ENTITY.sub(lambda m: _ENTITY_TEXT[m.group(1)], text)


def slack_len(text: str) -> int:
    """A length as Slack's limits are counted here: UTF-16 code units.

    Slack's reference says "characters" without saying which kind; an emoji outside the Basic
    Multilingual Plane is one code point but two UTF-16 units, so counting units never lets a text
    past a limit under either reading (docs/slack-rules.md)."""
    return len(text.encode("utf-16-le")) // 2


def fallback(text: str) -> str:
    """A message's top-level ``text``: Slack parses it for notifications, so it is escaped
    exactly once whether or not the caller had escaped it already."""
    return truncate(escape(unescape(text)), 3000)


def truncate(text: str, limit: int) -> str:
    """Cut to at most ``limit`` (in :func:`slack_len`), marking the cut with an ellipsis.

    The cut falls between whole entities, links, mentions and graphemes, never inside one, so an
    escaped ``&amp;`` or a ``<https://…|label>`` is kept whole or left out whole."""
    if slack_len(text) <= limit:
        return text
    budget = limit - slack_len(ELLIPSIS)
    kept: list[str] = []
    used = 0
    for match in _ATOM.finditer(text):
        size = slack_len(match.group())
        if used + size > budget:
            break
        kept.append(match.group())
        used += size
    return "".join(kept).rstrip() + ELLIPSIS if limit > 0 else ""


def safe(text: str, limit: int = SECTION_TEXT) -> str:
    """Member text ready for mrkdwn: escaped, then cut to fit."""
    return truncate(escape(text), limit)


def quoted_sections(text: str, *, size: int = 2800) -> list[Block]:
    """Member text shown whole, however long: escaped, in sections that each fit Slack's limit
    (cut at a line or a space where there is one)."""
    pieces: list[str] = []
    rest = text
    while rest:
        cut = len(rest)
        if len(escape(rest)) > size:
            cut = size
            while len(escape(rest[:cut])) > size:
                cut -= 100
            space = max(rest.rfind("\n", 0, cut), rest.rfind(" ", 0, cut))
            cut = space + 1 if space > cut // 2 else cut
        pieces.append(rest[:cut])
        rest = rest[cut:]
    return [section("```" + escape(piece) + "```") for piece in pieces]


def mention(user_id: str) -> str:
    """A real mention for an ID we checked ourselves; anything else is shown as text."""
    return f"<@{user_id}>" if MENTIONABLE_ID.match(user_id) else escape(user_id)


def channel_link(channel_id: str) -> str:
    return f"<#{channel_id}>" if MENTIONABLE_ID.match(channel_id) else escape(channel_id)


def link(url: str, label: str) -> str:
    """A link whose URL and label cannot break out of Slack's ``<url|label>`` markup.

    ``&`` in the URL is sent as ``&amp;`` like everywhere else in mrkdwn (Slack decodes it);
    characters that would end the markup are percent-encoded."""
    clean_url = escape(
        url.replace("<", "%3C").replace(">", "%3E").replace("|", "%7C").replace(" ", "%20")
    )
    clean_label = escape(label).replace("|", "¦")
    return f"<{clean_url}|{truncate(clean_label, 300)}>"


def plain(text: str, limit: int, *, emoji: bool = True) -> dict[str, Any]:
    """A plain_text object from raw (unescaped) text: Slack parses no markup in it, so nothing
    is escaped and only the length matters."""
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": emoji}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    """An mrkdwn object from text the caller already escaped (see :func:`safe`)."""
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def section(text: str, *, accessory: Block | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory is not None:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def line_sections(title: str, lines: Sequence[str]) -> list[Block]:
    """``title`` and ``lines`` (escaped mrkdwn) in as many sections as it takes to keep each
    within Slack's 3,000 characters, never splitting a line; a line too long on its own is cut
    whole-atom by :func:`truncate`."""
    sections: list[Block] = []
    current = title
    for line in lines:
        candidate = f"{current}\n{line}" if current else line
        if slack_len(candidate) <= SECTION_TEXT:
            current = candidate
            continue
        if current:
            sections.append(section(current))
        current = truncate(line, SECTION_TEXT)
    if current or not sections:
        sections.append(section(current or " "))
    return sections


def fields(pairs: Sequence[tuple[str, str]]) -> Block:
    """A section of up to ten label/value fields (values already escaped)."""
    items = [mrkdwn(f"*{label}*\n{value}", FIELD_TEXT) for label, value in pairs[:10]]
    return {"type": "section", "fields": items}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:CONTEXT_ELEMENTS]]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str,
    *,
    action_id: str,
    value: str = "",
    style: str | None = None,
    url: str | None = None,
    confirm: dict[str, Any] | None = None,
) -> Block:
    if len(value) > BUTTON_VALUE:
        raise ValueError(f"button value over {BUTTON_VALUE} characters")
    element: Block = {"type": "button", "text": plain(text, BUTTON_TEXT), "action_id": action_id}
    if value:
        element["value"] = value
    if style in {"primary", "danger"}:
        element["style"] = style
    if url:
        element["url"] = url
    if confirm:
        element["confirm"] = confirm
    return element


def confirm_dialog(title: str, text: str, *, yes: str, no: str) -> dict[str, Any]:
    """A confirmation dialog; every text in it is plain_text (Confirmation dialog object), so
    ``text`` is raw, not mrkdwn."""
    return {
        "title": plain(title, 100),
        "text": plain(text, 300),
        "confirm": plain(yes, 30),
        "deny": plain(no, 30),
    }


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements[:ACTIONS_ELEMENTS])}
    if block_id:
        block["block_id"] = block_id
    return block


def option(text: str, value: str, *, description: str | None = None) -> dict[str, Any]:
    if len(value) > OPTION_VALUE:
        raise ValueError(f"option value over {OPTION_VALUE} characters")
    item: dict[str, Any] = {"text": plain(text, OPTION_TEXT), "value": value}
    if description:
        item["description"] = plain(description, OPTION_TEXT)
    return item


def option_group(label: str, options: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {"label": plain(label, OPTION_TEXT), "options": list(options[:OPTIONS])}


def _cap(blocks: list[Block], limit: int) -> list[Block]:
    """Keep a surface inside Slack's block limit, saying so rather than failing to post."""
    if len(blocks) <= limit:
        return blocks
    hidden = len(blocks) - (limit - 1)
    return [*blocks[: limit - 1], context(f"… (+{hidden})")]  # the same in every language


def message(
    blocks: Iterable[Block], *, text: str, ephemeral: bool = True, replace: bool = False
) -> dict[str, Any]:
    """A message body for an ack, ``response_url`` or ``chat.postMessage``.

    ``text`` is the notification fallback; it is escaped like everything else a member wrote.
    """
    body: dict[str, Any] = {
        "text": fallback(text),
        "blocks": _cap(list(blocks), MESSAGE_BLOCKS),
        "response_type": "ephemeral" if ephemeral else "in_channel",
    }
    if replace:
        body["replace_original"] = True
    return body


def post(blocks: Iterable[Block], *, text: str) -> dict[str, Any]:
    """A message the bot sends on its own (through the outbox): capped and with a safe fallback."""
    return {"text": fallback(text), "blocks": _cap(list(blocks), MESSAGE_BLOCKS)}


def notice(text: str) -> dict[str, Any]:
    """A short ephemeral reply in one section; ``text`` is already escaped."""
    return message([section(text)], text=text)


def modal(
    *,
    title: str,
    blocks: Iterable[Block],
    callback_id: str,
    submit: str | None,
    close: str,
    private_metadata: str = "",
    external_id: str | None = None,
    notify_on_close: bool = False,
) -> dict[str, Any]:
    if len(private_metadata) > PRIVATE_METADATA:
        raise ValueError(f"private_metadata over {PRIVATE_METADATA} characters")
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, MODAL_TITLE),
        "close": plain(close, MODAL_BUTTON),
        "blocks": _cap(list(blocks), SURFACE_BLOCKS),
        "private_metadata": private_metadata,
        "notify_on_close": notify_on_close,
    }
    if submit:
        view["submit"] = plain(submit, MODAL_BUTTON)
    if external_id:
        view["external_id"] = external_id
    return view


def home(blocks: Iterable[Block]) -> dict[str, Any]:
    return {"type": "home", "blocks": _cap(list(blocks), SURFACE_BLOCKS)}


def input_block(
    *,
    block_id: str,
    label: str,
    element: Block,
    optional: bool = False,
    hint: str | None = None,
    dispatch_action: bool = False,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, INPUT_LABEL),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, INPUT_LABEL)
    if dispatch_action:
        block["dispatch_action"] = True
    return block


def checkboxes(*, action_id: str, options: Sequence[dict[str, Any]]) -> Block:
    """A checkbox group (at most ten options, Block Kit's checkboxes element)."""
    return {"type": "checkboxes", "action_id": action_id, "options": list(options)}


def text_input(
    *,
    action_id: str,
    multiline: bool = False,
    max_length: int | None = None,
    initial: str | None = None,
    placeholder: str | None = None,
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id, "multiline": multiline}
    if max_length:
        element["max_length"] = max_length
    if initial:
        element["initial_value"] = truncate(initial, max_length or 3000)
    if placeholder:
        element["placeholder"] = plain(placeholder, PLACEHOLDER)
    return element


def static_select(
    *,
    action_id: str,
    options: Sequence[dict[str, Any]] = (),
    option_groups: Sequence[dict[str, Any]] = (),
    initial: dict[str, Any] | None = None,
    placeholder: str | None = None,
    multi: bool = False,
) -> Block:
    element: Block = {
        "type": "multi_static_select" if multi else "static_select",
        "action_id": action_id,
    }
    if option_groups:
        element["option_groups"] = list(option_groups[:OPTIONS])
    else:
        element["options"] = list(options[:OPTIONS])
    if initial is not None:
        element["initial_options" if multi else "initial_option"] = [initial] if multi else initial
    if placeholder:
        element["placeholder"] = plain(placeholder, PLACEHOLDER)
    return element
