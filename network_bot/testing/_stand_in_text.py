"""Text as Slack reads it: text objects, lengths in Slack's count, and mrkdwn markup that parses.

Written from Slack's reference, not from what the bot sends:
- Text object (docs.slack.dev/reference/block-kit/composition-objects/text-object): ``type`` is
  ``plain_text`` or ``mrkdwn``; ``text`` is 1 to 3000 characters; ``emoji`` only on plain_text,
  ``verbatim`` only on mrkdwn.
- Formatting message text, "Escaping text" (docs.slack.dev/messaging/formatting-message-text):
  ``&``, ``<`` and ``>`` are control characters and must be sent as ``&amp;``, ``&lt;``, ``&gt;``
  unless they are markup; only those three entities are decoded. Markup is ``<...>``: a link
  ``<url>`` or ``<url|label>``, a mention ``<@U…>``, a channel ``<#C…>``, a special mention
  ``<!here>``, ``<!subteam^ID>``, ``<!date^…|fallback>``. A ``>`` that starts a line is a quote.

Slack's server renders a broken entity or an unclosed ``<`` wrongly rather than refusing it; the
stand-in refuses it (``invalid_blocks``) so a broken escape or a cut-off link fails a test instead
of reaching a coordinator garbled. A lone ``&`` (as in "food & water") is accepted, as Slack shows
it; an ``&`` followed by a letter, digit or ``#`` must be one of the three entities (that catches a
cut ``&am…`` and HTML entities Slack does not decode). docs/slack-rules.md says so.
"""

from __future__ import annotations

import re
from typing import Any

TEXT_OBJECT_MAX = 3000
TEXT_TYPES = ("plain_text", "mrkdwn")
_ENTITY = re.compile(r"&(amp|lt|gt);")
# An & that starts something entity-like: a letter, digit or # right after it.
_ENTITY_LIKE = re.compile(r"&[A-Za-z0-9#]")
# What may stand between < and > (Formatting message text, "Advanced formatting"): a mention, a
# channel, a special mention, or a link target that looks like an address (a scheme, or a dot or
# an @ in it: Slack links <example.org|x> and <someone@example.org> too); then an optional label.
_CONTROL = re.compile(
    r"^(?:@[UWB][A-Z0-9]+|#[CG][A-Z0-9]+|![a-z]+(?:\^[^|]*)?"
    r"|[a-z][a-z0-9+.-]*:[^|\s]+|[^|\s]*[.@][^|\s]*)"
    r"(?:\|[^|]+)?$"
)


def slack_length(text: str) -> int:
    """Characters as the stand-in counts them: UTF-16 code units.

    Slack's reference says "characters" without saying which; UTF-16 units (what Slack's own
    JavaScript clients and Block Kit Builder count as ``length``) are never fewer than code points,
    so text that fits this count fits either reading. Kept apart from the bot's own counting on
    purpose: the checker must not share code with what it checks.
    """
    return len(text.encode("utf-16-le")) // 2


def pointer_message(message: str, pointer: str) -> str:
    return f"[ERROR] {message} [json-pointer:{pointer}]"


