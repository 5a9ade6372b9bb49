"""Block Kit limits the stand-in enforces, with Slack's own error wording.

Slack refuses a whole message or view when one block breaks a limit, and says where with a
JSON pointer. Catching that here means a bot that builds an over-long section fails in tests,
not in front of a coordinator.
"""

from __future__ import annotations

import copy
import secrets
from typing import Any, Literal

ViewKind = Literal["modal", "home"]

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40_000
MODAL_TITLE = 24
PRIVATE_METADATA = 3000
CALLBACK_ID = 255

BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "video",
    }
)
# element type -> how many options Slack allows it
OPTION_ELEMENTS: dict[str, int] = {
    "static_select": 100,
    "multi_static_select": 100,
    "radio_buttons": 10,
    "checkboxes": 10,
    "overflow": 5,
}
ELEMENT_TYPES = frozenset(
    {
        "button",
        "checkboxes",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "image",
        "multi_channels_select",
        "multi_conversations_select",
        "multi_external_select",
        "multi_static_select",
        "multi_users_select",
        "number_input",
        "overflow",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "channels_select",
        "conversations_select",
        "external_select",
        "static_select",
        "timepicker",
        "url_text_input",
        "users_select",
        "file_input",
        "workflow_button",
    }
)


def _too_long(limit: int, pointer: str) -> str:
    return f"[ERROR] must be less than {limit + 1} characters [json-pointer:{pointer}]"


def _too_many(limit: int, pointer: str) -> str:
    return f"[ERROR] no more than {limit} items allowed [json-pointer:{pointer}]"


def _missing(name: str, pointer: str) -> str:
    return f"[ERROR] missing required field: {name} [json-pointer:{pointer}]"


