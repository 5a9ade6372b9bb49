"""Layout blocks as Slack's reference defines them, walked with Slack's own error wording.

Slack refuses a whole message or view when one block breaks a rule, and says where with a JSON
pointer. Catching that here means a bot that builds an over-long section or two buttons with one
action_id fails in tests, not in front of a coordinator. Sources, per rule, in comments; the list
is in docs/slack-rules.md.
"""

from __future__ import annotations

import copy
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from network_bot.testing._stand_in_elements import ELEMENTS, check_element
from network_bot.testing._stand_in_text import Problems, check_text

Surface = Literal["message", "modal", "home"]

# Layout blocks reference: "up to 50 blocks in each message, and 100 blocks in modals or Home tabs"
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
BLOCK_ID_MAX = 255  # every block: block_id "Maximum length for this field is 255 characters"
SECTION_TEXT = 3000  # Section block: text "maximum length is 3000 characters"
SECTION_FIELDS = 10  # Section block: fields "Maximum number of items is 10"
FIELD_TEXT = 2000  # Section block: fields "Maximum length for the text in each item is 2000"
HEADER_TEXT = 150  # Header block: plain_text "Maximum length … 150 characters"
CONTEXT_ELEMENTS = 10  # Context block: "Maximum number of items is 10"
ACTIONS_ELEMENTS = 25  # Actions block: "There is a maximum of 25 elements"
INPUT_LABEL = 2000  # Input block: label and hint plain_text, "Maximum length … 2000"
MARKDOWN_TEXT = 12_000  # Markdown block: "cumulative limit of 12,000 characters"
ALL: frozenset[Surface] = frozenset({"message", "modal", "home"})


@dataclass(frozen=True)
class BlockSpec:
    fields: frozenset[str]
    surfaces: frozenset[Surface]


def _spec(fields: set[str], surfaces: frozenset[Surface] = ALL) -> BlockSpec:
    return BlockSpec(frozenset(fields) | {"type", "block_id"}, surfaces)


# Each block's "Fields" table and its "Available in surfaces".
BLOCKS: dict[str, BlockSpec] = {
    "section": _spec({"text", "fields", "accessory", "expand"}),
    "header": _spec({"text"}),
    "divider": _spec(set()),
    "context": _spec({"elements"}),
    "actions": _spec({"elements"}),
    "input": _spec({"label", "element", "dispatch_action", "hint", "optional"}),
    "image": _spec({"image_url", "slack_file", "alt_text", "title"}),
    "markdown": _spec({"text"}, frozenset({"message"})),
    "rich_text": _spec({"elements"}),
    "file": _spec({"external_id", "source"}, frozenset({"message"})),
    "video": _spec(
        {
            "alt_text",
            "author_name",
            "description",
            "provider_icon_url",
            "provider_name",
            "title",
            "title_url",
            "thumbnail_url",
            "video_url",
        }
    ),
}