class Problems:
    """Everything wrong with one request, in Slack's ``[ERROR] … [json-pointer:…]`` wording."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.messages)

    def fail(self, message: str, pointer: str) -> None:
        self.messages.append(pointer_message(message, pointer))

    def too_long(self, limit: int, pointer: str) -> None:
        self.fail(f"must be less than {limit + 1} characters", pointer)

    def too_many(self, limit: int, pointer: str) -> None:
        self.fail(f"no more than {limit} items allowed", pointer)

    def too_few(self, minimum: int, pointer: str) -> None:
        self.fail(f"must provide at least {minimum} items", pointer)

    def missing(self, name: str, pointer: str) -> None:
        self.fail(f"missing required field: {name}", pointer)

    def object(self, value: Any, pointer: str) -> bool:
        if isinstance(value, dict):
            return True
        self.fail("must be an object", pointer)
        return False

    def array(self, value: Any, pointer: str) -> bool:
        if isinstance(value, list):
            return True
        self.fail("must be an array", pointer)
        return False

    def only_fields(self, obj: dict[str, Any], allowed: frozenset[str], pointer: str) -> None:
        """Slack refuses properties a block, element or object does not define."""
        for name in sorted(set(obj) - allowed):
            self.fail(f"unknown field: {name}", f"{pointer}/{name}")

    def string(
        self, value: Any, pointer: str, *, limit: int | None = None, minimum: int = 0
    ) -> None:
        """An optional string field (None means absent)."""
        if value is None:
            return
        if not isinstance(value, str):
            self.fail("must be a string", pointer)
            return
        if slack_length(value) < minimum:
            self.fail(f"must be at least {minimum} characters", pointer)
        if limit is not None and slack_length(value) > limit:
            self.too_long(limit, pointer)

    def boolean(self, value: Any, pointer: str) -> None:
        if value is not None and not isinstance(value, bool):
            self.fail("must be a boolean", pointer)

    def integer(self, value: Any, pointer: str, *, low: int, high: int | None = None) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("must be an integer", pointer)
        elif value < low or (high is not None and value > high):
            self.fail(f"must be between {low} and {high if high is not None else 'any'}", pointer)

    def choice(self, value: Any, pointer: str, allowed: tuple[str, ...]) -> None:
        if value is not None and value not in allowed:
            self.fail(f"must be one of {', '.join(allowed)}", pointer)


def check_text(
    problems: Problems,
    obj: Any,
    pointer: str,
    *,
    limit: int = TEXT_OBJECT_MAX,
    plain_only: bool = False,
    required: bool = True,
) -> None:
    """A text object (Text object reference); ``plain_only`` where a field must be plain_text."""
    if obj is None:
        if required:
            parent, _, name = pointer.rpartition("/")
            problems.missing(name, parent or "/")
        return
    if not problems.object(obj, pointer):
        return
    problems.only_fields(obj, frozenset({"type", "text", "emoji", "verbatim"}), pointer)
    kind = obj.get("type")
    kinds = ("plain_text",) if plain_only else TEXT_TYPES
    if kind not in kinds:
        problems.fail(f"must be one of {', '.join(kinds)}", f"{pointer}/type")
    if "emoji" in obj and kind != "plain_text":
        problems.fail("emoji is only usable when type is plain_text", f"{pointer}/emoji")
    if "verbatim" in obj and kind != "mrkdwn":
        problems.fail("verbatim is only usable when type is mrkdwn", f"{pointer}/verbatim")
    problems.boolean(obj.get("emoji"), f"{pointer}/emoji")
    problems.boolean(obj.get("verbatim"), f"{pointer}/verbatim")
    text = obj.get("text")
    if not isinstance(text, str):
        problems.fail("must be a string", f"{pointer}/text")
        return
    if not text:
        problems.fail("must be more than 0 characters", f"{pointer}/text")
    elif slack_length(text) > min(limit, TEXT_OBJECT_MAX):
        problems.too_long(min(limit, TEXT_OBJECT_MAX), f"{pointer}/text")
    if kind == "mrkdwn":
        check_markup(problems, text, f"{pointer}/text")


def markup_problems(text: str) -> list[str]:
    """What does not parse in mrkdwn ``text``: stray ``&``, unclosed or unknown ``<…>``, stray
    ``>``; each with its offset, so a test failure says where the escaping went wrong."""
    found: list[str] = []
    i, size = 0, len(text)
    while i < size:
        char = text[i]
        if char == "&":
            if _ENTITY_LIKE.match(text, i) and not _ENTITY.match(text, i):
                found.append(f"malformed entity (not &amp; &lt; &gt;) at offset {i}")
            i += 1
        elif char == "<":
            end = text.find(">", i + 1)
            inner = text[i + 1 : end] if end != -1 else ""
            if end == -1 or "<" in inner:
                found.append(f"unclosed < at offset {i}")
                i += 1
                continue
            if not _CONTROL.match(inner):
                found.append(f"unknown markup <{inner[:40]}> at offset {i}")
            found += [
                f"malformed entity inside <…> at offset {i + 1 + m.start()}"
                for m in _ENTITY_LIKE.finditer(inner)
                if not _ENTITY.match(inner, m.start())
            ]
            i = end + 1
        elif char == ">":
            line_start = i == 0 or text[i - 1] == "\n"
            if not line_start:
                found.append(f"unescaped > at offset {i}")
            i += 1
        else:
            i += 1
    return found


def check_markup(problems: Problems, text: str, pointer: str) -> None:
    for problem in markup_problems(text):
        problems.fail(f"malformed mrkdwn: {problem}", pointer)