class BlockChecker:
    """Walks blocks and collects every limit they break."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self._block_ids: set[str] = set()

    def fail(self, message: str) -> None:
        self.messages.append(message)

    def text(
        self,
        obj: Any,
        pointer: str,
        *,
        limit: int,
        plain_only: bool = False,
        required: bool = True,
    ) -> None:
        """A text object: ``{"type": "plain_text"|"mrkdwn", "text": ...}``."""
        if obj is None:
            if required:
                self.fail(_missing(pointer.rsplit("/", 1)[-1], pointer.rsplit("/", 1)[0] or "/"))
            return
        if not isinstance(obj, dict):
            self.fail(f"[ERROR] must be an object [json-pointer:{pointer}]")
            return
        kinds = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in kinds:
            self.fail(f"[ERROR] must be one of {', '.join(kinds)} [json-pointer:{pointer}/type]")
        text = obj.get("text")
        if not isinstance(text, str) or not text:
            self.fail(f"[ERROR] must be more than 0 characters [json-pointer:{pointer}/text]")
        elif len(text) > limit:
            self.fail(_too_long(limit, f"{pointer}/text"))

    def string(self, value: Any, pointer: str, *, limit: int) -> None:
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            self.fail(_too_long(limit, pointer))

    def blocks(self, blocks: Any, pointer: str, *, limit: int) -> None:
        if not isinstance(blocks, list):
            self.fail(f"[ERROR] must be an array [json-pointer:{pointer}]")
            return
        if len(blocks) > limit:
            self.fail(_too_many(limit, pointer))
        for index, block in enumerate(blocks):
            self.block(block, f"{pointer}/{index}")

    def block(self, block: Any, pointer: str) -> None:
        if not isinstance(block, dict):
            self.fail(f"[ERROR] must be an object [json-pointer:{pointer}]")
            return
        kind = block.get("type")
        if kind not in BLOCK_TYPES:
            self.fail(f"[ERROR] unsupported type: {kind} [json-pointer:{pointer}/type]")
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.string(block_id, f"{pointer}/block_id", limit=255)
            if block_id in self._block_ids:
                self.fail(f"[ERROR] duplicate block_id: {block_id} [json-pointer:{pointer}]")
            self._block_ids.add(str(block_id))
        check = {
            "section": self._block_section,
            "header": self._block_header,
            "markdown": self._block_markdown,
            "context": self._block_context,
            "actions": self._block_actions,
            "input": self._block_input,
            "image": self._block_image,
        }.get(str(kind))
        if check is not None:  # divider, rich_text, file, video: nothing worth checking
            check(block, pointer)

    def _block_section(self, block: dict[str, Any], pointer: str) -> None:
        fields = block.get("fields")
        if block.get("text") is None and not fields:
            self.fail(_missing("text", pointer))
        self.text(block.get("text"), f"{pointer}/text", limit=3000, required=False)
        if fields is not None:
            if not isinstance(fields, list) or len(fields) > 10:
                self.fail(_too_many(10, f"{pointer}/fields"))
            else:
                for i, item in enumerate(fields):
                    self.text(item, f"{pointer}/fields/{i}", limit=2000)
        if block.get("accessory") is not None:
            self.element(block["accessory"], f"{pointer}/accessory")

    def _block_header(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("text"), f"{pointer}/text", limit=150, plain_only=True)

    def _block_markdown(self, block: dict[str, Any], pointer: str) -> None:
        self.string(block.get("text"), f"{pointer}/text", limit=12_000)

    def _block_context(self, block: dict[str, Any], pointer: str) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.fail(_missing("elements", pointer))
            return
        if len(elements) > 10:
            self.fail(_too_many(10, f"{pointer}/elements"))
        for i, element in enumerate(elements):
            if isinstance(element, dict) and element.get("type") != "image":
                self.text(element, f"{pointer}/elements/{i}", limit=3000)

    def _block_actions(self, block: dict[str, Any], pointer: str) -> None:
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.fail(_missing("elements", pointer))
            return
        if len(elements) > 25:
            self.fail(_too_many(25, f"{pointer}/elements"))
        for i, element in enumerate(elements):
            self.element(element, f"{pointer}/elements/{i}")

    def _block_input(self, block: dict[str, Any], pointer: str) -> None:
        self.text(block.get("label"), f"{pointer}/label", limit=2000, plain_only=True)
        self.text(block.get("hint"), f"{pointer}/hint", limit=2000, plain_only=True, required=False)
        if block.get("element") is None:
            self.fail(_missing("element", pointer))
        else:
            self.element(block["element"], f"{pointer}/element")

    def _block_image(self, block: dict[str, Any], pointer: str) -> None:
        if block.get("image_url") is None and block.get("slack_file") is None:
            self.fail(_missing("image_url", pointer))
        if block.get("alt_text") is None:
            self.fail(_missing("alt_text", pointer))
        self.string(block.get("alt_text"), f"{pointer}/alt_text", limit=2000)

    def element(self, element: Any, pointer: str) -> None:
        if not isinstance(element, dict):
            self.fail(f"[ERROR] must be an object [json-pointer:{pointer}]")
            return
        kind = element.get("type")
        if kind not in ELEMENT_TYPES:
            self.fail(f"[ERROR] unsupported type: {kind} [json-pointer:{pointer}/type]")
            return
        self.string(element.get("action_id"), f"{pointer}/action_id", limit=255)
        if element.get("placeholder") is not None:
            self.text(element["placeholder"], f"{pointer}/placeholder", limit=150, plain_only=True)
        if kind == "button":
            self.text(element.get("text"), f"{pointer}/text", limit=75, plain_only=True)
            self.string(element.get("value"), f"{pointer}/value", limit=2000)
            self.string(element.get("url"), f"{pointer}/url", limit=3000)
        if kind == "plain_text_input":
            self.string(element.get("initial_value"), f"{pointer}/initial_value", limit=3000)
        if kind in OPTION_ELEMENTS:
            self.options(element, pointer, limit=OPTION_ELEMENTS[kind])

    def options(self, element: dict[str, Any], pointer: str, *, limit: int) -> None:
        groups = element.get("option_groups")
        if groups is not None and isinstance(groups, list):
            for g, group in enumerate(groups):
                if isinstance(group, dict):
                    self._option_list(
                        group.get("options"), f"{pointer}/option_groups/{g}", limit=100
                    )
            return
        self._option_list(element.get("options"), pointer, limit=limit)

    def _option_list(self, options: Any, pointer: str, *, limit: int) -> None:
        if not isinstance(options, list) or not options:
            self.fail(_missing("options", pointer))
            return
        if len(options) > limit:
            self.fail(_too_many(limit, f"{pointer}/options"))
        for i, option in enumerate(options):
            where = f"{pointer}/options/{i}"
            if not isinstance(option, dict):
                self.fail(f"[ERROR] must be an object [json-pointer:{where}]")
                continue
            self.text(option.get("text"), f"{where}/text", limit=75)
            self.string(option.get("value"), f"{where}/value", limit=150)


def check_message_blocks(blocks: Any) -> list[str]:
    """Problems Slack reports as ``invalid_blocks`` for ``chat.*`` and response_url posts."""
    checker = BlockChecker()
    checker.blocks(blocks, "/blocks", limit=MESSAGE_BLOCKS)
    return checker.messages


def check_view(view: Any, *, kind: ViewKind) -> list[str]:
    """Problems Slack reports as ``invalid_arguments`` for ``views.*``."""
    checker = BlockChecker()
    if not isinstance(view, dict):
        return [_missing("view", "/")]
    if view.get("type") != kind:
        checker.fail(f"[ERROR] must be {kind} [json-pointer:/view/type]")
    if kind == "modal":
        checker.text(view.get("title"), "/view/title", limit=MODAL_TITLE, plain_only=True)
        checker.text(
            view.get("submit"), "/view/submit", limit=MODAL_TITLE, plain_only=True, required=False
        )
        checker.text(
            view.get("close"), "/view/close", limit=MODAL_TITLE, plain_only=True, required=False
        )
        has_input = any(
            isinstance(b, dict) and b.get("type") == "input" for b in view.get("blocks") or []
        )
        if has_input and view.get("submit") is None:
            checker.fail(
                "[ERROR] must provide a submit button when input blocks are present "
                "[json-pointer:/view/submit]"
            )
    checker.blocks(view.get("blocks"), "/view/blocks", limit=VIEW_BLOCKS)
    checker.string(view.get("private_metadata"), "/view/private_metadata", limit=PRIVATE_METADATA)
    checker.string(view.get("callback_id"), "/view/callback_id", limit=CALLBACK_ID)
    checker.string(view.get("external_id"), "/view/external_id", limit=CALLBACK_ID)
    return checker.messages


def _random_id() -> str:
    return secrets.token_urlsafe(4)[:5]


def _interactive(block: dict[str, Any]) -> list[dict[str, Any]]:
    candidates = list(block.get("elements") or []) if block.get("type") == "actions" else []
    candidates += [block.get("accessory"), block.get("element")]
    return [e for e in candidates if isinstance(e, dict) and e.get("type") in ELEMENT_TYPES]


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
