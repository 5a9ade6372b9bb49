"""Reading what the bot showed a person (replies, modals, DMs, buttons) and what it left on disk,
to assert on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from network_bot.testing.harness import Harness
from network_bot.testing.workspace import REVIEW_CHANNEL

# English words that no French, Spanish or Arabic sentence of the bot contains: finding one in
# text said in those languages means a sentence was left in English.
_WORDS: tuple[str, ...] = (
    *("the", "and", "you", "your", "with", "from", "this", "that", "is", "are", "was"),
    *("has", "have", "will", "been", "of", "to", "it"),
)
ENGLISH = re.compile(r"\b(" + "|".join(w for x in _WORDS for w in (x, x.capitalize())) + r")\b")


def block_text(block: object) -> str:
    """Every string in a block (or a view, or a list of blocks) but its type and action IDs."""
    if isinstance(block, dict):
        return " ".join(block_text(v) for k, v in block.items() if k not in {"type", "action_id"})
    if isinstance(block, list):
        return " ".join(block_text(v) for v in block)
    return block if isinstance(block, str) else ""


def ephemeral_text(body: dict[str, Any] | None) -> str:
    """All the text of an ack body, blocks included, to assert on what a person saw."""
    if not body:
        return ""
    parts = [str(body.get("text", ""))]
    for block in body.get("blocks", []) or []:
        parts.append(block_text(block))
    return "\n".join(parts)


def seen_by(h: Harness, user_id: str) -> str:
    """Everything a person could see from the bot outside the coordinators' review channel."""
    slack = h.slack
    parts = [json.dumps(m) for m in slack.ephemerals(user_id)]
    parts += [json.dumps(m) for m in slack.dm(user_id)]
    for channel_id in slack.channels:
        if channel_id != REVIEW_CHANNEL:
            parts += [json.dumps(m) for m in slack.messages(channel_id)]
    return "\n".join(parts)


async def said(h: Harness, user: str, line: str) -> str:
    """Type a slash command as ``user``; the text of the bot's reply."""
    response = await h.command(user, line)
    assert response.status == 200 and response.slack_error is None, response.text
    await h.settle()
    return ephemeral_text(response.json)


def button_value(body: dict[str, Any] | None, action_id: str) -> str:
    """The value of the button ``action_id`` in a reply, as a person's click would send it."""
    for block in (body or {}).get("blocks", []):
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element.get("value", ""))
    raise AssertionError(f"no {action_id} button in {body}")


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as someone who copied them would read them."""
    found = b""
    for candidate in (path, path.with_name(path.name + "-wal")):
        if candidate.exists():
            found += candidate.read_bytes()
    return found