class BlockChecker:
    """Walks one surface's blocks and collects every rule they break."""

    def __init__(self, problems: Problems | None = None) -> None:
        self.problems = problems if problems is not None else Problems()
        self._block_ids: set[str] = set()

    @property
    def messages(self) -> list[str]:
        return self.problems.messages

    def blocks(self, blocks: Any, pointer: str, *, limit: int, surface: Surface) -> None:
        p = self.problems
        if not p.array(blocks, pointer):
            return
        if len(blocks) > limit:
            p.too_many(limit, pointer)
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}", surface=surface)

    def block(self, block: Any, pointer: str, *, surface: Surface) -> None:
        p = self.problems
        if not p.object(block, pointer):
            return
        kind = str(block.get("type"))
        spec = BLOCKS.get(kind)
        if spec is None:
            p.fail(f"unsupported type: {block.get('type')}", f"{pointer}/type")
            return
        if surface not in spec.surfaces:
            p.fail(f"{kind} blocks are not available in a {surface}", f"{pointer}/type")
        p.only_fields(block, spec.fields, pointer)
        block_id = block.get("block_id")
        if block_id is not None:
            p.string(block_id, f"{pointer}/block_id", limit=BLOCK_ID_MAX, minimum=1)
            # Every block: "block_id should be unique for each message and each iteration"
            if block_id in self._block_ids:
                p.fail(f"duplicate block_id: {block_id}", f"{pointer}/block_id")
            self._block_ids.add(str(block_id))
        check = getattr(self, f"_block_{kind}", None)
        if check is not None:
            check(block, pointer)

    def _block_section(self, block: dict[str, Any], pointer: str) -> None:
        p = self.problems
        fields = block.get("fields")
        # Section block: text is "not required if a valid array of fields objects is provided"
        if block.get("text") is None and not fields:
            p.missing("text", pointer)
        check_text(p, block.get("text"), f"{pointer}/text", limit=SECTION_TEXT, required=False)
        if fields is not None and p.array(fields, f"{pointer}/fields"):
            if len(fields) > SECTION_FIELDS:
                p.too_many(SECTION_FIELDS, f"{pointer}/fields")
            for i, item in enumerate(fields):
                check_text(p, item, f"{pointer}/fields/{i}", limit=FIELD_TEXT)
        p.boolean(block.get("expand"), f"{pointer}/expand")
        if block.get("accessory") is not None:
            check_element(p, block["accessory"], f"{pointer}/accessory", block="section")

    def _block_header(self, block: dict[str, Any], pointer: str) -> None:
        check_text(
            self.problems, block.get("text"), f"{pointer}/text", limit=HEADER_TEXT, plain_only=True
        )

    def _block_markdown(self, block: dict[str, Any], pointer: str) -> None:
        if block.get("text") is None:
            self.problems.missing("text", pointer)
        self.problems.string(block.get("text"), f"{pointer}/text", limit=MARKDOWN_TEXT)

    def _elements(self, block: dict[str, Any], pointer: str, *, most: int) -> list[Any] | None:
        """A block's ``elements``: required, an array, of one to ``most`` items (what is wrong
        is recorded); None when there is nothing to check item by item."""
        p = self.problems
        elements = block.get("elements")
        if elements is None:
            p.missing("elements", pointer)
            return None
        if not p.array(elements, f"{pointer}/elements"):
            return None
        if not elements:
            p.too_few(1, f"{pointer}/elements")
        if len(elements) > most:
            p.too_many(most, f"{pointer}/elements")
        return list(elements)

    def _block_context(self, block: dict[str, Any], pointer: str) -> None:
        p = self.problems
        elements = self._elements(block, pointer, most=CONTEXT_ELEMENTS)
        if elements is None:
            return
        # Context block: "An array of image elements and text objects"
        for i, element in enumerate(elements):
            where = f"{pointer}/elements/{i}"
            if isinstance(element, dict) and element.get("type") == "image":
                check_element(p, element, where, block="context")
            else:
                check_text(p, element, where)

    def _block_actions(self, block: dict[str, Any], pointer: str) -> None:
        p = self.problems
        elements = self._elements(block, pointer, most=ACTIONS_ELEMENTS)
        if elements is None:
            return
        # Button element (and every interactive element): action_id "Should be unique among
        # all other action_ids in the containing block"
        seen: set[str] = set()
        for i, element in enumerate(elements):
            where = f"{pointer}/elements/{i}"
            action_id = check_element(p, element, where, block="actions")
            if action_id is None:
                continue
            if action_id in seen:
                p.fail(f"duplicate action_id: {action_id}", f"{where}/action_id")
            seen.add(action_id)

    def _block_input(self, block: dict[str, Any], pointer: str) -> None:
        p = self.problems
        check_text(p, block.get("label"), f"{pointer}/label", limit=INPUT_LABEL, plain_only=True)
        check_text(
            p,
            block.get("hint"),
            f"{pointer}/hint",
            limit=INPUT_LABEL,
            plain_only=True,
            required=False,
        )
        p.boolean(block.get("optional"), f"{pointer}/optional")
        p.boolean(block.get("dispatch_action"), f"{pointer}/dispatch_action")
        if block.get("element") is None:
            p.missing("element", pointer)
            return
        check_element(p, block["element"], f"{pointer}/element", block="input")
        element = block["element"]
        # Input block: dispatch_action "is incompatible with the file_input block element"
        file_input = isinstance(element, dict) and element.get("type") == "file_input"
        if block.get("dispatch_action") and file_input:
            p.fail("unsupported type: file_input with dispatch_action", f"{pointer}/element")

    def _block_image(self, block: dict[str, Any], pointer: str) -> None:
        p = self.problems
        # Image block: image_url (3000) or slack_file; alt_text (2000); title plain_text (2000)
        if block.get("image_url") is None and block.get("slack_file") is None:
            p.missing("image_url", pointer)
        if block.get("alt_text") is None:
            p.missing("alt_text", pointer)
        p.string(block.get("alt_text"), f"{pointer}/alt_text", limit=2000)
        p.string(block.get("image_url"), f"{pointer}/image_url", limit=3000)
        check_text(
            p, block.get("title"), f"{pointer}/title", limit=2000, plain_only=True, required=False
        )


def check_blocks(blocks: Any, pointer: str, *, surface: Surface, problems: Problems) -> None:
    """Blocks of one surface, against the limit for that surface."""
    limit = MESSAGE_BLOCKS if surface == "message" else VIEW_BLOCKS
    BlockChecker(problems).blocks(blocks, pointer, limit=limit, surface=surface)


def _random_id() -> str:
    return secrets.token_urlsafe(4)[:5]


def _interactive(block: dict[str, Any]) -> list[dict[str, Any]]:
    candidates = list(block.get("elements") or []) if block.get("type") == "actions" else []
    candidates += [block.get("accessory"), block.get("element")]
    return [
        e
        for e in candidates
        if isinstance(e, dict) and e.get("type") in ELEMENTS and e.get("type") != "image"
    ]


def with_ids(blocks: Any) -> list[Any]:
    """A copy of ``blocks`` with the ids Slack fills in when they are left out: a random
    ``block_id`` on every block and ``action_id`` on every interactive element."""
    if not isinstance(blocks, list):
        return []
    filled = copy.deepcopy(blocks)
    for block in filled:
        if isinstance(block, dict):
            block.setdefault("block_id", _random_id())
            for element in _interactive(block):
                element.setdefault("action_id", _random_id())
    return filled
