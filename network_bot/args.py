"""Reading the text after a slash command: words, ``key:value`` options, mentions.

Commands that name a person or channel set ``should_escape``, so Slack sends ``<@U0123ABCD|name>``
and ``<#C0123ABCD|name>``; a bare ID (``U0123ABCD``) is accepted just the same.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from pydantic import ValidationError

from network_bot.refusal import Refusal
from network_bot.slack_ids import CHANNEL_MENTION, USER_MENTION

_OPTION = re.compile(r"^([a-z][a-z_-]{0,20}):(.*)$", re.S)
_MENTION_WITH_SPACES = re.compile(r"<([@#!][^>|]*)\|([^>]*)>")
# Phones and Slack's editor turn straight quotes into curly ones; read them as straight.
_SMART_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


class ArgError(Refusal, ValueError):
    """The text could not be read; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class Parsed:
    words: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)
    users: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()

    def word(self, index: int) -> str:
        return self.words[index] if index < len(self.words) else ""

    @property
    def first(self) -> str:
        return self.word(0).lower()

    @property
    def rest(self) -> Parsed:
        """Everything after the first word (the subcommand)."""
        return Parsed(self.words[1:], dict(self.options), self.users, self.channels)


def user_id(token: str) -> str | None:
    match = USER_MENTION.match(token)
    return (match[1] or match[2]) if match else None


def channel_id(token: str) -> str | None:
    match = CHANNEL_MENTION.match(token)
    return (match[1] or match[2]) if match else None


def parse(text: str) -> Parsed:
    """Split like a shell (quotes group words), then sort tokens into their kinds."""
    # Slack's escaped mentions can carry spaces in the label: drop the label before splitting.
    text = _MENTION_WITH_SPACES.sub(lambda m: f"<{m[1]}>", text.strip())
    text = text.translate(_SMART_QUOTES)
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError:
        raise ArgError(
            "A quotation mark is not closed. Put quotes around the whole value, "
            'like org:"Free Press Unlimited".'
        ) from None
    words: list[str] = []
    options: dict[str, str] = {}
    users: list[str] = []
    channels: list[str] = []
    for token in tokens:
        if (found := user_id(token)) is not None:
            users.append(found)
        elif (found := channel_id(token)) is not None:
            channels.append(found)
        elif (match := _OPTION.match(token)) and not token.startswith("http"):
            key = match[1].lower().replace("-", "_")
            if key in options:
                raise ArgError(f"`{key}:` is given twice. Give each option once.")
            options[key] = match[2].strip()
        else:
            words.append(token)
    return Parsed(tuple(words), options, tuple(users), tuple(channels))


_MESSAGES = {
    "missing": "is missing",
    "string_too_short": "is too short",
    "string_too_long": "is too long",
    "too_short": "is too short",
    "too_long": "is too long",
    "string_pattern_mismatch": "is not in the expected form",
    "int_parsing": "should be a whole number",
    "greater_than_equal": "is too small",
    "less_than_equal": "is too large",
    "date_from_datetime_parsing": "should be a date like 2026-11-02",
    "date_parsing": "should be a date like 2026-11-02",
    "extra_forbidden": "is not an option here",
    "enum": "is not one of the choices",
    "literal_error": "is not one of the choices",
}


def explain(error: ValidationError) -> str:
    """A validation error as one short sentence per field, without echoing the input."""
    parts = []
    for item in error.errors(include_input=False, include_url=False):
        name = ".".join(str(p) for p in item["loc"]) or "value"
        kind = item["type"]
        if kind == "value_error":
            text = str(item["msg"]).removeprefix("Value error, ")
        else:
            text = _MESSAGES.get(kind, str(item["msg"]).lower())
            limit = (item.get("ctx") or {}).get("max_length") or (item.get("ctx") or {}).get(
                "min_length"
            )
            if limit is not None and kind.startswith(("string_too", "too_")):
                text += f" ({'at most' if 'long' in kind else 'at least'} {limit} characters)"
        parts.append(f"`{name}` {text}" if kind != "value_error" else text)
    return "; ".join(parts) + "."
